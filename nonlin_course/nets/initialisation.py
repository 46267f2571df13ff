"""Initialisation schemes: how the weights of a network's Linear layers are drawn.

One meaning for each name, everywhere in the package (chapter 2 gives the formulas):

- ``"default"``: torch's own ``nn.Linear`` initialisation, weights and biases uniform on
  [-1/sqrt(fan_in), 1/sqrt(fan_in)] (std 1 / sqrt(3 fan_in)), left as it is;
- ``"xavier"``: weights N(0, 2 / (fan_in + fan_out)) (Glorot and Bengio 2010, gain 1);
- ``"kaiming"``: weights N(0, g^2 / fan_in) with the activation's gain g = :func:`gain`
  (He et al. 2015);
- ``"small"``, ``"large"``: Kaiming's standard deviation times 0.5 and 2 (chapter 5).

Every scheme but the default sets the biases to 0.
"""
import math

import torch
from torch import nn

from .. import _checks
from .activations import ACTIVATIONS
from .models import linear_layers

SCHEMES = ("default", "xavier", "kaiming", "small", "large")
INITS = SCHEMES                           # the name the trainers check against
SCALES = {"small": 0.5, "large": 2.0}     # times Kaiming's standard deviation
# the activations torch.nn.init.calculate_gain defines, under its names (and parameter)
TORCH_GAIN = {"identity": ("linear",), "sigmoid": ("sigmoid",), "tanh": ("tanh",),
              "relu": ("relu",), "leakyrelu": ("leaky_relu", 0.01), "selu": ("selu",)}


def gain(activation_name: str | None) -> float:
    """The gain g of an activation, as ``torch.nn.init.calculate_gain`` defines it: sqrt 2
    for ReLU, 5/3 for tanh, 1 for the sigmoid and for none (``"identity"`` or ``None``),
    sqrt(2 / (1 + 0.01^2)) for LeakyReLU, 3/4 for SELU. Torch defines no gain for the
    others (ReLU6, ELU, GELU, SiLU, ...); they get ReLU's, sqrt 2.

    >>> round(gain("relu"), 4), round(gain("tanh"), 4), gain("sigmoid"), round(gain("gelu"), 4)
    (1.4142, 1.6667, 1, 1.4142)
    """
    name = "identity" if activation_name is None else activation_name
    name = name.lower() if isinstance(name, str) else name
    if not isinstance(name, str) or name not in ACTIVATIONS:
        raise ValueError(f"activation_name must be one of {list(ACTIVATIONS)} or None, "
                         f"got {activation_name!r}")
    return nn.init.calculate_gain(*TORCH_GAIN.get(name, ("relu",)))


GAINS = {name: gain(name) for name in ACTIVATIONS}


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
def initialise(model: nn.Module, scheme: str, activation_name: str | None = "relu") -> nn.Module:
    """Re-initialise every Linear layer of ``model`` in place with ``scheme`` (see the
    module's docstring) for the activation ``activation_name``; return the model.

    >>> net = initialise(nn.Sequential(nn.Linear(400, 300)), "kaiming", "tanh")
    >>> round(net[0].weight.std().item(), 3), round(kaiming_std(400, gain("tanh")), 3)
    (0.083, 0.083)
    """
    if not isinstance(model, nn.Module):
        raise TypeError(f"model must be a torch.nn.Module, got {type(model).__name__}")
    _scheme(scheme)
    g = gain(activation_name)
    if scheme == "default":
        return model
    for layer in linear_layers(model):
        if scheme == "xavier":
            nn.init.xavier_normal_(layer.weight)
        else:
            std = kaiming_std(layer.in_features, g) * SCALES.get(scheme, 1.0)
            nn.init.normal_(layer.weight, 0.0, std)
        if layer.bias is not None:
            nn.init.zeros_(layer.bias)
    return model


def init_deep(model: nn.Module, scheme: str, activation_name: str | None = "relu") -> nn.Module:
    """Chapter 5's name for :func:`initialise` (the same schemes, the same gains).

    >>> net = init_deep(nn.Sequential(nn.Linear(400, 300)), "kaiming", "relu")
    >>> round(net[0].weight.std().item(), 2), round(kaiming_std(400), 2)
    (0.07, 0.07)
    """
    return initialise(model, scheme, activation_name)
