"""Adam, AdamW and SGD on the one flat tensor of a :class:`~nonlin_course.training._stacked.BatchedMLP`:
an update of all K models is a handful of element-wise operations."""
import math

import torch

from ._flat_layout import norm_views, views
from ._stacked import BatchedMLP

BETAS, EPS, WEIGHT_DECAY = (0.9, 0.999), 1e-8, 0.01   # torch's defaults for Adam and AdamW


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
        self.m, self.v = torch.zeros_like(self.p), torch.zeros_like(self.p)

    def __call__(self) -> None:
        g, self.t = self.grad.flat, self.t + 1
        if self.name == "sgd":
            if self.momentum:
                g = self.m.mul_(self.momentum).add_(g) if self.t > 1 else self.m.copy_(g)
            self.p.sub_(g * self.lr)
            return
        if self.name == "adamw":
            self.p.mul_(1 - self.lr * WEIGHT_DECAY)
        (b1, b2) = BETAS
        self.m.lerp_(g, 1 - b1)
        self.v.mul_(b2).addcmul_(g, g, value=1 - b2)
        denom = (self.v.sqrt() / math.sqrt(1 - b2 ** self.t)).add_(EPS)
        self.p.addcmul_(self.m / denom, self.lr, value=-1 / (1 - b1 ** self.t))


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
