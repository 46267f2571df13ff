"""lets-plot figures of training and of a network's insides: points, loss and accuracy
curves, a dot per seed, heatmaps of the layers, gradients per layer. Each function takes
results (tensors or DataFrames) and returns a figure, a lets-plot ``PlotSpec``; none of
them computes anything about a model. The other figures: maps of the plane
(:mod:`nonlin_course.figures.maps`), the activation zoo (:mod:`nonlin_course.figures.zoo_plots`),
chapter 4 (:mod:`nonlin_course.figures.approx_plots`) and chapter 5
(:mod:`nonlin_course.figures.deep_plots`).

The data goes in trimmed to the columns a figure uses and rounded to 4 significant
digits (see :mod:`nonlin_course.figures._frames`), so a notebook's saved output does not change
with the last bits of a float. The colours come from :mod:`nonlin_course.figures.palette`.
"""
import numpy as np
import pandas as pd
import torch
from lets_plot import (aes, as_discrete, coord_cartesian, coord_fixed, element_blank,
                       facet_wrap, geom_hline, geom_line, geom_point, geom_ribbon, geom_text,
                       geom_tile, ggplot, ggsize, labs, layer_tooltips, scale_color_manual,
                       scale_fill_gradient2, scale_fill_manual, scale_y_continuous,
                       scale_y_log10, theme)

from .. import _checks
from . import _frames
from ._frames import rounded
from .palette import CLASS_COLORS, COLD, DOT_COLOR, HOT, MODEL_COLORS


def scatter(X: torch.Tensor, y: torch.Tensor, title: str = ""):
    """Scatter plot of 2-D points ``X`` (n, 2) coloured by class ``y`` (n,).

    >>> fig = scatter(torch.tensor([[0.0, 1.0], [1.0, 0.5]]), torch.tensor([0, 1]))
    >>> type(fig).__name__, [layer["geom"] for layer in fig.as_dict()["layers"]]
    ('PlotSpec', ['point'])
    """
    _checks.text("title", title)
    X = _checks.finite("X", _checks.tensor_2d("X", X, columns=2))
    if not X.is_floating_point():
        X = X.double()
    y = _checks.labels("y", y, X.shape[0])
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
    _checks.text("title", title)
    data = _frames.columns(history, name="history", names=["model", "seed", "epoch", value],
                           named_by={"value": value}, numeric=("epoch", value))
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
    _checks.text("title", title)
    _checks.flag("free_y", free_y)
    ncol = _checks.positive_int("ncol", ncol)
    data = _frames.columns(results, name="results", names=[by, "seed", value],
                           named_by={"by": by, "value": value}, numeric=(value,))
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
    _checks.text("title", title)
    references = _references(references)
    low = None if low is None else _checks.finite_number("low", low)
    data = _frames.columns(history, name="history", names=[by, "seed", "epoch", value],
                           named_by={"by": by, "value": value}, numeric=("epoch", value))
    band = data.groupby([by, "epoch"])[value].agg(["mean", "min", "max"]).reset_index()
    lines = pd.DataFrame({"label": [f"{k} {v:.3f}" for k, v in references.items()],
                          "y": list(references.values())})
    plot = (ggplot(rounded(band), aes("epoch", "mean", color=by, fill=by))
            + geom_ribbon(aes(ymin="min", ymax="max"), alpha=0.2, size=0)
            + geom_line(size=1.1)
            + scale_color_manual(MODEL_COLORS) + scale_fill_manual(MODEL_COLORS)
            + labs(title=title, y=value.replace("_", " "), x="epoch", color="", fill="")
            + theme(legend_position="bottom") + ggsize(720, 380))
    if low is not None:
        top = max([float(data[value].max()), *lines["y"]]) + 0.005
        if not low < top:
            raise ValueError(f"low must lie below the highest {value} or reference "
                             f"({top:.4g}), got {low!r}")
        plot += coord_cartesian(ylim=[low, top])
    if len(lines):
        plot += geom_hline(aes(yintercept="y"), data=rounded(lines), color="black",
                           linetype="dashed", size=0.6)
        plot += geom_text(aes(x="x", y="y", label="label"), data=rounded(lines).assign(
            x=float(data["epoch"].max())), hjust=1, vjust=-0.5, size=7, color="black",
            inherit_aes=False)
    return plot


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
    data = _frames.columns(table, name="table", names=["layer", row, column, "value"],
                           named_by={"row": row, "column": column}, numeric=("value",))
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
    _checks.text("title", title)
    every = _checks.positive_int("every", every)
    data = _frames.columns(grads, name="grads", names=["activation", "seed", "epoch", "layer", "value"],
                           numeric=("epoch", "layer"), positive=("value",))
    data = data[(data.epoch % every == 0) | (data.epoch == 1)]
    mean = data.groupby(["activation", "layer", "epoch"], sort=False).value.mean().reset_index()
    return (ggplot(rounded(mean), aes("epoch", "value", color=as_discrete("layer", order=1)))
            + geom_line(size=1)
            + facet_wrap("activation", ncol=4, order=0)
            + scale_y_log10(format=".0e", expand=[0.1, 0])
            + labs(title=title, y="mean |gradient| of the weights", color="Linear layer")
            + theme(legend_position="bottom") + ggsize(760, 480))


def _references(references) -> dict:
    """``references`` ({label: value}, or None) checked: each value a finite number."""
    if references is None:
        return {}
    if not isinstance(references, dict):
        raise TypeError(f"references must be a dict {{label: value}}, got "
                        f"{type(references).__name__}")
    return {label: _checks.finite_number(f"references[{label!r}]", value)
            for label, value in references.items()}
