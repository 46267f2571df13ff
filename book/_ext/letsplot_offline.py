"""Sphinx extension: serve lets-plot's JavaScript once for the whole site, offline, and
only to the pages that draw a figure.

The library ships inside the lets-plot Python package; this adds that folder to the
static files. A page with a saved figure (static_figures.py shows it as a static SVG and
keeps lets-plot's output, inert, for the interactive version) gets ``letsplot_site.js``
(in ``static/`` beside this file), which swaps in the dark SVGs in the theme's dark mode
and, only when the reader points at, touches or tabs into a figure, fetches the 2.9 MB
library and draws that figure interactively in its place (see the comments in that
file). Pages without a figure (the intro, search, index) load none of it. In a notebook,
``nc.setup_plots`` sets lets-plot up instead.
"""

from pathlib import Path

import lets_plot

LIBRARY_DIR = Path(lets_plot.__file__).parent / "package_data"
STATIC_DIR = Path(__file__).parent / "static"
LOADER = "letsplot_site.js"
FIGURE_MARK = 'data-lets-plot-script="plot"'


def has_figure(body: str) -> bool:
    """True when a page's body holds a saved lets-plot figure.

    >>> has_figure('<div id="a"></div><script data-lets-plot-script="plot">...</script>')
    True
    >>> has_figure("<p>no figure here</p>")
    False
    """
    return FIGURE_MARK in body


def add_library(app):
    for folder in (str(LIBRARY_DIR), str(STATIC_DIR)):
        if folder not in app.config.html_static_path:
            app.config.html_static_path.append(folder)


def add_loader(app, pagename, templatename, context, doctree):
    # called for each page: a script added here goes to this page only
    if has_figure(context.get("body", "")):
        app.add_js_file(LOADER)


def setup(app):
    app.connect("builder-inited", add_library)
    app.connect("html-page-context", add_loader)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
