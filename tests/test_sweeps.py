"""nonlin_course._sweeps: a value or a list, and the grid of every combination."""
import numpy as np
import pytest

from nonlin_course._sweeps import grid, listed


@pytest.mark.parametrize("value, expected", [
    ("kaiming", ["kaiming"]), (0.1, [0.1]), (3, [3]), (np.float32(0.5), [np.float32(0.5)]),
    ([1, 2], [1, 2]), ((0.1, 0.2), [0.1, 0.2]), (range(3), [0, 1, 2]), (np.array([4, 5]), [4, 5]),
])
def test_listed_makes_one_value_a_list_and_keeps_a_list(value, expected):
    assert listed("x", value) == expected


def test_listed_refuses_nothing_and_what_is_neither():
    with pytest.raises(ValueError, match="seeds must not be empty"):
        listed("seeds", [])
    for bad in (None, object()):
        with pytest.raises(TypeError, match="lr must be a value or a list of values"):
            listed("lr", bad)


def test_grid_is_every_combination_first_column_outermost():
    table = grid(["a", "b", "c"], [["x", "y"], 1, [0.1, 0.2, 0.3]])
    nested = [(a, b, c) for a in ["x", "y"] for b in [1] for c in [0.1, 0.2, 0.3]]
    assert list(table.columns) == ["a", "b", "c"]
    assert [tuple(row) for row in table.itertuples(index=False)] == nested


def test_grid_names_the_argument_in_its_errors():
    with pytest.raises(ValueError, match="seeds must not be empty"):
        grid(["lr", "seed"], [0.1, []], ["lr", "seeds"])
