"""Train K small MLPs of the same shape at once.

The K models' weights are stacked along a leading dimension, so one batched matrix
multiply (``torch.baddbmm``) runs a layer of all K models, and one optimizer step
updates them all. Each model keeps its own activation, its own initial weights and its
own shuffled batches. Adam, AdamW and SGD act element by element, so the K models stay
exactly as independent as K separate runs of :func:`nonlin_course.train_classifier`
(the tests check this to 1e-5 after many steps).
"""
from dataclasses import dataclass

import pandas as pd
import torch
from torch import nn

from . import _checks
from .activations import activation
from .data import Split
from .models import linear_layers, mlp
from .runtime import check_seed, seed_everything
from .train import make_optimizer, mean_loss, predicted_class


class BatchedMLP(nn.Module):
    """K MLPs with stacked parameters: weight l has shape (K, out, in), bias (K, out).

    ``activations`` names the hidden activation of each model. Models that share an
    activation should be next to each other: each run of equal names is one call.
    """

    def __init__(self, weights: list[torch.Tensor], biases: list[torch.Tensor],
                 activations: list[str]):
        super().__init__()
        self.weights = nn.ParameterList(weights)
        self.biases = nn.ParameterList(biases)
        self.activations = list(activations)
        # runs of equal names: one split into runs, one activation call per run, one cat
        self.run_sizes, self.run_acts, start = [], [], 0
        for end in range(1, len(activations) + 1):
            if end == len(activations) or activations[end] != activations[start]:
                self.run_sizes.append(end - start)
                self.run_acts.append(activation(activations[start]))
                start = end

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
        stack = lambda name, i: torch.stack([getattr(ls[i], name).detach() for ls in per_model])
        n_layers = len(per_model[0])
        return cls([stack("weight", i).clone() for i in range(n_layers)],
                   [stack("bias", i).clone() for i in range(n_layers)], activations)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Outputs (K, B, out) for inputs (K, B, in), model k seeing x[k]."""
        last = len(self.weights) - 1
        for i, (W, b) in enumerate(zip(self.weights, self.biases)):
            x = torch.baddbmm(b.unsqueeze(1), x, W.transpose(1, 2))
            if i < last:
                parts = x.split(self.run_sizes)
                x = torch.cat([act(part) for act, part in zip(self.run_acts, parts)])
        return x

    def to_modules(self) -> list[nn.Sequential]:
        """The K models as ordinary ``nn.Sequential`` MLPs (copies of the weights)."""
        sizes = [self.weights[0].shape[2]] + [W.shape[1] for W in self.weights]
        models = []
        for k, name in enumerate(self.activations):
            model = mlp(sizes, name).to(self.weights[0].device)
            with torch.no_grad():
                for layer, W, b in zip(linear_layers(model), self.weights, self.biases):
                    layer.weight.copy_(W[k])
                    layer.bias.copy_(b[k])
            models.append(model)
        return models


@dataclass(frozen=True)
class BatchedRun:
    """What :func:`train_batched` returns.

    ``history``: one row per model and epoch (model, activation, seed, epoch, train_loss,
    test_loss, test_acc). ``grads``: one row per model, epoch and Linear layer (model,
    activation, seed, epoch, layer counted from 1, value = mean absolute gradient of
    the layer's weights, averaged over the epoch's steps). ``net``: the trained models.
    """

    net: BatchedMLP
    history: pd.DataFrame
    grads: pd.DataFrame


def init_models(sizes: list[int], activations: list[str], seeds: list[int]) -> list[nn.Module]:
    """K fresh ``mlp(sizes, activations[k])`` models, model k initialised from ``seeds[k]``.

    Exactly the models a one-by-one loop would build after ``seed_everything(seed)``.
    """
    if len(activations) != len(seeds):
        raise ValueError(f"need one seed per model: {len(activations)} activations, "
                         f"{len(seeds)} seeds")
    models = []
    for name, seed in zip(activations, seeds):
        seed_everything(seed)
        models.append(mlp(sizes, name))
    return models


def _tidy(values: list[torch.Tensor], key: pd.DataFrame) -> pd.Series:
    """Stack per-epoch (K,) tensors into one column aligned with ``key`` (epoch-major)."""
    return pd.Series(torch.stack(values).flatten().cpu().numpy(), index=key.index)


def train_batched(models: list[nn.Module], activations: list[str], seeds: list[int],
                  split: Split, *, epochs: int, batch_size: int = 32, lr: float = 1e-3,
                  optimizer: str = "adam", loss: str = "ce", progress: bool = False) -> BatchedRun:
    """Train K models at once; model k starts from ``models[k]`` and shuffles with ``seeds[k]``.

    Same schedule as :func:`nonlin_course.train_classifier` for each model (one shuffled
    pass per epoch in batches of ``batch_size``), so the results match K one-by-one runs.
    """
    _checks.positive_int("epochs", epochs)
    _checks.positive_int("batch_size", batch_size)
    if not len(models) == len(activations) == len(seeds):
        raise ValueError(f"models, activations and seeds must have one entry per model; got "
                         f"{len(models)}, {len(activations)} and {len(seeds)}")
    for seed in seeds:
        check_seed(seed)
    if not isinstance(split, Split):
        raise TypeError(f"split must be a nonlin_course.Split, got {type(split).__name__}")
    on = split.X_train.device
    net = BatchedMLP.from_modules(models, activations).to(on)
    opt = make_optimizer(optimizer, net.parameters(), lr, fused=True)
    generators = [torch.Generator().manual_seed(seed) for seed in seeds]
    K, n = len(seeds), len(split.y_train)
    losses, accs, test_losses, grads = [], [], [], []
    epochs_iter = range(1, epochs + 1)
    if progress:
        from tqdm import tqdm  # the text bar: it needs no widgets, in Colab or a terminal
        epochs_iter = tqdm(epochs_iter, desc=f"training {K} models", unit="epoch")
    for _ in epochs_iter:
        order = torch.stack([torch.randperm(n, generator=g) for g in generators]).to(on)
        loss_sum = torch.zeros(K, device=on)
        grad_sum = torch.zeros(len(net.weights), K, device=on)
        steps = 0
        for idx in order.split(batch_size, dim=1):
            per_model = mean_loss(net(split.X_train[idx]), split.y_train[idx], loss)
            opt.zero_grad()
            per_model.sum().backward()  # model k's loss only reaches model k's weights
            opt.step()
            loss_sum += per_model.detach()
            grad_sum += torch.stack([W.grad.abs().mean((1, 2)) for W in net.weights])
            steps += 1
        test_loss, test_acc = _evaluate(net, split, loss)
        losses.append(loss_sum / steps)
        test_losses.append(test_loss)
        accs.append(test_acc)
        grads.append(grad_sum / steps)
    return BatchedRun(net, *_frames(activations, seeds, losses, test_losses, accs, grads))


@torch.no_grad()
def _evaluate(net: BatchedMLP, split: Split, loss: str):
    K = len(net.activations)
    logits = net(split.X_test.expand(K, -1, -1))
    y = split.y_test.expand(K, -1)
    return mean_loss(logits, y, loss), (predicted_class(logits, loss) == y).float().mean(1)


def _frames(activations, seeds, losses, test_losses, accs, grads):
    K, epochs, L = len(seeds), len(losses), grads[0].shape[0]
    key = pd.DataFrame({"epoch": [e + 1 for e in range(epochs) for _ in range(K)],
                        "model": list(range(K)) * epochs,
                        "activation": list(activations) * epochs,
                        "seed": list(seeds) * epochs})
    history = key.assign(train_loss=_tidy(losses, key), test_loss=_tidy(test_losses, key),
                         test_acc=_tidy(accs, key))
    per_layer = torch.stack(grads)  # (epochs, L, K)
    grad_frames = [key.assign(layer=layer + 1, value=per_layer[:, layer, :].flatten().cpu().numpy())
                   for layer in range(L)]
    return history, pd.concat(grad_frames, ignore_index=True)
