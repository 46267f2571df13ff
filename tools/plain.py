"""A chapter's MyST as plain Markdown, from the blocks that tools/chapter.py read.

One rendering for every edition: glue roles become the saved values (myst-nb's own
formatting, a missing value is an error naming the cell and the line), math roles
``$...$``, cross references their text (a page of the site becomes a link to it), every
directive a quoted block headed by its title (``> **Note**``), labels, comments, block
breaks and HTML comments (``<!-- claim: ... -->``) disappear.

>>> from tools.chapter import Chapter
>>> ch = Chapter.from_dict({"cells": [{"cell_type": "markdown", "metadata": {},
...     "source": "% a claim label\\n```{note}\\nSee {math}`x^2` and `{not}`.\\n```"}]}, "x")
>>> print(Plain(ch).markdown(ch.cells[0]))
> **Note**
>
> See $x^2$ and `{not}`.
"""

from __future__ import annotations

import re

from tools.chapter import GLUE_ROLES, Block, Cell, Chapter

DROPPED = {"target", "comment", "break"}


def quote(title: str, body: str) -> str:
    """A visible block: ``> **title**`` then the body, every line quoted.

    >>> print(quote("Note", "One.\\n\\nTwo."))
    > **Note**
    >
    > One.
    >
    > Two.
    """
    lines = (
        [f"**{title}**", ""] + body.strip("\n").split("\n") if body.strip() else [f"**{title}**"]
    )
    return "\n".join(("> " + line).rstrip() for line in lines)


def details(summary: str, body: str) -> str:
    """A part the reader opens: HTML ``<details>``, which Colab and Jupyter draw closed.

    >>> print(details("What happened", "It *bent*."))
    <details>
    <summary><b>What happened</b></summary>
    <BLANKLINE>
    It *bent*.
    <BLANKLINE>
    </details>
    """
    return f"<details>\n<summary><b>{summary}</b></summary>\n\n{body.strip()}\n\n</details>"


class Plain:
    """Renders the blocks of one chapter. ``labels``: ``{label: text}`` of the other
    chapters; ``site``: the site's address (cross references to pages become links);
    ``pages``: ``{label: page}`` of labels on other pages; ``images``: figures are shown
    (from ``image_base``) or left out."""

    def __init__(
        self,
        chapter: Chapter,
        labels: dict | None = None,
        substitutions: dict | None = None,
        site: str = "",
        pages: dict | None = None,
        image_base: str = "",
    ):
        self.chapter, self.site = chapter, site.rstrip("/")
        self.labels = {**(labels or {}), **chapter.labels()}
        self.pages = pages or {}
        self.substitutions = substitutions or {}
        self.image_base = image_base
        self.exercise_of = {id(e.block): e for e in chapter.exercises}

    # --- cells and blocks -----------------------------------------------------------

    def markdown(
        self,
        cell: Cell,
        blocks=None,
        source: str | None = None,
        offset: int = 0,
        start: int | None = None,
        end: int | None = None,
    ) -> str:
        """``blocks`` (default: the cell's) of ``source`` (default: the cell's, its first line
        numbered ``offset``) rendered, lines [start, end) only, the lines between blocks
        (blank lines) kept."""
        blocks = cell.blocks if blocks is None else blocks
        lines = (cell.source if source is None else source).split("\n")
        at = offset if start is None else start
        last = offset + len(lines) if end is None else end
        out = []
        for block in blocks:
            out += lines[at - offset : block.start - offset]
            if block.kind not in DROPPED:
                rendered = self.block(block, cell)
                if rendered is not None:
                    out.append(rendered)
            at = block.end
        out += lines[at - offset : last - offset]
        return "\n".join(out).strip("\n")

    def block(self, block: Block, cell: Cell) -> str | None:
        if block.kind == "directive":
            return self.directive(block, cell)
        if block.kind == "math":
            return re.sub(r"\$\$\s*\([^()]*\)\s*$", "$$", block.source)
        if block.kind == "html" and block.source.lstrip().startswith("<!--"):
            return None
        if block.kind == "fence":
            return block.source
        return self.link_sources(self.inline(block, cell))

    def link_sources(self, text: str) -> str:
        """The chapters' "see Sources on the first page" as a link to that section."""
        if not self.site:
            return text
        return re.sub(
            r"\bSources(\s+)on(\s+)the(\s+)first(\s+)page",
            lambda m: f"[Sources on the first page]({self.site}/book/intro.html#sources)",
            text,
        )

    def body(self, block: Block, cell: Cell) -> str:
        """A directive's content, itself rendered."""
        return self.markdown(cell, block.body, block.body_source, block.body_line)

    def directive(self, block: Block, cell: Cell) -> str:
        name, arg = block.name, self.inline_text(block.argument, cell, block.start)
        if name == "exercise":
            exercise = self.exercise_of.get(id(block))
            title = exercise.heading if exercise else "Exercise"
            return quote(self.inline_text(title, cell, block.start), self.body(block, cell))
        if name == "math":
            return f"$$\n{block.body_source.strip()}\n$$"
        if name in {"code-block", "code", "sourcecode"}:
            return f"```{block.argument}\n{block.body_source}\n```"
        if name in {"figure", "image"}:
            if not self.image_base:
                return ""
            url = (
                block.argument if "://" in block.argument else f"{self.image_base}/{block.argument}"
            )
            caption = self.body(block, cell).strip()
            return f"![{block.options.get('alt', caption)}]({url})" + (
                f"\n\n*{caption}*" if caption else ""
            )
        if name == "playground":
            return self.playground(cell)
        if name == "raw":
            return block.body_source if block.argument == "html" else ""
        if name in {"solution-start", "solution-end"}:
            return ""
        if name == "solution":
            exercise = next((e for e in self.chapter.exercises if e.label == block.argument), None)
            title = "Solution to " + (exercise.heading if exercise else "Exercise")
            return quote(self.inline_text(title, cell, block.start), self.body(block, cell))
        title = arg or (
            "Aside" if name in {"margin", "sidebar"} else name.replace("-", " ").capitalize()
        )
        return quote(title, self.body(block, cell))

    def playground(self, cell: Cell) -> str:
        page = f"{self.site}/book/{self.chapter.name}.html" if self.site else ""
        where = (
            (
                f"[this chapter's page on the course website]({page}) and its "
                f"[Playground page]({self.site}/book/playground.html)"
            )
            if page
            else "the course website"
        )
        return quote(
            "Live figure on the course website",
            f"On {where}, this place holds a live figure: the same experiment, "
            "trained in the browser with controls to change it. In this notebook, "
            "change the code above and run it again instead.",
        )

    # --- inline -------------------------------------------------------------------

    def inline(self, block: Block, cell: Cell) -> str:
        """The block's source with each role, substitution and HTML comment replaced (code
        spans and math kept): the parsed items, found in order in the source."""
        text, at = block.source, 0
        for item in block.inline:
            if item.kind == "role":
                pattern = re.compile(
                    r"\{" + re.escape(item.name) + r"\}(`+)(.*?)(?<!`)\1(?!`)", re.DOTALL
                )
            elif item.kind == "code":
                pattern = re.compile(
                    r"(?<!`)"
                    + re.escape(item.name)
                    + r"(?!`).*?(?<!`)"
                    + re.escape(item.name)
                    + r"(?!`)",
                    re.DOTALL,
                )
            elif item.kind == "substitution":
                pattern = re.compile(r"\{\{\s*" + re.escape(item.content.strip()) + r"\s*\}\}")
            elif item.kind == "html":  # with the space before it
                pattern = re.compile(r"[ \t]*" + re.escape(item.content))
            else:
                continue
            match = pattern.search(text, at)
            if match is None:
                continue
            new = self.item(item, cell) if item.kind != "code" else match.group(0)
            text = text[: match.start()] + new + text[match.end() :]
            at = match.start() + len(new)
        return text

    def inline_text(self, text: str, cell: Cell, line: int) -> str:
        """A one-line MyST text (a directive's title) rendered."""
        if not text:
            return text
        blocks = self.chapter.parse(text, cell.index, line)
        return self.inline(blocks[0], cell) if blocks else text

    def item(self, item, cell: Cell) -> str:
        if item.kind == "html":
            return ""
        if item.kind == "substitution":
            key = item.content.strip()
            if key not in self.substitutions:
                raise self.chapter.error(
                    cell.index,
                    item.line,
                    f"substitution {{{{ {key} }}}} is not defined in _config.yml",
                )
            return str(self.substitutions[key])
        role, body = item.name, item.content
        if role in GLUE_ROLES:
            return self.chapter.glue_text(item, cell.index)
        if role == "math":
            return f"${body}$"
        if role in {"code", "samp", "literal"}:
            return f"`{body}`"
        if role in {"sub", "sup", "kbd"}:
            return f"<{role}>{body}</{role}>"
        shown = re.fullmatch(r"(?P<text>.*?)\s*<(?P<target>[^<>]+)>", body, re.DOTALL)
        text = shown.group("text") if shown else ""
        target = (shown.group("target") if shown else body).lstrip("~")
        if role == "doc":
            page = target.removeprefix("/").removesuffix(".md").removesuffix(".ipynb")
            page = page if "/" in page else f"book/{page}"
            return (
                f"[{text or page.split('/')[-1]}]({self.site}/{page}.html)"
                if self.site
                else text or page.split("/")[-1]
            )
        label = target.removeprefix("#")
        if text and label in self.pages and self.site:
            return f"[{text}]({self.site}/{self.pages[label]}.html#{label})"
        if text:
            return text
        if label in self.labels:
            return self.inline_text(self.labels[label], cell, item.line)
        if role == "abbr":
            return re.sub(r"\s*\(.*\)$", "", body)
        return target.split("/")[-1]
