"""How gradients reach each layer: ratios between layers, dead units."""
import pandas as pd
import torch
from torch import nn

from .. import _checks
from ..nets.models import linear_layers
from .probe import layer_outputs
from ..training.loop import mean_loss

def layer_ratio(grads: pd.DataFrame, by: str = "activation") -> pd.DataFrame:
    """Mean gradient of the first Linear layer over that of the last, per group ``by``.

    ``grads`` is ``BatchedRun.grads`` (columns ``by``, layer, value). Both means run
    over every epoch and seed. Returns columns ``by``, ``first``, ``last``, ``ratio``.

    >>> grads = pd.DataFrame({"activation": ["relu"] * 4, "layer": [1, 2, 1, 2],
    ...                       "value": [0.1, 0.4, 0.3, 0.4]})
    >>> layer_ratio(grads).round(2).values.tolist()
    [['relu', 0.2, 0.4, 0.5]]
    """
    _checks.frame("grads", grads, ["layer", "value"])
    _checks.column_name("by", by, grads, "grads")
    if not pd.api.types.is_integer_dtype(grads["layer"]):
        raise TypeError(f"grads: column 'layer' must hold layer numbers (ints), got dtype "
                        f"{grads['layer'].dtype}")
    if len(grads) == 0:
        raise ValueError("grads is empty (no rows): there is no layer to compare")
    _checks.numbers(grads, ["value"], "grads")
    first, last = grads.layer.min(), grads.layer.max()
    means = grads.groupby([by, "layer"], sort=False).value.mean().unstack()
    return pd.DataFrame({"first": means[first], "last": means[last],
                         "ratio": means[first] / means[last]}).reset_index()


@torch.no_grad()
def dead_units(model: nn.Module, X: torch.Tensor) -> int:
    """Hidden units of a Sequential MLP whose activation is exactly 0 for every row of X (n, d).

    ``X`` needs at least one row, and finite values.

    >>> from nonlin_course import mlp
    >>> model = mlp([1, 2, 1], "relu")
    >>> with torch.no_grad():
    ...     _ = model[0].weight.copy_(torch.tensor([[1.0], [-1.0]])), model[0].bias.zero_()
    >>> dead_units(model, torch.tensor([[1.0], [2.0]]))   # the second unit never fires
    1
    """
    layers = _checks.layers(model)
    _checks.not_empty("X", _checks.tensor_2d("X", X))   # on no rows every unit would be "dead"
    hidden = zip(list(layers)[:-1], layer_outputs(model, X))
    return sum(int((h == 0).all(0).sum()) for layer, (_, h) in hidden
               if not isinstance(layer, nn.Linear))


def first_step_gradients(model: nn.Module, X: torch.Tensor, y: torch.Tensor,
                         loss: str = "bce") -> pd.DataFrame:
    """Mean absolute gradient of each Linear layer's weights for one batch (X, y).

    Returns columns ``layer`` (from 1) and ``value``; the model's gradients are reset.

    >>> from nonlin_course import mlp
    >>> table = first_step_gradients(mlp([2, 3, 1], "tanh"), torch.ones(4, 2),
    ...                              torch.tensor([0, 1, 1, 0]))
    >>> table.layer.tolist(), bool((table.value > 0).all())
    ([1, 2], True)
    """
    X = _checks.model_input(model, X)
    y = _checks.labels("y", y, X.shape[0]).to(X.device)
    _checks.loss(loss)
    width = _checks.outputs(model)
    if width is not None:
        _checks.classes("y", y, width, loss)
    model.zero_grad()
    mean_loss(model(X), y, loss).backward()
    values = [layer.weight.grad.abs().mean().item() for layer in linear_layers(model)]
    model.zero_grad()
    return pd.DataFrame({"layer": range(1, len(values) + 1), "value": values})
