"""The notebook runner behind `make course` and `make bench`: it times cells and, when a cell fails,
names the notebook and the cell."""

import nbformat
import pytest
from notebook_runner import NotebookFailed, execute


def write(tmp_path, *sources):
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# 99 · Test")] +
                                  [nbformat.v4.new_code_cell(s) for s in sources])
    path = tmp_path / "99_test.ipynb"
    nbformat.write(nb, path)
    return path


def test_times_every_code_cell(tmp_path):
    result = execute(write(tmp_path, "x = 1", "import time; time.sleep(0.2)"), timeout=60)
    assert len(result.cell_times) == 2 and result.cell_times[1] >= 0.15
    assert result.slowest[0] == 2 and result.wall >= 0.15


def test_failure_names_notebook_and_cell(tmp_path):
    with pytest.raises(NotebookFailed,
                       match=r"99_test.ipynb: code cell 2 .*starting `raise ValueError\('boom'\)`"):
        execute(write(tmp_path, "x = 1", "raise ValueError('boom')", "y = 2"), timeout=60)
