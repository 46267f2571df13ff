"""Load a script or Sphinx extension of this repository (tools/, book/_ext/) by its path:
they are not in a package, so tests cannot import them by name."""

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def load(relative: str):
    """The module in ``ROOT / relative`` (for example ``"tools/make_student.py"``), named
    after its file; not entered in ``sys.modules``."""
    path = ROOT / relative
    spec = importlib.util.spec_from_file_location(path.stem, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
