"""Bad-input cases for the figure functions, merged into ``CASES`` of
tests/test_bad_input.py (same format: function, arguments that work, and for each
parameter a strategy of values that must be refused). The figures with cases there:
decision_regions, region_map, surface_map, loss_curves, seed_dots, gradient_curves,
error_loglog; ``setup_plots`` takes no arguments.
"""

import pandas as pd
import torch
from bad_values import (
    NOT_A_TENSOR,
    NOT_A_TITLE,
    NOT_FINITE,
    NOT_POSITIVE_INT,
    WRONG_SHAPE,
    bad_frame,
    not_a_column,
)
from hypothesis import strategies as st

import nonlin_course as nc

NOT_A_FLAG = st.one_of(st.none(), st.integers(), st.text(max_size=3))
NOT_A_LIMIT = NOT_FINITE.filter(lambda v: v is not None)  # None: no limit


def above(value: float):
    """Finite floats from ``value`` up: an axis that would start above its data."""
    return st.floats(min_value=value, allow_infinity=False)


# small valid tables, from the package's own functions where that is cheap
X, Y = nc.moons(20, seed=0)
TABLE = nc.long_table([("h", torch.tensor([[1.0, -2.0], [0.5, 0.0]]))])
ACCURACY = pd.DataFrame(
    {
        "activation": ["relu"] * 4,
        "seed": [0, 1, 0, 1],
        "epoch": [1, 1, 2, 2],
        "test_acc": [0.5, 0.7, 0.8, 0.9],
    }
)
CURVES = nc.curves(["relu"], points=5)
HISTOGRAMS = nc.output_histograms(["relu"], samples=200, bins=5)
MOMENTS = pd.DataFrame({"activation": ["relu"], "mean": [0.4], "std": [0.58]})
SCORES = pd.DataFrame({"activation": ["a", "a", "b"], "score": [0.5, 0.7, 0.9]})
WIDE = pd.DataFrame(
    {
        "activation": ["relu", "tanh"],
        "fold 1": [0.9, 0.94],
        "fold 2": [0.92, 0.96],
        "mean": [0.91, 0.95],
    }
)
FITS = nc.curve_table(
    nc.fine_grid(0.0, 1.0, 5),
    target=torch.square,
    approximation=nc.interpolant(torch.square, 0.0, 1.0, 2),
).assign(panel="a")
FIT_KNOTS = pd.DataFrame({"panel": ["a"], "knot": [0.5], "value": [0.25]})
RESIDUALS = pd.DataFrame({"method": "hand", "run": "-", "x": [0.0, 1.0], "residual": [0.5, -0.5]})
RESIDUAL_KNOTS = pd.DataFrame({"method": ["hand"], "run": ["-"], "knot": [0.5]})
SAWTOOTH = pd.DataFrame({"x": [0.0, 0.5, 1.0], "value": [0.0, 1.0, 0.0], "layers": 1})
PIECES = nc.sawtooth_table(max_layers=2)
REGIONS = pd.DataFrame({"depth": [1, 2], "kind": "random", "seed": 0, "regions": [10, 20]})
STATS = pd.DataFrame(
    {"activation": "relu", "init": "kaiming", "layer": [1, 2], "act_std": [1.0, 0.5]}
)
SHARES = pd.DataFrame({"init": "kaiming", "layer": [1, 1], "x": [0.0, 1.0], "share": [0.5, 0.5]})
UPDATES = pd.DataFrame({"lr": 0.1, "step": [1, 1], "layer": [1, 2], "value": [-3.0, -2.0]})
BY_NORM = pd.DataFrame(
    {"activation": "tanh", "norm": ["none", "batchnorm"], "seed": 0, "test_acc": [0.1, 0.9]}
)

FIGURE_CASES = {
    "scatter": (
        nc.scatter,
        dict(X=X, y=Y),
        {
            "X": st.one_of(NOT_A_TENSOR, WRONG_SHAPE),
            "y": st.one_of(NOT_A_TENSOR, st.just(Y[:5]), st.just(Y.float())),
            "title": NOT_A_TITLE,
            "alt": NOT_A_TITLE,
        },
    ),
    "described": (
        nc.described,
        dict(figure=nc.scatter(X, Y), alt="Two moons."),
        {"figure": st.one_of(st.none(), st.integers(), st.text(max_size=3)), "alt": NOT_A_TITLE},
    ),
    "heatmaps": (
        nc.heatmaps,
        dict(table=TABLE),
        {"table": bad_frame(TABLE), "row": not_a_column(TABLE), "column": not_a_column(TABLE)},
    ),
    "accuracy_curves": (
        nc.accuracy_curves,
        dict(history=ACCURACY, references={"SVM": 0.95}, low=0.5),
        {
            "history": bad_frame(ACCURACY),
            "by": not_a_column(ACCURACY),
            "value": not_a_column(ACCURACY),
            "title": NOT_A_TITLE,
            "low": st.one_of(NOT_A_LIMIT, above(0.96)),
            "references": st.one_of(
                st.integers(),
                st.text(max_size=3),
                st.lists(st.floats()),
                st.dictionaries(st.text(max_size=3), NOT_FINITE, min_size=1, max_size=2),
            ),
        },
    ),
    "zoo_curves": (
        nc.zoo_curves,
        dict(curves=CURVES),
        {"curves": bad_frame(CURVES), "ncol": NOT_POSITIVE_INT},
    ),
    "zoo_histograms": (
        nc.zoo_histograms,
        dict(histograms=HISTOGRAMS, moments=MOMENTS),
        {
            "histograms": bad_frame(HISTOGRAMS),
            "moments": st.one_of(bad_frame(MOMENTS), st.just(MOMENTS.iloc[:0])),  # no relu row
            "ncol": NOT_POSITIVE_INT,
        },
    ),
    "score_ranking": (
        nc.score_ranking,
        dict(results=SCORES, by="activation", low=0.6),
        {
            "results": bad_frame(SCORES),
            "by": not_a_column(SCORES),
            "value": not_a_column(SCORES),
            "title": NOT_A_TITLE,
            "low": st.one_of(NOT_A_LIMIT, above(0.9)),
        },
    ),
    "parallel_coordinates": (
        nc.parallel_coordinates,
        dict(frame=WIDE, axes=list(WIDE.columns), color="mean", shared=["fold 1", "fold 2"]),
        {
            "frame": bad_frame(WIDE),
            "color": not_a_column(WIDE),
            "title": NOT_A_TITLE,
            "axes": st.one_of(
                st.none(),
                st.text(max_size=3),
                st.just([]),
                st.lists(not_a_column(WIDE), min_size=1, max_size=2),
            ),
            "shared": st.one_of(
                st.integers(),
                st.text(max_size=3),
                st.just(["activation"]),
                st.lists(not_a_column(WIDE), min_size=1, max_size=2),
            ),
        },
    ),
    "piecewise_fits": (
        nc.piecewise_fits,
        dict(curves=FITS, knots=FIT_KNOTS),
        {
            "curves": bad_frame(FITS),
            "ncol": NOT_POSITIVE_INT,
            "title": NOT_A_TITLE,
            "knots": bad_frame(FIT_KNOTS).filter(lambda v: v is not None),  # None: no knots
            "scales": st.one_of(
                st.none(),
                st.integers(),
                st.text(max_size=6).filter(
                    lambda s: s not in ("fixed", "free", "free_x", "free_y")
                ),
            ),
        },
    ),
    "residual_curves": (
        nc.residual_curves,
        dict(curves=RESIDUALS, knots=RESIDUAL_KNOTS),
        {"curves": bad_frame(RESIDUALS), "knots": bad_frame(RESIDUAL_KNOTS), "title": NOT_A_TITLE},
    ),
    "sawtooth_curves": (
        nc.sawtooth_curves,
        dict(curves=SAWTOOTH),
        {"curves": bad_frame(SAWTOOTH), "title": NOT_A_TITLE},
    ),
    "pieces_vs_units": (
        nc.pieces_vs_units,
        dict(table=PIECES),
        {"table": bad_frame(PIECES), "title": NOT_A_TITLE},
    ),
    "regions_by_depth": (
        nc.regions_by_depth,
        dict(regions=REGIONS, bound=nc.max_regions_one_layer(8)),
        {
            "regions": bad_frame(REGIONS),
            "title": NOT_A_TITLE,
            "bound": st.one_of(NOT_FINITE, st.floats(max_value=0.0)),
        },
    ),
    "layer_curves": (
        nc.layer_curves,
        dict(stats=STATS, value="act_std"),
        {
            "stats": bad_frame(STATS),
            "value": not_a_column(STATS),
            "title": NOT_A_TITLE,
            "log": NOT_A_FLAG,
        },
    ),
    "histogram_lines": (
        nc.histogram_lines,
        dict(hist=SHARES),
        {"hist": bad_frame(SHARES), "title": NOT_A_TITLE, "ncol": NOT_POSITIVE_INT},
    ),
    "update_ratio_curves": (
        nc.update_ratio_curves,
        dict(updates=UPDATES),
        {"updates": bad_frame(UPDATES), "title": NOT_A_TITLE, "guide": NOT_FINITE},
    ),
    "accuracy_by_norm": (
        nc.accuracy_by_norm,
        dict(results=BY_NORM),
        {"results": bad_frame(BY_NORM), "title": NOT_A_TITLE},
    ),
}
