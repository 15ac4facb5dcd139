"""Every run time the course quotes comes from bench/results.json (written by `make bench`): the README
table and each notebook's "Run time" line must match what the file says."""

import pytest
from run_times import README, notebook_line, readme_block, readme_table, results, run_time_line

from helpers import paths


def test_every_notebook_was_benchmarked():
    missing = [p.stem for p in paths.course_notebooks() if p.stem not in results()["notebooks"]]
    assert not missing, f"{missing} are not in bench/results.json: run `make bench`"


def test_readme_run_time_table_matches_the_bench_file():
    assert readme_block(README.read_text()) == readme_table(), \
        "README run times are stale: run `python scripts/run_times.py --write`"


@pytest.mark.parametrize("path", paths.course_notebooks(), ids=lambda p: p.name[:2])
def test_notebook_run_time_line_matches_the_bench_file(path):
    assert notebook_line(path) == run_time_line(path.stem), \
        f"{path.name}: run `python scripts/run_times.py --write`"
