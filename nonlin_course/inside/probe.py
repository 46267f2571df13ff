"""Look inside a trained classifier: its predictions on the plane and its hidden layers.

Every function returns CPU tensors or DataFrames, ready for :mod:`nonlin_course.figures.plots`.
"""
import pandas as pd
import torch
from torch import nn

from .. import _checks
from ..data import plane_grid


@torch.no_grad()
def predict(model: nn.Module, X: torch.Tensor) -> torch.Tensor:
    """Predicted class (argmax of the logits) for each row of ``X`` (n, d); shape (n,), CPU.

    >>> predict(nn.Identity(), torch.tensor([[0.0, 1.0], [2.0, -1.0]]))   # X as the logits
    tensor([1, 0])
    """
    X = _checks.model_input(model, X)
    return model(X).argmax(1).cpu()


@torch.no_grad()
def grid_predictions(model: nn.Module, grid: torch.Tensor) -> pd.DataFrame:
    """Prediction and probability of class 1 on each point of ``grid`` (n, 2).

    Columns ``x1``, ``x2``, ``pred`` (class) and ``p1`` (softmax probability of class 1);
    one row per point.

    >>> grid_predictions(nn.Identity(), torch.tensor([[0.0, 0.0], [0.0, 1.0]])).round(3)
        x1   x2  pred     p1
    0  0.0  0.0     0  0.500
    1  0.0  1.0     1  0.731
    """
    _checks.tensor_2d("grid", grid, columns=2)
    grid = _checks.model_input(model, grid, "grid")
    probs = model(grid).softmax(1).cpu()
    points = grid.cpu()
    return pd.DataFrame({"x1": points[:, 0], "x2": points[:, 1],
                         "pred": probs.argmax(1), "p1": probs[:, 1]})


def labelled_points(model: nn.Module, X: torch.Tensor, y: torch.Tensor) -> pd.DataFrame:
    """One row per point of ``X`` (n, 2): ``x1``, ``x2``, ``label``, ``pred``, ``correct``;
    ``y`` (n,) holds the labels.

    >>> X, y = torch.tensor([[0.0, 1.0], [2.0, -1.0]]), torch.tensor([1, 1])
    >>> labelled_points(nn.Identity(), X, y)
        x1   x2  label  pred  correct
    0  0.0  1.0      1     1     True
    1  2.0 -1.0      1     0    False
    """
    X = _checks.tensor_2d("X", X, columns=2)
    y = _checks.labels("y", y, X.shape[0])
    pred = predict(model, X)
    points, labels = X.cpu(), y.cpu()
    return pd.DataFrame({"x1": points[:, 0], "x2": points[:, 1], "label": labels,
                         "pred": pred, "correct": pred == labels})


def decision_frames(model: nn.Module, X: torch.Tensor, y: torch.Tensor,
                    steps: int = 60) -> tuple[pd.DataFrame, pd.DataFrame]:
    """What ``plots.decision_regions`` draws: the model's predictions on a ``steps`` x
    ``steps`` grid covering the points ``X`` (n, 2), and the points with their labels ``y``
    (n,) and predictions. Returns ``(grid_predictions(...), labelled_points(...))``.

    >>> from nonlin_course.nets.models import mlp
    >>> grid, points = decision_frames(mlp([2, 3, 2]), torch.randn(10, 2),
    ...                                torch.randint(0, 2, (10,)), steps=4)
    >>> len(grid), len(points)
    (16, 10)
    """
    return (grid_predictions(model, plane_grid(X, steps=steps)),
            labelled_points(model, X, y))


@torch.no_grad()
def layer_outputs(model: nn.Module, X: torch.Tensor) -> list[tuple[str, torch.Tensor]]:
    """The output of every layer of a Sequential ``model`` for inputs ``X`` (n, d).

    Returns ``(name, tensor)`` pairs in order, named like ``"0: Linear"``, each
    tensor of shape (n, width) on the CPU.

    >>> model = nn.Sequential(nn.Linear(2, 3), nn.ReLU())
    >>> [(name, tuple(h.shape)) for name, h in layer_outputs(model, torch.zeros(4, 2))]
    [('0: Linear', (4, 3)), ('1: ReLU', (4, 3))]
    """
    layers = _checks.layers(model)
    X = _checks.model_input(model, X)
    outputs, h = [], X
    for i, layer in enumerate(layers):
        h = layer(h)
        outputs.append((f"{i}: {type(layer).__name__}", h.cpu()))
    return outputs


def long_table(named: list[tuple[str, torch.Tensor]], row: str = "point",
               column: str = "unit") -> pd.DataFrame:
    """Stack ``(name, tensor (n, width))`` pairs into one tidy DataFrame for heatmaps.

    Columns: ``layer`` (the name), ``row`` and ``column`` indices, and ``value``; one row
    per entry of each tensor.

    >>> long_table([("h", torch.tensor([[1.0, 2.0]]))])
      layer  point  unit  value
    0     h      0     0    1.0
    1     h      0     1    2.0
    """
    _long_table_names(row, column)
    if not isinstance(named, (list, tuple)) or not named:
        raise TypeError(f"named must be a non-empty list of (name, tensor) pairs, got {named!r}")
    frames = []
    for pair in named:
        if not (isinstance(pair, tuple) and len(pair) == 2 and isinstance(pair[1], torch.Tensor)):
            raise TypeError(f"named must hold (name, tensor) pairs, got {pair!r}")
        name, values = pair
        if values.ndim != 2:
            raise ValueError(f"named: {name}: expected a 2-D tensor, got shape {tuple(values.shape)}")
        n, width = values.shape
        frames.append(pd.DataFrame({"layer": name,
                                    row: torch.arange(n).repeat_interleave(width),
                                    column: torch.arange(width).repeat(n),
                                    "value": values.flatten()}))
    return pd.concat(frames, ignore_index=True)


def _long_table_names(row, column) -> None:
    """``row`` and ``column`` must be two different column names other than ``layer`` and
    ``value``, the table's other columns."""
    for name, value in (("row", row), ("column", column)):
        if not isinstance(value, str) or value in ("layer", "value"):
            raise ValueError(f"{name} must be a column name (str) other than 'layer' and "
                             f"'value', got {value!r}")
    if row == column:
        raise ValueError(f"row and column must differ, both are {row!r}")
