"""Benchmark every notebook (or the ones named) in fresh kernels.

Per notebook: wall time of its cells, the slowest cell, the kernel's peak memory, the import floor
(a fresh kernel running only the notebook's setup/imports cell) and the ratio wall / floor; then the
whole course's totals and the cell-time percentiles. A benchmark, not a test: it reports, never fails
on a number.
"""

from __future__ import annotations

import argparse
import statistics

from notebook_runner import NotebookFailed, course_notebooks, execute, fail


def percentile95(sorted_values: list[float]) -> float:
    """The 95th percentile of an ascending list (nearest rank)."""
    return sorted_values[min(len(sorted_values) - 1, round(0.95 * (len(sorted_values) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help="notebook name prefixes, e.g. 00 03 (default: all)")
    parser.add_argument("--timeout", type=int, default=None, help="per-cell timeout (default: the course's)")
    parser.add_argument("--cells", type=float, metavar="S", help="also list every cell slower than S seconds")
    args = parser.parse_args()
    paths = [p for p in course_notebooks() if not args.names or any(p.name.startswith(n) for n in args.names)]
    header = f"{'notebook':40} {'wall s':>7} {'slowest cell':>14} {'peak MB':>8} {'floor s':>8} {'ratio':>6}"
    print(header)
    print("-" * len(header))
    all_cells, work_cells, total_wall = [], [], 0.0
    for path in paths:
        try:
            run = execute(path, timeout=args.timeout)
            floor = execute(path, timeout=args.timeout, only_first_code_cell=True)
        except NotebookFailed as exc:
            fail(str(exc))
        cell_no, cell_s = run.slowest
        all_cells += run.cell_times
        work_cells += run.cell_times[1:]  # without the setup (imports) cell
        total_wall += run.wall
        print(f"{path.name:40} {run.wall:7.1f} {f'#{cell_no} {cell_s:.1f} s':>14} {run.peak_rss_mb:8.0f} "
              f"{floor.wall:8.1f} {run.wall / floor.wall:6.2f}", flush=True)
        if args.cells is not None:
            code = [c for c in run.nb.cells if c.cell_type == "code"]
            for no, (cell, secs) in enumerate(zip(code, run.cell_times), start=1):
                if secs > args.cells:
                    first = "".join(cell.source).strip().splitlines()[0][:60]
                    print(f"    cell #{no:<3} {secs:6.2f} s  {first}")
    if all_cells:
        cells = sorted(all_cells)
        p95 = percentile95(cells)
        print("-" * len(header))
        print(f"total wall {total_wall:.1f} s over {len(paths)} notebooks; {len(cells)} code cells: "
              f"median {statistics.median(cells):.2f} s, p95 {p95:.2f} s, max {cells[-1]:.1f} s; "
              f"cells over 10 s: {sum(c > 10 for c in cells)}")
        work = sorted(work_cells)
        print(f"without the setup (imports) cells: {len(work)} cells, "
              f"p95 {percentile95(work):.2f} s, max {work[-1]:.1f} s")


if __name__ == "__main__":
    main()
