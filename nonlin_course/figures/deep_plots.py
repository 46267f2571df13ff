"""lets-plot figures of chapter 5 (deep networks). Each takes a DataFrame of results and
returns a ``PlotSpec``; the data goes in trimmed and rounded (:mod:`nonlin_course.figures._frames`).
"""
import pandas as pd
from lets_plot import (aes, as_discrete, facet_wrap, geom_hline, geom_line, geom_point,
                       ggplot, labs, position_jitterdodge, scale_color_manual,
                       scale_color_viridis, scale_x_log10, scale_y_log10, stat_summary)

from .. import _checks
from . import _frames
from .palette import BLUE, GREY, MODEL_COLORS, RED

KIND_COLORS = [BLUE, RED]


def sawtooth_curves(curves: pd.DataFrame, title: str = ""):
    """The composed tent map: ``value`` against ``x``, one line per ``layers``.

    >>> data = pd.DataFrame({"x": [0.0, 1.0], "value": [0.0, 0.0], "layers": [1, 1]})
    >>> sawtooth_curves(data).as_dict()["facet"]["facets"]
    'layers'
    """
    _checks.text("title", title)
    data = _frames.columns(curves, name="curves", names=["x", "value", "layers"],
                           numeric=("x", "value"))
    return (ggplot(data, aes("x", "value")) + geom_line(color=BLUE, size=1)
            + facet_wrap("layers", ncol=4, format="L = {d}")
            + labs(title=title, x="x", y="tent map composed L times"))


def pieces_vs_units(table: pd.DataFrame, title: str = ""):
    """Pieces against hidden units for the deep and the one-layer sawtooth (log scales);
    ``table`` as from :func:`nonlin_course.piecewise.depth.sawtooth_table`.

    >>> t = pd.DataFrame({"layers": [1], "deep_units": [2], "deep_pieces": [2],
    ...                   "shallow_units": [2], "shallow_pieces": [2]})
    >>> len(pieces_vs_units(t).as_dict()["data"])
    2
    """
    _checks.text("title", title)
    parts = [_frames.columns(table, name="table", names=["layers", f"{net}_units", f"{net}_pieces"],
                             positive=(f"{net}_units", f"{net}_pieces"))
             .set_axis(["layers", "units", "pieces"], axis=1).assign(net=label)
             for net, label in [("deep", "deep: L layers of 2"), ("shallow", "one hidden layer")]]
    data = pd.concat(parts, ignore_index=True)
    return (ggplot(data, aes("units", "pieces", color="net"))
            + geom_line(size=1) + geom_point(size=3)
            + scale_x_log10() + scale_y_log10() + scale_color_manual(KIND_COLORS)
            + labs(title=title, x="hidden units", y="linear pieces on [0, 1]", color=""))


def regions_by_depth(regions: pd.DataFrame, bound: float, title: str = ""):
    """Linear regions counted per seed (dots) and their mean, against ``depth``, for each
    ``kind`` (random, trained), with the one-layer maximum ``bound`` as a dashed line;
    one panel per ``init`` if ``regions`` has that column.

    >>> r = pd.DataFrame({"depth": [1, 2], "kind": ["random"] * 2, "seed": [0, 0],
    ...                   "regions": [10, 20]})
    >>> [layer["geom"] for layer in regions_by_depth(r, 37).as_dict()["layers"]]
    ['hline', 'point', 'point']
    """
    _checks.text("title", title)
    bound = _checks.positive_number("bound", bound)
    data = _frames.columns(regions, name="regions", names=["depth", "kind", "seed", "regions"],
                           optional=("init",), positive=("regions",))
    plot = ggplot(data, aes(as_discrete("depth"), "regions", color="kind"))
    if "init" in data:
        plot += facet_wrap("init", format="{} initialisation")
    return (plot
            + geom_hline(yintercept=float(bound), color=GREY, linetype="dashed")
            + geom_point(size=2.5, alpha=0.6,
                         position=position_jitterdodge(jitter_width=0.3, dodge_width=0.6,
                                                       seed=0))
            + stat_summary(fun="mean", geom="point", shape=4, size=6,
                           position=position_jitterdodge(jitter_width=0, dodge_width=0.6))
            + scale_y_log10() + scale_color_manual(KIND_COLORS)
            + labs(title=title, x="hidden layers (equal parameter count)",
                   y="linear regions in the window", color=""))


def layer_curves(stats: pd.DataFrame, value: str, title: str = "", log: bool = True):
    """``value`` against ``layer``, one line per ``init`` (mean over the rows of each
    init and layer), one panel per ``activation``.

    >>> s = pd.DataFrame({"activation": "relu", "init": ["a", "a"], "layer": [1, 2],
    ...                   "act_std": [1.0, 0.5]})
    >>> layer_curves(s, "act_std").as_dict()["data"]["act_std"].tolist()
    [1.0, 0.5]
    """
    _checks.text("title", title)
    _checks.flag("log", log)
    data = _frames.columns(stats, name="stats", names=["activation", "init", "layer", value],
                           named_by={"value": value}, numeric=("layer", value),
                           positive=(value,) if log else ())
    data = data.groupby(["activation", "init", "layer"], sort=False)[value].mean().reset_index()
    figure = (ggplot(data, aes("layer", value, color="init"))
              + geom_line(size=1) + geom_point(size=2)
              + facet_wrap("activation", scales="free_y")
              + scale_color_manual(MODEL_COLORS)
              + labs(title=title, x="hidden layer", y=value.replace("_", " ")))
    return figure + scale_y_log10() if log else figure


def histogram_lines(hist: pd.DataFrame, title: str = "", ncol: int = 3):
    """Histograms as lines (``x`` against ``share``), one colour per ``layer``, one panel
    per ``init``.

    >>> h = pd.DataFrame({"init": "a", "layer": [1, 1], "x": [0.0, 1.0], "share": [0.5, 0.5]})
    >>> histogram_lines(h).as_dict()["facet"]["facets"]
    'init'
    """
    _checks.text("title", title)
    ncol = _checks.positive_int("ncol", ncol)
    data = _frames.columns(hist, name="hist", names=["init", "layer", "x", "share"],
                           numeric=("x", "share"))
    return (ggplot(data, aes("x", "share", color="layer", group="layer"))
            + geom_line(size=0.8) + facet_wrap("init", ncol=ncol, scales="free")
            + scale_color_viridis(end=0.9)
            + labs(title=title, x="value", y="share of values"))


def update_ratio_curves(updates: pd.DataFrame, guide: float = -3.0, title: str = ""):
    """log10 update-to-data ratio (``value``) against ``step``, one colour per ``layer``
    (mean over the rows of each), one panel per ``lr``, with the ``guide`` line.

    >>> u = pd.DataFrame({"lr": 0.1, "step": [1, 1], "layer": [1, 2], "value": [-3.0, -2.0]})
    >>> update_ratio_curves(u).as_dict()["data"]["value"].tolist()
    [-3.0, -2.0]
    """
    _checks.text("title", title)
    guide = _checks.finite_number("guide", guide)
    data = _frames.columns(updates, name="updates", names=["lr", "step", "layer", "value"],
                           numeric=("step", "value"))
    data = data.groupby(["lr", "step", "layer"])["value"].mean().reset_index()
    data["rate"] = [f"lr {lr:g}" for lr in data.lr]     # "lr 0.001", not "lr 0.00100000"
    return (ggplot(data, aes("step", "value", color="layer", group="layer"))
            + geom_hline(yintercept=guide, color="black", linetype="dashed")
            + geom_line(size=0.8) + facet_wrap("rate", order=1)
            + scale_color_viridis(end=0.9)
            + labs(title=title, x="step", y="log10 update / data"))


def accuracy_by_norm(results: pd.DataFrame, title: str = ""):
    """Test accuracy per seed (dots) and mean (cross) for each ``norm``, one panel per
    ``activation``.

    >>> r = pd.DataFrame({"activation": "tanh", "norm": ["none", "batchnorm"],
    ...                   "seed": [0, 0], "test_acc": [0.1, 0.9]})
    >>> accuracy_by_norm(r).as_dict()["facet"]["facets"]
    'activation'
    """
    _checks.text("title", title)
    data = _frames.columns(results, name="results",
                           names=["activation", "norm", "seed", "test_acc"],
                           numeric=("test_acc",))
    return (ggplot(data, aes("norm", "test_acc"))
            + geom_point(size=2.5, alpha=0.6, color=BLUE,
                         position=position_jitterdodge(jitter_width=0.25, dodge_width=0.1,
                                                       seed=0))
            + stat_summary(fun="mean", geom="point", shape=4, size=6, color=RED)
            + facet_wrap("activation")
            + labs(title=title, x="", y="test accuracy"))
