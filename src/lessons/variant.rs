//! `[[variants]]` of an exercise block: the same system under another fault,
//! data or load profile, each there to reject a mistake the lesson warns
//! about. A fix passes only when every check holds in every seed of the
//! scenario and of every variant (see docs/authoring.md, "Variants").
//!
//! ```toml
//! [[variants]]
//! name = "store errors"
//! catches = "a handler that swallows every store error loses the save"
//! seeds = 50
//! faults = [{ kind = "store_errors", rate_ppm = 100000, until_ms = 20000 }]
//! clients = [{ name = "editor", versions = ["v1.9", "v2.0", "v2.1"] }]
//! ```
//!
//! `faults` are added to the scenario's (or replace them, with
//! `replace_faults = true`); each entry of `clients`, `queues`,
//! `consumers`, `functions` and `mappings` changes the fields it names of
//! the section with the same `name` (a new name adds a section). The
//! scenario's checks judge every variant, so a variant cannot weaken them.

use serde::{Deserialize, Serialize};

/// Most variants per exercise: each multiplies the sweep's cost.
pub const MAX_VARIANTS: usize = 8;
/// Longest variant name, in characters.
pub const MAX_VARIANT_NAME_CHARS: usize = 60;

/// One variant.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Variant {
    /// Shown in results: "failed in variant `store errors`, seed 17".
    pub name: String,
    /// The mistake it is there to reject, in one sentence.
    pub catches: String,
    /// Seeds it is judged over, from seed 1 (default: the exercise's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seeds: Option<u64>,
    /// Faults added to the scenario's `[[faults]]`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub faults: Vec<toml::Table>,
    /// The variant's `faults` replace the scenario's instead of adding to
    /// them (two store-error windows that overlap do not add up: the
    /// first listed decides).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub replace_faults: bool,
    /// Changes to `[[clients]]`, matched by name.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub clients: Vec<toml::Table>,
    /// Changes to `[[queues]]`, matched by name.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub queues: Vec<toml::Table>,
    /// Changes to `[[consumers]]`, matched by name.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub consumers: Vec<toml::Table>,
    /// Changes to `[[functions]]` settings, matched by name (not the code:
    /// the learner's code is what is judged).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub functions: Vec<toml::Table>,
    /// Changes to `[[mappings]]`, matched by name.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub mappings: Vec<toml::Table>,
    /// Changes to `[store]`: the fields it names replace the scenario's
    /// (e.g. a heavier-tailed `write_latency`, which widens the window
    /// between a handler's read and its write).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub store: Option<toml::Table>,
}

impl Variant {
    /// The named sections a variant patches, with their TOML key.
    pub fn patches(&self) -> [(&'static str, &[toml::Table]); 5] {
        [
            ("clients", &self.clients),
            ("queues", &self.queues),
            ("consumers", &self.consumers),
            ("functions", &self.functions),
            ("mappings", &self.mappings),
        ]
    }

    /// Problems serde cannot see: empty or long names, a missing sentence,
    /// a patch without a name, code in a patch.
    pub fn validate(&self, max_seeds: u64) -> Result<(), String> {
        let name = self.name.trim();
        if name.is_empty() || name.chars().count() > MAX_VARIANT_NAME_CHARS {
            return Err(format!(
                "a variant's `name` must be 1 to {MAX_VARIANT_NAME_CHARS} characters"
            ));
        }
        if self.catches.trim().is_empty() {
            return Err(format!(
                "variant `{name}`: `catches` is empty; say which mistake it rejects"
            ));
        }
        if let Some(seeds) = self.seeds {
            if !(1..=max_seeds).contains(&seeds) {
                return Err(format!(
                    "variant `{name}`: `seeds` is {seeds}; use 1 to {max_seeds}"
                ));
            }
        }
        for (section, patches) in self.patches() {
            for patch in patches {
                if !patch.get("name").is_some_and(toml::Value::is_str) {
                    return Err(format!(
                        "variant `{name}`: every entry of `{section}` needs the `name` of the section it changes"
                    ));
                }
                if section == "functions"
                    && (patch.contains_key("code") || patch.contains_key("code_file"))
                {
                    return Err(format!(
                        "variant `{name}`: a variant cannot change a function's code; the learner's code is what is judged"
                    ));
                }
            }
        }
        Ok(())
    }
}
