"""Write an nbgrader course directory from the chapters: their set-up and exercises only.

Usage: python -m tools.make_assignments [--out _build/assignments] [book/*.ipynb ...]
(`make assignments` installs nbgrader, the `instructor` extra, and runs this.)

Layout written under --out (the course root; run nbgrader there):
    nbgrader_config.py            course id, cell timeout, nbgrader's stubs, feedback's math
    templates/feedback/mathjax.html.j2   feedback pages without MathJax's CDN (MathML)
    source/<chapter>/<chapter>.ipynb   one assignment per chapter that has exercises

Everything comes from the chapters as they are, by their conventions:
- an ```{exercise}``` directive (with its :label:) starts an exercise;
- a code exercise has a gated solution (```{solution-start} <label>``` ... ```{solution-end}```)
  holding a code cell with nbgrader's ``### BEGIN SOLUTION`` / ``### END SOLUTION``: it
  becomes the answer cell (the starter's signature and docstring around the solution; the
  student gets the starter back, see ``starter_problem``). The code cell between the
  exercise and its solution that calls a checker (``nc.check_*``) becomes an autograded
  test cell calling the checker through ``nonlin_course.exercises.grader``, run afresh
  (``grading_call``): the verdict without a traceback, no value shown;
- an exercise with a ```{solution} <label>``` directive (or a gate without code) is a written
  one: a prediction if its title starts with "Predict", else an open question; it gets a
  manually graded answer cell, holding the book's solution between the markers (nbgrader
  replaces it with YOUR ANSWER HERE in the student's copy);
- the code an exercise needs: the earlier code cells that define the names its cells use
  (the imports, usually) and the functions or classes its statement names in backticks
  (`MyReLU`), found by reading the code; never cells tagged ``remove-cell`` or
  ``answer-check`` (hidden checks), another exercise's cells or a solution. No training
  an exercise does not need, no outputs.
The chapter is read by tools/chapter.py and its MyST rendered by tools/plain.py, as in the
Colab edition (glue roles become the values saved in the chapter's run, a missing one is an
error; directives plain headed blocks); formulas stay as $...$ for Jupyter's own MathJax,
and nbgrader's feedback pages get them as MathML (nbgrader_config.py), with no CDN.
A gated exercise ({exercise-start}) is refused with a clear error: not supported yet.
"""
import ast
import builtins
import contextlib
import copy
import datetime
import re
import sys
from dataclasses import dataclass, field

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from nonlin_course.exercises.nbgrader_plugins import config as plugins_config
from nonlin_course.exercises.nbgrader_plugins import rubric_cell
from tools.chapter import ANSWER_CHECK, ANSWERS_PREDICTION, Chapter
from tools.make_student import chapters_and_out
from tools.plain import Plain

COURSE_ID = "nonlin-course"
POINTS = {"code": 2, "predict": 1, "open": 2}
KIND_WORDS = {"code": "code, graded automatically", "predict": "prediction, graded by hand",
              "open": "open question, graded by hand"}
STUB = 'raise NotImplementedError("replace this line with your code")'
# what earns the points of a hand-graded answer (the rubric cell under it, grader's copy only)
RUBRICS = {
    "predict": [(1, "a prediction written down, with a reason that agrees with the book's "
                    "answer below (the number itself need not match)"),
                (0, "no prediction, or a reason the book's answer contradicts")],
    "open": [(2, "the book's main point below, argued in the student's own words"),
             (1, "half of it: the right direction without the reason, or a reason with a "
                 "slip in it"),
             (0, "blank, off the question, or contradicting the book's answer")],
}
HIDDEN_TAGS = {"remove-cell", ANSWER_CHECK, ANSWERS_PREDICTION}
CHECKER = re.compile(r"^check_\w+$")


# --- the chapter's exercises ---------------------------------------------------------------

@dataclass
class Exercise:
    label: str
    title: str
    text: str                     # the statement, as plain Markdown
    index: int                    # of the chapter's cell that states it
    span: range = range(0)        # a code exercise's cells between statement and solution
    kind: str = "open"            # code, predict or open
    solution_text: str = ""      # a written exercise's solution (plain Markdown)
    cells: list = field(default_factory=list)   # a code exercise's cells, in order: (role, cell)

    @property
    def points(self) -> int:
        return POINTS[self.kind]


def source_of(cell) -> str:
    return cell.source if isinstance(cell.source, str) else "".join(cell.source)


def hidden(cell) -> bool:
    return bool(HIDDEN_TAGS & set(cell.metadata.get("tags", [])))


def find_exercises(nb, name: str) -> list[Exercise]:
    """The exercises of a chapter (as tools/chapter.py reads it), in order, each with its
    kind, its cells and its statement and solution as plain Markdown."""
    chapter = Chapter.from_dict(nb, name)
    if any(True for _ in chapter.directives("exercise-start")):
        raise ValueError(f"{name}: a gated exercise ({{exercise-start}}) is not "
                         "supported; state the exercise in one {exercise} directive")
    plain = Plain(chapter)
    found = []
    for model in chapter.exercises:
        cell = chapter.cells[model.cell]
        exercise = Exercise(model.label, plain.inline_text(model.title, cell, model.block.start),
                            plain.body(model.block, cell), model.cell)
        exercise.kind = {"explain": "open"}.get(model.kind, model.kind)
        if model.kind == "code":
            end = model.gate.start
            exercise.span = range(model.cell + 1, end)
            exercise.cells = code_exercise_cells(nb.cells[model.cell + 1:end],
                                                 [nb.cells[i] for i in model.solution_cells],
                                                 f"{name}, exercise {model.label}")
        elif model.solution is not None:
            exercise.solution_text = plain.body(model.solution, chapter.cells[
                next(i for i, b in chapter.directives("solution") if b is model.solution)])
        elif model.gate is not None:
            exercise.solution_text = "\n\n".join(
                plain.markdown(chapter.cells[i]) for i in model.gate.cells
                if chapter.cells[i].cell_type == "markdown")
        found.append(exercise)
    return found


def code_exercise_cells(between, solution_cells, where: str) -> list:
    """(role, cell) pairs: each answer (solution cell), the test cells, other code as given."""
    answers = {defined_name(cell): cell for cell in solution_cells}
    cells = []
    for cell in between:
        if cell.cell_type != "code" or hidden(cell):
            continue
        code = source_of(cell)
        name = defined_name(cell)
        if name in answers:
            problem = starter_problem(code, source_of(answers[name]))
            if problem:
                raise ValueError(f"{where}: {problem}")
            cells.append(("answer", answers.pop(name)))
        elif checker_calls(code):
            cells.append(("test", cell))
        else:
            cells.append(("code", cell))
    if answers:
        raise ValueError(f"{where}: no starter cell before the solution of {sorted(answers)}")
    if not any(role == "test" for role, _ in cells):
        raise ValueError(f"{where}: no cell calling a checker (nc.check_...) after the starter")
    return cells


def defined_name(cell) -> str | None:
    """The first function or class a code cell defines."""
    try:
        tree = ast.parse(python_only(source_of(cell)))
    except SyntaxError:
        return None
    return next((s.name for s in tree.body if isinstance(s, (ast.FunctionDef, ast.ClassDef))),
                None)


def starter_problem(starter: str, solution: str) -> str | None:
    """What keeps the solution cell from giving the student the starter back, or None."""
    stubbed = re.sub(r"^(\s*)### BEGIN SOLUTION\n.*?^\s*### END SOLUTION$",
                     lambda m: m.group(1) + STUB, solution, flags=re.DOTALL | re.MULTILINE)
    if stubbed.strip() == starter.strip():
        return None
    return ("the solution cell, its marked regions replaced by the starter's "
            f"`{STUB}`, should be the starter cell; got\n{stubbed}\ninstead of\n{starter}")


def checker_calls(code: str) -> list[ast.Call]:
    """Calls of a checker (``nc.check_*(...)`` or ``check_*(...)``) in a code cell."""
    try:
        tree = ast.parse(python_only(code))
    except SyntaxError:
        return []
    calls = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if CHECKER.match(name):
                calls.append(node)
    return calls


GRADER = "nonlin_course.exercises.grader"


def grading_call(code: str) -> str:
    """The test cell's code: each checker call of ``code`` made through the grader module,
    run afresh from the package's files (an answer cell cannot rebind what it reaches)."""
    lines = ["import runpy as _runpy  # run afresh: an answer cell cannot rebind the checker"]
    for call in checker_calls(code):
        name = call.func.attr if isinstance(call.func, ast.Attribute) else call.func.id
        grade = ast.parse(f'_runpy.run_module("{GRADER}")["grade"]', mode="eval").body
        keywords = [k for k in call.keywords if k.arg != "raise_error"]
        lines.append(ast.unparse(ast.Call(grade, [ast.Constant(name), *call.args], keywords)))
    return "\n".join(lines)


# --- which earlier cells an exercise needs --------------------------------------------------

def python_only(code: str) -> str:
    """Code with IPython magics and shell escapes turned into ``pass``."""
    return re.sub(r"^(\s*)[%!].*$", r"\1pass", code, flags=re.MULTILINE)


def names_used_and_bound(code: str) -> tuple[set[str], set[str]]:
    """Names a cell reads (and does not bind itself), and names it binds at its top level."""
    tree = ast.parse(python_only(code))
    used, bound_anywhere = set(), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            (used if isinstance(node.ctx, ast.Load) else bound_anywhere).add(node.id)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            bound_anywhere.add(node.name)
        elif isinstance(node, ast.arg):
            bound_anywhere.add(node.arg)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            bound_anywhere |= {(a.asname or a.name).split(".")[0] for a in node.names}
    return used - bound_anywhere - set(dir(builtins)), top_level_bindings(tree.body)


def top_level_bindings(body) -> set[str]:
    bound = set()
    for statement in body:
        if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            bound.add(statement.name)
        elif isinstance(statement, (ast.Import, ast.ImportFrom)):
            bound |= {(a.asname or a.name).split(".")[0] for a in statement.names}
        elif isinstance(statement, (ast.Assign, ast.AnnAssign, ast.AugAssign, ast.For, ast.With)):
            targets = statement.targets if isinstance(statement, ast.Assign) else \
                [getattr(statement, "target", None)] + \
                [item.optional_vars for item in getattr(statement, "items", [])]
            bound |= {n.id for t in targets if t is not None for n in ast.walk(t)
                      if isinstance(n, ast.Name)}
        for block in ("body", "orelse", "finalbody"):
            if not isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                bound |= top_level_bindings(getattr(statement, block, []))
        for handler in getattr(statement, "handlers", []):
            bound |= top_level_bindings(handler.body)
    return bound


def needed_cells(nb, before: int, code: list[str], statement: str = "",
                 exclude=frozenset()) -> list[int]:
    """Indices of the visible code cells before ``before`` that an exercise needs, and
    those they need in turn: for each name its ``code`` reads, the last cell that binds it;
    for each function or class the ``statement`` names in backticks (`MyReLU`), the cell
    that defines it. Never a solution, a hidden cell or one in ``exclude`` (the starters
    and checks of the exercises)."""
    gated = gated_indices(nb)
    parsed = {}
    for i, cell in enumerate(nb.cells[:before]):
        if cell.cell_type == "code" and not hidden(cell) and i not in gated | exclude:
            with contextlib.suppress(SyntaxError):
                parsed[i] = names_used_and_bound(source_of(cell))
    candidates = sorted(parsed)
    wanted = set().union(*(names_used_and_bound(c)[0] for c in code))
    named = set(re.findall(r"`([A-Za-z_]\w*)`", statement))
    chosen = {i for i in candidates for name in named
              if name in defined_names(source_of(nb.cells[i]))}
    for i in chosen:
        wanted |= parsed[i][0]
    seen = set()
    while wanted - seen:
        name = (wanted - seen).pop()
        seen.add(name)
        binder = next((i for i in reversed(candidates) if name in parsed[i][1]), None)
        if binder is not None and binder not in chosen:
            chosen.add(binder)
            wanted |= parsed[binder][0]
    return sorted(chosen)


def defined_names(code: str) -> set[str]:
    """The functions and classes a cell defines at its top level."""
    return {s.name for s in ast.parse(python_only(code)).body
            if isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))}


def render_cell(chapter: Chapter, index: int) -> str:
    """Markdown cell ``index`` of ``chapter`` as plain Markdown (tools/plain.py)."""
    return Plain(chapter).markdown(chapter.cells[index])


def gated_indices(nb) -> set[int]:
    """The cells inside the chapter's gated solutions."""
    return {i for gate in Chapter.from_dict(nb, "notebook").gates for i in gate.cells}


# --- the assignment notebook --------------------------------------------------------------

def graded(cell, grade_id: str, *, solution=False, grade=False, locked=False, points=None):
    """``cell`` with nbgrader's cell metadata (schema 3)."""
    meta = {"schema_version": 3, "grade_id": grade_id, "grade": grade,
            "solution": solution, "locked": locked, "task": False}
    if grade:
        meta["points"] = points
    cell.metadata = {"nbgrader": meta}
    if cell.cell_type == "code":
        cell.outputs, cell.execution_count = [], None
    return cell


def table_cell(text: str) -> str:
    """Text for a cell of a Markdown table: its own | escaped (a title such as |x|)."""
    return text.replace("|", "\\|")


def header(title: str, exercises: list[Exercise]) -> str:
    rows = "\n".join(f"| {n}. {table_cell(e.title)} | {KIND_WORDS[e.kind]} | "
                     f"{e.points} |" for n, e in enumerate(exercises, 1))
    total = sum(e.points for e in exercises)
    return (f"# Exercises: {title}\n\n"
            "The exercises of this chapter of the course, with the set-up they need. Read the "
            "chapter first: the exercises build on it.\n\n"
            f"| Exercise | Kind | Points |\n|---|---|---|\n{rows}\n| **Total** | | **{total}** |"
            "\n\nRun the cells from the top. A code answer replaces the "
            "`raise NotImplementedError(...)` line of its cell; the test cell under it runs "
            "the exercise's checker, which says what, if anything, is still wrong (the cell "
            "fails until the answer is right; the test is the points). A written answer "
            "replaces YOUR ANSWER HERE. Before you submit: restart the kernel and run all "
            "cells (or press Validate).")


def assignment(nb, name: str) -> nbformat.NotebookNode | None:
    """The assignment notebook of chapter ``nb`` (None if it has no exercise)."""
    exercises = find_exercises(nb, name)
    if not exercises:
        return None
    first = next((source_of(c) for c in nb.cells if c.cell_type == "markdown"), "")
    title = re.sub(r"^#+\s*", "", first.split("\n")[0]).strip() or name
    cells = [graded(new_markdown_cell(header(title, exercises)), "header", locked=True)]
    emitted = set()
    exclude = {i for exercise in exercises for i in exercise.span}
    for n, exercise in enumerate(exercises, 1):
        code = [source_of(c) for _, c in exercise.cells]
        needed = [i for i in needed_cells(nb, exercise.index, code, exercise.text, exclude)
                  if i not in emitted]
        if needed:
            note = ("## Set-up\n\nFrom the chapter: the code the exercises need. Run it first."
                    if not emitted else "From the chapter: the code the next exercise builds on.")
            cells.append(graded(new_markdown_cell(note), f"setup-note-{needed[0]}", locked=True))
        for i in needed:
            emitted.add(i)
            cells.append(graded(copy.deepcopy(nb.cells[i]), f"setup-{i}", locked=True))
        cells += exercise_cells(n, exercise)
    out = new_notebook(cells=cells, metadata=copy.deepcopy(nb.metadata))
    out.metadata.pop("nonlin_course", None)
    return out


def exercise_cells(n: int, exercise: Exercise) -> list:
    label, points = exercise.label, exercise.points
    how = "graded automatically by the test cell under your answer" if exercise.kind == "code" \
        else "graded by hand: write your answer in the cell below"
    text = (f"## Exercise {n}: {exercise.title}\n\n"
            f"*{points} point{'s' * (points != 1)}, {how}.*\n\n{exercise.text}")
    if exercise.kind == "predict":
        text += ("\n\nThe cell this refers to is in the chapter: write your prediction here "
                 "first, then run the chapter to compare.")
    cells = [graded(new_markdown_cell(text), f"{label}-task", locked=True)]
    if exercise.kind != "code":
        answer = f"### BEGIN SOLUTION\n{exercise.solution_text}\n### END SOLUTION"
        cells.append(graded(new_markdown_cell(answer), label, solution=True, grade=True,
                            points=points))
        cells.append(rubric_cell(label, points, RUBRICS[exercise.kind], exercise.solution_text))
        return cells
    tests = [cell for role, cell in exercise.cells if role == "test"]
    for role, cell in exercise.cells:
        if role == "answer":
            cells.append(graded(new_code_cell(source_of(cell)), label, solution=True))
        elif role == "code":
            cells.append(graded(copy.deepcopy(cell), f"{label}-code-{len(cells)}", locked=True))
        else:
            test_id = f"{label}-test" + (f"-{tests.index(cell) + 1}" if len(tests) > 1 else "")
            share = points // len(tests) if points % len(tests) == 0 else points / len(tests)
            source = (f"# Test: {share:g} point{'s' * (share != 1)}. Run it: it says what, if "
                      "anything, is still wrong.\n" + grading_call(source_of(cell)))
            cells.append(graded(new_code_cell(source), test_id, grade=True, locked=True,
                                points=share))
    return cells


# --- the course directory -------------------------------------------------------------------

CONFIG = r'''"""nbgrader configuration of the course (written by tools/make_assignments.py)."""
import os
import re

import nbgrader
from nbconvert.preprocessors import CSSHTMLHeaderPreprocessor, Preprocessor
from nbgrader.preprocessors import GetGrades
from traitlets import Bool

c = get_config()  # noqa: F821
HERE = os.path.dirname(os.path.abspath(__file__))

c.CourseDirectory.course_id = @COURSE_ID@
# A cell of an assignment never takes longer than its whole chapter (the test cells run the
# checkers, each stopping a student's code after 5 s): twice the slowest chapter's recorded
# run on a 2-core machine, at least 60 s. nbgrader's default, 30 s, is for a quiet machine.
c.Execute.timeout = @TIMEOUT@
# the student gets the chapter's starter back: the same line replaces each solution
c.ClearSolutions.code_stub = {"python": @STUB@}
c.ClearSolutions.text_stub = "YOUR ANSWER HERE"

# Feedback without a CDN: formulas become MathML, which browsers draw themselves, and
# templates/feedback/mathjax.html.j2 stands in for nbconvert's, which loads MathJax from
# a CDN. (Students' notebooks keep $...$: Jupyter typesets it with its own MathJax.)
# $$...$$, then $...$ as Pandoc reads it: no space inside the dollars, no digit after
DISPLAY = re.compile(r"(?<!\\)\$\$(.+?)\$\$", re.DOTALL)
INLINE = re.compile(r"(?<![\\$])\$(?![\s$])((?:(?!\n\s*\n)[^$])+?)(?<!\s)\$(?!\d)")


def as_mathml(text):
    try:
        from latex2mathml.converter import convert  # the instructor extra
    except ImportError:
        return text

    def mathml(display):
        def one(match):
            try:
                return convert(match.group(1).strip(), display=display)
            except Exception:  # not LaTeX this converter knows: leave it as written
                return match.group(0)
        return one
    parts = re.split(r"(`+[^`]*`+)", text)  # never inside code
    return "".join(p if i % 2 else INLINE.sub(mathml("inline"), DISPLAY.sub(mathml("block"), p))
                   for i, p in enumerate(parts))


class MathAsMathML(Preprocessor):
    """The formulas of Markdown cells as MathML."""

    enabled = Bool(True).tag(config=True)  # nbconvert's preprocessors start disabled

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type == "markdown":
            cell.source = as_mathml(cell.source)
        return cell, resources


c.GenerateFeedback.preprocessors = [GetGrades, CSSHTMLHeaderPreprocessor, MathAsMathML]
c.HTMLExporter.extra_template_basedirs = [
    os.path.join(HERE, "templates"),
    os.path.join(os.path.dirname(nbgrader.__file__), "server_extensions", "formgrader",
                 "templates")]
'''


TERM_START = datetime.date(2027, 1, 11)   # the sample term: one assignment due each week


def due_dates(names: list[str]) -> dict[str, str]:
    """A due date per assignment, a week apart from ``TERM_START`` (edit for your term)."""
    return {name: f"{TERM_START + datetime.timedelta(weeks=i + 1)} 23:59:00 UTC"
            for i, name in enumerate(names)}


def config_text(timeout: int, assignments: list[str] = ()) -> str:
    base = (CONFIG.replace("@COURSE_ID@", repr(COURSE_ID)).replace("@TIMEOUT@", str(timeout))
            .replace("@STUB@", repr(STUB)))
    weights = {name: 1.0 for name in assignments}
    return base + plugins_config(timeout, weights, due_dates(list(assignments)))


NO_CDN_MATHJAX = """{#- nbconvert's mathjax macro, without MathJax: formulas are MathML (nbgrader_config.py) -#}
{%- macro mathjax(url="") -%}
{%- endmacro %}
"""


def cell_timeout(chapters) -> int:
    seconds = [run.get("seconds", 0) for nb in chapters
               for run in nb.metadata.get("nonlin_course", {}).get("runs", {}).values()]
    return max(60, -(-2 * int(max(seconds, default=0)) // 10) * 10)


def main(argv=None) -> int:
    paths, out = chapters_and_out(argv, __doc__.split("\n")[0], "_build/assignments")
    chapters = {path.stem: nbformat.read(path, as_version=4) for path in paths}
    templates = out / "templates" / "feedback"
    templates.mkdir(parents=True, exist_ok=True)
    (templates / "mathjax.html.j2").write_text(NO_CDN_MATHJAX)
    written = []
    for name, nb in chapters.items():
        result = assignment(nb, name)
        if result is None:
            print(f"{name}: no exercises, no assignment")
            continue
        written.append(name)
        target = out / "source" / name / f"{name}.ipynb"
        target.parent.mkdir(parents=True, exist_ok=True)
        nbformat.validate(result)
        nbformat.write(result, target)
        points = sum(c.metadata["nbgrader"].get("points", 0) for c in result.cells)
        print(f"{target}: {len(result.cells)} cells, {points:g} points, "
              f"{target.stat().st_size / 1024:.0f} KiB")
    (out / "nbgrader_config.py").write_text(config_text(cell_timeout(chapters.values()),
                                                        written))
    return 0


if __name__ == "__main__":
    sys.exit(main())
