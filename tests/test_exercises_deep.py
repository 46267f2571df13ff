"""Chapter 5's checkers: the reference answers pass; typical wrong answers get their message."""
import math

import pytest
import torch
from test_exercises import expect, same_cases_within_a_test  # noqa: F401

from nonlin_course import exercises as ex


def tent(x):
    return 2 * torch.relu(x) - 4 * torch.relu(x - 0.5)


def sawtooth(x, layers):
    for _ in range(layers):
        x = tent(x)
    return x


def test_sawtooth_reference_passes(capsys):
    expect(ex.check_sawtooth, sawtooth, capsys, "Correct:", ok=True)


@pytest.mark.parametrize("answer, fragment", [
    (lambda x, L: sawtooth(x, L - 1), "one time too few"),
    (lambda x, L: sawtooth(x, L + 1), "one time too many"),
    (lambda x, L: tent(x), "you applied the tent map once"),
    (lambda x, L: L * tent(x), "added up copies"),
    (lambda x, L: 2 * torch.relu(x) - 4 * torch.relu(x - 1.0), "kink belongs at x = 1/2"),
    (lambda x, L: sawtooth(x, L)[:-1], "shape"),
    (lambda x, L: None, "None"),
    (lambda x, L: sawtooth(x, L) + 0.1, "the sawtooth is wrong"),
])
def test_sawtooth_wrong_answers(answer, fragment, capsys):
    expect(ex.check_sawtooth, answer, capsys, fragment)


def test_kaiming_reference_passes(capsys):
    expect(ex.check_kaiming_std, lambda n, g: g / math.sqrt(n), capsys, "Correct:", ok=True)
    expect(ex.check_kaiming_std, lambda n, g: torch.tensor(g / n ** 0.5), capsys, "Correct:",
           ok=True)


@pytest.mark.parametrize("answer, fragment", [
    (lambda n, g: g ** 2 / n, "that is the variance"),
    (lambda n, g: g / n, "divide by its square root"),
    (lambda n, g: 1 / math.sqrt(n), "left out the gain"),
    (lambda n, g: math.sqrt(2 / n), "ReLU's gain"),
    (lambda n, g: g * math.sqrt(n), "multiplied by sqrt(fan_in)"),
    (lambda n, g: str(g / math.sqrt(n)), "should be a number (a float), got str"),
    (lambda n, g: [g / math.sqrt(n)], "should be a number (a float), got list"),
    (lambda n, g: None, "forget a `return`"),
])
def test_kaiming_wrong_answers(answer, fragment, capsys):
    expect(ex.check_kaiming_std, answer, capsys, fragment)


def test_saturated_reference_passes(capsys):
    expect(ex.check_saturated_fraction, lambda a, t: (a.abs() > t).float().mean(), capsys,
           "Correct:", ok=True)


@pytest.mark.parametrize("answer, fragment", [
    (lambda a, t: (a.abs() > t).sum(), "that is a count"),
    (lambda a, t: (a > t).float().mean(), "only the positive side"),
    (lambda a, t: (a.abs() >= t).float().mean(), "strictly greater"),
    (lambda a, t: (a.abs() < t).float().mean(), "not* saturated"),
    (lambda a, t: (a.abs() > t).float().mean(0), "one number for the whole tensor"),
    (lambda a, t: 0.5, "expected"),
])
def test_saturated_wrong_answers(answer, fragment, capsys):
    expect(ex.check_saturated_fraction, answer, capsys, fragment)


@pytest.mark.parametrize("checker", [ex.check_sawtooth, ex.check_kaiming_std,
                                     ex.check_saturated_fraction])
def test_starters_non_functions_and_in_place_changes(checker, capsys):
    def starter(*args):
        raise NotImplementedError("replace this line with your code")
    expect(checker, starter, capsys, "still raises NotImplementedError")
    expect(checker, 3, capsys, "expected a function, got int")
    if checker is not ex.check_kaiming_std:
        def in_place(x, other):
            x.mul_(2.0)
            return x
        expect(checker, in_place, capsys, "changed its input")
