"""Chapter 4's exercises: |x| and the interpolant of x^2 from hinges."""
import torch

from ._common import (
    ATOL,
    call_answer,
    close_to,
    describe,
    case_generator,
    grid_of,
    hint_for,
    never_raises,
    raised_message,
    run_learner,
    say,
    tensor_problem,
    TookTooLong,
    values_of,
    where_wrong,
)


@never_raises
def check_abs_hinges(fn) -> bool:
    """Check ``fn(x) -> |x|`` built from ReLUs: on a grid of [-3, 3], on 2-D and 0-D
    inputs, then that the values come from torch.relu (see ``_ReluProbe``)."""
    x = grid_of(-3, 3, 61)
    probe = _ReluProbe()
    got, problem = call_answer(fn, x, context=probe)
    problem = problem or tensor_problem("your result", got, x.shape) \
        or _grid_problem(got, x) or _shapes_problem(fn) or _relu_problem(fn, x, got, probe)
    if problem is not None:
        return say(False, problem)
    # the same words as the notebook's saved output (nbval compares them)
    return say(True, "Correct: your hinges give |x| on [-3, 3], with the kink at 0.")


def _grid_problem(got, x) -> str | None:
    want = x.abs()
    gap = values_of(got) - values_of(want)
    problem = hint_for(got, [(torch.relu(x), "only the right half: relu(x) is 0 for x < 0; "
                           "a second hinge, relu(-x), gives the left half.")])
    if problem is None and gap.abs().max() > ATOL and torch.allclose(gap, gap[0].expand_as(gap)):
        problem = f"off by a constant: your curve is |x| {float(gap[0]):+.4g} everywhere."
    return problem or _slope_problem(got, x) or where_wrong("|x|", got, want, x)


def _slope_problem(got, x) -> str | None:
    got, x = values_of(got), values_of(x)
    for side, (a, b), want in [("x < 0", (0, 20), -1.0), ("x > 0", (40, 60), 1.0)]:
        slope = float((got[b] - got[a]) / (x[b] - x[a]))
        if abs(slope - want) > 1e-3:
            return f"the slope for {side} is {slope:.4g}, expected {want:+.0f}."
    return None


def _shapes_problem(fn) -> str | None:
    """The exercise asks for any shape: try a (2, 3) matrix, a 0-d tensor (one number),
    and a float64 tensor of random shape and values."""
    gen = case_generator()
    shape = tuple(torch.randint(1, 6, (int(torch.randint(2, 4, (1,), generator=gen)),),
                                generator=gen).tolist())
    drawn = 4 * torch.randn(shape, generator=gen, dtype=torch.float64)
    for x in [torch.tensor([[-2.0, 0.5, 3.0], [1.5, -1.0, 0.0]]), torch.tensor(-1.5), drawn]:
        got, problem = call_answer(fn, x)
        problem = problem or tensor_problem("your result", got, x.shape) \
            or where_wrong("|x|", got, x.abs(), x, sides=False)
        if problem is not None:
            what = "a 0-d input (one number, shape ())" if x.ndim == 0 else \
                f"an input of shape {tuple(x.shape)}"
            return (f"right for a 1-d input, but for {what}: {problem[:-1]}; work "
                    "elementwise, for any shape.")
    return None


def _relu_problem(fn, x, got, probe) -> str | None:
    """Run again with every relu(z) lifted by 1 + sin(z)/2: a sum of hinges changes at
    every x; values computed another way (abs, sqrt(x*x), where, maximum) do not."""
    if probe.used_abs:
        return "the values are right, but you used abs(); build |x| from relu only."
    without_relu = ("the values are right, but built without ReLU: use two hinges, "
                    "torch.relu of something, one rising on each side of 0 (no abs, no "
                    "comparisons).")
    if probe.relu_calls == 0:
        return without_relu
    lifted, problem = call_answer(fn, x, context=_ReluProbe(lift=True))
    if problem is not None or tensor_problem("", lifted, x.shape) is not None:
        return None  # the result changed, so it does depend on relu
    same = close_to(lifted, got)
    if same.all():
        return without_relu
    if same.any():
        where = float(x[same][0])
        return (f"the values are right, but at x = {where:.4g} they do not come from your "
                "ReLUs (a comparison or where picks another formula there?): use two "
                "hinges, one rising on each side of 0, added up.")
    return None


class _ReluProbe(torch.overrides.TorchFunctionMode):
    """Watches the learner's code: counts relu calls (torch.relu, F.relu, Tensor.relu,
    nn.ReLU and anything built on them), notes abs, and with ``lift`` returns
    relu(z) + 1 + sin(z)/2, a change that depends on z alone."""

    def __init__(self, lift: bool = False):
        super().__init__()
        self.lift, self.relu_calls, self.used_abs = lift, 0, False

    def snapshot(self) -> tuple:
        """What it saw, as it comes back from the child process that ran the code."""
        return self.relu_calls, self.used_abs

    def restore(self, seen: tuple) -> None:
        self.relu_calls, self.used_abs = seen

    def __torch_function__(self, func, types, args=(), kwargs=None):
        kwargs = kwargs or {}
        name = getattr(func, "__name__", "")
        self.used_abs |= name in {"abs", "abs_", "absolute", "__abs__"}
        if name not in {"relu", "relu_"}:
            return func(*args, **kwargs)
        self.relu_calls += 1
        if not self.lift:
            return func(*args, **kwargs)
        z = args[0] if args else kwargs.get("input")
        lift = 1 + torch.sin(z) / 2  # computed first: relu_ overwrites z
        out = func(*args, **kwargs)
        in_place = name.endswith("_") or kwargs.get("inplace", False)
        return out.add_(lift) if in_place else out + lift


def interpolant_reference(n: int) -> tuple[torch.Tensor, torch.Tensor]:
    """Closed form: knots i*h (i < n) and hinge weights [h, 2h, ..., 2h] with h = 2/n.

    The piecewise-linear interpolant of x^2 on [0, 2] with n equal pieces has slope
    (2i + 1) h on piece i; a hinge's weight is the change in slope at its knot.

    >>> interpolant_reference(2)
    (tensor([0., 1.]), tensor([1., 2.]))
    """
    h = 2.0 / n
    knots = torch.arange(n, dtype=torch.float32) * h
    return knots, torch.cat([torch.tensor([h]), torch.full((n - 1,), 2 * h)])


@never_raises
def check_interpolant_weights(fn) -> bool:
    """Check ``fn(n) -> (knots, weights)`` of sum_i w_i relu(x - k_i), the linear
    interpolant of x^2 on [0, 2] with n equal pieces, for n = 1, 2 and three values of n
    drawn afresh from 3..40."""
    drawn = (3 + torch.randperm(38, generator=case_generator())[:3]).tolist()
    for n in [1, 2, *drawn]:
        problem = _interpolant_problem(fn, n)
        if problem is not None:
            return say(False, problem)
    return say(True, "Correct: your hinge sum interpolates x^2 at every piece boundary, "
                      "for n = 1, 2 and three more drawn at random.")


def _interpolant_problem(fn, n: int) -> str | None:
    answer, problem = call_answer(fn, n)
    if problem is not None:
        return f"for n = {n}, {problem}"
    if not (isinstance(answer, (tuple, list)) and len(answer) == 2):
        return f"return the pair (knots, weights); for n = {n} got {type(answer).__name__}."
    (knots, weights), problem = _real_tensors(answer, n)
    if problem is not None:
        return problem
    h = 2.0 / n
    if knots.shape != (n,):
        extra = " (no hinge at 2: it would only act beyond the interval)" \
            if knots.numel() == n + 1 else ""
        return (f"for n = {n}, expected {n} knot{'s' * (n > 1)}, one per piece{extra}; "
                f"got shape {tuple(knots.shape)}.")
    if weights.shape != knots.shape:
        return f"for n = {n}, {weights.numel()} weights for {n} knots: one weight per hinge."
    return _finite_problem(knots, weights, n) or _values_problem(knots, weights, n, h)


def _real_tensors(answer, n: int):
    """(knots, weights) as float64 tensors, or a message: not numbers, or complex numbers."""
    converted, error = run_learner(lambda: [torch.as_tensor(a) for a in answer])
    if error is not None:
        why = raised_message(error) if isinstance(error, TookTooLong) else describe(error)
        return (None, None), f"knots and weights should be tensors of numbers ({why})."
    for name, values in zip(["knots", "weights"], converted):
        if values.is_complex():
            return (None, None), (f"for n = {n}, your {name} are complex numbers "
                                  f"({values.dtype}): knots and weights must be real.")
    return [values.detach().to(torch.float64) for values in converted], None


def _finite_problem(knots, weights, n: int) -> str | None:
    for name, values in [("knot", knots), ("weight", weights)]:
        bad = (~torch.isfinite(values)).nonzero().flatten()
        if len(bad):
            i = int(bad[0])
            return (f"for n = {n}, {name} {i} is {float(values[i])}: knots and weights must "
                    "be finite numbers (no NaN or inf).")
    return None


def _values_problem(knots, weights, n: int, h: float) -> str | None:
    want_knots, want_weights = (a.double() for a in interpolant_reference(n))
    if not close_to(knots, want_knots).all():
        i = int(torch.argmax((knots - want_knots).abs()))
        return (f"for n = {n}, knot {i} is at {float(knots[i]):.4g}, expected the piece "
                f"boundary {i}*h = {float(want_knots[i]):.4g} (h = 2/n = {h:.4g}).")
    slopes = (2 * torch.arange(n, dtype=torch.float64) + 1) * h
    if n > 1 and close_to(weights, slopes).all():
        return ("these weights are the slopes of the pieces; a hinge adds a change of "
                "slope at its knot, so w_i = slope_i - slope_(i-1): h, then 2h.")
    if close_to(weights, want_weights).all():
        return None
    if close_to(weights[1:], want_weights[1:]).all():
        return (f"for n = {n}, the first weight is {float(weights[0]):.4g}, expected h = "
                f"{h:.4g}: the first piece joins (0, 0) to (h, h^2), slope h.")
    x = torch.linspace(0, 2, n + 1, dtype=torch.float64)
    fit = (weights * torch.relu(x[:, None] - knots)).sum(dim=1)
    return where_wrong(f"for n = {n}, the hinge sum at the piece boundaries", fit, x**2, x,
                        sides=False)
