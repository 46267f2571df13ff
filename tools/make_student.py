"""Write the student edition of the chapters: every solution removed, everything else intact.

Usage: python -m tools.make_student [--out _build/student] [book/*.ipynb ...]
(`make student` installs nbgrader, the `instructor` extra, and runs this.)

The chapter is read once by tools/chapter.py; three kinds of solution leave a notebook:
1. a gated solution, from a markdown cell opening ```{solution-start} to the one closing
   ```{solution-end}: every cell in between goes, code cells included;
2. a ```{solution}``` directive inside a markdown cell (for example :class: dropdown);
3. a region between `### BEGIN SOLUTION` and `### END SOLUTION` in any remaining cell:
   nbgrader's own ClearSolutions preprocessor replaces it with its stub
   (`raise NotImplementedError()` in code, "YOUR ANSWER HERE" in markdown).
Two more things never reach a student:
- hidden cells tagged ``answer-check`` (they assert an exercise's answer: which functions
  fold, the error's law, the design of a task) or ``answers-prediction`` (they give a
  prediction away), with their outputs;
- every saved output: the student runs the notebook. Outputs sit right under "predict"
  exercises, carry glued numbers that only a solution cites, and show "Correct: ..." for
  answers the student did not write.
"""

import argparse
import copy
import re
import sys
from pathlib import Path

import nbformat

from tools.chapter import ANSWER_CHECK, ANSWERS_PREDICTION, Chapter

LEFT_OUT = {ANSWER_CHECK, ANSWERS_PREDICTION}  # hidden cells a student never gets


def lines_of(text: str, start: int, end: int | None) -> str:
    return "\n".join(text.split("\n")[start:end]).strip("\n")


def cut_lines(text: str, blocks) -> str:
    """``text`` without the lines of ``blocks``."""
    drop = {i for block in blocks for i in range(block.start, block.end)}
    return "\n".join(line for i, line in enumerate(text.split("\n")) if i not in drop).strip("\n")


def gated_parts(chapter: Chapter) -> tuple[dict, list]:
    """``({cell: text kept}, [gated cells and parts])``: what of each cell that opens or
    closes a gated solution stays outside it, and every cell or part inside one."""
    kept, gated = {}, []
    for gate in chapter.gates:
        first, last = chapter.cells[gate.start], chapter.cells[gate.end]
        if gate.start == gate.end:
            kept[gate.start] = "\n\n".join(
                t
                for t in (
                    lines_of(first.source, 0, gate.start_block.start),
                    lines_of(first.source, gate.end_block.end, None),
                )
                if t
            )
            gated.append(lines_of(first.source, gate.start_block.start, gate.end_block.end))
            continue
        kept[gate.start] = lines_of(first.source, 0, gate.start_block.start)
        gated.append(lines_of(first.source, gate.start_block.start, None))
        gated += [chapter.cells[i].source for i in gate.cells]
        kept[gate.end] = lines_of(last.source, gate.end_block.end, None)
        gated.append(lines_of(last.source, 0, gate.end_block.end))
    return kept, gated


def solution_blocks(cell) -> list:
    return [b for b in cell.blocks if b.kind == "directive" and b.name == "solution"]


def clear_solutions(nb) -> None:
    """nbgrader's ClearSolutions on every cell (no nbgrader cell metadata needed)."""
    from nbgrader.preprocessors import (
        ClearSolutions,  # the instructor extra; imported late
    )

    ClearSolutions(enforce_metadata=False).preprocess(nb, {})


def student_edition(nb, name: str = "notebook"):
    """A copy of notebook ``nb`` with every solution removed (see the module docstring)."""
    chapter = Chapter.from_dict(nb, name)
    kept, _ = gated_parts(chapter)
    inside = {i for gate in chapter.gates for i in gate.cells}
    cells = []
    for cell, original in zip(chapter.cells, nb.cells):
        if cell.index in inside or LEFT_OUT & set(cell.tags):
            continue
        part = copy.deepcopy(original)
        if cell.index in kept:  # a cell that opens or closes a gate: its outside part
            part.source = kept[cell.index]
        elif cell.cell_type == "markdown":
            part.source = cut_lines(cell.source, solution_blocks(cell))
        if part.cell_type != "markdown" or part.source.strip():
            cells.append(part)
    nb = copy.deepcopy(nb)
    nb.cells = cells
    clear_solutions(nb)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    return nb


def solution_lines(nb) -> set[str]:
    """Every line of every solution in ``nb``, stripped, for the leak test (with the
    lines of the ``answer-check`` cells that are specific to them: 16 characters or more,
    and in no other cell).

    Directive options (``:class: dropdown``) are markup, not solution. A gated code cell
    with solution markers counts by its marked region only: the lines around it (the
    ``def`` line, the docstring) are the starter's, shown to the student on purpose.
    """
    chapter = Chapter.from_dict(nb, "notebook")
    _, gated = gated_parts(chapter)
    lines = []
    for text in gated:
        text = text.split("\n")
        lines += marked_region(text) or text
    checks = {c.index for c in chapter.cells if LEFT_OUT & set(c.tags)}
    elsewhere = {
        line.strip()
        for c in chapter.cells
        if c.index not in checks
        for line in c.source.split("\n")
    }
    for cell in chapter.cells:
        text = cell.source.split("\n")
        if cell.index in checks:  # its specific lines: not short, not shared with other cells
            lines += [
                line for line in text if len(line.strip()) >= 16 and line.strip() not in elsewhere
            ]
        lines += [text[i] for b in solution_blocks(cell) for i in range(b.start, b.end)]
        lines += marked_region(text)
    return {
        line.strip()
        for line in lines
        if re.search(r"\w", line) and not re.match(r"\s*:[\w-]+:", line)
    }


def marked_region(lines: list[str]) -> list[str]:
    inside, region = False, []
    for line in lines:
        if "BEGIN SOLUTION" in line or "END SOLUTION" in line:
            inside = "BEGIN SOLUTION" in line
        elif inside:
            region.append(line)
    return region


def solution_counts(nb) -> dict[str, int]:
    """How many solutions of each kind ``nb`` has (what the student edition removes)."""
    chapter = Chapter.from_dict(nb, "notebook")
    inside = {i for gate in chapter.gates for i in gate.cells}
    return {
        "gated solutions": len(chapter.gates),
        "solution directives": sum(len(solution_blocks(c)) for c in chapter.cells),
        "nbgrader regions": sum(
            c.source.count("BEGIN SOLUTION") for c in chapter.cells if c.index not in inside
        ),
    }


def chapters_and_out(argv, description: str, default_out: str) -> tuple[list[Path], Path]:
    """The command line of an edition tool: chapter notebooks (default: every one in book/)
    and ``--out``, a folder this creates."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("notebooks", nargs="*", type=Path)
    parser.add_argument("--out", type=Path, default=Path(default_out))
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    return args.notebooks or sorted(Path("book").glob("*.ipynb")), args.out


def main(argv=None) -> int:
    notebooks, out = chapters_and_out(argv, __doc__.split("\n")[0], "_build/student")
    for path in notebooks:
        nb = nbformat.read(path, as_version=4)
        student = student_edition(nb, path.stem)
        target = out / path.name
        nbformat.write(student, target)
        counts = ", ".join(f"{kind}: {n}" for kind, n in solution_counts(nb).items())
        print(f"{target}: removed {counts}; {target.stat().st_size / 1024:.0f} KiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
