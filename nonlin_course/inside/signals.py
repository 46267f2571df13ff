"""Signals in a deep network at initialisation: per layer, how large the activations and
their gradients are, how many tanh/sigmoid units saturate and how many ReLUs are dead.

The variance argument (He et al. 2015): a layer z = W a + b with zero biases and weights
of variance s^2 has Var(z_i) = fan_in * s^2 * E[a_j^2]. A ReLU passes half of a
symmetric z, so E[a^2] = Var(z_prev) / 2, and Var(z) = fan_in * s^2 / 2 * Var(z_prev):
the variance stays put from layer to layer exactly when s^2 = 2 / fan_in. With a general
``gain`` g, s = g / sqrt(fan_in) multiplies the variance by g^2 / 2 at every ReLU layer.
"""
import math

import pandas as pd
import torch
from torch import nn

from .. import _checks
from ..runtime import one_thread
from ..training.loop import mean_loss

SATURATED = 0.97                         # |tanh| above this counts as saturated
MAX_BINS = 10_000                        # histograms


def relu_std_after(layers: int, gain: float, start: float = 1.0) -> float:
    """Predicted std of the pre-activations ``layers`` ReLU layers on from ``start``, each
    with weights of std gain / sqrt(fan_in) and zero biases: start * (gain / sqrt 2)^layers.

    >>> round(relu_std_after(9, math.sqrt(2.0)), 12), round(relu_std_after(2, 1.0), 12)
    (1.0, 0.5)
    """
    if isinstance(layers, bool) or not isinstance(layers, int) or layers < 0:
        raise ValueError(f"layers must be an int >= 0, got {layers!r}")
    gain = _checks.positive_number("gain", gain)
    return _checks.positive_number("start", start) * (gain / math.sqrt(2.0)) ** layers


def saturated_fraction(a: torch.Tensor, activation_name: str = "tanh",
                       threshold: float = SATURATED) -> float:
    """Fraction of the outputs ``a`` (any shape) of a tanh or sigmoid that are saturated:
    |tanh| > threshold, or a sigmoid output as far out, |2 a - 1| > threshold.

    >>> saturated_fraction(torch.tensor([0.0, 0.5, -0.99, 0.98]))
    0.5
    >>> saturated_fraction(torch.tensor([0.5, 0.999]), "sigmoid")
    0.5
    """
    if not isinstance(a, torch.Tensor) or not a.is_floating_point() or a.numel() == 0:
        raise TypeError("a must be a non-empty floating-point torch.Tensor")
    _checks.finite("a", a)
    threshold = _checks.fraction("threshold", threshold)
    centred = {"tanh": a, "sigmoid": 2 * a - 1}.get(activation_name)
    if centred is None:
        raise ValueError(f"activation_name must be 'tanh' or 'sigmoid', got {activation_name!r}")
    return (centred.abs() > threshold).float().mean().item()


def layer_signals(model: nn.Module, X: torch.Tensor, y: torch.Tensor) -> pd.DataFrame:
    """One forward and backward pass of the Sequential classifier ``model`` on (X, y),
    cross-entropy loss; per hidden layer (counted from 1), one row with:

    ``pre_std`` (std of the pre-activations z), ``act_std`` (of the activations a),
    ``grad_std`` (of dLoss/da, summed-loss scale: the mean loss times the batch size),
    ``saturated`` (tanh/sigmoid: fraction of outputs past 0.97, else 0) and ``dead``
    (fraction of the layer's units that are 0 on every row of X). A norm layer, if any,
    sits between z and a.

    >>> from nonlin_course.nets.models import mlp
    >>> torch.manual_seed(0); X, y = torch.randn(50, 4), torch.randint(0, 3, (50,))
    <torch._C.Generator object at ...>
    >>> list(layer_signals(mlp([4, 8, 8, 3], "tanh"), X, y).layer)
    [1, 2]
    """
    rows = []
    for i, (name, z, a, grad) in enumerate(_forward_backward(model, X, y), start=1):
        rows.append({"layer": i, "pre_std": z.std().item(), "act_std": a.std().item(),
                     "grad_std": grad.std().item(),
                     "saturated": saturated_fraction(a, name)
                     if name in ("tanh", "sigmoid") else 0.0,
                     "dead": (a == 0).all(0).float().mean().item()})
    return pd.DataFrame(rows)


def _forward_backward(model: nn.Module, X: torch.Tensor, y: torch.Tensor) -> list:
    """One pass of the Sequential ``model`` on (X, y), loss = summed cross-entropy; per
    hidden layer (activation's lower-case name, z, a, dLoss/da), detached. Gradients of
    the model's parameters are reset afterwards."""
    X = _checks.model_input(model, X)
    y = _checks.labels("y", y, X.shape[0])
    layers = _checks.layers(model)
    width = _checks.outputs(model)
    if width is not None:
        _checks.classes("y", y, width, "ce")
    h, outputs, pre = X, [], None
    with torch.enable_grad(), one_thread():   # small tensors: threads only wait on each other
        for layer in layers:
            h = layer(h)
            if isinstance(layer, nn.Linear):
                pre = h
            elif _is_activation(layer):
                h.retain_grad()
                outputs.append((type(layer).__name__.lower(), pre, h))
        (mean_loss(h, y.to(h.device)) * len(X)).backward()
    model.zero_grad()
    return [(name, z.detach(), a.detach(), a.grad) for name, z, a in outputs]


def _is_activation(layer: nn.Module) -> bool:
    return not isinstance(layer, (nn.Linear, nn.BatchNorm1d, nn.LayerNorm))


def layer_values(model: nn.Module, X: torch.Tensor, y: torch.Tensor) -> dict:
    """The activations and their gradients per hidden layer, as in :func:`layer_signals`:
    ``{"activation": [a_1, ...], "gradient": [dL/da_1, ...]}``, CPU tensors (n, width).

    >>> from nonlin_course import mlp
    >>> values = layer_values(mlp([2, 3, 3, 2], "tanh"), torch.ones(5, 2), torch.zeros(5).long())
    >>> [a.shape for a in values["activation"]], len(values["gradient"])
    ([torch.Size([5, 3]), torch.Size([5, 3])], 2)
    """
    passes = _forward_backward(model, X, y)
    return {"activation": [a.cpu() for _, _, a, _ in passes],
            "gradient": [grad.cpu() for _, _, _, grad in passes]}


def histograms(values: dict, bins: int = 40, span: float | None = None) -> pd.DataFrame:
    """Histograms of :func:`layer_values`: per kind and layer, ``bins`` equal bins over
    [-span, span] (default: the kind's largest |value|); columns ``kind``, ``layer``,
    ``x`` (bin centre) and ``share`` (fraction of the layer's values in the bin).
    ``bins`` is at most 10 000.

    >>> v = {"activation": [torch.tensor([[-1.0, 1.0]])], "gradient": [torch.zeros(1, 2)]}
    >>> histograms(v, bins=2).share.tolist()
    [0.5, 0.5, 0.0, 1.0]
    """
    bins = _checks.at_most("bins", bins, MAX_BINS)
    if span is not None:
        span = _checks.positive_number("span", span)
    _check_values(values)
    frames = []
    for kind, tensors in values.items():
        top = span or max(float(t.abs().max()) for t in tensors) or 1.0
        edges = torch.linspace(-top, top, bins + 1)
        for layer, t in enumerate(tensors, start=1):
            counts = torch.histc(t.float().clamp(-top, top), bins, -top, top)
            frames.append(pd.DataFrame({"kind": kind, "layer": layer,
                                        "x": ((edges[1:] + edges[:-1]) / 2).numpy(),
                                        "share": (counts / t.numel()).numpy()}))
    return pd.concat(frames, ignore_index=True)



def _check_values(values) -> None:
    """``values`` must be as :func:`layer_values` returns: kind -> non-empty list of tensors."""
    if not isinstance(values, dict) or not values:
        raise TypeError(f"values must be a non-empty dict as layer_values returns, "
                        f"got {type(values).__name__}")
    for kind, tensors in values.items():
        if not isinstance(tensors, (list, tuple)) or not tensors or not all(
                isinstance(t, torch.Tensor) and t.numel() and not t.is_complex() for t in tensors):
            raise TypeError(f"values[{kind!r}] must be a non-empty list of non-empty real tensors")
        for layer, t in enumerate(tensors, start=1):
            _checks.finite(f"values[{kind!r}][{layer - 1}]", t)
