"""Chapter 2's exercise: the sigmoid's derivative."""
import torch

from ._common import (
    call_answer,
    close_to,
    case_generator,
    hint_for,
    never_raises,
    say,
    tensor_problem,
    where_wrong,
)


def _sigmoid_slope(x: torch.Tensor) -> torch.Tensor:
    """Reference: the derivative of torch.sigmoid, from autograd."""
    x = x.detach().clone().requires_grad_(True)
    torch.sigmoid(x).sum().backward()
    return x.grad


@never_raises
def check_sigmoid_derivative(fn) -> bool:
    """Check ``fn(x) -> sigma'(x)`` elementwise for a tensor x of any shape.

    Compared with autograd of ``torch.sigmoid`` on points of [-6, 6] (0 among them),
    on a tensor of 2 or 3 dimensions, and at large |x| (up to 1000), where a formula
    with exp() overflows; points, shapes and dtypes (float32, float64) drawn afresh.
    """
    gen = case_generator()
    x = torch.cat([torch.zeros(1), 12 * torch.rand(int(torch.randint(20, 60, (1,),
                   generator=gen)), generator=gen) - 6]).sort().values
    x = x.to((torch.float32, torch.float64)[int(torch.randint(2, (1,), generator=gen))])
    got, problem = call_answer(fn, x)
    problem = problem or tensor_problem("your result", got, x.shape)
    if problem is not None:
        return say(False, problem)
    hint = hint_for(got, [(torch.sigmoid(x), "you return sigma(x) itself; its derivative is "
                        "sigma(x) * (1 - sigma(x)).")])
    if hint is not None:
        return say(False, hint)
    at_zero = float(got[x == 0][0])
    if abs(at_zero - 0.25) > 1e-4:
        return say(False, f"at x = 0 you give {at_zero:.4g}, but sigma'(0) = 1/4, the "
                           "sigmoid's largest slope (sigma(0) = 1/2, times 1 - 1/2).")
    wrong = where_wrong("the derivative", got, _sigmoid_slope(x), x)
    if wrong is not None:
        return say(False, wrong)
    return _check_sigmoid_extremes(fn)


def _check_sigmoid_extremes(fn) -> bool:
    gen = case_generator()
    shape = tuple(torch.randint(2, 6, (int(torch.randint(2, 4, (1,), generator=gen)),),
                                generator=gen).tolist())
    cube = 3 * torch.randn(shape, generator=gen, dtype=torch.float64)
    got, problem = call_answer(fn, cube)
    problem = problem or tensor_problem(f"for a {shape} input, your result", got, cube.shape)
    if problem is None and not close_to(got, _sigmoid_slope(cube)).all():
        problem = f"for a {shape} input the values are wrong: work elementwise, keep the shape."
    if problem is not None:
        return say(False, problem)
    x = torch.tensor([-1000.0, -100.0, -30.0, 30.0, 100.0, 1000.0])
    got, problem = call_answer(fn, x)
    if problem is None and isinstance(got, torch.Tensor) and got.shape == x.shape \
            and not torch.isfinite(got).all():
        bad = float(x[~torch.isfinite(got)][0])
        problem = (f"at x = {bad:g} you give {float(got[x == bad][0])}, expected 0: exp() "
                   "overflows to inf for large |x|. Write it with torch.sigmoid, which "
                   "never overflows: s = torch.sigmoid(x); s * (1 - s).")
    problem = problem or tensor_problem("your result", got, x.shape) \
        or where_wrong("the derivative at large |x|", got, _sigmoid_slope(x), x)
    if problem is not None:
        return say(False, problem)
    return say(True, "Correct: matches autograd, peaks at 1/4 at x = 0, works for any "
                      "shape, and stays finite at |x| = 1000.")
