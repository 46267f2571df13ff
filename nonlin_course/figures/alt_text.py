"""A figure's text alternative: what it shows and its main reading, in words.

Every figure function takes ``alt=`` and passes it here; :func:`described` also serves
a figure a chapter assembles itself (a ``gggrid`` of figures). The text travels in the
figure's spec (key ``"alt"``), so a notebook's saved output carries it; the built site
(``book/_ext/static_figures.py``) shows it under the static figure as its description,
next to a link to the figure's data, and ``tools/check_site.py`` fails on a chapter
figure without one.
"""

from .. import _checks


def described(figure, alt: str):
    """``figure`` (a lets-plot ``PlotSpec`` or ``gggrid``) with ``alt`` as its text
    alternative; returns the same figure. ``alt`` "" leaves the figure as it is.

    >>> from lets_plot import aes, geom_point, ggplot
    >>> fig = described(ggplot({"x": [0, 1], "y": [1, 0]}, aes("x", "y")) + geom_point(),
    ...                 "Two points on a falling   line.")
    >>> fig.as_dict()["alt"]
    'Two points on a falling line.'
    """
    _checks.text("alt", alt)
    if not hasattr(figure, "props"):
        raise TypeError(
            f"figure must be a lets-plot figure (ggplot or gggrid), got {type(figure).__name__}"
        )
    text = " ".join(alt.split())
    if text:
        figure.props()["alt"] = text
    return figure
