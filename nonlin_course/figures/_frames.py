"""DataFrames on their way into a figure: checked, trimmed to the columns used, rounded.

Numbers are rounded to 4 significant digits before they go into a figure, so a
notebook's saved output does not change with the last bits of a float. Shared by the
figure modules (:mod:`nonlin_course.figures.plots` and its siblings).
"""
import numpy as np
import pandas as pd

from .. import _checks


def rounded(frame: pd.DataFrame, digits: int = 4) -> pd.DataFrame:
    """A copy of ``frame`` with every float column rounded to ``digits`` significant digits.

    >>> rounded(pd.DataFrame({"x": [3.14159265], "n": [123456]})).values.tolist()
    [[3.142, 123456.0]]
    """
    digits = _checks.positive_int("digits", digits)
    out = frame.copy()
    for column in out.select_dtypes("float").columns:
        out[column] = [float(f"{v:.{digits}g}") for v in out[column]]
    return out


def columns(data, names: list[str], optional: tuple[str, ...] = (),
            name: str = "data", digits: int | None = 4,
            named_by: dict[str, str] | None = None, numeric: tuple[str, ...] = (),
            positive: tuple[str, ...] = (), empty: bool = False) -> pd.DataFrame:
    """The rounded columns ``names`` of ``data``, each once (plus those of ``optional`` it
    has); ``name`` is the caller's name for ``data``, for the error messages;
    ``digits=None`` keeps the values unrounded. ``named_by`` holds the caller's parameters
    that name a column, {parameter: its value}: each must be a column of ``data``, or the
    error names the parameter. The columns ``numeric`` (those of them it has) must hold finite
    numbers, those of ``positive`` numbers > 0 too (a log axis); a table with no rows is refused unless
    ``empty`` (there is nothing to draw).

    Only the columns a figure uses are kept: lets-plot embeds all of its data in the page.

    >>> columns(pd.DataFrame({"a": [1.23456], "b": [2], "c": [3]}), ["a"], ("c", "d"))
           a  c
    0  1.235  3
    >>> columns(pd.DataFrame({"a": [1]}), ["b"], named_by={"by": "b"})
    Traceback (most recent call last):
    ValueError: by='b' is not a column of data; it has ['a']
    """
    _checks.frame(name, data)
    for parameter, column in (named_by or {}).items():
        _checks.column_name(parameter, column, data, name)
    _checks.frame(name, data, names)
    if not empty and len(data) == 0:
        raise ValueError(f"{name} is empty (no rows): there is nothing to draw")
    measured = [c for c in names if pd.api.types.is_numeric_dtype(data[c])
                and not pd.api.types.is_bool_dtype(data[c])]   # NaN is no number to draw
    _checks.numbers(data, [c for c in dict.fromkeys([*numeric, *measured])
                           if c not in positive and c in data.columns], name)
    _checks.numbers(data, [c for c in positive if c in data.columns], name, positive=True)
    picked = data[list(dict.fromkeys(names + [c for c in optional if c in data.columns]))]
    return picked.copy() if digits is None else rounded(picked, digits)


def _grid_step(values: pd.Series, axis: str) -> float:
    """The spacing of ``values``, one coordinate of a regular grid; a clear error otherwise."""
    if not pd.api.types.is_numeric_dtype(values) or pd.api.types.is_bool_dtype(values):
        raise TypeError(f"grid column {axis} must hold numbers, got dtype {values.dtype}")
    levels = np.unique(values.to_numpy(dtype=np.float64))
    if len(levels) == 0 or not np.isfinite(levels).all():
        raise ValueError(f"grid column {axis} must hold finite numbers (and at least one)")
    if len(levels) == 1:
        return 1.0
    gaps = np.diff(levels)
    if not np.allclose(gaps, gaps.mean(), rtol=1e-3, atol=0):
        raise ValueError(f"x1, x2 must form a regular grid (as from plane_grid); the {axis} "
                         f"values are {len(levels)} unevenly spaced numbers")
    return float(gaps.mean())


def grid_columns(grid: pd.DataFrame, names: list[str], optional: tuple[str, ...] = (),
                 name: str = "grid", named_by: dict[str, str] | None = None,
                 numeric: tuple[str, ...] = ()) -> pd.DataFrame:
    """As :func:`columns`, for a regular grid of points (``x1``, ``x2``, one row per
    point): the coordinates are rounded to a tenth of the step's fourth significant digit
    (an error of at most 1/2000 of a step) instead of to 4 significant digits of the value.

    Rounding by the value can move a point by 1 % of the step; lets-plot's raster then
    sees a smaller step, adds an empty row or column, and it shows as a white line.

    >>> grid = pd.DataFrame({"x1": [0.0, 1.0, 0.0, 1.0], "x2": [0.0, 0.0, 1.0, 1.0]})
    >>> grid_columns(grid, ["x1", "x2"]).shape
    (4, 2)
    """
    out = columns(grid, names, optional, name=name, named_by=named_by, empty=True,
                  numeric=("x1", "x2", *numeric))   # empty: _grid_step says what it lacks
    shape = []
    for axis in ("x1", "x2"):
        step = _grid_step(grid[axis], axis)
        decimals = max(3 - int(np.floor(np.log10(step))), 0)
        out[axis] = grid[axis].astype("float64").round(decimals).to_numpy()
        shape.append(out[axis].nunique())
    if len(out) != shape[0] * shape[1] or out.duplicated(["x1", "x2"]).any():
        raise ValueError(f"x1, x2 must form a regular grid with one row per point (as from "
                         f"plane_grid): {len(out)} rows for {shape[0]} x {shape[1]} points")
    return out
