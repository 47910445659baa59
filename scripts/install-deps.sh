#!/usr/bin/env bash
# Install what polarguide and the guide need on a fresh Debian machine (run as root or with sudo).
# System packages: the PDF toolchain (xelatex), Chromium for page checks, poppler, gettext.
# Python packages: the library with its book and test extras. Node packages: axe-core, playwright-core.
set -euo pipefail
cd "$(dirname "$0")/.."
APT_PACKAGES=(latexmk texlive-latex-recommended texlive-latex-extra texlive-fonts-recommended
  texlive-xetex texlive-lang-european fonts-freefont-otf xindy chromium poppler-utils gettext graphviz librsvg2-bin)
missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
python3 -m pip install -q --disable-pip-version-check -e ".[test,book]"
# The offline workshop's `wheels` folder (see the bundle's README-TYOPAJA.md): the core package's
# dependencies and a notebook kernel, so tests/test_trainer_kit.py installs with --no-index.
if [ ! -f _build/wheelhouse/MANIFEST ] || [ pyproject.toml -nt _build/wheelhouse/MANIFEST ]; then
  python3 -m pip download -q --disable-pip-version-check -d _build/wheelhouse \
    setuptools wheel nbclient ipykernel . 2>&1 | grep -v "^WARNING: Location" || true
  ls _build/wheelhouse > _build/wheelhouse/MANIFEST
fi
if [ -f tests/browser/package.json ] && command -v npm >/dev/null; then
  (cd tests/browser && npm install --no-audit --no-fund --silent >/dev/null)
fi
