"""Each computed column of the properties table against a closed form."""
import math

import numpy as np
import pytest
import torch

import nonlin_course as nc


@pytest.fixture(scope="module")
def table():
    return nc.properties_table(samples=100_000).set_index("activation")


def test_table_has_one_row_per_zoo_activation(table):
    assert sorted(table.index) == sorted(n for n in nc.activation_names() if n != "identity")
    assert len(table) == 15


def test_output_range_on_the_wide_grid(table):
    assert table.loc["tanh", "min"] == pytest.approx(-1.0, abs=1e-12)
    assert table.loc["relu6", "max"] == 6.0
    assert table.loc["relu", "min"] == 0.0
    assert table.loc["leakyrelu", "min"] == pytest.approx(-0.2)
    assert table.loc["softsign", "max"] == pytest.approx(20 / 21)
    # the minimum of SiLU is x * sigmoid(x) at x = -1.2785 (W(1/e) + 1): about -0.2785
    assert table.loc["silu", "min"] == pytest.approx(-0.27846, abs=1e-5)


def test_moments_for_standard_normal_input(table):
    se = 3 / math.sqrt(100_000)   # three standard errors of a mean of unit-variance draws
    assert table.loc["relu", "mean"] == pytest.approx(1 / math.sqrt(2 * math.pi), abs=se)
    assert table.loc["relu", "std"] == pytest.approx(math.sqrt(0.5 - 1 / (2 * math.pi)), abs=se)
    assert table.loc["tanh", "mean"] == pytest.approx(0.0, abs=se)
    assert table.loc["sigmoid", "mean"] == pytest.approx(0.5, abs=se)
    # SELU is built so that N(0,1) in gives mean 0 and variance 1 out
    assert table.loc["selu", "mean"] == pytest.approx(0.0, abs=se)
    assert table.loc["selu", "std"] == pytest.approx(1.0, abs=2 * se)


def test_slope_at_zero_matches_the_derivatives(table):
    assert table.loc["sigmoid", "slope_at_0"] == pytest.approx(0.25)
    assert table.loc["tanh", "slope_at_0"] == pytest.approx(1.0)
    assert table.loc["gelu", "slope_at_0"] == pytest.approx(0.5)
    assert table.loc["silu", "slope_at_0"] == pytest.approx(0.5)
    assert table.loc["softplus", "slope_at_0"] == pytest.approx(0.5)
    assert table.loc["mish", "slope_at_0"] == pytest.approx(math.tanh(math.log(2)))
    assert table.loc["relu", "slope_at_0"] == 0.0          # torch's choice at the kink


def test_saturation(table):
    assert set(table.index[table.saturates]) == {"sigmoid", "tanh", "hardtanh", "relu6", "softsign"}


def test_can_die(table):
    assert set(table.index[table["can_die"]]) == {"relu", "relu6", "hardtanh", "hardswish"}


def test_smoothness(table):
    kinked = {"relu", "relu6", "leakyrelu", "hardtanh", "hardswish", "selu"}
    assert set(table.index[~table.smooth]) == kinked


def test_derivative_equals_finite_differences_away_from_kinks():
    x = torch.linspace(-3, 3, 61, dtype=torch.float64) + 0.05
    for name in ["sigmoid", "gelu", "mish", "elu"]:
        f = nc.activation(name)
        numeric = (f(x + 1e-6) - f(x - 1e-6)) / 2e-6
        assert torch.allclose(nc.derivative(name, x), numeric, atol=1e-6), name


def test_bad_names_are_refused():
    with pytest.raises(ValueError, match=r"unknown activation.*'swish'"):
        nc.properties_table(["swish"])
    with pytest.raises(ValueError, match=r"non-empty list of activation names"):
        nc.properties_table("relu")
    with pytest.raises(ValueError, match=r"non-empty list"):
        nc.properties_table([])


# --- curves and output histograms ------------------------------------------------------

def test_curves_function_and_autograd_derivative_against_closed_forms():
    data = nc.curves(["relu", "sigmoid"], points=11)
    assert len(data) == 2 * 2 * 11
    assert list(data.columns) == ["activation", "curve", "x", "value"]
    relu = data[data.activation == "relu"].pivot(index="x", columns="curve", values="value")
    np.testing.assert_allclose(relu["f(x)"], np.maximum(relu.index, 0))
    np.testing.assert_allclose(relu["f'(x)"], (relu.index > 0).astype(float))
    sig = data[data.activation == "sigmoid"].pivot(index="x", columns="curve", values="value")
    s = 1 / (1 + np.exp(-sig.index.to_numpy()))
    np.testing.assert_allclose(sig["f'(x)"], s * (1 - s), rtol=1e-12)


def test_curves_default_is_the_whole_zoo_on_minus_5_to_5():
    data = nc.curves()
    assert data.activation.nunique() == 15 and "identity" not in set(data.activation)
    assert data.x.min() == -5.0 and data.x.max() == 5.0


@pytest.mark.parametrize("kwargs, error, message", [
    ({"points": 0}, ValueError, "points must be a positive int"),
    ({"low": 1.0, "high": 1.0}, ValueError, "needs low < high"),
    ({"names": ["relu", "swish"]}, ValueError, "unknown activation.*'swish'"),
    ({"names": "relu"}, ValueError, "non-empty list"),
])
def test_curves_rejects_bad_arguments(kwargs, error, message):
    with pytest.raises(error, match=message):
        nc.curves(**kwargs)


def test_output_histograms_are_densities_with_the_right_masses():
    hist = nc.output_histograms(["relu", "tanh", "sigmoid"], samples=50_000, bins=60)
    area = (hist.density * hist.width).groupby(hist.activation).sum()
    np.testing.assert_allclose(area, 1.0, rtol=1e-9)
    relu = hist[hist.activation == "relu"]
    zero_bin = relu[(relu.x - relu.width / 2 < 0) & (0 < relu.x + relu.width / 2)].iloc[0]
    # ReLU sends every negative input to exactly 0: half the mass sits in one bin (plus
    # the few inputs in (0, 1/30], about 1.3 %, that share the bin)
    assert 0.5 < zero_bin.density * zero_bin.width < 0.53
    tanh = hist[hist.activation == "tanh"]
    assert (tanh.x * tanh.density * tanh.width).sum() == pytest.approx(0.0, abs=0.01)
    sigmoid = hist[hist.activation == "sigmoid"]
    assert sigmoid[sigmoid.density > 0].x.between(-0.1, 1.1).all()   # outputs in (0, 1)


def test_output_histograms_are_seeded_and_check_arguments():
    a = nc.output_histograms(["gelu"], samples=1000, seed=1)
    b = nc.output_histograms(["gelu"], samples=1000, seed=1)
    assert a.equals(b)
    with pytest.raises(ValueError, match="bins must be a positive int"):
        nc.output_histograms(["gelu"], bins=0)


def test_zero_centred_column_follows_the_mean(table):
    centred = table["mean"].abs() < 0.05
    assert (table["zero_centred"] == centred).all()
    assert set(table.index[table["zero_centred"]]) == {"tanh", "hardtanh", "selu", "softsign"}


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf])
def test_derivative_at_a_non_finite_point_is_refused(value):
    with pytest.raises(ValueError, match="x must hold finite numbers"):
        nc.derivative("relu", torch.tensor([0.5, value]))
