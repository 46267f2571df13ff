"""Tests of the figures of training and of a network's insides (nonlin_course.figures.plots):
their layers, data and colours; and that every figure module takes its colours from the
palette."""

import ast
import inspect
import re

import numpy as np
import pandas as pd
import pytest
import torch
from figure_helpers import X, Y, geoms, renders
from lets_plot.plot.core import PlotSpec

import nonlin_course as nc
from nonlin_course.figures import approx_plots, deep_plots, maps, palette, plots, zoo_plots

# --- scatter --------------------------------------------------------------------------


def test_scatter_has_one_point_layer_over_the_points():
    plot = nc.scatter(X, Y, title="moons")
    assert isinstance(plot, PlotSpec)
    spec = plot.as_dict()
    assert geoms(spec) == ["point"]
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
    with pytest.raises(
        ValueError,
        match=r"y must be an integer tensor of shape \(5,\).*"
        r"torch.float32",
    ):
        nc.scatter(X, Y.float())
    with pytest.raises(TypeError, match=r"X must be a torch.Tensor, got DataFrame"):
        nc.scatter(pd.DataFrame(X.numpy()), Y)


# --- loss_curves ----------------------------------------------------------------------


def _history():
    rng = np.random.default_rng(0)
    rows = [
        {"model": m, "seed": s, "epoch": e, "train_loss": round(rng.uniform(0.1, 0.9), 3)}
        for m in ("linear", "relu")
        for s in range(3)
        for e in range(1, 5)
    ]
    return pd.DataFrame(rows)


def test_loss_curves_band_is_min_to_max_around_the_mean():
    history = _history()
    plot = nc.loss_curves(history, title="loss")
    assert isinstance(plot, PlotSpec)
    spec = plot.as_dict()
    assert geoms(spec) == ["ribbon", "line"]
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
    with pytest.raises(
        ValueError,
        match=r"DataFrame lacks columns \['seed'\]; it has "
        r"\['model', 'epoch', 'train_loss'\]",
    ):
        nc.loss_curves(_history().drop(columns="seed"))
    with pytest.raises(ValueError, match=r"value='test_loss' is not a column of history"):
        nc.loss_curves(_history(), value="test_loss")
    with pytest.raises(TypeError, match=r"expected a pandas DataFrame, got dict"):
        nc.loss_curves(_history().to_dict("list"))


# --- seed_dots ------------------------------------------------------------------------


def _results():
    return pd.DataFrame(
        {
            "model": ["linear"] * 3 + ["relu"] * 3,
            "seed": [0, 1, 2] * 2,
            "acc": [0.5, 0.52, 0.49, 0.97, 0.99, 0.98],
        }
    )


def test_seed_dots_one_dot_per_seed_and_the_group_means():
    results = _results()
    plot = nc.seed_dots(results, "model", "acc", title="acc")
    assert isinstance(plot, PlotSpec)
    spec = plot.as_dict()
    assert geoms(spec) == ["hline", "point"]
    assert spec["mapping"] == {"x": "seed", "y": "acc"}
    assert spec["facet"]["facets"] == "model"
    pd.testing.assert_frame_equal(spec["data"], results)  # one dot per (group, seed)
    mean_layer = spec["layers"][0]
    assert mean_layer["mapping"] == {"yintercept": "mean"}
    means = mean_layer["data"].set_index("model")["mean"]
    np.testing.assert_allclose(means, results.groupby("model")["acc"].mean())
    assert spec["guides"]["y"]["title"] == "acc"


def test_seed_dots_panels_keep_the_order_of_the_groups():
    results = pd.concat(
        [_results().query("model == 'relu'"), _results().query("model == 'linear'")]
    )
    plot = nc.seed_dots(results, "model", "acc")
    assert renders(plot)
    strips = re.findall(r">(relu|linear)<", plot.to_svg())
    assert strips[:2] == ["relu", "linear"]  # not alphabetical


def test_seed_dots_rejects_missing_columns():
    with pytest.raises(ValueError, match=r"by='activation' is not a column of results"):
        nc.seed_dots(_results(), "activation", "acc")
    with pytest.raises(ValueError, match=r"DataFrame lacks columns \['seed'\]"):
        nc.seed_dots(_results().drop(columns="seed"), "model", "acc")


# --- heatmaps -------------------------------------------------------------------------


def _table():
    named = [
        ("0: Linear", torch.tensor([[1.5, -2.0, 0.5], [0.0, 1.0, -0.5]])),
        ("1: ReLU", torch.tensor([[1.5, 0.0, 0.5], [0.0, 1.0, 0.0]])),
        ("2: Linear", torch.tensor([[0.25], [-0.75]])),
    ]
    return nc.long_table(named)


def test_heatmaps_one_panel_per_layer_with_one_shared_symmetric_scale():
    table = _table()
    plot = nc.heatmaps(table)
    assert isinstance(plot, PlotSpec)
    spec = plot.as_dict()
    assert geoms(spec) == ["tile"]
    pd.testing.assert_frame_equal(spec["data"], table, check_dtype=False)  # every value
    assert spec["facet"]["facets"] == "layer" and spec["facet"]["scales"] == "free_x"
    assert spec["facet"]["ncol"] == 3  # side by side, in one row
    [fill] = [s for s in spec["scales"] if s["aesthetic"] == "fill"]
    assert fill["limits"] == [-2.0, 2.0]  # the largest |value| both ways
    assert spec["theme"]["legend_position"] == "bottom"  # one legend for all panels
    svg = plot.to_svg()
    assert renders(plot)
    titles = re.findall(r">(\d: \w+)<", svg)
    assert titles[:3] == ["0: Linear", "1: ReLU", "2: Linear"]  # in the network's order


def test_heatmaps_of_all_zeros_still_have_a_scale():
    table = nc.long_table([("h", torch.zeros(2, 2))])
    [fill] = [s for s in nc.heatmaps(table).as_dict()["scales"] if s["aesthetic"] == "fill"]
    assert fill["limits"] == [-1.0, 1.0]


def test_heatmaps_rejects_a_missing_column_or_a_wrong_type():
    with pytest.raises(ValueError, match=r"DataFrame lacks columns \['value'\]"):
        nc.heatmaps(_table().drop(columns="value"))
    with pytest.raises(ValueError, match=r"column='neuron' is not a column of table"):
        nc.heatmaps(_table(), column="neuron")
    with pytest.raises(TypeError, match=r"expected a pandas DataFrame, got list"):
        nc.heatmaps([("h", torch.zeros(2, 2))])


# --- gradient_curves ------------------------------------------------------------------


def test_gradient_curves_average_seeds_and_keep_every_nth_epoch():
    grads = pd.DataFrame(
        {
            "activation": "relu",
            "seed": [0, 1] * 10,
            "epoch": [e for e in range(1, 11) for _ in range(2)],
            "layer": 1,
            "value": [1.0, 3.0] * 10,
        }
    )
    spec = nc.gradient_curves(grads, every=5).as_dict()
    data = pd.DataFrame(spec["data"])
    assert sorted(data.epoch.unique().tolist()) == [1, 5, 10]
    assert (data.value == 2.0).all()
    with pytest.raises(ValueError, match=r"lacks columns \['layer'\]"):
        nc.gradient_curves(grads.drop(columns="layer"))


# --- the palette ----------------------------------------------------------------------


@pytest.mark.parametrize("module", [plots, maps, zoo_plots, approx_plots, deep_plots])
def test_figures_take_their_colours_from_the_palette(module):
    tree = ast.parse(inspect.getsource(module))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, (ast.Module, ast.FunctionDef)) and ast.get_docstring(node)
    }
    literals = [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in docstrings
    ]
    assert [text for text in literals if re.fullmatch(r"#[0-9a-fA-F]{6}", text)] == []
    colours = {
        value for name, value in vars(palette).items() if name.isupper() and isinstance(value, str)
    }
    assert {"#1f77b4", "#d62728", "#7f7f7f"} <= colours


def test_the_class_colours_lead_the_scatter_and_the_region_maps():
    spec = nc.scatter(X, Y).as_dict()
    [colour] = [s for s in spec["scales"] if s["aesthetic"] == "color"]
    assert colour["values"] == palette.CLASS_COLORS


# --- accuracy_curves ------------------------------------------------------------------


def test_accuracy_curves_mean_and_band_per_group_and_reference_lines():
    history = pd.DataFrame(
        {
            "activation": ["relu"] * 4 + ["tanh"] * 4,
            "seed": [0, 1] * 4,
            "epoch": [1, 1, 2, 2] * 2,
            "test_acc": [0.5, 0.7, 0.8, 0.9, 0.6, 0.6, 0.7, 0.9],
        }
    )
    spec = nc.accuracy_curves(history, references={"RBF SVM": 0.97}).as_dict()
    assert geoms(spec) == ["ribbon", "line", "hline", "text"]
    band = spec["data"].set_index(["activation", "epoch"])
    assert band.loc[("tanh", 2), "mean"] == pytest.approx(0.8)
    assert band.loc[("relu", 1), "min"] == 0.5 and band.loc[("relu", 1), "max"] == 0.7
    assert spec["layers"][2]["data"]["y"].tolist() == [0.97]
    assert renders(nc.accuracy_curves(history, references={"RBF SVM": 0.97}))
    assert geoms(nc.accuracy_curves(history).as_dict()) == ["ribbon", "line"]
