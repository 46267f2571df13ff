"""Piecewise-linear approximation with ReLU hinges (chapter 4).

``relu(x - k)`` is a hinge: zero left of the knot ``k``, slope 1 right of it. A weighted
sum of hinges is a continuous piecewise-linear function whose kinks sit at the knots;
each weight is the change of slope at its knot. Here are three ways to choose the
weights (by construction, by least squares, by gradient descent) and ways to measure
how good the result is.
"""
from typing import Callable, NamedTuple

import numpy as np
import pandas as pd
import torch

from .. import _checks

MAX_POINTS = 10_000_000    # fine_grid, errors, error_table: 80 MB of float64
Target = Callable[[torch.Tensor], torch.Tensor]


def _knots(knots) -> torch.Tensor:
    knots = _checks.tensor_1d("knots", knots)
    if len(knots) == 0:
        raise ValueError("knots must not be empty: give at least one knot position")
    if len(knots) > 1 and not bool((knots[1:] > knots[:-1]).all()):
        raise ValueError(f"knots must be sorted in strictly increasing order, got {knots.tolist()}")
    return knots


def _knots_and_weights(knots, weights) -> tuple[torch.Tensor, torch.Tensor]:
    knots, weights = _knots(knots), _checks.tensor_1d("weights", weights)
    if len(weights) != len(knots):
        raise ValueError(f"weights and knots must have the same length, got "
                         f"{len(weights)} weights and {len(knots)} knots")
    return knots, weights


def _values(name: str, fn, x: torch.Tensor) -> torch.Tensor:
    """``fn(x)`` as float64, checked to be a tensor of one value per point of ``x`` (n,)."""
    try:
        values = _checks.function(name, fn)(x)
    except (TypeError, ValueError, RuntimeError) as error:   # math.sin, a scalar-only function
        raise TypeError(f"{name} must take a tensor (torch.sin, not math.sin): called on "
                        f"x of shape {tuple(x.shape)} it raised {type(error).__name__}: "
                        f"{error}") from None
    if not isinstance(values, torch.Tensor) or values.shape != x.shape:
        raise ValueError(f"{name} must return a tensor of shape {tuple(x.shape)}, one value "
                         f"per x; got {getattr(values, 'shape', type(values).__name__)}")
    if values.is_complex():
        raise TypeError(f"{name} must return real numbers, got {values.dtype}")
    return _checks.finite(f"{name}(x)", values.detach().to(torch.float64))


def hinge(x: torch.Tensor, knot: float) -> torch.Tensor:
    """The hinge relu(x - knot): 0 for x <= knot, then slope 1. Same shape as ``x``.

    >>> hinge(torch.tensor([-1.0, 0.0, 1.0, 2.0]), 0.5)
    tensor([0.0000, 0.0000, 0.5000, 1.5000])
    """
    if not isinstance(x, torch.Tensor) or x.is_complex():
        raise TypeError(f"x must be a real torch.Tensor, got {type(x).__name__}")
    knot = _checks.finite_number("knot", knot)
    return torch.relu(x - knot)


def hinge_sum(x: torch.Tensor, knots, weights, bias: float = 0.0) -> torch.Tensor:
    """sum_i weights[i] * relu(x - knots[i]) + bias, for ``x`` of shape (n,); float64.

    ``knots`` (k,) must be non-empty and strictly increasing; ``weights`` has the same
    length. Returns shape (n,).

    >>> hinge_sum(torch.tensor([0.0, 1.0, 2.0, 3.0]), [0.0, 1.0], [1.0, -1.0], bias=0.5)
    tensor([0.5000, 1.5000, 1.5000, 1.5000], dtype=torch.float64)
    """
    knots, weights = _knots_and_weights(knots, weights)
    x = _checks.tensor_1d("x", x)
    bias = _checks.finite_number("bias", bias)
    _checks.allocation("x", len(x) * len(knots), f"{len(x):,} points x {len(knots):,} knots")
    knots, weights = knots.to(x.device), weights.to(x.device)
    return torch.relu(x[:, None] - knots[None, :]) @ weights + bias


class _HingeParts(NamedTuple):
    knots: torch.Tensor
    weights: torch.Tensor
    bias: float


class Hinges(_HingeParts):
    """A hinge sum: ``knots`` (k,), ``weights`` (k,) and a ``bias``; call it on x (n,).

    >>> Hinges(torch.tensor([0.0]), torch.tensor([2.0]), 1.0)(torch.tensor([-1.0, 1.0]))
    tensor([1., 3.], dtype=torch.float64)
    """
    __slots__ = ()

    def __new__(cls, knots, weights, bias: float):
        _knots_and_weights(knots, weights)
        bias = _checks.finite_number("bias", bias)
        return super().__new__(cls, knots, weights, bias)

    def __call__(self, x: torch.Tensor) -> torch.Tensor:
        return hinge_sum(x, self.knots, self.weights, self.bias)


def interpolant(f: Target, a: float, b: float, n: int) -> Hinges:
    """The linear interpolant of ``f`` on [a, b] with ``n`` equal pieces, as hinges.

    Knots at a + i*h (i < n; h = (b - a)/n is the width of a piece, not a knot); the
    first weight is the slope of the first chord, each later weight the change of slope at
    its knot; the bias is f(a). The result's ``knots`` and ``weights`` have shape (n,).

    >>> knots, weights, bias = interpolant(lambda x: x ** 2, 0.0, 2.0, 2)   # slopes 1, 3
    >>> knots.tolist(), weights.tolist(), bias
    ([0.0, 1.0], [1.0, 2.0], 0.0)
    """
    n = _checks.at_most("n", n, MAX_POINTS)
    a, b = _checks.interval(a, b, ("a", "b"))
    ends = torch.linspace(a, b, n + 1, dtype=torch.float64)
    values = _values("f", f, ends)
    slopes = torch.diff(values) / torch.diff(ends)
    weights = torch.cat([slopes[:1], torch.diff(slopes)])
    return Hinges(ends[:-1], weights, float(values[0]))


def hinge_design(x: torch.Tensor, knots) -> torch.Tensor:
    """Design matrix (n, k + 1): a column relu(x - k_i) per knot, then a column of ones.

    ``x`` has shape (n,), ``knots`` (k,); float64.

    >>> hinge_design(torch.tensor([0.0, 1.0, 2.0]), [0.5])
    tensor([[0.0000, 1.0000],
            [0.5000, 1.0000],
            [1.5000, 1.0000]], dtype=torch.float64)
    """
    x, knots = _checks.tensor_1d("x", x), _knots(knots)
    return torch.cat([torch.relu(x[:, None] - knots[None, :]), torch.ones(len(x), 1,
                      dtype=torch.float64)], dim=1)


def least_squares(x: torch.Tensor, y: torch.Tensor, knots) -> Hinges:
    """Hinge weights and bias minimising the squared error to ``y`` (n,) at ``x`` (n,),
    with the ``knots`` (k,) held fixed (a linear problem, solved with torch.linalg.lstsq).
    Returns :class:`Hinges` with ``weights`` of shape (k,).

    >>> x = torch.linspace(-1.0, 1.0, 5, dtype=torch.float64)
    >>> fit = least_squares(x, x.abs(), [-1.0, 0.0])      # |x| = 1 - relu(x+1) + 2 relu(x)
    >>> [round(w, 6) for w in fit.weights.tolist()], round(fit.bias, 6)
    ([-1.0, 2.0], 1.0)
    """
    x, y = _checks.tensor_1d("x", x).cpu(), _checks.tensor_1d("y", y).cpu()
    if len(x) != len(y):
        raise ValueError(f"x and y must have the same length, got {len(x)} and {len(y)}")
    design = hinge_design(x, knots)
    solution = torch.linalg.lstsq(design, y[:, None], driver="gelsd").solution[:, 0]
    return Hinges(_knots(knots), solution[:-1], float(solution[-1]))


def fine_grid(a: float, b: float, points: int = 16_001) -> torch.Tensor:
    """``points`` equally spaced x in [a, b], float64 (odd counts include the midpoint);
    shape (points,); ``points`` is at most 10 million.

    >>> fine_grid(0, 1, points=5)
    tensor([0.0000, 0.2500, 0.5000, 0.7500, 1.0000], dtype=torch.float64)
    """
    a, b = _checks.interval(a, b, ("a", "b"))
    points = _checks.at_most("points", points, MAX_POINTS)
    return torch.linspace(a, b, points, dtype=torch.float64)


def errors(f: Target, approx: Target, a: float, b: float, points: int = 16_001) -> dict:
    """Max and mean absolute error of ``approx`` against ``f`` on a fine grid of [a, b].

    ``f`` and ``approx`` map a tensor x (n,) to values (n,); the result is a dict of two
    floats, ``max_error`` and ``mean_error``.

    >>> errors(lambda x: x ** 2, lambda x: x, 0.0, 1.0, points=5)
    {'max_error': 0.25, 'mean_error': 0.125}
    """
    x = fine_grid(a, b, points)
    gap = (_values("approx", approx, x).cpu() - _values("f", f, x).cpu()).abs()
    return {"max_error": float(gap.max()), "mean_error": float(gap.mean())}


def error_table(f: Target, a: float, b: float, ns, points: int = 16_001) -> pd.DataFrame:
    """Errors of the equal-pieces interpolant of ``f`` on [a, b] for each N in ``ns``.

    Columns ``N``, ``max_error``, ``mean_error``; one row per N.

    >>> error_table(lambda x: x ** 2, 0.0, 1.0, [1, 2], points=5)["max_error"].tolist()
    [0.25, 0.0625]
    """
    ns = [] if isinstance(ns, (str, bytes)) or not hasattr(ns, "__iter__") else list(ns)
    if not ns:
        raise TypeError("ns must be a non-empty list of piece counts")
    for n in ns:
        _checks.positive_int("each of ns", n)
    rows = [{"N": n, **errors(f, interpolant(f, a, b, n), a, b, points)} for n in ns]
    return pd.DataFrame(rows, columns=["N", "max_error", "mean_error"])


def loglog_slope(ns, values) -> float:
    """Slope of the least-squares line through (log N, log value): the power p in value ~ N^p.

    ``ns`` and ``values`` are 1-D sequences of equal length (>= 2); returns a float.

    >>> round(loglog_slope([1, 2, 4], [1.0, 0.25, 0.0625]), 6)
    -2.0
    """
    try:
        ns, values = np.asarray(ns, dtype=float), np.asarray(values, dtype=float)
    except (TypeError, ValueError):
        raise TypeError("ns and values must be sequences of numbers") from None
    if ns.shape != values.shape or ns.ndim != 1 or len(ns) < 2:
        raise ValueError(f"ns and values must be 1-D sequences of equal length >= 2, got "
                         f"shapes {ns.shape} and {values.shape}")
    if not (np.isfinite(ns).all() and np.isfinite(values).all()) or (ns <= 0).any() \
            or (values <= 0).any():
        raise ValueError("a log-log fit needs positive, finite ns and values")
    if len(np.unique(ns)) < 2:
        raise ValueError(f"ns must hold at least two different N, got {ns.tolist()}")
    return float(np.polyfit(np.log(ns), np.log(values), 1)[0])


def curve_table(x: torch.Tensor, **curves: Target) -> pd.DataFrame:
    """A long table of several functions on ``x`` (n,): columns ``x``, ``curve``, ``value``
    (as in :func:`nonlin_course.curves`); one row per (curve, x), so n rows per keyword
    argument.

    >>> curve_table(torch.tensor([0.0, 1.0]), square=lambda x: x ** 2, line=lambda x: x)
         x   curve  value
    0  0.0  square    0.0
    1  1.0  square    1.0
    2  0.0    line    0.0
    3  1.0    line    1.0
    """
    x = _checks.tensor_1d("x", x)
    if not curves:
        raise TypeError("curve_table needs at least one curve: curve_table(x, name=function)")
    parts = [pd.DataFrame({"x": x.cpu().numpy(), "curve": name,
                           "value": _values(name, fn, x).cpu().numpy()})
             for name, fn in curves.items()]
    return pd.concat(parts, ignore_index=True)
