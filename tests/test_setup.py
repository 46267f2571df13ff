"""Tests of nonlin_course.figures.setup: telling Colab apart, and the plot setup."""

import sys
import types

import pytest
from lets_plot import LetsPlot, theme_minimal2

import nonlin_course as nc
from nonlin_course.figures import setup as notebook
from nonlin_course.figures.setup import in_colab


def test_setup_plots_is_the_one_the_chapters_call():
    assert nc.setup_plots is notebook.setup_plots


# --- in_colab, setup_plots ------------------------------------------------------------


@pytest.fixture
def not_colab(monkeypatch):
    monkeypatch.delenv("COLAB_RELEASE_TAG", raising=False)
    monkeypatch.delitem(sys.modules, "google.colab", raising=False)


def test_in_colab_is_false_elsewhere(not_colab):
    assert in_colab() is False


def test_in_colab_from_the_environment(not_colab, monkeypatch):
    monkeypatch.setenv("COLAB_RELEASE_TAG", "release-colab_20250101-060000_RC00")
    assert in_colab() is True


def test_in_colab_from_the_colab_module(not_colab, monkeypatch):
    monkeypatch.setitem(sys.modules, "google.colab", types.ModuleType("google.colab"))
    assert in_colab() is True


@pytest.fixture
def lets_plot_calls(monkeypatch):
    """Record LetsPlot.setup_html and set_theme calls instead of changing global state."""
    calls = {"setup_html": [], "set_theme": []}
    monkeypatch.setattr(
        LetsPlot, "setup_html", staticmethod(lambda **kwargs: calls["setup_html"].append(kwargs))
    )
    monkeypatch.setattr(
        LetsPlot, "set_theme", staticmethod(lambda theme: calls["set_theme"].append(theme))
    )
    return calls


def test_setup_plots_in_colab_uses_isolated_frames_from_the_cdn(
    not_colab, monkeypatch, lets_plot_calls
):
    monkeypatch.setenv("COLAB_RELEASE_TAG", "x")
    nc.setup_plots()
    assert lets_plot_calls["setup_html"] == [{"isolated_frame": True, "offline": False}]


def test_setup_plots_elsewhere_loads_the_library_once_offline(not_colab, lets_plot_calls):
    nc.setup_plots()
    assert lets_plot_calls["setup_html"] == [{"isolated_frame": False, "offline": True}]


def test_setup_plots_sets_the_minimal_theme(not_colab, lets_plot_calls):
    nc.setup_plots()
    [theme] = lets_plot_calls["set_theme"]
    assert theme.as_dict() == theme_minimal2().as_dict()
