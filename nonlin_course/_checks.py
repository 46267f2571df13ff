"""Argument checks shared by the package: clear messages instead of deep torch errors."""
import math

import numpy as np
import pandas as pd
import torch

from .runtime import device as default_device


def positive_int(name: str, value) -> int:
    """Return ``value`` if it is an int >= 1, else raise TypeError/ValueError."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{name} must be a positive int, got {type(value).__name__}")
    if value < 1:
        raise ValueError(f"{name} must be a positive int (>= 1), got {value}")
    return value


def positive_number(name: str, value) -> float:
    """Return ``value`` as a float if it is a finite number > 0, else raise."""
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise TypeError(f"{name} must be a positive number, got {type(value).__name__}")
    if not (math.isfinite(value) and value > 0):
        raise ValueError(f"{name} must be a positive finite number, got {value!r}")
    return float(value)


def finite_number(name: str, value) -> float:
    """Return ``value`` as a float if it is a finite number, else raise."""
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise TypeError(f"{name} must be a number, got {type(value).__name__}")
    if not math.isfinite(value):
        raise ValueError(f"{name} must be a finite number, got {value!r}")
    return float(value)


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
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise TypeError(f"{name} must be a number, got {type(value).__name__}")
    if not low < value < high:
        raise ValueError(f"{name} must lie strictly between {low} and {high}, got {value}")
    return float(value)


def tensor_2d(name: str, x, columns: int | None = None) -> torch.Tensor:
    """Return ``x`` if it is a 2-D tensor (with ``columns`` columns when given)."""
    if not isinstance(x, torch.Tensor):
        raise TypeError(f"{name} must be a torch.Tensor, got {type(x).__name__}")
    if x.ndim != 2 or (columns is not None and x.shape[1] != columns):
        want = f"(n, {columns})" if columns is not None else "(n, d)"
        raise ValueError(f"{name} must have shape {want}, got {tuple(x.shape)}")
    return x


def labels(name: str, y, n: int, rows_of: str = "X") -> torch.Tensor:
    """Return ``y`` if it is a 1-D integer tensor of length ``n`` (the rows of ``rows_of``)."""
    if not isinstance(y, torch.Tensor):
        raise TypeError(f"{name} must be a torch.Tensor, got {type(y).__name__}")
    if y.ndim != 1 or y.shape[0] != n or y.is_floating_point():
        raise ValueError(f"{name} must be an integer tensor of shape ({n},), one label per "
                         f"row of {rows_of}; got {y.dtype} with shape {tuple(y.shape)}")
    return y


def model_input(model, X, name: str = "X") -> torch.Tensor:
    """Check that ``model`` is an ``nn.Module`` and that ``X`` (n, d) fits its first Linear
    layer; return ``X`` on the model's device, in its dtype (float64 input is welcome)."""
    if not isinstance(model, torch.nn.Module):
        raise TypeError(f"model must be a torch.nn.Module, got {type(model).__name__}")
    tensor_2d(name, X)
    if not X.is_floating_point():
        raise TypeError(f"{name} must hold floating-point numbers, got {X.dtype}")
    first = next((m for m in model.modules() if isinstance(m, torch.nn.Linear)), None)
    if first is not None and X.shape[1] != first.in_features:
        raise ValueError(f"{name} has {X.shape[1]} columns, but the model's first layer "
                         f"takes {first.in_features} inputs")
    parameter = next(model.parameters(), None)
    return X if parameter is None else X.to(device=parameter.device, dtype=parameter.dtype)


def at_most(name: str, value: int, limit: int) -> int:
    """Return the positive int ``value`` if it is at most ``limit``, else raise."""
    if positive_int(name, value) > limit:
        raise ValueError(f"{name} must be at most {limit:,}, got {value:,}")
    return value


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


def sequential(model) -> torch.nn.Sequential:
    """Return ``model`` if it is an ``nn.Sequential`` (as ``mlp`` builds), else raise."""
    if not isinstance(model, torch.nn.Sequential):
        raise TypeError(f"model must be an nn.Sequential (as mlp builds), got {type(model).__name__}")
    return model


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
    if values.ndim != 1:
        raise ValueError(f"{name} must be 1-D, got shape {tuple(values.shape)}")
    values = values.to(torch.float64)
    if not torch.isfinite(values).all():
        raise ValueError(f"{name} must hold finite numbers (no NaN or inf)")
    return values
