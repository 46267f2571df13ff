"""The book without its solutions, for a class that grades the exercises (`make book SOLUTIONS=0`).

Usage: python -m tools.no_solutions [--out _build/no-solutions]

Writes a copy of the project's book under --out (``_config.yml``, ``_toc.yml``, ``book/``)
whose chapters are the student edition's (tools/make_student.py: gated solutions, their
code cells, ``{solution}`` directives, ``answer-check`` and ``answers-prediction`` cells
gone, solution regions stubbed) with the saved outputs of every cell left as it was put
back (the site is built from saved outputs, and the text's glued numbers are in them).
``make book SOLUTIONS=0`` then builds its site into ``<out>/_build/html`` and its Colab
edition into ``<out>/colab`` (tools/make_colab.py, README left alone).
"""
import argparse
import re
import shutil
import sys
from pathlib import Path

import nbformat
import nbformat.v4

from tools.make_student import student_edition

ROOT = Path(__file__).resolve().parents[1]


GLUE = re.compile(r"\{glue(?::\w+)?\}`([^`:]+)|\{glue(?::\w+)?\}\s+([\w.-]+)")


def cited_glue(nb) -> set[str]:
    """The glue names the markdown of ``nb`` cites (roles and figure directives)."""
    text = "\n".join(cell.source for cell in nb.cells if cell.cell_type == "markdown")
    return {a or b for a, b in GLUE.findall(text)}


def without_solutions(nb, name: str = "notebook"):
    """The student edition of ``nb`` with the outputs of the cells it keeps unchanged, and
    the numbers glued by the cells it leaves out that its text cites in one hidden cell
    of outputs only, at the end (numbers only a solution cites stay out)."""
    edition = student_edition(nb, name)
    originals = {cell.get("id"): cell for cell in nb.cells if cell.cell_type == "code"}
    for cell in edition.cells:
        original = originals.get(cell.get("id"))
        if cell.cell_type == "code" and original is not None \
                and original.source == cell.source:
            cell.outputs = original.outputs
            cell.execution_count = original.get("execution_count")
    kept = {cell.get("id") for cell in edition.cells}
    cited = cited_glue(edition)
    glued = [output for cell_id, cell in originals.items() if cell_id not in kept
             for output in cell.outputs
             if output.get("metadata", {}).get("scrapbook", {}).get("name") in cited]
    if glued:
        edition.cells.append(nbformat.v4.new_code_cell(
            "# the numbers the text cites, glued by cells this edition leaves out",
            metadata={"tags": ["remove-cell"]}, outputs=glued))
    return edition


def write_project(out: Path) -> list[Path]:
    """The book's sources under ``out``, chapters without solutions; the chapters written."""
    if out.exists():
        shutil.rmtree(out)
    shutil.copytree(ROOT / "book", out / "book")
    for name in ["_config.yml", "_toc.yml"]:
        shutil.copy2(ROOT / name, out / name)
    written = []
    for path in sorted((ROOT / "book").glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        target = out / "book" / path.name
        nbformat.write(without_solutions(nb, path.stem), target)
        written.append(target)
    return written


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "_build" / "no-solutions")
    args = parser.parse_args(argv)
    for path in write_project(args.out.resolve()):
        print(f"{path}: without solutions")
    return 0


if __name__ == "__main__":
    sys.exit(main())
