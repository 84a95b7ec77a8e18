#!/usr/bin/env bash
# Installs what the tests need, then runs every test tier:
#   1. native: cargo fmt --check, clippy (warnings are errors), cargo test,
#      every benchmark run once
#   2. components in headless Chromium (wasm-bindgen-test through ChromeDriver)
#      and the engine's golden trace hash compiled to wasm
#   3. end to end: the release build served under a sub-path, driven by
#      Playwright in headless Chromium
# and prints the release build's size. Exits non-zero on any failure.
#
# OS packages: Debian's chromium and chromium-driver. As root (CI) they are
# installed with apt-get when missing; otherwise the script says what to run.
source "$(dirname "$0")/tools.sh"
cd "$ROOT"

ensure_browser() {
  if command -v chromium >/dev/null && command -v chromedriver >/dev/null; then
    return
  fi
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    say "installing OS packages: chromium chromium-driver (apt-get)"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null
  else
    die "Chromium and ChromeDriver are missing: on Debian/Ubuntu run 'sudo apt-get install chromium chromium-driver', then run this again"
  fi
}

ensure_browser
ensure_web_tools
rustup component list --installed | grep -q '^clippy' || rustup component add clippy rustfmt

say "tier 1: native (fmt, clippy, cargo test)"
cargo fmt --all -- --check
cargo clippy --all-targets --locked -- -D warnings
# The wasm-only code of the release build: the simulator's split point.
cargo clippy --locked --target wasm32-unknown-unknown --lib --features split -- -D warnings
cargo test --locked
# Every benchmark run once, unmeasured (criterion's test mode): a benchmark
# whose setup no longer holds (the broker's once asked for more events than
# the limits allow) fails here instead of when someone measures.
cargo test --locked --benches

say "tier 2: components in headless Chromium, and the engine's golden trace in wasm"
# webdriver.json (next to Cargo.toml) passes Chromium's headless flags.
# sim_determinism compares the same golden trace hash as the native run, so
# "same scenario and seed, same trace, natively and in wasm" is checked here;
# sim_interventions does the same for a run with interventions, and sim_fork
# for branches (docs/interventions.md).
CHROMEDRIVER="$(command -v chromedriver)" \
  CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
  WASM_BINDGEN_TEST_TIMEOUT=120 \
  cargo test --locked --target wasm32-unknown-unknown --test browser --test browser_components --test browser_hostile --test sim_determinism \
    --test sim_interventions --test sim_fork

say "tier 3: end to end against the release build under a sub-path"
trunk build --release --offline
node --test --test-concurrency=1 e2e/

"$ROOT/scripts/size-report.sh"
