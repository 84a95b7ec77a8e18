//! The web UI: Leptos components, one per file, in two layers. `shell/` is
//! the app around the lessons; `simulator/` is the playground and what it
//! draws, which the release build cuts into a second wasm file (see
//! `simulator/door.rs`). View logic that can be tested without a browser
//! (routes, theme choice, view models, slicing) lives in plain modules
//! beside the components.

pub mod shell;
pub mod simulator;

pub use shell::app::App;

/// Mounts the app on the page's `<body>`. Called by `main.rs` only.
pub fn start() {
    // A panic still ends the app (a wasm trap), but first it leaves a record
    // for the page that index.html's guard restarts, and the console says
    // where (docs/architecture.md, "When the simulator fails").
    shell::crash_hook::install();
    leptos::mount::mount_to_body(App);
    shell::service_worker::register();
}
