# apigen: two commands on a fresh machine —
#   make generate   bootstrap .venv, install apigen, generate generated/ from spec/
#   make test       install what the tests need (Prism via npm) and run them
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
PRISM := node_modules/.bin/prism

.PHONY: generate test check lint typecheck corpus bench fuzz clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

$(PRISM): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

generate: $(STAMP)
	$(BIN)/apigen generate

check: $(STAMP)
	$(BIN)/apigen check

lint: $(STAMP)
	$(BIN)/ruff check generator tests
	cd generated && ../$(BIN)/ruff check .
	$(BIN)/mypy

typecheck: $(STAMP)
	$(BIN)/pyright --pythonpath $(BIN)/python generated

test: $(STAMP) $(PRISM)
	$(BIN)/python -m pytest -q
	$(BIN)/apigen check

clean:
	rm -rf $(VENV) node_modules .pytest_cache .mypy_cache .ruff_cache
