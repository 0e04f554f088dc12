# Whole Council — two commands do everything:
#   make demo   set up, load the fictional demo council and serve http://127.0.0.1:8000
#   make test   set up and run the whole test suite
# Both use SQLite unless DATABASE_URL is set (e.g. DATABASE_URL=postgres://postgres@127.0.0.1:5432/test).

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PYTEST_ARGS ?=

.PHONY: demo test install assets browser office lint check clean

demo: install assets
	$(BIN)/wholecouncil migrate --no-input
	$(BIN)/wholecouncil demo
	$(BIN)/wholecouncil serve

test: install assets browser office
	$(BIN)/pytest -n 2 $(PYTEST_ARGS)

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml requirements/lock.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements/lock.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $@

assets: node_modules/.installed src/wholecouncil/web/static/wc/govuk.css

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

src/wholecouncil/web/static/wc/govuk.css: node_modules/.installed build-assets.mjs
	node build-assets.mjs

# Browser tests drive Debian's Chromium; install it when it is missing (needs root, as on CI machines).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "Installing Debian's chromium for the browser tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-liberation >/dev/null; }

# The workbook test recalculates the exported XLSX with LibreOffice; install it when it is missing.
office:
	@command -v soffice >/dev/null 2>&1 || { \
	  echo "Installing Debian's libreoffice-calc for the workbook recalculation test"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends libreoffice-calc >/dev/null; }

lint: install
	$(BIN)/ruff check src tests benchmarks conftest.py
	$(BIN)/ruff format --check src tests benchmarks conftest.py
	$(BIN)/mypy
	$(BIN)/lint-imports
	$(BIN)/wholecouncil makemigrations --check --dry-run

clean:
	rm -rf $(VENV) node_modules var src/wholecouncil/web/static/wc/govuk.css src/wholecouncil/web/static/wc/govuk-frontend.min.js
