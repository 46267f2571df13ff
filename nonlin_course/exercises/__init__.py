"""Checkers for the book's code exercises: each tests a learner's answer and says what is wrong.

A checker runs the answer on cases it builds itself, prints one short message (what is
wrong, at which input, expected vs got; or "Correct: ...") and returns True or False. It
never raises: ``None``, a wrong type or shape, an answer that raises (even SystemExit or
another BaseException; only KeyboardInterrupt gets through), NaNs and in-place changes of
the input each get their own message. Each run of the learner's code has a time limit
(``_common.TIME_LIMIT_S``), and a checker turns grad mode on for itself, so it works under
``torch.no_grad()`` or ``torch.inference_mode()`` too.

One module per chapter (``fold``, ``sigmoid``, ``autograd_functions``, ``hinges``, ``deep``);
what they share is in ``_common``.

>>> check_abs_hinges(lambda x: torch.relu(x) + torch.relu(-x))
Correct: your hinges give |x| on [-3, 3], with the kink at 0.
True

For graders (nbgrader's test cells, ``nbgrader validate``) every checker has a raising
form, ``raise_error=True``: a wrong answer raises ``AssertionError`` with the message
instead of printing it, so the grader shows the reason; a right one prints and returns True.

>>> check_abs_hinges(torch.relu, raise_error=True)  # doctest: +ELLIPSIS
Traceback (most recent call last):
    ...
AssertionError: Not yet: only the right half: relu(x) is 0 for x < 0; ...
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
