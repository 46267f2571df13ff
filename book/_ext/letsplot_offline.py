"""Sphinx extension: serve lets-plot's JavaScript once for the whole site, offline.

The library ships inside the lets-plot Python package; this adds that folder to the
static files and loads it in every page's head. Saved notebook outputs contain only
each plot's spec and a call to ``window.letsPlotCall``, which the loader defines here
(in a notebook, ``setup_plots`` defines it instead), together with the narrow-screen
sizing below.
"""
from pathlib import Path

import lets_plot

LIBRARY_DIR = Path(lets_plot.__file__).parent / "package_data"


# A saved plot asks for "MIN" sizing: its own size, or less when the column is narrower.
# On a phone that squeezes a 760 px figure into 360 px, and lets-plot does not wrap text:
# titles run off the edge, legends are cut, facet labels collide. Below MIN_WIDTH the
# figure keeps MIN_WIDTH px (or its own width, if smaller) and its output box scrolls
# sideways (site.css), like a wide table.
NARROW_SCREEN_SIZING = """
window.letsPlotCall = function (f) { f(); };
(function () {
  var MIN_WIDTH = 560;
  var build = LetsPlot.buildPlotFromProcessedSpecs;
  LetsPlot.buildPlotFromProcessedSpecs = function (spec, div, sizing) {
    var own = (spec.ggsize && spec.ggsize.width) || MIN_WIDTH;
    var room = div.clientWidth;
    if (sizing && sizing.width_mode === "MIN" && room > 0 && room < Math.min(own, MIN_WIDTH)) {
      sizing = {width_mode: "FIXED", height_mode: "SCALED", width: Math.min(own, MIN_WIDTH)};
    }
    return build.call(this, spec, div, sizing);
  };
})();
"""


def add_library(app):
    app.config.html_static_path.append(str(LIBRARY_DIR))
    app.add_js_file("lets-plot.min.js")
    app.add_js_file(None, body=NARROW_SCREEN_SIZING)


def setup(app):
    app.connect("builder-inited", add_library)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
