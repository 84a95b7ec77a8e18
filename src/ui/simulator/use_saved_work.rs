//! The learner's work in a playground, kept in the browser: every edit is
//! saved (so switching lessons or reloading loses nothing), except while a
//! share link's version is shown and until the learner keeps it.

use leptos::prelude::*;

use super::playground_model::PlaygroundSetup;
use super::playground_work::OpenedWork;
use crate::ui::shell::browser::{set_location_hash, storage_get, storage_set};
use crate::ui::shell::route::lesson_href;
use crate::ui::shell::saved_work::{code_key, SavedCode};
use crate::ui::shell::share_link::SharedWork;

/// The work on screen and where it is saved.
#[derive(Clone, Copy)]
pub struct SavedWork {
    /// The handler code in the editor.
    pub code: RwSignal<String>,
    /// The seed Run uses.
    pub seed: RwSignal<u64>,
    /// The text of the Scenario tab.
    pub scenario_text: RwSignal<String>,
    /// The scenario differs from the lesson's.
    pub edited: Memo<bool>,
    /// A share link's version is shown (not saved until kept).
    pub viewing_shared: RwSignal<bool>,
    /// The last save failed (storage full or blocked).
    pub not_saved: RwSignal<bool>,
    /// The "what if?" acts of the branch shown (JSON), saved with the code.
    pub branch: RwSignal<Option<String>>,
    key: StoredValue<String>,
    opened_with: StoredValue<Option<String>>,
}

/// Opens the work of lesson `lesson_id` (or `shared`'s) over
/// `lesson_setup`, and saves each edit; also returns the notice of saved
/// work that could not be read, and the acts of the branch it shows.
pub fn use_saved_work(
    lesson_setup: StoredValue<PlaygroundSetup>,
    lesson_id: &str,
    shared: Option<SharedWork>,
) -> (SavedWork, Option<String>, Option<String>) {
    let key = code_key(lesson_id);
    let opened =
        lesson_setup.with_value(|s| OpenedWork::open(s, storage_get(&key).as_deref(), shared));
    let scenario_text = RwSignal::new(opened.scenario_text);
    let work = SavedWork {
        code: RwSignal::new(opened.code),
        seed: RwSignal::new(opened.seed),
        scenario_text,
        edited: Memo::new(move |_| {
            scenario_text.with(|t| lesson_setup.with_value(|s| s.is_edited(t)))
        }),
        viewing_shared: RwSignal::new(opened.viewing_shared),
        not_saved: RwSignal::new(false),
        branch: RwSignal::new(opened.interventions.clone()),
        key: StoredValue::new(key),
        opened_with: StoredValue::new(None),
    };
    work.opened_with.set_value(work.record_now());
    Effect::new(move |previous: Option<()>| {
        work.code.track();
        work.seed.track();
        work.branch.track();
        if work.edited.get() {
            work.scenario_text.track();
        }
        if previous.is_some() && !work.viewing_shared.get_untracked() {
            work.save_now();
        }
    });
    (work, opened.notice, opened.interventions)
}

impl SavedWork {
    /// The record of what is on screen (none: too long to keep).
    fn record_now(&self) -> Option<String> {
        let scenario = self
            .edited
            .get_untracked()
            .then(|| self.scenario_text.get_untracked());
        SavedCode::write_branch(
            &self.code.get_untracked(),
            Some(self.seed.get_untracked()),
            scenario.as_deref(),
            self.branch.get_untracked().as_deref(),
        )
    }

    fn save_now(&self) {
        if let Some(record) = self.record_now() {
            self.not_saved
                .set(!self.key.with_value(|k| storage_set(k, &record)));
        }
    }

    /// Run and Check save first, unless nothing changed since the page
    /// opened: if they end in an internal error, the restarted page shows
    /// the code that ran (docs/architecture.md, "When the simulator fails").
    pub fn save_before_run(&self) {
        let changed = self.opened_with.with_value(|r| *r != self.record_now());
        if !self.viewing_shared.get_untracked() && changed {
            self.save_now();
        }
    }

    /// "Keep this version": the shared version becomes the learner's saved
    /// work, and the page goes to lesson `home` (without the share link).
    pub fn keep_shared(&self, home: &str) {
        self.save_now();
        self.viewing_shared.set(false);
        set_location_hash(&lesson_href(home));
    }
}
