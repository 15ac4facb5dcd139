"""The README's course map is generated from the notebooks and must not drift from them."""

import pytest
from course_map import entries, markdown_table, readme_block

from helpers import paths


def test_readme_course_map_matches_the_notebooks():
    assert readme_block(paths.README.read_text()) == markdown_table(), \
        "README course map is stale: run `python scripts/course_map.py --write`"


def test_every_notebook_is_in_the_map():
    assert [e.path.name for e in entries()] == sorted(p.name for p in paths.NOTEBOOKS_DIR.glob("*.ipynb"))


def test_parts_group_the_notebooks_by_their_tens_digit():
    from course_map import PARTS, by_part, part

    assert part("20") == part("29") == PARTS["2"] and "Explanations under attack" in PARTS["2"]
    assert list(PARTS) == sorted(PARTS), "parts are listed in reading order"
    with pytest.raises(ValueError, match="in no part"):
        part("90")
    with pytest.raises(ValueError, match="two digits"):
        part("7")
    groups = by_part(["03", "12", "10", "21", "20"], number=lambda n: n)
    assert [(name[:5], members) for name, members in groups] == \
        [("00–09", ["03"]), ("10–19", ["12", "10"]), ("20–29", ["21", "20"])]
    # every notebook of the course is in a part, and the README shows each part's heading above its notebooks
    names = [name for name, _ in by_part(entries())]
    table = markdown_table()
    assert all(f"**{name}**" in table for name in names)
    positions = [table.index(f"**{name}**") for name in names]
    assert positions == sorted(positions)


def test_site_index_shows_the_parts_in_order():
    from build_site import Page, Site, render_index

    rows = [(Page(n, f"title {n}", "s", f"{n}_x.html", paths.NOTEBOOKS_DIR / f"{n}_x.ipynb"), None)
            for n in ("05", "13", "20", "24")]
    page = render_index(rows, Site(paths.BUILD_DIR, "", learner=False), projector=False)
    page = page[page.index("<table"):]  # the course map itself (the sidebar lists the parts too)
    order = ("00–09 ·", "05_x.html", "10–19 ·", "13_x.html", "20–29 · Explanations under attack", "20_x.html",
             "24_x.html")
    heads = [page.index(text) for text in order]
    assert heads == sorted(heads) and page.count("20–29 ·") == 1
