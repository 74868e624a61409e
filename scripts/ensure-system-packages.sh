#!/usr/bin/env bash
# Installs the Debian packages the test suite needs when they are missing: Chromium for
# browser tests, gettext for the translation check, the CJK TrueType font the PDFs embed
# (fonts-arphic-uming, never committed), Pango and HarfBuzz-subset for WeasyPrint, poppler-utils
# (pdftotext) for reading PDFs back in tests. HarfBuzz's subsetter makes WeasyPrint's font
# subsetting three times faster.
# `--run`: only what the application itself needs (the font and Pango), for `make run`.
set -euo pipefail
missing=()
if [ "${1:-}" != "--run" ]; then
  command -v chromium >/dev/null 2>&1 || missing+=(chromium)
  command -v msgfmt >/dev/null 2>&1 || missing+=(gettext)
  command -v pdftotext >/dev/null 2>&1 || missing+=(poppler-utils)
fi
[ -e /usr/share/fonts/truetype/arphic/uming.ttc ] || missing+=(fonts-arphic-uming)
for package in libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0; do
  dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "error: missing Debian packages: ${missing[*]}" >&2
  echo "       install them as root: apt-get install -y ${missing[*]}" >&2
  exit 1
fi
echo "installing Debian packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
