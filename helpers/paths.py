"""Where the course's files live. The package is installed in editable mode, so the repository root
is two levels up from this file; ``EXPLAIN_CACHE_DIR`` moves the cache (the tests use it)."""

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA_DIR = ROOT / "data"
IMAGES_DIR = ROOT / "images"


def cache_dir() -> Path:
    """The directory for trained-model caches (created on first use, git-ignored)."""
    path = Path(os.environ.get("EXPLAIN_CACHE_DIR", ROOT / ".cache"))
    path.mkdir(parents=True, exist_ok=True)
    return path
