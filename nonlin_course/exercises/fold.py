"""Chapter 1's exercise: fold two stacked linear layers into one."""
import torch

from ._common import call_answer, case_generator, matches_wanted, never_raises, say, tensor_problem


def _fold_case(d: int, h: int, o: int, dtype):
    gen = case_generator()
    scale = float(0.5 + 2 * torch.rand(1, generator=gen))
    return [scale * torch.randn(*shape, generator=gen, dtype=dtype)
            for shape in [(h, d), (h,), (o, h), (o,)]]


def _sizes():
    """A square case (d = h = o) and a rectangular one (d, h, o all different), drawn afresh."""
    gen = case_generator()
    k = int(torch.randint(2, 6, (1,), generator=gen))
    d, h, o = (2 + torch.randperm(6, generator=gen)[:3]).tolist()
    return [(k, k, k, torch.float32), (d, h, o, torch.float64)]


@never_raises
def check_fold(fn) -> bool:
    """Check ``fn(W1, b1, W2, b2) -> (W, b)`` with W2 (W1 x + b1) + b2 == W x + b.

    Shapes: W1 (h, d), b1 (h,), W2 (o, h), b2 (o,); the answer W is (o, d), b is (o,).
    Tried on a square case (d = h = o, float32) and a rectangular one (d, h, o all
    different, float64), sizes and values drawn afresh for each check.
    """
    for d, h, o, dtype in _sizes():
        W1, b1, W2, b2 = _fold_case(d, h, o, dtype)
        problem = _case_problem(fn, W1, b1, W2, b2)
        if problem is not None:
            return say(False, _for_sizes(problem, W1, W2))
    return say(True, "Correct: your (W, b) is the two layers in one, for square and "
                      "rectangular weights.")


def _case_problem(fn, W1, b1, W2, b2) -> str | None:
    answer, problem = call_answer(fn, W1, b1, W2, b2, names=("W1", "b1", "W2", "b2"))
    if problem is None and not (isinstance(answer, (tuple, list)) and len(answer) == 2):
        problem = f"return the pair (W, b); got {type(answer).__name__}."
    if problem is not None:
        return problem + _order_hint(problem)
    return _fold_problem(answer, W1, b1, W2, b2)


def _for_sizes(problem: str, W1, W2) -> str:
    """Say which layer sizes the problem shows up for (square ones are tried first)."""
    if W1.shape[0] == W1.shape[1] == W2.shape[0]:
        return problem
    return (f"right for square layers, but with W1 of shape {tuple(W1.shape)} and W2 of "
            f"shape {tuple(W2.shape)}: {problem}")


def _order_hint(problem: str) -> str:
    if "shapes cannot be multiplied" not in problem and "size mismatch" not in problem:
        return ""
    return " W1 acts first, so it sits on the right of the product, W2 @ W1."


def _fold_problem(answer, W1, b1, W2, b2) -> str | None:
    W, b = answer
    o, d = W2.shape[0], W1.shape[1]
    if isinstance(W, torch.Tensor) and W.ndim == 1 and isinstance(b, torch.Tensor) and b.ndim == 2:
        return "the pair looks swapped: return (W, b), the matrix first."
    if isinstance(W, torch.Tensor) and tuple(W.shape) == (d, o) and d != o:
        return (f"W has shape {(d, o)}, the transpose of the expected {(o, d)}: "
                "the folded weight is W2 @ W1.")
    problem = tensor_problem("W", W, (o, d)) or tensor_problem("b", b, (o,))
    if problem is not None:
        return problem
    if not matches_wanted(W, W2 @ W1):
        if W1.shape[1] == W2.shape[0] and matches_wanted(W, W1 @ W2):
            return "W equals W1 @ W2: the product is in the wrong order (W1 acts first: W2 @ W1)."
        if matches_wanted(W, (W2 @ W1).T):
            return "W is the transpose of W2 @ W1: the folded weight is W2 @ W1, shape (o, d)."
        return "W is not W2 @ W1, the product of the two weight matrices (W1 acts first)."
    if matches_wanted(b, b2):
        return ("b equals b2: the first bias is forgotten. b1 passes through W2 too, "
                "so b = W2 @ b1 + b2.")
    if b1.shape == b2.shape and matches_wanted(b, b1 + b2):
        return "b equals b1 + b2: the first bias passes through W2 first, so b = W2 @ b1 + b2."
    if not matches_wanted(b, W2 @ b1 + b2):
        return "W is right but b is not W2 @ b1 + b2 (where does b1 go after the second layer?)."
    return None
