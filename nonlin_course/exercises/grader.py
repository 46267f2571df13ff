"""The graders' entry point, for nbgrader's test cells: ``grade("check_fold", fold)``.

A test cell runs this module afresh from its file, not the cached module::

    import runpy as _runpy  # the checker, run afresh: an answer cell cannot rebind it
    _runpy.run_module("nonlin_course.exercises.grader")["grade"]("check_fold", fold)

and :func:`grade` loads the checkers afresh too, from the package's files under a
private name, so an answer cell that rebinds ``nc.check_fold`` or patches the checkers'
modules changes nothing here. :func:`grade` returns None (the cell shows no value that
nbgrader would read as partial credit); a wrong answer raises the checker's
``CheckFailed``, which the notebook shows as the verdict's lines, without a traceback.
"""
import importlib.util
import pathlib
import secrets
import sys


def fresh_checkers():
    """The ``nonlin_course.exercises`` package, loaded anew from its files (private name)."""
    here = pathlib.Path(__file__).resolve().parent
    name = f"_nonlin_checkers_{secrets.token_hex(4)}"
    spec = importlib.util.spec_from_file_location(
        name, here / "__init__.py", submodule_search_locations=[str(here)])
    module = importlib.util.module_from_spec(spec)
    # registered under a name drawn now, which no cell run before can know: its relative
    # imports need it, and so does pickle (what the child process sends back)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def grade(checker: str, *args, **settings) -> None:
    """Check the answer (``args``: what the chapter passes its checker) with the fresh copy
    of the checker named ``checker``, in its raising form.

    >>> grade("check_abs_hinges", lambda x: __import__("torch").relu(x) * 2 - x)
    Correct: your hinges give |x| on [-3, 3], with the kink at 0.
    """
    getattr(fresh_checkers(), checker)(*args, raise_error=True, **settings)
