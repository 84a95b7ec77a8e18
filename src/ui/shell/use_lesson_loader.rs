//! The lesson loader's state and verbs: open a file or a link, check it
//! with the simulator (loaded if need be), and show it or its problems.

use leptos::prelude::*;
use leptos::task::spawn_local;
use web_sys::File;

use super::lesson_fetch::{fetch_same_origin, read_file};
use super::lesson_loader_model::{file_report, link_report, validated, Report};
use crate::lessons::Lesson;
use crate::ui::simulator::door;

/// What the loader shows and does.
#[derive(Clone, Copy)]
pub struct LessonLoaderState {
    /// The instructor's lesson on show (only a valid file replaces it).
    pub loaded: RwSignal<Option<Lesson>>,
    /// What the loader last reported.
    pub report: RwSignal<Report>,
    /// A file is dragged over the drop zone.
    pub dragging: RwSignal<bool>,
}

/// The loader over `loaded`; fetches `link` at once, if any.
pub fn use_lesson_loader(
    loaded: RwSignal<Option<Lesson>>,
    link: Option<String>,
) -> LessonLoaderState {
    let state = LessonLoaderState {
        loaded,
        report: RwSignal::new(Report::Nothing),
        dragging: RwSignal::new(false),
    };
    if let Some(path) = link {
        state.open_link(&path);
    }
    state
}

impl LessonLoaderState {
    /// Reads `file` (unless it is too large) and shows it or its problems.
    pub fn open_file(self, file: File) {
        let name = file.name();
        match file_report(&name, file.size()) {
            Err(problems) => self.report.set(problems),
            Ok(busy) => {
                self.report.set(busy);
                spawn_local(async move {
                    let text = read_file(&file).await;
                    self.accept(name, text).await;
                });
            }
        }
    }

    /// Fetches a lesson from `path` on this site and shows it or its
    /// problems.
    fn open_link(self, path: &str) {
        match link_report(path) {
            Err(problems) => self.report.set(problems),
            Ok((path, busy)) => {
                self.report.set(busy);
                spawn_local(async move {
                    let text = fetch_same_origin(&path).await;
                    self.accept(path, text).await;
                });
            }
        }
    }

    /// Validates text from `source`; shows it if good, the problems if not.
    /// The scenario blocks are checked by the simulator, loaded if need be.
    async fn accept(self, source: String, text: Result<String, String>) {
        let validate = door::load()
            .await
            .map(|s| s.validate_lesson)
            .map_err(|e| e.to_string());
        match validated(&source, text, validate) {
            Ok(lesson) => {
                self.loaded.set(Some(lesson));
                self.report.try_set(Report::Nothing);
            }
            Err(lines) => {
                self.report.try_set(Report::Problems { source, lines });
            }
        }
    }
}
