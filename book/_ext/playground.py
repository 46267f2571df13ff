"""Sphinx extension: the live playground widgets (book/_static/playground).

A ``{playground}`` directive writes one widget's placeholder, with a message for
readers without JavaScript and a plain description::

    ```{playground} ch1
    ```

Pages holding a widget load the playground's module and style sheet; the whole folder
(its tests left out) is copied to ``_static/playground`` of the built site, so the
widgets work offline. The widgets read their settings from the page's URL
(``?c1.act=relu&c1.layers=2``; see each widget's SPECS). Each placeholder carries the
address of its chapter's Colab edition (``data-colab``, from ``_config.yml`` as the
launch button's, book/_ext/colab_edition.py) for the widget's "as code" panel.

Chapter 5's widget trains on the chapter's own digits: after the build this writes them,
split as ``nc.train_test(*nc.digits())`` splits them, into ``digits.bin`` next to the
widgets (see :func:`digits_bytes`).
"""
import shutil
import struct
import sys
from pathlib import Path

from docutils import nodes
from docutils.parsers.rst import Directive

sys.path.insert(0, str(Path(__file__).parent))
from colab_edition import edition_url

SOURCE = Path(__file__).parent.parent / "_static" / "playground"
MARK = 'class="nc-playground"'
WIDGETS = {
    "ch1": ("c1", "Live: train a classifier in your browser",
            ("A live figure: a small network trains on a two-dimensional data set in the page. "
            "Choose the data, the layers, the activation and the learning rate, then play, "
            "pause or step; the shaded regions show the predicted class, crosses mark "
            "misclassified test points, and the curves show training and test loss.")),
    "ch2": ("c2", "Live: gradients layer by layer",
            ("A live figure: a deep, narrow network trains on the circles in the page, and "
            "the mean absolute gradient of each layer's weights is plotted on a log scale "
            "next to the test accuracy. Choose the depth, activation and initialisation.")),
    "ch4": ("c4", "Live: a curve from N hinges",
            ("A live figure: a target curve approximated by a sum of N ReLU hinges, with "
            "the weights set by hand (drag the points), by least squares or by gradient "
            "descent; the maximum and mean error are shown, and for gradient descent how "
            "many knots land inside the interval and how many units are idle or dead.")),
    "ch5": ("c5", "Live: signals and gradients through a deep network",
            ("A live figure: a deep network trains on the chapter's 8 by 8 digits in the page. "
            "Choose the depth, width, activation, initialisation and normalisation; per "
            "hidden layer it shows bands of the activations and of the gradients, the "
            "saturated or dead fraction and the size of each update relative to the weights.")),
}
CHAPTERS = {"ch1": "01", "ch2": "02", "ch4": "04", "ch5": "05"}   # whose Colab edition


class PlaygroundDirective(Directive):
    """``{playground} ch1|ch2|ch4|ch5``: one live widget."""

    required_arguments = 1

    def run(self):
        name = self.arguments[0]
        if name not in WIDGETS:
            raise self.error(f"unknown playground widget {name!r}; choose one of {sorted(WIDGETS)}")
        prefix, title, text = WIDGETS[name]
        app = self.state.document.settings.env.app
        colab = colab_url(Path(app.srcdir), app.config.html_theme_options, name) or ""
        html = (f'<div {MARK} data-widget="{name}" data-prefix="{prefix}" data-colab="{colab}" '
                f'role="group" aria-label="{title}">'
                f'<p class="pg-title">{title}</p>'
                f'<p class="pg-about">{text}</p>'
                '<noscript><p class="pg-noscript">This live figure needs JavaScript, which is '
                'off in this browser. The chapter\'s own figures above show the same '
                'experiment.</p></noscript></div>')
        return [nodes.raw("", html, format="html")]


def colab_url(srcdir: Path, options: dict, widget: str) -> str | None:
    """The Colab edition's address of the chapter a widget belongs to (None without a
    GitHub repository or that chapter's notebook).

    >>> colab_url(Path("."), {"repository_url": "https://github.com/a/b"}, "ch9") is None
    True
    """
    number = CHAPTERS.get(widget)
    found = sorted(srcdir.glob(f"book/{number}_*.ipynb")) + sorted(srcdir.glob(f"{number}_*.ipynb"))
    return edition_url(options, found[0].name) if number and found else None


def digits_bytes() -> bytes:
    """Chapter 5's digits as ``nc.train_test(*nc.digits())`` splits them: b"NCD1", the
    train and test counts (uint16, little-endian), then per image its 64 pixels (0-16,
    one byte each) and its label, the training images first (about 117 KB).
    """
    import torch  # only when a build writes the file

    import nonlin_course as nc

    split = nc.train_test(*nc.digits(), on="cpu")
    out = [b"NCD1", struct.pack("<HH", len(split.y_train), len(split.y_test))]
    for X, y in ((split.X_train, split.y_train), (split.X_test, split.y_test)):
        pixels = (X.double() * 16).round().to(torch.uint8)
        for row, label in zip(pixels, y.tolist()):
            out.append(bytes(row.tolist()) + bytes([label]))
    return b"".join(out)


def add_assets(app, pagename, templatename, context, doctree):
    if MARK in context.get("body", ""):
        app.add_js_file("playground/playground.js", type="module")
        app.add_css_file("playground/playground.css")


def copy_static(app, exception):
    if exception is None and app.builder.format == "html":
        target = Path(app.outdir) / "_static" / "playground"
        shutil.rmtree(target, ignore_errors=True)
        shutil.copytree(SOURCE, target, ignore=shutil.ignore_patterns("test", "*.mjs"))
        (target / "digits.bin").write_bytes(digits_bytes())


def setup(app):
    app.add_directive("playground", PlaygroundDirective)
    app.connect("html-page-context", add_assets)
    app.connect("build-finished", copy_static)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
