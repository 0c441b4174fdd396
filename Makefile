# The essay site. `make help` lists the targets.
#
# Every target that needs Python first creates .venv from the pinned,
# hash-checked requirements.txt (what builds the site and the writers' tools),
# and creates it again only when requirements.txt or pyproject.toml change.
# The targets for tests and maintainers (test, lock, bench, bench-page) add
# requirements-dev.txt on top, once, and again when it changes. A light first
# build: nothing is compiled to bytecode ahead (Python compiles what a build
# imports), and the setuptools that venv adds goes (flit-core builds the
# package, which is installed editable).

PYTHON     ?= python3
VENV       := .venv
BIN        := $(VENV)/bin
STAMP      := $(VENV)/.installed
DEV_STAMP  := $(VENV)/.installed-dev
NODE_STAMP := node_modules/.installed
BUILDDIR   := _build
# -j auto: every core for large builds (essaysite.speed.parallel keeps small rebuilds serial).
SPHINXOPTS ?= -n -W --keep-going -j auto
HOST       ?= 127.0.0.1
PORT       ?= 8000
ARGS       ?=

.DEFAULT_GOAL := help
.PHONY: help html epub test live clean lock bench bench-page post check linkcheck import-jekyll bench-import


help: ## List the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z_-]+:.*## / {n++; name[n] = $$1; text[n] = $$2; if (length($$1) > w) w = length($$1)} \
	  END {format = "  make %-" w "s  %s\n"; for (i = 1; i <= n; i++) printf format, name[i], text[i]}' $(MAKEFILE_LIST)

$(STAMP): requirements.txt pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit("Python 3.11 or newer is needed, found " + sys.version.split()[0]) if sys.version_info < (3, 11) else None'
	rm -rf $(VENV)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --no-compile --require-hashes --no-deps -r requirements.txt
	$(BIN)/python -m pip install --quiet --no-compile --no-deps --no-build-isolation --editable .
	$(BIN)/python -m pip uninstall --quiet --quiet --yes setuptools
	@touch $@

$(DEV_STAMP): requirements-dev.txt $(STAMP)
	$(BIN)/python -m pip install --quiet --require-hashes --no-deps -r requirements-dev.txt
	@touch $@

$(NODE_STAMP): package.json package-lock.json
	@command -v npm >/dev/null || { echo "make test needs npm (Node.js) for the Nu HTML checker: apt-get install nodejs npm (.ci/run does this)"; exit 1; }
	@command -v java >/dev/null || { echo "make test needs Java for the Nu HTML checker: apt-get install default-jre-headless (.ci/run does this)"; exit 1; }
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

html: $(STAMP) ## Build the site into _build/html (warnings are errors)
	@$(BIN)/sphinx-build -b html $(SPHINXOPTS) -d $(BUILDDIR)/doctrees . $(BUILDDIR)/html

# The essays as an e-book, as Read the Docs builds its EPUB download (the same
# doctree folder as html): _build/epub/Essays.epub (essaysite/features/ebook.py).
epub: $(STAMP) ## Build the e-book: _build/epub/Essays.epub, every published essay a chapter
	@$(BIN)/sphinx-build -b epub $(SPHINXOPTS) -d $(BUILDDIR)/doctrees . $(BUILDDIR)/epub

# Every core (pytest-xdist), a test file per process: a file's tests share its builds.
test: $(DEV_STAMP) $(NODE_STAMP) ## Run the test suite (builds the site in a temporary folder)
	$(BIN)/python -m pytest -n auto --dist loadfile

live: $(STAMP) ## Serve a live preview on http://127.0.0.1:8000/ that rebuilds on save
	ESSAYS_DRAFTS=1 $(BIN)/sphinx-autobuild --host $(HOST) --port $(PORT) \
	  --ignore "$(CURDIR)/$(BUILDDIR)" --ignore "$(CURDIR)/.venv" --ignore "$(CURDIR)/node_modules" \
	  -n --keep-going -d $(BUILDDIR)/live-doctrees . $(BUILDDIR)/live

bench: $(DEV_STAMP) ## Time builds against plain Sphinx and stock ABlog (N=1000 for one size)
	$(BIN)/python benchmarks/build_speed.py --project-options "$(SPHINXOPTS)" $(if $(N),--sizes $(N) --no-page)

post: $(STAMP) ## Start an essay: make post TITLE="..." [TAGS="a, b"] [CATEGORY=...] [DRAFT=1]
	@$(BIN)/essays-new --title "$$TITLE" --tags "$$TAGS" --category "$$CATEGORY" --draft "$$DRAFT"

# essays-check checks the front matter, builds the site as `make html` does and
# checks the built pages and feeds; it says each problem once, where to fix it.
check: $(STAMP) ## Check front matter, links, anchors, images, alt text in pages and feeds (no network)
	@$(BIN)/essays-check --builddir $(BUILDDIR) --sphinx-options "$(SPHINXOPTS)"

linkcheck: $(STAMP) ## Check every external link (needs the network)
	$(BIN)/sphinx-build -b linkcheck $(SPHINXOPTS) -d $(BUILDDIR)/doctrees . $(BUILDDIR)/linkcheck

bench-page: $(DEV_STAMP) $(NODE_STAMP) ## Bytes and requests of an essay page, before/after, and Lighthouse
	$(BIN)/python benchmarks/page_weight.py

clean: ## Remove the built site (_build)
	rm -rf $(BUILDDIR)

LOCK := $(BIN)/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras --no-emit-index-url --no-emit-find-links
lock: $(DEV_STAMP) ## Re-pin both locks (with hashes) from requirements.in and requirements-dev.in
	$(LOCK) -o requirements.txt requirements.in
	$(LOCK) -o requirements-dev.txt requirements-dev.in

import-jekyll: $(STAMP) ## Import a Jekyll blog: make import-jekyll SRC=path/to/site [ARGS="--dry-run --force --date D"]
	@test -n "$(SRC)" || { echo "Give the Jekyll site: make import-jekyll SRC=path/to/site (or one post file)"; exit 2; }
	$(BIN)/essays-import-jekyll $(ARGS) -- "$(SRC)"

bench-import: $(STAMP) ## Time the Jekyll import of 1,000 generated posts
	$(BIN)/python benchmarks/import_jekyll.py
