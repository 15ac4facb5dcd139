"""Execute notebooks in a fresh kernel, timing every cell (shared by build_site.py and bench.py).

Notebooks run on the kernel named in their metadata (the course's "explaining-ml" kernel, installed by
`make`), the one nbval uses too.
"""

from __future__ import annotations

import copy
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import nbformat
from install_kernel import KERNEL_NAME
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

from helpers.paths import ROOT, cell_timeout, course_notebooks  # noqa: F401 (re-exported for the scripts)


@dataclass
class RunResult:
    path: Path
    nb: nbformat.NotebookNode
    wall: float  # seconds spent executing cells (kernel start excluded)
    cell_times: list[float] = field(default_factory=list)  # per code cell, in order
    peak_rss_mb: float = float("nan")

    @property
    def slowest(self) -> tuple[int, float]:
        """(code-cell number counted from 1, seconds) of the slowest cell."""
        i = max(range(len(self.cell_times)), key=self.cell_times.__getitem__)
        return i + 1, self.cell_times[i]


class NotebookFailed(RuntimeError):
    pass


def _peak_rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


def _seconds(cell) -> float:
    meta = cell.metadata.get("execution", {})
    try:
        start = datetime.fromisoformat(meta["iopub.execute_input"])
        end = datetime.fromisoformat(meta["shell.execute_reply"])
    except KeyError:
        return 0.0
    return (end - start).total_seconds()


def kernel_name(nb) -> str:
    """The kernel a notebook asks for; the course's notebooks all ask for the course kernel."""
    return nb.metadata.get("kernelspec", {}).get("name", KERNEL_NAME)


def execute(path: Path, timeout: int | None = None, only_first_code_cell: bool = False) -> RunResult:
    """Run ``path`` top to bottom in a fresh kernel started in notebooks/.

    With ``only_first_code_cell`` only the setup (imports) cell runs: the notebook's import floor.
    Raises ``NotebookFailed`` naming the notebook and cell when a cell errors or times out.
    ``timeout`` is per cell; the default is the course's (pyproject.toml, ``[tool.explaining-ml]``).
    """
    timeout = cell_timeout() if timeout is None else timeout
    nb = nbformat.read(path, as_version=4)
    if only_first_code_cell:
        first = next(c for c in nb.cells if c.cell_type == "code")
        nb = copy.deepcopy(nb)
        nb.cells = [first]
    client = NotebookClient(nb, timeout=timeout, kernel_name=kernel_name(nb), record_timing=True,
                            resources={"metadata": {"path": str(path.parent)}})
    # local IPC sockets instead of TCP: no network, and no "running over TCP" warning
    client.km = client.create_kernel_manager()
    client.km.transport = "ipc"
    sockets = tempfile.TemporaryDirectory(prefix="kernel-")
    client.km.ip = str(Path(sockets.name) / "ipc")
    peak = float("nan")
    # The kernel's own stderr (TensorFlow's C++ start-up lines) goes to a log, shown when a cell fails.
    log_path = Path(sockets.name) / "kernel.log"
    with sockets, open(log_path, "w") as kernel_log, client.setup_kernel(stderr=kernel_log):
        info = client.wait_for_reply(client.kc.kernel_info())
        nb.metadata["language_info"] = info["content"]["language_info"]
        start = time.perf_counter()
        code_no = 0
        for index, cell in enumerate(nb.cells):
            code_no += cell.cell_type == "code"
            try:
                client.execute_cell(cell, index, execution_count=client.code_cells_executed + 1)
            except (CellExecutionError, CellTimeoutError, DeadKernelError) as exc:
                src = "".join(cell.source).strip().splitlines()
                head = src[0] if src else ""
                kernel_log.flush()
                tail = "\n".join(log_path.read_text(errors="replace").splitlines()[-15:])
                shown = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
                raise NotebookFailed(f"{shown}: code cell {code_no} (cell index {index}, "
                                     f"starting `{head}`) failed:\n{exc}\n--- kernel log (last lines) ---\n"
                                     f"{tail}") from None
        wall = time.perf_counter() - start
        proc = getattr(client.km.provisioner, "process", None)
        if proc is not None:
            peak = _peak_rss_mb(proc.pid)
    times = [_seconds(c) for c in nb.cells if c.cell_type == "code"]
    return RunResult(path, nb, wall, times, peak)


def fail(message: str) -> None:
    print(f"\nERROR: {message}", file=sys.stderr)
    sys.exit(1)
