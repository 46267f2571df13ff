"""Norm layers in the batched trainer, against one-by-one training of norm_mlp modules."""

import pytest
import torch
from torch import nn

import nonlin_course as nc
from nonlin_course.nets.norms import norm_backward, norm_forward, norm_layers, norm_mlp
from nonlin_course.training._stacked import BatchedMLP
from nonlin_course.training.loop import mean_loss

SIZES = [2, 6, 5, 3]
ACTS = ["sigmoid", "tanh", "relu"]


@pytest.fixture(scope="module")
def circles():
    # 150 training points in batches of 32: the last batch holds 22
    return nc.train_test(*nc.circles(200, seed=3), test_size=0.25, on=torch.device("cpu"))


def one_by_one(split, rows, norm, epochs, **settings):
    runs = []
    for row in rows.itertuples():
        (model,) = nc.init_models(SIZES, [row.activation], [row.seed], [row.init], norm=norm)
        history = nc.train_classifier(
            model, split, epochs=epochs, lr=row.lr, seed=row.seed, **settings
        )
        runs.append((model, history))
    return runs


def assert_same(run, reference):
    for k, (model, history) in enumerate(reference):
        ours = run.net.to_module(k)
        theirs = {
            name: v
            for name, v in model.state_dict().items()
            if not name.endswith("num_batches_tracked")
        }  # a step count, not kept
        mine = {
            name: v
            for name, v in ours.state_dict().items()
            if not name.endswith("num_batches_tracked")
        }
        assert list(mine) == list(theirs)
        for name, value in mine.items():
            assert torch.allclose(value, theirs[name], atol=1e-5, rtol=1e-5), (name, k)
        mine = run.history[run.history.model == k].reset_index(drop=True)
        assert (mine.train_loss - history.train_loss).abs().max() < 1e-5
        assert (mine.test_loss - history.test_loss).abs().max() < 1e-5
        assert (mine.test_acc - history.test_acc).abs().max() < 1e-6


@pytest.mark.parametrize("norm", ["batchnorm", "layernorm"])
@pytest.mark.parametrize("optimizer, lr", [("adamw", 1e-2), ("sgd", 1e-1)])
def test_normalised_training_equals_one_by_one(circles, norm, optimizer, lr):
    run = nc.train_batched(
        SIZES,
        ACTS,
        [0],
        circles,
        epochs=3,
        lr=lr,
        norm=norm,
        init=["default", "kaiming"],
        optimizer=optimizer,
    )
    reference = one_by_one(circles, run.models, norm, 3, optimizer=optimizer)
    assert_same(run, reference)
    # training moved the norms' own parameters and (for BatchNorm) the running averages
    start, end = run.start.to_module(0), run.net.to_module(0)
    assert not torch.allclose(norm_layers(start)[0].weight, norm_layers(end)[0].weight)
    if norm == "batchnorm":
        assert not torch.allclose(norm_layers(end)[0].running_var, torch.ones(6))


def test_the_norm_backward_is_autograds():
    torch.manual_seed(0)
    for dim in (1, 2):
        z = torch.randn(3, 5, 7, dtype=torch.float64, requires_grad=True)  # (K, width, B)
        gamma = torch.randn(3, 5, dtype=torch.float64, requires_grad=True)
        beta = torch.randn(3, 5, dtype=torch.float64, requires_grad=True)
        y, saved = norm_forward(z, gamma, beta, dim)
        dy = torch.randn_like(y)
        want = torch.autograd.grad(y, (z, gamma, beta), dy)
        got = norm_backward(dy, gamma.detach(), tuple(s.detach() for s in saved), dim)
        for a, b in zip(got, want):
            assert torch.allclose(a, b, atol=1e-10)


def test_the_forward_equals_torch_norm_modules_in_both_modes():
    torch.manual_seed(1)
    for norm in ("batchnorm", "layernorm"):
        models = [norm_mlp([4, 8, 8, 3], "tanh", norm) for _ in range(2)]
        net = BatchedMLP.from_modules(models, ["tanh", "tanh"])
        x = torch.randn(2, 16, 4)
        logits = net.forward_saving(x, training=True)[0]  # also updates running averages
        for k, model in enumerate(models):
            assert torch.allclose(logits[k], model.train()(x[k]), atol=1e-6)
            assert torch.allclose(net(x)[k], model.eval()(x[k]), atol=1e-6)


def test_update_ratios_match_a_hand_loop(circles):
    run = nc.train_batched(
        SIZES,
        ["tanh"],
        [3],
        circles,
        epochs=2,
        lr=0.05,
        optimizer="sgd",
        norm="batchnorm",
        record_updates=True,
    )
    (model,) = nc.init_models(SIZES, ["tanh"], [3], norm="batchnorm")
    opt = torch.optim.SGD(model.parameters(), lr=0.05)
    generator, want = torch.Generator().manual_seed(3), []
    linears = [m for m in model if isinstance(m, nn.Linear)]
    for _ in range(2):
        for idx in torch.randperm(len(circles.y_train), generator=generator).split(32):
            before = [layer.weight.detach().clone() for layer in linears]
            opt.zero_grad()
            mean_loss(model(circles.X_train[idx]), circles.y_train[idx]).backward()
            opt.step()
            want += [
                torch.log10((layer.weight.detach() - w).std() / w.std()).item()
                for layer, w in zip(linears, before)
            ]
    got = run.updates.sort_values(["step", "layer"]).value.to_numpy()
    assert len(got) == len(want) == 2 * 5 * 3
    assert abs(got - torch.tensor(want).numpy()).max() < 1e-3
    # SGD's update is lr * grad, so the first step's ratio is also lr*std(grad)/std(W)
    assert set(run.updates.columns) >= {"activation", "seed", "step", "layer", "value"}


def test_without_records_there_are_none_and_bad_norms_are_refused(circles):
    assert nc.train_batched([2, 3, 2], ["relu"], [0], circles, epochs=1).updates is None
    with pytest.raises(ValueError, match="norm"):
        nc.train_batched([2, 3, 2], ["relu"], [0], circles, epochs=1, norm="groupnorm")
    with pytest.raises(ValueError, match="batch_size"):
        nc.train_batched(
            [2, 3, 2], ["relu"], [0], circles, epochs=1, norm="batchnorm", batch_size=149
        )  # 150 points: the second batch holds one
    mixed = [norm_mlp([2, 3, 2], "relu", "batchnorm"), norm_mlp([2, 3, 2], "relu", "layernorm")]
    with pytest.raises(ValueError, match="same norm"):
        BatchedMLP.from_modules(mixed, ["relu", "relu"])


def test_same_seed_same_linear_weights_with_or_without_norm():
    (plain,) = nc.init_models([3, 4, 2], ["tanh"], [7])
    (normed,) = nc.init_models([3, 4, 2], ["tanh"], [7], norm="layernorm")
    assert torch.equal(plain[0].weight, normed[0].weight)
    assert torch.equal(plain[2].weight, normed[3].weight)
