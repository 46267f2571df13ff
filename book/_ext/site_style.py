"""Sphinx extension: the site's own small style sheet (book/_ext/static/site.css).

It keeps chapter output tables readable at phone width; see the comments in the file.
"""

from pathlib import Path

STATIC_DIR = Path(__file__).parent / "static"


def add_style(app):
    if str(STATIC_DIR) not in app.config.html_static_path:
        app.config.html_static_path.append(str(STATIC_DIR))
    app.add_css_file("site.css")


def setup(app):
    app.connect("builder-inited", add_style)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
