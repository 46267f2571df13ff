"""A multi-layer perceptron with skip connections around its hidden layers (He et al. 2016).

Written as pre-activation residual blocks: with ``z_1 = W_1 x + b_1`` the first hidden
layer's pre-activations, every further hidden layer adds its input back,

    z_{l+1} = z_l + W_{l+1} act(z_l) + b_{l+1},

and the output layer reads ``W_out act(z_L) + b_out``. Without the skips
(``skip=False``) the same weights compute exactly ``mlp(sizes, activation_name)``, so a
plain network and a residual one of the same sizes have the same parameters and differ
only by the ``z_l +`` of every block.
"""
from collections.abc import Sequence

import pandas as pd
import torch
from torch import nn

from . import _checks
from .activations import activation
from .data import Split
from .runtime import check_seed, one_thread, seed_everything
from .signals import init_deep
from .train import train_classifier


class ResidualMLP(nn.Module):
    """The network of :func:`residual_mlp`: ``layers`` (its Linear layers in order), ``act``
    (one activation module, used between every two of them) and ``skip``."""

    def __init__(self, sizes: Sequence[int], activation_name: str, skip: bool):
        super().__init__()
        self.layers = nn.ModuleList(nn.Linear(n_in, n_out)
                                    for n_in, n_out in zip(sizes[:-1], sizes[1:]))
        self.act = activation(activation_name)
        self.skip = skip

    def pre_activations(self, x: torch.Tensor) -> list[torch.Tensor]:
        """The hidden layers' pre-activations z_1 ... z_L, each (n, width), for x (n, d)."""
        zs = [self.layers[0](x)]
        for layer in self.layers[1:-1]:
            step = layer(self.act(zs[-1]))
            zs.append(zs[-1] + step if self.skip else step)
        return zs

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Logits (n, sizes[-1]) for inputs x (n, sizes[0])."""
        return self.layers[-1](self.act(self.pre_activations(x)[-1]))


def residual_mlp(sizes: Sequence[int], activation_name: str = "relu",
                 skip: bool = True) -> ResidualMLP:
    """An MLP with layer widths ``sizes`` and, if ``skip``, a skip connection around every
    hidden layer after the first (so all hidden widths must be equal).

    ``sizes = [64, 32, 32, 32, 10]`` has three hidden layers and two skips. Initialised as
    ``nn.Linear`` initialises (re-initialise it with :func:`nonlin_course.init_deep`).

    >>> net = residual_mlp([4, 8, 8, 8, 3])
    >>> net(torch.zeros(5, 4)).shape
    torch.Size([5, 3])
    >>> skipped = residual_mlp([4, 8, 8, 3], "tanh", skip=False)   # mlp([4, 8, 8, 3], "tanh")
    >>> skipped(torch.zeros(2, 4)).shape
    torch.Size([2, 3])
    """
    if isinstance(sizes, (str, bytes)) or not isinstance(sizes, Sequence) or len(sizes) < 2:
        raise ValueError(f"sizes must be a list of at least two layer widths, got {sizes!r}")
    for size in sizes:
        _checks.positive_int("each layer width in sizes", size)
    _checks.flag("skip", skip)
    hidden = list(sizes[1:-1])
    if skip and len(set(hidden)) > 1:
        raise ValueError("a skip connection adds a layer's input to its output, so every "
                         f"hidden width in sizes must be the same; got hidden widths {hidden}")
    return ResidualMLP(sizes, activation_name, skip)


def compare_skips(sizes: Sequence[int], split: Split, seeds, *, inits=("default", "kaiming"),
                  epochs: int = 5, activation_name: str = "relu", lr: float = 1e-3,
                  probe_rows: int = 512) -> pd.DataFrame:
    """Train ``residual_mlp(sizes, activation_name, skip)`` without and with skips, for
    every initialisation of ``inits`` (see :func:`nonlin_course.init_deep`) and seed, with
    :func:`nonlin_course.train_classifier` (AdamW, rate ``lr``, batches of 32).

    Model (init, skip, seed) is drawn after ``seed_everything(seed)`` and trained on the
    batches of ``seed``. Returns one row per model: ``init``, ``skip``, ``seed``,
    ``growth`` (before training: the std of the last hidden layer's pre-activations over
    the first's, on the first ``probe_rows`` training rows) and ``test_acc`` (after the
    last epoch).

    >>> from nonlin_course import digits, train_test
    >>> runs = compare_skips([64, 8, 8, 10], train_test(*digits(), on="cpu"), [0],
    ...                      inits=["kaiming"], epochs=1)
    >>> runs[["init", "skip", "seed"]].values.tolist()
    [['kaiming', False, 0], ['kaiming', True, 0]]
    """
    residual_mlp(sizes, activation_name)          # checks sizes and the activation
    if not isinstance(split, Split):
        raise TypeError(f"split must be a nonlin_course.Split, got {type(split).__name__}")
    seeds, inits = list(seeds), list(inits)
    for seed in seeds:
        check_seed(seed)
    if not seeds or not inits:
        raise ValueError(f"need at least one seed and one initialisation, got seeds={seeds}, "
                         f"inits={inits}")
    probe = split.X_train[:_checks.positive_int("probe_rows", probe_rows)]
    rows = []
    with one_thread():   # small layers: a second thread only waits
        for init in inits:
            for skip in (False, True):
                for seed in seeds:
                    seed_everything(seed)
                    model = residual_mlp(sizes, activation_name, skip).to(probe.device)
                    init_deep(model, init, activation_name)
                    with torch.no_grad():
                        z = model.pre_activations(probe)
                    history = train_classifier(model, split, epochs=epochs, lr=lr, seed=seed)
                    rows.append({"init": init, "skip": skip, "seed": seed,
                                 "growth": (z[-1].std() / z[0].std()).item(),
                                 "test_acc": history.test_acc.iloc[-1]})
    return pd.DataFrame(rows)
