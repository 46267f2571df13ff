"""What every checker shares: calling the answer safely, one-line messages, comparisons."""
import functools

import torch

RTOL, ATOL = 1e-4, 1e-6


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
        return None, ("your code still raises NotImplementedError: "
                      "replace that line with your answer.")
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
