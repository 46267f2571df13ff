"""Sphinx extension: every lets-plot figure as a static SVG, with its text and its data.

A saved figure output is lets-plot's ``<div>`` and a script holding the figure's spec
(the notebooks are built from their saved outputs, so the spec is all the build has).
At build time this renders that spec with lets-plot's own SVG export twice, in the
light flavour and in a dark one (:mod:`figure_colours`), into ``_images/figures/``, and
writes the figure's data as a CSV beside them. The output becomes a ``<figure>``:

- an image, sized by its ``width``/``height`` so that nothing moves when it arrives:
  the light SVG, which ``letsplot_site.js`` swaps for the dark one (``data-dark``) in
  the theme's dark mode (so a visit loads one of the two); its ``alt`` is the figure's
  title, the caption below holds its description (the ``alt`` text that the figure
  function was given, in the spec's ``alt`` key) and a link to the CSV;
- lets-plot's own output, hidden, its script inert (``type="text/plain"``: the browser
  does not even parse the spec it holds): ``letsplot_site.js`` runs it and draws the
  interactive figure
  (tooltips) in the image's place, at its size, only once the reader points at,
  touches or tabs into the figure.

A figure saved without an ``alt`` text (outputs older than the figure functions' ``alt``
argument) gets its title as description and ``data-alt="missing"``, on which
``tools/check_site.py`` fails.
"""

import html
import json
import re
from pathlib import Path

import pandas as pd
from docutils import nodes
from figure_colours import dark_spec
from lets_plot._kbridge import _generate_svg  # what PlotSpec.to_svg calls, on a dict

FIGURE_MARK = 'data-lets-plot-script="plot"'
# lets-plot's saved script, made inert (not even parsed on load); letsplot_site.js runs it
# when the reader reaches the figure
SAVED_SCRIPT = '<script type="text/javascript" data-lets-plot-script="plot">'
INERT_SCRIPT = '<script type="text/plain" data-lets-plot-script="plot">'
SPEC_START = "const plotSpec = "
CONTAINER = re.compile(r'<div id="([^"]+)"')
SVG_SIZE = re.compile(r'<svg[^>]*?\bwidth="([\d.]+)"[^>]*?\bheight="([\d.]+)"')
FOLDER = "_images/figures"
PAPER = {"light": "rgb(255, 255, 255)", "dark": "rgb(20, 24, 30)"}  # the SVGs' backgrounds
STATIC_DIR = Path(__file__).parent / "static"
ATTRIBUTE = re.compile(r'="([^"]*)"')
LONG_NUMBER = re.compile(r"-?\d+\.\d{2,}")
WHOLE_NUMBER = re.compile(r"\b(\d+)\.0\b")
DEFAULT_OPACITY = re.compile(r' (?:stroke|fill)-opacity="1\.0"')
INVISIBLE_STROKE = re.compile(r' stroke="[^"]*" stroke-opacity="0\.0" stroke-width="0\.0"')
BETWEEN_TAGS = re.compile(r">\s+<")
PATH_STATS = ("contour", "density2d")  # geoms whose processed data are paths


def figure_spec(output: str) -> dict:
    """The plot spec inside a saved lets-plot output (its ``const plotSpec = {...};``).

    >>> figure_spec('<script>const plotSpec = {"kind": "plot", "layers": []};</script>')
    {'kind': 'plot', 'layers': []}
    """
    start = output.index(SPEC_START) + len(SPEC_START)
    spec, _ = json.JSONDecoder().raw_decode(output, start)
    return spec


def exportable(spec: dict) -> dict:
    """``spec`` as lets-plot's export reads it: a saved spec is already *processed* (a
    contour layer holds the contour's paths, grouped by ``..group..``, not the surface
    its mapping names), which the export would process again; such a layer is drawn as
    the paths it holds. (Copies what it changes.)

    >>> layer = {"geom": "contour", "mapping": {"x": "a", "y": "b", "z": "c"},
    ...          "data": {"a": [0], "b": [1], "..group..": [0]}, "bins": 1}
    >>> exportable({"kind": "plot", "layers": [layer]})["layers"][0]
    {'geom': 'path', 'mapping': {'x': 'a', 'y': 'b', 'group': '..group..'}, 'data': {'a': [0], 'b': [1], '..group..': [0]}}
    """
    spec = dict(spec)
    if spec.get("figures"):
        spec["figures"] = [exportable(f) if f else f for f in spec["figures"]]
    layers = []
    for layer in spec.get("layers") or []:
        if "..group.." in (layer.get("data") or {}) and layer.get("geom") in PATH_STATS:
            layer = {k: v for k, v in layer.items() if k not in ("bins", "binwidth")}
            layer["geom"] = "path"
            mapping = {k: v for k, v in (layer.get("mapping") or {}).items() if k != "z"}
            layer["mapping"] = dict(mapping, group="..group..")
        layers.append(layer)
    if "layers" in spec:
        spec["layers"] = layers
    return spec


def title_of(spec: dict) -> str:
    """The figure's title; a grid's panel titles joined by "; "; "" when none.

    >>> title_of({"ggtitle": {"text": "Loss"}})
    'Loss'
    >>> title_of({"kind": "subplots", "figures": [{"ggtitle": {"text": "a"}}, None, {}]})
    'a'
    """
    if spec.get("kind") == "subplots":
        return "; ".join(t for t in (title_of(f) for f in spec.get("figures") or [] if f) if t)
    return " ".join(str((spec.get("ggtitle") or {}).get("text") or "").split())


def alt_of(spec: dict) -> str:
    """The description the figure function was given (``alt=``), "" when none.

    >>> alt_of({"alt": "Two classes."}), alt_of({})
    ('Two classes.', '')
    """
    return str(spec.get("alt") or "").strip()


def data_table(spec: dict) -> pd.DataFrame:
    """Every data set of the figure in one table: a column ``part`` says which (the plot,
    a layer by its number, a grid's panel), the others are the data's own columns.

    >>> spec = {"data": {"x": [1, 2]}, "layers": [{"geom": "line", "data": {"y": [3]}}]}
    >>> data_table(spec).to_dict("list")
    {'part': ['plot', 'plot', 'layer 1'], 'x': [1.0, 2.0, nan], 'y': [nan, nan, 3.0]}
    """
    frames = []
    for part, data in _data_sets(spec, ""):
        frame = pd.DataFrame(data)
        frame.insert(0, "part", part)
        frames.append(frame)
    if not frames:
        return pd.DataFrame({"part": []})
    return pd.concat(frames, ignore_index=True)


def _data_sets(spec: dict, prefix: str):
    if spec.get("kind") == "subplots":
        for i, figure in enumerate(spec.get("figures") or [], 1):
            if figure:
                yield from _data_sets(figure, f"{prefix}panel {i} ")
        return
    if spec.get("data"):
        yield prefix + "plot", spec["data"]
    for i, layer in enumerate(spec.get("layers") or [], 1):
        if layer.get("data"):
            yield f"{prefix}layer {i}", layer["data"]


def svg_size(svg: str) -> tuple[int, int]:
    """The ``width`` and ``height`` that lets-plot wrote on its ``<svg>``, in px.

    >>> svg_size('<svg xmlns="x" class="plt-container" width="600.0" height="400.0">')
    (600, 400)
    """
    m = SVG_SIZE.search(svg)
    return round(float(m.group(1))), round(float(m.group(2)))


def compact(svg: str) -> str:
    r"""lets-plot's SVG with the numbers in its attributes at 1 decimal (0.1 px) and no
    ".0", no stroke where it is invisible (opacity and width 0), no opacity 1 (the
    default) and no indentation between tags: under half the bytes, the same picture.

    >>> compact('<svg>\n  <circle fill="#1f77b4" stroke="#000000" stroke-opacity="0.0" '
    ...         'stroke-width="0.0" cx="295.40415661239876" cy="10.0" r="1.6500000000000001" />'
    ...         '\n  <line x1="7.0" stroke-opacity="1.0" />\n</svg>')
    '<svg><circle fill="#1f77b4" cx="295.4" cy="10" r="1.7" /><line x1="7" /></svg>'
    """

    def attribute(m):
        value = LONG_NUMBER.sub(lambda n: f"{float(n.group()):.1f}", m.group(1))
        return '="' + WHOLE_NUMBER.sub(r"\1", value) + '"'

    svg = DEFAULT_OPACITY.sub("", INVISIBLE_STROKE.sub("", svg))
    return BETWEEN_TAGS.sub("><", ATTRIBUTE.sub(attribute, svg))


def figure_html(
    output: str, name: str, url: str, number: int, spec: dict, size: tuple[int, int], rows: int
) -> str:
    """The ``<figure>`` that replaces a saved lets-plot ``output``: an image of ``size`` at
    ``url + name + "-light.svg"`` (``"-dark.svg"`` in dark mode), the caption, the data link."""
    width, height = size
    title = title_of(spec) or f"Figure {number}"
    text = alt_of(spec) or title
    ident = f"{name}-caption"
    image = (
        f'<img class="nc-figure-image" src="{url}{name}-light.svg" '
        f'data-dark="{url}{name}-dark.svg" width="{width}" height="{height}" '
        f'alt="{html.escape(title)}" aria-describedby="{ident}" '
        f'data-paper="{PAPER["light"]}" loading="lazy" decoding="async">'
    )
    given = "given" if alt_of(spec) else "missing"
    output = output.replace(SAVED_SCRIPT, INERT_SCRIPT)
    return (
        f'<figure class="nc-figure" id="{name}" data-alt="{given}">'
        f'<div class="nc-figure-frame" style="max-width:{width}px">{image}'
        f'<div class="nc-figure-live" hidden>{output}</div></div>'
        f'<figcaption><span id="{ident}">{html.escape(text)}</span> '
        f'<a class="nc-figure-data" href="{url}{name}.csv" download>'
        f"Data of figure {number} (CSV, {rows} rows)</a></figcaption></figure>"
    )


def write_figure(output: str, folder: Path, name: str, url: str, number: int) -> str:
    """Writes ``name``-light.svg, -dark.svg and .csv into ``folder`` from the saved
    ``output`` and returns the HTML that shows them."""
    spec = figure_spec(output)
    light = compact(_generate_svg(exportable(spec)))
    dark = compact(_generate_svg(exportable(dark_spec(spec))))
    for svg in (light, dark):
        if not SVG_SIZE.search(svg):
            raise ValueError(f"lets-plot could not export figure {number} ({name}): {svg[:300]}")
    (folder / f"{name}-light.svg").write_text(light, encoding="utf-8")
    (folder / f"{name}-dark.svg").write_text(dark, encoding="utf-8")
    table = data_table(spec)
    table.to_csv(folder / f"{name}.csv", index=False)
    return figure_html(output, name, url, number, spec, svg_size(light), len(table))


def replace_figures(app, doctree, docname):
    folder = Path(app.outdir) / FOLDER
    url = "../" * docname.count("/") + FOLDER + "/"
    slug = re.sub(r"[^A-Za-z0-9]+", "-", docname.rsplit("/", 1)[-1]).strip("-")
    number = 0
    for raw in list(doctree.findall(nodes.raw)):
        text = raw.astext()
        if "html" not in raw.get("format", "") or FIGURE_MARK not in text:
            continue
        number += 1
        folder.mkdir(parents=True, exist_ok=True)
        new = write_figure(text, folder, f"figure-{slug}-{number}", url, number)
        raw.replace_self(nodes.raw("", new, format="html"))


def add_style(app):
    if str(STATIC_DIR) not in app.config.html_static_path:
        app.config.html_static_path.append(str(STATIC_DIR))
    app.add_css_file("figures.css")


def setup(app):
    app.connect("builder-inited", add_style)
    app.connect("doctree-resolved", replace_figures)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
