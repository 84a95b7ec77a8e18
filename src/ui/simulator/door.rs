//! The one door from the app shell to the simulator.
//!
//! The engine, the handler sandbox (rhai), the scenario parser and the
//! playground's components are most of the download, and a lesson's text
//! needs none of them. In a release build (`--features split`, set in
//! `index.html`) they are compiled into a second wasm file that is fetched
//! the first time a page needs a playground; `scripts/split-wasm.mjs` cuts
//! the file at [`simulator_chunk`].
//!
//! For the cut to hold, the shell must reach simulator code only through a
//! [`Simulator`]: a table of plain function pointers, created inside the
//! chunk. Anything the shell names directly stays in the first file. Without
//! the feature (native tests, wasm component tests) loading is immediate.

use std::cell::Cell;

use leptos::prelude::AnyView;

use crate::lessons::Lesson;
use crate::ui::shell::share_link::SharedWork;

pub use super::door_args::LessonPlayground;

/// Entry points into the simulator, valid once it is loaded.
#[derive(Clone, Copy)]
pub struct Simulator {
    /// The playground(s) of a lesson, or what is wrong with its scenarios.
    pub lesson_playground: fn(LessonPlayground) -> AnyView,
    /// A scenario from a share link: its playground, or its errors.
    pub shared_scenario: fn(String, SharedWork) -> AnyView,
    /// Parses an instructor's lesson and its scenario and exercise blocks.
    pub validate_lesson: fn(&str, &str) -> Result<Lesson, Vec<String>>,
}

/// Why the simulator could not be loaded (in a split build: its file could
/// not be fetched or instantiated, e.g. the network dropped).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadError(pub String);

impl std::fmt::Display for LoadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "Its file did not arrive ({}). The lesson text is all here; check the connection, then try again.",
            self.0
        )
    }
}

#[cfg(feature = "split")]
impl From<leptos::wasm_split::SplitLoaderError> for LoadError {
    fn from(err: leptos::wasm_split::SplitLoaderError) -> Self {
        LoadError(err.to_string())
    }
}

thread_local! {
    /// Set once the simulator is loaded, so later pages draw it at once.
    static LOADED: Cell<Option<Simulator>> = const { Cell::new(None) };
}

/// The simulator, if it is already loaded.
pub fn loaded() -> Option<Simulator> {
    LOADED.with(Cell::get)
}

/// Loads the simulator (once; a failed load is tried again on the next
/// call) and returns its entry points.
pub async fn load() -> Result<Simulator, LoadError> {
    if let Some(simulator) = loaded() {
        return Ok(simulator);
    }
    let simulator = simulator_chunk().await?;
    LOADED.with(|cell| cell.set(Some(simulator)));
    Ok(simulator)
}

/// The split point. Its body, and everything only it reaches, is the
/// simulator's file; the function pointers are what the shell may call.
#[cfg(feature = "split")]
#[leptos::wasm_split::wasm_split(simulator, wasm_split_path = ::leptos::wasm_split, fallible)]
fn simulator_chunk() -> Result<Simulator, LoadError> {
    Ok(entry_points())
}

#[cfg(not(feature = "split"))]
async fn simulator_chunk() -> Result<Simulator, LoadError> {
    Ok(entry_points())
}

fn entry_points() -> Simulator {
    Simulator {
        lesson_playground: super::lesson_playground::lesson_playground,
        shared_scenario: super::shared_scenario::shared_scenario,
        validate_lesson: super::lesson_check::validate_lesson,
    }
}
