"""The printed edition (`make pdf`): the intro and every chapter of the built site in one
PDF, printed by headless Chromium (the system's; no browser download).

Usage: python tools/make_pdf.py [SITE_DIR] [OUT_PDF]   (default _build/html,
_build/pdf/nonlin-course.pdf)

Each page's article is taken from SITE_DIR as the site shows it, then made for paper:
the static figures in their light flavour (book/_ext/static_figures.py; the interactive
copy and the data links are left out), code only where an exercise or a solution has it
(other cells print their outputs), and each chapter's solutions moved to a "Solutions"
section at the chapter's end. The math is typeset by the site's own MathJax before
Chromium prints. The pages are joined into ``print.html`` beside the PDF (its ``<base>``
is the site, so images and styles resolve there).
"""

import argparse
import re
import shutil
import subprocess
import sys
from pathlib import Path

from bs4 import BeautifulSoup

PAGES_FIRST = ["book/intro.html"]
CHAPTER = re.compile(r"book/\d\d_[^/]+\.html$")
PRINT_CSS = """
@page { size: A4; margin: 18mm 16mm; }
body { font-size: 10.5pt; background: #fff; color: #000; }
* { box-shadow: none !important; text-shadow: none !important; filter: none !important;
    backdrop-filter: none !important; }   /* else printed as images */
.pdf-page { break-before: page; }
.pdf-page:first-child { break-before: auto; }
figure.nc-figure, .cell_output, table, .admonition { break-inside: avoid; }
.nc-figure-frame img { max-width: 100%; height: auto; }
.headerlink, .copybtn, .toggle-details, .nc-figure-data { display: none !important; }
/* code: only the exercises' cells (the one after each exercise) and the solutions' */
div.cell_input { display: none; }
div.exercise + div.cell div.cell_input, div.solution div.cell_input { display: block; }
div.cell_input pre { white-space: pre-wrap; font-size: 8.5pt; }
.solution.dropdown > *:not(.admonition-title) { display: block !important; }
mjx-container[display="true"] { overflow: visible !important; }
h2.pdf-solutions { break-before: page; }
"""
WAIT_MS = 60000  # virtual time for MathJax to typeset every page before printing


def site_order(site: Path) -> list[str]:
    """The intro, then the chapters in their order (their file names sort by number)."""
    chapters = sorted(
        p.relative_to(site).as_posix()
        for p in (site / "book").glob("*.html")
        if CHAPTER.search(p.relative_to(site).as_posix())
    )
    return PAGES_FIRST + chapters


def for_paper(page_html: str, name: str) -> str:
    """The article of one built page, made for paper (see the module's docstring)."""
    soup = BeautifulSoup(page_html, "html.parser")
    article = soup.find("article")
    if article is None:
        raise ValueError(f"{name}: no <article> (not a page of the built site?)")
    for selector in (".nc-figure-live", "details.hide.above-input", "script", ".headerlink"):
        for element in article.select(selector):
            element.decompose()
    for img in article.select("img"):
        img.attrs.pop("loading", None)
    for details in article.select("details"):  # dropdowns (predictions, answers) open
        details["open"] = ""
    solutions = article.select("div.solution")
    if solutions:
        heading = soup.new_tag("h2", attrs={"class": "pdf-solutions"})
        heading.string = "Solutions"
        article.append(heading)
        for solution in solutions:
            article.append(solution.extract())
    section = soup.new_tag("section", attrs={"class": "pdf-page", "data-page": name})
    section.append(article.extract())
    return str(section)


def print_document(site: Path, names: list[str]) -> str:
    """One HTML document holding every page for paper, with the site's styles and MathJax."""
    first = BeautifulSoup((site / names[0]).read_text(encoding="utf-8"), "html.parser")
    styles = "".join(str(link) for link in first.select('link[rel="stylesheet"]'))
    mathjax = "".join(
        str(s)
        for s in first.select("script")
        if "MathJax" in (s.string or "") or "mathjax" in s.get("src", "")
    )
    body = "".join(for_paper((site / n).read_text(encoding="utf-8"), n) for n in names)
    base = (site / "book").resolve().as_uri() + "/"
    return (
        f'<!DOCTYPE html><html lang="en" data-theme="light"><head><meta charset="utf-8">'
        f'<base href="{base}"><title>Why neural networks need non-linearity</title>'
        f"{styles}<style>{PRINT_CSS}</style>{mathjax}</head>"
        f'<body><main class="bd-main">{body}</main></body></html>'
    )


def chromium() -> str:
    """The system's Chromium or Chrome ($CHROMIUM, else on the PATH)."""
    import os

    for name in (os.environ.get("CHROMIUM", ""), "chromium", "chromium-browser", "google-chrome"):
        if name and shutil.which(name):
            return shutil.which(name)
    sys.exit("make_pdf needs chromium (Debian: apt-get install chromium), or CHROMIUM=path")


def print_pdf(document: Path, out: Path) -> None:
    """Print ``document`` to ``out`` with headless Chromium, after its scripts have run."""
    command = [
        chromium(),
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--host-resolver-rules=MAP * ~NOTFOUND",
        "--no-pdf-header-footer",
        "--allow-file-access-from-files",
        f"--virtual-time-budget={WAIT_MS}",
        f"--print-to-pdf={out}",
        document.resolve().as_uri(),
    ]
    run = subprocess.run(command, capture_output=True, text=True, timeout=600, check=False)
    if run.returncode != 0 or not out.exists():
        raise RuntimeError(f"chromium could not print {document}: {run.stderr[-2000:]}")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site", nargs="?", default="_build/html", type=Path)
    parser.add_argument("out", nargs="?", default="_build/pdf/nonlin-course.pdf", type=Path)
    args = parser.parse_args(argv)
    names = site_order(args.site)
    missing = [n for n in names if not (args.site / n).exists()]
    if missing or len(names) < 2:
        sys.exit(f"{args.site} lacks {missing or 'the chapters'}: run `make book` first")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    document = args.out.parent / "print.html"
    document.write_text(print_document(args.site, names), encoding="utf-8")
    print_pdf(document, args.out)
    print(f"{args.out}: {args.out.stat().st_size / 1e6:.2f} MB, {len(names)} pages of the site")
    return 0


if __name__ == "__main__":
    sys.exit(main())
