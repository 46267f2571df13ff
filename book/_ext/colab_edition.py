"""Sphinx extension: "open in Colab" opens the Colab edition of a chapter (colab/).

sphinx-book-theme's launch button points Colab at the page's source notebook
(book/NN_*.ipynb), which Colab shows as raw MyST with every hidden cell in view. After the
theme has built its buttons, this extension points that one link at colab/NN_*.ipynb, in
the repository and branch that ``_config.yml`` names (``repository.url``,
``repository.branch``: Jupyter Book passes them to the theme as ``repository_url`` and
``repository_branch``), whenever the edition holds that notebook (``make colab`` writes it).

It also defines a MyST substitution per chapter, ``{{ colab_01 }}`` and so on: a Markdown
link that opens that chapter's edition, for pages that link to Colab in their text.
"""

import re
from pathlib import Path

EDITION = "colab"
COLAB = "https://colab.research.google.com"


def edition_url(options: dict, name: str) -> str | None:
    """The Colab address of ``colab/<name>`` from the theme options, or None without a
    GitHub repository.

    >>> edition_url({"repository_url": "https://github.com/a/b", "repository_branch": "dev",
    ...              "launch_buttons": {"colab_url": COLAB}}, "01_x.ipynb")
    'https://colab.research.google.com/github/a/b/blob/dev/colab/01_x.ipynb'
    """
    url = str(options.get("repository_url", "")).rstrip("/").removesuffix(".git")
    match = re.fullmatch(r"https://github\.com/([\w.-]+/[\w.-]+)", url)
    if not match:
        return None
    colab = ((options.get("launch_buttons") or {}).get("colab_url") or COLAB).rstrip("/")
    branch = options.get("repository_branch") or "main"
    return f"{colab}/github/{match.group(1)}/blob/{branch}/{EDITION}/{name}"


def point_launch_button(app, pagename, templatename, context, doctree):
    """``html-page-context``, after the theme's own handler: the Colab button's target."""
    name = f"{Path(pagename).name}.ipynb"
    if not (Path(app.srcdir) / EDITION / name).is_file():
        return
    url = edition_url(app.config.html_theme_options, name)
    for group in context.get("header_buttons", []):
        if group.get("label") != "launch-buttons":
            continue
        for button in group.get("buttons", []):
            if button.get("text") == "Colab" and url:
                button["url"] = url


def add_substitutions(app, config):
    """``config-inited``: ``colab_NN`` = a link to chapter NN's edition."""
    links = {}
    for path in sorted((Path(app.srcdir) / EDITION).glob("[0-9]*.ipynb")):
        url = edition_url(config.html_theme_options, path.name)
        number = re.match(r"\d+", path.name).group(0)
        if url:
            links[f"colab_{number}"] = f"[open chapter {int(number)} in Colab]({url})"
    # the book's own substitutions win; a new dict, not the shared default, is set
    config.myst_substitutions = {**links, **(config.myst_substitutions or {})}


def setup(app):
    app.connect("config-inited", add_substitutions)
    # the theme adds its launch buttons at priority 501; ours runs after it
    app.connect("html-page-context", point_launch_button, priority=600)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
