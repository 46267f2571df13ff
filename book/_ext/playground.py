"""Sphinx extension: the live playground widgets (book/_static/playground).

A ``{playground}`` directive writes one widget's placeholder, with a message for
readers without JavaScript and a plain description::

    ```{playground} ch1
    ```

Pages holding a widget load the playground's module and style sheet; the whole folder
(its tests left out) is copied to ``_static/playground`` of the built site, so the
widgets work offline. The widgets read their settings from the page's URL
(``?c1.act=relu&c1.layers=2``; see each widget's SPECS).
"""
import shutil
from pathlib import Path

from docutils import nodes
from docutils.parsers.rst import Directive

SOURCE = Path(__file__).parent.parent / "_static" / "playground"
MARK = 'class="nc-playground"'
WIDGETS = {
    "ch1": ("c1", "Live: train a classifier in your browser",
            "A live figure: a small network trains on a two-dimensional data set in the page. "
            "Choose the data, the layers, the activation and the learning rate, then play, "
            "pause or step; the shaded regions show the predicted class, crosses mark "
            "misclassified test points, and the curves show training and test loss."),
    "ch2": ("c2", "Live: gradients layer by layer",
            "A live figure: a deep, narrow network trains on the circles in the page, and "
            "the mean absolute gradient of each layer's weights is plotted on a log scale "
            "next to the test accuracy. Choose the depth, activation and initialisation."),
    "ch4": ("c4", "Live: a curve from N hinges",
            "A live figure: a target curve approximated by a sum of N ReLU hinges, with "
            "the weights set by hand (drag the points), by least squares or by gradient "
            "descent; the maximum and mean error are shown."),
}


class PlaygroundDirective(Directive):
    """``{playground} ch1|ch2|ch4``: one live widget."""

    required_arguments = 1

    def run(self):
        name = self.arguments[0]
        if name not in WIDGETS:
            raise self.error(f"unknown playground widget {name!r}; choose one of {sorted(WIDGETS)}")
        prefix, title, text = WIDGETS[name]
        html = (f'<div {MARK} data-widget="{name}" data-prefix="{prefix}" '
                f'role="group" aria-label="{title}">'
                f'<p class="pg-title">{title}</p>'
                f'<p class="pg-about">{text}</p>'
                '<noscript><p class="pg-noscript">This live figure needs JavaScript, which is '
                'off in this browser. The chapter\'s own figures above show the same '
                'experiment.</p></noscript></div>')
        return [nodes.raw("", html, format="html")]


def add_assets(app, pagename, templatename, context, doctree):
    if MARK in context.get("body", ""):
        app.add_js_file("playground/playground.js", type="module")
        app.add_css_file("playground/playground.css")


def copy_static(app, exception):
    if exception is None and app.builder.format == "html":
        target = Path(app.outdir) / "_static" / "playground"
        shutil.rmtree(target, ignore_errors=True)
        shutil.copytree(SOURCE, target, ignore=shutil.ignore_patterns("test", "*.mjs"))


def setup(app):
    app.add_directive("playground", PlaygroundDirective)
    app.connect("html-page-context", add_assets)
    app.connect("build-finished", copy_static)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
