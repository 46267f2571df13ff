"""Depth multiplies the bends: the tent map, its compositions, and exact piece counts.

The tent map t(x) = 2 relu(x) - 4 relu(x - 1/2) rises from 0 to 1 on [0, 1/2] and falls
back on [1/2, 1]: two ReLUs, two pieces. Composed L times it is a sawtooth with 2^L
pieces, built by a network of L hidden layers of 2 units. One hidden layer needs a hinge
per bend: 2^L units for the same function on [0, 1].

A 1-D ReLU network is linear between the points where some unit switches on or off, so
its pieces can be counted exactly (:func:`breakpoints`), not estimated on a grid.
"""
import copy

import pandas as pd
import torch
from torch import nn

from .. import _checks

MAX_LAYERS = 20   # a sawtooth of 2^20 pieces is the most these functions build


def _layers(value, name: str = "layers") -> int:
    _checks.positive_int(name, value)
    if value > MAX_LAYERS:
        raise ValueError(f"{name} must be at most {MAX_LAYERS} (2^layers pieces), got {value}")
    return value


@torch.no_grad()
def tent_net(layers: int) -> nn.Sequential:
    """The tent map composed ``layers`` times, as a ReLU network (float64) of sizes
    [1, 2, ..., 2, 1]: ``layers`` hidden layers of two units.

    Hidden layer l computes relu(u) and relu(u - 1/2) of u = t applied l - 1 times; the
    next Linear layer forms t(u) = 2 relu(u) - 4 relu(u - 1/2) and passes it on.

    >>> net = tent_net(2)
    >>> net(torch.tensor([[0.125], [0.25], [0.375]], dtype=torch.float64)).flatten().tolist()
    [0.5, 1.0, 0.5]
    """
    layers = _layers(layers)
    modules: list[nn.Module] = []
    combine = torch.tensor([[2.0, -4.0]], dtype=torch.float64)   # t from the two units
    for layer in range(layers):
        linear = nn.Linear(1 if layer == 0 else 2, 2, dtype=torch.float64)
        column = torch.ones(2, 1, dtype=torch.float64)
        linear.weight.copy_(column if layer == 0 else column @ combine)
        linear.bias.copy_(torch.tensor([0.0, -0.5]))
        modules += [linear, nn.ReLU()]
    out = nn.Linear(2, 1, dtype=torch.float64)
    out.weight.copy_(combine)
    out.bias.zero_()
    return nn.Sequential(*modules, out)


@torch.no_grad()
def shallow_sawtooth(layers: int) -> nn.Sequential:
    """One hidden layer of 2^``layers`` ReLUs equal to ``tent_net(layers)`` on [0, 1]
    (float64): a hinge at each k / 2^layers, its weight the change of slope there.

    >>> net = shallow_sawtooth(2)
    >>> net[0].out_features
    4
    >>> x = torch.linspace(0, 1, 9, dtype=torch.float64).unsqueeze(1)
    >>> torch.allclose(net(x), tent_net(2)(x))
    True
    """
    n = 2 ** _layers(layers)
    hidden = nn.Linear(1, n, dtype=torch.float64)
    hidden.weight.fill_(1.0)
    hidden.bias.copy_(-torch.arange(n, dtype=torch.float64) / n)
    signs = torch.tensor([(-1.0) ** k for k in range(n)], dtype=torch.float64)
    out = nn.Linear(n, 1, dtype=torch.float64)
    out.weight.copy_((signs * 2 * n).unsqueeze(0))   # slope goes +n, -n, +n: changes of 2n
    out.weight[0, 0] = n                             # the first hinge sets the first slope
    out.bias.zero_()
    return nn.Sequential(hidden, nn.ReLU(), out)


def _interval(low, high) -> tuple[float, float]:
    return _checks.interval(low, high)


def _kinks(layer: nn.Module) -> list[float]:
    """Where the piecewise-linear activation ``layer`` bends (of its input)."""
    if isinstance(layer, (nn.ReLU, nn.LeakyReLU, nn.PReLU)):
        return [0.0]
    if isinstance(layer, nn.Hardtanh):      # ReLU6 is a Hardtanh from 0 to 6
        return [float(layer.min_val), float(layer.max_val)]
    return []


def _interpolated(x: torch.Tensor, h: torch.Tensor, kinks: list[float]):
    """``x`` (P,) with every point added where a column of ``h`` (P, units), linear between
    consecutive points, crosses one of ``kinks``, and ``h`` at those points; sorted."""
    new_x, new_h = [x], [h]
    for kink in kinks:
        a, b = h[:-1] - kink, h[1:] - kink
        interval, unit = torch.nonzero((a * b) < 0, as_tuple=True)
        _checks.allocation("model", (len(x) + len(interval)) * h.shape[1],
                           f"{len(x) + len(interval):,} points x {h.shape[1]:,} units")
        t = (a[interval, unit] / (a[interval, unit] - b[interval, unit])).unsqueeze(1)
        new_x.append(x[interval] + t[:, 0] * (x[interval + 1] - x[interval]))
        new_h.append(h[interval] + t * (h[interval + 1] - h[interval]))
    x, h = torch.cat(new_x), torch.cat(new_h)
    x, where = torch.unique(x, return_inverse=True)            # sorted; a point once
    first = torch.full((len(x),), len(where), dtype=torch.long).scatter_reduce(
        0, where, torch.arange(len(where)), "amin")
    return x, h[first]


PIECEWISE = (nn.Linear, nn.Identity, nn.ReLU, nn.LeakyReLU, nn.PReLU, nn.Hardtanh)


def _propagate(model: nn.Module, low: float, high: float):
    """Every point of [low, high] (ends included) where some unit of ``model`` bends, and
    the values of the model's output there: ((P,), (P, outputs)), float64, CPU."""
    layers = copy.deepcopy(_checks.layers(model, PIECEWISE, "counting linear pieces "
                                          "exactly (it needs a piecewise-linear network)"))
    layers = layers.double().cpu()
    if not all(torch.isfinite(p).all() for p in layers.parameters()):
        raise ValueError("model's weights must be finite (no NaN or inf)")
    _checks.model_input(layers, torch.zeros(1, 1, dtype=torch.float64))
    x = torch.tensor([low, high], dtype=torch.float64)
    h = x.unsqueeze(1)
    for layer in layers:
        if isinstance(layer, nn.Linear):
            _checks.allocation("model", len(x) * layer.out_features,
                               f"{len(x):,} points x {layer.out_features:,} units")
        elif _kinks(layer):
            x, h = _interpolated(x, h, _kinks(layer))
        h = layer(h)
    return x, h


@torch.no_grad()
def breakpoints(model: nn.Module, low: float = 0.0, high: float = 1.0) -> torch.Tensor:
    """Every x in (low, high) where some unit of the 1-input ``model`` bends, found exactly
    (float64), layer by layer; sorted, shape (k,), CPU.

    ``model`` is an ``nn.Sequential`` (nested ones are read in order) of Linear, Identity
    and piecewise-linear activations (ReLU, LeakyReLU, PReLU, Hardtanh, ReLU6); anything
    else (tanh, a module with its own ``forward``) is refused, since its bends cannot be
    listed. Between consecutive known points every pre-activation is linear in x, so a
    unit bends where the line through its values at the two ends crosses a kink of its
    activation. A tensor held at any layer is limited to 2^25 numbers (points x units);
    a larger one is refused with that limit.

    >>> breakpoints(tent_net(2)).tolist()
    [0.25, 0.5, 0.75]
    """
    low, high = _interval(low, high)
    return _propagate(model, low, high)[0][1:-1]


@torch.no_grad()
def linear_pieces(model: nn.Module, low: float = 0.0, high: float = 1.0) -> int:
    """Number of linear pieces of the 1-input, 1-output ``model`` on [low, high]: one more
    than the breakpoints where its slope really changes (relative change above 1e-9).
    ``model`` as for :func:`breakpoints`.

    >>> linear_pieces(tent_net(3)), linear_pieces(shallow_sawtooth(3))
    (8, 8)
    """
    low, high = _interval(low, high)
    knots, values = _propagate(model, low, high)
    if values.shape[1] != 1:
        raise ValueError(f"model must have one output, got {values.shape[1]}")
    slopes = torch.diff(values[:, 0]) / torch.diff(knots)
    scale = slopes.abs().max().clamp(min=1.0)
    return 1 + int((torch.diff(slopes).abs() > 1e-9 * scale).sum())


def _table_layers() -> int:
    """The most layers whose shallow sawtooth :func:`linear_pieces` can count: its
    2^L + 2 points x 2^L units must fit the 2^25 numbers of one tensor."""
    return max(L for L in range(1, MAX_LAYERS + 1)
               if (2**L + 2) * 2**L <= _checks.MAX_VALUES)


def sawtooth_table(max_layers: int = 8) -> pd.DataFrame:
    """For L = 1..``max_layers``: hidden units and counted pieces of the deep sawtooth
    (``tent_net``) and of the one-layer net with the same function (``shallow_sawtooth``).

    Columns ``layers``, ``deep_units``, ``deep_pieces``, ``shallow_units``,
    ``shallow_pieces``; one row per L. ``max_layers`` is at most 12: counting the pieces of
    the one-layer net holds its 2^L units at 2^L + 2 points, 2^24 + 2^13 numbers for L = 12.

    >>> sawtooth_table(2).to_dict("list")["deep_pieces"]
    [2, 4]
    """
    limit = _table_layers()
    max_layers = _checks.at_most("max_layers", max_layers, limit)
    rows = []
    for L in range(1, max_layers + 1):
        deep, shallow = tent_net(L), shallow_sawtooth(L)
        rows.append({"layers": L, "deep_units": 2 * L, "deep_pieces": linear_pieces(deep),
                     "shallow_units": 2 ** L, "shallow_pieces": linear_pieces(shallow)})
    return pd.DataFrame(rows)


def parameter_count(sizes: list[int]) -> int:
    """Weights and biases of ``mlp(sizes)``: sum of (in + 1) * out over its layers.

    >>> parameter_count([2, 10, 2])
    52
    """
    if isinstance(sizes, (str, bytes)) or not hasattr(sizes, "__len__") or len(sizes) < 2:
        raise ValueError(f"sizes must be a list of at least two layer widths, got {sizes!r}")
    for size in sizes:
        _checks.positive_int("each layer width in sizes", size)
    return sum((a + 1) * b for a, b in zip(sizes[:-1], sizes[1:]))


def sizes_for_budget(depth: int, params: int, d_in: int = 2, d_out: int = 2) -> list[int]:
    """Layer sizes of an MLP with ``depth`` hidden layers of equal width whose parameter
    count is closest to ``params`` (at most 10 000 000; the smaller width on a tie).

    ``depth`` hidden layers need at least the parameters of width 1; a ``depth`` whose
    width-1 network already exceeds ``params`` is refused.

    >>> sizes_for_budget(1, 302), sizes_for_budget(2, 302)
    ([2, 60, 2], [2, 15, 15, 2])
    """
    for name, value in (("depth", depth), ("params", params), ("d_in", d_in), ("d_out", d_out)):
        _checks.positive_int(name, value)
    depth, params, d_in, d_out = int(depth), int(params), int(d_in), int(d_out)
    if params > 10**7:
        raise ValueError(f"params must be at most 10 000 000, got {params}")

    def count(w: int) -> int:    # parameter_count([d_in] + [w] * depth + [d_out])
        return (d_in + 1) * w + (depth - 1) * (w + 1) * w + (w + 1) * d_out

    if count(1) > params:
        raise ValueError(f"depth={depth:,} hidden layers of one unit already have {count(1):,} "
                         f"parameters, more than params={params:,}")
    low, high = 1, params + 1          # count(low) <= params < count(high)
    while high - low > 1:
        middle = (low + high) // 2
        low, high = (middle, high) if count(middle) <= params else (low, middle)
    width = low if params - count(low) <= count(low + 1) - params else low + 1
    return [d_in] + [width] * depth + [d_out]
