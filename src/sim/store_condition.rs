//! Whether a conditional write's condition holds, and why not, as values.
//!
//! Why values and not words: a late conditional save is the common answer
//! of the lessons' fix, and a handler's calls are served twice (ahead of
//! their time, then at it; see `docs/architecture.md`, "Handlers in virtual
//! time"). Keeping the versions instead of a sentence means the words are
//! written only when someone reads them (the handler's error message, a
//! `StoreError`'s text), and comparing two answers compares no text.

use std::fmt;

use super::store_item::{Condition, Item};
use super::version::Version;

/// Why a write's condition did not hold. Its text (`Display`) is the
/// reason a learner reads.
#[derive(Debug, Clone)]
pub enum ConditionFailure {
    /// `NotExists`, but an item exists (with this version, if any).
    Exists {
        /// The stored item's version.
        stored: Option<Version>,
    },
    /// `VersionEquals`, but no item exists.
    Missing {
        /// The version the write expected.
        expected: Version,
    },
    /// `VersionEquals`, but the stored item has another version, or none.
    OtherVersion {
        /// The stored item's version.
        stored: Option<Version>,
        /// The version the write expected.
        expected: Version,
    },
    /// `IncomingIsNewer`, but the stored version is not older.
    NotNewer {
        /// The stored item's version.
        stored: Version,
        /// The incoming item's version.
        incoming: Version,
    },
}

/// Two failures are equal when their texts are: versions are compared as
/// written ("v1.2" is not "1.2" here, though they are the same version),
/// because the handler is given the text and may act on it.
impl PartialEq for ConditionFailure {
    fn eq(&self, other: &Self) -> bool {
        use ConditionFailure as F;
        match (self, other) {
            (F::Exists { stored: a }, F::Exists { stored: b }) => same_option_text(a, b),
            (F::Missing { expected: a }, F::Missing { expected: b }) => same_text(a, b),
            (
                F::OtherVersion {
                    stored: a,
                    expected: x,
                },
                F::OtherVersion {
                    stored: b,
                    expected: y,
                },
            ) => same_option_text(a, b) && same_text(x, y),
            (
                F::NotNewer {
                    stored: a,
                    incoming: x,
                },
                F::NotNewer {
                    stored: b,
                    incoming: y,
                },
            ) => same_text(a, b) && same_text(x, y),
            _ => false,
        }
    }
}

fn same_text(a: &Version, b: &Version) -> bool {
    a.has_v_prefix() == b.has_v_prefix() && a.components() == b.components()
}

fn same_option_text(a: &Option<Version>, b: &Option<Version>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => same_text(a, b),
        (None, None) => true,
        _ => false,
    }
}

/// "version v1.2", or "no version".
fn version_words(f: &mut fmt::Formatter<'_>, version: Option<&Version>) -> fmt::Result {
    match version {
        Some(v) => {
            f.write_str("version ")?;
            fmt::Display::fmt(v, f)
        }
        None => f.write_str("no version"),
    }
}

/// Written in pieces rather than with `write!`: this text goes into the
/// handler's error on every failed conditional write, and the pieces skip
/// `fmt`'s argument machinery.
impl fmt::Display for ConditionFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Exists { stored } => {
                f.write_str("an item already exists (")?;
                version_words(f, stored.as_ref())?;
                f.write_str(")")
            }
            Self::Missing { expected } => {
                f.write_str("no item exists, expected version ")?;
                fmt::Display::fmt(expected, f)
            }
            Self::OtherVersion { stored, expected } => {
                f.write_str("the stored item has ")?;
                version_words(f, stored.as_ref())?;
                f.write_str(", expected version ")?;
                fmt::Display::fmt(expected, f)
            }
            Self::NotNewer { stored, incoming } => {
                f.write_str("the stored version ")?;
                fmt::Display::fmt(stored, f)?;
                f.write_str(" is not older than the incoming version ")?;
                fmt::Display::fmt(incoming, f)
            }
        }
    }
}

/// Why a write's condition could not be met.
#[derive(Debug, Clone, PartialEq)]
pub enum ConditionUnmet {
    /// The condition did not hold.
    Failed(ConditionFailure),
    /// `IncomingIsNewer` needs an incoming version.
    MissingVersion,
}

/// Whether writing `incoming` over `current` meets `condition`.
// By value on purpose, as `Store::condition_holds`.
#[allow(clippy::result_large_err)]
pub(crate) fn check(
    current: Option<&Item>,
    incoming: &Item,
    condition: &Condition,
) -> Result<(), ConditionUnmet> {
    let failed = |why| Err(ConditionUnmet::Failed(why));
    match condition {
        Condition::Always => Ok(()),
        Condition::NotExists => match current {
            None => Ok(()),
            Some(item) => failed(ConditionFailure::Exists {
                stored: item.version.clone(),
            }),
        },
        Condition::VersionEquals(expected) => match current {
            None => failed(ConditionFailure::Missing {
                expected: expected.clone(),
            }),
            Some(item) if item.version.as_ref() == Some(expected) => Ok(()),
            Some(item) => failed(ConditionFailure::OtherVersion {
                stored: item.version.clone(),
                expected: expected.clone(),
            }),
        },
        Condition::IncomingIsNewer => {
            let Some(incoming) = incoming.version.as_ref() else {
                return Err(ConditionUnmet::MissingVersion);
            };
            match current.and_then(|item| item.version.as_ref()) {
                None => Ok(()),
                Some(stored) if stored < incoming => Ok(()),
                Some(stored) => failed(ConditionFailure::NotNewer {
                    stored: stored.clone(),
                    incoming: incoming.clone(),
                }),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(text: &str) -> Version {
        Version::parse(text).expect("a version")
    }

    /// The words are those the store wrote before the reasons became
    /// values (lessons and tests quote them).
    #[test]
    fn the_words_are_unchanged() {
        let cases = [
            (
                ConditionFailure::Exists { stored: None },
                "an item already exists (no version)",
            ),
            (
                ConditionFailure::Exists {
                    stored: Some(v("v1.2")),
                },
                "an item already exists (version v1.2)",
            ),
            (
                ConditionFailure::Missing { expected: v("3") },
                "no item exists, expected version 3",
            ),
            (
                ConditionFailure::OtherVersion {
                    stored: None,
                    expected: v("v2"),
                },
                "the stored item has no version, expected version v2",
            ),
            (
                ConditionFailure::NotNewer {
                    stored: v("v1.10"),
                    incoming: v("1.9"),
                },
                "the stored version v1.10 is not older than the incoming version 1.9",
            ),
        ];
        for (failure, words) in cases {
            assert_eq!(failure.to_string(), words);
        }
    }

    /// Equal exactly when the words are: "v1.2" and "1.2" are the same
    /// version but not the same text.
    #[test]
    fn failures_are_equal_when_their_words_are() {
        let samples = [
            ConditionFailure::Exists { stored: None },
            ConditionFailure::Exists {
                stored: Some(v("v1.2")),
            },
            ConditionFailure::Exists {
                stored: Some(v("1.2")),
            },
            ConditionFailure::Missing { expected: v("1.2") },
            ConditionFailure::OtherVersion {
                stored: Some(v("1.2")),
                expected: v("1.2"),
            },
            ConditionFailure::OtherVersion {
                stored: None,
                expected: v("1.2"),
            },
            ConditionFailure::NotNewer {
                stored: v("1.2"),
                incoming: v("v1.2"),
            },
            ConditionFailure::NotNewer {
                stored: v("1.2"),
                incoming: v("1.2"),
            },
        ];
        for a in &samples {
            for b in &samples {
                assert_eq!(a == b, a.to_string() == b.to_string(), "{a} / {b}");
            }
        }
    }
}
