"""Tests of nonlin_course.deep_plots: what the figures put in their panels."""

import pandas as pd

import nonlin_course as nc


def test_update_ratio_panels_name_the_rate_as_written():
    u = pd.DataFrame(
        {
            "lr": [0.001, 0.001, 1.0, 1.0],
            "step": [1, 2, 1, 2],
            "layer": [1, 1, 1, 1],
            "value": [-3.0, -2.5, -1.0, -1.2],
        }
    )
    spec = nc.update_ratio_curves(u).as_dict()
    assert spec["facet"]["facets"] == "rate"
    assert sorted(set(spec["data"]["rate"])) == ["lr 0.001", "lr 1"]


def test_regions_get_one_panel_per_initialisation_when_given():
    r = pd.DataFrame(
        {
            "depth": [1, 2, 1, 2],
            "kind": "random",
            "seed": 0,
            "init": ["default", "default", "kaiming", "kaiming"],
            "regions": [10, 20, 5, 6],
        }
    )
    spec = nc.regions_by_depth(r, 37).as_dict()
    assert spec["facet"]["facets"] == "init"
    assert sorted(set(spec["data"]["init"])) == ["default", "kaiming"]
    without = nc.regions_by_depth(r.drop(columns="init"), 37).as_dict()
    assert "facet" not in without and "init" not in without["data"]
