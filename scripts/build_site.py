"""Execute every notebook and write the browsable course to build/.

build/NN_name.html is each executed notebook (with previous/next links), build/index.html lists them
in order with title, what each teaches and its measured run time. Stops at the first failing cell,
naming the notebook and the cell.
"""

from __future__ import annotations

import argparse
import html
import shutil
import time

import nbformat
from nbconvert import HTMLExporter

from notebook_runner import ROOT, NotebookFailed, course_notebooks, execute, fail, title_of

BUILD = ROOT / "build"


def summary_of(nb) -> str:
    """The notebook's 'What you will learn' bullets, joined into one line."""
    for cell in nb.cells:
        text = "".join(cell.source)
        if cell.cell_type == "markdown" and "What you will learn" in text:
            after = text.split("What you will learn", 1)[1]
            bullets = [ln[2:].strip().rstrip(";.") for ln in after.splitlines() if ln.startswith("- ")]
            return "; ".join(bullets)
    return ""


def nav(prev_page, next_page) -> str:
    def link(page, label):
        return f'<a href="{page[0]}">{label} {html.escape(page[1])}</a>' if page else "<span></span>"

    return ('<nav style="display:flex;justify-content:space-between;font:15px sans-serif;'
            'padding:10px 20px;border-bottom:1px solid #ddd">'
            f'{link(prev_page, "&larr;")}<a href="index.html">Course map</a>{link(next_page, "&rarr;")}</nav>')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--timeout", type=int, default=300, help="per-cell timeout in seconds")
    args = parser.parse_args()

    if BUILD.exists():
        shutil.rmtree(BUILD)
    BUILD.mkdir()
    notebooks = course_notebooks()
    exporter = HTMLExporter(template_name="lab")
    results = []
    total = time.perf_counter()
    for path in notebooks:
        print(f"executing {path.name} ...", flush=True)
        try:
            result = execute(path, timeout=args.timeout)
        except NotebookFailed as exc:
            fail(str(exc))
        print(f"  {result.wall:6.1f} s", flush=True)
        results.append(result)
    pages = [(r.path.with_suffix(".html").name, title_of(r.nb)) for r in results]
    for i, r in enumerate(results):
        body, _ = exporter.from_notebook_node(r.nb)
        bar = nav(pages[i - 1] if i else None, pages[i + 1] if i + 1 < len(pages) else None)
        head, sep, rest = body.partition("<main>") if "<main>" in body else body.partition("<body>")
        out = head + sep + bar + rest if sep else bar + body
        (BUILD / pages[i][0]).write_text(out, encoding="utf-8")
        nbformat.write(r.nb, BUILD / r.path.name)
    rows = "\n".join(
        f"<tr><td>{r.path.name[:2]}</td><td><a href='{p[0]}'>{html.escape(p[1])}</a></td>"
        f"<td>{html.escape(summary_of(r.nb))}</td><td style='text-align:right'>{r.wall:.0f} s</td></tr>"
        for r, p in zip(results, pages))
    index = f"""<!doctype html><html><head><meta charset="utf-8"><title>Explaining ML models</title>
<style>body{{font:16px/1.5 sans-serif;max-width:1100px;margin:2em auto;padding:0 1em}}
td,th{{padding:6px 10px;border-bottom:1px solid #ddd;vertical-align:top}}table{{border-collapse:collapse}}</style>
</head><body><h1>Explaining ML models</h1>
<p>Every notebook below was executed top to bottom on this machine; run times are measured.</p>
<table><tr><th>#</th><th>Notebook</th><th>What you learn</th><th>Run time</th></tr>
{rows}
</table><p>Total: {time.perf_counter() - total:.0f} s including kernel start-up.</p></body></html>"""
    (BUILD / "index.html").write_text(index, encoding="utf-8")
    print(f"wrote {BUILD / 'index.html'} ({len(results)} notebooks)")


if __name__ == "__main__":
    main()
