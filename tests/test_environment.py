"""The learner's environment is the lean one (requirements.txt, requirements-nodeps.txt): no GPU stack.

TensorFlow's CPU build on Linux x86-64, no ``nvidia-*`` distribution, and neither xgboost nor lightgbm, which
PDPbox and dice-ml declare but the course never imports; the two packages installed without their declared
dependencies still import and run (dice-ml's course path is exercised in test_glassbox.py, PDPbox's in
notebook 02 and here).
"""

import re
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from env_size import cpu_build_exists, installed, unwanted

ROOT = Path(__file__).resolve().parents[1]


def test_no_gpu_stack_is_installed():
    assert unwanted() == [], f"the lean environment must not contain {unwanted()}: run `make env` again"


def test_unwanted_names_what_the_lean_install_leaves_out():
    names = ["numpy", "nvidia-nccl-cu12", "xgboost", "lightgbm", "tensorflow-cpu", "keras"]
    expected = ["lightgbm", "nvidia-nccl-cu12", "xgboost"]
    assert unwanted(names) == expected
    assert ("tensorflow" in unwanted(names + ["tensorflow"])) == cpu_build_exists()


@pytest.mark.skipif(not cpu_build_exists(), reason="TensorFlow's CPU-only wheel exists for Linux x86-64 only")
def test_tensorflow_is_the_cpu_build():
    dists = installed()
    assert "tensorflow-cpu" in dists and "tensorflow" not in dists
    import tensorflow as tf

    assert not tf.test.is_built_with_cuda()
    assert tf.config.list_physical_devices("GPU") == []


@pytest.mark.skipif(not cpu_build_exists(), reason="TensorFlow's CPU-only wheel exists for Linux x86-64 only")
def test_importing_tensorflow_prints_no_cuda_lines():
    import subprocess

    done = subprocess.run([sys.executable, "-c", "import tensorflow"], capture_output=True, text=True,
                          timeout=120, env={"PATH": "/usr/bin:/bin"}, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    cuda = [line for line in done.stderr.splitlines() if "cuda" in line.lower() or "cuinit" in line.lower()]
    assert not cuda, f"the CPU build looked for a GPU: {cuda}"


def test_requirement_files_pin_every_line_and_keep_the_gpu_stack_out():
    for name in ("requirements.txt", "requirements-nodeps.txt", "requirements-test.txt"):
        lines = [line.split("#")[0].strip() for line in (ROOT / name).read_text().splitlines()]
        for line in filter(None, lines):
            pinned = re.fullmatch(r"[A-Za-z0-9_.\-]+==[0-9][^;\s]*(\s*;.+)?", line)
            assert pinned, f"{name}: unpinned {line!r}"
            assert not re.match(r"(nvidia-|xgboost|lightgbm)", line), f"{name}: {line!r}"
    learner = (ROOT / "requirements.txt").read_text()
    for tool in ("pytest", "nbval", "ruff", "playwright", "nbstripout"):
        assert not re.search(rf"^{tool}==", learner, re.MULTILINE), f"{tool}: requirements-test.txt"


def test_packages_installed_without_their_declared_dependencies_run():
    import dice_ml  # noqa: F401  (its course path runs in test_glassbox.py)
    from pdpbox import pdp
    from sklearn.linear_model import LogisticRegression

    rng = np.random.default_rng(0)
    X = pd.DataFrame({"a": rng.normal(size=80), "b": rng.normal(size=80)})
    model = LogisticRegression().fit(X, X["a"] > 0)
    with_stdout = sys.stdout
    try:
        isolate = pdp.PDPIsolate(model=model, df=X.copy(), model_features=["a", "b"], feature="a",
                                 feature_name="a", n_classes=2, num_grid_points=5)
    finally:
        sys.stdout = with_stdout
    preds = isolate.results[0].pdp
    assert np.all(np.diff(preds) > 0), "partial dependence of a logistic model on its positive feature rises"
