"""Misuse of the public API by kind (tests/misuse_cases.py): every drawn case gets a clear
error that names the argument, or the correct result, as the case allows; never an error
from deep inside torch, numpy, pandas or lets-plot, a wrong or silent result, or a hang.
"""

import dataclasses

import numpy as np
import pandas as pd
import pytest
import torch
from bad_values import Hung, call_with_time_limit
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from misuse_cases import KINDS

DRAWS = 60  # per kind and run


def same(a, b, atol: float = 1e-6) -> bool:
    """Equal results: tensors and numbers to ``atol``, tables, figures, dataclasses,
    tuples, models (their parameters)."""
    if hasattr(a, "flat") and hasattr(b, "flat"):  # a batched stack of models
        return same(a.flat, b.flat, atol)
    if isinstance(b, str) and b == "a figure":
        return type(a).__name__ in ("PlotSpec", "SupPlotsSpec")
    if isinstance(a, torch.Tensor) and isinstance(b, torch.Tensor):
        return a.shape == b.shape and torch.allclose(
            a.double(), b.double(), atol=atol, equal_nan=True
        )
    if isinstance(a, pd.DataFrame) and isinstance(b, pd.DataFrame):
        try:
            pd.testing.assert_frame_equal(a, b, check_dtype=False, atol=atol)
            return True
        except AssertionError:
            return False
    if dataclasses.is_dataclass(a) and dataclasses.is_dataclass(b):
        return all(
            same(getattr(a, f.name), getattr(b, f.name), atol) for f in dataclasses.fields(a)
        )
    if isinstance(a, (tuple, list)) and isinstance(b, (tuple, list)):
        return len(a) == len(b) and all(same(x, y, atol) for x, y in zip(a, b))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k], atol) for k in a)
    if type(a).__name__ == "PlotSpec":
        return same(a.as_dict(), b.as_dict(), atol)
    if isinstance(a, (int, float, np.number)) and isinstance(b, (int, float, np.number)):
        return type(a) is type(b) and bool(np.isclose(a, b, atol=atol, equal_nan=True))
    if isinstance(a, torch.nn.Module) and isinstance(b, torch.nn.Module):
        return same(list(a.state_dict().values()), list(b.state_dict().values()), atol)
    return a == b


def outcome(case) -> str:
    """ "clear", "correct", or what went wrong."""
    try:
        result = call_with_time_limit(case.function, case.kwargs)
    except (ValueError, TypeError) as error:
        message = str(error)
        if (
            any(name in message for name in (case.parameter, *case.names))
            and "Traceback" not in message
        ):
            return "clear"
        return f"unclear {type(error).__name__}: {message}"
    except Hung as error:
        return f"hang: {error}"
    except Exception as error:  # from deep inside a library
        return f"unclear {type(error).__name__}: {error}"
    if case.reference is None:
        return f"silent: returned {type(result).__name__}"
    return (
        "correct"
        if same(result, case.reference(), case.atol)
        else f"wrong: {str(result)[:200]} (want {str(case.reference())[:200]})"
    )


@pytest.mark.parametrize("kind", list(KINDS))
@settings(
    max_examples=DRAWS,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(data=st.data())
def test_misuse_gets_a_clear_error_or_the_correct_result(kind, data):
    case = data.draw(KINDS[kind], label="case")
    got = outcome(case)
    assert got in case.allowed, f"{kind}: {case.name}({case.parameter}=...): {got}"
