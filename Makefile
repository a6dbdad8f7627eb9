# Two commands for a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
TORCH := torch==2.13.0
QUESTION ?= What did Lavrov demand?
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1

.PHONY: demo test lint install install-test bench clean

$(VENV)/.base:
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	# The CPU build of torch first: a bare `torch` requirement would pull a multi-GB CUDA build.
	$(PY) -m pip install --quiet $(TORCH)
	touch $@

$(VENV)/.installed: $(VENV)/.base pyproject.toml
	$(PY) -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.base pyproject.toml
	$(PY) -m pip install --quiet -e '.[test,bench]'
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

demo: install
	$(VENV)/bin/newsbot ingest seeds/
	$(VENV)/bin/newsbot ask "$(QUESTION)"

lint: install-test
	$(VENV)/bin/ruff check bot retrieval prompts tests bench
	$(VENV)/bin/mypy

# Two pytest workers (CI has two cores, and many tests wait on processes and servers they start),
# then, alone, the tests that bound wall-clock time: the other worker's load is not theirs to measure.
test: install-test
	$(VENV)/bin/ruff check bot retrieval prompts tests bench
	$(VENV)/bin/mypy
	$(PY) -m pytest -q -n 2 -m "not serial"
	$(PY) -m pytest -q -m serial

bench: install-test
	$(PY) bench/compare.py $(ARGS)

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .mypy_cache *.egg-info
