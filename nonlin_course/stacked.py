"""K MLPs of one shape, stored in one flat tensor, with a forward and backward pass by hand.

Layer l of model k has weight ``W_l[k]`` (out, in) and bias ``b_l[k]`` (out,). Every
``W_l`` and ``b_l`` is a view into one flat tensor, so an optimizer updates all K models
with a handful of element-wise operations, however many layers there are.

The backward pass is the chain rule written out (``dz`` is dLoss/dz for a layer's
pre-activation z = a W^T + b)::

    dW = dz^T a      db = sum of dz over the batch      da = dz W      dz_prev = da * f'(z_prev)

and f'(z) is applied with torch's own backward kernel of each activation, so the
gradients are the ones autograd would give, bit for bit, at kinks included.
"""
import math

import torch
from torch import nn

from .activations import activation
from .models import linear_layers, mlp

aten = torch.ops.aten
BETAS, EPS, WEIGHT_DECAY = (0.9, 0.999), 1e-8, 0.01   # torch's defaults for Adam and AdamW
SELU_ALPHA, SELU_SCALE = 1.6732632423543772, 1.0507009873554805

# name -> (dL/dz from dL/da, z and a = f(z)); each is torch's own backward of that module
BACKWARD = {
    "identity": lambda g, z, a: g,
    "relu": lambda g, z, a: aten.threshold_backward(g, a, 0),
    "sigmoid": lambda g, z, a: aten.sigmoid_backward(g, a),
    "tanh": lambda g, z, a: aten.tanh_backward(g, a),
    "relu6": lambda g, z, a: aten.hardtanh_backward(g, z, 0.0, 6.0),
    "leakyrelu": lambda g, z, a: aten.leaky_relu_backward(g, z, 0.01, False),
    "elu": lambda g, z, a: aten.elu_backward(g, 1.0, 1, 1, False, z),
    "gelu": lambda g, z, a: aten.gelu_backward(g, z),
    "silu": lambda g, z, a: aten.silu_backward(g, z),
    "hardtanh": lambda g, z, a: aten.hardtanh_backward(g, z, -1.0, 1.0),
    "selu": lambda g, z, a: aten.elu_backward(g, SELU_ALPHA, SELU_SCALE, 1, False, z),
    "celu": lambda g, z, a: aten.elu_backward(g, 1.0, 1, 1.0, False, z),
    "softplus": lambda g, z, a: aten.softplus_backward(g, z, 1, 20),
    "mish": lambda g, z, a: aten.mish_backward(g, z),
    "hardswish": lambda g, z, a: aten.hardswish_backward(g, z),
    "softsign": lambda g, z, a: g / (1 + z.abs()) ** 2,
}


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

    >>> models = [mlp([2, 3, 1], "relu"), mlp([2, 3, 1], "tanh")]
    >>> net = BatchedMLP.from_modules(models, ["relu", "tanh"])
    >>> x = torch.randn(2, 5, 2)              # (K, batch, in): model k sees x[k]
    >>> net(x).shape
    torch.Size([2, 5, 1])
    >>> torch.allclose(net(x)[1], models[1](x[1]))
    True
    """

    def __init__(self, flat: torch.Tensor, sizes: list[int], activations: list[str]):
        self.flat, self.sizes, self.activations = flat, list(sizes), list(activations)
        self.transposed, self.biases = views(flat, self.sizes, len(self.activations))
        self.weights = [Wt.transpose(1, 2) for Wt in self.transposed]   # (K, out, in)
        self.runs = _runs([a.lower() for a in self.activations])
        self.splits = [count for _, count in self.runs]
        self.forwards = [activation(name).forward for name, _ in self.runs]  # no hooks: faster
        self.backwards = [BACKWARD[name] for name, _ in self.runs]

    @classmethod
    def from_modules(cls, models: list[nn.Module], activations: list[str]) -> "BatchedMLP":
        """Stack K ``mlp`` models of the same shape (their current weights are copied)."""
        if not models or len(models) != len(activations):
            raise ValueError(f"need one activation name per model, got {len(models)} models "
                             f"and {len(activations)} names")
        per_model = [linear_layers(m) for m in models]
        shapes = {tuple(layer.weight.shape for layer in layers) for layers in per_model}
        if len(shapes) != 1:
            raise ValueError(f"all models must have the same layer shapes, got {sorted(shapes)}")
        first = per_model[0]
        sizes = [first[0].in_features] + [layer.out_features for layer in first]
        parts = []
        for i in range(len(first)):
            parts.append(torch.stack([layers[i].weight.detach().T for layers in per_model]).flatten())
            parts.append(torch.stack([layers[i].bias.detach() for layers in per_model]).flatten())
        return cls(torch.cat(parts), sizes, activations)

    def to(self, device) -> "BatchedMLP":
        return BatchedMLP(self.flat.to(device), self.sizes, self.activations)

    def clone(self) -> "BatchedMLP":
        return BatchedMLP(self.flat.clone(), self.sizes, self.activations)

    def act(self, z: torch.Tensor) -> tuple[torch.Tensor, list]:
        """Each model's activation applied to its slice of z (K, B, width); also the
        (z, a) slices of each run of equal activations, which the backward pass needs."""
        if len(self.runs) == 1:
            a = self.forwards[0](z)
            return a, [(z, a)]
        parts = [(z_r, f(z_r)) for f, z_r in zip(self.forwards, z.split(self.splits))]
        return torch.cat([a_r for _, a_r in parts]), parts

    def act_backward(self, da: torch.Tensor, parts: list) -> torch.Tensor:
        """dL/dz from dL/da, run by run: da * f'(z)."""
        if len(self.runs) == 1:
            return self.backwards[0](da, *parts[0])
        pieces = zip(self.backwards, da.split(self.splits), parts)
        return torch.cat([back(g, z_r, a_r) for back, g, (z_r, a_r) in pieces])

    def forward_saving(self, x: torch.Tensor):
        """The logits (K, B, out), each Linear layer's input, and each activation's
        (z, a) slices."""
        inputs, saved = [], []
        a, last = x, len(self.weights) - 1
        for i, (Wt, b) in enumerate(zip(self.transposed, self.biases)):
            inputs.append(a)
            a = torch.bmm(a, Wt).add_(b.unsqueeze(1))     # a W^T + b, for each model
            if i < last:
                a, parts = self.act(a)
                saved.append(parts)
        return a, inputs, saved

    def backward(self, dz: torch.Tensor, inputs, saved, grads: "BatchedMLP") -> None:
        """Write dLoss/dparameters into ``grads`` (same layout), given dLoss/dlogits ``dz``."""
        for i in reversed(range(len(self.weights))):
            torch.bmm(inputs[i].transpose(1, 2), dz, out=grads.transposed[i])   # dW^T = a^T dz
            torch.sum(dz, 1, out=grads.biases[i])
            if i > 0:
                dz = self.act_backward(torch.bmm(dz, self.weights[i]), saved[i - 1])

    @torch.no_grad()
    def __call__(self, x: torch.Tensor) -> torch.Tensor:
        """Outputs (K, B, out) for inputs (K, B, in), model k seeing x[k]."""
        return self.forward_saving(x)[0]

    def to_module(self, k: int) -> nn.Sequential:
        """Model ``k`` as an ordinary ``nn.Sequential`` MLP (a copy of its weights)."""
        model = mlp(self.sizes, self.activations[k]).to(self.flat.device)
        with torch.no_grad():
            for layer, W, b in zip(linear_layers(model), self.weights, self.biases):
                layer.weight.copy_(W[k])
                layer.bias.copy_(b[k])
        return model

    def to_modules(self) -> list[nn.Sequential]:
        """The K models as ordinary ``nn.Sequential`` MLPs (copies of the weights)."""
        return [self.to_module(k) for k in range(len(self.activations))]


def views(flat: torch.Tensor, sizes: list[int], K: int):
    """Views into ``flat``, layer after layer: each weight stored transposed, (K, in, out)
    (a batched matrix multiply is fastest that way round), then its bias (K, out)."""
    transposed, biases, start = [], [], 0
    for n_in, n_out in zip(sizes[:-1], sizes[1:]):
        transposed.append(flat[start:start + K * n_in * n_out].view(K, n_in, n_out))
        start += K * n_in * n_out
        biases.append(flat[start:start + K * n_out].view(K, n_out))
        start += K * n_out
    if start != flat.numel():
        raise ValueError(f"flat has {flat.numel()} numbers; sizes {sizes} for {K} models "
                         f"need {start}")
    return transposed, biases


class FlatOptimizer:
    """Adam, AdamW or SGD (with momentum) on ``net.flat``, one learning rate per model,
    following torch.optim's update formulas (and defaults) step for step.

    Write the gradients into ``self.grad`` (a BatchedMLP of the same layout), then call
    the optimizer to take one step.
    """

    def __init__(self, net: BatchedMLP, name: str, lrs: torch.Tensor, momentum: float):
        self.name, self.momentum, self.t = name, momentum, 0
        self.p = net.flat
        self.grad = BatchedMLP(torch.zeros_like(net.flat), net.sizes, net.activations)
        self.lr = _per_parameter(self.grad, lrs.to(net.flat.device))
        self.m, self.v = torch.zeros_like(self.p), torch.zeros_like(self.p)

    def __call__(self) -> None:
        g, self.t = self.grad.flat, self.t + 1
        if self.name == "sgd":
            if self.momentum:
                g = self.m.mul_(self.momentum).add_(g) if self.t > 1 else self.m.copy_(g)
            self.p.sub_(g * self.lr)
            return
        if self.name == "adamw":
            self.p.mul_(1 - self.lr * WEIGHT_DECAY)
        (b1, b2) = BETAS
        self.m.lerp_(g, 1 - b1)
        self.v.mul_(b2).addcmul_(g, g, value=1 - b2)
        denom = (self.v.sqrt() / math.sqrt(1 - b2 ** self.t)).add_(EPS)
        self.p.addcmul_(self.m / denom, self.lr, value=-1 / (1 - b1 ** self.t))


def _per_parameter(layout: BatchedMLP, values: torch.Tensor) -> torch.Tensor:
    """A flat tensor like ``layout.flat`` holding ``values[k]`` at every number of model k."""
    out = torch.empty_like(layout.flat)
    for Wt, b in zip(*views(out, layout.sizes, len(layout.activations))):
        Wt.copy_(values.view(-1, 1, 1).expand_as(Wt))
        b.copy_(values.view(-1, 1).expand_as(b))
    return out
