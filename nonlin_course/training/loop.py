"""A plain training loop for classifiers, one model at a time.

Readable on purpose: this is the reference that faster trainers are tested against.
"""
import pandas as pd
import torch
from torch import nn
from torch.nn import functional as F

from .. import _checks
from ..data import Split
from ..runtime import check_seed

OPTIMIZERS = {"adamw": torch.optim.AdamW, "adam": torch.optim.Adam, "sgd": torch.optim.SGD}
LOSSES = _checks.LOSSES


def check_loss(loss: str) -> str:
    """Return ``loss`` if it is one of ``LOSSES``, else raise."""
    return _checks.loss(loss)


def check_optimizer(name: str, momentum: float) -> str:
    """Raise unless ``name`` is one of ``OPTIMIZERS`` and ``momentum`` fits it."""
    if not isinstance(name, str):
        raise TypeError(f"optimizer must be a name (str), one of {list(OPTIMIZERS)}")
    if name.lower() not in OPTIMIZERS:
        raise ValueError(f"unknown optimizer {name!r}; choose one of {list(OPTIMIZERS)}")
    if isinstance(momentum, bool) or not isinstance(momentum, (int, float)) \
            or not 0 <= momentum < 1:
        raise ValueError(f"momentum must be a number in [0, 1), got {momentum!r}")
    if momentum and name.lower() != "sgd":
        raise ValueError(f"momentum is for 'sgd' only; {name!r} has its own (betas)")
    return name


def mean_loss(logits: torch.Tensor, y: torch.Tensor, loss: str = "ce") -> torch.Tensor:
    """Mean loss over the batch: logits (B, C), y (B,) give a scalar; logits (K, B, C),
    y (K, B) give one mean per model, shape (K,).

    ``"ce"`` is cross-entropy on C logits; ``"bce"`` is binary cross-entropy on a single
    logit (C = 1), the same as a sigmoid output followed by ``nn.BCELoss``.
    """
    if check_loss(loss) == "bce":
        per_example = F.binary_cross_entropy_with_logits(logits.squeeze(-1), y.float(),
                                                         reduction="none")
        return per_example.mean(-1)
    if logits.ndim == 2:
        return F.cross_entropy(logits, y)
    return F.cross_entropy(logits.transpose(1, 2), y, reduction="none").mean(-1)


def predicted_class(logits: torch.Tensor, loss: str = "ce") -> torch.Tensor:
    """Class labels from logits (..., C): argmax for ``"ce"``, logit > 0 for ``"bce"``."""
    if check_loss(loss) == "bce":
        return (logits.squeeze(-1) > 0).long()
    return logits.argmax(-1)


def make_optimizer(name: str, params, lr: float, momentum: float = 0.0) -> torch.optim.Optimizer:
    """The optimizer ``name`` (one of ``OPTIMIZERS``) over ``params`` with rate ``lr``
    and torch's defaults; ``momentum`` is for ``"sgd"`` only.

    >>> make_optimizer("sgd", nn.Linear(2, 1).parameters(), 0.1, momentum=0.9).defaults["momentum"]
    0.9
    """
    check_optimizer(name, momentum)
    lr = _checks.positive_number("lr", lr)
    extra = {"momentum": momentum} if name.lower() == "sgd" else {}
    return OPTIMIZERS[name.lower()](list(params), lr=lr, **extra)


@torch.no_grad()
def evaluate(model: nn.Module, X: torch.Tensor, y: torch.Tensor,
             loss: str = "ce") -> tuple[float, float]:
    """Mean loss and accuracy of ``model`` (it returns logits) on ``X`` (n, d), ``y`` (n,)."""
    X = _checks.model_input(model, X)
    y = _checks.labels("y", y, X.shape[0]).to(X.device)
    _model_labels(model, y, loss)
    logits = model(X)
    accuracy = (predicted_class(logits, loss) == y).float().mean()
    return mean_loss(logits, y, loss).item(), accuracy.item()


def _model_labels(model: nn.Module, y: torch.Tensor, loss: str, name: str = "y") -> None:
    """The labels ``y`` must be classes of ``model``'s outputs (its last Linear layer)."""
    width = _checks.outputs(model)
    if width is not None:
        _checks.classes(name, y, width, loss)


def batches(n: int, batch_size: int, generator: torch.Generator, on) -> list[torch.Tensor]:
    """Index tensors of one shuffled epoch over ``n`` items, in batches of ``batch_size``."""
    order = torch.randperm(n, generator=generator).to(on)
    return list(order.split(batch_size))


def train_classifier(model: nn.Module, split: Split, *, epochs: int, batch_size: int = 32,
                     lr: float = 1e-3, optimizer: str = "adamw", momentum: float = 0.0,
                     seed: int = 0, loss: str = "ce") -> pd.DataFrame:
    """Train ``model`` (it returns logits) on ``split.X_train`` with ``loss``
    (see :func:`mean_loss`).

    Each epoch visits the training set once in shuffled mini-batches drawn from
    ``seed``; the model must already be on the split's device. Returns one row per
    epoch with columns ``epoch`` (1-based), ``train_loss`` (mean over the epoch's
    batches), ``test_loss`` and ``test_acc`` (after the epoch).

    >>> from nonlin_course import mlp, moons, train_test
    >>> split = train_test(*moons(100, seed=0), on="cpu")
    >>> history = train_classifier(mlp([2, 8, 2]), split, epochs=3)
    >>> list(history.columns), len(history)
    (['epoch', 'train_loss', 'test_loss', 'test_acc'], 3)
    """
    epochs = _checks.positive_int("epochs", epochs)
    batch_size = _checks.positive_int("batch_size", batch_size)
    seed = check_seed(seed)
    check_loss(loss)
    if not isinstance(model, nn.Module):
        raise TypeError(f"model must be an nn.Module, got {type(model).__name__}")
    if not isinstance(split, Split):
        raise TypeError(f"split must be a nonlin_course.Split, got {type(split).__name__}")
    X_train = _checks.model_input(model, split.X_train, "split.X_train")
    y_train = _checks.labels("split.y_train", split.y_train, len(X_train)).to(X_train.device)
    for part in ("y_train", "y_test"):
        _model_labels(model, getattr(split, part), loss, f"split.{part}")
    opt = make_optimizer(optimizer, model.parameters(), lr, momentum)
    generator = torch.Generator().manual_seed(seed)
    rows = []
    for epoch in range(1, epochs + 1):
        model.train()
        losses = []
        for idx in batches(len(y_train), batch_size, generator, y_train.device):
            batch_loss = mean_loss(model(X_train[idx]), y_train[idx], loss)
            opt.zero_grad()
            batch_loss.backward()
            opt.step()
            losses.append(batch_loss.detach())
        model.eval()
        test_loss, test_acc = evaluate(model, split.X_test, split.y_test, loss)
        rows.append({"epoch": epoch, "train_loss": torch.stack(losses).mean().item(),
                     "test_loss": test_loss, "test_acc": test_acc})
    return pd.DataFrame(rows)


def seed_summary(results: pd.DataFrame, by: str, value: str) -> pd.DataFrame:
    """Mean, standard deviation, min and max of column ``value`` over seeds, per ``by``.

    ``results`` has one row per (``by``, seed). Returns one row per group.

    >>> df = pd.DataFrame({"model": ["a", "a", "b"], "acc": [0.5, 0.7, 0.9]})
    >>> seed_summary(df, "model", "acc").round(3).to_dict("list")
    {'model': ['a', 'b'], 'mean': [0.6, 0.9], 'std': [0.141, nan], 'min': [0.5, 0.9], 'max': [0.7, 0.9], 'seeds': [2, 1]}
    """
    _checks.frame("results", results)
    _checks.column_name("by", by, results, "results")
    _checks.column_name("value", value, results, "results")
    _checks.numbers(results, [value], "results")   # a NaN would drop out of the mean unseen
    grouped = results.groupby(by, sort=True)[value]
    return grouped.agg(["mean", "std", "min", "max"]).assign(seeds=grouped.size()).reset_index()
