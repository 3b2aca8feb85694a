# Two commands: `make run` and `make test` (see README.md). Everything else is a helper.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
PYTEST_ARGS ?=

.PHONY: run test test-fast lint bench screenshots clean system-deps-run system-deps-test

run: system-deps-run $(VENV)/.installed-run
	$(BIN)/o365desk

test: system-deps-test $(VENV)/.installed-test
	$(MAKE) --no-print-directory lint
	tools/with-secret-service.sh $(BIN)/python -m pytest $(PYTEST_ARGS)

# The in-process half (see tests/split.py): no processes, servers, D-Bus or QtWebEngine.
test-fast: system-deps-run $(VENV)/.installed-test
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -m "not process" $(PYTEST_ARGS)

lint: $(VENV)/.installed-test
	$(BIN)/ruff check o365desk tests benchmarks tools
	$(BIN)/lint-imports
	$(BIN)/python tools/check_import_cycles.py

bench: system-deps-run $(VENV)/.installed-test
	$(BIN)/python -m benchmarks.run

screenshots: $(VENV)/.installed-test
	QT_QPA_PLATFORM=offscreen $(BIN)/python tools/screenshots.py screenshots

system-deps-run:
	@tools/install-system-deps.sh run

system-deps-test:
	@tools/install-system-deps.sh test

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed-run: pyproject.toml | $(VENV)/bin/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(VENV)/bin/python
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $@ $(VENV)/.installed-run

clean:
	rm -rf $(VENV) build *.egg-info screenshots
