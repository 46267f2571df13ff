"""The trained one-hidden-layer ReLU net of chapter 4 (nonlin_course.piecewise.relu_fit)."""
import numpy as np
import pytest
import torch

from nonlin_course.piecewise import approx, relu_fit


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
        _ = two_d.knots


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


def test_fit_relu_nets_equals_separate_fits():
    x = approx.fine_grid(0, 2, 101)
    sweep = relu_fit.fit_relu_nets(x, square(x), 4, [0, 3], lr=[0.01, 0.05], epochs=60,
                                   checkpoints=[30, 60], device="cpu")
    assert sweep.models.to_dict("list") == {"init": ["default"] * 4, "lr": [0.01, 0.01, 0.05, 0.05],
                                            "seed": [0, 3, 0, 3]}
    for k, row in sweep.models.iterrows():
        alone = relu_fit.fit_relu_net(x, square(x), 4, seed=row.seed, lr=row.lr, epochs=60,
                                      device="cpu")
        mine = sweep.units[(sweep.units.model == k) & (sweep.units.epoch == 60)]
        np.testing.assert_allclose(sorted(mine.knot), alone.knots, atol=1e-4)
        np.testing.assert_allclose(mine.w, alone.model[2].weight[0].detach().double(), atol=1e-4)
        mse = float(((alone(x) - square(x)) ** 2).mean())
        assert mine.mse.iloc[0] == pytest.approx(mse, rel=1e-3)
    assert sorted(sweep.units.epoch.unique()) == [30, 60]


def test_fit_relu_nets_initialises_as_asked():
    x = approx.fine_grid(0, 2, 11)
    sweep = relu_fit.fit_relu_nets(x, square(x), 3, [1], init=["default", "kaiming"],
                                   lr=1e-12, epochs=1, device="cpu")
    from nonlin_course.training.batched import init_models
    fresh = init_models([1, 3, 1], ["relu"] * 2, [1, 1], ["default", "kaiming"])
    for k, model in enumerate(fresh):
        mine = sweep.units[sweep.units.model == k]
        np.testing.assert_allclose(mine.a, model[0].weight[:, 0].detach().double(), atol=1e-6)
        np.testing.assert_allclose(mine.c, model[0].bias.detach().double(), atol=1e-6)


@pytest.mark.parametrize("bad, message", [(dict(checkpoints=[0]), "checkpoints"),
                                          (dict(checkpoints=[9]), "must lie in"),
                                          (dict(lr=[]), "lr must not be empty"),
                                          (dict(lr=-1.0), "lr")])
def test_fit_relu_nets_refuses_bad_settings(bad, message):
    x = torch.linspace(0, 1, 5)
    settings = dict(epochs=3, device="cpu") | bad
    with pytest.raises(ValueError, match=message):
        relu_fit.fit_relu_nets(x, x, 2, [0], **settings)


def test_a_sweeps_net_computes_what_the_trained_net_computes():
    x = approx.fine_grid(0, 2, 51)
    sweep = relu_fit.fit_relu_nets(x, square(x), 4, [2], epochs=40, checkpoints=[20, 40],
                                   device="cpu")
    alone = relu_fit.fit_relu_net(x, square(x), 4, seed=2, epochs=40, device="cpu")
    net = sweep.net(0)
    np.testing.assert_allclose(net(x), alone(x), atol=1e-4)
    np.testing.assert_allclose(net.knots, alone.knots, atol=1e-4)
    assert not torch.allclose(sweep.net(0, epoch=20)(x), net(x))
    with pytest.raises(ValueError, match="no net 3 at epoch 40"):
        sweep.net(3)


def test_kinks_are_minus_c_over_a_and_nan_without_a_bend():
    a, c = torch.tensor([2.0, 0.0, -4.0]), torch.tensor([1.0, 5.0, 2.0])
    got = relu_fit.kinks(a, c)
    assert torch.isnan(got[1]) and not torch.isnan(got[[0, 2]]).any()
    for k in (0, 2):     # the unit is 0 on one side of its kink and not on the other
        x = got[k]
        assert torch.relu(a[k] * x + c[k]) == 0
        sides = torch.relu(a[k] * torch.stack([x - 0.1, x + 0.1]) + c[k])
        assert sorted((sides > 0).tolist()) == [False, True]
