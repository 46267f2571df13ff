"""Linear regions of a ReLU network.

Inside a region every ReLU is either on or off, so the network is one affine map
there. Points share a region exactly when they share an on/off pattern (for one
hidden layer; deeper nets can reuse a pattern in separate pieces).
"""
from math import comb

import torch
from torch import nn

from . import _checks
from .probe import _sequential


@torch.no_grad()
def relu_patterns(model: nn.Module, X: torch.Tensor) -> torch.Tensor:
    """On/off pattern of every ReLU in a Sequential ``model`` for inputs ``X`` (n, d).

    Returns a bool tensor of shape (n, number of ReLU units), on the CPU.
    """
    _checks.tensor_2d("X", X)
    patterns, h = [], X
    for layer in _sequential(model):
        h = layer(h)
        if isinstance(layer, nn.ReLU):
            patterns.append(h > 0)
    if not patterns:
        raise ValueError("only nn.ReLU layers are tracked and this model has none; its layers "
                         f"are {[type(layer).__name__ for layer in model]}")
    return torch.cat(patterns, dim=1).cpu()


def region_ids(model: nn.Module, X: torch.Tensor) -> torch.Tensor:
    """An integer id per point of ``X`` (n, d): equal ids mean equal ReLU patterns.

    Ids count from 0 in order of first appearance; shape (n,), int64, CPU.
    """
    _, first_seen_order = torch.unique(relu_patterns(model, X), dim=0, return_inverse=True)
    # relabel so ids follow the order of first appearance (stable across torch versions)
    order = {}
    return torch.tensor([order.setdefault(i, len(order)) for i in first_seen_order.tolist()],
                        dtype=torch.int64)


def count_regions(model: nn.Module, X: torch.Tensor) -> int:
    """Number of distinct ReLU on/off patterns among the points ``X`` (n, d)."""
    return len(torch.unique(relu_patterns(model, X), dim=0))


def max_regions_one_layer(units: int, dims: int = 2) -> int:
    """Most regions ``units`` hyperplanes can cut R^dims into: sum of C(units, i), i <= dims.

    This bounds the linear regions of a one-hidden-layer ReLU network.

    >>> max_regions_one_layer(8)
    37
    """
    _checks.positive_int("units", units)
    _checks.positive_int("dims", dims)
    return sum(comb(units, i) for i in range(dims + 1))
