"""The dark flavour of a lets-plot figure spec, for the site's dark mode.

lets-plot's own dark flavour (``darcula``) recolours axes, grid and text, not what the
figure itself draws: a pale fill (the decision-region maps' class tints) stays pale and
the boundary drawn on it in black becomes the flavour's light grey, so the two vanish
into each other. Here, besides the flavour:

- a pale fill (in a data column of colours, as ``scale_fill_identity`` reads them, or
  at a fill scale's ends) gets its lightness mirrored: the same hue, as dark as it was
  light, so the light ink drawn on it keeps its contrast;
- ink drawn in black (boundaries, crosses) becomes ``DARK_INK``;
- the plot's background is the page's dark background, so no figure is a grey card.

``static/letsplot_site.js`` applies the same rules to the interactive figures (its
``recolour``); tests/test_site_figures.py checks the two agree on the chapters' figures.
"""

import copy
import re

DARK_PAPER = "#14181e"  # the theme's dark background (pydata-sphinx-theme)
DARK_INK = "#d0d0d0"  # what the figures draw in black, in dark mode
BLACKS = {"black", "#000000", "#000"}
PALE = 0.7  # HSL lightness above which a fill counts as pale
DARKER = 0.7  # ... and its mirror's lightness scaled by this (same hue,
# saturation): the class colours' points keep 3:1 on it
HEX = re.compile(r"#[0-9a-fA-F]{6}")


def mirrored(colour: str) -> str:
    """A pale ``"#rrggbb"`` with its HSL lightness mirrored and lowered
    (l -> DARKER (1 - l), same hue and saturation); other colours as given.

    >>> mirrored("#b1cfe5"), mirrored("#1f77b4"), mirrored("red")
    ('#122737', '#1f77b4', 'red')
    """
    if not isinstance(colour, str) or not HEX.fullmatch(colour):
        return colour
    rgb = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    shift = max(rgb) + min(rgb) - 1  # 2 l - 1: l -> 1 - l lowers every channel by it,
    # and scaling the channels scales lightness and chroma alike (hue and saturation kept)
    if shift <= 2 * PALE - 1:
        return colour
    return "#" + "".join(f"{round((v - shift) * DARKER * 255):02x}" for v in rgb)


def _colour_columns(data: dict) -> None:
    for name, values in (data or {}).items():
        if (
            isinstance(values, list)
            and values
            and all(isinstance(v, str) and HEX.fullmatch(v) for v in values)
        ):
            data[name] = [mirrored(v) for v in values]


def _one(spec: dict, paper: str) -> None:
    theme = spec.setdefault("theme", {}) or {}
    spec["theme"] = theme
    theme["flavor"] = "darcula"
    theme["plot_background"] = {"fill": paper, "color": paper, "blank": False}
    _colour_columns(spec.get("data"))
    for layer in spec.get("layers") or []:
        _colour_columns(layer.get("data"))
        for key in ("color", "fill"):
            if isinstance(layer.get(key), str) and layer[key].lower() in BLACKS:
                layer[key] = DARK_INK
    for scale in spec.get("scales") or []:
        if scale.get("aesthetic") in ("fill", ["fill"]):
            for key in ("low", "mid", "high", "na_value"):
                if key in scale:
                    scale[key] = mirrored(scale[key])
            if isinstance(scale.get("values"), list):
                scale["values"] = [mirrored(v) for v in scale["values"]]
    for figure in spec.get("figures") or []:
        if figure:
            _one(figure, paper)


def dark_spec(spec: dict, paper: str = DARK_PAPER) -> dict:
    """A copy of ``spec`` in the dark flavour (see the module's docstring).

    >>> spec = {"kind": "plot", "data": {"fill": ["#b1cfe5"]},
    ...         "layers": [{"geom": "contour", "color": "black"}]}
    >>> dark = dark_spec(spec)
    >>> dark["data"]["fill"], dark["layers"][0]["color"], dark["theme"]["flavor"]
    (['#122737'], '#d0d0d0', 'darcula')
    >>> spec["data"]["fill"]   # the original is left alone
    ['#b1cfe5']
    """
    dark = copy.deepcopy(spec)
    _one(dark, paper)
    return dark
