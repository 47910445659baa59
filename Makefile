# The two commands of the README:  make guide  (build the guide on the bundled data)
#                                  make test   (every test)
PYTHON ?= python3

.PHONY: deps guide test lint

deps:
	bash scripts/install-deps.sh

guide:
	$(PYTHON) -m polarguide summary --today $$(date +%F) || true
	@echo "(book build is added by the platform work)"

lint:
	ruff check polarguide tests scripts bench
	ruff format --check polarguide tests scripts bench

test: lint
	$(PYTHON) -m pytest -q
