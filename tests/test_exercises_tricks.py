"""The usual tricks against the checkers, one test each: shortcuts from the package, rebinding
the checker, lookup tables, strings for numbers, warnings, os._exit, endless loops."""
import math
import os
import runpy
import sys
import time
import warnings

import numpy as np
import pytest
import torch
from test_exercises import (  # noqa: F401
    expect,
    function_class,
    leaky,
    leaky_slope,
    same_cases_within_a_test,
)
from test_exercises_deep import sawtooth

import nonlin_course as nc
from nonlin_course import exercises as ex
from nonlin_course.exercises import _common, _shortcuts
from nonlin_course.nets import initialisation


def grade(checker: str, answer):
    """The test cell's form: the grader module run afresh, as nbgrader's test cell does."""
    return runpy.run_module("nonlin_course.exercises.grader")["grade"](checker, answer)


def fold_by_package(W1, b1, W2, b2):
    model = torch.nn.Sequential(torch.nn.Linear(W1.shape[1], W1.shape[0]),
                                torch.nn.Linear(W2.shape[1], W2.shape[0])).to(W1.dtype)
    with torch.no_grad():
        for layer, (W, b) in zip(model, [(W1, b1), (W2, b2)]):
            layer.weight.copy_(W)
            layer.bias.copy_(b)
    folded = nc.fold_linear(model)
    return folded.weight.detach(), folded.bias.detach()


kaiming_alias = initialisation.kaiming_std   # taken before any check: refused all the same

SHORTCUT_ANSWERS = [
    (ex.check_fold, fold_by_package, "fold_linear"),
    (ex.check_sigmoid_derivative, lambda x: nc.derivative("sigmoid", x), "derivative"),
    (ex.check_leaky_relu_function,
     function_class(lambda x: nc.activation("leaky_relu")(x), lambda x, g: g * leaky_slope(x)),
     "activation"),
    (ex.check_silu_function,
     function_class(torch.nn.functional.silu, lambda x, g: g * nc.derivative("silu", x)),
     "derivative"),
    (ex.check_interpolant_weights,
     lambda n: tuple(nc.interpolant(lambda x: x ** 2, 0.0, 2.0, n))[:2], "interpolant"),
    (ex.check_sawtooth, lambda x, L: nc.tent_net(L).to(x.dtype)(x.reshape(-1, 1))
     .reshape(x.shape), "tent_net"),
    (ex.check_kaiming_std, lambda n, g: kaiming_alias(n, g), "kaiming_std"),
    (ex.check_saturated_fraction, lambda a, t: nc.saturated_fraction(a, threshold=t),
     "saturated_fraction"),
]


@pytest.mark.parametrize("checker, answer, name", SHORTCUT_ANSWERS,
                         ids=[s[0].__name__ for s in SHORTCUT_ANSWERS])
def test_the_package_refuses_to_answer_while_its_checker_runs(checker, answer, name, capsys):
    expect(checker, answer, capsys, _shortcuts.MARK, f"package's {name}()")
    assert name in _shortcuts.SHORTCUTS[checker.__name__]
    assert kaiming_alias(64, 2.0) == 0.25 and nc.fold_linear   # back to work afterwards


def test_the_book_s_own_use_of_the_shortcuts_is_untouched(capsys):
    assert initialisation.kaiming_std(64) == pytest.approx(math.sqrt(2 / 64))
    expect(ex.check_kaiming_std, lambda n, g: g / math.sqrt(n), capsys, ok=True)
    assert initialisation.kaiming_std(64) == pytest.approx(math.sqrt(2 / 64))


def wrong_fold(W1, b1, W2, b2):
    return W2 @ W1, b2


def test_rebinding_or_patching_the_checker_does_not_reach_the_test_cell(monkeypatch, capsys):
    from nonlin_course.exercises import fold
    monkeypatch.setattr(nc, "check_fold", lambda *a, **k: True)
    monkeypatch.setattr(ex, "check_fold", lambda *a, **k: True)
    monkeypatch.setattr(fold, "_fold_problem", lambda *a: None)
    monkeypatch.setattr(_common, "say", lambda ok, message: True)
    monkeypatch.setattr(math, "isclose", lambda *a, **k: True)
    with pytest.raises(AssertionError) as raised:
        grade("check_fold", wrong_fold)
    assert str(raised.value).startswith("Not yet: b equals b2")
    assert grade("check_fold", lambda W1, b1, W2, b2: (W2 @ W1, W2 @ b1 + b2)) is None


@pytest.mark.parametrize("answer, fragment", [
    (lambda *args: exec('raise NotImplementedError("replace this line")'),
     "still raises NotImplementedError"),
    (lambda *args: os._exit(3), "exit status 3"),
    (lambda *args: (x for x in args), "got generator"),
])
def test_the_fresh_grader_reports_errors_and_odd_values_from_the_child(answer, fragment):
    with pytest.raises(AssertionError, match=fragment):
        grade("check_fold", answer)


def test_patching_math_isclose_does_not_pass_a_wrong_number(monkeypatch, capsys):
    monkeypatch.setattr(math, "isclose", lambda *a, **k: True)
    expect(ex.check_kaiming_std, lambda n, g: 0.1, capsys, "expected")


def test_the_cases_are_drawn_afresh_so_a_lookup_table_fails(monkeypatch, tmp_path, capsys):
    monkeypatch.setattr(_common, "SEED", None)
    log = tmp_path / "cases"   # the answer runs in a child process: it reports through a file

    def recording(fan_in, gain):
        with log.open("a") as out:
            out.write(f"{fan_in} {gain!r}\n")
        return gain / math.sqrt(fan_in)

    checks = []
    for _ in range(2):
        log.write_text("")
        assert ex.check_kaiming_std(recording)
        checks.append({(int(n), float(g)) for n, g in
                       (line.split() for line in log.read_text().splitlines())})
    assert checks[0] != checks[1]   # the second check asked for cases the first did not
    table = {(n, g): g / math.sqrt(n) for n, g in checks[1]}
    assert not ex.check_kaiming_std(lambda n, g: table[(n, g)])
    assert "KeyError" in capsys.readouterr().out


@pytest.mark.parametrize("answer", [lambda n, g: str(g / math.sqrt(n)),
                                    lambda n, g: np.array([g / math.sqrt(n)], dtype=object),
                                    lambda n, g: True])
def test_a_string_or_other_non_number_is_not_a_number(answer, capsys):
    expect(ex.check_kaiming_std, answer, capsys, "should be a number")


def test_saturated_fraction_threshold_varies_and_precision_does_not_matter(capsys):
    expect(ex.check_saturated_fraction, lambda a, t: (a.abs() > 0.97).float().mean().item(),
           capsys, "threshold = ")
    as_numpy = lambda a, t: float(np.mean(np.abs(a.numpy()) > t))  # noqa: E731
    expect(ex.check_saturated_fraction, as_numpy, capsys, ok=True)
    in_float32 = lambda a, t: (a.float().abs() > torch.tensor(t)).float().mean()  # noqa: E731
    expect(ex.check_saturated_fraction, in_float32, capsys, ok=True)
    expect(ex.check_saturated_fraction, lambda a, t: str((a.abs() > t).float().mean().item()),
           capsys, "should be a number")


def test_sawtooth_needs_the_book_s_column_input(capsys):
    expect(ex.check_sawtooth, lambda x, L: sawtooth(x.flatten(), L), capsys,
           ", 1) (float64)", "expected (")


def test_kaiming_docstring_and_correct_line_do_not_give_the_formula(capsys):
    assert ex.check_kaiming_std(lambda n, g: g / math.sqrt(n))
    shown = capsys.readouterr().out + (ex.check_kaiming_std.__doc__ or "")
    assert "sqrt" not in shown and "/ fan_in" not in shown and "gain /" not in shown


def noisy(x):
    warnings.warn("this is deprecated", DeprecationWarning, stacklevel=2)
    print("debugging", file=sys.stderr)
    s = torch.sigmoid(x)
    return s * (1 - s)


def test_warnings_and_stderr_are_a_note_after_the_verdict(capsys):
    assert ex.check_sigmoid_derivative(noisy, raise_error=True) is True
    captured = capsys.readouterr()
    lines = captured.out.strip().split("\n")
    assert lines[0].startswith("Correct:") and captured.err == ""
    assert any("DeprecationWarning: this is deprecated" in line and "not counted" in line
               for line in lines[1:])
    assert any("debugging" in line for line in lines[1:])


@pytest.mark.parametrize("body, fragment", [(lambda: os._exit(7), "os._exit()? exit status 7"),
                                            (lambda: sys.exit(2), "called sys.exit()"),
                                            (lambda: os.kill(os.getpid(), 9), "exit status -9")])
def test_an_answer_that_ends_its_process_is_reported_and_this_one_goes_on(body, fragment,
                                                                          capsys):
    expect(ex.check_abs_hinges, lambda x: body(), capsys, fragment)
    assert os.getpid()   # still here


def test_a_runaway_answer_is_stopped_not_left_running(monkeypatch, tmp_path, capsys):
    monkeypatch.setattr(_common, "TIME_LIMIT_S", 2.0)
    pid_file = tmp_path / "pid"

    def runaway(x):
        pid_file.write_text(str(os.getpid()))
        while True:
            pass
    expect(ex.check_abs_hinges, runaway, capsys, "longer than 2 s", "was stopped")
    pid = int(pid_file.read_text())
    assert pid != os.getpid()
    time.sleep(0.1)
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)


def test_the_verdict_renders_as_short_lines_without_a_traceback():
    answer = function_class(leaky, lambda x, g: g * (x > 0))
    with pytest.raises(_common.CheckFailed) as raised:
        ex.check_leaky_relu_function(answer, raise_error=True)
    lines = raised.value._render_traceback_()
    assert lines[0].startswith("Not yet: backward passes no gradient")
    assert len(lines) > 1 and all(len(line) <= _common.WIDTH for line in lines)
    assert " ".join(lines) == str(raised.value)
    assert not any("Traceback" in line or "File " in line for line in lines)
