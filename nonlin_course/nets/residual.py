"""A multi-layer perceptron with skip connections around its hidden layers (He et al. 2016).

Written as pre-activation residual blocks: with ``z_1 = W_1 x + b_1`` the first hidden
layer's pre-activations, every further hidden layer adds its input back,

    z_{l+1} = z_l + W_{l+1} act(z_l) + b_{l+1},

and the output layer reads ``W_out act(z_L) + b_out``. Without the skips
(``skip=False``) the same weights compute exactly ``mlp(sizes, activation_name)``, so a
plain network and a residual one of the same sizes have the same parameters and differ
only by the ``z_l +`` of every block.
"""

import itertools
from collections.abc import Sequence

import torch
from torch import nn

from .. import _checks
from .activations import activation


class ResidualMLP(nn.Module):
    """The network of :func:`residual_mlp`: ``layers`` (its Linear layers in order), ``act``
    (one activation module, used between every two of them) and ``skip``."""

    def __init__(self, sizes: Sequence[int], activation_name: str, skip: bool):
        super().__init__()
        self.layers = nn.ModuleList(
            nn.Linear(n_in, n_out) for n_in, n_out in itertools.pairwise(sizes)
        )
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


def residual_mlp(
    sizes: Sequence[int], activation_name: str = "relu", skip: bool = True
) -> ResidualMLP:
    """An MLP with layer widths ``sizes`` and, if ``skip``, a skip connection around every
    hidden layer after the first (so all hidden widths must be equal).

    ``sizes = [64, 32, 32, 32, 10]`` has three hidden layers and two skips. Initialised as
    ``nn.Linear`` initialises (re-initialise it with :func:`nonlin_course.init_deep`; chapter 5 trains it with
    :func:`nonlin_course.compare_skips`).

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
        raise ValueError(
            "a skip connection adds a layer's input to its output, so every "
            f"hidden width in sizes must be the same; got hidden widths {hidden}"
        )
    return ResidualMLP(sizes, activation_name, skip)
