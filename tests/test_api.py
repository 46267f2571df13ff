"""The package's public surface: what the chapters call, each with an example that runs."""
import inspect
import json
import re
from pathlib import Path

import nonlin_course as nc

BOOK = Path(__file__).parents[1] / "book"


def test_every_export_has_a_docstring_example():
    """--doctest-modules runs them; the checkers' examples are the chapters' exercises."""
    missing = [name for name in nc.__all__ if not name.startswith("check_")
               and ">>>" not in (inspect.getdoc(getattr(nc, name)) or "")]
    assert not missing, f"no example in the docstring of {missing}"


def test_every_export_is_called_by_a_chapter():
    code = "\n".join("".join(cell["source"]) for path in sorted(BOOK.glob("*.ipynb"))
                     for cell in json.loads(path.read_text())["cells"])
    unused = [name for name in nc.__all__ if not re.search(rf"\bnc\.{name}\b", code)]
    assert not unused, f"exported but used by no chapter: {unused}"


def test_the_face_exports_what_it_imports_and_each_name_comes_from_a_wing():
    """``__all__`` is exactly the names ``__init__.py`` imports, each once, and each is
    defined in the module it is imported from (no re-export of a re-export)."""
    import ast
    source = Path(nc.__file__).read_text(encoding="utf-8")
    imported = {}
    for node in ast.parse(source).body:
        if isinstance(node, ast.ImportFrom) and node.level == 1:
            for alias in node.names:
                assert alias.name not in imported, f"{alias.name} imported twice"
                imported[alias.name] = f"nonlin_course.{node.module}"
    assert len(nc.__all__) == len(set(nc.__all__)), "a name listed twice in __all__"
    assert set(nc.__all__) == set(imported), (set(nc.__all__) ^ set(imported))
    elsewhere = {name: (getattr(nc, name).__module__, module) for name, module in imported.items()
                 if getattr(getattr(nc, name), "__module__", module) != module
                 and not module.endswith(".exercises")}
    assert not elsewhere, f"defined in another module than the one imported from: {elsewhere}"
