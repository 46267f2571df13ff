"""What every checker shares: running the learner's code safely, one-line messages, comparisons."""
import contextvars
import functools
import inspect
import math
import numbers
import secrets
import sys
import textwrap

import torch

from . import _sandbox, _shortcuts

RTOL, ATOL = 1e-4, 1e-6
TIME_LIMIT_S = 5.0  # seconds each run of the learner's code may take (tests lower it)
SEED = None         # None: each check draws its cases from a fresh seed (tests fix it)
WIDTH = 78          # a verdict's lines, short enough for `nbgrader validate` (90 columns)

# the verdicts of the checker running now, its notes, its random generator, and whether it
# raises instead of printing a "Not yet"
_VERDICTS = contextvars.ContextVar("verdicts", default=None)


class BadArgument(ValueError):
    """A checker's own setting (not the learner's answer) is wrong: raised to the caller."""


class CheckFailed(AssertionError):
    """A wrong answer, in the graders' form: the text is the verdict ("Not yet: ...").

    A notebook (IPython, so nbgrader too) shows it as the verdict's lines and the notes,
    wrapped to ``WIDTH`` columns, without a traceback (``_render_traceback_``).
    """

    def __init__(self, message: str, notes=()):
        super().__init__(message)
        self.notes = list(notes)

    def _render_traceback_(self) -> list[str]:
        return [line for text in [str(self), *self.notes] for line in wrap(text)]


def wrap(text: str) -> list[str]:
    """``text`` in lines of at most ``WIDTH`` columns (its own line breaks kept)."""
    return [line for part in text.split("\n")
            for line in (textwrap.wrap(part, WIDTH, break_long_words=False,
                                       break_on_hyphens=False) or [""])]


def _print(text: str) -> None:
    """Print; if sys.stdout is closed or gone, fall back to the original."""
    for stream in (sys.stdout, sys.__stdout__):
        try:
            print(text, file=stream)
            return
        except Exception:  # closed, None, or replaced by something that cannot write
            continue


STARTER = "your code still raises NotImplementedError: replace that line with your answer."


def say(ok: bool, message: str) -> bool:
    """Print the one-line verdict (under ``raise_error=True`` a "Not yet" is raised instead).

    An untouched starter gets the same words whichever case it met (the cases are drawn
    afresh, and the book shows this message under each exercise)."""
    if not ok and STARTER[:-1] in message:
        message = STARTER
    text = message if ok else f"Not yet: {message}"
    verdicts = _VERDICTS.get()
    if verdicts is not None:
        verdicts["messages"].append(text)
        if not ok and verdicts["raise"]:
            return ok
    _print(text)
    return ok


def _note(text: str) -> None:
    """A note shown after the verdict (the learner's prints and warnings), once each."""
    verdicts = _VERDICTS.get()
    if verdicts is None:
        _print(text)
    elif text not in verdicts["notes"]:
        verdicts["notes"].append(text)


def case_generator() -> torch.Generator:
    """The running check's random generator (seeded afresh per check, see ``SEED``)."""
    verdicts = _VERDICTS.get()
    return verdicts["generator"] if verdicts is not None else torch.Generator().manual_seed(0)


def memo(key: str, make):
    """``make()``, computed once per check (the same random inputs throughout it)."""
    verdicts = _VERDICTS.get()
    if verdicts is None:
        return make()
    if key not in verdicts:
        verdicts[key] = make()
    return verdicts[key]


def never_raises(checker):
    """Make a checker safe: its own grad mode, the package's shortcuts switched off while it
    runs, fresh random cases, and any surprise turned into a message.

    The checker needs autograd (reference gradients, the learner's backward), so it turns
    grad mode on whatever the learner's session set. Only KeyboardInterrupt of the checker
    itself (the learner stops it) and :class:`BadArgument` get through.

    The wrapped checker takes one more keyword, ``raise_error`` (default False): with True,
    a wrong answer raises :class:`CheckFailed` (an AssertionError) whose text is the
    verdict, for graders; a right answer still prints its "Correct: ..." and returns True.
    """
    @functools.wraps(checker)
    def wrapped(*args, raise_error: bool = False, **kwargs):
        __tracebackhide__ = True
        if not isinstance(raise_error, bool):
            raise TypeError(f"raise_error must be True or False, got {raise_error!r}")
        seed = SEED if SEED is not None else secrets.randbelow(2 ** 31)
        verdicts = {"messages": [], "raise": raise_error, "notes": [],
                    "generator": torch.Generator().manual_seed(seed)}
        token = _VERDICTS.set(verdicts)
        try:
            with torch.inference_mode(False), torch.enable_grad(), \
                    _shortcuts.refused(checker.__name__):
                ok = checker(*args, **kwargs)
        except (KeyboardInterrupt, BadArgument):
            raise
        except BaseException as error:  # the learner's code can fail in ways no guard foresaw
            ok = say(False, f"the checker could not test your answer ({describe(error)}).")
        finally:
            _VERDICTS.reset(token)
        if raise_error and not ok:
            raise CheckFailed(verdicts["messages"][-1] if verdicts["messages"] else
                              "Not yet: the checker found the answer wrong.", verdicts["notes"])
        for note in verdicts["notes"]:
            _print(note)
        return ok is True

    signature = inspect.signature(checker)
    wrapped.__signature__ = signature.replace(parameters=[
        *signature.parameters.values(),
        inspect.Parameter("raise_error", inspect.Parameter.KEYWORD_ONLY, default=False,
                          annotation=bool)])
    return wrapped


def describe(error: BaseException) -> str:
    if isinstance(error, _sandbox.Failed):
        name, text = error.name, error.text
    else:
        name, text = type(error).__name__, _sandbox.first_line(error)
    return f"{name}: {text}" if text else name


TookTooLong = _sandbox.TookTooLong


def run_learner(task, context=None):
    """Run ``task()``, the learner's code, in a child process with a time limit (see
    ``_sandbox``); return (result, error). The learner's prints and warnings become notes.
    ``context`` (e.g. a TorchFunctionMode) is entered around the task."""
    outcome = _sandbox.run(task, context, TIME_LIMIT_S)
    printed = outcome.get("printed", "").strip()
    if printed:
        more = "..." if len(printed) > 300 else ""
        _note(f"Note: your code printed: {printed[:300]}{more}")
    for warning in outcome.get("warned", []):
        _note(f"Note: your code warned ({warning[:200]}); not counted against you.")
    return outcome.get("result"), outcome["error"]


def raised_message(error: BaseException) -> str:
    """What to tell the learner about an error their code raised (or a timeout)."""
    if isinstance(error, _sandbox.TookTooLong):
        return (f"your code took longer than {TIME_LIMIT_S:g} s (an endless loop? a sleep?) "
                "and was stopped.")
    if isinstance(error, _sandbox.Ended):
        return (f"your code ended its process (os._exit()? exit status {error.code}): "
                "a function should return its result.")
    kind = getattr(error, "kind", "error")
    if _shortcuts.is_refusal(getattr(error, "text", "")):
        name = error.text.split("package's ")[-1].split("(")[0]
        return (f"{_shortcuts.MARK}: your code calls the package's {name}(), which is "
                "switched off while the checker runs.")
    if kind == "not-implemented" or isinstance(error, NotImplementedError):
        return STARTER
    if kind == "exit" or isinstance(error, SystemExit):
        return (f"your code called sys.exit() or exit() ({describe(error)}): "
                "a function should return its result.")
    if kind == "interrupt":
        return "your code raised KeyboardInterrupt: a function should return its result."
    return f"your code raised {describe(error)}."


def call_answer(fn, *args, names=("x",), context=None):
    """Run the learner's ``fn(*args)`` on copies; return (result, problem message or None)."""
    if not callable(fn):
        return None, f"expected a function, got {type(fn).__name__}."

    def task():
        copies = [a.clone() if isinstance(a, torch.Tensor) else a for a in args]
        return fn(*copies), copies

    result, error = run_learner(task, context)
    if error is not None:
        return None, raised_message(error)
    got, copies = result
    for i, (arg, copy) in enumerate(zip(args, copies)):
        if isinstance(arg, torch.Tensor) and not torch.equal(arg, copy):
            return None, (f"your code changed its input {names[i]} in place "
                          "(an operation ending in _, or +=, *=, x[...] = ...); "
                          "compute a new tensor instead.")
    return got, None


def first_problem(fn, cases, names, problem_with):
    """Call the learner's ``fn(*case)`` for each case in turn; the first (case, message)
    where the call fails or ``problem_with(result, *case)`` names a problem, else None."""
    for case in cases:
        got, problem = call_answer(fn, *case, names=names)
        if problem is None:
            problem = problem_with(got, *case)
        if problem is not None:
            return case, problem
    return None


def as_number(name: str, value) -> tuple[float | None, str | None]:
    """``value`` as a float if it is one real number (a float, an int, a numpy number or a
    one-element floating tensor); else (None, what is wrong). A string is not a number."""
    if value is None:
        return None, f"{name} is None: did you forget a `return`?"
    if isinstance(value, torch.Tensor):
        if value.numel() != 1:
            return None, (f"{name} should be one number, got a tensor of shape "
                          f"{tuple(value.shape)}.")
        if value.is_complex() or value.dtype == torch.bool:
            return None, f"{name} should be a real number, got a tensor of {value.dtype}."
        value = value.item()
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        return None, f"{name} should be a number (a float), got {type(value).__name__}."
    value = float(value)
    if not math.isfinite(value):
        return None, f"{name} is {value}: expected a finite number."
    return value, None


def near_enough(a: float, b: float, rel: float = 1e-4, abs_tol: float = 0.0) -> bool:
    """|a - b| within a relative or absolute tolerance (plain arithmetic: nothing to patch)."""
    return abs(a - b) <= max(rel * max(abs(a), abs(b)), abs_tol)


def tensor_problem(name: str, value, shape: tuple) -> str | None:
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


def values_of(t: torch.Tensor) -> torch.Tensor:
    return t.detach().cpu().to(torch.float64)


def close_to(got: torch.Tensor, want: torch.Tensor, atol: float = ATOL) -> torch.Tensor:
    return torch.isclose(values_of(got), values_of(want), rtol=RTOL, atol=atol)


def matches_wanted(got: torch.Tensor, want: torch.Tensor, atol: float = ATOL) -> bool:
    """Same shape and close values (a different shape is simply no match)."""
    return got.shape == want.shape and bool(close_to(got, want, atol).all())


def hint_for(got, hints, atol: float = ATOL) -> str | None:
    """The message of the first (candidate, message) pair whose candidate equals ``got``."""
    for candidate, message in hints:
        if matches_wanted(got, candidate, atol):
            return message
    return None


def where_wrong(what: str, got, want, x, sides: bool = True, atol: float = ATOL) -> str | None:
    """Say where ``got`` differs from ``want`` (worst point), and whether only on one side of 0."""
    wrong = ~close_to(got, want, atol)
    if not wrong.any():
        return None
    x, got, want = values_of(x).flatten(), values_of(got).flatten(), values_of(want).flatten()
    wrong = wrong.flatten()
    worst = int(torch.argmax((got - want).abs() * wrong))
    side = ""
    if sides and (x[wrong] < 0).all():
        side = " only at negative inputs"
    elif sides and (x[wrong] > 0).all():
        side = " only at positive inputs"
    return (f"{what} is wrong{side}: at x = {x[worst]:.4g} you give {got[worst]:.6g}, "
            f"expected {want[worst]:.6g}.")


def grid_of(low: float, high: float, n: int, dtype=torch.float32) -> torch.Tensor:
    return torch.linspace(low, high, n, dtype=dtype)
