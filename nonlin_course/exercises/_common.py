"""What every checker shares: running the learner's code safely, one-line messages, comparisons."""
import contextlib
import contextvars
import functools
import inspect
import sys
import threading

import torch

RTOL, ATOL = 1e-4, 1e-6
TIME_LIMIT_S = 5.0  # seconds each run of the learner's code may take (tests lower it)


# the verdicts of the checker running now, and whether it raises instead of printing a "Not yet"
_VERDICTS = contextvars.ContextVar("verdicts", default=None)


class BadArgument(ValueError):
    """A checker's own setting (not the learner's answer) is wrong: raised to the caller."""


class _TookTooLong(Exception):
    """Stands for the learner's code still running when the time limit ran out."""


def _say(ok: bool, message: str) -> bool:
    """Print the one-line verdict; if sys.stdout is closed or gone, fall back to the original.

    Under ``raise_error=True`` a "Not yet" is not printed: the checker raises it instead.
    """
    text = message if ok else f"Not yet: {message}"
    verdicts = _VERDICTS.get()
    if verdicts is not None:
        verdicts["messages"].append(text)
        if not ok and verdicts["raise"]:
            return ok
    for stream in (sys.stdout, sys.__stdout__):
        try:
            print(text, file=stream)
            break
        except Exception:  # closed, None, or replaced by something that cannot write
            continue
    return ok


def _never_raises(checker):
    """Make a checker safe: its own grad mode, and any surprise turned into a message.

    The checker needs autograd (reference gradients, the learner's backward), so it turns
    grad mode on whatever the learner's session set (no_grad, inference_mode,
    set_grad_enabled(False)). Only KeyboardInterrupt (the learner stops it) and
    :class:`BadArgument` (a wrong setting of the checker itself) get through.

    The wrapped checker takes one more keyword, ``raise_error`` (default False): with
    True, a wrong answer raises ``AssertionError`` whose text is the checker's message
    ("Not yet: ..."), for graders (nbgrader's test cells, ``nbgrader validate``); a right
    answer still prints its "Correct: ..." and returns True.
    """
    @functools.wraps(checker)
    def wrapped(*args, raise_error: bool = False, **kwargs):
        __tracebackhide__ = True  # noqa: F841  (IPython and pytest show the caller's line only)
        if not isinstance(raise_error, bool):
            raise TypeError(f"raise_error must be True or False, got {raise_error!r}")
        verdicts = {"messages": [], "raise": raise_error}
        token = _VERDICTS.set(verdicts)
        try:
            with torch.inference_mode(False), torch.enable_grad():
                ok = checker(*args, **kwargs)
        except (KeyboardInterrupt, BadArgument):
            raise
        except BaseException as error:  # the learner's code can fail in ways no guard foresaw
            ok = _say(False, f"the checker could not test your answer ({_describe(error)}).")
        finally:
            _VERDICTS.reset(token)
        if raise_error and not ok:
            raise AssertionError(verdicts["messages"][-1] if verdicts["messages"] else
                                 "Not yet: the checker found the answer wrong.")
        return ok

    signature = inspect.signature(checker)
    wrapped.__signature__ = signature.replace(parameters=[
        *signature.parameters.values(),
        inspect.Parameter("raise_error", inspect.Parameter.KEYWORD_ONLY, default=False,
                          annotation=bool)])
    return wrapped


def _describe(error: BaseException) -> str:
    try:
        text = str(error).strip().splitlines()[0] if str(error).strip() else ""
    except Exception:  # an exception whose __str__ fails still gets its name
        text = ""
    return f"{type(error).__name__}: {text[:160]}" if text else type(error).__name__


class _Unclosable:
    """Stands in for sys.stdout / sys.stderr while the learner's code runs: it forwards
    everything to the real stream except close(), so the checker can still print."""

    def __init__(self, stream):
        self._stream = stream

    def __getattr__(self, name):
        return getattr(self._stream, name)

    def close(self):
        pass


@contextlib.contextmanager
def _guarded_streams():
    """While the learner's code runs, sys.stdout and sys.stderr cannot be closed, and are
    put back afterwards if the code replaced them."""
    streams = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = _Unclosable(sys.stdout), _Unclosable(sys.stderr)
    try:
        yield
    finally:
        sys.stdout, sys.stderr = streams


def _run(task, context=None):
    """Run ``task()``, the learner's code, with a time limit; return (result, error), where
    error is None, what the code raised, or a _TookTooLong after TIME_LIMIT_S seconds.

    Why a thread (joined with a timeout) and not signal.alarm: a thread works everywhere
    (Windows, Jupyter, a checker called from any thread) and installs no signal handler.
    Its cost: a runaway answer cannot be stopped; it goes on in the background until the
    kernel restarts (a daemon thread, so it never blocks the exit).
    Torch's grad mode and function modes are per thread: the thread gets the caller's grad
    mode, and ``context`` (a context manager, e.g. a TorchFunctionMode) is entered in it.
    Every exception is returned, SystemExit included; a KeyboardInterrupt is re-raised.
    """
    outcome = {"error": _TookTooLong()}
    grad_enabled = torch.is_grad_enabled()

    def target():
        try:
            with torch.set_grad_enabled(grad_enabled), context or contextlib.nullcontext():
                outcome["result"] = task()
            outcome["error"] = None
        except BaseException as error:  # SystemExit, GeneratorExit, ...: all reported
            outcome["error"] = error

    # copy_context: the answer's own prints show in the calling cell (ipykernel keeps the
    # cell in a context variable, which a plain thread would not see)
    worker = threading.Thread(target=contextvars.copy_context().run, args=(target,),
                              name="learner-code", daemon=True)
    with _guarded_streams():
        worker.start()
        worker.join(TIME_LIMIT_S)
    error = outcome["error"]
    if isinstance(error, KeyboardInterrupt):
        raise error
    return outcome.get("result"), error


def _raised(error: BaseException) -> str:
    """What to tell the learner about an error their code raised (or a timeout)."""
    if isinstance(error, _TookTooLong):
        return (f"your code took longer than {TIME_LIMIT_S:g} s (an endless loop? a sleep?); "
                "it may still be running in the background: restart the kernel if it slows.")
    if isinstance(error, NotImplementedError):
        return ("your code still raises NotImplementedError: "
                "replace that line with your answer.")
    if isinstance(error, SystemExit):
        return (f"your code called sys.exit() or exit() ({_describe(error)}): "
                "a function should return its result.")
    return f"your code raised {_describe(error)}."


def _call(fn, *args, names=("x",), context=None):
    """Run the learner's ``fn(*args)`` on copies; return (result, problem message or None)."""
    if not callable(fn):
        return None, f"expected a function, got {type(fn).__name__}."
    copies = [a.clone() if isinstance(a, torch.Tensor) else a for a in args]
    result, error = _run(lambda: fn(*copies), context)
    if error is not None:
        return None, _raised(error)
    for i, (arg, copy) in enumerate(zip(args, copies)):
        if isinstance(arg, torch.Tensor) and not torch.equal(arg, copy):
            return None, (f"your code changed its input {names[i]} in place "
                          "(an operation ending in _, or +=, *=, x[...] = ...); "
                          "compute a new tensor instead.")
    return result, None


def _first_problem(fn, cases, names, problem_with):
    """Call the learner's ``fn(*case)`` for each case in turn; the first (case, message)
    where the call fails or ``problem_with(result, *case)`` names a problem, else None."""
    for case in cases:
        got, problem = _call(fn, *case, names=names)
        if problem is None:
            problem = problem_with(got, *case)
        if problem is not None:
            return case, problem
    return None


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


def _matches(got: torch.Tensor, want: torch.Tensor) -> bool:
    """Same shape and close values (a different shape is simply no match)."""
    return got.shape == want.shape and bool(_close(got, want).all())


def _hint(got, hints) -> str | None:
    """The message of the first (candidate, message) pair whose candidate equals ``got``."""
    for candidate, message in hints:
        if _matches(got, candidate):
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
