"""tools/grade.py (parallel autograding) and the course's nbgrader plugins
(nonlin_course/exercises/nbgrader_plugins.py), with the real nbgrader CLI."""
import csv
import json
import re
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest

pytest.importorskip("nbgrader", reason="grading needs nbgrader: pip install -e '.[instructor]'")

from nonlin_course.exercises import nbgrader_plugins as plugins  # noqa: E402
from tools import grade, make_assignments  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
CHAPTER = ROOT / "book" / "01_linear_is_not_enough.ipynb"
NAME = CHAPTER.stem
REGION = re.compile(r"^(\s*)### BEGIN SOLUTION\n(.*?)^\s*### END SOLUTION\n?",
                    re.DOTALL | re.MULTILINE)


def test_students_are_dealt_round_robin_and_no_worker_is_idle():
    assert grade.deal(list("abcde"), 2) == [["a", "c", "e"], ["b", "d"]]
    assert grade.deal(list("ab"), 8) == [["a"], ["b"]]
    assert grade.deal([], 4) == []


def test_the_command_line_refuses_bad_settings(tmp_path, capsys):
    with pytest.raises(SystemExit):
        grade.main([NAME, "--course", str(tmp_path)])
    assert "no nbgrader_config.py" in capsys.readouterr().err
    (tmp_path / "nbgrader_config.py").write_text("")
    with pytest.raises(SystemExit):
        grade.main([NAME, "--course", str(tmp_path), "--workers", "0"])
    assert "--workers must be at least 1" in capsys.readouterr().err


def test_exercise_of_groups_a_test_with_its_answer():
    assert plugins.exercise_of("ex-fold-test") == plugins.exercise_of("ex-fold") == "ex-fold"
    assert plugins.exercise_of("ex-why-rubric") == "ex-why"


def scores(course: Path) -> dict:
    """(student, grade cell) -> (score, needs manual grade), from the gradebook."""
    with sqlite3.connect(course / "gradebook.db") as db:
        rows = db.execute("""
            SELECT student.id, base_cell.name, COALESCE(grade.manual_score, grade.auto_score),
                   grade.needs_manual_grade
            FROM grade
            JOIN grade_cells ON grade.cell_id = grade_cells.id
            JOIN base_cell ON base_cell.id = grade_cells.id
            JOIN submitted_notebook ON grade.notebook_id = submitted_notebook.id
            JOIN submitted_assignment ON submitted_notebook.assignment_id = submitted_assignment.id
            JOIN student ON submitted_assignment.student_id = student.id""").fetchall()
    return {(s, c): (score, bool(manual)) for s, c, score, manual in rows}


def submissions(course: Path) -> dict[str, nbformat.NotebookNode]:
    """A correct student, the starter, one who deleted the test cell, one with a mistake."""
    source = nbformat.read(course / "source" / NAME / f"{NAME}.ipynb", as_version=4)
    released = nbformat.read(course / "release" / NAME / f"{NAME}.ipynb", as_version=4)
    answers = {c.metadata.nbgrader.grade_id: REGION.sub(lambda m: m.group(2), c.source)
               for c in source.cells if c.metadata.nbgrader.get("solution")}

    def answered(change=None):
        nb = nbformat.from_dict(json.loads(json.dumps(released)))
        for cell in nb.cells:
            if cell.metadata.get("nbgrader", {}).get("solution"):
                cell.source = answers[cell.metadata.nbgrader.grade_id]
        return change(nb) or nb if change else nb

    def delete_test(nb):
        nb.cells = [c for c in nb.cells if not c.metadata.get("nbgrader", {})
                    .get("grade_id", "").endswith("-test")]

    def mistake(nb):
        for cell in nb.cells:
            if "def fold" in cell.source:
                cell.source = cell.source.replace("W2 @ b1 + b2", "b2")
    return {"correct": answered(), "starter": nbformat.from_dict(json.loads(json.dumps(released))),
            "deleted": answered(delete_test), "mistaken": answered(mistake)}


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """The chapter's course, four students, autograded twice: nbgrader's own sequential
    run and tools/grade.py with 2 workers, each in its own copy of the course."""
    course = tmp_path_factory.mktemp("grading") / "course"
    assert make_assignments.main(["--out", str(course), str(CHAPTER)]) == 0
    config = (course / "nbgrader_config.py").read_text()
    assert "RestoreDeletedCells" in config and "ExerciseColumns" in config
    assert grade.nbgrader(course, "generate_assignment", NAME, "--force").returncode == 0
    for student, nb in submissions(course).items():
        target = course / "submitted" / student / NAME / f"{NAME}.ipynb"
        target.parent.mkdir(parents=True)
        nbformat.write(nb, target)
    parallel = course.parent / "parallel"
    shutil.copytree(course, parallel, symlinks=True)
    start = time.perf_counter()
    done = grade.nbgrader(course, "autograde", NAME, "--force")
    assert done.returncode == 0, done.stderr
    sequential_s = time.perf_counter() - start
    start = time.perf_counter()
    assert grade.main([NAME, "--course", str(parallel), "--workers", "2"]) == 0
    parallel_s = time.perf_counter() - start
    print(f"\n4 students: nbgrader autograde {sequential_s:.0f} s "
          f"({4 * 60 / sequential_s:.1f} students/min), tools/grade.py with 2 workers "
          f"{parallel_s:.0f} s ({4 * 60 / parallel_s:.1f} students/min)")
    return course, parallel


@pytest.mark.notebooks
def test_parallel_grading_gives_nbgrader_s_own_scores(graded):
    course, parallel = graded
    assert scores(parallel) == scores(course)
    assert {s for s, _ in scores(course)} == {"correct", "starter", "deleted", "mistaken"}
    for student in ["correct", "starter", "deleted", "mistaken"]:
        notebook = f"autograded/{student}/{NAME}/{NAME}.ipynb"
        assert (parallel / notebook).exists()
    done = grade.nbgrader(parallel, "generate_feedback", NAME, "--force")
    assert done.returncode == 0, done.stderr


@pytest.mark.notebooks
def test_a_deleted_test_cell_scores_0_with_a_message(graded):
    course, _ = graded
    got = scores(course)
    test_cells = {c for s, c in got if c.endswith("-test")}
    assert test_cells
    for cell in test_cells:
        assert got[("deleted", cell)] == (0.0, False)
        assert got[("correct", cell)][0] > 0 and got[("mistaken", cell)][0] == 0
    restored = nbformat.read(course / "autograded" / "deleted" / NAME / f"{NAME}.ipynb",
                             as_version=4)
    errors = [o for c in restored.cells for o in c.get("outputs", [])
              if o.output_type == "error"]
    assert any("was deleted from the submitted notebook" in " ".join(" ".join(o.traceback)
                                                                      .split())
               for o in errors)   # the verdict's lines joined


@pytest.mark.notebooks
def test_export_has_one_column_per_exercise_and_the_weighted_total(graded):
    course, _ = graded
    done = grade.nbgrader(course, "export")
    assert done.returncode == 0, done.stderr
    with open(course / "grades_by_exercise.csv") as table:
        rows = {row["student_id"]: row for row in csv.DictReader(table)}
    got = scores(course)
    exercises = {plugins.exercise_of(c) for _, c in got}
    assert {k for k in rows["correct"] if k.startswith(f"{NAME}:")} == \
        {f"{NAME}:{e}" for e in exercises} | {f"{NAME}:total"}
    for student, row in rows.items():
        for exercise in exercises:
            want = sum(score or 0 for (s, c), (score, _) in got.items()
                       if s == student and plugins.exercise_of(c) == exercise)
            assert float(row[f"{NAME}:{exercise}"]) == want
    assert float(rows["correct"]["weighted_percent"]) > float(rows["starter"]["weighted_percent"])


@pytest.mark.notebooks
def test_due_dates_of_the_config_reach_the_gradebook(graded):
    _, parallel = graded
    dates = grade.enter_due_dates(parallel)
    assert NAME in dates
    listed = subprocess.run([sys.executable, "-m", "nbgrader", "db", "assignment", "list"],
                            cwd=parallel, capture_output=True, text=True)
    assert f"{NAME} (due: {dates[NAME][:10]}" in listed.stdout + listed.stderr
