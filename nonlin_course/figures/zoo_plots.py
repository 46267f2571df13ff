"""Chapter 3's figures (the activation zoo): each activation and its derivative, its
output histogram, and the ranking of the activations by score, as dots or as parallel
coordinates.

Like :mod:`nonlin_course.figures.plots`, each function takes DataFrames and returns a lets-plot
figure; the data is trimmed and rounded by :mod:`nonlin_course.figures._frames`.
"""
import numpy as np
import pandas as pd
from lets_plot import (aes, coord_cartesian, element_blank, facet_wrap, geom_bar, geom_hline,
                       geom_label, geom_line, geom_path, geom_point, geom_text, geom_vline,
                       ggplot, ggsize, labs, layer_tooltips, scale_color_manual,
                       scale_color_viridis, scale_x_continuous, scale_y_discrete, theme)

from .. import _checks
from . import _frames
from ._frames import rounded
from .palette import AXIS_GREY, BLUE, CURVE_COLORS, GREY, LIGHT_GREY


def zoo_curves(curves: pd.DataFrame, ncol: int = 5):
    """Each activation and its derivative, one panel per activation (see ``nc.curves``).

    ``curves`` has columns ``activation``, ``curve``, ``x`` and ``value``, one row per
    (activation, curve, x); ``ncol`` panels to a row.

    >>> table = pd.DataFrame({"activation": "relu", "curve": ["f(x)"] * 2 + ["f'(x)"] * 2,
    ...                       "x": [-1.0, 1.0] * 2, "value": [0.0, 1.0, 0.0, 1.0]})
    >>> zoo_curves(table).as_dict()["facet"]["facets"]
    'activation'
    """
    ncol = _checks.positive_int("ncol", ncol)
    data = _frames.columns(curves, name="curves", names=["activation", "curve", "x", "value"],
                           numeric=("x", "value"))
    rows = -(-data["activation"].nunique() // ncol)
    return (ggplot(data, aes("x", "value", color="curve"))
            + geom_hline(yintercept=0, color=LIGHT_GREY, size=0.5)
            + geom_line(size=1.1)
            + facet_wrap("activation", ncol=ncol, order=0)
            + scale_color_manual(CURVE_COLORS)
            + coord_cartesian(ylim=[-2.2, 3.2])
            + labs(x="x", y="", color="")
            + theme(legend_position="top") + ggsize(760, 150 + 150 * rows))


def zoo_histograms(histograms: pd.DataFrame, moments: pd.DataFrame, ncol: int = 3):
    """Output histograms for N(0,1) input, one panel per activation, titled with the
    output's mean and standard deviation.

    ``histograms`` comes from ``nc.output_histograms`` (``activation``, ``x``, ``density``,
    ``width``, one row per bin); ``moments`` has columns ``activation``, ``mean`` and
    ``std``, one row per activation.

    >>> bins = pd.DataFrame({"activation": "relu", "x": [0.25, 0.75], "density": [1.5, 0.5],
    ...                      "width": 0.5})
    >>> moments = pd.DataFrame({"activation": ["relu"], "mean": [0.4], "std": [0.58]})
    >>> zoo_histograms(bins, moments).as_dict()["data"]["panel"].unique().tolist()
    ['relu: mean 0.40, sd 0.58']
    >>> [s["breaks"] for s in zoo_histograms(bins, moments).as_dict()["scales"]]  # x ticks
    [[0, 1]]
    """
    ncol = _checks.positive_int("ncol", ncol)
    data = _frames.columns(histograms, name="histograms",
                           names=["activation", "x", "density", "width"],
                           numeric=("x", "density", "width"))
    stats = _frames.columns(moments, name="moments",
                            names=["activation", "mean", "std"],
                            numeric=("mean", "std")).set_index("activation")
    lacking = sorted(set(data["activation"]) - set(stats.index))
    if lacking:
        raise ValueError(f"moments lacks a row for the activations {lacking} of histograms")
    two = {name: (round(row["mean"], 2) + 0.0, round(row["std"], 2))  # + 0.0: no "-0.00"
           for name, row in stats.iterrows()}
    data["panel"] = [f"{name}: mean {two[name][0]:.2f}, sd {two[name][1]:.2f}"
                     for name in data["activation"]]
    rows = -(-data["activation"].nunique() // ncol)
    return (ggplot(data, aes("x", "density"))
            + geom_bar(stat="identity", width=1.0, fill=BLUE, color=BLUE, size=0.2,
                       tooltips=layer_tooltips().line("output|@x").line("density|@density"))
            + geom_vline(xintercept=0, color=LIGHT_GREY, size=0.5)
            # "free": every panel draws its own x axis (the ranges are the same), so each
            # histogram can be read without looking down to the bottom row
            + facet_wrap("panel", ncol=ncol, scales="free", order=0)
            + scale_x_continuous(breaks=_whole_numbers(data["x"]))   # a tick at every unit
            + labs(x="output for N(0,1) input", y="density")
            + ggsize(760, 80 + 130 * rows))


def score_ranking(results: pd.DataFrame, by: str, value: str = "score", title: str = "",
                  low: float | None = None):
    """Every run's ``value`` as a grey dot and the group mean as a black diamond, one row
    per group ``by``, best mean at the top. ``results`` has one row per run.

    With ``low``, the axis starts there, so that close groups spread out; a group whose
    mean lies below ``low`` gets its mean written at the left edge instead ("off scale");
    when no group lies below ``low`` nothing is written there.

    >>> results = pd.DataFrame({"act": ["a", "a", "b", "c"], "score": [0.5, 0.7, 0.9, 0.92]})
    >>> spec = score_ranking(results, "act", low=0.85).as_dict()
    >>> [s["limits"] for s in spec["scales"] if s["aesthetic"] == "y"]   # bottom to top
    [['a', 'b', 'c']]
    >>> spec["layers"][-1]["data"]["label"].tolist()
    ['mean 0.600 (off scale)']
    """
    _checks.text("title", title)
    low = None if low is None else _checks.finite_number("low", low)
    data = _frames.columns(results, name="results", names=[by, value],
                           named_by={"by": by, "value": value}, numeric=(value,))
    means = data.groupby(by)[value].mean().rename("mean").reset_index()
    order = list(means.sort_values("mean")[by])
    plot = (ggplot(data, aes(value, by))
            + geom_point(color=GREY, size=2.5, alpha=0.6,
                         tooltips=layer_tooltips().line(f"{value}|@{value}"))
            + geom_point(aes("mean", by), data=rounded(means), shape=18, size=5,
                         color="black", tooltips=layer_tooltips().line("mean|@mean"))
            + scale_y_discrete(limits=order)
            + labs(title=title, x=value.replace("_", " "), y="")
            + ggsize(720, 120 + 22 * len(order)))
    if low is None:
        return plot
    high = float(data[value].max())
    if not low < high:
        raise ValueError(f"low must lie below the best {value} ({high:.4g}), got {low!r}")
    off = means[means["mean"] < low]
    plot += coord_cartesian(xlim=[low, high + 0.02 * (high - low)])
    if len(off):    # no group below low: nothing to write at the edge
        marks = pd.DataFrame({by: off[by], value: low,
                              "label": [f"mean {m:.3f} (off scale)" for m in off["mean"]]})
        plot += geom_text(aes(value, by, label="label"), data=marks, hjust=0, size=7,
                          color="black", inherit_aes=False)
    return plot


def _whole_numbers(x: pd.Series) -> list[int]:
    """Every whole number from the floor of ``x``'s minimum to the ceiling of its maximum."""
    return list(range(int(np.floor(x.min())), int(np.ceil(x.max())) + 1))


def _axis_positions(column: pd.Series, span: tuple[float, float] | None = None
                    ) -> tuple[pd.Series, list[tuple[float, str]]]:
    """``column`` scaled to [0, 1] and the labels to print along its axis; a ``span``
    (low, high) scales a numeric column to that range instead of its own, with four
    labels along it."""
    if span is not None:
        low, high = span
        ticks = np.linspace(low, high, 4)
        return (column - low) / ((high - low) or 1.0), [((t - low) / ((high - low) or 1.0),
                                                         f"{t:.3f}") for t in ticks]
    if not pd.api.types.is_numeric_dtype(column):
        levels = list(dict.fromkeys(column))
        step = 1 / max(len(levels) - 1, 1)
        return column.map({v: i * step for i, v in enumerate(levels)}), \
            [(i * step, str(v)) for i, v in enumerate(levels)]
    low, high = float(column.min()), float(column.max())
    span = (high - low) or 1.0
    if pd.api.types.is_integer_dtype(column) and column.nunique() <= 10:   # seeds, folds
        values = sorted(column.unique())
        return (column - low) / span, [((v - low) / span, str(v)) for v in values]
    return (column - low) / span, [(0.0, f"{low:.4g}"), (1.0, f"{high:.4g}")]


def parallel_coordinates(frame: pd.DataFrame, axes: list[str], color: str, title: str = "",
                         shared: list[str] | None = None):
    """Parallel coordinates: one vertical axis per column of ``axes``, one line per row,
    coloured by column ``color``. Each axis is scaled to [0, 1] on its own; a text column
    places its values evenly, in the order they first appear. The numeric columns listed
    in ``shared`` share one scale (their common minimum to maximum, four labels each), so
    that a line's rise or fall between them is a real difference.

    >>> runs = pd.DataFrame({"act": ["relu", "tanh"], "a": [0.9, 0.8], "b": [0.7, 0.8]})
    >>> fig = parallel_coordinates(runs, ["act", "a", "b"], color="a", shared=["a", "b"])
    >>> fig.as_dict()["data"].query("axis == 2")["y"].tolist()      # b on a's scale too
    [0.0, 0.5]

    >>> runs = pd.DataFrame({"act": ["relu", "tanh"], "seed": [0, 1], "score": [0.9, 0.8]})
    >>> fig = parallel_coordinates(runs, ["act", "seed", "score"], color="score")
    >>> [layer["geom"] for layer in fig.as_dict()["layers"]]
    ['vline', 'path', 'label']
    """
    _checks.text("title", title)
    if not isinstance(axes, list) or not axes:
        raise TypeError(f"axes must be a non-empty list of column names, got {axes!r}")
    data = _frames.columns(frame, name="frame", names=axes + [color],
                           named_by={"color": color, **{f"axes[{i}]": a
                                                        for i, a in enumerate(axes)}})
    _checks.numbers(data, [c for c in dict.fromkeys(axes + [color])
                           if pd.api.types.is_numeric_dtype(data[c])], "frame")
    data["row"] = range(len(data))
    shared = [] if shared is None else shared
    if not isinstance(shared, list) or not all(c in axes and pd.api.types.is_numeric_dtype(
            data[c]) for c in shared):
        raise ValueError(f"shared must list numeric columns of frame among axes {axes}, got "
                         f"{shared!r} (frame's dtypes: {dict(data[axes].dtypes.astype(str))})")
    span = (float(data[shared].min().min()), float(data[shared].max().max())) if shared else None
    lines, ticks = [], []
    for i, axis in enumerate(axes):
        position, labels = _axis_positions(data[axis], span if axis in shared else None)
        lines.append(pd.DataFrame({"row": data["row"], "axis": i, "y": position,
                                   color: data[color]}))
        ticks += [{"axis": i, "y": y, "label": label} for y, label in labels]
    paths = rounded(pd.concat(lines, ignore_index=True))
    return (ggplot(paths, aes("axis", "y"))
            + geom_vline(aes(xintercept="axis"), data=pd.DataFrame({"axis": range(len(axes))}),
                         color=AXIS_GREY, tooltips="none")
            + geom_path(aes(group="row", color=color), size=1, alpha=0.7)
            + geom_label(aes("axis", "y", label="label"), data=rounded(pd.DataFrame(ticks)),
                         size=6, label_size=0, alpha=0.8)
            + scale_color_viridis()
            + scale_x_continuous(breaks=list(range(len(axes))), labels=axes)
            + labs(title=title, x="", y="")
            + theme(axis_text_y=element_blank(), panel_grid=element_blank(),
                    legend_position="bottom")
            + ggsize(760, 460))
