"""What a learner or CI would trip over in the committed notebooks."""

import json
import re

import pytest

from helpers import paths

NOTEBOOKS = sorted((paths.ROOT / "notebooks").rglob("*.ipynb"))
FORBIDDEN = ['weights="imagenet"', "weights='imagenet'", "fetch_openml", "urlretrieve", "get_file(",
             "decode_predictions", "sys.path.append", "import *", 'filterwarnings("ignore")',
             "filterwarnings('ignore')", "urlopen", "requests.get"]


def test_there_are_notebooks():
    assert NOTEBOOKS, "no notebooks found"


@pytest.mark.parametrize("nb", NOTEBOOKS, ids=lambda p: p.name)
def test_name_is_numbered_snake_case(nb):
    assert ".ipynb_checkpoints" not in nb.parts
    assert nb.parent == paths.ROOT / "notebooks"
    assert re.fullmatch(r"\d{2}_[a-z0-9]+(_[a-z0-9]+)*\.ipynb", nb.name), nb.name


def test_numbers_are_unique():
    numbers = [nb.name[:2] for nb in NOTEBOOKS]
    assert len(numbers) == len(set(numbers))


@pytest.mark.parametrize("nb", NOTEBOOKS, ids=lambda p: p.name)
def test_committed_without_outputs_or_counts(nb):
    cells = json.loads(nb.read_text())["cells"]
    dirty = [i for i, c in enumerate(cells)
             if c["cell_type"] == "code" and (c["outputs"] or c["execution_count"])]
    assert not dirty, f"cells {dirty} keep outputs or execution counts: run nbstripout"


@pytest.mark.parametrize("nb", NOTEBOOKS, ids=lambda p: p.name)
def test_no_network_loaders_or_hacks(nb):
    src = "\n".join("".join(c["source"]) for c in json.loads(nb.read_text())["cells"])
    found = [pat for pat in FORBIDDEN if pat in src]
    assert not found, f"{nb.name} uses {found}"


@pytest.mark.parametrize("nb", NOTEBOOKS, ids=lambda p: p.name)
def test_skeleton(nb):
    cells = json.loads(nb.read_text())["cells"]
    text = ["".join(c["source"]) for c in cells]
    assert cells[0]["cell_type"] == "markdown" and text[0].startswith("# "), "first cell is the H1 title"
    assert sum(t.startswith("# ") for t, c in zip(text, cells) if c["cell_type"] == "markdown") == 1
    assert "## Overview" in text[0] and "Run time" in text[0]
    first_code = next(t for t, c in zip(text, cells) if c["cell_type"] == "code")
    assert "course.setup(" in first_code, "the first code cell is the setup cell"
    assert any("## Summary" in t for t in text)
    assert any(c["cell_type"] == "code" and "assert " in t for t, c in zip(text, cells)), "no check cell"


def test_nbstripout_would_change_nothing():
    import subprocess
    import sys
    from pathlib import Path

    nbstripout = Path(sys.executable).with_name("nbstripout")
    result = subprocess.run([str(nbstripout), "--verify", *map(str, NOTEBOOKS)], check=False,
                            capture_output=True, text=True)
    assert result.returncode == 0, f"run nbstripout on the notebooks:\n{result.stdout}{result.stderr}"


@pytest.mark.parametrize("nb", NOTEBOOKS, ids=lambda p: p.name)
def test_runs_on_the_course_kernel(nb):
    from install_kernel import DISPLAY_NAME, KERNEL_NAME

    spec = json.loads(nb.read_text())["metadata"].get("kernelspec", {})
    assert (spec.get("name"), spec.get("display_name")) == (KERNEL_NAME, DISPLAY_NAME), \
        "nbval, make course and a learner's Jupyter all start the kernel the notebook names"


def test_course_kernel_is_installed_for_this_environment_and_keeps_tensorflow_lines_out():
    import sys

    from install_kernel import KERNEL_NAME
    from jupyter_client.kernelspec import KernelSpecManager

    spec = KernelSpecManager().get_kernel_spec(KERNEL_NAME)
    assert spec.argv[0] == sys.executable, "the kernel must run this environment's Python (run make)"
    assert "--IPKernelApp.capture_fd_output=False" in spec.argv


def test_exercise_modules_do_not_import_tensorflow_or_keras():
    """Exercise references call a helper (which may use TensorFlow) or a second library; the exercise
    modules themselves import neither, so loading a checker never pulls in TensorFlow by itself."""
    modules = sorted((paths.ROOT / "helpers" / "exercises").glob("*.py"))
    importing = [m.name for m in modules
                 if re.search(r"^\s*(import|from)\s+(tensorflow|keras)\b", m.read_text(), re.MULTILINE)]
    assert modules and not importing, f"exercise modules importing TensorFlow/Keras: {importing}"
