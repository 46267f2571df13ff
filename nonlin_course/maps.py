"""Maps of the plane: decision regions, linear regions and a surface, each drawn as one
raster image over a regular grid (one cell per grid point, no seams between cells).

Like :mod:`nonlin_course.plots`, each function takes DataFrames and returns a lets-plot
figure; the data is trimmed and rounded by :mod:`nonlin_course._frames`.
"""
import pandas as pd
from lets_plot import (aes, as_discrete, coord_fixed, geom_contour, geom_point, geom_raster,
                       ggplot, labs, layer_tooltips, scale_color_manual, scale_fill_identity,
                       scale_fill_manual, scale_fill_viridis, theme)

from . import _frames
from .palette import CLASS_COLORS, CLASS_TINTS
from .regions import _greedy_colours


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
    own colour is a correct prediction.

    >>> grid = pd.DataFrame({"x1": [0.0, 1.0] * 2, "x2": [0.0, 0.0, 1.0, 1.0],
    ...                      "pred": [0, 1, 0, 1]})
    >>> points = pd.DataFrame({"x1": [0.0, 1.0], "x2": [0.5, 0.5], "label": [0, 0],
    ...                        "pred": [0, 1], "correct": [True, False]})
    >>> [layer["geom"] for layer in decision_regions(grid, points).as_dict()["layers"]]
    ['raster', 'point', 'point']
    """
    cells = _frames.grid_columns(grid, ["x1", "x2", "pred"])
    pts = _frames.columns(points, ["x1", "x2", "label", "pred", "correct"])
    wrong = pts[~pts["correct"]].drop(columns="correct")
    pts = pts.drop(columns="correct")
    tips = layer_tooltips().line("class|@label").line("predicted|@pred")
    return (ggplot()
            + _raster(cells, as_discrete("pred", order=1), tooltips="none")
            + geom_point(aes("x1", "x2", color=as_discrete("label", order=1)), data=pts,
                         size=1.2, alpha=0.7, tooltips=tips)
            + geom_point(aes("x1", "x2"), data=wrong, shape=4, size=3, color="black",
                         tooltips=tips)
            + scale_fill_manual(CLASS_TINTS, guide="none") + scale_color_manual(CLASS_COLORS)
            + coord_fixed()
            + labs(title=title, color="class", caption="crosses: misclassified")
            + theme(legend_position="bottom"))


def region_map(grid: pd.DataFrame, title: str = ""):
    """Colour each grid point by its linear region (column ``region``) in the plane;
    touching regions get different colours (see ``nc.regions.region_colours``).

    ``grid`` has ``x1``, ``x2`` and ``region``, one row per point of a regular grid. With a
    column ``p1`` (probability of class 1) the decision boundary p1 = 0.5 is drawn on top.

    >>> grid = pd.DataFrame({"x1": [0.0, 1.0] * 2, "x2": [0.0, 0.0, 1.0, 1.0],
    ...                      "region": [0, 1, 0, 1]})
    >>> region_map(grid).as_dict()["data"]["colour"].tolist()
    ['#4e79a7', '#f28e2b', '#4e79a7', '#f28e2b']
    """
    data = _frames.grid_columns(grid, ["x1", "x2", "region"], optional=("p1",))
    data["colour"] = data["region"].map(_greedy_colours(data))
    layers = [_raster(None, "colour", tooltips=layer_tooltips().line("region|@region"))]
    if "p1" in data.columns:
        # One contour level sits midway between the extremes of z; clipping p1 - 0.5
        # to [-1, 1] puts that level exactly at p1 = 0.5.
        data["side"] = ((data.pop("p1") - 0.5) * 1000).clip(-1, 1).round(4)
        layers.append(geom_contour(aes(z="side"), bins=1, color="black", size=1.2,
                                   tooltips="none"))
    plot = ggplot(data, aes("x1", "x2"))
    for layer in layers:
        plot += layer
    return (plot + scale_fill_identity() + coord_fixed() + labs(title=title)
            + theme(legend_position="none"))


def surface_map(grid: pd.DataFrame, value: str, title: str = ""):
    """A function of the plane as a colour map: ``grid`` (a regular grid, as from
    ``plane_grid``, one row per point) has ``x1``, ``x2`` and ``value``.

    >>> grid = pd.DataFrame({"x1": [0.0, 1.0] * 2, "x2": [0.0, 0.0, 1.0, 1.0],
    ...                      "height": [0.0, 1.0, 1.0, 2.0]})
    >>> surface_map(grid, "height").as_dict()["layers"][0]["mapping"]
    {'x': 'x1', 'y': 'x2', 'fill': 'height'}
    """
    data = _frames.grid_columns(grid, ["x1", "x2", value])
    tips = layer_tooltips().line(f"{value}|@{value}")
    return (ggplot(data) + _raster(None, value, tooltips=tips) + scale_fill_viridis()
            + coord_fixed() + labs(title=title, fill=value.replace("_", " ")))
