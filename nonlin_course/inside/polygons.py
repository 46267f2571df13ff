"""The linear regions of a one-hidden-layer ReLU network on the plane, exactly.

Each hidden unit i switches along the line w_i . x + b_i = 0, so the regions are the
cells of an arrangement of lines: convex polygons, found here by cutting a box with each
unit's line in turn (no grid). Inside a region the network is one affine map, so its
decision boundary there is a straight segment, found exactly from the polygon's corners.
"""
import itertools

import numpy as np
import pandas as pd
import torch
from torch import nn

from .. import _checks

AREA_TOL = 1e-12          # of the box's area: a piece this thin is a rounding artefact


def _layers(model: nn.Module):
    if not isinstance(model, nn.Module):
        raise TypeError(f"model must be a torch.nn.Module, got {type(model).__name__}")
    layers = list(_checks.sequential(model))
    if (len(layers) != 3 or not isinstance(layers[0], nn.Linear) or not isinstance(layers[1], nn.ReLU)
            or not isinstance(layers[2], nn.Linear) or layers[0].in_features != 2):
        raise ValueError("model must be Linear(2, h) -> ReLU -> Linear(h, o), got "
                         f"{[type(layer).__name__ for layer in layers]}")
    return layers[0].weight.double().detach().cpu().numpy(), layers[0].bias.double().detach().cpu().numpy()


def _box(box) -> np.ndarray:
    try:
        corners = np.asarray(box, dtype=float)
    except (TypeError, ValueError):
        corners = np.zeros(0)
    if corners.shape != (2, 2) or not np.isfinite(corners).all() or not (corners[0] < corners[1]).all():
        raise ValueError(f"box must be ((x1_low, x2_low), (x1_high, x2_high)) with low < high, got {box!r}")
    return corners


def _cut(polygon: np.ndarray, w: np.ndarray, b: float, side: float) -> np.ndarray:
    """The part of a convex polygon (k, 2) where side * (w . x + b) >= 0 (Sutherland-Hodgman)."""
    values = side * (polygon @ w + b)
    out = []
    for k in range(len(polygon)):
        p, q, vp, vq = polygon[k], polygon[(k + 1) % len(polygon)], values[k], values[(k + 1) % len(polygon)]
        if vp >= 0:
            out.append(p)
        if (vp >= 0) != (vq >= 0):
            out.append(p + (q - p) * vp / (vp - vq))
    return np.array(out).reshape(-1, 2)


def _area(polygon: np.ndarray) -> float:
    x, y = polygon[:, 0], polygon[:, 1]
    return 0.5 * abs(np.dot(x, np.roll(y, -1)) - np.dot(y, np.roll(x, -1)))


def region_polygons(model: nn.Module, box) -> pd.DataFrame:
    """Every linear region of ``model`` (Linear(2, h) -> ReLU -> Linear) inside ``box``
    ((x1_low, x2_low), (x1_high, x2_high)), as a convex polygon.

    Columns ``region`` (0, 1, ... by size, largest first), ``pattern`` (the units that are
    on, as a string of 0/1), ``x1``, ``x2`` (the corners in order) and ``area``.

    >>> net = nn.Sequential(nn.Linear(2, 2), nn.ReLU(), nn.Linear(2, 1))
    >>> with torch.no_grad():
    ...     _ = net[0].weight.copy_(torch.eye(2)); _ = net[0].bias.zero_()
    >>> table = region_polygons(net, ((-1, -1), (1, 1)))      # the axes cut four quadrants
    >>> table.region.nunique(), sorted(table.groupby("region").area.first().round(3))
    (4, [1.0, 1.0, 1.0, 1.0])
    """
    W, b = _layers(model)
    corners = _box(box)
    (x0, y0), (x1, y1) = corners
    pieces = [("", np.array([[x0, y0], [x1, y0], [x1, y1], [x0, y1]]))]
    least = AREA_TOL * (x1 - x0) * (y1 - y0)
    for w, c in zip(W, b):
        pieces = [(pattern + on, part) for pattern, polygon in pieces
                  for on, side in (("1", 1.0), ("0", -1.0))
                  if len(part := _cut(polygon, w, c, side)) >= 3 and _area(part) > least]
    pieces.sort(key=lambda piece: -_area(piece[1]))
    rows = [(k, pattern, x, y, _area(polygon)) for k, (pattern, polygon) in enumerate(pieces)
            for x, y in polygon]
    return pd.DataFrame(rows, columns=["region", "pattern", "x1", "x2", "area"])


def line_crossings(model: nn.Module, box) -> tuple[int, int]:
    """(lines, crossings): how many of the units' lines cross the open ``box`` and how many
    points where two of them cross lie inside it. For lines in general position the
    regions inside the box number exactly 1 + lines + crossings.

    >>> net = nn.Sequential(nn.Linear(2, 2), nn.ReLU(), nn.Linear(2, 1))
    >>> with torch.no_grad():
    ...     _ = net[0].weight.copy_(torch.eye(2)); _ = net[0].bias.zero_()
    >>> line_crossings(net, ((-1, -1), (1, 1)))               # 1 + 2 + 1 = 4 quadrants
    (2, 1)
    """
    W, b = _layers(model)
    low, high = _box(box)
    square = np.array([[low[0], low[1]], [high[0], low[1]], [high[0], high[1]], [low[0], high[1]]])
    lines = sum(1 for w, c in zip(W, b) if np.ptp(np.sign(square @ w + c)) == 2)
    crossings = 0
    for i, j in itertools.combinations(range(len(W)), 2):
        A = W[[i, j]]
        if abs(np.linalg.det(A)) < 1e-12:
            continue
        point = np.linalg.solve(A, -b[[i, j]])
        crossings += bool((point > low).all() and (point < high).all())
    return lines, crossings


@torch.no_grad()
def decision_segments(model: nn.Module, polygons: pd.DataFrame) -> pd.DataFrame:
    """The decision boundary of a two-logit ``model`` inside each region of ``polygons``
    (as from :func:`region_polygons`), exactly: where logit 1 equals logit 0. The network
    is affine on each region, so the boundary there is the segment between the two points
    of the polygon's edges where the difference of the logits is 0.

    Columns ``region``, ``x1``, ``x2``, ``x1end``, ``x2end``; one row per region it crosses.

    >>> net = nn.Sequential(nn.Linear(2, 1), nn.ReLU(), nn.Linear(1, 2))
    >>> with torch.no_grad():
    ...     _ = net[0].weight.copy_(torch.tensor([[1.0, 0.0]])); _ = net[0].bias.zero_()
    ...     _ = net[2].weight.copy_(torch.tensor([[0.0], [1.0]])); _ = net[2].bias.copy_(torch.tensor([0.5, 0.0]))
    >>> decision_segments(net, region_polygons(net, ((-1, -1), (1, 1)))).round(3).values.tolist()
    [[0.0, 0.5, -1.0, 0.5, 1.0]]
    """
    _checks.frame("polygons", polygons, ["region", "x1", "x2"])
    _layers(model)
    first = next(layer for layer in _checks.sequential(model) if isinstance(layer, nn.Linear))
    rows = []
    for region, corners in polygons.groupby("region", sort=True):
        points = corners[["x1", "x2"]].to_numpy()
        inputs = torch.tensor(points, dtype=first.weight.dtype, device=first.weight.device)
        logits = model(inputs).double().cpu().numpy()
        z = logits[:, 1] - logits[:, 0]
        ends = [points[k] + (points[(k + 1) % len(points)] - points[k]) * z[k] / (z[k] - z[(k + 1) % len(points)])
                for k in range(len(points)) if (z[k] >= 0) != (z[(k + 1) % len(points)] >= 0)]
        if len(ends) == 2:
            rows.append([region, *ends[0], *ends[1]])
    return pd.DataFrame(rows, columns=["region", "x1", "x2", "x1end", "x2end"])
