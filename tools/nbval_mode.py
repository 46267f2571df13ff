"""Print the nbval option `make test` should use: ``--nbval`` (compare every saved output)
when this machine is the one that saved the notebooks' outputs, else ``--nbval-lax``.

A notebook's outputs are reproducible to the last digit only on the machine that saved
them: another CPU (an Intel or an AMD one, say) takes other code paths in the math
libraries and moves the 6th digit, and a training run that is sensitive to rounding can
move more than that. So a comparison elsewhere finds only those differences. On another
machine this prints ``--nbval-lax`` and says why on stderr: every chapter still runs, and
its hidden check cells still assert every claim. ``make test-exact`` compares anyway.

Usage: python tools/nbval_mode.py book/*.ipynb
"""

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from execute_notebooks import where  # noqa: E402

COMPARED = ("device", "cpu", "cores", "capability", "torch")  # what decides the last digits


def saved_on(path: Path) -> dict:
    """The record of the run whose outputs the notebook holds (`make outputs` names it:
    a GPU run's outputs replace a CPU run's); empty if there is none."""
    meta = json.loads(path.read_text())["metadata"].get("nonlin_course", {})
    return meta.get("runs", {}).get(meta.get("outputs", "cpu"), {})


def mode(paths: list[Path], here: dict) -> tuple[str, str]:
    """The nbval option, and why (empty when the outputs are compared)."""
    mine = {key: here.get(key) for key in COMPARED}
    for path in paths:
        saved = {key: saved_on(path).get(key) for key in COMPARED}
        if saved != mine:
            return "--nbval-lax", (
                f"{path.name}'s outputs were saved on {saved}; this machine is {mine}: "
                "running every chapter and its hidden checks without comparing saved "
                "outputs (make test-exact compares them anyway)"
            )
    return "--nbval", ""


if __name__ == "__main__":
    option, why = mode([Path(p) for p in sys.argv[1:]], where())
    if why:
        print(f"nbval_mode: {why}", file=sys.stderr)
    print(option)
