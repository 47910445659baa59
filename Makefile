# The README's two commands on a fresh machine:
#   make guide   build the guide (HTML fi/en + both PDFs) on the bundled data, then print
#                what the funding data says today and where to open the guide
#   make test    every test: lint, library, notebooks, the strict book build, browser checks
# For the inner loop: make test-fast  (library + CLI: no book, no browser, no fresh venvs)
PYTHON ?= python3

.PHONY: deps guide test test-fast lint format

include book.mk

deps:
	bash scripts/install-deps.sh

guide: deps
	$(PYTHON) scripts/build_site.py
	$(PYTHON) -m polarguide summary --days 60
	@echo
	@echo "The guide is ready: open _build/site/index.html (or run 'make book-serve')."

lint:
	ruff check polarguide tests scripts bench book/_ext
	ruff format --check polarguide tests scripts bench book/_ext

format:
	ruff check --fix polarguide tests scripts bench book/_ext
	ruff format polarguide tests scripts bench book/_ext

test: deps lint
	$(PYTHON) -m pytest -q

test-fast: lint
	$(PYTHON) -m pytest -q -m "not book and not browser and not kit"
