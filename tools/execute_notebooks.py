"""Execute chapter notebooks in place and save outputs fit for committing.

Usage: python tools/execute_notebooks.py book/01_*.ipynb [...]

After running, two things are removed so that the saved notebook stays small and
its diffs meaningful: lets-plot's library loader (2.9 MB of JavaScript; the site
serves the library once from its static files) and per-cell execution timestamps.
Progress bars are saved as their final state only.

Each notebook's metadata records how long it took and where it ran, under
``nonlin_course.runs.<cpu|cuda>`` (a CPU run keeps an earlier GPU record and the other
way round), and ``nonlin_course.outputs`` names the run whose outputs are saved; the book's "Running the chapters" page shows these without executing anything.
"""

import datetime
import os
import platform
import sys
import time
from pathlib import Path

import nbformat
import torch
from nbclient import NotebookClient

LIBRARY_MARK = 'data-lets-plot-script="library"'


def is_library_output(output) -> bool:
    html = output.get("data", {}).get("text/html", "")
    return LIBRARY_MARK in ("".join(html) if isinstance(html, list) else html)


def final_stderr(outputs) -> list:
    """Merge a cell's stderr chunks into one, keeping what a terminal shows at the end:
    a progress bar redraws its line with carriage returns, so keep each line's last state."""
    chunks = [o for o in outputs if o.get("output_type") == "stream" and o.get("name") == "stderr"]
    if len(chunks) < 2:
        return outputs
    text = "".join(o["text"] for o in chunks)
    shown = "\n".join(line.rsplit("\r", 1)[-1] for line in text.split("\n"))
    rest = [o for o in outputs if o not in chunks]
    return rest + [nbformat.v4.new_output("stream", name="stderr", text=shown)]


def clean(nb) -> None:
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
        if cell.cell_type == "code":
            outputs = [o for o in cell.outputs if not is_library_output(o)]
            cell.outputs = final_stderr(outputs)


def cpu_name() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def where() -> dict:
    """Where the chapters compute: the device nonlin_course.device() picks, and versions."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    import nonlin_course as nc

    on = nc.device()
    record = {
        "device": on.type,
        "cpu": cpu_name(),
        "cores": os.cpu_count(),
        "capability": torch.backends.cpu.get_cpu_capability(),
        "torch": torch.__version__,
        "python": platform.python_version(),
        "date": datetime.date.today().isoformat(),
    }
    if on.type == "cuda":
        record["gpu"] = torch.cuda.get_device_name(on)
    return record


def execute(path: Path) -> float:
    nb = nbformat.read(path, as_version=4)
    start = time.perf_counter()
    NotebookClient(
        nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}
    ).execute()
    elapsed = time.perf_counter() - start
    clean(nb)
    record = where() | {"seconds": round(elapsed, 1)}
    meta = nb.metadata.setdefault("nonlin_course", {})
    meta.setdefault("runs", {})[record["device"]] = record
    meta["outputs"] = record["device"]  # whose outputs the notebook now holds
    nbformat.write(nb, path)
    return elapsed


if __name__ == "__main__":
    for name in sys.argv[1:]:
        print(f"{name}: executed in {execute(Path(name)):.1f} s")
