"""Install the course's Jupyter kernel, "Python (explaining-ml)", for this environment's Python.

The notebooks record this kernel in their metadata, and `make course`, `make bench` and nbval all run
them on it, so every front end (JupyterLab, VS Code, a Jupyter of your own) starts the same kernel with
the same settings:

- ``--IPKernelApp.capture_fd_output=False``: TensorFlow writes C++ log lines ("oneDNN custom operations
  are on", "failed call to cuInit") straight to the process's stderr, whatever TF_CPP_MIN_LOG_LEVEL says.
  ipykernel >= 6 copies such low-level output into the notebook, where it reads like an error; with
  this setting it stays on the terminal that started Jupyter. Python warnings, exceptions and print()
  still appear in the notebook.
- ``TF_CPP_MIN_LOG_LEVEL=2`` for the C++ messages that do honour it.

By default the kernel goes into this environment (``sys.prefix``), where the environment's own Jupyter
finds it; ``--user`` installs it for your user, so a Jupyter or VS Code from elsewhere lists it too.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

KERNEL_NAME = "explaining-ml"
DISPLAY_NAME = "Python (explaining-ml)"


def kernel_spec(python: str = sys.executable) -> dict:
    return {
        "argv": [python, "-m", "ipykernel_launcher", "-f", "{connection_file}",
                 "--IPKernelApp.capture_fd_output=False"],
        "display_name": DISPLAY_NAME,
        "language": "python",
        "env": {"TF_CPP_MIN_LOG_LEVEL": "2"},
        "metadata": {"debugger": True},
    }


def kernel_dir(user: bool) -> Path:
    if user:
        from jupyter_core.paths import jupyter_data_dir

        return Path(jupyter_data_dir()) / "kernels" / KERNEL_NAME
    return Path(sys.prefix) / "share" / "jupyter" / "kernels" / KERNEL_NAME


def install(user: bool = False) -> Path:
    folder = kernel_dir(user)
    folder.mkdir(parents=True, exist_ok=True)
    spec = json.dumps(kernel_spec(), indent=1) + "\n"
    path = folder / "kernel.json"
    if not path.is_file() or path.read_text() != spec:
        tmp = path.with_suffix(".tmp")
        tmp.write_text(spec)
        tmp.replace(path)
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--user", action="store_true",
                        help="install for your user instead of this environment")
    args = parser.parse_args()
    print(f"kernel {DISPLAY_NAME!r} ({KERNEL_NAME}) -> {install(args.user)}")


if __name__ == "__main__":
    main()
