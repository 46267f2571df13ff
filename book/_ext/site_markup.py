"""Sphinx extension: valid, accessible markup for what other extensions write.

- pandas tables (saved ``DataFrame`` outputs) lose their ``<style scoped>`` (not valid
  HTML; ``site.css`` styles them), ``border="1"``, ``halign`` and inline styles; the empty header
  corner above the index becomes a ``<td>``;
- myst-nb's hidden-cell toggles: ``<summary>`` holds phrasing content (``<span>``, not
  ``<p>``) and no ``aria-label`` that differs from its visible text (WCAG 2.5.3);
- sphinx-exercise gives every exercise's and solution's body the same ``id``
  (``exercise-content``, ``solution-content``): each gets a number;
- inline scripts that two extensions add alike (the togglebutton and thebe settings:
  ``THEBE_JS_URL`` declared twice is a SyntaxError) are written once;
- each page gets a ``<meta name="description">`` from its first paragraph, and the site
  a favicon (``static/favicon.svg``);
- the theme's search field gets its visible text as name, its sidebar a landmark role
  and a link to the printed edition (``make pdf``).
"""

import html
import re
from pathlib import Path

from docutils import nodes

STATIC_DIR = Path(__file__).parent / "static"
SCOPED_STYLE = re.compile(r"<style scoped>.*?</style>\s*", re.S)
TABLE_TAG = re.compile(r'<table border="1" class="dataframe">')
ROW_STYLE = re.compile(r'<tr style="text-align: right;">')
EMPTY_CORNER = re.compile(r"<th></th>")
HALIGN = re.compile(r' halign="\w+"')  # pandas' column groups: not an HTML attribute
SUMMARY = re.compile(
    r'<summary aria-label="Toggle hidden content">\s*'
    r'<p class="collapsed admonition-title">(.*?)</p>\s*'
    r'<p class="expanded admonition-title">(.*?)</p>\s*</summary>',
    re.S,
)
SHARED_IDS = re.compile(r'\bid="(exercise-content|solution-content)"')
DESCRIPTION_CHARS = 155
PDF_NAME = "nonlin-course.pdf"  # the printed edition (`make pdf`), at the site's root
SIDEBAR_END = '<div class="sidebar-primary-items__end sidebar-primary__section">'
# theme markup written by its templates, fixed in the written pages (build-finished)
PAGE_FIXES = [
    # the search field's name is its visible text ("Search Ctrl+K"), not "Search" alone
    (
        re.compile(
            r'(<button class="btn search-button-field [^"]*" title="Search") '
            r'aria-label="Search"'
        ),
        r"\1",
    ),
    # the sidebar (the site's title, the search field, the chapters) is a landmark
    (
        re.compile(r'<div id="pst-primary-sidebar" class="bd-sidebar-primary bd-sidebar">'),
        (
            '<div id="pst-primary-sidebar" class="bd-sidebar-primary bd-sidebar" '
            'role="complementary" aria-label="Site">'
        ),
    ),
]


def clean_table(output: str) -> str:
    """A pandas table's HTML without scoped style, border, inline style or empty header.

    >>> clean_table('<div><style scoped>.x {}</style><table border="1" class="dataframe">'
    ...             '<tr style="text-align: right;"><th></th><th>a</th></tr></table></div>')
    '<div><table class="dataframe"><tr><td></td><th>a</th></tr></table></div>'
    """
    if not TABLE_TAG.search(output):
        return output
    output = SCOPED_STYLE.sub("", output)
    output = TABLE_TAG.sub('<table class="dataframe">', output)
    output = HALIGN.sub("", ROW_STYLE.sub("<tr>", output))
    return EMPTY_CORNER.sub("<td></td>", output)


def clean_body(body: str) -> str:
    """A page body with toggles in phrasing content and exercise ids numbered.

    >>> clean_body('<summary aria-label="Toggle hidden content">'
    ...            '<p class="collapsed admonition-title">Show</p>'
    ...            '<p class="expanded admonition-title">Hide</p></summary>')
    '<summary><span class="collapsed admonition-title">Show</span><span class="expanded admonition-title">Hide</span></summary>'
    >>> clean_body('<section id="exercise-content"></section><section id="exercise-content">')
    '<section id="exercise-content-1"></section><section id="exercise-content-2">'
    """
    body = SUMMARY.sub(
        r'<summary><span class="collapsed admonition-title">\1</span>'
        r'<span class="expanded admonition-title">\2</span></summary>',
        body,
    )
    counts = {}

    def number(m):
        counts[m.group(1)] = counts.get(m.group(1), 0) + 1
        return f'id="{m.group(1)}-{counts[m.group(1)]}"'

    return SHARED_IDS.sub(number, body)


def first_paragraph(doctree) -> str:
    """The text of the page's first paragraph outside admonitions and cell outputs,
    cut at a word to at most DESCRIPTION_CHARS characters."""
    for paragraph in doctree.findall(nodes.paragraph):
        inside = paragraph.parent
        while inside is not None and not isinstance(inside, (nodes.Admonition, nodes.container)):
            inside = inside.parent
        text = " ".join(paragraph.astext().split())
        if inside is None and len(text) > 40:
            return shorten(text)
    return ""


def shorten(text: str, most: int = DESCRIPTION_CHARS) -> str:
    """``text`` cut at a word boundary to at most ``most`` characters, with "..." if cut.

    >>> shorten("one two three", 10)
    'one two...'
    >>> shorten("short", 9)
    'short'
    """
    if len(text) <= most:
        return text
    return text[: most - 2].rsplit(" ", 1)[0].rstrip(",;:") + "..."


def unique_scripts(scripts) -> list:
    """``scripts`` (Sphinx's JavaScript entries) with inline ones that repeat left out."""
    seen, kept = set(), []
    for script in scripts:
        body = getattr(script, "attributes", {}).get("body")
        if body:
            if body in seen:
                continue
            seen.add(body)
        kept.append(script)
    return kept


def clean_tables(app, doctree, docname):
    for raw in list(doctree.findall(nodes.raw)):
        if "html" in raw.get("format", "") and 'class="dataframe"' in raw.astext():
            raw.replace_self(nodes.raw("", clean_table(raw.astext()), format="html"))


def page_context(app, pagename, templatename, context, doctree):
    if "body" in context:
        context["body"] = clean_body(context["body"])
    if "script_files" in context:
        context["script_files"] = unique_scripts(context["script_files"])
    text = first_paragraph(doctree) if doctree is not None else ""
    if text:
        tag = f'<meta name="description" content="{html.escape(text)}" />\n'
        context["metatags"] = context.get("metatags", "") + tag


def fix_page(page: str, up: str = "") -> str:
    """A written page with the theme's markup fixed (PAGE_FIXES) and, in its sidebar, a
    link to the printed edition (``make pdf`` puts it at the site's root; ``up`` is the
    way there from the page, "../" from book/).

    >>> fix_page('<button class="btn search-button-field x" title="Search" aria-label="Search">')
    '<button class="btn search-button-field x" title="Search">'
    >>> fix_page(SIDEBAR_END, "../").endswith('href="../nonlin-course.pdf">The course as a PDF</a></p>')
    True
    """
    for pattern, replacement in PAGE_FIXES:
        page = pattern.sub(replacement, page)
    if PDF_NAME not in page:
        link = f'<p class="nc-pdf-link"><a href="{up}{PDF_NAME}">The course as a PDF</a></p>'
        page = page.replace(SIDEBAR_END, SIDEBAR_END + link, 1)
    return page


def fix_pages(app, exception):
    if exception is not None or app.builder.format != "html":
        return
    for path in Path(app.outdir).rglob("*.html"):
        if "_static" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        fixed = fix_page(text, "../" * (len(path.relative_to(app.outdir).parts) - 1))
        if fixed != text:
            path.write_text(fixed, encoding="utf-8")


def set_favicon(app, config):
    if not config.html_favicon:
        config.html_favicon = str(STATIC_DIR / "favicon.svg")


def setup(app):
    app.connect("config-inited", set_favicon)
    app.connect("doctree-resolved", clean_tables)
    app.connect("html-page-context", page_context, priority=900)
    app.connect("build-finished", fix_pages)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
