"""Chapter 2's workload trained two ways in the same run: one model at a time
(nonlin_course.train_classifier) and all at once (nonlin_course.train_batched).

Prints the time per model-step of each, how the batched time grows with the number of
models K, and, as the last line, `speedup: X` (one-by-one time / batched time).
Run with `make bench`; set NONLIN_DEVICE=cuda to measure a GPU.
"""
import argparse
import time

import torch

import nonlin_course as nc

ACTS = ["sigmoid", "tanh", "relu", "relu6", "leakyrelu", "elu", "gelu", "silu"]
SIZES = [2, 5, 5, 5, 5, 1]


def workload(k: int):
    """K models: the 8 activations cycled, each with its own seed."""
    acts = sorted((ACTS * (k // len(ACTS) + 1))[:k], key=ACTS.index)
    return acts, list(range(k))


def sync():
    if nc.device().type == "cuda":
        torch.cuda.synchronize()


def time_batched(split, k, epochs):
    acts, seeds = workload(k)
    models = nc.init_models(SIZES, acts, seeds)
    sync()
    start = time.perf_counter()
    nc.train_batched(models, acts, seeds, split, epochs=epochs, lr=1e-4, optimizer="adam",
                     loss="bce")
    sync()
    return time.perf_counter() - start


def time_one_by_one(split, k, epochs):
    acts, seeds = workload(k)
    models = [m.to(nc.device()) for m in nc.init_models(SIZES, acts, seeds)]
    sync()
    start = time.perf_counter()
    for model, seed in zip(models, seeds):
        nc.train_classifier(model, split, epochs=epochs, lr=1e-4, optimizer="adam", seed=seed,
                            loss="bce")
    sync()
    return time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--models", type=int, default=40, help="K for the comparison")
    parser.add_argument("--epochs", type=int, default=10)
    parser.add_argument("--repeats", type=int, default=2)
    args = parser.parse_args()
    split = nc.train_test(*nc.circles(1000, factor=0.5, noise=0.1, seed=0))
    steps = -(-len(split.y_train) // 32) * args.epochs
    print(f"device: {nc.device()}, torch {torch.__version__}, threads {torch.get_num_threads()}")
    print(f"workload: circles, {SIZES}, batch 32, Adam, {args.epochs} epochs = {steps} steps per model")
    time_batched(split, 8, 1)  # warm-up
    print("batched time per model-step as K grows:")
    for k in (1, 8, 40, 160):
        seconds = time_batched(split, k, args.epochs)
        print(f"  K = {k:4d}: {seconds / (k * steps) * 1e6:8.1f} us per model-step "
              f"({seconds / steps * 1e3:.2f} ms per step of all K)")
    k = args.models
    # alternate the two ways and keep each one's best of `--repeats`: the machine is shared
    batched, one = float("inf"), float("inf")
    for _ in range(args.repeats):
        batched = min(batched, time_batched(split, k, args.epochs) / (k * steps))
        one = min(one, time_one_by_one(split, k, args.epochs) / (k * steps))
    print(f"one-by-one, K = {k}: {one * 1e6:8.1f} us per model-step")
    print(f"batched,    K = {k}: {batched * 1e6:8.1f} us per model-step")
    print(f"speedup: {one / batched:.1f}")


if __name__ == "__main__":
    main()
