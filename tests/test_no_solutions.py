"""tools/no_solutions.py (`make book SOLUTIONS=0`): the chapters without their solutions,
their saved outputs (the glued numbers) kept; its Colab edition leaks nothing either."""
import json
from pathlib import Path

import nbformat
import pytest

pytest.importorskip("nbgrader", reason="stripping the solutions needs nbgrader")

from tools import make_colab, make_student, no_solutions  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
CHAPTERS = sorted((ROOT / "book").glob("*.ipynb"))


def lines(nb) -> set[str]:
    return {line.strip() for cell in nb.cells for line in cell.source.split("\n")}


def glued(nb) -> set[str]:
    return {o.metadata["scrapbook"]["name"] for c in nb.cells if c.cell_type == "code"
            for o in c.outputs if "scrapbook" in o.get("metadata", {})}


@pytest.mark.parametrize("chapter", CHAPTERS, ids=[p.stem for p in CHAPTERS])
def test_no_solution_is_left_and_the_outputs_stay(chapter):
    original = nbformat.read(chapter, as_version=4)
    edition = no_solutions.without_solutions(original, chapter.stem)
    assert not make_student.solution_lines(original) & lines(edition)
    assert "answers-prediction" not in json.dumps(edition.cells)
    kept = {c.id for c in edition.cells}
    shown = nbformat.from_dict({**original, "cells": [c for c in original.cells
                                                      if c.id in kept]})
    cited = no_solutions.cited_glue(edition)
    assert cited and cited & glued(original) <= glued(edition)      # every cited number
    assert glued(edition) - glued(shown) <= cited   # and, from cells left out, only those


def test_the_project_copy_and_its_colab_edition(tmp_path):
    written = no_solutions.write_project(tmp_path / "copy")
    assert {p.name for p in written} == {p.name for p in CHAPTERS}
    assert (tmp_path / "copy" / "_config.yml").exists() and (tmp_path / "copy" / "_toc.yml").exists()
    assert make_colab.main(["--out", str(tmp_path / "colab"), "--readme", "", *map(str, written)]) == 0
    for chapter in CHAPTERS:
        colab = (tmp_path / "colab" / chapter.name).read_text()
        solution = make_student.solution_lines(nbformat.read(chapter, as_version=4))
        leaked = {line for line in solution if len(line) > 20 and line in colab}
        assert not leaked, (chapter.name, sorted(leaked)[:3])
