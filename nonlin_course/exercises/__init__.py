"""Checkers for the book's code exercises: each tests a learner's answer and says what is wrong.

A checker runs the answer on cases it draws afresh for each check, prints one short
message (what is wrong, at which input, expected vs got; or "Correct: ...") and returns
True or False. It never raises: ``None``, a wrong type or shape, an answer that raises
(SystemExit, KeyboardInterrupt and any other BaseException included) or ends its process,
NaNs and in-place changes of the input each get their own message. The learner's code
runs in a child process (``_sandbox``) with a time limit (``_common.TIME_LIMIT_S``); its
prints and warnings come after the verdict as notes; the package's functions that would
answer the exercise refuse while it runs (``_shortcuts``); and a checker turns grad mode
on for itself, so it works under ``torch.no_grad()`` or ``torch.inference_mode()`` too.

One module per chapter (``fold``, ``sigmoid``, ``autograd_functions``, ``hinges``, ``deep``);
what they share is in ``_common``.

>>> check_abs_hinges(lambda x: torch.relu(x) + torch.relu(-x))
Correct: your hinges give |x| on [-3, 3], with the kink at 0.
True

For graders (nbgrader's test cells, ``nbgrader validate``) every checker has a raising
form, ``raise_error=True``: a wrong answer raises ``CheckFailed`` (an AssertionError) with
the message instead of printing it, which a notebook shows without a traceback, so the
grader shows the reason; a right one prints and returns True. (The assignments' test cells
call them through ``grader.grade``, loaded afresh.)

>>> check_abs_hinges(torch.relu, raise_error=True)  # doctest: +ELLIPSIS
Traceback (most recent call last):
    ...
nonlin_course.exercises._common.CheckFailed: Not yet: only the right half: relu(x) is 0 ...
"""
import torch  # noqa: F401  (the doctest above uses it)

from .autograd_functions import check_leaky_relu_function, check_silu_function
from .deep import check_kaiming_std, check_saturated_fraction, check_sawtooth
from .fold import check_fold
from .hinges import check_abs_hinges, check_interpolant_weights
from .sigmoid import check_sigmoid_derivative

__all__ = [
           "check_abs_hinges",
           "check_fold",
           "check_interpolant_weights",
           "check_kaiming_std",
           "check_leaky_relu_function",
           "check_saturated_fraction",
           "check_sawtooth",
           "check_sigmoid_derivative",
           "check_silu_function",
]
