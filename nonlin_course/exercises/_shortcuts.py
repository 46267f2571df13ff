"""The package's own functions that compute an exercise's answer refuse while its checker runs.

An answer that calls ``nc.fold_linear`` (or ``nc.tent_net``, ``signals.kaiming_std``, ...)
would pass its exercise without writing anything. While a checker runs, each function
listed for its exercise gets a body that raises ``RuntimeError("this exercise asks you to
write it yourself ...")``; the function object stays the same, so an alias taken earlier
(``from nonlin_course import fold_linear``, a default argument) refuses too. The bodies
are put back when the checker ends, whatever happened.
"""
import contextlib
import inspect
import sys
import types

MARK = "this exercise asks you to write it yourself"

# checker -> names of the package's functions that would answer it
SHORTCUTS = {
    "check_fold": ["fold_linear"],
    "check_sigmoid_derivative": ["derivative", "curves"],
    "check_leaky_relu_function": ["derivative", "activation"],
    "check_silu_function": ["derivative", "activation"],
    "check_abs_hinges": [],
    "check_interpolant_weights": ["interpolant", "least_squares"],
    "check_sawtooth": ["tent_net", "shallow_sawtooth"],
    "check_kaiming_std": ["kaiming_std", "init_deep"],
    "check_saturated_fraction": ["saturated_fraction"],
}


def package_functions(name: str) -> list[types.FunctionType]:
    """Every function of the ``nonlin_course`` package (any of its modules) named ``name``."""
    found = []
    for module_name, module in list(sys.modules.items()):
        if module_name != "nonlin_course" and not module_name.startswith("nonlin_course."):
            continue
        if module_name.startswith("nonlin_course.exercises"):
            continue
        fn = getattr(module, name, None)
        if isinstance(fn, types.FunctionType) and fn.__module__.startswith("nonlin_course") \
                and fn.__name__ == name and fn not in found:
            found.append(fn)
    return found


def _refusing_code(fn: types.FunctionType) -> types.CodeType:
    """A body for ``fn`` that raises the refusal (same free variables, so it fits)."""
    message = (f"{MARK}: the package's {fn.__name__}() is switched off while the "
               "checker runs.")
    namespace = {}
    exec(f"def {fn.__name__}(*args, **kwargs):\n    raise RuntimeError({message!r})",
         {"__builtins__": __builtins__}, namespace)
    code = namespace[fn.__name__].__code__
    if fn.__code__.co_freevars:
        return None   # a closure: cannot take another body; left as it is
    return code


@contextlib.contextmanager
def refused(checker_name: str):
    """While the block runs, the shortcuts of ``checker_name`` raise the refusal."""
    swapped = []
    try:
        for name in SHORTCUTS.get(checker_name, []):
            for fn in package_functions(name):
                fn = inspect.unwrap(fn)   # under a decorator (torch.no_grad): the inner one
                code = _refusing_code(fn)
                if code is not None:
                    swapped.append((fn, fn.__code__))
                    fn.__code__ = code
        yield
    finally:
        for fn, code in swapped:
            fn.__code__ = code


def is_refusal(text: str) -> bool:
    return MARK in text
