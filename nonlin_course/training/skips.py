"""Plain and residual networks side by side: the same sizes, seeds and training, with and
without skip connections (chapter 5)."""

from collections.abc import Sequence

import pandas as pd
import torch

from .. import _checks
from ..data import Split
from ..nets.initialisation import SCHEMES, init_deep
from ..nets.residual import residual_mlp
from ..runtime import check_seed, one_thread, seed_everything
from .loop import train_classifier


def compare_skips(
    sizes: Sequence[int],
    split: Split,
    seeds,
    *,
    inits=("default", "kaiming"),
    epochs: int = 5,
    activation_name: str = "relu",
    lr: float = 1e-3,
    probe_rows: int = 512,
) -> pd.DataFrame:
    """Train ``residual_mlp(sizes, activation_name, skip)`` without and with skips, for
    every initialisation of ``inits`` (see :func:`nonlin_course.init_deep`) and seed, with
    :func:`nonlin_course.train_classifier` (AdamW, rate ``lr``, batches of 32).

    Model (init, skip, seed) is drawn after ``seed_everything(seed)`` and trained on the
    batches of ``seed``. Returns one row per model: ``init``, ``skip``, ``seed``,
    ``growth`` (before training: the std of the last hidden layer's pre-activations over
    the first's, on the first ``probe_rows`` training rows) and ``test_acc`` (after the
    last epoch).

    >>> from nonlin_course import digits, train_test
    >>> runs = compare_skips([64, 8, 8, 10], train_test(*digits(), on="cpu"), [0],
    ...                      inits=["kaiming"], epochs=1)
    >>> runs[["init", "skip", "seed"]].values.tolist()
    [['kaiming', False, 0], ['kaiming', True, 0]]
    """
    residual_mlp(sizes, activation_name)  # checks sizes and the activation
    if not isinstance(split, Split):
        raise TypeError(f"split must be a nonlin_course.Split, got {type(split).__name__}")
    seeds, inits = _listed("seeds", seeds), _listed("inits", inits)
    for seed in seeds:
        check_seed(seed, "each of seeds")
    for scheme in inits:
        if not isinstance(scheme, str) or scheme not in SCHEMES:
            raise ValueError(f"each of inits must be one of {list(SCHEMES)}, got {scheme!r}")
    probe = split.X_train[: _checks.positive_int("probe_rows", probe_rows)]
    rows = []
    with one_thread():  # small layers: a second thread only waits
        for init in inits:
            for skip in (False, True):
                for seed in seeds:
                    seed_everything(seed)
                    model = residual_mlp(sizes, activation_name, skip).to(probe.device)
                    init_deep(model, init, activation_name)
                    with torch.no_grad():
                        z = model.pre_activations(probe)
                    history = train_classifier(model, split, epochs=epochs, lr=lr, seed=seed)
                    rows.append(
                        {
                            "init": init,
                            "skip": skip,
                            "seed": seed,
                            "growth": (z[-1].std() / z[0].std()).item(),
                            "test_acc": history.test_acc.iloc[-1],
                        }
                    )
    return pd.DataFrame(rows)


def _listed(name: str, values) -> list:
    """``values`` as a non-empty list, or an error naming ``name``."""
    if isinstance(values, (str, bytes)) or not hasattr(values, "__iter__"):
        raise TypeError(f"{name} must be a list, got {type(values).__name__}")
    values = list(values)
    if not values:
        raise ValueError(f"{name} must hold at least one value, got none")
    return values
