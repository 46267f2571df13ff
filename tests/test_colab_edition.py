"""The Colab edition (tools/make_colab.py, colab/): fresh, free of MyST, every number in
place, solutions collapsed, checks kept as forms, one repository setting; and the site's
launch button pointing at it (book/_ext/colab_edition.py)."""
import doctest
import json
import re
from pathlib import Path

import nbformat
import pytest
from hypothesis import given, settings as hsettings, strategies as st
from nbclient import NotebookClient

from by_path import load

ROOT = Path(__file__).resolve().parents[1]
CHAPTERS = sorted(p for p in (ROOT / "book").glob("*.ipynb") if re.match(r"\d", p.name))
EDITION = ROOT / "colab"


make_colab = load("tools/make_colab.py")
colab_ext = load("book/_ext/colab_edition.py")


def text(cell) -> str:
    return "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]


def read(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def heading_level(cell) -> int | None:
    """The level of a cell that is a heading cell in Colab's sense (starts with one)."""
    match = re.match(r"(#{1,6})\s", text(cell)) if cell["cell_type"] == "markdown" else None
    return len(match.group(1)) if match else None


def collapsed_cells(nb: dict) -> set:
    """Ids of the cells Colab hides when the notebook opens: after each heading cell listed
    in ``colab.collapsed_sections``, up to the next heading of the same or a higher level."""
    hidden, open_level = set(), None
    collapsed = set(nb["metadata"]["colab"]["collapsed_sections"])
    for cell in nb["cells"]:
        level = heading_level(cell)
        if open_level is not None and level is not None and level <= open_level:
            open_level = None
        if open_level is not None:
            hidden.add(cell["id"])
        if cell["metadata"].get("id") in collapsed and open_level is None:
            open_level = level
    return hidden


def book_roles(path: Path):
    """``(role, body)`` of every glue role in the book chapter's markdown."""
    for cell in read(path)["cells"]:
        if cell["cell_type"] == "markdown":
            yield from re.findall(r"\{(glue[:\w]*)\}`([^`]+)`", text(cell))


# --- the committed edition ----------------------------------------------------------

def test_committed_edition_is_what_make_colab_writes():
    fresh = make_colab.build(CHAPTERS)
    committed = {p.name: p.read_text(encoding="utf-8") for p in EDITION.glob("*.ipynb")}
    assert sorted(committed) == sorted(fresh), "colab/ lacks or has extra chapters: make colab"
    stale = [name for name in fresh if fresh[name] != committed[name]]
    assert not stale, f"colab/ is out of date with the book for {stale}: run `make colab`"


def test_readme_links_are_what_make_colab_writes():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = make_colab.readme_block(CHAPTERS)
    assert block in readme, "README's Colab links are out of date: run `make colab`"


def test_make_colab_writes_the_edition_and_removes_a_stale_chapter(tmp_path):
    out = tmp_path / "colab"
    out.mkdir()
    (out / "09_gone.ipynb").write_text("{}")
    readme = tmp_path / "README.md"
    readme.write_text(f"intro\n{make_colab.README_START}\nold\n{make_colab.README_END}\nend\n")
    assert make_colab.main(["--out", str(out), "--readme", str(readme),
                            *map(str, CHAPTERS)]) == 0
    assert sorted(p.name for p in out.iterdir()) == [p.name for p in CHAPTERS]
    written = readme.read_text()
    assert written.startswith("intro\n") and written.endswith("\nend\n") and "old" not in written
    assert all(p.name in written for p in CHAPTERS)


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
}


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda p: p.stem)
def test_no_myst_role_or_directive_survives(chapter):
    for cell in read(EDITION / chapter.name)["cells"]:
        if cell["cell_type"] == "markdown":
            for what, pattern in MYST.items():
                assert not pattern.search(text(cell)), f"a MyST {what} in:\n{text(cell)}"


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda p: p.stem)
def test_every_glued_number_is_in_the_text(chapter):
    """Each glue role of the book appears in the edition as the saved value, formatted by
    Python's own format spec (the reference, independent of the converter)."""
    values = make_colab.glue_values(read(chapter))
    markdown = "\n".join(text(c) for c in read(EDITION / chapter.name)["cells"]
                         if c["cell_type"] == "markdown")
    needed = {}
    for role, body in book_roles(chapter):
        key, _, spec = body.rpartition(":") if ":" in body else (body, "", "")
        assert key in values, f"{{{role}}}`{body}`: nothing glued under {key!r}"
        raw = "".join(values[key]["text/plain"])
        expected = (format(float(raw), spec) if spec[-1:] in tuple("eEfFgG%")
                    else format(int(float(raw)), spec) if spec[-1:] == "d" else raw)
        needed[expected] = needed.get(expected, 0) + 1
    assert needed or "glue" not in chapter.read_text()
    for number, count in needed.items():
        assert markdown.count(number) >= count, f"{number} missing from the edition"


# --- what is in sight, what is collapsed ---------------------------------------------

def book_code_in_solutions(nb: dict) -> list:
    """For each code cell of the book: is it inside a {solution-start}...{solution-end}?"""
    inside, flags = False, []
    for cell in nb["cells"]:
        if cell["cell_type"] == "markdown":
            source = text(cell)
            if "{solution-start}" in source:
                inside = True
            if "{solution-end}" in source:
                inside = False
        elif cell["cell_type"] == "code":
            flags.append(inside)
    return flags


def strip_edition(source: str) -> str:
    source = re.sub(r"\A#@title [^\n]*\n", "", source)
    return re.sub(r"git\+\S+?\"", 'git+URL"', source)


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda p: p.stem)
def test_solutions_are_collapsed_and_the_rest_is_in_sight(chapter):
    book, edition = read(chapter), read(EDITION / chapter.name)
    hidden = collapsed_cells(edition)
    book_code = [c for c in book["cells"] if c["cell_type"] == "code"]
    code = [c for c in edition["cells"] if c["cell_type"] == "code"]
    assert [strip_edition(text(c)) for c in code] == [strip_edition(text(c)) for c in book_code]
    for cell, book_cell, in_solution in zip(code, book_code, book_code_in_solutions(book)):
        if in_solution:
            assert cell["id"] in hidden, f"solution code in sight:\n{text(cell)}"
        elif "answer-check" not in book_cell["metadata"].get("tags", []):
            assert cell["id"] not in hidden, f"collapsed, but not a solution:\n{text(cell)}"
    labels = [label for cell in book["cells"] if cell["cell_type"] == "markdown"
              for label in re.findall(r"\{solution(?:-start)?\}\s*(\S+)", text(cell))]
    assert edition["metadata"]["colab"]["collapsed_sections"] == [
        f"solution-{label}" for label in labels]
    by_id = {c["id"]: c for c in edition["cells"]}
    for label in labels:
        heading = text(by_id[f"solution-{label}"])
        assert re.match(r"#{2,6} Solution to Exercise \d+ \(", heading), heading


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda p: p.stem)
def test_exercises_are_visible_quoted_blocks_numbered_in_order(chapter):
    edition = read(EDITION / chapter.name)
    hidden = collapsed_cells(edition)
    numbers = [int(n) for c in edition["cells"] if c["cell_type"] == "markdown"
               for n in re.findall(r"^> \*\*Exercise (\d+) \(", text(c), re.MULTILINE)
               if c["id"] not in hidden]
    exercises = sum(text(c).count("{exercise}") for c in read(chapter)["cells"])
    assert numbers == list(range(1, exercises + 1))


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda p: p.stem)
def test_hidden_checks_are_titled_form_cells_and_setup_is_plain(chapter):
    for cell in read(EDITION / chapter.name)["cells"]:
        if cell["cell_type"] != "code":
            continue
        source, tags = text(cell), cell["metadata"].get("tags", [])
        asserts = re.search(r"^\s*assert\b", source, re.MULTILINE)
        if "remove-cell" in tags and (asserts or "glue" in source):
            assert cell["metadata"].get("cellView") == "form"
            title = "Check the exercise's answer" if "answer-check" in tags else (
                "Check the chapter's claims" if asserts else "Compute the numbers the text quotes")
            assert source.startswith(f"#@title {title}\n")
        else:
            assert "cellView" not in cell["metadata"] and "#@title" not in source


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda p: p.stem)
def test_first_cell_says_the_numbers_are_the_book_run(chapter):
    first = text(read(EDITION / chapter.name)["cells"][0])
    assert first.startswith("# ") and "book's own run" in first and "your run prints" in first


# --- one setting --------------------------------------------------------------------

def fork_config(tmp_path, url="https://github.com/someone/fork", branch="dev") -> Path:
    config = (ROOT / "_config.yml").read_text(encoding="utf-8")
    config = re.sub(r"(repository:\n(?:#.*\n)?\s+url: )\S+", rf"\g<1>{url}", config)
    config = re.sub(r"(\n\s+branch: )\S+", rf"\g<1>{branch}", config, count=1)
    path = tmp_path / "_config.yml"
    path.write_text(config, encoding="utf-8")
    return path


def test_install_line_and_links_follow_the_one_setting(tmp_path):
    ours = make_colab.settings()
    for nb in map(json.loads, make_colab.build(CHAPTERS).values()):
        installs = [line.strip() for c in nb["cells"] if c["cell_type"] == "code"
                    for line in text(c).splitlines() if "%pip install" in line]
        assert installs == [f'%pip install --quiet "nonlin-course[book] @ '
                            f'git+{ours["url"]}@{ours["branch"]}"']
    config = fork_config(tmp_path)
    for nb in map(json.loads, make_colab.build(CHAPTERS, config).values()):
        assert "git+https://github.com/someone/fork@dev" in json.dumps(nb)
        assert ours["url"] not in json.dumps(nb)
    block = make_colab.readme_block(CHAPTERS, config)
    assert block.count("https://colab.research.google.com/github/someone/fork/blob/dev/colab/"
                       ) == len(CHAPTERS)


@given(st.text(min_size=1, max_size=40).filter(lambda u: not u.startswith("https://github.com/")))
@hsettings(max_examples=30, deadline=None)
def test_a_repository_url_colab_cannot_open_is_refused_with_what_is_allowed(tmp_path_factory,
                                                                           url):
    config = tmp_path_factory.mktemp("cfg") / "_config.yml"
    config.write_text(json.dumps({"repository": {"url": url}}))   # JSON is YAML
    with pytest.raises(ValueError, match=r"https://github.com/<owner>/<repo>"):
        make_colab.settings(config)


# --- the converter, piece by piece -------------------------------------------------

FORMATS = st.sampled_from([".1%", ".0%", ".2f", ".3f", ".0f", ".2e", ".0e", ".3g", ",.0f"])


@given(st.floats(allow_nan=False, allow_infinity=False, width=32), FORMATS)
def test_glue_text_is_python_format_of_the_saved_value(value, spec):
    values = {"x": {"text/plain": repr(value)}}
    assert make_colab.paste_glue("glue:text", f"x:{spec}", values) == format(value, spec)
    assert make_colab.paste_glue("glue:text", "x", values) == repr(value)


def test_a_missing_or_textless_glue_value_is_an_error_naming_it():
    with pytest.raises(KeyError, match="no value glued under 'gone'"):
        make_colab.paste_glue("glue:text", "gone:.1f", {})
    with pytest.raises(ValueError, match="no text"):
        make_colab.paste_glue("glue", "img", {"img": {"image/png": "..."}})
    with pytest.raises(ValueError, match="another document"):
        make_colab.paste_glue("glue:text", "other::x:.1f", {"x": {"text/plain": "1"}})


PLAIN = st.text(st.characters(blacklist_characters="`{}$<>\\\r", blacklist_categories=["Cs"]),
                max_size=30)


@given(PLAIN, PLAIN, PLAIN)
def test_roles_are_replaced_and_code_spans_kept(before, inner, after):
    source = f"{before}{{math}}`x+{inner}` `{{glue:text}}`kept`` {after}"
    assert make_colab.convert_inline(source, {}) == f"{before}$x+{inner}$ `{{glue:text}}`kept`` {after}"


@pytest.mark.parametrize("role, body, expected", [
    ("ref", "the start <intro>", "the start"), ("ref", "sec-x", "Section X"),
    ("numref", "ex-1", "Exercise 1 (Fold)"), ("doc", "../book/02_x", "02_x"),
    ("code", "a + b", "`a + b`"), ("sub", "2", "<sub>2</sub>"), ("term", "ReLU", "ReLU"),
    ("abbr", "MLP (multi-layer perceptron)", "MLP"),
])
def test_other_roles_become_plain_text(role, body, expected):
    labels = {"sec-x": "Section X", "ex-1": "Exercise 1 (Fold)"}
    assert make_colab.convert_inline(f"{{{role}}}`{body}`", {"labels": labels}) == expected


@given(PLAIN.filter(lambda s: s.strip()), st.sampled_from(["note", "warning", "tip", "margin"]),
       st.sampled_from(["````", ":::", ":::::"]))   # fences that can hold a ``` block
def test_admonitions_become_quoted_blocks_with_nested_code_kept(body, name, fence):
    inner = "```python\nx = 1\n```"
    source = f"before\n\n{fence}{{{name}}}\n{body}\n\n{inner}\n{fence}\n\nafter"
    pieces = make_colab.convert_markdown(source, {})
    assert [p[0] for p in pieces] == ["md"]
    out = pieces[0][1]
    assert out.startswith("before\n\n> **") and out.endswith("\n\nafter")
    assert "> ```python\n> x = 1\n> ```" in out
    for pattern in MYST.values():
        assert not pattern.search(out)


def test_labels_comments_equation_labels_and_math_directives_become_markdown():
    source = ("(sec-a)=\n## A\n% a comment\n+++\n$$ x^2 $$ (eq-x)\n\n"
              "```{math}\ny = 1\n```\n\n```{admonition} Title {math}`z`\n:class: tip\nText\n```")
    out = make_colab.convert_markdown(source, {})[0][1]
    assert out == "## A\n$$ x^2 $$\n\n$$\ny = 1\n$$\n\n> **Title $z$**\n>\n> Text"


def test_exercises_are_numbered_in_order_and_their_titles_converted():
    context = {}
    source = ("```{exercise} Slope of {math}`x^2`\n:label: ex-a\n\nBody\n```\n\n"
              "```{exercise}\n:nonumber:\nOpen.\n```\n\n```{exercise} Last\nEnd.\n```")
    out = make_colab.convert_markdown(source, context)[0][1]
    assert out == ("> **Exercise 1 (Slope of $x^2$)**\n>\n> Body\n\n> **Exercise**\n>\n"
                   "> Open.\n\n> **Exercise 2 (Last)**\n>\n> End.")


def test_an_unknown_empty_directive_is_an_error_naming_it():
    with pytest.raises(ValueError, match=r"\{tableofcontents\}"):
        make_colab.convert_markdown("```{tableofcontents}\n```", {})


def fixture_notebook():
    """Both kinds of solution, text after a solution without a heading, checks, setup."""
    install = ('import sys\nif "google.colab" in sys.modules:\n    %pip install --quiet '
               '"nonlin-course[book] @ git+https://github.com/old/old"')
    cells = [
        nbformat.v4.new_markdown_cell("# 9. A chapter\n\nIntro with {glue:text}`acc:.1%`."),
        nbformat.v4.new_code_cell(install, metadata={"tags": ["hide-input"]}),
        nbformat.v4.new_code_cell("nc.setup_plots()", metadata={"tags": ["remove-cell"]}),
        nbformat.v4.new_code_cell("nc.glue_float('acc', 0.8525)", metadata={
            "tags": ["remove-cell"]}, outputs=[nbformat.v4.new_output(
                "display_data", data={"application/papermill.record/text/plain": "0.8525"},
                metadata={"scrapbook": {"name": "acc",
                                        "mime_prefix": "application/papermill.record/"}})]),
        nbformat.v4.new_markdown_cell("## Section\n\n```{exercise} Fold\n:label: ex-fold\n\n"
                                      "Do it.\n```"),
        nbformat.v4.new_markdown_cell("```{solution-start} ex-fold\n:class: dropdown\n```\n"
                                      "Secret prose."),
        nbformat.v4.new_code_cell("def fold():\n    return 'secret'"),
        nbformat.v4.new_code_cell("assert fold() == 'secret'", metadata={
            "tags": ["remove-cell"]}),
        nbformat.v4.new_markdown_cell("```{solution-end}\n```\n\nThe section goes on."),
        nbformat.v4.new_code_cell("visible = 1"),
        nbformat.v4.new_markdown_cell("```{exercise} Why\n:label: ex-why\nWhy?\n```\n\n"
                                      "````{solution} ex-why\n:class: dropdown\n\nBecause."
                                      "\n```python\nsecret_example = 1\n```\n````"),
        nbformat.v4.new_code_cell("assert why", metadata={"tags": ["remove-cell",
                                                                   "answer-check"]}),
        nbformat.v4.new_markdown_cell("## Next\n\nIn sight."),
    ]
    return json.loads(nbformat.writes(nbformat.v4.new_notebook(cells=cells)))


def test_fixture_chapter_is_converted_as_the_book_shows_it():
    setting = {"url": "https://github.com/me/course", "repo": "me/course", "branch": "b",
               "colab": make_colab.COLAB}
    nb = make_colab.convert_notebook(fixture_notebook(), "09_fixture", setting)
    cells = {c["id"]: text(c) for c in nb["cells"]}
    hidden = collapsed_cells(nb)
    sources = [text(c) for c in nb["cells"]]
    in_sight = "\n".join(text(c) for c in nb["cells"] if c["id"] not in hidden)
    out_of_sight = "\n".join(text(c) for c in nb["cells"] if c["id"] in hidden)
    assert "Intro with 85.2%." in sources[0] and "book's own run" in sources[0]
    assert 'git+https://github.com/me/course@b"' in sources[1]
    assert sources[2] == "nc.setup_plots()"
    assert sources[3].startswith("#@title Compute the numbers the text quotes\n")
    assert nb["metadata"]["colab"]["collapsed_sections"] == ["solution-ex-fold",
                                                            "solution-ex-why"]
    assert cells["solution-ex-fold"].startswith("### Solution to Exercise 1 (Fold)")
    assert cells["solution-ex-why"].startswith("### Solution to Exercise 2 (Why)")
    for secret in ["Secret prose", "return 'secret'", "assert fold()", "Because.",
                   "secret_example", "assert why"]:
        assert secret in out_of_sight and secret not in in_sight
    for seen in ["Do it.", "Why?", "The section goes on.", "visible = 1", "In sight."]:
        assert seen in in_sight
    assert "### Section (continued)" in sources


def test_an_unclosed_solution_span_is_an_error():
    nb = fixture_notebook()
    nb["cells"] = [c for c in nb["cells"] if "{solution-end}" not in text(c)]
    with pytest.raises(ValueError, match="without"):
        make_colab.convert_notebook(nb, "09", make_colab.settings())


def test_make_colab_doctests():
    assert doctest.testmod(make_colab).failed == 0


# --- the site's launch button -------------------------------------------------------

class FakeApp:
    srcdir = str(ROOT)

    class config:
        html_theme_options = {"repository_url": "https://github.com/me/course",
                              "repository_branch": "b",
                              "launch_buttons": {"colab_url": make_colab.COLAB}}
        myst_substitutions = {"kept": "mine"}


def launch_context():
    return {"header_buttons": [
        {"label": "download-buttons", "buttons": [{"text": ".ipynb", "url": "x.ipynb"}]},
        {"label": "launch-buttons", "buttons": [
            {"text": "Binder", "url": "https://mybinder.org/..."},
            {"text": "Colab", "url": "https://colab.research.google.com/github/me/course/"
                                     "blob/b/book/01_linear_is_not_enough.ipynb"}]}]}


def test_launch_button_opens_the_colab_edition_and_nothing_else_changes():
    context = launch_context()
    colab_ext.point_launch_button(FakeApp, f"book/{CHAPTERS[0].stem}", "page.html", context,
                                  None)
    expected = launch_context()
    expected["header_buttons"][1]["buttons"][1]["url"] = (
        f"https://colab.research.google.com/github/me/course/blob/b/colab/{CHAPTERS[0].name}")
    assert context == expected
    untouched = launch_context()
    colab_ext.point_launch_button(FakeApp, "book/intro", "page.html", untouched, None)
    assert untouched == launch_context()


def test_launch_url_and_substitutions_read_the_configured_repository():
    theme = {"repository_url": "https://github.com/nonlin-course/nonlin-course",
             "repository_branch": "main", "launch_buttons": {"colab_url": make_colab.COLAB}}
    ours = make_colab.settings()
    assert colab_ext.edition_url(theme, "01.ipynb") == make_colab.colab_link(ours, "01.ipynb")
    assert colab_ext.edition_url({"repository_url": "https://gitlab.com/a/b"}, "x") is None
    colab_ext.add_substitutions(FakeApp, FakeApp.config)
    subs = FakeApp.config.myst_substitutions
    assert subs["kept"] == "mine"
    assert subs["colab_01"] == (f"[open chapter 1 in Colab](https://colab.research.google.com"
                                f"/github/me/course/blob/b/colab/{CHAPTERS[0].name})")


# --- the edition runs ---------------------------------------------------------------

@pytest.mark.notebooks
@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda p: p.stem)
def test_edition_chapter_runs_with_its_checks(chapter):
    """Every cell of the edition runs in this environment, solutions, checks and all
    (lenient: outputs are not compared; the setup cell installs only inside Colab)."""
    nb = nbformat.read(EDITION / chapter.name, as_version=4)
    NotebookClient(nb, timeout=600, kernel_name="python3",
                   resources={"metadata": {"path": str(EDITION)}}).execute()
