"""ReLU written by hand as a ``torch.autograd.Function``: its forward and its backward.

Autograd needs two things from an operation: the output, and, given the gradient of
the loss with respect to that output, the gradient with respect to the input. For
ReLU(x) = max(x, 0) the local derivative is 1 where x > 0 and 0 elsewhere (we take 0
at the kink x = 0, as torch does).
"""
import torch
from torch import nn


class ReLUFunction(torch.autograd.Function):
    """ReLU with a hand-written backward. Use ``ReLUFunction.apply(x)`` or :class:`HandmadeReLU`."""

    @staticmethod
    def forward(ctx, x: torch.Tensor) -> torch.Tensor:
        ctx.save_for_backward(x)  # backward needs to know where x was positive
        return x.clamp(min=0)

    @staticmethod
    def backward(ctx, grad_output: torch.Tensor) -> torch.Tensor:
        (x,) = ctx.saved_tensors
        return grad_output * (x > 0).to(grad_output.dtype)


class HandmadeReLU(nn.Module):
    """``nn.Module`` wrapper of :class:`ReLUFunction`, a drop-in for ``nn.ReLU``.

    >>> HandmadeReLU()(torch.tensor([-1.0, 0.0, 2.0]))
    tensor([0., 0., 2.])
    """

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if not isinstance(x, torch.Tensor):
            raise TypeError(f"HandmadeReLU expects a torch.Tensor, got {type(x).__name__}")
        if not x.is_floating_point():
            raise TypeError(f"HandmadeReLU needs a floating-point tensor to differentiate, got {x.dtype}")
        return ReLUFunction.apply(x)
