"""Activation functions by name: one registry, so adding one is a single entry.

Names are lower case without separators (``"leakyrelu"``), as the chapters' glue
names use them. ``None`` or ``"identity"`` means no non-linearity at all.
"""
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
