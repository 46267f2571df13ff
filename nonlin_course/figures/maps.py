"""Maps of the plane: decision regions, linear regions and a surface, each drawn as one
raster image over a regular grid (one cell per grid point, no seams between cells).

Like :mod:`nonlin_course.figures.plots`, each function takes DataFrames and returns a lets-plot
figure; the data is trimmed and rounded by :mod:`nonlin_course.figures._frames`.
"""
import numpy as np
import pandas as pd
from lets_plot import (aes, as_discrete, coord_fixed, geom_contour, geom_point, geom_polygon,
                       geom_raster,
                       geom_segment, geom_text, ggplot, labs, layer_tooltips, scale_color_manual, scale_fill_identity,
                       scale_fill_manual, scale_fill_viridis, theme)

from .. import _checks
from . import _frames
from .region_labels import label_points, touching
from .palette import CLASS_COLORS, CLASS_TINTS, REGION_PALETTE


def _raster(data: pd.DataFrame, fill, **kwargs):
    """Grid cells as one raster image (nearest-neighbour, crisp edges).

    Thousands of separate SVG squares leave hairline seams where they meet, the
    browser's antialiasing of each edge; an image has no edges inside it.
    """
    return geom_raster(aes("x1", "x2", fill=fill), data=data, **kwargs)


def decision_regions(grid: pd.DataFrame, points: pd.DataFrame, title: str = ""):
    """Predicted class on a grid, with points on top and the misclassified ones crossed.

    ``grid`` has columns ``x1``, ``x2``, ``pred`` (see ``grid_predictions``), one row per
    point of a regular grid; ``points`` has ``x1``, ``x2``, ``label``, ``pred``, ``correct``,
    one row per point. The background uses the colours of the classes, so a dot on its
    own colour is a correct prediction. With a column ``p1`` in ``grid`` (probability of
    class 1, as ``grid_predictions`` gives) the decision boundary is drawn as a line.

    >>> grid = pd.DataFrame({"x1": [0.0, 1.0] * 2, "x2": [0.0, 0.0, 1.0, 1.0],
    ...                      "pred": [0, 1, 0, 1]})
    >>> points = pd.DataFrame({"x1": [0.0, 1.0], "x2": [0.5, 0.5], "label": [0, 0],
    ...                        "pred": [0, 1], "correct": [True, False]})
    >>> [layer["geom"] for layer in decision_regions(grid, points).as_dict()["layers"]]
    ['raster', 'point', 'point']
    """
    _checks.text("title", title)
    cells = _frames.grid_columns(grid, name="grid", names=["x1", "x2", "pred"], optional=("p1",),
                                 numeric=("pred", "p1"))
    pts = _frames.columns(points, name="points", names=["x1", "x2", "label", "pred", "correct"],
                          numeric=("x1", "x2"), empty=True)
    if not pd.api.types.is_bool_dtype(pts["correct"]):
        raise TypeError(f"points: column 'correct' must hold True/False, got dtype "
                        f"{pts['correct'].dtype}")
    wrong = pts[~pts["correct"]].drop(columns="correct")
    pts = pts.drop(columns="correct")
    tips = layer_tooltips().line("class|@label").line("predicted|@pred")
    plot = ggplot() + _raster(cells.drop(columns="p1", errors="ignore"),
                              as_discrete("pred", order=1), tooltips="none")
    for layer in _boundary(cells):
        plot += layer
    return (plot
            + geom_point(aes("x1", "x2", color=as_discrete("label", order=1)), data=pts,
                         size=1.2, alpha=0.7, tooltips=tips)
            + geom_point(aes("x1", "x2"), data=wrong, shape=4, size=3, color="black",
                         tooltips=tips)
            + scale_fill_manual(CLASS_TINTS, guide="none") + scale_color_manual(CLASS_COLORS)
            + coord_fixed()
            + labs(title=title, color="class", caption="crosses: misclassified")
            + theme(legend_position="bottom"))


def region_map(grid: pd.DataFrame, title: str = "", lines: pd.DataFrame | None = None):
    """Colour each grid point by its linear region (column ``region``) in the plane and
    write each region's number (1, 2, ...) at its centre, so they can be counted; touching
    regions get different colours (see :func:`region_colours`).

    ``grid`` has ``x1``, ``x2`` and ``region``, one row per point of a regular grid. With a
    column ``p1`` (probability of class 1) the decision boundary p1 = 0.5 is drawn on top;
    ``lines`` (as from ``unit_lines``) draws the exact edges of the regions as thin lines;
    an empty ``lines`` table (no unit's line crosses the box) is meaningful and draws none.

    >>> grid = pd.DataFrame({"x1": [0.0, 1.0] * 2, "x2": [0.0, 0.0, 1.0, 1.0],
    ...                      "region": [0, 1, 0, 1]})
    >>> region_map(grid).as_dict()["data"]["colour"].tolist()
    ['#4e79a7', '#f28e2b', '#4e79a7', '#f28e2b']
    """
    _checks.text("title", title)
    data = _frames.grid_columns(grid, name="grid", names=["x1", "x2", "region"], optional=("p1",),
                                numeric=("p1",))
    data["colour"] = data["region"].map(region_colours(data))
    plot = (ggplot(data.drop(columns="p1", errors="ignore"), aes("x1", "x2"))
            + _raster(None, "colour", tooltips=layer_tooltips().line("region|@region")))
    if lines is not None:
        edges = _frames.columns(lines, name="lines", names=["x1", "x2", "x1end", "x2end"],
                                numeric=("x1", "x2", "x1end", "x2end"), empty=True)
    if lines is not None and len(edges):     # no row: no line crosses the box, none drawn
        plot += geom_segment(aes(x="x1", y="x2", xend="x1end", yend="x2end"), data=edges,
                             color="white", size=0.6, tooltips="none")
    for layer in _boundary(data):
        plot += layer
    plot += geom_text(aes("x1", "x2", label="number"), data=_region_labels(data), size=7,
                      tooltips="none")
    return (plot + scale_fill_identity() + coord_fixed() + labs(title=title)
            + theme(legend_position="none"))


def _region_labels(data: pd.DataFrame) -> pd.DataFrame:
    """One label per region: its number, in reading order (top to bottom, left to
    right), at the grid point of the region nearest its centre."""
    centres = data.groupby("region")[["x1", "x2"]].mean()
    centres = centres.sort_values(["x2", "x1"], ascending=[False, True])
    rows = []
    for number, (region, centre) in enumerate(centres.iterrows(), start=1):
        cells = data[data["region"] == region]
        nearest = ((cells["x1"] - centre.x1) ** 2 + (cells["x2"] - centre.x2) ** 2).idxmin()
        rows.append((cells.at[nearest, "x1"], cells.at[nearest, "x2"], number))
    return pd.DataFrame(rows, columns=["x1", "x2", "number"])


def _boundary(cells: pd.DataFrame):
    """The line p1 = 0.5 through a grid with a column ``p1`` as a list of one layer, or
    an empty list.

    The contour follows the logit log(p1 / (1 - p1)), which is piecewise linear for a
    ReLU network, so the interpolated line is straight wherever the network is. One
    contour level sits midway between the extremes of z: clipping the logit to a range
    symmetric about 0 puts that level at logit 0, that is at p1 = 0.5.
    """
    if "p1" not in cells.columns:
        return []
    p1 = cells["p1"].to_numpy(dtype="float64").clip(1e-12, 1 - 1e-12)
    logit = np.log(p1) - np.log1p(-p1)
    reach = min(logit.max(), -logit.min())
    if not reach > 0:
        return []                                 # one class everywhere: no boundary
    z = pd.DataFrame({"x1": cells["x1"], "x2": cells["x2"],
                      "z": logit.clip(-reach, reach).round(4)})
    return [geom_contour(aes("x1", "x2", z="z"), data=z, bins=1, color="black", size=1.0,
                         tooltips="none")]


def surface_map(grid: pd.DataFrame, value: str, title: str = ""):
    """A function of the plane as a colour map: ``grid`` (a regular grid, as from
    ``plane_grid``, one row per point) has ``x1``, ``x2`` and ``value``.

    >>> grid = pd.DataFrame({"x1": [0.0, 1.0] * 2, "x2": [0.0, 0.0, 1.0, 1.0],
    ...                      "height": [0.0, 1.0, 1.0, 2.0]})
    >>> surface_map(grid, "height").as_dict()["layers"][0]["mapping"]
    {'x': 'x1', 'y': 'x2', 'fill': 'height'}
    """
    _checks.text("title", title)
    data = _frames.grid_columns(grid, name="grid", names=["x1", "x2", value],
                                named_by={"value": value}, numeric=(value,))
    tips = layer_tooltips().line(f"{value}|@{value}")
    return (ggplot(data) + _raster(None, value, tooltips=tips) + scale_fill_viridis()
            + coord_fixed() + labs(title=title, fill=value.replace("_", " ")))


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


def polygon_colours(polygons: pd.DataFrame) -> dict:
    """A colour of ``REGION_PALETTE`` per region of ``polygons`` (as from
    ``nc.region_polygons``), never that of a region sharing an edge with it while the
    palette lasts (greedy, largest region first).

    >>> table = pd.DataFrame({"region": [0, 1, 2], "pattern": ["10", "11", "01"]})
    >>> polygon_colours(table)
    {0: '#4e79a7', 1: '#f28e2b', 2: '#4e79a7'}
    """
    index: dict = {}
    for region, neighbours in sorted(touching(polygons).items()):
        taken = {index[n] for n in neighbours if n in index}
        index[region] = next(c for c in range(len(taken) + 1) if c not in taken)
    return {region: REGION_PALETTE[i % len(REGION_PALETTE)] for region, i in index.items()}


def polygon_region_map(polygons: pd.DataFrame, lines: pd.DataFrame | None = None,
                       boundary: pd.DataFrame | None = None, title: str = "",
                       label_room: float = 0.02):
    """The linear regions of a one-hidden-layer ReLU net drawn exactly, one polygon each
    (``nc.region_polygons``), touching regions in different colours; ``lines`` (as from
    ``unit_lines``) drawn white, ``boundary`` (as from ``nc.decision_segments``) black. Each
    region wide enough for a label (``label_room`` times the box's width from every edge)
    gets its number.

    >>> table = pd.DataFrame({"region": [0] * 4, "pattern": ["1"] * 4, "x1": [0.0, 1, 1, 0],
    ...                       "x2": [0.0, 0, 1, 1], "area": [1.0] * 4})
    >>> polygon_region_map(table).as_dict()["layers"][0]["geom"]
    'polygon'
    """
    _checks.text("title", title)
    _checks.positive_number("label_room", label_room)
    data = _frames.columns(polygons, name="polygons", names=["region", "pattern", "x1", "x2"])
    data = data.assign(colour=data["region"].map(polygon_colours(data)))
    width = float(data["x1"].max() - data["x1"].min())
    plot = (ggplot(data, aes("x1", "x2"))
            + geom_polygon(aes(group="region", fill="colour"), color=None,
                           tooltips=layer_tooltips().line("region|@region")))
    for label, segments, colour, size in (("lines", lines, "white", 0.6), ("boundary", boundary, "black", 1.2)):
        if segments is not None:
            edges = _frames.columns(segments, name=label, names=["x1", "x2", "x1end", "x2end"])
            plot += geom_segment(aes(x="x1", y="x2", xend="x1end", yend="x2end"), data=edges,
                                 color=colour, size=size, tooltips="none")
    plot += geom_text(aes("x1", "x2", label="number"), data=label_points(data, label_room * width), color="black",
                      size=7, tooltips="none")
    return (plot + scale_fill_identity() + coord_fixed() + labs(title=title)
            + theme(legend_position="none"))
