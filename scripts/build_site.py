"""Execute every notebook and write the browsable course to build/.

- build/index.html and build/NN_name.html: the instructor's site, every cell with its output, solutions
  included; build/learner/: the same pages without the cells tagged `solution` (the learner's site).
- build/NN_name.ipynb: the executed notebooks.
- Nothing in the learner's folder: the learner site shows each page as ``make_exercises.learner_copy`` makes
  it, but the learner's own notebooks (my_notebooks/) are written by scripts/make_exercises.py, which
  `make course` runs next and which adds only the copies that are missing.
- build/mathjax/: MathJax 3 (tex-svg.js) from the `django-static-mathjax` package, so formulas are typeset
  offline.

Each page is titled with its notebook's title, has the previous/next bar above and below, and its
in-text links to other notebooks point to their pages (the notebooks themselves keep `.ipynb` links, which
work inside JupyterLab). Figures are re-compressed PNGs. The pages load nothing from the network: the
CDN scripts of nbconvert's template are left out; SHAP's force plots carry their own JavaScript.

`--projector` (or COURSE_PROJECTOR=1, as `make course PROJECTOR=1` sets) executes the notebooks in
projector mode (larger figure text, see helpers.course) and enlarges the pages' text. Stops at the first
failing cell, naming the notebook and the cell.
"""

from __future__ import annotations

import argparse
import base64
import copy
import html
import io
import os
import re
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

import nbformat
from course_map import by_part, entries
from make_exercises import learner_copy
from nbconvert import HTMLExporter
from notebook_runner import NotebookFailed, RunResult, execute, fail
from PIL import Image
from site_chrome import SIDEBAR_CSS, chrome, download_note, search_entries, search_script

from helpers.paths import BUILD_DIR as BUILD

CDN_SCRIPT = re.compile(r'<script[^>]+src="https?://[^"]*"[^>]*>\s*</script>')
NOTEBOOK_LINK = re.compile(r"\]\((?:\./)?([0-9]{2}_[a-z0-9_]+)\.ipynb(#[^)]*)?\)")
README_LINK = re.compile(r"\]\((?:\.\./)?README\.md(#[^)]*)?\)")
MATHJAX_DIR = "mathjax"
MATHJAX_FILE = "tex-svg.js"
# MathJax 3's single-file TeX-to-SVG build draws glyphs as SVG paths: no web fonts to fetch, which a browser
# refuses to load from file:// pages. Configured before it loads: $...$ and $$...$$ as in Jupyter.
MATHJAX_SETUP = """<script>
window.MathJax = {tex: {inlineMath: [["$", "$"], ["\\\\(", "\\\\)"]], processEscapes: true},
                  svg: {fontCache: "global"}};
</script>
"""
PROJECTOR_ENV = "COURSE_PROJECTOR"
SEARCH_FILE = "search.js"
PAGE_LIMIT = 2_000_000  # bytes: the course's budget for one executed page
# a formula in markdown: $...$ on one line or $$...$$ (a page without one does not load MathJax's 2 MB)
FORMULA = re.compile(r"\$\$.+?\$\$|(?<![\\$])\$[^$\n]+\$", re.DOTALL)
# Photo-like figures (photos, saliency maps, heat maps: many distinct colours) are re-encoded as JPEG at this
# quality when that saves at least a third; plots (few colours, sharp lines and text) stay PNG.
JPEG_QUALITY = 85
PHOTO_COLOURS = 20000


@dataclass(frozen=True)
class Page:
    """One notebook's page on the site."""

    number: str
    title: str
    summary: str
    html_name: str
    notebook: Path


@dataclass(frozen=True)
class Site:
    """Where a version of the site goes and how its pages reach the shared MathJax copy."""

    folder: Path
    mathjax_prefix: str
    learner: bool


def pages(only: list[str] | None = None) -> list[Page]:
    return [Page(e.number, e.title.replace("*", ""), e.summary, e.path.with_suffix(".html").name, e.path)
            for e in entries() if only is None or e.number in only]


def link_to_pages(nb):
    """A copy of ``nb`` whose markdown links to notebooks point to their site pages."""
    nb = copy.deepcopy(nb)
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            source = NOTEBOOK_LINK.sub(lambda m: f"]({m.group(1)}.html{m.group(2) or ''})", cell.source)
            cell.source = README_LINK.sub(lambda m: "](index.html)", source)
    return nb


def compress_png(data: str) -> str:
    """Re-encode a base64 PNG with maximum zlib compression (lossless, text chunks kept, such as projector
    mode's smallest-text stamp); keep the smaller of the two."""
    from PIL.PngImagePlugin import PngInfo

    raw = base64.b64decode(data)
    with Image.open(io.BytesIO(raw)) as img:
        info = PngInfo()
        for key, value in img.text.items():
            info.add_text(key, value)
        out = io.BytesIO()
        img.save(out, format="PNG", optimize=True, pnginfo=info)
    smaller = out.getvalue() if len(out.getvalue()) < len(raw) else raw
    return base64.b64encode(smaller).decode("ascii")


def photo_like(img) -> bool:
    """Many distinct colours, as photos, saliency maps and heat maps have (a line plot has a few thousand)."""
    rgb = img.convert("RGB")
    return rgb.getcolors(maxcolors=PHOTO_COLOURS) is None


def lossy_if_photo(data: str) -> tuple[str, str]:
    """(mime type, base64) of a figure for the page: a photo-like PNG as a JPEG at ``JPEG_QUALITY`` when
    that is at least a third smaller, keeping the figure's text-layout stamp (helpers.layout) as the JPEG's
    comment; anything else as the losslessly re-compressed PNG."""
    from helpers.layout import TEXT_KEY

    raw = base64.b64decode(data)
    with Image.open(io.BytesIO(raw)) as img:
        if not photo_like(img):
            return "image/png", compress_png(data)
        stamp = img.text.get(TEXT_KEY) if hasattr(img, "text") else None
        out = io.BytesIO()
        comment = f"{TEXT_KEY}={stamp}".encode() if stamp else b""
        img.convert("RGB").save(out, format="JPEG", quality=JPEG_QUALITY, optimize=True, comment=comment)
    if len(out.getvalue()) > 2 * len(raw) / 3:
        return "image/png", compress_png(data)
    return "image/jpeg", base64.b64encode(out.getvalue()).decode("ascii")


def has_formula(nb) -> bool:
    return any(cell.cell_type == "markdown" and FORMULA.search(cell.source) for cell in nb.cells)


def static_outputs(nb):
    """A copy of ``nb`` fit for a static page: live progress-bar widgets dropped (a page without the
    widget manager would show their first frame, "0%"), carriage-return updates in text output
    collapsed to their final state, as Jupyter shows them, photo-like figures as JPEG (``lossy_if_photo``)
    and the other PNG figures re-compressed."""
    nb = copy.deepcopy(nb)
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        kept = []
        for out in cell.outputs:
            data = out.get("data", {})
            if "application/vnd.jupyter.widget-view+json" in data:
                continue
            if out.get("output_type") == "stream":
                out.text = "\n".join(line.rsplit("\r", 1)[-1] for line in out.text.split("\n"))
            if "image/png" in data:
                mime, encoded = lossy_if_photo(data.pop("image/png"))
                data[mime] = encoded
            kept.append(out)
        cell.outputs = kept
    return nb


def nav(previous: Page | None, following: Page | None, where: str) -> str:
    def link(page, arrow):
        if page is None:
            return "<span></span>"
        return f'<a href="{page.html_name}">{arrow} {html.escape(page.title)}</a>'

    border = "border-bottom" if where == "top" else "border-top"
    return (f'<nav class="course-nav" style="display:flex;justify-content:space-between;gap:1em;'
            f'font:15px sans-serif;padding:10px 20px;{border}:1px solid #ddd">'
            f'{link(previous, "&larr;")}<a href="index.html">Course map</a>{link(following, "&rarr;")}</nav>')


def page_style(projector: bool) -> str:
    """Extra CSS: a drawing (SVG, e.g. notebook 00's graphviz tree) never wider than the page, so nothing
    of it is off screen; in projector mode, larger text throughout (the kernel raises the figures' text)."""
    css = ".jp-RenderedSVG img { max-width: 100%; height: auto; }" + SIDEBAR_CSS
    if projector:
        css += (":root { --jp-content-font-size1: 20px; --jp-code-font-size: 17px; "
                "--jp-ui-font-size1: 17px; } .jp-RenderedHTMLCommon table { font-size: 17px; }"
                ".course-nav { font-size: 19px !important; }")
    return f"<style>{css}</style>"


def render_page(nb, page: Page, previous: Page | None, following: Page | None, site: Site,
                projector: bool, course: list[Page] | None = None) -> str:
    """An executed notebook as one offline HTML page: the sidebar (course, sections, search), the navigation
    bar above and below, and the link to the page's notebook. MathJax loads only where there is a formula."""
    mathjax = f"{site.mathjax_prefix}{MATHJAX_DIR}/{MATHJAX_FILE}"
    exporter = HTMLExporter(template_name="lab", mathjax_url=mathjax)
    body, _ = exporter.from_notebook_node(static_outputs(link_to_pages(nb)),
                                          resources={"metadata": {"name": page.title}})
    body = CDN_SCRIPT.sub("", body).replace("</head>", page_style(projector) + "</head>", 1)
    loader = re.search(rf'<script[^>]*src="{re.escape(mathjax)}"[^>]*>\s*</script>', body)
    if loader is None:
        raise RuntimeError(f"nbconvert's page has no MathJax loader ({mathjax}): cannot place its set-up")
    if has_formula(nb):
        body = body.replace(loader.group(0), MATHJAX_SETUP + loader.group(0), 1)
    else:
        body = body.replace(loader.group(0), "", 1)
    top, bottom = nav(previous, following, "top"), nav(previous, following, "bottom")
    top += download_note(page.notebook.name, site.learner)
    opening = "<main>" if "<main>" in body else "<body>"
    closing = "</main>" if "</main>" in body else "</body>"
    head, _, rest = body.partition(opening)
    middle, _, tail = rest.rpartition(closing)
    page_html = f"{head}{opening}{top}{middle}{bottom}{closing}{tail}"
    body_tag = re.search(r"<body[^>]*>", page_html)
    side = chrome(course or [page], page, middle, SEARCH_FILE)
    return page_html[:body_tag.end()] + side + page_html[body_tag.end():]


def render_index(rows: list[tuple[Page, float | None]], site: Site, projector: bool) -> str:
    from run_times import about

    known = [seconds for _, seconds in rows if seconds is not None]
    cells = "\n".join(
        f"<tr><th colspan='4' class='part'>{html.escape(name)}</th></tr>\n" + "\n".join(
            f"<tr><td>{p.number}</td><td><a href='{p.html_name}'>{html.escape(p.title)}</a></td>"
            f"<td>{html.escape(p.summary)}</td>"
            f"<td style='text-align:right'>{'-' if s is None else 'about ' + str(about(s)) + ' s'}</td></tr>"
            for p, s in members)
        for name, members in by_part(rows, number=lambda row: row[0].number))
    size = 21 if projector else 17
    # The learner's index does not point at the solutions; the instructor's names the learner's version.
    version = ("This is the learner's version: the exercises are yours to answer, and each page links to "
               "its notebook, ready to run."
               if site.learner else
               "This is the instructor's version: it shows the exercises' solutions. The "
               "<a href='learner/index.html'>learner's version</a> leaves them to the learner.")
    title = ("Explaining ML models · learner's version" if site.learner
             else "Explaining ML models · instructor's version (with solutions)")
    total = f"<p>In all about {about(sum(known))} s of notebook execution.</p>" if known else ""
    pages_only = [p for p, _ in rows]
    side = chrome(pages_only, None, "", SEARCH_FILE)
    return f"""<!doctype html><html><head><meta charset="utf-8"><title>{html.escape(title)}</title>
<style>body{{font:{size}px/1.5 sans-serif;max-width:1100px;margin:2em auto;padding:0 1em}}
td,th{{padding:6px 10px;border-bottom:1px solid #ddd;vertical-align:top;text-align:left}}
table{{border-collapse:collapse}}
th.part{{padding-top:1.2em;font-size:1.05em}}{SIDEBAR_CSS}</style>
</head><body>{side}<h1>{html.escape(title)}</h1>
<p>A course on looking inside trained models, and on when to trust what you see. Every notebook below
was executed top to bottom for this site. Run times are those measured by <code>make bench</code> on a
2-core CPU.</p><p>{version}</p>
<table><tr><th>#</th><th>Notebook</th><th>What you learn</th><th>Run time</th></tr>
{cells}
</table>{total}</body></html>"""


def copy_mathjax(out: Path) -> None:
    """MathJax 3's tex-svg.js (one file, 2 MB) and its license, from the django-static-mathjax package."""
    import mathjax

    source = Path(mathjax.__file__).parent / "static" / "mathjax"
    target = out / MATHJAX_DIR
    target.mkdir(parents=True, exist_ok=True)
    for name in (f"es5/{MATHJAX_FILE}", "LICENSE"):
        destination = target / Path(name).name
        if not destination.is_file() or destination.stat().st_size != (source / name).stat().st_size:
            shutil.copyfile(source / name, destination)


def bench_seconds(page: Page) -> float | None:
    from run_times import entry

    try:
        return entry(page.notebook.stem)["wall"]
    except (FileNotFoundError, KeyError):
        return None


def write_site(site: Site, course: list[Page], executed: list, projector: bool) -> None:
    """The pages, the index and the search index of one version of the site. The learner's version also
    gets each notebook's learner copy (solutions removed, no outputs) next to its page, to download; the
    instructor's pages link to the executed notebooks ``build()`` writes next to them."""
    site.folder.mkdir(parents=True, exist_ok=True)
    found = []
    for i, (page, nb) in enumerate(zip(course, executed)):
        shown = nbformat.from_dict(learner_copy(nb)) if site.learner else nb
        previous, following = course[i - 1] if i else None, course[i + 1] if i + 1 < len(course) else None
        text = render_page(shown, page, previous, following, site, projector, course)
        (site.folder / page.html_name).write_text(text, encoding="utf-8")
        found += search_entries(text.split('<div class="course-download">', 1)[-1], page.html_name,
                                f"{page.number} · {page.title}")
        if site.learner:
            fresh = learner_copy(nbformat.read(page.notebook, as_version=4))
            nbformat.write(nbformat.from_dict(fresh), site.folder / page.notebook.name)
    (site.folder / SEARCH_FILE).write_text(search_script(found), encoding="utf-8")
    rows = [(page, bench_seconds(page)) for page in course]
    (site.folder / "index.html").write_text(render_index(rows, site, projector), encoding="utf-8")


def oversized(folder: Path, limit: int = PAGE_LIMIT) -> list[tuple[str, int]]:
    """(name, bytes) of the pages in ``folder`` larger than ``limit``: the course's page budget."""
    return [(p.name, p.stat().st_size) for p in sorted(folder.glob("[0-9][0-9]_*.html"))
            if p.stat().st_size > limit]


def build(out: Path, timeout: int | None = None, only: list[str] | None = None,
          projector: bool = False) -> list[RunResult]:
    """Execute the course's notebooks (or those whose number is in ``only``) and write both versions of
    the site to ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    course = pages(only)
    results = []
    previous = os.environ.get(PROJECTOR_ENV)
    os.environ[PROJECTOR_ENV] = "1" if projector else ""  # the kernels inherit it: course.setup() reads it
    try:
        for page in course:
            print(f"executing {page.notebook.name} ...", flush=True)
            start = time.perf_counter()
            try:
                results.append(execute(page.notebook, timeout=timeout))
            except NotebookFailed as exc:
                fail(str(exc))
            print(f"  {time.perf_counter() - start:6.1f} s", flush=True)
            nbformat.write(results[-1].nb, out / page.notebook.name)
    finally:
        if previous is None:
            os.environ.pop(PROJECTOR_ENV, None)
        else:
            os.environ[PROJECTOR_ENV] = previous
    copy_mathjax(out)
    executed = [r.nb for r in results]
    write_site(Site(out, "", learner=False), course, executed, projector)
    write_site(Site(out / "learner", "../", learner=True), course, executed, projector)
    print(f"wrote {out / 'index.html'} and {out / 'learner' / 'index.html'} ({len(results)} notebooks)")
    for name, size in oversized(out):
        print(f"warning: {name} is {size / 1e6:.1f} MB, over the course's {PAGE_LIMIT / 1e6:.0f} MB "
              "page budget")
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--timeout", type=int, default=None,
                        help="per-cell timeout in seconds (default: the course's, pyproject.toml)")
    parser.add_argument("--out", type=Path, default=BUILD)
    parser.add_argument("--projector", action="store_true", default=os.environ.get(PROJECTOR_ENV) == "1",
                        help="projector mode: larger text in figures and pages")
    parser.add_argument("only", nargs="*", help="notebook numbers to build (default: all)")
    args = parser.parse_args()
    build(args.out, args.timeout, args.only or None, args.projector)


if __name__ == "__main__":
    main()
