# Tool set-up shared by serve.sh and test.sh. Source it; every function is
# idempotent and quick when the tool is already there.
#
# Versions that matter:
#   trunk 0.21.14        (0.22 needs a newer rustc than ours)
#   wasm-bindgen-cli     exactly the wasm-bindgen version in Cargo.lock
#   wasm-opt             from the npm package binaryen (package.json)
#   wasm-split-cli       wasm_split_cli_support 0.2.4 (cuts the wasm at the
#                        wasm_split_helpers 0.2 split point; see
#                        scripts/split-wasm.mjs)

set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TRUNK_VERSION="0.21.14"
WASM_SPLIT_VERSION="0.2.4"
export PATH="$HOME/.cargo/bin:$ROOT/node_modules/.bin:$PATH"

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# The wasm-bindgen version pinned in Cargo.lock (the CLI must match it).
wasm_bindgen_version() {
  awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' "$ROOT/Cargo.lock"
}

ensure_rust() {
  command -v cargo >/dev/null || die "cargo is missing: install Rust from rustup (https://rustup.rs), then run this again"
  if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    say "installing the Rust target wasm32-unknown-unknown"
    rustup target add wasm32-unknown-unknown
  fi
}

ensure_trunk() {
  if [ "$(trunk --version 2>/dev/null || true)" != "trunk $TRUNK_VERSION" ]; then
    say "installing trunk $TRUNK_VERSION (a one-time build of about 12 minutes on 2 cores)"
    # --locked first for the pinned build; the registry mirror can lack a
    # pinned patch release, then resolve afresh.
    cargo install trunk --version "$TRUNK_VERSION" --locked ||
      cargo install trunk --version "$TRUNK_VERSION"
  fi
}

ensure_wasm_bindgen() {
  local want
  want="$(wasm_bindgen_version)"
  [ -n "$want" ] || die "no wasm-bindgen in Cargo.lock"
  if [ "$(wasm-bindgen --version 2>/dev/null || true)" != "wasm-bindgen $want" ]; then
    say "installing wasm-bindgen-cli $want (matches Cargo.lock)"
    # Not --locked: the registry mirror can lack its newest pinned dependencies.
    cargo install wasm-bindgen-cli --version "$want"
  fi
  # Trunk must use this one and never try to download another.
  export TRUNK_TOOLS_WASM_BINDGEN="$want"
}

ensure_wasm_split() {
  # The CLI has no --version; cargo's list of installed packages says it.
  if ! command -v wasm-split-cli >/dev/null ||
    ! cargo install --list | grep -qx "wasm_split_cli_support v$WASM_SPLIT_VERSION:"; then
    say "installing wasm-split-cli $WASM_SPLIT_VERSION (a one-time build of about 2 minutes)"
    cargo install wasm_split_cli_support --version "$WASM_SPLIT_VERSION" --features build-binary --locked ||
      cargo install wasm_split_cli_support --version "$WASM_SPLIT_VERSION" --features build-binary
  fi
}

ensure_node_tools() {
  command -v npm >/dev/null || die "npm is missing: install Node.js 20 or newer (https://nodejs.org), then run this again"
  if [ ! -x "$ROOT/node_modules/.bin/wasm-opt" ] || [ ! -d "$ROOT/node_modules/playwright-core" ] ||
    [ "$ROOT/package-lock.json" -nt "$ROOT/node_modules/.package-lock.json" ]; then
    say "installing Node packages (binaryen for wasm-opt, playwright-core for end-to-end tests)"
    (cd "$ROOT" && npm ci --no-audit --no-fund)
  fi
}

ensure_web_tools() {
  ensure_rust
  ensure_wasm_bindgen
  ensure_wasm_split
  ensure_node_tools
  ensure_trunk
}
