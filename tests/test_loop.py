"""Tests of nonlin_course.training.loop: optimizers, evaluation, the training loop, seed summaries."""

import math

import numpy as np
import pandas as pd
import pytest
import torch
from torch import nn
from torch.nn import functional as F

import nonlin_course as nc
from nonlin_course.training.loop import evaluate, make_optimizer

COLUMNS = ["epoch", "train_loss", "test_loss", "test_acc"]


def _blobs(n=48, seed=0):
    """Two well separated Gaussian blobs around (-2, -2) (class 0) and (2, 2) (class 1)."""
    generator = torch.Generator().manual_seed(seed)
    y = torch.arange(n) % 2
    X = (2 * y - 1).float()[:, None] * 2.0 + 0.3 * torch.randn(n, 2, generator=generator)
    return nc.train_test(X, y, test_size=0.25, seed=seed, on=nc.device())


def _model(seed=0, sizes=(2, 4, 2)):
    torch.manual_seed(seed)
    return nc.mlp(list(sizes)).to(nc.device())


# --- make_optimizer -------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, cls",
    [("adamw", torch.optim.AdamW), ("adam", torch.optim.Adam), ("sgd", torch.optim.SGD)],
)
def test_make_optimizer_builds_the_named_optimizer_over_the_params(name, cls):
    model = _model()
    opt = make_optimizer(name, model.parameters(), 0.05)
    assert type(opt) is cls
    assert opt.param_groups[0]["lr"] == 0.05
    assert [id(p) for p in opt.param_groups[0]["params"]] == [id(p) for p in model.parameters()]


def test_make_optimizer_accepts_an_int_rate():
    assert make_optimizer("sgd", _model().parameters(), 1).param_groups[0]["lr"] == 1


def test_make_optimizer_names_ignore_case():
    assert type(make_optimizer("AdamW", _model().parameters(), 0.1)) is torch.optim.AdamW


def test_make_optimizer_needs_a_name():
    with pytest.raises(TypeError, match=r"optimizer must be a name \(str\)"):
        make_optimizer(["adam"], _model().parameters(), 0.1)


@pytest.mark.parametrize("name", ["rmsprop", ""])
def test_make_optimizer_rejects_an_unknown_name(name):
    with pytest.raises(
        ValueError,
        match=rf"unknown optimizer '{name}'; choose one of "
        r"\['adamw', 'adam', 'sgd'\]",
    ):
        make_optimizer(name, _model().parameters(), 0.1)


@pytest.mark.parametrize("lr", [0, -0.1, float("nan"), float("inf")])
def test_make_optimizer_rejects_a_rate_that_is_not_positive(lr):
    with pytest.raises(ValueError, match=rf"lr must be a positive finite number, got {lr!r}"):
        make_optimizer("sgd", _model().parameters(), lr)


@pytest.mark.parametrize("lr, kind", [("0.1", "str"), (None, "NoneType"), (True, "bool")])
def test_make_optimizer_rejects_a_rate_that_is_not_a_number(lr, kind):
    with pytest.raises(TypeError, match=rf"lr must be a positive number, got {kind}"):
        make_optimizer("sgd", _model().parameters(), lr)


# --- evaluate -------------------------------------------------------------------------


def test_evaluate_matches_cross_entropy_and_a_hand_accuracy():
    generator = torch.Generator().manual_seed(1)
    X = torch.randn(25, 2, generator=generator)
    y = torch.randint(0, 3, (25,), generator=generator)
    model = _model(1, sizes=(2, 5, 3)).cpu()
    loss, acc = evaluate(model, X, y)
    logits = model(X).detach()
    assert loss == pytest.approx(F.cross_entropy(logits, y).item(), rel=1e-6)
    hits = sum(int(row.argmax()) == int(label) for row, label in zip(logits, y))
    assert acc == pytest.approx(hits / len(y))
    assert isinstance(loss, float) and isinstance(acc, float)


def test_evaluate_on_a_hand_built_classifier():
    # logits (-x, x): class 1 iff x > 0, and the loss of a point is softplus(-2 x s),
    # with s = +1 for class 1 and -1 for class 0
    model = nn.Linear(1, 2)
    with torch.no_grad():
        model.weight.copy_(torch.tensor([[-1.0], [1.0]]))
        model.bias.zero_()
    xs, labels = [-2.0, -1.0, 0.5, 2.0], [0, 1, 1, 1]
    loss, acc = evaluate(model, torch.tensor(xs)[:, None], torch.tensor(labels))
    expected = np.mean([math.log1p(math.exp(-2 * x * (2 * c - 1))) for x, c in zip(xs, labels)])
    assert loss == pytest.approx(expected, rel=1e-6)
    assert acc == 0.75


def test_evaluate_rejects_bad_shapes_and_types():
    model = _model().cpu()
    X, y = torch.zeros(4, 2), torch.zeros(4, dtype=torch.int64)
    with pytest.raises(ValueError, match=r"X must have shape \(n, d\), got \(4,\)"):
        evaluate(model, X[:, 0], y)
    with pytest.raises(TypeError, match=r"X must be a torch.Tensor, got ndarray"):
        evaluate(model, X.numpy(), y)
    with pytest.raises(
        ValueError,
        match=r"y must be an integer tensor of shape \(4,\).*"
        r"torch.float32",
    ):
        evaluate(model, X, y.float())
    with pytest.raises(
        ValueError,
        match=r"y must be an integer tensor of shape \(4,\).*"
        r"torch.int64 with shape \(4, 1\)",
    ):
        evaluate(model, X, y[:, None])


# --- train_classifier -----------------------------------------------------------------


def test_history_has_the_documented_columns_one_row_per_epoch():
    split, model = _blobs(), _model()
    history = nc.train_classifier(model, split, epochs=3, batch_size=8, lr=0.01)
    assert list(history.columns) == COLUMNS
    assert history["epoch"].tolist() == [1, 2, 3]
    assert history["test_acc"].between(0, 1).all()


def test_last_row_reports_the_trained_model_on_the_test_set():
    split, model = _blobs(), _model()
    history = nc.train_classifier(model, split, epochs=2, batch_size=8, lr=0.01)
    loss, acc = evaluate(model, split.X_test, split.y_test)
    assert history["test_loss"].iloc[-1] == loss
    assert history["test_acc"].iloc[-1] == acc


def test_training_is_deterministic_for_a_seed():
    split = _blobs()
    runs = []
    for _ in range(2):
        model = _model(seed=3)
        history = nc.train_classifier(model, split, epochs=3, batch_size=8, lr=0.02, seed=5)
        runs.append((history, model.state_dict()))
    (h1, p1), (h2, p2) = runs
    pd.testing.assert_frame_equal(h1, h2, check_exact=True)
    assert all(torch.equal(p1[k], p2[k]) for k in p1)


def test_the_seed_changes_the_batches():
    split = _blobs()
    h1 = nc.train_classifier(_model(), split, epochs=2, batch_size=8, lr=0.02, seed=0)
    h2 = nc.train_classifier(_model(), split, epochs=2, batch_size=8, lr=0.02, seed=1)
    assert not h1["train_loss"].equals(h2["train_loss"])


@pytest.mark.parametrize("optimizer", ["adamw", "sgd"])
def test_loss_decreases_on_a_separable_problem(optimizer):
    split, model = _blobs(), _model()
    history = nc.train_classifier(
        model, split, epochs=8, batch_size=8, lr=0.05, optimizer=optimizer
    )
    assert history["train_loss"].iloc[-1] < history["train_loss"].iloc[0]
    assert history["test_loss"].iloc[-1] < history["test_loss"].iloc[0]
    assert history["test_acc"].iloc[-1] == 1.0


def test_one_batch_per_epoch_is_full_batch_gradient_descent():
    """An independent reference: with batch_size >= n, each epoch is one full-batch step."""
    split = _blobs()
    model, reference = _model(seed=7), _model(seed=7)
    history = nc.train_classifier(model, split, epochs=4, batch_size=1000, lr=0.1, optimizer="sgd")
    opt = torch.optim.SGD(reference.parameters(), lr=0.1)
    losses = []
    for _ in range(4):
        loss = F.cross_entropy(reference(split.X_train), split.y_train)
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(loss.item())
    np.testing.assert_allclose(history["train_loss"], losses, rtol=1e-5)
    for ours, theirs in zip(model.parameters(), reference.parameters()):
        torch.testing.assert_close(ours, theirs, rtol=1e-5, atol=1e-6)


def test_train_loss_is_the_mean_over_the_epochs_batches():
    # With a rate too small to move float32 weights, each batch loss is that of the
    # untrained model; with equal batches their mean is the loss on the whole train set.
    split, model = _blobs(), _model(seed=4)
    assert len(split.y_train) % 12 == 0
    before, _ = evaluate(model, split.X_train, split.y_train)
    history = nc.train_classifier(model, split, epochs=1, batch_size=12, lr=1e-12, optimizer="sgd")
    assert history["train_loss"].iloc[0] == pytest.approx(before, rel=1e-6)


@pytest.mark.parametrize(
    "kwargs, error, message",
    [
        ({"epochs": 0}, ValueError, r"epochs must be a positive int \(>= 1\), got 0"),
        ({"epochs": 1.5}, TypeError, r"epochs must be a positive int, got float"),
        ({"epochs": 1, "batch_size": 0}, ValueError, r"batch_size must be a positive int \(>= 1\)"),
        ({"epochs": 1, "seed": -1}, ValueError, r"seed must be an int in \[0, 2\*\*32\), got -1"),
        ({"epochs": 1, "seed": True}, TypeError, r"seed must be a non-negative int, got bool"),
        (
            {"epochs": 1, "optimizer": "rmsprop"},
            ValueError,
            r"unknown optimizer 'rmsprop'; choose one of \['adamw', 'adam', 'sgd'\]",
        ),
        ({"epochs": 1, "lr": -0.1}, ValueError, r"lr must be a positive finite number, got -0.1"),
    ],
)
def test_train_classifier_rejects_bad_arguments(kwargs, error, message):
    with pytest.raises(error, match=message):
        nc.train_classifier(_model(), _blobs(), **kwargs)


def test_train_classifier_needs_a_split():
    split = _blobs()
    with pytest.raises(TypeError, match=r"split must be a nonlin_course.Split, got tuple"):
        nc.train_classifier(_model(), (split.X_train, split.y_train), epochs=1)


# --- seed_summary ---------------------------------------------------------------------


def _results():
    rng = np.random.default_rng(0)
    models = ["relu"] * 5 + ["linear"] * 3 + ["tanh"] * 4
    return pd.DataFrame(
        {"model": models, "seed": range(len(models)), "acc": rng.uniform(0.5, 1.0, len(models))}
    )


def test_seed_summary_matches_numpy_per_group():
    results = _results()
    summary = nc.seed_summary(results, "model", "acc")
    assert list(summary.columns) == ["model", "mean", "std", "min", "max", "seeds"]
    assert summary["model"].tolist() == ["linear", "relu", "tanh"]  # sorted groups
    for _, row in summary.iterrows():
        values = results.loc[results["model"] == row["model"], "acc"].to_numpy()
        assert row["mean"] == pytest.approx(np.mean(values))
        assert row["std"] == pytest.approx(np.std(values, ddof=1))
        assert (row["min"], row["max"]) == (values.min(), values.max())
        assert row["seeds"] == len(values)


def test_seed_summary_matches_pandas_groupby():
    results = _results()
    summary = nc.seed_summary(results, "model", "acc").set_index("model")
    grouped = results.groupby("model")["acc"]
    pd.testing.assert_series_equal(summary["mean"], grouped.mean(), check_names=False)
    pd.testing.assert_series_equal(summary["std"], grouped.std(), check_names=False)


def test_seed_summary_of_a_single_seed_has_no_spread():
    summary = nc.seed_summary(pd.DataFrame({"model": ["a"], "acc": [0.9]}), "model", "acc")
    assert summary["seeds"].tolist() == [1] and math.isnan(summary["std"].iloc[0])


@pytest.mark.parametrize(
    "by, value, missing", [("model", "accuracy", "accuracy"), ("activation", "acc", "activation")]
)
def test_seed_summary_names_a_missing_column(by, value, missing):
    with pytest.raises(ValueError, match=rf"='{missing}' is not a column of results"):
        nc.seed_summary(_results(), by, value)
