"""The cells and the nbgrader_config.py lines the course's assignments are written with
(tools/make_assignments.py): the rubric cell under each hand-graded answer, the stand-in
for a deleted test cell, the cell time limits and the plugins' config. Plain nbformat, so
the book's own tests can write a course without nbgrader installed; the plugins that run
inside nbgrader are in :mod:`nonlin_course.exercises.nbgrader_plugins`.
"""

from nbformat.v4 import new_code_cell

ANSWER_TIMEOUT_S = 15  # an answer cell only defines a function: seconds, not minutes


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
        answer = meta.get("solution") and not meta.get("grade") and cell.get("cell_type") == "code"
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
            return grade_id[: -len(suffix)]
    return grade_id


def deleted_cell(name: str, points: float, source: str):
    """The stand-in for a deleted test cell: it fails, saying so, and scores 0."""
    message = (
        f"Not yet: this test cell ({name}) was deleted from the submitted notebook, "
        "so it scores 0. Keep every test cell: they are locked for this reason."
    )
    code = (
        "# restored by the grader: the submission had deleted this test cell\n"
        f"raise __import__('nonlin_course.exercises._common', fromlist=['_'])"
        f".CheckFailed({message!r})\n" + "".join(f"# {line}\n" for line in source.splitlines())
    )
    return new_code_cell(
        code,
        metadata={
            "nbgrader": {
                "schema_version": 3,
                "grade_id": name,
                "grade": True,
                "solution": False,
                "locked": True,
                "task": False,
                "points": points,
            }
        },
    )


RUBRIC_NOTE = "*The grader marks the answer above with a rubric.*"


def rubric_cell(grade_id: str, points: float, levels: list[tuple[float, str]], answer: str):
    """The locked rubric cell of the hand-graded answer ``grade_id``: each (points, what
    earns them) level, then the book's answer, inside nbgrader's hidden region."""
    rows = "\n".join(f"- **{p:g} of {points:g}**: {what}" for p, what in levels)
    source = (
        f"{RUBRIC_NOTE}\n\n### BEGIN HIDDEN TESTS\n**Rubric for the grader "
        f"({points:g} point{'s' * (points != 1)})**\n\n{rows}\n\n**The book's "
        f"answer**\n\n{answer}\n### END HIDDEN TESTS"
    )
    from nbformat.v4 import new_markdown_cell

    return new_markdown_cell(
        source,
        metadata={
            "nbgrader": {
                "schema_version": 3,
                "grade_id": f"{grade_id}-rubric",
                "grade": False,
                "solution": False,
                "locked": True,
                "task": False,
            }
        },
    )
