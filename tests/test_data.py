"""Tests of nonlin_course.data: the toy data sets, the split and the plane grid."""

import dataclasses

import numpy as np
import pytest
import torch
from sklearn.datasets import make_circles, make_moons
from sklearn.model_selection import train_test_split

import nonlin_course as nc


def _assert_same_as_sklearn(ours, theirs):
    X, y = ours
    X_ref, y_ref = theirs
    assert X.dtype == torch.float32 and y.dtype == torch.int64
    assert X.device.type == "cpu" and y.device.type == "cpu"
    assert torch.equal(X, torch.as_tensor(X_ref, dtype=torch.float32))
    assert torch.equal(y, torch.as_tensor(y_ref, dtype=torch.int64))


# --- moons, circles -------------------------------------------------------------------


@pytest.mark.parametrize("n_samples, noise, seed", [(100, 0.2, 10), (7, 0.0, 3), (50, 1, 0)])
def test_moons_equals_sklearn_make_moons(n_samples, noise, seed):
    _assert_same_as_sklearn(
        nc.moons(n_samples, noise=noise, seed=seed),
        make_moons(n_samples, noise=noise, random_state=seed),
    )


def test_moons_defaults_are_the_course_reference():
    _assert_same_as_sklearn(nc.moons(), make_moons(10_000, noise=0.2, random_state=10))


@pytest.mark.parametrize(
    "n_samples, factor, noise, seed", [(100, 0.5, 0.1, 0), (9, 0.3, 0.0, 4), (60, 0.8, 0.05, 2)]
)
def test_circles_equals_sklearn_make_circles(n_samples, factor, noise, seed):
    _assert_same_as_sklearn(
        nc.circles(n_samples, factor=factor, noise=noise, seed=seed),
        make_circles(n_samples, factor=factor, noise=noise, random_state=seed),
    )


def test_circles_defaults():
    _assert_same_as_sklearn(nc.circles(), make_circles(1000, factor=0.5, noise=0.1, random_state=0))


def test_circles_label_1_is_the_inner_circle_of_radius_factor():
    X, y = nc.circles(40, factor=0.3, noise=0.0)
    radius = X.norm(dim=1)
    torch.testing.assert_close(radius[y == 1], torch.full(((y == 1).sum(),), 0.3))
    torch.testing.assert_close(radius[y == 0], torch.ones((y == 0).sum()))


@pytest.mark.parametrize("make", [nc.moons, nc.circles])
def test_n_samples_must_be_positive(make):
    with pytest.raises(ValueError, match=r"n_samples must be a positive int \(>= 1\), got 0"):
        make(0)
    with pytest.raises(ValueError, match=r"n_samples must be a positive int \(>= 1\), got -5"):
        make(-5)


@pytest.mark.parametrize("make", [nc.moons, nc.circles])
@pytest.mark.parametrize("n_samples, kind", [(2.5, "float"), (True, "bool"), ("10", "str")])
def test_n_samples_must_be_an_int(make, n_samples, kind):
    with pytest.raises(TypeError, match=rf"n_samples must be a positive int, got {kind}"):
        make(n_samples)


@pytest.mark.parametrize("make", [nc.moons, nc.circles])
def test_noise_must_not_be_negative(make):
    with pytest.raises(
        ValueError,
        match=r"noise must be a finite number >= 0 \(the std of Gaussian noise\), "
        r"got -0.1",
    ):
        make(10, noise=-0.1)


@pytest.mark.parametrize("make", [nc.moons, nc.circles])
@pytest.mark.parametrize("noise, kind", [("0.1", "str"), (None, "NoneType"), (False, "bool")])
def test_noise_must_be_a_number(make, noise, kind):
    with pytest.raises(TypeError, match=rf"noise must be a number >= 0, got {kind}"):
        make(10, noise=noise)


@pytest.mark.parametrize("make", [nc.moons, nc.circles])
def test_seed_is_checked(make):
    with pytest.raises(ValueError, match=r"seed must be an int in \[0, 2\*\*32\), got -1"):
        make(10, seed=-1)
    with pytest.raises(TypeError, match=r"seed must be a non-negative int, got bool"):
        make(10, seed=True)


@pytest.mark.parametrize("factor", [0, 0.0, 1, 1.0, 1.5, -0.2])
def test_circles_factor_must_lie_strictly_between_0_and_1(factor):
    with pytest.raises(
        ValueError,
        match=rf"factor must lie strictly between 0.0 and 1.0, "
        rf"got {factor}",
    ):
        nc.circles(10, factor=factor)


def test_circles_factor_must_be_a_number():
    with pytest.raises(TypeError, match=r"factor must be a number, got str"):
        nc.circles(10, factor="half")


# --- train_test -----------------------------------------------------------------------


def _numbered_points(n=120):
    """Points whose first coordinate is their index, with imbalanced labels (1/3 are 1)."""
    X = torch.stack([torch.arange(n, dtype=torch.float32), torch.zeros(n)], dim=1)
    y = (torch.arange(n) % 3 == 0).long()
    return X, y


def test_train_test_is_disjoint_and_covers_every_point_with_its_label():
    X, y = _numbered_points()
    split = nc.train_test(X, y, test_size=0.25, seed=0)
    train_ids = split.X_train[:, 0].long().cpu()
    test_ids = split.X_test[:, 0].long().cpu()
    assert set(train_ids.tolist()).isdisjoint(test_ids.tolist())
    assert sorted(train_ids.tolist() + test_ids.tolist()) == list(range(len(y)))
    assert torch.equal(split.y_train.cpu(), y[train_ids])
    assert torch.equal(split.y_test.cpu(), y[test_ids])
    assert (len(test_ids), len(train_ids)) == (30, 90)


@pytest.mark.parametrize("seed", range(8))
def test_train_test_is_stratified(seed):
    X, y = _numbered_points()
    split = nc.train_test(X, y, test_size=0.25, seed=seed)
    for cls in (0, 1):
        in_test = int((split.y_test == cls).sum())
        assert abs(in_test - 0.25 * int((y == cls).sum())) <= 1


def test_train_test_equals_sklearn_stratified_split():
    X, y = nc.moons(80, seed=1)
    split = nc.train_test(X, y, test_size=0.3, seed=4, on=torch.device("cpu"))
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=0.3, random_state=4, stratify=y
    )
    for ours, ref in zip(
        [split.X_train, split.X_test, split.y_train, split.y_test],
        [X_train, X_test, y_train, y_test],
    ):
        assert torch.equal(ours, ref)


def test_train_test_is_deterministic_for_a_seed_and_depends_on_it():
    X, y = nc.moons(60, seed=2)
    a, b = nc.train_test(X, y, seed=3), nc.train_test(X, y, seed=3)
    c = nc.train_test(X, y, seed=4)
    for field in dataclasses.fields(nc.Split):
        assert torch.equal(getattr(a, field.name), getattr(b, field.name))
    assert not torch.equal(a.X_test, c.X_test)


def test_train_test_lands_on_the_course_device_and_keeps_dtypes():
    split = nc.train_test(*nc.moons(40, seed=0))
    for field in dataclasses.fields(nc.Split):
        assert getattr(split, field.name).device == nc.device()
    assert split.X_train.dtype == torch.float32 and split.y_test.dtype == torch.int64


def test_train_test_honours_the_device_override(monkeypatch):
    monkeypatch.setenv("NONLIN_DEVICE", "cpu")
    split = nc.train_test(*nc.moons(40, seed=0))
    assert split.X_test.device.type == "cpu"


def test_train_test_lands_on_an_explicit_device():
    split = nc.train_test(*nc.moons(40, seed=0), on=torch.device("cpu"))
    for field in dataclasses.fields(nc.Split):
        assert getattr(split, field.name).device == torch.device("cpu")


def test_train_test_moves_every_tensor_to_the_requested_device():
    # the meta device exists without a GPU, so this shows the tensors really move
    split = nc.train_test(*nc.moons(40, seed=0), on=torch.device("meta"))
    for field in dataclasses.fields(nc.Split):
        assert getattr(split, field.name).device.type == "meta"
    assert split.X_train.shape == (32, 2) and split.y_test.shape == (8,)


def test_split_is_frozen():
    split = nc.train_test(*nc.moons(40, seed=0))
    with pytest.raises(dataclasses.FrozenInstanceError):
        split.X_train = split.X_test


def test_train_test_rejects_bad_X():
    X, y = nc.moons(10)
    with pytest.raises(TypeError, match=r"X must be a torch.Tensor, got ndarray"):
        nc.train_test(X.numpy(), y)
    with pytest.raises(ValueError, match=r"X must have shape \(n, d\), got \(10,\)"):
        nc.train_test(X[:, 0], y)


def test_train_test_rejects_bad_y():
    X, y = nc.moons(10)
    with pytest.raises(TypeError, match=r"y must be a torch.Tensor, got list"):
        nc.train_test(X, y.tolist())
    with pytest.raises(
        ValueError,
        match=r"y must be an integer tensor of shape \(10,\).*"
        r"torch.int64 with shape \(9,\)",
    ):
        nc.train_test(X, y[:9])
    with pytest.raises(
        ValueError,
        match=r"y must be an integer tensor of shape \(10,\).*"
        r"torch.float32",
    ):
        nc.train_test(X, y.float())


@pytest.mark.parametrize("test_size", [0, 0.0, 1.0, 1.5, -0.1])
def test_train_test_test_size_must_be_a_fraction(test_size):
    with pytest.raises(
        ValueError,
        match=rf"test_size must lie strictly between 0.0 and 1.0, "
        rf"got {test_size}",
    ):
        nc.train_test(*nc.moons(10), test_size=test_size)


def test_train_test_checks_the_seed():
    with pytest.raises(ValueError, match=r"seed must be an int in \[0, 2\*\*32\), got -3"):
        nc.train_test(*nc.moons(10), seed=-3)


# --- plane_grid -----------------------------------------------------------------------


def _cloud(n=30, seed=0):
    generator = torch.Generator().manual_seed(seed)
    return torch.randn(n, 2, generator=generator) * torch.tensor([2.0, 0.5]) + 1.0


def test_plane_grid_shape_and_corners():
    X, steps, margin = _cloud(), 7, 0.25
    grid = nc.plane_grid(X, steps=steps, margin=margin)
    low, high = X.min(0).values - margin, X.max(0).values + margin
    assert grid.shape == (steps * steps, 2)
    torch.testing.assert_close(grid.min(0).values, low)
    torch.testing.assert_close(grid.max(0).values, high)
    torch.testing.assert_close(grid[0], low)
    torch.testing.assert_close(grid[steps - 1], torch.stack([high[0], low[1]]))
    torch.testing.assert_close(grid[-steps], torch.stack([low[0], high[1]]))
    torch.testing.assert_close(grid[-1], high)


def test_plane_grid_equals_numpy_meshgrid_with_first_column_fastest():
    X, steps, margin = _cloud(seed=1), 5, 0.3
    grid = nc.plane_grid(X, steps=steps, margin=margin)
    low = (X.min(0).values - margin).double().numpy()
    high = (X.max(0).values + margin).double().numpy()
    x1, x2 = np.meshgrid(np.linspace(low[0], high[0], steps), np.linspace(low[1], high[1], steps))
    expected = np.stack([x1.ravel(), x2.ravel()], axis=1)
    np.testing.assert_allclose(grid.double().numpy(), expected, atol=1e-5)


def test_plane_grid_default_steps_and_device():
    X = _cloud()
    grid = nc.plane_grid(X)
    assert grid.shape == (80 * 80, 2)
    assert grid.device == X.device


def test_plane_grid_rejects_points_that_are_not_2d():
    with pytest.raises(ValueError, match=r"X must have shape \(n, 2\), got \(5, 3\)"):
        nc.plane_grid(torch.zeros(5, 3))
    with pytest.raises(TypeError, match=r"X must be a torch.Tensor, got list"):
        nc.plane_grid([[0.0, 0.0]])


def test_plane_grid_steps_must_be_a_positive_int():
    with pytest.raises(ValueError, match=r"steps must be a positive int \(>= 1\), got 0"):
        nc.plane_grid(_cloud(), steps=0)
    with pytest.raises(TypeError, match=r"steps must be a positive int, got float"):
        nc.plane_grid(_cloud(), steps=10.0)


@pytest.mark.parametrize("make", [nc.moons, nc.circles])
def test_noise_must_be_finite(make):
    with pytest.raises(ValueError, match=r"noise must be a finite number >= 0"):
        make(10, noise=float("nan"))


def test_plane_grid_rejects_a_negative_margin():
    with pytest.raises(ValueError, match=r"margin must be a .*number >= 0.*-1"):
        nc.plane_grid(torch.zeros(3, 2), margin=-1)


def test_sizes_may_be_numpy_integers():
    X, _ = nc.moons(np.int64(12))
    assert X.shape == (12, 2)


# --- digits and MNIST ---------------------------------------------------------------


def test_digits_equal_sklearn_scaled_to_unit_range():
    from sklearn.datasets import load_digits

    X, y = nc.digits()
    bunch = load_digits()
    assert X.shape == (1797, 64) and X.dtype == torch.float32 and y.dtype == torch.int64
    assert torch.allclose(X, torch.tensor(bunch.data / 16.0, dtype=torch.float32))
    assert y.tolist() == bunch.target.tolist()


def test_digits_never_touch_the_network(monkeypatch):
    from sklearn import datasets

    def no_network(*args, **kwargs):
        raise AssertionError("the default data set must not download")

    monkeypatch.setattr(datasets, "fetch_openml", no_network)
    assert nc.digits()[0].shape == (1797, 64)


def test_mnist_is_opt_in(monkeypatch):
    monkeypatch.delenv("NONLIN_ALLOW_DOWNLOAD", raising=False)
    with pytest.raises(
        ValueError, match=r"MNIST needs a download: .*allow_download=True.*digits\(\)"
    ):
        nc.mnist()


def test_mnist_without_network_says_what_to_do(monkeypatch):
    from sklearn import datasets

    def offline(*args, **kwargs):
        raise OSError("Name or service not known")

    monkeypatch.setattr(datasets, "fetch_openml", offline)
    monkeypatch.setenv("NONLIN_ALLOW_DOWNLOAD", "1")
    with pytest.raises(
        RuntimeError,
        match=r"could not download MNIST \(Name or service not known\); "
        r"without the network use digits\(\)",
    ):
        nc.mnist()


def test_mnist_converts_what_openml_returns(monkeypatch):
    from types import SimpleNamespace

    from sklearn import datasets

    fake = SimpleNamespace(data=np.full((3, 784), 255.0), target=np.array(["1", "2", "3"]))
    monkeypatch.setattr(datasets, "fetch_openml", lambda *a, **k: fake)
    X, y = nc.mnist(allow_download=True)
    assert X.shape == (3, 784) and float(X.max()) == 1.0 and y.tolist() == [1, 2, 3]


def test_digit_pairs_put_the_named_images_side_by_side():
    X, y = nc.digits()
    pairs, same = nc.digit_pairs(X, y, 2000, seed=3)
    assert pairs.shape == (2000, 128) and same.dtype == torch.int64
    # find which images each half is: every row of the bundled digits is distinct enough
    index = {tuple(row.tolist()): label for row, label in zip(X, y.tolist())}
    left = torch.tensor([index[tuple(r.tolist())] for r in pairs[:, :64]])
    right = torch.tensor([index[tuple(r.tolist())] for r in pairs[:, 64:]])
    assert torch.equal(same, (left == right).long())
    assert abs(same.float().mean().item() - 0.5) < 0.05
    other = right[same == 0] - left[same == 0]
    assert torch.bincount(other % 10, minlength=10)[0] == 0  # never the same digit
    assert (torch.bincount(other % 10, minlength=10)[1:] > 50).all()  # all nine others occur
    again, _ = nc.digit_pairs(X, y, 2000, seed=3)
    assert torch.equal(again, pairs)


def test_digit_pairs_refuse_labels_that_are_not_all_ten_digits():
    X, y = nc.digits()
    with pytest.raises(ValueError, match="each present"):
        nc.digit_pairs(X[y < 5], y[y < 5], 10)
