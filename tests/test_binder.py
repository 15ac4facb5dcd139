"""repo2docker's configuration (binder/: what Binder and JupyterHub build a class's image from), checked
two ways: its files say what the course needs (Python 3.11, Graphviz, the course's requirements, a
post-build step), and its install steps, run as repo2docker runs them (``pip install -r
binder/requirements.txt``, then ``binder/postBuild`` in the repository) in a new, empty virtual environment
on a copy of the repository, give a working course: the libraries import, the course kernel is installed
for that environment's Python, and every notebook has its learner copy. repo2docker itself (which needs
Docker and a network) is not run here; the image's system packages (apt.txt) come from apt on Binder,
from scripts/ensure_system_packages.sh on this machine."""

import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BINDER = ROOT / "binder"


def test_the_configuration_asks_for_what_the_course_needs():
    assert sorted(p.name for p in BINDER.iterdir()) == ["apt.txt", "postBuild", "requirements.txt",
                                                        "runtime.txt"]
    runtime = (BINDER / "runtime.txt").read_text().strip()
    minimum = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["requires-python"]
    conda_python = re.search(r"python=(\S+)", (ROOT / "environment.yml").read_text()).group(1)
    assert runtime == f"python-{minimum.removeprefix('>=')}" == f"python-{conda_python}"
    assert (BINDER / "apt.txt").read_text().split() == ["graphviz"]  # the `dot` of notebook 00
    lines = [ln for ln in (BINDER / "requirements.txt").read_text().splitlines()
             if ln.strip() and not ln.startswith("#")]
    assert lines == ["-r ../requirements.txt"]
    post = BINDER / "postBuild"
    assert os.access(post, os.X_OK) and post.read_text().startswith("#!/usr/bin/env bash")
    assert "set -euo pipefail" in post.read_text()


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The repository's files (tracked, or new and not ignored) copied to a temporary folder, a new virtual
    environment, and repo2docker's two install steps run in it, as the image's user would (HOME elsewhere)."""
    tmp = tmp_path_factory.mktemp("binder")
    repo, env, home = tmp / "repo", tmp / "env", tmp / "home"
    listed = ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"]
    tracked = subprocess.run(listed, cwd=ROOT, check=True, capture_output=True, text=True).stdout.split("\0")
    for name in filter(None, tracked):
        if (ROOT / name).exists():  # a tracked file deleted in the working tree is not copied
            (repo / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, repo / name)
    home.mkdir()
    base = getattr(sys, "_base_executable", sys.executable)
    subprocess.run([base, "-m", "venv", str(env)], check=True)
    environ = {**os.environ, "PATH": f"{env / 'bin'}{os.pathsep}{os.environ['PATH']}", "HOME": str(home),
               "VIRTUAL_ENV": str(env)}
    environ.pop("PYTHONPATH", None)
    for step in (["python", "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                  "-r", "binder/requirements.txt"], ["binder/postBuild"]):
        done = subprocess.run(step, cwd=repo, env=environ, capture_output=True, text=True, check=False)
        assert done.returncode == 0, f"{' '.join(step)} failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return repo, env, environ


def test_the_install_steps_give_a_working_course_in_a_clean_environment(built):
    repo, env, environ = built
    python = env / "bin" / "python"
    code = ("import helpers, helpers.cnn, shap, lime, eli5, pdpbox, dice_ml, anchor, PyALE, interpret, cv2,"
            " graphviz, keras, jupyterlab; print(helpers.__file__)")
    done = subprocess.run([str(python), "-c", code], cwd=env, env=environ, capture_output=True, text=True,
                          check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    assert Path(done.stdout.strip()).resolve() == (repo / "helpers" / "__init__.py").resolve()
    spec = json.loads((env / "share" / "jupyter" / "kernels" / "explaining-ml" / "kernel.json").read_text())
    assert Path(spec["argv"][0]) == python
    listed = subprocess.run([str(env / "bin" / "jupyter"), "kernelspec", "list", "--json"], env=environ,
                            capture_output=True, text=True, check=True)
    assert "explaining-ml" in json.loads(listed.stdout)["kernelspecs"]
    assert not (env / "lib" / f"python{sys.version_info.major}.{sys.version_info.minor}" / "site-packages"
                / "pdpbox" / "examples").exists(), "PDPbox's example data is pruned"


def test_the_post_build_step_makes_every_learner_copy(built):
    repo, _, _ = built
    notebooks = sorted(p.name for p in (repo / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    copies = sorted(p.name for p in (repo / "my_notebooks").glob("[0-9][0-9]_*.ipynb"))
    assert copies == notebooks and len(notebooks) >= 17
