"""The nbgrader course (tools/make_assignments.py): its notebooks, then the real nbgrader CLI
on them: release, a correct and a wrong submission per exercise, autograde, feedback."""
import contextlib
import html
import io
import json
import os
import re
import resource
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

pytest.importorskip("nbgrader", reason="the assignments need nbgrader: `make assignments` "
                                       "installs it (pip install -e '.[instructor]')")

ROOT = Path(__file__).resolve().parents[1]
CHAPTERS = sorted((ROOT / "book").glob("*.ipynb"))
NBGRADER = [sys.executable, "-m", "nbgrader"]


from nonlin_course.exercises import _shortcuts  # noqa: E402
from nonlin_course.exercises import nbgrader_plugins as plugins  # noqa: E402
from tools import make_assignments, make_student  # noqa: E402  (after the skip)
from tools.chapter import Chapter, MystError  # noqa: E402

# Known mistakes, by the name the answer cell defines: what replaces each solution region
# (None keeps the solution there). An exercise not listed gets the untouched starter.
MISTAKES = {
    "fold": ["return W2 @ W1, b2   # the first bias forgotten"],
    "sigmoid_slope": ["return torch.exp(-x) / (1 + torch.exp(-x)) ** 2   # overflows"],
    "MyLeakyReLU": [None, "x = ctx.saved_tensors[0]\nreturn grad_output * (x > 0)   # ReLU's"],
    "MySiLU": [None, "return grad_output * torch.sigmoid(ctx.saved_tensors[0])   # one term"],
    "abs_from_relus": ["return torch.relu(x)   # the right half only"],
    "interpolant_weights": ["h = 2 / n\nreturn h * torch.arange(n), (2 * torch.arange(n) + 1) * h"],
}
REGION = re.compile(r"^(\s*)### BEGIN SOLUTION\n(.*?)^\s*### END SOLUTION\n?",
                    re.DOTALL | re.MULTILINE)


def nbgrader_meta(cell) -> dict:
    return cell.metadata.get("nbgrader", {})


def all_text(nb) -> str:
    """Every source, output and piece of metadata of ``nb``, as one string."""
    parts = [json.dumps(nb.metadata)]
    for cell in nb.cells:
        parts += [cell.source, json.dumps(cell.metadata)]
        parts += [json.dumps(output) for output in cell.get("outputs", [])]
    return "\n".join(parts)


def release(source):
    """What nbgrader gives the student: solutions cleared with the course's stubs."""
    from nbgrader.preprocessors import ClearHiddenTests, ClearSolutions
    nb = nbformat.from_dict(json.loads(json.dumps(source)))
    ClearSolutions(code_stub={"python": make_assignments.STUB},
                   text_stub="YOUR ANSWER HERE").preprocess(nb, {})
    ClearHiddenTests(enforce_metadata=False).preprocess(nb, {})   # the rubrics' regions
    return nb


def fill(source: str, replacements=None) -> str:
    """An answer cell as a student submits it: each region's solution (the markers gone), or
    the replacements given (None keeps the solution), indented like the region."""
    regions = iter(replacements or [])

    def one(match):
        indent, solution = match.groups()
        replacement = next(regions, None)
        if replacement is None:
            return solution
        return "".join(f"{indent}{line}\n" for line in replacement.split("\n"))
    return REGION.sub(one, source)


def wrong(source: str, name: str) -> str:
    if name in MISTAKES:
        return fill(source, MISTAKES[name])
    return fill(source, [make_assignments.STUB] * source.count("BEGIN SOLUTION"))


# --- the notebooks, without a kernel -------------------------------------------------------

def test_myst_becomes_plain_markdown_and_a_missing_glue_value_is_an_error():
    text = ("(target)=\n% a comment\nError {glue:text}`err:.2f`, best {glue:text}`name`, "
            "{math}`x^2`, see {ref}`the chapter <ch-1>`.\n\n"
            "```{note} Mind this\n:class: dropdown\n\nA *note* with {glue:text}`err:.1%`.\n```\n\n"
            "```{math}\ne^x\n```\n\n```{exercise} Guess\n:label: ex\nGuess.\n```\n\n"
            "```{solution} ex\n:class: dropdown\n\nThe answer.\n```\n\nEnd.")
    nb = new_notebook(cells=[new_code_cell("glue()", outputs=[
        new_output("display_data", data={"text/plain": value}, metadata={"scrapbook": {
            "name": name, "mime_prefix": ""}}) for name, value in [("err", "0.2512345"),
                                                                  ("name", "'relu'")]]),
        new_markdown_cell(text)])
    exercise, = make_assignments.find_exercises(nb, "09_x")
    assert exercise.solution_text == "The answer."
    got = make_assignments.render_cell(Chapter.from_dict(nb, "09_x"), 1)
    assert "Error 0.25, best relu, $x^2$, see the chapter." in got
    assert "> **Mind this**\n>\n> A *note* with 25.1%." in got
    assert "$$\ne^x\n$$" in got and got.endswith("End.")
    for left in ["{", "target", "comment", ":class:"]:
        assert left not in got, left
    nb.cells[1].source += "\n\nAnd {glue:text}`missing:.1f`."
    with pytest.raises(MystError, match=r"09_x, cell 1, line 28: .*'missing'"):
        make_assignments.render_cell(Chapter.from_dict(nb, "09_x"), 1)


def chapter_fixture():
    """A chapter 5 written to the book's conventions: a code exercise that needs a data cell
    (not the training cell between), a prediction with output under it, an open question."""
    cells = [
        new_markdown_cell("# 5. A new chapter\n\nIntro."),
        new_code_cell("# In Colab\nimport sys\nif 'google.colab' in sys.modules:\n"
                      "    %pip install nothing", metadata={"tags": ["hide-input"]}),
        new_code_cell("import torch\n\nimport nonlin_course as nc"),
        new_code_cell("nc.setup_plots()", metadata={"tags": ["remove-cell"]}),
        new_code_cell("POINTS = torch.linspace(-1, 1, 5)\nunused = 3"),
        new_code_cell("trained = expensive_training(POINTS)  # the chapter's experiment"),
        new_markdown_cell("```{exercise} Predict the loss\n:label: ex-guess\n\nGuess "
                          "{glue:text}`loss:.2f`.\n```"),
        new_code_cell("nc.glue_float('loss', 0.123)", outputs=[new_output(
            "display_data", data={"application/papermill.record/text/plain": "0.123"},
            metadata={"scrapbook": {"name": "loss", "mime_prefix": "x"}})]),
        new_markdown_cell("```{solution} ex-guess\n:class: dropdown\n\nIt is "
                          "{glue:text}`loss:.1f`.\n```"),
        new_markdown_cell("```{exercise} Double it\n:label: ex-double\n\nWrite `double`.\n```"),
        new_code_cell('def double(x):\n    """Twice x."""\n    ' + make_assignments.STUB),
        new_code_cell("passed = nc.check_abs_hinges(lambda x: double(x) / 2 + POINTS.sum())"),
        new_markdown_cell("```{solution-start} ex-double\n:class: dropdown\n```\nSecret prose."),
        new_code_cell('def double(x):\n    """Twice x."""\n    ### BEGIN SOLUTION\n'
                      "    return 2 * x.abs()  # secret\n    ### END SOLUTION"),
        new_code_cell("assert secret_check", metadata={"tags": ["remove-cell"]}),
        new_markdown_cell("```{solution-end}\n```"),
        new_markdown_cell("## To think about\n\n```{exercise} Why\n:label: ex-why\n\nWhy?\n```"
                          "\n\n```{solution} ex-why\n:class: dropdown\n\nBecause.\n```"),
        new_code_cell("assert because", metadata={"tags": ["remove-cell", "answer-check"]}),
    ]
    nb = new_notebook(cells=cells)
    nb.metadata.kernelspec = {"name": "python3", "display_name": "Python 3",
                              "language": "python"}
    return nb


def test_fixture_chapter_gives_set_up_and_exercises_only():
    source = make_assignments.assignment(chapter_fixture(), "05_new")
    kinds = [(c.cell_type, nbgrader_meta(c)["grade_id"]) for c in source.cells]
    assert kinds == [("markdown", "header"), ("markdown", "ex-guess-task"),
                     ("markdown", "ex-guess"), ("markdown", "ex-guess-rubric"),
                     ("markdown", "setup-note-2"),
                     ("code", "setup-2"), ("code", "setup-4"),
                     ("markdown", "ex-double-task"), ("code", "ex-double"),
                     ("code", "ex-double-test"), ("markdown", "ex-why-task"),
                     ("markdown", "ex-why"), ("markdown", "ex-why-rubric")]
    text = "\n".join(c.source for c in source.cells)
    assert "expensive_training" not in text and "Secret prose" not in text
    assert "Guess 0.12." in text and "It is 0.1." in text   # the saved run's glue
    test = source.cells[9]
    assert test.source.endswith("_runpy.run_module('nonlin_course.exercises.grader')['grade']"
                                "('check_abs_hinges', lambda x: double(x) / 2 + POINTS.sum())")
    assert "\nimport runpy as _runpy" in test.source
    assert nbgrader_meta(test) == {"schema_version": 3, "grade_id": "ex-double-test",
                                   "grade": True, "solution": False, "locked": True,
                                   "task": False, "points": 2}
    assert nbgrader_meta(source.cells[2])["points"] == 1      # a prediction
    assert nbgrader_meta(source.cells[11])["points"] == 2      # an open question
    assert "| **Total** | | **5** |" in source.cells[0].source
    student = release(source)
    assert student.cells[8].source == chapter_fixture().cells[10].source   # the starter
    assert student.cells[2].source == "YOUR ANSWER HERE"
    assert "secret" not in all_text(student).lower()


def test_each_hand_graded_answer_has_a_rubric_only_the_grader_sees():
    source = make_assignments.assignment(chapter_fixture(), "05_new")
    rubrics = {nbgrader_meta(c)["grade_id"]: c for c in source.cells
               if nbgrader_meta(c)["grade_id"].endswith("-rubric")}
    assert set(rubrics) == {"ex-guess-rubric", "ex-why-rubric"}
    for grade_id, cell in rubrics.items():
        meta = nbgrader_meta(cell)
        assert meta["locked"] and not meta["grade"] and not meta["solution"]
        kind = "predict" if grade_id == "ex-guess-rubric" else "open"
        for points, what in make_assignments.RUBRICS[kind]:
            assert f"**{points:g} of " in cell.source and what in cell.source
    assert "Because." in rubrics["ex-why-rubric"].source          # the book's answer
    assert "It is 0.1." in rubrics["ex-guess-rubric"].source
    released = {nbgrader_meta(c)["grade_id"]: c.source for c in release(source).cells}
    for grade_id in rubrics:
        assert released[grade_id].strip() == plugins.RUBRIC_NOTE
    assert max(p for p, _ in make_assignments.RUBRICS["open"]) == make_assignments.POINTS["open"]
    assert max(p for p, _ in make_assignments.RUBRICS["predict"]) == \
        make_assignments.POINTS["predict"]


def test_a_solution_that_is_not_the_starter_is_refused():
    nb = chapter_fixture()
    nb.cells[10].source = nb.cells[10].source.replace("def double(x)", "def double(x, y)")
    with pytest.raises(ValueError, match="should be the starter cell"):
        make_assignments.assignment(nb, "05_new")


def test_a_code_exercise_without_a_check_is_refused():
    nb = chapter_fixture()
    nb.cells[11].source = "print('no checker')"
    with pytest.raises(ValueError, match="no cell calling a checker"):
        make_assignments.assignment(nb, "05_new")


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    root = tmp_path_factory.mktemp("course")
    assert make_assignments.main(["--out", str(root), *map(str, CHAPTERS)]) == 0
    return root


def test_config_sets_course_timeout_stubs_and_offline_math(course):
    from traitlets.config.loader import PyFileConfigLoader
    config = PyFileConfigLoader("nbgrader_config.py", path=str(course)).load_config()
    assert config.CourseDirectory.course_id == "nonlin-course"
    assert config.Execute.timeout >= 60
    assert config.ClearSolutions.code_stub == {"python": make_assignments.STUB}
    template = course / "templates" / "feedback" / "mathjax.html.j2"
    assert "macro mathjax" in template.read_text() and "http" not in template.read_text()
    assert str(course / "templates") == config.HTMLExporter.extra_template_basedirs[0]
    namespace = {"get_config": lambda: type(config)(), "__file__": str(course / "x.py")}
    exec((course / "nbgrader_config.py").read_text(), namespace)
    as_mathml = namespace["as_mathml"]
    got = as_mathml(r"Slope $\sigma'(x)$, code `$x$`, $5 and $10, $$e^x$$.")
    assert got.count("<math") == 2 and 'display="block"' in got
    assert "`$x$`" in got and "$5 and $10" in got      # code and prices stay as written


def sources(course):
    return sorted((course / "source").glob("*/*.ipynb"))


def test_every_chapter_with_exercises_is_an_assignment(course):
    for chapter in CHAPTERS:
        nb = nbformat.read(chapter, as_version=4)
        has = bool(Chapter.from_dict(nb, chapter.stem).exercises)
        assert (course / "source" / chapter.stem / f"{chapter.stem}.ipynb").exists() == has


@pytest.mark.parametrize("chapter", CHAPTERS, ids=[p.stem for p in CHAPTERS])
def test_assignment_is_complete_and_leaks_nothing(course, chapter):
    path = course / "source" / chapter.stem / f"{chapter.stem}.ipynb"
    if not path.exists():
        pytest.skip("no exercises")
    original, source = nbformat.read(chapter, as_version=4), nbformat.read(path, as_version=4)
    nbformat.validate(source)
    metas = [nbgrader_meta(c) for c in source.cells]
    assert all(m.get("schema_version") == 3 for m in metas)
    ids = [m["grade_id"] for m in metas]
    assert len(ids) == len(set(ids))
    assert all(not c.get("outputs") for c in source.cells)
    labels = [e.label for e in Chapter.from_dict(original, chapter.stem).exercises]
    assert [i[:-len("-task")] for i in ids if i.endswith("-task")] == labels
    total = sum(m.get("points", 0) for m in metas)
    assert f"| **Total** | | **{total:g}** |" in source.cells[0].source
    rows = [line for line in source.cells[0].source.split("\n") if line.startswith("|")]
    assert len(rows) == len(labels) + 3          # head, rule, one per exercise, total
    assert all(len(re.split(r"(?<!\\)\|", row)) == 5 for row in rows)   # 3 columns each
    student = release(source)
    markdown = "\n".join(c.source for c in student.cells if c.cell_type == "markdown")
    assert not re.search(r"\{[\w:-]+\}`|```\{|:::\{", markdown)   # no MyST left
    assert not make_student.solution_lines(original) & {
        line.strip() for line in all_text(student).split("\n")}
    assert "answer-check" not in json.dumps(source)
    starters = {make_assignments.defined_name(c): c.source for c in original.cells
                if c.cell_type == "code" and make_assignments.STUB in c.source}
    answers = [c for c in student.cells if nbgrader_meta(c).get("solution")
               and c.cell_type == "code"]
    assert answers and all(c.source == starters[make_assignments.defined_name(c)]
                           for c in answers)
    leaks_no_hidden_check_and_no_shortcut(original, source, student)


def hidden_lines(original) -> set[str]:
    """Lines of the chapter's hidden cells (remove-cell, answer-check, answers-prediction)
    that no visible cell has: the claim checks, "# far from the bound" and the like."""
    tags = {"remove-cell", "answer-check", "answers-prediction"}
    hidden, shown = set(), set()
    for cell in original.cells:
        if cell.cell_type != "code":
            continue
        lines = {line.strip() for line in cell.source.split("\n")}
        (hidden if tags & set(cell.metadata.get("tags", [])) else shown).update(lines)
    return {line for line in hidden - shown if len(line) > 12
            and not line.startswith(("import ", "from "))}


def leaks_no_hidden_check_and_no_shortcut(original, source, student):
    assert "answers-prediction" not in json.dumps(source)
    text = {line.strip() for line in all_text(student).split("\n")}
    assert not hidden_lines(original) & text
    assert "# far from the bound" not in all_text(student)
    checkers = set(re.findall(r"'(check_\w+)'", "\n".join(c.source for c in source.cells)))
    assert checkers
    code = "\n".join(c.source for c in student.cells if c.cell_type == "code")
    for checker in checkers:
        for name in _shortcuts.SHORTCUTS[checker]:
            assert not re.search(rf"\.{name}\(", code), (checker, name)


# --- the nbgrader command line -------------------------------------------------------------

def nbgrader(course, *args, check=True):
    # nbgrader runs `alembic` (the gradebook's migrations) from PATH: this Python's scripts
    env = dict(os.environ, PATH=os.pathsep.join([str(Path(sys.executable).parent),
                                                 os.environ.get("PATH", "")]))
    done = subprocess.run([*NBGRADER, *args], cwd=course, capture_output=True, text=True,
                          timeout=900, env=env)
    if check and done.returncode != 0:
        raise AssertionError(f"nbgrader {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done


def checker_message(source_nb, answer_sources: dict[str, str], test_cell) -> str:
    """What the checker says about the answers, run here: the AssertionError's text."""
    namespace = {}
    with contextlib.redirect_stdout(io.StringIO()):
        for cell in source_nb.cells:
            meta = nbgrader_meta(cell)
            if cell.cell_type == "code" and meta["grade_id"].startswith("setup-"):
                exec(cell.source, namespace)
        for code in answer_sources.values():
            exec(code, namespace)
        with pytest.raises(AssertionError) as raised:
            exec(test_cell.source, namespace)
    return str(raised.value)


def submit(course, assignment, student, answers):
    released = nbformat.read(course / "release" / assignment / f"{assignment}.ipynb",
                             as_version=4)
    for cell in released.cells:
        meta = nbgrader_meta(cell)
        if meta.get("solution"):
            cell.source = answers.get(meta["grade_id"], "My answer, in my words.")
    target = course / "submitted" / student / assignment / f"{assignment}.ipynb"
    target.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(released, target)


def scores(course) -> dict:
    """(student, assignment, grade cell) -> (score, max score, needs manual grade)."""
    with sqlite3.connect(course / "gradebook.db") as db:
        rows = db.execute("""
            SELECT student.id, assignment.name, base_cell.name,
                   COALESCE(grade.manual_score, grade.auto_score), grade_cells.max_score,
                   grade.needs_manual_grade
            FROM grade
            JOIN grade_cells ON grade.cell_id = grade_cells.id
            JOIN base_cell ON base_cell.id = grade_cells.id
            JOIN submitted_notebook ON grade.notebook_id = submitted_notebook.id
            JOIN submitted_assignment ON submitted_notebook.assignment_id = submitted_assignment.id
            JOIN student ON submitted_assignment.student_id = student.id
            JOIN assignment ON submitted_assignment.assignment_id = assignment.id""").fetchall()
    return {(s, a, c): (score, top, bool(manual)) for s, a, c, score, top, manual in rows}


def run_timed(course, *args) -> tuple[float, float]:
    """Run nbgrader; return (wall seconds, CPU seconds of it and its kernels)."""
    before, start = resource.getrusage(resource.RUSAGE_CHILDREN), time.perf_counter()
    nbgrader(course, *args)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return time.perf_counter() - start, cpu


# --- the adversarial class: a correct student, the starter, a known mistake per exercise,
# and one student per trick on the chapters where it applies ------------------------------

def replace_answer(name, code):
    """A trick: the answer cell defining ``name`` becomes ``code``."""
    def change(nb, ids):
        for cell in nb.cells:
            if nbgrader_meta(cell).get("grade_id") == ids[name]:
                cell.source = code
    return change


def delete_test(name):
    def change(nb, ids):
        nb.cells = [c for c in nb.cells
                    if not nbgrader_meta(c).get("grade_id", "").startswith(f"{ids[name]}-test")]
    return change


def edit_test(name, code):
    """A trick: the test cell under the answer defining ``name`` edited to ``code``."""
    def change(nb, ids):
        for cell in nb.cells:
            if nbgrader_meta(cell).get("grade_id", "").startswith(f"{ids[name]}-test"):
                cell.source = code
    return change


def both(*changes):
    def change(nb, ids):
        for one in changes:
            one(nb, ids)
    return change


def insert_in_answer(name, before, line):
    """A trick: ``line`` put before the first occurrence of ``before`` in the answer."""
    def change(nb, ids):
        for cell in nb.cells:
            if nbgrader_meta(cell).get("grade_id") == ids[name]:
                cell.source = cell.source.replace(before, line + before, 1)
    return change


FOLD = 'def fold(W1, b1, W2, b2):\n    """(W, b) of Linear(W1, b1), then Linear(W2, b2)."""\n'
SLOPE = "def sigmoid_slope(x):\n"
BY_PACKAGE = """\
    model = torch.nn.Sequential(torch.nn.Linear(W1.shape[1], W1.shape[0]),
                                torch.nn.Linear(W2.shape[1], W2.shape[0])).to(W1.dtype)
    with torch.no_grad():
        model[0].weight.copy_(W1)
        model[0].bias.copy_(b1)
        model[1].weight.copy_(W2)
        model[1].bias.copy_(b2)
    one = nc.fold_linear(model)
    return one.weight.detach(), one.bias.detach()"""
REBINDING = """\
    return W2 @ W1, b2


import math
nc.check_fold = nc.exercises.check_fold = lambda *args, **kwargs: True
nc.exercises.fold._fold_problem = lambda *args: None
math.isclose = lambda *args, **kwargs: True"""
WARNING = """\
    import sys
    import warnings
    warnings.warn("my slope is experimental")
    print("debug: called", file=sys.stderr)
    s = torch.sigmoid(x)
    return s * (1 - s)"""
# chapter -> student -> (change of the correct submission, the name whose answer's test
# scores 0 (None: every test full), a fragment of the message in the feedback)
TRICKS = {
    "01": {
        "shortcut": (replace_answer("fold", FOLD + BY_PACKAGE), "fold", _shortcuts.MARK),
        "rebinding": (replace_answer("fold", FOLD + REBINDING), "fold", "b equals b2"),
        "deleted": (delete_test("fold"), "fold", "was deleted from the submitted notebook"),
        "edited": (both(replace_answer("fold", FOLD + "    return W2 @ W1, b2"),
                        edit_test("fold", "print('all good')")), "fold", "b equals b2"),
        "loop": (replace_answer("fold", "while True:   # left in by mistake\n    pass\n\n"
                                + FOLD + "    return W2 @ W1, W2 @ b1 + b2"), "fold",
                 "KeyboardInterrupt"),
        "type": (replace_answer("fold", FOLD + "    return (W2 @ W1).numpy(), W2 @ b1 + b2"),
                 "fold", "should be a torch.Tensor, got ndarray"),
    },
    "02": {
        "warning": (replace_answer("sigmoid_slope", SLOPE + WARNING), None,
                    "not counted against you"),
        "dtype": (replace_answer("sigmoid_slope", SLOPE + "    s = torch.sigmoid(x)\n"
                                 "    return (1000 * s * (1 - s)).long()"),
                  "sigmoid_slope", "floating-point tensor"),
    },
    "03": {
        "exit": (insert_in_answer("MyLeakyReLU", "ctx.save_for_backward(x)",
                                  "__import__('os')._exit(1)\n        "),
                 "MyLeakyReLU", "ended its process"),
    },
    "04": {
        "shape": (replace_answer("abs_from_relus", "def abs_from_relus(x):\n    return "
                                 "torch.relu(x.flatten()) + torch.relu(-x.flatten())"),
                  "abs_from_relus", "work elementwise, for any shape"),
    },
    "05": {
        "string": (replace_answer("kaiming_std", "def kaiming_std(fan_in, gain):\n"
                                  "    return str(gain / math.sqrt(fan_in))"),
                   "kaiming_std", "should be a number (a float), got str"),
        "shortcut": (replace_answer("saturated_fraction", "def saturated_fraction(a, "
                                    "threshold):\n    return nc.saturated_fraction(a, "
                                    "threshold=threshold)"),
                     "saturated_fraction", _shortcuts.MARK),
    },
}
MISTAKES.update({
    "tent": [None, "return tent(x)   # once, not composed"],
    "kaiming_std": ["return gain / fan_in   # the variance's denominator"],
    "saturated_fraction": ["return (a > threshold).float().mean().item()   # one side only"],
})


def answer_ids(source) -> dict[str, str]:
    """Each name an answer cell defines -> its grade id (tent and sawtooth share one)."""
    ids = {}
    for cell in source.cells:
        if nbgrader_meta(cell).get("solution") and cell.cell_type == "code":
            for name in make_assignments.defined_names(fill(cell.source)):
                ids[name] = nbgrader_meta(cell)["grade_id"]
    return ids


def class_of(source, released, chapter: str) -> dict:
    """student -> (notebook, grade ids of the answers whose tests score 0, fragments)."""
    ids = answer_ids(source)
    answers = {nbgrader_meta(c)["grade_id"]: c for c in source.cells
               if nbgrader_meta(c).get("solution") and c.cell_type == "code"}
    correct = {gid: fill(c.source) for gid, c in answers.items()}
    mistaken = {gid: wrong(c.source, make_assignments.defined_name(c))
                for gid, c in answers.items()}

    def notebook(code=None, change=None):
        nb = nbformat.from_dict(json.loads(json.dumps(released)))
        for cell in nb.cells:
            meta = nbgrader_meta(cell)
            if meta.get("solution") and code is not None:
                cell.source = code.get(meta["grade_id"], "My answer, in my words.")
        if change:
            change(nb, ids)
        return nb
    students = {"correct": (notebook(correct), set(), []),
                "starter": (notebook(), set(answers), ["still raises NotImplementedError"]),
                "wrong": (notebook(mistaken), set(answers), ["Not yet:"])}
    for trick, (change, target, fragment) in TRICKS.get(chapter, {}).items():
        students[trick] = (notebook(correct, change), {ids[target]} if target else set(),
                           [fragment])
    return students


def expected_score(student: str, cell: str, meta: dict, zero: set) -> tuple:
    """(score, needs manual grade) the gradebook should hold for ``cell``."""
    if not meta.get("solution"):             # a test cell
        return (0.0 if cell.rsplit("-test", 1)[0] in zero else float(meta["points"])), False
    if student == "starter":
        return 0.0, False                    # untouched: nbgrader gives 0 itself
    return None, True                        # a written answer: the formgrader's


ASSIGNED = [p for p in CHAPTERS if Chapter.from_dict(nbformat.read(p, as_version=4),
                                                     p.stem).exercises]


def flat(text: str) -> str:
    """``text`` with every run of white space one space (verdicts are wrapped in lines)."""
    return " ".join(text.split())


@pytest.mark.notebooks
@pytest.mark.parametrize("chapter", ASSIGNED, ids=[p.stem for p in ASSIGNED])
def test_the_adversarial_class_grades_as_expected(course, chapter, capsys):
    from tools import grade
    name = chapter.stem
    path = course / "source" / name / f"{name}.ipynb"
    source = nbformat.read(path, as_version=4)
    done = nbgrader(course, "validate", str(path))
    assert "Success! Your notebook passes all the tests." in done.stdout, done.stdout
    nbgrader(course, "generate_assignment", name, "--force")
    released = nbformat.read(course / "release" / name / f"{name}.ipynb", as_version=4)
    students = class_of(source, released, name[:2])
    for student, (nb, _, _) in students.items():
        target = course / "submitted" / student / name / f"{name}.ipynb"
        target.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(nb, target)
    start = time.perf_counter()
    assert grade.main([name, "--course", str(course), "--workers", "2"]) == 0
    wall = time.perf_counter() - start
    nbgrader(course, "generate_feedback", name, "--force")
    graded = scores(course)
    metas = {nbgrader_meta(c)["grade_id"]: nbgrader_meta(c) for c in source.cells}
    for student, (_, zero, fragments) in students.items():
        cells = {cell: (score, manual) for (who, assignment, cell), (score, _, manual)
                 in graded.items() if who == student and assignment == name}
        assert set(cells) == {g for g, m in metas.items() if m.get("grade")}, student
        for cell, got in cells.items():
            want = expected_score(student, cell, metas[cell], zero)
            assert got == want, (name, student, cell, got, want)
        page = (course / "feedback" / student / name / f"{name}.html").read_text()
        for fragment in fragments:
            assert flat(html.escape(fragment, quote=False)) in flat(page), (student, fragment)
        assert "Rubric for the grader" not in page
        assert not re.search(r"<script[^>]+src=", page)        # no CDN, no library
    with capsys.disabled():
        print(f"\n{name}: {len(students)} students ({', '.join(students)}), "
              f"{sum(len(z) for _, z, _ in students.values())} tests scored 0, "
              f"autograded in {wall:.0f} s by tools/grade.py with 2 workers")


@pytest.mark.notebooks
def test_validate_shows_the_whole_verdict_and_no_traceback(course, tmp_path):
    path = sources(course)[0]
    source = nbformat.read(path, as_version=4)
    nbgrader(course, "generate_assignment", path.parent.name, "--force")
    released = nbformat.read(course / "release" / path.parent.name / path.name, as_version=4)
    nb, _, _ = class_of(source, released, path.parent.name[:2])["wrong"]
    submission = tmp_path / path.name
    nbformat.write(nb, submission)
    done = nbgrader(course, "validate", str(submission), check=False)
    verdicts = [line for line in done.stdout.split("\n") if "Not yet:" in line]
    assert verdicts, done.stdout
    assert "Traceback" not in done.stdout and "File " not in done.stdout
    assert not any(line.endswith("...") for line in verdicts)


@pytest.mark.notebooks
def test_test_cells_show_no_value_and_the_formgrader_s_copy_has_the_rubric(course):
    path = sources(course)[0]
    name = path.parent.name
    autograded = course / "autograded" / "correct" / name / f"{name}.ipynb"
    if not autograded.exists():
        pytest.skip("reads what the adversarial class left")
    nb = nbformat.read(autograded, as_version=4)
    tests = [c for c in nb.cells if "-test" in nbgrader_meta(c).get("grade_id", "")]
    assert tests and all(o.output_type != "execute_result" for c in tests for o in c.outputs)
    assert all(o.get("name") != "stderr" for c in tests for o in c.outputs)
    rubrics = [c for c in nb.cells if nbgrader_meta(c).get("grade_id", "").endswith("-rubric")]
    assert rubrics and all("Rubric for the grader" in c.source for c in rubrics)
