"""Every public function and class of ``helpers/*.py`` says where it is taught or used, as helpers/__init__.py
and the README promise: a notebook path (``notebooks/NN_name.ipynb``), or, for code no notebook teaches
(hash checks, paths, input checks), the marker ``Infrastructure (not taught in a notebook)``. The exercise
checkers (``helpers/exercises/``, one module per notebook) are not covered."""

import ast
import re

import pytest

from helpers import paths

HELPERS = sorted(p for p in (paths.ROOT / "helpers").glob("*.py") if p.name != "__init__.py")
NOTEBOOK = re.compile(r"notebooks/(\d\d_[a-z0-9_]+)\.ipynb")
INFRASTRUCTURE = "Infrastructure (not taught in a notebook)"


def public_objects(path):
    """(name, docstring) of every top-level public function and class of a module."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [(node.name, ast.get_docstring(node) or "") for node in tree.body
            if isinstance(node, (ast.FunctionDef, ast.ClassDef)) and not node.name.startswith("_")]


@pytest.mark.parametrize("path", HELPERS, ids=lambda p: p.name)
def test_every_public_object_names_its_notebook(path):
    unnamed = [name for name, doc in public_objects(path)
               if not NOTEBOOK.search(" ".join(doc.split())) and INFRASTRUCTURE not in doc]
    assert not unnamed, (f"helpers/{path.name}: the docstrings of {unnamed} name no notebook; add a line "
                         f"'Taught in notebooks/NN_name.ipynb.' or 'Used in ...', or '{INFRASTRUCTURE}: "
                         "used by ...' for code no notebook teaches")


def test_notebooks_named_in_helpers_exist():
    named = {name for path in HELPERS for name in NOTEBOOK.findall(path.read_text(encoding="utf-8"))}
    existing = {p.stem for p in paths.NOTEBOOKS_DIR.glob("*.ipynb")}
    assert named <= existing, f"helpers name notebooks that do not exist: {sorted(named - existing)}"


def test_the_check_finds_an_unnamed_function(tmp_path):
    module = tmp_path / "module.py"
    module.write_text('def named():\n    """Used in notebooks/03_shap.ipynb."""\n\n\n'
                      'def unnamed():\n    """Does something."""\n\n\n'
                      'def _private():\n    pass\n')
    docs = dict(public_objects(module))
    assert set(docs) == {"named", "unnamed"}
    assert NOTEBOOK.search(docs["named"]) and not NOTEBOOK.search(docs["unnamed"])
