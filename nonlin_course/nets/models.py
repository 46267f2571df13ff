"""Small multi-layer perceptrons, and the fold that shows a linear stack is one layer."""
from collections.abc import Sequence

import torch
from torch import nn

from .. import _checks
from .activations import activation


MAX_PARAMETERS = 10**8


def mlp(sizes: Sequence[int], activation_name: str | None = "relu") -> nn.Sequential:
    """A multi-layer perceptron with layer widths ``sizes``.

    ``sizes = [2, 10, 2]`` gives Linear(2, 10) -> activation -> Linear(10, 2). The
    activation sits between Linear layers, never after the last one, so the model
    returns logits. ``activation_name=None`` builds a purely linear stack. At most
    10^8 weights and biases in all (400 MB of float32).

    >>> mlp([2, 10, 2])
    Sequential(
      (0): Linear(in_features=2, out_features=10, bias=True)
      (1): ReLU()
      (2): Linear(in_features=10, out_features=2, bias=True)
    )
    """
    if isinstance(sizes, (str, bytes)) or not isinstance(sizes, Sequence) or len(sizes) < 2:
        raise ValueError(f"sizes must be a list of at least two layer widths, got {sizes!r}")
    sizes = [_checks.positive_int("each layer width in sizes", size) for size in sizes]
    count = sum((a + 1) * b for a, b in zip(sizes[:-1], sizes[1:]))
    _checks.allocation("sizes", count, "weights and biases", MAX_PARAMETERS)
    if activation_name is not None:
        activation(activation_name)  # fail early on an unknown name, even with no hidden layer
    layers = []
    for i, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:])):
        if i > 0 and activation_name is not None:
            layers.append(activation(activation_name))
        layers.append(nn.Linear(n_in, n_out))
    return nn.Sequential(*layers)


def linear_layers(model: nn.Module) -> list[nn.Linear]:
    """The ``nn.Linear`` layers of ``model`` in order."""
    return [m for m in model.modules() if isinstance(m, nn.Linear)]


@torch.no_grad()
def fold_linear(model: nn.Module) -> nn.Linear:
    """Fold a stack of Linear layers (nothing else but Identity) into one ``nn.Linear``.

    ``model`` must be an ``nn.Sequential`` (nested ones are read in order) whose output is
    its layers applied in turn; a model with its own ``forward`` (a functional ReLU, the
    layers in another order) is refused, since what it computes cannot be read off its
    layers.

    Layer by layer, W2 (W1 x + b1) + b2 = (W2 W1) x + (W2 b1 + b2), so the folded
    layer has weight W_L ... W_1 and the matching bias.

    >>> stack = mlp([3, 4, 5, 2], activation_name=None)
    >>> x = torch.randn(8, 3)
    >>> torch.allclose(stack(x), fold_linear(stack)(x), atol=1e-6)
    True
    """
    stack = _checks.layers(nn.Sequential(model) if type(model) is nn.Linear else model)
    others = [type(m).__name__ for m in stack if not isinstance(m, (nn.Linear, nn.Identity))]
    if others:
        raise ValueError("model must be a stack of Linear layers to fold into one; it has "
                         f"non-linear layers {others}")
    layers = [layer for layer in stack if isinstance(layer, nn.Linear)]
    if not layers:
        raise ValueError("model has no Linear layer to fold")
    for before, after in zip(layers, layers[1:]):
        if before.out_features != after.in_features:
            raise ValueError(f"model's layers do not chain: {before.out_features} outputs "
                             f"feed a layer of {after.in_features} inputs")
    first = layers[0]
    W = first.weight.clone()
    b = first.bias.clone() if first.bias is not None else W.new_zeros(first.out_features)
    for layer in layers[1:]:
        W, b = layer.weight @ W, layer.weight @ b
        if layer.bias is not None:
            b = b + layer.bias
    folded = nn.Linear(W.shape[1], W.shape[0], device=W.device, dtype=W.dtype)
    folded.weight.copy_(W)
    folded.bias.copy_(b)
    return folded


@torch.no_grad()
def affine_fit_error(inputs: torch.Tensor, outputs: torch.Tensor) -> float:
    """Largest absolute error of the best affine fit to ``outputs``: the least-squares
    ``[inputs, 1] @ A``, computed in float64. Zero (up to rounding) exactly when one
    affine map reproduces the outputs.

    ``inputs`` has shape (n, d), ``outputs`` (n,) or (n, k), with n > d.

    >>> x = torch.randn(100, 2, dtype=torch.float64)
    >>> affine_fit_error(x, 3 * x[:, 0] - x[:, 1] + 1) < 1e-9
    True
    >>> affine_fit_error(x, x[:, 0] ** 2) > 0.1
    True
    """
    residual, _ = _affine_residual(inputs, outputs)
    return residual.abs().max().item()


def affine_unexplained(inputs: torch.Tensor, outputs: torch.Tensor) -> float:
    """The share of the variance of ``outputs`` that the best affine fit leaves
    unexplained (1 - R², summed over output columns): 0 when one affine map reproduces
    the outputs, 1 when the best it can do is their mean. A scale for
    :func:`affine_fit_error`, whose size depends on how large the outputs are.

    ``inputs`` has shape (n, d), ``outputs`` (n,) or (n, k), with n > d.

    >>> x = torch.randn(1000, 1, dtype=torch.float64)
    >>> affine_unexplained(x, 2 * x[:, 0] + 1) < 1e-12
    True
    >>> round(affine_unexplained(x, x[:, 0].abs()), 1)    # |x| is far from a line
    1.0
    """
    residual, values = _affine_residual(inputs, outputs)
    spread = (values - values.mean(0)).pow(2).sum()
    if spread == 0:
        raise ValueError("outputs are constant: there is no variance to explain")
    return (residual.pow(2).sum() / spread).item()


def _affine_residual(inputs: torch.Tensor, outputs: torch.Tensor):
    """(outputs minus their least-squares affine fit, outputs), both (n, k) float64."""
    _checks.tensor_2d("inputs", inputs)
    if not isinstance(outputs, torch.Tensor) or outputs.ndim not in (1, 2) \
            or outputs.shape[0] != inputs.shape[0]:
        raise ValueError(f"outputs must be a tensor of shape ({inputs.shape[0]},) or "
                         f"({inputs.shape[0]}, k), one row per row of inputs; got "
                         f"{getattr(outputs, 'shape', type(outputs).__name__)}")
    if outputs.is_complex():
        raise TypeError(f"outputs must hold real numbers, got {outputs.dtype}")
    if inputs.shape[0] <= inputs.shape[1]:
        raise ValueError(f"need more points than input dimensions to fit, got {tuple(inputs.shape)}")
    design = torch.cat([inputs.double(), inputs.new_ones(len(inputs), 1).double()], dim=1).cpu()
    values = outputs.detach().double().reshape(len(outputs), -1).cpu()
    if not (torch.isfinite(design).all() and torch.isfinite(values).all()):
        raise ValueError("inputs and outputs must be finite (no NaN or inf)")
    A = torch.linalg.lstsq(design, values, driver="gelsd").solution   # SVD: sound when
    # the points do not span the input space (a thin region of grid points in one row)
    return design @ A - values, values
