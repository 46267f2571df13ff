"""Learned knots: a one-hidden-layer ReLU net fitted by gradient descent (chapter 4).

Where :mod:`nonlin_course.piecewise.approx` places the hinges by hand or solves for their weights,
here training chooses every knot and weight.
"""
from dataclasses import dataclass

import pandas as pd
import torch
from torch import nn

from .. import _checks
from .._sweeps import grid, listed
from ..nets.initialisation import initialise
from ..nets.models import mlp
from ..runtime import check_seed, one_thread, seed_everything
from ..training.adam import Adam

MAX_UNITS = 10_000


def kinks(a: torch.Tensor, c: torch.Tensor) -> torch.Tensor:
    """Where each unit relu(a x + c) bends: x = -c / a, and NaN for a unit with a = 0
    (flat, no bend). ``a`` and ``c`` of any one shape.

    >>> kinks(torch.tensor([2.0, 0.0, -1.0]), torch.tensor([1.0, 1.0, 3.0]))
    tensor([-0.5000,     nan,  3.0000])
    """
    return torch.where(a != 0, -c / a, torch.full_like(a, float("nan")))


def _sorted_kinks(a: torch.Tensor, c: torch.Tensor) -> torch.Tensor:
    """The kinks of the units that have one, in increasing order."""
    knots = kinks(a, c)
    return torch.sort(knots[~knots.isnan()]).values


@dataclass
class NetFit:
    """A trained one-hidden-layer ReLU net ``model`` (Sequential Linear, ReLU, Linear)
    and its mean squared ``loss`` per epoch (list of floats).

    >>> x = torch.linspace(-1.0, 1.0, 5, dtype=torch.float64)
    >>> fit = fit_relu_net(x, x.abs(), units=2, epochs=3, device="cpu")
    >>> fit(x).shape, fit.knots.shape    # one output per x, at most one kink per unit
    (torch.Size([5]), torch.Size([2]))
    """
    model: nn.Sequential
    loss: list

    @torch.no_grad()
    def __call__(self, x: torch.Tensor) -> torch.Tensor:
        """The net's output for ``x`` (n,) or (n, d), as a CPU float64 tensor of shape (n,)."""
        first = self.model[0]
        inputs = x.reshape(-1, first.in_features).to(first.weight)
        return self.model(inputs)[:, 0].cpu().to(torch.float64)

    @property
    def knots(self) -> torch.Tensor:
        """Sorted kink positions -bias/weight of the hidden units (1-D input only); units
        whose input weight is 0 have no kink and are left out. CPU float64."""
        first = self.model[0]
        if first.in_features != 1:
            raise ValueError(f"knots exist for a 1-D input only; this net has "
                             f"{first.in_features} inputs (its kinks are lines or planes)")
        w, b = first.weight[:, 0].detach().cpu().double(), first.bias.detach().cpu().double()
        return _sorted_kinks(w, b)


def fit_relu_net(x: torch.Tensor, y: torch.Tensor, units: int, seed: int = 0,
                 epochs: int = 2000, lr: float = 0.01, device=None) -> NetFit:
    """Train ``mlp([d, units, 1])``, Linear(d, units) -> ReLU -> Linear(units, 1), on ``y``
    (n,) at ``x`` (n,) or (n, d) by full-batch Adam on the mean squared error. Seeded, so
    repeatable; ``units`` is at most 10 000.

    Returns a :class:`NetFit` whose ``loss`` has one entry per epoch.

    >>> x = torch.linspace(-1.0, 1.0, 5, dtype=torch.float64)
    >>> fit = fit_relu_net(x, x.abs(), units=2, epochs=3, device="cpu")
    >>> len(fit.loss), fit.loss == fit_relu_net(x, x.abs(), 2, epochs=3, device="cpu").loss
    (3, True)
    """
    units = _checks.at_most("units", units, MAX_UNITS)
    epochs = _checks.positive_int("epochs", epochs)
    seed = check_seed(seed)
    lr = _checks.positive_number("lr", lr)
    device = _checks.torch_device("device", device)
    inputs = _inputs(x).float().to(device)
    targets = _checks.tensor_1d("y", y).float().to(device)
    if len(inputs) != len(targets):
        raise ValueError(f"x and y must have the same length, got {len(inputs)} and {len(targets)}")
    torch.manual_seed(seed)
    model = mlp([inputs.shape[1], units, 1], "relu").to(device)
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    losses = []
    for _ in range(epochs):
        optimizer.zero_grad()
        loss = torch.mean((model(inputs)[:, 0] - targets) ** 2)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    return NetFit(model.eval(), losses)


@dataclass
class NetSweep:
    """What :func:`fit_relu_nets` returns. ``models``: one row per net k (``init``,
    ``lr``, ``seed``). ``units``: one row per (net, checkpoint ``epoch``, hidden
    ``unit``) with the unit's input weight ``a``, bias ``c``, output weight ``w`` and
    ``knot`` = -c/a (NaN where a = 0), plus the net's output bias ``b`` and its mean
    squared error ``mse`` on the training points at that epoch."""
    models: pd.DataFrame
    units: pd.DataFrame

    def net(self, model: int, epoch: int | None = None) -> "HingeNet":
        """Net ``model`` (a row of ``models``) as it was after ``epoch`` (default: the last
        checkpoint), as a :class:`HingeNet`."""
        epoch = int(self.units.epoch.max()) if epoch is None else epoch
        rows = self.units[(self.units.model == model) & (self.units.epoch == epoch)]
        if rows.empty:
            raise ValueError(f"no net {model} at epoch {epoch}: models 0..{len(self.models) - 1}, "
                             f"checkpoints {sorted(self.units.epoch.unique())}")
        a, c, w = (torch.tensor(rows[k].to_numpy()) for k in "acw")
        return HingeNet(a, c, w, float(rows.b.iloc[0]))


@dataclass
class HingeNet:
    """A one-hidden-layer ReLU net of one input, sum_j w_j relu(a_j x + c_j) + b, with its
    parameters as 1-D float64 tensors of one entry per unit; call it on x (n,).

    >>> net = HingeNet(torch.tensor([1.0, -1.0]), torch.tensor([-1.0, 0.0]),
    ...                torch.tensor([2.0, 1.0]), 0.5)
    >>> net(torch.tensor([-1.0, 0.0, 2.0])), net.knots
    (tensor([1.5000, 0.5000, 2.5000], dtype=torch.float64), tensor([0., 1.], dtype=torch.float64))
    """
    a: torch.Tensor
    c: torch.Tensor
    w: torch.Tensor
    b: float

    def __post_init__(self):
        self.a, self.c, self.w = (_checks.tensor_1d(k, getattr(self, k)).cpu() for k in "acw")
        if not len(self.a) == len(self.c) == len(self.w):
            raise ValueError("a, c and w need one entry per unit: got lengths "
                             f"{len(self.a)}, {len(self.c)}, {len(self.w)}")

    def __call__(self, x: torch.Tensor) -> torch.Tensor:
        x = _checks.tensor_1d("x", x).cpu()
        return torch.relu(x[:, None] * self.a + self.c) @ self.w + self.b

    @property
    def knots(self) -> torch.Tensor:
        """Sorted kinks -c/a of the units with a != 0 (float64)."""
        return _sorted_kinks(self.a, self.c)


def fit_relu_nets(x: torch.Tensor, y: torch.Tensor, units: int, seeds, *, init="default",
                  lr=0.01, epochs: int = 2000, checkpoints=None, device=None) -> NetSweep:
    """:func:`fit_relu_net` for every combination of ``init``, ``lr`` and ``seeds`` (each a
    value or a list), all trained at once. ``x`` and ``y`` have shape (n,); net k starts
    from ``mlp([1, units, 1])`` seeded by its seed and re-initialised with its scheme
    (``"default"``, ``"xavier"``, ``"kaiming"``), then takes ``epochs`` full-batch Adam
    steps on its mean squared error. Its parameters are recorded after each epoch in
    ``checkpoints`` (default: the last).

    >>> x = torch.linspace(0.0, 2.0, 9, dtype=torch.float64)
    >>> sweep = fit_relu_nets(x, x ** 2, 3, [0, 1], lr=[0.01, 0.1], epochs=5, device="cpu")
    >>> len(sweep.models), len(sweep.units), list(sweep.models.columns)
    (4, 12, ['init', 'lr', 'seed'])
    """
    units = _checks.at_most("units", units, MAX_UNITS)
    epochs = _checks.positive_int("epochs", epochs)
    checkpoints = listed("checkpoints", epochs if checkpoints is None else checkpoints)
    for epoch in checkpoints:
        _checks.positive_int("each of checkpoints", epoch)
        if epoch > epochs:
            raise ValueError(f"checkpoints must lie in 1..epochs={epochs}, got {epoch}")
    checkpoints = sorted(set(checkpoints))
    table = grid(["init", "lr", "seed"], [init, lr, seeds], ["init", "lr", "seeds"])
    for seed, rate in zip(table.seed, table.lr):
        check_seed(seed, "each of seeds")
        _checks.positive_number("lr", rate)
    device = _checks.torch_device("device", device)
    inputs, targets = _checks.tensor_1d("x", x), _checks.tensor_1d("y", y)
    if len(inputs) != len(targets):
        raise ValueError(f"x and y must have the same length, got {len(inputs)} and {len(targets)}")
    nets = _init_nets(units, list(table.seed), list(table.init))
    parts = [torch.stack([getattr(net[i], part).detach().reshape(-1) for net in nets])
             for i, part in ((0, "weight"), (0, "bias"), (2, "weight"), (2, "bias"))]
    flat = torch.cat(parts, dim=1).to(device)        # (K, 3 units + 1): a, c, w, b
    rates = torch.tensor(table.lr.values, dtype=torch.float32, device=device)[:, None]
    with one_thread():   # thousands of small operations: a second thread costs more
        units_table = _adam(flat, units, inputs.float().to(device), targets.float().to(device),
                            rates, epochs, checkpoints)
    return NetSweep(table, units_table)


def _init_nets(units: int, seeds: list[int], inits: list[str]) -> list[nn.Sequential]:
    """One fresh ``mlp([1, units, 1], "relu")`` per seed, drawn after
    ``seed_everything(seed)`` and re-initialised with its scheme: the net that
    ``fit_relu_net`` would start from (for the default scheme)."""
    nets = []
    for seed, scheme in zip(seeds, inits):
        seed_everything(seed)
        nets.append(initialise(mlp([1, units, 1], "relu"), scheme))
    return nets


def _inputs(x) -> torch.Tensor:
    """``x`` (n,) or (n, d), checked, as (n, d)."""
    if isinstance(x, torch.Tensor) and x.ndim == 2:
        x = _checks.tensor_2d("x", x).to(torch.float64)
        if not torch.isfinite(x).all():
            raise ValueError("x must hold finite numbers (no NaN or inf)")
        return x
    return _checks.tensor_1d("x", x)[:, None]


def _adam(flat, units, x, y, lr, epochs, checkpoints):
    """Full-batch Adam (:class:`~nonlin_course.training.adam.Adam`) on the K nets' summed
    MSEs, all parameters in one tensor ``flat`` (K, 3 units + 1) with a rate per net ``lr``
    (K, 1); the nets' units at each checkpoint as a long table (see :class:`NetSweep`)."""
    flat = flat.clone().requires_grad_()
    adam = Adam(flat, lr)
    frames = []
    for step in range(1, epochs + 1):
        grad, = torch.autograd.grad(_mse(flat, units, x, y).sum(), flat)
        adam.step(grad)
        if step in checkpoints:
            frames.append(_unit_rows(flat.detach(), units, step, x, y))
    return pd.concat(frames, ignore_index=True)


def _mse(flat: torch.Tensor, units: int, x: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """Each net's mean squared error (K,) on x, y (n,); ``flat`` (K, 3 units + 1) holds
    the input weights, biases and output weights of the units, then the output bias."""
    a, c, w, b = flat[:, :units], flat[:, units:2 * units], flat[:, 2 * units:3 * units], flat[:, -1]
    hidden = torch.relu(x[None, :, None] * a[:, None, :] + c[:, None, :])   # (K, n, units)
    return (((hidden * w[:, None, :]).sum(-1) + b[:, None] - y) ** 2).mean(1)


@torch.no_grad()
def _unit_rows(flat: torch.Tensor, units: int, epoch: int, x, y) -> pd.DataFrame:
    mse = _mse(flat, units, x, y).double().cpu()
    flat = flat.double().cpu()
    a, c, w, b = flat[:, :units], flat[:, units:2 * units], flat[:, 2 * units:3 * units], flat[:, -1]
    K, U = a.shape
    knot = kinks(a, c)
    column = lambda t: t.reshape(-1).numpy()
    return pd.DataFrame({"model": column(torch.arange(K)[:, None].expand(K, U)),
                         "epoch": epoch, "unit": column(torch.arange(U).expand(K, U)),
                         "a": column(a), "c": column(c), "w": column(w), "knot": column(knot),
                         "b": column(b[:, None].expand(K, U)),
                         "mse": column(mse[:, None].expand(K, U))})
