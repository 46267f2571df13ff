"""The site's figures (book/_ext/static_figures.py, figure_colours.py), its markup fixes
(site_markup.py) and the chapters' text alternatives: static SVGs exported by lets-plot
from saved specs, their dark flavour's contrast (WCAG 1.4.11, against the formula), the
JavaScript dark flavour agreeing with the Python one, and every chapter figure
described."""

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from lets_plot import aes, geom_point, ggplot

import nonlin_course as nc
from nonlin_course.figures.palette import CLASS_COLORS, CLASS_TINTS

ROOT = Path(__file__).parents[1]
sys.path.insert(0, str(ROOT / "book" / "_ext"))
import figure_colours  # noqa: E402 (book/_ext is on the path from here)
import site_markup  # noqa: E402
import static_figures  # noqa: E402

CHAPTERS = sorted((ROOT / "book").glob("0*.ipynb"))


def luminance(colour: str) -> float:
    """WCAG relative luminance of "#rrggbb"."""

    def channel(v):
        v /= 255
        return v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(int(colour[i : i + 2], 16)) for i in (1, 3, 5))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    hi, lo = sorted([luminance(a), luminance(b)], reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def saved_figures(path: Path):
    """(cell source, saved lets-plot output HTML) of every figure in a chapter."""
    for cell in nbformat.read(path, as_version=4).cells:
        for output in cell.get("outputs", []):
            html = output.get("data", {}).get("text/html", "")
            if static_figures.FIGURE_MARK in html:
                yield cell.source, html


# ------------------------------------------------------------------ the chapters


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_every_chapter_figure_has_a_text_alternative(path):
    figures = list(saved_figures(path))
    assert figures, f"{path.name} has no figure"
    for source, html in figures:
        assert re.search(r"\balt=|nc\.described\(", source), source[:200]
        alt = static_figures.alt_of(static_figures.figure_spec(html))
        assert len(alt) > 40, f"{path.name}: saved without its alt text (run make outputs)"


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_every_saved_figure_exports_to_svg_in_both_flavours(path, tmp_path):
    for number, (_, html) in enumerate(saved_figures(path), 1):
        page = static_figures.write_figure(html, tmp_path, f"f{number}", "", number)
        for mode in ("light", "dark"):
            svg = (tmp_path / f"f{number}-{mode}.svg").read_text()
            assert svg.startswith("<svg") and "Exception" not in svg
        assert f'src="f{number}-light.svg"' in page and f'data-dark="f{number}-dark.svg"' in page
        assert (tmp_path / f"f{number}.csv").stat().st_size > 0


# ------------------------------------------------------------------ static figures


def spec_of(figure) -> dict:
    """The figure's spec as a saved output holds it: plain JSON (data as lists)."""

    def plain(value):
        if hasattr(value, "to_dict"):
            return {k: list(v) for k, v in value.to_dict("list").items()}
        if isinstance(value, dict):
            return {k: plain(v) for k, v in value.items()}
        if isinstance(value, list):
            return [plain(v) for v in value]
        return value

    return json.loads(json.dumps(plain(figure.as_dict()), default=float))


def test_alt_text_travels_in_the_spec_and_reaches_the_figure_html():
    X, y = nc.moons(30, seed=0)
    fig = nc.scatter(X, y, title="Two moons", alt="Two half circles of points.")
    spec = spec_of(fig)
    assert static_figures.alt_of(spec) == "Two half circles of points."
    html = static_figures.figure_html("<div></div>", "f1", "../", 1, spec, (600, 400), 30)
    assert 'alt="Two moons"' in html and 'data-alt="given"' in html
    assert '<span id="f1-caption">Two half circles of points.</span>' in html
    assert 'width="600" height="400"' in html and 'href="../f1.csv" download' in html


def test_a_figure_without_alt_is_marked_and_named_by_its_title():
    spec = spec_of(ggplot({"x": [0, 1]}, aes("x", "x")) + geom_point())
    html = static_figures.figure_html("", "f2", "", 2, spec, (10, 10), 2)
    assert 'data-alt="missing"' in html and 'alt="Figure 2"' in html


def test_data_table_holds_every_data_set_of_a_grid():
    a = ggplot({"x": [1, 2]}, aes("x", "x")) + geom_point()
    b = ggplot({"y": [3]}, aes("y", "y")) + geom_point()
    from lets_plot import gggrid

    table = static_figures.data_table(spec_of(gggrid([a, b])))
    assert table.part.tolist() == ["panel 1 plot", "panel 1 plot", "panel 2 plot"]
    assert table.x.tolist()[:2] == [1, 2] and table.y.tolist()[2] == 3


def test_compact_svg_draws_the_same_shapes():
    fig = nc.scatter(*nc.moons(50, seed=1))
    svg = fig.to_svg()
    small = static_figures.compact(svg)
    assert len(small) < 0.7 * len(svg)
    assert small.count("<circle") == svg.count("<circle") >= 50  # the points and the legend


# ------------------------------------------------------------------ dark flavour


@pytest.mark.parametrize("tint", CLASS_TINTS)
def test_boundaries_and_markers_keep_3_to_1_on_the_dark_tints(tint):
    dark_tint = figure_colours.mirrored(tint)
    assert contrast(figure_colours.DARK_INK, dark_tint) >= 3  # boundary, crosses
    assert contrast("#000000", tint) >= 3  # the same, light mode
    for colour in CLASS_COLORS:  # the class points
        assert contrast(colour, dark_tint) >= 3


def test_mirrored_keeps_hue_and_darkens_pale_colours_only():
    import colorsys

    for pale in CLASS_TINTS:
        dark = figure_colours.mirrored(pale)
        h1, l1, _ = colorsys.rgb_to_hls(*(int(pale[i : i + 2], 16) / 255 for i in (1, 3, 5)))
        h2, l2, _ = colorsys.rgb_to_hls(*(int(dark[i : i + 2], 16) / 255 for i in (1, 3, 5)))
        assert abs(h1 - h2) < 0.01 and l2 < 0.25 and l1 > figure_colours.PALE
    assert figure_colours.mirrored(CLASS_COLORS[0]) == CLASS_COLORS[0]


@pytest.mark.skipif(not shutil.which("node"), reason="node is not installed")
def test_the_javascript_dark_flavour_agrees_with_python():
    script = (ROOT / "book/_ext/static/letsplot_site.js").read_text()
    names = ["DARK_PAPER", "DARK_INK", "PALE", "DARKER", "HEX"]
    constants = "".join(re.search(rf"  var {n} = [^;]*;", script).group(0) for n in names)
    body = re.search(r"  function mirrored\(colour\) \{.*?\n  \}\n", script, re.S).group(0)
    colours = CLASS_TINTS + CLASS_COLORS + ["#ffffff", "#bbbbbb", "red"]
    program = (
        constants + body + f"console.log(JSON.stringify({json.dumps(colours)}.map(mirrored)));"
    )
    out = subprocess.run(["node", "-e", program], capture_output=True, text=True, check=True)
    assert json.loads(out.stdout) == [figure_colours.mirrored(c) for c in colours]


def test_dark_spec_recolours_a_decision_map():
    frames = nc.decision_frames(nc.mlp([2, 4, 2]), *nc.moons(40, seed=0), steps=8)
    spec = spec_of(nc.decision_regions(*frames))
    dark = figure_colours.dark_spec(spec)
    assert dark["theme"]["flavor"] == "darcula"
    fills = [s for s in dark["scales"] if s.get("aesthetic") == "fill"]
    assert fills and all(figure_colours.mirrored(v) == v for s in fills for v in s["values"])
    assert all(layer.get("color") != "black" for layer in dark["layers"])
    assert spec != dark


# ------------------------------------------------------------------ markup


def test_clean_table_and_body_leave_valid_markup():
    table = (
        '<div><style scoped>.dataframe th {}</style><table border="1" class="dataframe">'
        '<thead><tr style="text-align: right;"><th></th><th halign="left">a</th></tr>'
        "</thead></table></div>"
    )
    assert site_markup.clean_table(table) == (
        '<div><table class="dataframe"><thead><tr><td></td><th>a</th></tr></thead></table></div>'
    )
    body = site_markup.clean_body('<section id="solution-content"></section>' * 2)
    assert body.count('id="solution-content-1"') == body.count('id="solution-content-2"') == 1


def test_unique_scripts_drops_repeated_inline_settings():
    class Script:
        def __init__(self, body=None, src=None):
            self.attributes = {"body": body} if body else {}
            self.src = src

    scripts = [
        Script("const A = 1"),
        Script(src="a.js"),
        Script("const A = 1"),
        Script(src="a.js"),
        Script("let b"),
    ]
    kept = site_markup.unique_scripts(scripts)
    assert [s.attributes.get("body") or s.src for s in kept] == [
        "const A = 1",
        "a.js",
        "a.js",
        "let b",
    ]


def test_first_paragraph_skips_admonitions_and_short_lines():
    from docutils.core import publish_doctree

    doctree = publish_doctree(
        ".. note:: A note that is long enough to count as a paragraph.\n\n"
        "Short.\n\nThis paragraph says what the page is about, at length."
    )
    assert site_markup.first_paragraph(doctree) == (
        "This paragraph says what the page is about, at length."
    )


@pytest.mark.parametrize(
    "module", [static_figures, figure_colours, site_markup], ids=lambda m: m.__name__
)
def test_extension_doctests(module):
    import doctest

    failures, tried = doctest.testmod(module)
    assert tried > 0 and failures == 0
