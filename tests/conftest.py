import os

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


@pytest.fixture(scope="module")
def tiny():
    """A tiny seeded classifier standing in for SqueezeNet in the image exercises' tests: 64 x 64 x 3 input
    (16 squares of 16 pixels, as the exercises delete them), one ReLU convolution "conv", global average
    pooling, "logits" over 3 classes and a softmax "predictions" layer."""
    keras = pytest.importorskip("keras")
    keras.utils.set_random_seed(0)
    inputs = keras.Input((64, 64, 3))
    x = keras.layers.Conv2D(4, 3, padding="same", activation="relu", name="conv")(inputs)
    x = keras.layers.GlobalAveragePooling2D()(x)
    logits = keras.layers.Dense(3, name="logits")(x)
    return keras.Model(inputs, keras.layers.Activation("softmax", name="predictions")(logits))


@pytest.fixture(scope="session")
def chromium() -> str:
    """The Chromium the browser tests drive: skipped where it is missing, except under CI, where a
    browser test may not be skipped (make test installs Debian's chromium when run as root)."""
    from legibility import chromium_path

    if chromium_path() is None:
        message = "Chromium is not installed (make installs Debian's chromium when run as root)"
        if os.environ.get("CI") == "true":
            pytest.fail(message + "; under CI the browser test may not be skipped")
        pytest.skip(message)
    return chromium_path()
