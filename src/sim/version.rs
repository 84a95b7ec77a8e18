//! Document versions that compare as versions, not as strings or floats.
//!
//! The out-of-order save lesson hinges on this: as strings `"1.10" < "1.9"`,
//! as floats `1.10 == 1.1`. A [`Version`] compares component by component as
//! unsigned integers, so `1.10 > 1.9 > 1.2`.
//!
//! Accepted text: optional `v`/`V` prefix, then 1 to [`MAX_VERSION_COMPONENTS`]
//! dot-separated decimal numbers (`"v1.2"`, `"1.10"`, `"2"`). Surrounding
//! whitespace is ignored. Anything else is a [`VersionError`], never a panic.
//!
//! Equality and order ignore the `v` prefix (`"v1.2" == "1.2"`) but
//! [`Display`](std::fmt::Display) keeps it, so what the learner wrote is what
//! the UI shows. Components are compared left to right; when one version is a
//! prefix of the other, the shorter one is older (`1.2 < 1.2.0 < 1.2.1`), which
//! keeps the order total and consistent with equality.

use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::str::FromStr;

/// At most this many dot-separated components (`1.2.3.4.5.6.7.8`).
pub const MAX_VERSION_COMPONENTS: usize = 8;
/// Longest accepted version text, in bytes, before trimming.
pub const MAX_VERSION_TEXT_BYTES: usize = 64;

/// A parsed document version such as `v1.2`.
///
/// The components live inline (at most [`MAX_VERSION_COMPONENTS`]), so
/// parsing, cloning and comparing never allocate: handlers compare versions
/// on every store call.
#[derive(Clone)]
pub struct Version {
    /// Only the first `len` entries are meaningful; the rest stay zero.
    components: [u64; MAX_VERSION_COMPONENTS],
    len: u8,
    v_prefix: bool,
}

/// Why a text is not a version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VersionError {
    /// The rejected text (cut to [`MAX_VERSION_TEXT_BYTES`] characters for display).
    pub input: String,
    /// What is wrong with it.
    pub reason: VersionErrorReason,
}

/// The ways a version text can be wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VersionErrorReason {
    /// Nothing but whitespace (or only a `v`).
    Empty,
    /// Longer than [`MAX_VERSION_TEXT_BYTES`].
    TooLong,
    /// More than [`MAX_VERSION_COMPONENTS`] components.
    TooManyComponents,
    /// Two dots in a row, or a leading/trailing dot.
    EmptyComponent,
    /// A component that is not a decimal number (the component is given).
    NotANumber(String),
    /// A component larger than `u64::MAX`.
    ComponentTooLarge(String),
}

impl Version {
    /// Parses `"v1.2"`, `"1.10"`, `"2"`... See the module documentation.
    pub fn parse(text: &str) -> Result<Self, VersionError> {
        let err = |reason| VersionError {
            input: text.chars().take(MAX_VERSION_TEXT_BYTES).collect(),
            reason,
        };
        if text.len() > MAX_VERSION_TEXT_BYTES {
            return Err(err(VersionErrorReason::TooLong));
        }
        let trimmed = text.trim();
        let (v_prefix, rest) = match trimmed.strip_prefix(['v', 'V']) {
            Some(rest) => (true, rest),
            None => (false, trimmed),
        };
        if rest.is_empty() {
            return Err(err(VersionErrorReason::Empty));
        }
        let mut components = [0; MAX_VERSION_COMPONENTS];
        let mut len = 0;
        for part in rest.split('.') {
            if len == MAX_VERSION_COMPONENTS {
                return Err(err(VersionErrorReason::TooManyComponents));
            }
            if part.is_empty() {
                return Err(err(VersionErrorReason::EmptyComponent));
            }
            if !part.bytes().all(|b| b.is_ascii_digit()) {
                return Err(err(VersionErrorReason::NotANumber(part.to_string())));
            }
            let value = part
                .parse::<u64>()
                .map_err(|_| err(VersionErrorReason::ComponentTooLarge(part.to_string())))?;
            components[len] = value;
            len += 1;
        }
        Ok(Self {
            components,
            len: len as u8,
            v_prefix,
        })
    }

    /// Builds a version from components (no `v` prefix). `None` when empty or
    /// longer than [`MAX_VERSION_COMPONENTS`].
    pub fn from_components(components: &[u64]) -> Option<Self> {
        (!components.is_empty() && components.len() <= MAX_VERSION_COMPONENTS).then(|| {
            let mut inline = [0; MAX_VERSION_COMPONENTS];
            inline[..components.len()].copy_from_slice(components);
            Self {
                components: inline,
                len: components.len() as u8,
                v_prefix: false,
            }
        })
    }

    /// The numeric components, most significant first.
    pub fn components(&self) -> &[u64] {
        &self.components[..usize::from(self.len)]
    }

    /// Whether the text had a `v` prefix (only affects display).
    pub fn has_v_prefix(&self) -> bool {
        self.v_prefix
    }
}

/// As the derived form would print it, without the unused slots.
impl fmt::Debug for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Version")
            .field("components", &self.components())
            .field("v_prefix", &self.v_prefix)
            .finish()
    }
}

impl PartialEq for Version {
    fn eq(&self, other: &Self) -> bool {
        self.components() == other.components()
    }
}

impl Eq for Version {}

impl Hash for Version {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.components().hash(state);
    }
}

impl PartialOrd for Version {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Version {
    /// Component by component as integers; a strict prefix is older.
    fn cmp(&self, other: &Self) -> Ordering {
        self.components().cmp(other.components())
    }
}

/// The longest text of a version: a 'v', then up to
/// [`MAX_VERSION_COMPONENTS`] numbers of up to 20 digits with a dot before
/// each but the first.
pub const MAX_VERSION_DISPLAY_BYTES: usize = 1 + MAX_VERSION_COMPONENTS * 21;

impl Version {
    /// Writes the version's text into `out` and returns it.
    ///
    /// Why by hand: a version is written into every failed condition's
    /// message and every `store.get` of a versioned item, and formatting
    /// each number through `fmt` costs several times this.
    pub fn write_text<'a>(&self, out: &'a mut [u8; MAX_VERSION_DISPLAY_BYTES]) -> &'a str {
        let mut len = 0;
        if self.v_prefix {
            out[0] = b'v';
            len = 1;
        }
        for (i, &c) in self.components().iter().enumerate() {
            if i > 0 {
                out[len] = b'.';
                len += 1;
            }
            let mut buf = [0; 20];
            let digits = crate::sim::digits::decimal(c, &mut buf).as_bytes();
            out[len..len + digits.len()].copy_from_slice(digits);
            len += digits.len();
        }
        // Only ASCII was written.
        std::str::from_utf8(&out[..len]).unwrap_or_default()
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.write_text(&mut [0; MAX_VERSION_DISPLAY_BYTES]))
    }
}

impl FromStr for Version {
    type Err = VersionError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl fmt::Display for VersionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "'{}' is not a version: ", self.input)?;
        match &self.reason {
            VersionErrorReason::Empty => f.write_str("it is empty"),
            VersionErrorReason::TooLong => {
                write!(f, "it is longer than {MAX_VERSION_TEXT_BYTES} characters")
            }
            VersionErrorReason::TooManyComponents => {
                write!(f, "it has more than {MAX_VERSION_COMPONENTS} parts")
            }
            VersionErrorReason::EmptyComponent => f.write_str("it has an empty part between dots"),
            VersionErrorReason::NotANumber(part) => write!(
                f,
                "'{part}' is not a whole number (write versions like \"v1.2\" or \"1.10\")"
            ),
            VersionErrorReason::ComponentTooLarge(part) => write!(f, "'{part}' is too large"),
        }
    }
}

impl std::error::Error for VersionError {}

#[cfg(test)]
mod tests {
    use super::*;

    /// The text is the one the version was written with (minus leading
    /// zeros), up to the longest version there is.
    #[test]
    fn display_writes_the_text_back() {
        let samples = [
            ("v1.2", "v1.2"),
            ("1.10", "1.10"),
            ("v0", "v0"),
            ("007.0", "7.0"),
            ("v18446744073709551615.0.1", "v18446744073709551615.0.1"),
        ];
        for (text, shown) in samples {
            let version = Version::parse(text).expect("a version");
            assert_eq!(version.to_string(), shown);
        }
        let longest = Version::from_components(&[u64::MAX; MAX_VERSION_COMPONENTS]).expect("ok");
        let expected = ["18446744073709551615"; MAX_VERSION_COMPONENTS].join(".");
        assert_eq!(longest.to_string(), expected);
        // Room for a 'v' too (parsed text is shorter than this anyway).
        assert!(expected.len() < MAX_VERSION_DISPLAY_BYTES);
        let short = Version::parse("v5").expect("a version");
        assert_eq!(format!("[{short}]"), "[v5]");
    }

    #[test]
    fn prefix_is_optional_and_kept_for_display() {
        let a = Version::parse("v1.2").unwrap();
        let b = Version::parse("1.2").unwrap();
        assert_eq!(a, b);
        assert_eq!(a.to_string(), "v1.2");
        assert_eq!(b.to_string(), "1.2");
    }
}
