"""Bad-input cases for the computing functions (not the figures), merged into
``test_bad_input.CASES``: name -> (function, arguments that work, {parameter: strategy of
values that must be refused}).

Not collected on its own (no ``test_`` prefix). Left out, taking no arguments:
``digits`` and ``device``.
"""
import math
import types
from unittest import mock

import pandas as pd
import torch
from hypothesis import strategies as st

import nonlin_course as nc
from nonlin_course.piecewise.roles import unit_roles
from bad_values import (NOT_A_FRAME, NOT_A_NAME, NOT_A_SEED, NOT_A_TENSOR, NOT_FINITE,
                        NOT_POSITIVE_INT, WRONG_SHAPE, bad_frame, not_a_column)

NOT_POSITIVE = st.one_of(NOT_FINITE, st.floats(max_value=0.0))
NOT_A_BOOL = st.one_of(st.integers(), st.text(max_size=3), st.floats())   # None: the default
NOT_A_FLAG = st.one_of(st.none(), NOT_A_BOOL)
NOT_1D = st.one_of(NOT_A_TENSOR.filter(lambda v: not isinstance(v, list)),
                   st.sampled_from([torch.zeros(2, 2), torch.tensor([0.0, math.nan]),
                                    torch.zeros(2, dtype=torch.complex64)]))
NOT_A_FUNCTION = st.one_of(st.none(), st.integers(), st.text(max_size=3),
                           st.sampled_from([lambda x: x[:, None], lambda x: 1.0, lambda x: x[:1]]))
NOT_A_DEVICE = st.one_of(st.integers(), st.lists(st.integers(), max_size=1),
                         st.sampled_from(["banana", "tpu", "meta", "cuda:99", ""]))
TOO_MANY_BINS = st.integers(min_value=10_001, max_value=10**12)
TOO_MANY_SAMPLES = st.integers(min_value=10**7 + 1, max_value=10**15)


def mnist_offline(allow_download=False):
    """``nc.mnist`` with the network cut off: refusing to download is the valid outcome."""
    with mock.patch.object(nc.data.datasets, "fetch_openml",
                           side_effect=AssertionError("mnist reached for the network")):
        try:
            return nc.mnist(allow_download=allow_download)
        except ValueError as error:
            if "needs a download" not in str(error):
                raise


X, Y = nc.moons(60, seed=0)
SPLIT = nc.train_test(X, Y, on=torch.device("cpu"))
NET = nc.mlp([2, 4, 2])
RESULTS = pd.DataFrame({"model": ["a", "a", "b"], "acc": [0.5, 0.7, 0.9]})
GRADS = pd.DataFrame({"activation": ["relu"] * 4, "layer": [1, 2, 1, 2],
                      "value": [0.1, 0.2, 0.1, 0.3]})
SEARCH = types.SimpleNamespace(cv_results_={"param_module__activation": ["relu", "tanh"],
                                            "split0_test_score": [0.5, 0.6],
                                            "split1_test_score": [0.7, 0.8]})
LINE = torch.linspace(-1.0, 1.0, 9, dtype=torch.float64)
SWEEP = nc.fit_relu_nets(LINE, LINE.abs(), 2, [0], epochs=2, device="cpu")
UNITS = SWEEP.units[["a", "c", "w"]]
SHORT = torch.zeros(3, dtype=torch.float64)

COMPUTE_CASES = {
    # data
    "mnist": (mnist_offline, dict(allow_download=False), {"allow_download": NOT_A_BOOL}),
    "Split": (nc.Split, dict(X_train=SPLIT.X_train, y_train=SPLIT.y_train,
                             X_test=SPLIT.X_test, y_test=SPLIT.y_test), {
        "X_train": st.one_of(NOT_A_TENSOR, st.just(SPLIT.X_train[:5]), st.just(torch.zeros(5))),
        "y_train": st.one_of(NOT_A_TENSOR, st.just(SPLIT.y_train[:5]),
                             st.just(SPLIT.y_train.float())),
        "X_test": st.one_of(NOT_A_TENSOR, st.just(SPLIT.X_test[:, :1]), st.just(SPLIT.X_test[:3])),
        "y_test": st.one_of(NOT_A_TENSOR, st.just(SPLIT.y_test[:-1]))}),
    # training and model selection
    "seed_summary": (nc.seed_summary, dict(results=RESULTS, by="model", value="acc"), {
        "results": bad_frame(RESULTS), "by": not_a_column(RESULTS),
        "value": not_a_column(RESULTS)}),
    "init_models": (nc.init_models, dict(sizes=[2, 3, 2], activations=["relu"], seeds=[0]), {
        "seeds": st.lists(NOT_A_SEED, min_size=1, max_size=1),
        "inits": st.lists(st.text(max_size=6).filter(
            lambda s: s not in ("default", "xavier", "kaiming")), min_size=1, max_size=1),
        "sizes": st.one_of(st.none(), st.lists(st.integers(max_value=0), min_size=2,
                                               max_size=3)),
        "activations": st.lists(NOT_A_NAME, min_size=1, max_size=1),
        "norm": st.one_of(st.integers(), st.text(max_size=6).filter(
            lambda s: s.lower() not in ("none", "batchnorm", "layernorm")))}),
    "SeededMLP": (nc.SeededMLP, dict(sizes=[2, 3, 2]), {
        "sizes": st.one_of(st.none(), st.lists(st.integers(max_value=0), min_size=2,
                                               max_size=3)),
        "activation": NOT_A_NAME, "seed": NOT_A_SEED}),
    "cross_validate": (nc.cross_validate, dict(sizes=[2, 3, 2], activations=["relu"], seeds=[0],
                                               X=X, y=Y, epochs=1), {
        "X": st.one_of(NOT_A_TENSOR, WRONG_SHAPE),
        "y": st.one_of(NOT_A_TENSOR, st.just(Y[:5]), st.just(Y.float())),
        "folds": st.one_of(NOT_POSITIVE_INT, st.just(1), st.integers(min_value=61)),
        "at_epochs": st.one_of(st.integers(), st.text(max_size=3),
                               st.lists(st.one_of(st.integers(max_value=0), st.integers(2),
                                                  st.text(max_size=2)), max_size=2))}),
    "cv_results": (nc.cv_results, dict(search=SEARCH), {"search": NOT_A_FRAME}),
    # looking inside
    "long_table": (nc.long_table, dict(named=[("h", torch.zeros(2, 3))]), {
        "named": st.one_of(st.none(), st.integers(), st.just([]),
                           st.sampled_from([[("h", torch.zeros(3))], [("h",)], [torch.zeros(2, 2)],
                                            [("h", [[1.0]])]])),
        "row": st.one_of(st.none(), st.integers(), st.sampled_from(["layer", "value", "unit"])),
        "column": st.one_of(st.none(), st.integers(),
                            st.sampled_from(["layer", "value", "point"]))}),
    "layer_ratio": (nc.layer_ratio, dict(grads=GRADS), {
        "grads": bad_frame(GRADS), "by": not_a_column(GRADS)}),
    "output_histograms": (nc.output_histograms, dict(names=["relu"], samples=100, bins=4), {
        "names": st.one_of(NOT_A_NAME, st.lists(NOT_A_NAME, min_size=1, max_size=2)),
        "samples": st.one_of(NOT_POSITIVE_INT, TOO_MANY_SAMPLES),
        "bins": st.one_of(NOT_POSITIVE_INT, TOO_MANY_BINS),
        "low": st.one_of(NOT_FINITE, st.floats(min_value=4.0, allow_infinity=False)),
        "high": st.one_of(NOT_FINITE, st.floats(max_value=-3.0, allow_infinity=False)),
        "seed": NOT_A_SEED}),
    "properties_table": (nc.properties_table, dict(names=["relu"], samples=100), {
        "names": st.one_of(NOT_A_NAME, st.lists(NOT_A_NAME, min_size=1, max_size=2)),
        "samples": st.one_of(NOT_POSITIVE_INT, TOO_MANY_SAMPLES)}),
    # chapter 4: hinges and approximation
    "Hinges": (nc.Hinges, dict(knots=[0.0, 1.0], weights=[1.0, -1.0], bias=0.0), {
        "knots": st.one_of(NOT_1D, st.just([1.0, 0.0]), st.just([])),
        "weights": st.one_of(NOT_1D, st.just([1.0])), "bias": NOT_FINITE}),
    "hinge": (nc.hinge, dict(x=LINE, knot=0.5), {
        "x": st.one_of(NOT_A_TENSOR, st.just(torch.zeros(2, dtype=torch.complex64))),
        "knot": NOT_FINITE}),
    "least_squares": (nc.least_squares, dict(x=LINE, y=LINE.abs(), knots=[-1.0, 0.0]), {
        "x": st.one_of(NOT_1D, st.just(SHORT)), "y": st.one_of(NOT_1D, st.just(SHORT)),
        "knots": st.one_of(NOT_1D, st.just([0.0, -1.0]), st.just([]))}),
    "fit_relu_net": (nc.fit_relu_net, dict(x=LINE, y=LINE.abs(), units=2, epochs=2,
                                           device="cpu"), {
        "x": st.one_of(NOT_1D, st.just(SHORT), st.just(torch.zeros(2, 2, 2))),
        "y": st.one_of(NOT_1D, st.just(SHORT)),
        "units": st.one_of(NOT_POSITIVE_INT, st.integers(min_value=10_001)),
        "seed": NOT_A_SEED, "epochs": NOT_POSITIVE_INT, "lr": NOT_POSITIVE,
        "device": NOT_A_DEVICE}),
    "fit_relu_nets": (nc.fit_relu_nets, dict(x=LINE, y=LINE.abs(), units=2, seeds=[0],
                                             epochs=2, device="cpu"), {
        "x": st.one_of(NOT_1D, st.just(SHORT)), "y": st.one_of(NOT_1D, st.just(SHORT)),
        "units": st.one_of(NOT_POSITIVE_INT, st.integers(min_value=10_001)),
        "seeds": st.one_of(st.none(), st.just([]), st.lists(NOT_A_SEED, min_size=1, max_size=2)),
        "init": st.one_of(st.none(), st.just([]), st.text(max_size=4).filter(
            lambda s: s not in ("default", "kaiming", "xavier"))),
        "lr": st.one_of(NOT_POSITIVE.filter(lambda v: not isinstance(v, (list, str))),
                        st.lists(NOT_POSITIVE.filter(lambda v: not isinstance(v, (list, str))),
                                 min_size=1, max_size=2)),
        "epochs": NOT_POSITIVE_INT,
        "checkpoints": st.one_of(st.just([]), st.integers(max_value=0), st.integers(3),
                                 st.lists(st.one_of(st.integers(max_value=0), st.integers(3),
                                                    st.text(max_size=2)), min_size=1,
                                          max_size=2)),
        "device": NOT_A_DEVICE}),
    "unit_roles": (unit_roles, dict(units=UNITS, low=0.0, high=1.0), {
        "units": bad_frame(UNITS), "low": st.one_of(NOT_FINITE, st.floats(1.0, 1e9)),
        "high": st.one_of(NOT_FINITE, st.floats(-1e9, 0.0)),
        "tol": st.one_of(NOT_FINITE, st.floats(max_value=-1e-9))}),
    "role_table": (nc.role_table, dict(sweep=SWEEP, low=0.0, high=1.0, reference=0.1), {
        "sweep": st.one_of(NOT_A_FRAME, st.just(SWEEP.units)),
        "low": st.one_of(NOT_FINITE, st.floats(1.0, 1e9)),
        "high": st.one_of(NOT_FINITE, st.floats(-1e9, 0.0)), "reference": NOT_FINITE}),
    "curve_table": (nc.curve_table, dict(x=LINE, square=torch.square), {
        "x": NOT_1D, "square": NOT_A_FUNCTION}),
    "errors": (nc.errors, dict(f=torch.square, approx=torch.abs, a=0.0, b=1.0, points=11), {
        "f": NOT_A_FUNCTION, "approx": NOT_A_FUNCTION, "a": st.one_of(NOT_FINITE,
                                                                       st.floats(1.0, 1e9)),
        "b": st.one_of(NOT_FINITE, st.floats(-1e9, 0.0)),
        "points": st.one_of(NOT_POSITIVE_INT, st.integers(min_value=10**7 + 1))}),
    "error_table": (nc.error_table, dict(f=torch.square, a=0.0, b=1.0, ns=[1, 2], points=11), {
        "f": NOT_A_FUNCTION, "a": NOT_FINITE, "b": NOT_FINITE,
        "ns": st.one_of(st.none(), st.integers(), st.just([]),
                        st.lists(NOT_POSITIVE_INT.filter(lambda v: not isinstance(v, list)),
                                 min_size=1, max_size=2)),
        "points": st.one_of(NOT_POSITIVE_INT, st.integers(min_value=10**7 + 1))}),
    # chapter 5: signals in deep networks
    "layer_values": (nc.layer_values, dict(model=NET, X=X[:10], y=Y[:10]), {
        "model": st.one_of(NOT_A_TENSOR, st.just(torch.nn.Linear(2, 2))),
        "X": st.one_of(NOT_A_TENSOR, WRONG_SHAPE),
        "y": st.one_of(NOT_A_TENSOR, st.just(Y[:3]))}),
    "histograms": (nc.histograms, dict(values={"activation": [torch.zeros(2, 3)]}, bins=4), {
        "values": st.one_of(NOT_A_TENSOR, st.just({}), st.just({"activation": []}),
                            st.just({"activation": torch.zeros(2, 2)}),
                            st.just({"activation": [None]})),
        "bins": st.one_of(NOT_POSITIVE_INT, TOO_MANY_BINS),
        "span": NOT_POSITIVE.filter(lambda v: v is not None)}),
    # the exercises' checkers: their own settings (the answers: tests/test_exercises*.py)
    "check_leaky_relu_function": (nc.check_leaky_relu_function, dict(cls=None), {
        "negative_slope": NOT_FINITE, "raise_error": NOT_A_FLAG}),
    **{name: (getattr(nc, name), dict(fn=None), {"raise_error": NOT_A_FLAG})
       for name in ("check_fold", "check_sigmoid_derivative", "check_abs_hinges",
                    "check_interpolant_weights", "check_sawtooth", "check_kaiming_std",
                    "check_saturated_fraction")},
    "check_silu_function": (nc.check_silu_function, dict(cls=None), {"raise_error": NOT_A_FLAG}),
}

# chapter 5's residual networks, chapter 4's region interiors
NOT_AN_ACTIVATION = st.one_of(st.integers(), st.sampled_from(["relu7", "", "Relu "]))
COMPUTE_CASES.update({
    "residual_mlp": (nc.residual_mlp, dict(sizes=[2, 4, 4, 2]), {
        "sizes": st.one_of(st.none(), st.text(max_size=3), st.just([2, 4, 5, 2]),
                           st.lists(st.integers(max_value=0), min_size=2, max_size=3)),
        "activation_name": NOT_AN_ACTIVATION, "skip": NOT_A_FLAG}),
    "compare_skips": (nc.compare_skips, dict(sizes=[2, 4, 4, 2], split=SPLIT, seeds=[0],
                                             inits=["default"], epochs=1, probe_rows=10), {
        "sizes": st.one_of(st.none(), st.just([2, 4, 5, 2])), "split": NOT_A_TENSOR,
        "seeds": st.one_of(st.just([]), st.lists(NOT_A_SEED, min_size=1, max_size=2)),
        "inits": st.one_of(st.just([]), st.lists(st.sampled_from(["he", "", 3]), min_size=1,
                                                  max_size=2)),
        "epochs": NOT_POSITIVE_INT, "lr": NOT_POSITIVE, "probe_rows": NOT_POSITIVE_INT,
        "activation_name": NOT_AN_ACTIVATION}),
    "interior_points": (nc.interior_points, dict(ids=torch.zeros(3, 3, dtype=torch.int64)), {
        "ids": st.one_of(NOT_A_TENSOR, st.sampled_from([torch.zeros(4, dtype=torch.int64),
                                                        torch.zeros(3, 3)]))}),
})
