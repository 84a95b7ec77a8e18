#!/usr/bin/env bash
# Prints the size of each file in dist/ and the total, raw and gzipped: what
# a learner downloads on the first visit.
set -euo pipefail
DIST="$(cd "$(dirname "$0")/.." && pwd)/dist"
[ -d "$DIST" ] || { echo "no dist/: run scripts/build-release.sh first" >&2; exit 1; }
total_raw=0
total_gz=0
# The simulator's wasm (split_simulator-*.wasm) is fetched when a page first
# shows a playground, not by the first page (see src/ui/simulator/door.rs).
first_gz=0
printf '%-48s %12s %12s\n' "release build (dist/)" "bytes" "gzipped"
for f in "$DIST"/*; do
  [ -f "$f" ] || continue
  raw=$(wc -c <"$f" | tr -d ' ')
  gz=$(gzip -9 -c "$f" | wc -c | tr -d ' ')
  total_raw=$((total_raw + raw))
  total_gz=$((total_gz + gz))
  case "$(basename "$f")" in split_simulator-*) ;; *) first_gz=$((first_gz + gz)) ;; esac
  printf '%-48s %12s %12s\n' "$(basename "$f")" "$raw" "$gz"
done
printf '%-48s %12s %12s\n' "total" "$total_raw" "$total_gz"
printf '%-48s %12s %12s\n' "first page (all but the simulator)" "" "$first_gz"
