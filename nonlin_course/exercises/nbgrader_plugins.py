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

from nbgrader.api import MissingEntry
from nbgrader.plugins import ExportPlugin
from nbgrader.preprocessors import NbGraderPreprocessor
from traitlets import Dict, Float, Unicode

# the cells and config lines these plugins go with (no nbgrader needed to write them)
from .course_cells import (  # noqa: F401
    ANSWER_TIMEOUT_S,
    RUBRIC_NOTE,
    cell_timeouts,
    config,
    deleted_cell,
    exercise_of,
    rubric_cell,
)


class DropRubrics(NbGraderPreprocessor):
    """Feedback pages: the rubric cells go (the student sees their grade and comments)."""

    def preprocess(self, nb, resources):
        nb.cells = [
            c
            for c in nb.cells
            if not c.metadata.get("nbgrader", {}).get("grade_id", "").endswith("-rubric")
        ]
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
                source = gradebook.find_source_cell(
                    cell.name, info["notebook"], info["assignment"]
                ).source
                where = next(
                    (
                        i + 1
                        for i, c in enumerate(nb.cells)
                        if c.metadata.get("nbgrader", {}).get("grade_id") == exercise_of(cell.name)
                    ),
                    len(nb.cells),
                )
                nb.cells.insert(where, deleted_cell(cell.name, cell.max_score, source))
                self.log.warning(
                    "%s: restored the deleted test cell %s (scores 0)", info["student"], cell.name
                )
        return nb, resources


class ExerciseColumns(ExportPlugin):
    """CSV: student, one column per exercise, assignment totals, weighted course total."""

    to = Unicode("grades_by_exercise.csv", help="the CSV file to write").tag(config=True)
    weights = Dict(
        value_trait=Float(), help="assignment -> weight in the course total (default 1 each)"
    ).tag(config=True)
    due_dates = Dict(
        value_trait=Unicode(), help="assignment -> due date, for `tools/grade.py --due-dates`"
    ).tag(config=True)

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
                percent = (
                    100
                    * sum(weights[a] * totals[a] / top[a] for a in assignments if top[a])
                    / (sum(weights.values()) or 1)
                )
                writer.writerow(
                    [
                        student.id,
                        student.last_name or "",
                        student.first_name or "",
                        *[f"{s:g}" for s in row],
                        *[f"{totals[a]:g}" for a in assignments],
                        f"{percent:.2f}",
                    ]
                )
        self.log.info(
            "wrote %s: %d exercises, %d students", self.to, len(columns), len(gradebook.students)
        )
