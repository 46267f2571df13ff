"""Checkers for the book's code exercises: each tests a learner's answer and says what is wrong.

A checker runs the answer on cases it builds itself, prints one short message (what is
wrong, at which input, expected vs got; or "Correct: ...") and returns True or False. It
never raises: ``None``, a wrong type or shape, an answer that raises, NaNs and in-place
changes of the input each get their own message.

>>> check_abs_hinges(lambda x: torch.relu(x) + torch.relu(-x))
Correct: your hinges give |x| on [-3, 3], with the kink at 0.
True
"""
import functools
import inspect

import torch
import torch.nn.functional as F

RTOL, ATOL = 1e-4, 1e-6


# --- shared guards ---------------------------------------------------------------------

def _say(ok: bool, message: str) -> bool:
    print(message if ok else f"Not yet: {message}")
    return ok


def _never_raises(checker):
    """Turn any surprise inside a checker into a message, so a notebook cell never crashes."""
    @functools.wraps(checker)
    def wrapped(*args, **kwargs):
        try:
            return checker(*args, **kwargs)
        except Exception as error:  # the learner's code can fail in ways no guard foresaw
            return _say(False, f"the checker could not test your answer ({_describe(error)}).")
    return wrapped


def _describe(error: Exception) -> str:
    text = str(error).strip().splitlines()[0] if str(error).strip() else ""
    return f"{type(error).__name__}: {text[:160]}" if text else type(error).__name__


def _call(fn, *args, names=("x",)):
    """Run the learner's ``fn(*args)`` on copies; return (result, problem message or None)."""
    if not callable(fn):
        return None, f"expected a function, got {type(fn).__name__}."
    copies = [a.clone() if isinstance(a, torch.Tensor) else a for a in args]
    try:
        result = fn(*copies)
    except NotImplementedError:
        return None, "your function still raises NotImplementedError: write your answer there."
    except Exception as error:
        return None, f"your code raised {_describe(error)}."
    for i, (arg, copy) in enumerate(zip(args, copies)):
        if isinstance(arg, torch.Tensor) and not torch.equal(arg, copy):
            return None, (f"your code changed its input {names[i]} in place "
                          "(an operation ending in _, or +=, *=, x[...] = ...); "
                          "compute a new tensor instead.")
    return result, None


def _tensor_problem(name: str, value, shape: tuple) -> str | None:
    """A message if ``value`` is not a finite floating tensor of ``shape``, else None."""
    if value is None:
        return f"{name} is None: did you forget a `return`?"
    if not isinstance(value, torch.Tensor):
        return f"{name} should be a torch.Tensor, got {type(value).__name__}."
    if not value.is_floating_point():
        return f"{name} should be a floating-point tensor, got {value.dtype}."
    if tuple(value.shape) != tuple(shape):
        return f"{name} has shape {tuple(value.shape)}, expected {tuple(shape)}."
    if not torch.isfinite(value).all():
        return f"{name} contains NaN or inf values."
    return None


def _values(t: torch.Tensor) -> torch.Tensor:
    return t.detach().cpu().to(torch.float64)


def _close(got: torch.Tensor, want: torch.Tensor) -> torch.Tensor:
    return torch.isclose(_values(got), _values(want), rtol=RTOL, atol=ATOL)


def _hint(got, hints) -> str | None:
    """The message of the first (candidate, message) pair whose candidate equals ``got``."""
    for candidate, message in hints:
        if candidate.shape == got.shape and _close(got, candidate).all():
            return message
    return None


def _where_wrong(what: str, got, want, x, sides: bool = True) -> str | None:
    """Say where ``got`` differs from ``want`` (worst point), and whether only on one side of 0."""
    wrong = ~_close(got, want)
    if not wrong.any():
        return None
    x, got, want = _values(x).flatten(), _values(got).flatten(), _values(want).flatten()
    wrong = wrong.flatten()
    worst = int(torch.argmax((got - want).abs() * wrong))
    side = ""
    if sides and (x[wrong] < 0).all():
        side = " only at negative inputs"
    elif sides and (x[wrong] > 0).all():
        side = " only at positive inputs"
    return (f"{what} is wrong{side}: at x = {x[worst]:.4g} you give {got[worst]:.6g}, "
            f"expected {want[worst]:.6g}.")


def _grid(low: float, high: float, n: int, dtype=torch.float32) -> torch.Tensor:
    return torch.linspace(low, high, n, dtype=dtype)


# --- chapter 1: folding a linear stack ------------------------------------------------

def _fold_case(d: int, h: int, o: int, seed: int):
    gen = torch.Generator().manual_seed(seed)
    return [torch.randn(*shape, generator=gen) for shape in [(h, d), (h,), (o, h), (o,)]]


@_never_raises
def check_fold(fn) -> bool:
    """Check ``fn(W1, b1, W2, b2) -> (W, b)`` with W2 (W1 x + b1) + b2 == W x + b.

    Shapes: W1 (h, d), b1 (h,), W2 (o, h), b2 (o,); the answer W is (o, d), b is (o,).
    Tried on a square case (d = h = o = 3) and a rectangular one (d=3, h=4, o=2).
    """
    for d, h, o in [(3, 3, 3), (3, 4, 2)]:
        W1, b1, W2, b2 = _fold_case(d, h, o, seed=d + h + o)
        answer, problem = _call(fn, W1, b1, W2, b2, names=("W1", "b1", "W2", "b2"))
        if problem is None and not (isinstance(answer, (tuple, list)) and len(answer) == 2):
            problem = f"return the pair (W, b); got {type(answer).__name__}."
        if problem is not None:
            return _say(False, problem + _order_hint(problem, W1, W2))
        problem = _fold_problem(answer, W1, b1, W2, b2)
        if problem is not None:
            return _say(False, problem)
    return _say(True, "Correct: your (W, b) is the two layers in one, for square and "
                      "rectangular weights.")


def _order_hint(problem: str, W1, W2) -> str:
    if "shapes cannot be multiplied" not in problem and "size mismatch" not in problem:
        return ""
    return (f" W1 has shape {tuple(W1.shape)} and W2 {tuple(W2.shape)}: W1 acts first, "
            "so it sits on the right of the product, W2 @ W1.")


def _fold_problem(answer, W1, b1, W2, b2) -> str | None:
    W, b = answer
    o, d = W2.shape[0], W1.shape[1]
    if isinstance(W, torch.Tensor) and W.ndim == 1 and isinstance(b, torch.Tensor) and b.ndim == 2:
        return "the pair looks swapped: return (W, b), the matrix first."
    if isinstance(W, torch.Tensor) and tuple(W.shape) == (d, o) and d != o:
        return (f"W has shape {(d, o)}, the transpose of the expected {(o, d)}: "
                "the folded weight is W2 @ W1.")
    problem = _tensor_problem("W", W, (o, d)) or _tensor_problem("b", b, (o,))
    if problem is not None:
        return problem
    if not _close(W, W2 @ W1).all():
        if W1.shape == W2.shape and _close(W, W1 @ W2).all():
            return "W equals W1 @ W2: the product is in the wrong order (W1 acts first: W2 @ W1)."
        if _close(W, (W2 @ W1).T).all():
            return "W is the transpose of W2 @ W1: the folded weight is W2 @ W1, shape (o, d)."
        return "W is not W2 @ W1, the product of the two weight matrices (W1 acts first)."
    if _close(b, b2).all():
        return ("b equals b2: the first bias is forgotten. b1 passes through W2 too, "
                "so b = W2 @ b1 + b2.")
    if b1.shape == b2.shape and _close(b, b1 + b2).all():
        return "b equals b1 + b2: the first bias passes through W2 first, so b = W2 @ b1 + b2."
    if not _close(b, W2 @ b1 + b2).all():
        return "W is right but b is not W2 @ b1 + b2 (where does b1 go after the second layer?)."
    return None


# --- chapter 2: the sigmoid's derivative -----------------------------------------------

def _sigmoid_slope(x: torch.Tensor) -> torch.Tensor:
    """Reference: the derivative of torch.sigmoid, from autograd."""
    x = x.detach().clone().requires_grad_(True)
    torch.sigmoid(x).sum().backward()
    return x.grad


@_never_raises
def check_sigmoid_derivative(fn) -> bool:
    """Check ``fn(x) -> sigma'(x)`` elementwise for a tensor x of any shape.

    Compared with autograd of ``torch.sigmoid`` on a grid of [-6, 6], on a (2, 3, 4)
    tensor, and at large |x| (up to 1000), where a formula with exp() overflows.
    """
    x = _grid(-6, 6, 25)
    got, problem = _call(fn, x)
    problem = problem or _tensor_problem("your result", got, x.shape)
    if problem is not None:
        return _say(False, problem)
    hint = _hint(got, [(torch.sigmoid(x), "you return sigma(x) itself; its derivative is "
                        "sigma(x) * (1 - sigma(x)).")])
    if hint is not None:
        return _say(False, hint)
    at_zero = float(got[12])
    if abs(at_zero - 0.25) > 1e-4:
        return _say(False, f"at x = 0 you give {at_zero:.4g}, but sigma'(0) = 1/4, the "
                           "sigmoid's largest slope (sigma(0) = 1/2, times 1 - 1/2).")
    wrong = _where_wrong("the derivative", got, _sigmoid_slope(x), x)
    if wrong is not None:
        return _say(False, wrong)
    return _check_sigmoid_extremes(fn)


def _check_sigmoid_extremes(fn) -> bool:
    cube = torch.randn(2, 3, 4, generator=torch.Generator().manual_seed(0))
    got, problem = _call(fn, cube)
    problem = problem or _tensor_problem("for a (2, 3, 4) input, your result", got, cube.shape)
    if problem is None and not _close(got, _sigmoid_slope(cube)).all():
        problem = "for a (2, 3, 4) input the values are wrong: work elementwise, keep the shape."
    if problem is not None:
        return _say(False, problem)
    x = torch.tensor([-1000.0, -100.0, -30.0, 30.0, 100.0, 1000.0])
    got, problem = _call(fn, x)
    if problem is None and isinstance(got, torch.Tensor) and got.shape == x.shape \
            and not torch.isfinite(got).all():
        bad = float(x[~torch.isfinite(got)][0])
        problem = (f"at x = {bad:g} you give {float(got[x == bad][0])}, expected 0: exp() "
                   "overflows to inf for large |x|. Write it with torch.sigmoid, which "
                   "never overflows: s = torch.sigmoid(x); s * (1 - s).")
    problem = problem or _tensor_problem("your result", got, x.shape) \
        or _where_wrong("the derivative at large |x|", got, _sigmoid_slope(x), x)
    if problem is not None:
        return _say(False, problem)
    return _say(True, "Correct: matches autograd, peaks at 1/4 at x = 0, works for any "
                      "shape, and stays finite at |x| = 1000.")


# --- chapter 3: activations as torch.autograd.Function ---------------------------------

def _reference_grad(reference, x: torch.Tensor, upstream: torch.Tensor) -> torch.Tensor:
    x = x.detach().clone().requires_grad_(True)
    reference(x).backward(upstream)
    return x.grad


def _function_class_problem(cls) -> str | None:
    if not (inspect.isclass(cls) and issubclass(cls, torch.autograd.Function)):
        kind = "an instance" if isinstance(cls, torch.autograd.Function) else type(cls).__name__
        return ("expected a torch.autograd.Function subclass (class MyFn(torch.autograd."
                f"Function) with static forward and backward), got {kind}.")
    return None


def _inputs() -> torch.Tensor:
    """60 points of [-3, 3], none at the kink 0 (where the slope is a convention)."""
    return torch.cat([_grid(-3, -0.05, 30), _grid(0.05, 3, 30)])


def _forward_problem(cls, reference, hints) -> str | None:
    x = _inputs()
    for shape in [x.shape, (2, 30)]:
        got, problem = _call(cls.apply, x.reshape(shape))
        problem = problem or _tensor_problem("forward's output", got, shape)
        if problem is not None:
            return f"{problem[:-1]} (input of shape {tuple(shape)})."
    want = reference(x)
    return _hint(got.reshape(x.shape), hints) \
        or _where_wrong("forward", got.reshape(x.shape), want, x)


def _backward_problem(cls, reference, hints) -> str | None:
    x = _inputs().requires_grad_(True)
    upstream = torch.linspace(0.5, 2.0, x.numel())  # not ones: backward must use grad_output
    try:
        cls.apply(x).backward(upstream)
    except Exception as error:
        return f"backward failed: {_describe(error)}."
    if x.grad is None:
        return "backward returned None: it must return grad_output times the local slope."
    want = _reference_grad(reference, x, upstream)
    problem = _tensor_problem("the gradient", x.grad, x.shape)
    return problem or _hint(x.grad, [(c(x.detach(), upstream), m) for c, m in hints]) \
        or _where_wrong("the gradient", x.grad, want, x)


def _gradcheck_problem(cls) -> str | None:
    x = torch.cat([torch.linspace(-2, -0.1, 6), torch.linspace(0.1, 2, 6)]).double()
    try:
        torch.autograd.gradcheck(cls.apply, (x.requires_grad_(True),))
    except Exception as error:
        hint = " Create new tensors with x's dtype (torch.zeros_like(x))." \
            if "dtype" in str(error) else ""
        return f"torch.autograd.gradcheck fails in float64: {_describe(error)}.{hint}"
    return None


def _check_function_class(cls, name, reference, forward_hints, backward_hints) -> bool:
    problem = _function_class_problem(cls) or _forward_problem(cls, reference, forward_hints) \
        or _backward_problem(cls, reference, backward_hints) or _gradcheck_problem(cls)
    if problem is not None:
        return _say(False, problem)
    return _say(True, f"Correct: forward matches {name}, backward matches autograd at "
                      "negative and positive inputs, and gradcheck passes.")


def _forgot_upstream(local):
    return (lambda x, g: local(x)), ("backward ignores grad_output: multiply the local "
                                     "slope by grad_output (the chain rule).")


@_never_raises
def check_leaky_relu_function(cls, negative_slope: float = 0.01) -> bool:
    """Check a ``torch.autograd.Function`` subclass whose ``apply(x)`` is LeakyReLU.

    Forward against ``F.leaky_relu(x, negative_slope)``, backward against its autograd
    gradient with a non-constant upstream gradient, then ``gradcheck`` in float64.
    """
    reference = functools.partial(F.leaky_relu, negative_slope=negative_slope)
    forward_hints = [(torch.relu(_inputs()), "forward returns ReLU(x): for x < 0, LeakyReLU "
                      f"returns negative_slope * x (negative_slope = {negative_slope}).")]
    backward_hints = [
        (lambda x, g: g * (x > 0), "backward passes no gradient at negative inputs (that is "
                                   "ReLU's backward): there the slope is negative_slope."),
        _forgot_upstream(lambda x: torch.where(x > 0, 1.0, negative_slope))]
    return _check_function_class(cls, "F.leaky_relu", reference, forward_hints, backward_hints)


def _silu_slope(x: torch.Tensor) -> torch.Tensor:
    s = torch.sigmoid(x)
    return s * (1 + x * (1 - s))


@_never_raises
def check_silu_function(cls) -> bool:
    """Check a ``torch.autograd.Function`` subclass whose ``apply(x)`` is SiLU, x * sigma(x).

    Forward against ``F.silu``, backward against its autograd gradient with a
    non-constant upstream gradient, then ``gradcheck`` in float64.
    """
    forward_hints = [(torch.sigmoid(_inputs()), "forward returns sigma(x); SiLU is x * sigma(x).")]
    backward_hints = [
        (lambda x, g: g * torch.sigmoid(x), "backward is grad_output * sigma(x): the product "
         "rule also gives x * sigma'(x), so the slope is sigma(x) (1 + x (1 - sigma(x)))."),
        (lambda x, g: g * torch.sigmoid(x) * (1 - torch.sigmoid(x)), "backward uses the "
         "sigmoid's slope; SiLU is x * sigma(x), differentiate the product."),
        _forgot_upstream(_silu_slope)]
    return _check_function_class(cls, "F.silu", F.silu, forward_hints, backward_hints)


# --- chapter 4: hinges ----------------------------------------------------------------

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
