"""Chapter 2's workload trained three ways in the same run:

- one model at a time (nonlin_course.train_classifier, the readable reference), with
  torch's default threads as a learner's loop runs, and again on one thread;
- all K at once with autograd: the stacked forward, ``loss.backward()`` and torch's
  fused Adam (the batched trainer as it was first written, kept here for comparison);
- all K at once as the package does it (nonlin_course.train_batched): the backward
  pass written out by hand and Adam on one flat tensor, inside ``inference_mode``.

Prints the time per model-step of each, how the package's time grows with the number of
models K, and, as the last line, `speedup: X` (one-by-one time / package's batched time;
the line before it gives the same ratio against the one-thread loop).
Run with `make bench`; set NONLIN_DEVICE=cuda to measure a GPU.
"""

import argparse
import time

import torch
from torch.nn import functional as F

import nonlin_course as nc
from nonlin_course.runtime import one_thread
from nonlin_course.training.batched import BatchedMLP, init_models

ACTS = ["sigmoid", "tanh", "relu", "relu6", "leakyrelu", "elu", "gelu", "silu"]
SIZES = [2, 5, 5, 5, 5, 1]


def workload(k: int):
    """K models: the 8 activations, each with k // 8 seeds (k a multiple of 8), or
    the first k activations with one seed each."""
    if k < len(ACTS):
        return ACTS[:k], [0]
    return ACTS, list(range(k // len(ACTS)))


def timed(train) -> float:
    if nc.device().type == "cuda":
        torch.cuda.synchronize()
    start = time.perf_counter()
    train()
    if nc.device().type == "cuda":
        torch.cuda.synchronize()
    return time.perf_counter() - start


def package(split, k, epochs):
    acts, seeds = workload(k)
    return timed(
        lambda: nc.train_batched(
            SIZES, acts, seeds, split, epochs=epochs, lr=1e-4, optimizer="adam", loss="bce"
        )
    )


def one_by_one(split, k, epochs):
    acts, seeds = workload(k)
    pairs = [(a, s) for a in acts for s in seeds]

    def train():  # builds its models, as the package's trainer does inside its time
        models = init_models(SIZES, [a for a, _ in pairs], [s for _, s in pairs])
        for model, (_, seed) in zip(models, pairs):
            nc.train_classifier(
                model.to(nc.device()),
                split,
                epochs=epochs,
                lr=1e-4,
                optimizer="adam",
                seed=seed,
                loss="bce",
            )

    return timed(train)


def one_by_one_one_thread(split, k, epochs):
    """The same loop with torch on one thread, as the package's trainer runs: for models
    this small a second thread only adds waiting, so this is the loop at its fastest."""
    with one_thread():
        return one_by_one(split, k, epochs)


def stacked_forward(net: BatchedMLP, x: torch.Tensor) -> torch.Tensor:
    """The K models' logits (K, B, 1) for x (K, B, in), in operations autograd can follow:
    a batched product per layer, each run of equal activations applied by its module."""
    a = x
    for i, (W, b) in enumerate(zip(net.weights, net.biases)):
        a = torch.baddbmm(b.unsqueeze(1), a, W.transpose(1, 2))
        if i < len(net.weights) - 1:
            a = torch.cat(
                [
                    nc.activation(name)(part)
                    for (name, _), part in zip(net.runs, a.split(net.splits))
                ]
            )
    return a


def with_autograd(split, k, epochs):
    """The stacked forward with autograd's backward and torch's fused Adam."""
    acts, seeds = workload(k)
    names = [a for a in acts for _ in seeds]
    all_seeds = [s for _ in acts for s in seeds]
    n = len(split.y_train)

    def train():
        stacked = BatchedMLP.from_modules(init_models(SIZES, names, all_seeds), names)
        net = BatchedMLP(stacked.flat.to(nc.device()).requires_grad_(True), SIZES, names)
        try:
            opt = torch.optim.Adam([net.flat], lr=1e-4, fused=True)
        except (RuntimeError, TypeError):  # no fused kernel on this device
            opt = torch.optim.Adam([net.flat], lr=1e-4)
        generators = [torch.Generator().manual_seed(s) for s in all_seeds]
        for _ in range(epochs):
            order = torch.stack([torch.randperm(n, generator=g) for g in generators])
            for idx in order.to(nc.device()).split(32, dim=1):
                logits = stacked_forward(net, split.X_train[idx]).squeeze(-1)
                loss = F.binary_cross_entropy_with_logits(
                    logits, split.y_train[idx].float(), reduction="none"
                ).mean(-1)
                opt.zero_grad()
                loss.sum().backward()
                opt.step()

    return timed(train)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--models", type=int, default=40, help="K for the comparison")
    parser.add_argument("--epochs", type=int, default=10)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    split = nc.train_test(*nc.circles(1000, factor=0.5, noise=0.1, seed=0))
    steps = -(-len(split.y_train) // 32) * args.epochs
    print(f"device: {nc.device()}, torch {torch.__version__}, threads {torch.get_num_threads()}")
    print(
        f"workload: circles, {SIZES}, batch 32, Adam, {args.epochs} epochs = {steps} steps per model"
    )
    package(split, 8, 1)  # warm-up
    print("package's batched trainer, time per model-step as K grows:")
    for k in (1, 8, 40, 160, 320):
        seconds = package(split, k, args.epochs)
        print(
            f"  K = {k:4d}: {seconds / (k * steps) * 1e6:8.1f} us per model-step "
            f"({seconds / steps * 1e3:.2f} ms per step of all K)"
        )
    k = args.models
    # alternate the ways and keep each one's best of `--repeats`: the machine is shared
    ways = {
        "one-by-one": one_by_one,
        "one-by-one, one thread": one_by_one_one_thread,
        "batched, autograd + fused Adam": with_autograd,
        "batched, hand-derived backward (package)": package,
    }
    best = dict.fromkeys(ways, float("inf"))
    for _ in range(args.repeats):
        for name, way in ways.items():
            best[name] = min(best[name], way(split, k, args.epochs) / (k * steps))
    for name, seconds in best.items():
        ratio = best["one-by-one"] / seconds
        print(f"K = {k}, {name:42s} {seconds * 1e6:8.1f} us per model-step  ({ratio:5.1f}x)")
    ours = best["batched, hand-derived backward (package)"]
    print(
        f"speedup over the one-by-one loop on one thread: "
        f"{best['one-by-one, one thread'] / ours:.1f}"
    )
    print(f"speedup: {best['one-by-one'] / ours:.1f}")


if __name__ == "__main__":
    main()
