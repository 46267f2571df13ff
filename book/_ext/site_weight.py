"""Sphinx extension: leave out of the built site the theme files it does not need.

- ``fontawesome.js`` (1.5 MB, loaded by every page) draws the theme's icons as inline
  SVG, and the theme's style sheet could draw them instead from Font Awesome's webfonts
  (275 KB for the two styles the pages use). Neither is needed for the 20 or so icons
  the site shows: when the build finishes, this writes ``_static/icons.css`` with just
  those icons (each an SVG shape from ``fontawesome.js``, painted in the text colour
  through a CSS mask), puts it in each page where the script's tag was, and removes the
  script, the webfonts and Font Awesome's rules from the theme's style sheet.
- The source maps (read only by a browser's developer tools) and the theme's
  translation catalogues (``locales``, used at build time) are deleted.
- ``sphinx-design`` (loaded by every page, used by none) is left out of pages that do
  not use it.
- The style sheets (the theme's is 310 KB, most of it Bootstrap) lose the rules that
  can match nothing on this site: those whose every selector needs a class that no page and no
  script of the site names (``purge_css``; classes a script may build at run time, such
  as Bootstrap's ``bs-tooltip-top``, are kept by prefix: ``KEEP_CLASSES``).
- Sphinx's search tools and the search index (60 KB) leave every page but the search
  page: the theme loads them everywhere for its search-as-you-type option, which this
  site leaves off (its search box opens the search page).
"""

import re
import shutil
from pathlib import Path
from urllib.parse import quote, unquote  # noqa: F401 (unquote: doctest)

FONTAWESOME_TAG = re.compile(
    r'<script[^>]*src="([^"]*)_static/scripts/fontawesome\.js'
    r'[^"]*"[^>]*></script>'
)
ICON = re.compile(
    r'(?:"([\w-]+)"|\b([\w-]+)):\[(\d+),(\d+),\[([^\]]*)\],"([0-9a-f]*)",'
    r'"((?:[^"\\]|\\.)*)"\]'
)
PACKS = {"fab": "brands", "far": "regular", "fas": "solid"}  # in fontawesome.js's order
CLASS_NAMES = re.compile(r"\bfa-[a-z0-9-]+\b")
FONTAWESOME_CSS = re.compile(
    r"@font-face\{[^}]*Font Awesome[^}]*\}"
    r'|(?:\.fa-[a-z0-9-]+:(?:before|after),?)+\{content:"[^"]*"\}'
)
UNUSED = ("vendor/fontawesome", "locales")
DESIGN = ("sphinx-design.min.css", "design-tabs.js")
KEEP_CLASSES = (
    "bs-",
    "tooltip",
    "popover",
    "fade",
    "show",
    "collaps",
    "modal",
    "offcanvas",
    "drop",
    "pst-",
    "bd-",
    "active",
    "disabled",
    "was-validated",
    "is-",
)
CSS_RULE = re.compile(r"([^{}]+)\{([^{}]*)\}")
SEARCH_TAGS = re.compile(
    r'[ \t]*<script src="[^"]*(?:_static/searchtools\.js|'
    r'_static/language_data\.js|searchindex\.js)"></script>\n?'
)


def icon_shapes(script: str) -> dict[str, dict[str, tuple[int, int, str]]]:
    """Every icon in ``fontawesome.js``: {style: {name or alias: (width, height, path)}}."""
    shapes, start = {}, 0
    for prefix, style in PACKS.items():
        end = script.find(f'("{prefix}",', start)
        icons = {}
        for m in ICON.finditer(script, start, end):
            shape = (int(m.group(3)), int(m.group(4)), m.group(7))
            names = [m.group(1) or m.group(2)] + re.findall(r'"([\w-]+)"', m.group(5))
            for name in names + ([f"U+{m.group(6)}"] if m.group(6) else []):
                icons[name] = shape
        shapes[style], start = icons, end
    return shapes


def icon_rule(selector: str, shape: tuple[int, int, str], pseudo: str = "::before") -> str:
    """CSS drawing the SVG ``shape`` (width, height, path) in the current text colour.

    >>> rule = icon_rule(".fa-x", (448, 512, "M0 0h448v512z"))
    >>> rule.startswith(".fa-x::before{"), "width:0.875em;height:1em" in rule
    (True, True)
    >>> "viewBox='0 0 448 512'><path d='M0 0h448v512z'/>" in unquote(rule)
    True
    """
    width, height, path = shape
    svg = (
        f"<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 {width} {height}'>"
        f"<path d='{path}'/></svg>"
    )
    url = f'url("data:image/svg+xml,{quote(svg, safe=" =:/<>")}")'
    return (
        f'{selector}{pseudo}{{content:""!important;display:inline-block;'
        f"width:{width / height:.4g}em;height:1em;vertical-align:-0.125em;"
        f"background-color:currentColor;-webkit-mask:{url} center/contain no-repeat;"
        f"mask:{url} center/contain no-repeat}}"
    )


def icons_css(shapes, used: set[str], regular: bool = False, glyphs=()) -> str:
    """Rules for the icons named in ``used`` (class names without ``fa-``): the solid
    style, else the brands style; with ``regular``, ``.fa-regular`` ones in the regular
    style too."""
    rules = []
    for name in sorted(used):
        shape = shapes["solid"].get(name) or shapes["brands"].get(name)
        if shape:
            rules.append(icon_rule(f".fa-{name}", shape))
        if regular and name in shapes["regular"]:
            rules.append(
                icon_rule(f".fa-regular.fa-{name},.far.fa-{name}", shapes["regular"][name])
            )
    return (
        "/* Font Awesome Free icons used by this site (CC BY 4.0), written by\n"
        "   book/_ext/site_weight.py */\n" + _shared_masks(rules + list(glyphs)) + "\n"
    )


def _shared_masks(rules: list[str]) -> str:
    """``rules`` with each distinct mask image written once, as a custom property.

    >>> print(_shared_masks(['.a{mask:url("x") center}', '.b{mask:url("x") center}']))
    :root{--icon-0:url("x")}
    .a{mask:var(--icon-0) center}
    .b{mask:var(--icon-0) center}
    """
    names = {}

    def shared(match):
        url = match.group(0)
        names.setdefault(url, f"--icon-{len(names)}")
        return f"var({names[url]})"

    body = [re.sub(r'url\("[^"]*"\)', shared, rule) for rule in rules]
    root = ":root{" + ";".join(f"{name}:{url}" for url, name in names.items()) + "}"
    return "\n".join([root] + body)


GLYPH_RULE = re.compile(r"([^{}]+)\{([^{}]*?content:\s*([^;}]+)[^{}]*)\}")
ICON_VARIABLE = re.compile(r"(--pst-icon-[\w-]+):\s*([^;}]+)")


def _codepoint(value: str, variables: dict[str, str], depth: int = 0) -> str | None:
    """The icon font codepoint (``U+f05a``) a CSS ``content`` value shows, if any: a
    quoted private-use character or its escape, or a ``var(--pst-icon-...)`` naming one."""
    value = value.strip().removesuffix("!important").strip()
    found = re.fullmatch(r"var\((--pst-icon-[\w-]+)\)", value)
    if found:
        inner = variables.get(found.group(1))
        return _codepoint(inner, variables, depth + 1) if inner and depth < 5 else None
    found = re.fullmatch(r'"\\([ef][0-9a-f]{3})"', value, re.I)
    if found:
        return f"U+{found.group(1).lower()}"
    found = re.fullmatch(r'"(.)"', value)
    if found and 0xE000 <= ord(found.group(1)) <= 0xF8FF:
        return f"U+{ord(found.group(1)):x}"
    return None


def glyph_rules(stylesheets: list[str], shapes, classes: set[str] | None = None) -> list[str]:
    r"""Rules drawing, as SVG masks, the icons that ``stylesheets`` draw as Font Awesome
    glyphs in generated content (admonition titles, download links, ...). With
    ``classes`` (the class names the pages and scripts use), only the rules whose every
    class is among them.

    >>> shapes = {"solid": {"U+f05a": (512, 512, "M0 0z")}, "brands": {}, "regular": {}}
    >>> css = ':root{--pst-icon-info:"\\f05a"}.note:after{content:var(--pst-icon-info)}'
    >>> [rule.split("{")[0] for rule in glyph_rules([css], shapes)]
    ['.note:after']
    """
    variables = {}
    for sheet in stylesheets:
        variables.update((name, value) for name, value in ICON_VARIABLE.findall(sheet))
    rules = []
    for sheet in stylesheets:
        for selector, body, content in GLYPH_RULE.findall(sheet):
            selector = re.sub(r"/\*.*?\*/", "", selector, flags=re.S).strip()
            wanted = set(re.findall(r"\.([\w-]+)", selector))
            if classes is not None and not wanted <= classes:
                continue
            point = _codepoint(content, variables)
            shape = point and next(
                (
                    shapes[style][point]
                    for style in ("solid", "brands", "regular")
                    if point in shapes[style]
                ),
                None,
            )
            if shape:
                rule = icon_rule(selector.strip(), shape, pseudo="")
                if "width" in body:  # the theme sized the icon: keep its size
                    rule = re.sub(r"display:inline-block;width:[^;]*;height:1em;", "", rule)
                rules.append(rule)
    return rules


def without_fontawesome(page: str) -> str:
    """``page`` (HTML) with the tag loading ``fontawesome.js`` swapped for a link to
    ``icons.css`` beside it.

    >>> tag = '<script defer src="../_static/scripts/fontawesome.js?digest=1"></script>'
    >>> without_fontawesome("<head>" + tag + "</head>")
    '<head><link rel="stylesheet" href="../_static/icons.css" /></head>'
    """
    return FONTAWESOME_TAG.sub(
        lambda m: f'<link rel="stylesheet" href="{m.group(1)}_static/icons.css" />', page
    )


def _selectors(group: str) -> list[str]:
    """The selectors of a comma-separated group (commas inside parentheses kept)."""
    parts, depth, start = [], 0, 0
    for i, char in enumerate(group):
        depth += {"(": 1, ")": -1}.get(char, 0)
        if char == "," and depth == 0:
            parts.append(group[start:i])
            start = i + 1
    return parts + [group[start:]]


def _can_match(selector: str, classes: set[str]) -> bool:
    """False when ``selector`` needs a class that is not in ``classes`` (and not kept by
    prefix); a class under ``:not(...)`` does not count."""
    needed = re.findall(r"\.([\w-]+)", re.sub(r":not\([^()]*\)", "", selector))
    return all(c in classes or c.startswith(KEEP_CLASSES) for c in needed)


def purge_css(css: str, classes: set[str]) -> str:
    """``css`` without the rules none of whose selectors can match (see ``_can_match``).

    >>> purge_css(".a{x:1}.b,.c{y:2}.d .e{z:3}p:not(.f){w:4}@media(max-width:9px){.d{v:5}}",
    ...           {"a", "c", "d"})
    '.a{x:1}.b,.c{y:2}p:not(.f){w:4}@media(max-width:9px){.d{v:5}}'
    >>> purge_css("/* Keyword.Namespace */ .kn{x:1}", {"kn"})   # a comment is no selector
    '/* Keyword.Namespace */ .kn{x:1}'
    """

    def keep(rule):
        group = re.sub(r"/\*.*?\*/", "", rule.group(1), flags=re.S)  # comments: no selectors
        if group.strip().startswith("@") or any(
            _can_match(sel, classes) for sel in _selectors(group)
        ):
            return rule.group(0)
        return ""

    return CSS_RULE.sub(keep, css)


def without_search_tools(page: str) -> str:
    """``page`` (HTML) without the tags loading Sphinx's search tools and index.

    >>> without_search_tools('<script src="../searchindex.js"></script>\\n<p>')
    '<p>'
    """
    return SEARCH_TAGS.sub("", page)


def trim(site: Path, search_as_you_type: bool = False) -> None:
    """Apply the above to a built site (``_build/html``)."""
    static = site / "_static"
    if not search_as_you_type:
        for page in site.rglob("*.html"):
            if page.relative_to(site).as_posix() != "search.html":
                page.write_text(
                    without_search_tools(page.read_text(encoding="utf-8")), encoding="utf-8"
                )
    script = static / "scripts" / "fontawesome.js"
    if script.exists():
        shapes = icon_shapes(script.read_text(encoding="utf-8"))
        known = set().union(*shapes.values())
        used, regular, classes = set(), False, set()
        for path in [*site.rglob("*.html"), *static.rglob("*.js")]:
            if path == script:  # its own CSS variable names look like icon classes
                continue
            text = path.read_text(encoding="utf-8", errors="ignore")
            names = CLASS_NAMES.findall(text)
            classes |= (
                set(re.findall(r"[\w-]+", text))
                if path.suffix == ".js"
                else {c for attr in re.findall(r'class="([^"]*)"', text) for c in attr.split()}
            )
            used |= {name[3:] for name in names} & known
            regular = regular or ("fa-regular" in names and path.suffix == ".html")
            if path.suffix == ".html" and "fontawesome.js" in text:
                path.write_text(without_fontawesome(text), encoding="utf-8")
        for path in static.glob("scripts/fontawesome.js*"):
            path.unlink()
        theme_css = static / "styles" / "pydata-sphinx-theme.css"
        if theme_css.exists():  # Font Awesome's own rules: fonts, and a glyph per class
            theme_css.write_text(
                FONTAWESOME_CSS.sub("", theme_css.read_text(encoding="utf-8")), encoding="utf-8"
            )
        corpus = classes | {
            token
            for p in static.rglob("*.js")
            for token in re.findall(r"[\w-]+", p.read_text(encoding="utf-8", errors="ignore"))
        }
        for sheet in static.rglob("*.css"):
            if sheet.name != "icons.css" and "mathjax" not in sheet.parts:
                sheet.write_text(
                    purge_css(sheet.read_text(encoding="utf-8"), corpus), encoding="utf-8"
                )
        sheets = [
            p.read_text(encoding="utf-8")
            for p in static.rglob("*.css")
            if p.name != "icons.css" and "mathjax" not in p.parts
        ]
        (static / "icons.css").write_text(
            icons_css(shapes, used, regular, glyph_rules(sheets, shapes, classes)), encoding="utf-8"
        )
    for path in static.rglob("*.map"):
        path.unlink()
    for name in UNUSED:
        shutil.rmtree(static / name, ignore_errors=True)


def trim_site(app, exception):
    if exception is None and app.builder.format == "html":
        options = app.builder.theme_options if hasattr(app.builder, "theme_options") else {}
        trim(Path(app.outdir), bool(options.get("search_as_you_type", False)))


def leave_out_design(app, pagename, templatename, context, doctree):
    # sphinx-design's files, on pages with none of its components
    if 'class="sd-' not in context.get("body", "") and " sd-" not in context.get("body", ""):
        for key in ("css_files", "script_files"):
            # in place: other extensions add their files to this same list afterwards
            # (app.add_js_file in html-page-context), and a new list would lose them
            files = context.get(key, [])
            files[:] = [
                f
                for f in files
                if not str(getattr(f, "filename", f)).split("?")[0].endswith(DESIGN)
            ]


def setup(app):
    app.connect("html-page-context", leave_out_design)
    app.connect("build-finished", trim_site, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
