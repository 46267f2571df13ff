"""Linear regions of a ReLU network (their colours on a map: figures.maps.region_colours).

Inside a region every ReLU is either on or off, so the network is one affine map
there. Points share a region exactly when they share an on/off pattern (for one
hidden layer; deeper nets can reuse a pattern in separate pieces).

The examples use the smallest ReLU network, one ReLU on the plane: unit k is on where
x_k > 0, so its regions are the quadrants.
"""
import pandas as pd
import torch
from torch import nn

from .. import _checks
from ..runtime import one_thread


@torch.no_grad()
def relu_patterns(model: nn.Module, X: torch.Tensor) -> torch.Tensor:
    """On/off pattern of every ReLU in a Sequential ``model`` for inputs ``X`` (n, d).

    Returns a bool tensor of shape (n, number of ReLU units), on the CPU. LeakyReLU and
    PReLU units count too (on where their input is > 0); nested Sequentials are read in
    order, a module with its own ``forward`` is refused.

    >>> relu_patterns(nn.Sequential(nn.ReLU()), torch.tensor([[1.0, -1.0], [-2.0, 3.0]]))
    tensor([[ True, False],
            [False,  True]])
    """
    layers = _checks.layers(model)
    X = _checks.model_input(model, X)
    patterns, h = [], X
    with one_thread():   # small layers: a second thread only waits
        for layer in layers:
            h = layer(h)
            if isinstance(layer, (nn.ReLU, nn.LeakyReLU, nn.PReLU)):
                patterns.append(h > 0)
    if not patterns:
        raise ValueError("only nn.ReLU layers (and LeakyReLU, PReLU) are tracked and this "
                         "model has none; its layers "
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

    This bounds the linear regions of a one-hidden-layer ReLU network. The sum has
    min(dims, units) + 1 terms, so ``dims`` may be huge (a closed form: only ``units`` + 1
    terms count); ``min(dims, units)`` is at most 10 000 and ``units`` at most 10^9, which
    keeps the exact integers (up to 90 000 digits) quick to compute.

    >>> max_regions_one_layer(8)
    37
    """
    units = _checks.at_most("units", units, 10**9)
    dims = _checks.positive_int("dims", dims)
    if min(dims, units) > 10_000:
        raise ValueError(f"dims (or units) must be at most 10 000 when the other is larger, "
                         f"got units={units:,}, dims={dims:,}: the sum would have "
                         f"{min(dims, units) + 1:,} terms of up to {units:,} digits")
    total = term = 1                      # C(units, 0); C(units, i) = 0 for i > units
    for i in range(min(dims, units)):
        term = term * (units - i) // (i + 1)  # C(units, i + 1), exact
        total += term
    return total


@torch.no_grad()
def unit_lines(model: nn.Module, grid: torch.Tensor) -> pd.DataFrame:
    """Where each unit of the first Linear layer switches, as a segment across the box
    around ``grid`` (n, 2): the line ``w_i . x + b_i = 0``, clipped to the box.

    For a network with one hidden ReLU layer these segments are exactly the edges of its
    linear regions. Columns ``unit``, ``x1``, ``x2``, ``x1end``, ``x2end``; one row per
    unit whose line crosses the box; when none crosses it the table is empty (a valid
    answer, which ``region_map(lines=...)`` draws as no line).

    >>> net = nn.Sequential(nn.Linear(2, 1), nn.ReLU())
    >>> with torch.no_grad():
    ...     _ = net[0].weight.copy_(torch.tensor([[1.0, 0.0]])); _ = net[0].bias.zero_()
    >>> unit_lines(net, torch.tensor([[-1.0, -2.0], [1.0, 2.0]]))      # the line x1 = 0
       unit   x1   x2  x1end  x2end
    0     0  0.0 -2.0    0.0    2.0
    """
    grid = _checks.model_input(model, _checks.tensor_2d("grid", grid, columns=2), "grid")
    first = next((layer for layer in _checks.layers(model) if isinstance(layer, nn.Linear)),
                 None)
    if first is None:
        raise ValueError("model has no Linear layer, so no unit has a line")
    low, high = grid.min(0).values.double().cpu(), grid.max(0).values.double().cpu()
    rows = []
    for unit, (w, b) in enumerate(zip(first.weight.double().cpu(), first.bias.double().cpu())):
        ends = _clip_line(w, float(b), low, high)
        if ends is not None:
            rows.append([unit, *ends])
    return pd.DataFrame(rows, columns=["unit", "x1", "x2", "x1end", "x2end"]).astype(
        {"unit": "int64", "x1": "float64", "x2": "float64", "x1end": "float64",
         "x2end": "float64"})   # numbers even with no row


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



def interior_points(ids: torch.Tensor) -> torch.Tensor:
    """Which points of a grid lie inside their linear region, not next to its boundary.

    ``ids`` holds a region id per grid point, shape (rows, columns) (for example
    ``region_ids(model, grid).reshape(rows, columns)``). Returns a bool tensor of the same
    shape: True where the point and its four neighbours (up, down, left, right) have the
    same id; the points on the grid's edge, which lack a neighbour, are False.

    >>> ids = torch.tensor([[0, 0, 0, 0], [0, 0, 0, 1], [0, 0, 0, 1], [0, 0, 1, 1]])
    >>> interior_points(ids).int()
    tensor([[0, 0, 0, 0],
            [0, 1, 0, 0],
            [0, 1, 0, 0],
            [0, 0, 0, 0]], dtype=torch.int32)
    """
    if not isinstance(ids, torch.Tensor) or ids.ndim != 2 or ids.is_floating_point() \
            or ids.is_complex():
        raise ValueError("ids must be a 2-D tensor of integer region ids, shape (rows, "
                         f"columns); got {getattr(ids, 'shape', type(ids).__name__)} "
                         f"{getattr(ids, 'dtype', '')}".rstrip())
    inner = torch.zeros_like(ids, dtype=torch.bool)
    centre = ids[1:-1, 1:-1]
    inner[1:-1, 1:-1] = ((centre == ids[:-2, 1:-1]) & (centre == ids[2:, 1:-1])
                         & (centre == ids[1:-1, :-2]) & (centre == ids[1:-1, 2:]))
    return inner
