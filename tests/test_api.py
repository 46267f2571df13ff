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
