"""Tests of nonlin_course.inside.probe: predictions and hidden layers as tensors and DataFrames."""

import pandas as pd
import pytest
import torch
from torch import nn

import nonlin_course as nc
from nonlin_course.inside.probe import predict


def _model(sizes=(2, 4, 3, 2), seed=0):
    torch.manual_seed(seed)
    return nc.mlp(list(sizes))


def _points(n=12, seed=0):
    generator = torch.Generator().manual_seed(seed)
    return torch.randn(n, 2, generator=generator), torch.randint(0, 2, (n,), generator=generator)


# --- predict --------------------------------------------------------------------------


def test_predict_is_the_argmax_of_the_logits():
    model, (X, _) = _model(sizes=(2, 5, 3)), _points()
    pred = predict(model, X)
    logits = model(X).detach()
    assert pred.dtype == torch.int64 and pred.device.type == "cpu"
    assert pred.tolist() == [max(range(3), key=lambda k: row[k].item()) for row in logits]


def test_predict_rejects_bad_inputs():
    with pytest.raises(ValueError, match=r"X must have shape \(n, d\), got \(2,\)"):
        predict(_model(), torch.zeros(2))
    with pytest.raises(TypeError, match=r"X must be a torch.Tensor, got list"):
        predict(_model(), [[0.0, 0.0]])


# --- grid_predictions -----------------------------------------------------------------


def test_grid_predictions_against_the_model_outputs():
    model = _model()
    grid = nc.plane_grid(_points()[0], steps=6)
    table = nc.grid_predictions(model, grid)
    probs = torch.softmax(model(grid).detach(), dim=1)
    assert list(table.columns) == ["x1", "x2", "pred", "p1"]
    assert len(table) == len(grid)
    assert torch.equal(torch.tensor(table[["x1", "x2"]].to_numpy()), grid)
    torch.testing.assert_close(torch.tensor(table["p1"].to_numpy()), probs[:, 1])
    assert table["pred"].tolist() == probs.argmax(1).tolist()
    assert ((table["p1"] > 0.5) == (table["pred"] == 1)).all()


def test_grid_predictions_needs_a_two_column_grid():
    with pytest.raises(ValueError, match=r"grid must have shape \(n, 2\), got \(4, 3\)"):
        nc.grid_predictions(_model(), torch.zeros(4, 3))


# --- labelled_points ------------------------------------------------------------------


def test_labelled_points_against_the_model_outputs():
    model, (X, y) = _model(), _points()
    table = nc.labelled_points(model, X, y)
    pred = model(X).detach().argmax(1)
    assert list(table.columns) == ["x1", "x2", "label", "pred", "correct"]
    assert torch.equal(torch.tensor(table[["x1", "x2"]].to_numpy()), X)
    assert table["label"].tolist() == y.tolist()
    assert table["pred"].tolist() == pred.tolist()
    assert table["correct"].dtype == bool
    assert table["correct"].tolist() == (pred == y).tolist()


def test_labelled_points_rejects_bad_inputs():
    model, (X, y) = _model(), _points()
    with pytest.raises(
        ValueError,
        match=r"y must be an integer tensor of shape \(12,\).*"
        r"torch.int64 with shape \(11,\)",
    ):
        nc.labelled_points(model, X, y[:-1])
    with pytest.raises(ValueError, match=r"X must have shape \(n, 2\), got \(12, 3\)"):
        nc.labelled_points(model, torch.zeros(12, 3), y)


# --- layer_outputs --------------------------------------------------------------------


def test_layer_outputs_names_shapes_and_values():
    model, (X, _) = _model(), _points()
    outputs = nc.layer_outputs(model, X)
    assert [name for name, _ in outputs] == [
        "0: Linear",
        "1: ReLU",
        "2: Linear",
        "3: ReLU",
        "4: Linear",
    ]
    assert [tuple(t.shape) for _, t in outputs] == [(12, 4), (12, 4), (12, 3), (12, 3), (12, 2)]
    for i, (_, values) in enumerate(outputs):
        assert values.device.type == "cpu"
        torch.testing.assert_close(values, model[: i + 1](X).detach())
    assert (outputs[1][1] >= 0).all() and (outputs[3][1] >= 0).all()


def test_layer_outputs_last_entry_is_the_model_output():
    model, (X, _) = _model(sizes=(2, 6, 6, 6, 3), seed=2), _points(seed=2)
    assert torch.equal(nc.layer_outputs(model, X)[-1][1], model(X).detach())


def test_layer_outputs_needs_a_sequential():
    with pytest.raises(
        TypeError,
        match=r"model must be an nn.Sequential \(as mlp builds\), "
        r"got Linear",
    ):
        nc.layer_outputs(nn.Linear(2, 2), torch.zeros(3, 2))


def test_layer_outputs_rejects_a_wrong_shape():
    with pytest.raises(ValueError, match=r"X must have shape \(n, d\), got \(3, 2, 1\)"):
        nc.layer_outputs(_model(), torch.zeros(3, 2, 1))


# --- long_table -----------------------------------------------------------------------


def test_long_table_shape_and_values():
    generator = torch.Generator().manual_seed(0)
    named = [
        ("a", torch.randn(3, 2, generator=generator)),
        ("b", torch.randn(3, 4, generator=generator)),
    ]
    table = nc.long_table(named)
    assert list(table.columns) == ["layer", "point", "unit", "value"]
    assert len(table) == 3 * 2 + 3 * 4
    assert table["layer"].tolist() == ["a"] * 6 + ["b"] * 12
    lookup = dict(named)
    for row in table.itertuples():
        assert row.value == pytest.approx(lookup[row.layer][row.point, row.unit].item())
    assert table.groupby("layer").size().to_dict() == {"a": 6, "b": 12}


def test_long_table_of_layer_outputs_has_one_row_per_activation():
    model, (X, _) = _model(), _points(n=5)
    outputs = nc.layer_outputs(model, X)
    table = nc.long_table(outputs)
    assert len(table) == sum(t.numel() for _, t in outputs)
    last = table[table["layer"] == "4: Linear"].sort_values(["point", "unit"])
    torch.testing.assert_close(
        torch.tensor(last["value"].to_numpy()).reshape(5, 2), model(X).detach()
    )


def test_long_table_custom_index_names():
    table = nc.long_table([("h", torch.arange(6.0).reshape(2, 3))], row="sample", column="neuron")
    expected = pd.DataFrame(
        {
            "layer": ["h"] * 6,
            "sample": [0, 0, 0, 1, 1, 1],
            "neuron": [0, 1, 2, 0, 1, 2],
            "value": [0.0, 1, 2, 3, 4, 5],
        }
    )
    pd.testing.assert_frame_equal(table, expected, check_dtype=False)


def test_long_table_rejects_a_tensor_that_is_not_2d():
    with pytest.raises(ValueError, match=r"b: expected a 2-D tensor, got shape \(3,\)"):
        nc.long_table([("a", torch.zeros(3, 2)), ("b", torch.zeros(3))])


def test_decision_frames_are_the_grid_and_the_points_of_a_decision_map():
    X, y = nc.moons(50, seed=1)
    model = nc.mlp([2, 4, 2])
    grid, points = nc.decision_frames(model, X, y, steps=7)
    expected_grid = nc.grid_predictions(model, nc.plane_grid(X, steps=7))
    pd.testing.assert_frame_equal(grid, expected_grid)
    pd.testing.assert_frame_equal(points, nc.labelled_points(model, X, y))
    with pytest.raises(ValueError, match="steps"):
        nc.decision_frames(model, X, y, steps=0)
