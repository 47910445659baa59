# The guide (Jupyter Book 1.x / Sphinx): included from the Makefile with `include book.mk`.
#   make book         both editions, HTML + PDF, into _build/site/ (strict; fails on any warning)
#   make book-html    HTML only          make book-pdf    PDFs only
#   make gettext      extract Finnish messages to _build/gettext/*.pot
#   make update-po    gettext + sphinx-intl update -l en (then translate locales/en/**/*.po)
#   make check-po     fail on untranslated or fuzzy English messages
#   make book-check   page weight, axe-core, phone overflow and search checks (headless Chromium)
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
	node tests/browser/page_weight.mjs --budget-kb 200
	node tests/browser/a11y.mjs
	node tests/browser/overflow.mjs
	node tests/browser/search.mjs fi/search.html ympäristöstä book/ymparisto/index.html

book-test:
	$(PYTHON) -m pytest -q -m book

book-serve:
	$(PYTHON) -m http.server --directory _build/site --bind 127.0.0.1 8000

book-clean:
	rm -rf _build/site _build/html-* _build/latex-* _build/gettext _build/.doctrees-* _build/logs
