"""Kinds of misuse of the public API (issue 25), as Hypothesis strategies of cases.

Each case changes one argument of a call that works and says what may come back: a clear
error (ValueError/TypeError whose message names the argument), or a correct result (equal
to an independent reference), or either. The kinds are drawn from how the API is misused,
not from the checks the package has: labels out of range or of another dtype, widths and
dtypes that do not fit the model, numpy scalars and 0-d tensors, huge sizes that look
valid, empty and degenerate tables, NaN and inf, nested and functional model structures,
tensors that require grad, functions that are not tensor-aware.

Not collected (no ``test_`` prefix): tests/test_misuse.py draws from ``KINDS``.
"""
import math
from dataclasses import dataclass, field
from typing import Callable

import numpy as np
import pandas as pd
import torch
from hypothesis import strategies as st
from torch import nn

import nonlin_course as nc
from bad_input_figures import FIGURE_CASES

CPU = torch.device("cpu")
X, Y = nc.moons(40, seed=0)
SPLIT = nc.train_test(X, Y, on=CPU)
NET = nc.mlp([2, 4, 2])
DIGITS = nc.digits()
LINE = torch.linspace(-1.0, 1.0, 9, dtype=torch.float64)


@dataclass
class Case:
    """``function(**kwargs)``, where ``kwargs[parameter]`` is the misuse; ``allowed`` is
    the set of acceptable outcomes ("clear", "correct"); ``reference`` gives the right
    result when "correct" is allowed."""
    name: str
    function: Callable
    kwargs: dict
    parameter: str
    allowed: frozenset
    reference: Callable | None = None
    names: tuple = field(default=())   # other words a clear message may use for it
    atol: float = 1e-6                 # how close a correct result is to the reference


CLEAR, CORRECT, EITHER = frozenset({"clear"}), frozenset({"correct"}), \
    frozenset({"clear", "correct"})


def split_with(**parts) -> nc.Split:
    """SPLIT with some of its tensors replaced, built without the Split's own checks (a
    caller can build one by hand as dataclasses allow)."""
    split = object.__new__(nc.Split)
    for name in ("X_train", "y_train", "X_test", "y_test"):
        object.__setattr__(split, name, parts.get(name, getattr(SPLIT, name)))
    return split


def seeded_mlp(sizes=(2, 3, 2)) -> nn.Sequential:
    """The same fresh model at every call."""
    nc.seed_everything(0)
    return nc.mlp(list(sizes))


# --- labels: out of range for the model and loss, or another integer dtype -------------
def _label_calls(y):
    """(name, function, kwargs, parameter) of calls whose labels are ``y`` (for X)."""
    return [
        ("train_classifier", lambda **k: nc.train_classifier(seeded_mlp(), **k),
         dict(split=split_with(y_train=y[:len(SPLIT.y_train)]), epochs=1), "split"),
        ("evaluate", nc.training.loop.evaluate, dict(model=NET, X=X, y=y), "y"),
        ("first_step_gradients", nc.first_step_gradients,
         dict(model=NET, X=X, y=y, loss="ce"), "y"),
        ("layer_signals", nc.layer_signals, dict(model=NET, X=X, y=y), "y"),
        ("layer_values", nc.layer_values, dict(model=NET, X=X, y=y), "y"),
        ("best_line", nc.best_line, dict(X=X, y=y, directions=8), "y"),
        ("cross_validate", nc.cross_validate,
         dict(sizes=[2, 3, 2], activations="relu", seeds=0, X=X, y=y, epochs=1, folds=2), "y"),
        ("train_batched", nc.train_batched,
         dict(sizes=[2, 3, 2], activations="relu", seeds=0, epochs=1,
              split=split_with(y_train=y[:len(SPLIT.y_train)])), "split"),
    ]


@st.composite
def labels_out_of_range(draw):
    shift = draw(st.sampled_from(["plus", "negative"]))
    k = draw(st.integers(2, 10**6))
    y = Y + k if shift == "plus" else -Y - 1
    name, function, kwargs, parameter = draw(st.sampled_from(_label_calls(y)))
    return Case(name, function, kwargs, parameter, CLEAR)


@st.composite
def labels_of_another_dtype(draw):
    dtype = draw(st.sampled_from([torch.bool, torch.int32, torch.int16, torch.uint8,
                                  torch.int8]))
    calls = {n: (f, k, p) for n, f, k, p in _label_calls(Y)}
    name, function, kwargs, parameter = draw(st.sampled_from(_label_calls(Y.to(dtype))))
    reference_kwargs = calls[name][1]
    return Case(name, function, kwargs, parameter, EITHER,
                reference=lambda: function(**reference_kwargs))


# --- widths and dtypes that do not fit the model ---------------------------------------
@st.composite
def mismatched_widths(draw):
    extra = draw(st.integers(1, 5))
    wide = torch.cat([X, torch.zeros(len(X), extra)], 1)
    wide_split = split_with(X_train=torch.cat([SPLIT.X_train, torch.zeros(len(SPLIT.X_train),
                                                                          extra)], 1))
    one_logit = nc.mlp([2, 3, 1])
    calls = [
        ("layer_outputs", nc.layer_outputs, dict(model=NET, X=wide), "X"),
        ("count_regions", nc.count_regions, dict(model=NET, X=wide), "X"),
        ("dead_units", nc.dead_units, dict(model=NET, X=wide), "X"),
        ("grid_predictions", nc.grid_predictions, dict(model=NET, grid=wide), "grid"),
        ("layer_signals", nc.layer_signals, dict(model=NET, X=wide, y=Y), "X"),
        ("train_classifier", nc.train_classifier,
         dict(model=seeded_mlp(), split=wide_split, epochs=1), "split"),
        ("train_batched", nc.train_batched,
         dict(sizes=[2 + extra, 3, 2], activations="relu", seeds=0, split=SPLIT, epochs=1),
         "sizes"),
        ("train_batched bce", nc.train_batched,
         dict(sizes=[2, 3, 1 + extra], activations="relu", seeds=0, split=SPLIT, epochs=1,
              loss="bce"), "loss"),
        ("train_classifier bce", nc.train_classifier,
         dict(model=nc.mlp([2, 3, 1 + extra]), split=SPLIT, epochs=1, loss="bce"), "loss"),
        ("train_classifier ce", nc.train_classifier,
         dict(model=one_logit, split=SPLIT, epochs=1, loss="ce"), "loss"),
        ("first_step_gradients bce", nc.first_step_gradients,
         dict(model=nc.mlp([2, 3, 1 + extra]), X=X, y=Y, loss="bce"), "loss"),
    ]
    name, function, kwargs, parameter = draw(st.sampled_from(calls))
    return Case(name, function, kwargs, parameter, CLEAR)


def _model_calls(x):
    return [
        ("layer_outputs", nc.layer_outputs, dict(model=NET, X=x), "X"),
        ("count_regions", nc.count_regions, dict(model=NET, X=x), "X"),
        ("region_ids", nc.region_ids, dict(model=NET, X=x), "X"),
        ("dead_units", nc.dead_units, dict(model=NET, X=x), "X"),
        ("grid_predictions", nc.grid_predictions, dict(model=NET, grid=x), "grid"),
        ("labelled_points", nc.labelled_points, dict(model=NET, X=x, y=Y), "X"),
        ("layer_signals", nc.layer_signals, dict(model=NET, X=x, y=Y), "X"),
        ("evaluate", nc.training.loop.evaluate, dict(model=NET, X=x, y=Y), "X"),
        ("best_line", nc.best_line, dict(X=x, y=Y, directions=8), "X"),
        ("plane_grid", nc.plane_grid, dict(X=x, steps=4), "X"),
        ("scatter", nc.scatter, dict(X=x, y=Y), "X"),
        ("train_test", nc.train_test, dict(X=x, y=Y, on=CPU), "X"),
        ("affine_fit_error", nc.affine_fit_error, dict(inputs=x, outputs=X[:, 0]), "inputs"),
    ]


@st.composite
def other_dtypes(draw):
    """float64 is welcome (a correct result); integers and complex numbers are not."""
    dtype = draw(st.sampled_from([torch.float64, torch.int64, torch.int32, torch.complex64]))
    if dtype == torch.complex64:
        name, function, kwargs, parameter = draw(st.sampled_from(_model_calls(X.to(dtype))))
        return Case(name, function, kwargs, parameter, CLEAR)
    # as numbers, the same points: a clear error, or the result for them in float32
    calls = {n: (f, k) for n, f, k, _ in _model_calls(X.to(dtype).float())}
    name, function, kwargs, parameter = draw(st.sampled_from(_model_calls(X.to(dtype))))
    return Case(name, function, kwargs, parameter, EITHER,
                reference=lambda: calls[name][0](**calls[name][1]))


@st.composite
def non_finite_values(draw):
    value = draw(st.sampled_from([math.nan, math.inf, -math.inf]))
    row = draw(st.integers(0, len(X) - 1))
    bad = X.clone()
    bad[row, draw(st.integers(0, 1))] = value
    line = LINE.clone()
    line[row % len(LINE)] = value
    calls = _model_calls(bad) + [
        ("Split", nc.Split, dict(X_train=bad, y_train=Y, X_test=X, y_test=Y), "X_train"),
        ("cross_validate", nc.cross_validate,
         dict(sizes=[2, 3, 2], activations="relu", seeds=0, X=bad, y=Y, epochs=1, folds=2), "X"),
        ("derivative", nc.derivative, dict(name="relu", x=line), "x"),
        ("saturated_fraction", nc.saturated_fraction, dict(a=line), "a"),
        ("hinge_sum", nc.hinge_sum, dict(x=line, knots=[0.0], weights=[1.0]), "x"),
        ("least_squares", nc.least_squares, dict(x=line, y=LINE.abs(), knots=[-1.0, 0.0]), "x"),
        ("fit_relu_net", nc.fit_relu_net, dict(x=LINE, y=line, units=2, epochs=1, device="cpu"),
         "y"),
        ("histograms", nc.histograms, dict(values={"activation": [bad]}, bins=4), "values"),
        ("histograms all", nc.histograms,
         dict(values={"activation": [torch.full((3, 2), value)]}, bins=4), "values"),
    ]
    name, function, kwargs, parameter = draw(st.sampled_from(calls))
    return Case(name, function, kwargs, parameter, CLEAR)


@st.composite
def requires_grad_inputs(draw):
    """A tensor that requires grad holds the same numbers: the same result."""
    graph = X.clone().requires_grad_(True)
    calls = {n: (f, k) for n, f, k, _ in _model_calls(X)}
    name, function, kwargs, parameter = draw(st.sampled_from(
        [c for c in _model_calls(graph) if c[0] not in ("train_test",)]))
    return Case(name, function, kwargs, parameter, EITHER,
                reference=lambda: calls[name][0](**calls[name][1]))


# --- numpy scalars and 0-d tensors where an int or a float is --------------------------
SCALAR_CALLS = [
    # (name, function, kwargs, parameter): the parameter's value is a Python number
    ("moons", nc.moons, dict(n_samples=20, seed=3), "n_samples"),
    ("moons", nc.moons, dict(n_samples=20, seed=3), "seed"),
    ("moons", nc.moons, dict(n_samples=20, noise=0.25), "noise"),
    ("circles", nc.circles, dict(n_samples=20, factor=0.5), "factor"),
    ("train_test", nc.train_test, dict(X=X, y=Y, test_size=0.25, on=CPU), "test_size"),
    ("train_test", nc.train_test, dict(X=X, y=Y, seed=2, on=CPU), "seed"),
    ("plane_grid", nc.plane_grid, dict(X=X, steps=4, margin=0.5), "steps"),
    ("plane_grid", nc.plane_grid, dict(X=X, steps=4, margin=0.5), "margin"),
    ("train_classifier", nc.train_classifier, dict(split=SPLIT, epochs=2, batch_size=8),
     "epochs"),
    ("train_classifier", nc.train_classifier, dict(split=SPLIT, epochs=1, batch_size=8),
     "batch_size"),
    ("train_classifier", nc.train_classifier, dict(split=SPLIT, epochs=1, lr=0.5), "lr"),
    ("train_classifier", nc.train_classifier, dict(split=SPLIT, epochs=1, seed=3), "seed"),
    ("train_batched", nc.train_batched, dict(sizes=[2, 3, 2], activations="relu", seeds=0,
                                             split=SPLIT, epochs=2), "epochs"),
    ("train_batched", nc.train_batched, dict(sizes=[2, 3, 2], activations="relu", seeds=0,
                                             split=SPLIT, epochs=1, batch_size=8), "batch_size"),
    ("train_batched", nc.train_batched, dict(sizes=[2, 3, 2], activations="relu", seeds=0,
                                             split=SPLIT, epochs=1, lr=0.5), "lr"),
    ("train_batched", nc.train_batched, dict(sizes=[2, 3, 2], activations="relu", seeds=1,
                                             split=SPLIT, epochs=1), "seeds"),
    ("fit_relu_net", nc.fit_relu_net, dict(x=LINE, y=LINE.abs(), units=2, epochs=2,
                                           device="cpu"), "units"),
    ("fit_relu_net", nc.fit_relu_net, dict(x=LINE, y=LINE.abs(), units=2, epochs=2,
                                           device="cpu"), "epochs"),
    ("fit_relu_net", nc.fit_relu_net, dict(x=LINE, y=LINE.abs(), units=2, epochs=2, seed=1,
                                           device="cpu"), "seed"),
    ("fit_relu_nets", nc.fit_relu_nets, dict(x=LINE, y=LINE.abs(), units=2, seeds=[0],
                                             epochs=3, device="cpu"), "epochs"),
    ("fit_relu_nets", nc.fit_relu_nets, dict(x=LINE, y=LINE.abs(), units=2, seeds=[0],
                                             epochs=2, lr=0.5, device="cpu"), "lr"),
    ("interpolant", nc.interpolant, dict(f=torch.square, a=0.0, b=2.0, n=4), "n"),
    ("interpolant", nc.interpolant, dict(f=torch.square, a=0.0, b=2.0, n=4), "b"),
    ("fine_grid", nc.fine_grid, dict(a=0.0, b=1.0, points=5), "points"),
    ("hinge", nc.hinge, dict(x=LINE, knot=0.5), "knot"),
    ("hinge_sum", nc.hinge_sum, dict(x=LINE, knots=[0.0], weights=[1.0], bias=0.5), "bias"),
    ("tent_net", nc.tent_net, dict(layers=3), "layers"),
    ("sawtooth_table", nc.sawtooth_table, dict(max_layers=3), "max_layers"),
    ("sizes_for_budget", nc.sizes_for_budget, dict(depth=2, params=300), "depth"),
    ("sizes_for_budget", nc.sizes_for_budget, dict(depth=2, params=300), "params"),
    ("max_regions_one_layer", nc.max_regions_one_layer, dict(units=8, dims=2), "units"),
    ("best_line", nc.best_line, dict(X=X, y=Y, directions=8), "directions"),
    ("output_histograms", nc.output_histograms, dict(names=["relu"], samples=100, bins=4),
     "bins"),
    ("histograms", nc.histograms, dict(values={"activation": [X]}, bins=4), "bins"),
    ("histograms", nc.histograms, dict(values={"activation": [X]}, bins=4, span=2.0), "span"),
    ("glue_float", nc.glue_float, dict(name="x", value=0.5), "value"),
    ("glue_float", nc.glue_float, dict(name="x", value=0.5, digits=2), "digits"),
    ("relu_std_after", nc.relu_std_after, dict(layers=3, gain=2.0), "gain"),
    ("saturated_fraction", nc.saturated_fraction, dict(a=LINE, threshold=0.5), "threshold"),
    ("digit_pairs", nc.digit_pairs, dict(images=DIGITS[0], labels=DIGITS[1], n=6), "n"),
    ("cross_validate", nc.cross_validate, dict(sizes=[2, 3, 2], activations="relu", seeds=0,
                                               X=X, y=Y, epochs=1, folds=3), "folds"),
    ("mlp", lambda width: seeded_mlp((2, width, 2)), dict(width=3), "width"),
]


def _fresh(kwargs: dict) -> dict:
    """``kwargs`` with a freshly seeded model where a training call needs one."""
    if "split" in kwargs and "sizes" not in kwargs:
        return {"model": seeded_mlp(), **kwargs}
    return kwargs


@st.composite
def numpy_scalars(draw):
    name, function, kwargs, parameter = draw(st.sampled_from(SCALAR_CALLS))
    value = kwargs[parameter]
    if isinstance(value, int):
        kind = draw(st.sampled_from([np.int64, np.int32, np.int16, np.uint32, "tensor"]))
        other = torch.tensor(value) if kind == "tensor" else kind(value)
    else:
        kind = draw(st.sampled_from([np.float64, np.float32, "tensor", "tensor64"]))
        other = torch.tensor(value, dtype=torch.float64 if kind == "tensor64" else
                             torch.float32) if isinstance(kind, str) else kind(value)
    return Case(name, lambda **k: function(**_fresh(k)), {**kwargs, parameter: other},
                parameter, CORRECT, reference=lambda: function(**_fresh(kwargs)))


# --- huge sizes that look valid --------------------------------------------------------
def _regions_reference(units: int, dims: int) -> int:
    return sum(math.comb(units, i) for i in range(min(units, dims) + 1))


@st.composite
def huge_sizes(draw):
    big = draw(st.integers(10**8, 10**15))
    layers = draw(st.integers(13, 20))
    calls = [
        ("moons", nc.moons, dict(n_samples=big), "n_samples"),
        ("circles", nc.circles, dict(n_samples=big), "n_samples"),
        ("plane_grid", nc.plane_grid, dict(X=X, steps=big), "steps"),
        ("mlp", lambda width: nc.mlp([2, width, width]), dict(width=big), "sizes"),
        ("interpolant", nc.interpolant, dict(f=torch.square, a=0.0, b=1.0, n=big), "n"),
        ("fine_grid", nc.fine_grid, dict(a=0.0, b=1.0, points=big), "points"),
        ("errors", nc.errors, dict(f=torch.square, approx=torch.abs, a=0.0, b=1.0,
                                   points=big), "points"),
        ("best_line", nc.best_line, dict(X=X, y=Y, directions=big), "directions"),
        ("max_regions_one_layer", nc.max_regions_one_layer, dict(units=big, dims=big), "units"),
        ("sawtooth_table", nc.sawtooth_table, dict(max_layers=layers), "max_layers"),
        ("linear_pieces", nc.linear_pieces, dict(model=nc.shallow_sawtooth(layers)), "model"),
        ("sizes_for_budget", nc.sizes_for_budget, dict(depth=big, params=300), "depth"),
        ("sizes_for_budget", nc.sizes_for_budget, dict(depth=2, params=big), "params"),
        ("output_histograms", nc.output_histograms, dict(names=["relu"], samples=big),
         "samples"),
        ("properties_table", nc.properties_table, dict(names=["relu"], samples=big), "samples"),
        ("histograms", nc.histograms, dict(values={"activation": [X]}, bins=big), "bins"),
        ("fit_relu_net", nc.fit_relu_net, dict(x=LINE, y=LINE, units=big, epochs=1,
                                               device="cpu"), "units"),
        ("digit_pairs", nc.digit_pairs, dict(images=DIGITS[0], labels=DIGITS[1], n=big), "n"),
        ("tent_net", nc.tent_net, dict(layers=big), "layers"),
        ("hinge_sum", nc.hinge_sum, dict(x=torch.zeros(10**5), knots=torch.arange(
            float(10**3 * (1 + big % 1000))), weights=torch.ones(10**3 * (1 + big % 1000))), "x"),
    ]
    name, function, kwargs, parameter = draw(st.sampled_from(calls))
    small = draw(st.integers(1, 40))   # a huge dims with few units: a closed form, correct
    if name == "max_regions_one_layer" and draw(st.booleans()):
        return Case(name, function, dict(units=small, dims=big), "dims", CORRECT,
                    reference=lambda: _regions_reference(small, big))
    if name == "hinge_sum":
        return Case(name, function, kwargs, parameter, EITHER, reference=lambda: torch.zeros(
            10**5, dtype=torch.float64))
    return Case(name, function, kwargs, parameter, CLEAR)


# --- empty and degenerate tables (the figures and the table functions) -----------------
TABLE_CALLS = [(name, function, valid, parameter)
               for name, (function, valid, _) in FIGURE_CASES.items()
               for parameter, value in valid.items() if isinstance(value, pd.DataFrame)]
LOG_AXES = {("error_loglog", "errors"): ["N", "error"],
            ("pieces_vs_units", "table"): ["deep_units", "deep_pieces", "shallow_units"],
            ("regions_by_depth", "regions"): ["regions"],
            ("layer_curves", "stats"): ["act_std"]}


# columns a figure may draw as categories (a facet, a colour, a discrete axis): text there
# is a label, not a broken number; parallel_coordinates places a text axis's values evenly
LABELS = {"seed", "point", "unit", "layer", "layers", "depth", "lr"}


@st.composite
def degenerate_tables(draw):
    name, function, valid, parameter = draw(st.sampled_from(TABLE_CALLS))
    table = valid[parameter]
    numeric = [c for c in table.columns if pd.api.types.is_numeric_dtype(table[c])
               and not pd.api.types.is_bool_dtype(table[c])]
    kinds = ["empty", "no rows but columns"] + (["nan", "inf", "text"] if numeric else [])
    if (name, parameter) in LOG_AXES:
        kinds.append("not positive")
    kind = draw(st.sampled_from(kinds))
    column = None
    bad = table.copy()
    if kind == "empty":
        bad = pd.DataFrame()
    elif kind == "no rows but columns":
        bad = table.iloc[:0]
    elif kind == "not positive":
        column = draw(st.sampled_from(LOG_AXES[name, parameter]))
        bad[column] = bad[column].astype("float64")
        bad.loc[bad.index[0], column] = draw(st.sampled_from([0.0, -1.0]))
    else:
        column = draw(st.sampled_from(numeric))
        if kind == "text":
            bad[column] = [f"{value}x" for value in bad[column]]
        else:
            bad[column] = bad[column].astype("float64")
            bad.loc[bad.index[draw(st.integers(0, len(bad) - 1))], column] = \
                math.nan if kind == "nan" else math.inf
    allowed = EITHER if (kind == "no rows but columns" and parameter in ("knots", "lines")) \
        or (kind == "text" and column in LABELS) or (kind == "text" and name ==
                                                     "parallel_coordinates" and column not in
                                                     valid["shared"]) else CLEAR
    return Case(f"{name} ({kind})", function, {**valid, parameter: bad}, parameter, allowed,
                reference=lambda: "a figure")


@st.composite
def degenerate_compute_tables(draw):
    grads = pd.DataFrame({"activation": ["relu"] * 4, "layer": [1, 2, 1, 2],
                          "value": [0.1, 0.2, 0.1, 0.3]})
    kind = draw(st.sampled_from(["layer text", "empty", "nan"]))
    bad = {"layer text": grads.assign(layer=["a", "b", "a", "b"]), "empty": grads.iloc[:0],
           "nan": grads.assign(value=[0.1, math.nan, 0.1, 0.3])}[kind]
    line = nc.plane_grid(X, steps=5)
    far = nn.Sequential(nn.Linear(2, 2), nn.ReLU(), nn.Linear(2, 2))
    with torch.no_grad():
        far[0].weight.copy_(torch.eye(2))
        far[0].bias.fill_(100.0)   # its lines x1 = -100 and x2 = -100 miss the box
    grid = nc.grid_predictions(far, line).assign(region=0)
    results = pd.DataFrame({"model": ["a", "a", "b"], "acc": [0.5, 0.7, 0.9]})
    broken = draw(st.sampled_from([results.assign(acc=[0.5, math.nan, 0.9]),
                                   results.assign(acc=["0.5", "0.7", "0.9"]),
                                   results.assign(acc=[0.5, math.inf, 0.9])]))
    cases = [Case(f"layer_ratio ({kind})", nc.layer_ratio, dict(grads=bad), "grads", CLEAR),
             Case("seed_summary", nc.seed_summary, dict(results=broken, by="model",
                                                         value="acc"), "results", CLEAR),
             Case("region_map (no line crosses)", nc.region_map,
                  dict(grid=grid, lines=nc.unit_lines(far, line)), "lines", CORRECT,
                  reference=lambda: "a figure")]
    return draw(st.sampled_from(cases))


# --- model structures: nested, functional, reordered, not piecewise linear ------------
def tent_layers(slope: float = 0.0) -> list[nn.Module]:
    """tent_net(2)'s modules with LeakyReLU(slope) (0: ReLU) as activations."""
    act = nn.ReLU if slope == 0 else (lambda: nn.LeakyReLU(slope))
    return [act() if isinstance(m, nn.ReLU) else m for m in nc.tent_net(2)]


class FunctionalRelu(nn.Module):
    def __init__(self):
        super().__init__()
        self.first, self.second = nn.Linear(2, 3), nn.Linear(3, 2)

    def forward(self, x):
        return self.second(torch.relu(self.first(x)))


class Reordered(nn.Sequential):
    def forward(self, x):
        for layer in reversed(self):
            x = layer(x)
        return x


def grid_kinks(model: nn.Module, low: float = 0.0, high: float = 1.0, n: int = 2**12 + 1):
    """An independent reference: where the slope of ``model`` changes on a fine grid (the
    grid's midpoints of each change), and the number of pieces seen."""
    x = torch.linspace(low, high, n, dtype=torch.float64).unsqueeze(1)
    with torch.no_grad():
        y = model.double()(x)[:, 0]
    slopes = torch.diff(y) / torch.diff(x[:, 0])
    change = (torch.diff(slopes).abs() > 1e-6 * slopes.abs().max().clamp(min=1)).nonzero()[:, 0]
    # a kink inside a grid step bends two neighbouring slopes: one kink, between them
    groups = torch.tensor_split(change, (torch.diff(change) > 1).nonzero()[:, 0] + 1) \
        if len(change) else []
    kinks = torch.tensor([float(x[g, 0].mean() + x[g + 1, 0].mean()) / 2 for g in groups],
                         dtype=torch.float64)
    return kinks, len(kinks) + 1


@st.composite
def model_structures(draw):
    kind = draw(st.sampled_from(["nested", "leaky", "nested leaky", "functional",
                                 "reordered", "tanh"]))
    slope = draw(st.sampled_from([0.01, 0.1, 0.5])) if "leaky" in kind else 0.0
    flat = tent_layers(slope)
    if kind in ("nested", "nested leaky"):
        model = nn.Sequential(nn.Sequential(*flat[:2]), nn.Sequential(nn.Sequential(*flat[2:4]),
                                                                      *flat[4:]))
    elif kind == "leaky":
        model = nn.Sequential(*flat)
    elif kind == "tanh":
        model = nc.mlp([1, 3, 1], "tanh").double()
    elif kind == "functional":
        model = FunctionalRelu()
    else:
        model = Reordered(nn.Linear(3, 2), nn.Linear(2, 3))   # runs 2 -> 3 -> 2
    function = draw(st.sampled_from(["breakpoints", "linear_pieces", "fold_linear",
                                     "layer_outputs", "count_regions", "dead_units"]))
    piecewise = kind in ("nested", "leaky", "nested leaky")
    if function in ("breakpoints", "linear_pieces") and piecewise:
        def reference(model=model, function=function):
            kinks, pieces = grid_kinks(model)
            return kinks if function == "breakpoints" else pieces
        return Case(f"{function} ({kind})", getattr(nc, function), dict(model=model), "model",
                    CORRECT, reference=reference, atol=2.0 / 2**12)   # two grid steps
    if function == "fold_linear" or not piecewise:
        kwargs = dict(model=model) if function in ("breakpoints", "linear_pieces",
                                                   "fold_linear") else \
            dict(model=model, X=torch.zeros(4, 2 if kind in ("functional", "reordered")
                                            else 1, dtype=torch.float64))
        allowed = CLEAR if kind != "tanh" or function in ("breakpoints", "linear_pieces",
                                                          "fold_linear", "count_regions") \
            else EITHER
        flat_model = nn.Sequential(*[m for m in model.modules()
                                     if not list(m.children())])
        return Case(f"{function} ({kind})", getattr(nc, function), kwargs, "model", allowed,
                    reference=lambda: getattr(nc, function)(**{**kwargs, "model": flat_model}))
    # nested ReLU/LeakyReLU nets for the other functions: as the flat net
    xs = torch.linspace(-0.5, 1.5, 9, dtype=torch.float64).unsqueeze(1)
    flat_model = nn.Sequential(*flat)
    return Case(f"{function} ({kind})", getattr(nc, function), dict(model=model, X=xs),
                "model", CORRECT,
                reference=lambda: getattr(nc, function)(model=flat_model, X=xs))


# --- functions that must be tensor-aware -----------------------------------------------
@st.composite
def scalar_functions(draw):
    f = draw(st.sampled_from([math.sin, math.exp, lambda x: float(x), lambda x: x.item()]))
    calls = [
        ("interpolant", nc.interpolant, dict(f=f, a=0.0, b=1.0, n=4), "f"),
        ("errors", nc.errors, dict(f=f, approx=torch.abs, a=0.0, b=1.0, points=11), "f"),
        ("errors", nc.errors, dict(f=torch.abs, approx=f, a=0.0, b=1.0, points=11), "approx"),
        ("error_table", nc.error_table, dict(f=f, a=0.0, b=1.0, ns=[1, 2], points=11), "f"),
        ("curve_table", nc.curve_table, dict(x=LINE, target=f), "target"),
    ]
    name, function, kwargs, parameter = draw(st.sampled_from(calls))
    return Case(name, function, kwargs, parameter, CLEAR)


@st.composite
def coerced_types(draw):
    """Values that a cast would turn into something else: a str or bool for a number, a
    str for a flag, None for a list."""
    calls = [
        ("hinge_sum", nc.hinge_sum, dict(x=LINE, knots=[0.0], weights=[1.0],
                                         bias=draw(st.sampled_from(["0.5", True, False]))),
         "bias"),
        ("glue_float", nc.glue_float, dict(name="x", value=draw(st.sampled_from(
            [True, False, np.bool_(True), torch.tensor(True)]))), "value"),
        ("train_batched", nc.train_batched, dict(sizes=[2, 3, 2], activations="relu", seeds=0,
                                                 split=SPLIT, epochs=1, progress=draw(
                                                     st.sampled_from(["yes", 1, None]))),
         "progress"),
        ("train_batched", nc.train_batched, dict(sizes=[2, 3, 2], activations=None, seeds=0,
                                                 split=SPLIT, epochs=1), "activations"),
        ("init_models", nc.init_models, dict(sizes=[2, 3, 2], activations=draw(
            st.sampled_from([None, "relu", 3])), seeds=[0]), "activations"),
        ("Hinges", nc.Hinges, dict(knots=[0.0], weights=[1.0],
                                   bias=draw(st.sampled_from(["0.5", True]))), "bias"),
        ("derivative", nc.derivative, dict(name="relu", x=LINE.to(torch.complex128)), "x"),
        ("affine_fit_error", nc.affine_fit_error,
         dict(inputs=X, outputs=X[:, 0].to(torch.complex64)), "outputs"),
        ("hinge", nc.hinge, dict(x=LINE.to(torch.complex128), knot=0.0), "x"),
    ]
    name, function, kwargs, parameter = draw(st.sampled_from(calls))
    return Case(name, function, kwargs, parameter, CLEAR)


KINDS = {
    "labels out of range": labels_out_of_range(),
    "labels of another dtype": labels_of_another_dtype(),
    "mismatched widths": mismatched_widths(),
    "other dtypes": other_dtypes(),
    "NaN and inf": non_finite_values(),
    "requires_grad inputs": requires_grad_inputs(),
    "numpy scalars and 0-d tensors": numpy_scalars(),
    "huge sizes": huge_sizes(),
    "empty and degenerate tables": st.one_of(degenerate_tables(), degenerate_compute_tables()),
    "nested and functional models": model_structures(),
    "functions that are not tensor-aware": scalar_functions(),
    "coerced types": coerced_types(),
}
