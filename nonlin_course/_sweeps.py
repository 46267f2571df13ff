"""Sweeps: an argument that is a value or a list, and the grid of every combination.

Shared by the trainers that run many models at once (:func:`nonlin_course.train_batched`,
:func:`nonlin_course.fit_relu_nets`).
"""
import itertools
import numbers

import pandas as pd
import torch


def listed(name: str, value) -> list:
    """``value`` as a non-empty list: one value (a str or a number) becomes ``[value]``, a
    list or other iterable its items.

    >>> listed("lr", 0.1), listed("seeds", range(3)), listed("init", "kaiming")
    ([0.1], [0, 1, 2], ['kaiming'])
    """
    if isinstance(value, torch.Tensor) and value.ndim == 0:
        return [value.item()]          # a 0-d tensor is one number
    if isinstance(value, (str, numbers.Number)):
        return [value]
    try:
        values = list(value)
    except TypeError:
        raise TypeError(f"{name} must be a value or a list of values, got {value!r}") from None
    if not values:
        raise ValueError(f"{name} must not be empty")
    return values


def grid(columns: list[str], values: list, names: list[str] | None = None) -> pd.DataFrame:
    """One row per combination of ``values`` (one value or list per column, see
    :func:`listed`; ``names`` are the arguments' names for its errors), the first column
    outermost and the last innermost.

    >>> grid(["lr", "seed"], [[0.1, 0.2], [0, 1]]).values.tolist()
    [[0.1, 0.0], [0.1, 1.0], [0.2, 0.0], [0.2, 1.0]]
    """
    names = columns if names is None else names
    lists = [listed(name, value) for name, value in zip(names, values)]
    return pd.DataFrame(list(itertools.product(*lists)), columns=columns)
