"""The built course site in a real browser (headless Chromium driven by Playwright): pages load without
JavaScript errors or failed requests, formulas are typeset, links and titles are right, SHAP's force
plots draw, the learner's site has no solutions, every page has the sidebar (course, sections, search that
works from file://) and a link to its notebook, MathJax loads only where there is a formula, nothing is
wider than the page at 1024 px, and every figure of every page, in normal and in projector mode, is legible
as displayed at 1024 x 768: smallest text at least 12 px, no two text boxes overlapping, no text leaving the
figure (helpers.layout stamps each figure; scripts/legibility.py reads the stamps in the browser). The
sites are built into temporary directories, never into the repository."""

import re
from pathlib import Path

import pytest
from build_site import build, pages
from legibility import BROWSER_ARGS, measure

BUILT = ["02", "03"]  # the PD formula, the SHAP sum and the interactive force plots


@pytest.fixture(scope="module")
def browser(chromium):  # tests/conftest.py: skipped without Chromium, except under CI
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, headless=True, args=BROWSER_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The whole course, as `make course` builds it."""
    out = tmp_path_factory.mktemp("site")
    build(out)
    return out


@pytest.fixture(scope="module")
def projector_site(tmp_path_factory):
    """The whole course, as `make course PROJECTOR=1` builds it."""
    out = tmp_path_factory.mktemp("projector-site")
    build(out, projector=True)
    return out


def open_page(browser, path: Path, width=1280, height=900):
    page = browser.new_page(viewport={"width": width, "height": height})
    problems = []
    page.on("pageerror", lambda err: problems.append(f"JavaScript error: {err}"))
    page.on("console", lambda msg: problems.append(f"console {msg.type}: {msg.text}")
            if msg.type == "error" else None)
    page.on("requestfailed", lambda req: problems.append(f"request failed: {req.url}"))
    page.goto(path.as_uri())
    page.wait_for_load_state("load")
    page.wait_for_timeout(800)
    return page, problems


def test_force_plots_draw_without_errors(browser, site):
    html = (site / "03_shap.html").read_text()
    # each interactive force plot is a div that shap's script renders into by id
    ids = re.findall(r"document\.getElementById\('(i[A-Z0-9]+)'\)", html)
    assert len(ids) == 2, f"expected the single-patient and the stacked force plot, found {ids}"
    page, problems = open_page(browser, site / "03_shap.html")
    script = ("id => { const d = document.getElementById(id); return {id, drawn: !!d.querySelector('svg'),"
              " omitted: d.textContent.includes('Visualization omitted')}; }")
    plots = [page.evaluate(script, i) for i in ids]
    assert not problems, problems
    assert all(p["drawn"] and not p["omitted"] for p in plots), plots


@pytest.mark.parametrize("number", BUILT)
def test_formulas_are_typeset_offline(browser, site, number):
    name = next(p.html_name for p in pages(BUILT) if p.number == number)
    page, problems = open_page(browser, site / name)
    page.wait_for_function("() => window.MathJax && MathJax.startup && MathJax.startup.promise",
                           timeout=20_000)
    page.evaluate("() => MathJax.startup.promise")
    text = page.inner_text("body")
    typeset = page.eval_on_selector_all("mjx-container svg", "els => els.length")
    assert not problems, problems
    assert "$$" not in text, "a formula is still raw LaTeX"
    assert typeset > 0, "no formula was typeset"


@pytest.mark.parametrize("number", BUILT)
def test_pages_carry_their_title_and_links_between_pages(browser, site, number):
    course = pages(BUILT)
    page_info = next(p for p in course if p.number == number)
    page, problems = open_page(browser, site / page_info.html_name)
    assert page.title() == page_info.title
    hrefs = page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))")
    local = {h.split("#")[0] for h in hrefs if not h.startswith(("http", "#", "data:"))}
    names = ({p.html_name for p in pages()} | {p.notebook.name for p in pages()}
             | {"index.html", "learner/index.html"})
    assert local <= names, f"links to files that are not pages of the site: {local - names}"
    built = [h for h in local if (site / h).is_file()]
    assert "index.html" in built, "the course map is linked"
    nav_bars = page.eval_on_selector_all("nav.course-nav", "els => els.length")
    assert nav_bars == 2, "a previous/next bar above and below the notebook"
    assert not problems, problems


def test_index_links_to_the_pages(browser, site):
    page, problems = open_page(browser, site / "index.html")
    links = page.eval_on_selector_all("table a", "els => els.map(e => e.getAttribute('href'))")
    assert not problems, problems
    assert links == [p.html_name for p in pages()]  # the whole course is built


def test_learner_site_has_no_solutions(browser, site):
    for page_info in pages(BUILT):
        instructor = (site / page_info.html_name).read_text()
        learner = (site / "learner" / page_info.html_name).read_text()
        assert "celltag_solution" in instructor, "the instructor's page shows the solutions"
        assert "celltag_solution" not in learner, f"learner/{page_info.html_name} shows a solution"
        page, problems = open_page(browser, site / "learner" / page_info.html_name)
        page.wait_for_function("() => window.MathJax && MathJax.startup && MathJax.startup.promise",
                               timeout=20_000)
        page.evaluate("() => MathJax.startup.promise")
        assert not problems, problems


PAGE_LIMIT = 2_000_000  # bytes: every page loads in one go on a classroom's network


def page_problems(page, html: Path, lessons: int) -> list[str]:
    """What is wrong with one loaded page at 1024 x 768, beyond its figures: weight, width, tables wider
    than their box, and the sidebar (every lesson, the page's sections, search) or the download link
    missing."""
    found = []
    if html.stat().st_size > PAGE_LIMIT:
        found.append(f"{html.stat().st_size / 1e6:.1f} MB")
    if page.evaluate("document.documentElement.scrollWidth") > 1024:
        found.append("wider than 1024 px")
    wide = page.evaluate("""() => [...document.querySelectorAll('.jp-RenderedHTMLCommon table')]
        .filter(t => t.getBoundingClientRect().right > t.parentElement.getBoundingClientRect().right + 1)
        .length""")
    found += [f"{wide} tables wider than their box"] if wide else []
    counts = page.evaluate("""() => ({lessons: document.querySelectorAll('.cs-lessons > ul > li > a').length,
        sections: document.querySelectorAll('.cs-toc a').length,
        search: document.querySelectorAll('#course-search').length,
        download: document.querySelectorAll('.course-download a[href$=".ipynb"]').length})""")
    if counts != {"lessons": lessons, "sections": counts["sections"] or -1, "search": 1, "download": 1}:
        found.append(f"sidebar or download link incomplete: {counts}")
    return found


@pytest.mark.parametrize("mode", ["normal", "projector"])
def test_every_page_is_legible_and_navigable_at_1024_by_768(browser, site, projector_site, mode):
    """Every figure of every page (smallest text as displayed, overlaps, text outside), and every page's
    weight, width, tables, sidebar and download link, in both the solutions and the learner site."""
    built = site if mode == "normal" else projector_site
    found, smallest, course = {}, [], pages()
    for folder in (built, built / "learner"):
        for page_info in course:
            html = folder / page_info.html_name
            page, problems = open_page(browser, html, width=1024, height=768)
            figures = measure(page)
            found[str(html.relative_to(built))] = [*problems, *page_problems(page, html, len(course)),
                                                   *(f"figure {f.index}: {problem}" for f in figures
                                                     for problem in f.problems)]
            page.close()
            smallest += [f.displayed_px for f in figures if f.displayed_px is not None]
    assert len(smallest) > 80, "every matplotlib figure of the course carries its text-layout stamp"
    found = {name: problems for name, problems in found.items() if problems}
    assert not found, f"{mode} mode at 1024 x 768:\n" + "\n".join(
        f"{name}: {problem}" for name, problems in found.items() for problem in problems)


def test_sidebar_lists_the_course_and_the_page_sections(browser, site):
    course = pages(BUILT)
    for width, height, open_at_start in ((1440, 900, True), (1024, 768, False)):
        page, problems = open_page(browser, site / course[0].html_name, width, height)
        box = page.eval_on_selector("#course-sidebar", "e => e.getBoundingClientRect().right")
        assert (box > 0) == open_at_start, f"at {width} px the sidebar is {'open' if box > 0 else 'closed'}"
        if not open_at_start:
            page.click("#course-toggle")
            page.wait_for_timeout(400)
            assert page.eval_on_selector("#course-sidebar", "e => e.getBoundingClientRect().left") >= 0
        lessons = page.eval_on_selector_all(".cs-lessons > ul > li > a",
                                            "els => els.map(e => e.getAttribute('href'))")
        assert lessons == [p.html_name for p in pages()]  # every lesson of the course
        anchors = page.eval_on_selector_all(".cs-toc a",
                                            "els => els.map(e => e.getAttribute('href').slice(1))")
        assert len(anchors) >= 4, "the current lesson's sections are listed"
        missing = [a for a in anchors if not page.evaluate("id => !!document.getElementById(id)", a)]
        assert not missing, f"contents entries with no section on the page: {missing}"
        assert not problems, problems


def test_search_finds_a_section_on_another_page_from_a_file_url(browser, site):
    course = pages(BUILT)
    page, problems = open_page(browser, site / course[1].html_name, 1440, 900)
    page.fill("#course-search", "accumulated local effects")
    page.wait_for_timeout(300)
    hits = page.eval_on_selector_all("#course-search-results a",
                                     "els => els.map(e => e.getAttribute('href'))")
    assert hits and hits[0].startswith(course[0].html_name + "#"), hits
    page.click("#course-search-results a")
    page.wait_for_load_state("load")
    anchor = page.evaluate("decodeURIComponent(location.hash.slice(1))")
    assert page.url.split("#")[0].endswith(course[0].html_name)
    assert page.evaluate("id => !!document.getElementById(id)", anchor)
    page.fill("#course-search", "zzqx")
    page.wait_for_timeout(200)
    assert "No section" in page.inner_text("#course-search-results")
    assert not problems, problems


def test_each_page_links_to_its_notebook_the_learner_copy_on_the_learner_site(site):
    import json

    for page_info in pages(BUILT):
        for folder, learner in ((site, False), (site / "learner", True)):
            text = (folder / page_info.html_name).read_text()
            link = re.search(r'<div class="course-download">.*?href="([^"]+)"', text, re.DOTALL).group(1)
            assert link == page_info.notebook.name and (folder / link).is_file()
            cells = json.loads((folder / link).read_text())["cells"]
            tagged = [c for c in cells if "solution" in c.get("metadata", {}).get("tags", [])]
            assert bool(tagged) != learner, f"{folder.name}/{link}: solutions present: {bool(tagged)}"
            assert ("make lab-learner" in text) == learner and "JupyterLab" in text


def test_mathjax_loads_only_where_there_is_a_formula(site, tmp_path):
    import nbformat
    from build_site import MATHJAX_FILE, Site, has_formula, render_page

    for page_info in pages(BUILT):
        nb = nbformat.read(site / page_info.notebook.name, as_version=4)
        assert (MATHJAX_FILE in (site / page_info.html_name).read_text()) == has_formula(nb)
    plain = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# 99 · Plain\n\nNo formula.")])
    page_info = pages(BUILT)[0]
    html = render_page(plain, page_info, None, None, Site(tmp_path, "", learner=False), projector=False)
    assert MATHJAX_FILE not in html


def test_index_pages_have_their_own_titles_and_the_learner_index_hides_the_solutions(browser, site):
    titles = []
    for folder in (site, site / "learner"):
        page, problems = open_page(browser, folder / "index.html")
        titles.append(page.title())
        hrefs = page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))")
        assert not problems, problems
    assert titles[0] != titles[1] and "learner" in titles[1]
    learner_index = (site / "learner" / "index.html").read_text()
    assert "../index.html" not in learner_index, "the learner's index links to the solutions"
    assert hrefs and all(not h.startswith("..") for h in hrefs)
