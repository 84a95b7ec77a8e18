//! The "Your work" page's state and verbs over the browser's storage:
//! export, read an import file, and carry out what the learner confirmed.

use std::collections::BTreeSet;

use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen_futures::JsFuture;

use super::browser::{download_text, storage_entries, storage_remove, storage_set};
use super::saved_work::{code_keys_of_lesson, is_app_key, Backup, Progress};
use super::your_work_model::{describe, import_outcome, Pending};
use crate::lessons::LessonMeta;

/// The name of an exported file.
pub const EXPORT_FILE_NAME: &str = "event-playground-work.json";

/// What the page shows and what its buttons do.
#[derive(Clone, Copy)]
pub struct YourWorkState {
    /// The browser's storage, as last read.
    pub entries: RwSignal<Vec<(String, String)>>,
    /// The last thing done.
    pub status: RwSignal<String>,
    /// What went wrong, if anything.
    pub problem: RwSignal<Option<String>>,
    /// The question open, if any.
    pub pending: RwSignal<Option<Pending>>,
    lessons: StoredValue<Vec<LessonMeta>>,
    progress: Option<RwSignal<Progress>>,
}

/// The state of the page listing `lessons`' work.
pub fn use_your_work(lessons: Vec<LessonMeta>) -> YourWorkState {
    YourWorkState {
        entries: RwSignal::new(storage_entries()),
        status: RwSignal::new(String::new()),
        problem: RwSignal::new(None),
        pending: RwSignal::new(None),
        lessons: StoredValue::new(lessons),
        progress: use_context::<RwSignal<Progress>>(),
    }
}

impl YourWorkState {
    /// A lesson's title (an unlisted lesson, e.g. an instructor's: its id).
    pub fn title_of(&self, id: &str) -> String {
        self.lessons.with_value(|all| {
            all.iter()
                .find(|m| m.id == id)
                .map(|m| m.title.clone())
                .unwrap_or_else(|| id.to_string())
        })
    }

    /// Downloads every record as one JSON file.
    pub fn export(&self) {
        let backup = self
            .entries
            .with(|e| Backup::collect(e.iter().map(|(k, v)| (k.as_str(), v.as_str()))));
        let text = backup.to_json();
        if download_text(EXPORT_FILE_NAME, "application/json", &text) {
            let what = describe(&backup);
            self.status
                .set(format!("Exported {what} to {EXPORT_FILE_NAME}."));
        } else {
            let problem = "The browser did not start the download.".to_string();
            self.problem.set(Some(problem));
        }
    }

    /// Reads `file` and, if it is an export, asks before importing it.
    pub fn read_file(&self, file: web_sys::File) {
        self.status.set(String::new());
        self.problem.set(None);
        let this = *self;
        spawn_local(async move {
            let text = JsFuture::from(file.text())
                .await
                .ok()
                .and_then(|v| v.as_string());
            match text.map(|t| Backup::read(&t)) {
                Some(Ok(backup)) => this.pending.set(Some(Pending::Import(backup))),
                Some(Err(message)) => this.problem.set(Some(message)),
                None => {
                    let message = format!("{}: the file could not be read.", file.name());
                    this.problem.set(Some(message));
                }
            }
        });
    }

    /// Carries out the question the learner confirmed.
    pub fn confirm(&self) {
        let Some(action) = self.pending.get_untracked() else {
            return;
        };
        self.pending.set(None);
        self.problem.set(None);
        match action {
            Pending::ResetLesson(id) => self.reset_lesson(&id),
            Pending::ResetEverything => {
                self.remove_all();
                self.set_done(Default::default());
                let status = "All your work was removed from this browser.".to_string();
                self.status.set(status);
            }
            Pending::Import(backup) => self.import(&backup),
        }
        self.entries.set(storage_entries());
    }

    fn reset_lesson(&self, id: &str) {
        let keys = self
            .entries
            .with(|e| code_keys_of_lesson(id, e.iter().map(|(k, _)| k.as_str())));
        for key in keys {
            storage_remove(&key);
        }
        if let Some(progress) = self.progress {
            progress.update(|p| {
                p.done.remove(id);
            });
        }
        let title = self.title_of(id);
        self.status
            .set(format!("\u{201c}{title}\u{201d} was reset."));
    }

    fn import(&self, backup: &Backup) {
        self.remove_all();
        let records = backup.records();
        let failed = records
            .iter()
            .filter(|(key, value)| !storage_set(key, value))
            .count();
        self.set_done(backup.done.clone());
        match import_outcome(backup, records.len(), failed) {
            Ok(status) => self.status.set(status),
            Err(problem) => self.problem.set(Some(problem)),
        }
    }

    fn remove_all(&self) {
        let keys: Vec<String> = self.entries.with(|e| {
            e.iter()
                .map(|(k, _)| k.clone())
                .filter(|k| is_app_key(k))
                .collect()
        });
        for key in keys {
            storage_remove(&key);
        }
    }

    /// The progress signal is the one the lesson list shows; setting it
    /// also stores it (the app's effect).
    fn set_done(&self, done: BTreeSet<String>) {
        if let Some(progress) = self.progress {
            progress.update(|p| p.done = done);
        }
    }
}
