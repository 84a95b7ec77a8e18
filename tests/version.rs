//! Versions compare part by part as numbers: 1.10 > 1.9, unlike strings and floats.

use event_playground::sim::testing::MAX_VERSION_COMPONENTS;
use event_playground::sim::testing::{Draft, SaveOutcome, VersionStore};
use event_playground::sim::{Version, VersionErrorReason};
use proptest::prelude::*;

fn v(text: &str) -> Version {
    Version::parse(text).unwrap()
}

#[test]
fn one_point_ten_is_newer_than_one_point_nine() {
    assert!(v("1.10") > v("1.9"));
    assert!("1.10" < "1.9", "as strings it is the other way round");
    assert!(v("v1.10") > v("v1.9"));
    assert!(v("2") > v("1.99"));
    assert!(v("1.2") < v("1.2.0"));
    assert!(v("1.2.0") < v("1.2.1"));
}

#[test]
fn prefix_and_whitespace_are_ignored_for_comparison() {
    assert_eq!(v("v1.2"), v("1.2"));
    assert_eq!(v(" V1.2 "), v("1.2"));
    assert_eq!(v("v1.02"), v("1.2"));
}

#[test]
fn display_round_trips() {
    for text in ["v1.2", "1.10", "2", "v0.0.1"] {
        assert_eq!(v(text).to_string(), text);
    }
}

#[test]
fn garbage_is_a_typed_error() {
    let cases = [
        ("", VersionErrorReason::Empty),
        ("v", VersionErrorReason::Empty),
        ("1..2", VersionErrorReason::EmptyComponent),
        ("1.", VersionErrorReason::EmptyComponent),
        ("1.x", VersionErrorReason::NotANumber("x".to_string())),
        ("-1", VersionErrorReason::NotANumber("-1".to_string())),
        ("1.2.3.4.5.6.7.8.9", VersionErrorReason::TooManyComponents),
        (
            "99999999999999999999",
            VersionErrorReason::ComponentTooLarge("99999999999999999999".to_string()),
        ),
    ];
    for (text, reason) in cases {
        let err = Version::parse(text).unwrap_err();
        assert_eq!(err.reason, reason, "{text}");
        assert!(!err.to_string().is_empty());
    }
    assert_eq!(
        Version::parse(&"1".repeat(100)).unwrap_err().reason,
        VersionErrorReason::TooLong
    );
}

#[test]
fn version_store_keeps_every_draft_and_answers_the_latest() {
    let mut drafts = VersionStore::new();
    let draft = |n: u64| Draft {
        body: serde_json::json!(n),
        writer: format!("req-{n}"),
        time_ms: n,
    };
    for (n, text) in ["1.2", "1.10", "1.9"].iter().enumerate() {
        assert_eq!(
            drafts.save("doc", v(text), draft(n as u64)),
            Ok(SaveOutcome::Saved)
        );
    }
    assert_eq!(
        drafts.save("doc", v("v1.9"), draft(9)),
        Ok(SaveOutcome::AlreadySaved)
    );
    let (latest, body) = drafts.latest("doc").unwrap();
    assert_eq!(latest, &v("1.10"));
    assert_eq!(body.writer, "req-1");
    assert_eq!(drafts.get("doc", &v("1.9")).unwrap().writer, "req-2");
    let versions: Vec<String> = drafts
        .versions("doc")
        .iter()
        .map(|v| v.to_string())
        .collect();
    assert_eq!(versions, ["1.2", "1.9", "1.10"]);
    assert!(drafts.latest("other").is_none());
}

fn components() -> impl Strategy<Value = Vec<u64>> {
    prop::collection::vec(0u64..1_000, 1..=MAX_VERSION_COMPONENTS)
}

proptest! {
    #[test]
    fn parse_display_round_trip(parts in components(), prefix in any::<bool>()) {
        let text = format!(
            "{}{}",
            if prefix { "v" } else { "" },
            parts.iter().map(u64::to_string).collect::<Vec<_>>().join(".")
        );
        let version = Version::parse(&text).unwrap();
        prop_assert_eq!(version.to_string(), text);
        prop_assert_eq!(version.components(), parts.as_slice());
    }

    #[test]
    fn order_is_component_wise_numeric(a in components(), b in components()) {
        let va = Version::from_components(&a).unwrap();
        let vb = Version::from_components(&b).unwrap();
        prop_assert_eq!(va.cmp(&vb), a.cmp(&b));
        let reparsed = Version::parse(&va.to_string()).unwrap();
        prop_assert_eq!(reparsed, va);
    }

    #[test]
    fn parse_never_panics(text in ".{0,80}") {
        let _ = Version::parse(&text);
    }
}
