"""Sphinx extension: typeset the site's math with a MathJax served by the site, offline.

Sphinx loads MathJax 3 from a CDN by default, so a reader without network (or behind a
filter) sees raw ``\\( ... \\)``. The PyPI package ``sphinx-mathjax-offline`` ships
MathJax 3.2 and copies it into ``_static/mathjax`` when the build finishes; this points
``mathjax_path`` at that copy once the configuration is read, so no setting or theme
can send it back to the CDN.
"""
OFFLINE_PATH = "mathjax/tex-chtml.js"  # relative to _static


def use_offline_copy(app, config):
    config.mathjax_path = OFFLINE_PATH


def setup(app):
    app.setup_extension("sphinx-mathjax-offline")
    app.connect("config-inited", use_offline_copy)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
