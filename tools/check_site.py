"""Check the built site as a reader without network meets it (`make test-site`).

Usage: python tools/check_site.py [SITE_DIR] [--screenshots DIR]

Every HTML page of SITE_DIR (default _build/html) is served from 127.0.0.1 and opened in
headless Chromium with every other host unresolvable, so anything the page would fetch
from a CDN fails. After the page's scripts have run, its DOM is compared with its source:

- every lets-plot figure in the source (a script calling ``buildPlotFrom...Specs``) is
  also a static figure (book/_ext/static_figures.py): a light and a dark SVG, a name
  (the images' ``alt``), a description (the figure function's ``alt=``) and a link to
  its data; tools/audit_site.mjs checks that each also draws interactively;
- every math element Sphinx wrote (class ``math``) must have been typeset by MathJax
  (an ``mjx-container`` in the DOM);
- the page's HTML stays under 1.5 MB and does not embed lets-plot's library (the site
  serves it once, from _static);
- a page built from a notebook links to that notebook in Colab (the launch button);
- a first visit (fresh profile) loads at most 0.8 MB, 1.5 MB for a page with figures,
  and never requests lets-plot's library (the figures are static until the reader
  reaches one); the site is at most 15 MB (the PDF, 8 MB at most, apart); in the theme's
  dark mode no figure is shown
  on a light background;
- laid out for a phone (390 px), the page is no wider than the screen, and no figure
  reaches past it (grids stack, see book/_ext/static/letsplot_site.js); a wide figure,
  table, equation or code line scrolls inside its own box, never the whole page.

Prints a table of pages (size, figures found/rendered, math found/typeset) and exits 1
listing each failing page. With --screenshots, also saves a screenshot of every page at
desktop (1280 px) and phone (390 px, the width the overflow check uses) width. Installs
Debian's chromium when it is missing and apt-get is at hand (CI runs as root).
"""

import argparse
import functools
import html
import http.server
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

MAX_PAGE_BYTES = 1_500_000  # a page's own HTML
MAX_LOAD_BYTES = 800_000  # all a first visit loads (uncompressed): a page without figures
MAX_FIGURE_PAGE_BYTES = 1_500_000  # ... and a page with figures (a chapter)
MAX_SITE_BYTES = 15_000_000  # the whole built site, the printed edition left out...
PDF_NAME = "nonlin-course.pdf"  # (`make pdf` copies it to the site's root)
MAX_PDF_BYTES = 8_000_000  # ... which has its own budget
PHONE_WIDTH = 390
PAGE_METRICS = re.compile(r'<pre id="page-metrics">([^<]*)</pre>')
FIGURE_CALL = re.compile(r"LetsPlot\.buildPlotFrom(?:Processed|Raw)Specs\(")
FIGURE_CONTAINER = re.compile(
    r'<script[^>]*data-lets-plot-script="plot"[^>]*>.*?'
    r'document\.getElementById\("([^"]+)"\)',
    re.S,
)
STATIC_FIGURE = re.compile(
    r'<figure class="nc-figure" id="([^"]+)" data-alt="(\w+)">(.*?)</figure>', re.S
)
FIGURE_IMAGE = re.compile(
    r'<img class="nc-figure-image" src="([^"]*)" data-dark="([^"]*)"'
    r'[^>]* alt="([^"]*)"'
)
FIGURE_DATA = re.compile(r'<a class="nc-figure-data" href="[^"]+\.csv"')
LIBRARY_MARK = 'data-lets-plot-script="library"'
FIGURE_MARK = 'data-lets-plot-script="plot"'
MATH_ELEMENT = re.compile(r'<(?:span|div)\s+class="math\b')
TYPESET_MATH = re.compile(r"<mjx-container\b")
COLAB_LINK = re.compile(
    r'href="https://colab\.research\.google\.com/github/[^"]*?/([^"/]+\.ipynb)"'
)
SKIP_DIRS = {"_static", "_sources", "_images"}
BROWSER_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
    # every host fails to resolve but the one serving the site, and no proxy may
    # resolve names for the browser
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
    "--no-proxy-server",
]


# ---------------------------------------------------------------- pure page logic


def figure_containers(source: str) -> list[str]:
    """Ids of the <div>s that lets-plot's saved scripts draw into, in page order."""
    return FIGURE_CONTAINER.findall(source)


@dataclass
class StaticFigure:
    """A figure as static_figures.py wrote it."""

    ident: str
    images: dict[str, str]  # mode ("light", "dark") -> src
    name: str  # the images' alt
    described: bool  # the figure function was given alt=
    data: bool  # it links its data (CSV)


def static_figures(source: str) -> list[StaticFigure]:
    """The static figures of a page's source, in page order."""
    figures = []
    for ident, given, inner in STATIC_FIGURE.findall(source):
        image = FIGURE_IMAGE.search(inner)
        images = {"light": image.group(1), "dark": image.group(2)} if image else {}
        figures.append(
            StaticFigure(
                ident,
                {m: src for m, src in images.items() if src},
                image.group(3) if image else "",
                given == "given",
                bool(FIGURE_DATA.search(inner)),
            )
        )
    return figures


def figure_problems(figures: list[StaticFigure], calls: int) -> list[str]:
    """What the static figures lack: one per lets-plot figure, both images, a name, a
    description and the data."""
    problems = []
    if calls != len(figures):
        problems.append(
            f"{calls - len(figures)} lets-plot figure(s) without a static SVG "
            "(book/_ext/static_figures.py)"
        )
    for f in figures:
        lacks = [
            what
            for what, ok in (
                ("a light and a dark image", len(f.images) == 2),
                ("a name (the images' alt)", bool(f.name.strip())),
                (
                    ("a description (alt= of the figure function; `make outputs` saves it)"),
                    f.described,
                ),
                ("a link to its data", f.data),
            )
            if not ok
        ]
        if lacks:
            problems.append(f"figure {f.ident} lacks {'; '.join(lacks)}")
    return problems


@dataclass
class PageResult:
    """What one page holds in its source and what the browser made of it."""

    page: str
    size: int
    figures: int  # figure-building calls in the source
    rendered: int  # of those, static figures with both images
    math: int  # math elements in the source
    typeset: int  # mjx-container elements after the scripts ran
    embeds_library: bool = False
    colab: str = "-"  # "yes"/"no" for a page built from a notebook
    phone: int | None = None  # the page's width in px when laid out PHONE_WIDTH wide
    loaded: int | None = None  # bytes a first visit loads, uncompressed
    fcp: float | None = None  # first contentful paint, ms
    library: float | None = None  # when lets-plot's library was requested, ms
    problems: list[str] = field(default_factory=list)


def colab_notebooks(source: str) -> set[str]:
    """File names of the notebooks that the page's Colab links open."""
    return set(COLAB_LINK.findall(source))


def check_page(
    page: str,
    source: str,
    dom: str,
    notebook: str | None = None,
    phone: int | None = None,
    metrics: "Metrics | None" = None,
    dark: "Metrics | None" = None,
) -> PageResult:
    """Compare a page's ``source`` HTML with its ``dom`` after JavaScript; list problems.

    ``notebook``: file name of the notebook the page was built from, if any; the page
    must then link to it in Colab. ``phone``: the page's width in px when laid out
    PHONE_WIDTH wide, if measured; wider means something overflows the screen.
    ``metrics``: the page's first visit laid out PHONE_WIDTH wide (see ``Metrics``); its
    width stands in for ``phone``. A page with figures may load MAX_FIGURE_PAGE_BYTES,
    any other MAX_LOAD_BYTES; lets-plot's library is requested only by a page with
    figures and only when the reader reaches a figure, never on a first visit; no figure
    reaches past the screen.
    ``dark``: the same visit in the theme's dark mode; no figure may then be drawn on a
    light background (a white card on a dark page)."""
    containers = figure_containers(source)
    calls = len(FIGURE_CALL.findall(source))
    figures = static_figures(source)
    math = len(MATH_ELEMENT.findall(source))
    typeset = len(TYPESET_MATH.findall(dom))
    result = PageResult(
        page,
        len(source.encode()),
        calls,
        sum(len(f.images) == 2 for f in figures),
        math,
        typeset,
        LIBRARY_MARK in source,
    )
    if calls != len(containers):
        result.problems.append(
            f"{calls - len(containers)} figure(s) not in a container this "
            "check knows (isolated frame or CDN setup saved?)"
        )
    result.problems.extend(figure_problems(figures, calls))
    if typeset < math:
        result.problems.append(
            f"math not typeset offline: {math} math element(s), {typeset} typeset by MathJax"
        )
    if result.size >= MAX_PAGE_BYTES:
        result.problems.append(
            f"HTML is {result.size / 1e6:.2f} MB, over {MAX_PAGE_BYTES / 1e6:.1f} MB"
        )
    if notebook is not None:
        result.colab = "yes" if notebook in colab_notebooks(source) else "no"
        if result.colab == "no":
            result.problems.append(f"no 'open in Colab' link to {notebook}")
    if metrics is not None:
        phone = metrics.width
        _check_first_visit(result, metrics)
    if dark is not None:
        light = [i for i, colour in enumerate(dark.paper) if is_light(colour)]
        if light:
            result.problems.append(
                f"in dark mode {len(light)} of {len(dark.paper)} figure(s) "
                "are drawn on a light background"
            )
    result.phone = phone
    if phone is not None and phone > PHONE_WIDTH:
        result.problems.append(
            f"at {PHONE_WIDTH} px the page is {phone} px wide: something "
            "overflows the screen instead of scrolling in its own box"
        )
    if result.embeds_library:
        result.problems.append("embeds lets-plot's library (the site serves it from _static)")
    return result


def _check_first_visit(result: PageResult, metrics: "Metrics") -> None:
    """Add to ``result`` the problems of its first visit: weight, paint order, cut figures."""
    result.loaded, result.fcp = metrics.bytes, metrics.fcp
    result.library = metrics.library[0] if metrics.library else None
    budget = MAX_FIGURE_PAGE_BYTES if result.figures else MAX_LOAD_BYTES
    if metrics.bytes > budget:
        heaviest = ", ".join(f"{path} {size / 1000:.0f} KB" for path, size in metrics.heaviest)
        result.problems.append(
            f"a first visit loads {metrics.bytes / 1e6:.2f} MB, "
            f"over {budget / 1e6:.1f} MB (heaviest: {heaviest})"
        )
    if metrics.library and not result.figures:
        result.problems.append("loads lets-plot's library but has no figure")
    if result.figures and metrics.library:
        result.problems.append(
            "a first visit requests lets-plot's library (at "
            f"{metrics.library[0]:.0f} ms): the figures are static until "
            "the reader reaches one"
        )
    if metrics.cut:
        result.problems.append(
            f"at {PHONE_WIDTH} px, {len(metrics.cut)} figure(s) reach past "
            f"the screen (containers {', '.join(metrics.cut)})"
        )


def table(results: list[PageResult]) -> str:
    """The results as a fixed-width text table, one row per page."""

    def number(value, scale=1):
        return "-" if value is None else f"{value / scale:.0f}"

    rows = [
        (
            "page",
            "HTML KB",
            "loaded KB",
            "FCP ms",
            "lib ms",
            "figures",
            "rendered",
            "math",
            "typeset",
            "colab",
            "phone px",
            "status",
        )
    ]
    for r in results:
        rows.append(
            (
                r.page,
                f"{r.size / 1000:.0f}",
                number(r.loaded, 1000),
                number(r.fcp),
                number(r.library),
                str(r.figures),
                str(r.rendered),
                str(r.math),
                str(r.typeset),
                r.colab,
                number(r.phone),
                "FAIL" if r.problems else "ok",
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = [
        "  ".join(
            cell.ljust(w) if i == 0 else cell.rjust(w)
            for i, (cell, w) in enumerate(zip(row, widths))
        )
        for row in rows
    ]
    lines.insert(1, "-" * len(lines[0]))
    return "\n".join(lines)


def source_notebook(site: Path, page: Path) -> str | None:
    """File name of the notebook ``page`` was built from (Sphinx keeps it in _sources)."""
    notebook = (site / "_sources" / page.relative_to(site)).with_suffix(".ipynb")
    return notebook.name if notebook.exists() else None


def site_pages(site: Path) -> list[Path]:
    """Every HTML page of the site, static and source folders left out."""
    return sorted(
        p for p in site.rglob("*.html") if not SKIP_DIRS.intersection(p.relative_to(site).parts)
    )


# ---------------------------------------------------------------- browser and server


def ensure_chromium() -> str:
    """Path of chromium ($CHROMIUM, else chromium or Chrome on the PATH); installs
    Debian's package when none is there and apt-get is usable (as root)."""
    names = [
        os.environ.get("CHROMIUM", ""),
        "chromium",
        "chromium-browser",
        "google-chrome",
        "google-chrome-stable",
    ]
    found = next((shutil.which(name) for name in names if name and shutil.which(name)), None)
    if found:
        return found
    if shutil.which("apt-get") and os.geteuid() == 0:
        print("chromium is missing: installing Debian's package", flush=True)
        install = ["apt-get", "install", "-y", "-q", "chromium"]
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        if subprocess.run(install, env=env).returncode != 0:
            subprocess.run(["apt-get", "update", "-q"], env=env, check=True)
            subprocess.run(install, env=env, check=True)
        found = shutil.which("chromium")
    if not found:
        sys.exit(
            "check_site needs chromium (Debian: apt-get install chromium), "
            "or set CHROMIUM to a Chromium or Chrome executable"
        )
    return found


@functools.cache
def profile_root() -> Path:
    return Path(tempfile.mkdtemp(prefix="check-site-"))


def browse(chromium: str, url: str, *extra: str) -> subprocess.CompletedProcess:
    """Run headless chromium on ``url`` with a fresh profile; waits for scripts to settle."""
    profile = tempfile.mkdtemp(dir=profile_root())
    command = [
        chromium,
        *BROWSER_FLAGS,
        f"--user-data-dir={profile}",
        "--virtual-time-budget=15000",
        *extra,
        url,
    ]
    return subprocess.run(command, capture_output=True, text=True, timeout=180)


def rendered_dom(chromium: str, url: str) -> str:
    """The page's DOM serialised after its scripts ran."""
    run = browse(chromium, url, "--window-size=1280,2000", "--dump-dom")
    if run.returncode != 0 or "<html" not in run.stdout:
        raise RuntimeError(f"chromium failed on {url}: {run.stderr[-2000:]}")
    return run.stdout


FRAME_HEIGHT = 16000  # screenshots: enough for most of a chapter
MEASURE_HEIGHT = 2000  # measuring the width: any height will do
NARROWEST_WINDOW = 500


def screenshot(
    chromium: str, base: str, page: str, out: Path, width: int, mode: str = "light"
) -> None:
    """A PNG of the page's first FRAME_HEIGHT pixels, laid out ``width`` px wide in the
    theme's ``mode`` ("light" or "dark")."""
    out.parent.mkdir(parents=True, exist_ok=True)
    url = f"{base}{FRAME_PREFIX.strip('/')}/{width}/{mode}/{page}"
    window = f"--window-size={max(width, NARROWEST_WINDOW)},{FRAME_HEIGHT}"
    browse(chromium, url, window, f"--screenshot={out}")
    if width < NARROWEST_WINDOW:
        _crop_width(out, width)


def _crop_width(png: Path, width: int) -> None:
    """Cut a screenshot to its left ``width`` pixels (PIL when installed; else leave it)."""
    try:
        from PIL import Image
    except ImportError:
        return
    with Image.open(png) as image:
        cropped = image.crop((0, 0, width, image.height))
    cropped.save(png)


FRAME_PREFIX = "/__frame__/"  # /__frame__/WIDTH/MODE/PAGE: PAGE in an iframe WIDTH px
# wide, MODE "light" or "dark"
MEASURE_PREFIX = "/__measure__/"  # the same, and the framed page's width written out
MEASURE_SCRIPT = """<script>
window.addEventListener("load", function () {
  setTimeout(function () {   // after the figures have drawn
    var win = document.querySelector("iframe").contentWindow;
    var doc = win.document, perf = win.performance;
    var nav = perf.getEntriesByType("navigation")[0];
    var bytes = nav ? nav.decodedBodySize : 0, library = null, files = [];
    perf.getEntriesByType("resource").forEach(function (r) {
      bytes += r.decodedBodySize;
      files.push([r.name.replace(/^[^:]*:\\/\\/[^/]*\\//, "").replace(/\\?.*$/, ""),
                  r.decodedBodySize]);
      if (/lets-plot[^/]*\\.js/.test(r.name)) library = r;
    });
    var fcp = perf.getEntriesByName("first-contentful-paint")[0];
    var screen = doc.documentElement.clientWidth, cut = [], paper = [];
    doc.querySelectorAll("figure.nc-figure").forEach(function (figure) {
      // its image (in the SVG of the theme's mode) and the background that SVG has
      var shown = figure.querySelector("img.nc-figure-image");
      paper.push(shown ? shown.dataset.paper : null);
      var r = (shown || figure).getBoundingClientRect();
      if (r.width > 0 && (r.right > screen + 1 || r.left < -1)) cut.push(figure.id);
    });
    var out = document.createElement("pre");
    out.id = "page-metrics";
    out.textContent = JSON.stringify({
      width: doc.documentElement.scrollWidth, bytes: bytes, cut: cut, paper: paper,
      heaviest: files.sort(function (a, b) { return b[1] - a[1]; }).slice(0, 5),
      fcp: fcp ? fcp.startTime : null,
      library: library ? [library.startTime, library.responseEnd] : null});
    document.body.appendChild(out);
  }, 4000);
});
</script>"""


def frame_page(
    width: int, page: str, height: int, measure: bool = False, dark: bool = False
) -> str:
    """HTML showing ``page`` in an iframe ``width`` px wide: headless Chromium's window is
    never narrower than 500 px, an iframe's viewport can be (media queries follow it).
    With ``dark``, the theme's dark mode is chosen first (the theme keeps the reader's
    choice in localStorage, shared with the framed page). With ``measure``, once the page
    has settled, its metrics are written into a ``<pre id="page-metrics">`` as JSON: its
    width (scrollWidth), the bytes it loaded (uncompressed), its first contentful paint,
    when lets-plot's library was fetched (if it was), the figures reaching past the screen
    and the background of each figure's shown image."""
    choose = (
        "<script>localStorage.setItem('mode','dark');localStorage.setItem('theme','dark');</script>"
        if dark
        else ""
    )
    return (
        "<!DOCTYPE html><html><body style='margin:0'>"
        f"{choose}<iframe src='/{page}' width='{width}' height='{height}' "
        "style='border:0;display:block'></iframe>"
        f"{MEASURE_SCRIPT if measure else ''}</body></html>"
    )


@dataclass
class Metrics:
    """What a page did in the browser, laid out PHONE_WIDTH px wide on a first visit."""

    width: int  # the page's width in px (wider: it overflows)
    bytes: int  # everything it loaded, uncompressed
    fcp: float | None = None  # first contentful paint, ms after navigation
    library: tuple[float, float] | None = None  # lets-plot fetched from .. to, ms
    cut: list[str] = field(default_factory=list)  # figures reaching past the screen
    heaviest: list[tuple[str, int]] = field(default_factory=list)  # (path, bytes), top 5
    paper: list[str | None] = field(default_factory=list)  # each figure's background colour


def page_metrics(dom: str) -> Metrics | None:
    """The metrics written by a measuring frame page's script, if it ran."""
    found = PAGE_METRICS.search(dom)
    if not found:
        return None
    data = json.loads(html.unescape(found.group(1)))
    library = tuple(data["library"]) if data["library"] else None
    return Metrics(
        int(data["width"]),
        int(data["bytes"]),
        data["fcp"],
        library,
        list(data["cut"]),
        [tuple(f) for f in data.get("heaviest", [])],
        list(data.get("paper", [])),
    )


def is_light(colour: str | None) -> bool:
    """True for a CSS colour (``rgb(...)``/``rgba(...)``) whose luminance is over half;
    False for none, or one the browser left fully transparent.

    >>> is_light("rgb(255, 255, 255)"), is_light("rgb(20, 24, 30)"), is_light(None)
    (True, False, False)
    """
    parts = [float(v) for v in re.findall(r"[\d.]+", colour or "")]
    if len(parts) < 3 or (len(parts) > 3 and parts[3] == 0):
        return False
    red, green, blue = parts[:3]
    return (0.2126 * red + 0.7152 * green + 0.0722 * blue) / 255 > 0.5


def first_visit(chromium: str, base: str, page: str, mode: str = "light") -> Metrics:
    """The page's first visit laid out PHONE_WIDTH px wide, with a fresh profile (nothing
    cached; scrollbars hidden, so the frame's whole width is the page's viewport), in the
    theme's ``mode``."""
    url = f"{base}{MEASURE_PREFIX.strip('/')}/{PHONE_WIDTH}/{mode}/{page}"
    run = browse(chromium, url, f"--window-size={NARROWEST_WINDOW},{MEASURE_HEIGHT}", "--dump-dom")
    metrics = page_metrics(run.stdout)
    if metrics is None:
        raise RuntimeError(f"could not measure {page} at {PHONE_WIDTH} px: {run.stderr[-2000:]}")
    return metrics


def site_bytes(site: Path) -> int:
    """Bytes of every file under ``site`` but the printed edition (PDF_NAME at its root)."""
    return sum(p.stat().st_size for p in site.rglob("*") if p.is_file() and p != site / PDF_NAME)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def do_GET(self):
        prefix = next((p for p in (FRAME_PREFIX, MEASURE_PREFIX) if self.path.startswith(p)), None)
        if prefix is None:
            return super().do_GET()
        width, mode, page = self.path.removeprefix(prefix).split("/", 2)
        height = FRAME_HEIGHT if prefix == FRAME_PREFIX else MEASURE_HEIGHT
        body = frame_page(
            int(width), page, height, measure=prefix == MEASURE_PREFIX, dark=mode == "dark"
        ).encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def serve(site: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    """Serve ``site`` on 127.0.0.1 (a free port) in a background thread; returns the base URL."""
    handler = functools.partial(_QuietHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


# ---------------------------------------------------------------- main


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site", nargs="?", default="_build/html", type=Path)
    parser.add_argument("--screenshots", type=Path, help="folder for desktop/phone PNGs")
    args = parser.parse_args(argv)
    pages = site_pages(args.site)
    if not pages:
        sys.exit(f"no HTML pages under {args.site}: run `make book` first")
    chromium = ensure_chromium()
    server, base = serve(args.site)
    try:

        def one(path: Path) -> PageResult:
            name = path.relative_to(args.site).as_posix()
            result = check_page(
                name,
                path.read_text(encoding="utf-8"),
                rendered_dom(chromium, base + name),
                source_notebook(args.site, path),
                metrics=first_visit(chromium, base, name),
                dark=(
                    first_visit(chromium, base, name, "dark")
                    if FIGURE_MARK in path.read_text(encoding="utf-8")
                    else None
                ),
            )
            if args.screenshots:
                stem = name.removesuffix(".html").replace("/", "__")
                for label, width in (("desktop", 1280), ("phone", PHONE_WIDTH)):
                    for mode in ("light", "dark"):
                        screenshot(
                            chromium,
                            base,
                            name,
                            args.screenshots / f"{stem}.{label}.{mode}.png",
                            width,
                            mode,
                        )
            return result

        with ThreadPoolExecutor(max_workers=2) as pool:
            results = list(pool.map(one, pages))
    finally:
        server.shutdown()
        shutil.rmtree(profile_root(), ignore_errors=True)
    print(table(results))
    failed = [r for r in results if r.problems]
    for r in failed:
        for problem in r.problems:
            print(f"FAIL {r.page}: {problem}")
    total = site_bytes(args.site)
    print(
        f"site: {total / 1e6:.2f} MB in all (at most {MAX_SITE_BYTES / 1e6:.0f} MB), "
        "the PDF left out"
    )
    pdf = args.site / PDF_NAME
    pdf_size = pdf.stat().st_size if pdf.exists() else 0
    if pdf_size:
        print(
            f"{'FAIL ' if pdf_size > MAX_PDF_BYTES else ''}printed edition: "
            f"{pdf_size / 1e6:.2f} MB (at most {MAX_PDF_BYTES / 1e6:.0f} MB)"
        )
    if total > MAX_SITE_BYTES:
        print(
            f"FAIL site: {args.site} holds {total / 1e6:.2f} MB, over {MAX_SITE_BYTES / 1e6:.0f} MB"
        )
    print(f"{len(results) - len(failed)} passed, {len(failed)} failed")
    return 1 if failed or total > MAX_SITE_BYTES or pdf_size > MAX_PDF_BYTES else 0


if __name__ == "__main__":
    sys.exit(main())
