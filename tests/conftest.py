import pytest


@pytest.fixture
def cache_dir(tmp_path, monkeypatch):
    """Point the course's model cache at a fresh temporary directory."""
    monkeypatch.setenv("EXPLAIN_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "cache"
