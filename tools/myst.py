"""MyST markdown read the way MyST reads it: markdown-it-py set up by myst-parser.

A text becomes a list of top-level :class:`Block` (prose, heading, a plain code fence,
a directive with its options and its parsed body, display math with a label, a target,
a comment, a block break, HTML), each with the inline items of its prose in order
(:class:`Inline`: roles, code spans, math, substitutions, HTML comments). An unclosed
fence, an unknown directive or role is a :class:`MystError` naming where it is.

>>> blocks = Reader("09_x").parse("(sec)=\\n## A {math}`x`\\n\\n```{note} T\\nBody.\\n```", 0)
>>> [(b.kind, b.start, b.end, b.name) for b in blocks]
[('target', 0, 1, 'sec'), ('heading', 1, 2, ''), ('directive', 3, 6, 'note')]
>>> blocks[2].body[0].source, blocks[1].inline[0].name
('Body.', 'math')
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml
from markdown_it.renderer import RendererHTML
from myst_parser.config.main import MdParserConfig
from myst_parser.parsers.mdit import create_md_parser

ROOT = Path(__file__).resolve().parents[1]
# every directive a chapter may use; an admonition is shown as a headed block everywhere
ADMONITIONS = (
    "admonition",
    "note",
    "tip",
    "hint",
    "important",
    "warning",
    "caution",
    "attention",
    "danger",
    "error",
    "seealso",
    "dropdown",
    "margin",
    "sidebar",
    "topic",
    "epigraph",
    "pull-quote",
    "highlights",
    "card",
)
DIRECTIVES = set(ADMONITIONS) | {
    "exercise",
    "solution",
    "solution-start",
    "solution-end",
    "math",
    "code-block",
    "code",
    "sourcecode",
    "figure",
    "image",
    "playground",
    "raw",
}
GLUE_ROLES = {"glue", "glue:", "glue:any", "glue:text", "glue:md", "glue:math"}
ROLES = GLUE_ROLES | {
    "math",
    "code",
    "samp",
    "literal",
    "sub",
    "sup",
    "kbd",
    "ref",
    "numref",
    "doc",
    "eq",
    "term",
    "abbr",
    "download",
    "cite",
}


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
    line: int = 0  # 0-based, in the cell


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
    level: int = 0  # a heading's
    name: str = ""  # a directive's name, a target's or a math block's label
    argument: str = ""
    options: dict = field(default_factory=dict)
    body: list = field(default_factory=list)  # a directive's content, parsed
    body_source: str = ""
    body_line: int = 0  # the line of the cell where body_source begins

    @property
    def classes(self) -> set:
        return set(str(self.options.get("class", "")).split())

    def walk(self):
        """This block and every block nested in it, in order."""
        yield self
        for child in self.body:
            yield from child.walk()


class Reader:
    """Parses the markdown of one page (``name``, for the errors); ``directives``: the
    names allowed (None: any)."""

    def __init__(self, name: str, directives=frozenset(DIRECTIVES)):
        self.name, self.known = name, directives

    def error(self, cell: int, line: int, message: str) -> MystError:
        return MystError(f"{self.name}, cell {cell}, line {line + 1}: {message}")

    def parse(self, text: str, cell: int, offset: int = 0) -> list:
        """The blocks of a markdown ``text`` (lines numbered from ``offset``)."""
        tokens, lines = parser().parse(text), text.split("\n")
        blocks, i = [], 0
        while i < len(tokens):
            token = tokens[i]
            j = i
            if token.nesting == 1:  # up to its matching close
                depth = 1
                while depth:
                    j += 1
                    depth += tokens[j].nesting
            group = tokens[i : j + 1]
            i = j + 1
            if token.map is None:
                continue
            start, end = token.map
            block = Block(
                self._kind(token), start + offset, end + offset, "\n".join(lines[start:end])
            )
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
        return {
            "heading_open": "heading",
            "myst_target": "target",
            "math_block_label": "math",
            "myst_line_comment": "comment",
            "myst_block_break": "break",
            "html_block": "html",
        }.get(token.type, "prose")

    def _inline(self, group, cell: int, offset: int) -> list:
        items = []
        for token in group:
            line = (token.map[0] if token.map else 0) + offset
            for child in token.children or []:
                if child.type == "myst_role":
                    name = child.meta["name"]
                    if name not in ROLES:
                        raise self.error(
                            cell,
                            line,
                            f"unknown role {{{name}}} (known: {', '.join(sorted(ROLES))})",
                        )
                    items.append(Inline("role", child.content, name, line))
                elif child.type in ("code_inline", "math_inline", "substitution_inline"):
                    items.append(
                        Inline(child.type.split("_")[0], child.content, child.markup, line)
                    )
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
            raise self.error(
                cell,
                start + offset,
                f"the fence {fence}{token.info.strip()} "
                f"is never closed (a line {fence} is missing)",
            )
        name, argument = re.match(r"\{([^}]*)\}\s*(.*)", token.info.strip()).groups()
        if self.known is not None and name not in self.known:
            raise self.error(
                cell,
                start + offset,
                f"unknown directive {{{name}}} (known: {', '.join(sorted(DIRECTIVES))})",
            )
        try:
            options, skipped = directive_options(token.content)
        except yaml.YAMLError as error:
            raise self.error(
                cell, start + offset, f"the options of {{{name}}} are not YAML: {error}"
            ) from None
        block.name, block.argument, block.options = name, argument.strip(), options
        rest = token.content.split("\n")[skipped:]
        blank = next((n for n, x in enumerate(rest) if x.strip()), len(rest))
        block.body_source = "\n".join(rest).strip("\n")
        block.body_line = start + offset + 1 + skipped + blank
        if name not in ("math", "code-block", "code", "sourcecode", "raw"):
            block.body = self.parse(block.body_source, cell, block.body_line)

    # --- gates and exercises -------------------------------------------------------


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
