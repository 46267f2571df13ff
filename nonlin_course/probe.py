"""Look inside a trained classifier: its predictions on the plane and its hidden layers.

Every function returns CPU tensors or DataFrames, ready for :mod:`nonlin_course.plots`.
"""
import pandas as pd
import torch
from torch import nn

from . import _checks


def _sequential(model) -> nn.Sequential:
    if not isinstance(model, nn.Sequential):
        raise TypeError(f"model must be an nn.Sequential (as mlp builds), got {type(model).__name__}")
    return model


@torch.no_grad()
def predict(model: nn.Module, X: torch.Tensor) -> torch.Tensor:
    """Predicted class (argmax of the logits) for each row of ``X`` (n, d); shape (n,), CPU."""
    _checks.tensor_2d("X", X)
    return model(X).argmax(1).cpu()


@torch.no_grad()
def grid_predictions(model: nn.Module, grid: torch.Tensor) -> pd.DataFrame:
    """Prediction and probability of class 1 on each point of ``grid`` (n, 2).

    Columns ``x1``, ``x2``, ``pred`` (class) and ``p1`` (softmax probability of class 1).
    """
    _checks.tensor_2d("grid", grid, columns=2)
    probs = model(grid).softmax(1).cpu()
    points = grid.cpu()
    return pd.DataFrame({"x1": points[:, 0], "x2": points[:, 1],
                         "pred": probs.argmax(1), "p1": probs[:, 1]})


def labelled_points(model: nn.Module, X: torch.Tensor, y: torch.Tensor) -> pd.DataFrame:
    """One row per point of ``X`` (n, 2): ``x1``, ``x2``, ``label``, ``pred``, ``correct``."""
    _checks.tensor_2d("X", X, columns=2)
    _checks.labels("y", y, X.shape[0])
    pred = predict(model, X)
    points, labels = X.cpu(), y.cpu()
    return pd.DataFrame({"x1": points[:, 0], "x2": points[:, 1], "label": labels,
                         "pred": pred, "correct": pred == labels})


@torch.no_grad()
def layer_outputs(model: nn.Module, X: torch.Tensor) -> list[tuple[str, torch.Tensor]]:
    """The output of every layer of a Sequential ``model`` for inputs ``X`` (n, d).

    Returns ``(name, tensor)`` pairs in order, named like ``"0: Linear"``, each
    tensor of shape (n, width) on the CPU.
    """
    _checks.tensor_2d("X", X)
    outputs, h = [], X
    for i, layer in enumerate(_sequential(model)):
        h = layer(h)
        outputs.append((f"{i}: {type(layer).__name__}", h.cpu()))
    return outputs


def long_table(named: list[tuple[str, torch.Tensor]], row: str = "point",
               column: str = "unit") -> pd.DataFrame:
    """Stack ``(name, tensor (n, width))`` pairs into one tidy DataFrame for heatmaps.

    Columns: ``layer`` (the name), ``row`` and ``column`` indices, and ``value``.
    """
    frames = []
    for name, values in named:
        if values.ndim != 2:
            raise ValueError(f"{name}: expected a 2-D tensor, got shape {tuple(values.shape)}")
        n, width = values.shape
        frames.append(pd.DataFrame({"layer": name,
                                    row: torch.arange(n).repeat_interleave(width),
                                    column: torch.arange(width).repeat(n),
                                    "value": values.flatten()}))
    return pd.concat(frames, ignore_index=True)
