"""Tests of the maps of the plane (nonlin_course.figures.maps): decision regions, linear regions
and surfaces, one raster cell per grid point."""
import base64
import re
import struct

import pandas as pd
import pytest
import torch
from figure_helpers import X, Y, geoms, renders
from lets_plot.plot.core import PlotSpec
from torch import nn

import nonlin_course as nc
from nonlin_course.figures import palette
from nonlin_course.figures._frames import rounded
from nonlin_course.figures.maps import region_colours


def _half_plane_model():
    """Logits (-x1, x1): class 1 exactly where x1 > 0."""
    model = nn.Sequential(nn.Linear(2, 2))
    with torch.no_grad():
        model[0].weight.copy_(torch.tensor([[-1.0, 0.0], [1.0, 0.0]]))
        model[0].bias.zero_()
    return model


# --- decision_regions -----------------------------------------------------------------

def test_decision_regions_layers_and_crossed_mistakes():
    model = _half_plane_model()
    grid = nc.grid_predictions(model, nc.plane_grid(X, steps=4, margin=0.0))
    points = nc.labelled_points(model, X, Y)
    plot = nc.decision_regions(grid, points, title="regions")
    assert isinstance(plot, PlotSpec)
    spec = plot.as_dict()
    assert geoms(spec) == ["raster", "contour", "point", "point"]
    cells, boundary, dots, crosses = (layer["data"] for layer in spec["layers"])
    assert list(cells.columns) == ["x1", "x2", "pred"]  # only what the figure uses
    # the boundary line's single level separates the predicted classes
    assert ((boundary["z"] > 0) == (grid["p1"] > 0.5)).all()
    assert ((boundary["z"] < 0) == (grid["p1"] < 0.5)).all()
    assert boundary["z"].min() == -boundary["z"].max()   # symmetric: its midpoint is p1 = 0.5
    assert cells["pred"].tolist() == (grid["x1"] > 0).astype(int).tolist()
    assert dots[["x1", "x2"]].to_numpy().tolist() == X.tolist()
    assert dots["label"].tolist() == Y.tolist()
    assert crosses[["x1", "x2"]].to_numpy().tolist() == [X[1].tolist(), X[3].tolist()]
    assert spec["layers"][3]["shape"] == 4
    # without probabilities there is no line to draw
    no_p1 = nc.decision_regions(grid.drop(columns="p1"), points).as_dict()
    assert geoms(no_p1) == ["raster", "point", "point"]


def test_decision_regions_background_is_one_image_of_class_tints():
    # one raster image, not a square per cell: squares leave hairline seams between them
    def tint(hex_colour, strength=0.35):
        rgb = [int(hex_colour[i:i + 2], 16) for i in (1, 3, 5)]
        return "#" + "".join(f"{round(255 - (255 - v) * strength):02x}" for v in rgb)
    assert palette.CLASS_TINTS == [tint(c) for c in palette.CLASS_COLORS]
    model = _half_plane_model()
    plot = nc.decision_regions(nc.grid_predictions(model, nc.plane_grid(X, steps=4)),
                               nc.labelled_points(model, X, Y))
    assert "alpha" not in plot.as_dict()["layers"][0]
    assert renders(plot) and plot.to_svg().count("<image") == 1


def _raster_size(svg: str) -> tuple[int, int]:
    """(width, height) in cells of the first raster image in ``svg`` (its PNG header)."""
    encoded = re.search(r'xlink:href="data:image/png;base64,([^"]+)"', svg).group(1)
    return struct.unpack(">II", base64.b64decode(encoded)[16:24])


@pytest.mark.parametrize("low, high, steps", [((-1.3, -1.2), (1.25, 1.3), 60),
                                              ((-2.1, -1.4), (2.9, 1.9), 60),
                                              ((-1.53, -1.47), (1.51, 1.49), 70)])
def test_maps_draw_one_raster_cell_per_grid_point(low, high, steps):
    # rounding to 4 significant digits gave these grids an extra empty row or column
    grid = nc.plane_grid(torch.tensor([low, high]), steps=steps)
    table = pd.DataFrame({"x1": grid[:, 0], "x2": grid[:, 1], "pred": (grid[:, 0] > 0).int(),
                          "region": (grid[:, 1] > 0).int(), "value": grid[:, 0] * 0.3})
    points = pd.DataFrame({"x1": [0.0], "x2": [0.0], "label": [1], "pred": [1], "correct": [True]})
    for plot in [nc.decision_regions(table, points), nc.region_map(table),
                 nc.surface_map(table, "value")]:
        assert _raster_size(plot.to_svg()) == (steps, steps)


def test_decision_regions_rejects_missing_columns():
    model = _half_plane_model()
    grid = nc.grid_predictions(model, nc.plane_grid(X, steps=3))
    points = nc.labelled_points(model, X, Y)
    with pytest.raises(ValueError, match=r"DataFrame lacks columns \['pred'\]"):
        nc.decision_regions(grid.drop(columns="pred"), points)
    with pytest.raises(ValueError, match=r"DataFrame lacks columns \['correct'\]"):
        nc.decision_regions(grid, points.drop(columns="correct"))
    with pytest.raises(TypeError, match=r"expected a pandas DataFrame, got Tensor"):
        nc.decision_regions(grid, X)


# --- region_map -----------------------------------------------------------------------

def _region_grid():
    grid = nc.plane_grid(torch.tensor([[-1.0, -1.0], [1.0, 1.0]]), steps=6)
    model = nn.Sequential(nn.Linear(2, 2), nn.ReLU(), nn.Linear(2, 2))
    with torch.no_grad():  # units on the axes; logit1 - logit0 = relu(x1) - relu(x2) + 0.1
        model[0].weight.copy_(torch.eye(2))
        model[0].bias.zero_()
        model[2].weight.copy_(torch.tensor([[0.0, 1.0], [1.0, 0.0]]))
        model[2].bias.copy_(torch.tensor([0.0, 0.1]))
    table = nc.grid_predictions(model, grid)
    table["region"] = nc.region_ids(model, grid).numpy()
    return table


def test_region_map_colours_regions_and_draws_the_boundary():
    table = _region_grid()
    plot = nc.region_map(table, title="regions")
    assert isinstance(plot, PlotSpec)
    spec = plot.as_dict()
    assert geoms(spec) == ["raster", "contour", "text"]
    data = spec["data"]
    assert data["region"].tolist() == table["region"].tolist()
    expected_points = rounded(table)[["x1", "x2"]]
    assert data[["x1", "x2"]].to_numpy().tolist() == expected_points.to_numpy().tolist()
    colours = data.groupby("region")["colour"]
    assert (colours.nunique() == 1).all()  # one colour per region
    assert colours.first().nunique() >= 2 and data["colour"].isin(palette.REGION_PALETTE).all()
    assert _touching_colours_differ(data)
    # the contour's single level separates the two sides of p1 = 0.5
    contour = spec["layers"][1]
    z = contour["data"][contour["mapping"]["z"]]
    assert ((z > 0) == (table["p1"] > 0.5)).all() and ((z < 0) == (table["p1"] < 0.5)).all()
    assert z.min() < 0 < z.max()
    # every region is numbered once, 1 to n, at a point inside it
    labels = spec["layers"][2]["data"]
    assert sorted(labels["number"]) == list(range(1, table["region"].nunique() + 1))
    at = data.set_index(["x1", "x2"])["region"]
    assert at.loc[list(zip(labels.x1, labels.x2))].nunique() == len(labels)


def _touching_colours_differ(data) -> bool:
    """Grid cells next to each other (across or up/down) in different regions differ in colour."""
    region = data.pivot(index="x2", columns="x1", values="region").to_numpy()
    colour = data.pivot(index="x2", columns="x1", values="colour").to_numpy()
    for cut in [(slice(None), slice(None, -1)), (slice(None, -1), slice(None))]:
        shifted = tuple(slice(1, None) if c == slice(None, -1) else c for c in cut)
        other_region = region[cut] != region[shifted]
        if (colour[cut][other_region] == colour[shifted][other_region]).any():
            return False
    return True


def test_region_map_gives_touching_regions_different_colours():
    # 36 blocks of 3 x 3 cells on an 18 x 18 grid: each block touches up to four others
    data = nc.region_map(_blocks()).as_dict()["data"]
    assert _touching_colours_differ(data)
    assert data.groupby("region")["colour"].nunique().eq(1).all()
    # and the check itself can fail: a colour per column of blocks repeats down each column
    striped = data.assign(colour=(data["x1"] // 3).astype(int).astype(str))
    assert not _touching_colours_differ(striped)


def _blocks(ids=lambda i, j: i * 6 + j):
    """An 18 x 18 grid of 3 x 3 blocks; ``ids(block column, block row)`` names each block."""
    steps = torch.arange(18, dtype=torch.float32)
    x1, x2 = torch.meshgrid(steps, steps, indexing="xy")
    return pd.DataFrame({"x1": x1.flatten(), "x2": x2.flatten(),
                         "region": ids(x1 // 3, x2 // 3).flatten().int()})


def test_region_map_paints_the_colours_of_region_colours():
    table = _blocks(lambda i, j: (i * 7 + j * 3) % 11)   # ids repeat, not in order
    data = nc.region_map(table).as_dict()["data"]
    assert data["colour"].tolist() == table["region"].map(region_colours(table)).tolist()


@pytest.mark.parametrize("change, message", [
    (lambda t: t.sample(frac=0.5, random_state=0), "one row per point"),
    (lambda t: t.assign(x1=t.x1 ** 2), "unevenly spaced"),
    (lambda t: t.iloc[:0], "finite numbers"),
    (lambda t: t.assign(x2=t.x2.where(t.x2 > 0, float("inf"))), "finite numbers"),
    (lambda t: t.drop(columns="x2"), r"lacks columns \['x2'\]"),
])
def test_maps_reject_what_is_not_a_grid(change, message):
    table = change(_blocks().assign(value=1.0, pred=0))
    points = pd.DataFrame({"x1": [0.0], "x2": [0.0], "label": [1], "pred": [1], "correct": [True]})
    for draw in [lambda: nc.region_map(table), lambda: nc.surface_map(table, "value"),
                 lambda: nc.decision_regions(table, points)]:
        with pytest.raises(ValueError, match=message):
            draw()


def test_region_map_without_probabilities_has_no_boundary():
    spec = nc.region_map(_region_grid().drop(columns=["p1", "pred"])).as_dict()
    assert geoms(spec) == ["raster", "text"]
    assert list(spec["data"].columns) == ["x1", "x2", "region", "colour"]


def test_region_map_draws_the_unit_lines_it_is_given():
    table = _region_grid()
    lines = pd.DataFrame({"unit": [0], "x1": [0.0], "x2": [-1.0], "x1end": [0.0], "x2end": [1.0]})
    spec = nc.region_map(table, lines=lines).as_dict()
    assert geoms(spec) == ["raster", "segment", "contour", "text"]
    assert spec["layers"][1]["data"][["x1", "x2", "x1end", "x2end"]].values.tolist() == \
        [[0.0, -1.0, 0.0, 1.0]]


def test_region_map_rejects_a_missing_region_column():
    with pytest.raises(ValueError, match=r"DataFrame lacks columns \['region'\]; it has "
                                         r"\['x1', 'x2', 'pred', 'p1'\]"):
        nc.region_map(_region_grid().drop(columns="region"))
    with pytest.raises(TypeError, match=r"expected a pandas DataFrame, got ndarray"):
        nc.region_map(_region_grid().to_numpy())


# --- surface_map ----------------------------------------------------------------------

def test_surface_map_tiles_the_value():
    grid = pd.DataFrame({"x1": [0.0, 1.0, 0.0, 1.0], "x2": [0.0, 0.0, 1.0, 1.0],
                         "net": [0.0, 1.0, 1.0, 2.0]})
    spec = nc.surface_map(grid, "net").as_dict()
    assert geoms(spec) == ["raster"]
    assert spec["layers"][0]["mapping"] == {"x": "x1", "y": "x2", "fill": "net"}
    assert pd.DataFrame(spec["data"]).to_dict("list") == grid.to_dict("list")
    with pytest.raises(ValueError, match=r"value='error' is not a column of grid"):
        nc.surface_map(grid, "error")
