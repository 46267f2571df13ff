"""Tests of nonlin_course.figures._frames: the tables on their way into a figure."""
import math

import numpy as np
import pandas as pd
import pytest

from nonlin_course.figures._frames import columns, grid_columns, rounded


# --- rounded --------------------------------------------------------------------------

def test_rounded_keeps_4_significant_digits_of_float_columns_only():
    frame = pd.DataFrame({"f": [1.23456789, 123456.789, 0.000123456, -9.87654e-8, 2.0],
                          "f32": np.array([1.23456, 7.77777, 0.5, 1e-3, 98765.4], np.float32),
                          "n": [123456789, -987654321, 12345, 0, 7],
                          "s": ["a", "b", "c", "d", "e"]})
    before = frame.copy()
    out = rounded(frame)
    assert out["f"].tolist() == [1.235, 123500.0, 0.0001235, -9.877e-8, 2.0]
    assert out["f32"].tolist() == pytest.approx([1.235, 7.778, 0.5, 1e-3, 98770.0], rel=1e-12)
    assert out["n"].tolist() == [123456789, -987654321, 12345, 0, 7]
    assert out["n"].dtype == frame["n"].dtype
    assert out["s"].tolist() == frame["s"].tolist()
    pd.testing.assert_frame_equal(frame, before)  # the input is left alone


def test_rounded_to_other_digits_and_nan():
    out = rounded(pd.DataFrame({"f": [3.14159, 2.71828, math.nan]}), digits=2)
    assert out["f"].tolist()[:2] == [3.1, 2.7] and math.isnan(out["f"].iloc[2])


@pytest.mark.parametrize("digits, error, message", [
    (0, ValueError, r"digits must be a positive int \(>= 1\), got 0"),
    (2.5, TypeError, r"digits must be a positive int, got float"),
])
def test_rounded_rejects_bad_digits(digits, error, message):
    with pytest.raises(error, match=message):
        rounded(pd.DataFrame({"f": [1.0]}), digits=digits)


# --- columns --------------------------------------------------------------------------

def test_columns_keeps_what_a_figure_uses_in_order_and_rounds_it():
    data = pd.DataFrame({"a": [1.23456], "b": ["x"], "c": [7], "d": [2.0]})
    out = columns(data, ["c", "a"], optional=("d", "missing"))
    assert list(out.columns) == ["c", "a", "d"]
    assert out.to_dict("list") == {"c": [7], "a": [1.235], "d": [2.0]}


def test_columns_names_what_is_missing_and_wants_a_dataframe():
    with pytest.raises(ValueError, match=r"DataFrame lacks columns \['z'\]; it has \['a'\]"):
        columns(pd.DataFrame({"a": [1]}), ["a", "z"])
    with pytest.raises(TypeError, match=r"expected a pandas DataFrame, got dict"):
        columns({"a": [1]}, ["a"])


def test_columns_keeps_a_column_named_twice_once():
    out = columns(pd.DataFrame({"a": [1], "b": [2]}), ["a", "b", "a"])
    assert list(out.columns) == ["a", "b"]


@pytest.mark.parametrize("chosen, error, message", [
    ("z", ValueError, r"by='z' is not a column of results; it has \['a', 'b'\]"),
    (None, TypeError, r"by must be a column name \(a str\), got NoneType"),
    (["a"], TypeError, r"by must be a column name \(a str\), got list"),
])
def test_columns_named_by_a_parameter_name_the_parameter(chosen, error, message):
    data = pd.DataFrame({"a": [1], "b": [2]})
    with pytest.raises(error, match=message):
        columns(data, [chosen, "b"], name="results", named_by={"by": chosen})
    assert list(columns(data, ["a", "b"], named_by={"by": "a"}).columns) == ["a", "b"]


# --- grid_columns ---------------------------------------------------------------------

def _grid(steps=4, step=0.5):
    x1, x2 = np.meshgrid(np.arange(steps) * step, np.arange(steps) * step)
    return pd.DataFrame({"x1": x1.ravel(), "x2": x2.ravel(), "value": 1.0})


def test_grid_columns_round_coordinates_by_the_step_not_by_the_value():
    grid = _grid().assign(x1=lambda t: t.x1 + 1000.000123)   # 4 significant digits: 1000
    out = grid_columns(grid, ["x1", "x2", "value"])
    assert sorted(out.x1.unique()) == [1000.0001, 1000.5001, 1001.0001, 1001.5001]
    assert rounded(grid).x1.nunique() < 4      # rounding by the value merges grid columns


def test_grid_columns_accept_a_single_point():
    assert len(grid_columns(_grid(steps=1), ["x1", "x2"])) == 1


@pytest.mark.parametrize("change, error, message", [
    (lambda t: t.sample(frac=0.5, random_state=0), ValueError, "one row per point"),
    (lambda t: pd.concat([t, t.iloc[:1]]), ValueError, "one row per point"),
    (lambda t: t.assign(x1=t.x1 ** 2), ValueError, "the x1 values are 4 unevenly spaced"),
    (lambda t: t.iloc[:0], ValueError, "grid column x1 must hold finite numbers"),
    (lambda t: t.assign(x2=t.x2.where(t.x2 > 0, math.inf)), ValueError,
     "grid column x2 must hold finite numbers"),
    (lambda t: t.assign(x1=t.x1 > 0.5), TypeError, "grid column x1 must hold numbers"),
    (lambda t: t.drop(columns="x2"), ValueError, r"lacks columns \['x2'\]"),
])
def test_grid_columns_reject_what_is_not_a_regular_grid(change, error, message):
    with pytest.raises(error, match=message):
        grid_columns(change(_grid()), ["x1", "x2", "value"])
