"""The student edition (tools/make_student.py): no solution leaks, the rest is intact, it runs."""
import json
import re
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

pytest.importorskip("nbgrader", reason="the student edition needs nbgrader: `make student` "
                                       "installs it (pip install -e '.[instructor]')")

ROOT = Path(__file__).resolve().parents[1]
CHAPTERS = sorted((ROOT / "book").glob("*.ipynb"))
from tools import make_student  # noqa: E402  (after the importorskip: it needs nbgrader)

EXERCISE = re.compile(r"^(`{3,}|:{3,})\{exercise(-start)?\}", re.MULTILINE)


def fixture_notebook():
    """Both kinds of solution (directive and gated with code), plus a plain nbgrader region."""
    cells = [
        new_markdown_cell("# A chapter\n\nText the student keeps."),
        new_code_cell("import nonlin_course as nc\nanswer_base = 40",
                      outputs=[new_output("stream", name="stdout", text="kept output\n")]),
        new_markdown_cell("```{exercise} Fold\n:label: ex-fold\n\nFold two layers.\n```"),
        new_code_cell('def fold(W1, b1, W2, b2):\n    """Return (W, b)."""\n'
                      '    raise NotImplementedError("replace this line with your code")'),
        new_code_cell("nc.check_fold(fold)",
                      outputs=[new_output("stream", name="stdout", text="Correct: yes\n")]),
        new_markdown_cell("Before the gate.\n\n```{solution-start} ex-fold\n:class: dropdown\n```\n"
                          "The first bias goes through W2 as well (secret prose)."),
        new_code_cell('def fold(W1, b1, W2, b2):\n    """Return (W, b)."""\n'
                      "    ### BEGIN SOLUTION\n    return W2 @ W1, W2 @ b1 + b2  # gated code\n"
                      "    ### END SOLUTION",
                      outputs=[new_output("stream", name="stdout", text="gated output\n")]),
        new_markdown_cell("More secret explanation inside the gate."),
        new_markdown_cell("```{solution-end}\n```\n\nAfter the gate."),
        new_markdown_cell("```{exercise} Why\n:label: ex-why\n\nWhy is it so?\n```\n\n"
                          "````{solution} ex-why\n:class: dropdown\n\nBecause of the secret "
                          "reason.\n```python\nsecret_example = 1\n```\n````\n\nText after."),
        new_code_cell("def add_two(x):\n    ### BEGIN SOLUTION\n    return x + 2  # plain region\n"
                      "    ### END SOLUTION\n\nprint(answer_base + 2)",
                      outputs=[new_output("stream", name="stdout", text="42\n")]),
        new_code_cell("assert secret_answer_of_the_open_question == 3",
                      metadata={"tags": ["remove-cell", "answer-check"]}),
    ]
    for i, cell in enumerate(cells):
        cell.id = f"cell-{i}"
    nb = new_notebook(cells=cells)
    nb.metadata.kernelspec = {"name": "python3", "display_name": "Python 3", "language": "python"}
    return nb


def all_text(nb) -> str:
    """Every source line, output, attachment and piece of metadata of ``nb``, as one string."""
    parts = [cell.source for cell in nb.cells] + [json.dumps(nb.metadata)]
    for cell in nb.cells:
        parts += [json.dumps(cell.get("metadata", {})), json.dumps(cell.get("attachments", {}))]
        for output in cell.get("outputs", []):
            parts.append(output.get("text", ""))
            parts += [json.dumps(value) for value in output.get("data", {}).values()]
    return "\n".join(parts)


def leaked(original, student) -> set[str]:
    """Solution lines of ``original`` that appear in ``student``: as a whole line, or, for
    lines long enough to be specific (16+ characters), anywhere inside its text."""
    text = all_text(student)
    lines = {line.strip() for line in text.split("\n")}
    secrets = make_student.solution_lines(original)
    return {s for s in secrets if s in lines or (len(s) >= 16 and s in text)}


def test_fixture_loses_every_solution_and_keeps_the_rest():
    original = fixture_notebook()
    student = make_student.student_edition(original)
    secrets = make_student.solution_lines(original)
    for expected in ["The first bias goes through W2 as well (secret prose).",
                     "return W2 @ W1, W2 @ b1 + b2  # gated code", "secret_example = 1",
                     "More secret explanation inside the gate.", "return x + 2  # plain region",
                     "Because of the secret reason.",
                     "assert secret_answer_of_the_open_question == 3"]:
        assert expected in secrets
    assert not leaked(original, student)
    text = all_text(student)
    for word in ["secret", "gated", "plain region", "solution"]:
        assert word not in text.lower(), word
    sources = [cell.source for cell in student.cells]
    assert sources[:4] == [cell.source for cell in original.cells[:4]]       # intact
    assert "Before the gate." in sources and "After the gate." in sources
    assert "Text after." in sources[-2] and "{exercise} Why" in sources[-2]
    assert "raise NotImplementedError()" in sources[-1] and "print(answer_base + 2)" in sources[-1]
    assert all(cell.get("outputs", []) == [] for cell in student.cells)   # the student runs it


@pytest.mark.notebooks
def test_fixture_student_edition_runs_and_its_checker_explains(tmp_path):
    student = make_student.student_edition(fixture_notebook())
    NotebookClient(student, timeout=120, kernel_name="python3").execute()
    check = next(c for c in student.cells if "check_fold" in c.source)
    assert "still raises NotImplementedError" in check.outputs[0]["text"]
    assert student.cells[-1].outputs[0]["text"] == "42\n"   # the stub sits inside the def


def test_unclosed_gate_is_an_error_naming_the_cell():
    nb = fixture_notebook()
    nb.cells = nb.cells[:7]
    with pytest.raises(ValueError, match=r"^fixture, cell 5, line 3: .*no matching"):
        make_student.student_edition(nb, "fixture")


def test_hidden_cells_that_answer_a_prediction_are_left_out():
    nb = fixture_notebook()
    nb.cells.append(new_code_cell("nc.glue_float('guess_answer', 0.865)",
                                  metadata={"tags": ["remove-cell", "answers-prediction"]}))
    student = make_student.student_edition(nb)
    assert "guess_answer" not in all_text(student)
    assert "nc.glue_float('guess_answer', 0.865)" in make_student.solution_lines(nb)


def test_command_line_writes_every_notebook(tmp_path, capsys):
    path = tmp_path / "fixture.ipynb"
    nbformat.write(fixture_notebook(), path)
    assert make_student.main(["--out", str(tmp_path / "student"), str(path)]) == 0
    written = nbformat.read(tmp_path / "student" / "fixture.ipynb", as_version=4)
    nbformat.validate(written)
    assert ("removed gated solutions: 1, solution directives: 1, nbgrader regions: 1"
            in capsys.readouterr().out)


@pytest.mark.parametrize("chapter", CHAPTERS, ids=[p.stem for p in CHAPTERS])
def test_chapter_leaks_no_solution(chapter):
    original = nbformat.read(chapter, as_version=4)
    student = make_student.student_edition(original)
    nbformat.validate(student)
    assert not leaked(original, student)
    assert all(cell.get("outputs", []) == [] for cell in student.cells)
    assert not [c for c in student.cells if "answer-check" in c.metadata.get("tags", [])]
    exercises = [c for c in original.cells if c.cell_type == "markdown" and EXERCISE.search(c.source)]
    kept = [c for c in student.cells if c.cell_type == "markdown" and EXERCISE.search(c.source)]
    assert len(kept) == len(exercises)   # every exercise is still there


@pytest.mark.notebooks
@pytest.mark.parametrize("chapter", CHAPTERS, ids=[p.stem for p in CHAPTERS])
def test_chapter_student_edition_runs_up_to_the_first_exercise(chapter):
    student = make_student.student_edition(nbformat.read(chapter, as_version=4))
    first = next((i for i, c in enumerate(student.cells)
                  if c.cell_type == "markdown" and EXERCISE.search(c.source)), None)
    if first is None:
        pytest.skip(f"{chapter.name} has no exercise yet")
    student.cells = student.cells[:first]
    NotebookClient(student, timeout=300, kernel_name="python3",
                   resources={"metadata": {"path": str(chapter.parent)}}).execute()
