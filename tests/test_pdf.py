"""The printed edition (`make pdf`: tools/make_pdf.py): its pages, every figure, the
chapters' glued numbers, the solutions at each chapter's end; checked against the built
site it was printed from, with poppler's pdftotext and pdfinfo. `make pdf` runs this
with PDF_REQUIRED=1; elsewhere, without a PDF, it is skipped. The page logic of
make_pdf is tested on a small page, without a browser."""

import os
import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest
from by_path import load

ROOT = Path(__file__).parents[1]
SITE = ROOT / "_build" / "html"
PDF = ROOT / "_build" / "pdf" / "nonlin-course.pdf"
GLUED = re.compile(r'<span class="pasted-text">([^<]+)</span>')
CAPTION = re.compile(r'<figcaption><span id="[^"]+">([^<]+)</span>')
TITLE = re.compile(r"<title>(.*?) (?:&#8212;|\u2014) ", re.S)

make_pdf = load("tools/make_pdf.py")


def squeezed(text: str) -> str:
    """Text without whitespace, soft hyphens or ligatures: line breaks cannot hide a match."""
    import html

    text = unicodedata.normalize("NFKC", html.unescape(text)).replace("\u00ad", "")
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def printed():
    if not PDF.exists():
        if os.environ.get("PDF_REQUIRED"):
            pytest.fail(f"{PDF} is missing: `make pdf` writes it")
        pytest.skip("no PDF built (make pdf)")
    if not shutil.which("pdftotext"):
        pytest.fail("pdftotext is missing (Debian: poppler-utils)")
    text = subprocess.run(
        ["pdftotext", "-layout", str(PDF), "-"], capture_output=True, text=True, check=True
    ).stdout
    info = subprocess.run(["pdfinfo", str(PDF)], capture_output=True, text=True, check=True).stdout
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    return {"text": squeezed(text), "pages": pages, "raw": text}


def chapters():
    return (
        [(name, (SITE / name).read_text(encoding="utf-8")) for name in make_pdf.site_order(SITE)]
        if SITE.exists()
        else []
    )


def test_every_page_of_the_site_is_printed_in_order(printed):
    titles = [
        squeezed(re.sub("<[^>]+>", "", TITLE.search(page).group(1))) for _, page in chapters()
    ]
    positions = [printed["text"].find(t) for t in titles]
    assert -1 not in positions, [t for t, p in zip(titles, positions) if p < 0]
    assert positions == sorted(positions)
    assert printed["pages"] >= 2 * len(titles)  # each chapter starts a new page


def test_every_figure_is_printed_with_its_description(printed):
    captions = [(name, c) for name, page in chapters() for c in CAPTION.findall(page)]
    assert len(captions) >= 30
    missing = [(name, c[:60]) for name, c in captions if squeezed(c) not in printed["text"]]
    assert not missing


def test_every_figure_is_drawn_not_only_captioned(printed):
    # the static SVGs are drawn as vector graphics: their own titles and tick labels
    # are in the PDF's text, e.g. chapter 1's first figure title
    assert squeezed("Two moons (1 500 of the 10 000 points)") in printed["text"]
    assert printed["raw"].count("Data of figure") == 0  # the links are left off


def test_the_chapters_glued_numbers_are_printed(printed):
    numbers = [(name, n) for name, page in chapters() for n in set(GLUED.findall(page))]
    assert len(numbers) > 100
    missing = [(name, n) for name, n in numbers if squeezed(n) not in printed["text"]]
    assert not missing


def test_solutions_come_after_each_chapter_s_exercises(printed):
    with_solutions = [name for name, page in chapters() if 'class="solution' in page]
    assert printed["raw"].count("Solutions") >= len(with_solutions) > 0


# ------------------------------------------------------------ page logic, no browser

PAGE = """<html><body><article><h1>T</h1>
<details class="admonition hide above-input"><summary>code</summary>x = 1</details>
<figure class="nc-figure"><div class="nc-figure-frame">
<img class="nc-figure-image" src="a-light.svg" loading="lazy" alt="A">
<div class="nc-figure-live" hidden><script>draw()</script></div></div></figure>
<div class="solution dropdown admonition"><p>Solution to 1</p></div>
<p>after the exercise</p></article></body></html>"""


def test_for_paper_keeps_static_figures_and_moves_solutions_to_the_end():
    paper = make_pdf.for_paper(PAGE, "book/01_a.html")
    assert 'src="a-light.svg"' in paper and 'loading="lazy"' not in paper
    assert "nc-figure-live" not in paper and "<script" not in paper
    assert "x = 1" not in paper  # hidden code left out
    assert (
        paper.index("after the exercise") < paper.index("Solutions") < paper.index("Solution to 1")
    )
    assert paper.startswith('<section class="pdf-page" data-page="book/01_a.html">')


def test_for_paper_needs_an_article():
    with pytest.raises(ValueError, match="no <article>"):
        make_pdf.for_paper("<html><body><p>x</p></body></html>", "x.html")
