"""pytest: modules that need the `instructor` extra (nbgrader) are left out of the doctest
collection where it is not installed (`make test-unit` needs only requirements.txt)."""
import importlib.util

collect_ignore = [] if importlib.util.find_spec("nbgrader") else [
    "nonlin_course/exercises/nbgrader_plugins.py"]
