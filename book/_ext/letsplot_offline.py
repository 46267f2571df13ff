"""Sphinx extension: serve lets-plot's JavaScript once for the whole site, offline.

The library ships inside the lets-plot Python package; this adds that folder to the
static files and loads it in every page's head. Saved notebook outputs contain only
each plot's spec and a call to ``window.letsPlotCall``, which the loader defines here
(in a notebook, ``setup_plots`` defines it instead).
"""
from pathlib import Path

import lets_plot

LIBRARY_DIR = Path(lets_plot.__file__).parent / "package_data"


def add_library(app):
    app.config.html_static_path.append(str(LIBRARY_DIR))
    app.add_js_file("lets-plot.min.js")
    app.add_js_file(None, body="window.letsPlotCall = function (f) { f(); };")


def setup(app):
    app.connect("builder-inited", add_library)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
