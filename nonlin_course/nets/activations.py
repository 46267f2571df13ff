"""Activation functions by name: one registry, so adding one is an entry here (and, for
the batched trainer, in ``FORWARD`` and ``BACKWARD``).

Names are lower case without separators (``"leakyrelu"``), as the chapters' glue
names use them. ``None`` or ``"identity"`` means no non-linearity at all.
"""

import torch
from torch import nn

ACTIVATIONS = {
    "identity": nn.Identity,
    "relu": nn.ReLU,
    "sigmoid": nn.Sigmoid,
    "tanh": nn.Tanh,
    "relu6": nn.ReLU6,
    "leakyrelu": nn.LeakyReLU,
    "elu": nn.ELU,
    "gelu": nn.GELU,
    "silu": nn.SiLU,
    "hardtanh": nn.Hardtanh,
    "selu": nn.SELU,
    "celu": nn.CELU,
    "softplus": nn.Softplus,
    "mish": nn.Mish,
    "hardswish": nn.Hardswish,
    "softsign": nn.Softsign,
}


def activation_names() -> list[str]:
    """The names :func:`activation` accepts, in registry order.

    >>> activation_names()[:4]
    ['identity', 'relu', 'sigmoid', 'tanh']
    """
    return list(ACTIVATIONS)


def activation(name: str | None) -> nn.Module:
    """A fresh activation module for ``name`` (see :func:`activation_names`).

    >>> activation("relu")
    ReLU()
    >>> activation(None)
    Identity()
    """
    key = "identity" if name is None else name
    if not isinstance(key, str):
        raise TypeError(f"activation name must be a str or None, got {type(name).__name__}")
    if key.lower() not in ACTIVATIONS:
        raise ValueError(f"unknown activation name {name!r}; choose one of {activation_names()}")
    return ACTIVATIONS[key.lower()]()


aten = torch.ops.aten
nn_ops = torch._C._nn
SELU_ALPHA, SELU_SCALE = 1.6732632423543772, 1.0507009873554805

# For the batched trainer's hand-written passes (nonlin_course.training._stacked), each activation
# written into a given tensor ``out``, so that the slices of many models fill one tensor
# with no copy. FORWARD: out = f(z), the kernel the module itself calls. BACKWARD:
# out = dL/dz from (g = dL/da, z, a = f(z)), with torch's own backward kernel of that
# module, the one autograd would call.
FORWARD = {
    "identity": lambda z, out: out.copy_(z),
    "relu": lambda z, out: torch.clamp_min(z, 0, out=out),  # what torch.relu computes
    "sigmoid": lambda z, out: torch.sigmoid(z, out=out),
    "tanh": lambda z, out: torch.tanh(z, out=out),
    "relu6": lambda z, out: nn_ops.hardtanh(z, 0.0, 6.0, out=out),
    "leakyrelu": lambda z, out: nn_ops.leaky_relu(z, 0.01, out=out),
    "elu": lambda z, out: nn_ops.elu(z, 1.0, 1, 1, out=out),
    "gelu": lambda z, out: nn_ops.gelu(z, out=out),
    "silu": lambda z, out: nn_ops.silu(z, out=out),
    "hardtanh": lambda z, out: nn_ops.hardtanh(z, -1.0, 1.0, out=out),
    "selu": lambda z, out: nn_ops.elu(z, SELU_ALPHA, SELU_SCALE, 1, out=out),  # as torch.selu
    "celu": lambda z, out: nn_ops.elu(z, 1.0, 1, 1.0, out=out),  # torch.celu with alpha 1
    "softplus": lambda z, out: nn_ops.softplus(z, 1, 20, out=out),
    "mish": lambda z, out: nn_ops.mish(z, out=out),
    "hardswish": lambda z, out: nn_ops.hardswish(z, out=out),
    "softsign": lambda z, out: torch.div(z, 1 + z.abs(), out=out),
}
BACKWARD = {
    "identity": lambda g, z, a, out: out.copy_(g),
    "relu": lambda g, z, a, out: aten.threshold_backward.grad_input(g, a, 0, grad_input=out),
    "sigmoid": lambda g, z, a, out: aten.sigmoid_backward.grad_input(g, a, grad_input=out),
    "tanh": lambda g, z, a, out: aten.tanh_backward.grad_input(g, a, grad_input=out),
    "relu6": lambda g, z, a, out: aten.hardtanh_backward.grad_input(g, z, 0.0, 6.0, grad_input=out),
    "leakyrelu": lambda g, z, a, out: aten.leaky_relu_backward.grad_input(
        g, z, 0.01, False, grad_input=out
    ),
    "elu": lambda g, z, a, out: aten.elu_backward.grad_input(
        g, 1.0, 1, 1, False, z, grad_input=out
    ),
    "gelu": lambda g, z, a, out: aten.gelu_backward.grad_input(g, z, grad_input=out),
    "silu": lambda g, z, a, out: aten.silu_backward.grad_input(g, z, grad_input=out),
    "hardtanh": lambda g, z, a, out: aten.hardtanh_backward.grad_input(
        g, z, -1.0, 1.0, grad_input=out
    ),
    "selu": lambda g, z, a, out: aten.elu_backward.grad_input(
        g, SELU_ALPHA, SELU_SCALE, 1, False, z, grad_input=out
    ),
    "celu": lambda g, z, a, out: aten.elu_backward.grad_input(
        g, 1.0, 1, 1.0, False, z, grad_input=out
    ),
    "softplus": lambda g, z, a, out: aten.softplus_backward.grad_input(g, z, 1, 20, grad_input=out),
    "mish": lambda g, z, a, out: out.copy_(aten.mish_backward(g, z)),  # no out= form
    "hardswish": lambda g, z, a, out: aten.hardswish_backward.out(g, z, out=out),
    "softsign": lambda g, z, a, out: torch.div(g, (1 + z.abs()) ** 2, out=out),
}
