"""Chapter 4's figures: piecewise-linear fits, their errors on a log-log scale, and the
residuals between the knots.

Like :mod:`nonlin_course.figures.plots`, each function takes DataFrames and returns a lets-plot
figure.
"""
import numpy as np
import pandas as pd
from lets_plot import (aes, as_discrete, facet_wrap, geom_hline, geom_line, geom_point, ggplot,
                       ggsize, labs, layer_tooltips, scale_color_manual, scale_linetype_manual,
                       scale_x_log10, scale_y_log10, theme)

from .. import _checks
from . import _frames
from .palette import FIT_COLORS


def piecewise_fits(curves: pd.DataFrame, knots: pd.DataFrame | None = None, ncol: int = 4,
                   title: str = "", scales: str = "fixed"):
    """Target and approximations, one panel per ``panel``: ``curves`` has columns
    ``panel``, ``x``, ``curve``, ``value`` (see ``curve_table``), one row per point. Optional
    ``knots`` (``panel``, ``knot``, ``value``) are drawn as dots on the approximation
    (an empty knots table is meaningful: no dot). ``scales``
    ("fixed", "free", "free_x" or "free_y") lets panels with other ranges use their own axes.

    >>> curves = pd.DataFrame({"panel": "N = 1", "x": [0.0, 1.0] * 2, "value": [0.0, 1.0] * 2,
    ...                        "curve": ["target", "target", "fit", "fit"]})
    >>> [layer["geom"] for layer in piecewise_fits(curves).as_dict()["layers"]]
    ['line']
    """
    _checks.text("title", title)
    ncol = _checks.positive_int("ncol", ncol)
    if scales not in ("fixed", "free", "free_x", "free_y"):
        raise ValueError(f"scales must be 'fixed', 'free', 'free_x' or 'free_y', got {scales!r}")
    data = _frames.columns(_straight_runs_thinned(
        _frames.columns(curves, name="curves", names=["panel", "x", "curve", "value"], digits=None,
                        numeric=("x", "value"))),
        name="curves", names=["panel", "x", "curve", "value"])
    plot = (ggplot(data, aes("x", "value", color="curve"))
            + geom_line(size=1, tooltips=layer_tooltips().line("@curve").line("x|@x")
                        .line("y|@value")))
    if knots is not None:
        plot += geom_point(aes("knot", "value"), data=_frames.columns(
            knots, name="knots", names=["panel", "knot", "value"], numeric=("knot", "value"),
            empty=True),
                           color="black", size=2, inherit_aes=False)
    panels = data["panel"].nunique()
    return (plot + facet_wrap("panel", ncol=ncol, order=0, scales=scales)
            + scale_color_manual(FIT_COLORS)
            + labs(title=title, y="y", color="") + theme(legend_position="bottom")
            + ggsize(760, 160 + 200 * (-(-panels // ncol))))


def _straight_runs_thinned(data: pd.DataFrame, tolerance: float = 1e-5) -> pd.DataFrame:
    """``data`` without the points that lie on a straight line through their neighbours
    (per panel and curve, in order of x): the drawn line is the same, and a hinge sum
    needs only its kinks. A point stays where its second difference exceeds
    ``tolerance`` times the curve's range, and the ends always stay.

    >>> line = pd.DataFrame({"panel": "p", "curve": "c", "x": [0.0, 1, 2, 3, 4],
    ...                      "value": [0.0, 1, 2, 1, 0]})
    >>> _straight_runs_thinned(line).x.tolist()      # the ends and the kink at 2
    [0.0, 2.0, 4.0]
    """
    parts = []
    for _, part in data.groupby(["panel", "curve"], sort=False):
        part = part.sort_values("x")
        y = part["value"].to_numpy(dtype="float64")
        if len(y) < 3:
            parts.append(part)
            continue
        bend = np.abs(y[:-2] - 2 * y[1:-1] + y[2:])
        keep = np.r_[True, bend > tolerance * max(np.ptp(y), 1e-12), True]
        parts.append(part[keep])
    return pd.concat(parts)


def error_loglog(errors: pd.DataFrame, title: str = ""):
    """Error against N on log-log axes, one line per ``kind``: columns ``N``, ``kind``,
    ``error`` (positive), one row per (N, kind). A straight line of slope p means
    error ~ N^p.

    >>> errors = pd.DataFrame({"N": [1, 2, 4], "kind": "max", "error": [1.0, 0.25, 0.0625]})
    >>> scales = error_loglog(errors).as_dict()["scales"]
    >>> sorted(s["aesthetic"] for s in scales if s.get("trans") == "log10")
    ['x', 'y']
    """
    _checks.text("title", title)
    data = _frames.columns(errors, name="errors", names=["N", "kind", "error"],
                           positive=("N", "error"))
    if not (data["error"] > 0).all() or not (data["N"] > 0).all():
        raise ValueError("a log-log plot needs positive N and error values")
    return (ggplot(data, aes("N", "error", color="kind"))
            + geom_line(aes(linetype="kind"), size=1) + geom_point(size=3)
            # explicit limits: lets-plot does not expand log scales, and the end points
            # would sit on the panel's edges
            + scale_x_log10(limits=[data["N"].min() / 1.3, data["N"].max() * 1.3])
            + scale_y_log10(format=".0e",
                            limits=[data["error"].min() / 2, data["error"].max() * 2])
            + scale_color_manual(FIT_COLORS[1:])
            + scale_linetype_manual(["solid"] * 2 + ["dashed"] * 4)
            + labs(title=title, x="N (number of pieces, log scale)", y="error (log scale)",
                   color="", linetype="")
            + theme(legend_position="bottom") + ggsize(620, 400))


def residual_curves(curves: pd.DataFrame, knots: pd.DataFrame, title: str = ""):
    """Approximation minus target against x, one panel per ``method``, one line per
    ``run``; ``curves`` has ``method``, ``run``, ``x``, ``residual`` (one row per point);
    ``knots`` has ``method``, ``run``, ``knot`` (one row per knot, possibly none) and is
    drawn as ticks at residual 0.

    >>> curves = pd.DataFrame({"method": "hand", "run": "-", "x": [0.0, 1.0],
    ...                        "residual": [0.5, -0.5]})
    >>> knots = pd.DataFrame({"method": ["hand"], "run": ["-"], "knot": [0.5]})
    >>> [layer["geom"] for layer in residual_curves(curves, knots).as_dict()["layers"]]
    ['hline', 'line', 'point']
    """
    _checks.text("title", title)
    data = _frames.columns(curves, name="curves", names=["method", "run", "x", "residual"],
                           numeric=("x", "residual"))
    marks = _frames.columns(knots, name="knots", names=["method", "run", "knot"],
                            numeric=("knot",), empty=True)
    return (ggplot(data, aes("x", "residual", color=as_discrete("run")))
            + geom_hline(yintercept=0, color="black", size=0.5)
            + geom_line(size=0.8)
            + geom_point(aes("knot", color=as_discrete("run")), data=marks.assign(residual=0.0),
                         shape=3, size=4)
            + facet_wrap("method", ncol=3, order=0)
            + labs(title=title, x="x", y="approximation - target", color="run")
            + theme(legend_position="bottom") + ggsize(760, 340))
