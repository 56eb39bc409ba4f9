# Quick start: `make run` opens the app, `make test` runs ruff and the whole test suite offscreen.
# Both set everything up first: system libraries Qt needs (Debian/Ubuntu), .venv, the content DB.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
CONTENT_DB := db/carmm-content.sqlite
SOURCES := $(shell find db/content -name '*.md' 2>/dev/null) $(wildcard carmm_desktop/content/*.py)

.PHONY: run test lint db setup system-deps system-deps-gui bundle dist bench screenshots clean

run: system-deps-gui setup db
	$(BIN)/carmm-desktop

test: system-deps setup db
	$(BIN)/ruff check carmm_desktop tests bench
	$(BIN)/ruff format --check carmm_desktop tests bench
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest

lint: setup
	$(BIN)/ruff check carmm_desktop tests bench

system-deps:
	@bash tools/system-deps.sh offscreen

system-deps-gui:
	@bash tools/system-deps.sh gui

setup: $(STAMP)

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed (set PYTHON=...)")'
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV) || { echo "cannot create $(VENV): on Debian/Ubuntu install python3-venv"; exit 1; }
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	@touch $(STAMP)

db: $(CONTENT_DB)

$(CONTENT_DB): $(SOURCES) | $(STAMP)
	$(BIN)/carmm-desktop build-db --out $(CONTENT_DB)

bundle: system-deps-gui setup db
	$(BIN)/pyinstaller --noconfirm --clean build.spec
	cp tools/install-linux.sh dist/carmm-desktop/
	dist/carmm-desktop/carmm-desktop --smoke

VERSION = $(shell $(BIN)/python -c 'import carmm_desktop; print(carmm_desktop.__version__)' 2>/dev/null)

dist: bundle
	tar -C dist -czf dist/carmm-desktop-$(VERSION)-linux-$(shell uname -m).tar.gz carmm-desktop
	@echo "dist/carmm-desktop-$(VERSION)-linux-$(shell uname -m).tar.gz"

bench: setup db
	rm -rf build/bench
	QT_QPA_PLATFORM=offscreen $(BIN)/python bench/startup.py --dist build/bench
	$(BIN)/python bench/bundle.py --dist build/bench

screenshots: system-deps-gui setup db
	QT_QPA_PLATFORM=offscreen $(BIN)/python tools/screenshots.py docs/screenshots

clean:
	rm -rf build dist $(CONTENT_DB) .pytest_cache .ruff_cache
