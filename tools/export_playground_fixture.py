"""Export the reference runs the playground's engine is tested against (`make test-js`).

Usage: python tools/export_playground_fixture.py OUT.json

For each case (every activation the engine offers, with Adam; plus AdamW, SGD with
momentum, binary cross-entropy, the largest net the engine allows, and nets with a
BatchNorm or LayerNorm after every hidden Linear layer, ``nc.init_models(...,
norm=...)``, chapter 5's kind) this builds an ``nc.mlp`` in float64, trains it with ``nc.train_classifier`` on a small moons split and
records, for every optimizer step, the batch of training indices and the mean loss the
trainer computed on it (read from the model's own output by a forward hook). The JSON
holds each case's data, initial weights, batch order and losses, its final weights, and
for the norm nets the final scales, shifts and BatchNorm's running averages, and the
loss of the trained net in evaluation mode (running averages) on the training set; the
node test
(book/_static/playground/test/engine.test.mjs) replays them with the engine.
"""
import json
import math
import sys

import torch

import nonlin_course as nc
from nonlin_course.training.loop import batches, mean_loss

NORMS = ["batchnorm", "layernorm"]
ACTIVATIONS = ["identity", "sigmoid", "tanh", "relu", "leakyrelu", "elu", "selu", "gelu", "silu"]
STEPS, BATCH, N_TRAIN = 200, 32, 256          # 8 batches an epoch, 25 epochs


def cases() -> list[dict]:
    """The runs to export: name, sizes, activation, optimizer, lr, momentum, loss (and a
    norm for the normalised nets)."""
    plain = [{"name": f"adam-{a}", "sizes": [2, 8, 8, 2], "act": a, "optimizer": "adam", "lr": 1e-2,
                  "momentum": 0.0, "loss": "ce"} for a in ACTIVATIONS]
    return plain + [
        {"name": "adamw-relu-chapter1", "sizes": [2, 10, 2], "act": "relu", "optimizer": "adamw",
             "lr": 1e-3, "momentum": 0.0, "loss": "ce"},
        {"name": "sgd-momentum-tanh", "sizes": [2, 8, 2], "act": "tanh", "optimizer": "sgd", "lr": 0.1,
             "momentum": 0.9, "loss": "ce"},
        {"name": "adam-bce-sigmoid-chapter2", "sizes": [2, 5, 5, 5, 5, 1], "act": "sigmoid",
             "optimizer": "adam", "lr": 1e-2, "momentum": 0.0, "loss": "bce"},
        {"name": "adam-gelu-8x16", "sizes": [2] + [16] * 8 + [2], "act": "gelu", "optimizer": "adam",
             "lr": 3e-3, "momentum": 0.0, "loss": "ce"},
        {"name": "adamw-relu-12x32", "sizes": [2] + [32] * 12 + [2], "act": "relu",
             "optimizer": "adamw", "lr": 1e-3, "momentum": 0.0, "loss": "ce"},
    ] + [{"name": f"adamw-{act}-{norm}", "sizes": [2, 8, 8, 8, 2], "act": act, "optimizer": "adamw",
              "lr": 1e-2, "momentum": 0.0, "loss": "ce", "norm": norm}
         for norm in NORMS for act in ("sigmoid", "tanh", "relu")] + [
        {"name": "sgd-tanh-batchnorm", "sizes": [2, 8, 8, 2], "act": "tanh", "optimizer": "sgd", "lr": 0.1,
             "momentum": 0.9, "loss": "ce", "norm": "batchnorm"},
    ]


def build(case: dict, seed: int) -> torch.nn.Module:
    """The case's float64 model from ``seed``: ``nc.mlp``, or with a norm
    ``nc.init_models`` (the same Linear layers, a norm after each hidden one)."""
    if "norm" in case:
        return nc.init_models(case["sizes"], [case["act"]], [seed], norm=case["norm"])[0].double()
    torch.manual_seed(seed)
    return nc.mlp(case["sizes"], case["act"]).double()


def norms(model: torch.nn.Module) -> list[torch.nn.Module]:
    return [m for m in model if isinstance(m, (torch.nn.BatchNorm1d, torch.nn.LayerNorm))]


def run(case: dict, split: nc.Split, seed: int, steps: int = STEPS) -> dict:
    """Train one case with nc.train_classifier for ``steps`` (a multiple of the batches in
    an epoch) and return what the engine needs."""
    model = build(case, seed)
    layers = [m for m in model if isinstance(m, torch.nn.Linear)]
    weights = [layer.weight.tolist() for layer in layers]
    biases = [None if layer.bias is None else layer.bias.tolist() for layer in layers]
    seen = []
    hook = model.register_forward_hook(
        lambda module, inputs, output: seen.append((inputs[0].detach().clone(),
                                                    output.detach().clone()))
        if module.training else None)
    epochs = steps * BATCH // len(split.y_train)
    history = nc.train_classifier(model, split, epochs=epochs, batch_size=BATCH, lr=case["lr"],
                                  optimizer=case["optimizer"], momentum=case["momentum"],
                                  seed=seed, loss=case["loss"])
    hook.remove()
    generator = torch.Generator().manual_seed(seed)          # the trainer's batch order
    order = [idx for _ in range(epochs) for idx in batches(len(split.y_train), BATCH, generator, "cpu")]
    assert len(order) == len(seen) == steps, (len(order), len(seen))
    losses = []
    for idx, (x, logits) in zip(order, seen):
        assert torch.equal(x, split.X_train[idx]), "batch order differs from the trainer's"
        losses.append(mean_loss(logits, split.y_train[idx], case["loss"]).item())
    per_epoch = torch.tensor(losses, dtype=torch.float64).view(epochs, -1).mean(1)
    reported = torch.tensor(history.train_loss.tolist(), dtype=torch.float64)
    assert torch.allclose(per_epoch, reported, rtol=1e-6, atol=0), \
        "the recorded step losses do not average to the trainer's epoch losses"
    final = [layer.weight.detach().flatten().tolist() for layer in layers]
    out = {**case, "weights": weights, "biases": biases,
           "order": [idx.tolist() for idx in order], "losses": losses, "final_weights": final}
    if "norm" in case:
        found = norms(model)
        out["final_gamma"] = [m.weight.tolist() for m in found]
        out["final_beta"] = [m.bias.tolist() for m in found]
        if case["norm"] == "batchnorm":
            out["running_mean"] = [m.running_mean.tolist() for m in found]
            out["running_var"] = [m.running_var.tolist() for m in found]
        model.eval()
        with torch.no_grad():
            out["eval_loss"] = mean_loss(model(split.X_train), split.y_train, case["loss"]).item()
    return out


def moons_split(n_train: int = N_TRAIN) -> nc.Split:
    """A float64 moons split with ``n_train`` training points (and a quarter as many to test)."""
    X, y = nc.moons(n_samples=n_train * 5 // 4, noise=0.2, seed=10)
    return nc.train_test(X.double(), y, test_size=0.2, seed=0, on="cpu")


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) != 1:
        sys.exit("usage: python tools/export_playground_fixture.py OUT.json")
    split = moons_split()
    assert len(split.y_train) == N_TRAIN
    out = {"X": split.X_train.flatten().tolist(), "y": split.y_train.tolist(),
           "cases": [run(case, split, seed) for seed, case in enumerate(cases())],
           "erf": [[x / 100, math.erf(x / 100)] for x in range(-700, 701, 7)]}
    with open(argv[0], "w") as f:
        json.dump(out, f)
    print(f"wrote {len(out['cases'])} runs of {STEPS} steps to {argv[0]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
