# The essay site. `make help` lists the targets.
#
# Every target that needs Python first creates .venv from the pinned,
# hash-checked requirements.txt, and creates it again only when
# requirements.txt or pyproject.toml change.

PYTHON     ?= python3
VENV       := .venv
BIN        := $(VENV)/bin
STAMP      := $(VENV)/.installed
NODE_STAMP := node_modules/.installed
BUILDDIR   := _build
# -j auto: every core for large builds (essaysite.speed.parallel keeps small rebuilds serial).
SPHINXOPTS ?= -n -W --keep-going -j auto
HOST       ?= 127.0.0.1
PORT       ?= 8000
ARGS       ?=

.DEFAULT_GOAL := help
.PHONY: help html test live clean lock bench bench-page post check linkcheck import-jekyll bench-import


help: ## List the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z_-]+:.*## / {printf "  make %-10s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

$(STAMP): requirements.txt pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit("Python 3.11 or newer is needed, found " + sys.version.split()[0]) if sys.version_info < (3, 11) else None'
	rm -rf $(VENV)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes --no-deps -r requirements.txt
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation --editable .
	@touch $@

$(NODE_STAMP): package.json package-lock.json
	@command -v npm >/dev/null || { echo "make test needs npm (Node.js) for the Nu HTML checker: apt-get install nodejs npm (.ci/run does this)"; exit 1; }
	@command -v java >/dev/null || { echo "make test needs Java for the Nu HTML checker: apt-get install default-jre-headless (.ci/run does this)"; exit 1; }
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

html: $(STAMP) ## Build the site into _build/html (warnings are errors)
	$(BIN)/sphinx-build -b html $(SPHINXOPTS) -d $(BUILDDIR)/doctrees . $(BUILDDIR)/html

test: $(STAMP) $(NODE_STAMP) ## Run the test suite (builds the site in a temporary folder)
	$(BIN)/python -m pytest

live: $(STAMP) ## Serve a live preview on http://127.0.0.1:8000/ that rebuilds on save
	ESSAYS_DRAFTS=1 $(BIN)/sphinx-autobuild --host $(HOST) --port $(PORT) \
	  --ignore "$(CURDIR)/$(BUILDDIR)" --ignore "$(CURDIR)/.venv" --ignore "$(CURDIR)/node_modules" \
	  -n --keep-going -d $(BUILDDIR)/live-doctrees . $(BUILDDIR)/live

bench: $(STAMP) ## Time builds against plain Sphinx and stock ABlog (N=1000 for one size)
	$(BIN)/python benchmarks/build_speed.py --project-options "$(SPHINXOPTS)" $(if $(N),--sizes $(N) --no-page)

post: $(STAMP) ## Start an essay: make post TITLE="..." [TAGS="a, b"] [CATEGORY=...] [DRAFT=1]
	@$(BIN)/essays-new --title "$$TITLE" --tags "$$TAGS" --category "$$CATEGORY" --draft "$$DRAFT"

# The build inside `make check` silences the warnings for covers and raw-HTML
# pictures and links: essays-check reports those itself, once.
check: $(STAMP) ## Check front matter, links, anchors, images, alt text in pages and feeds (no network)
	@status=0; \
	$(BIN)/essays-check --front-matter || status=$$?; \
	if [ $$status -ne 2 ]; then \
	  $(BIN)/sphinx-build -b html $(SPHINXOPTS) -q -D suppress_warnings=essays.cover,rawimages.missing,rawlinks.missing -d $(BUILDDIR)/doctrees . $(BUILDDIR)/html || status=1; \
	  $(BIN)/essays-check --built $(BUILDDIR)/html || status=1; \
	fi; \
	exit $$status

linkcheck: $(STAMP) ## Check every external link (needs the network)
	$(BIN)/sphinx-build -b linkcheck $(SPHINXOPTS) -d $(BUILDDIR)/doctrees . $(BUILDDIR)/linkcheck

bench-page: $(STAMP) $(NODE_STAMP) ## Bytes and requests of an essay page, before/after, and Lighthouse
	$(BIN)/python benchmarks/page_weight.py

clean: ## Remove the built site (_build)
	rm -rf $(BUILDDIR)

lock: $(STAMP) ## Re-pin requirements.txt (with hashes) from requirements.in
	$(BIN)/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras -o requirements.txt requirements.in

import-jekyll: $(STAMP) ## Import a Jekyll blog: make import-jekyll SRC=path/to/site [ARGS="--dry-run --force --date D"]
	@test -n "$(SRC)" || { echo "Give the Jekyll site: make import-jekyll SRC=path/to/site (or one post file)"; exit 2; }
	$(BIN)/essays-import-jekyll $(ARGS) -- "$(SRC)"

bench-import: $(STAMP) ## Time the Jekyll import of 1,000 generated posts
	$(BIN)/python benchmarks/import_jekyll.py
