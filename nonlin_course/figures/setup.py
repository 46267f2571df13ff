"""Where the notebook runs, and how its figures are shown there.

The companion of :mod:`nonlin_course.runtime` (where tensors live): that module picks
the device, this one sets lets-plot up for Colab, a local Jupyter or the built site.
"""

import os
import sys

from lets_plot import LetsPlot, theme_minimal2


def in_colab() -> bool:
    """True when running inside Google Colab.

    >>> in_colab() == ("COLAB_RELEASE_TAG" in os.environ or "google.colab" in sys.modules)
    True
    """
    return "COLAB_RELEASE_TAG" in os.environ or "google.colab" in sys.modules


def setup_plots() -> None:
    """Configure lets-plot for where the notebook runs.

    Colab shows each output in its own frame, so every plot there carries its own
    copy of the library (from the CDN). Elsewhere the library is loaded once, offline;
    on the built site it comes from the site's static files instead.

    >>> setup_plots()   # doctest: +SKIP
    """
    if in_colab():
        LetsPlot.setup_html(isolated_frame=True, offline=False)
    else:
        LetsPlot.setup_html(isolated_frame=False, offline=True)
    LetsPlot.set_theme(theme_minimal2())
