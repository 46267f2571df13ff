"""Initialisation schemes: how the weights of a network's Linear layers are drawn.

Chapter 2 compares torch's default with Kaiming's and Xavier's (:func:`initialise`);
chapter 5 adds weights deliberately too small or too large (:func:`init_deep`).
"""
import math

import torch
from torch import nn

from .. import _checks
from .models import linear_layers

INITS = ("default", "kaiming", "xavier")
GAINS = {"relu": math.sqrt(2.0), "tanh": 5.0 / 3.0, "sigmoid": 1.0}   # nn.init.calculate_gain
SCHEMES = ("default", "xavier", "kaiming", "small", "large")
SCALES = {"small": 0.5, "large": 2.0}     # times Kaiming's standard deviation


@torch.no_grad()
def initialise(model: nn.Module, scheme: str) -> nn.Module:
    """Re-initialise every Linear layer of ``model`` in place and return it.

    ``"default"`` keeps torch's own initialisation; ``"kaiming"`` draws weights from
    N(0, 2 / fan_in) (He et al., made for ReLU); ``"xavier"`` from
    N(0, 2 / (fan_in + fan_out)) (Glorot and Bengio, made for tanh). Biases become 0.
    """
    if scheme not in INITS:
        raise ValueError(f"unknown initialisation {scheme!r}; choose one of {list(INITS)}")
    if scheme == "default":
        return model
    for layer in linear_layers(model):
        if scheme == "kaiming":
            nn.init.kaiming_normal_(layer.weight, nonlinearity="relu")
        else:
            nn.init.xavier_normal_(layer.weight)
        nn.init.zeros_(layer.bias)
    return model


def kaiming_std(fan_in: int, gain: float = math.sqrt(2.0)) -> float:
    """Standard deviation of a Kaiming-initialised weight: gain / sqrt(fan_in).

    >>> kaiming_std(64)                 # ReLU's gain, sqrt(2): variance 2 / 64
    0.1767766952966369
    """
    _checks.positive_int("fan_in", fan_in)
    return _checks.positive_number("gain", gain) / math.sqrt(fan_in)


def _scheme(scheme) -> str:
    if not isinstance(scheme, str) or scheme not in SCHEMES:
        raise ValueError(f"unknown initialisation scheme {scheme!r}; choose one of {list(SCHEMES)}")
    return scheme


@torch.no_grad()
def init_deep(model: nn.Module, scheme: str, activation_name: str = "relu") -> nn.Module:
    """Re-initialise every Linear layer of ``model`` in place; return it.

    ``"default"`` keeps torch's (uniform, std 1 / sqrt(3 fan_in)); ``"xavier"``: normal,
    std sqrt(2 / (fan_in + fan_out)); ``"kaiming"``: normal, std gain / sqrt(fan_in) with
    ``GAINS[activation_name]``; ``"small"`` and ``"large"``: Kaiming's std times 0.5 and 2.
    All but the default set the biases to 0.

    >>> net = init_deep(nn.Sequential(nn.Linear(400, 300)), "kaiming", "relu")
    >>> round(net[0].weight.std().item(), 2), round(kaiming_std(400), 2)
    (0.07, 0.07)
    """
    if not isinstance(model, nn.Module):
        raise TypeError(f"model must be a torch.nn.Module, got {type(model).__name__}")
    _scheme(scheme)
    if activation_name not in GAINS:
        raise ValueError(f"activation_name must be one of {list(GAINS)}, got {activation_name!r}")
    for layer in linear_layers(model):
        if scheme == "default":
            continue
        if scheme == "xavier":
            nn.init.xavier_normal_(layer.weight)
        else:
            std = kaiming_std(layer.in_features, GAINS[activation_name]) * SCALES.get(scheme, 1.0)
            nn.init.normal_(layer.weight, 0.0, std)
        if layer.bias is not None:
            nn.init.zeros_(layer.bias)
    return model
