#!/usr/bin/env bash
# Copies the front-end packages installed by `npm ci` into the app's static folder.
# The copies are git-ignored: third-party code is never committed.
set -euo pipefail
cd "$(dirname "$0")/.."
dest=src/liuhen/web/static/vendor
rm -rf "$dest"
mkdir -p "$dest/bootstrap" "$dest/htmx" "$dest/tus"
cp node_modules/bootstrap/dist/css/bootstrap.min.css{,.map} "$dest/bootstrap/"
cp node_modules/bootstrap/dist/js/bootstrap.bundle.min.js{,.map} "$dest/bootstrap/"
cp node_modules/htmx.org/dist/htmx.min.js "$dest/htmx/"
# tus-js-client: the resumable upload client of the upload page (tus 1.0.0, R15.1).
cp node_modules/tus-js-client/dist/tus.min.js{,.map} "$dest/tus/"
# signature_pad: the party's signature on the tablet (R9.1), UMD build for a classic script.
mkdir -p "$dest/signature_pad"
cp node_modules/signature_pad/dist/signature_pad.umd.min.js{,.map} "$dest/signature_pad/"
# Apache ECharts: the statistics dashboard's charts (R22.1); the build of the common chart
# kinds, with the Chinese locale built in.
mkdir -p "$dest/echarts"
cp node_modules/echarts/dist/echarts.common.min.js "$dest/echarts/"
cp node_modules/echarts/LICENSE "$dest/echarts/"
