# zonegraph: `make run` (the demo zone on the embedded database) and `make test`.
# Both set everything up on a fresh machine: a .venv with the package, and for the
# tests the npm Cypher front end used to check the Neo4j dialect.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
export ZONEGRAPH_DB ?= zonegraph.lbug

.PHONY: run test install lint typecheck unit bench clean chromium

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

install: $(VENV)/.installed

tools/cypher-lint/node_modules/.installed: tools/cypher-lint/package-lock.json
	npm ci --prefix tools/cypher-lint --no-audit --no-fund --loglevel=error
	touch $@

run: install
	@if [ ! -e "$(ZONEGRAPH_DB)" ]; then $(BIN)/zonegraph demo; fi
	@$(BIN)/zonegraph stats
	@echo
	@$(BIN)/zonegraph serve

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: install
	$(BIN)/mypy

# Debian's Chromium for the browser tests (Playwright's own browser download cannot work
# here), and a CJK font so screenshots show Chinese. Root installs; others are told how.
chromium:
	@command -v chromium >/dev/null || (apt-get update -q && apt-get install -y -q chromium)
	@fc-list :lang=zh 2>/dev/null | grep -q . || (apt-get update -q && apt-get install -y -q fonts-wqy-microhei)

unit: install tools/cypher-lint/node_modules/.installed chromium
	$(BIN)/python -m pytest

test: lint typecheck unit

bench: install chromium
	$(BIN)/zonegraph bench
	$(BIN)/zonegraph bench --web --sizes 1500

clean:
	rm -rf $(VENV) tools/cypher-lint/node_modules .pytest_cache .mypy_cache .ruff_cache
