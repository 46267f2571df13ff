"""Running the learner's code for a checker: in a forked child process, with a time limit.

Why a child process: whatever the learner's code does there (``os._exit``, ``sys.exit``,
``KeyboardInterrupt``, an endless loop, closing ``sys.stdout``, a warning, printing to
stderr) stays there. The child's prints and warnings are collected and come back as a
note, the child is killed when the time limit runs out, and the kernel (or nbgrader's
run of a submission) carries on. Only the value returned comes back, as a pickled copy
(tensors detached, moved to the CPU).

Where ``os.fork`` is missing (Windows) the code runs in a thread instead, as before: the
same messages, except that a runaway thread cannot be stopped.
"""
import contextlib
import contextvars
import io
import os
import pickle
import select
import signal
import sys
import threading
import time
import warnings

import numpy as np
import torch


class TookTooLong(Exception):
    """Stands for the learner's code still running when the time limit ran out."""


class Failed(Exception):
    """What the learner's code raised, as it comes back from the child process.

    ``kind`` is "exit" (SystemExit), "interrupt" (KeyboardInterrupt), "not-implemented"
    (NotImplementedError), "base" (another BaseException) or "error"; ``name`` and
    ``text`` are the exception's class name and first line.
    """

    def __init__(self, kind: str, name: str, text: str):
        super().__init__(text)
        self.kind, self.name, self.text = kind, name, text

    def __reduce__(self):
        return Failed, (self.kind, self.name, self.text)


class Ended(Exception):
    """The child process ended without a result: ``os._exit`` or a crash (``code``)."""

    def __init__(self, code: int | None):
        super().__init__(f"the process ended (exit status {code})")
        self.code = code

    def __reduce__(self):
        return Ended, (self.code,)


class Opaque:
    """Stands for a returned value that cannot be copied back (a generator, a lambda):
    an instance of a class named as the value's type, so messages can name it."""

    def __repr__(self) -> str:
        return f"<{type(self).__name__}>"

    def __reduce__(self):
        return opaque, (type(self).__name__,)


def opaque(name: str) -> Opaque:
    """A stand-in for a value of the type called ``name``."""
    return type(name, (Opaque,), {})()


def _kind(error: BaseException) -> str:
    for kind, cls in [("exit", SystemExit), ("interrupt", KeyboardInterrupt),
                      ("not-implemented", NotImplementedError), ("error", Exception)]:
        if isinstance(error, cls):
            return kind
    return "base"


def first_line(error: BaseException) -> str:
    try:
        text = str(error).strip()
        return text.splitlines()[0][:160] if text else ""
    except Exception:  # an exception whose __str__ fails still gets its name
        return ""


def as_failed(error: BaseException) -> BaseException:
    """``error`` as a :class:`Failed` (our own stand-ins pass through)."""
    if isinstance(error, (Failed, TookTooLong, Ended)):
        return error
    return Failed(_kind(error), type(error).__name__, first_line(error))


PLAIN = (int, float, complex, bool, str, bytes, type(None))


def portable(value, depth: int = 0):
    """``value`` ready to come back from the child: tensors detached, plain tensors on the
    CPU; numbers, strings, numpy arrays and tuples or lists of them as they are. Anything
    else (a generator, a lambda, an object of the learner's own class) becomes an
    :class:`Opaque` named after its type, so no code of the learner's runs in the checker."""
    if isinstance(value, torch.Tensor):
        return value.detach().as_subclass(torch.Tensor).cpu().clone()
    if type(value) in PLAIN:
        return value
    if type(value) in (tuple, list) and depth < 4:
        return type(value)(portable(v, depth + 1) for v in value)
    if isinstance(value, (np.ndarray, np.generic)) and value.dtype != object:
        return np.array(value) if isinstance(value, np.ndarray) else value
    return opaque(type(value).__name__)


class _Unclosable(io.StringIO):
    """Collects what the learner's code prints; closing it (as careless code may) does nothing."""

    def close(self):
        pass


class Captured:
    """The learner's prints and warnings while their code ran (text, at most 2000 chars)."""

    def __init__(self):
        self.out, self.warned = _Unclosable(), []

    @contextlib.contextmanager
    def streams(self):
        saved = sys.stdout, sys.stderr
        sys.stdout = sys.stderr = self.out
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                yield
            finally:
                sys.stdout, sys.stderr = saved
                self.warned += [f"{w.category.__name__}: {w.message}" for w in caught]

    def text(self) -> str:
        return self.out.getvalue()[:2000]


def _child(task, context, write_end: int) -> None:
    """In the child: run the task, send (result, error, printed, warnings, probe), exit."""
    outcome = {"error": None}
    captured = Captured()
    try:
        with captured.streams(), context or contextlib.nullcontext():
            outcome["result"] = task()
    except BaseException as error:  # SystemExit, KeyboardInterrupt, ...: all reported
        outcome["error"] = as_failed(error)
    try:
        try:
            outcome["result"] = portable(outcome.get("result"))
        except BaseException:  # a tensor subclass whose detach fails, say
            outcome["result"] = opaque("object")
        outcome.update(printed=captured.text(), warned=captured.warned[:5],
                       probe=getattr(context, "snapshot", lambda: None)())
        try:
            data = pickle.dumps(outcome)
        except BaseException:  # an exception or a value pickle cannot take after all
            outcome.update(result=opaque("object"), error=as_failed(outcome["error"])
                           if outcome["error"] is None else Failed("error", "Exception", ""))
            data = pickle.dumps(outcome)
        with os.fdopen(write_end, "wb") as pipe:
            pipe.write(data)
    finally:
        os._exit(0)


def _read(pid: int, read_end: int, limit: float) -> dict:
    """The child's outcome; on a timeout the child is killed (not left running)."""
    chunks, deadline = [], time.monotonic() + limit
    try:
        with os.fdopen(read_end, "rb") as pipe:
            while True:
                left = deadline - time.monotonic()
                if left <= 0 or not select.select([pipe], [], [], left)[0]:
                    raise TookTooLong()
                chunk = os.read(pipe.fileno(), 1 << 20)
                if not chunk:
                    break
                chunks.append(chunk)
    except BaseException as error:  # the time limit, or the learner pressing stop
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        if isinstance(error, TookTooLong):
            return {"error": error}
        raise
    _, status = os.waitpid(pid, 0)
    if not chunks:
        return {"error": Ended(os.waitstatus_to_exitcode(status))}
    return pickle.loads(b"".join(chunks))


def run_forked(task, context, limit: float) -> dict:
    read_end, write_end = os.pipe()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # 3.12: fork with threads
        pid = os.fork()
    if pid == 0:
        os.close(read_end)
        _child(task, context, write_end)
    os.close(write_end)
    return _read(pid, read_end, limit)


def run_threaded(task, context, limit: float) -> dict:
    """The fallback without fork: a daemon thread, joined with a timeout."""
    outcome = {"error": TookTooLong()}
    grad_enabled = torch.is_grad_enabled()
    captured = Captured()

    def target():
        try:
            with torch.set_grad_enabled(grad_enabled), context or contextlib.nullcontext():
                outcome["result"] = task()
            outcome["error"] = None
        except BaseException as error:
            outcome["error"] = as_failed(error)

    worker = threading.Thread(target=contextvars.copy_context().run, args=(target,),
                              name="learner-code", daemon=True)
    with captured.streams():
        worker.start()
        worker.join(limit)
    outcome.update(printed=captured.text(), warned=captured.warned[:5])
    return outcome


FORK = hasattr(os, "fork")


def run(task, context=None, limit: float = 5.0) -> dict:
    """Run ``task()``, the learner's code; return a dict with "result", "error" (None, a
    :class:`Failed`, :class:`TookTooLong` or :class:`Ended`), "printed", "warned"."""
    outcome = (run_forked if FORK else run_threaded)(task, context, limit)
    if outcome.get("probe") is not None and context is not None:
        context.restore(outcome["probe"])
    return outcome
