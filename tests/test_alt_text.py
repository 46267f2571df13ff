"""nonlin_course.figures.alt_text: a figure's text alternative travels in its spec."""

import pytest
from lets_plot import gggrid, ggsize, labs

import nonlin_course as nc

X, Y = nc.moons(20, seed=0)


def test_every_figure_function_takes_alt_and_keeps_it_through_later_layers():
    fig = nc.scatter(X, Y, alt="Two  half\ncircles.") + labs(title="t") + ggsize(300, 200)
    assert fig.as_dict()["alt"] == "Two half circles."  # whitespace as one space


def test_described_names_a_grid_the_chapter_assembles():
    grid = nc.described(gggrid([nc.scatter(X, Y), nc.scatter(X, Y)], ncol=2), "Both.")
    assert grid.as_dict()["alt"] == "Both."
    assert "alt" not in grid.as_dict()["figures"][0]


def test_no_alt_leaves_the_figure_as_it_was():
    assert "alt" not in nc.scatter(X, Y).as_dict()
    assert "alt" not in nc.described(nc.scatter(X, Y), "   ").as_dict()


@pytest.mark.parametrize(
    "figure, alt, match",
    [
        ("not a figure", "x", "figure must be a lets-plot figure"),
        (None, "x", "figure must be a lets-plot figure"),
    ],
)
def test_described_refuses_what_is_not_a_figure(figure, alt, match):
    with pytest.raises(TypeError, match=match):
        nc.described(figure, alt)
