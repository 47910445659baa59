# The guide (Jupyter Book 1.x / Sphinx): included from the Makefile with `include book.mk`.
#   make book         both editions, HTML + PDF, into _build/site/ (strict; fails on any warning)
#   make book-html    HTML only          make book-pdf    PDFs only
#   make gettext      extract Finnish messages to _build/gettext/*.pot
#   make update-po    gettext + sphinx-intl update -l en (then translate locales/en/**/*.po)
#   make check-po     fail on untranslated or fuzzy English messages
#   make book-check   page weight, console, axe-core, phone overflow (tests/browser/sweep.mjs),
#                     Lighthouse and search checks (headless Chromium)
#   make book-test    the book's pytest suite (builds, then checks everything above)
#   make book-serve   serve _build/site on http://127.0.0.1:8000/ to read it
PYTHON ?= python3

.PHONY: book book-html book-pdf gettext update-po check-po book-check book-test book-serve book-clean

book:
	$(PYTHON) scripts/build_site.py

book-html:
	$(PYTHON) scripts/build_site.py --html

book-pdf:
	$(PYTHON) scripts/build_site.py --pdf

gettext:
	$(PYTHON) scripts/build_site.py --gettext

update-po:
	$(PYTHON) scripts/build_site.py --update-po

check-po:
	$(PYTHON) scripts/check_po.py en

book-check: book
	node tests/browser/sweep.mjs --budget-kb 120
	node tests/browser/lighthouse.mjs
	node tests/browser/search.mjs fi/search.html ympäristöstä book/ymparisto/index.html

book-test:
	$(PYTHON) -m pytest -q -m book

book-serve:
	$(PYTHON) -m http.server --directory _build/site --bind 127.0.0.1 8000

book-clean:
	rm -rf _build/site _build/html-* _build/latex-* _build/gettext _build/.doctrees-* _build/logs

# Publishing (each step of .github/workflows/pages.yml is one of these, so it runs anywhere):
#   make refresh         fetch the funding calls into the data cache (PORTAL_URL=… for another
#                        portal address); a failed or suspicious fetch keeps the old data and fails
#   make site            build the site (SITE_FLAGS=--html for HTML only); the GitHub context
#                        (GITHUB_REPOSITORY, POLARBOOK_SITE_URL) adds the publishing addresses
#   make publish-check   check the built site before it goes online (scripts/check_site.py;
#                        CHECK_FLAGS=--partial after an HTML-only or one-edition build)
#   make nightly         refresh, then site, then publish-check; stops at the first failure,
#                        so a bad fetch leaves the data and the site as they were
#   make lint-workflows  actionlint and zizmor on .github/workflows (also run by the tests)
#   make lighthouse      Lighthouse (mobile) on the front page, a chapter and the finder
#   make facts-report    catalogue facts checked more than FACTS_OLDER_THAN (90) days ago, by
#                        programme (polarguide facts; the nightly run shows it; MAINTAINING.md)
# The data cache as an absolute path: notebooks run in their own folder.
ifdef POLARGUIDE_CACHE_DIR
export POLARGUIDE_CACHE_DIR := $(abspath $(POLARGUIDE_CACHE_DIR))
endif
.PHONY: refresh site publish-check nightly lint-workflows lighthouse facts-report

FACTS_OLDER_THAN ?= 90

facts-report:
	$(PYTHON) -m polarguide facts --older-than $(FACTS_OLDER_THAN)

refresh:
	$(PYTHON) -m polarguide update $(if $(PORTAL_URL),--base-url $(PORTAL_URL))

site:
	$(PYTHON) scripts/build_site.py $(SITE_FLAGS)

publish-check:
	$(PYTHON) scripts/check_site.py $(CHECK_FLAGS)

nightly:
	$(MAKE) refresh
	$(MAKE) site
	$(MAKE) publish-check

lint-workflows:
	actionlint
	zizmor --offline --min-severity low .github/workflows

lighthouse:
	node tests/browser/lighthouse.mjs
