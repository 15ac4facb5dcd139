"""The README's course map is generated from the notebooks and must not drift from them."""

from course_map import entries, markdown_table, readme_block

from helpers import paths


def test_readme_course_map_matches_the_notebooks():
    assert readme_block(paths.README.read_text()) == markdown_table(), \
        "README course map is stale: run `python scripts/course_map.py --write`"


def test_every_notebook_is_in_the_map():
    assert [e.path.name for e in entries()] == sorted(p.name for p in paths.NOTEBOOKS_DIR.glob("*.ipynb"))
