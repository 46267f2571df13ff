"""Tests of the activation zoo's figures (nonlin_course.figures.zoo_plots): curves, histograms,
the ranking by score and parallel coordinates."""

import numpy as np
import pandas as pd
import pytest
from figure_helpers import geoms, renders

import nonlin_course as nc

# --- zoo_curves, zoo_histograms, score_ranking, parallel_coordinates ------------------


def test_zoo_curves_one_panel_per_activation_two_curves_each():
    data = nc.curves(["relu", "tanh"], points=5)
    spec = nc.zoo_curves(data).as_dict()
    assert geoms(spec) == ["hline", "line"]
    assert spec["mapping"] == {"x": "x", "y": "value", "color": "curve"}
    assert spec["facet"]["facets"] == "activation"
    assert sorted(spec["data"].curve.unique()) == ["f'(x)", "f(x)"]
    assert len(spec["data"]) == 2 * 2 * 5
    assert renders(nc.zoo_curves(data))


def test_zoo_histograms_title_each_panel_with_mean_and_sd():
    hist = nc.output_histograms(["relu", "tanh"], samples=1000, bins=10)
    moments = pd.DataFrame(
        {"activation": ["relu", "tanh"], "mean": [0.39894, -0.0012], "std": [0.5838, 0.6278]}
    )
    spec = nc.zoo_histograms(hist, moments).as_dict()
    assert geoms(spec) == ["bar", "vline"]
    panels = sorted(spec["data"].panel.unique())
    assert panels == ["relu: mean 0.40, sd 0.58", "tanh: mean 0.00, sd 0.63"]
    assert renders(nc.zoo_histograms(hist, moments))
    x_scale = [s for s in spec["scales"] if s["aesthetic"] == "x"][0]
    assert x_scale["breaks"] == [-3, -2, -1, 0, 1, 2, 3, 4]  # every unit labelled, not only 0
    with pytest.raises(ValueError, match=r"lacks columns \['std'\]"):
        nc.zoo_histograms(hist, moments.drop(columns="std"))


def test_score_ranking_orders_groups_by_their_mean():
    results = pd.DataFrame(
        {"activation": ["a", "a", "b", "b", "c", "c"], "score": [0.9, 0.8, 0.95, 0.97, 0.5, 0.7]}
    )
    spec = nc.score_ranking(results, "activation").as_dict()
    assert geoms(spec) == ["point", "point"]
    limits = [s for s in spec["scales"] if s["aesthetic"] == "y"][0]["limits"]
    assert limits == ["c", "a", "b"]  # lowest mean at the bottom, best at the top
    means = spec["layers"][1]["data"].set_index("activation")["mean"]
    np.testing.assert_allclose(means[["a", "b", "c"]], [0.85, 0.96, 0.6])
    assert renders(nc.score_ranking(results, "activation"))


def test_score_ranking_zooms_on_the_close_groups_and_writes_the_far_ones():
    results = pd.DataFrame(
        {"activation": ["a", "a", "b", "b", "c", "c"], "score": [0.9, 0.8, 0.95, 0.97, 0.5, 0.7]}
    )
    spec = nc.score_ranking(results, "activation", low=0.75).as_dict()
    assert spec["coord"]["xlim"] == pytest.approx([0.75, 0.97 + 0.02 * 0.22])
    marks = spec["layers"][-1]["data"]
    assert marks.activation.tolist() == ["c"] and marks.label.tolist() == ["mean 0.600 (off scale)"]
    assert marks.score.tolist() == [0.75]  # written at the left edge
    assert renders(nc.score_ranking(results, "activation", low=0.75))
    assert "coord" not in nc.score_ranking(results, "activation").as_dict()
    with pytest.raises(ValueError, match="low must lie below the best score"):
        nc.score_ranking(results, "activation", low=0.99)


def test_parallel_coordinates_puts_shared_axes_on_one_scale():
    frame = pd.DataFrame(
        {
            "activation": ["relu", "tanh"],
            "fold 1": [0.9, 0.94],
            "fold 2": [0.92, 0.96],
            "mean": [0.91, 0.95],
        }
    )
    axes = ["activation", "fold 1", "fold 2", "mean"]
    spec = nc.parallel_coordinates(frame, axes, color="mean", shared=axes[1:]).as_dict()
    y = spec["data"].set_index(["axis", "row"]).y
    expected = {
        (1, 0): 0.0,
        (1, 1): 2 / 3,
        (2, 0): 1 / 3,
        (2, 1): 1.0,
        (3, 0): 1 / 6,
        (3, 1): 5 / 6,
    }
    for key, value in expected.items():
        assert y[key] == pytest.approx(value, abs=1e-3)
    labels = spec["layers"][2]["data"]
    assert labels[labels.axis == 1].label.tolist() == ["0.900", "0.920", "0.940", "0.960"]
    assert renders(nc.parallel_coordinates(frame, axes, color="mean", shared=axes[1:]))
    with pytest.raises(ValueError, match="shared must list numeric columns"):
        nc.parallel_coordinates(frame, axes, color="mean", shared=["activation"])


def test_parallel_coordinates_scales_each_axis_to_0_1():
    frame = pd.DataFrame(
        {"activation": ["relu", "tanh", "gelu"], "seed": [0, 1, 2], "score": [0.9, 0.8, 0.85]}
    )
    spec = nc.parallel_coordinates(frame, ["activation", "seed", "score"], color="score").as_dict()
    assert geoms(spec) == ["vline", "path", "label"]
    paths = spec["data"]
    assert len(paths) == 3 * 3 and paths.y.between(0, 1).all()
    first_axis = paths[paths.axis == 0].set_index("row").y
    assert first_axis.tolist() == [0.0, 0.5, 1.0]  # text levels evenly, in order of appearance
    score_axis = paths[paths.axis == 2].set_index("row").y
    np.testing.assert_allclose(score_axis, [1.0, 0.0, 0.5])
    labels = spec["layers"][2]["data"]
    assert set(labels.label) >= {"relu", "tanh", "gelu", "0", "2", "0.8", "0.9"}
    assert spec["layers"][0]["data"]["axis"].tolist() == [0, 1, 2]  # one vertical axis each
    assert renders(nc.parallel_coordinates(frame, ["activation", "seed", "score"], color="score"))


def test_parallel_coordinates_labels_every_value_of_a_small_integer_axis():
    frame = pd.DataFrame(
        {"seed": [0, 1, 2, 1], "count": [10, 50, 20, 30], "score": [0.9, 0.8, 0.85, 0.7]}
    )
    spec = nc.parallel_coordinates(frame, ["seed", "count", "score"], color="score").as_dict()
    labels = spec["layers"][2]["data"]
    by_axis = {axis: part.set_index("label").y.to_dict() for axis, part in labels.groupby("axis")}
    assert by_axis[0] == {"0": 0.0, "1": 0.5, "2": 1.0}  # each seed, in place
    assert by_axis[1] == {"10": 0.0, "20": 0.25, "30": 0.5, "50": 1.0}
    assert set(by_axis[2]) == {"0.7", "0.9"}  # floats: the ends only


def test_parallel_coordinates_rejects_missing_columns():
    frame = pd.DataFrame({"seed": [0, 1], "score": [0.9, 0.8]})
    with pytest.raises(ValueError, match=r"axes\[0\]='activation' is not a column of frame"):
        nc.parallel_coordinates(frame, ["activation", "seed"], color="score")
