"""K MLPs of one shape, stored in one flat tensor, with a forward and backward pass by hand.

Layer l of model k has weight ``W_l[k]`` (out, in) and bias ``b_l[k]`` (out,). Every
``W_l`` and ``b_l`` is a view into one flat tensor, so an optimizer updates all K models
with a handful of element-wise operations, however many layers there are.

Inside, a layer's inputs are stored features first, one column per example: ``a`` is
(K, in, B) and z = W a + b is (K, out, B). (A batched matrix multiply of these tiny
matrices runs two to three times faster this way round than with examples first.) The
backward pass is the chain rule written out (``dz`` is dLoss/dz for z, (K, out, B))::

    dW = dz a^T      db = sum of dz over the batch      da = W^T dz      dz_prev = da * f'(z_prev)

and f'(z) is applied with torch's own backward kernel of each activation, so the
gradients are the ones autograd would give, bit for bit, at kinks included (with the same
kernels: :func:`nonlin_course.train_batched` turns oneDNN off, see
:func:`nonlin_course.runtime.small_kernels`, which moves a GELU by a bit or two; softsign,
written as its formula, agrees to rounding).

With ``norm="batchnorm"`` or ``"layernorm"`` each hidden layer is Linear -> norm ->
activation (:func:`nonlin_course.nets.norms.norm_mlp`); the norms' scales and shifts
follow the Linear layers in ``flat``, and BatchNorm's running averages live beside it.
"""

import torch
from torch import nn

from ..nets.activations import BACKWARD, FORWARD
from ..nets.models import linear_layers
from ..nets.norms import NORM_DIM, check_norm, norm_backward, norm_forward, norm_layers, norm_mlp
from ._flat_layout import norm_views, views


def _runs(names: list[str]) -> list[tuple[str, int]]:
    """Runs of equal names: ["relu", "relu", "tanh"] -> [("relu", 2), ("tanh", 1)]."""
    runs = []
    for name in names:
        if runs and runs[-1][0] == name:
            runs[-1] = (name, runs[-1][1] + 1)
        else:
            runs.append((name, 1))
    return runs


class BatchedMLP:
    """K MLPs with stacked parameters: ``weights[l]`` has shape (K, out, in), ``biases[l]``
    shape (K, out), all views into ``flat``. Model k uses activation ``activations[k]``.
    With a ``norm``, hidden layer l also has ``gammas[l]`` and ``betas[l]`` (K, out) in
    ``flat``, and for BatchNorm ``running[l]``, the (mean, var) pair used in evaluation.

    >>> from nonlin_course.nets.models import mlp
    >>> models = [mlp([2, 3, 1], "relu"), mlp([2, 3, 1], "tanh")]
    >>> net = BatchedMLP.from_modules(models, ["relu", "tanh"])
    >>> x = torch.randn(2, 5, 2)              # (K, batch, in): model k sees x[k]
    >>> net(x).shape
    torch.Size([2, 5, 1])
    >>> torch.allclose(net(x)[1], models[1](x[1]))
    True
    """

    def __init__(
        self,
        flat: torch.Tensor,
        sizes: list[int],
        activations: list[str],
        norm: str = "none",
        running: list | None = None,
    ):
        self.flat, self.sizes, self.activations = flat, list(sizes), list(activations)
        self.norm, K = check_norm(norm), len(self.activations)
        self.weights, self.biases = views(flat, self.sizes, K, self.norm)
        self.gammas, self.betas = norm_views(flat, self.sizes, K, self.norm)
        if running is None and self.norm == "batchnorm":
            running = [(flat.new_zeros(K, w), flat.new_ones(K, w)) for w in self.sizes[1:-1]]
        self.running = running or []
        self.runs = _runs([a.lower() for a in self.activations])
        self.splits = [count for _, count in self.runs]
        self.forwards = [FORWARD[name] for name, _ in self.runs]
        self.backwards = [BACKWARD[name] for name, _ in self.runs]
        self.scratch = {}  # (what, layer, shape, inference mode) -> reused tensor, its runs

    @classmethod
    def from_modules(cls, models: list[nn.Module], activations: list[str]) -> "BatchedMLP":
        """Stack K ``mlp`` models of the same shape (their current weights are copied)."""
        if not models or len(models) != len(activations):
            raise ValueError(
                f"need one activation name per model, got {len(models)} models "
                f"and {len(activations)} names"
            )
        per_model = [linear_layers(m) for m in models]
        shapes = {tuple(layer.weight.shape for layer in layers) for layers in per_model}
        if len(shapes) != 1:
            raise ValueError(f"all models must have the same layer shapes, got {sorted(shapes)}")
        norms = [norm_layers(m) for m in models]
        kinds = {tuple(type(n).__name__ for n in layers) for layers in norms}
        norm = _norm_of(kinds, len(per_model[0]) - 1)
        first = per_model[0]
        sizes = [first[0].in_features] + [layer.out_features for layer in first]
        parts = []
        for i in range(len(first)):
            parts.append(torch.stack([layers[i].weight.detach() for layers in per_model]).flatten())
            parts.append(torch.stack([_bias(layers[i]) for layers in per_model]).flatten())
        for name in ("weight", "bias") if norm != "none" else ():
            parts += [
                torch.stack([getattr(layers[i], name).detach() for layers in norms]).flatten()
                for i in range(len(first) - 1)
            ]
        running = (
            [
                tuple(
                    torch.stack([getattr(layers[i], name) for layers in norms])
                    for name in ("running_mean", "running_var")
                )
                for i in range(len(first) - 1)
            ]
            if norm == "batchnorm"
            else None
        )
        return cls(torch.cat(parts), sizes, activations, norm, running)

    def to(self, device) -> "BatchedMLP":
        running = [(m.to(device), v.to(device)) for m, v in self.running]
        return BatchedMLP(self.flat.to(device), self.sizes, self.activations, self.norm, running)

    def clone(self) -> "BatchedMLP":
        running = [(m.clone(), v.clone()) for m, v in self.running]
        return BatchedMLP(self.flat.clone(), self.sizes, self.activations, self.norm, running)

    def buffer(self, what: tuple, layer: int, shape) -> tuple[torch.Tensor, tuple]:
        """A tensor of ``shape`` that every pass reuses for ``what`` at ``layer``, and its
        slices by runs of equal activations: the runs write their results straight into
        it, with no splitting or concatenating. ``what`` names the quantity, with
        ``training`` for the forward pass's (so an evaluation keeps its own); its values
        last until the next pass with the same ``what`` and batch size."""
        key = (what, layer, tuple(shape), torch.is_inference_mode_enabled())
        if key not in self.scratch:
            if len(self.scratch) > 40 * len(self.weights):  # many batch sizes: start afresh
                self.scratch.clear()
            tensor = self.flat.new_empty(shape)
            self.scratch[key] = tensor, tensor.split(self.splits)
        return self.scratch[key]

    def act(self, z_parts, a_parts) -> list:
        """Each model's activation of its slice of z (K, width, B), one run of equal
        activations at a time, written into ``a_parts``; returns the (z, a) slices of each
        run, which the backward pass needs."""
        for f, z_r, a_r in zip(self.forwards, z_parts, a_parts):
            f(z_r, a_r)
        return list(zip(z_parts, a_parts))

    def act_backward(self, da_parts, parts: list, dz_parts) -> None:
        """dL/dz from dL/da, run by run (da * f'(z)), written into ``dz_parts``."""
        for back, g, (z_r, a_r), out in zip(self.backwards, da_parts, parts, dz_parts):
            back(g, z_r, a_r, out)

    def forward_saving(self, x: torch.Tensor, training: bool = True):
        """The logits (K, B, out), each Linear layer's input (K, in, B), and for each hidden
        layer the activation's (z, a) slices and what its norm's backward needs (or None).
        ``training``: BatchNorm uses (and updates) the batch's statistics. No autograd:
        the hidden layers' values live in reused buffers (:meth:`buffer`), so ``inputs``
        and ``saved`` last until the next pass with the same batch size and ``training``
        (an evaluation, ``training=False`` as in ``net(x)``, leaves them alone); the
        logits are always a new tensor."""
        inputs, saved = [], []
        a, last = x.transpose(1, 2), len(self.weights) - 1  # (K, in, B): features first
        K, B = len(self.activations), x.shape[1]
        for i, (W, b) in enumerate(zip(self.weights, self.biases)):
            inputs.append(a)
            if i == last:
                return torch.bmm(W, a).add_(b.unsqueeze(2)).transpose(1, 2), inputs, saved
            z, z_parts = self.buffer(("z", training), i, (K, W.shape[1], B))
            torch.bmm(W, a, out=z).add_(b.unsqueeze(2))  # W a + b, for each model
            normed = None
            if self.norm != "none":
                y, normed = norm_forward(
                    z,
                    self.gammas[i],
                    self.betas[i],
                    NORM_DIM[self.norm],
                    _at(self.running, i),
                    training,
                )
                z.copy_(y)  # the activation's input: the normalised values
            a, a_parts = self.buffer(("a", training), i, z.shape)
            saved.append((self.act(z_parts, a_parts), normed))

    def backward(self, dz: torch.Tensor, inputs, saved, grads: "BatchedMLP") -> None:
        """Write dLoss/dparameters into ``grads`` (same layout), given dLoss/dlogits ``dz``
        (K, B, out)."""
        dz = dz.transpose(1, 2)  # (K, out, B)
        for i in reversed(range(len(self.weights))):
            torch.bmm(dz, inputs[i].transpose(1, 2), out=grads.weights[i])  # dW = dz a^T
            if self.norm == "batchnorm" and i < len(self.weights) - 1:
                grads.biases[i].zero_()  # no bias before a BatchNorm: it stays 0
            else:
                torch.sum(dz, 2, out=grads.biases[i])
            if i > 0:
                parts, normed = saved[i - 1]
                W = self.weights[i]
                da, da_parts = self.buffer(("da",), i, (W.shape[0], W.shape[2], dz.shape[2]))
                torch.bmm(W.transpose(1, 2), dz, out=da)  # da = W^T dz
                dz, dz_parts = self.buffer(("dz",), i, da.shape)
                self.act_backward(da_parts, parts, dz_parts)
                if normed is not None:
                    dz, dgamma, dbeta = norm_backward(
                        dz, self.gammas[i - 1], normed, NORM_DIM[self.norm]
                    )
                    grads.gammas[i - 1].copy_(dgamma)
                    grads.betas[i - 1].copy_(dbeta)

    @torch.no_grad()
    def __call__(self, x: torch.Tensor) -> torch.Tensor:
        """Outputs (K, B, out) for inputs (K, B, in), model k seeing x[k] (BatchNorm in
        evaluation mode: its running averages)."""
        return self.forward_saving(x, training=False)[0]

    def to_module(self, k: int) -> nn.Sequential:
        """Model ``k`` as an ordinary ``nn.Sequential`` MLP (a copy of its weights and
        running averages; with a norm, in evaluation mode)."""
        model = norm_mlp(self.sizes, self.activations[k], self.norm).to(self.flat.device)
        with torch.no_grad():
            for layer, W, b in zip(linear_layers(model), self.weights, self.biases):
                layer.weight.copy_(W[k])
                if layer.bias is not None:
                    layer.bias.copy_(b[k])
            for i, layer in enumerate(norm_layers(model)):
                layer.weight.copy_(self.gammas[i][k])
                layer.bias.copy_(self.betas[i][k])
                if self.running:
                    layer.running_mean.copy_(self.running[i][0][k])
                    layer.running_var.copy_(self.running[i][1][k])
        return model.eval() if self.norm != "none" else model

    def to_modules(self) -> list[nn.Sequential]:
        """The K models as ordinary ``nn.Sequential`` MLPs (copies of the weights)."""
        return [self.to_module(k) for k in range(len(self.activations))]


def _norm_of(kinds: set, hidden: int) -> str:
    """The norm of models whose norm layers have the type names ``kinds`` (one tuple per
    distinct model), each model with ``hidden`` hidden layers."""
    if len(kinds) != 1:
        raise ValueError(f"all models must have the same norm layers, got {sorted(kinds)}")
    (names,) = kinds
    if not names:
        return "none"
    if len(names) != hidden or len(set(names)) != 1:
        raise ValueError(
            f"a norm after every hidden layer ({hidden}), all of one kind, "
            f"is needed; got {list(names)}"
        )
    return {"BatchNorm1d": "batchnorm", "LayerNorm": "layernorm"}[names[0]]


def _bias(layer: nn.Linear) -> torch.Tensor:
    """The layer's bias, or zeros where it has none (before a BatchNorm)."""
    return (
        layer.bias.detach()
        if layer.bias is not None
        else layer.weight.new_zeros(layer.out_features)
    )


def _at(running: list, i: int):
    return running[i] if running else None
