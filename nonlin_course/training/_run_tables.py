"""The tidy tables of a batched run (:func:`nonlin_course.train_batched`): what the
training loop records as tensors, one row per model and epoch (or step) and layer."""

import pandas as pd
import torch

from ._flat_layout import views
from ._stacked import BatchedMLP


def update_ratios(net: BatchedMLP, before: torch.Tensor) -> torch.Tensor:
    """log10(std(change) / std(weight before the step)) per Linear layer and model, (L, K)."""
    old = views(before, net.sizes, len(net.activations), net.norm)[0]
    return torch.stack(
        [
            torch.log10((new - prev).std((1, 2)) / prev.std((1, 2)))
            for new, prev in zip(net.weights, old)
        ]
    )


def update_frame(table: pd.DataFrame, updates: list) -> pd.DataFrame:
    """One row per model, step and layer (columns of ``table``, step, layer, value)."""
    ratios = torch.stack(updates).cpu()  # (steps, L, K)
    steps, L, K = ratios.shape
    key = table.rename_axis("model").reset_index()
    index = pd.MultiIndex.from_product(
        [range(1, steps + 1), range(1, L + 1), range(K)], names=["step", "layer", "model"]
    )
    frame = pd.DataFrame({"value": ratios.flatten().numpy()}, index=index).reset_index()
    return frame.merge(key, on="model")[list(key.columns) + ["step", "layer", "value"]]


def run_frames(table, losses, test_losses, accs, grads):
    K, epochs, L = len(table), len(losses), grads[0].shape[0]
    key = pd.concat([table.rename_axis("model").reset_index()] * epochs, ignore_index=True)
    key.insert(0, "epoch", [e + 1 for e in range(epochs) for _ in range(K)])
    column = lambda values: torch.stack(values).flatten().cpu().numpy()
    history = key.assign(
        train_loss=column(losses), test_loss=column(test_losses), test_acc=column(accs)
    )
    per_layer = torch.stack(grads)  # (epochs, L, K)
    grad_frames = [
        key.assign(layer=layer + 1, value=per_layer[:, layer, :].flatten().cpu().numpy())
        for layer in range(L)
    ]
    return history, pd.concat(grad_frames, ignore_index=True)
