"""The one reader of the chapters (tools/chapter.py) and its plain-Markdown rendering
(tools/plain.py): the structure it finds, every edition rendered from it compared with the
editions that the three separate readers wrote before (tests/data/editions_before.json),
and clear errors, located, for malformed MyST."""

import doctest
import hashlib
import json
import re
import subprocess
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from tools import chapter as chapter_module
from tools import code as code_module
from tools import make_assignments, make_colab
from tools import myst as myst_module
from tools import plain as plain_module
from tools.chapter import Chapter, MystError
from tools.code import without_glue, without_markers
from tools.plain import Plain

ROOT = Path(__file__).resolve().parents[1]
BEFORE = json.loads((ROOT / "tests" / "data" / "editions_before.json").read_text())
STEMS = sorted(BEFORE["chapters"])


def short_hash(text: str) -> str:
    return hashlib.sha1(text.encode()).hexdigest()[:12]


def source(cell) -> str:
    return "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]


# --- the structure --------------------------------------------------------------------


def glued(name: str, value: str):
    return new_output(
        "display_data",
        data={"application/papermill.record/text/plain": value},
        metadata={"scrapbook": {"name": name, "mime_prefix": "application/papermill.record/"}},
    )


def fixture() -> dict:
    """One exercise of each kind, an admonition, a dropdown, glue, a cross reference."""
    cells = [
        new_markdown_cell("(sec-a)=\n# 9. A chapter\n\nSee {ref}`sec-a` and {doc}`playground`."),
        new_code_cell(
            "nc.glue_float('acc', 0.8525)",
            outputs=[glued("acc", "0.8525")],
            metadata={"tags": ["remove-cell"]},
        ),
        new_markdown_cell("```{exercise} Predict the accuracy\n:label: ex-guess\n\nGuess.\n```"),
        new_code_cell("run()"),
        new_markdown_cell(":::{dropdown} What happened\nIt reached {glue:text}`acc:.1%`.\n:::"),
        new_markdown_cell("```{solution} ex-guess\n:class: dropdown\n\n{glue:text}`acc:.1%`.\n```"),
        new_code_cell("assert acc > 0.5", metadata={"tags": ["remove-cell", "answer-check"]}),
        new_markdown_cell("```{exercise} Fold\n:label: ex-fold\n\nWrite `fold`.\n```"),
        new_code_cell('def fold():\n    raise NotImplementedError("replace this line")'),
        new_code_cell("passed = nc.check_fold(fold)"),
        new_markdown_cell("```{solution-start} ex-fold\n:class: dropdown\n```\nProse."),
        new_code_cell("def fold():\n    ### BEGIN SOLUTION\n    return 1\n    ### END SOLUTION"),
        new_code_cell("assert nc.check_fold(fold)", metadata={"tags": ["remove-cell"]}),
        new_markdown_cell("```{solution-end}\n```\n\n```{note} Mind\nA {math}`x` note.\n```"),
        new_markdown_cell(
            "```{exercise} Why\n:label: ex-why\nWhy?\n```\n\n```{solution} ex-why\nBecause.\n```"
        ),
    ]
    return json.loads(nbformat.writes(new_notebook(cells=cells)))


def test_the_chapter_model_finds_exercises_their_cells_and_references():
    ch = Chapter(fixture(), "09_fixture")
    kinds = [(e.label, e.number, e.kind) for e in ch.exercises]
    assert kinds == [("ex-guess", 1, "predict"), ("ex-fold", 2, "code"), ("ex-why", 3, "explain")]
    guess, fold, why = ch.exercises
    assert guess.solution is not None and guess.answer_checks == [6]
    assert (fold.starters, fold.checks, fold.solution_cells) == ([8], [9], [11])
    assert (fold.gate.start, fold.gate.end, list(fold.gate.cells)) == (10, 13, [11, 12])
    assert why.solution.body[0].source == "Because."
    assert [b.name for _, b in ch.admonitions] == ["dropdown", "note"]
    assert [(c, i.name, i.content) for c, i in ch.glue_refs] == [
        (4, "glue:text", "acc:.1%"),
        (5, "glue:text", "acc:.1%"),
    ]
    assert [(i.name, i.content) for _, i in ch.cross_refs] == [
        ("ref", "sec-a"),
        ("doc", "playground"),
    ]
    assert ch.labels()["sec-a"] == "9. A chapter" and ch.labels()["ex-fold"] == "Exercise 2 (Fold)"


def test_plain_rendering_of_the_fixture():
    ch = Chapter(fixture(), "09_fixture")
    plain = Plain(ch, site="https://x.org/c")
    assert plain.markdown(ch.cells[0]) == (
        "# 9. A chapter\n\nSee 9. A chapter and [playground](https://x.org/c/book/playground.html)."
    )
    assert plain.markdown(ch.cells[5]) == (
        "> **Solution to Exercise 1 (Predict the accuracy)**\n>\n> 85.2%."
    )
    assert plain.markdown(ch.cells[13]) == "> **Mind**\n>\n> A $x$ note."
    labelled = Chapter(
        chapter_of(
            new_markdown_cell(
                "Only this. <!-- claim: ch9-only -->\n% claim: ch9-two\n<!-- claim: ch9-three -->\n\n"
                "Next `<!-- kept -->`."
            )
        ),
        "09_x",
    )
    assert Plain(labelled).markdown(labelled.cells[0]) == "Only this.\n\nNext `<!-- kept -->`."


def test_the_colab_edition_closes_what_happened_and_drops_answers():
    setting = {**make_colab.settings(), "site": "https://x.org/c"}
    nb = fixture()
    nb["cells"].insert(1, new_code_cell('import sys\nif "google.colab" in sys.modules:\n    pass'))
    nb["cells"].insert(
        5,
        new_code_cell(
            "nc.glue_float('acc2', acc)", metadata={"tags": ["remove-cell", "answers-prediction"]}
        ),
    )
    edition = make_colab.convert_notebook(nb, "09_fixture", setting)
    markdown = "\n".join(source(c) for c in edition["cells"] if c["cell_type"] == "markdown")
    code = [source(c) for c in edition["cells"] if c["cell_type"] == "code"]
    assert (
        "<details>\n<summary><b>What happened</b></summary>\n\nIt reached 85.2%.\n\n</details>"
    ) in markdown
    assert "<summary><b>Solution to Exercise 2 (Fold)</b></summary>" in markdown
    assert "```python\ndef fold():\n    return 1\n```" in markdown
    assert not [
        c
        for c in code
        if "acc2" in c
        or "assert acc" in c
        or "return 1" in c
        or "check_fold(fold)" in c
        and "assert" in c
    ]
    assert "passed = nc.check_fold(fold)" in code


# --- every edition, as before ------------------------------------------------------------


@pytest.fixture(scope="module")
def chapters_before(tmp_path_factory) -> dict:
    """The chapters as they were when the summary was written, from git."""
    folder = tmp_path_factory.mktemp("before")
    paths = {}
    for stem in STEMS:
        got = subprocess.run(
            ["git", "show", f"{BEFORE['chapters_commit']}:book/{stem}.ipynb"],
            cwd=ROOT,
            capture_output=True,
            check=False,
        )
        if got.returncode:
            pytest.skip(
                "the chapters of the summary are not in this clone's history "
                f"({BEFORE['chapters_commit']}): fetch it to compare the editions"
            )
        paths[stem] = folder / f"{stem}.ipynb"
        paths[stem].write_bytes(got.stdout)
    return paths


@pytest.mark.parametrize("stem", STEMS)
def test_student_edition_is_as_before(chapters_before, stem):
    pytest.importorskip("nbgrader", reason="the student edition needs nbgrader")
    from tools.make_student import student_edition

    student = student_edition(nbformat.read(chapters_before[stem], as_version=4), stem)
    got = [[c.cell_type, short_hash(c.source)] for c in student.cells]
    assert got == BEFORE["chapters"][stem]["student"]


@pytest.mark.parametrize("stem", STEMS)
def test_assignment_is_as_before(chapters_before, stem):
    result = make_assignments.assignment(nbformat.read(chapters_before[stem], as_version=4), stem)
    got = [
        [c.cell_type, c.metadata["nbgrader"]["grade_id"], as_before(c.source)]
        for c in result.cells
        if not c.metadata["nbgrader"]["grade_id"].endswith("-rubric")
    ]
    assert got == BEFORE["chapters"][stem]["assignments"]


def as_before(source: str) -> str:
    """A cell as it was before issue 28's two changes to the assignments: rubric cells (left
    out above) and test cells that reach the checker through the grader module run afresh
    (here put back in the checker's raising form)."""
    source = source.replace(make_assignments.grading_call("") + "\n", "")
    return re.sub(
        r"_runpy\.run_module\('nonlin_course\.exercises\.grader'\)\['grade'\]"
        r"\('(\w+)', (.*)\)$",
        r"nc.\1(\2, raise_error=True)",
        source,
        flags=re.M,
    )


# What the Colab edition no longer has, line by line, and why (issue 27): the old first
# note, the solutions' headings and hint (they are closed <details> parts now), the
# "(continued)" headings, the references to the site that did not link to it.
FIXED_LINES = [
    (r"^\*\*The Colab edition of this chapter\.\*\*", "the first note, reworded"),
    (r"^#{2,6} Solution to Exercise \d+ \(.*\)$", "a solution is a <details> part"),
    (r"^\*Try the exercise before you open this section\.\*$", "ditto"),
    (r"^#{2,6} .* \(continued\)$", "no (continued) headings"),
    (r"Sources on|first\s+page\)|^page\)", "Sources links to the site"),
    (r"playground page", "the Playground page links to the site"),
    (r"^On the website this place holds a live figure", "the live figure links to the site"),
]


@pytest.mark.parametrize("stem", STEMS)
def test_colab_edition_differs_from_before_only_by_the_fixes(chapters_before, stem):
    before = BEFORE["chapters"][stem]
    paths = [chapters_before[s] for s in STEMS]
    edition = json.loads(make_colab.build(paths)[f"{stem}.ipynb"])
    lines = {
        re.sub(r"^(>\s?)+", "", line).strip()
        for c in edition["cells"]
        if c["cell_type"] == "markdown"
        for line in source(c).split("\n")
    }
    changed = set(before["colab_markdown_changed"])
    missing = (
        set(before["colab_markdown_lines"])
        - {short_hash(x) for x in lines}
        - {short_hash(x) for x in changed}
    )
    assert not missing, f"{len(missing)} lines of the old edition are gone unexplained"
    for line in changed:
        assert line not in lines or re.search(FIXED_LINES[4][0], line), line
        assert any(re.search(pattern, line) for pattern, _ in FIXED_LINES), line
    book = Chapter.read(chapters_before[stem])
    codes = {
        re.sub(r"\A#@title [^\n]*\n", "", source(c))
        for c in edition["cells"]
        if c["cell_type"] == "code"
    }
    markdown = "\n".join(source(c) for c in edition["cells"] if c["cell_type"] == "markdown")
    assert len(before["colab_code"]) == sum(c.cell_type == "code" for c in book.cells)
    for old in before["colab_code_changed"]:
        cell = next((c for c in book.cells if c.cell_type == "code" and c.source == old), None)
        if cell is None:  # the old install cell
            assert '"nonlin-course[book] @ git+' in old, old
        elif book.gate_of(cell.index) and not cell.hidden:  # now text in its solution
            assert f"```python\n{without_markers(old).rstrip()}\n```" in markdown
        elif without_glue(old) != old and not cell.hidden:  # its glue calls are gone
            assert without_glue(old) in codes
        else:  # the install cell, answer checks, checkers' self-tests
            assert '"google.colab"' in old or cell.hidden, old


# --- malformed MyST: clear errors, located -------------------------------------------------


def chapter_of(*cells) -> dict:
    return json.loads(nbformat.writes(new_notebook(cells=list(cells))))


@pytest.mark.parametrize(
    "cells, where, what",
    [
        (
            [new_markdown_cell("# A\n\n```{note}\nnever closed")],
            "cell 0, line 3",
            r"fence ```\{note\} is never closed",
        ),
        (
            [new_markdown_cell("Text."), new_markdown_cell("::::{note}\nx\n:::")],
            "cell 1, line 1",
            r"never closed",
        ),
        (
            [
                new_markdown_cell("# A"),
                new_markdown_cell("```{solution-start} ex-a\n```\nProse."),
                new_code_cell("x = 1"),
            ],
            "cell 1, line 1",
            r"\{solution-start\} ex-a has no matching",
        ),
        ([new_markdown_cell("```{solution-end}\n```")], "cell 0, line 1", r"without a"),
        (
            [new_markdown_cell("Text.\n\n```{tableofcontents}\n```")],
            "cell 0, line 3",
            r"unknown directive \{tableofcontents\}",
        ),
        (
            [new_markdown_cell("````{note}\nA\n\n```{nonsense}\n```\n````")],
            "cell 0, line 4",
            r"unknown directive \{nonsense\}",
        ),
        ([new_markdown_cell("One.\nSee {cit}`x`.")], "cell 0, line 2", r"unknown role \{cit\}"),
        (
            [new_markdown_cell("````{note}\nA\n\n```{solution} ex-a\nB.\n```\n````")],
            "cell 0, line 4",
            r"a \{solution\} inside the \{note\}",
        ),
    ],
)
def test_malformed_myst_is_an_error_naming_chapter_cell_and_line(cells, where, what):
    with pytest.raises(MystError, match=rf"^09_bad, {where}: .*{what}"):
        Chapter(chapter_of(*cells), "09_bad")


@pytest.mark.parametrize(
    "text, line",
    [
        ("Intro.\nThe value {glue:text}`gone:.1f` here.", 2),
        ("```{note} Title\n:class: tip\n\nFirst.\nSecond {glue:text}`gone`.\n```", 5),
    ],
)
def test_a_glue_name_with_no_value_is_an_error_naming_chapter_cell_and_line(text, line):
    nb = chapter_of(
        new_code_cell("nc.glue_float('kept', 1.0)", outputs=[glued("kept", "1.0")]),
        new_markdown_cell(text),
    )
    chapter = Chapter(nb, "09_bad")
    with pytest.raises(
        MystError,
        match=rf"^09_bad, cell 1, line {line}: .*no value glued "
        r"under 'gone'",
    ):
        Plain(chapter).markdown(chapter.cells[1])
    nb["cells"].insert(0, new_code_cell('import sys\nif "google.colab" in sys.modules:\n  pass'))
    with pytest.raises(MystError, match=r"^09_bad, cell 2, line"):
        make_colab.convert_notebook(nb, "09_bad", make_colab.settings())


def test_the_tools_import_each_other_without_path_inserts():
    for name in [
        "chapter",
        "myst",
        "plain",
        "code",
        "make_colab",
        "make_student",
        "make_assignments",
    ]:
        text = (ROOT / "tools" / f"{name}.py").read_text()
        assert "sys.path" not in text, name
    readers = r"^(FENCE|ROLE)\s*=|def (split_blocks|split_gated|fences|directive_spans)\("
    assert not re.search(
        readers,
        "\n".join(
            (ROOT / "tools" / f"{n}.py").read_text()
            for n in ["make_colab", "make_student", "make_assignments"]
        ),
        re.MULTILINE,
    )


def test_doctests():
    for module in (chapter_module, myst_module, plain_module, code_module):
        assert doctest.testmod(module).failed == 0, module.__name__
