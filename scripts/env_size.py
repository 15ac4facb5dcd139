"""The course environment's size on disk, its largest distributions, and what must not be in it.

    .venv/bin/python scripts/env_size.py                    # report (`make env-size`)
    .venv/bin/python scripts/env_size.py --remove-unwanted  # uninstall what the lean install leaves out
    .venv/bin/python scripts/env_size.py --time-install     # a cold install into a throwaway venv, timed

The learner's environment leaves out the GPU stack: TensorFlow's CUDA build where a CPU build exists
(Linux x86-64: ``tensorflow-cpu``), every ``nvidia-*`` distribution, and xgboost and lightgbm, which PDPbox
and dice-ml declare but the course never imports (requirements-nodeps.txt). ``--remove-unwanted`` takes an
environment built before that change to the same state before ``make`` installs the pins, so an old
``.venv`` does not keep 2.5 GB it no longer needs (``make`` runs it on every rebuild of the environment).

``--prune`` deletes PDPbox's bundled example data sets (``pdpbox/examples``: Titanic, Rossmann and Otto
tables and pickled models, 214 MB), which only ``pdpbox.get_example`` reads and the course never calls;
``make`` runs it after installing PDPbox. ``pip uninstall PDPbox`` still works afterwards.
"""

from __future__ import annotations

import argparse
import platform
import subprocess
import sys
import sysconfig
from importlib import metadata
from pathlib import Path

NOT_DECLARED = ("xgboost", "lightgbm")  # declared by PDPbox / dice-ml, never imported by the course


def cpu_build_exists() -> bool:
    """True where TensorFlow publishes a CPU-only wheel (``tensorflow-cpu``): Linux on x86-64."""
    return sys.platform == "linux" and platform.machine() in ("x86_64", "AMD64")


def installed() -> dict[str, metadata.Distribution]:
    return {d.metadata["Name"].lower().replace("_", "-"): d for d in metadata.distributions()}


def unwanted(names=None) -> list[str]:
    """Installed distributions the lean environment must not have, sorted."""
    names = set(installed()) if names is None else {n.lower() for n in names}
    found = {n for n in names if n.startswith("nvidia-") or n in NOT_DECLARED}
    if cpu_build_exists() and "tensorflow" in names:
        found.add("tensorflow")  # the CUDA-enabled build; tensorflow-cpu is the same code without CUDA
    return sorted(found)


def prune_pdpbox_examples() -> int:
    """Delete PDPbox's example data (see the module docstring); returns the bytes freed (0 if absent)."""
    import shutil

    spec = __import__("importlib.util").util.find_spec("pdpbox")
    if spec is None or spec.origin is None:
        return 0
    examples = Path(spec.origin).parent / "examples"
    if not examples.is_dir():
        return 0
    freed = folder_size(examples)
    shutil.rmtree(examples)
    return freed


def dist_size(dist: metadata.Distribution) -> int:
    total = 0
    for file in dist.files or ():
        path = Path(dist.locate_file(file))
        if path.is_file():
            total += path.stat().st_size
    return total


def folder_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


def report(top: int = 12) -> str:
    prefix = Path(sys.prefix)
    site = Path(sysconfig.get_paths()["purelib"])
    sizes = sorted(((dist_size(d), name) for name, d in installed().items()), reverse=True)
    lines = [(f"environment {prefix}: {folder_size(prefix) / 1e9:.2f} GB on disk "
              f"(site-packages {folder_size(site) / 1e9:.2f} GB, {len(sizes)} distributions)"),
             f"largest {top}:"]
    lines += [f"  {size / 1e6:8.0f} MB  {name}" for size, name in sizes[:top]]
    bad = unwanted()
    lines.append("not wanted here (GPU stack / undeclared): " + (", ".join(bad) if bad else "none"))
    return "\n".join(lines)


def time_install(root: Path) -> str:
    """Build the learner's environment as ``make`` does (requirements.txt with pip's cache off, so every
    package is downloaded, then scripts/install_course.sh) into a throwaway virtual environment; report
    the wall time and the size, then delete it."""
    import shutil
    import tempfile
    import time

    folder = Path(tempfile.mkdtemp(prefix="explaining-ml-env-"))
    python = folder / "bin" / "python"
    pip = [str(python), "-m", "pip", "install", "--quiet", "--no-cache-dir", "--disable-pip-version-check"]
    start = time.perf_counter()
    try:
        base = getattr(sys, "_base_executable", sys.executable)  # the Python this venv was made from
        subprocess.run([base, "-m", "venv", str(folder)], check=True)
        subprocess.run([*pip, "-r", str(root / "requirements.txt")], check=True)
        subprocess.run([str(root / "scripts" / "install_course.sh"), str(python)], check=True)
        seconds = time.perf_counter() - start
        return f"cold install: {seconds:.0f} s, {folder_size(folder) / 1e9:.2f} GB on disk"
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--remove-unwanted", action="store_true",
                        help="uninstall the distributions the lean environment leaves out")
    parser.add_argument("--time-install", action="store_true",
                        help="time a cold install of the learner's environment into a throwaway venv")
    parser.add_argument("--prune", action="store_true",
                        help="delete PDPbox's example data sets, which the course never reads")
    args = parser.parse_args()
    if args.time_install:
        print(time_install(Path(__file__).resolve().parents[1]))
        return
    if args.prune:
        freed = prune_pdpbox_examples()
        if freed:
            print(f"removed PDPbox's example data sets ({freed / 1e6:.0f} MB; the course never reads them)")
        return
    if args.remove_unwanted:
        bad = unwanted()
        if bad:
            print("removing from an environment built before the lean install:", ", ".join(bad))
            subprocess.run([sys.executable, "-m", "pip", "uninstall", "--quiet", "-y", *bad], check=True)
            if "tensorflow" in bad and "tensorflow-cpu" in installed():
                # both distributions own the same `tensorflow` package folder: put the CPU build's files back
                subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--force-reinstall",
                                "--no-deps", f"tensorflow-cpu=={installed()['tensorflow-cpu'].version}"],
                               check=True)
        return
    print(report())


if __name__ == "__main__":
    main()
