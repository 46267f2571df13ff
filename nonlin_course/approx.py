"""Piecewise-linear approximation with ReLU hinges (chapter 4).

``relu(x - k)`` is a hinge: zero left of the knot ``k``, slope 1 right of it. A weighted
sum of hinges is a continuous piecewise-linear function whose kinks sit at the knots;
each weight is the change of slope at its knot. Here are three ways to choose the
weights (by construction, by least squares, by gradient descent) and ways to measure
how good the result is.
"""
from dataclasses import dataclass
from typing import Callable, NamedTuple

import numpy as np
import pandas as pd
import torch
from torch import nn

from . import _checks
from .runtime import check_seed, device as default_device

Target = Callable[[torch.Tensor], torch.Tensor]


def _tensor_1d(name: str, values) -> torch.Tensor:
    """``values`` as a 1-D float64 tensor; raise a clear error for anything else."""
    if isinstance(values, (list, tuple, np.ndarray)):
        values = torch.as_tensor(np.asarray(values, dtype=np.float64))
    if not isinstance(values, torch.Tensor):
        raise TypeError(f"{name} must be a 1-D tensor or list of numbers, "
                        f"got {type(values).__name__}")
    if values.ndim != 1:
        raise ValueError(f"{name} must be 1-D, got shape {tuple(values.shape)}")
    return values.to(torch.float64)


def _knots(knots) -> torch.Tensor:
    knots = _tensor_1d("knots", knots)
    if len(knots) == 0:
        raise ValueError("knots must not be empty: give at least one knot position")
    if len(knots) > 1 and not bool((knots[1:] > knots[:-1]).all()):
        raise ValueError(f"knots must be sorted in strictly increasing order, got {knots.tolist()}")
    return knots


def _interval(a, b) -> tuple[float, float]:
    for name, value in (("a", a), ("b", b)):
        if isinstance(value, bool) or not isinstance(value, (int, float, np.floating)):
            raise TypeError(f"{name} must be a number, got {type(value).__name__}")
    if not a < b:
        raise ValueError(f"the interval [a, b] needs a < b, got a={a}, b={b}")
    return float(a), float(b)


def hinge(x: torch.Tensor, h: float) -> torch.Tensor:
    """The hinge relu(x - h): 0 for x <= h, then slope 1. Same shape as ``x``."""
    return torch.relu(x - h)


def hinge_sum(x: torch.Tensor, knots, weights, bias: float = 0.0) -> torch.Tensor:
    """sum_i weights[i] * relu(x - knots[i]) + bias, for ``x`` of shape (n,); float64.

    ``knots`` (k,) must be non-empty and strictly increasing; ``weights`` has the same length.
    """
    knots = _knots(knots)
    weights = _tensor_1d("weights", weights)
    if len(weights) != len(knots):
        raise ValueError(f"weights and knots must have the same length, got "
                         f"{len(weights)} weights and {len(knots)} knots")
    x = _tensor_1d("x", x)
    knots, weights = knots.to(x.device), weights.to(x.device)
    return torch.relu(x[:, None] - knots[None, :]) @ weights + float(bias)


class Hinges(NamedTuple):
    """A hinge sum: ``knots`` (k,), ``weights`` (k,) and a ``bias``; call it on x (n,)."""
    knots: torch.Tensor
    weights: torch.Tensor
    bias: float

    def __call__(self, x: torch.Tensor) -> torch.Tensor:
        return hinge_sum(x, self.knots, self.weights, self.bias)


def interpolant(f: Target, a: float, b: float, n: int) -> Hinges:
    """The linear interpolant of ``f`` on [a, b] with ``n`` equal pieces, as hinges.

    Knots at a + i*h (i < n, h = (b - a)/n); the first weight is the slope of the first
    chord, each later weight the change of slope at its knot; the bias is f(a).
    """
    _checks.positive_int("n", n)
    a, b = _interval(a, b)
    ends = torch.linspace(a, b, n + 1, dtype=torch.float64)
    values = f(ends).to(torch.float64)
    slopes = torch.diff(values) / torch.diff(ends)
    weights = torch.cat([slopes[:1], torch.diff(slopes)])
    return Hinges(ends[:-1], weights, float(values[0]))


def hinge_design(x: torch.Tensor, knots) -> torch.Tensor:
    """Design matrix (n, k + 1): a column relu(x - k_i) per knot, then a column of ones."""
    x, knots = _tensor_1d("x", x), _knots(knots)
    return torch.cat([torch.relu(x[:, None] - knots[None, :]), torch.ones(len(x), 1,
                      dtype=torch.float64)], dim=1)


def least_squares(x: torch.Tensor, y: torch.Tensor, knots) -> Hinges:
    """Hinge weights and bias minimising the squared error to ``y`` (n,) at ``x`` (n,),
    with the ``knots`` held fixed (a linear problem, solved with torch.linalg.lstsq)."""
    x, y = _tensor_1d("x", x).cpu(), _tensor_1d("y", y).cpu()
    if len(x) != len(y):
        raise ValueError(f"x and y must have the same length, got {len(x)} and {len(y)}")
    design = hinge_design(x, knots)
    solution = torch.linalg.lstsq(design, y[:, None], driver="gelsd").solution[:, 0]
    return Hinges(_knots(knots), solution[:-1], float(solution[-1]))


@dataclass
class NetFit:
    """A trained one-hidden-layer ReLU net ``model`` (Sequential Linear, ReLU, Linear)
    and its mean squared ``loss`` per epoch (list of floats)."""
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
    """Train Linear(d, units) -> ReLU -> Linear(units, 1) on ``y`` (n,) at ``x`` (n,) or
    (n, d) by full-batch Adam on the mean squared error. Seeded, so repeatable."""
    _checks.positive_int("units", units)
    _checks.positive_int("epochs", epochs)
    check_seed(seed)
    device = default_device() if device is None else torch.device(device)
    inputs = x.reshape(len(x), -1).float().to(device)
    targets = _tensor_1d("y", y).float().to(device)
    if len(inputs) != len(targets):
        raise ValueError(f"x and y must have the same length, got {len(inputs)} and {len(targets)}")
    torch.manual_seed(seed)
    model = nn.Sequential(nn.Linear(inputs.shape[1], units), nn.ReLU(), nn.Linear(units, 1))
    model.to(device)
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    losses = []
    for _ in range(epochs):
        optimizer.zero_grad()
        loss = torch.mean((model(inputs)[:, 0] - targets) ** 2)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    return NetFit(model.eval(), losses)


def fine_grid(a: float, b: float, points: int = 16_001) -> torch.Tensor:
    """``points`` equally spaced x in [a, b], float64 (odd counts include the midpoint)."""
    a, b = _interval(a, b)
    _checks.positive_int("points", points)
    return torch.linspace(a, b, points, dtype=torch.float64)


def errors(f: Target, approx: Target, a: float, b: float, points: int = 16_001) -> dict:
    """Max and mean absolute error of ``approx`` against ``f`` on a fine grid of [a, b]."""
    x = fine_grid(a, b, points)
    gap = (approx(x).to(torch.float64).cpu() - f(x).to(torch.float64)).abs()
    return {"max_error": float(gap.max()), "mean_error": float(gap.mean())}


def error_table(f: Target, a: float, b: float, ns, points: int = 16_001) -> pd.DataFrame:
    """Errors of the equal-pieces interpolant of ``f`` on [a, b] for each N in ``ns``.

    Columns ``N``, ``max_error``, ``mean_error``; one row per N.
    """
    rows = [{"N": n, **errors(f, interpolant(f, a, b, n), a, b, points)} for n in ns]
    return pd.DataFrame(rows, columns=["N", "max_error", "mean_error"])


def loglog_slope(ns, values) -> float:
    """Slope of the least-squares line through (log N, log value): the power p in value ~ N^p."""
    ns, values = np.asarray(ns, dtype=float), np.asarray(values, dtype=float)
    if ns.shape != values.shape or ns.ndim != 1 or len(ns) < 2:
        raise ValueError(f"need two 1-D sequences of equal length >= 2, got shapes "
                         f"{ns.shape} and {values.shape}")
    if (ns <= 0).any() or (values <= 0).any():
        raise ValueError("a log-log fit needs positive N and positive values")
    return float(np.polyfit(np.log(ns), np.log(values), 1)[0])


def curve_table(x: torch.Tensor, **curves: Target) -> pd.DataFrame:
    """A long table of several functions on ``x`` (n,): columns ``x``, ``curve``, ``y``."""
    x = _tensor_1d("x", x)
    parts = [pd.DataFrame({"x": x.cpu().numpy(), "curve": name,
                           "y": fn(x).to(torch.float64).cpu().numpy()})
             for name, fn in curves.items()]
    return pd.concat(parts, ignore_index=True)
