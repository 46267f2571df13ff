"""Sphinx extension: typeset the site's math with a MathJax served by the site, offline.

Sphinx loads MathJax 3 from a CDN by default, so a reader without network (or behind a
filter) sees raw ``\\( ... \\)``. The PyPI package ``sphinx-mathjax-offline`` ships
MathJax 3.2 and copies it into ``_static/mathjax`` when the build finishes; this points
``mathjax_path`` at that copy once the configuration is read, so no setting or theme
can send it back to the CDN.

That copy is the whole MathJax tree (24 MB: every combined component, the SVG output,
the speech rule engine), and the default ``tex-chtml.js`` is 1.2 MB, half of it the
right-click menu. The pages load ``startup.js`` instead, configured to load only the
components they use (``COMPONENTS``: TeX input with its usual packages, CHTML output and
its font data, the hidden MathML copy that screen readers read); TeX extensions are
fetched on demand (``\\boldsymbol``, ``\\color``, ...). Once the copy is made,
everything else is removed from the site (``KEEP``).
"""

from pathlib import Path

OFFLINE_PATH = "mathjax/startup.js"  # relative to _static
COMPONENTS = ["input/tex", "output/chtml", "a11y/assistive-mml"]
KEEP = (  # relative to _static/mathjax: files and folders
    "startup.js",
    "core.js",
    "input/tex.js",
    "input/tex/extensions",
    "output/chtml.js",
    "output/chtml/fonts/tex.js",
    "output/chtml/fonts/woff-v2",
    "a11y/assistive-mml.js",
)


def use_offline_copy(app, config):
    config.mathjax_path = OFFLINE_PATH


def load_components(app, pagename, templatename, context, doctree):
    # before Sphinx's mathjax extension writes ``window.MathJax = ...`` into the page
    config = dict(app.config.mathjax3_config or {})
    config["loader"] = {**config.get("loader", {}), "load": COMPONENTS}
    app.config.mathjax3_config = config


def kept(relative: str) -> bool:
    """True when the file at ``relative`` (to the MathJax folder) is one pages can load.

    >>> [kept(p) for p in ["startup.js", "tex-svg.js", "output/chtml/fonts/woff-v2/a.woff",
    ...                    "output/svg/fonts/tex.js", "sre/mathmaps/en.json"]]
    [True, False, True, False, False]
    """
    return any(relative == keep or relative.startswith(keep + "/") for keep in KEEP)


def prune(folder: Path) -> None:
    """Remove from ``folder`` (a MathJax tree) every file that ``kept`` rejects, and the
    folders left empty."""
    for path in sorted(folder.rglob("*"), reverse=True):  # files before their folders
        if path.is_file() and not kept(path.relative_to(folder).as_posix()):
            path.unlink()
        elif path.is_dir() and not any(path.iterdir()):
            path.rmdir()


def prune_copy(app, exception):
    folder = Path(app.outdir) / "_static" / "mathjax"
    if exception is None and folder.is_dir():
        prune(folder)


def setup(app):
    app.setup_extension("sphinx-mathjax-offline")
    app.connect("config-inited", use_offline_copy)
    app.connect("html-page-context", load_components, priority=100)
    # after sphinx-mathjax-offline's own build-finished handler (priority 500) copied it
    app.connect("build-finished", prune_copy, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
