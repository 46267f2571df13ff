"""Code cells as an edition shows them: without glue calls, without nbgrader's markers.

>>> print(without_glue('x = nc.glue_float("acc", 0.5 + y, 3)\\nnc.glue_float("b", x)\\nprint(x)'))
x = 0.5 + y
print(x)
>>> print(without_markers("def f():\\n  ### BEGIN SOLUTION\\n  return 1\\n  ### END SOLUTION"))
def f():
  return 1
"""

import ast
import re

GLUE = {"glue_float", "glue"}


def python_only(code: str) -> str:
    """Code with IPython magics and shell escapes turned into ``pass`` (same lines).

    >>> python_only("%pip install x\\nimport x")
    'pass\\nimport x'
    """
    return re.sub(r"^(\s*)[%!].*$", r"\1pass", code, flags=re.MULTILINE)


def _is_glue(node) -> bool:
    if not isinstance(node, ast.Call):
        return False
    func = node.func
    return (func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")) in GLUE


def without_glue(code: str) -> str:
    """``code`` with each glue call gone: a statement that only glues is removed (and a
    loop or block left empty by that), a glued value used elsewhere becomes the value."""
    try:
        tree = ast.parse(python_only(code))
    except SyntaxError:
        return code
    lines = code.split("\n")
    drop, swaps = set(), []

    def only_glue(statement) -> bool:
        if isinstance(statement, ast.Expr) and _is_glue(statement.value):
            return True
        bodies = [getattr(statement, name, None) for name in ("body", "orelse")]
        bodies = [b for b in bodies if b]
        return (
            isinstance(statement, (ast.For, ast.While, ast.If, ast.With))
            and not getattr(statement, "orelse", None)
            and all(only_glue(s) for b in bodies for s in b)
        )

    for node in ast.walk(tree):
        for name in ("body", "orelse", "finalbody"):
            block = getattr(node, name, None)
            for statement in block if isinstance(block, list) else []:
                if isinstance(statement, ast.stmt) and only_glue(statement):
                    drop.update(range(statement.lineno - 1, statement.end_lineno))
    for node in ast.walk(tree):
        if _is_glue(node) and len(node.args) >= 2 and node.lineno - 1 not in drop:
            swaps.append((node, ast.get_source_segment(code, node.args[1])))
    for node, value in sorted(swaps, key=lambda s: (s[0].lineno, s[0].col_offset), reverse=True):
        if node.lineno != node.end_lineno:
            continue
        line = lines[node.lineno - 1]
        lines[node.lineno - 1] = line[: node.col_offset] + value + line[node.end_col_offset :]
    kept = [line for i, line in enumerate(lines) if i not in drop]
    return "\n".join(kept).strip("\n")


def without_markers(code: str) -> str:
    """``code`` without nbgrader's ``### BEGIN SOLUTION`` / ``### END SOLUTION`` lines."""
    return "\n".join(
        line
        for line in code.split("\n")
        if not re.fullmatch(r"\s*### (BEGIN|END) SOLUTION\s*", line)
    )


def form_title(source: str, tags: list) -> str | None:
    """The title of a hidden cell shown as a Colab form, or None to show it as a plain cell.

    >>> form_title("assert x > 0", ["remove-cell"])
    "Check the chapter's claims"
    >>> form_title("nc.setup_plots()", ["remove-cell"]) is None
    True
    """
    if "answer-check" in tags:
        return "Check the exercise's answer"
    if re.search(r"^\s*assert\b", source, re.MULTILINE):
        return "Check the chapter's claims"
    if "glue" in source:
        return "Compute the numbers the text quotes"
    if "remove-input" in tags:
        return "Code hidden in the book"
    return None
