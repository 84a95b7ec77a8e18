//! A sample of the hostile corpus (`tests/hostile/handlers`) run in a real
//! browser (wasm-bindgen-test in headless Chromium): the handlers that once
//! aborted the process or ate memory without end must, compiled to wasm as
//! the app runs them, end their run with a named error, never a panic
//! (which aborts the whole wasm instance, and with it the page). The full
//! corpus runs natively in `tests/hostile.rs`. Run by scripts/test.sh with
//! `cargo test --target wasm32-unknown-unknown --test browser_hostile`.
#![cfg(target_arch = "wasm32")]

use event_playground::scenario::parse::parse_with;
use wasm_bindgen_test::*;

mod hostile_support;
use hostile_support::{expected_words, run_errors, WithHandler};

wasm_bindgen_test_configure!(run_in_browser);

const WORLD: &str = include_str!("hostile/handler-world.toml");

/// One handler of each kind of attack: a one-step allocation (`pad`
/// overflow, doubling through curried pointers, string doubling, `split`),
/// a loop, recursion, a log flood and a store filled to its budget.
const SAMPLE: &[(&str, &str)] = &[
    (
        "pad-overflow",
        include_str!("hostile/handlers/pad-overflow.rhai"),
    ),
    (
        "pad-max-int",
        include_str!("hostile/handlers/pad-max-int.rhai"),
    ),
    (
        "curry-doubling",
        include_str!("hostile/handlers/curry-doubling.rhai"),
    ),
    (
        "string-doubling",
        include_str!("hostile/handlers/string-doubling.rhai"),
    ),
    (
        "split-explosion",
        include_str!("hostile/handlers/split-explosion.rhai"),
    ),
    (
        "infinite-loop",
        include_str!("hostile/handlers/infinite-loop.rhai"),
    ),
    (
        "deep-recursion",
        include_str!("hostile/handlers/deep-recursion.rhai"),
    ),
    (
        "print-flood",
        include_str!("hostile/handlers/print-flood.rhai"),
    ),
    (
        "store-big-values",
        include_str!("hostile/handlers/store-big-values.rhai"),
    ),
];

#[wasm_bindgen_test]
fn hostile_handlers_end_with_a_named_error_in_the_browser() {
    let mut failures = Vec::new();
    for (name, code) in SAMPLE {
        let words = expected_words(code);
        // Refused when the scenario is read (a handler that cannot compile
        // here) or stopped by a limit when it runs: both name the cause.
        let errors = match parse_with("handler-world.toml", WORLD, &WithHandler(code.to_string())) {
            Err(diagnostics) => diagnostics.iter().map(|d| d.to_string()).collect(),
            Ok(scenario) => run_errors(&event_playground::scenario::outcome::run(&scenario, 1)),
        };
        if !words.iter().any(|w| errors.contains(w.as_str())) {
            let shown: String = errors.chars().take(300).collect();
            failures.push(format!("{name}: none of {words:?} in {shown:?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
