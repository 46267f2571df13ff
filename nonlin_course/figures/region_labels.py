"""Where the exact region map (``polygon_region_map``) puts its colours and numbers: which
regions touch, and the widest point inside each polygon, for its label."""
import numpy as np
import pandas as pd

from .. import _checks


def touching(polygons: pd.DataFrame) -> dict[int, set[int]]:
    """For each region, the regions that share an edge with it: in an arrangement of lines,
    exactly the regions whose pattern differs in one unit.

    >>> table = pd.DataFrame({"region": [0, 1, 2], "pattern": ["10", "11", "01"]})
    >>> touching(table)
    {0: {1}, 1: {0, 2}, 2: {1}}
    """
    _checks.frame("polygons", polygons, ["region", "pattern"])
    patterns = polygons.groupby("region").pattern.first()
    return {r: {s for s, q in patterns.items() if sum(a != b for a, b in zip(p, q)) == 1}
            for r, p in patterns.items()}


def _widest_point(points: np.ndarray) -> tuple[np.ndarray, float]:
    """The centre and radius of the largest circle inside a convex polygon (k, 2): a small
    linear programme, max r with every edge at least r from the centre."""
    from scipy.optimize import linprog

    centre = points.mean(0)
    rows, bounds = [], []
    for p, q in zip(points, np.roll(points, -1, axis=0)):
        normal = np.array([q[1] - p[1], p[0] - q[0]])
        length = np.hypot(*normal)
        if length == 0:
            continue
        if normal @ (centre - p) > 0:           # point the normal outwards
            normal = -normal
        rows.append([*normal, length])          # normal . x + r |normal| <= normal . p
        bounds.append(normal @ p)
    result = linprog([0.0, 0.0, -1.0], A_ub=rows, b_ub=bounds,
                     bounds=[(None, None), (None, None), (0, None)])
    return (result.x[:2], result.x[2]) if result.success else (centre, 0.0)


def label_points(polygons: pd.DataFrame, room: float) -> pd.DataFrame:
    """Where to write each region's number: the centre of the largest circle inside it,
    for the regions where that circle's radius is at least ``room``; the others are
    slivers too thin for a label. Numbers 1, 2, ... run in reading order (top to bottom,
    left to right). Columns ``region``, ``x1``, ``x2``, ``number``.

    >>> square = pd.DataFrame({"region": [0] * 4, "x1": [0, 1, 1, 0], "x2": [0, 0, 1, 1]})
    >>> label_points(square, 0.4).round(3).values.tolist()
    [[0.0, 0.5, 0.5, 1.0]]
    """
    _checks.frame("polygons", polygons, ["region", "x1", "x2"])
    rows = []
    for region, corners in polygons.groupby("region"):
        centre, radius = _widest_point(corners[["x1", "x2"]].to_numpy(dtype=float))
        if radius >= room:
            rows.append((region, *centre))
    table = pd.DataFrame(rows, columns=["region", "x1", "x2"]).sort_values(["x2", "x1"], ascending=[False, True])
    return table.assign(number=np.arange(1, len(table) + 1, dtype=float)).reset_index(drop=True)
