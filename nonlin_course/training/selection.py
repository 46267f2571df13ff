"""Model selection on real data: a seeded network for skorch, a grid search with a
progress bar, and its results as a tidy table.

skorch wraps a ``torch.nn.Module`` as a scikit-learn estimator, so scikit-learn's
``GridSearchCV`` can cross-validate it like any other classifier.
"""
import re

import pandas as pd
import torch
from sklearn.metrics import get_scorer
from sklearn.model_selection import StratifiedKFold
from torch import nn
from tqdm import tqdm  # the text bar: no widgets needed, in Colab or a terminal

from .. import _checks
from .batched import train_batched
from ..data import Split
from ..nets.models import mlp
from ..runtime import check_seed, device


class SeededMLP(nn.Module):
    """``mlp(sizes, activation)`` whose weights come from ``torch.manual_seed(seed)``.

    skorch builds the module at the start of each fit, so seeding here also fixes the
    batch shuffling that follows it: a fit is a function of (activation, seed, data).

    >>> a, b = SeededMLP([4, 3, 2], "tanh", seed=1), SeededMLP([4, 3, 2], "tanh", seed=1)
    >>> bool(torch.equal(a.net[0].weight, b.net[0].weight)), a(torch.zeros(5, 4)).shape
    (True, torch.Size([5, 2]))
    """

    def __init__(self, sizes=(64, 128, 64, 10), activation: str = "relu", seed: int = 0):
        super().__init__()
        check_seed(seed)
        torch.manual_seed(seed)
        self.net = mlp(sizes, activation)   # mlp checks sizes: a list or tuple of widths

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.net(x)


class ProgressScorer:
    """A scikit-learn scorer that also advances a progress bar, one step per fit scored.

    ``GridSearchCV(..., scoring=ProgressScorer("accuracy", total=n_fits))`` shows how far
    the search has got; the score itself is the named scikit-learn scorer's.
    """

    def __init__(self, scoring: str = "accuracy", total: int = 1, desc: str = "fits"):
        total = _checks.positive_int("total", total)
        self.scorer = get_scorer(scoring)  # raises a clear ValueError for an unknown name
        self.bar = tqdm(total=total, desc=desc, unit="fit")

    def __call__(self, estimator, X, y) -> float:
        score = self.scorer(estimator, X, y)
        self.bar.update(1)
        if self.bar.n >= self.bar.total:
            self.bar.close()
        return score


def cv_results(search) -> pd.DataFrame:
    """One row per (parameter combination, fold) of a fitted ``GridSearchCV``.

    Columns: each searched parameter (named without its ``module__`` prefix), ``fold``
    (1, 2, ...) and ``score`` (the test-fold score).

    >>> from types import SimpleNamespace   # stands in for a fitted search
    >>> search = SimpleNamespace(cv_results_={"param_module__activation": ["relu", "tanh"],
    ...     "split0_test_score": [0.9, 0.8], "split1_test_score": [0.7, 0.6]})
    >>> cv_results(search).values.tolist()
    [['relu', 1, 0.9], ['relu', 2, 0.7], ['tanh', 1, 0.8], ['tanh', 2, 0.6]]
    """
    if not hasattr(search, "cv_results_"):
        raise ValueError("search has no cv_results_: fit the GridSearchCV first")
    table = pd.DataFrame(search.cv_results_)
    params = [c for c in table.columns if c.startswith("param_")]
    folds = [c for c in table.columns if re.fullmatch(r"split\d+_test_score", c)]
    long = table[params + folds].melt(id_vars=params, var_name="fold", value_name="score")
    long["fold"] = long["fold"].str.extract(r"split(\d+)_", expand=False).astype(int) + 1
    long = long.rename(columns={p: p.removeprefix("param_").split("__")[-1] for p in params})
    for column in long.columns:
        if long[column].dtype == object:   # GridSearchCV stores parameters as objects
            long[column] = long[column].infer_objects()
    return long.sort_values(list(long.columns[:-1])).reset_index(drop=True)


def cross_validate(sizes: list[int], activations, seeds, X: torch.Tensor, y: torch.Tensor, *,
                   folds: int = 3, at_epochs=None, **settings) -> pd.DataFrame:
    """Cross-validate every (activation, seed) at once: :func:`nonlin_course.train_batched`
    on each of ``folds`` stratified folds, the folds ``GridSearchCV(cv=folds)`` cuts for a
    classifier (in dataset order, no shuffling).

    ``X`` (n, d) and ``y`` (n,) are the whole data set; ``settings`` go to
    ``train_batched`` (``epochs`` is required; ``init`` and ``lr`` may be lists). Returns
    one row per (activation, seed, fold): columns ``activation``, ``seed``, ``fold`` (from
    1) and ``score``, the test-fold accuracy after the last epoch, as :func:`cv_results`
    gives for a search. An ``init`` or ``lr`` given as a list of several values adds its
    column; ``at_epochs`` (a list of epochs) gives one row per epoch listed, in a column
    ``epoch``, instead of the last epoch only.

    >>> from nonlin_course import digits
    >>> X, y = digits()
    >>> scores = cross_validate([64, 8, 10], ["relu"], [0], X, y, epochs=1)
    >>> scores[["activation", "seed", "fold"]].values.tolist()
    [['relu', 0, 1], ['relu', 0, 2], ['relu', 0, 3]]
    >>> cross_validate([64, 8, 10], "relu", [0], X, y, epochs=2, at_epochs=[1, 2],
    ...                init=["default", "xavier"]).shape           # 2 inits, 2 epochs, 3 folds
    (12, 6)
    """
    X = _checks.finite("X", _checks.tensor_2d("X", X))
    if not X.is_floating_point():
        raise TypeError(f"X must hold floating-point numbers, got {X.dtype}")
    y = _checks.labels("y", y, X.shape[0])
    folds = _checks.positive_int("folds", folds)
    if folds < 2:
        raise ValueError(f"folds must be at least 2, got {folds}")
    epochs = settings.get("epochs")
    if at_epochs is not None:
        if not isinstance(at_epochs, (list, tuple, range)) or not at_epochs or not all(
                isinstance(e, int) and not isinstance(e, bool) and 1 <= e <= (epochs or 0)
                for e in at_epochs):
            raise ValueError(f"at_epochs must be a non-empty list of epochs in 1..epochs="
                             f"{epochs}, got {at_epochs!r}")
        at_epochs = sorted(set(at_epochs))
    largest = int(torch.unique(y.cpu(), return_counts=True)[1].max()) if len(y) else 0
    if folds > largest:    # scikit-learn's limit: some class must fill every fold
        raise ValueError(f"folds must be at most {largest}, the number of points in the "
                         f"largest class, got {folds}")
    cutter = StratifiedKFold(folds).split(X.cpu().numpy(), y.cpu().numpy())
    on = device()
    splits = [Split(*(t.to(on) for t in (X[train], y[train], X[test], y[test])))
              for train, test in cutter]
    varied = [name for name in ("init", "lr")
              if not isinstance(settings.get(name), (str, int, float, type(None)))
              and len(settings[name]) > 1]
    keys = ["activation", *varied, "seed"] + (["epoch"] if at_epochs else [])
    rows = []
    for group in _equal_sizes(splits):   # one batched run for the folds of equal sizes
        run = train_batched(sizes, activations, seeds, [splits[i] for i in group], **settings)
        history = run.history
        kept = history[history.epoch.isin(at_epochs) if at_epochs
                       else history.epoch == history.epoch.max()]
        fold = kept.split.map(lambda i, group=group: group[i] + 1)
        rows.append(kept[keys].assign(fold=fold.values, score=kept.test_acc.values))
    table = pd.concat(rows, ignore_index=True)
    return table.sort_values([*keys, "fold"]).reset_index(drop=True)


def _equal_sizes(splits: list[Split]) -> list[list[int]]:
    """The indices of ``splits``, grouped by (train size, test size)."""
    groups = {}
    for i, split in enumerate(splits):
        groups.setdefault((len(split.y_train), len(split.y_test)), []).append(i)
    return list(groups.values())
