"""Tests of nonlin_course.training.selection: the seeded skorch module, the progress scorer, and
the tidy table of a grid search."""

import numpy as np
import pytest
import torch
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score
from sklearn.model_selection import GridSearchCV, StratifiedKFold
from skorch import NeuralNetClassifier
from torch import nn

import nonlin_course as nc
from nonlin_course.training.selection import ProgressScorer


def _small_digits(n=300):
    X, y = nc.digits()
    return X[:n].numpy(), y[:n].numpy()


def test_seeded_mlp_same_seed_same_weights_and_shape():
    a, b = nc.SeededMLP(seed=3), nc.SeededMLP(seed=3)
    for p, q in zip(a.parameters(), b.parameters()):
        assert torch.equal(p, q)
    assert a(torch.zeros(5, 64)).shape == (5, 10)
    c = nc.SeededMLP(seed=4)
    assert not torch.equal(a.net[0].weight, c.net[0].weight)


def test_seeded_mlp_builds_the_named_activation_and_sizes():
    model = nc.SeededMLP(sizes=(4, 6, 3), activation="tanh", seed=0)
    assert [type(m).__name__ for m in model.net] == ["Linear", "Tanh", "Linear"]
    assert model(torch.zeros(2, 4)).shape == (2, 3)


@pytest.mark.parametrize("seed, error", [(-1, ValueError), (1.5, TypeError), (2**32, ValueError)])
def test_seeded_mlp_rejects_bad_seeds(seed, error):
    with pytest.raises(error, match="seed must be"):
        nc.SeededMLP(seed=seed)


def test_seeded_mlp_rejects_unknown_activation():
    with pytest.raises(ValueError, match="unknown activation.*'relux'"):
        nc.SeededMLP(activation="relux")


def test_progress_scorer_returns_accuracy_and_counts_fits():
    X, y = _small_digits()
    model = LogisticRegression(max_iter=200).fit(X, y)
    scorer = ProgressScorer("accuracy", total=3)
    assert scorer(model, X, y) == pytest.approx(accuracy_score(y, model.predict(X)))
    assert scorer.bar.n == 1
    scorer(model, X, y), scorer(model, X, y)
    assert scorer.bar.n == 3


def test_progress_scorer_rejects_unknown_scoring_and_bad_total():
    with pytest.raises(ValueError, match="accuracyy"):
        ProgressScorer("accuracyy", total=1)
    with pytest.raises(ValueError, match="total must be a positive int"):
        ProgressScorer("accuracy", total=0)


@pytest.mark.parametrize("folds", [3, 11])  # 11: "split10" sorts before "split2" as text
def test_cv_results_one_row_per_candidate_and_fold(folds):
    X, y = _small_digits()
    search = GridSearchCV(
        LogisticRegression(max_iter=300),
        {"C": [0.1, 1.0]},
        cv=folds,
        scoring=ProgressScorer("accuracy", total=2 * folds),
        refit=False,
    ).fit(X, y)
    table = nc.cv_results(search)
    assert list(table.columns) == ["C", "fold", "score"]
    assert len(table) == 2 * folds
    assert table.fold.tolist() == list(range(1, folds + 1)) * 2
    assert table.C.dtype == float
    for row in table.itertuples():
        k = [0.1, 1.0].index(row.C)
        assert row.score == search.cv_results_[f"split{row.fold - 1}_test_score"][k]


def _skorch_search():
    net = NeuralNetClassifier(
        nc.SeededMLP,
        module__sizes=(64, 16, 10),
        criterion=nn.CrossEntropyLoss,
        optimizer=torch.optim.SGD,
        lr=0.05,
        optimizer__momentum=0.9,
        max_epochs=3,
        batch_size=32,
        train_split=None,
        verbose=0,
        iterator_train__shuffle=True,
    )
    grid = {"module__activation": ["relu", "tanh"], "module__seed": [0, 1]}
    X, y = _small_digits()
    return GridSearchCV(
        net, grid, cv=2, scoring=ProgressScorer("accuracy", total=8), refit=False
    ).fit(X, y)


def test_cv_results_of_a_skorch_search_strips_prefixes_and_is_deterministic():
    first, second = nc.cv_results(_skorch_search()), nc.cv_results(_skorch_search())
    assert list(first.columns) == ["activation", "seed", "fold", "score"]
    assert len(first) == 2 * 2 * 2
    assert first.seed.dtype == np.int64 and first.activation.tolist()[:4] == ["relu"] * 4
    np.testing.assert_array_equal(first.score, second.score)  # same seeds, same scores
    assert first.score.between(0, 1).all()


def test_cv_results_needs_a_fitted_search():
    search = GridSearchCV(LogisticRegression(), {"C": [1.0]})
    with pytest.raises(ValueError, match="fit the GridSearchCV first"):
        nc.cv_results(search)


def test_cross_validate_trains_each_fold_as_a_separate_run_would():
    X, y = _small_digits()
    X, y = torch.as_tensor(X, dtype=torch.float32), torch.as_tensor(y)
    settings = dict(epochs=2, lr=0.05, optimizer="sgd", momentum=0.9)
    table = nc.cross_validate([64, 8, 10], ["relu", "tanh"], [0, 1], X, y, folds=3, **settings)
    assert list(table.columns) == ["activation", "seed", "fold", "score"]
    assert len(table) == 2 * 2 * 3
    folds = StratifiedKFold(3).split(X.numpy(), y.numpy())  # what GridSearchCV(cv=3) cuts
    for fold, (train, test) in enumerate(folds, 1):
        split = nc.Split(X[train], y[train], X[test], y[test])
        alone = nc.train_batched([64, 8, 10], ["relu", "tanh"], [0, 1], split, **settings)
        last = alone.history[alone.history.epoch == 2]
        mine = table[table.fold == fold]
        assert mine.score.tolist() == last.test_acc.tolist()


def test_cross_validate_refuses_fewer_than_two_folds():
    X, y = _small_digits()
    X, y = torch.as_tensor(X, dtype=torch.float32), torch.as_tensor(y)
    with pytest.raises(ValueError, match="at least 2"):
        nc.cross_validate([64, 8, 10], "relu", [0], X, y, folds=1, epochs=1)


def test_cross_validate_reports_the_epochs_asked_for_and_the_settings_varied():
    X, y = _small_digits()
    X, y = torch.as_tensor(X, dtype=torch.float32), torch.as_tensor(y)
    settings = dict(epochs=3, optimizer="sgd", momentum=0.9)
    table = nc.cross_validate(
        [64, 8, 10],
        ["relu"],
        [0, 1],
        X,
        y,
        folds=3,
        at_epochs=[1, 3],
        lr=[0.05, 0.1],
        init=["default", "kaiming"],
        **settings,
    )
    assert list(table.columns) == ["activation", "init", "lr", "seed", "epoch", "fold", "score"]
    assert len(table) == 2 * 2 * 2 * 2 * 3
    last = nc.cross_validate(
        [64, 8, 10], ["relu"], [0, 1], X, y, folds=3, lr=0.1, init="kaiming", **settings
    )
    same = table[(table.epoch == 3) & (table.lr == 0.1) & (table.init == "kaiming")]
    assert same.score.tolist() == last.score.tolist()  # the last epoch, as without at_epochs
    folds = list(StratifiedKFold(3).split(X.numpy(), y.numpy()))
    train, test = folds[1]
    alone = nc.train_batched(
        [64, 8, 10],
        "relu",
        [0],
        nc.Split(X[train], y[train], X[test], y[test]),
        lr=0.05,
        init="default",
        **settings,
    )
    first = alone.history[alone.history.epoch == 1].test_acc.item()
    mine = table.query(
        "epoch == 1 and fold == 2 and lr == 0.05 and init == 'default' and seed == 0"
    )
    assert mine.score.item() == first


@pytest.mark.parametrize("at_epochs", [[], [0], [4], [1.5], [True]])
def test_cross_validate_refuses_epochs_outside_the_run(at_epochs):
    X, y = _small_digits()
    X, y = torch.as_tensor(X, dtype=torch.float32), torch.as_tensor(y)
    with pytest.raises(ValueError, match="at_epochs must be"):
        nc.cross_validate([64, 8, 10], "relu", [0], X, y, epochs=3, at_epochs=at_epochs)
