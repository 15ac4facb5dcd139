import pytest

from helpers import paths


def pytest_configure(config):
    """nbval's per-cell timeout comes from the course's one setting (pyproject.toml) unless given."""
    if getattr(config.option, "nbval_cell_timeout", None) in (None, 2000):  # 2000: nbval's own default
        config.option.nbval_cell_timeout = paths.cell_timeout()


@pytest.fixture
def cache_dir(tmp_path, monkeypatch):
    """Point the course's model cache at a fresh temporary directory (and the per-user fallback too)."""
    monkeypatch.setenv("EXPLAIN_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user-cache"))
    return tmp_path / "cache"
