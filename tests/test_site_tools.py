"""Tests of tools/check_site.py's page logic (no browser): what counts as a figure, a
static figure with its text and data, typeset math, and which problems a page gets; and
of the site's Sphinx extensions."""

import json
from pathlib import Path

import pytest
from by_path import load

check_site = load("tools/check_site.py")


def figure_source(
    container: str,
    alt: str = "given",
    images=("light", "dark"),
    name: str = "Loss",
    data: bool = True,
) -> str:
    """A figure as the built site writes it (book/_ext/static_figures.py): a static image
    and a data link around the saved lets-plot output (a div, a script drawing into it)."""
    src = {
        m: f"../_images/figures/{container}-{m}.svg" if m in images else ""
        for m in ("light", "dark")
    }
    imgs = (
        f'<img class="nc-figure-image" src="{src["light"]}" data-dark="{src["dark"]}" '
        f'width="600" height="400" alt="{name}" aria-describedby="{container}-c" '
        f'data-paper="x" loading="lazy">'
    )
    link = (
        f'<a class="nc-figure-data" href="../_images/figures/{container}.csv" download>Data</a>'
        if data
        else ""
    )
    return (
        f'<figure class="nc-figure" id="{container}" data-alt="{alt}">'
        f'<div class="nc-figure-frame">{imgs}<div class="nc-figure-live" hidden>'
        f'<div id="{container}" ></div>\n'
        '<script type="text/javascript" data-lets-plot-script="plot">\n'
        f'const containerDiv = document.getElementById("{container}");\n'
        "window.letsPlotCall(function() { fig = "
        "LetsPlot.buildPlotFromProcessedSpecs(plotSpec, containerDiv, sizing); });\n"
        f'</script></div></div><figcaption><span id="{container}-c">A curve.</span>{link}'
        "</figcaption></figure>"
    )


def test_figure_containers_in_page_order():
    source = "<p>text</p>" + figure_source("abc") + figure_source("X2y")
    assert check_site.figure_containers(source) == ["abc", "X2y"]


def test_static_figures_reads_images_name_description_and_data():
    source = figure_source("a") + figure_source(
        "b", alt="missing", images=("light",), name="", data=False
    )
    a, b = check_site.static_figures(source)
    assert (a.ident, a.name, a.described, a.data) == ("a", "Loss", True, True)
    assert a.images == {
        "light": "../_images/figures/a-light.svg",
        "dark": "../_images/figures/a-dark.svg",
    }
    assert (b.ident, b.name, b.described, b.data, list(b.images)) == (
        "b",
        "",
        False,
        False,
        ["light"],
    )


def test_check_page_passes_when_every_figure_is_static_and_described():
    source = figure_source("a") + '<span class="math notranslate nohighlight">\\(x\\)</span>'
    dom = source + '<span class="math"><mjx-container class="MathJax"></mjx-container></span>'
    result = check_site.check_page("p.html", source, dom)
    assert (result.figures, result.rendered, result.math, result.typeset) == (1, 1, 1, 1)
    assert result.problems == []
    assert result.size == len(source.encode())


def test_check_page_names_what_each_figure_lacks():
    source = (
        figure_source("a")
        + figure_source("b", alt="missing")
        + figure_source("c", images=("light",), name="", data=False)
    )
    result = check_site.check_page("p.html", source, source)
    assert result.rendered == 2
    assert result.problems == [
        "figure b lacks a description (alt= of the figure function; `make outputs` saves it)",
        "figure c lacks a light and a dark image; a name (the images' alt); a link to its data",
    ]


def test_check_page_wants_a_static_figure_for_every_lets_plot_figure():
    bare = (
        '<div id="z" ></div><script data-lets-plot-script="plot">'
        'const containerDiv = document.getElementById("z");'
        "LetsPlot.buildPlotFromProcessedSpecs(plotSpec, containerDiv, sizing);</script>"
    )
    result = check_site.check_page("p.html", bare, bare)
    assert result.problems == [
        "1 lets-plot figure(s) without a static SVG (book/_ext/static_figures.py)"
    ]


def test_check_page_flags_math_left_raw():
    source = (
        '<span class="math notranslate nohighlight">\\(a\\)</span>'
        '<div class="math notranslate nohighlight">\\[b\\]</div>'
    )
    result = check_site.check_page("p.html", source, source)
    assert (result.math, result.typeset) == (2, 0)
    assert result.problems == ["math not typeset offline: 2 math element(s), 0 typeset by MathJax"]


def test_check_page_flags_figures_it_cannot_follow():
    # a figure saved with an isolated frame: the call is there, no container script
    source = '<iframe srcdoc="... LetsPlot.buildPlotFromRawSpecs(spec, div, s) ..."></iframe>'
    result = check_site.check_page("p.html", source, source)
    assert result.figures == 1
    assert "not in a container this check knows" in result.problems[0]


@pytest.mark.parametrize(
    "extra, expected",
    [
        ("x" * check_site.MAX_PAGE_BYTES, "over 1.5 MB"),
        ('<script data-lets-plot-script="library">', "embeds lets-plot's library"),
    ],
)
def test_check_page_flags_heavy_pages(extra, expected):
    result = check_site.check_page("p.html", extra, extra)
    assert len(result.problems) == 1 and expected in result.problems[0]


COLAB = "https://colab.research.google.com/github/org/repo/blob/main/book/"


def test_check_page_wants_a_colab_link_to_its_own_notebook():
    own = f'<a href="{COLAB}01_a.ipynb">Colab</a>'
    other = f'<a href="{COLAB}02_b.ipynb">Colab</a>'
    assert check_site.check_page("p.html", own, own, "01_a.ipynb").colab == "yes"
    result = check_site.check_page("p.html", other, other, "01_a.ipynb")
    assert result.colab == "no"
    assert result.problems == ["no 'open in Colab' link to 01_a.ipynb"]
    # a page not built from a notebook needs no link
    assert check_site.check_page("p.html", "", "").colab == "-"


def test_source_notebook_reads_sphinx_sources(tmp_path):
    (tmp_path / "_sources" / "book").mkdir(parents=True)
    (tmp_path / "_sources" / "book" / "01_a.ipynb").write_text("{}")
    (tmp_path / "_sources" / "book" / "intro.md").write_text("")
    assert check_site.source_notebook(tmp_path, tmp_path / "book" / "01_a.html") == "01_a.ipynb"
    assert check_site.source_notebook(tmp_path, tmp_path / "book" / "intro.html") is None


def test_table_has_a_row_per_page_and_marks_failures():
    ok = check_site.PageResult("a.html", 12_000, 2, 2, 1, 1, colab="yes", phone=375)
    bad = check_site.PageResult(
        "book/b.html",
        1_600_000,
        1,
        0,
        0,
        0,
        loaded=1_234_000,
        fcp=80.2,
        library=95.4,
        problems=["x"],
    )
    lines = check_site.table([ok, bad]).splitlines()
    assert lines[0].split() == [
        "page",
        "HTML",
        "KB",
        "loaded",
        "KB",
        "FCP",
        "ms",
        "lib",
        "ms",
        "figures",
        "rendered",
        "math",
        "typeset",
        "colab",
        "phone",
        "px",
        "status",
    ]
    assert lines[2].split() == [
        "a.html",
        "12",
        "-",
        "-",
        "-",
        "2",
        "2",
        "1",
        "1",
        "yes",
        "375",
        "ok",
    ]
    assert lines[3].split() == [
        "book/b.html",
        "1600",
        "1234",
        "80",
        "95",
        "1",
        "0",
        "0",
        "0",
        "-",
        "-",
        "FAIL",
    ]


@pytest.mark.parametrize("width, fails", [(375, False), (390, False), (391, True), (760, True)])
def test_check_page_flags_a_page_wider_than_the_phone(width, fails):
    result = check_site.check_page("p.html", "<p>text</p>", "<p>text</p>", phone=width)
    assert result.phone == width
    assert bool(result.problems) == fails
    if fails:
        assert result.problems == [
            f"at 390 px the page is {width} px wide: something "
            "overflows the screen instead of scrolling in its own box"
        ]


def test_measuring_frame_page_frames_the_page_and_reports_its_metrics():
    html = check_site.frame_page(390, "book/a.html", 2000, measure=True)
    assert "<iframe src='/book/a.html' width='390' height='2000'" in html
    assert 'out.id = "page-metrics"' in html and "scrollWidth" in html
    assert "decodedBodySize" in html and "first-contentful-paint" in html
    assert "page-metrics" not in check_site.frame_page(390, "book/a.html", 2000)


def test_frame_page_chooses_dark_mode_only_when_asked():
    dark = check_site.frame_page(1280, "a.html", 2000, dark=True)
    light = check_site.frame_page(1280, "a.html", 2000)
    assert "localStorage.setItem('mode','dark')" in dark
    assert "localStorage" not in light
    assert dark.index("localStorage") < dark.index("<iframe")  # chosen before the page loads


def metrics_dom(**values) -> str:
    """A measuring frame page's DOM after its script wrote ``values`` (HTML-escaped)."""
    data = {
        "width": 390,
        "bytes": 1000,
        "cut": [],
        "fcp": 100.0,
        "library": None,
        "heaviest": [["_static/x.js", 900]],
        **values,
    }
    text = json.dumps(data).replace("&", "&amp;").replace('"', "&quot;")
    return f'<body><iframe></iframe><pre id="page-metrics">{text}</pre></body>'


def test_page_metrics_reads_what_the_script_wrote():
    metrics = check_site.page_metrics(
        metrics_dom(width=412, bytes=2_000_000, fcp=250.5, library=[300.0, 900.0], cut=["abc"])
    )
    assert metrics == check_site.Metrics(
        412, 2_000_000, 250.5, (300.0, 900.0), ["abc"], [("_static/x.js", 900)]
    )
    assert check_site.page_metrics("<body></body>") is None


def visit(**values):
    return check_site.page_metrics(metrics_dom(**values))


@pytest.mark.parametrize(
    "figures, loaded, fails",
    [
        (0, check_site.MAX_LOAD_BYTES, False),
        (0, check_site.MAX_LOAD_BYTES + 1, True),
        (1, check_site.MAX_LOAD_BYTES + 1, False),
        (1, check_site.MAX_FIGURE_PAGE_BYTES, False),
        (1, check_site.MAX_FIGURE_PAGE_BYTES + 1, True),
    ],
)
def test_first_visit_budget_depends_on_whether_the_page_has_figures(figures, loaded, fails):
    source = "".join(figure_source(f"f{i}") for i in range(figures))
    result = check_site.check_page("p.html", source, source, metrics=visit(bytes=loaded))
    assert result.loaded == loaded
    assert any("a first visit loads" in p for p in result.problems) == fails
    if fails:
        assert "heaviest: _static/x.js 1 KB" in result.problems[0]


def test_a_first_visit_never_requests_the_library():
    quiet = check_site.check_page("p.html", figure_source("a"), figure_source("a"), metrics=visit())
    eager = check_site.check_page(
        "p.html", figure_source("a"), figure_source("a"), metrics=visit(library=[150.0, 900.0])
    )
    assert quiet.problems == [] and quiet.library is None
    assert eager.library == 150.0
    assert eager.problems == [
        "a first visit requests lets-plot's library (at 150 ms): the "
        "figures are static until the reader reaches one"
    ]


def test_a_page_without_figures_must_not_load_the_library():
    result = check_site.check_page(
        "p.html", "<p>x</p>", "<p>x</p>", metrics=visit(library=[10.0, 20.0])
    )
    assert result.problems == ["loads lets-plot's library but has no figure"]


def test_figures_reaching_past_the_phone_screen_are_named():
    source = figure_source("a") + figure_source("b")
    result = check_site.check_page("p.html", source, source, metrics=visit(cut=["b"]))
    assert result.problems == ["at 390 px, 1 figure(s) reach past the screen (containers b)"]


def test_metrics_width_is_the_phone_width():
    result = check_site.check_page("p.html", "<p>x</p>", "<p>x</p>", metrics=visit(width=500))
    assert result.phone == 500
    assert any("page is 500 px wide" in p for p in result.problems)


def test_site_bytes_counts_every_file(tmp_path):
    (tmp_path / "_static").mkdir()
    (tmp_path / "index.html").write_bytes(b"x" * 10)
    (tmp_path / "_static" / "a.js").write_bytes(b"y" * 32)
    (tmp_path / check_site.PDF_NAME).write_bytes(b"z" * 100)  # budgeted apart
    assert check_site.site_bytes(tmp_path) == 42


def test_site_pages_skips_static_and_sources(tmp_path):
    for name in [
        "index.html",
        "book/01.html",
        "_static/x.html",
        "_sources/y.html",
        "book/notes.txt",
    ]:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("<html></html>")
    pages = [p.relative_to(tmp_path).as_posix() for p in check_site.site_pages(tmp_path)]
    assert pages == ["book/01.html", "index.html"]


# ---------------------------------------------------------------- the site's Sphinx extensions

site_weight = load("book/_ext/site_weight.py")
mathjax_offline = load("book/_ext/mathjax_offline.py")
letsplot_offline = load("book/_ext/letsplot_offline.py")


@pytest.mark.parametrize(
    "module", [site_weight, mathjax_offline, letsplot_offline], ids=lambda m: m.__name__
)
def test_extension_doctests(module):
    import doctest
    import sys

    # doctest finds a function's module through sys.modules by name; pytest's own
    # --doctest-modules import of book/_ext may have put another copy there
    saved = sys.modules.get(module.__name__)
    sys.modules[module.__name__] = module
    try:
        failures, tried = doctest.testmod(module)
    finally:
        if saved is None:
            sys.modules.pop(module.__name__, None)
        else:
            sys.modules[module.__name__] = saved
    assert tried > 0 and failures == 0


# A two-icon stand-in for fontawesome.js, in its layout: brands, regular, solid packs.
FAKE_FONTAWESOME = (
    'var a={github:[496,512,[],"f09b","M1 1h494v510z"]};(function(){d("fab",a)});'
    'var b={"sun":[512,512,[9728],"f185","M2 2h10z"]};(function(){d("far",b)});'
    'var c={"bars":[448,512,["navicon"],"f0c9","M0 96h448v64z"],'
    '"sun":[512,512,[],"f185","M3 3h10z"]};(function(){d("fas",c)});'
)


def fake_site(tmp_path):
    site = tmp_path / "html"
    (site / "_static" / "scripts").mkdir(parents=True)
    (site / "_static" / "vendor" / "fontawesome" / "webfonts").mkdir(parents=True)
    (site / "_static" / "scripts" / "fontawesome.js").write_text(FAKE_FONTAWESOME)
    (site / "_static" / "scripts" / "bootstrap.js.map").write_text("{}")
    (site / "_static" / "styles").mkdir()
    (site / "_static" / "styles" / "pydata-sphinx-theme.css").write_text(
        '.a{color:red}.fa-bars:before,.fa-navicon:before{content:"\\f0c9"}'
        "@font-face{font-family:Font Awesome\\ 6 Free;src:url(x.woff2)}.b{color:blue}"
        ".carousel-item{display:none}"
        ':root{--pst-icon-sun:"\uf185"}.note>.title:after{width:1rem;content:var(--pst-icon-sun)}'
    )
    (site / "_static" / "exercise.css").write_text(
        'p.t::after{content:"\\f0c9"}.unused::after{content:"\\f0c9"}'
    )
    head = (
        '<script defer src="{up}_static/scripts/fontawesome.js?digest=1"></script>\n'
        '<script src="{up}_static/searchtools.js"></script>\n'
        '<script src="{up}searchindex.js"></script>\n'
    )
    (site / "book").mkdir()
    (site / "book" / "a.html").write_text(
        "<head>" + head.format(up="../") + '</head><i class="fa-solid fa-bars"></i>'
        '<i class="fa-brands fa-github"></i><div class="note"><p class="title">N</p></div>'
        '<p class="t">exercise</p><p class="a b">styled</p>'
    )
    (site / "search.html").write_text("<head>" + head.format(up="") + "</head>")
    return site


def test_trim_swaps_fontawesome_for_the_icons_the_pages_show(tmp_path):
    site = fake_site(tmp_path)
    site_weight.trim(site)
    static = site / "_static"
    page = (site / "book" / "a.html").read_text()
    assert '<link rel="stylesheet" href="../_static/icons.css" />' in page
    assert "fontawesome.js" not in page
    css = (static / "icons.css").read_text()
    assert ".fa-bars::before" in css and ".fa-github::before" in css
    assert ".fa-sun" not in css  # no page shows it
    assert "viewBox='0 0 448 512'" in site_weight.unquote(css)
    assert not (static / "scripts" / "fontawesome.js").exists()
    assert not (static / "vendor" / "fontawesome").exists()
    assert not (static / "scripts" / "bootstrap.js.map").exists()
    # Font Awesome's rules and those needing a class nothing on the site names are gone
    assert (
        (static / "styles" / "pydata-sphinx-theme.css")
        .read_text()
        .startswith(".a{color:red}.b{color:blue}:root")
    )
    # icons the style sheets draw as glyphs (by codepoint, directly or through a
    # variable) are masks too; a rule that sized its icon keeps that size
    note = next(r for r in css.splitlines() if r.startswith(".note>.title:after{"))
    assert 'content:""' in note and "mask:" in note and "width:1em" not in note
    exercise = next(r for r in css.splitlines() if r.startswith("p.t::after{"))
    assert "mask:var(--icon-" in exercise  # one shared copy of each shape
    assert ".unused" not in css  # no page has that class


def test_trim_keeps_search_tools_on_the_search_page_only(tmp_path):
    site = fake_site(tmp_path)
    site_weight.trim(site)
    assert "searchindex.js" not in (site / "book" / "a.html").read_text()
    assert "searchindex.js" in (site / "search.html").read_text()
    site = fake_site(tmp_path / "again")
    site_weight.trim(site, search_as_you_type=True)
    assert "searchindex.js" in (site / "book" / "a.html").read_text()


def test_icon_shapes_reads_every_pack_and_alias():
    shapes = site_weight.icon_shapes(FAKE_FONTAWESOME)
    assert shapes["brands"] == {
        "github": (496, 512, "M1 1h494v510z"),
        "U+f09b": (496, 512, "M1 1h494v510z"),
    }  # by codepoint too
    assert shapes["regular"]["sun"] == (512, 512, "M2 2h10z")
    assert shapes["solid"]["navicon"] == shapes["solid"]["bars"] == (448, 512, "M0 96h448v64z")


def test_icon_shapes_reads_the_theme_s_real_fontawesome():
    theme = pytest.importorskip("pydata_sphinx_theme")
    script = (
        Path(theme.__file__).parent
        / "theme"
        / "pydata_sphinx_theme"
        / "static"
        / "scripts"
        / "fontawesome.js"
    )
    if not script.exists():
        pytest.skip("this pydata-sphinx-theme has no fontawesome.js")
    shapes = site_weight.icon_shapes(script.read_text())
    # icons the site's pages show, in the styles the theme asks for
    for name in ["bars", "magnifying-glass", "moon", "sun", "download", "expand", "list"]:
        assert name in shapes["solid"], name
    assert "github" in shapes["brands"]
    assert shapes["solid"]["search"] == shapes["solid"]["magnifying-glass"]  # an alias


def test_prune_keeps_only_what_pages_load(tmp_path):
    files = [
        "startup.js",
        "core.js",
        "tex-chtml.js",
        "tex-svg-full.js",
        "input/tex.js",
        "input/tex/extensions/boldsymbol.js",
        "output/chtml.js",
        "output/svg.js",
        "output/chtml/fonts/tex.js",
        "output/chtml/fonts/woff-v2/MathJax_Zero.woff",
        "sre/mathmaps/en.json",
        "a11y/assistive-mml.js",
        "a11y/explorer.js",
    ]
    for name in files:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x")
    mathjax_offline.prune(tmp_path)
    left = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file())
    assert left == sorted(
        [
            "startup.js",
            "core.js",
            "input/tex.js",
            "input/tex/extensions/boldsymbol.js",
            "output/chtml.js",
            "output/chtml/fonts/tex.js",
            "output/chtml/fonts/woff-v2/MathJax_Zero.woff",
            "a11y/assistive-mml.js",
        ]
    )
    assert not (tmp_path / "sre").exists()  # emptied folders go too
    # every component the pages are told to load is kept
    assert all(mathjax_offline.kept(f"{c}.js") for c in mathjax_offline.COMPONENTS)


@pytest.mark.parametrize(
    "colour, light",
    [
        ("rgb(255,255,255)", True),
        ("rgb(206, 214, 221)", True),
        ("rgb(18,18,18)", False),
        ("rgba(255, 255, 255, 0)", False),
        (None, False),
        ("none", False),
    ],
)
def test_is_light(colour, light):
    assert check_site.is_light(colour) is light


def test_check_page_flags_figures_left_light_in_dark_mode():
    source = dom = figure_source("a") + figure_source("b")
    ok = visit(paper=["rgb(18,18,18)", "rgb(20,24,30)"])
    white = visit(paper=["rgb(18,18,18)", "rgb(255,255,255)"])
    assert check_site.check_page("p.html", source, dom, dark=ok).problems == []
    assert check_site.check_page("p.html", source, dom, dark=white).problems == [
        "in dark mode 1 of 2 figure(s) are drawn on a light background"
    ]
