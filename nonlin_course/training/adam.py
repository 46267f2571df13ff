"""Adam on one tensor, written out: torch.optim.Adam's update (and AdamW's decoupled weight
decay), with a learning rate that may differ from number to number.

The package's two hand-written trainers use it: the batched trainer on the flat tensor of
K stacked MLPs (``_flat_optimizer``), and chapter 4's sweep of ReLU fits on the K nets'
parameters (:func:`nonlin_course.fit_relu_nets`). One rate per model is what torch's own
optimizers cannot do without K optimizer objects. The tests compare it with
``torch.optim.Adam`` and ``torch.optim.AdamW`` step for step.
"""
import math

import torch

BETAS, EPS = (0.9, 0.999), 1e-8     # torch's defaults


class Adam:
    """Adam steps on ``params`` (a tensor, updated in place) with rate ``lr``: a number or
    a tensor that broadcasts against ``params`` (for example one rate per row, shape (K, 1)).
    ``weight_decay`` > 0 makes it AdamW (the decay is decoupled, as torch's AdamW).

    >>> p = torch.tensor([1.0, -2.0])
    >>> adam = Adam(p, lr=0.1)
    >>> adam.step(torch.tensor([0.5, -3.0]))      # the first step moves each by lr
    >>> p
    tensor([ 0.9000, -1.9000])
    """

    def __init__(self, params: torch.Tensor, lr, weight_decay: float = 0.0,
                 betas: tuple[float, float] = BETAS, eps: float = EPS):
        if not isinstance(params, torch.Tensor) or not params.is_floating_point():
            raise TypeError(f"params must be a floating-point torch.Tensor, got "
                            f"{type(params).__name__}")
        self.params, self.weight_decay, self.betas, self.eps, self.t = (
            params, weight_decay, betas, eps, 0)
        self.lr = torch.as_tensor(lr, dtype=params.dtype, device=params.device)
        self.m, self.v = torch.zeros_like(params), torch.zeros_like(params)

    @torch.no_grad()
    def step(self, grad: torch.Tensor) -> None:
        """One step along ``grad`` (the shape of ``params``)."""
        self.t += 1
        b1, b2 = self.betas
        if self.weight_decay:
            self.params.mul_(1 - self.lr * self.weight_decay)
        self.m.lerp_(grad, 1 - b1)
        self.v.mul_(b2).addcmul_(grad, grad, value=1 - b2)
        denom = (self.v.sqrt() / math.sqrt(1 - b2 ** self.t)).add_(self.eps)
        self.params.addcmul_(self.m / denom, self.lr, value=-1 / (1 - b1 ** self.t))
