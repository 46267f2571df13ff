"""Chapter 4's exercises: |x| and the interpolant of x^2 from hinges."""
import torch

from ._common import (ATOL, _call, _close, _describe, _grid, _hint, _never_raises, _say,
                      _tensor_problem, _values, _where_wrong)


@_never_raises
def check_abs_hinges(fn) -> bool:
    """Check ``fn(x) -> |x|`` built from ReLUs, on a grid of [-3, 3]."""
    x = _grid(-3, 3, 61)
    with _CallRecorder() as recorder:
        got, problem = _call(fn, x)
    problem = problem or _tensor_problem("your result", got, x.shape)
    if problem is not None:
        return _say(False, problem)
    want = x.abs()
    gap = _values(got) - _values(want)
    problem = _hint(got, [(torch.relu(x), "only the right half: relu(x) is 0 for x < 0; "
                           "a second hinge, relu(-x), gives the left half.")])
    if problem is None and gap.abs().max() > ATOL and torch.allclose(gap, gap[0].expand_as(gap)):
        problem = f"off by a constant: your curve is |x| {float(gap[0]):+.4g} everywhere."
    problem = problem or _slope_problem(got, x) or _where_wrong("|x|", got, want, x)
    if problem is None and recorder.used_abs:
        problem = "the values are right, but you used abs(); build |x| from relu only."
    if problem is not None:
        return _say(False, problem)
    return _say(True, "Correct: your hinges give |x| on [-3, 3], with the kink at 0.")


def _slope_problem(got, x) -> str | None:
    got, x = _values(got), _values(x)
    for side, (a, b), want in [("x < 0", (0, 20), -1.0), ("x > 0", (40, 60), 1.0)]:
        slope = float((got[b] - got[a]) / (x[b] - x[a]))
        if abs(slope - want) > 1e-3:
            return f"the slope for {side} is {slope:.4g}, expected {want:+.0f}."
    return None


class _CallRecorder(torch.overrides.TorchFunctionMode):
    """Notes whether the learner's code called abs (the exercise asks for ReLUs only)."""

    used_abs = False

    def __torch_function__(self, func, types, args=(), kwargs=None):
        if getattr(func, "__name__", "") in {"abs", "abs_", "absolute", "__abs__"}:
            self.used_abs = True
        return func(*args, **(kwargs or {}))


def _interpolant_reference(n: int) -> tuple[torch.Tensor, torch.Tensor]:
    """Closed form: knots i*h (i < n) and hinge weights [h, 2h, ..., 2h] with h = 2/n.

    The piecewise-linear interpolant of x^2 on [0, 2] with n equal pieces has slope
    (2i + 1) h on piece i; a hinge's weight is the change in slope at its knot.

    >>> _interpolant_reference(2)
    (tensor([0., 1.]), tensor([1., 2.]))
    """
    h = 2.0 / n
    knots = torch.arange(n, dtype=torch.float32) * h
    return knots, torch.cat([torch.tensor([h]), torch.full((n - 1,), 2 * h)])


@_never_raises
def check_interpolant_weights(fn) -> bool:
    """Check ``fn(n) -> (knots, weights)`` of sum_i w_i relu(x - k_i), the linear
    interpolant of x^2 on [0, 2] with n equal pieces, for n = 1, 2, 5 and 8."""
    for n in [1, 2, 5, 8]:
        problem = _interpolant_problem(fn, n)
        if problem is not None:
            return _say(False, problem)
    return _say(True, "Correct: your hinge sum interpolates x^2 at every piece boundary, "
                      "for n = 1, 2, 5 and 8.")


def _interpolant_problem(fn, n: int) -> str | None:
    answer, problem = _call(fn, n)
    if problem is not None:
        return f"for n = {n}, {problem}"
    if not (isinstance(answer, (tuple, list)) and len(answer) == 2):
        return f"return the pair (knots, weights); for n = {n} got {type(answer).__name__}."
    try:
        knots, weights = (torch.as_tensor(a, dtype=torch.float64) for a in answer)
    except Exception as error:
        return f"knots and weights should be tensors of numbers ({_describe(error)})."
    want_knots, want_weights = (a.double() for a in _interpolant_reference(n))
    h = 2.0 / n
    if knots.shape != (n,):
        extra = " (no hinge at 2: it would only act beyond the interval)" \
            if knots.numel() == n + 1 else ""
        return (f"for n = {n}, expected {n} knot{'s' * (n > 1)}, one per piece{extra}; "
                f"got shape {tuple(knots.shape)}.")
    if weights.shape != knots.shape:
        return f"for n = {n}, {weights.numel()} weights for {n} knots: one weight per hinge."
    if not (torch.isfinite(knots).all() and torch.isfinite(weights).all()):
        return f"for n = {n}, the knots or weights contain NaN or inf."
    if not _close(knots, want_knots).all():
        i = int(torch.argmax((knots - want_knots).abs()))
        return (f"for n = {n}, knot {i} is at {float(knots[i]):.4g}, expected the piece "
                f"boundary {i}*h = {float(want_knots[i]):.4g} (h = 2/n = {h:.4g}).")
    slopes = (2 * torch.arange(n, dtype=torch.float64) + 1) * h
    if n > 1 and _close(weights, slopes).all():
        return ("these weights are the slopes of the pieces; a hinge adds a change of "
                "slope at its knot, so w_i = slope_i - slope_(i-1): h, then 2h.")
    if _close(weights, want_weights).all():
        return None
    if _close(weights[1:], want_weights[1:]).all():
        return (f"for n = {n}, the first weight is {float(weights[0]):.4g}, expected h = "
                f"{h:.4g}: the first piece joins (0, 0) to (h, h^2), slope h.")
    x = torch.linspace(0, 2, n + 1, dtype=torch.float64)
    fit = (weights * torch.relu(x[:, None] - knots)).sum(dim=1)
    return _where_wrong(f"for n = {n}, the hinge sum at the piece boundaries", fit, x**2, x,
                        sides=False)
