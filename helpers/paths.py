"""Where the course's files live: the one definition of the repository root and of every folder and
setting that the notebooks, scripts and tests share.

The package is installed in editable mode, so the repository root is two levels up from this file.
``EXPLAIN_CACHE_DIR`` moves the model cache (the tests use it).
"""

from __future__ import annotations

import os
import tempfile
import tomllib
import warnings
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA_DIR = ROOT / "data"
IMAGES_DIR = ROOT / "images"
NOTEBOOKS_DIR = ROOT / "notebooks"
BUILD_DIR = ROOT / "build"
README = ROOT / "README.md"
#: The course's notebooks: two digits, an underscore, a snake_case topic (00-09 tabular, 10-19 CNN,
#: 20-29 explanations under attack; the parts are listed in scripts/course_map.py).
NOTEBOOK_GLOB = "[0-9][0-9]_*.ipynb"


def course_notebooks() -> list[Path]:
    """The course's notebooks in reading order (their numeric prefix).

    Infrastructure (not taught in a notebook): the scripts and tests that run the course.
    """
    return sorted(NOTEBOOKS_DIR.glob(NOTEBOOK_GLOB))


@cache
def course_settings() -> dict:
    """The ``[tool.explaining-ml]`` table of pyproject.toml: settings shared by the Makefile's tools.

    Infrastructure (not taught in a notebook): the scripts and tests that run the course.
    """
    with open(ROOT / "pyproject.toml", "rb") as fh:
        return tomllib.load(fh)["tool"]["explaining-ml"]


def cell_timeout() -> int:
    """Seconds a single notebook cell may run under nbval, ``make course`` and ``make bench``.

    Infrastructure (not taught in a notebook): the notebook runner and the tests.
    """
    return int(course_settings()["cell-timeout"])


def _writable(path: Path) -> bool:
    try:
        path.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path, prefix=".write-test-"):
            pass
    except OSError:
        return False
    return True


def _user_cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "explaining-ml"


def cache_dirs() -> list[Path]:
    """Where trained models may be cached, in the order they are looked up: the course's own ``.cache/``
    (or ``EXPLAIN_CACHE_DIR``), then a per-user directory for when that one cannot be written.

    Infrastructure (not taught in a notebook): the model caches of ``cnn``.
    """
    primary = Path(os.environ.get("EXPLAIN_CACHE_DIR", ROOT / ".cache"))
    return [primary, _user_cache_dir()]


def cache_dir() -> Path | None:
    """The first writable cache directory (created on first use, git-ignored), or None when neither the
    course's cache nor the per-user one can be written. A fallback is announced once with a warning.

    Infrastructure (not taught in a notebook): the model caches of ``cnn``.
    """
    primary, fallback = cache_dirs()
    if _writable(primary):
        return primary
    if _writable(fallback):
        warnings.warn(f"cannot write the model cache {primary}; using {fallback} instead", stacklevel=2)
        return fallback
    warnings.warn(f"cannot write a model cache ({primary} or {fallback}): trained models stay in memory "
                  "and are trained again in the next session", stacklevel=2)
    return None
