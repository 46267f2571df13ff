"""Chapter 3's exercises: activations written as torch.autograd.Function."""
import functools
import inspect
import math

import torch
import torch.nn.functional as F

from ._common import (
    BadArgument,
    call_answer,
    describe,
    case_generator,
    hint_for,
    matches_wanted,
    memo,
    never_raises,
    raised_message,
    run_learner,
    say,
    tensor_problem,
    TookTooLong,
    where_wrong,
)
from ._sandbox import Ended
from ._shortcuts import is_refusal


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
    """60 points of [-3, 3] drawn afresh for each check (the same ones throughout it), none
    within 0.05 of the kink 0 (where the slope is a convention)."""
    def draw():
        size = 0.05 + 2.95 * torch.rand(30, generator=case_generator())
        return torch.cat([-size, size]).sort().values
    return memo("inputs", draw).clone()


def _forward_problem(cls, reference, hints) -> str | None:
    x = _inputs()
    for shape in [x.shape, (2, 30)]:
        got, problem = call_answer(cls.apply, x.reshape(shape))
        problem = problem or tensor_problem("forward's output", got, shape)
        if problem is not None:
            return f"{problem[:-1]} (input of shape {tuple(shape)})."
    got, want = got.reshape(x.shape), reference(x)
    if matches_wanted(got, want):  # before the hints: one may be right for some negative_slope
        return None
    return hint_for(got, hints) or where_wrong("forward", got, want, x)


def _backward_problem(cls, reference, hints) -> str | None:
    x = _inputs().requires_grad_(True)
    upstream = torch.linspace(0.5, 2.0, x.numel())  # not ones: backward must use grad_output

    def task():
        cls.apply(x).backward(upstream)
        return x.grad

    grad, error = run_learner(task)
    if error is not None:
        return f"backward failed: {raised_message(error)}"
    if grad is None:
        return "backward returned None: it must return grad_output times the local slope."
    want = _reference_grad(reference, x, upstream)
    problem = tensor_problem("the gradient", grad, x.shape)
    if problem is not None or matches_wanted(grad, want):
        return problem
    return hint_for(grad, [(c(x.detach(), upstream), m) for c, m in hints]) \
        or where_wrong("the gradient", grad, want, x)


def _gradcheck_problem(cls) -> str | None:
    x = torch.cat([torch.linspace(-2, -0.1, 6), torch.linspace(0.1, 2, 6)]).double()
    _, error = run_learner(lambda: torch.autograd.gradcheck(cls.apply, (x.requires_grad_(True),)))
    if error is None:
        return None
    if isinstance(error, (TookTooLong, Ended)) or getattr(error, "kind", "") != "error" \
            or is_refusal(getattr(error, "text", "")):
        return f"during gradcheck, {raised_message(error)}"
    hint = " Create new tensors with x's dtype (torch.zeros_like(x))." \
        if "dtype" in getattr(error, "text", str(error)) else ""
    return f"torch.autograd.gradcheck fails in float64: {describe(error)}.{hint}"


def _check_function_class(cls, name, reference, forward_hints, backward_hints) -> bool:
    problem = _function_class_problem(cls) or _forward_problem(cls, reference, forward_hints) \
        or _backward_problem(cls, reference, backward_hints) or _gradcheck_problem(cls)
    if problem is not None:
        return say(False, problem)
    return say(True, f"Correct: forward matches {name}, backward matches autograd at "
                      "negative and positive inputs, and gradcheck passes.")


def _forgot_upstream(local):
    return (lambda x, g: local(x)), ("backward ignores grad_output: multiply the local "
                                     "slope by grad_output (the chain rule).")


@never_raises
def check_leaky_relu_function(cls, negative_slope: float = 0.01) -> bool:
    """Check a ``torch.autograd.Function`` subclass whose ``apply(x)`` is LeakyReLU.

    Forward against ``F.leaky_relu(x, negative_slope)``, backward against its autograd
    gradient with a non-constant upstream gradient, then ``gradcheck`` in float64.
    ``negative_slope`` is a finite number.
    """
    if isinstance(negative_slope, bool) or not isinstance(negative_slope, (int, float)) \
            or not math.isfinite(negative_slope):
        raise BadArgument(f"negative_slope must be a finite number, got {negative_slope!r}")
    reference = functools.partial(F.leaky_relu, negative_slope=negative_slope)
    forward_hints = [(torch.relu(_inputs()), "forward returns ReLU(x), a negative slope of 0: "
                      f"LeakyReLU's slope for x < 0 must be {negative_slope:g}, so it "
                      f"returns {negative_slope:g} * x there.")]
    backward_hints = [
        (lambda x, g: g * (x > 0), "backward passes no gradient at negative inputs (slope 0, "
                                   f"ReLU's backward): for x < 0 the slope must be "
                                   f"{negative_slope:g}, the gradient {negative_slope:g} * "
                                   "grad_output."),
        _forgot_upstream(lambda x: torch.where(x > 0, 1.0, negative_slope))]
    return _check_function_class(cls, "F.leaky_relu", reference, forward_hints, backward_hints)


def _silu_slope(x: torch.Tensor) -> torch.Tensor:
    s = torch.sigmoid(x)
    return s * (1 + x * (1 - s))


@never_raises
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
