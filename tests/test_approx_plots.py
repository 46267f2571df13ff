"""Tests of chapter 4's figures (nonlin_course.figures.approx_plots): piecewise-linear fits, their
errors on log-log axes and the residuals."""
import numpy as np
import pandas as pd
import pytest
import torch
from figure_helpers import geoms

import nonlin_course as nc


def _fits_table():
    x = torch.tensor([0.0, 0.5, 1.0], dtype=torch.float64)
    one = nc.curve_table(x, target=lambda t: t ** 2, approximation=lambda t: t).assign(panel="a")
    two = nc.curve_table(x, target=lambda t: t ** 2, approximation=lambda t: 2 * t).assign(panel="b")
    return pd.concat([one, two], ignore_index=True)


def test_piecewise_fits_facets_panels_and_draws_knots():
    knots = pd.DataFrame({"panel": ["a", "b"], "knot": [0.0, 0.5], "value": [0.0, 1.0]})
    spec = nc.piecewise_fits(_fits_table(), knots, ncol=2).as_dict()
    assert geoms(spec) == ["line", "point"]
    assert spec["mapping"] == {"x": "x", "y": "value", "color": "curve"}
    assert spec["facet"]["facets"] == "panel" and spec["facet"]["ncol"] == 2
    data = pd.DataFrame(spec["data"])
    # the targets keep every point; the straight approximations only their two ends
    table = _fits_table()
    straight = (table.curve == "approximation") & (table.x == 0.5)
    assert data.to_dict("list") == table[~straight][["panel", "x", "curve", "value"]] \
        .to_dict("list")
    assert pd.DataFrame(spec["layers"][1]["data"]).knot.tolist() == [0.0, 0.5]
    assert geoms(nc.piecewise_fits(_fits_table()).as_dict()) == ["line"]
    free = nc.piecewise_fits(_fits_table(), scales="free").as_dict()
    assert free["facet"]["scales"] == "free" and spec["facet"].get("scales", "fixed") == "fixed"


def test_piecewise_fits_draws_the_same_line_with_fewer_points():
    x = nc.fine_grid(-1, 3, 201)
    hinges = nc.Hinges(torch.tensor([0.0, 1.0, 2.0]), torch.tensor([1.0, -2.0, 1.5]), 0.0)
    table = nc.curve_table(x, target=lambda t: t ** 2, approximation=hinges).assign(panel="p")
    drawn = pd.DataFrame(nc.piecewise_fits(table).as_dict()["data"])
    for curve, part in table.groupby("curve"):
        kept = drawn[drawn.curve == curve]
        # linear interpolation between the kept points gives back every original point
        again = np.interp(part.x, kept.x, kept.value)
        assert np.allclose(again, part.value, atol=1e-3 * np.ptp(part.value)), curve
    assert (drawn.curve == "approximation").sum() <= 3 + 2     # kinks and ends only
    assert (drawn.curve == "target").sum() == 201               # a parabola has no straight run


def test_piecewise_fits_rejects_bad_input():
    with pytest.raises(ValueError, match=r"lacks columns \['panel'\]"):
        nc.piecewise_fits(_fits_table().drop(columns="panel"))
    with pytest.raises(ValueError, match="ncol must be a positive int"):
        nc.piecewise_fits(_fits_table(), ncol=0)
    with pytest.raises(ValueError, match="scales must be 'fixed', 'free'"):
        nc.piecewise_fits(_fits_table(), scales="loose")


def test_error_loglog_uses_log_axes_and_keeps_values():
    errors = pd.DataFrame({"N": [1, 2, 4] * 2, "kind": ["max"] * 3 + ["mean"] * 3,
                           "error": [1.0, 0.25, 0.0625, 0.5, 0.125, 0.03125]})
    spec = nc.error_loglog(errors).as_dict()
    assert geoms(spec) == ["line", "point"]
    assert spec["mapping"] == {"x": "N", "y": "error", "color": "kind"}
    transforms = {s["aesthetic"]: s.get("trans") for s in spec["scales"] if "trans" in s}
    assert transforms == {"x": "log10", "y": "log10"}
    assert pd.DataFrame(spec["data"]).to_dict("list") == errors.to_dict("list")
    # the axes reach past the end points, which would otherwise sit on the panel's edges
    limits = {s["aesthetic"]: s["limits"] for s in spec["scales"] if "limits" in s}
    assert limits["x"][0] < 1 and limits["x"][1] > 4
    assert limits["y"][0] < 0.03125 and limits["y"][1] > 1.0
    with pytest.raises(ValueError, match="must be > 0"):
        nc.error_loglog(errors.assign(error=0.0))
    with pytest.raises(ValueError, match=r"lacks columns \['kind'\]"):
        nc.error_loglog(errors.drop(columns="kind"))


def test_residual_curves_facets_methods_and_marks_knots_at_zero():
    curves = pd.DataFrame({"method": ["hand", "hand", "net", "net"], "run": ["-", "-", "0", "0"],
                           "x": [0.0, 1.0, 0.0, 1.0], "residual": [0.125, 0.0, -0.5, 0.25]})
    knots = pd.DataFrame({"method": ["hand", "net"], "run": ["-", "0"], "knot": [0.5, 0.75]})
    spec = nc.residual_curves(curves, knots).as_dict()
    assert geoms(spec) == ["hline", "line", "point"]
    assert spec["facet"]["facets"] == "method"
    assert pd.DataFrame(spec["data"]).residual.tolist() == [0.125, 0.0, -0.5, 0.25]
    marks = pd.DataFrame(spec["layers"][2]["data"])
    assert marks.knot.tolist() == [0.5, 0.75] and (marks.residual == 0).all()
    with pytest.raises(ValueError, match=r"lacks columns \['knot'\]"):
        nc.residual_curves(curves, knots.drop(columns="knot"))
