"""Hypothesis strategies of bad values, shared by tests/test_bad_input.py and the figure
and computing cases it merges in (tests/bad_input_figures.py, tests/bad_input_compute.py)."""

import math
import signal

import pandas as pd
import torch
from hypothesis import strategies as st

import nonlin_course as nc

NOT_A_NUMBER = st.one_of(
    st.none(),
    st.text(max_size=3),
    st.lists(st.integers(), max_size=2),
    st.complex_numbers(allow_nan=False, allow_infinity=False),
)
NON_FINITE = st.sampled_from([math.nan, math.inf, -math.inf])
NOT_FINITE = st.one_of(NOT_A_NUMBER, st.booleans(), NON_FINITE)  # no finite number
NOT_POSITIVE_INT = st.one_of(
    NOT_A_NUMBER,
    st.booleans(),
    st.integers(max_value=0),
    st.floats(allow_nan=True).filter(lambda v: v != int(v) if math.isfinite(v) else True),
)
NOT_A_TENSOR = st.one_of(
    st.none(), st.text(max_size=3), st.integers(), st.lists(st.floats(allow_nan=False), max_size=3)
)
WRONG_SHAPE = st.sampled_from([torch.zeros(5), torch.zeros(5, 3), torch.zeros(2, 5, 2)])
NOT_A_SEED = st.one_of(
    NOT_A_NUMBER,
    st.booleans(),
    st.integers(max_value=-1),
    st.integers(min_value=2**32),
    st.floats(allow_nan=True),
)
NOT_A_NAME = st.one_of(
    st.integers(),
    st.text(min_size=1, max_size=6).filter(lambda s: s.lower() not in nc.activation_names()),
)

# a figure's tables: not a DataFrame, or a column short; its title: not a str
NOT_A_FRAME = st.one_of(
    st.none(),
    st.integers(),
    st.text(max_size=3),
    st.lists(st.integers(), max_size=2),
    st.just(torch.zeros(2, 2)),
)
NOT_A_TITLE = st.one_of(
    st.none(), st.integers(), st.floats(allow_nan=True), st.lists(st.text(max_size=2), max_size=2)
)


def bad_frame(frame: pd.DataFrame):
    """Not a DataFrame at all, or ``frame`` with one of its columns dropped."""
    return st.one_of(NOT_A_FRAME, st.sampled_from([frame.drop(columns=c) for c in frame.columns]))


def not_a_column(frame: pd.DataFrame):
    """Values of a parameter that names a column of ``frame``: not a str, or no column of it."""
    return st.one_of(
        st.none(),
        st.integers(),
        st.lists(st.text(max_size=2), max_size=2),
        st.text(max_size=6).filter(lambda name: name not in frame.columns),
    )


TIME_LIMIT_S = 20  # a call that takes longer has hung (or is allocating far too much)


class Hung(Exception):
    """A call that gave no answer within ``TIME_LIMIT_S``."""


def call_with_time_limit(function, kwargs):
    """``function(**kwargs)``, raising :class:`Hung` after ``TIME_LIMIT_S`` seconds."""

    def alarm(signum, frame):
        raise Hung(f"no answer within {TIME_LIMIT_S} s")

    previous = signal.signal(signal.SIGALRM, alarm)
    signal.alarm(TIME_LIMIT_S)
    try:
        return function(**kwargs)
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
