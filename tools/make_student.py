"""Write the student edition of the chapters: every solution removed, everything else intact.

Usage: python tools/make_student.py [--out _build/student] [book/*.ipynb ...]
(`make student` installs nbgrader, the `instructor` extra, and runs this.)

Three kinds of solution leave a notebook:
1. a gated solution, from a markdown cell opening ```{solution-start} to the one closing
   ```{solution-end}: every cell in between goes, code cells included;
2. a ```{solution}``` directive inside a markdown cell (for example :class: dropdown);
3. a region between `### BEGIN SOLUTION` and `### END SOLUTION` in any remaining cell:
   nbgrader's own ClearSolutions preprocessor replaces it with its stub
   (`raise NotImplementedError()` in code, "YOUR ANSWER HERE" in markdown).
Two more things never reach a student:
- hidden cells tagged ``answer-check`` (they assert an exercise's answer: which functions
  fold, the error's law, the design of a task), with their outputs;
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
from markdown_it import MarkdownIt
from mdit_py_plugins.colon_fence import colon_fence_plugin

ANSWER_CHECK = "answer-check"   # tag of hidden cells that assert an exercise's answer
MARKDOWN = MarkdownIt("commonmark").use(colon_fence_plugin)


def directive_spans(text: str, name: str) -> list[tuple[int, int]]:
    """Line ranges [start, end) of the top-level ```{name}``` (or :::{name}) blocks in text."""
    spans = []
    for token in MARKDOWN.parse(text):
        if token.type in ("fence", "colon_fence") and token.map and \
                token.info.strip().split(" ")[0] == "{" + name + "}":
            spans.append(tuple(token.map))
    return spans


def cut_lines(text: str, spans) -> str:
    lines = text.split("\n")
    drop = {i for start, end in spans for i in range(start, end)}
    return "\n".join(line for i, line in enumerate(lines) if i not in drop).strip("\n")


def with_lines(cell, start: int, end: int | None):
    part = copy.deepcopy(cell)
    part.source = "\n".join(cell.source.split("\n")[start:end]).strip("\n")
    return part


def split_gated(nb) -> tuple[list, list]:
    """Cells outside and cells inside gated solutions ({solution-start} ... {solution-end}).

    A cell that opens (closes) a gated solution is split: what lies before the start
    (after the end) stays outside. Each gated solution opens and closes in markdown cells.
    """
    kept, gated, inside = [], [], False
    for cell in nb.cells:
        text = cell.source if cell.cell_type == "markdown" else ""
        starts, ends = directive_spans(text, "solution-start"), directive_spans(text, "solution-end")
        if not inside and starts:
            kept.append(with_lines(cell, 0, starts[0][0]))
            gated.append(with_lines(cell, starts[0][0], ends[-1][1] if ends else None))
            if ends:
                kept.append(with_lines(cell, ends[-1][1], None))
            inside = not ends
        elif inside and ends:
            gated.append(with_lines(cell, 0, ends[-1][1]))
            kept.append(with_lines(cell, ends[-1][1], None))
            inside = False
        else:
            (gated if inside else kept).append(cell)
    if inside:
        raise ValueError("a {solution-start} has no matching {solution-end}")
    return kept, gated


def clear_solutions(nb) -> None:
    """nbgrader's ClearSolutions on every cell (no nbgrader cell metadata needed)."""
    from nbgrader.preprocessors import ClearSolutions  # the instructor extra; imported late
    ClearSolutions(enforce_metadata=False).preprocess(nb, {})


def student_edition(nb):
    """A copy of notebook ``nb`` with every solution removed (see the module docstring)."""
    nb = copy.deepcopy(nb)
    nb.cells, _ = split_gated(nb)
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            cell.source = cut_lines(cell.source, directive_spans(cell.source, "solution"))
    nb.cells = [c for c in nb.cells if c.cell_type != "markdown" or c.source.strip()]
    nb.cells = [c for c in nb.cells if ANSWER_CHECK not in c.metadata.get("tags", [])]
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
    _, gated = split_gated(nb)
    lines = []
    for cell in gated:
        text = cell.source.split("\n")
        lines += marked_region(text) or text
    checks = {id(c) for c in nb.cells if ANSWER_CHECK in c.metadata.get("tags", [])}
    elsewhere = {line.strip() for c in nb.cells if id(c) not in checks
                 for line in c.source.split("\n")}
    for cell in nb.cells:
        text = cell.source.split("\n")
        if id(cell) in checks:   # its specific lines: not short, not shared with other cells
            lines += [line for line in text
                      if len(line.strip()) >= 16 and line.strip() not in elsewhere]
        if cell.cell_type == "markdown":
            spans = directive_spans(cell.source, "solution")
            lines += [text[i] for start, end in spans for i in range(start, end)]
        lines += marked_region(text)
    return {line.strip() for line in lines
            if re.search(r"\w", line) and not re.match(r"\s*:[\w-]+:", line)}


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
    kept, _ = split_gated(nb)
    markdown = [cell.source for cell in nb.cells if cell.cell_type == "markdown"]
    return {
        "gated solutions": sum(len(directive_spans(t, "solution-start")) for t in markdown),
        "solution directives": sum(len(directive_spans(t, "solution")) for t in markdown),
        "nbgrader regions": sum(cell.source.count("BEGIN SOLUTION") for cell in kept),
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
        student = student_edition(nb)
        target = out / path.name
        nbformat.write(student, target)
        counts = ", ".join(f"{kind}: {n}" for kind, n in solution_counts(nb).items())
        print(f"{target}: removed {counts}; {target.stat().st_size / 1024:.0f} KiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
