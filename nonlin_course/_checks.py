"""Argument checks shared by the package: clear messages instead of deep torch errors.

Numbers: a Python int or float, a numpy scalar, or a 0-d real tensor (``torch.tensor(0.5)``)
is accepted where a number is, and comes back as a plain int or float; bool never counts
as a number.
"""
import math

import numpy as np
import pandas as pd
import torch
from torch import nn

from .runtime import device as default_device

MAX_VALUES = 2**25   # numbers one intermediate tensor may hold (256 MiB of float64)


def _scalar(value):
    """``value`` as a Python int or float if it is a real number (not bool), else None."""
    if isinstance(value, torch.Tensor) and value.ndim == 0 and not value.is_complex() \
            and value.dtype != torch.bool:
        return value.item()
    if isinstance(value, (bool, np.bool_)) or not isinstance(
            value, (int, float, np.integer, np.floating)):
        return None
    return int(value) if isinstance(value, (int, np.integer)) else float(value)


def integer(name: str, value) -> int:
    """``value`` as an int if it is an integer (a numpy integer or a 0-d integer tensor
    too), else raise a TypeError."""
    number = _scalar(value)
    if not isinstance(number, int):
        raise TypeError(f"{name} must be an int, got {type(value).__name__} {value!r}")
    return number


def positive_int(name: str, value) -> int:
    """Return ``value`` as an int if it is an int >= 1, else raise TypeError/ValueError."""
    number = _scalar(value)
    if not isinstance(number, int):
        raise TypeError(f"{name} must be a positive int, got {type(value).__name__}")
    if number < 1:
        raise ValueError(f"{name} must be a positive int (>= 1), got {number}")
    return number


def number(name: str, value, want: str = "a number") -> float:
    """``value`` as a float if it is a real number, else raise a TypeError saying that
    ``name`` must be ``want``."""
    real = _scalar(value)
    if real is None:
        raise TypeError(f"{name} must be {want}, got {type(value).__name__}")
    return float(real)


def positive_number(name: str, value) -> float:
    """Return ``value`` as a float if it is a finite number > 0, else raise."""
    if _scalar(value) is None:
        raise TypeError(f"{name} must be a positive number, got {type(value).__name__}")
    value = number(name, value)
    if not (math.isfinite(value) and value > 0):
        raise ValueError(f"{name} must be a positive finite number, got {value!r}")
    return value


def finite_number(name: str, value) -> float:
    """Return ``value`` as a float if it is a finite number, else raise."""
    value = number(name, value)
    if not math.isfinite(value):
        raise ValueError(f"{name} must be a finite number, got {value!r}")
    return value


def text(name: str, value) -> str:
    """Return ``value`` if it is a str (a figure's title, for example), else raise."""
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a str, got {type(value).__name__}")
    return value


def flag(name: str, value) -> bool:
    """Return ``value`` if it is True or False, else raise."""
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be True or False, got {value!r}")
    return bool(value)


def fraction(name: str, value, *, low: float = 0.0, high: float = 1.0) -> float:
    """Return ``value`` as a float if ``low < value < high``, else raise."""
    value = number(name, value)
    if not low < value < high:
        raise ValueError(f"{name} must lie strictly between {low} and {high}, got {value}")
    return value


def tensor_2d(name: str, x, columns: int | None = None) -> torch.Tensor:
    """Return ``x`` if it is a real 2-D tensor (with ``columns`` columns when given),
    detached from any autograd graph."""
    if not isinstance(x, torch.Tensor):
        raise TypeError(f"{name} must be a torch.Tensor, got {type(x).__name__}")
    if x.is_complex():
        raise TypeError(f"{name} must hold real numbers, got {x.dtype}")
    if x.ndim != 2 or (columns is not None and x.shape[1] != columns):
        want = f"(n, {columns})" if columns is not None else "(n, d)"
        raise ValueError(f"{name} must have shape {want}, got {tuple(x.shape)}")
    return x.detach()


def finite(name: str, x: torch.Tensor) -> torch.Tensor:
    """Return the tensor ``x`` if every entry is finite (no NaN or inf), else raise; a
    tensor on the meta device (no values) passes."""
    if x.is_floating_point() and x.device.type != "meta" and not bool(torch.isfinite(x).all()):
        bad = int((~torch.isfinite(x)).sum())
        raise ValueError(f"{name} must hold finite numbers; {bad} of its {x.numel()} "
                         f"entries are NaN or inf")
    return x


def not_empty(name: str, x: torch.Tensor) -> torch.Tensor:
    """Return the tensor ``x`` if it has at least one row, else raise."""
    if len(x) == 0:
        raise ValueError(f"{name} is empty (0 rows); give at least one")
    return x


def labels(name: str, y, n: int, rows_of: str = "X") -> torch.Tensor:
    """Return ``y`` as int64 if it is a 1-D integer (or bool) tensor of length ``n`` (the
    rows of ``rows_of``), detached."""
    if not isinstance(y, torch.Tensor):
        raise TypeError(f"{name} must be a torch.Tensor, got {type(y).__name__}")
    if y.ndim != 1 or y.shape[0] != n or y.is_floating_point() or y.is_complex():
        raise ValueError(f"{name} must be an integer tensor of shape ({n},), one label per "
                         f"row of {rows_of}; got {y.dtype} with shape {tuple(y.shape)}")
    y = y.detach().long()
    if len(y) and y.device.type != "meta" and int(y.min()) < 0:
        raise ValueError(f"{name} must hold class labels 0, 1, ...; got {int(y.min())}")
    return y


def classes(name: str, y: torch.Tensor, outputs: int, loss: str = "ce") -> torch.Tensor:
    """Check the labels ``y`` (int64, as from :func:`labels`) against a model with
    ``outputs`` logits under ``loss``: "ce" needs labels 0..outputs-1 and at least 2
    outputs, "bce" one output and labels 0 and 1."""
    top = int(y.max()) if len(y) else 0
    if len(y) and int(y.min()) < 0:
        raise ValueError(f"{name} must hold class labels 0, 1, ...; got {int(y.min())}")
    if loss == "bce":
        if outputs != 1:
            raise ValueError(f"loss='bce' needs a model with one output (one logit), this one "
                             f"has {outputs}; use loss='ce' or sizes ending in 1")
        if top > 1:
            raise ValueError(f"{name} must hold 0 and 1 for loss='bce', got label {top}")
    else:
        if outputs < 2:
            raise ValueError(f"loss='ce' needs a model with one output per class (at least 2), "
                             f"this one has {outputs}; use loss='bce' for one logit")
        if top >= outputs:
            raise ValueError(f"{name} holds label {top}, but the model has {outputs} outputs "
                             f"(classes 0 to {outputs - 1})")
    return y


LOSSES = ("ce", "bce")


def loss(value) -> str:
    """Return ``value`` if it names one of the losses ``LOSSES``, else raise."""
    if not isinstance(value, str) or value not in LOSSES:
        raise ValueError(f"unknown loss {value!r}; choose 'ce' (cross-entropy on C logits) "
                         "or 'bce' (binary cross-entropy on one logit)")
    return value


def layers(model, allowed: tuple[type, ...] | None = None, purpose: str = "") -> nn.Sequential:
    """The layers of ``model``, an ``nn.Sequential`` (nested ones flattened, in the order
    they run), as one flat ``nn.Sequential`` sharing its modules; ``allowed`` (types)
    limits which layers may appear, ``purpose`` says why in the message.

    Raise unless the model's output is exactly its layers applied in turn: no container
    other than nn.Sequential, no layer whose ``forward`` is not torch's own, no hooks.
    """
    if not isinstance(model, nn.Module):
        raise TypeError(f"model must be an nn.Module, got {type(model).__name__}")
    if not isinstance(model, nn.Sequential):
        raise TypeError(f"model must be an nn.Sequential (as mlp builds), got "
                        f"{type(model).__name__}: its forward cannot be read layer by layer")
    flat: list[nn.Module] = []

    def walk(module: nn.Module, path: str) -> None:
        own = "forward" in vars(module) or not type(module).forward.__module__.startswith(
            "torch.nn") or module._forward_hooks or module._forward_pre_hooks
        where = f"model's layer {path}" if path else "model"
        if own:
            raise TypeError(f"{where} ({type(module).__name__}) has its own "
                            "forward or hooks: only nn.Sequential stacks of torch layers "
                            "can be read layer by layer")
        if isinstance(module, nn.Sequential):
            for child_name, child in module.named_children():
                walk(child, f"{path}.{child_name}" if path else child_name)
        elif list(module.children()):
            raise TypeError(f"{where} ({type(module).__name__}) is a container "
                            "other than nn.Sequential; its order of layers is unknown")
        elif allowed is not None and not isinstance(module, allowed):
            raise ValueError(f"model's layer {path} is {type(module).__name__}; {purpose} "
                             f"takes only {[t.__name__ for t in allowed]}")
        else:
            flat.append(module)

    walk(model, "")
    return nn.Sequential(*flat)


def model_input(model, X, name: str = "X") -> torch.Tensor:
    """Check that ``model`` is an ``nn.Module`` and that ``X`` (n, d), real and finite, fits
    its first Linear layer; return ``X`` detached, on the model's device, in its dtype
    (float64 input is welcome)."""
    if not isinstance(model, torch.nn.Module):
        raise TypeError(f"model must be a torch.nn.Module, got {type(model).__name__}")
    X = tensor_2d(name, X)
    if not X.is_floating_point():
        raise TypeError(f"{name} must hold floating-point numbers, got {X.dtype}")
    finite(name, X)
    first = next((m for m in model.modules() if isinstance(m, torch.nn.Linear)), None)
    if first is not None and X.shape[1] != first.in_features:
        raise ValueError(f"{name} has {X.shape[1]} columns, but the model's first layer "
                         f"takes {first.in_features} inputs")
    parameter = next(model.parameters(), None)
    return X if parameter is None else X.to(device=parameter.device, dtype=parameter.dtype)


def outputs(model) -> int | None:
    """The width of the last Linear layer of ``model`` (its number of logits), or None."""
    last = None
    for module in model.modules():
        if isinstance(module, nn.Linear):
            last = module
    return None if last is None else last.out_features


def at_most(name: str, value: int, limit: int) -> int:
    """Return the positive int ``value`` if it is at most ``limit``, else raise."""
    value = positive_int(name, value)
    if value > limit:
        raise ValueError(f"{name} must be at most {limit:,}, got {value:,}")
    return value


def allocation(name: str, values: int, what: str, limit: int = MAX_VALUES) -> int:
    """Raise a ValueError naming ``name`` (the argument that sets the size) if a tensor of
    ``values`` numbers (``what``: how they come about) would exceed ``limit``; checked
    before anything is allocated."""
    if values > limit:
        raise ValueError(f"{name}: this call would hold {values:,} numbers at once ({what}); "
                         f"the limit is {limit:,}")
    return values


def function(name: str, value):
    """Return ``value`` if it can be called, else raise a TypeError."""
    if not callable(value):
        raise TypeError(f"{name} must be a function of x, got {type(value).__name__}")
    return value


def frame(name: str, value, columns=()) -> pd.DataFrame:
    """Return ``value`` if it is a pandas DataFrame that has each of ``columns``."""
    if not isinstance(value, pd.DataFrame):
        raise TypeError(f"{name}: expected a pandas DataFrame, got {type(value).__name__}")
    missing = [c for c in columns if c not in value.columns]
    if missing:
        raise ValueError(f"{name}: DataFrame lacks columns {missing}; it has "
                         f"{list(value.columns)}")
    return value


def numbers(data: pd.DataFrame, names, name: str = "data", positive: bool = False) -> None:
    """Raise unless each column ``names`` of ``data`` holds finite real numbers (not bool),
    all > 0 when ``positive`` (a log axis); ``name`` is the caller's name for ``data``.

    >>> numbers(pd.DataFrame({"n": [1.0, -1.0]}), ["n"], positive=True)
    Traceback (most recent call last):
    ValueError: data column n must be > 0 (it is drawn on a log axis); its smallest value is -1.0
    """
    for column in names:
        values = data[column]
        if not pd.api.types.is_numeric_dtype(values) or pd.api.types.is_bool_dtype(values) \
                or pd.api.types.is_complex_dtype(values):
            raise TypeError(f"{name} column {column} must hold numbers (real, not bool), "
                            f"got dtype {values.dtype}")
        array = values.to_numpy(dtype=np.float64)
        if not np.isfinite(array).all():
            raise ValueError(f"{name} column {column} must hold finite numbers; "
                             f"{int((~np.isfinite(array)).sum())} are NaN or inf")
        if positive and len(array) and array.min() <= 0:
            raise ValueError(f"{name} column {column} must be > 0 (it is drawn on a log "
                             f"axis); its smallest value is {array.min()}")


def column_name(name: str, value, table: pd.DataFrame, table_name: str) -> str:
    """Return ``value`` if it names a column of ``table`` (called ``table_name``); ``name``
    is the caller's parameter that holds it."""
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a column name (a str), got {type(value).__name__}")
    if value not in table.columns:
        raise ValueError(f"{name}={value!r} is not a column of {table_name}; it has "
                         f"{list(table.columns)}")
    return value


def torch_device(name: str, value) -> torch.device:
    """``value`` (None: the course's device, a name such as ``"cpu"``, or a torch.device)
    as a torch.device torch can use here, else raise."""
    if value is None:
        return default_device()
    if not isinstance(value, (str, torch.device)):
        raise TypeError(f"{name} must be None, a name such as 'cpu' or 'cuda', or a "
                        f"torch.device; got {type(value).__name__}")
    try:
        chosen = torch.device(value)
    except RuntimeError:
        raise ValueError(f"{name}={value!r} is not a device; use 'cpu', 'cuda' or 'cuda:N'") \
            from None
    if chosen.type not in ("cpu", "cuda") or (chosen.type == "cuda" and (
            not torch.cuda.is_available() or (chosen.index or 0) >= torch.cuda.device_count())):
        raise ValueError(f"{name}={value!r} is not available here; use 'cpu'"
                         + (" or 'cuda'" if torch.cuda.is_available() else ""))
    return chosen


def interval(low, high, names: tuple[str, str] = ("low", "high")) -> tuple[float, float]:
    """Return ``(low, high)`` as floats if both are finite numbers and ``low < high``;
    ``names`` are the caller's names for them."""
    low, high = finite_number(names[0], low), finite_number(names[1], high)
    if not low < high:
        raise ValueError(f"the interval [{names[0]}, {names[1]}] needs {names[0]} < {names[1]}, "
                         f"got {names[0]}={low}, {names[1]}={high}")
    return low, high


def tensor_1d(name: str, values) -> torch.Tensor:
    """``values`` as a 1-D float64 tensor; raise a clear error for anything else."""
    if isinstance(values, (list, tuple, np.ndarray)):
        try:
            values = torch.as_tensor(np.asarray(values, dtype=np.float64))
        except (TypeError, ValueError):
            raise TypeError(f"{name} must be a 1-D tensor or list of real numbers") from None
    if not isinstance(values, torch.Tensor) or values.is_complex():
        raise TypeError(f"{name} must be a 1-D tensor or list of real numbers, "
                        f"got {type(values).__name__}")
    values = values.detach()
    if values.ndim != 1:
        raise ValueError(f"{name} must be 1-D, got shape {tuple(values.shape)}")
    values = values.to(torch.float64)
    if not torch.isfinite(values).all():
        raise ValueError(f"{name} must hold finite numbers (no NaN or inf)")
    return values


def sequential(model) -> nn.Sequential:
    """:func:`layers` of ``model`` with no limit on the layer types: its layers as one
    flat ``nn.Sequential``, or a clear error when its forward cannot be read off them."""
    return layers(model)
