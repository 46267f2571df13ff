"""MLPs with a normalisation layer after every hidden Linear layer: BatchNorm or LayerNorm.

A hidden layer computes Linear -> norm -> activation, the order of Ioffe and Szegedy
(2015): the norm re-centres and re-scales each unit's pre-activation before the
activation sees it, so a sigmoid or tanh unit starts near 0, where its slope is largest.
BatchNorm normalises each unit over the batch (and remembers running averages for
evaluation); LayerNorm normalises each example over the layer's units.
"""

from collections.abc import Sequence

import torch
from torch import nn

from .models import mlp

NORMS = ("none", "batchnorm", "layernorm")
EPS = 1e-5  # torch's default for both norms
MOMENTUM = 0.1  # BatchNorm's running averages, torch's default
NORM_DIM = {"batchnorm": 2, "layernorm": 1}  # of (models, units, batch)


def check_norm(norm) -> str:
    """``norm`` in lower case if it is one of ``NORMS``, else a clear error.

    >>> check_norm("BatchNorm")
    'batchnorm'
    """
    if not isinstance(norm, str):
        raise TypeError(
            f"norm must be a name (str), one of {list(NORMS)}; got {type(norm).__name__}"
        )
    if norm.lower() not in NORMS:
        raise ValueError(f"unknown norm {norm!r}; choose one of {list(NORMS)}")
    return norm.lower()


def norm_layer(norm: str, width: int) -> nn.Module:
    """A fresh ``nn.BatchNorm1d`` or ``nn.LayerNorm`` over ``width`` units.

    >>> norm_layer("layernorm", 3).normalized_shape
    (3,)
    """
    return {"batchnorm": nn.BatchNorm1d, "layernorm": nn.LayerNorm}[check_norm(norm)](width)


def norm_mlp(
    sizes: Sequence[int], activation_name: str = "relu", norm: str = "none"
) -> nn.Sequential:
    """``mlp(sizes, activation_name)`` with a ``norm`` layer between each hidden Linear
    layer and its activation (``norm="none"``: exactly ``mlp``). The Linear layers are
    created in the same order as ``mlp``'s, so one seed gives both the same weights.
    Before a BatchNorm a Linear layer has no bias: the norm subtracts the batch's mean,
    which cancels any bias, so its gradient is 0 up to rounding (and Adam would turn that
    rounding noise into full-sized steps).

    >>> [type(layer).__name__ for layer in norm_mlp([4, 3, 2], "tanh", "batchnorm")]
    ['Linear', 'BatchNorm1d', 'Tanh', 'Linear']
    """
    return add_norms(mlp(sizes, activation_name), norm)


def add_norms(model: nn.Sequential, norm: str) -> nn.Sequential:
    """A Sequential with the layers of the MLP ``model`` (shared, not copied) and a fresh
    ``norm`` layer after each hidden Linear layer; ``model`` itself if ``norm="none"``.
    Before a BatchNorm the Linear layer loses its bias (see :func:`norm_mlp`).

    >>> [type(layer).__name__ for layer in add_norms(mlp([2, 3, 1], "relu"), "layernorm")]
    ['Linear', 'LayerNorm', 'ReLU', 'Linear']
    """
    if check_norm(norm) == "none":
        return model
    layers = []
    for layer in model:
        if layers and isinstance(layers[-1], nn.Linear) and not isinstance(layer, nn.Linear):
            if norm == "batchnorm":
                layers[-1].bias = None  # BatchNorm subtracts the batch mean: a bias cancels
            layers.append(norm_layer(norm, layers[-1].out_features))
        layers.append(layer)
    return nn.Sequential(*layers)


def norm_layers(model: nn.Module) -> list[nn.Module]:
    """The BatchNorm1d and LayerNorm layers of ``model``, in order."""
    return [m for m in model.modules() if isinstance(m, (nn.BatchNorm1d, nn.LayerNorm))]


def norm_forward(z, gamma, beta, dim: int, running=None, training: bool = True):
    """Normalise ``z`` (K, width, B), features first as the batched trainer stores them,
    along ``dim`` (2: each unit over the batch, BatchNorm; 1: each example over the units,
    LayerNorm), then scale by ``gamma`` and shift by ``beta`` (K, width).

    ``running`` is BatchNorm's (mean, var) pair (K, width): updated in place in training
    (momentum 0.1, unbiased variance, as torch does) and used instead of the batch's
    statistics in evaluation. Returns the output and what :func:`norm_backward` needs.
    """
    if running is not None and not training:
        mean, var = (r.unsqueeze(2) for r in running)
    else:
        var, mean = torch.var_mean(z, dim, correction=0, keepdim=True)
        if running is not None:
            batch = z.shape[dim]
            running[0].lerp_(mean.squeeze(2), MOMENTUM)
            running[1].lerp_(var.squeeze(2) * (batch / (batch - 1)), MOMENTUM)
    invstd = torch.rsqrt(var + EPS)
    xhat = (z - mean) * invstd
    return torch.addcmul(beta.unsqueeze(2), xhat, gamma.unsqueeze(2)), (xhat, invstd)


def norm_backward(dy, gamma, saved, dim: int):
    """dLoss/dz from dLoss/dy for y = gamma * xhat + beta, xhat = (z - mean) / std along
    ``dim``: invstd * (dxhat - mean(dxhat) - xhat * mean(dxhat * xhat)). Also returns
    dgamma and dbeta (K, width), summed over the batch."""
    xhat, invstd = saved
    dxhat = dy * gamma.unsqueeze(2)
    dz = dxhat - dxhat.mean(dim, keepdim=True) - xhat * (dxhat * xhat).mean(dim, keepdim=True)
    return dz.mul_(invstd), (dy * xhat).sum(2), dy.sum(2)
