"""Train many small MLPs at once: every (activation, initialisation, rate, seed) of a sweep.

All K models are stacked (:class:`~nonlin_course.training._stacked.BatchedMLP`), so one batched
matrix multiply runs a layer of all of them, the backward pass is written out by hand,
and the optimizer updates one flat tensor. Each model keeps its own activation, initial
weights, learning rate and shuffled batches: the results equal K separate runs of
:func:`nonlin_course.train_classifier` (the tests check this to 1e-5), only faster.
"""
from dataclasses import dataclass

import pandas as pd
import torch
from torch import nn
from torch.nn import functional as F

from .. import _checks
from .._sweeps import grid
from ..data import Split
from ..nets.initialisation import INITS, initialise
from ..nets.models import mlp
from ..nets.norms import add_norms, check_norm
from ..runtime import check_seed, seed_everything, small_kernels
from ._flat_optimizer import FlatOptimizer
from ._run_tables import run_frames, update_frame, update_ratios
from ._flat_layout import views
from ._stacked import BatchedMLP
from .loop import check_loss, check_optimizer, mean_loss, predicted_class


@dataclass(frozen=True)
class BatchedRun:
    """What :func:`train_batched` returns.

    ``models``: one row per model k (activation, init, lr, seed). ``history``: one row
    per model and epoch (those columns, epoch, train_loss, test_loss, test_acc).
    ``grads``: one row per model, epoch and Linear layer (layer counted from 1, value =
    mean absolute gradient of the layer's weights, averaged over the epoch's steps).
    ``net``: the trained models; ``start``: the same models before training.
    ``updates`` (only with ``record_updates=True``): one row per model, step (from 1) and
    Linear layer, value = log10 of std(weight change in the step) / std(weight before it).
    """

    net: BatchedMLP
    start: BatchedMLP
    models: pd.DataFrame
    history: pd.DataFrame
    grads: pd.DataFrame
    updates: pd.DataFrame | None = None

    def model(self, **where) -> nn.Sequential:
        """The trained model whose row of ``models`` matches ``where`` (column=value), as
        an ``nn.Sequential``: for example ``run.model(activation="relu", seed=0)``."""
        unknown = sorted(set(where) - set(self.models.columns))
        if unknown:
            raise ValueError(f"no column {unknown} in models; it has {list(self.models.columns)}")
        match = self.models.index[(self.models[list(where)] == pd.Series(where)).all(axis=1)]
        if len(match) != 1:
            raise ValueError(f"{dict(where)} matches {len(match)} models, not exactly one; "
                             f"add more of {list(self.models.columns)}")
        return self.net.to_module(int(match[0]))


def init_models(sizes: list[int], activations: list[str], seeds: list[int],
                inits: list[str] | None = None, norm: str = "none") -> list[nn.Module]:
    """K fresh ``mlp(sizes, activations[k])`` models, model k initialised from ``seeds[k]``
    (and re-initialised with scheme ``inits[k]`` for that activation, see
    :mod:`nonlin_course.nets.initialisation`);
    with a ``norm``, ``norm_mlp(sizes, activations[k], norm)`` (same Linear weights).

    Exactly the models a one-by-one loop would build after ``seed_everything(seed)``.

    >>> [m[0].weight.shape for m in init_models([2, 3, 1], ["relu", "tanh"], [0, 1])]
    [torch.Size([3, 2]), torch.Size([3, 2])]
    """
    for name, value in (("sizes", sizes), ("activations", activations), ("seeds", seeds),
                        ("inits", inits)):
        if value is None and name == "inits":
            continue
        if value is None or isinstance(value, (str, bytes)) or not hasattr(value, "__len__"):
            raise TypeError(f"{name} must be a list (one entry per model), got "
                            f"{type(value).__name__}")
    inits = inits if inits is not None else ["default"] * len(seeds)
    if not len(activations) == len(seeds) == len(inits):
        raise ValueError(f"need one seed per model: {len(activations)} activations, "
                         f"{len(seeds)} seeds, {len(inits)} initialisations")
    check_norm(norm)
    for seed, scheme in zip(seeds, inits):
        check_seed(seed, "each of seeds")
        if scheme not in INITS:
            raise ValueError(f"each of inits must be one of {list(INITS)}, got {scheme!r}")
    models = []
    for name, seed, scheme in zip(activations, seeds, inits):
        seed_everything(seed)
        models.append(add_norms(initialise(mlp(sizes, name), scheme, name), norm))
    return models


def _grid(activations, inits, lrs, seeds, splits: list | None) -> pd.DataFrame:
    """One row per model: the cross product, activation outermost and seed (or split,
    when several are given) innermost."""
    columns = ["activation", "init", "lr", "seed"] + ([] if splits is None else ["split"])
    values = [activations, inits, lrs, seeds] + ([] if splits is None else [range(len(splits))])
    return grid(columns, values, ["activations", "init", "lr", "seeds", "split"])


def train_batched(sizes: list[int], activations, seeds, split, *, epochs: int,
                  batch_size: int = 32, lr=1e-3, init="default", optimizer: str = "adamw",
                  momentum: float = 0.0, loss: str = "ce", norm: str = "none",
                  record_updates: bool = False, progress: bool = False) -> BatchedRun:
    """Train one ``mlp(sizes, activation)`` for every combination of ``activations``,
    ``init``, ``lr`` and ``seeds`` (each a value or a list), all at once, on ``split``.

    ``split`` is a :class:`~nonlin_course.Split`, or a list of splits of equal sizes (the
    folds of a cross-validation, say): then every combination is trained on each of them,
    and a column ``split`` (0, 1, ...) says which.

    Each model gets exactly :func:`nonlin_course.train_classifier`'s schedule and defaults
    (AdamW, batches of 32, one shuffled pass per epoch drawn from its seed), so a row of
    the result is what a one-by-one loop would give. ``norm`` ("none", "batchnorm",
    "layernorm") puts that norm after every hidden Linear layer (``norm_mlp``);
    ``record_updates`` records each step's update-to-data ratio per layer (``updates``).

    >>> from nonlin_course import circles, train_test
    >>> split = train_test(*circles(200), on="cpu")
    >>> run = train_batched([2, 4, 1], ["relu", "tanh"], [0, 1], split, epochs=2, loss="bce")
    >>> run.models.shape, list(run.history.columns[:6])
    ((4, 4), ['epoch', 'model', 'activation', 'init', 'lr', 'seed'])
    """
    splits = _check_splits(split)
    table = _grid(activations, init, lr, seeds, None if isinstance(split, Split) else splits)
    epochs, batch_size = _check_run(table, epochs, batch_size, optimizer, momentum, loss)
    _check_norm_batches(check_norm(norm), len(splits[0].y_train), batch_size)
    if not isinstance(record_updates, bool):
        raise TypeError(f"record_updates must be True or False, got {record_updates!r}")
    models = init_models(sizes, list(table.activation), list(table.seed), list(table.init),
                         norm)
    _check_data(splits, sizes, loss)
    progress = _checks.flag("progress", progress)
    data = _Data(splits, torch.tensor(table.get("split", pd.Series(0, table.index)).values))
    net = BatchedMLP.from_modules(models, list(table.activation)).to(data.X.device)
    start = net.clone()
    step = FlatOptimizer(net, optimizer.lower(), torch.tensor(table.lr.values, dtype=torch.float32),
                      momentum)
    with small_kernels():
        records = _train(net, step, data, list(table.seed), epochs, batch_size, loss, progress,
                         record_updates)
    net.scratch.clear()   # the training batches' buffers: not needed any more
    updates = update_frame(table, records.pop()) if record_updates else None
    return BatchedRun(net, start, table, *run_frames(table, *records[:4]), updates)


def _check_data(splits: list[Split], sizes: list[int], loss: str) -> None:
    """Every split's inputs must fit ``sizes[0]`` and its labels ``sizes[-1]`` outputs."""
    for s in splits:
        if s.X_train.shape[1] != sizes[0]:
            raise ValueError(f"split: X_train has {s.X_train.shape[1]} columns, but sizes "
                             f"starts with {sizes[0]} inputs")
        for part in ("X_train", "X_test"):     # a Split checks them; one built around
            _checks.finite(f"split.{part}", getattr(s, part))   # its checks may not
        for part in ("y_train", "y_test"):
            y = _checks.labels(f"split.{part}", getattr(s, part), len(getattr(s, part)))
            _checks.classes(f"split.{part}", y, sizes[-1], loss)


def _check_norm_batches(norm: str, n: int, batch_size: int) -> None:
    if norm == "batchnorm" and (batch_size == 1 or n % batch_size == 1):
        raise ValueError(f"with norm='batchnorm' no batch may hold a single example (its "
                         f"variance is undefined); {n} training examples in batches of "
                         f"{batch_size} leave one: choose another batch_size")


def _check_splits(split) -> list[Split]:
    splits = [split] if isinstance(split, Split) else split
    if not isinstance(splits, (list, tuple)) or not splits \
            or not all(isinstance(s, Split) for s in splits):
        raise TypeError("split must be a nonlin_course.Split or a non-empty list of them, "
                        f"got {type(split).__name__}")
    shapes = {(tuple(s.X_train.shape), tuple(s.X_test.shape)) for s in splits}
    if len(shapes) > 1:
        raise ValueError("the splits must have equal sizes (train and test), got "
                         f"{sorted(shapes)}")
    return list(splits)


def _check_run(table, epochs, batch_size, optimizer, momentum, loss):
    epochs = _checks.positive_int("epochs", epochs)
    batch_size = _checks.positive_int("batch_size", batch_size)
    check_loss(loss)
    check_optimizer(optimizer, momentum)
    # the seeds and initialisations: init_models checks them
    table["lr"] = [_checks.positive_number("lr", rate) for rate in table.lr]
    return epochs, batch_size


def _loss_and_grad(logits: torch.Tensor, y: torch.Tensor, loss: str):
    """Per-model mean loss (K,) and its gradient with respect to the logits (K, B, C)."""
    B = y.shape[1]
    if loss == "bce":
        z = logits.squeeze(-1)
        target = y.to(z.dtype)
        value = (F.softplus(z) - z * target).mean(-1)   # -log sigmoid(+-z), as BCE computes it
        return value, ((torch.sigmoid(z) - target) / B).unsqueeze(-1)
    value = F.cross_entropy(logits.transpose(1, 2), y, reduction="none").mean(-1)
    grad = torch.softmax(logits.transpose(1, 2), 1)   # (K, C, B): faster than along the last dim
    grad.scatter_add_(1, y.unsqueeze(1), torch.full_like(grad[:, :1], -1.0))
    return value, grad.div_(B).transpose(1, 2)


class _Data:
    """Every model's training and test data: one split shared by all, or split
    ``which[k]`` of several equal-sized ones for model k."""

    def __init__(self, splits: list[Split], which: torch.Tensor):
        on, K = splits[0].X_train.device, len(which)
        self.n = len(splits[0].y_train)
        self.X = torch.cat([s.X_train.float() for s in splits])                  # (splits * n, d)
        self.y = torch.cat([s.y_train.long() for s in splits]).unsqueeze(1)     # F.embedding wants 2-D
        self.offset = (which.to(on) * self.n).unsqueeze(1)               # where model k's rows start
        if len(splits) == 1:
            self.X_test = splits[0].X_test.float().expand(K, -1, -1)
            self.y_test = splits[0].y_test.long().expand(K, -1)
        else:
            self.X_test = torch.stack([s.X_test.float() for s in splits])[which.to(on)]
            self.y_test = torch.stack([s.y_test.long() for s in splits])[which.to(on)]


@torch.inference_mode()
def _train(net, step, data, seeds, epochs, batch_size, loss, progress, record_updates=False):
    generators = [torch.Generator().manual_seed(int(seed)) for seed in seeds]
    K, n, on = len(seeds), data.n, data.X.device
    losses, test_losses, accs, grads, updates = [], [], [], [], []
    epochs_iter = range(1, epochs + 1)
    if progress:
        from tqdm import tqdm  # the text bar: it needs no widgets, in Colab or a terminal
        epochs_iter = tqdm(epochs_iter, desc=f"training {K} models", unit="epoch")
    for _ in epochs_iter:
        order = torch.stack([torch.randperm(n, generator=g) for g in generators]).to(on)
        order += data.offset
        loss_sum = torch.zeros(K, device=on)
        grad_sum = torch.zeros_like(net.flat)
        X, y = F.embedding(order, data.X), F.embedding(order, data.y).squeeze(-1)  # the epoch's
        batches = list(zip(X.split(batch_size, dim=1), y.split(batch_size, dim=1)))  # order
        for X_batch, y_batch in batches:
            logits, inputs, saved = net.forward_saving(X_batch)
            value, dz = _loss_and_grad(logits, y_batch, loss)
            net.backward(dz, inputs, saved, step.grad)
            before = net.flat.clone() if record_updates else None
            step()
            if record_updates:
                updates.append(update_ratios(net, before))
            loss_sum += value
            grad_sum += step.grad.flat.abs()
        grad_means = [W.mean((1, 2)) for W in views(grad_sum, net.sizes, K, net.norm)[0]]
        grads.append(torch.stack(grad_means) / len(batches))
        losses.append(loss_sum / len(batches))
        test_loss, test_acc = _evaluate(net, data, loss)
        test_losses.append(test_loss)
        accs.append(test_acc)
    return [losses, test_losses, accs, grads, updates]


def _evaluate(net: BatchedMLP, data: _Data, loss: str):
    logits = net(data.X_test)
    correct = predicted_class(logits, loss) == data.y_test
    return mean_loss(logits, data.y_test, loss), correct.float().mean(1)
