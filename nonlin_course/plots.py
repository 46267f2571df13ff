"""lets-plot figures. Each function takes results (tensors or DataFrames) and returns
a figure; none of them computes anything about a model.

Numbers are rounded to 4 significant digits before they go into a figure, so a
notebook's saved output does not change with the last bits of a float.
"""
import os

import numpy as np
import pandas as pd
import torch
from lets_plot import (LetsPlot, aes, as_discrete, coord_fixed, element_blank, facet_wrap,
                       geom_contour, geom_hline, geom_line, geom_point, geom_ribbon,
                       geom_tile, gggrid, ggplot, ggsize, labs, layer_tooltips,
                       scale_color_manual, scale_fill_gradient2, scale_fill_manual,
                       scale_fill_viridis, scale_y_log10, theme,
                       theme_minimal2)

from . import _checks

CLASS_COLORS = ["#1f77b4", "#ff7f0e"]
MODEL_COLORS = ["#7f7f7f", "#d62728", "#2ca02c", "#9467bd", "#8c564b"]


def in_colab() -> bool:
    """True when running inside Google Colab."""
    return "COLAB_RELEASE_TAG" in os.environ or "google.colab" in __import__("sys").modules


def setup_plots() -> None:
    """Configure lets-plot for where the notebook runs.

    Colab shows each output in its own frame, so every plot there carries its own
    copy of the library (from the CDN). Elsewhere the library is loaded once, offline;
    on the built site it comes from the site's static files instead.
    """
    if in_colab():
        LetsPlot.setup_html(isolated_frame=True, offline=False)
    else:
        LetsPlot.setup_html(isolated_frame=False, offline=True)
    LetsPlot.set_theme(theme_minimal2())


def rounded(frame: pd.DataFrame, digits: int = 4) -> pd.DataFrame:
    """A copy of ``frame`` with every float column rounded to ``digits`` significant digits."""
    _checks.positive_int("digits", digits)
    out = frame.copy()
    for column in out.select_dtypes("float").columns:
        out[column] = [float(f"{v:.{digits}g}") for v in out[column]]
    return out


def _frame(data, columns: list[str], optional: tuple[str, ...] = ()) -> pd.DataFrame:
    """The rounded ``columns`` of ``data`` (plus those of ``optional`` it has).

    Only the columns a figure uses are kept: lets-plot embeds all of its data in the page.
    """
    if not isinstance(data, pd.DataFrame):
        raise TypeError(f"expected a pandas DataFrame, got {type(data).__name__}")
    missing = [c for c in columns if c not in data.columns]
    if missing:
        raise ValueError(f"DataFrame lacks columns {missing}; it has {list(data.columns)}")
    return rounded(data[columns + [c for c in optional if c in data.columns]])


def scatter(X: torch.Tensor, y: torch.Tensor, title: str = ""):
    """Scatter plot of 2-D points ``X`` (n, 2) coloured by class ``y`` (n,)."""
    _checks.tensor_2d("X", X, columns=2)
    _checks.labels("y", y, X.shape[0])
    points = X.cpu()
    data = rounded(pd.DataFrame({"x1": points[:, 0], "x2": points[:, 1], "label": y.cpu()}))
    return (ggplot(data, aes("x1", "x2", color=as_discrete("label")))
            + geom_point(size=1.5, alpha=0.6) + scale_color_manual(CLASS_COLORS)
            + coord_fixed() + labs(title=title, color="class"))


def loss_curves(history: pd.DataFrame, value: str = "train_loss", title: str = ""):
    """Mean of ``value`` per epoch and model, with a band from the min to the max seed.

    ``history`` has columns ``model``, ``seed``, ``epoch`` and ``value``.
    """
    data = _frame(history, ["model", "seed", "epoch", value])
    band = (data.groupby(["model", "epoch"])[value].agg(["mean", "min", "max"])
            .reset_index())
    return (ggplot(band, aes("epoch", "mean", color="model", fill="model"))
            + geom_ribbon(aes(ymin="min", ymax="max"), alpha=0.25, size=0)
            + geom_line(size=1.2)
            + scale_color_manual(MODEL_COLORS) + scale_fill_manual(MODEL_COLORS)
            + labs(title=title, y=value.replace("_", " "), x="epoch"))


def _tiles(data: pd.DataFrame, fill, **kwargs):
    """Grid cells as tiles, 2 % wider than the grid step so rounded coordinates leave no seams."""
    return geom_tile(aes("x1", "x2", fill=fill), data=data, width=1.02, height=1.02, **kwargs)


def decision_regions(grid: pd.DataFrame, points: pd.DataFrame, title: str = ""):
    """Predicted class on a grid, with points on top and the misclassified ones crossed.

    ``grid`` has columns ``x1``, ``x2``, ``pred`` (see ``grid_predictions``);
    ``points`` has ``x1``, ``x2``, ``label``, ``pred``, ``correct``. The background
    uses the colours of the classes, so a dot on its own colour is a correct prediction.
    """
    cells = _frame(grid, ["x1", "x2", "pred"])
    pts = _frame(points, ["x1", "x2", "label", "pred", "correct"])
    wrong = pts[~pts["correct"]].drop(columns="correct")
    pts = pts.drop(columns="correct")
    tips = layer_tooltips().line("class|@label").line("predicted|@pred")
    return (ggplot()
            + _tiles(cells, as_discrete("pred", order=1), alpha=0.35, tooltips="none")
            + geom_point(aes("x1", "x2", color=as_discrete("label", order=1)), data=pts,
                         size=1.2, alpha=0.7, tooltips=tips)
            + geom_point(aes("x1", "x2"), data=wrong, shape=4, size=3, color="black",
                         tooltips=tips)
            + scale_fill_manual(CLASS_COLORS, guide="none") + scale_color_manual(CLASS_COLORS)
            + coord_fixed()
            + labs(title=title, color="class (crosses: wrong)")
            + theme(legend_position="bottom"))


def seed_dots(results: pd.DataFrame, by: str, value: str, title: str = "",
              free_y: bool = True, ncol: int = 4):
    """``value`` for each seed, one panel per group ``by``, with the group mean as a line.

    With ``free_y`` each panel has its own y scale, so the spread over seeds stays
    visible even when the groups lie far apart; without it the panels compare directly.
    """
    data = _frame(results, [by, "seed", value])
    means = data.groupby(by)[value].mean().rename("mean").reset_index()
    return (ggplot(data, aes(as_discrete("seed"), value))
            + geom_hline(aes(yintercept="mean"), data=means, color="black", linetype="dashed",
                         tooltips=layer_tooltips().line("mean|@mean"))
            + geom_point(aes(color=by), size=4,
                         tooltips=layer_tooltips().line("seed|@seed").line(f"{value}|@{value}"))
            + facet_wrap(by, scales="free_y" if free_y else "fixed", ncol=ncol, order=0)
            + labs(title=title, x="seed", y=value.replace("_", " "))
            + theme(legend_position="none")
            + ggsize(720, 300 if data[by].nunique() <= ncol else 460))


def heatmaps(table: pd.DataFrame, row: str = "point", column: str = "unit"):
    """One heatmap per ``layer`` of a tidy ``table`` (see ``long_table``), side by side.

    Shared diverging colours centred at 0, so the ReLU's zeros read as white.
    """
    data = _frame(table, ["layer", row, column, "value"])
    limit = float(np.abs(data["value"]).max()) or 1.0
    panels = []
    for name, part in data.groupby("layer", sort=False):
        panels.append(ggplot(part, aes(as_discrete(column), as_discrete(row), fill="value"))
                      + geom_tile(color="white",
                                  tooltips=layer_tooltips().line(f"{row}|@{row}")
                                  .line(f"{column}|@{column}").line("value|@value"))
                      + scale_fill_gradient2(low="#2166ac", mid="white", high="#b2182b",
                                             limits=[-limit, limit])
                      + labs(title=name, x=column, y=row)
                      + theme(legend_position="none", panel_grid=element_blank()))
    widths = [part[column].nunique() + 3 for _, part in data.groupby("layer", sort=False)]
    return gggrid(panels, ncol=len(panels), widths=widths) + ggsize(760, 320)


def region_map(grid: pd.DataFrame, title: str = ""):
    """Colour each grid point by its linear region (column ``region``) in the plane.

    With a column ``p1`` (probability of class 1) the decision boundary p1 = 0.5 is
    drawn on top.
    """
    data = _frame(grid, ["x1", "x2", "region"], optional=("p1",))
    # golden-ratio hashing spreads consecutive region ids over the colour scale
    data["colour"] = ((data["region"] * 0.618034) % 1).round(4)
    layers = [_tiles(None, "colour", tooltips=layer_tooltips().line("region|@region"))]
    if "p1" in data.columns:
        # One contour level sits midway between the extremes of z; clipping p1 - 0.5
        # to [-1, 1] puts that level exactly at p1 = 0.5.
        data["side"] = ((data.pop("p1") - 0.5) * 1000).clip(-1, 1).round(4)
        layers.append(geom_contour(aes(z="side"), bins=1, color="black", size=1.2,
                                   tooltips="none"))
    plot = ggplot(data, aes("x1", "x2"))
    for layer in layers:
        plot += layer
    return (plot + scale_fill_viridis(option="turbo") + coord_fixed() + labs(title=title)
            + theme(legend_position="none"))


def gradient_curves(grads: pd.DataFrame, every: int = 5, title: str = ""):
    """Mean absolute weight gradient per epoch, one line per layer, one panel per activation.

    ``grads`` is ``BatchedRun.grads``; lines are means over seeds, on a log scale. Only
    every ``every``-th epoch is drawn (and the first), which keeps the page light.
    """
    _checks.positive_int("every", every)
    data = _frame(grads, ["activation", "seed", "epoch", "layer", "value"])
    data = data[(data.epoch % every == 0) | (data.epoch == 1)]
    mean = data.groupby(["activation", "layer", "epoch"], sort=False).value.mean().reset_index()
    return (ggplot(rounded(mean), aes("epoch", "value", color=as_discrete("layer", order=1)))
            + geom_line(size=1)
            + facet_wrap("activation", ncol=4, order=0)
            + scale_y_log10(format=".0e")
            + labs(title=title, y="mean |gradient| of the weights", color="Linear layer")
            + theme(legend_position="bottom") + ggsize(760, 480))
