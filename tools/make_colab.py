"""`make colab`: the Colab edition of every chapter, in colab/ (committed).

Colab shows a notebook's markdown as plain Markdown, ignores the book's cell tags, and
"Run all" runs every cell, collapsed or not. This tool renders each chapter, as
tools/chapter.py reads it, into colab/NN_*.ipynb in which

- the first cell installs the released package (``nonlin-course==<version>`` of
  ``pyproject.toml``) when it runs in Colab, stops with a clear error if pip fails, and
  says how the course may be reused (code MIT, text and figures CC BY 4.0);
- the markdown is plain Markdown (tools/plain.py): glued numbers are the saved run's,
  exercises visible quoted blocks numbered as on the site, references to the site's pages
  links to its address (``html.baseurl`` in ``_config.yml``);
- every solution, and every "What happened" part (a ``dropdown``), is a closed
  ``<details>`` part under its exercise: a gated solution's code is a fenced block there,
  so no solution runs unless the learner copies it into a cell;
- hidden cells that check an exercise's answer (tag ``answer-check``), give a prediction
  away (``answers-prediction``), test a checker or sit inside a solution are left out; the
  other hidden cells (the chapter's own claims, asserted on the learner's run; the plot
  set-up) stay, as form cells whose code Colab folds;
- shown code has no glue calls and no nbgrader markers, and no output is kept.

It also rewrites the README's table of "open in Colab" links (between the markers below).
Output is deterministic: code cells keep the book's ids, JSON is written as nbformat does.

    python tools/make_colab.py --out colab book/0*.ipynb
"""

import argparse
import json
import re
import sys
import tomllib
from pathlib import Path

import yaml

from tools.chapter import ANSWER_CHECK, ANSWERS_PREDICTION, ROOT, Chapter, calls_checker
from tools.code import form_title, without_glue, without_markers
from tools.plain import Plain, details

COLAB = "https://colab.research.google.com"
README_START = "<!-- colab-links: written by `make colab` from _config.yml -->"
README_END = "<!-- end of colab-links -->"
INSTALL_MARK = '"google.colab" in sys.modules'
LICENCE = (
    "The course's code is MIT-licensed and its text and figures are CC BY 4.0 "
    "(see LICENSE and LICENSE-TEXT.md in the repository)."
)


# --- the setting --------------------------------------------------------------------


def settings(config: Path = ROOT / "_config.yml") -> dict:
    """The repository, branch, Colab host, site address and package version.

    >>> s = settings()
    >>> sorted(s) == ["branch", "colab", "repo", "site", "url", "version"]
    True
    """
    data = yaml.safe_load(config.read_text(encoding="utf-8")) or {}
    repository = data.get("repository") or {}
    url = str(repository.get("url", "")).rstrip("/").removesuffix(".git")
    match = re.fullmatch(r"https://github\.com/([\w.-]+/[\w.-]+)", url)
    if not match:
        raise ValueError(
            f"{config}: repository.url must be https://github.com/<owner>/<repo> "
            f"(Colab opens notebooks from GitHub), got {url!r}"
        )
    site = str((data.get("html") or {}).get("baseurl") or "").rstrip("/")
    if not site.startswith("https://"):
        raise ValueError(
            f"{config}: html.baseurl must be the site's https:// address (the "
            f"Colab edition links to it), got {site!r}"
        )
    colab = (data.get("launch_buttons") or {}).get("colab_url") or COLAB
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return {
        "url": url,
        "repo": match.group(1),
        "branch": str(repository.get("branch", "main")),
        "colab": colab.rstrip("/"),
        "site": site,
        "version": project["project"]["version"],
    }


def colab_link(setting: dict, name: str) -> str:
    """The address that opens ``colab/<name>`` in Colab.

    >>> colab_link({"colab": COLAB, "repo": "a/b", "branch": "main"}, "01_x.ipynb")
    'https://colab.research.google.com/github/a/b/blob/main/colab/01_x.ipynb'
    """
    return f"{setting['colab']}/github/{setting['repo']}/blob/{setting['branch']}/colab/{name}"


def setup_source(setting: dict) -> str:
    """The first cell: install the released package in Colab, fail loudly if pip does."""
    package = f"nonlin-course=={setting['version']}"
    return f'''# Set-up: in Colab, install the course package (elsewhere: nothing to do).
# {LICENCE}
import subprocess
import sys

if {INSTALL_MARK}:
    pip = subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "{package}"])
    if pip.returncode != 0:
        raise RuntimeError(
            "Installing {package} with pip failed (its message is above), so the "
            "chapter cannot run. Check that the runtime is connected to the internet, "
            "then run this cell again; if it still fails, restart the runtime "
            "(Runtime > Restart session) and run it once more.")'''


# --- the notebook -------------------------------------------------------------------

FIRST_NOTE = (
    "> **The Colab edition of this chapter.** The numbers in the text are those of the "
    "book's own run, saved when the chapter was last executed. When you run the cells, "
    "your run prints its own, which can differ in the last digits (another machine, "
    "another PyTorch). Each exercise's solution sits in a closed part under it: open it "
    "once you have tried. No solution runs unless you copy it into a cell yourself, so "
    '"Run all" leaves your own code alone. The cells titled "Check the chapter\'s '
    'claims" assert what the text says, on your run; double-click one to see its code.'
)
COPY_HINT = (
    "To run this solution, copy the code into a new code cell (or over your own) and run it."
)
CUTS = {"solution", "solution-start", "solution-end"}


def collapsed(block) -> bool:
    """A dropdown: the reader opens it (``{dropdown}``, or ``:class: dropdown``)."""
    return (
        block.kind == "directive"
        and (block.name == "dropdown" or "dropdown" in block.classes)
        and block.name not in CUTS | {"exercise"}
    )


class Edition:
    """The edition of one chapter, built cell by cell (see :func:`convert_notebook`)."""

    def __init__(self, chapter: Chapter, plain: Plain):
        self.chapter, self.plain = chapter, plain
        self.cells, self.gate = [], None  # gate: (summary, [markdown parts]) while open
        self.ids = set()

    def _append(self, cell_type: str, source: str, metadata=None, wanted=""):
        base = re.sub(r"[^A-Za-z0-9_-]+", "-", wanted)[:50] or f"cell-{len(self.cells):03d}"
        name, n = base, 1
        while name in self.ids:
            n += 1
            name = f"{base}-{n}"
        self.ids.add(name)
        cell = {
            "cell_type": cell_type,
            "id": name,
            "metadata": {"id": name, **(metadata or {})},
            "source": source.splitlines(keepends=True),
        }
        if cell_type == "code":
            cell.update(execution_count=None, outputs=[])
        self.cells.append(cell)

    def markdown(self, text: str):
        """Markdown outside a gate; the chapter's first markdown gets the note on numbers."""
        if not text.strip():
            return
        if self.gate is not None:
            self.gate[1].append(text)
            return
        if not any(c["cell_type"] == "markdown" for c in self.cells):
            first, _, rest = text.partition("\n")
            text = (
                (first + "\n\n" + FIRST_NOTE + ("\n\n" + rest.strip("\n") if rest.strip() else ""))
                if first.startswith("#")
                else FIRST_NOTE + "\n\n" + text
            )
        self._append("markdown", text)

    def markdown_cell(self, cell):
        """A markdown cell: one Colab cell per heading, each solution and dropdown its own."""
        blocks, at = cell.blocks, 0
        pending = []

        def flush(until):
            if pending or until > at:
                self.markdown(self.plain.markdown(cell, pending, start=at, end=until))
            pending.clear()

        for block in blocks:
            cut = block.kind == "heading" and self.gate is None
            if block.kind == "directive" and (block.name in CUTS or collapsed(block)):
                cut = True
            if not cut:
                pending.append(block)
                continue
            flush(block.start)
            at = block.start if block.kind == "heading" else block.end
            if block.kind == "heading":
                pending.append(block)
            elif block.name == "solution":
                self.markdown(
                    details(self.solution_title(block.argument, cell), self.plain.body(block, cell))
                )
            elif block.name == "solution-start":
                self.gate = (self.solution_title(block.argument, cell), [])
            elif block.name == "solution-end":
                summary, parts = self.gate
                self.gate = None
                self.markdown(details(summary, "\n\n".join(parts)))
            else:
                title = self.plain.inline_text(block.argument, cell, block.start) or "What happened"
                self.markdown(details(title, self.plain.body(block, cell)))
        flush(len(cell.source.split("\n")))

    def solution_title(self, label: str, cell) -> str:
        exercise = next((e for e in self.chapter.exercises if e.label == label), None)
        heading = exercise.heading if exercise else (f"Exercise ({label})" if label else "Exercise")
        return "Solution to " + self.plain.inline_text(heading, cell, 0)

    def code_cell(self, cell):
        if self.gate is not None:
            if not cell.hidden:
                code = without_markers(without_glue(cell.source)).rstrip()
                self.gate[1].append(f"```python\n{code}\n```\n\n{COPY_HINT}")
            return
        tags = cell.tags
        if INSTALL_MARK in cell.source or ANSWER_CHECK in tags or ANSWERS_PREDICTION in tags:
            return
        if cell.hidden and calls_checker(cell.source):  # a checker's self-test
            return
        metadata = {"tags": tags} if tags else {}
        source = cell.source
        if "remove-cell" in tags or "remove-input" in tags:
            title = form_title(source, tags)
            if title:
                source = f"#@title {title}\n{source}"
                metadata["cellView"] = "form"
        else:
            source = without_markers(without_glue(source))
        self._append("code", source, metadata, wanted=cell.raw.get("id", ""))


def convert_notebook(
    nb: dict,
    stem: str,
    setting: dict,
    labels: dict | None = None,
    substitutions: dict | None = None,
    pages: dict | None = None,
) -> dict:
    """The Colab edition of one book notebook (``stem``: its file name without suffix)."""
    chapter = Chapter.from_dict(nb, stem)
    if not any(INSTALL_MARK in c.source for c in chapter.cells if c.cell_type == "code"):
        raise ValueError(
            f"{stem}: no Colab setup cell (one testing {INSTALL_MARK}) to "
            "replace by the edition's install cell"
        )
    plain = Plain(
        chapter,
        labels,
        substitutions,
        site=setting["site"],
        pages=pages,
        image_base=f"https://raw.githubusercontent.com/{setting['repo']}/{setting['branch']}/book",
    )
    edition = Edition(chapter, plain)
    edition._append("code", setup_source(setting), {"tags": ["setup"]}, wanted="setup")
    for cell in chapter.cells:
        if cell.cell_type == "markdown":
            edition.markdown_cell(cell)
        elif cell.cell_type == "code":
            edition.code_cell(cell)
    return {
        "cells": edition.cells,
        "metadata": {
            "colab": {"provenance": [], "toc_visible": True},
            "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
            "language_info": {"name": "python"},
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    }


def dumps(nb: dict) -> str:
    """JSON as nbformat writes it (sorted keys, one-space indent, UTF-8)."""
    return json.dumps(nb, sort_keys=True, indent=1, ensure_ascii=False) + "\n"


# --- the whole edition --------------------------------------------------------------


def page_labels(book: Path = ROOT / "book") -> dict:
    """``{label: page}`` of the labels on the site's Markdown pages (intro.md ...)."""
    pages = {}
    for path in sorted(book.glob("*.md")):
        page = Chapter(
            {
                "cells": [
                    {
                        "cell_type": "markdown",
                        "metadata": {},
                        "source": path.read_text(encoding="utf-8"),
                    }
                ]
            },
            path.name,
            directives=None,
        )  # the site's own directives are fine here
        for label in page.labels():
            pages[label] = f"book/{path.stem}"
    return pages


def build(paths: list, config: Path = ROOT / "_config.yml") -> dict:
    """``{file name: text}`` of the edition of the notebooks at ``paths``."""
    setting = settings(config)
    raw = yaml.safe_load(config.read_text(encoding="utf-8")) or {}
    substitutions = (raw.get("parse") or {}).get("myst_substitutions") or {}
    books = {
        Path(p).stem: json.loads(Path(p).read_text(encoding="utf-8"))
        for p in sorted(paths, key=lambda p: Path(p).name)
    }
    labels, pages = {}, page_labels()
    for stem, nb in books.items():
        labels.update(
            {
                k: v
                for k, v in Chapter.from_dict(nb, stem).labels().items()
                if not v.startswith("Exercise")
            }
        )
        pages.update({k: f"book/{stem}" for k in Chapter.from_dict(nb, stem).labels()})
    return {
        f"{stem}.ipynb": dumps(convert_notebook(nb, stem, setting, labels, substitutions, pages))
        for stem, nb in books.items()
    }


def chapter_title(nb: dict, stem: str) -> str:
    chapter = Chapter.from_dict(nb, stem)
    return next(
        (
            b.source.lstrip("#").strip()
            for c in chapter.cells
            for b in c.blocks
            if b.kind == "heading"
        ),
        stem,
    )


def readme_block(paths: list, config: Path = ROOT / "_config.yml") -> str:
    """The README's table of Colab links, between its markers."""
    setting = settings(config)
    rows = [README_START, "", "| Chapter | Open in Colab |", "| --- | --- |"]
    for path in sorted(paths, key=lambda p: Path(p).name):
        nb = json.loads(Path(path).read_text(encoding="utf-8"))
        title = chapter_title(nb, Path(path).stem).replace("|", "\\|")
        rows.append(
            f"| {title} | [colab/{Path(path).name}]({colab_link(setting, Path(path).name)}) |"
        )
    return "\n".join(rows + ["", README_END])


def with_readme_block(readme: str, block: str) -> str:
    """``readme`` with its Colab block replaced by ``block`` (the markers must be there)."""
    start, end = readme.find(README_START), readme.find(README_END)
    if start < 0 or end < start:
        raise ValueError(f"README.md lacks the markers {README_START!r} ... {README_END!r}")
    return readme[:start] + block + readme[end + len(README_END) :]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("notebooks", nargs="+", type=Path)
    parser.add_argument("--out", type=Path, default=ROOT / "colab")
    parser.add_argument("--config", type=Path, default=ROOT / "_config.yml")
    parser.add_argument(
        "--readme",
        type=Path,
        default=ROOT / "README.md",
        help="rewrite its Colab links (pass '' to leave it alone)",
    )
    args = parser.parse_args(argv)
    chapters = [p for p in args.notebooks if re.match(r"\d", p.name)]
    edition = build(chapters, args.config)
    args.out.mkdir(parents=True, exist_ok=True)
    for stale in {p.name for p in args.out.glob("*.ipynb")} - set(edition):
        (args.out / stale).unlink()
    for name, text in edition.items():
        (args.out / name).write_text(text, encoding="utf-8")
        print(f"{args.out / name}: {len(text) / 1024:.0f} kB")
    if str(args.readme) not in {"", "."}:
        readme = args.readme.read_text(encoding="utf-8")
        args.readme.write_text(
            with_readme_block(readme, readme_block(chapters, args.config)), encoding="utf-8"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
