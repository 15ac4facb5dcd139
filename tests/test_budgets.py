r"""Lessons of one sitting: every notebook keeps the course's budgets that can be counted without running it.

- at most 2,500 words of prose (markdown cells): the larger of two counts, whitespace-separated words and
  word tokens (``\w+``: "SHAP's" and "0.02" are two each), as the course's hygiene hook counts them;
- at most 300 lines of code (every line of the code cells, blank ones included, as the hook counts them);
- at most 6 functions defined in the notebook (``def`` statements, nested ones and methods included, and
  ``lambda``s bound to a name; a lambda passed straight to a call is not a definition).

The budgets that need a run (warm run time ≤ 25 s, peak memory ≤ 1.5 GB) are measured by `make bench` and
reported in the README's run-time table; the executed page's size (≤ 2 MB) by `make course`, which names
every page over it.
"""

import ast
import json
import re

import pytest

from helpers import paths

WORDS, CODE_LINES, FUNCTIONS = 2500, 300, 6


def cells(path, kind):
    return ["".join(c["source"]) for c in json.loads(path.read_text())["cells"] if c["cell_type"] == kind]


def functions_defined(code: str) -> list[str]:
    """Names of the functions a piece of notebook code defines (IPython magics and shell lines skipped)."""
    lines = [line for line in code.splitlines() if not line.lstrip().startswith(("%", "!"))]
    tree = ast.parse("\n".join(lines))
    nodes = list(ast.walk(tree))
    names = [node.name for node in nodes if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))]
    bound = [node for node in nodes if isinstance(node, ast.Assign) and isinstance(node.value, ast.Lambda)]
    names += [target.id for node in bound for target in node.targets if isinstance(target, ast.Name)]
    return names


@pytest.mark.parametrize("path", paths.course_notebooks(), ids=lambda p: p.name[:2])
def test_notebook_keeps_the_countable_budgets(path):
    prose = cells(path, "markdown")
    words = max(sum(len(text.split()) for text in prose),
                sum(len(re.findall(r"\w+", text)) for text in prose))
    code = cells(path, "code")
    lines = sum(len(text.splitlines()) for text in code)
    defined = [name for text in code for name in functions_defined(text)]
    assert words <= WORDS, f"{path.name}: {words} words of prose (at most {WORDS})"
    assert lines <= CODE_LINES, f"{path.name}: {lines} lines of code (at most {CODE_LINES})"
    assert len(defined) <= FUNCTIONS, f"{path.name}: {len(defined)} functions {defined} (at most {FUNCTIONS})"


def test_the_counts_see_what_they_should():
    code = ("def f():\n    def g():\n        pass\nclass A:\n    def m(self):\n        pass\n"
            "h = lambda x: x\nsorted([1], key=lambda v: v)\n%matplotlib inline\n")
    assert sorted(functions_defined(code)) == ["f", "g", "h", "m"]
