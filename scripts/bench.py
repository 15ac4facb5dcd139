"""Benchmark every notebook (or the ones named) in fresh kernels, and write the results file that the
README's run-time table, the notebooks' "Run time" lines and the site index are generated from.

Per notebook: wall time of its cells, the slowest cell, the kernel's peak memory, the import floor (a
fresh kernel running only the setup cell) and the ratio wall / floor, every cell's time; for notebooks
that train a cached model, also the cold wall time (an empty cache, so the model is trained). Then the
course's totals and cell-time percentiles, and one line naming every cell over the 5-second budget.

A benchmark, not a test: it reports, never fails on a number. `make bench` writes bench/results.json;
`python scripts/run_times.py --write` then refreshes the README and the notebooks from it.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import tempfile
from datetime import date
from pathlib import Path

from notebook_runner import NotebookFailed, course_notebooks, execute, fail

from helpers.paths import ROOT

RESULTS = ROOT / "bench" / "results.json"
CELL_BUDGET = 5.0  # seconds: no cell over this, except setup cells and one cold training cell per model


def percentile(sorted_values: list[float], q: float) -> float:
    """The q-th quantile of an ascending list (nearest rank)."""
    return sorted_values[min(len(sorted_values) - 1, round(q * (len(sorted_values) - 1)))]


def trains_a_model(path: Path) -> bool:
    return "get_or_train" in path.read_text()


def first_line(cell) -> str:
    lines = "".join(cell.source).strip().splitlines()
    return lines[0][:70] if lines else ""


def run(path: Path, timeout: int | None, cache: str | None = None):
    """Execute ``path``; with ``cache``, point the model cache there (an empty one forces training)."""
    previous = os.environ.get("EXPLAIN_CACHE_DIR")
    if cache is not None:
        os.environ["EXPLAIN_CACHE_DIR"] = cache
    try:
        return execute(path, timeout=timeout)
    finally:
        if cache is not None:
            if previous is None:
                os.environ.pop("EXPLAIN_CACHE_DIR", None)
            else:
                os.environ["EXPLAIN_CACHE_DIR"] = previous


def measure(path: Path, timeout: int | None, cold: bool) -> dict:
    entry = {}
    with tempfile.TemporaryDirectory(prefix="bench-cache-") as cache:
        if cold:  # the first run trains into an empty cache, the second finds it warm
            entry["cold_wall"] = round(run(path, timeout, cache).wall, 2)
        result = run(path, timeout, cache if cold else None)
    floor = execute(path, timeout=timeout, only_first_code_cell=True)
    code = [c for c in result.nb.cells if c.cell_type == "code"]
    number, seconds = result.slowest
    entry.update(wall=round(result.wall, 2), floor=round(floor.wall, 2),
                 ratio=round(result.wall / floor.wall, 2), peak_mb=round(result.peak_rss_mb),
                 slowest={"cell": number, "seconds": round(seconds, 2),
                          "starts": first_line(code[number - 1])},
                 cells=[{"cell": i, "seconds": round(s, 3), "starts": first_line(c)}
                        for i, (c, s) in enumerate(zip(code, result.cell_times), start=1)])
    return entry


def summarise(notebooks: dict[str, dict]) -> dict:
    cells = sorted(c["seconds"] for nb in notebooks.values() for c in nb["cells"])
    work = sorted(c["seconds"] for nb in notebooks.values() for c in nb["cells"][1:])
    over = [f"{name} #{c['cell']} {c['seconds']:.1f} s ({c['starts']})" for name, nb in notebooks.items()
            for c in nb["cells"][1:] if c["seconds"] > CELL_BUDGET]
    return {"wall": round(sum(nb["wall"] for nb in notebooks.values()), 1), "cells": len(cells),
            "median": round(statistics.median(cells), 3), "p95": round(percentile(cells, 0.95), 2),
            "p95_without_setup": round(percentile(work, 0.95), 2), "max_without_setup": round(work[-1], 2),
            "over_budget": over}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help="notebook name prefixes, e.g. 00 03 (default: all)")
    parser.add_argument("--timeout", type=int, default=None, help="per-cell timeout (default: the course's)")
    parser.add_argument("--cells", type=float, metavar="S",
                        help="also list every cell slower than S seconds")
    parser.add_argument("--out", type=Path, default=None,
                        help=f"results file (default: {RESULTS.relative_to(ROOT)} for a full run, "
                             "none otherwise)")
    args = parser.parse_args()
    paths = [p for p in course_notebooks() if not args.names or any(p.name.startswith(n) for n in args.names)]
    header = (f"{'notebook':40} {'wall s':>7} {'cold s':>7} {'slowest cell':>14} {'peak MB':>8} "
              f"{'floor s':>8} {'ratio':>6}")
    print(header)
    print("-" * len(header))
    notebooks = {}
    for path in paths:
        try:
            entry = measure(path, args.timeout, cold=trains_a_model(path))
        except NotebookFailed as exc:
            fail(str(exc))
        notebooks[path.stem] = entry
        slowest = entry["slowest"]
        cold = f"{entry['cold_wall']:7.1f}" if "cold_wall" in entry else f"{'-':>7}"
        slowest_text = f"#{slowest['cell']} {slowest['seconds']:.1f} s"
        print(f"{path.name:40} {entry['wall']:7.1f} {cold} {slowest_text:>14} "
              f"{entry['peak_mb']:8.0f} {entry['floor']:8.1f} {entry['ratio']:6.2f}", flush=True)
        if args.cells is not None:
            for cell in entry["cells"]:
                if cell["seconds"] > args.cells:
                    print(f"    cell #{cell['cell']:<3} {cell['seconds']:6.2f} s  {cell['starts']}")
    course = summarise(notebooks)
    print("-" * len(header))
    print(f"total wall {course['wall']:.1f} s over {len(notebooks)} notebooks; {course['cells']} code cells: "
          f"median {course['median']:.2f} s, p95 {course['p95']:.2f} s; without the setup cells: p95 "
          f"{course['p95_without_setup']:.2f} s, max {course['max_without_setup']:.1f} s")
    print(f"cells over {CELL_BUDGET:.0f} s (setup cells excluded): "
          + ("; ".join(course["over_budget"]) if course["over_budget"] else "none"))
    out = args.out if args.out is not None else (RESULTS if not args.names else None)
    if out is not None:
        out.parent.mkdir(parents=True, exist_ok=True)
        machine = {"cpus": os.cpu_count(), "python": platform.python_version(),
                   "machine": platform.machine(), "date": date.today().isoformat()}
        tmp = out.with_suffix(".tmp")
        report = {"machine": machine, "course": course, "notebooks": notebooks}
        tmp.write_text(json.dumps(report, indent=1) + "\n")
        tmp.replace(out)
        print(f"wrote {out}; refresh the README and notebooks with `python scripts/run_times.py --write`")


if __name__ == "__main__":
    main()
