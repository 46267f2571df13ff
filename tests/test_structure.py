"""The package's structure: its wings, and no private name crossing from one module to another.

A private name (``_name``) is a module's own business. Modules of a wing share helpers
through a private *module* (``nonlin_course/_checks.py``, ``training/_stacked.py``), whose
names are public: a private module may be imported from inside the package folder that
holds it, and from the tests; a private name may not be imported by any other module.
"""
import ast
from pathlib import Path

import pytest

import nonlin_course

ROOT = Path(__file__).parents[1]
PACKAGE = Path(nonlin_course.__file__).parent     # the checkout's, or an installed wheel's
SRC = PACKAGE.parent
WINGS = ("nets", "training", "inside", "piecewise", "figures", "exercises")
CHECKED = [PACKAGE, ROOT / "tools", ROOT / "tests", ROOT / "benchmarks", ROOT / "book" / "_ext"]


def _module_name(path: Path) -> str | None:
    """Dotted name of a file of the package, None for files outside it."""
    if PACKAGE not in path.parents:
        return None
    parts = path.relative_to(SRC).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _package_of(path: Path) -> str | None:
    name = _module_name(path)
    if name is None:
        return None
    return name if path.name == "__init__.py" else name.rpartition(".")[0]


def _shown(path: Path) -> str:
    return str(path.relative_to(SRC if PACKAGE in path.parents else ROOT))


def _is_module(dotted: str) -> bool:
    """A module of the package (where it is imported from) or of the checkout (tools)."""
    for root in (SRC, ROOT):
        target = root.joinpath(*dotted.split("."))
        if target.with_suffix(".py").is_file() or (target / "__init__.py").is_file():
            return True
    return False


def _resolve(path: Path, node: ast.ImportFrom) -> str:
    """The absolute dotted module an ``ImportFrom`` reads from."""
    if not node.level:
        return node.module or ""
    base = _package_of(path).split(".")
    base = base[:len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def _private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def _ours(dotted: str, path: Path) -> bool:
    """A module of this project: the package's, the tools package's, or a sibling file."""
    first = dotted.split(".")[0]
    return (first == "nonlin_course" or (ROOT / first / "__init__.py").is_file()
            or (path.parent / f"{first}.py").is_file())


def crossings(path: Path, source: str | None = None) -> list[str]:
    """Every private name that ``path`` (its text: ``source``) takes from another module of
    the project: ``from m import _x`` of a non-module ``_x``, ``m._x`` on an imported module
    ``m``, and a private module imported from outside the folder that holds it (the tests
    may import private modules, to test them)."""
    if source is None:
        source = path.read_text(encoding="utf-8")
    tree = ast.parse(source, filename=str(path))
    here = _package_of(path) or ""
    in_tests = ROOT / "tests" in path.parents
    found, modules = [], {}     # modules: local name -> dotted module it stands for
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if _ours(alias.name, path):
                    modules[alias.asname or alias.name.split(".")[0]] = (
                        alias.name if alias.asname else alias.name.split(".")[0])
                found += _private_module_problems(alias.name, here, in_tests, path, node)
        elif isinstance(node, ast.ImportFrom):
            source = _resolve(path, node)
            found += _private_module_problems(source, here, in_tests, path, node)
            for alias in node.names:
                full = f"{source}.{alias.name}"
                if _is_module(full) and _ours(full, path):
                    modules[alias.asname or alias.name] = full
                    found += _private_module_problems(full, here, in_tests, path, node)
                elif _private(alias.name) and _ours(source, path):
                    found.append(f"{_shown(path)}:{node.lineno} imports {alias.name} "
                                 f"from {source}")
    for node in ast.walk(tree):
        if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
                and node.value.id in modules and _private(node.attr)
                and not _is_module(f"{modules[node.value.id]}.{node.attr}")):
            found.append(f"{_shown(path)}:{node.lineno} uses "
                         f"{node.value.id}.{node.attr}")
    return found


def _private_module_problems(dotted: str, here: str, in_tests: bool, path: Path, node) -> list:
    """A private module of the package (``a.b._c``) read from outside ``a.b``."""
    parts = dotted.split(".")
    if parts[0] != "nonlin_course" or in_tests:
        return []
    for i, part in enumerate(parts):
        if _private(part):
            owner = ".".join(parts[:i])
            if here != owner and not here.startswith(owner + "."):
                return [f"{_shown(path)}:{node.lineno} imports the private module "
                        f"{'.'.join(parts[:i + 1])} from outside {owner}"]
            return []
    return []


def imports_of(module: str) -> set[str]:
    """The package's modules that ``module`` (dotted) imports itself, as dotted names
    (a package's ``__init__`` counts as the package)."""
    path = SRC.joinpath(*module.split("."))
    path = path / "__init__.py" if path.is_dir() else path.with_suffix(".py")
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            source = _resolve(path, node)
            for alias in node.names:
                full = f"{source}.{alias.name}"
                found.add(full if _is_module(full) else source)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return {name for name in found if name.split(".")[0] == "nonlin_course" and _is_module(name)}


def reach(module: str) -> set[str]:
    """Every module of the package that importing ``module`` runs, through its own imports
    (and those of the packages around each, as Python runs their ``__init__``), but not
    the top ``nonlin_course/__init__.py``: the flat face that imports every wing."""
    seen, todo = set(), [module]
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        parts = name.split(".")
        parents = {".".join(parts[:i]) for i in range(2, len(parts))}
        todo += [m for m in imports_of(name) | parents if m != "nonlin_course"]
    return seen


# which wings each wing may import (README.md, "Layout"): one way, figures and nets alone
USES = {"nets": set(), "figures": set(), "exercises": set(), "training": {"nets"},
        "inside": {"nets", "training"}, "piecewise": {"nets", "training", "inside"}}


def test_the_wings_depend_one_way():
    wrong = []
    for wing, allowed in USES.items():
        for path in sorted((PACKAGE / wing).rglob("*.py")):
            for used in imports_of(_module_name(path)):
                other = used.split(".")[1] if used.count(".") else None
                if other in USES and other != wing and other not in allowed:
                    wrong.append(f"{_shown(path)} imports {used}")
    assert not wrong, "\n".join(wrong)


def test_the_relu_fit_does_not_reach_the_batched_trainer():
    """Chapter 4's one-layer fit needs the nets, the Adam and its own sweep, not train_batched."""
    reached = reach("nonlin_course.piecewise.relu_fit")
    assert "nonlin_course.training.adam" in reached          # the walk does follow imports
    assert not {m for m in reached if m.startswith("nonlin_course.training.")
                and m != "nonlin_course.training.adam"}, sorted(reached)


FILES = sorted(p for folder in CHECKED for p in folder.rglob("*.py") if ".venv" not in p.parts)


def test_no_private_name_crosses_modules():
    found = [problem for path in FILES for problem in crossings(path)]
    assert not found, "private names used outside their module:\n" + "\n".join(found)


@pytest.mark.parametrize("source, expected", [
    ("from nonlin_course.inside.probe import _sequential\n", 1),
    ("from nonlin_course.inside import probe\nprobe._sequential(None)\n", 1),
    ("import nonlin_course\nnonlin_course.training._stacked\n", 0),  # a module, not a name
    ("from nonlin_course.training._stacked import BatchedMLP\n", 1),  # outside training/
    ("from nonlin_course import _checks\n", 1),                        # outside the package
    ("import torch\ntorch._C\n", 0),                                  # not ours
    ("class A:\n    def _own(self):\n        return self._own\n", 0),
    ("from check_site import _profile_root\n", 1),                     # a sibling tool's
    ("from tools.chapter import _reader\n", 1),                         # the tools package's
    ("from tools import chapter\nchapter._reader()\n", 1),
])
def test_the_walk_catches_each_kind_of_crossing(source, expected):
    tool = ROOT / "tools" / "example.py"     # a tool: outside the package and the tests
    assert len(crossings(tool, source)) == expected, crossings(tool, source)


@pytest.mark.parametrize("source, expected", [
    ("from .. import _checks\n_checks.tensor('x', 1)\n", 0),            # shared in its folder
    ("from ..training._stacked import BatchedMLP\n", 1),               # training's, not inside's
    ("from .probe import _sequential\n", 1),
])
def test_private_modules_are_shared_inside_their_folder(source, expected):
    module = PACKAGE / "inside" / "example.py"
    assert len(crossings(module, source)) == expected, crossings(module, source)


def test_the_package_is_its_wings():
    """Every module lives in a wing, but for the few every wing uses."""
    top = sorted(p.name for p in PACKAGE.glob("*.py"))
    assert top == ["__init__.py", "_checks.py", "_sweeps.py", "data.py", "glue.py", "runtime.py"]
    assert sorted(p.name for p in PACKAGE.iterdir()
                  if p.is_dir() and (p / "__init__.py").exists()) == sorted(WINGS)
