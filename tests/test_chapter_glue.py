"""Glue names that issues list are an interface: each exists in the chapter's saved
outputs, once, as a plain float (``nc.glue_float``), so other tools can read it."""
import json
from pathlib import Path

import pytest

BOOK = Path(__file__).resolve().parents[1] / "book"
INTERFACE = {
    "05_deep_networks": [
        *(f"residual_acc_{kind}_{stat}" for kind in ("plain", "skip") for stat in ("mean", "std")),
        *(f"regions_random_{init}_{depth}" for init in ("default", "kaiming")
          for depth in (1, 2, 3, 4)),
    ],
}


def glued(path: Path) -> dict:
    """name -> list of the text values glued under it in the saved outputs."""
    values = {}
    for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
        for output in cell.get("outputs", []):
            name = output.get("metadata", {}).get("scrapbook", {}).get("name")
            if name:
                text = output["data"].get("application/papermill.record/text/plain")
                values.setdefault(name, []).append(text)
    return values


@pytest.mark.parametrize("chapter", sorted(INTERFACE))
def test_interface_glue_names_are_plain_floats(chapter):
    values = glued(BOOK / f"{chapter}.ipynb")
    for name in INTERFACE[chapter]:
        assert name in values, f"{chapter} glues no {name!r}"
        assert len(values[name]) == 1, f"{chapter} glues {name!r} {len(values[name])} times"
        float(values[name][0])   # a plain number, not a table or a string
