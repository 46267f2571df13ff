"""The trained one-hidden-layer ReLU net of chapter 4 (nonlin_course.relu_fit)."""
import pytest
import torch

from nonlin_course import approx, relu_fit


def square(x):
    return x ** 2


def test_trained_net_is_deterministic_and_beats_a_line():
    x = approx.fine_grid(0, 2, 201)
    first = relu_fit.fit_relu_net(x, square(x), units=8, seed=3, epochs=300, device="cpu")
    again = relu_fit.fit_relu_net(x, square(x), units=8, seed=3, epochs=300, device="cpu")
    assert first.loss == again.loss
    assert torch.equal(first.knots, again.knots)
    line = approx.least_squares(x, square(x), [0.0])   # best straight line: one hinge at 0
    mse_line = float(((line(x) - square(x)) ** 2).mean())
    assert first.loss[-1] < 0.5 * mse_line
    assert first(x).shape == (201,) and first.knots.ndim == 1
    assert (first.knots[1:] >= first.knots[:-1]).all()


def test_net_knots_are_minus_bias_over_weight():
    fit = relu_fit.fit_relu_net(torch.linspace(0, 1, 5), torch.zeros(5), 3, epochs=1, device="cpu")
    with torch.no_grad():
        fit.model[0].weight.copy_(torch.tensor([[2.0], [0.0], [-1.0]]))
        fit.model[0].bias.copy_(torch.tensor([-1.0, 5.0, 0.25]))
    assert fit.knots.tolist() == [0.25, 0.5]         # the unit with weight 0 has no kink
    two_d = relu_fit.fit_relu_net(torch.zeros(4, 2), torch.zeros(4), 3, epochs=1, device="cpu")
    with pytest.raises(ValueError, match="1-D input only"):
        two_d.knots


def test_the_net_is_an_mlp_seeded_like_one():
    x = torch.linspace(0, 1, 5)
    fit = relu_fit.fit_relu_net(x, torch.zeros(5), 3, seed=7, epochs=1, device="cpu", lr=1e-12)
    torch.manual_seed(7)
    from nonlin_course import mlp
    fresh = mlp([1, 3, 1], "relu")
    assert [type(m) for m in fit.model] == [type(m) for m in fresh]
    assert torch.allclose(fit.model[0].weight, fresh[0].weight, atol=1e-9)


def test_too_many_units_are_refused():
    with pytest.raises(ValueError, match="units must be at most"):
        relu_fit.fit_relu_net(torch.zeros(3), torch.zeros(3), units=10**9, device="cpu")
