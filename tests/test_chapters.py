"""Every chapter shows at least as much code as it hides.

Shown: code cells a reader sees, open or collapsed (tag ``hide-input``); hidden: cells
that are never shown (tag ``remove-cell``: glue and the assertions behind the prose).
Lines are non-blank source lines.
"""
from pathlib import Path

import nbformat
import pytest

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
        kind = ("hidden" if tags & NEVER_SHOWN else
                "collapsed" if tags & {"hide-input", "hide-cell"} else "visible")
        counts[kind] += sum(1 for line in cell.source.splitlines() if line.strip())
    return counts


def test_print_the_counts(capsys):
    rows = [f"{'chapter':28} visible collapsed shown hidden"]
    for path in CHAPTERS:
        c = code_lines(path)
        rows.append(f"{path.stem:28} {c['visible']:7} {c['collapsed']:9} "
                    f"{c['visible'] + c['collapsed']:5} {c['hidden']:6}")
    with capsys.disabled():
        print("\n" + "\n".join(rows))
    assert len(CHAPTERS) == 5


@pytest.mark.parametrize("path", CHAPTERS, ids=[p.stem for p in CHAPTERS])
def test_hidden_code_is_at_most_the_shown_code(path):
    c = code_lines(path)
    shown = c["visible"] + c["collapsed"]
    assert c["hidden"] <= shown, (
        f"{path.stem} hides {c['hidden']} lines of code and shows {shown}: move checker "
        "self-tests to tests/ and computations into the package or a shown cell")
