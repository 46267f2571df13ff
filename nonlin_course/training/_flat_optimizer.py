"""Adam, AdamW and SGD on the one flat tensor of a :class:`~nonlin_course.training._stacked.BatchedMLP`:
an update of all K models is a handful of element-wise operations."""
import torch

from ._flat_layout import norm_views, views
from ._stacked import BatchedMLP
from .adam import Adam

WEIGHT_DECAY = 0.01   # torch's default for AdamW


class FlatOptimizer:
    """Adam, AdamW or SGD (with momentum) on ``net.flat``, one learning rate per model,
    following torch.optim's update formulas (and defaults) step for step.

    Write the gradients into ``self.grad`` (a BatchedMLP of the same layout), then call
    the optimizer to take one step.
    """

    def __init__(self, net: BatchedMLP, name: str, lrs: torch.Tensor, momentum: float):
        self.name, self.momentum, self.t = name, momentum, 0
        self.p = net.flat
        self.grad = BatchedMLP(torch.zeros_like(net.flat), net.sizes, net.activations, net.norm)
        self.lr = _per_parameter(self.grad, lrs.to(net.flat.device))
        self.m = torch.zeros_like(self.p)      # SGD's momentum buffer
        self.adam = Adam(self.p, self.lr, WEIGHT_DECAY if name == "adamw" else 0.0)

    def __call__(self) -> None:
        g, self.t = self.grad.flat, self.t + 1
        if self.name == "sgd":
            if self.momentum:
                g = self.m.mul_(self.momentum).add_(g) if self.t > 1 else self.m.copy_(g)
            self.p.sub_(g * self.lr)
            return
        self.adam.step(g)


def _per_parameter(layout: BatchedMLP, values: torch.Tensor) -> torch.Tensor:
    """A flat tensor like ``layout.flat`` holding ``values[k]`` at every number of model k."""
    out = torch.empty_like(layout.flat)
    K = len(layout.activations)
    for W, b in zip(*views(out, layout.sizes, K, layout.norm)):
        W.copy_(values.view(-1, 1, 1).expand_as(W))
        b.copy_(values.view(-1, 1).expand_as(b))
    for part in sum(norm_views(out, layout.sizes, K, layout.norm), []):
        part.copy_(values.view(-1, 1).expand_as(part))
    return out
