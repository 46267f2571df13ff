"""Tests of nonlin_course.piecewise.approx against closed forms and numpy references."""
import numpy as np
import pytest
import torch

from nonlin_course.piecewise import approx


def square(x):
    return x ** 2


@pytest.mark.parametrize("n", [1, 2, 3, 4, 8, 16, 100])
def test_interpolant_max_error_on_x_squared_is_h_squared_over_four(n):
    h = 2 / n
    # 200 * n + 1 grid points include every piece's midpoint, where the error peaks
    err = approx.errors(square, approx.interpolant(square, 0, 2, n), 0, 2, points=200 * n + 1)
    assert err["max_error"] == pytest.approx(h ** 2 / 4, rel=1e-6)
    assert err["mean_error"] == pytest.approx(h ** 2 / 6, rel=1e-2)  # mean of t(h-t) over a piece


def test_interpolant_passes_through_the_piece_ends():
    fit = approx.interpolant(torch.sin, -1.0, 3.0, 7)
    ends = torch.linspace(-1.0, 3.0, 8, dtype=torch.float64)
    assert torch.allclose(fit(ends), torch.sin(ends), atol=1e-12)
    assert fit.knots.shape == fit.weights.shape == (7,)


def test_interpolant_weights_match_the_closed_form_for_x_squared():
    fit = approx.interpolant(square, 0, 2, 4)      # slopes (2i + 1) h, changes 2h
    assert fit.weights.tolist() == pytest.approx([0.5, 1.0, 1.0, 1.0])
    assert fit.knots.tolist() == [0.0, 0.5, 1.0, 1.5] and fit.bias == 0.0


def test_hinge_sum_matches_numpy():
    rng = np.random.default_rng(0)
    x, knots, weights = rng.normal(size=50), np.sort(rng.normal(size=6)), rng.normal(size=6)
    want = np.maximum(x[:, None] - knots[None, :], 0) @ weights + 0.7
    got = approx.hinge_sum(torch.tensor(x), knots, weights, 0.7)
    assert got.dtype == torch.float64 and got.shape == (50,)
    np.testing.assert_allclose(got.numpy(), want, rtol=1e-12)
    assert torch.equal(approx.hinge(torch.tensor([-1.0, 0.5, 2.0]), 0.5),
                       torch.tensor([0.0, 0.0, 1.5]))


def test_absolute_value_is_two_hinges():
    x = torch.linspace(-1, 1, 401, dtype=torch.float64)
    assert torch.allclose(approx.hinge_sum(x, [-1.0, 0.0], [-1.0, 2.0], bias=1.0), x.abs(),
                          atol=1e-12)
    fit = approx.interpolant(torch.abs, -1, 1, 2)     # a knot on the kink: exact
    assert approx.errors(torch.abs, fit, -1, 1)["max_error"] < 1e-12


def test_least_squares_beats_the_interpolant_on_its_own_grid():
    x = approx.fine_grid(0, 2, 401)
    hand = approx.interpolant(square, 0, 2, 8)
    fit = approx.least_squares(x, square(x), hand.knots)
    mse = lambda g: float(((g(x) - square(x)) ** 2).mean())
    assert mse(fit) <= mse(hand)
    assert mse(fit) < 0.5 * mse(hand)               # shifting down halves the error at least
    # with data exactly on a hinge sum, least squares recovers it
    exact = approx.least_squares(x, hand(x), hand.knots)
    assert torch.allclose(exact.weights, hand.weights, atol=1e-9)


def test_error_table_and_slope():
    table = approx.error_table(square, 0, 2, [2, 4, 8], points=1601)
    assert list(table.columns) == ["N", "max_error", "mean_error"]
    assert table.max_error.tolist() == pytest.approx([(2 / n) ** 2 / 4 for n in [2, 4, 8]])
    ns = np.array([1, 2, 4, 8, 100])
    assert approx.loglog_slope(ns, 3.0 * ns ** -2.0) == pytest.approx(-2.0)
    assert approx.loglog_slope(ns, ns ** 0.5) == pytest.approx(0.5)


def test_curve_table_is_long():
    table = approx.curve_table(torch.tensor([0.0, 1.0]), target=square, zero=torch.zeros_like)
    assert table.to_dict("list") == {"x": [0.0, 1.0, 0.0, 1.0],
                                     "curve": ["target", "target", "zero", "zero"],
                                     "value": [0.0, 1.0, 0.0, 0.0]}


def test_bad_inputs_say_what_is_wrong():
    x = torch.linspace(0, 1, 5)
    with pytest.raises(ValueError, match="knots must not be empty"):
        approx.hinge_sum(x, [], [])
    with pytest.raises(ValueError, match="sorted in strictly increasing order"):
        approx.hinge_sum(x, [0.5, 0.1], [1.0, 1.0])
    with pytest.raises(ValueError, match="same length, got 1 weights and 2 knots"):
        approx.hinge_sum(x, [0.1, 0.5], [1.0])
    with pytest.raises(ValueError, match="knots must be 1-D"):
        approx.least_squares(x, x, torch.zeros(2, 2))
    with pytest.raises(ValueError, match=r"n must be a positive int \(>= 1\), got 0"):
        approx.interpolant(square, 0, 2, 0)
    with pytest.raises(TypeError, match="n must be a positive int, got float"):
        approx.interpolant(square, 0, 2, 2.0)
    with pytest.raises(ValueError, match="needs a < b"):
        approx.interpolant(square, 2, 0, 4)
    with pytest.raises(ValueError, match="x and y must have the same length"):
        approx.least_squares(x, x[:3], [0.0])
    with pytest.raises(TypeError, match="knots must be a 1-D tensor or list"):
        approx.hinge_sum(x, "0.1", [1.0])
    with pytest.raises(ValueError, match="positive, finite ns and values"):
        approx.loglog_slope([1, 2], [0.0, 1.0])

