"""Tests of nonlin_course.plots: the figures' layers and data, and the plot setup."""
import math
import sys
import types

import numpy as np
import pandas as pd
import pytest
import torch
from lets_plot import LetsPlot, theme_minimal2
from lets_plot.plot.core import PlotSpec
from lets_plot.plot.subplots import SupPlotsSpec
from torch import nn

import nonlin_course as nc


def _geoms(spec: dict) -> list[str]:
    return [layer["geom"] for layer in spec["layers"]]


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


# --- in_colab, setup_plots ------------------------------------------------------------

@pytest.fixture
def not_colab(monkeypatch):
    monkeypatch.delenv("COLAB_RELEASE_TAG", raising=False)
    monkeypatch.delitem(sys.modules, "google.colab", raising=False)


def test_in_colab_is_false_elsewhere(not_colab):
    assert nc.in_colab() is False


def test_in_colab_from_the_environment(not_colab, monkeypatch):
    monkeypatch.setenv("COLAB_RELEASE_TAG", "release-colab_20250101-060000_RC00")
    assert nc.in_colab() is True


def test_in_colab_from_the_colab_module(not_colab, monkeypatch):
    monkeypatch.setitem(sys.modules, "google.colab", types.ModuleType("google.colab"))
    assert nc.in_colab() is True


@pytest.fixture
def lets_plot_calls(monkeypatch):
    """Record LetsPlot.setup_html and set_theme calls instead of changing global state."""
    calls = {"setup_html": [], "set_theme": []}
    monkeypatch.setattr(LetsPlot, "setup_html",
                        staticmethod(lambda **kwargs: calls["setup_html"].append(kwargs)))
    monkeypatch.setattr(LetsPlot, "set_theme",
                        staticmethod(lambda theme: calls["set_theme"].append(theme)))
    return calls


def test_setup_plots_in_colab_uses_isolated_frames_from_the_cdn(not_colab, monkeypatch,
                                                                lets_plot_calls):
    monkeypatch.setenv("COLAB_RELEASE_TAG", "x")
    nc.setup_plots()
    assert lets_plot_calls["setup_html"] == [{"isolated_frame": True, "offline": False}]


def test_setup_plots_elsewhere_loads_the_library_once_offline(not_colab, lets_plot_calls):
    nc.setup_plots()
    assert lets_plot_calls["setup_html"] == [{"isolated_frame": False, "offline": True}]


def test_setup_plots_sets_the_minimal_theme(not_colab, lets_plot_calls):
    nc.setup_plots()
    [theme] = lets_plot_calls["set_theme"]
    assert theme.as_dict() == theme_minimal2().as_dict()


# --- rounded --------------------------------------------------------------------------

def test_rounded_keeps_4_significant_digits_of_float_columns_only():
    frame = pd.DataFrame({"f": [1.23456789, 123456.789, 0.000123456, -9.87654e-8, 2.0],
                          "f32": np.array([1.23456, 7.77777, 0.5, 1e-3, 98765.4], np.float32),
                          "n": [123456789, -987654321, 12345, 0, 7],
                          "s": ["a", "b", "c", "d", "e"]})
    before = frame.copy()
    out = nc.rounded(frame)
    assert out["f"].tolist() == [1.235, 123500.0, 0.0001235, -9.877e-8, 2.0]
    assert out["f32"].tolist() == pytest.approx([1.235, 7.778, 0.5, 1e-3, 98770.0], rel=1e-12)
    assert out["n"].tolist() == [123456789, -987654321, 12345, 0, 7]
    assert out["n"].dtype == frame["n"].dtype
    assert out["s"].tolist() == frame["s"].tolist()
    pd.testing.assert_frame_equal(frame, before)  # the input is left alone


def test_rounded_to_other_digits_and_nan():
    out = nc.rounded(pd.DataFrame({"f": [3.14159, 2.71828, math.nan]}), digits=2)
    assert out["f"].tolist()[:2] == [3.1, 2.7] and math.isnan(out["f"].iloc[2])


@pytest.mark.parametrize("digits, error, message", [
    (0, ValueError, r"digits must be a positive int \(>= 1\), got 0"),
    (2.5, TypeError, r"digits must be a positive int, got float"),
])
def test_rounded_rejects_bad_digits(digits, error, message):
    with pytest.raises(error, match=message):
        nc.rounded(pd.DataFrame({"f": [1.0]}), digits=digits)


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
    with pytest.raises(ValueError, match=r"y must be an integer tensor of shape \(5,\), "
                                         r"got torch.float32"):
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
    assert _geoms(spec) == ["tile", "point", "point"]
    cells, dots, crosses = (layer["data"] for layer in spec["layers"])
    assert list(cells.columns) == ["x1", "x2", "pred"]  # only what the figure uses
    assert cells["pred"].tolist() == (grid["x1"] > 0).astype(int).tolist()
    assert dots[["x1", "x2"]].to_numpy().tolist() == X.tolist()
    assert dots["label"].tolist() == Y.tolist()
    assert crosses[["x1", "x2"]].to_numpy().tolist() == [X[1].tolist(), X[3].tolist()]
    assert spec["layers"][2]["shape"] == 4


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


def test_seed_dots_rejects_missing_columns():
    with pytest.raises(ValueError, match=r"DataFrame lacks columns \['activation'\]"):
        nc.seed_dots(_results(), "activation", "acc")
    with pytest.raises(ValueError, match=r"DataFrame lacks columns \['seed'\]"):
        nc.seed_dots(_results().drop(columns="seed"), "model", "acc")


# --- heatmaps -------------------------------------------------------------------------

def _table():
    named = [("0: Linear", torch.tensor([[1.5, -2.0, 0.5], [0.0, 1.0, -0.5]])),
             ("1: ReLU", torch.tensor([[1.5, 0.0, 0.5], [0.0, 1.0, 0.0]])),
             ("2: Linear", torch.tensor([[0.25], [-0.75]]))]
    return nc.long_table(named)


def test_heatmaps_one_tile_panel_per_layer_with_a_shared_symmetric_scale():
    plot = nc.heatmaps(_table())
    assert isinstance(plot, SupPlotsSpec)
    spec = plot.as_dict()
    figures = spec["figures"]
    assert [f["ggtitle"]["text"] for f in figures] == ["0: Linear", "1: ReLU", "2: Linear"]
    assert all(_geoms(f) == ["tile"] for f in figures)
    assert [len(f["data"]) for f in figures] == [6, 6, 2]
    assert figures[0]["data"]["value"].tolist() == [1.5, -2.0, 0.5, 0.0, 1.0, -0.5]
    assert all(f["scales"][0]["limits"] == [-2.0, 2.0] for f in figures)
    assert spec["layout"]["ncol"] == 3
    assert spec["layout"]["widths"] == [3 + 3, 3 + 3, 1 + 3]


def test_heatmaps_of_all_zeros_still_have_a_scale():
    table = nc.long_table([("h", torch.zeros(2, 2))])
    [figure] = nc.heatmaps(table).as_dict()["figures"]
    assert figure["scales"][0]["limits"] == [-1.0, 1.0]


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
    assert _geoms(spec) == ["tile", "contour"]
    data = spec["data"]
    assert data["region"].tolist() == table["region"].tolist()
    expected_points = nc.rounded(table)[["x1", "x2"]]
    assert data[["x1", "x2"]].to_numpy().tolist() == expected_points.to_numpy().tolist()
    colours = data.groupby("region")["colour"]
    assert (colours.nunique() == 1).all()  # one colour per region
    assert colours.first().nunique() == 4  # and four regions, four colours
    assert data["colour"].between(0, 1, inclusive="left").all()
    # the contour's single level separates the two sides of p1 = 0.5
    contour = spec["layers"][1]
    z = data[contour["mapping"]["z"]]
    assert ((z > 0) == (table["p1"] > 0.5)).all() and ((z < 0) == (table["p1"] < 0.5)).all()
    assert z.min() < 0 < z.max()


def test_region_map_without_probabilities_has_no_boundary():
    spec = nc.region_map(_region_grid().drop(columns=["p1", "pred"])).as_dict()
    assert _geoms(spec) == ["tile"]
    assert list(spec["data"].columns) == ["x1", "x2", "region", "colour"]


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
