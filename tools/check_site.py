"""Check the built site as a reader without network meets it (`make test-site`).

Usage: python tools/check_site.py [SITE_DIR] [--screenshots DIR]

Every HTML page of SITE_DIR (default _build/html) is served from 127.0.0.1 and opened in
headless Chromium with every other host unresolvable, so anything the page would fetch
from a CDN fails. After the page's scripts have run, its DOM is compared with its source:

- every lets-plot figure in the source (a script calling ``buildPlotFrom...Specs``) must
  have drawn an <svg> into its container;
- every math element Sphinx wrote (class ``math``) must have been typeset by MathJax
  (an ``mjx-container`` in the DOM);
- the page's HTML stays under 1.5 MB and does not embed lets-plot's library (the site
  serves it once, from _static);
- a page built from a notebook links to that notebook in Colab (the launch button);
- a first visit (fresh profile) loads at most 1.5 MB, 4.5 MB for a page with figures,
  and requests lets-plot's library only after the first contentful paint; the site is
  at most 15 MB; in the theme's dark mode no figure is drawn on a light background;
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
from html.parser import HTMLParser
from pathlib import Path

MAX_PAGE_BYTES = 1_500_000      # a page's own HTML
MAX_LOAD_BYTES = 1_500_000      # all a first visit loads (uncompressed): a page without figures
MAX_FIGURE_PAGE_BYTES = 4_500_000   # ... and a page with figures (a chapter)
MAX_SITE_BYTES = 15_000_000     # the whole built site
PHONE_WIDTH = 390
PAGE_METRICS = re.compile(r'<pre id="page-metrics">([^<]*)</pre>')
FIGURE_CALL = re.compile(r"LetsPlot\.buildPlotFrom(?:Processed|Raw)Specs\(")
FIGURE_CONTAINER = re.compile(
    r'<script[^>]*data-lets-plot-script="plot"[^>]*>.*?'
    r'document\.getElementById\("([^"]+)"\)', re.S)
LIBRARY_MARK = 'data-lets-plot-script="library"'
FIGURE_MARK = 'data-lets-plot-script="plot"'
MATH_ELEMENT = re.compile(r'<(?:span|div)\s+class="math\b')
TYPESET_MATH = re.compile(r"<mjx-container\b")
COLAB_LINK = re.compile(r'href="https://colab\.research\.google\.com/github/[^"]*?/([^"/]+\.ipynb)"')
SKIP_DIRS = {"_static", "_sources", "_images"}
BROWSER_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--hide-scrollbars",
    # every host fails to resolve but the one serving the site, and no proxy may
    # resolve names for the browser
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1", "--no-proxy-server",
]


# ---------------------------------------------------------------- pure page logic

class _SvgInside(HTMLParser):
    """Finds which of the given element ids contain an <svg> somewhere below them."""

    def __init__(self, ids):
        super().__init__()
        self.wanted = set(ids)
        self.open = []          # (tag, id or None) of elements whose id we want, with depth
        self.depth = {}         # tag -> nesting count inside each wanted element
        self.with_svg = set()

    def handle_starttag(self, tag, attrs):
        element_id = dict(attrs).get("id")
        for entry in self.open:
            if entry["tag"] == tag:
                entry["depth"] += 1
        if tag == "svg":
            self.with_svg.update(entry["id"] for entry in self.open)
        if element_id in self.wanted:
            self.open.append({"tag": tag, "id": element_id, "depth": 1})

    def handle_endtag(self, tag):
        for entry in list(self.open):
            if entry["tag"] == tag:
                entry["depth"] -= 1
                if entry["depth"] == 0:
                    self.open.remove(entry)


def figure_containers(source: str) -> list[str]:
    """Ids of the <div>s that lets-plot's saved scripts draw into, in page order."""
    return FIGURE_CONTAINER.findall(source)


def rendered_containers(dom: str, ids) -> set[str]:
    """Those of ``ids`` whose element in the rendered ``dom`` contains an <svg>."""
    parser = _SvgInside(ids)
    parser.feed(dom)
    return parser.with_svg


@dataclass
class PageResult:
    """What one page holds in its source and what the browser made of it."""
    page: str
    size: int
    figures: int                 # figure-building calls in the source
    rendered: int                # of those, containers with an <svg> after the scripts ran
    math: int                    # math elements in the source
    typeset: int                 # mjx-container elements after the scripts ran
    embeds_library: bool = False
    colab: str = "-"             # "yes"/"no" for a page built from a notebook
    phone: int | None = None     # the page's width in px when laid out PHONE_WIDTH wide
    loaded: int | None = None    # bytes a first visit loads, uncompressed
    fcp: float | None = None     # first contentful paint, ms
    library: float | None = None     # when lets-plot's library was requested, ms
    problems: list[str] = field(default_factory=list)


def colab_notebooks(source: str) -> set[str]:
    """File names of the notebooks that the page's Colab links open."""
    return set(COLAB_LINK.findall(source))


def check_page(page: str, source: str, dom: str, notebook: str | None = None,
               phone: int | None = None, metrics: "Metrics | None" = None,
               dark: "Metrics | None" = None) -> PageResult:
    """Compare a page's ``source`` HTML with its ``dom`` after JavaScript; list problems.

    ``notebook``: file name of the notebook the page was built from, if any; the page
    must then link to it in Colab. ``phone``: the page's width in px when laid out
    PHONE_WIDTH wide, if measured; wider means something overflows the screen.
    ``metrics``: the page's first visit laid out PHONE_WIDTH wide (see ``Metrics``); its
    width stands in for ``phone``. A page with figures may load MAX_FIGURE_PAGE_BYTES,
    any other MAX_LOAD_BYTES; lets-plot's library is requested only by a page with
    figures and only after the text has painted; no figure reaches past the screen.
    ``dark``: the same visit in the theme's dark mode; no figure may then be drawn on a
    light background (a white card on a dark page)."""
    containers = figure_containers(source)
    calls = len(FIGURE_CALL.findall(source))
    rendered = rendered_containers(dom, containers)
    math = len(MATH_ELEMENT.findall(source))
    typeset = len(TYPESET_MATH.findall(dom))
    result = PageResult(page, len(source.encode()), calls, len(rendered), math, typeset,
                        LIBRARY_MARK in source)
    if calls != len(containers):
        result.problems.append(f"{calls - len(containers)} figure(s) not in a container this "
                               "check knows (isolated frame or CDN setup saved?)")
    missing = [c for c in containers if c not in rendered]
    if missing:
        result.problems.append(f"{len(missing)} of {len(containers)} figure(s) drew nothing "
                               f"(containers {', '.join(missing)})")
    if typeset < math:
        result.problems.append(f"math not typeset offline: {math} math element(s), "
                               f"{typeset} typeset by MathJax")
    if result.size >= MAX_PAGE_BYTES:
        result.problems.append(f"HTML is {result.size / 1e6:.2f} MB, "
                               f"over {MAX_PAGE_BYTES / 1e6:.1f} MB")
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
            result.problems.append(f"in dark mode {len(light)} of {len(dark.paper)} figure(s) "
                                   "are drawn on a light background")
    result.phone = phone
    if phone is not None and phone > PHONE_WIDTH:
        result.problems.append(f"at {PHONE_WIDTH} px the page is {phone} px wide: something "
                               "overflows the screen instead of scrolling in its own box")
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
        result.problems.append(f"a first visit loads {metrics.bytes / 1e6:.2f} MB, "
                               f"over {budget / 1e6:.1f} MB (heaviest: {heaviest})")
    if metrics.library and not result.figures:
        result.problems.append("loads lets-plot's library but has no figure")
    if result.figures and metrics.library:
        if metrics.fcp is None or metrics.fcp > metrics.library[0]:
            result.problems.append("lets-plot's library is requested before the text has "
                                   f"painted (first contentful paint {metrics.fcp} ms, "
                                   f"library requested at {metrics.library[0]:.0f} ms)")
    if metrics.cut:
        result.problems.append(f"at {PHONE_WIDTH} px, {len(metrics.cut)} figure(s) reach past "
                               f"the screen (containers {', '.join(metrics.cut)})")


def table(results: list[PageResult]) -> str:
    """The results as a fixed-width text table, one row per page."""
    def number(value, scale=1):
        return "-" if value is None else f"{value / scale:.0f}"
    rows = [("page", "HTML KB", "loaded KB", "FCP ms", "lib ms", "figures", "rendered",
             "math", "typeset", "colab", "phone px", "status")]
    for r in results:
        rows.append((r.page, f"{r.size / 1000:.0f}", number(r.loaded, 1000), number(r.fcp),
                     number(r.library), str(r.figures), str(r.rendered), str(r.math),
                     str(r.typeset), r.colab, number(r.phone), "FAIL" if r.problems else "ok"))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(cell.ljust(w) if i == 0 else cell.rjust(w)
                       for i, (cell, w) in enumerate(zip(row, widths))) for row in rows]
    lines.insert(1, "-" * len(lines[0]))
    return "\n".join(lines)


def source_notebook(site: Path, page: Path) -> str | None:
    """File name of the notebook ``page`` was built from (Sphinx keeps it in _sources)."""
    notebook = (site / "_sources" / page.relative_to(site)).with_suffix(".ipynb")
    return notebook.name if notebook.exists() else None


def site_pages(site: Path) -> list[Path]:
    """Every HTML page of the site, static and source folders left out."""
    return sorted(p for p in site.rglob("*.html")
                  if not SKIP_DIRS.intersection(p.relative_to(site).parts))


# ---------------------------------------------------------------- browser and server

def ensure_chromium() -> str:
    """Path of chromium ($CHROMIUM, else chromium or Chrome on the PATH); installs
    Debian's package when none is there and apt-get is usable (as root)."""
    names = [os.environ.get("CHROMIUM", ""), "chromium", "chromium-browser",
             "google-chrome", "google-chrome-stable"]
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
        sys.exit("check_site needs chromium (Debian: apt-get install chromium), "
                 "or set CHROMIUM to a Chromium or Chrome executable")
    return found


@functools.cache
def profile_root() -> Path:
    return Path(tempfile.mkdtemp(prefix="check-site-"))


def browse(chromium: str, url: str, *extra: str) -> subprocess.CompletedProcess:
    """Run headless chromium on ``url`` with a fresh profile; waits for scripts to settle."""
    profile = tempfile.mkdtemp(dir=profile_root())
    command = [chromium, *BROWSER_FLAGS, f"--user-data-dir={profile}",
               "--virtual-time-budget=15000", *extra, url]
    return subprocess.run(command, capture_output=True, text=True, timeout=180)


def rendered_dom(chromium: str, url: str) -> str:
    """The page's DOM serialised after its scripts ran."""
    run = browse(chromium, url, "--window-size=1280,2000", "--dump-dom")
    if run.returncode != 0 or "<html" not in run.stdout:
        raise RuntimeError(f"chromium failed on {url}: {run.stderr[-2000:]}")
    return run.stdout


FRAME_HEIGHT = 16000       # screenshots: enough for most of a chapter
MEASURE_HEIGHT = 2000      # measuring the width: any height will do
NARROWEST_WINDOW = 500


def screenshot(chromium: str, base: str, page: str, out: Path, width: int,
               mode: str = "light") -> None:
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


FRAME_PREFIX = "/__frame__/"   # /__frame__/WIDTH/MODE/PAGE: PAGE in an iframe WIDTH px
                               # wide, MODE "light" or "dark"
MEASURE_PREFIX = "/__measure__/"   # the same, and the framed page's width written out
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
    doc.querySelectorAll('script[data-lets-plot-script="plot"]').forEach(function (s) {
      var box = s.previousElementSibling, right = 0, left = screen;
      if (!box) return;
      var svg = box.querySelector("svg"), fill = null;
      // the figure's background: lets-plot paints it as the first shape of the plot
      var back = svg && svg.querySelector(":scope > g > path, :scope > g > rect");
      if (back) fill = back.getAttribute("fill");
      paper.push(fill);
      box.querySelectorAll("svg").forEach(function (svg) {
        var r = svg.getBoundingClientRect();
        if (r.width > 0) { right = Math.max(right, r.right); left = Math.min(left, r.left); }
      });
      if (right > screen + 1 || left < -1) cut.push(box.id);
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


def frame_page(width: int, page: str, height: int, measure: bool = False,
               dark: bool = False) -> str:
    """HTML showing ``page`` in an iframe ``width`` px wide: headless Chromium's window is
    never narrower than 500 px, an iframe's viewport can be (media queries follow it).
    With ``dark``, the theme's dark mode is chosen first (the theme keeps the reader's
    choice in localStorage, shared with the framed page). With ``measure``, once the page
    has settled, its metrics are written into a ``<pre id="page-metrics">`` as JSON: its
    width (scrollWidth), the bytes it loaded (uncompressed), its first contentful paint,
    when lets-plot's library was fetched and the figures reaching past the screen."""
    choose = ("<script>localStorage.setItem('mode','dark');"
              "localStorage.setItem('theme','dark');</script>" if dark else "")
    return ("<!DOCTYPE html><html><body style='margin:0'>"
            f"{choose}<iframe src='/{page}' width='{width}' height='{height}' "
            "style='border:0;display:block'></iframe>"
            f"{MEASURE_SCRIPT if measure else ''}</body></html>")


@dataclass
class Metrics:
    """What a page did in the browser, laid out PHONE_WIDTH px wide on a first visit."""
    width: int                      # the page's width in px (wider: it overflows)
    bytes: int                      # everything it loaded, uncompressed
    fcp: float | None = None        # first contentful paint, ms after navigation
    library: tuple[float, float] | None = None   # lets-plot fetched from .. to, ms
    cut: list[str] = field(default_factory=list)  # figures reaching past the screen
    heaviest: list[tuple[str, int]] = field(default_factory=list)   # (path, bytes), top 5
    paper: list[str | None] = field(default_factory=list)   # each figure's background colour


def page_metrics(dom: str) -> Metrics | None:
    """The metrics written by a measuring frame page's script, if it ran."""
    found = PAGE_METRICS.search(dom)
    if not found:
        return None
    data = json.loads(html.unescape(found.group(1)))
    library = tuple(data["library"]) if data["library"] else None
    return Metrics(int(data["width"]), int(data["bytes"]), data["fcp"], library,
                   list(data["cut"]), [tuple(f) for f in data.get("heaviest", [])],
                   list(data.get("paper", [])))


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
    """Bytes of every file under ``site``."""
    return sum(p.stat().st_size for p in site.rglob("*") if p.is_file())


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def do_GET(self):
        prefix = next((p for p in (FRAME_PREFIX, MEASURE_PREFIX) if self.path.startswith(p)),
                      None)
        if prefix is None:
            return super().do_GET()
        width, mode, page = self.path.removeprefix(prefix).split("/", 2)
        height = FRAME_HEIGHT if prefix == FRAME_PREFIX else MEASURE_HEIGHT
        body = frame_page(int(width), page, height, measure=prefix == MEASURE_PREFIX,
                          dark=mode == "dark").encode()
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
            result = check_page(name, path.read_text(encoding="utf-8"),
                                rendered_dom(chromium, base + name),
                                source_notebook(args.site, path),
                                metrics=first_visit(chromium, base, name),
                                dark=(first_visit(chromium, base, name, "dark")
                                      if FIGURE_MARK in path.read_text(encoding="utf-8")
                                      else None))
            if args.screenshots:
                stem = name.removesuffix(".html").replace("/", "__")
                for label, width in (("desktop", 1280), ("phone", PHONE_WIDTH)):
                    for mode in ("light", "dark"):
                        screenshot(chromium, base, name,
                                   args.screenshots / f"{stem}.{label}.{mode}.png", width, mode)
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
    print(f"site: {total / 1e6:.2f} MB in all (at most {MAX_SITE_BYTES / 1e6:.0f} MB)")
    if total > MAX_SITE_BYTES:
        print(f"FAIL site: {args.site} holds {total / 1e6:.2f} MB, "
              f"over {MAX_SITE_BYTES / 1e6:.0f} MB")
    print(f"{len(results) - len(failed)} passed, {len(failed)} failed")
    return 1 if failed or total > MAX_SITE_BYTES else 0


if __name__ == "__main__":
    sys.exit(main())
