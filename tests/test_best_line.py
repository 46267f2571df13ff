"""The best straight line by direct search, against brute force over all lines."""

import itertools

import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

import nonlin_course as nc


def brute_force_accuracy(X, y):
    """Best accuracy of any line, by trying every line through two of the points, each
    nudged to either side of the line (an optimal line can always be moved until it
    touches two points without changing any other point's side)."""
    n, best = len(y), max(y.float().mean().item(), 1 - y.float().mean().item())
    for i, j in itertools.combinations(range(n), 2):
        d = X[j] - X[i]
        normal = torch.tensor([-d[1], d[0]], dtype=torch.float64)
        if normal.norm() == 0:
            continue
        side = (X - X[i]) @ normal
        on = side.abs() < 1e-12
        for put_i, put_j in itertools.product([0, 1], repeat=2):
            above = side > 0
            above[i], above[j] = bool(put_i), bool(put_j)
            if on.sum() > 2:
                continue  # three points on a line: skip, rare
            for positive in (above, ~above):
                best = max(best, (positive.long() == y).float().mean().item())
    return best


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 10_000))
def test_direct_search_matches_brute_force_on_small_random_sets(seed):
    g = torch.Generator().manual_seed(seed)
    X = torch.randn(12, 2, generator=g, dtype=torch.float64)
    y = torch.randint(0, 2, (12,), generator=g)
    line = nc.best_line(X, y, directions=20_000)
    assert line.accuracy == pytest.approx(brute_force_accuracy(X, y))


def test_the_line_returned_scores_the_accuracy_reported():
    X, y = nc.circles(n_samples=400, noise=0.1, seed=3)
    line = nc.best_line(X, y, directions=500)
    predicted = (X @ line.normal > line.offset).long()
    assert (predicted == y).float().mean().item() == pytest.approx(line.accuracy)
    assert line.normal.norm().item() == pytest.approx(1.0)


def test_separable_data_gets_every_point_right():
    X, y = nc.moons(n_samples=200, noise=0.0, seed=0)
    shifted = X.clone()
    shifted[y == 1, 1] -= 5.0  # pull the classes apart: a line separates them
    assert nc.best_line(shifted, y).accuracy == 1.0


def test_more_directions_never_find_a_worse_line():
    X, y = nc.circles(n_samples=300, noise=0.1, seed=1)
    coarse, fine = nc.best_line(X, y, directions=60), nc.best_line(X, y, directions=600)
    assert fine.accuracy >= coarse.accuracy  # 600 directions include the 60


@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        (
            dict(X=torch.zeros(4, 3), y=torch.zeros(4, dtype=torch.long)),
            ValueError,
            r"shape \(n, 2\)",
        ),
        (dict(X=torch.zeros(4, 2), y=torch.full((4,), 2)), ValueError, "labels 0 and 1"),
        (
            dict(X=torch.zeros(4, 2), y=torch.zeros(4, dtype=torch.long), directions=0),
            ValueError,
            "positive int",
        ),
    ],
)
def test_bad_input_is_refused_with_the_rule(kwargs, error, match):
    with pytest.raises(error, match=match):
        nc.best_line(**kwargs)
