#!/usr/bin/env bash
# The release build for a static host: dist/ holds index.html, the wasm, the
# JS glue and the CSS, all linked relatively, so the folder works as it is
# under any path of any static host. Trunk's post_build hook
# (scripts/post-build.mjs) writes the service worker's precache list and the
# CSP hash of the inline loader. See docs/hosting.md.
source "$(dirname "$0")/tools.sh"
ensure_web_tools
cd "$ROOT"
say "building the release into dist/"
trunk build --release --offline
"$ROOT/scripts/size-report.sh"
