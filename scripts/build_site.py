"""Execute every notebook and write the browsable course to build/.

build/NN_name.html is each executed notebook (with previous/next links), build/index.html is the
course map: number, title, what each notebook teaches and its measured run time. Stops at the first
failing cell, naming the notebook and the cell. The pages load nothing from the network: nbconvert's
CDN scripts (require.js, MathJax) are left out, so formulas show as LaTeX source; SHAP's force plots
carry their own JavaScript.
"""

from __future__ import annotations

import argparse
import copy
import html
import re
import time
from pathlib import Path

import nbformat
from course_map import entries
from nbconvert import HTMLExporter
from notebook_runner import NotebookFailed, RunResult, execute, fail

from helpers.paths import BUILD_DIR as BUILD

CDN_SCRIPT = re.compile(r'<script[^>]+src="https?://[^"]*"[^>]*>\s*</script>')


def nav(prev_page, next_page) -> str:
    def link(page, label):
        return f'<a href="{page[0]}">{label} {html.escape(page[1])}</a>' if page else "<span></span>"

    return ('<nav style="display:flex;justify-content:space-between;font:15px sans-serif;'
            'padding:10px 20px;border-bottom:1px solid #ddd">'
            f'{link(prev_page, "&larr;")}<a href="index.html">Course map</a>'
            f'{link(next_page, "&rarr;")}</nav>')


def static_outputs(nb):
    """A copy of ``nb`` fit for a static page: live progress-bar widgets dropped (a page without the
    widget manager would show their first frame, "0%"), and carriage-return updates in text output
    collapsed to their final state, as Jupyter shows them."""
    nb = copy.deepcopy(nb)
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        kept = []
        for out in cell.outputs:
            if "application/vnd.jupyter.widget-view+json" in out.get("data", {}):
                continue
            if out.get("output_type") == "stream":
                out.text = "\n".join(line.rsplit("\r", 1)[-1] for line in out.text.split("\n"))
            kept.append(out)
        cell.outputs = kept
    return nb


def render_page(nb, prev_page=None, next_page=None) -> str:
    """An executed notebook as one offline HTML page with the navigation bar on top."""
    body, _ = HTMLExporter(template_name="lab").from_notebook_node(static_outputs(nb))
    body = CDN_SCRIPT.sub("", body)
    bar = nav(prev_page, next_page)
    head, sep, rest = body.partition("<main>") if "<main>" in body else body.partition("<body>")
    return head + sep + bar + rest if sep else bar + body


def render_index(rows: list[tuple], total_seconds: float) -> str:
    """rows: (number, page, title, summary, seconds)."""
    cells = "\n".join(
        f"<tr><td>{num}</td><td><a href='{page}'>{html.escape(title)}</a></td><td>{html.escape(summary)}</td>"
        f"<td style='text-align:right'>{seconds:.0f} s</td></tr>"
        for num, page, title, summary, seconds in rows)
    return f"""<!doctype html><html><head><meta charset="utf-8"><title>Explaining ML models</title>
<style>body{{font:17px/1.5 sans-serif;max-width:1100px;margin:2em auto;padding:0 1em}}
td,th{{padding:6px 10px;border-bottom:1px solid #ddd;vertical-align:top;text-align:left}}
table{{border-collapse:collapse}}</style>
</head><body><h1>Explaining ML models</h1>
<p>A course on looking inside trained models, and on when to trust what you see. Every notebook below
was executed top to bottom for this site; run times are measured.</p>
<table><tr><th>#</th><th>Notebook</th><th>What you learn</th><th>Run time</th></tr>
{cells}
</table><p>Total: {total_seconds:.0f} s of notebook execution.</p></body></html>"""


def build(out: Path, timeout: int | None = None, only: list[str] | None = None) -> list[RunResult]:
    """Execute the course's notebooks (or those whose number is in ``only``) and write the site to ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    course = [e for e in entries() if only is None or e.number in only]
    results = []
    for entry in course:
        print(f"executing {entry.path.name} ...", flush=True)
        start = time.perf_counter()
        try:
            results.append(execute(entry.path, timeout=timeout))
        except NotebookFailed as exc:
            fail(str(exc))
        print(f"  {time.perf_counter() - start:6.1f} s", flush=True)
    pages = [(e.path.with_suffix(".html").name, e.title.replace("*", "")) for e in course]
    for i, (entry, result) in enumerate(zip(course, results)):
        previous, following = pages[i - 1] if i else None, pages[i + 1] if i + 1 < len(pages) else None
        page = render_page(result.nb, previous, following)
        (out / pages[i][0]).write_text(page, encoding="utf-8")
        nbformat.write(result.nb, out / entry.path.name)
    rows = [(e.number, p[0], p[1], e.summary, r.wall) for e, p, r in zip(course, pages, results)]
    (out / "index.html").write_text(render_index(rows, sum(r.wall for r in results)), encoding="utf-8")
    print(f"wrote {out / 'index.html'} ({len(results)} notebooks)")
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--timeout", type=int, default=None,
                        help="per-cell timeout in seconds (default: the course's, pyproject.toml)")
    parser.add_argument("--out", type=Path, default=BUILD)
    parser.add_argument("only", nargs="*", help="notebook numbers to build (default: all)")
    args = parser.parse_args()
    build(args.out, args.timeout, args.only or None)


if __name__ == "__main__":
    main()
