"""The batched trainer against its reference, one-by-one training with nn.Modules."""
import pytest
import torch

import nonlin_course as nc

SIZES = [2, 5, 5, 1]
ACTS = ["tanh", "tanh", "relu", "relu", "gelu"]
SEEDS = [0, 1, 0, 1, 2]


@pytest.fixture(scope="module")
def circles():
    return nc.train_test(*nc.circles(200, seed=3), test_size=0.25, on=torch.device("cpu"))


def one_by_one(split, optimizer, lr, epochs, loss):
    runs = []
    for act, seed, model in zip(ACTS, SEEDS, nc.init_models(SIZES, ACTS, SEEDS)):
        history = nc.train_classifier(model, split, epochs=epochs, batch_size=32, lr=lr,
                                      optimizer=optimizer, seed=seed, loss=loss)
        runs.append((model, history))
    return runs


@pytest.mark.parametrize("optimizer, lr", [("adam", 1e-2), ("sgd", 1e-1), ("adamw", 1e-2)])
def test_batched_training_equals_one_by_one(circles, optimizer, lr):
    epochs = 12  # 150 training points in batches of 32: 5 steps an epoch, 60 steps
    reference = one_by_one(circles, optimizer, lr, epochs, "bce")
    run = nc.train_batched(nc.init_models(SIZES, ACTS, SEEDS), ACTS, SEEDS, circles,
                           epochs=epochs, batch_size=32, lr=lr, optimizer=optimizer, loss="bce")
    for k, (model, history) in enumerate(reference):
        batched = run.net.to_modules()[k]
        for ours, theirs in zip(batched.parameters(), model.parameters()):
            assert torch.allclose(ours, theirs, atol=1e-5, rtol=0), (k, ACTS[k])
        mine = run.history[run.history.model == k].reset_index(drop=True)
        assert (mine.train_loss - history.train_loss).abs().max() < 1e-5
        assert (mine.test_acc - history.test_acc).abs().max() < 1e-6
    # and training did move the weights: the comparison is not between two initialisations
    start = nc.init_models(SIZES, ACTS, SEEDS)[0]
    assert not torch.allclose(next(start.parameters()), next(reference[0][0].parameters()))


def test_cross_entropy_loss_also_matches(circles):
    acts, seeds = ["relu", "sigmoid"], [4, 5]
    sizes = [2, 6, 2]
    run = nc.train_batched(nc.init_models(sizes, acts, seeds), acts, seeds, circles,
                           epochs=10, lr=1e-2, optimizer="adam", loss="ce")
    for k, (act, seed) in enumerate(zip(acts, seeds)):
        (model,) = nc.init_models(sizes, [act], [seed])
        nc.train_classifier(model, circles, epochs=10, lr=1e-2, optimizer="adam", seed=seed)
        for ours, theirs in zip(run.net.to_modules()[k].parameters(), model.parameters()):
            assert torch.allclose(ours, theirs, atol=1e-5, rtol=0)


def test_records_are_tidy_and_gradients_match_a_hand_computation(circles):
    acts, seeds = ["sigmoid", "relu"], [0, 0]
    models = nc.init_models(SIZES, acts, seeds)
    # one epoch of one full batch: the recorded gradient is that of the initial weights
    run = nc.train_batched(models, acts, seeds, circles, epochs=1, batch_size=1000,
                           lr=1e-3, loss="bce")
    assert list(run.history.columns) == ["epoch", "model", "activation", "seed",
                                         "train_loss", "test_loss", "test_acc"]
    assert list(run.grads.columns) == ["epoch", "model", "activation", "seed", "layer", "value"]
    assert len(run.grads) == 2 * 3  # 2 models x 3 Linear layers x 1 epoch
    for k, model in enumerate(models):
        X, y = circles.X_train, circles.y_train
        nc.mean_loss(model(X), y, "bce").backward()
        expected = [layer.weight.grad.abs().mean().item() for layer in nc.linear_layers(model)]
        got = run.grads[run.grads.model == k].sort_values("layer").value.tolist()
        assert got == pytest.approx(expected, rel=1e-5)


def test_batched_forward_equals_each_module(circles):
    acts, seeds = ["relu", "relu", "elu", "silu"], [0, 1, 2, 3]
    models = nc.init_models([2, 4, 3], acts, seeds)
    net = nc.BatchedMLP.from_modules(models, acts)
    x = torch.randn(4, 7, 2, generator=torch.Generator().manual_seed(0))
    out = net(x)
    assert out.shape == (4, 7, 3)
    for k, model in enumerate(models):
        assert torch.allclose(out[k], model(x[k]), atol=1e-6)


def test_bad_inputs_get_clear_messages(circles):
    models = nc.init_models([2, 3, 1], ["relu"], [0])
    with pytest.raises(ValueError, match=r"one entry per model; got 1, 1 and 2"):
        nc.train_batched(models, ["relu"], [0, 1], circles, epochs=1)
    with pytest.raises(ValueError, match=r"unknown loss 'mse'"):
        nc.train_batched(models, ["relu"], [0], circles, epochs=1, loss="mse")
    with pytest.raises(TypeError, match=r"split must be a nonlin_course.Split"):
        nc.train_batched(models, ["relu"], [0], (1, 2), epochs=1)
    with pytest.raises(ValueError, match=r"same layer shapes"):
        nc.BatchedMLP.from_modules(nc.init_models([2, 3, 1], ["relu"], [0])
                                   + nc.init_models([2, 4, 1], ["relu"], [0]), ["relu", "relu"])
    with pytest.raises(ValueError, match=r"need one seed per model"):
        nc.init_models([2, 3, 1], ["relu", "tanh"], [0])
    with pytest.raises(ValueError, match=r"unknown activation 'swish'"):
        nc.init_models([2, 3, 1], ["swish"], [0])


def test_mean_loss_matches_torch_losses():
    g = torch.Generator().manual_seed(0)
    logits, y = torch.randn(3, 8, 1, generator=g), torch.randint(0, 2, (3, 8), generator=g)
    bce = torch.nn.BCELoss()
    for k in range(3):
        assert nc.mean_loss(logits, y, "bce")[k].item() == pytest.approx(
            bce(torch.sigmoid(logits[k, :, 0]), y[k].float()).item(), rel=1e-5)
    logits3 = torch.randn(3, 8, 4, generator=g)
    y3 = torch.randint(0, 4, (3, 8), generator=g)
    for k in range(3):
        assert nc.mean_loss(logits3, y3)[k].item() == pytest.approx(
            torch.nn.functional.cross_entropy(logits3[k], y3[k]).item(), rel=1e-6)
    assert nc.predicted_class(torch.tensor([[-0.5], [0.2]]), "bce").tolist() == [0, 1]


def test_progress_bar_only_when_asked(circles, capsys):
    models = nc.init_models([2, 3, 1], ["relu"], [0])
    nc.train_batched(models, ["relu"], [0], circles, epochs=2, loss="bce")
    assert capsys.readouterr().err == ""
    nc.train_batched(models, ["relu"], [0], circles, epochs=2, loss="bce", progress=True)
    assert "training 1 models" in capsys.readouterr().err
