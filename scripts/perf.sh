#!/usr/bin/env bash
# Builds the release into its own folder (dist/ is left alone) and prints
# performance figures measured in headless Chromium: load to an interactive
# playground, frame times with about 1,000 messages in flight, drawing a
# 10,000-event sequence diagram, and the gzipped download. See
# docs/performance.md. Nothing is asserted: timings depend on the machine.
#
#   scripts/perf.sh              build, then measure
#   scripts/perf.sh --no-build   measure the last build again
#
# Environment: PERF_DIST (build folder, default target/dist-perf),
# PERF_LOADS (cold loads to time, default 5), PERF_PLAYBACK_SECONDS
# (default 3), PERF_OUT (also write the figures to this file), PERF_ONLY
# (`checks`: time only every lesson's "Check over N seeds").
source "$(dirname "$0")/tools.sh"
cd "$ROOT"

DIST="${PERF_DIST:-$ROOT/target/dist-perf}"
if [ "${1:-}" != "--no-build" ]; then
  ensure_web_tools
  say "building the release into $DIST"
  trunk build --release --offline --dist "$DIST"
else
  ensure_node_tools
fi
say "measuring in headless Chromium"
node "$ROOT/e2e/perf.mjs" "$DIST"
