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
    for name, value in (("low", low), ("high", high)):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise TypeError(f"{name} must be a number, got {type(value).__name__}")
    if not (torch.isfinite(torch.tensor([low, high], dtype=torch.float64)).all() and low < high):
        raise ValueError(f"need finite low < high, got low={low!r}, high={high!r}")
    return float(low), float(high)


@torch.no_grad()
def breakpoints(model: nn.Module, low: float = 0.0, high: float = 1.0) -> torch.Tensor:
    """Every x in (low, high) where some ReLU of the 1-input Sequential ``model`` switches,
    found exactly (float64), layer by layer; sorted, shape (k,), CPU.

    Between consecutive known points every pre-activation is linear in x, so a unit
    switches where the line through its values at the two ends crosses 0.

    >>> breakpoints(tent_net(2)).tolist()
    [0.25, 0.5, 0.75]
    """
    low, high = _interval(low, high)
    net = copy.deepcopy(_checks.sequential(model)).double().cpu()
    _checks.model_input(net, torch.zeros(1, 1, dtype=torch.float64))
    x = torch.tensor([low, high], dtype=torch.float64)
    for i, layer in enumerate(net):
        if not isinstance(layer, nn.ReLU):
            continue
        z = net[:i](x.unsqueeze(1))                         # (points, units) before the ReLU
        a, b = z[:-1], z[1:]
        cross = (a * b) < 0                                 # a sign change inside an interval
        span = (x[1:] - x[:-1]).unsqueeze(1).expand_as(a)
        new = (x[:-1].unsqueeze(1) + span * a / (a - b))[cross]
        x = torch.unique(torch.cat([x, new]))               # sorted
    return x[1:-1]


@torch.no_grad()
def linear_pieces(model: nn.Module, low: float = 0.0, high: float = 1.0) -> int:
    """Number of linear pieces of the 1-input, 1-output ``model`` on [low, high]: one more
    than the breakpoints where its slope really changes (relative change above 1e-9).

    >>> linear_pieces(tent_net(3)), linear_pieces(shallow_sawtooth(3))
    (8, 8)
    """
    low, high = _interval(low, high)
    knots = torch.cat([torch.tensor([low], dtype=torch.float64),
                       breakpoints(model, low, high), torch.tensor([high], dtype=torch.float64)])
    net = copy.deepcopy(model).double().cpu()
    values = net(knots.unsqueeze(1))
    if values.shape[1] != 1:
        raise ValueError(f"model must have one output, got {values.shape[1]}")
    slopes = torch.diff(values[:, 0]) / torch.diff(knots)
    scale = slopes.abs().max().clamp(min=1.0)
    return 1 + int((torch.diff(slopes).abs() > 1e-9 * scale).sum())


def sawtooth_table(max_layers: int = 8) -> pd.DataFrame:
    """For L = 1..``max_layers``: hidden units and counted pieces of the deep sawtooth
    (``tent_net``) and of the one-layer net with the same function (``shallow_sawtooth``).

    Columns ``layers``, ``deep_units``, ``deep_pieces``, ``shallow_units``,
    ``shallow_pieces``; one row per L.

    >>> sawtooth_table(2).to_dict("list")["deep_pieces"]
    [2, 4]
    """
    rows = []
    for L in range(1, _layers(max_layers, "max_layers") + 1):
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
    count is closest to ``params`` (the smaller width on a tie).

    >>> sizes_for_budget(1, 302), sizes_for_budget(2, 302)
    ([2, 60, 2], [2, 15, 15, 2])
    """
    for name, value in (("depth", depth), ("params", params), ("d_in", d_in), ("d_out", d_out)):
        _checks.positive_int(name, value)
    if params > 10**7:
        raise ValueError(f"params must be at most 10 000 000, got {params}")
    shape = lambda w: [d_in] + [w] * depth + [d_out]
    width = 1
    while parameter_count(shape(width + 1)) <= params:
        width += 1
    gaps = [abs(parameter_count(shape(w)) - params) for w in (width, width + 1)]
    return shape(width if gaps[0] <= gaps[1] else width + 1)
