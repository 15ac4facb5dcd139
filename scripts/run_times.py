"""One source for every run time the course quotes: bench/results.json, written by `make bench`.

The README's run-time table, each notebook's "**Run time**" line in its overview and the site index are
generated from it; `python scripts/run_times.py --write` refreshes the README and the notebooks, and
tests/test_run_times.py fails when either drifts from the file.
"""

from __future__ import annotations

import argparse
import json
import math
import re

import nbformat

from bench import RESULTS
from helpers.paths import README, course_notebooks

START, END = "<!-- run-times:start -->", "<!-- run-times:end -->"
RUN_TIME = re.compile(r"^\*\*Run time\*\*:.*$", re.MULTILINE)


def results() -> dict:
    if not RESULTS.is_file():
        raise FileNotFoundError(f"{RESULTS} is missing: run `make bench`")
    return json.loads(RESULTS.read_text())


def about(seconds: float) -> int:
    """Seconds rounded up to a multiple of 5, at least 5: what a reader should plan for."""
    return max(5, 5 * math.ceil(seconds / 5))


def entry(name: str, data: dict | None = None) -> dict:
    notebooks = (data or results())["notebooks"]
    if name not in notebooks:
        raise KeyError(f"{name} has no entry in {RESULTS.name}: run `make bench` "
                       "(it benchmarks every notebook)")
    return notebooks[name]


def run_time_line(name: str, data: dict | None = None) -> str:
    e = entry(name, data)
    wall, floor = about(e["wall"]), about(e["floor"])
    share = "nearly all of it" if floor >= wall else f"about {floor} of them"
    line = f"**Run time**: about {wall} seconds on a 2-core CPU, {share} importing the libraries"
    if "cold_wall" in e:
        line += (f"; about {about(e['cold_wall'])} seconds the first time, when the networks it uses are "
                 "trained and cached")
    return line + " (measured by `make bench`)."


def readme_table(data: dict | None = None) -> str:
    data = data or results()
    header = ("| notebook | wall | first run (training) | slowest cell | peak memory | import floor "
              "| wall / floor |")
    rows = [header, "|---|---|---|---|---|---|---|"]
    for path in course_notebooks():
        e = entry(path.stem, data)
        cold = f"{e['cold_wall']:.1f} s" if "cold_wall" in e else "-"
        slowest = e["slowest"]
        rows.append(f"| {path.stem[:2]} {path.stem[3:].replace('_', ' ')} | {e['wall']:.1f} s | {cold} | "
                    f"{slowest['seconds']:.1f} s (cell {slowest['cell']}) | {e['peak_mb']} MB | "
                    f"{e['floor']:.1f} s | {e['ratio']:.1f} |")
    c = data["course"]
    over = "; ".join(c["over_budget"]) if c["over_budget"] else "none"
    m = data["machine"]
    summary = (f"**Course: {c['wall']:.0f} s** for {len(data['notebooks'])} notebooks, {c['cells']} code "
               f"cells: median {c['median']:.2f} s, p95 {c['p95']:.2f} s; without the setup (import) cells "
               f"p95 {c['p95_without_setup']:.2f} s and at most {c['max_without_setup']:.1f} s. Cells over "
               f"5 s (setup cells excluded): {over}. Measured on {m['date']} ({m['cpus']} CPUs, Python "
               f"{m['python']}, {m['machine']}).")
    rows += ["", summary]
    return "\n".join(rows)


def _replace_block(text: str, table: str) -> str:
    if START not in text or END not in text:
        raise ValueError(f"README.md lacks the markers {START} ... {END}")
    before, rest = text.split(START, 1)
    return f"{before}{START}\n{table}\n{END}{rest.split(END, 1)[1]}"


def readme_block(text: str) -> str:
    return text.split(START, 1)[1].split(END, 1)[0].strip()


def notebook_line(path) -> str:
    first = "".join(nbformat.read(path, as_version=4).cells[0].source)
    found = RUN_TIME.search(first)
    if not found:
        raise ValueError(f"{path.name}: the first cell has no '**Run time**:' line")
    return found.group(0)


def write() -> None:
    data = results()
    README.write_text(_replace_block(README.read_text(), readme_table(data)))
    for path in course_notebooks():
        nb = nbformat.read(path, as_version=4)
        line = run_time_line(path.stem, data)
        new = RUN_TIME.sub(line.replace("\\", "\\\\"), nb.cells[0].source, count=1)
        if new != nb.cells[0].source:
            nb.cells[0].source = new
            nbformat.write(nb, path)
            print(f"{path.name}: {line}")
    print("README.md run-time table and notebook run-time lines refreshed")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="rewrite the README table and notebook lines")
    args = parser.parse_args()
    if args.write:
        write()
    else:
        print(readme_table())


if __name__ == "__main__":
    main()
