"""Tests of nonlin_course.glue: glue_float, numbers into the prose."""

import math
import sys

import myst_nb
import numpy as np
import pytest
import torch

import nonlin_course as nc


@pytest.fixture
def glued(monkeypatch):
    """Record what glue_float hands to myst_nb.glue."""
    calls = []
    monkeypatch.setattr(myst_nb, "glue", lambda *args, **kwargs: calls.append((args, kwargs)))
    return calls


@pytest.mark.parametrize(
    "value, digits, expected",
    [
        (0.123456789, 4, 0.1235),
        (0.123456789, 2, 0.12),
        (2.5, 0, 2.0),  # round() rounds half to even
        (-1.23456, 3, -1.235),
        (7, 4, 7.0),
    ],
)
def test_glue_float_returns_the_rounded_float(value, digits, expected, glued):
    result = nc.glue_float("x", value, digits=digits)
    assert type(result) is float
    assert result == pytest.approx(expected, abs=1e-12)
    assert result == round(float(value), digits)


@pytest.mark.parametrize(
    "value",
    [
        torch.tensor(0.987654),
        torch.tensor([0.987654]),
        np.float32(0.987654),
        np.array(np.float32(0.987654)),
    ],
)
def test_glue_float_takes_one_element_tensors_and_arrays(value, glued):
    assert nc.glue_float("acc", value) == round(float(np.float32(0.987654)), 4)


def test_glue_float_glues_the_rounded_number_under_its_name_without_display(glued):
    result = nc.glue_float("relu_acc", 0.9876543)
    assert glued == [(("relu_acc", result), {"display": False})]


def test_glue_float_outside_a_notebook_does_not_crash(capsys):
    assert nc.glue_float("outside", 0.5) == 0.5  # the real myst_nb.glue, no kernel
    capsys.readouterr()


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf, torch.tensor(math.nan)])
def test_glue_float_rejects_non_finite_values(value, glued):
    with pytest.raises(ValueError, match=r"value for x must be a finite number, got (nan|-?inf)"):
        nc.glue_float("x", value)
    assert glued == []


@pytest.mark.parametrize("name", ["bad name", "1x", "", "a-b", 3, None])
def test_glue_float_rejects_a_name_that_is_not_identifier_like(name, glued):
    with pytest.raises(ValueError, match=r"glue name must be an identifier-like str, got "):
        nc.glue_float(name, 0.5)
    assert glued == []


@pytest.mark.parametrize(
    "value, kind",
    [
        (torch.ones(2), "Tensor"),
        (np.zeros(3), "ndarray"),
        ([0.1, 0.2], "list"),
        (None, "NoneType"),
        ("half", "str"),
    ],
)
def test_glue_float_rejects_anything_but_a_single_number(value, kind, glued):
    with pytest.raises(TypeError, match=rf"value for x must be a single number, got {kind}"):
        nc.glue_float("x", value)
    assert glued == []


def test_glue_float_outside_the_book_toolchain_displays_nothing(monkeypatch):
    """The Colab edition installs nonlin-course without myst-nb: glue_float then only
    returns the rounded number, and nothing reaches the notebook's outputs."""
    import IPython.display

    shown = []
    monkeypatch.setitem(sys.modules, "myst_nb", None)  # `import myst_nb` raises ImportError
    monkeypatch.setattr(IPython.display, "display", lambda *a, **k: shown.append(a))
    assert nc.glue_float("acc", 0.987654) == 0.9877
    assert shown == []
