"""What the tests of the figures share (tests/test_plots.py, test_maps.py, ...): the
layers of a figure, whether lets-plot can draw it, and a few points to draw."""

import torch


def geoms(spec: dict) -> list[str]:
    """The kinds of the layers of a figure's ``as_dict()``, in order."""
    return [layer["geom"] for layer in spec["layers"]]


def renders(plot) -> bool:
    """lets-plot draws the figure: a spec it cannot render gives an SVG with an Exception."""
    svg = plot.to_svg()
    return "<svg" in svg and "Exception" not in svg


# Points with at most 4 significant digits, so rounding leaves them as they are.
X = torch.tensor([[-1.5, 0.25], [-0.5, -1.0], [0.75, 0.5], [1.25, -0.125], [2.0, 1.0]])
Y = torch.tensor([0, 1, 1, 0, 1])  # the half-plane model gets points 1 and 3 wrong
