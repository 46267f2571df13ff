"""One reader of a chapter: the MyST of its markdown cells, parsed once, and its exercises.

Every edition (the Colab edition, the student edition, the nbgrader course) is a rendering
of the :class:`Chapter` this module reads; none of them reads MyST itself. The markdown is
parsed by the parser MyST uses (myst-parser's markdown-it-py set-up, with the extensions
that ``_config.yml`` enables), so a block is what the site makes of it: a directive is a
fence whose info is ``{name}``, a role a ``myst_role`` token, a label a ``myst_target``.

The structure, for each chapter:

- ``cells``: every cell; a markdown cell carries its :class:`Block` list (prose, headings,
  plain code fences, directives with their parsed body, labels, comments, block breaks);
- ``exercises``: each ``{exercise}`` with its kind (``predict``, ``code``, ``explain``),
  number (as sphinx-exercise numbers a page), starter, check and other cells, and its
  solution: a ``{solution}`` block or a :class:`Gate` (``{solution-start}`` ...
  ``{solution-end}`` across cells) with the solution cells inside it; and the hidden cells
  that assert its answer (tag ``answer-check``);
- ``glue``: the values the saved run glued; ``glue_text`` formats one as myst-nb does, and a
  name with no value is an error naming the chapter, the cell and the line.

Malformed MyST (an unclosed fence, a gate without its end, an unknown directive or role)
raises :class:`MystError` naming the chapter, the cell and the line.

>>> ch = Chapter.from_dict({"cells": [{"cell_type": "markdown", "metadata": {},
...     "source": "```{exercise} Guess\\n:label: ex-a\\nPredict it.\\n```"}]}, "09_x")
>>> [(e.label, e.number, e.kind) for e in ch.exercises]
[('ex-a', 1, 'explain')]
"""

from __future__ import annotations

import ast
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from myst_nb.core.variables import format_plain_text

from tools.myst import (  # noqa: F401  (ROOT, ADMONITIONS, ...: the model's vocabulary)
    ADMONITIONS,
    DIRECTIVES,
    GLUE_ROLES,
    ROLES,
    ROOT,
    Block,
    Inline,
    MystError,
    Reader,
    directive_options,
)

ANSWER_CHECK = "answer-check"  # hidden cells that assert an exercise's answer
ANSWERS_PREDICTION = "answers-prediction"  # hidden cells that give a prediction away
HIDDEN = "remove-cell"


@dataclass
class Cell:
    index: int
    cell_type: str
    source: str
    tags: list
    raw: dict
    blocks: list = field(default_factory=list)

    @property
    def hidden(self) -> bool:
        return HIDDEN in self.tags or ANSWER_CHECK in self.tags


@dataclass
class Gate:
    """A gated solution: from the ``{solution-start}`` block of cell ``start`` to the
    ``{solution-end}`` block of cell ``end``; ``cells`` lie strictly between them."""

    label: str
    start: int
    start_block: Block
    end: int
    end_block: Block
    options: dict

    @property
    def cells(self) -> range:
        return range(self.start + 1, self.end)


@dataclass
class Exercise:
    label: str
    title: str
    number: int | None  # None: ``:nonumber:``
    cell: int  # the cell that states it
    block: Block
    kind: str = "explain"  # predict, code or explain
    solution: Block | None = None  # a {solution} directive
    gate: Gate | None = None
    starters: list = field(default_factory=list)  # cells (code exercise)
    checks: list = field(default_factory=list)  # visible cells calling nc.check_*
    between: list = field(default_factory=list)  # every visible code cell up to the gate
    solution_cells: list = field(default_factory=list)  # gated code with BEGIN SOLUTION
    answer_checks: list = field(default_factory=list)

    @property
    def heading(self) -> str:
        """sphinx-exercise's title: ``Exercise 2 (subtitle)``."""
        head = "Exercise" if self.number is None else f"Exercise {self.number}"
        return f"{head} ({self.title})" if self.title else head


def text_of(cell: dict) -> str:
    """A cell's source as one string (nbformat stores a list of lines or a string).

    >>> text_of({"source": ["a\\n", "b"]})
    'a\\nb'
    """
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else source


def glue_values(nb: dict) -> dict:
    """``{name: mime bundle}`` of every value glued in the saved outputs (the last wins).

    >>> glue_values({"cells": [{"outputs": [{"data": {"application/papermill.record/text/plain":
    ...     "0.5"}, "metadata": {"scrapbook": {"name": "acc"}}}]}]})
    {'acc': {'text/plain': '0.5'}}
    """
    values = {}
    for cell in nb.get("cells", []):
        for output in cell.get("outputs", []):
            meta = output.get("metadata", {}).get("scrapbook")
            if meta:
                prefix = meta.get("mime_prefix", "")
                values[meta["name"]] = {
                    k.removeprefix(prefix).removeprefix("application/papermill.record/"): v
                    for k, v in output.get("data", {}).items()
                }
    return values


def defined_names(code: str) -> list:
    """The functions and classes a cell defines at its top level, in order.

    >>> defined_names("%pip install x\\ndef f():\\n    pass\\nclass C:\\n    pass")
    ['f', 'C']
    """
    try:
        tree = ast.parse(re.sub(r"^(\s*)[%!].*$", r"\1pass", code, flags=re.MULTILINE))
    except SyntaxError:
        return []
    return [
        s.name
        for s in tree.body
        if isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
    ]


def calls_checker(code: str) -> bool:
    """Whether the code calls an exercise's checker.

    >>> calls_checker("passed = nc.check_fold(fold)"), calls_checker("fold(1, 2)")
    (True, False)
    """
    return bool(re.search(r"\bcheck_\w+\(", code))


class Chapter:
    """A chapter notebook, read once (see the module docstring)."""

    def __init__(self, nb: dict, name: str, directives=frozenset(DIRECTIVES)):
        self.nb, self.name = nb, name
        self.reader = Reader(name, directives)
        self.glue = glue_values(nb)
        self.cells = []
        for index, raw in enumerate(nb.get("cells", [])):
            cell = Cell(
                index,
                raw["cell_type"],
                text_of(raw),
                list(raw.get("metadata", {}).get("tags", [])),
                raw,
            )
            if cell.cell_type == "markdown":
                cell.blocks = self.parse(cell.source, index)
            self.cells.append(cell)
        self._top_level_only()
        self.gates = self._gates()
        self.exercises = self._exercises()

    @classmethod
    def from_dict(cls, nb, name: str) -> Chapter:
        """From a notebook dict (or nbformat node)."""
        return cls(json.loads(json.dumps(nb)), name)

    @classmethod
    def read(cls, path) -> Chapter:
        path = Path(path)
        return cls(json.loads(path.read_text(encoding="utf-8")), path.stem)

    def error(self, cell: int, line: int, message: str) -> MystError:
        """``<chapter>, cell <cell>, line <line + 1>: <message>``."""
        return self.reader.error(cell, line, message)

    def parse(self, text: str, cell: int, offset: int = 0) -> list:
        """The blocks of a markdown ``text`` of cell ``cell`` (tools/myst.py)."""
        return self.reader.parse(text, cell, offset)

    # --- blocks ------------------------------------------------------------------

    def directives(self, *names):
        """``(cell, block)`` of every top-level directive named ``names``, in order."""
        for cell in self.cells:
            for block in cell.blocks:
                if block.kind == "directive" and block.name in names:
                    yield cell.index, block

    def _top_level_only(self):
        """Exercises and solutions stand at the top level of a cell: nested in another
        directive, an edition could not find them (and a solution would show)."""
        for cell in self.cells:
            for top in cell.blocks:
                for block in list(top.walk())[1:]:
                    if block.kind == "directive" and block.name in {
                        "exercise",
                        "solution",
                        "solution-start",
                        "solution-end",
                    }:
                        raise self.error(
                            cell.index,
                            block.start,
                            f"a {{{block.name}}} inside "
                            f"the {{{top.name}}} above it: put it at the top level",
                        )

    def _gates(self) -> list:
        gates, open_at = [], None
        for index, block in self.directives("solution-start", "solution-end"):
            if block.name == "solution-start":
                if open_at:
                    raise self.error(
                        index,
                        block.start,
                        "a {solution-start} inside the gated "
                        f"solution opened in cell {open_at[0]}",
                    )
                open_at = (index, block)
            elif open_at is None:
                raise self.error(
                    index, block.start, "a {solution-end} without a {solution-start} before it"
                )
            else:
                gates.append(
                    Gate(
                        open_at[1].argument,
                        open_at[0],
                        open_at[1],
                        index,
                        block,
                        open_at[1].options,
                    )
                )
                open_at = None
        if open_at:
            raise self.error(
                open_at[0],
                open_at[1].start,
                f"a {{solution-start}} {open_at[1].argument} has no matching {{solution-end}}",
            )
        return gates

    def gate_of(self, index: int) -> Gate | None:
        """The gate whose inside holds cell ``index``."""
        return next((g for g in self.gates if index in g.cells), None)

    def _exercises(self) -> list:
        exercises, number = [], 0
        solutions = {b.argument: b for _, b in self.directives("solution")}
        gates = {g.label: g for g in self.gates}
        for index, block in self.directives("exercise", "exercise-start"):
            if "nonumber" not in block.options:
                number += 1
            label = block.options.get("label") or f"exercise-{len(exercises) + 1}"
            exercise = Exercise(
                label, block.argument, None if "nonumber" in block.options else number, index, block
            )
            exercise.solution, exercise.gate = solutions.get(label), gates.get(label)
            self._cells_of(exercise)
            exercises.append(exercise)
        for cell in self.cells:  # an answer check belongs to the exercise before it
            owner = [e for e in exercises if e.cell < cell.index]
            if ANSWER_CHECK in cell.tags and owner:
                owner[-1].answer_checks.append(cell.index)
        return exercises

    def _cells_of(self, exercise: Exercise):
        gate = exercise.gate
        if gate:
            exercise.solution_cells = [
                i
                for i in gate.cells
                if self.cells[i].cell_type == "code"
                and not self.cells[i].hidden
                and "BEGIN SOLUTION" in self.cells[i].source
            ]
        answers = {n for i in exercise.solution_cells for n in defined_names(self.cells[i].source)}
        end = gate.start if gate else exercise.cell + 1
        for cell in self.cells[exercise.cell + 1 : end]:
            if cell.cell_type != "code" or cell.hidden:
                continue
            exercise.between.append(cell.index)
            if answers & set(defined_names(cell.source)):
                exercise.starters.append(cell.index)
            elif calls_checker(cell.source):
                exercise.checks.append(cell.index)
        if exercise.solution_cells:
            exercise.kind = "code"
        elif exercise.title.lower().startswith("predict"):
            exercise.kind = "predict"

    @property
    def admonitions(self) -> list:
        """``(cell, block)`` of every admonition, nested ones included."""
        return [
            (index, b)
            for index, b in self._walk()
            if b.kind == "directive" and b.name in ADMONITIONS
        ]

    def _walk(self):
        """``(cell index, Block)`` of every block of every cell, nested ones included."""
        return ((c.index, b) for c in self.cells for top in c.blocks for b in top.walk())

    @property
    def glue_refs(self) -> list:
        """``(cell, Inline)`` of every glue role, in order."""
        return [
            (index, item)
            for index, b in self._walk()
            for item in b.inline
            if item.kind == "role" and item.name in GLUE_ROLES
        ]

    @property
    def cross_refs(self) -> list:
        """``(cell, Inline)`` of every cross reference (ref, numref, doc, eq)."""
        return [
            (index, item)
            for index, b in self._walk()
            for item in b.inline
            if item.kind == "role" and item.name in {"ref", "numref", "doc", "eq"}
        ]

    def labels(self) -> dict:
        """``{label: text}``: exercises by their title, labelled headings by theirs."""
        labels = {e.label: e.heading for e in self.exercises}
        for cell in self.cells:
            for block, after in zip(cell.blocks, cell.blocks[1:]):
                if block.kind == "target" and after.kind == "heading":
                    labels[block.name] = after.source.lstrip("#").strip()
        return labels

    def glue_text(self, item: Inline, cell: int) -> str:
        """The text myst-nb puts in place of a glue role, from the saved values."""
        role, body = item.name, item.content
        if role == "glue:text":
            key, _, spec = body.rpartition(":") if ":" in body else (body, "", "s")
        else:
            key, spec = body, ""
        if "::" in key:
            raise self.error(
                cell, item.line, f"{{{role}}}`{body}`: glue from another document is not supported"
            )
        if key not in self.glue:
            raise self.error(
                cell,
                item.line,
                f"{{{role}}}`{body}`: no value glued under "
                f"{key!r} in the saved outputs (run `make outputs` first)",
            )
        data = self.glue[key]
        if role == "glue:md" and "text/markdown" in data:
            return text_of({"source": data["text/markdown"]})
        if role == "glue:math" and "text/latex" in data:
            return "$" + text_of({"source": data["text/latex"]}).strip().strip("$") + "$"
        if "text/plain" not in data:
            raise self.error(
                cell, item.line, f"{{{role}}}`{body}`: the glued value has no text to paste"
            )
        return format_plain_text(text_of({"source": data["text/plain"]}), spec)
