"""Where tensors live and how randomness is seeded.

One helper picks the device for the whole course, so a chapter runs unchanged on a
laptop, in Colab (CPU or GPU runtime) and on a GPU runner.
"""
import contextlib
import os
import random

import numpy as np
import torch

DEVICE_ENV = "NONLIN_DEVICE"


def device() -> torch.device:
    """Return the device the course computes on.

    CUDA when a GPU is available, else the CPU. Set the environment variable
    ``NONLIN_DEVICE`` (``cpu``, ``cuda`` or ``cuda:N``) to override the choice.

    >>> os.environ["NONLIN_DEVICE"] = "cpu"
    >>> device()
    device(type='cpu')
    >>> del os.environ["NONLIN_DEVICE"]
    """
    wanted = os.environ.get(DEVICE_ENV, "").strip()
    if not wanted:
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    try:
        chosen = torch.device(wanted)
    except RuntimeError:
        raise ValueError(f"{DEVICE_ENV}={wanted!r} is not a device name; "
                         "use 'cpu', 'cuda' or 'cuda:N'") from None
    if chosen.type == "cuda" and not torch.cuda.is_available():
        raise ValueError(f"{DEVICE_ENV}={wanted!r} asks for CUDA, but torch sees no GPU; "
                         "unset it or use 'cpu'")
    if chosen.type not in ("cpu", "cuda"):
        raise ValueError(f"{DEVICE_ENV}={wanted!r}: only 'cpu' and 'cuda' are supported")
    return chosen


def seed_everything(seed: int) -> None:
    """Seed Python's, NumPy's and torch's generators (CPU and CUDA) with ``seed``.

    ``seed`` must be a non-negative integer.

    >>> seed_everything(0); a = torch.rand(2)
    >>> seed_everything(0); torch.equal(a, torch.rand(2))
    True
    """
    seed = check_seed(seed)
    seed = int(seed)  # random.seed refuses NumPy integers
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)  # also seeds every CUDA device


def check_seed(seed, name: str = "seed") -> int:
    """``seed`` as an int if it is a non-negative int below 2**32 (a numpy integer too),
    else raise a TypeError/ValueError (the message calls it ``name``)."""
    if isinstance(seed, torch.Tensor) and seed.ndim == 0 and not seed.is_floating_point() \
            and not seed.is_complex() and seed.dtype != torch.bool:
        seed = seed.item()              # a 0-d integer tensor is one int
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)):
        raise TypeError(f"{name} must be a non-negative int, got {type(seed).__name__}")
    if not 0 <= seed < 2**32:
        raise ValueError(f"{name} must be an int in [0, 2**32), got {seed}")
    return int(seed)


@contextlib.contextmanager
def one_thread():
    """Run torch's CPU operations on one thread inside the ``with`` block.

    Training many tiny models is thousands of small operations; splitting each over
    threads costs more than it saves, and on a busy machine (Colab, a laptop running
    other work, CI) every operation can wait for the other thread's time slice.

    >>> with one_thread():
    ...     torch.get_num_threads()
    1
    """
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        yield
    finally:
        torch.set_num_threads(threads)


@contextlib.contextmanager
def small_kernels():
    """:func:`one_thread`, and torch's own CPU kernels instead of oneDNN's, inside the
    ``with`` block.

    oneDNN sets up each call (about 10 microseconds for a GELU and its backward), which
    is more than the whole work on a tensor of a few hundred numbers; torch's own kernels
    give the same values up to the last bit or two.

    >>> with small_kernels():
    ...     torch.backends.mkldnn.enabled, torch.get_num_threads()
    (False, 1)
    """
    enabled = torch.backends.mkldnn.enabled
    torch.backends.mkldnn.enabled = False
    try:
        with one_thread():
            yield
    finally:
        torch.backends.mkldnn.enabled = enabled
