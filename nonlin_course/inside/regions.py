"""Linear regions of a ReLU network, and colours to tell them apart on a map.

Inside a region every ReLU is either on or off, so the network is one affine map
there. Points share a region exactly when they share an on/off pattern (for one
hidden layer; deeper nets can reuse a pattern in separate pieces).

The examples use the smallest ReLU network, one ReLU on the plane: unit k is on where
x_k > 0, so its regions are the quadrants.
"""
from math import comb

import pandas as pd
import torch
from torch import nn

from .. import _checks, _frames
from ..figures.palette import REGION_PALETTE
from .probe import _sequential
from ..runtime import one_thread


@torch.no_grad()
def relu_patterns(model: nn.Module, X: torch.Tensor) -> torch.Tensor:
    """On/off pattern of every ReLU in a Sequential ``model`` for inputs ``X`` (n, d).

    Returns a bool tensor of shape (n, number of ReLU units), on the CPU.

    >>> relu_patterns(nn.Sequential(nn.ReLU()), torch.tensor([[1.0, -1.0], [-2.0, 3.0]]))
    tensor([[ True, False],
            [False,  True]])
    """
    X = _checks.model_input(model, X)
    patterns, h = [], X
    with one_thread():   # small layers: a second thread only waits
        for layer in _sequential(model):
            h = layer(h)
            if isinstance(layer, nn.ReLU):
                patterns.append(h > 0)
    if not patterns:
        raise ValueError("only nn.ReLU layers are tracked and this model has none; its layers "
                         f"are {[type(layer).__name__ for layer in model]}")
    return torch.cat(patterns, dim=1).cpu()


def region_ids(model: nn.Module, X: torch.Tensor) -> torch.Tensor:
    """An integer id per point of ``X`` (n, d): equal ids mean equal ReLU patterns.

    Ids count from 0 in order of first appearance; shape (n,), int64, CPU.

    >>> X = torch.tensor([[1.0, -1.0], [-2.0, 3.0], [2.0, -0.5]])
    >>> region_ids(nn.Sequential(nn.ReLU()), X)
    tensor([0, 1, 0])
    """
    _, first_seen_order = torch.unique(relu_patterns(model, X), dim=0, return_inverse=True)
    # relabel so ids follow the order of first appearance (stable across torch versions)
    order = {}
    return torch.tensor([order.setdefault(i, len(order)) for i in first_seen_order.tolist()],
                        dtype=torch.int64)


def count_regions(model: nn.Module, X: torch.Tensor) -> int:
    """Number of distinct ReLU on/off patterns among the points ``X`` (n, d); an int.

    >>> X = torch.tensor([[1.0, -1.0], [-2.0, 3.0], [2.0, -0.5]])
    >>> count_regions(nn.Sequential(nn.ReLU()), X)
    2
    """
    codes = pattern_codes(relu_patterns(model, X))
    ids = torch.unique(codes[:, 0], return_inverse=True)[1]
    for column in codes.T[1:]:          # more than 62 units: combine column by column
        _, more = torch.unique(column, return_inverse=True)
        ids = torch.unique(ids * (int(more.max()) + 1) + more, return_inverse=True)[1]
    return int(ids.max()) + 1 if len(ids) else 0


def pattern_codes(patterns: torch.Tensor) -> torch.Tensor:
    """The on/off patterns (n, units), bool, packed 62 units to an int64: shape
    (n, ceil(units / 62)). Equal rows of codes are exactly equal patterns, and counting
    distinct rows of a few int64 columns is far faster than of many bool ones.

    >>> pattern_codes(torch.tensor([[True, False, True], [False, False, False]]))
    tensor([[5],
            [0]])
    """
    if not isinstance(patterns, torch.Tensor) or patterns.dtype != torch.bool or patterns.ndim != 2:
        raise TypeError("patterns must be a 2-D bool tensor (n, units), as from relu_patterns")
    weights = 2 ** torch.arange(62, dtype=torch.int64, device=patterns.device)
    chunks = patterns.long().split(62, dim=1)
    return torch.stack([(c * weights[:c.shape[1]]).sum(1) for c in chunks], dim=1)


def max_regions_one_layer(units: int, dims: int = 2) -> int:
    """Most regions ``units`` hyperplanes can cut R^dims into: sum of C(units, i), i <= dims.

    This bounds the linear regions of a one-hidden-layer ReLU network.

    >>> max_regions_one_layer(8)
    37
    """
    _checks.positive_int("units", units)
    _checks.positive_int("dims", dims)
    return sum(comb(units, i) for i in range(min(dims, units) + 1))   # C(units, i) = 0 for i > units


@torch.no_grad()
def unit_lines(model: nn.Module, grid: torch.Tensor) -> pd.DataFrame:
    """Where each unit of the first Linear layer switches, as a segment across the box
    around ``grid`` (n, 2): the line ``w_i . x + b_i = 0``, clipped to the box.

    For a network with one hidden ReLU layer these segments are exactly the edges of its
    linear regions. Columns ``unit``, ``x1``, ``x2``, ``x1end``, ``x2end``; one row per
    unit whose line crosses the box.

    >>> net = nn.Sequential(nn.Linear(2, 1), nn.ReLU())
    >>> with torch.no_grad():
    ...     _ = net[0].weight.copy_(torch.tensor([[1.0, 0.0]])); _ = net[0].bias.zero_()
    >>> unit_lines(net, torch.tensor([[-1.0, -2.0], [1.0, 2.0]]))      # the line x1 = 0
       unit   x1   x2  x1end  x2end
    0     0  0.0 -2.0    0.0    2.0
    """
    grid = _checks.model_input(model, _checks.tensor_2d("grid", grid, columns=2), "grid")
    first = next(layer for layer in _sequential(model) if isinstance(layer, nn.Linear))
    low, high = grid.min(0).values.double().cpu(), grid.max(0).values.double().cpu()
    rows = []
    for unit, (w, b) in enumerate(zip(first.weight.double().cpu(), first.bias.double().cpu())):
        ends = _clip_line(w, float(b), low, high)
        if ends is not None:
            rows.append([unit, *ends])
    return pd.DataFrame(rows, columns=["unit", "x1", "x2", "x1end", "x2end"])


def _clip_line(w: torch.Tensor, b: float, low: torch.Tensor, high: torch.Tensor):
    """The two ends of the line w . x + b = 0 inside the box [low, high], or None."""
    points = []
    for axis in (0, 1):
        other = 1 - axis
        if w[other] == 0:
            continue
        for edge in (low[axis], high[axis]):    # where the line meets x_axis = edge
            value = -(b + w[axis] * edge) / w[other] + 0.0
            if low[other] - 1e-12 <= value <= high[other] + 1e-12:
                point = [0.0, 0.0]
                point[axis], point[other] = float(edge), float(value) + 0.0   # no -0.0
                points.append(point)
    if len(points) < 2:
        return None
    points.sort()
    start, end = points[0], points[-1]
    return None if start == end else [*start, *end]


def region_colours(grid: pd.DataFrame) -> dict[int, str]:
    """A colour of ``REGION_PALETTE`` per ``region`` of a regular grid (columns ``x1``,
    ``x2`` and integer ``region``, one row per point), never the colour of a region that
    shares an edge with it while the palette lasts.

    Greedy colouring in order of region id; a region with ten differently coloured
    neighbours would have to repeat one. Returns ``{region id: "#rrggbb"}``.

    >>> grid = pd.DataFrame({"x1": [0.0, 1.0, 2.0] * 2, "x2": [0.0] * 3 + [1.0] * 3,
    ...                      "region": [5, 7, 5, 5, 7, 5]})
    >>> region_colours(grid)     # 5 touches 7: two colours
    {5: '#4e79a7', 7: '#f28e2b'}
    """
    return _greedy_colours(_frames.grid_columns(grid, name="grid", names=["x1", "x2", "region"]))


def _greedy_colours(data: pd.DataFrame) -> dict[int, str]:
    """``region_colours`` of a grid already checked by ``_frames.grid_columns``."""
    if not pd.api.types.is_integer_dtype(data["region"]):
        raise TypeError(f"region must hold integer ids (as from region_ids), "
                        f"got dtype {data['region'].dtype}")
    touching = _touching_regions(data)
    index: dict[int, int] = {}
    for region in sorted(touching):
        taken = {index[n] for n in touching[region] if n in index}
        index[region] = next(c for c in range(len(taken) + 1) if c not in taken)
    return {region: REGION_PALETTE[i % len(REGION_PALETTE)] for region, i in index.items()}


def _touching_regions(data: pd.DataFrame) -> dict[int, set[int]]:
    """For each region of a regular grid, the regions of its neighbouring cells (across
    and up/down)."""
    ids = data.pivot(index="x2", columns="x1", values="region").to_numpy()
    touching = {int(r): set() for r in data["region"].unique()}
    for a, b in [(ids[:, :-1], ids[:, 1:]), (ids[:-1, :], ids[1:, :])]:
        for i, j in set(zip(a[a != b].tolist(), b[a != b].tolist())):
            touching[int(i)].add(int(j))
            touching[int(j)].add(int(i))
    return touching
