//! Share links: a lesson (or a whole custom scenario), the learner's code and
//! the seed, packed into the part of the link after `#`:
//! `#/share/v1/<base64url(deflate(json))>`. Pure: encoding, decoding and
//! every check live here, so `cargo test` covers them without a browser.
//!
//! Decoding never panics and never trusts the input: a truncated, damaged,
//! oversize or newer link gives a [`ShareError`] whose `Display` is a
//! sentence for the learner.

use std::fmt;

use serde::{Deserialize, Serialize};

/// The hash prefix of every share link (any version).
pub const SHARE_PREFIX: &str = "#/share/";
/// The link format this build writes (and the newest it reads).
pub const SHARE_VERSION: u32 = 1;
/// Largest decoded payload accepted, in bytes (the JSON after inflating).
/// Saved code is limited to 64 KiB; the rest leaves room for a scenario.
pub const MAX_DECODED_BYTES: usize = 128 * 1024;
/// Longest encoded part accepted, in characters (checked before decoding).
pub const MAX_ENCODED_CHARS: usize = 96 * 1024;
/// Most scenario blocks a shared lesson link may point into.
pub const MAX_BLOCK: u32 = 20;

/// What a link shares.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum SharedTarget {
    /// A lesson of the curriculum, by id.
    Lesson {
        /// Lesson id.
        id: String,
        /// Which of the lesson's scenario blocks (0-based), when it is not
        /// the lesson's main one (the exercise's, else the first). Absent
        /// in links to the main block, so links made before blocks were
        /// shareable read unchanged.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        block: Option<u32>,
    },
    /// A whole scenario (TOML text), for systems outside the lessons.
    Scenario {
        /// The scenario, as its TOML text.
        toml: String,
    },
}

/// The content of a share link.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SharedWork {
    /// What is shared.
    pub target: SharedTarget,
    /// The handler code.
    pub code: String,
    /// The seed of the run.
    pub seed: u64,
    /// A lesson's scenario as the sharer edited it in the Scenario tab.
    /// Absent when it is the lesson's own, so links made before the tab
    /// existed read unchanged.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scenario: Option<String>,
    /// The "what if?" acts of the branch shown (docs/interventions.md), as
    /// the JSON list the simulator reads; opaque here, so the shell never
    /// names the engine. Absent for the run as written and in older links.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interventions: Option<String>,
}

/// Why a link could not be opened.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ShareError {
    /// Not a share link at all.
    NotAShareLink,
    /// The version part is missing or not a number.
    BadVersion,
    /// Made by a newer version of the app.
    NewerVersion(u32),
    /// The data part is empty.
    Empty,
    /// Longer than [`MAX_ENCODED_CHARS`] or inflates beyond [`MAX_DECODED_BYTES`].
    TooLarge,
    /// Characters outside base64url, or a length no encoder produces.
    NotBase64,
    /// The compressed data is cut short or damaged.
    Damaged,
    /// It inflates, but is not a valid share record.
    BadContent,
}

impl fmt::Display for ShareError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = match self {
            ShareError::NotAShareLink => "This is not a share link.".to_string(),
            ShareError::BadVersion => {
                "This share link is damaged: its format version is missing.".to_string()
            }
            ShareError::NewerVersion(v) => format!(
                "This share link was made by a newer version of Event Playground (format {v}; this one reads up to {SHARE_VERSION}). Ask for a link from the same version, or reload to get the latest app."
            ),
            ShareError::Empty => "This share link is empty: it may have been cut off when copied.".to_string(),
            ShareError::TooLarge => format!(
                "This share link is too large to open (the limit is {} KiB).",
                MAX_DECODED_BYTES / 1024
            ),
            ShareError::NotBase64 => {
                "This share link is damaged: it contains characters a share link never has. Copy the whole link again.".to_string()
            }
            ShareError::Damaged => {
                "This share link is damaged or cut off: copy the whole link again.".to_string()
            }
            ShareError::BadContent => {
                "This share link could not be read: its content is not valid.".to_string()
            }
        };
        f.write_str(&text)
    }
}

impl std::error::Error for ShareError {}

/// The link hash for `work` (with the leading `#`).
pub fn encode(work: &SharedWork) -> String {
    let json = serde_json::to_vec(work).unwrap_or_default();
    let packed = miniz_oxide::deflate::compress_to_vec(&json, 9);
    format!(
        "{SHARE_PREFIX}v{SHARE_VERSION}/{}",
        base64url_encode(&packed)
    )
}

/// Reads a link hash (`#/share/v1/…`, with or without the leading `#`).
pub fn decode(hash: &str) -> Result<SharedWork, ShareError> {
    let hash = hash.trim();
    let hash = if hash.starts_with('#') {
        hash.to_string()
    } else {
        format!("#{hash}")
    };
    let rest = hash
        .strip_prefix(SHARE_PREFIX)
        .ok_or(ShareError::NotAShareLink)?;
    let (version, data) = rest.split_once('/').unwrap_or((rest, ""));
    let version: u32 = version
        .strip_prefix('v')
        .and_then(|v| v.parse().ok())
        .ok_or(ShareError::BadVersion)?;
    if version > SHARE_VERSION {
        return Err(ShareError::NewerVersion(version));
    }
    if version == 0 {
        return Err(ShareError::BadVersion);
    }
    let data = data.trim_end_matches('/');
    if data.is_empty() {
        return Err(ShareError::Empty);
    }
    if data.len() > MAX_ENCODED_CHARS {
        return Err(ShareError::TooLarge);
    }
    let packed = base64url_decode(data).ok_or(ShareError::NotBase64)?;
    let json = miniz_oxide::inflate::decompress_to_vec_with_limit(&packed, MAX_DECODED_BYTES)
        .map_err(|e| match e.status {
            miniz_oxide::inflate::TINFLStatus::HasMoreOutput => ShareError::TooLarge,
            _ => ShareError::Damaged,
        })?;
    let work: SharedWork = serde_json::from_slice(&json).map_err(|_| ShareError::BadContent)?;
    validate(&work)?;
    Ok(work)
}

/// Checks beyond the JSON shape: ids a route can hold, a non-empty scenario.
fn validate(work: &SharedWork) -> Result<(), ShareError> {
    match &work.target {
        SharedTarget::Lesson { id, block } => {
            let ok = block.is_none_or(|b| b < MAX_BLOCK)
                && !id.is_empty()
                && id.len() <= 100
                && id
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
            if !ok {
                return Err(ShareError::BadContent);
            }
        }
        SharedTarget::Scenario { toml } => {
            if toml.trim().is_empty() {
                return Err(ShareError::BadContent);
            }
        }
    }
    Ok(())
}

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// Base64url without padding (RFC 4648 §5).
pub fn base64url_encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        let chars = chunk.len() + 1;
        for i in 0..chars {
            out.push(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize] as char);
        }
    }
    out
}

/// Decodes base64url without padding (a trailing `=` is tolerated);
/// `None` on any other character or an impossible length.
pub fn base64url_decode(text: &str) -> Option<Vec<u8>> {
    let text = text.trim_end_matches('=');
    if text.len() % 4 == 1 {
        return None;
    }
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    for chunk in text.as_bytes().chunks(4) {
        let mut n = 0u32;
        for (i, &c) in chunk.iter().enumerate() {
            let v = match c {
                b'A'..=b'Z' => c - b'A',
                b'a'..=b'z' => c - b'a' + 26,
                b'0'..=b'9' => c - b'0' + 52,
                b'-' => 62,
                b'_' => 63,
                _ => return None,
            };
            n |= u32::from(v) << (18 - 6 * i);
        }
        let bytes = [(n >> 16) as u8, (n >> 8) as u8, n as u8];
        out.extend_from_slice(&bytes[..chunk.len() - 1]);
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> SharedWork {
        SharedWork {
            target: SharedTarget::Lesson {
                id: "out-of-order".into(),
                block: None,
            },
            code: "fn handler(event, ctx) {\n  ctx.store.put(event.id, event.version);\n}\n".into(),
            seed: 42,
            scenario: None,
            interventions: None,
        }
    }

    #[test]
    fn a_link_carries_a_branchs_interventions_and_old_links_have_none() {
        let list = r#"[{"at_ms":250,"kind":"duplicate_message","target":"saves","parameters":{"message_id":2}}]"#;
        let branch = SharedWork {
            interventions: Some(list.into()),
            ..sample()
        };
        assert_eq!(decode(&encode(&branch)), Ok(branch.clone()));
        // A link without the field (made before branches) reads as none.
        let old = serde_json::to_string(&sample()).unwrap();
        assert!(!old.contains("interventions"), "{old}");
        assert_ne!(encode(&branch), encode(&sample()));
    }

    #[test]
    fn lesson_link_round_trips() {
        let link = encode(&sample());
        assert!(link.starts_with("#/share/v1/"), "{link}");
        assert_eq!(decode(&link), Ok(sample()));
        assert_eq!(decode(link.trim_start_matches('#')), Ok(sample()));
        // The only characters are URL-safe: nothing to escape in a link.
        assert!(link[11..]
            .bytes()
            .all(|c| c.is_ascii_alphanumeric() || c == b'-' || c == b'_'));
    }

    #[test]
    fn links_to_a_lesson_block_round_trip_and_older_links_still_read() {
        let mut work = sample();
        work.target = SharedTarget::Lesson {
            id: "fifo".into(),
            block: Some(1),
        };
        assert_eq!(decode(&encode(&work)), Ok(work));
        // A link made before blocks were shareable has no "block".
        let json = br#"{"target":{"kind":"lesson","id":"fifo"},"code":"x","seed":3}"#;
        let old = format!(
            "#/share/v1/{}",
            base64url_encode(&miniz_oxide::deflate::compress_to_vec(json, 9))
        );
        let read = decode(&old).unwrap();
        assert_eq!(read.scenario, None);
        assert_eq!(
            read.target,
            SharedTarget::Lesson {
                id: "fifo".into(),
                block: None
            }
        );
        let mut too_far = sample();
        too_far.target = SharedTarget::Lesson {
            id: "fifo".into(),
            block: Some(MAX_BLOCK),
        };
        assert_eq!(decode(&encode(&too_far)), Err(ShareError::BadContent));
    }

    #[test]
    fn scenario_link_round_trips() {
        let work = SharedWork {
            target: SharedTarget::Scenario {
                toml: "[scenario]\nname = \"mine\"\nseed = 1\n".into(),
            },
            code: String::new(),
            seed: u64::MAX,
            scenario: None,
            interventions: None,
        };
        assert_eq!(decode(&encode(&work)), Ok(work));
    }

    #[test]
    fn a_lesson_link_carries_an_edited_scenario_and_old_links_have_none() {
        let mut work = sample();
        work.scenario = Some("[scenario]\nname = \"edited\"\n".into());
        assert_eq!(decode(&encode(&work)), Ok(work));
        // The link of the unedited lesson is the link made before the
        // Scenario tab existed: no field at all.
        let plain = encode(&sample());
        let json = miniz_oxide::inflate::decompress_to_vec(
            &base64url_decode(&plain["#/share/v1/".len()..]).unwrap(),
        )
        .unwrap();
        assert!(!String::from_utf8(json).unwrap().contains("scenario"));
    }

    #[test]
    fn base64url_round_trips_every_length() {
        for len in 0..70u8 {
            let bytes: Vec<u8> = (0..len).map(|i| i.wrapping_mul(37) ^ 0xA5).collect();
            assert_eq!(base64url_decode(&base64url_encode(&bytes)), Some(bytes));
        }
        assert_eq!(base64url_decode("A"), None);
        assert_eq!(base64url_decode("ab+/"), None);
    }

    #[test]
    fn every_truncation_is_an_error_never_a_panic() {
        let link = encode(&sample());
        let start = "#/share/v1/".len();
        for end in start..link.len() {
            let cut = &link[..end];
            assert!(decode(cut).is_err(), "cut at {end} decoded");
        }
        assert_eq!(decode("#/share/v1/"), Err(ShareError::Empty));
        assert_eq!(decode("#/share/"), Err(ShareError::BadVersion));
    }

    #[test]
    fn bit_flips_never_panic_and_never_change_the_content_silently() {
        let link = encode(&sample());
        let start = "#/share/v1/".len();
        let packed = base64url_decode(&link[start..]).unwrap();
        for i in 0..packed.len() {
            for bit in 0..8 {
                let mut flipped = packed.clone();
                flipped[i] ^= 1 << bit;
                let damaged = format!("#/share/v1/{}", base64url_encode(&flipped));
                // DEFLATE has no checksum: a flip inside a literal can still
                // inflate to valid JSON. It must then still be a valid record.
                if let Ok(work) = decode(&damaged) {
                    assert!(validate(&work).is_ok());
                }
            }
        }
    }

    #[test]
    fn garbage_is_rejected_in_words() {
        for (hash, expected) in [
            ("#/share/v1/!!!!", ShareError::NotBase64),
            ("#/share/v1/hello world", ShareError::NotBase64),
            ("#/share/v1/AAAA", ShareError::Damaged),
            ("#/share/vx/AAAA", ShareError::BadVersion),
            ("#/share/v0/AAAA", ShareError::BadVersion),
            ("#/lesson/welcome", ShareError::NotAShareLink),
        ] {
            let err = decode(hash).unwrap_err();
            assert_eq!(err, expected, "{hash}");
            assert!(err.to_string().ends_with('.'), "{hash}");
        }
    }

    #[test]
    fn newer_version_says_so() {
        let link = encode(&sample()).replacen("/v1/", "/v2/", 1);
        let err = decode(&link).unwrap_err();
        assert_eq!(err, ShareError::NewerVersion(2));
        assert!(err.to_string().contains("newer version"));
    }

    #[test]
    fn valid_deflate_of_bad_json_is_bad_content() {
        for json in [
            &b"{}"[..],
            b"not json",
            b"{\"target\":{\"kind\":\"lesson\",\"id\":\"../x\"},\"code\":\"\",\"seed\":1}",
            b"{\"target\":{\"kind\":\"lesson\",\"id\":\"a\"},\"code\":\"\",\"seed\":-1}",
        ] {
            let packed = miniz_oxide::deflate::compress_to_vec(json, 9);
            let link = format!("#/share/v1/{}", base64url_encode(&packed));
            assert_eq!(decode(&link), Err(ShareError::BadContent));
        }
    }

    #[test]
    fn oversize_is_rejected_before_and_after_inflating() {
        // Highly compressible: a small link that inflates past the limit.
        let bomb = vec![b' '; MAX_DECODED_BYTES + 1];
        let packed = miniz_oxide::deflate::compress_to_vec(&bomb, 9);
        let link = format!("#/share/v1/{}", base64url_encode(&packed));
        assert!(link.len() < 2000);
        assert_eq!(decode(&link), Err(ShareError::TooLarge));
        let long = format!("#/share/v1/{}", "A".repeat(MAX_ENCODED_CHARS + 4));
        assert_eq!(decode(&long), Err(ShareError::TooLarge));
        // Just under the limit still opens.
        let mut work = sample();
        work.code = "x".repeat(MAX_DECODED_BYTES - 200);
        assert_eq!(decode(&encode(&work)), Ok(work));
    }
}
