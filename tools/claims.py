"""Verdict sentences of the book and the claim labels that tie them to hidden checks.

A *verdict sentence* ranks or compares, or says only / never / always / every / none /
cannot / at least / at most / clearly / all (``VERDICT``). Each one carries a label, an
HTML comment written right after it on the same line::

    ReLU is ahead of tanh on every seed. <!-- claim: ch2-relu-ahead -->

(invisible on the site and in Colab; the editions drop it), and each label has an
assertion in a hidden check cell (tagged ``remove-cell``) of its chapter, whose message
names it: ``assert cond, "claim ch2-relu-ahead"`` (or a tuple or f-string starting with
that text). A label ``chN-...`` is checked in chapter N, whichever page carries the
sentence. Sentences that use a verdict word without stating a measured verdict are listed,
each with its reason, in ``tests/claims_allowed.yml``.

The prose is read with myst-parser's own markdown-it parser (directive bodies such as
exercises, solutions and admonitions parsed as markdown in turn) and split into sentences
with pysbd. ``python tools/claims.py`` prints the count per page and every problem.
"""
import ast
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
import pysbd
import yaml
from markdown_it.renderer import RendererHTML
from myst_parser.config.main import MdParserConfig
from myst_parser.parsers.mdit import create_md_parser

ROOT = Path(__file__).resolve().parents[1]
ALLOWED = ROOT / "tests" / "claims_allowed.yml"
PAGES = ["book/intro.md", "book/glossary.md", "book/01_linear_is_not_enough.ipynb",
         "book/02_vanishing_gradients.ipynb", "book/03_activation_zoo.ipynb",
         "book/04_piecewise_linear.ipynb", "book/05_deep_networks.ipynb"]
VERDICT = re.compile(
    r"\b(only|never|always|every\w*|none|cannot|can't|at least|at most|clearly|all|than|"
    r"best|worst|better|worse|ahead|behind|beats?|outperforms?|wins?|ranks?|ranking)\b",
    re.IGNORECASE)
LABEL_COMMENT = re.compile(r"<!--\s*claim:\s*(.*?)\s*-->", re.DOTALL)
LABEL = re.compile(r"^ch[1-9]-[a-z0-9]+(-[a-z0-9]+)*$")
ASSERT_MESSAGE = re.compile(r"^claim (ch[1-9]-[a-z0-9-]+)\b")
# directives whose body is prose, parsed as markdown again
PROSE_DIRECTIVES = {"exercise", "solution", "admonition", "note", "warning", "tip", "hint",
                    "important", "seealso", "attention", "caution", "danger", "dropdown",
                    "figure", "epigraph", "margin", "sidebar", "topic", "glossary"}
_MD = create_md_parser(MdParserConfig(enable_extensions={"amsmath", "colon_fence",
                                                         "dollarmath", "deflist"}),
                       RendererHTML)
_SPLIT = pysbd.Segmenter(language="en", clean=False, char_span=True)


@dataclass
class Sentence:
    """One sentence of a page's prose, with the claim labels written after it."""
    page: str
    cell: int
    text: str
    labels: list = field(default_factory=list)

    @property
    def verdict_words(self) -> list:
        """The verdict words it uses (empty: not a verdict sentence; questions never are)."""
        if self.text.rstrip().endswith("?"):
            return []
        return [m.group(0).lower() for m in VERDICT.finditer(self.text)]


class ClaimError(ValueError):
    """A claim label written where it would show or split a paragraph, or malformed."""


def _inline_text(children, where: str):
    """The text of an inline token's children, and (offset, label) for each claim comment."""
    parts, labels, size = [], [], 0
    for child in children:
        if child.type == "html_inline" and LABEL_COMMENT.fullmatch(child.content.strip()):
            for label in re.split(r"[\s,]+", LABEL_COMMENT.fullmatch(child.content.strip())[1]):
                if not LABEL.match(label):
                    raise ClaimError(f"{where}: claim label {label!r} is not of the form ch2-relu-ahead")
                labels.append((size, label))
            continue
        if child.type in ("text", "code_inline"):
            piece = child.content
        elif child.type in ("softbreak", "hardbreak"):
            piece = " "
        elif child.type == "myst_role":
            piece = ("\u27e8value\u27e9" if child.meta.get("name", "").startswith("glue")
                     else re.sub(r"\s*<[^<>]*>$", "", child.content))
        elif child.type == "math_inline":
            piece = "\u27e8math\u27e9"
        elif child.children:
            piece, inner, _ = _inline_text(child.children, where)
            labels += [(size + at, label) for at, label in inner]
        else:
            continue
        parts.append(piece)
        size += len(piece)
    return "".join(parts), labels, size


def _directive_body(token) -> str:
    """The markdown body of a ```{name} fence: options (``:key: value``, --- blocks) dropped."""
    lines = token.content.splitlines()
    if lines and lines[0].strip() == "---":
        end = next((i for i, line in enumerate(lines[1:], 1) if line.strip() == "---"), 0)
        lines = lines[end + 1:]
    while lines and re.match(r"^:[\w-]+:", lines[0]):
        lines = lines[1:]
    return "\n".join(lines)


def _blocks(markdown: str, where: str):
    """(text, labels) for every paragraph, heading, list item and table cell of the markdown."""
    for token in _MD.parse(markdown):
        if token.type == "inline":
            yield _inline_text(token.children, where)[:2]
        elif token.type == "html_block" and LABEL_COMMENT.search(token.content):
            raise ClaimError(f"{where}: a claim label starts a line ({token.content.strip()!r}); "
                             "write it after its sentence on the same line, or it splits the paragraph")
        elif token.type in ("fence", "colon_fence"):
            name = re.match(r"^\{([\w:-]+)\}", token.info.strip())
            if name and name[1] in PROSE_DIRECTIVES:
                yield from _blocks(_directive_body(token), where)


def sentences(markdown: str, page: str = "<text>", cell: int = 0) -> list:
    """The sentences of a MyST markdown text, each with the labels written after it.

    >>> found = sentences("Tanh is best here. <!-- claim: ch2-x --> So?")
    >>> [(s.text.strip(), s.labels) for s in found]
    [('Tanh is best here.', ['ch2-x']), ('So?', [])]
    """
    found = []
    for text, labels in _blocks(markdown, f"{page} cell {cell}"):
        # pysbd reads "(a)", "(b)" as list markers and splits there: hide the brackets
        protected = re.sub(r"\(([a-z])\)", r"[\1]", text)
        spans = [span for span in _SPLIT.segment(protected) if span.sent.strip()]
        block = [Sentence(page, cell, text[span.start:span.end]) for span in spans]
        for at, label in labels:
            owner = [s for span, s in zip(spans, block) if span.start < at] or block[:1]
            if not owner:
                raise ClaimError(f"{page} cell {cell}: claim label {label!r} follows no sentence")
            owner[-1].labels.append(label)
        found += block
    return found


def page_sentences(path: Path) -> list:
    """Every prose sentence of a chapter notebook (markdown cells) or a MyST page."""
    path = Path(path)
    if path.suffix == ".md":
        return sentences(path.read_text(encoding="utf-8"), path.stem, 0)
    notebook = nbformat.read(path, as_version=4)
    return [s for i, cell in enumerate(notebook.cells) if cell.cell_type == "markdown"
            for s in sentences(cell.source, path.stem, i)]


def _message_text(node) -> str:
    if isinstance(node, ast.Tuple) and node.elts:
        node = node.elts[0]
    if isinstance(node, ast.JoinedStr) and node.values:
        node = node.values[0]
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else ""


def asserted_labels(path: Path) -> dict:
    """Label -> number of assertions naming it in the notebook's hidden (remove-cell) cells.

    An assertion names a label when its message is, or starts with, ``"claim <label>"``.
    """
    notebook = nbformat.read(path, as_version=4)
    counts = {}
    for number, cell in enumerate(notebook.cells):
        if cell.cell_type != "code" or "remove-cell" not in cell.metadata.get("tags", []):
            continue
        source = "\n".join("pass" if line.lstrip().startswith(("%", "!")) else line
                           for line in cell.source.splitlines())
        try:
            tree = ast.parse(source)
        except SyntaxError as error:
            raise ClaimError(f"{Path(path).stem} cell {number}: not Python ({error})") from None
        for node in ast.walk(tree):
            if isinstance(node, ast.Assert) and node.msg is not None:
                match = ASSERT_MESSAGE.match(_message_text(node.msg))
                if match:
                    counts[match[1]] = counts.get(match[1], 0) + 1
    return counts


def _normal(text: str) -> str:
    return " ".join(text.split())


def load_allowed(path: Path = ALLOWED) -> dict:
    """Page -> list of {"text": start of the sentence, "reason": why it is not a claim}."""
    entries = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    for page, items in entries.items():
        for item in items:
            if not isinstance(item, dict) or not item.get("text") or not item.get("reason"):
                raise ClaimError(f"{path}: every entry of {page} needs a text and a reason: {item!r}")
    return entries


@dataclass
class Report:
    """What the claims check found on one page."""
    page: str
    verdicts: int = 0
    labelled: int = 0
    allowed: int = 0
    unlabelled: list = field(default_factory=list)    # sentences
    stale: list = field(default_factory=list)         # allow-list texts that match nothing
    labels: set = field(default_factory=set)


def check_page(path: Path, allowed: list) -> Report:
    """Count a page's verdict sentences, labelled claims and allowed exceptions."""
    report, used = Report(Path(path).stem), set()
    for sentence in page_sentences(path):
        report.labels.update(sentence.labels)
        if not sentence.verdict_words:
            continue
        report.verdicts += 1
        if sentence.labels:
            report.labelled += 1
            continue
        hits = [i for i, item in enumerate(allowed)
                if _normal(sentence.text).startswith(_normal(item["text"]))]
        if hits:
            report.allowed += 1
            used.update(hits)
        else:
            report.unlabelled.append(sentence)
    report.stale = [item["text"] for i, item in enumerate(allowed) if i not in used]
    return report


def check_book(pages=PAGES, allowed_path: Path = ALLOWED):
    """Reports per page, and labels with no assertion in their chapter (label -> chapter)."""
    allowed = load_allowed(allowed_path)
    paths = [ROOT / page for page in pages if (ROOT / page).exists()]
    reports = [check_page(path, allowed.get(path.stem, [])) for path in paths]
    chapters = {path.stem[:2].lstrip("0"): asserted_labels(path)
                for path in paths if path.suffix == ".ipynb"}
    missing = {label: report.page for report in reports for label in sorted(report.labels)
               if label not in chapters.get(label[2:label.index("-")], {})}
    return reports, missing, chapters


def table(reports) -> str:
    """One line per page: verdict sentences, labelled claims, allowed exceptions, unlabelled."""
    lines = [f"{'page':32} verdicts labelled allowed unlabelled"]
    lines += [f"{r.page:32} {r.verdicts:8} {r.labelled:8} {r.allowed:7} {len(r.unlabelled):10}"
              for r in reports]
    return "\n".join(lines)


def main(argv=None) -> int:
    reports, missing, _ = check_book(argv or PAGES)
    print(table(reports))
    for report in reports:
        for sentence in report.unlabelled:
            print(f"UNLABELLED {report.page} cell {sentence.cell}: {_normal(sentence.text)}")
        for text in report.stale:
            print(f"STALE ALLOW-LIST ENTRY {report.page}: {text}")
    for label, page in missing.items():
        print(f"NO ASSERTION for {label} (on {page})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
