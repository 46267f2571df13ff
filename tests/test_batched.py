"""The batched trainer against its reference, one-by-one training with nn.Modules."""
import pytest
import torch

import nonlin_course as nc
from nonlin_course.nets.models import linear_layers
from nonlin_course.training._stacked import BatchedMLP
from nonlin_course.training.loop import mean_loss, predicted_class

SIZES = [2, 5, 5, 1]
ACTS = ["tanh", "relu", "gelu"]
SEEDS = [0, 1]


@pytest.fixture(scope="module")
def circles():
    return nc.train_test(*nc.circles(200, seed=3), test_size=0.25, on=torch.device("cpu"))


def one_by_one(split, sizes, rows, epochs, loss, **settings):
    """Train each (activation, init, lr, seed) row alone with train_classifier."""
    runs = []
    for row in rows.itertuples():
        (model,) = nc.init_models(sizes, [row.activation], [row.seed], [row.init])
        history = nc.train_classifier(model, split, epochs=epochs, lr=row.lr, seed=row.seed,
                                      loss=loss, **settings)
        runs.append((model, history))
    return runs


def assert_same_as_one_by_one(run, reference):
    modules = run.net.to_modules()
    for k, (model, history) in enumerate(reference):
        for ours, theirs in zip(modules[k].parameters(), model.parameters()):
            assert torch.allclose(ours, theirs, atol=1e-5, rtol=0), run.models.loc[k]
        mine = run.history[run.history.model == k].reset_index(drop=True)
        assert (mine.train_loss - history.train_loss).abs().max() < 1e-5
        assert (mine.test_loss - history.test_loss).abs().max() < 1e-5
        assert (mine.test_acc - history.test_acc).abs().max() < 1e-6


@pytest.mark.parametrize("optimizer, lr, momentum", [("adam", 1e-2, 0.0), ("sgd", 1e-1, 0.0),
                                                     ("sgd", 5e-2, 0.9), ("adamw", 1e-2, 0.0)])
def test_batched_training_equals_one_by_one(circles, optimizer, lr, momentum):
    epochs = 12  # 150 training points in batches of 32: 5 steps an epoch (the last of 22)
    run = nc.train_batched(SIZES, ACTS, SEEDS, circles, epochs=epochs, lr=lr,
                           optimizer=optimizer, momentum=momentum, loss="bce")
    reference = one_by_one(circles, SIZES, run.models, epochs, "bce", optimizer=optimizer,
                           momentum=momentum)
    assert_same_as_one_by_one(run, reference)
    # and training did move the weights: the comparison is not between two initialisations
    start = run.start.to_modules()[0]
    assert not torch.allclose(start[0].weight, reference[0][0][0].weight)


def test_every_activation_every_loss_and_a_sweep_of_rates_and_inits(circles):
    """All 16 activations; cross-entropy; two rates and two initialisations crossed."""
    run = nc.train_batched([2, 4, 3], nc.activation_names(), [4], circles, epochs=3,
                           lr=[1e-2, 3e-3], init=["default", "kaiming"], loss="ce")
    assert len(run.models) == 16 * 2 * 2
    assert_same_as_one_by_one(run, one_by_one(circles, [2, 4, 3], run.models, 3, "ce"))


def test_no_hidden_layer_and_defaults_match_train_classifier(circles):
    run = nc.train_batched([2, 2], ["identity"], [0, 1], circles, epochs=4)
    reference = one_by_one(circles, [2, 2], run.models, 4, "ce")   # AdamW, lr 1e-3, batch 32
    assert_same_as_one_by_one(run, reference)


def test_records_are_tidy_and_gradients_match_a_hand_computation(circles):
    # one epoch of one full batch: the recorded gradient is that of the initial weights
    run = nc.train_batched(SIZES, ["sigmoid", "relu"], [0], circles, epochs=1,
                           batch_size=1000, loss="bce")
    key = ["epoch", "model", "activation", "init", "lr", "seed"]
    assert list(run.history.columns) == key + ["train_loss", "test_loss", "test_acc"]
    assert list(run.grads.columns) == key + ["layer", "value"]
    assert len(run.grads) == 2 * 3  # 2 models x 3 Linear layers x 1 epoch
    for k, model in enumerate(run.start.to_modules()):
        mean_loss(model(circles.X_train), circles.y_train, "bce").backward()
        expected = [layer.weight.grad.abs().mean().item() for layer in linear_layers(model)]
        got = run.grads[run.grads.model == k].sort_values("layer").value.tolist()
        assert got == pytest.approx(expected, rel=1e-5)


def test_start_holds_the_initial_weights_and_model_picks_one(circles):
    run = nc.train_batched([2, 3, 2], ["relu", "tanh"], [0, 1], circles, epochs=1)
    (fresh,) = nc.init_models([2, 3, 2], ["tanh"], [1])
    start = run.start.to_modules()[3]
    assert all(torch.equal(a, b) for a, b in zip(start.parameters(), fresh.parameters()))
    trained = run.model(activation="tanh", seed=1)
    assert torch.equal(trained[0].weight, run.net.weights[0][3])
    with pytest.raises(ValueError, match="matches 2 models"):
        run.model(seed=1)
    with pytest.raises(ValueError, match="no column"):
        run.model(colour="red")


def test_batched_forward_equals_each_module():
    acts, seeds = ["relu", "relu", "elu", "silu"], [0, 1, 2, 3]
    models = nc.init_models([2, 4, 3], acts, seeds)
    net = BatchedMLP.from_modules(models, acts)
    x = torch.randn(4, 7, 2, generator=torch.Generator().manual_seed(0))
    out = net(x)
    assert out.shape == (4, 7, 3)
    for k, model in enumerate(models):
        assert torch.allclose(out[k], model(x[k]), atol=1e-6)


def test_bad_inputs_get_clear_messages(circles):
    with pytest.raises(ValueError, match=r"unknown loss 'mse'"):
        nc.train_batched([2, 3, 1], ["relu"], [0], circles, epochs=1, loss="mse")
    with pytest.raises(TypeError, match=r"split must be a nonlin_course.Split"):
        nc.train_batched([2, 3, 1], ["relu"], [0], (1, 2), epochs=1)
    with pytest.raises(ValueError, match=r"unknown optimizer"):
        nc.train_batched([2, 3, 1], ["relu"], [0], circles, epochs=1, optimizer="lbfgs")
    with pytest.raises(ValueError, match=r"lr must be a positive"):
        nc.train_batched([2, 3, 1], ["relu"], [0], circles, epochs=1, lr=[1e-3, -1.0])
    with pytest.raises(ValueError, match=r"momentum"):
        nc.train_batched([2, 3, 1], ["relu"], [0], circles, epochs=1, momentum=1.5)
    with pytest.raises(ValueError, match=r"momentum is for 'sgd' only"):   # as train_classifier
        nc.train_batched([2, 3, 1], ["relu"], [0], circles, epochs=1, momentum=0.9)
    with pytest.raises(ValueError, match=r"seeds must not be empty"):
        nc.train_batched([2, 3, 1], ["relu"], [], circles, epochs=1)
    with pytest.raises(ValueError, match=r"same layer shapes"):
        BatchedMLP.from_modules(nc.init_models([2, 3, 1], ["relu"], [0])
                                   + nc.init_models([2, 4, 1], ["relu"], [0]), ["relu", "relu"])
    with pytest.raises(ValueError, match=r"need one seed per model"):
        nc.init_models([2, 3, 1], ["relu", "tanh"], [0])
    with pytest.raises(ValueError, match=r"unknown activation.*'swish'"):
        nc.init_models([2, 3, 1], ["swish"], [0])


def test_mean_loss_matches_torch_losses():
    g = torch.Generator().manual_seed(0)
    logits, y = torch.randn(3, 8, 1, generator=g), torch.randint(0, 2, (3, 8), generator=g)
    bce = torch.nn.BCELoss()
    for k in range(3):
        assert mean_loss(logits, y, "bce")[k].item() == pytest.approx(
            bce(torch.sigmoid(logits[k, :, 0]), y[k].float()).item(), rel=1e-5)
    logits3 = torch.randn(3, 8, 4, generator=g)
    y3 = torch.randint(0, 4, (3, 8), generator=g)
    for k in range(3):
        assert mean_loss(logits3, y3)[k].item() == pytest.approx(
            torch.nn.functional.cross_entropy(logits3[k], y3[k]).item(), rel=1e-6)
    assert predicted_class(torch.tensor([[-0.5], [0.2]]), "bce").tolist() == [0, 1]


def test_progress_bar_only_when_asked(circles, capsys):
    nc.train_batched([2, 3, 1], ["relu"], [0], circles, epochs=2, loss="bce")
    assert capsys.readouterr().err == ""
    nc.train_batched([2, 3, 1], ["relu"], [0], circles, epochs=2, loss="bce", progress=True)
    assert "training 1 models" in capsys.readouterr().err


def test_several_splits_train_as_separate_runs_would(circles):
    other = nc.train_test(*nc.circles(200, seed=4), test_size=0.25, on=torch.device("cpu"))
    both = nc.train_batched([2, 4, 1], ["relu", "tanh"], [0, 1], [circles, other], epochs=3,
                            loss="bce")
    assert list(both.models.columns) == ["activation", "init", "lr", "seed", "split"]
    for index, split in enumerate([circles, other]):
        alone = nc.train_batched([2, 4, 1], ["relu", "tanh"], [0, 1], split, epochs=3,
                                 loss="bce")
        mine = both.history[both.history.split == index].reset_index(drop=True)
        theirs = alone.history
        assert (mine.test_acc.values == theirs.test_acc.values).all()
        assert abs(mine.train_loss.values - theirs.train_loss.values).max() < 1e-6


def test_splits_must_have_equal_sizes(circles):
    smaller = nc.train_test(*nc.circles(100, seed=4), test_size=0.25, on=torch.device("cpu"))
    with pytest.raises(ValueError, match="equal sizes"):
        nc.train_batched([2, 4, 1], "relu", [0], [circles, smaller], epochs=1)
    with pytest.raises(TypeError, match="non-empty list"):
        nc.train_batched([2, 4, 1], "relu", [0], [], epochs=1)


def test_trains_on_one_thread_and_restores_the_thread_count(circles):
    before = torch.get_num_threads()
    torch.set_num_threads(2)
    try:
        nc.train_batched([2, 3, 1], ["relu"], [0], circles, epochs=1, loss="bce")
        assert torch.get_num_threads() == 2
    finally:
        torch.set_num_threads(before)


def test_reused_buffers_keep_each_batch_size_apart_and_outputs_fresh():
    acts, seeds = ["relu", "tanh", "tanh", "gelu"], [0, 1, 2, 3]
    models = nc.init_models([2, 4, 4, 3], acts, seeds)
    net = BatchedMLP.from_modules(models, acts)
    gen = torch.Generator().manual_seed(1)
    x5, x7, y5 = (torch.randn(4, n, 2, generator=gen) for n in (5, 7, 5))
    first = net(x5)
    net(x7), net(y5)                     # other passes reuse the hidden layers' buffers
    for k, model in enumerate(models):
        assert torch.allclose(first[k], model(x5[k]), atol=1e-6)   # the output is its own
        assert torch.allclose(net(x7)[k], model(x7[k]), atol=1e-6)


def test_an_evaluation_between_forward_and_backward_leaves_the_gradients_alone():
    acts = ["relu", "tanh"]
    net = BatchedMLP.from_modules(nc.init_models([2, 3, 3, 1], acts, [0, 1]), acts)
    gen = torch.Generator().manual_seed(2)
    x, other = torch.randn(2, 6, 2, generator=gen), torch.randn(2, 6, 2, generator=gen)
    dz = torch.randn(2, 6, 1, generator=gen)
    grads = [BatchedMLP(torch.zeros_like(net.flat), net.sizes, acts) for _ in range(2)]
    for g, evaluate_between in zip(grads, (False, True)):
        logits, inputs, saved = net.forward_saving(x)
        if evaluate_between:
            net(other)                      # same batch size, as an epoch's evaluation could be
        net.backward(dz, inputs, saved, g)
    assert torch.equal(grads[0].flat, grads[1].flat)


def test_init_models_takes_any_sequence_and_names_what_is_not_one():
    assert len(nc.init_models([2, 3, 2], ["relu"] * 2, range(2))) == 2
    with pytest.raises(TypeError, match="activations must be a list"):
        nc.init_models([2, 3, 2], None, [0])
