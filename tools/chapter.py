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
from functools import lru_cache
from pathlib import Path

import yaml
from markdown_it.renderer import RendererHTML
from myst_nb.core.variables import format_plain_text
from myst_parser.config.main import MdParserConfig
from myst_parser.parsers.mdit import create_md_parser

ROOT = Path(__file__).resolve().parents[1]
ANSWER_CHECK = "answer-check"            # hidden cells that assert an exercise's answer
ANSWERS_PREDICTION = "answers-prediction"  # hidden cells that give a prediction away
HIDDEN = "remove-cell"
# every directive a chapter may use; an admonition is shown as a headed block everywhere
ADMONITIONS = ("admonition", "note", "tip", "hint", "important", "warning", "caution",
               "attention", "danger", "error", "seealso", "dropdown", "margin", "sidebar",
               "topic", "epigraph", "pull-quote", "highlights", "card")
DIRECTIVES = set(ADMONITIONS) | {
    "exercise", "solution", "solution-start", "solution-end", "math", "code-block", "code",
    "sourcecode", "figure", "image", "playground", "raw"}
GLUE_ROLES = {"glue", "glue:", "glue:any", "glue:text", "glue:md", "glue:math"}
ROLES = GLUE_ROLES | {"math", "code", "samp", "literal", "sub", "sup", "kbd", "ref", "numref",
                      "doc", "eq", "term", "abbr", "download", "cite"}


class MystError(ValueError):
    """Malformed MyST, located: ``<chapter>, cell <n>, line <m>: <what>``."""


@lru_cache(maxsize=1)
def parser():
    """markdown-it as myst-parser sets it up, with the extensions ``_config.yml`` enables."""
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8")) or {}
    extensions = set((config.get("parse") or {}).get("myst_enable_extensions") or [])
    return create_md_parser(MdParserConfig(enable_extensions=extensions), RendererHTML)


@dataclass
class Inline:
    """An inline item of prose, in order: a role, a code span, inline math, a substitution
    or an inline HTML comment (``kind``), with its ``name`` (roles) and ``content``."""
    kind: str
    content: str
    name: str = ""
    line: int = 0               # 0-based, in the cell


@dataclass
class Block:
    """A top-level piece of a markdown text. ``kind``: prose, heading, fence (a plain code
    block), directive, math (display math with a label), target, comment, break, html.
    ``start``/``end``: its lines [start, end) in the cell (0-based)."""
    kind: str
    start: int
    end: int
    source: str
    inline: list = field(default_factory=list)
    level: int = 0              # a heading's
    name: str = ""              # a directive's name, a target's or a math block's label
    argument: str = ""
    options: dict = field(default_factory=dict)
    body: list = field(default_factory=list)     # a directive's content, parsed
    body_source: str = ""
    body_line: int = 0          # the line of the cell where body_source begins

    @property
    def classes(self) -> set:
        return set(str(self.options.get("class", "")).split())

    def walk(self):
        """This block and every block nested in it, in order."""
        yield self
        for child in self.body:
            yield from child.walk()


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
    number: int | None          # None: ``:nonumber:``
    cell: int                   # the cell that states it
    block: Block
    kind: str = "explain"       # predict, code or explain
    solution: Block | None = None   # a {solution} directive
    gate: Gate | None = None
    starters: list = field(default_factory=list)     # cells (code exercise)
    checks: list = field(default_factory=list)       # visible cells calling nc.check_*
    between: list = field(default_factory=list)      # every visible code cell up to the gate
    solution_cells: list = field(default_factory=list)   # gated code with BEGIN SOLUTION
    answer_checks: list = field(default_factory=list)

    @property
    def heading(self) -> str:
        """sphinx-exercise's title: ``Exercise 2 (subtitle)``."""
        head = "Exercise" if self.number is None else f"Exercise {self.number}"
        return f"{head} ({self.title})" if self.title else head


def text_of(cell: dict) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else source


def glue_values(nb: dict) -> dict:
    """``{name: mime bundle}`` of every value glued in the saved outputs (the last wins)."""
    values = {}
    for cell in nb.get("cells", []):
        for output in cell.get("outputs", []):
            meta = output.get("metadata", {}).get("scrapbook")
            if meta:
                prefix = meta.get("mime_prefix", "")
                values[meta["name"]] = {
                    k.removeprefix(prefix).removeprefix("application/papermill.record/"): v
                    for k, v in output.get("data", {}).items()}
    return values


def defined_names(code: str) -> list:
    """The functions and classes a cell defines at its top level, in order."""
    try:
        tree = ast.parse(re.sub(r"^(\s*)[%!].*$", r"\1pass", code, flags=re.MULTILINE))
    except SyntaxError:
        return []
    return [s.name for s in tree.body
            if isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))]


def calls_checker(code: str) -> bool:
    return bool(re.search(r"\bcheck_\w+\(", code))


class Chapter:
    """A chapter notebook, read once (see the module docstring)."""

    def __init__(self, nb: dict, name: str, directives=frozenset(DIRECTIVES)):
        self.nb, self.name, self.known = nb, name, directives
        self.glue = glue_values(nb)
        self.cells = []
        for index, raw in enumerate(nb.get("cells", [])):
            cell = Cell(index, raw["cell_type"], text_of(raw),
                        list(raw.get("metadata", {}).get("tags", [])), raw)
            if cell.cell_type == "markdown":
                cell.blocks = self.parse(cell.source, index)
            self.cells.append(cell)
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
        return MystError(f"{self.name}, cell {cell}, line {line + 1}: {message}")

    # --- blocks ------------------------------------------------------------------

    def parse(self, text: str, cell: int, offset: int = 0) -> list:
        """The blocks of a markdown ``text`` (lines numbered from ``offset``)."""
        tokens, lines = parser().parse(text), text.split("\n")
        blocks, i = [], 0
        while i < len(tokens):
            token = tokens[i]
            j = i
            if token.nesting == 1:        # up to its matching close
                depth = 1
                while depth:
                    j += 1
                    depth += tokens[j].nesting
            group = tokens[i:j + 1]
            i = j + 1
            if token.map is None:
                continue
            start, end = token.map
            block = Block(self._kind(token), start + offset, end + offset,
                          "\n".join(lines[start:end]))
            block.inline = self._inline(group, cell, offset)
            if token.type == "heading_open":
                block.level = int(token.tag[1])
            elif token.type in ("myst_target", "math_block_label"):
                block.name = token.content if token.type == "myst_target" else token.info
            elif block.kind == "directive":
                self._directive(block, token, lines, cell, offset)
            blocks.append(block)
        return blocks

    @staticmethod
    def _kind(token) -> str:
        if token.type in ("fence", "colon_fence"):
            return "directive" if re.match(r"\{[^}]*\}", token.info.strip()) else "fence"
        return {"heading_open": "heading", "myst_target": "target", "math_block_label": "math",
                "myst_line_comment": "comment", "myst_block_break": "break",
                "html_block": "html"}.get(token.type, "prose")

    def _inline(self, group, cell: int, offset: int) -> list:
        items = []
        for token in group:
            line = (token.map[0] if token.map else 0) + offset
            for child in token.children or []:
                if child.type == "myst_role":
                    name = child.meta["name"]
                    if name not in ROLES:
                        raise self.error(cell, line, f"unknown role {{{name}}} (known: "
                                         f"{', '.join(sorted(ROLES))})")
                    items.append(Inline("role", child.content, name, line))
                elif child.type in ("code_inline", "math_inline", "substitution_inline"):
                    items.append(Inline(child.type.split("_")[0], child.content,
                                        child.markup, line))
                elif child.type == "html_inline" and child.content.startswith("<!--"):
                    items.append(Inline("html", child.content, "", line))
                elif child.type == "softbreak":
                    line += 1
        return items

    def _directive(self, block: Block, token, lines: list, cell: int, offset: int):
        start, end = token.map
        fence = token.markup
        closing = lines[end - 1].strip() if end - 1 > start else ""
        if not (closing.startswith(fence) and set(closing) == {fence[0]}):
            raise self.error(cell, start + offset, f"the fence {fence}{token.info.strip()} "
                             f"is never closed (a line {fence} is missing)")
        name, argument = re.match(r"\{([^}]*)\}\s*(.*)", token.info.strip()).groups()
        if self.known is not None and name not in self.known:
            raise self.error(cell, start + offset, f"unknown directive {{{name}}} (known: "
                             f"{', '.join(sorted(DIRECTIVES))})")
        try:
            options, skipped = directive_options(token.content)
        except yaml.YAMLError as error:
            raise self.error(cell, start + offset, f"the options of {{{name}}} are not "
                             f"YAML: {error}") from None
        block.name, block.argument, block.options = name, argument.strip(), options
        rest = token.content.split("\n")[skipped:]
        blank = next((n for n, x in enumerate(rest) if x.strip()), len(rest))
        block.body_source = "\n".join(rest).strip("\n")
        block.body_line = start + offset + 1 + skipped + blank
        if name not in ("math", "code-block", "code", "sourcecode", "raw"):
            block.body = self.parse(block.body_source, cell, block.body_line)

    # --- gates and exercises -------------------------------------------------------

    def directives(self, *names):
        """``(cell, block)`` of every top-level directive named ``names``, in order."""
        for cell in self.cells:
            for block in cell.blocks:
                if block.kind == "directive" and block.name in names:
                    yield cell.index, block

    def _gates(self) -> list:
        gates, open_at = [], None
        for index, block in self.directives("solution-start", "solution-end"):
            if block.name == "solution-start":
                if open_at:
                    raise self.error(index, block.start, "a {solution-start} inside the gated "
                                     f"solution opened in cell {open_at[0]}")
                open_at = (index, block)
            elif open_at is None:
                raise self.error(index, block.start, "a {solution-end} without a "
                                 "{solution-start} before it")
            else:
                gates.append(Gate(open_at[1].argument, open_at[0], open_at[1], index, block,
                                  open_at[1].options))
                open_at = None
        if open_at:
            raise self.error(open_at[0], open_at[1].start, "a {solution-start} "
                             f"{open_at[1].argument} has no matching {{solution-end}}")
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
            exercise = Exercise(label, block.argument, None if "nonumber" in block.options
                                else number, index, block)
            exercise.solution, exercise.gate = solutions.get(label), gates.get(label)
            self._cells_of(exercise)
            exercises.append(exercise)
        for cell in self.cells:     # an answer check belongs to the exercise before it
            owner = [e for e in exercises if e.cell < cell.index]
            if ANSWER_CHECK in cell.tags and owner:
                owner[-1].answer_checks.append(cell.index)
        return exercises

    def _cells_of(self, exercise: Exercise):
        gate = exercise.gate
        if gate:
            exercise.solution_cells = [
                i for i in gate.cells if self.cells[i].cell_type == "code"
                and not self.cells[i].hidden and "BEGIN SOLUTION" in self.cells[i].source]
        answers = {n for i in exercise.solution_cells for n in defined_names(self.cells[i].source)}
        end = gate.start if gate else exercise.cell + 1
        for cell in self.cells[exercise.cell + 1:end]:
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
        return [(c.index, b) for c in self.cells for top in c.blocks for b in top.walk()
                if b.kind == "directive" and b.name in ADMONITIONS]

    @property
    def glue_refs(self) -> list:
        """``(cell, Inline)`` of every glue role, in order."""
        return [(c.index, item) for c in self.cells for top in c.blocks for b in top.walk()
                for item in b.inline if item.kind == "role" and item.name in GLUE_ROLES]

    @property
    def cross_refs(self) -> list:
        """``(cell, Inline)`` of every cross reference (ref, numref, doc, eq)."""
        return [(c.index, item) for c in self.cells for top in c.blocks for b in top.walk()
                for item in b.inline if item.kind == "role"
                and item.name in {"ref", "numref", "doc", "eq"}]

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
            raise self.error(cell, item.line, f"{{{role}}}`{body}`: glue from another "
                             "document is not supported")
        if key not in self.glue:
            raise self.error(cell, item.line, f"{{{role}}}`{body}`: no value glued under "
                             f"{key!r} in the saved outputs (run `make outputs` first)")
        data = self.glue[key]
        if role == "glue:md" and "text/markdown" in data:
            return text_of({"source": data["text/markdown"]})
        if role == "glue:math" and "text/latex" in data:
            return "$" + text_of({"source": data["text/latex"]}).strip().strip("$") + "$"
        if "text/plain" not in data:
            raise self.error(cell, item.line, f"{{{role}}}`{body}`: the glued value has no "
                             "text to paste")
        return format_plain_text(text_of({"source": data["text/plain"]}), spec)


def directive_options(content: str) -> tuple:
    """``({option: value}, lines they took)`` of a directive's content: a YAML block
    between ``---`` lines, or leading ``:key: value`` lines.

    >>> directive_options(":label: ex-a\\n:nonumber:\\nBody")
    ({'label': 'ex-a', 'nonumber': ''}, 2)
    """
    lines = content.split("\n")
    if lines and lines[0].strip() == "---":
        rest = [x.strip() for x in lines[1:]]
        if "---" in rest:
            close = 1 + rest.index("---")
            options = yaml.safe_load("\n".join(lines[1:close])) or {}
            return {str(k): "" if v is None else v for k, v in options.items()}, close + 1
    options, taken = {}, 0
    while taken < len(lines) and (match := re.fullmatch(r"\s*:([\w-]+):\s*(.*)", lines[taken])):
        options[match.group(1)] = match.group(2).strip()
        taken += 1
    return options, taken
