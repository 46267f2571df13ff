"""The course's toy data sets, as tensors.

``moons`` and ``circles`` wrap scikit-learn's generators with the course's reference
settings; ``train_test`` makes a stratified split and moves it to the course device;
``plane_grid`` makes the dense grid on which decision regions are drawn.
"""
import math
import os
from dataclasses import dataclass

import torch
from sklearn import datasets
from sklearn.datasets import make_circles, make_moons
from sklearn.model_selection import train_test_split

from . import _checks
from .runtime import check_seed, device


@dataclass(frozen=True)
class Split:
    """A train/test split. ``X_*`` have shape (n, d) float32, ``y_*`` shape (n,) int64.

    Each part needs at least one row and finite values; labels of another integer dtype
    (or bool) are stored as int64.

    >>> s = Split(torch.zeros(3, 2), torch.tensor([0, 1, 0]), torch.ones(1, 2), torch.tensor([1]))
    >>> s.X_train.shape, s.y_test.tolist()
    (torch.Size([3, 2]), [1])
    """

    X_train: torch.Tensor
    y_train: torch.Tensor
    X_test: torch.Tensor
    y_test: torch.Tensor

    def __post_init__(self):
        for part in ("train", "test"):
            X = _checks.tensor_2d(f"X_{part}", getattr(self, f"X_{part}"))
            if not X.is_floating_point():
                raise TypeError(f"X_{part} must hold floating-point numbers, got {X.dtype}")
            _checks.not_empty(f"X_{part}", _checks.finite(f"X_{part}", X))
            y = _checks.labels(f"y_{part}", getattr(self, f"y_{part}"), len(X),
                               rows_of=f"X_{part}")
            object.__setattr__(self, f"X_{part}", X)       # detached
            object.__setattr__(self, f"y_{part}", y)       # int64
        if self.X_train.shape[1] != self.X_test.shape[1]:
            raise ValueError(f"X_train and X_test must have the same columns, got "
                             f"{self.X_train.shape[1]} and {self.X_test.shape[1]}")


def _noise(noise) -> float:
    noise = _checks.number("noise", noise, "a number >= 0")
    if not (noise >= 0 and math.isfinite(noise)):
        raise ValueError(f"noise must be a finite number >= 0 (the std of Gaussian noise), got {noise}")
    return float(noise)


def _as_tensors(X, y) -> tuple[torch.Tensor, torch.Tensor]:
    return torch.as_tensor(X, dtype=torch.float32), torch.as_tensor(y, dtype=torch.int64)


def moons(n_samples: int = 10_000, noise: float = 0.2, seed: int = 10):
    """Two interleaving half-moons (the course's reference: 10 000 points, noise 0.2, seed 10).

    Returns ``X`` of shape (n_samples, 2), float32, and ``y`` of shape (n_samples,), int64
    with labels 0 and 1, both on the CPU. ``n_samples`` is at most 10 000 000.

    >>> X, y = moons(100)
    >>> X.shape, y.shape, y.unique().tolist()
    (torch.Size([100, 2]), torch.Size([100]), [0, 1])
    """
    n_samples = _checks.at_most("n_samples", n_samples, MAX_SAMPLES)
    seed = check_seed(seed)
    return _as_tensors(*make_moons(n_samples, noise=_noise(noise), random_state=seed))


def circles(n_samples: int = 1000, factor: float = 0.5, noise: float = 0.1, seed: int = 0):
    """Two concentric circles; the inner one has radius ``factor`` (0 < factor < 1).

    Returns ``X`` of shape (n_samples, 2), float32, and ``y`` of shape (n_samples,), int64
    (1 for the inner circle), both on the CPU. ``n_samples`` is at most 10 000 000.

    >>> X, y = circles(10)
    >>> X.shape, X.dtype
    (torch.Size([10, 2]), torch.float32)
    """
    n_samples = _checks.at_most("n_samples", n_samples, MAX_SAMPLES)
    factor = _checks.fraction("factor", factor)
    seed = check_seed(seed)
    X, y = make_circles(n_samples, factor=factor, noise=_noise(noise), random_state=seed)
    return _as_tensors(X, y)


def train_test(X: torch.Tensor, y: torch.Tensor, test_size: float = 0.2, seed: int = 0,
               on=None) -> Split:
    """Split ``X`` (n, d) and ``y`` (n,) into a stratified train/test :class:`Split`.

    The tensors land on ``on`` (default: :func:`nonlin_course.device`).

    >>> split = train_test(*moons(100), test_size=0.25)
    >>> split.X_train.shape, split.X_test.shape
    (torch.Size([75, 2]), torch.Size([25, 2]))
    """
    X = _checks.finite("X", _checks.tensor_2d("X", X))
    if not X.is_floating_point():
        raise TypeError(f"X must hold floating-point numbers (a Split holds float32 or "
                        f"float64), got {X.dtype}; convert it with X.float()")
    y = _checks.labels("y", y, X.shape[0])
    test_size = _checks.fraction("test_size", test_size)
    seed = check_seed(seed)
    try:
        X_train, X_test, y_train, y_test = train_test_split(
            X.cpu(), y.cpu(), test_size=test_size, random_state=seed, stratify=y.cpu())
    except ValueError as error:   # too few rows, or a class too small to stratify
        raise ValueError(f"X, y ({len(y)} rows) cannot be split with test_size={test_size} "
                         f"keeping every class in both parts: {error}") from None
    target = on if on is not None else device()
    return Split(X_train.to(target), y_train.to(target), X_test.to(target), y_test.to(target))


def plane_grid(X: torch.Tensor, steps: int = 80, margin: float = 0.3) -> torch.Tensor:
    """A ``steps`` x ``steps`` grid covering the points ``X`` (n, 2) plus ``margin``
    (``steps`` at most 2000).

    Returns a tensor of shape (steps * steps, 2) on the device of ``X``, first column
    varying fastest.

    >>> plane_grid(torch.tensor([[0.0, 0.0], [1.0, 1.0]]), steps=3, margin=0.0)[:4].tolist()
    [[0.0, 0.0], [0.5, 0.0], [1.0, 0.0], [0.0, 0.5]]
    """
    X = _checks.finite("X", _checks.tensor_2d("X", X, columns=2))
    if len(X) == 0:
        raise ValueError("X must hold at least one point to cover, got shape (0, 2)")
    steps = _checks.positive_int("steps", steps)
    if steps > MAX_GRID_STEPS:
        raise ValueError(f"steps must be at most {MAX_GRID_STEPS} (a grid of steps**2 points), "
                         f"got {steps}")
    if _checks.finite_number("margin", margin) < 0:
        raise ValueError(f"margin must be a finite number >= 0, got {margin!r}")
    margin = float(margin)
    low, high = X.min(0).values - margin, X.max(0).values + margin
    axes = [torch.linspace(low[i].item(), high[i].item(), steps, device=X.device) for i in (0, 1)]
    x2, x1 = torch.meshgrid(axes[1], axes[0], indexing="ij")
    return torch.stack([x1.flatten(), x2.flatten()], dim=1)


DOWNLOAD_ENV = "NONLIN_ALLOW_DOWNLOAD"
MAX_SAMPLES = 10_000_000   # moons, circles: 80 MB of float32 points
MAX_GRID_STEPS = 2000      # plane_grid: 4 million points at most
MAX_PAIRS = 1_000_000      # digit_pairs


def digits():
    """scikit-learn's bundled 8x8 handwritten digits (1 797 images; no download).

    Returns ``X`` of shape (1797, 64), float32, pixel values scaled to [0, 1], and
    ``y`` of shape (1797,), int64, the digit 0-9; both on the CPU.

    >>> X, y = digits()
    >>> X.shape, float(X.max()), y.unique().numel()
    (torch.Size([1797, 64]), 1.0, 10)
    """
    bunch = datasets.load_digits()
    return _as_tensors(bunch.data / 16.0, bunch.target)


def mnist(allow_download: bool | None = None):
    """MNIST (70 000 images of 28x28), downloaded from OpenML. Opt-in only.

    Pass ``allow_download=True`` or set ``NONLIN_ALLOW_DOWNLOAD=1``; without the
    network this fails with a message that names the offline alternative,
    :func:`digits`. Returns ``X`` (70000, 784) float32 in [0, 1] and ``y`` (70000,) int64.

    >>> mnist(allow_download=False)
    Traceback (most recent call last):
    ValueError: MNIST needs a download: call mnist(allow_download=True) or set NONLIN_ALLOW_DOWNLOAD=1; digits() works offline
    """
    if allow_download is not None and not isinstance(allow_download, bool):
        raise TypeError(f"allow_download must be True, False or None, got {allow_download!r}")
    if allow_download is None:
        allow_download = os.environ.get(DOWNLOAD_ENV, "") == "1"
    if not allow_download:
        raise ValueError("MNIST needs a download: call mnist(allow_download=True) or set "
                         f"{DOWNLOAD_ENV}=1; digits() works offline")
    try:
        bunch = datasets.fetch_openml("mnist_784", version=1, as_frame=False, parser="liac-arff")
    except OSError as error:  # URLError, timeouts and DNS failures are all OSErrors
        raise RuntimeError(f"could not download MNIST ({error}); without the network use "
                           "digits(), scikit-learn's bundled 8x8 digits") from None
    return _as_tensors(bunch.data / 255.0, bunch.target.astype("int64"))


def digit_pairs(images: torch.Tensor, labels: torch.Tensor, n: int, seed: int = 0):
    """``n`` pairs of images side by side, and whether both show the same digit.

    ``images`` (m, p) and ``labels`` (m,) hold the digits to draw from (every digit
    0-9 present); ``n`` is at most a million. Returns ``X`` of shape (n, 2p), the left image then the right one, and
    ``y`` of shape (n,), int64: 1 where both images show the same digit. About half the
    pairs are same-digit pairs; in the others the right image's digit is one of the nine
    others, each equally likely. Every draw comes from ``seed``.

    >>> X, y = digits()
    >>> pairs, same = digit_pairs(X, y, 1000, seed=0)
    >>> pairs.shape, round(same.float().mean().item(), 1)
    (torch.Size([1000, 128]), 0.5)
    """
    _checks.tensor_2d("images", images)
    _checks.labels("labels", labels, images.shape[0], rows_of="images")
    n = _checks.positive_int("n", n)
    if n > MAX_PAIRS:
        raise ValueError(f"n must be at most {MAX_PAIRS:,} pairs, got {n:,}")
    seed = check_seed(seed)
    labels = labels.cpu()
    counts = torch.bincount(labels, minlength=10)
    if len(counts) != 10 or (counts == 0).any():
        raise ValueError(f"labels must be digits 0-9, each present; got counts {counts.tolist()}")
    gen = torch.Generator().manual_seed(int(seed))
    left = torch.randint(len(labels), (n,), generator=gen)
    same = torch.rand(n, generator=gen) < 0.5
    shift = torch.where(same, 0, torch.randint(1, 10, (n,), generator=gen))
    wanted = (labels[left] + shift) % 10                  # the right image's digit
    first = torch.cumsum(counts, 0) - counts              # where each digit starts in `order`
    order = torch.argsort(labels, stable=True)
    pick = (torch.rand(n, generator=gen) * counts[wanted]).long()
    right = order[first[wanted] + pick]
    images = images.cpu()
    return torch.cat([images[left], images[right]], dim=1), same.long()
