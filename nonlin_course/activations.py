"""Activation functions by name: one registry, so adding one is an entry here (and its
backward in ``BACKWARD``).

Names are lower case without separators (``"leakyrelu"``), as the chapters' glue
names use them. ``None`` or ``"identity"`` means no non-linearity at all. ``BACKWARD``
holds each one's derivative step for the batched trainer's hand-written backward pass.
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
    """The names :func:`activation` accepts, in registry order."""
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
SELU_ALPHA, SELU_SCALE = 1.6732632423543772, 1.0507009873554805

# name -> dL/dz from (dL/da, z, a = f(z)): the chain rule through the activation, with
# torch's own backward kernel of that module (what autograd would call), for the batched
# trainer's hand-written backward pass (nonlin_course.stacked)
BACKWARD = {
    "identity": lambda g, z, a: g,
    "relu": lambda g, z, a: aten.threshold_backward(g, a, 0),
    "sigmoid": lambda g, z, a: aten.sigmoid_backward(g, a),
    "tanh": lambda g, z, a: aten.tanh_backward(g, a),
    "relu6": lambda g, z, a: aten.hardtanh_backward(g, z, 0.0, 6.0),
    "leakyrelu": lambda g, z, a: aten.leaky_relu_backward(g, z, 0.01, False),
    "elu": lambda g, z, a: aten.elu_backward(g, 1.0, 1, 1, False, z),
    "gelu": lambda g, z, a: aten.gelu_backward(g, z),
    "silu": lambda g, z, a: aten.silu_backward(g, z),
    "hardtanh": lambda g, z, a: aten.hardtanh_backward(g, z, -1.0, 1.0),
    "selu": lambda g, z, a: aten.elu_backward(g, SELU_ALPHA, SELU_SCALE, 1, False, z),
    "celu": lambda g, z, a: aten.elu_backward(g, 1.0, 1, 1.0, False, z),
    "softplus": lambda g, z, a: aten.softplus_backward(g, z, 1, 20),
    "mish": lambda g, z, a: aten.mish_backward(g, z),
    "hardswish": lambda g, z, a: aten.hardswish_backward(g, z),
    "softsign": lambda g, z, a: g / (1 + z.abs()) ** 2,
}
