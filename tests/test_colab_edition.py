"""The Colab edition (tools/make_colab.py, colab/): fresh, free of MyST, every number in
place, every solution closed and inert under "Run all", predictions kept, everything it
mentions reachable from Colab, one repository setting; and the site's launch button
pointing at it (book/_ext/colab_edition.py)."""

import doctest
import json
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from by_path import load
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st
from nbclient import NotebookClient

from tools import make_colab
from tools.chapter import (
    ANSWER_CHECK,
    ANSWERS_PREDICTION,
    Chapter,
    Inline,
    calls_checker,
)
from tools.code import without_glue, without_markers

ROOT = Path(__file__).resolve().parents[1]
CHAPTERS = sorted(p for p in (ROOT / "book").glob("*.ipynb") if re.match(r"\d", p.name))
EDITION = ROOT / "colab"
colab_ext = load("book/_ext/colab_edition.py")
DETAILS = re.compile(r"<details>.*?</details>", re.DOTALL)


def text(cell) -> str:
    return "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]


def read(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def in_sight(markdown: str) -> str:
    """What a learner sees before opening anything: the text outside <details> parts."""
    return DETAILS.sub("", markdown)


def closed(markdown: str) -> str:
    return "\n".join(DETAILS.findall(markdown))


def markdown_of(nb: dict) -> str:
    return "\n\n".join(text(c) for c in nb["cells"] if c["cell_type"] == "markdown")


def fresh(path: Path) -> dict:
    return json.loads(make_colab.build([path])[path.name])


# --- the committed edition ----------------------------------------------------------


def test_committed_edition_is_what_make_colab_writes():
    fresh_edition = make_colab.build(CHAPTERS)
    committed = {p.name: p.read_text(encoding="utf-8") for p in EDITION.glob("*.ipynb")}
    assert sorted(committed) == sorted(fresh_edition), "colab/ lacks or has extra chapters"
    stale = [name for name in fresh_edition if fresh_edition[name] != committed[name]]
    assert not stale, f"colab/ is out of date with the book for {stale}: run `make colab`"


def test_readme_links_are_what_make_colab_writes():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert make_colab.readme_block(CHAPTERS) in readme, (
        "README's Colab links are out of date: run `make colab`"
    )


def test_make_colab_writes_the_edition_and_removes_a_stale_chapter(tmp_path):
    out = tmp_path / "colab"
    out.mkdir()
    (out / "09_gone.ipynb").write_text("{}")
    readme = tmp_path / "README.md"
    readme.write_text(f"intro\n{make_colab.README_START}\nold\n{make_colab.README_END}\nend\n")
    assert make_colab.main(["--out", str(out), "--readme", str(readme), *map(str, CHAPTERS)]) == 0
    assert sorted(p.name for p in out.iterdir()) == [p.name for p in CHAPTERS]
    written = readme.read_text()
    assert written.startswith("intro\n") and written.endswith("\nend\n") and "old" not in written


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda p: p.stem)
def test_edition_is_a_valid_light_notebook_without_outputs(chapter):
    path = EDITION / chapter.name
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    assert path.stat().st_size < 1_000_000
    for cell in nb.cells:
        assert cell.metadata["id"] == cell.id
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None


MYST = {
    "role": re.compile(r"\{[A-Za-z][\w:.+-]*\}`"),
    "directive": re.compile(r"^\s*>?\s*(`{3,}|:{3,}|~{3,})\s*\{", re.MULTILINE),
    "label": re.compile(r"^\s*\([\w.:-]+\)=\s*$", re.MULTILINE),
    "substitution": re.compile(r"\{\{.*?\}\}"),
    "comment or block break": re.compile(r"^(%|\+\+\+)", re.MULTILINE),
    "HTML comment (a claim label)": re.compile(r"<!--"),
}


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda p: p.stem)
def test_no_myst_role_directive_or_claim_label_survives(chapter):
    for cell in read(EDITION / chapter.name)["cells"]:
        if cell["cell_type"] == "markdown":
            for what, pattern in MYST.items():
                assert not pattern.search(text(cell)), f"a MyST {what} in:\n{text(cell)}"


def book_roles(path: Path):
    for cell in read(path)["cells"]:
        if cell["cell_type"] == "markdown":
            yield from re.findall(r"\{(glue[:\w]*)\}`([^`]+)`", text(cell))


def expected_text(values: dict, body: str) -> str:
    """A glue:text role's text by Python's own format spec (the reference)."""
    key, _, spec = body.rpartition(":") if ":" in body else (body, "", "")
    raw = "".join(values[key]["text/plain"])
    return (
        format(float(raw), spec)
        if spec[-1:] in tuple("eEfFgG%")
        else format(int(float(raw)), spec)
        if spec[-1:] == "d"
        else raw
    )


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda p: p.stem)
def test_every_glued_number_is_in_the_text(chapter):
    values = Chapter.read(chapter).glue
    markdown = markdown_of(read(EDITION / chapter.name))
    needed = {}
    for _role, body in book_roles(chapter):
        number = expected_text(values, body)
        needed[number] = needed.get(number, 0) + 1
    assert needed or "glue" not in chapter.read_text()
    for number, count in needed.items():
        assert markdown.count(number) >= count, f"{number} missing from the edition"


# --- "Run all" leaves the learner's code alone ----------------------------------------


def left_out(chapter: Chapter, cell) -> bool:
    """A book code cell the edition must not run: the install cell (replaced), a solution,
    an answer check, a prediction's answer, a checker's self-test."""
    return (
        '"google.colab" in sys.modules' in cell.source
        or chapter.gate_of(cell.index) is not None
        or bool({ANSWER_CHECK, ANSWERS_PREDICTION} & set(cell.tags))
        or (cell.hidden and calls_checker(cell.source))
    )


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda p: p.stem)
def test_code_cells_are_the_books_minus_solutions_and_answer_checks(chapter):
    book, edition = Chapter.read(chapter), read(EDITION / chapter.name)
    code = [c for c in edition["cells"] if c["cell_type"] == "code"]
    assert code[0]["id"] == "setup"
    expected = [c for c in book.cells if c.cell_type == "code" and not left_out(book, c)]
    assert [c["id"] for c in code[1:]] == [c.raw["id"] for c in expected]
    for cell, source in zip(code[1:], expected):
        got = re.sub(r"\A#@title [^\n]*\n", "", text(cell))
        shown = "cellView" not in cell["metadata"]
        assert got == (without_markers(without_glue(source.source)) if shown else source.source)
        if shown:
            assert "glue" not in got and "BEGIN SOLUTION" not in got, got


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda p: p.stem)
def test_solutions_are_closed_parts_with_their_code_as_text(chapter):
    book, edition = Chapter.read(chapter), read(EDITION / chapter.name)
    markdown = markdown_of(edition)
    summaries = re.findall(
        r"<summary><b>Solution to (Exercise \d+ \(.*?\))</b></summary>", markdown
    )
    assert summaries == [e.heading for e in book.exercises]
    for exercise in book.exercises:
        for i in exercise.solution_cells:
            code = without_markers(book.cells[i].source).rstrip()
            assert f"```python\n{code}\n```" in closed(markdown), code
    secrets = {line for line in make_student_solution_lines(chapter) if len(line) >= 16}
    sight = in_sight(markdown)
    assert not [s for s in secrets if s in sight and "NotImplementedError" not in s]
    assert "(continued)" not in markdown and "BEGIN SOLUTION" not in markdown


def make_student_solution_lines(chapter: Path) -> set:
    from tools.make_student import solution_lines

    return {
        re.sub(r"\{glue:text\}`[^`]*`", "", line)
        for line in solution_lines(nbformat.read(chapter, as_version=4))
        if not re.search(r"\{[\w:-]+\}`", line)
    }


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda p: p.stem)
def test_exercises_are_visible_quoted_blocks_numbered_in_order(chapter):
    sight = in_sight(markdown_of(read(EDITION / chapter.name)))
    numbers = [int(n) for n in re.findall(r"^> \*\*Exercise (\d+) \(", sight, re.MULTILINE)]
    assert numbers == list(range(1, len(Chapter.read(chapter).exercises) + 1))


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda p: p.stem)
def test_hidden_cells_kept_are_titled_forms_and_setup_is_plain(chapter):
    for cell in read(EDITION / chapter.name)["cells"][1:]:
        if cell["cell_type"] != "code":
            continue
        source, tags = text(cell), cell["metadata"].get("tags", [])
        assert ANSWER_CHECK not in tags and ANSWERS_PREDICTION not in tags
        asserts = re.search(r"^\s*assert\b", source, re.MULTILINE)
        if "remove-cell" in tags and (asserts or "glue" in source):
            assert cell["metadata"].get("cellView") == "form"
            title = (
                "Check the chapter's claims" if asserts else "Compute the numbers the text quotes"
            )
            assert source.startswith(f"#@title {title}\n")
        else:
            assert "cellView" not in cell["metadata"] and "#@title" not in source


def predictions(book: Chapter):
    """``(exercise, glued texts that answer it)`` for each predict exercise: the numbers
    its solution quotes, and those glued by hidden cells tagged answers-prediction."""
    for exercise in book.exercises:
        if exercise.kind != "predict":
            continue
        blocks = list(exercise.solution.walk()) if exercise.solution else []
        items = [i for b in blocks for i in b.inline if i.kind == "role"]
        answers = {book.glue_text(i, exercise.cell) for i in items if i.name == "glue:text"}
        for cell in book.cells:
            if ANSWERS_PREDICTION in cell.tags:
                names = re.findall(r"glue_float\(\s*f?[\"'](\w+)", cell.source)
                answers |= {
                    book.glue_text(Inline("role", n, "glue:text"), cell.index)
                    for n in names
                    if n in book.glue
                }
        yield exercise, {a for a in answers if re.search(r"\d", a) and len(a) >= 4}


def prediction_leaks(book: Chapter, cells: list) -> list:
    """``(label, answer)`` for each number that answers a prediction and is in sight in the
    edition's ``cells`` before the first code cell after the exercise (the learner's run)."""
    leaks = []
    for exercise, answers in predictions(book):
        start = next(
            i
            for i, c in enumerate(cells)
            if c["cell_type"] == "markdown" and f"**{exercise.heading}**" in text(c)
        )
        run = next(i for i in range(start + 1, len(cells)) if cells[i]["cell_type"] == "code")
        before = in_sight("\n".join(text(c) for c in cells[:run] if c["cell_type"] == "markdown"))
        leaks += [(exercise.label, a) for a in sorted(answers) if a in before]
    return leaks


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda p: p.stem)
def test_no_glued_answer_to_a_prediction_is_in_sight_before_its_cell_ran(chapter):
    assert prediction_leaks(Chapter.read(chapter), read(EDITION / chapter.name)["cells"]) == []


def prediction_fixture(where: str) -> dict:
    """A predict exercise whose answer is glued, quoted ``where``: above the exercise, under
    it (before its cell), or nowhere in sight (in a dropdown and the solution only)."""
    glue = nbformat.v4.new_output(
        "display_data",
        data={"text/plain": "0.8525"},
        metadata={"scrapbook": {"name": "acc", "mime_prefix": ""}},
    )
    prose = "It reached {glue:text}`acc:.1%`."
    above, under = ("\n\n" + prose) * (where == "above"), ("\n\n" + prose) * (where == "under")
    cells = [
        nbformat.v4.new_code_cell('import sys\nif "google.colab" in sys.modules:\n    pass'),
        nbformat.v4.new_code_cell("glue()", outputs=[glue], metadata={"tags": ["remove-cell"]}),
        nbformat.v4.new_markdown_cell("# 9. A chapter" + above),
        nbformat.v4.new_markdown_cell(
            "```{exercise} Predict it\n:label: ex-p\nGuess.\n```" + under
        ),
        nbformat.v4.new_code_cell("run()"),
        nbformat.v4.new_markdown_cell(f":::{{dropdown}} What happened\n{prose}\n:::"),
        nbformat.v4.new_markdown_cell(f"```{{solution}} ex-p\n{prose}\n```"),
    ]
    return json.loads(nbformat.writes(nbformat.v4.new_notebook(cells=cells)))


@pytest.mark.parametrize(
    "where, leaks",
    [("nowhere", []), ("above", [("ex-p", "85.2%")]), ("under", [("ex-p", "85.2%")])],
)
def test_a_prediction_answered_in_sight_is_found(where, leaks):
    nb = prediction_fixture(where)
    edition = make_colab.convert_notebook(nb, "09_x", make_colab.settings())
    assert prediction_leaks(Chapter(nb, "09_x"), edition["cells"]) == leaks


# --- everything a learner reads resolves in Colab ------------------------------------


# Nothing in the edition mentions make or the project's tests (a learner in Colab has
# neither), and the site's pages are linked by their address.
@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda p: p.stem)
def test_no_make_no_tests_and_sources_and_live_figures_link_to_the_site(chapter):
    site = make_colab.settings()["site"]
    markdown = markdown_of(read(EDITION / chapter.name))
    assert not re.search(r"`make\b|\bmake (test|bench|colab|outputs|book)\b", markdown)
    assert not re.search(r"\btests? (check|checks|run)\b|tests/test_", markdown)
    assert not re.search(r"Sources on\s+the\s+first\s+page(?!\]\()", markdown)
    for link in re.findall(r"\[Sources on the first page\]\(([^)]*)\)", markdown):
        assert link == f"{site}/book/intro.html#sources"
    if "Live figure" in markdown:
        assert f"({site}/book/{chapter.stem}.html)" in markdown


# --- the first cell -------------------------------------------------------------------


def setup_cell(nb: dict) -> str:
    first = nb["cells"][0]
    assert first["cell_type"] == "code" and first["id"] == "setup"
    return text(first)


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda p: p.stem)
def test_first_cell_installs_the_release_and_says_the_licences(chapter):
    nb = read(EDITION / chapter.name)
    source, version = setup_cell(nb), make_colab.settings()["version"]
    assert f'"nonlin-course=={version}"' in source and "[book]" not in source
    assert "git+" not in source and "%pip" not in source
    assert "MIT" in source and "CC BY 4.0" in source
    title = text(nb["cells"][1])
    assert title.startswith("# ") and "book's own run" in title and "your run prints" in title


def run_setup(source: str, returncode: int, monkeypatch) -> list:
    """Run the setup cell as in Colab, with pip answering ``returncode``."""
    calls = []
    monkeypatch.setitem(sys.modules, "google.colab", type(sys)("google.colab"))
    monkeypatch.setattr(
        subprocess,
        "run",
        lambda args, **kw: calls.append(args) or subprocess.CompletedProcess(args, returncode),
    )
    exec(compile(source, "setup", "exec"), {})  # noqa: S102  (the cell, as Colab runs it)
    return calls


def test_setup_cell_installs_with_this_python_and_stops_clearly_when_pip_fails(monkeypatch):
    source = setup_cell(read(EDITION / CHAPTERS[0].name))
    version = make_colab.settings()["version"]
    calls = run_setup(source, 0, monkeypatch)
    assert calls == [
        [sys.executable, "-m", "pip", "install", "--quiet", f"nonlin-course=={version}"]
    ]
    with pytest.raises(
        RuntimeError,
        match=rf"nonlin-course=={re.escape(version)} with pip "
        r"failed.*run this cell again",
    ):
        run_setup(source, 1, monkeypatch)


def test_setup_cell_outside_colab_installs_nothing(monkeypatch):
    monkeypatch.delitem(sys.modules, "google.colab", raising=False)
    monkeypatch.setattr(subprocess, "run", lambda *a, **k: pytest.fail("pip ran outside Colab"))
    exec(compile(setup_cell(read(EDITION / CHAPTERS[0].name)), "setup", "exec"), {})  # noqa: S102


# --- one setting --------------------------------------------------------------------


def fork_config(
    tmp_path,
    url="https://github.com/someone/fork",
    branch="dev",
    site="https://someone.example.org/course/",
) -> Path:
    config = (ROOT / "_config.yml").read_text(encoding="utf-8")
    config = re.sub(r"(repository:\n(?:#.*\n)?\s+url: )\S+", rf"\g<1>{url}", config)
    config = re.sub(r"(\n\s+branch: )\S+", rf"\g<1>{branch}", config, count=1)
    config = re.sub(r"(\n\s+baseurl: )\S+", rf"\g<1>{site}", config, count=1)
    path = tmp_path / "_config.yml"
    path.write_text(config, encoding="utf-8")
    return path


def test_links_follow_the_one_setting(tmp_path):
    ours = make_colab.settings()
    config = fork_config(tmp_path)
    mine, fork = make_colab.build(CHAPTERS), make_colab.build(CHAPTERS, config)
    assert any(ours["site"] in text for text in mine.values())
    for name, text in fork.items():
        assert ours["site"] not in text
        assert mine[name].count(ours["site"]) == text.count("https://someone.example.org/course")
    block = make_colab.readme_block(CHAPTERS, config)
    assert block.count(
        "https://colab.research.google.com/github/someone/fork/blob/dev/colab/"
    ) == len(CHAPTERS)


@given(st.text(min_size=1, max_size=40).filter(lambda u: not u.startswith("https://github.com/")))
@hsettings(max_examples=30, deadline=None)
def test_a_repository_url_colab_cannot_open_is_refused_with_what_is_allowed(tmp_path_factory, url):
    config = tmp_path_factory.mktemp("cfg") / "_config.yml"
    config.write_text(json.dumps({"repository": {"url": url}}))  # JSON is YAML
    with pytest.raises(ValueError, match=r"https://github.com/<owner>/<repo>"):
        make_colab.settings(config)


def test_a_missing_site_address_is_refused_naming_the_setting(tmp_path):
    config = tmp_path / "_config.yml"
    config.write_text(json.dumps({"repository": {"url": "https://github.com/a/b"}}))
    with pytest.raises(ValueError, match=r"html.baseurl"):
        make_colab.settings(config)


def test_make_colab_doctests():
    assert doctest.testmod(make_colab).failed == 0


# --- the site's launch button -------------------------------------------------------


class FakeApp:
    srcdir = str(ROOT)

    class config:
        html_theme_options = {
            "repository_url": "https://github.com/me/course",
            "repository_branch": "b",
            "launch_buttons": {"colab_url": make_colab.COLAB},
        }
        myst_substitutions = {"kept": "mine"}


def launch_context():
    return {
        "header_buttons": [
            {"label": "download-buttons", "buttons": [{"text": ".ipynb", "url": "x.ipynb"}]},
            {
                "label": "launch-buttons",
                "buttons": [
                    {"text": "Binder", "url": "https://mybinder.org/..."},
                    {
                        "text": "Colab",
                        "url": "https://colab.research.google.com/github/me/course/"
                        "blob/b/book/01_linear_is_not_enough.ipynb",
                    },
                ],
            },
        ]
    }


def test_launch_button_opens_the_colab_edition_and_nothing_else_changes():
    context = launch_context()
    colab_ext.point_launch_button(FakeApp, f"book/{CHAPTERS[0].stem}", "page.html", context, None)
    expected = launch_context()
    expected["header_buttons"][1]["buttons"][1]["url"] = (
        f"https://colab.research.google.com/github/me/course/blob/b/colab/{CHAPTERS[0].name}"
    )
    assert context == expected
    untouched = launch_context()
    colab_ext.point_launch_button(FakeApp, "book/intro", "page.html", untouched, None)
    assert untouched == launch_context()


def test_launch_url_and_substitutions_read_the_configured_repository():
    theme = {
        "repository_url": "https://github.com/nonlin-course/nonlin-course",
        "repository_branch": "main",
        "launch_buttons": {"colab_url": make_colab.COLAB},
    }
    ours = make_colab.settings()
    assert colab_ext.edition_url(theme, "01.ipynb") == make_colab.colab_link(ours, "01.ipynb")
    assert colab_ext.edition_url({"repository_url": "https://gitlab.com/a/b"}, "x") is None
    colab_ext.add_substitutions(FakeApp, FakeApp.config)
    subs = FakeApp.config.myst_substitutions
    assert subs["kept"] == "mine"
    assert subs["colab_01"] == (
        f"[open chapter 1 in Colab](https://colab.research.google.com"
        f"/github/me/course/blob/b/colab/{CHAPTERS[0].name})"
    )


# --- "Run all" with the starters untouched ------------------------------------------

PROBE = """
import inspect
_left = {}
for _name in NAMES:
    _thing = globals()[_name]
    _parts = ([getattr(_thing, m) for m in ("forward", "backward")] if inspect.isclass(_thing)
              else [_thing])
    for _part in _parts:
        try:
            _part(*[None] * len(inspect.signature(_part).parameters))
        except NotImplementedError:
            continue
        except Exception as error:
            _left[_name] = repr(error)
        else:
            _left[_name] = "returned"
print("STILL-STARTERS", sorted(set(NAMES) - set(_left)), _left)
"""


def drawn(outputs: list) -> bool:
    return any(
        o["output_type"] in ("display_data", "execute_result")
        and set(o.get("data", {})) & {"text/html", "image/png", "image/svg+xml"}
        for o in outputs
    )


@pytest.mark.notebooks
@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda p: p.stem)
def test_run_all_leaves_the_starters_alone_and_draws_everything(chapter):
    """Every cell of the edition runs, the starters untouched (the setup cell installs only
    inside Colab): at the end every exercise function still raises NotImplementedError,
    every check said "Not yet", and every figure and table of the book was drawn."""
    book = Chapter.read(chapter)
    nb = nbformat.read(EDITION / chapter.name, as_version=4)
    names = sorted(
        {
            n
            for e in book.exercises
            for i in e.starters
            for n in re.findall(r"^(?:def|class) (\w+)", book.cells[i].source, re.MULTILINE)
        }
    )
    nb.cells.append(nbformat.v4.new_code_cell(f"NAMES = {names!r}\n{PROBE}"))
    NotebookClient(
        nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(EDITION)}}
    ).execute()
    probe = "".join(o.get("text", "") for o in nb.cells[-1].outputs)
    assert f"STILL-STARTERS {names!r} {{}}" in probe, probe
    by_id = {c.id: c for c in nb.cells}
    for exercise in book.exercises:
        for i in exercise.checks:
            said = "".join(o.get("text", "") for o in by_id[book.cells[i].raw["id"]].outputs)
            assert "Not yet" in said, f"{exercise.label}: the check said {said!r}"
    for cell in book.cells:
        if (
            cell.cell_type == "code"
            and drawn(cell.raw.get("outputs", []))
            and cell.raw["id"] in by_id
        ):
            assert drawn(by_id[cell.raw["id"]].outputs), f"nothing drawn by:\n{cell.source}"
