"""Learned knots: a one-hidden-layer ReLU net fitted by gradient descent (chapter 4).

Where :mod:`nonlin_course.approx` places the hinges by hand or solves for their weights,
here training chooses every knot and weight.
"""
from dataclasses import dataclass

import torch
from torch import nn

from . import _checks
from .approx import _tensor_1d
from .models import mlp
from .runtime import check_seed, device as default_device

MAX_UNITS = 10_000


@dataclass
class NetFit:
    """A trained one-hidden-layer ReLU net ``model`` (Sequential Linear, ReLU, Linear)
    and its mean squared ``loss`` per epoch (list of floats).

    >>> x = torch.linspace(-1.0, 1.0, 5, dtype=torch.float64)
    >>> fit = fit_relu_net(x, x.abs(), units=2, epochs=3, device="cpu")
    >>> fit(x).shape, fit.knots.shape    # one output per x, at most one kink per unit
    (torch.Size([5]), torch.Size([2]))
    """
    model: nn.Sequential
    loss: list

    @torch.no_grad()
    def __call__(self, x: torch.Tensor) -> torch.Tensor:
        """The net's output for ``x`` (n,) or (n, d), as a CPU float64 tensor of shape (n,)."""
        first = self.model[0]
        inputs = x.reshape(-1, first.in_features).to(first.weight)
        return self.model(inputs)[:, 0].cpu().to(torch.float64)

    @property
    def knots(self) -> torch.Tensor:
        """Sorted kink positions -bias/weight of the hidden units (1-D input only); units
        whose input weight is 0 have no kink and are left out. CPU float64."""
        first = self.model[0]
        if first.in_features != 1:
            raise ValueError(f"knots exist for a 1-D input only; this net has "
                             f"{first.in_features} inputs (its kinks are lines or planes)")
        w, b = first.weight[:, 0].detach().cpu().double(), first.bias.detach().cpu().double()
        return torch.sort(-b[w != 0] / w[w != 0]).values


def fit_relu_net(x: torch.Tensor, y: torch.Tensor, units: int, seed: int = 0,
                 epochs: int = 2000, lr: float = 0.01, device=None) -> NetFit:
    """Train ``mlp([d, units, 1])``, Linear(d, units) -> ReLU -> Linear(units, 1), on ``y``
    (n,) at ``x`` (n,) or (n, d) by full-batch Adam on the mean squared error. Seeded, so
    repeatable; ``units`` is at most 10 000.

    Returns a :class:`NetFit` whose ``loss`` has one entry per epoch.

    >>> x = torch.linspace(-1.0, 1.0, 5, dtype=torch.float64)
    >>> fit = fit_relu_net(x, x.abs(), units=2, epochs=3, device="cpu")
    >>> len(fit.loss), fit.loss == fit_relu_net(x, x.abs(), 2, epochs=3, device="cpu").loss
    (3, True)
    """
    _checks.positive_int("units", units)
    if units > MAX_UNITS:
        raise ValueError(f"units must be at most {MAX_UNITS:,}, got {units:,}")
    _checks.positive_int("epochs", epochs)
    check_seed(seed)
    device = default_device() if device is None else torch.device(device)
    inputs = x.reshape(len(x), -1).float().to(device)
    targets = _tensor_1d("y", y).float().to(device)
    if len(inputs) != len(targets):
        raise ValueError(f"x and y must have the same length, got {len(inputs)} and {len(targets)}")
    torch.manual_seed(seed)
    model = mlp([inputs.shape[1], units, 1], "relu").to(device)
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    losses = []
    for _ in range(epochs):
        optimizer.zero_grad()
        loss = torch.mean((model(inputs)[:, 0] - targets) ** 2)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    return NetFit(model.eval(), losses)
