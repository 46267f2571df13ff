"""Every chapter shows at least as much code as it hides.

Shown: code cells a reader sees, open or collapsed (tag ``hide-input``); hidden: cells
that are never shown (tag ``remove-cell``: glue and the assertions behind the prose).
Lines are non-blank source lines.
"""

import math
import re
from pathlib import Path

import nbformat
import pytest
from by_path import load

ROOT = Path(__file__).resolve().parents[1]
CHAPTERS = sorted((ROOT / "book").glob("[0-9][0-9]_*.ipynb"))
NEVER_SHOWN = {"remove-cell", "remove-input"}


def code_lines(path: Path) -> dict:
    """Non-blank code lines of a notebook: ``{"visible", "collapsed", "hidden"}``.

    >>> cells = [nbformat.v4.new_code_cell("a = 1\\n\\nb = 2"),
    ...          nbformat.v4.new_code_cell("assert a", metadata={"tags": ["remove-cell"]}),
    ...          nbformat.v4.new_code_cell("plot()", metadata={"tags": ["hide-input"]})]
    >>> import tempfile; folder = Path(tempfile.mkdtemp())
    >>> nbformat.write(nbformat.v4.new_notebook(cells=cells), folder / "x.ipynb")
    >>> code_lines(folder / "x.ipynb")
    {'visible': 2, 'collapsed': 1, 'hidden': 1}
    """
    counts = {"visible": 0, "collapsed": 0, "hidden": 0}
    for cell in nbformat.read(path, as_version=4).cells:
        if cell.cell_type != "code":
            continue
        tags = set(cell.metadata.get("tags", []))
        kind = (
            "hidden"
            if tags & NEVER_SHOWN
            else "collapsed"
            if tags & {"hide-input", "hide-cell"}
            else "visible"
        )
        counts[kind] += sum(1 for line in cell.source.splitlines() if line.strip())
    return counts


def test_print_the_counts(capsys):
    rows = [f"{'chapter':28} visible collapsed shown hidden"]
    for path in CHAPTERS:
        c = code_lines(path)
        rows.append(
            f"{path.stem:28} {c['visible']:7} {c['collapsed']:9} "
            f"{c['visible'] + c['collapsed']:5} {c['hidden']:6}"
        )
    with capsys.disabled():
        print("\n" + "\n".join(rows))
    assert len(CHAPTERS) == 5


@pytest.mark.parametrize("path", CHAPTERS, ids=[p.stem for p in CHAPTERS])
def test_hidden_code_is_at_most_the_shown_code(path):
    c = code_lines(path)
    shown = c["visible"] + c["collapsed"]
    assert c["hidden"] <= shown, (
        f"{path.stem} hides {c['hidden']} lines of code and shows {shown}: move checker "
        "self-tests to tests/ and computations into the package or a shown cell"
    )


# --- the opening: what the reader will do, what it assumes, how long it takes ---------------

claims = load("tools/claims.py")
WORDS_PER_MINUTE = 200  # a careful reading of technical prose
READING = re.compile(r"about\s+(\d+)\s+minutes\s+to\s+read")
RUNNING = re.compile(r"at most ten\s+minutes on a laptop's CPU")
RUN_LIMIT_S = 600  # "at most ten minutes", against the recorded run


def reading_minutes(path: Path) -> int:
    """Words of the chapter's prose (as tools/claims.py reads it) at WORDS_PER_MINUTE,
    rounded up to a multiple of 5 minutes."""
    words = sum(len(re.findall(r"\w+", s.text)) for s in claims.page_sentences(path))
    return 5 * math.ceil(words / WORDS_PER_MINUTE / 5)


@pytest.mark.parametrize("path", CHAPTERS, ids=[p.stem for p in CHAPTERS])
def test_the_opening_states_the_measured_reading_and_run_time(path):
    notebook = nbformat.read(path, as_version=4)
    opening = next(cell.source for cell in notebook.cells if cell.cell_type == "markdown")
    for part in ("You will be able to", "It assumes", "Time"):
        assert part in opening, f"{path.stem}: the opening lacks {part!r}"
    stated = READING.search(opening)
    assert stated and int(stated[1]) == reading_minutes(path), (
        f"{path.stem}: the opening says {stated and stated[0]!r}; the prose reads in about "
        f"{reading_minutes(path)} minutes"
    )
    assert RUNNING.search(opening), f"{path.stem}: the opening must say how long the cells run"
    seconds = notebook.metadata["nonlin_course"]["runs"]["cpu"]["seconds"]
    assert seconds <= RUN_LIMIT_S, f"{path.stem} ran {seconds} s, more than {RUN_LIMIT_S} s"
