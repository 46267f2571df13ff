"""The course's colours, named once; every figure takes its colours from here.

The named colours are matplotlib's (Tableau) defaults, so the figures look like the
plots a reader has seen elsewhere.

>>> CLASS_COLORS
['#1f77b4', '#ff7f0e']
"""

BLUE, ORANGE, GREEN, RED = "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728"
PURPLE, BROWN, GREY = "#9467bd", "#8c564b", "#7f7f7f"
LIGHT_GREY = "#bbbbbb"  # reference lines at 0
AXIS_GREY = "#999999"  # the vertical axes of parallel coordinates
COLD, HOT = "#2166ac", "#b2182b"  # the ends of the diverging heatmap scale


def tint(colour: str, strength: float = 0.35) -> str:
    """``colour`` (``"#rrggbb"``) at ``strength`` over white, as ``"#rrggbb"``.

    >>> tint("#1f77b4")
    '#b1cfe5'
    """
    rgb = [int(colour[i : i + 2], 16) for i in (1, 3, 5)]
    return "#" + "".join(f"{round(255 - (255 - v) * strength):02x}" for v in rgb)


CLASS_COLORS = [BLUE, ORANGE]
# The class colours at 35 % over white: the background of the decision-region maps.
CLASS_TINTS = [tint(c) for c in CLASS_COLORS]
MODEL_COLORS = [GREY, RED, GREEN, PURPLE, BROWN]
FIT_COLORS = [GREY, RED, BLUE, GREEN, PURPLE, ORANGE]
DOT_COLOR = BLUE
CURVE_COLORS = [BLUE, RED]  # an activation and its derivative
# Ten colours easily told apart (Tableau 10), for maps of regions.
REGION_PALETTE = [
    "#4e79a7",
    "#f28e2b",
    "#e15759",
    "#76b7b2",
    "#59a14f",
    "#edc948",
    "#b07aa1",
    "#ff9da7",
    "#9c755f",
    "#bab0ac",
]
