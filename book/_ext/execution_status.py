"""Sphinx extension: the ``{execution-status}`` directive, a table of how long each
chapter took to run and where.

``make outputs`` (tools/execute_notebooks.py) records each run in the notebook's metadata,
under ``nonlin_course.runs.<cpu|cuda>``. This directive reads those records when the site
is built; it executes nothing. A GPU row appears once a GPU run has been saved.
"""

import json
from pathlib import Path

from docutils import nodes
from sphinx.util.docutils import SphinxDirective

HEADER = ["Chapter", "Ran on", "Seconds", "torch", "Date"]


def chapter_runs(book_dir: Path) -> list[dict]:
    """One dict per (chapter, device) with a saved record, in chapter order."""
    rows = []
    for path in sorted(book_dir.glob("[0-9]*.ipynb")):
        notebook = json.loads(path.read_text(encoding="utf-8"))
        title = next(
            (
                line.lstrip("# ").strip()
                for cell in notebook["cells"]
                if cell["cell_type"] == "markdown"
                for line in "".join(cell["source"]).splitlines()
                if line.startswith("# ")
            ),
            path.stem,
        )
        runs = notebook["metadata"].get("nonlin_course", {}).get("runs", {})
        for device in sorted(runs):
            rows.append({"chapter": title, **runs[device]})
    return rows


def where(run: dict) -> str:
    cores = f"{run['cores']} cores" if run.get("cores") else ""
    if run.get("device") == "cuda":
        return f"GPU: {run.get('gpu', 'CUDA')} ({cores} CPU)"
    return f"CPU: {run.get('cpu', '?')}, {cores}"


def table(rows: list[list[str]]) -> nodes.table:
    group = nodes.tgroup(cols=len(HEADER))
    group += [nodes.colspec(colwidth=1) for _ in HEADER]
    head, body = nodes.thead(), nodes.tbody()
    for target, cells in [(head, HEADER)] + [(body, row) for row in rows]:
        line = nodes.row()
        for text in cells:
            line += nodes.entry("", nodes.paragraph(text=text))
        target += line
    group += [head, body]
    return nodes.table("", group, classes=["execution-status"])


class ExecutionStatus(SphinxDirective):
    """The table of saved run times; no arguments, no content."""

    def run(self):
        book_dir = Path(self.env.srcdir) / Path(self.env.docname).parent
        for path in book_dir.glob("[0-9]*.ipynb"):  # rebuild this page when a record changes
            self.env.note_dependency(str(path))
        runs = chapter_runs(book_dir)
        if not runs:
            return [nodes.paragraph(text="No run has been recorded yet: run `make outputs`.")]
        rows = [
            [r["chapter"], where(r), f"{r['seconds']:.0f}", r.get("torch", "?"), r.get("date", "?")]
            for r in runs
        ]
        for device in sorted({r["device"] for r in runs}):
            mine = [r for r in runs if r["device"] == device]
            rows.append(
                [
                    f"All chapters ({device.upper()})",
                    where(mine[0]),
                    f"{sum(r['seconds'] for r in mine):.0f}",
                    "",
                    "",
                ]
            )
        return [table(rows)]


def setup(app):
    app.add_directive("execution-status", ExecutionStatus)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
