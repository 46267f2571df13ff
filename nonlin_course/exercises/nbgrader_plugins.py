"""nbgrader plugins of the course (its nbgrader_config.py names them; they need nbgrader).

- :func:`cell_timeout`, for ``c.Execute.timeout_func``: an answer cell gets
  ``ANSWER_TIMEOUT_S``, every other cell the course's timeout. A loop at an answer cell's
  top level then costs seconds per student, not a minute.
- :class:`RestoreDeletedCells`, a sanitizing step of ``autograde``: a test cell the
  student deleted is put back, under its answer cell, as a cell that fails with a message
  (0 points, and the feedback says why) instead of an unscored "needs manual grade".
- :func:`rubric_cell` and :class:`DropRubrics`: under each hand-graded answer, a locked
  cell holds the grader's rubric (points and what earns them, the book's answer) inside
  nbgrader's hidden region, so the released notebook has only a one-line note, the
  autograded copy the formgrader shows has the whole rubric back (nbgrader restores
  locked cells from the gradebook), and feedback pages drop it again.
- :class:`ExerciseColumns`, an ``nbgrader export`` plugin: one row per student, one
  column per exercise (``<assignment>:<exercise>``, its test and written parts summed),
  each assignment's total, and the course total weighted by ``weights``, for an LMS.
"""
import csv

from nbformat.v4 import new_code_cell
from nbgrader.api import MissingEntry
from nbgrader.plugins import ExportPlugin
from nbgrader.preprocessors import NbGraderPreprocessor
from traitlets import Dict, Float, Unicode

ANSWER_TIMEOUT_S = 15   # an answer cell only defines a function: seconds, not minutes


def cell_timeouts(other: int):
    """``c.Execute.timeout_func``: ``ANSWER_TIMEOUT_S`` for an answer code cell (nbgrader's
    solution cells), ``other`` seconds for every other cell.

    >>> timeout = cell_timeouts(60)
    >>> timeout({"cell_type": "code", "metadata": {"nbgrader": {"solution": True}}})
    15
    >>> timeout({"cell_type": "code", "metadata": {}})
    60
    """
    def timeout(cell) -> int:
        meta = cell.get("metadata", {}).get("nbgrader", {})
        answer = meta.get("solution") and not meta.get("grade") \
            and cell.get("cell_type") == "code"
        return ANSWER_TIMEOUT_S if answer else other
    return timeout


def config(timeout: int, weights: dict, due_dates: dict) -> str:
    """The lines the course's nbgrader_config.py adds for these plugins (``c`` is its config):
    the cell time limits, the deleted-cell step, the export, weights and due dates."""
    return f"""
# nonlin_course's nbgrader plugins (nonlin_course/exercises/nbgrader_plugins.py): answer
# cells stop after {ANSWER_TIMEOUT_S} s (a loop at their top level), other cells after c.Execute.timeout;
# a deleted test cell is put back as a failing cell (0 points, with a message)
from nbgrader.preprocessors import (CheckCellMetadata, ClearOutput, DeduplicateIds,
                                    OverwriteCells, OverwriteKernelspec)
from nonlin_course.exercises.nbgrader_plugins import RestoreDeletedCells, cell_timeouts
c.Execute.timeout_func = cell_timeouts({timeout})
c.Autograde.sanitize_preprocessors = [ClearOutput, DeduplicateIds, OverwriteKernelspec,
                                      OverwriteCells, RestoreDeletedCells, CheckCellMetadata]
# rubric cells: hidden in the release, back in the formgrader's copy, not in feedback
from nonlin_course.exercises.nbgrader_plugins import DropRubrics
c.ClearHiddenTests.enforce_metadata = False   # the rubric's hidden region sits in a locked cell
if "preprocessors" not in c.GenerateFeedback:
    from nbconvert.preprocessors import CSSHTMLHeaderPreprocessor
    from nbgrader.preprocessors import GetGrades
    c.GenerateFeedback.preprocessors = [GetGrades, CSSHTMLHeaderPreprocessor]
c.GenerateFeedback.preprocessors = [DropRubrics, *c.GenerateFeedback.preprocessors]
# `nbgrader export`: one column per exercise, each assignment's total, the weighted percent
c.ExportApp.plugin_class = "nonlin_course.exercises.nbgrader_plugins.ExerciseColumns"
# each assignment's weight in the course total (points are scaled to percent first)
c.ExerciseColumns.weights = {weights!r}
# due dates (UTC): `python tools/grade.py --due-dates` enters them into the gradebook, and
# nbgrader's late penalty step then uses them (edit them for your term)
c.ExerciseColumns.due_dates = {due_dates!r}
"""


def exercise_of(grade_id: str) -> str:
    """The exercise a grade cell belongs to: ``ex-fold-test`` and ``ex-fold`` -> ``ex-fold``."""
    for suffix in ("-test", "-task", "-rubric"):
        if grade_id.endswith(suffix):
            return grade_id[:-len(suffix)]
    return grade_id


def deleted_cell(name: str, points: float, source: str):
    """The stand-in for a deleted test cell: it fails, saying so, and scores 0."""
    message = (f"Not yet: this test cell ({name}) was deleted from the submitted notebook, "
               "so it scores 0. Keep every test cell: they are locked for this reason.")
    code = ("# restored by the grader: the submission had deleted this test cell\n"
            f"raise __import__('nonlin_course.exercises._common', fromlist=['_'])"
            f".CheckFailed({message!r})\n" + "".join(f"# {line}\n" for line in
                                                      source.splitlines()))
    return new_code_cell(code, metadata={"nbgrader": {
        "schema_version": 3, "grade_id": name, "grade": True, "solution": False,
        "locked": True, "task": False, "points": points}})


RUBRIC_NOTE = "*The grader marks the answer above with a rubric.*"


def rubric_cell(grade_id: str, points: float, levels: list[tuple[float, str]], answer: str):
    """The locked rubric cell of the hand-graded answer ``grade_id``: each (points, what
    earns them) level, then the book's answer, inside nbgrader's hidden region."""
    rows = "\n".join(f"- **{p:g} of {points:g}**: {what}" for p, what in levels)
    source = (f"{RUBRIC_NOTE}\n\n### BEGIN HIDDEN TESTS\n**Rubric for the grader "
              f"({points:g} point{'s' * (points != 1)})**\n\n{rows}\n\n**The book's "
              f"answer**\n\n{answer}\n### END HIDDEN TESTS")
    from nbformat.v4 import new_markdown_cell
    return new_markdown_cell(source, metadata={"nbgrader": {
        "schema_version": 3, "grade_id": f"{grade_id}-rubric", "grade": False,
        "solution": False, "locked": True, "task": False}})


class DropRubrics(NbGraderPreprocessor):
    """Feedback pages: the rubric cells go (the student sees their grade and comments)."""

    def preprocess(self, nb, resources):
        nb.cells = [c for c in nb.cells if not c.metadata.get("nbgrader", {})
                    .get("grade_id", "").endswith("-rubric")]
        return nb, resources


class RestoreDeletedCells(NbGraderPreprocessor):
    """Put back every autograded test cell of the source that the submission lacks."""

    def preprocess(self, nb, resources):
        from nbgrader.api import Gradebook
        info = resources["nbgrader"]
        present = {c.metadata.get("nbgrader", {}).get("grade_id") for c in nb.cells}
        with Gradebook(info["db_url"]) as gradebook:
            notebook = gradebook.find_notebook(info["notebook"], info["assignment"])
            for cell in notebook.grade_cells:
                if cell.name in present or cell.cell_type != "code":
                    continue
                source = gradebook.find_source_cell(cell.name, info["notebook"],
                                                    info["assignment"]).source
                where = next((i + 1 for i, c in enumerate(nb.cells)
                              if c.metadata.get("nbgrader", {}).get("grade_id")
                              == exercise_of(cell.name)), len(nb.cells))
                nb.cells.insert(where, deleted_cell(cell.name, cell.max_score, source))
                self.log.warning("%s: restored the deleted test cell %s (scores 0)",
                                 info["student"], cell.name)
        return nb, resources


class ExerciseColumns(ExportPlugin):
    """CSV: student, one column per exercise, assignment totals, weighted course total."""

    to = Unicode("grades_by_exercise.csv", help="the CSV file to write").tag(config=True)
    weights = Dict(value_trait=Float(), help="assignment -> weight in the course total "
                   "(default 1 each)").tag(config=True)
    due_dates = Dict(value_trait=Unicode(), help="assignment -> due date, for "
                     "`tools/grade.py --due-dates`").tag(config=True)

    def columns(self, gradebook) -> list[tuple[str, str, dict[str, float]]]:
        """(assignment, exercise, {grade cell: max points}) in the assignments' order."""
        found = []
        for assignment in gradebook.assignments:
            for notebook in assignment.notebooks:
                exercises = {}
                for cell in notebook.grade_cells:
                    exercises.setdefault(exercise_of(cell.name), {})[cell.name] = cell.max_score
                found += [(assignment.name, ex, cells) for ex, cells in exercises.items()]
        return found

    @staticmethod
    def scores(gradebook, assignment: str, student: str) -> dict[str, float]:
        """grade cell -> score of ``student``'s submission (empty if none)."""
        try:
            submission = gradebook.find_submission(assignment, student)
        except MissingEntry:
            return {}
        return {g.name: g.score or 0.0 for nb in submission.notebooks for g in nb.grades}

    def export(self, gradebook) -> None:
        columns = self.columns(gradebook)
        assignments = list(dict.fromkeys(a for a, _, _ in columns))
        top = {a: sum(sum(c.values()) for b, _, c in columns if b == a) for a in assignments}
        weights = {a: self.weights.get(a, 1.0) for a in assignments}
        header = ["student_id", "last_name", "first_name"]
        header += [f"{a}:{ex}" for a, ex, _ in columns] + [f"{a}:total" for a in assignments]
        header += ["weighted_percent"]
        with open(self.to, "w", newline="") as out:
            writer = csv.writer(out)
            writer.writerow(header)
            for student in sorted(gradebook.students, key=lambda s: s.id):
                got = {a: self.scores(gradebook, a, student.id) for a in assignments}
                row = [sum(got[a].get(cell, 0.0) for cell in cells) for a, _, cells in columns]
                totals = {a: sum(got[a].values()) for a in assignments}
                percent = 100 * sum(weights[a] * totals[a] / top[a] for a in assignments
                                    if top[a]) / (sum(weights.values()) or 1)
                writer.writerow([student.id, student.last_name or "", student.first_name or "",
                                 *[f"{s:g}" for s in row],
                                 *[f"{totals[a]:g}" for a in assignments], f"{percent:.2f}"])
        self.log.info("wrote %s: %d exercises, %d students", self.to, len(columns),
                      len(gradebook.students))
