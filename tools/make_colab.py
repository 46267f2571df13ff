"""`make colab`: the Colab edition of every chapter, in colab/ (committed).

Colab shows a notebook's markdown as plain Markdown and ignores the book's cell tags, so a
book chapter opened there shows MyST markup where its numbers should be and every hidden
cell in plain view. This tool writes, for each book/NN_*.ipynb, colab/NN_*.ipynb in which

- every glue role is replaced by the value of the saved run, formatted as myst-nb
  formats it on the site (its own ``format_plain_text``), and the first markdown cell says
  that these numbers are the book's run;
- ``{exercise}`` becomes a visible quoted block ("Exercise 2 (title)", numbered per chapter
  as sphinx-exercise numbers it); each solution (``{solution}``, or the span from
  ``{solution-start}`` to ``{solution-end}`` with its code cells) goes under its own heading
  whose section Colab shows collapsed (notebook metadata ``colab.collapsed_sections``: the
  ids of those heading cells); where the chapter goes on after a solution without a new
  heading, a "(continued)" heading closes the solution's section;
- admonitions and other directives become quoted blocks, math roles ``$...$``, cross
  references plain text; labels, comments and block breaks go;
- hidden cells (tag ``remove-cell``) that check or compute something are kept, so a
  learner's run still asserts the claims, as form cells (``cellView: form`` and a
  ``#@title``) whose code Colab folds away; a hidden cell that does neither (the plot
  setup, which Colab needs too) becomes a plain cell;
- the Colab setup cell installs the package from the repository that ``_config.yml``
  names (``repository.url`` and ``repository.branch``), and every output is cleared.

It also rewrites the README's table of "open in Colab" links (between the markers
below) from the same setting. Output is deterministic: cell ids come from positions and
labels, JSON is written as nbformat writes it.

    python tools/make_colab.py --out colab book/0*.ipynb
"""
import argparse
import json
import re
import sys
from pathlib import Path

import yaml
from myst_nb.core.variables import format_plain_text

ROOT = Path(__file__).resolve().parents[1]
COLAB = "https://colab.research.google.com"
README_START = "<!-- colab-links: written by `make colab` from _config.yml -->"
README_END = "<!-- end of colab-links -->"
INSTALL = re.compile(r'^(?P<indent>\s*)%pip install .*"nonlin-course\[book\] @ git\+\S*".*$',
                     re.MULTILINE)
GLUE_ROLES = {"glue", "glue:", "glue:any", "glue:text", "glue:md", "glue:math"}
ADMONITIONS = {"note", "warning", "tip", "important", "hint", "caution", "attention",
               "danger", "error", "seealso", "admonition", "margin", "sidebar", "topic",
               "dropdown", "epigraph", "pull-quote", "highlights", "card"}
FENCE = re.compile(r"^(?P<indent> {0,3})(?P<fence>`{3,}|~{3,}|:{3,})(?P<info>.*)$")
HEADING = re.compile(r"^(?P<hashes>#{1,6})\s+(?P<title>.+?)\s*#*\s*$")
INLINE = re.compile(r"(?:\{(?P<role>[A-Za-z][\w:.+-]*)\})?(?P<ticks>`+)(?P<body>.+?)"
                    r"(?<!`)(?P=ticks)(?!`)", re.DOTALL)


# --- the setting --------------------------------------------------------------------

def settings(config: Path = ROOT / "_config.yml") -> dict:
    """The repository address, branch and Colab host from ``_config.yml``.

    >>> s = settings()
    >>> sorted(s) == ["branch", "colab", "repo", "url"] and s["url"].startswith("https://")
    True
    """
    data = yaml.safe_load(config.read_text(encoding="utf-8")) or {}
    repository = data.get("repository") or {}
    url = str(repository.get("url", "")).rstrip("/").removesuffix(".git")
    match = re.fullmatch(r"https://github\.com/([\w.-]+/[\w.-]+)", url)
    if not match:
        raise ValueError(f"{config}: repository.url must be https://github.com/<owner>/<repo> "
                         f"(Colab opens notebooks from GitHub), got {url!r}")
    colab = (data.get("launch_buttons") or {}).get("colab_url") or COLAB
    return {"url": url, "repo": match.group(1), "branch": str(repository.get("branch", "main")),
            "colab": colab.rstrip("/")}


def colab_link(setting: dict, name: str) -> str:
    """The address that opens ``colab/<name>`` in Colab.

    >>> colab_link({"colab": COLAB, "repo": "a/b", "branch": "main"}, "01_x.ipynb")
    'https://colab.research.google.com/github/a/b/blob/main/colab/01_x.ipynb'
    """
    return f"{setting['colab']}/github/{setting['repo']}/blob/{setting['branch']}/colab/{name}"


def install_line(setting: dict) -> str:
    """The setup cell's pip line: the package from the configured repository and branch."""
    return (f'%pip install --quiet "nonlin-course[book] @ '
            f'git+{setting["url"]}@{setting["branch"]}"')


# --- glue ---------------------------------------------------------------------------

def glue_values(nb: dict) -> dict:
    """``{name: mime bundle}`` of every glued value in the saved outputs (the last wins)."""
    values = {}
    for cell in nb["cells"]:
        for output in cell.get("outputs", []):
            meta = output.get("metadata", {}).get("scrapbook")
            if meta:
                prefix = len(meta.get("mime_prefix", ""))
                values[meta["name"]] = {k[prefix:]: v for k, v in output["data"].items()}
    return values


def paste_glue(role: str, body: str, values: dict) -> str:
    """The text myst-nb puts in place of ``{role}`body```, from the saved ``values``.

    >>> paste_glue("glue:text", "acc:.1%", {"acc": {"text/plain": "0.8525"}})
    '85.2%'
    """
    if role == "glue:text":
        key, _, spec = body.rpartition(":") if ":" in body else (body, "", "s")
    else:
        key, spec = body, None
    if "::" in key:
        raise ValueError(f"{{{role}}}`{body}`: glue from another document is not supported")
    if key not in values:
        raise KeyError(f"{{{role}}}`{body}`: no value glued under {key!r} in the saved "
                       "outputs (run `make outputs` first)")
    data = values[key]
    if role == "glue:md" and "text/markdown" in data:
        return _text(data["text/markdown"])
    if role == "glue:math" and "text/latex" in data:
        return "$" + _text(data["text/latex"]).strip().strip("$") + "$"
    if "text/plain" not in data:
        raise ValueError(f"{{{role}}}`{body}`: the glued value has no text to paste")
    return format_plain_text(_text(data["text/plain"]), spec if spec is not None else "")


def _text(value) -> str:
    return "".join(value) if isinstance(value, list) else str(value)


# --- inline markup ------------------------------------------------------------------

def convert_inline(text: str, context: dict) -> str:
    """Replace every MyST role in ``text``; code spans are left as they are.

    >>> convert_inline("see {math}`x^2` and `{not}` {ref}`the start <intro>`", {})
    'see $x^2$ and `{not}` the start'
    """
    def replace(match):
        role, body = match.group("role"), match.group("body")
        if role is None:
            return match.group(0)
        return _role(role, body, context)
    return INLINE.sub(replace, text)


def _role(role: str, body: str, context: dict) -> str:
    if role in GLUE_ROLES:
        return paste_glue(role, body, context.get("glue", {}))
    if role == "math":
        return f"${body}$"
    if role in {"code", "samp", "literal"}:
        return f"`{body}`"
    if role in {"sub", "sup", "kbd"}:
        return f"<{role}>{body}</{role}>"
    shown = re.fullmatch(r"(?P<text>.*?)\s*<(?P<target>[^<>]+)>", body, re.DOTALL)
    if shown and shown.group("text"):
        return shown.group("text")
    target = shown.group("target") if shown else body
    label = context.get("labels", {}).get(target.lstrip("~").removeprefix("#"))
    if label:
        return convert_inline(label, context)
    if role == "abbr":
        return re.sub(r"\s*\(.*\)$", "", body)
    return target.split("/")[-1].lstrip("~")


# --- block markup -------------------------------------------------------------------

def split_blocks(text: str) -> list:
    """``text`` as a list of blocks: ``("text", str)``, ``("code", str)`` (a plain fenced
    code block, kept verbatim) and ``("directive", name, argument, options, body)``."""
    lines, blocks, i = text.split("\n"), [], 0
    plain = []
    while i < len(lines):
        match = FENCE.match(lines[i])
        if not match:
            plain.append(lines[i])
            i += 1
            continue
        fence, info = match.group("fence"), match.group("info").strip()
        end = i + 1
        while end < len(lines) and not re.fullmatch(
                rf" {{0,3}}{re.escape(fence[0])}{{{len(fence)},}}\s*", lines[end]):
            end += 1
        inner = lines[i + 1:end]
        if plain:
            blocks.append(("text", "\n".join(plain)))
            plain = []
        directive = re.fullmatch(r"\{(?P<name>[\w:.-]+)\}\s*(?P<arg>.*)", info)
        if directive:
            options, body = _options(inner)
            blocks.append(("directive", directive.group("name"), directive.group("arg"),
                           options, "\n".join(body)))
        else:
            blocks.append(("code", "\n".join(lines[i:end + 1])))
        i = end + 1
    if plain:
        blocks.append(("text", "\n".join(plain)))
    return blocks


def _options(lines: list) -> tuple:
    if lines and lines[0].strip() == "---" and "---" in [x.strip() for x in lines[1:]]:
        close = 1 + [x.strip() for x in lines[1:]].index("---")
        return yaml.safe_load("\n".join(lines[1:close])) or {}, lines[close + 1:]
    options, i = {}, 0
    while i < len(lines) and (option := re.fullmatch(r"\s*:([\w-]+):\s*(.*)", lines[i])):
        options[option.group(1)] = option.group(2).strip()
        i += 1
    return options, lines[i:]


def clean_text(text: str, context: dict) -> str:
    """A text block as plain Markdown: labels, comments and block breaks dropped, equation
    labels removed, substitutions and roles replaced."""
    kept = [line for line in text.split("\n")
            if not re.fullmatch(r"\s*\([\w.:-]+\)=\s*|\s*%.*|\s*\+\+\+.*", line)]
    text = "\n".join(kept)
    text = re.sub(r"\$\$\s*\([\w.:-]+\)", "$$", text)
    text = re.sub(r"\{\{\s*(\w+)\s*\}\}", lambda m: _substitution(m.group(1), context), text)
    return convert_inline(text, context)


def _substitution(key: str, context: dict) -> str:
    subs = context.get("substitutions", {})
    if key not in subs:
        raise KeyError(f"substitution {{{{ {key} }}}} is not defined in _config.yml")
    return str(subs[key])


def quote(title: str, body: str) -> str:
    """A visible block: ``> **title**`` then the body, every line quoted."""
    lines = [f"**{title}**", ""] + body.strip("\n").split("\n") if body.strip() else [
        f"**{title}**"]
    return "\n".join(("> " + line).rstrip() for line in lines)


def convert_markdown(text: str, context: dict) -> list:
    """One markdown cell as a list of pieces: ``("md", text)``, ``("solution", label,
    text)``, ``("solution-start", label)`` and ``("solution-end",)``."""
    pieces, current = [], []

    def flush():
        joined = "\n".join(current).strip("\n")
        if joined.strip():
            pieces.append(("md", joined))
        current.clear()

    for block in split_blocks(text):
        if block[0] == "text":
            current.append(clean_text(block[1], context))
        elif block[0] == "code":
            current.append(block[1])
        else:
            _, name, arg, options, body = block
            if name in {"solution", "solution-start"}:
                flush()
                label = arg.strip() or options.get("label", "")
                if name == "solution":
                    pieces.append(("solution", label, convert_body(body, context)))
                else:
                    pieces.append(("solution-start", label))
            elif name == "solution-end":
                flush()
                pieces.append(("solution-end",))
            else:
                current.append(convert_directive(name, arg, options, body, context))
    flush()
    return pieces


def convert_body(body: str, context: dict) -> str:
    """A directive's content, itself converted (nested directives included)."""
    parts = []
    for piece in convert_markdown(body, context):
        if piece[0] != "md":
            raise ValueError(f"a solution inside another directive is not supported: {piece}")
        parts.append(piece[1])
    return "\n\n".join(parts)


def convert_directive(name: str, arg: str, options: dict, body: str, context: dict) -> str:
    """Any other directive as plain Markdown."""
    arg = arg.strip()
    if name == "exercise":     # numbered in order, as sphinx-exercise numbers a page's
        number = None
        if "nonumber" not in options:
            number = context["exercises"] = context.get("exercises", 0) + 1
        return quote(exercise_title(number, convert_inline(arg, context)),
                     convert_body(body, context))
    if name in {"math"}:
        return f"$$\n{body.strip()}\n$$"
    if name in {"code-block", "code", "sourcecode"}:
        return f"```{arg}\n{body}\n```"
    if name in {"figure", "image"}:
        url = arg if "://" in arg else (
            f"https://raw.githubusercontent.com/{context['repo']}/{context['branch']}/"
            f"{(context['docdir'] / arg).as_posix()}")
        caption = convert_body(body, context).strip()
        return f"![{options.get('alt', caption)}]({url})" + (f"\n\n*{caption}*" if caption
                                                                else "")
    if name == "playground":   # a live figure of the website; a notebook cannot run it
        return quote("Live figure on the course website",
                     "On the website this place holds a live figure: the same experiment, "
                     "trained in the browser with controls to change it (also on the "
                     "website's Playground page). In this notebook, change the code above "
                     "and run it again instead.")
    if name in {"raw"} and arg == "html":
        return body
    if name in ADMONITIONS or body.strip():
        title = convert_inline(arg, context) if arg else name.replace("-", " ").capitalize()
        if name in {"margin", "sidebar"} and not arg:
            title = "Aside"
        return quote(title, convert_body(body, context))
    raise ValueError(f"the {{{name}}} directive has no Colab conversion")


def exercise_title(number, subtitle: str) -> str:
    """sphinx-exercise's title: ``Exercise 2 (subtitle)``."""
    head = "Exercise" if number is None else f"Exercise {number}"
    return f"{head} ({subtitle})" if subtitle else head


# --- labels -------------------------------------------------------------------------

def chapter_labels(nb: dict) -> dict:
    """``{label: text}``: exercises as sphinx-exercise titles them ("Exercise 2 (title)"),
    labelled headings by their title (raw MyST: convert it where it is used)."""
    labels, number, pending = {}, 0, None
    for cell in nb["cells"]:
        if cell["cell_type"] != "markdown":
            continue
        for block in split_blocks(_text(cell["source"])):
            if block[0] == "directive" and block[1] == "exercise":
                options, arg = block[3], block[2].strip()
                if "nonumber" in options:
                    title = exercise_title(None, arg)
                else:
                    number += 1
                    title = exercise_title(number, arg)
                if options.get("label"):
                    labels[options["label"]] = title
            elif block[0] == "text":
                for line in block[1].split("\n"):
                    if label := re.fullmatch(r"\s*\(([\w.:-]+)\)=\s*", line):
                        pending = label.group(1)
                    elif pending and (heading := HEADING.match(line)):
                        labels[pending], pending = heading.group("title"), None
    return labels


# --- the notebook -------------------------------------------------------------------

FIRST_NOTE = (
    "> **The Colab edition of this chapter.** The numbers in the text are those of the "
    "book's own run, saved when the chapter was last executed. When you run the cells, "
    "your run prints its own, which can differ in the last digits (another machine, "
    "another PyTorch). Each exercise's solution sits in a collapsed section under its own "
    "heading: open it once you have tried. The cells titled \"Check the chapter's claims\" "
    "assert what the text says, on your run; double-click one to see its code.")
SOLUTION_HINT = "*Try the exercise before you open this section.*"


class Edition:
    """Builds the edition's cells one piece at a time (see :func:`convert_notebook`)."""

    def __init__(self, stem: str):
        self.stem, self.cells, self.collapsed = stem, [], []
        self.level, self.section = 1, ""
        self.solution_level = None     # a solution's section is open until a heading
        self.in_span = False           # between {solution-start} and {solution-end}

    def _id(self, wanted: str = "") -> str:
        taken = {c["id"] for c in self.cells}
        base = re.sub(r"[^A-Za-z0-9_-]+", "-", wanted)[:50] or f"cell-{len(self.cells):03d}"
        name, n = base, 1
        while name in taken:
            n += 1
            name = f"{base}-{n}"
        return name

    def _append(self, cell_type: str, source: str, metadata=None, wanted=""):
        cell_id = self._id(wanted)
        cell = {"cell_type": cell_type, "id": cell_id, "metadata": {"id": cell_id,
                                                                  **(metadata or {})},
                "source": source.splitlines(keepends=True)}
        if cell_type == "code":
            cell.update(execution_count=None, outputs=[])
        self.cells.append(cell)
        return cell_id

    def _close_solution(self, opens_with_heading: int | None = None):
        """Before content that does not belong to the open solution: a heading that ends
        the solution's section, unless the content starts with one."""
        if self.solution_level is None or self.in_span:
            return
        if opens_with_heading is None or opens_with_heading > self.solution_level:
            self._append("markdown", f"{'#' * self.solution_level} "
                         f"{self.section or 'The chapter'} (continued)")
        self.solution_level = None

    def markdown(self, text: str):
        """Markdown, one cell per heading (Colab's sections begin at a heading cell)."""
        for chunk in split_at_headings(text) if not self.in_span else [text]:
            self._markdown(chunk)

    def _markdown(self, text: str):
        first = text.lstrip("\n").split("\n", 1)[0]
        heading = HEADING.match(first)
        self._close_solution(len(heading.group("hashes")) if heading else None)
        if not self.cells and heading:     # the chapter's first cell: the note on numbers
            rest = text.lstrip("\n")[len(first):].strip("\n")
            text = first + "\n\n" + FIRST_NOTE + ("\n\n" + rest if rest else "")
        elif not self.cells:
            text = FIRST_NOTE + "\n\n" + text
        if not self.in_span:
            for line in _outside_code(text):
                if heading := HEADING.match(line):
                    self.level = len(heading.group("hashes"))
                    self.section = heading.group("title")
        self._append("markdown", text)

    def solution(self, label: str, title: str, body: str | None):
        self._close_solution(0)
        level = min(self.level + 1, 6)
        heading_id = self._append("markdown", f"{'#' * level} {title}\n\n{SOLUTION_HINT}",
                                  wanted=f"solution-{label}")
        self.collapsed.append(heading_id)
        if body is not None:
            self._append("markdown", body)
        else:
            self.in_span = True
        self.solution_level = level

    def end_span(self):
        self.in_span = False

    def code(self, cell: dict, setting: dict):
        source, tags = _text(cell["source"]), cell["metadata"].get("tags", [])
        if "answer-check" not in tags:
            self._close_solution()
        metadata = {"tags": tags} if tags else {}
        if INSTALL.search(source):
            source = INSTALL.sub(lambda m: m.group("indent") + install_line(setting), source)
        if "remove-cell" in tags or "remove-input" in tags:
            title = form_title(source, tags)
            if title:
                source = f"#@title {title}\n{source}"
                metadata["cellView"] = "form"
        self._append("code", source, metadata)


def _outside_code(text: str):
    """The lines of ``text`` that are not inside a fenced code block."""
    return [line for line, code in _lines(text) if not code]


def _lines(text: str):
    """``(line, inside a fenced code block)`` for each line of ``text``."""
    fence = None
    for line in text.split("\n"):
        match = FENCE.match(line)
        if fence is None and match:
            fence = match.group("fence")
            yield line, True
        elif fence:
            if re.fullmatch(rf" {{0,3}}{re.escape(fence[0])}{{{len(fence)},}}\s*", line):
                fence = None
            yield line, True
        else:
            yield line, False


def split_at_headings(text: str) -> list:
    r"""``text`` cut before every heading line (outside code blocks), blank pieces dropped.

    >>> split_at_headings("intro\n## A\ntext\n```\n# not a heading\n```")
    ['intro', '## A\ntext\n```\n# not a heading\n```']
    """
    chunks = [[]]
    for line, code in _lines(text):
        if not code and HEADING.match(line) and chunks[-1]:
            chunks.append([])
        chunks[-1].append(line)
    return [c for c in ("\n".join(chunk).strip("\n") for chunk in chunks) if c.strip()]


def form_title(source: str, tags: list) -> str | None:
    """The title of a hidden cell shown as a form, or None to show it as a plain cell.

    >>> form_title("assert x > 0", ["remove-cell"])
    "Check the chapter's claims"
    >>> form_title("nc.setup_plots()", ["remove-cell"]) is None
    True
    """
    asserts = re.search(r"^\s*assert\b", source, re.MULTILINE)
    if "answer-check" in tags:
        return "Check the exercise's answer"
    if asserts:
        return "Check the chapter's claims"
    if "glue" in source:
        return "Compute the numbers the text quotes"
    if "remove-input" in tags:
        return "Code hidden in the book"
    return None


def convert_notebook(nb: dict, stem: str, setting: dict, labels: dict | None = None,
                     substitutions: dict | None = None) -> dict:
    """The Colab edition of one book notebook (``stem``: its file name without suffix)."""
    own = chapter_labels(nb)
    context = {"glue": glue_values(nb), "labels": {**(labels or {}), **own},
               "repo": setting["repo"], "branch": setting["branch"],
               "docdir": Path("book"), "substitutions": substitutions or {}}
    edition = Edition(stem)
    for cell in nb["cells"]:
        if cell["cell_type"] == "code":
            edition.code(cell, setting)
            continue
        if cell["cell_type"] != "markdown":
            continue
        for piece in convert_markdown(_text(cell["source"]), context):
            if piece[0] == "md":
                edition.markdown(piece[1])
            elif piece[0] == "solution-end":
                edition.end_span()
            else:
                title = "Solution to " + convert_inline(
                    own.get(piece[1], exercise_title(None, piece[1])), context)
                edition.solution(piece[1], title, piece[2] if piece[0] == "solution"
                                 else None)
    if edition.in_span:
        raise ValueError(f"{stem}: {{solution-start}} without {{solution-end}}")
    if not any(INSTALL.search(_text(c["source"])) for c in nb["cells"]):
        raise ValueError(f"{stem}: no Colab setup cell (a `%pip install ... "
                         "\"nonlin-course[book] @ git+...\"` line) to point at the repository")
    return {"cells": edition.cells,
            "metadata": {"colab": {"provenance": [], "toc_visible": True,
                                   "collapsed_sections": edition.collapsed},
                         "kernelspec": {"display_name": "Python 3", "language": "python",
                                        "name": "python3"},
                         "language_info": {"name": "python"}},
            "nbformat": 4, "nbformat_minor": 5}


def dumps(nb: dict) -> str:
    """JSON as nbformat writes it (sorted keys, one-space indent, UTF-8)."""
    return json.dumps(nb, sort_keys=True, indent=1, ensure_ascii=False) + "\n"


# --- the whole edition --------------------------------------------------------------

def chapter_title(nb: dict, stem: str) -> str:
    for cell in nb["cells"]:
        if cell["cell_type"] == "markdown":
            for line in _text(cell["source"]).split("\n"):
                if heading := HEADING.match(line):
                    return heading.group("title")
    return stem


def build(paths: list, config: Path = ROOT / "_config.yml") -> dict:
    """``{file name: text}`` of the edition of the notebooks at ``paths``."""
    setting = settings(config)
    raw = yaml.safe_load(config.read_text(encoding="utf-8")) or {}
    substitutions = (raw.get("parse") or {}).get("myst_substitutions") or {}
    books = {Path(p).stem: json.loads(Path(p).read_text(encoding="utf-8"))
             for p in sorted(paths, key=lambda p: Path(p).name)}
    labels = {}
    for nb in books.values():
        labels.update({k: v for k, v in chapter_labels(nb).items()
                       if not v.startswith("Exercise")})
    return {f"{stem}.ipynb": dumps(convert_notebook(nb, stem, setting, labels,
                                                    substitutions))
            for stem, nb in books.items()}


def readme_block(paths: list, config: Path = ROOT / "_config.yml") -> str:
    """The README's table of Colab links, between its markers."""
    setting = settings(config)
    rows = [README_START, "", "| Chapter | Open in Colab |", "| --- | --- |"]
    for path in sorted(paths, key=lambda p: Path(p).name):
        nb = json.loads(Path(path).read_text(encoding="utf-8"))
        title = chapter_title(nb, Path(path).stem).replace("|", "\\|")
        rows.append(f"| {title} | [colab/{Path(path).name}]"
                    f"({colab_link(setting, Path(path).name)}) |")
    return "\n".join(rows + ["", README_END])


def with_readme_block(readme: str, block: str) -> str:
    """``readme`` with its Colab block replaced by ``block`` (the markers must be there)."""
    start, end = readme.find(README_START), readme.find(README_END)
    if start < 0 or end < start:
        raise ValueError(f"README.md lacks the markers {README_START!r} ... {README_END!r}")
    return readme[:start] + block + readme[end + len(README_END):]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("notebooks", nargs="+", type=Path)
    parser.add_argument("--out", type=Path, default=ROOT / "colab")
    parser.add_argument("--config", type=Path, default=ROOT / "_config.yml")
    parser.add_argument("--readme", type=Path, default=ROOT / "README.md",
                        help="rewrite its Colab links (pass '' to leave it alone)")
    args = parser.parse_args(argv)
    chapters = [p for p in args.notebooks if re.match(r"\d", p.name)]
    edition = build(chapters, args.config)
    args.out.mkdir(parents=True, exist_ok=True)
    for stale in set(p.name for p in args.out.glob("*.ipynb")) - set(edition):
        (args.out / stale).unlink()
    for name, text in edition.items():
        (args.out / name).write_text(text, encoding="utf-8")
        print(f"{args.out / name}: {len(text) / 1024:.0f} kB")
    if str(args.readme) not in {"", "."}:
        readme = args.readme.read_text(encoding="utf-8")
        args.readme.write_text(with_readme_block(readme, readme_block(chapters, args.config)),
                               encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
