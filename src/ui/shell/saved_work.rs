//! What the browser keeps for the learner: which lessons are done and the
//! code of each lesson, as small versioned JSON records. Reading never
//! fails: a missing, corrupted or foreign record gives an empty default and
//! a notice to show, so a bad saved state can never blank the page.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

/// localStorage key of the progress record.
pub const PROGRESS_KEY: &str = "event-playground.progress";
/// Prefix of the localStorage key of a lesson's code.
pub const CODE_KEY_PREFIX: &str = "event-playground.code.";
/// The record format this build writes.
pub const FORMAT_VERSION: u32 = 1;
/// Longest code kept per lesson (bytes); longer text is not saved.
pub const MAX_SAVED_CODE_BYTES: usize = 64 * 1024;

/// Largest edited scenario kept: the scenario parser's own limit
/// (`scenario::limits::MAX_SCENARIO_BYTES`, which a shell file may not
/// name; `tests/ui_layers.rs` checks the two agree).
pub const MAX_SAVED_SCENARIO_BYTES: usize = 256 * 1024;

/// Lessons whose exercise passed in this browser.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Progress {
    /// Format version.
    pub version: u32,
    /// Lesson ids.
    pub done: BTreeSet<String>,
}

impl Progress {
    /// Reads a stored record. `None` text is a first visit (no notice).
    pub fn read(text: Option<&str>) -> (Progress, Option<String>) {
        let Some(text) = text else {
            return (Progress::new(), None);
        };
        match serde_json::from_str::<Progress>(text) {
            Ok(p) if p.version == FORMAT_VERSION => (p, None),
            Ok(p) => (
                Progress::new(),
                Some(format!(
                    "Your saved progress is from another version of the app (format {}); it was set aside and you start fresh.",
                    p.version
                )),
            ),
            Err(_) => (
                Progress::new(),
                Some("Your saved progress could not be read (it was damaged); it was set aside and you start fresh.".to_string()),
            ),
        }
    }

    /// An empty record.
    pub fn new() -> Progress {
        Progress {
            version: FORMAT_VERSION,
            done: BTreeSet::new(),
        }
    }

    /// The record as stored.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}

/// The localStorage key of a lesson's code.
pub fn code_key(lesson_id: &str) -> String {
    format!("{CODE_KEY_PREFIX}{lesson_id}")
}

/// One lesson's saved code and seed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavedCode {
    /// Format version.
    pub version: u32,
    /// The code.
    pub code: String,
    /// The seed last chosen (absent in records written before seeds were
    /// kept: those still read, with the scenario's seed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seed: Option<u64>,
    /// The scenario's TOML as the learner edited it in the Scenario tab;
    /// absent while it is the lesson's own (and in older records).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scenario: Option<String>,
    /// The "what if?" acts of the branch last shown (docs/interventions.md)
    /// as the simulator's JSON list, opaque here; absent for the run as
    /// written (and in older records).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interventions: Option<String>,
}

impl SavedCode {
    /// Reads a stored record: the record, or `None` (with a notice when the
    /// record existed but was damaged or from another format).
    pub fn read(text: Option<&str>) -> (Option<SavedCode>, Option<String>) {
        let Some(text) = text else {
            return (None, None);
        };
        match serde_json::from_str::<SavedCode>(text) {
            Ok(saved) if saved.version == FORMAT_VERSION => (Some(saved), None),
            Ok(saved) => (
                None,
                Some(format!(
                    "Your saved code for this lesson is from another version of the app (format {}); the starting code is shown instead.",
                    saved.version
                )),
            ),
            Err(_) => (
                None,
                Some("Your saved code for this lesson could not be read; the starting code is shown instead.".to_string()),
            ),
        }
    }

    /// The record to store, or `None` when the code (or the edited
    /// scenario) is too long to keep.
    pub fn write(code: &str, seed: Option<u64>, scenario: Option<&str>) -> Option<String> {
        SavedCode::write_branch(code, seed, scenario, None)
    }

    /// The same with the acts of the branch shown (a JSON list, bounded as
    /// a scenario is).
    pub fn write_branch(
        code: &str,
        seed: Option<u64>,
        scenario: Option<&str>,
        interventions: Option<&str>,
    ) -> Option<String> {
        let fits = code.len() <= MAX_SAVED_CODE_BYTES
            && scenario.is_none_or(|s| s.len() <= MAX_SAVED_SCENARIO_BYTES)
            && interventions.is_none_or(|s| s.len() <= MAX_SAVED_SCENARIO_BYTES);
        fits.then(|| {
            serde_json::to_string(&SavedCode {
                version: FORMAT_VERSION,
                code: code.to_string(),
                seed,
                scenario: scenario.map(str::to_string),
                interventions: interventions.map(str::to_string),
            })
            .unwrap_or_default()
        })
    }
}

/// What the notice says when the browser refused to store (quota, private
/// mode): the work is still on screen, so say how to keep it.
pub const NOT_SAVED_NOTICE: &str = "Your browser did not let this page save your work (storage is full or blocked). It stays on screen until you close the page: press Copy share link to keep it (the link holds your code and seed).";

/// Marks an exported file as ours.
pub const BACKUP_APP: &str = "event-playground";
/// Largest backup file accepted on import, in bytes.
pub const MAX_BACKUP_BYTES: usize = 4 * 1024 * 1024;

/// Everything saved in this browser, as an exported JSON file.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Backup {
    /// Always [`BACKUP_APP`].
    pub app: String,
    /// Format version ([`FORMAT_VERSION`]).
    pub version: u32,
    /// Lessons done.
    pub done: BTreeSet<String>,
    /// Saved code and seed by lesson id.
    pub lessons: BTreeMap<String, BackupLesson>,
}

/// One lesson in a backup.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BackupLesson {
    /// The code.
    pub code: String,
    /// The seed, when one was chosen.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seed: Option<u64>,
    /// The edited scenario, when the learner changed it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scenario: Option<String>,
}

impl Backup {
    /// Collects the stored records: `records` yields `(key, value)` pairs
    /// of localStorage; other apps' keys and damaged records are skipped.
    pub fn collect<'a>(records: impl IntoIterator<Item = (&'a str, &'a str)>) -> Backup {
        let mut backup = Backup {
            app: BACKUP_APP.to_string(),
            version: FORMAT_VERSION,
            ..Backup::default()
        };
        for (key, value) in records {
            if key == PROGRESS_KEY {
                backup.done = Progress::read(Some(value)).0.done;
            } else if let Some(id) = key.strip_prefix(CODE_KEY_PREFIX) {
                if let (Some(saved), _) = SavedCode::read(Some(value)) {
                    backup.lessons.insert(
                        id.to_string(),
                        BackupLesson {
                            code: saved.code,
                            seed: saved.seed,
                            scenario: saved.scenario,
                        },
                    );
                }
            }
        }
        backup
    }

    /// The file's content.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// Reads an imported file; the error is a sentence for the learner.
    pub fn read(text: &str) -> Result<Backup, String> {
        if text.len() > MAX_BACKUP_BYTES {
            return Err(format!(
                "This file is too large to be an Event Playground export (the limit is {} MiB).",
                MAX_BACKUP_BYTES / (1024 * 1024)
            ));
        }
        let backup: Backup = serde_json::from_str(text).map_err(|_| {
            "This file is not an Event Playground export (it could not be read as one).".to_string()
        })?;
        if backup.app != BACKUP_APP {
            return Err("This file is not an Event Playground export.".to_string());
        }
        if backup.version > FORMAT_VERSION {
            return Err(format!(
                "This export was made by a newer version of Event Playground (format {}); reload to get the latest app and import it again.",
                backup.version
            ));
        }
        if backup.version == 0 {
            return Err("This export is damaged: its format version is missing.".to_string());
        }
        Ok(backup)
    }

    /// How many lessons have saved code (a lesson's other scenario blocks
    /// count with it).
    pub fn lessons_with_code(&self) -> usize {
        self.lessons
            .keys()
            .map(|id| lesson_of(id))
            .collect::<BTreeSet<_>>()
            .len()
    }

    /// The `(key, value)` records to store on import; code too long to keep
    /// is left out.
    pub fn records(&self) -> Vec<(String, String)> {
        let progress = Progress {
            version: FORMAT_VERSION,
            done: self.done.clone(),
        };
        let mut out = vec![(PROGRESS_KEY.to_string(), progress.to_json())];
        for (id, lesson) in &self.lessons {
            if let Some(record) =
                SavedCode::write(&lesson.code, lesson.seed, lesson.scenario.as_deref())
            {
                out.push((code_key(id), record));
            }
        }
        out
    }
}

/// Whether a localStorage key belongs to this app (what "reset everything"
/// removes).
pub fn is_app_key(key: &str) -> bool {
    key == PROGRESS_KEY || key.starts_with(CODE_KEY_PREFIX)
}

/// What this browser keeps for one lesson, as the "Your work" page lists it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LessonWork {
    /// The lesson's id (a built-in id, or an instructor's lesson key).
    pub id: String,
    /// Whether its exercise passed.
    pub done: bool,
    /// How many of its playgrounds hold saved code (a lesson with several
    /// scenario blocks saves each apart).
    pub saved_blocks: usize,
}

/// The lesson a code key's id belongs to: `<id>/<n>` is block n of `<id>`.
fn lesson_of(code_id: &str) -> &str {
    match code_id.rsplit_once('/') {
        Some((lesson, block)) if block.parse::<usize>().is_ok() => lesson,
        _ => code_id,
    }
}

/// Summarizes the stored records by lesson, in id order; damaged code
/// records still count (resetting the lesson removes them).
pub fn lessons_with_work<'a>(
    records: impl IntoIterator<Item = (&'a str, &'a str)>,
) -> Vec<LessonWork> {
    fn entry<'m>(by_id: &'m mut BTreeMap<String, LessonWork>, id: &str) -> &'m mut LessonWork {
        by_id.entry(id.to_string()).or_insert_with(|| LessonWork {
            id: id.to_string(),
            done: false,
            saved_blocks: 0,
        })
    }
    let mut by_id = BTreeMap::new();
    for (key, value) in records {
        if key == PROGRESS_KEY {
            for id in Progress::read(Some(value)).0.done {
                entry(&mut by_id, &id).done = true;
            }
        } else if let Some(code_id) = key.strip_prefix(CODE_KEY_PREFIX) {
            entry(&mut by_id, lesson_of(code_id)).saved_blocks += 1;
        }
    }
    by_id.into_values().collect()
}

/// The code keys among `keys` that belong to lesson `id` (its own and its
/// other scenario blocks'): what resetting the lesson removes, with its
/// mark in the progress record.
pub fn code_keys_of_lesson<'a>(id: &str, keys: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    keys.into_iter()
        .filter(|key| {
            key.strip_prefix(CODE_KEY_PREFIX)
                .is_some_and(|code_id| lesson_of(code_id) == id)
        })
        .map(str::to_string)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn progress_round_trips() {
        let mut p = Progress::new();
        p.done.insert("version-store".into());
        let (back, notice) = Progress::read(Some(&p.to_json()));
        assert_eq!(back, p);
        assert_eq!(notice, None);
    }

    #[test]
    fn damaged_or_foreign_progress_starts_fresh_with_a_notice() {
        for text in [
            "{not json",
            "[]",
            "{\"version\":99,\"done\":[\"x\"]}",
            "\"\"",
        ] {
            let (p, notice) = Progress::read(Some(text));
            assert!(p.done.is_empty(), "{text}");
            assert!(notice.is_some(), "{text}");
        }
        assert_eq!(Progress::read(None), (Progress::new(), None));
    }

    #[test]
    fn code_round_trips_and_damage_is_reported() {
        let stored = SavedCode::write("fn handler(e, c) {}\n", Some(7), None).unwrap();
        let (saved, notice) = SavedCode::read(Some(&stored));
        assert_eq!(notice, None);
        let saved = saved.unwrap();
        assert_eq!(saved.code, "fn handler(e, c) {}\n");
        assert_eq!(saved.seed, Some(7));
        let (code, notice) = SavedCode::read(Some("garbage"));
        assert_eq!(code, None);
        assert!(notice.unwrap().contains("starting code"));
        assert!(SavedCode::write(&"x".repeat(MAX_SAVED_CODE_BYTES + 1), None, None).is_none());
        let (code, notice) = SavedCode::read(Some("{\"version\":9,\"code\":\"x\"}"));
        assert_eq!(code, None);
        assert!(notice.unwrap().contains("another version"));
    }

    #[test]
    fn records_without_a_seed_still_read() {
        let (saved, notice) = SavedCode::read(Some("{\"version\":1,\"code\":\"old\"}"));
        assert_eq!(notice, None);
        assert_eq!(
            saved,
            Some(SavedCode {
                version: 1,
                code: "old".into(),
                seed: None,
                scenario: None,
                interventions: None,
            })
        );
    }

    #[test]
    fn a_record_keeps_the_branch_shown_and_older_records_have_none() {
        let acts = r#"[{"at_ms":20,"kind":"duplicate_message","target":"saves","parameters":{"message_id":1}}]"#;
        let stored = SavedCode::write_branch("code", Some(136), None, Some(acts)).unwrap();
        let (saved, _) = SavedCode::read(Some(&stored));
        assert_eq!(saved.unwrap().interventions.as_deref(), Some(acts));
        let plain = SavedCode::write("code", Some(136), None).unwrap();
        assert!(!plain.contains("interventions"), "{plain}");
        let huge = "x".repeat(MAX_SAVED_SCENARIO_BYTES + 1);
        assert!(SavedCode::write_branch("c", None, None, Some(&huge)).is_none());
    }

    #[test]
    fn backup_round_trips_through_storage_records() {
        let mut progress = Progress::new();
        progress.done.insert("welcome".into());
        let progress_json = progress.to_json();
        let a = SavedCode::write("code a", Some(3), None).unwrap();
        let b = SavedCode::write("code b", None, Some("[scenario]\nname = \"b\"\n")).unwrap();
        let stored = [
            (PROGRESS_KEY, progress_json.as_str()),
            ("event-playground.code.a", a.as_str()),
            ("event-playground.code.b", b.as_str()),
            ("event-playground.code.broken", "{oops"),
            ("other-app.key", "x"),
            ("event-playground.theme", "dark"),
        ];
        let backup = Backup::collect(stored.iter().copied());
        assert_eq!(backup.lessons.len(), 2);
        let file = backup.to_json();
        let back = Backup::read(&file).unwrap();
        assert_eq!(back, backup);
        let records = back.records();
        let again = Backup::collect(records.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        assert_eq!(again, backup);
        assert_eq!(again.lessons["a"].seed, Some(3));
        // An edited scenario travels with the code, out and back in.
        assert_eq!(
            again.lessons["b"].scenario.as_deref(),
            Some("[scenario]\nname = \"b\"\n")
        );
        assert_eq!(again.lessons["a"].scenario, None);
        assert_eq!(again.lessons_with_code(), 2);
        assert!(again.done.contains("welcome"));
    }

    #[test]
    fn bad_backup_files_are_refused_in_words() {
        for text in [
            "",
            "{",
            "[]",
            "{\"app\":\"other\",\"version\":1,\"done\":[],\"lessons\":{}}",
            "{\"app\":\"event-playground\",\"version\":2,\"done\":[],\"lessons\":{}}",
            "{\"app\":\"event-playground\",\"version\":0,\"done\":[],\"lessons\":{}}",
        ] {
            let err = Backup::read(text).unwrap_err();
            assert!(err.ends_with('.'), "{text}: {err}");
        }
        assert!(Backup::read(&" ".repeat(MAX_BACKUP_BYTES + 1)).is_err());
    }

    #[test]
    fn app_keys_are_recognised() {
        assert!(is_app_key(PROGRESS_KEY));
        assert!(is_app_key(&code_key("welcome")));
        assert!(!is_app_key("event-playground.theme"));
        assert!(!is_app_key("someone-else"));
    }
    #[test]
    fn work_is_listed_by_lesson_with_its_blocks() {
        let mut progress = Progress::new();
        progress.done.insert("fifo".into());
        progress.done.insert("welcome".into());
        let progress_json = progress.to_json();
        let stored = [
            (PROGRESS_KEY, progress_json.as_str()),
            ("event-playground.code.fifo", "{}"),
            ("event-playground.code.fifo/2", "{}"),
            ("event-playground.code.version-store", "{oops"),
            ("event-playground.theme", "dark"),
        ];
        let work = lessons_with_work(stored.iter().copied());
        let ids: Vec<&str> = work.iter().map(|w| w.id.as_str()).collect();
        assert_eq!(ids, ["fifo", "version-store", "welcome"]);
        assert_eq!((work[0].done, work[0].saved_blocks), (true, 2));
        assert_eq!((work[1].done, work[1].saved_blocks), (false, 1));
        assert_eq!((work[2].done, work[2].saved_blocks), (true, 0));
    }

    #[test]
    fn resetting_a_lesson_takes_all_its_blocks_and_nothing_else() {
        let keys = [
            "event-playground.code.fifo",
            "event-playground.code.fifo/2",
            "event-playground.code.fifo-extra",
            "event-playground.code.other/2",
            PROGRESS_KEY,
            "event-playground.theme",
        ];
        assert_eq!(
            code_keys_of_lesson("fifo", keys),
            ["event-playground.code.fifo", "event-playground.code.fifo/2"]
        );
        assert!(code_keys_of_lesson("nothing", keys).is_empty());
    }
}
