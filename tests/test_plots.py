"""Tests of the figures (nonlin_course.plots, .maps and .approx_plots): their layers,
data and colours."""
import ast
import base64
import inspect
import re
import struct

import numpy as np
import pandas as pd
import pytest
import torch
from lets_plot.plot.core import PlotSpec
from torch import nn

import nonlin_course as nc
from nonlin_course import approx_plots, maps, palette, plots
from nonlin_course._frames import rounded
from nonlin_course.regions import region_colours


def _geoms(spec: dict) -> list[str]:
    return [layer["geom"] for layer in spec["layers"]]


def _renders(plot) -> bool:
    """lets-plot draws the figure: a spec it cannot render gives an SVG with an Exception."""
    svg = plot.to_svg()
    return "<svg" in svg and "Exception" not in svg


def _half_plane_model():
    """Logits (-x1, x1): class 1 exactly where x1 > 0."""
    model = nn.Sequential(nn.Linear(2, 2))
    with torch.no_grad():
        model[0].weight.copy_(torch.tensor([[-1.0, 0.0], [1.0, 0.0]]))
        model[0].bias.zero_()
    return model


# Points with at most 4 significant digits, so rounding leaves them as they are.
X = torch.tensor([[-1.5, 0.25], [-0.5, -1.0], [0.75, 0.5], [1.25, -0.125], [2.0, 1.0]])
Y = torch.tensor([0, 1, 1, 0, 1])  # the half-plane model gets points 1 and 3 wrong


# --- scatter --------------------------------------------------------------------------

def test_scatter_has_one_point_layer_over_the_points():
    plot = nc.scatter(X, Y, title="moons")
    assert isinstance(plot, PlotSpec)
    spec = plot.as_dict()
    assert _geoms(spec) == ["point"]
    assert spec["mapping"] == {"x": "x1", "y": "x2", "color": "label"}
    assert spec["ggtitle"]["text"] == "moons"
    data = spec["data"]
    assert list(data.columns) == ["x1", "x2", "label"]
    assert data[["x1", "x2"]].to_numpy().tolist() == X.tolist()
    assert data["label"].tolist() == Y.tolist()


def test_scatter_rounds_its_data():
    data = nc.scatter(torch.tensor([[1.23456, -0.000987654]]), torch.tensor([1])).as_dict()["data"]
    assert data[["x1", "x2"]].to_numpy().tolist() == [[1.235, -0.0009877]]


def test_scatter_rejects_bad_inputs():
    with pytest.raises(ValueError, match=r"X must have shape \(n, 2\), got \(5, 3\)"):
        nc.scatter(torch.zeros(5, 3), Y)
    with pytest.raises(ValueError, match=r"y must be an integer tensor of shape \(5,\).*"
                                         r"torch.float32"):
        nc.scatter(X, Y.float())
    with pytest.raises(TypeError, match=r"X must be a torch.Tensor, got DataFrame"):
        nc.scatter(pd.DataFrame(X.numpy()), Y)


# --- loss_curves ----------------------------------------------------------------------

def _history():
    rng = np.random.default_rng(0)
    rows = [{"model": m, "seed": s, "epoch": e, "train_loss": round(rng.uniform(0.1, 0.9), 3)}
            for m in ("linear", "relu") for s in range(3) for e in range(1, 5)]
    return pd.DataFrame(rows)


def test_loss_curves_band_is_min_to_max_around_the_mean():
    history = _history()
    plot = nc.loss_curves(history, title="loss")
    assert isinstance(plot, PlotSpec)
    spec = plot.as_dict()
    assert _geoms(spec) == ["ribbon", "line"]
    assert spec["layers"][0]["mapping"] == {"ymin": "min", "ymax": "max"}
    assert spec["mapping"]["y"] == "mean"
    band = spec["data"].set_index(["model", "epoch"]).sort_index()
    reference = history.groupby(["model", "epoch"])["train_loss"]
    np.testing.assert_allclose(band["mean"], reference.mean())
    np.testing.assert_allclose(band["min"], reference.min())
    np.testing.assert_allclose(band["max"], reference.max())
    assert spec["guides"]["y"]["title"] == "train loss"


def test_loss_curves_of_another_column():
    history = _history().rename(columns={"train_loss": "test_acc"})
    spec = nc.loss_curves(history, value="test_acc").as_dict()
    assert spec["guides"]["y"]["title"] == "test acc"
    assert len(spec["data"]) == 2 * 4


def test_loss_curves_rejects_a_missing_column_or_a_wrong_type():
    with pytest.raises(ValueError, match=r"DataFrame lacks columns \['seed'\]; it has "
                                         r"\['model', 'epoch', 'train_loss'\]"):
        nc.loss_curves(_history().drop(columns="seed"))
    with pytest.raises(ValueError, match=r"DataFrame lacks columns \['test_loss'\]"):
        nc.loss_curves(_history(), value="test_loss")
    with pytest.raises(TypeError, match=r"expected a pandas DataFrame, got dict"):
        nc.loss_curves(_history().to_dict("list"))


# --- decision_regions -----------------------------------------------------------------

def test_decision_regions_layers_and_crossed_mistakes():
    model = _half_plane_model()
    grid = nc.grid_predictions(model, nc.plane_grid(X, steps=4, margin=0.0))
    points = nc.labelled_points(model, X, Y)
    plot = nc.decision_regions(grid, points, title="regions")
    assert isinstance(plot, PlotSpec)
    spec = plot.as_dict()
    assert _geoms(spec) == ["raster", "contour", "point", "point"]
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
    assert _geoms(no_p1) == ["raster", "point", "point"]


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
    assert _renders(plot) and plot.to_svg().count("<image") == 1


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


# --- seed_dots ------------------------------------------------------------------------

def _results():
    return pd.DataFrame({"model": ["linear"] * 3 + ["relu"] * 3, "seed": [0, 1, 2] * 2,
                         "acc": [0.5, 0.52, 0.49, 0.97, 0.99, 0.98]})


def test_seed_dots_one_dot_per_seed_and_the_group_means():
    results = _results()
    plot = nc.seed_dots(results, "model", "acc", title="acc")
    assert isinstance(plot, PlotSpec)
    spec = plot.as_dict()
    assert _geoms(spec) == ["hline", "point"]
    assert spec["mapping"] == {"x": "seed", "y": "acc"}
    assert spec["facet"]["facets"] == "model"
    pd.testing.assert_frame_equal(spec["data"], results)  # one dot per (group, seed)
    mean_layer = spec["layers"][0]
    assert mean_layer["mapping"] == {"yintercept": "mean"}
    means = mean_layer["data"].set_index("model")["mean"]
    np.testing.assert_allclose(means, results.groupby("model")["acc"].mean())
    assert spec["guides"]["y"]["title"] == "acc"


def test_seed_dots_panels_keep_the_order_of_the_groups():
    results = pd.concat([_results().query("model == 'relu'"),
                         _results().query("model == 'linear'")])
    plot = nc.seed_dots(results, "model", "acc")
    assert _renders(plot)
    strips = re.findall(r">(relu|linear)<", plot.to_svg())
    assert strips[:2] == ["relu", "linear"]   # not alphabetical


def test_seed_dots_rejects_missing_columns():
    with pytest.raises(ValueError, match=r"DataFrame lacks columns \['activation'\]"):
        nc.seed_dots(_results(), "activation", "acc")
    with pytest.raises(ValueError, match=r"DataFrame lacks columns \['seed'\]"):
        nc.seed_dots(_results().drop(columns="seed"), "model", "acc")


# --- zoo_curves, zoo_histograms, score_ranking, parallel_coordinates ------------------

def test_zoo_curves_one_panel_per_activation_two_curves_each():
    data = nc.curves(["relu", "tanh"], points=5)
    spec = nc.zoo_curves(data).as_dict()
    assert _geoms(spec) == ["hline", "line"]
    assert spec["mapping"] == {"x": "x", "y": "value", "color": "curve"}
    assert spec["facet"]["facets"] == "activation"
    assert sorted(spec["data"].curve.unique()) == ["f'(x)", "f(x)"]
    assert len(spec["data"]) == 2 * 2 * 5
    assert _renders(nc.zoo_curves(data))


def test_zoo_histograms_title_each_panel_with_mean_and_sd():
    hist = nc.output_histograms(["relu", "tanh"], samples=1000, bins=10)
    moments = pd.DataFrame({"activation": ["relu", "tanh"], "mean": [0.39894, -0.0012],
                            "std": [0.5838, 0.6278]})
    spec = nc.zoo_histograms(hist, moments).as_dict()
    assert _geoms(spec) == ["bar", "vline"]
    panels = sorted(spec["data"].panel.unique())
    assert panels == ["relu: mean 0.40, sd 0.58", "tanh: mean 0.00, sd 0.63"]
    assert _renders(nc.zoo_histograms(hist, moments))
    x_scale = [s for s in spec["scales"] if s["aesthetic"] == "x"][0]
    assert x_scale["breaks"] == [-3, -2, -1, 0, 1, 2, 3, 4]   # every unit labelled, not only 0
    with pytest.raises(ValueError, match=r"lacks columns \['std'\]"):
        nc.zoo_histograms(hist, moments.drop(columns="std"))


def test_score_ranking_orders_groups_by_their_mean():
    results = pd.DataFrame({"activation": ["a", "a", "b", "b", "c", "c"],
                            "score": [0.9, 0.8, 0.95, 0.97, 0.5, 0.7]})
    spec = nc.score_ranking(results, "activation").as_dict()
    assert _geoms(spec) == ["point", "point"]
    limits = [s for s in spec["scales"] if s["aesthetic"] == "y"][0]["limits"]
    assert limits == ["c", "a", "b"]           # lowest mean at the bottom, best at the top
    means = spec["layers"][1]["data"].set_index("activation")["mean"]
    np.testing.assert_allclose(means[["a", "b", "c"]], [0.85, 0.96, 0.6])
    assert _renders(nc.score_ranking(results, "activation"))


def test_score_ranking_zooms_on_the_close_groups_and_writes_the_far_ones():
    results = pd.DataFrame({"activation": ["a", "a", "b", "b", "c", "c"],
                            "score": [0.9, 0.8, 0.95, 0.97, 0.5, 0.7]})
    spec = nc.score_ranking(results, "activation", low=0.75).as_dict()
    assert spec["coord"]["xlim"] == pytest.approx([0.75, 0.97 + 0.02 * 0.22])
    marks = spec["layers"][-1]["data"]
    assert marks.activation.tolist() == ["c"] and marks.label.tolist() == ["mean 0.600 (off scale)"]
    assert marks.score.tolist() == [0.75]                  # written at the left edge
    assert _renders(nc.score_ranking(results, "activation", low=0.75))
    assert "coord" not in nc.score_ranking(results, "activation").as_dict()
    with pytest.raises(ValueError, match="low must lie below the best score"):
        nc.score_ranking(results, "activation", low=0.99)


def test_parallel_coordinates_puts_shared_axes_on_one_scale():
    frame = pd.DataFrame({"activation": ["relu", "tanh"], "fold 1": [0.9, 0.94],
                          "fold 2": [0.92, 0.96], "mean": [0.91, 0.95]})
    axes = ["activation", "fold 1", "fold 2", "mean"]
    spec = nc.parallel_coordinates(frame, axes, color="mean", shared=axes[1:]).as_dict()
    y = spec["data"].set_index(["axis", "row"]).y
    expected = {(1, 0): 0.0, (1, 1): 2 / 3, (2, 0): 1 / 3, (2, 1): 1.0, (3, 0): 1 / 6, (3, 1): 5 / 6}
    for key, value in expected.items():
        assert y[key] == pytest.approx(value, abs=1e-3)
    labels = spec["layers"][2]["data"]
    assert labels[labels.axis == 1].label.tolist() == ["0.900", "0.920", "0.940", "0.960"]
    assert _renders(nc.parallel_coordinates(frame, axes, color="mean", shared=axes[1:]))
    with pytest.raises(ValueError, match="shared must list numeric columns"):
        nc.parallel_coordinates(frame, axes, color="mean", shared=["activation"])


def test_parallel_coordinates_scales_each_axis_to_0_1():
    frame = pd.DataFrame({"activation": ["relu", "tanh", "gelu"], "seed": [0, 1, 2],
                          "score": [0.9, 0.8, 0.85]})
    spec = nc.parallel_coordinates(frame, ["activation", "seed", "score"], color="score").as_dict()
    assert _geoms(spec) == ["vline", "path", "label"]
    paths = spec["data"]
    assert len(paths) == 3 * 3 and paths.y.between(0, 1).all()
    first_axis = paths[paths.axis == 0].set_index("row").y
    assert first_axis.tolist() == [0.0, 0.5, 1.0]   # text levels evenly, in order of appearance
    score_axis = paths[paths.axis == 2].set_index("row").y
    np.testing.assert_allclose(score_axis, [1.0, 0.0, 0.5])
    labels = spec["layers"][2]["data"]
    assert set(labels.label) >= {"relu", "tanh", "gelu", "0", "2", "0.8", "0.9"}
    assert spec["layers"][0]["data"]["axis"].tolist() == [0, 1, 2]   # one vertical axis each
    assert _renders(nc.parallel_coordinates(frame, ["activation", "seed", "score"], color="score"))


def test_parallel_coordinates_labels_every_value_of_a_small_integer_axis():
    frame = pd.DataFrame({"seed": [0, 1, 2, 1], "count": [10, 50, 20, 30],
                          "score": [0.9, 0.8, 0.85, 0.7]})
    spec = nc.parallel_coordinates(frame, ["seed", "count", "score"], color="score").as_dict()
    labels = spec["layers"][2]["data"]
    by_axis = {axis: part.set_index("label").y.to_dict() for axis, part in labels.groupby("axis")}
    assert by_axis[0] == {"0": 0.0, "1": 0.5, "2": 1.0}                  # each seed, in place
    assert by_axis[1] == {"10": 0.0, "20": 0.25, "30": 0.5, "50": 1.0}
    assert set(by_axis[2]) == {"0.7", "0.9"}                             # floats: the ends only


def test_parallel_coordinates_rejects_missing_columns():
    frame = pd.DataFrame({"seed": [0, 1], "score": [0.9, 0.8]})
    with pytest.raises(ValueError, match=r"lacks columns \['activation'\]"):
        nc.parallel_coordinates(frame, ["activation", "seed"], color="score")


# --- heatmaps -------------------------------------------------------------------------

def _table():
    named = [("0: Linear", torch.tensor([[1.5, -2.0, 0.5], [0.0, 1.0, -0.5]])),
             ("1: ReLU", torch.tensor([[1.5, 0.0, 0.5], [0.0, 1.0, 0.0]])),
             ("2: Linear", torch.tensor([[0.25], [-0.75]]))]
    return nc.long_table(named)


def test_heatmaps_one_panel_per_layer_with_one_shared_symmetric_scale():
    table = _table()
    plot = nc.heatmaps(table)
    assert isinstance(plot, PlotSpec)
    spec = plot.as_dict()
    assert _geoms(spec) == ["tile"]
    pd.testing.assert_frame_equal(spec["data"], table, check_dtype=False)   # every value
    assert spec["facet"]["facets"] == "layer" and spec["facet"]["scales"] == "free_x"
    assert spec["facet"]["ncol"] == 3                        # side by side, in one row
    [fill] = [s for s in spec["scales"] if s["aesthetic"] == "fill"]
    assert fill["limits"] == [-2.0, 2.0]                     # the largest |value| both ways
    assert spec["theme"]["legend_position"] == "bottom"      # one legend for all panels
    svg = plot.to_svg()
    assert _renders(plot)
    titles = re.findall(r">(\d: \w+)<", svg)
    assert titles[:3] == ["0: Linear", "1: ReLU", "2: Linear"]   # in the network's order


def test_heatmaps_of_all_zeros_still_have_a_scale():
    table = nc.long_table([("h", torch.zeros(2, 2))])
    [fill] = [s for s in nc.heatmaps(table).as_dict()["scales"] if s["aesthetic"] == "fill"]
    assert fill["limits"] == [-1.0, 1.0]


def test_heatmaps_rejects_a_missing_column_or_a_wrong_type():
    with pytest.raises(ValueError, match=r"DataFrame lacks columns \['value'\]"):
        nc.heatmaps(_table().drop(columns="value"))
    with pytest.raises(ValueError, match=r"DataFrame lacks columns \['neuron'\]"):
        nc.heatmaps(_table(), column="neuron")
    with pytest.raises(TypeError, match=r"expected a pandas DataFrame, got list"):
        nc.heatmaps([("h", torch.zeros(2, 2))])


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
    assert _geoms(spec) == ["raster", "contour", "text"]
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
    assert _geoms(spec) == ["raster", "text"]
    assert list(spec["data"].columns) == ["x1", "x2", "region", "colour"]


def test_region_map_draws_the_unit_lines_it_is_given():
    table = _region_grid()
    lines = pd.DataFrame({"unit": [0], "x1": [0.0], "x2": [-1.0], "x1end": [0.0], "x2end": [1.0]})
    spec = nc.region_map(table, lines=lines).as_dict()
    assert _geoms(spec) == ["raster", "segment", "contour", "text"]
    assert spec["layers"][1]["data"][["x1", "x2", "x1end", "x2end"]].values.tolist() == \
        [[0.0, -1.0, 0.0, 1.0]]


def test_region_map_rejects_a_missing_region_column():
    with pytest.raises(ValueError, match=r"DataFrame lacks columns \['region'\]; it has "
                                         r"\['x1', 'x2', 'pred', 'p1'\]"):
        nc.region_map(_region_grid().drop(columns="region"))
    with pytest.raises(TypeError, match=r"expected a pandas DataFrame, got ndarray"):
        nc.region_map(_region_grid().to_numpy())


def test_gradient_curves_average_seeds_and_keep_every_nth_epoch():
    import pandas as pd
    grads = pd.DataFrame({"activation": "relu", "seed": [0, 1] * 10,
                          "epoch": [e for e in range(1, 11) for _ in range(2)],
                          "layer": 1, "value": [1.0, 3.0] * 10})
    spec = nc.gradient_curves(grads, every=5).as_dict()
    data = pd.DataFrame(spec["data"])
    assert sorted(data.epoch.unique().tolist()) == [1, 5, 10]
    assert (data.value == 2.0).all()
    with pytest.raises(ValueError, match=r"lacks columns \['layer'\]"):
        nc.gradient_curves(grads.drop(columns="layer"))


# --- chapter 4: piecewise-linear approximation ---

def _fits_table():
    x = torch.tensor([0.0, 0.5, 1.0], dtype=torch.float64)
    one = nc.curve_table(x, target=lambda t: t ** 2, approximation=lambda t: t).assign(panel="a")
    two = nc.curve_table(x, target=lambda t: t ** 2, approximation=lambda t: 2 * t).assign(panel="b")
    return pd.concat([one, two], ignore_index=True)


def test_piecewise_fits_facets_panels_and_draws_knots():
    knots = pd.DataFrame({"panel": ["a", "b"], "knot": [0.0, 0.5], "y": [0.0, 1.0]})
    spec = nc.piecewise_fits(_fits_table(), knots, ncol=2).as_dict()
    assert _geoms(spec) == ["line", "point"]
    assert spec["mapping"] == {"x": "x", "y": "y", "color": "curve"}
    assert spec["facet"]["facets"] == "panel" and spec["facet"]["ncol"] == 2
    data = pd.DataFrame(spec["data"])
    # the targets keep every point; the straight approximations only their two ends
    table = _fits_table()
    straight = (table.curve == "approximation") & (table.x == 0.5)
    assert data.to_dict("list") == table[~straight][["panel", "x", "curve", "y"]] \
        .to_dict("list")
    assert pd.DataFrame(spec["layers"][1]["data"]).knot.tolist() == [0.0, 0.5]
    assert _geoms(nc.piecewise_fits(_fits_table()).as_dict()) == ["line"]
    free = nc.piecewise_fits(_fits_table(), scales="free").as_dict()
    assert free["facet"]["scales"] == "free" and spec["facet"].get("scales", "fixed") == "fixed"


def test_piecewise_fits_draws_the_same_line_with_fewer_points():
    x = nc.fine_grid(-1, 3, 201)
    hinges = nc.Hinges(torch.tensor([0.0, 1.0, 2.0]), torch.tensor([1.0, -2.0, 1.5]), 0.0)
    table = nc.curve_table(x, target=lambda t: t ** 2, approximation=hinges).assign(panel="p")
    drawn = pd.DataFrame(nc.piecewise_fits(table).as_dict()["data"])
    for curve, part in table.groupby("curve"):
        kept = drawn[drawn.curve == curve]
        # linear interpolation between the kept points gives back every original point
        again = np.interp(part.x, kept.x, kept.y)
        assert np.allclose(again, part.y, atol=1e-3 * np.ptp(part.y)), curve
    assert (drawn.curve == "approximation").sum() <= 3 + 2     # kinks and ends only
    assert (drawn.curve == "target").sum() == 201               # a parabola has no straight run


def test_piecewise_fits_rejects_bad_input():
    with pytest.raises(ValueError, match=r"lacks columns \['panel'\]"):
        nc.piecewise_fits(_fits_table().drop(columns="panel"))
    with pytest.raises(ValueError, match="ncol must be a positive int"):
        nc.piecewise_fits(_fits_table(), ncol=0)
    with pytest.raises(ValueError, match="scales must be 'fixed', 'free'"):
        nc.piecewise_fits(_fits_table(), scales="loose")


def test_error_loglog_uses_log_axes_and_keeps_values():
    errors = pd.DataFrame({"N": [1, 2, 4] * 2, "kind": ["max"] * 3 + ["mean"] * 3,
                           "error": [1.0, 0.25, 0.0625, 0.5, 0.125, 0.03125]})
    spec = nc.error_loglog(errors).as_dict()
    assert _geoms(spec) == ["line", "point"]
    assert spec["mapping"] == {"x": "N", "y": "error", "color": "kind"}
    transforms = {s["aesthetic"]: s.get("trans") for s in spec["scales"] if "trans" in s}
    assert transforms == {"x": "log10", "y": "log10"}
    assert pd.DataFrame(spec["data"]).to_dict("list") == errors.to_dict("list")
    # the axes reach past the end points, which would otherwise sit on the panel's edges
    limits = {s["aesthetic"]: s["limits"] for s in spec["scales"] if "limits" in s}
    assert limits["x"][0] < 1 and limits["x"][1] > 4
    assert limits["y"][0] < 0.03125 and limits["y"][1] > 1.0
    with pytest.raises(ValueError, match="positive N and error"):
        nc.error_loglog(errors.assign(error=0.0))
    with pytest.raises(ValueError, match=r"lacks columns \['kind'\]"):
        nc.error_loglog(errors.drop(columns="kind"))


def test_residual_curves_facets_methods_and_marks_knots_at_zero():
    curves = pd.DataFrame({"method": ["hand", "hand", "net", "net"], "run": ["-", "-", "0", "0"],
                           "x": [0.0, 1.0, 0.0, 1.0], "residual": [0.125, 0.0, -0.5, 0.25]})
    knots = pd.DataFrame({"method": ["hand", "net"], "run": ["-", "0"], "knot": [0.5, 0.75]})
    spec = nc.residual_curves(curves, knots).as_dict()
    assert _geoms(spec) == ["hline", "line", "point"]
    assert spec["facet"]["facets"] == "method"
    assert pd.DataFrame(spec["data"]).residual.tolist() == [0.125, 0.0, -0.5, 0.25]
    marks = pd.DataFrame(spec["layers"][2]["data"])
    assert marks.knot.tolist() == [0.5, 0.75] and (marks.residual == 0).all()
    with pytest.raises(ValueError, match=r"lacks columns \['knot'\]"):
        nc.residual_curves(curves, knots.drop(columns="knot"))


def test_surface_map_tiles_the_value():
    grid = pd.DataFrame({"x1": [0.0, 1.0, 0.0, 1.0], "x2": [0.0, 0.0, 1.0, 1.0],
                         "net": [0.0, 1.0, 1.0, 2.0]})
    spec = nc.surface_map(grid, "net").as_dict()
    assert _geoms(spec) == ["raster"]
    assert spec["layers"][0]["mapping"] == {"x": "x1", "y": "x2", "fill": "net"}
    assert pd.DataFrame(spec["data"]).to_dict("list") == grid.to_dict("list")
    with pytest.raises(ValueError, match=r"lacks columns \['error'\]"):
        nc.surface_map(grid, "error")


# --- the palette ----------------------------------------------------------------------

@pytest.mark.parametrize("module", [plots, maps, approx_plots])
def test_figures_take_their_colours_from_the_palette(module):
    tree = ast.parse(inspect.getsource(module))
    docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                  if isinstance(node, (ast.Module, ast.FunctionDef)) and ast.get_docstring(node)}
    literals = [node.value for node in ast.walk(tree) if isinstance(node, ast.Constant)
                and isinstance(node.value, str) and id(node) not in docstrings]
    assert [text for text in literals if re.fullmatch(r"#[0-9a-fA-F]{6}", text)] == []
    colours = {value for name, value in vars(palette).items() if name.isupper()
               and isinstance(value, str)}
    assert {"#1f77b4", "#d62728", "#7f7f7f"} <= colours


def test_the_class_colours_lead_the_scatter_and_the_region_maps():
    spec = nc.scatter(X, Y).as_dict()
    [colour] = [s for s in spec["scales"] if s["aesthetic"] == "color"]
    assert colour["values"] == palette.CLASS_COLORS


def test_accuracy_curves_mean_and_band_per_group_and_reference_lines():
    history = pd.DataFrame({"activation": ["relu"] * 4 + ["tanh"] * 4, "seed": [0, 1] * 4,
                            "epoch": [1, 1, 2, 2] * 2,
                            "test_acc": [0.5, 0.7, 0.8, 0.9, 0.6, 0.6, 0.7, 0.9]})
    spec = nc.accuracy_curves(history, references={"RBF SVM": 0.97}).as_dict()
    assert _geoms(spec) == ["ribbon", "line", "hline", "text"]
    band = spec["data"].set_index(["activation", "epoch"])
    assert band.loc[("tanh", 2), "mean"] == pytest.approx(0.8)
    assert band.loc[("relu", 1), "min"] == 0.5 and band.loc[("relu", 1), "max"] == 0.7
    assert spec["layers"][2]["data"]["y"].tolist() == [0.97]
    assert _renders(nc.accuracy_curves(history, references={"RBF SVM": 0.97}))
    assert _geoms(nc.accuracy_curves(history).as_dict()) == ["ribbon", "line"]
