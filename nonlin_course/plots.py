"""lets-plot figures. Each function takes results (tensors or DataFrames) and returns
a figure, a lets-plot ``PlotSpec``; none of them computes anything about a model.

The data goes in trimmed to the columns a figure uses and rounded to 4 significant
digits (see :mod:`nonlin_course._frames`), so a notebook's saved output does not change
with the last bits of a float. The colours come from :mod:`nonlin_course.palette`.
"""
import numpy as np
import pandas as pd
import torch
from lets_plot import (aes, as_discrete, coord_cartesian, coord_fixed, element_blank,
                       facet_wrap, geom_bar, geom_hline, geom_label, geom_line, geom_path,
                       geom_point, geom_text, geom_ribbon, geom_tile, geom_vline, ggplot, ggsize, labs,
                       layer_tooltips, scale_color_manual, scale_color_viridis,
                       scale_fill_gradient2, scale_fill_manual, scale_x_continuous,
                       scale_y_continuous, scale_y_discrete, scale_y_log10, theme)

from . import _checks, _frames
from ._frames import rounded
from .palette import (AXIS_GREY, BLUE, CLASS_COLORS, COLD, CURVE_COLORS, DOT_COLOR, GREY, HOT,
                      LIGHT_GREY, MODEL_COLORS)


def scatter(X: torch.Tensor, y: torch.Tensor, title: str = ""):
    """Scatter plot of 2-D points ``X`` (n, 2) coloured by class ``y`` (n,).

    >>> fig = scatter(torch.tensor([[0.0, 1.0], [1.0, 0.5]]), torch.tensor([0, 1]))
    >>> type(fig).__name__, [layer["geom"] for layer in fig.as_dict()["layers"]]
    ('PlotSpec', ['point'])
    """
    _checks.tensor_2d("X", X, columns=2)
    _checks.labels("y", y, X.shape[0])
    points = X.cpu()
    data = rounded(pd.DataFrame({"x1": points[:, 0], "x2": points[:, 1], "label": y.cpu()}))
    return (ggplot(data, aes("x1", "x2", color=as_discrete("label")))
            + geom_point(size=1.5, alpha=0.6) + scale_color_manual(CLASS_COLORS)
            + coord_fixed() + labs(title=title, color="class"))


def loss_curves(history: pd.DataFrame, value: str = "train_loss", title: str = ""):
    """Mean of ``value`` per epoch and model, with a band from the min to the max seed.

    ``history`` has columns ``model``, ``seed``, ``epoch`` and ``value``, one row per
    (model, seed, epoch); the figure has one line and band per model.

    >>> history = pd.DataFrame({"model": "relu", "seed": [0, 1, 0, 1], "epoch": [1, 1, 2, 2],
    ...                         "train_loss": [1.0, 0.5, 0.5, 0.0]})
    >>> loss_curves(history).as_dict()["data"]["mean"].tolist()
    [0.75, 0.25]
    """
    data = _frames.columns(history, name="history", names=["model", "seed", "epoch", value])
    band = (data.groupby(["model", "epoch"])[value].agg(["mean", "min", "max"])
            .reset_index())
    return (ggplot(band, aes("epoch", "mean", color="model", fill="model"))
            + geom_ribbon(aes(ymin="min", ymax="max"), alpha=0.25, size=0)
            + geom_line(size=1.2)
            + scale_color_manual(MODEL_COLORS) + scale_fill_manual(MODEL_COLORS)
            + labs(title=title, y=value.replace("_", " "), x="epoch"))


def seed_dots(results: pd.DataFrame, by: str, value: str, title: str = "",
              free_y: bool = True, ncol: int = 4):
    """``value`` for each seed, one panel per group ``by``, with the group mean as a line.

    ``results`` has columns ``by``, ``seed`` and ``value``, one row per (group, seed).
    With ``free_y`` each panel has its own y scale, so the spread over seeds stays
    visible even when the groups lie far apart; without it the panels compare directly.

    >>> results = pd.DataFrame({"model": ["a", "a", "b", "b"], "seed": [0, 1, 0, 1],
    ...                         "acc": [0.5, 0.6, 0.9, 1.0]})
    >>> seed_dots(results, "model", "acc").as_dict()["facet"]["facets"]
    'model'
    """
    data = _frames.columns(results, name="results", names=[by, "seed", value])
    # sort=False: the panels come in the order the groups first appear in ``results``
    means = data.groupby(by, sort=False)[value].mean().rename("mean").reset_index()
    return (ggplot(data, aes(as_discrete("seed"), value))
            + geom_hline(aes(yintercept="mean"), data=means, color="black", linetype="dashed",
                         tooltips=layer_tooltips().line("mean|@mean"))
            + geom_point(size=4, color=DOT_COLOR,
                         tooltips=layer_tooltips().line("seed|@seed").line(f"{value}|@{value}"))
            + facet_wrap(by, scales="free_y" if free_y else "fixed", ncol=ncol, order=0)
            + scale_y_continuous(expand=[0.15, 0])   # room for the big dots at the edges
            + labs(title=title, x="seed", y=value.replace("_", " "))
            + ggsize(720, 300 if data[by].nunique() <= ncol else 460))


def zoo_curves(curves: pd.DataFrame, ncol: int = 5):
    """Each activation and its derivative, one panel per activation (see ``nc.curves``).

    ``curves`` has columns ``activation``, ``curve``, ``x`` and ``value``, one row per
    (activation, curve, x); ``ncol`` panels to a row.

    >>> table = pd.DataFrame({"activation": "relu", "curve": ["f(x)"] * 2 + ["f'(x)"] * 2,
    ...                       "x": [-1.0, 1.0] * 2, "value": [0.0, 1.0, 0.0, 1.0]})
    >>> zoo_curves(table).as_dict()["facet"]["facets"]
    'activation'
    """
    data = _frames.columns(curves, name="curves", names=["activation", "curve", "x", "value"])
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
    data = _frames.columns(histograms, name="histograms", names=["activation", "x", "density", "width"])
    stats = _frames.columns(moments, name="moments", names=["activation", "mean", "std"]).set_index("activation")
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
    mean lies below ``low`` gets its mean written at the left edge instead ("off scale").

    >>> results = pd.DataFrame({"act": ["a", "a", "b", "c"], "score": [0.5, 0.7, 0.9, 0.92]})
    >>> spec = score_ranking(results, "act", low=0.85).as_dict()
    >>> [s["limits"] for s in spec["scales"] if s["aesthetic"] == "y"]   # bottom to top
    [['a', 'b', 'c']]
    >>> spec["layers"][-1]["data"]["label"].tolist()
    ['mean 0.600 (off scale)']
    """
    data = _frames.columns(results, name="results", names=[by, value])
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
    marks = pd.DataFrame({by: off[by], value: low,
                          "label": [f"mean {m:.3f} (off scale)" for m in off["mean"]]})
    return (plot + coord_cartesian(xlim=[low, high + 0.02 * (high - low)])
            + geom_text(aes(value, by, label="label"), data=marks, hjust=0, size=7,
                        color="black", inherit_aes=False))


def accuracy_curves(history: pd.DataFrame, by: str = "activation", value: str = "test_acc",
                    references: dict | None = None, title: str = "", low: float | None = None):
    """Mean ``value`` per epoch and group ``by``, with a band from the lowest to the highest
    seed; each of ``references`` ({label: value}) is a dashed horizontal line. With
    ``low``, the y axis starts there (curves enter from below), so close groups spread out.

    ``history`` has columns ``by``, ``seed``, ``epoch`` and ``value``, one row per
    (group, seed, epoch), as ``BatchedRun.history`` has.

    >>> history = pd.DataFrame({"activation": "relu", "seed": [0, 1, 0, 1],
    ...                         "epoch": [1, 1, 2, 2], "test_acc": [0.5, 0.7, 0.8, 0.9]})
    >>> spec = accuracy_curves(history, references={"SVM": 0.95}).as_dict()
    >>> spec["data"]["mean"].tolist(), spec["layers"][-1]["data"]["label"].tolist()
    ([0.6, 0.85], ['SVM 0.950'])
    >>> accuracy_curves(history, low=0.75).as_dict()["coord"]["ylim"]
    [0.75, 0.905]
    """
    data = _frames.columns(history, name="history", names=[by, "seed", "epoch", value])
    band = data.groupby([by, "epoch"])[value].agg(["mean", "min", "max"]).reset_index()
    lines = pd.DataFrame({"label": [f"{k} {v:.3f}" for k, v in (references or {}).items()],
                          "y": list((references or {}).values())})
    plot = (ggplot(rounded(band), aes("epoch", "mean", color=by, fill=by))
            + geom_ribbon(aes(ymin="min", ymax="max"), alpha=0.2, size=0)
            + geom_line(size=1.1)
            + scale_color_manual(MODEL_COLORS) + scale_fill_manual(MODEL_COLORS)
            + labs(title=title, y=value.replace("_", " "), x="epoch", color="", fill="")
            + theme(legend_position="bottom") + ggsize(720, 380))
    if low is not None:
        plot += coord_cartesian(ylim=[low, max([float(data[value].max()), *lines["y"]]) + 0.005])
    if len(lines):
        plot += geom_hline(aes(yintercept="y"), data=rounded(lines), color="black",
                           linetype="dashed", size=0.6)
        plot += geom_text(aes(x="x", y="y", label="label"), data=rounded(lines).assign(
            x=float(data["epoch"].max())), hjust=1, vjust=-0.5, size=7, color="black",
            inherit_aes=False)
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
    data = _frames.columns(frame, name="frame", names=list(dict.fromkeys(axes + [color])))
    data["row"] = range(len(data))
    shared = list(shared or [])
    if not set(shared) <= set(axes) or not all(pd.api.types.is_numeric_dtype(data[c])
                                               for c in shared):
        raise ValueError(f"shared must list numeric columns among axes {axes}, got {shared}")
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


def heatmaps(table: pd.DataFrame, row: str = "point", column: str = "unit"):
    """One heatmap panel per ``layer`` of a tidy ``table`` (see ``long_table``): columns
    ``layer``, ``row``, ``column`` and ``value``, one row per cell.

    One diverging colour scale for all panels, centred at 0 (so the ReLU's zeros read as
    white) and symmetric, with its legend below.

    >>> table = pd.DataFrame({"layer": "h", "point": [0, 0, 1, 1], "unit": [0, 1, 0, 1],
    ...                       "value": [1.0, -2.0, 0.0, 0.5]})
    >>> [s["limits"] for s in heatmaps(table).as_dict()["scales"] if s["aesthetic"] == "fill"]
    [[-2.0, 2.0]]
    """
    data = _frames.columns(table, name="table", names=["layer", row, column, "value"])
    limit = float(np.abs(data["value"]).max()) or 1.0
    tips = (layer_tooltips().line(f"{row}|@{row}").line(f"{column}|@{column}")
            .line("value|@value"))
    return (ggplot(data, aes(as_discrete(column), as_discrete(row), fill="value"))
            + geom_tile(color="white", tooltips=tips)
            + facet_wrap("layer", ncol=data["layer"].nunique(), scales="free_x", order=0)
            + scale_fill_gradient2(low=COLD, mid="white", high=HOT,
                                   limits=[-limit, limit])
            + labs(x=column, y=row)
            + theme(legend_position="bottom", panel_grid=element_blank())
            + ggsize(760, 380))


def gradient_curves(grads: pd.DataFrame, every: int = 5, title: str = ""):
    """Mean absolute weight gradient per epoch, one line per layer, one panel per activation.

    ``grads`` is ``BatchedRun.grads`` (``activation``, ``seed``, ``epoch``, ``layer``,
    ``value``, one row each); lines are means over seeds, on a log scale. Only every
    ``every``-th epoch is drawn (and the first), which keeps the page light.

    >>> grads = pd.DataFrame({"activation": "relu", "seed": 0, "epoch": [1, 2, 3], "layer": 1,
    ...                       "value": [1.0, 0.5, 0.25]})
    >>> gradient_curves(grads, every=2).as_dict()["data"]["epoch"].tolist()
    [1, 2]
    """
    _checks.positive_int("every", every)
    data = _frames.columns(grads, name="grads", names=["activation", "seed", "epoch", "layer", "value"])
    data = data[(data.epoch % every == 0) | (data.epoch == 1)]
    mean = data.groupby(["activation", "layer", "epoch"], sort=False).value.mean().reset_index()
    return (ggplot(rounded(mean), aes("epoch", "value", color=as_discrete("layer", order=1)))
            + geom_line(size=1)
            + facet_wrap("activation", ncol=4, order=0)
            + scale_y_log10(format=".0e", expand=[0.1, 0])
            + labs(title=title, y="mean |gradient| of the weights", color="Linear layer")
            + theme(legend_position="bottom") + ggsize(760, 480))


# --- chapter 4: piecewise-linear approximation ---
