#!/usr/bin/env bash
# The course's install steps that follow `pip install -r requirements.txt`, in one place for every way the
# course is installed: `make env` (the Makefile), repo2docker's binder/postBuild (Binder, JupyterHub) and
# `make env-size COLD=1`. Usage: scripts/install_course.sh PYTHON  (the environment's python)
#   1. requirements-nodeps.txt without the dependencies those packages declare (see that file)
#   2. prune PDPbox's bundled example data (scripts/env_size.py --prune)
#   3. the course's helpers package, editable, so the notebooks import this checkout's helpers/
#   4. the course's Jupyter kernel "Python (explaining-ml)" into that environment
set -euo pipefail
py=${1:?usage: scripts/install_course.sh PYTHON}
cd "$(dirname "$0")/.."
pip=("$py" -m pip install --quiet --disable-pip-version-check)
"${pip[@]}" --no-deps -r requirements-nodeps.txt
"$py" scripts/env_size.py --prune
"${pip[@]}" --no-deps -e .
"$py" scripts/install_kernel.py
