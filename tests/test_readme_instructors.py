"""The README's section for instructors says what the code does: its numbers, names and
commands are the code's (the behaviour behind each claim is tested where the code is:
test_exercises*.py, test_assignments.py, test_grade.py, test_student.py)."""
import re
from pathlib import Path

import nbformat
import pytest

from nonlin_course.exercises import _common, _shortcuts

pytest.importorskip("nbgrader", reason="the instructors' tools need nbgrader")

from nonlin_course.exercises import nbgrader_plugins as plugins  # noqa: E402
from tools import grade, make_assignments  # noqa: E402
from tools.chapter import Chapter  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text()
SECTION = README[README.index("## For instructors"):README.index("## Layout")]


def test_the_numbers_are_the_code_s():
    assert f"each call with a {_common.TIME_LIMIT_S:g} s limit" in SECTION
    assert f"an answer cell may run {plugins.ANSWER_TIMEOUT_S} s" in SECTION
    assert f"lines of at most {_common.WIDTH} characters" in SECTION
    assert "(`c.Execute.timeout`, at least 60 s)" in SECTION
    assert make_assignments.cell_timeout([]) == 60
    points = make_assignments.POINTS
    assert f"test cell under it ({points['code']} points)" in SECTION
    assert f"for each prediction ({points['predict']} point)" in SECTION
    assert f"open question ({points['open']} points)" in SECTION


def test_the_shortcuts_named_are_switched_off():
    named = set(re.findall(r"`(?:nc\.)?(\w+)`", SECTION[SECTION.index("While\n  a checker"):
                                                        SECTION.index("write it yourself")]))
    switched_off = {name for names in _shortcuts.SHORTCUTS.values() for name in names}
    assert named and named <= switched_off
    assert f'"{_shortcuts.MARK}"' in SECTION.replace("\n  ", " ")


def test_the_test_cell_form_is_the_one_written():
    form = ('runpy.run_module("nonlin_course.exercises.grader")["grade"]("check_fold", fold)')
    assert form in SECTION
    written = make_assignments.grading_call("passed = nc.check_fold(fold)")
    assert form.replace('"', "'") in written.replace("_runpy", "runpy")


def test_the_plugins_and_settings_named_are_in_the_config():
    config = make_assignments.config_text(60, ["01_linear_is_not_enough"])
    for name in ["RestoreDeletedCells", "ExerciseColumns", "DropRubrics", "cell_timeouts",
                 "c.ExerciseColumns.weights", "c.ExerciseColumns.due_dates"]:
        assert name in config
    for name in ["c.ExerciseColumns.weights", "c.ExerciseColumns.due_dates",
                 "grades_by_exercise.csv", "weighted_percent", "nbgrader_plugins.py"]:
        assert name in SECTION
    assert plugins.ExerciseColumns.to.default_value == "grades_by_exercise.csv"


def test_the_commands_named_exist():
    makefile = (ROOT / "Makefile").read_text()
    assert "make grade ASSIGNMENT=" in SECTION and re.search(r"^grade:", makefile, re.M)
    assert "tools/grade.py --due-dates" in SECTION and "--workers" in SECTION
    with pytest.raises(SystemExit):   # the options parse (and --help exits)
        grade.main(["--help"])
    for test in ["tests/test_exercises_tricks.py", "tests/test_grade.py"]:
        assert (ROOT / test).exists() and test in SECTION or Path(test).name in README


def test_the_open_edition_publishes_every_solution_and_solutions_0_builds_one_without():
    assert "publishes every solution" in SECTION
    makefile = (ROOT / "Makefile").read_text()
    assert "make book SOLUTIONS=0" in SECTION and "ifeq ($(SOLUTIONS),0)" in makefile
    for path in ["_build/no-solutions/_build/html", "_build/no-solutions/colab"]:
        assert path in SECTION and path.split("/_build/html")[0] in makefile
    for path in sorted((ROOT / "book").glob("*.ipynb")):
        chapter = Chapter.from_dict(nbformat.read(path, as_version=4), path.stem)
        if not chapter.exercises:
            continue
        colab = (ROOT / "colab" / path.name).read_text()
        assert "Solution" in colab, path.name
        assert all(e.solution is not None or e.gate is not None for e in chapter.exercises), path
