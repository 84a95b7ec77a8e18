//! What a playground opens with: the code, seed and scenario text from a
//! share link, else from the learner's saved work, else the lesson's own.
//! Pure (tests/ui_playground_view.rs); `use_saved_work` keeps it saved.

use super::playground_model::PlaygroundSetup;
use crate::ui::shell::saved_work::SavedCode;
use crate::ui::shell::share_link::SharedWork;

/// The learner's work as a playground opens.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OpenedWork {
    /// The handler code in the editor.
    pub code: String,
    /// The seed Run uses.
    pub seed: u64,
    /// The text of the Scenario tab.
    pub scenario_text: String,
    /// It came from a share link: nothing is saved until the learner keeps it.
    pub viewing_shared: bool,
    /// Why the saved work could not be read, if it could not.
    pub notice: Option<String>,
    /// The "what if?" acts of the branch the link or the saved work shows
    /// (a JSON list, read by `use_branches`), if any.
    pub interventions: Option<String>,
}

impl OpenedWork {
    /// The work to show: `shared` wins over `saved_text` (the saved record,
    /// still read so its notice shows), which wins over `setup`'s defaults.
    pub fn open(
        setup: &PlaygroundSetup,
        saved_text: Option<&str>,
        shared: Option<SharedWork>,
    ) -> OpenedWork {
        let (saved, notice) = SavedCode::read(saved_text);
        let viewing_shared = shared.is_some();
        let (code, seed, scenario, interventions) = match shared {
            Some(work) => (
                Some(work.code),
                Some(work.seed),
                work.scenario,
                work.interventions,
            ),
            None => match saved {
                Some(s) => (Some(s.code), s.seed, s.scenario, s.interventions),
                None => (None, None, None, None),
            },
        };
        OpenedWork {
            code: code.unwrap_or_else(|| setup.starting_code()),
            seed: seed.unwrap_or(setup.scenario.config.scenario.seed),
            scenario_text: scenario.unwrap_or_else(|| setup.source.clone()),
            viewing_shared,
            notice,
            interventions,
        }
    }
}
