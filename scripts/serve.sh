#!/usr/bin/env bash
# Installs what is missing (no root needed) and serves the app with live
# reload at http://127.0.0.1:8080/ . Extra arguments go to `trunk serve`.
source "$(dirname "$0")/tools.sh"
ensure_web_tools
cd "$ROOT"
say "serving on http://127.0.0.1:8080/ (Ctrl+C stops)"
exec trunk serve --offline "$@"
