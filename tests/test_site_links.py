"""The site's pages link to each other, not to raw .ipynb or README.md files, and carry their notebook's
title; checked on every notebook without executing any (the browser test executes a few)."""

import re

import nbformat
import pytest
from build_site import Page, Site, link_to_pages, pages, render_page

from helpers import paths

HREF = re.compile(r'href="([^"]+)"')


@pytest.fixture(scope="module")
def course():
    return pages()


@pytest.mark.parametrize("index", range(len(pages())), ids=[p.number for p in pages()])
def test_every_in_text_link_resolves_to_a_page_of_the_site(index, course):
    page = course[index]
    nb = nbformat.read(page.notebook, as_version=4)
    # the pages, the course map, and this page's own notebook (the download link)
    site_pages = {p.html_name for p in course} | {"index.html", page.notebook.name}
    previous = course[index - 1] if index else None
    following = course[index + 1] if index + 1 < len(course) else None
    site = Site(paths.BUILD_DIR, "", learner=False)
    html = render_page(nb, page, previous, following, site, projector=False, course=course)
    local = [h for h in HREF.findall(html) if not h.startswith(("http:", "https:", "#", "data:", "mailto:"))]
    assert local, "a page links at least to the course map"
    broken = [h for h in local if h.split("#")[0] not in site_pages]
    assert not broken, f"links that are not pages of the site: {broken}"
    assert f"<title>{page.title}</title>" in html


def test_links_are_rewritten_only_on_the_site():
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(
        "See [02 · PD](02_partial_dependence.ipynb#ale), [map](../README.md), [data](../data/README.md).")])
    out = link_to_pages(nb).cells[0].source
    assert "(02_partial_dependence.html#ale)" in out and "(index.html)" in out
    assert "02_partial_dependence.ipynb" in nb.cells[0].source, "the notebook itself keeps its .ipynb links"


def test_notebooks_link_only_to_notebooks_that_exist():
    names = {p.name for p in paths.course_notebooks()}
    for path in paths.course_notebooks():
        cells = nbformat.read(path, as_version=4).cells
        text = "".join("".join(c.source) for c in cells if c.cell_type == "markdown")
        targets = set(re.findall(r"\]\(([0-9]{2}_[a-z0-9_]+\.ipynb)", text))
        assert targets <= names, f"{path.name} links to missing notebooks {sorted(targets - names)}"


def test_page_record_names_the_html_file():
    page = Page("03", "SHAP", "s", "03_shap.html", paths.NOTEBOOKS_DIR / "03_shap.ipynb")
    assert page.html_name == page.notebook.with_suffix(".html").name
