"""Exact linear regions (nonlin_course/inside/polygons.py) against a fine grid's patterns,
the arrangement formula 1 + lines + crossings, and the network's own logits."""
import numpy as np
import pandas as pd
import pytest
import torch
from torch import nn

import nonlin_course as nc
from nonlin_course.figures.maps import polygon_colours
from nonlin_course.figures.region_labels import label_points, touching
from nonlin_course.inside.regions import relu_patterns

BOX = ((-1.5, -1.5), (1.5, 1.5))


def net(seed, hidden=8):
    torch.manual_seed(seed)
    return nn.Sequential(nn.Linear(2, hidden), nn.ReLU(), nn.Linear(hidden, 2))


@pytest.mark.parametrize("seed", range(4))
def test_the_polygons_are_the_regions_a_fine_grid_sees(seed):
    model = net(seed)
    polygons = nc.region_polygons(model, BOX)
    axis = torch.linspace(-1.5, 1.5, 601)[1:-1]
    grid = torch.cartesian_prod(axis, axis)
    assert polygons.region.nunique() >= nc.count_regions(model, grid)       # a grid can miss slivers
    big = polygons.groupby("region").area.first() > 1e-3                    # those it cannot miss
    assert big.sum() <= nc.count_regions(model, grid)
    areas = polygons.groupby("region").area.first()
    assert areas.sum() == pytest.approx(9.0)                                 # they tile the box
    lines, crossings = nc.line_crossings(model, BOX)
    assert polygons.region.nunique() == 1 + lines + crossings


@pytest.mark.parametrize("seed", range(3))
def test_each_polygon_has_the_pattern_of_its_inside(seed):
    model = net(seed)
    polygons = nc.region_polygons(model, BOX)
    centres = polygons.groupby("region")[["x1", "x2"]].mean()
    patterns = relu_patterns(model, torch.tensor(centres.values, dtype=torch.float32))
    want = polygons.groupby("region").pattern.first()
    assert ["".join("1" if on else "0" for on in row) for row in patterns.tolist()] == want.tolist()


@pytest.mark.parametrize("seed", range(3))
def test_the_decision_segments_lie_where_the_logits_tie(seed):
    model = net(seed)
    polygons = nc.region_polygons(model, BOX)
    segments = nc.decision_segments(model, polygons)
    corners = model(torch.tensor(polygons[["x1", "x2"]].values, dtype=torch.float32))
    difference = (corners[:, 1] - corners[:, 0]).detach()
    assert (len(segments) > 0) == bool((difference > 0).any() and (difference < 0).any())
    for columns in (["x1", "x2"], ["x1end", "x2end"]) if len(segments) else ():
        logits = model(torch.tensor(segments[columns].to_numpy(float), dtype=torch.float32))
        assert torch.allclose(logits[:, 0], logits[:, 1], atol=1e-4)


def test_touching_regions_differ_in_one_unit_and_get_other_colours():
    polygons = nc.region_polygons(net(0), BOX)
    colours = polygon_colours(polygons)
    for region, neighbours in touching(polygons).items():
        assert all(colours[region] != colours[n] for n in neighbours)


def test_labels_stay_clear_of_the_edges():
    polygons = nc.region_polygons(net(1), BOX)
    few, many = label_points(polygons, 0.3), label_points(polygons, 0.01)
    assert 0 < len(few) < len(many) <= polygons.region.nunique()
    assert few.number.tolist() == list(range(1, len(few) + 1))


def test_the_map_draws_polygons_lines_and_the_boundary():
    model = net(2)
    polygons = nc.region_polygons(model, BOX)
    grid = nc.plane_grid(torch.tensor(BOX, dtype=torch.float32), steps=20)
    spec = nc.polygon_region_map(polygons, lines=nc.unit_lines(model, grid),
                                 boundary=nc.decision_segments(model, polygons), title="t").as_dict()
    assert [layer["geom"] for layer in spec["layers"]] == ["polygon", "segment", "segment", "text"]


def test_bad_models_and_boxes_are_named():
    with pytest.raises(ValueError, match=r"model must be Linear\(2, h\) -> ReLU -> Linear"):
        nc.region_polygons(nn.Sequential(nn.Linear(3, 2), nn.ReLU(), nn.Linear(2, 1)), BOX)
    with pytest.raises(ValueError, match=r"box must be"):
        nc.region_polygons(net(0), ((1, 1), (0, 0)))
    with pytest.raises(ValueError, match=r"polygons: DataFrame lacks columns"):
        nc.decision_segments(net(0), pd.DataFrame({"x": [0.0]}))
    assert np.isfinite(nc.region_polygons(net(0), BOX)[["x1", "x2"]].values).all()
