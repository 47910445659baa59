# The README's two commands on a fresh machine:
#   make guide   build the guide (HTML fi/en + both PDFs) on the bundled data, then print
#                the funding routes that fit the region and where to open the guide
#   make test    every test: lint, library, notebooks, the strict book build, browser checks
# For the inner loop: make test-fast  (library + CLI: no book, no browser, no fresh venvs)
PYTHON ?= python3
# Tests run in two processes (pytest-xdist; this machine kind has two cores). The book is built
# once per run by whichever process needs it first; the browser checks and the workshop-kit
# environments each stay in one process (xdist groups). PYTEST_JOBS=0 runs them in one.
PYTEST_JOBS ?= 2
PYTEST_PARALLEL = $(if $(filter 0,$(PYTEST_JOBS)),,-n $(PYTEST_JOBS) --dist loadgroup)

.PHONY: deps guide test test-fast lint format

include book.mk

deps:
	bash scripts/install-deps.sh

guide: deps
	$(PYTHON) scripts/build_site.py
	@echo
	@echo "Funding routes for the region's young people and villages (polarguide search --profile polar):"
	$(PYTHON) -m polarguide search --profile polar --kind programmes --limit 8
	@echo
	@echo "The guide is ready: open _build/site/index.html (or run 'make book-serve')."

lint:
	ruff check polarguide tests scripts bench book/_ext
	ruff format --check polarguide tests scripts bench book/_ext

format:
	ruff check --fix polarguide tests scripts bench book/_ext
	ruff format polarguide tests scripts bench book/_ext

test: deps lint
	$(PYTHON) -m pytest -q $(PYTEST_PARALLEL)

test-fast: lint
	$(PYTHON) -m pytest -q $(PYTEST_PARALLEL) -m "not book and not browser and not kit"
