//! The store: every condition, the failed-condition path (in Rust and caught
//! in a handler), the write history and stale-overwrite detection.

mod sandbox_support;

use event_playground::sim::sandbox::{HandlerErrorKind, SandboxLimits, StoreCallResult, StoreOp};
use event_playground::sim::testing::store::{
    Condition, Item, Store, StoreConfig, StoreError, StoreLimits, WriteKind, WriteMeta,
};
use event_playground::sim::Version;
use sandbox_support::{Rig, READ_MS, WRITE_MS};
use serde_json::json;

fn v(text: &str) -> Version {
    Version::parse(text).unwrap()
}

fn item(value: serde_json::Value, version: Option<&str>) -> Item {
    Item {
        value,
        version: version.map(v),
    }
}

fn meta(writer: &str, time_ms: u64) -> WriteMeta {
    WriteMeta {
        writer: writer.to_string(),
        time_ms,
    }
}

#[test]
fn put_get_delete() {
    let mut store = Store::new();
    assert!(store.get("a").is_none());
    let replaced = store
        .put("a", item(json!(1), None), &Condition::Always, &meta("w", 1))
        .unwrap();
    assert_eq!(replaced, None);
    assert_eq!(store.get("a").unwrap().value, json!(1));
    let removed = store.delete("a", &meta("w", 2)).unwrap();
    assert_eq!(removed.unwrap().value, json!(1));
    assert!(store.get("a").is_none());
    assert_eq!(store.delete("a", &meta("w", 3)).unwrap(), None);
    assert_eq!(store.history().len(), 2);
    assert_eq!(store.history()[1].kind, WriteKind::Delete);
}

#[test]
fn not_exists_condition_holds_then_fails() {
    let mut store = Store::new();
    store
        .put(
            "a",
            item(json!("first"), None),
            &Condition::NotExists,
            &meta("w1", 1),
        )
        .unwrap();
    let err = store
        .put(
            "a",
            item(json!("second"), None),
            &Condition::NotExists,
            &meta("w2", 2),
        )
        .unwrap_err();
    assert!(
        matches!(err, StoreError::ConditionalCheckFailed { .. }),
        "{err}"
    );
    assert_eq!(store.get("a").unwrap().value, json!("first"));
    assert_eq!(store.history().len(), 1, "a failed write leaves no history");
}

#[test]
fn version_equals_condition_holds_then_fails() {
    let mut store = Store::new();
    let missing = store
        .put(
            "a",
            item(json!(0), Some("2")),
            &Condition::VersionEquals(v("1")),
            &meta("w", 1),
        )
        .unwrap_err();
    assert!(matches!(missing, StoreError::ConditionalCheckFailed { .. }));
    store
        .put(
            "a",
            item(json!(1), Some("1")),
            &Condition::Always,
            &meta("w", 1),
        )
        .unwrap();
    store
        .put(
            "a",
            item(json!(2), Some("2")),
            &Condition::VersionEquals(v("v1")),
            &meta("w", 2),
        )
        .unwrap();
    let stale = store
        .put(
            "a",
            item(json!(3), Some("3")),
            &Condition::VersionEquals(v("1")),
            &meta("w", 3),
        )
        .unwrap_err();
    assert!(stale.to_string().contains("expected version 1"), "{stale}");
    assert_eq!(store.get("a").unwrap().value, json!(2));
}

#[test]
fn incoming_is_newer_condition_compares_versions_not_strings() {
    let mut store = Store::new();
    let newer = Condition::IncomingIsNewer;
    store
        .put(
            "doc",
            item(json!("1.9"), Some("1.9")),
            &newer,
            &meta("w", 1),
        )
        .unwrap();
    store
        .put(
            "doc",
            item(json!("1.10"), Some("1.10")),
            &newer,
            &meta("w", 2),
        )
        .unwrap();
    let older = store
        .put(
            "doc",
            item(json!("1.2"), Some("1.2")),
            &newer,
            &meta("w", 3),
        )
        .unwrap_err();
    assert!(matches!(older, StoreError::ConditionalCheckFailed { .. }));
    let equal = store
        .put(
            "doc",
            item(json!("again"), Some("v1.10")),
            &newer,
            &meta("w", 4),
        )
        .unwrap_err();
    assert!(matches!(equal, StoreError::ConditionalCheckFailed { .. }));
    assert_eq!(store.get("doc").unwrap().value, json!("1.10"));
}

#[test]
fn incoming_is_newer_accepts_unversioned_stored_item_and_needs_incoming_version() {
    let mut store = Store::new();
    store
        .put(
            "doc",
            item(json!(0), None),
            &Condition::Always,
            &meta("w", 1),
        )
        .unwrap();
    store
        .put(
            "doc",
            item(json!(1), Some("1")),
            &Condition::IncomingIsNewer,
            &meta("w", 2),
        )
        .unwrap();
    let err = store
        .put(
            "doc",
            item(json!(2), None),
            &Condition::IncomingIsNewer,
            &meta("w", 3),
        )
        .unwrap_err();
    assert!(matches!(err, StoreError::MissingVersion { .. }));
}

#[test]
fn history_records_writer_time_and_replaced_item() {
    let mut store = Store::new();
    store
        .put(
            "doc",
            item(json!("a"), Some("1.0")),
            &Condition::Always,
            &meta("req-1", 10),
        )
        .unwrap();
    store
        .put(
            "doc",
            item(json!("b"), Some("1.1")),
            &Condition::Always,
            &meta("req-2", 20),
        )
        .unwrap();
    let last = &store.history()[1];
    assert_eq!(last.seq, 1);
    assert_eq!(last.writer, "req-2");
    assert_eq!(last.time_ms, 20);
    assert_eq!(last.replaced.as_ref().unwrap().value, json!("a"));
    assert_eq!(last.new.as_ref().unwrap().value, json!("b"));
}

#[test]
fn stale_overwrites_are_listed() {
    let mut store = Store::new();
    let always = Condition::Always;
    store
        .put(
            "doc",
            item(json!("v1.2"), Some("1.2")),
            &always,
            &meta("req-1", 10),
        )
        .unwrap();
    store
        .put(
            "doc",
            item(json!("v1.0"), Some("1.0")),
            &always,
            &meta("req-2", 20),
        )
        .unwrap();
    store
        .put(
            "doc",
            item(json!("v1.1"), Some("1.1")),
            &always,
            &meta("req-3", 30),
        )
        .unwrap();
    let stale = store.stale_overwrites();
    assert_eq!(stale.len(), 1);
    assert_eq!(stale[0].writer, "req-2");
    assert_eq!(stale[0].written, v("1.0"));
    assert_eq!(stale[0].replaced, v("1.2"));
}

#[test]
fn stale_overwrite_found_from_version_field_of_value() {
    let mut store = Store::new();
    let always = Condition::Always;
    store
        .put(
            "doc",
            item(json!({"version": "v1.10"}), None),
            &always,
            &meta("a", 1),
        )
        .unwrap();
    store
        .put(
            "doc",
            item(json!({"version": "v1.9"}), None),
            &always,
            &meta("b", 2),
        )
        .unwrap();
    assert_eq!(store.stale_overwrites().len(), 1);
}

#[test]
fn limits_are_typed_errors() {
    let limits = StoreLimits {
        max_items: 1,
        max_history_writes: 2,
    };
    let mut store = Store::with_config(StoreConfig::default(), limits);
    store
        .put("a", item(json!(1), None), &Condition::Always, &meta("w", 1))
        .unwrap();
    let full = store.put("b", item(json!(1), None), &Condition::Always, &meta("w", 1));
    assert!(matches!(
        full,
        Err(StoreError::TooManyItems { max_items: 1 })
    ));
    store
        .put("a", item(json!(2), None), &Condition::Always, &meta("w", 2))
        .unwrap();
    let history = store.put("a", item(json!(3), None), &Condition::Always, &meta("w", 3));
    assert!(matches!(history, Err(StoreError::HistoryFull { .. })));
}

const CONDITIONAL_HANDLER: &str = r#"
fn handler(event, context) {
    let draft = event.Records[0].body;
    try {
        store.put_if_newer(draft.doc, draft, draft.version);
        log("saved " + draft.version);
    } catch (err) {
        log(`skipped ${draft.version}: ${err.name}`);
        store.put("last-error", err);
    }
}
"#;

#[test]
fn handler_catches_conditional_check_failed() {
    let mut rig = Rig::new(CONDITIONAL_HANDLER);
    rig.ok(r#"{"doc": "doc-1", "version": "v1.2"}"#);
    let outcome = rig.ok(r#"{"doc": "doc-1", "version": "v1.1"}"#);
    assert_eq!(rig.value("doc-1").unwrap()["version"], json!("v1.2"));
    assert_eq!(
        outcome.usage.logs[0].text,
        "skipped v1.1: ConditionalCheckFailed"
    );
    let err = rig.value("last-error").unwrap();
    assert_eq!(err["name"], json!("ConditionalCheckFailed"));
    assert_eq!(err["key"], json!("doc-1"));
    assert!(err["message"].as_str().unwrap().contains("1.2"));
    assert_eq!(outcome.usage.store_calls[0].op, StoreOp::PutIfNewer);
    assert_eq!(
        outcome.usage.store_calls[0].result,
        StoreCallResult::ConditionalCheckFailed
    );
    assert!(rig.store.stale_overwrites().is_empty());
}

#[test]
fn uncaught_conditional_check_failed_fails_the_invocation() {
    let mut rig =
        Rig::new("fn handler(event, context) {\n    store.put_if_not_exists(\"k\", 1);\n}\n");
    rig.ok("x");
    let err = rig.err("x");
    assert_eq!(err.kind, HandlerErrorKind::ConditionalCheckFailed);
    assert_eq!(err.line, Some(2));
    assert!(err.message.contains("try"), "{err}");
    assert_eq!(err.usage.store_calls.len(), 1);
}

#[test]
fn every_store_call_from_a_handler() {
    let mut rig = Rig::new(
        r#"
fn handler(event, context) {
    store.put("a", #{ n: 1 }, "1");
    let a = store.get("a");
    store.put_if_version("a", #{ n: 2 }, "2", a.version);
    store.put_if_not_exists("b", [1, 2], "v1");
    let missing = store.get("nothing");
    let gone = store.delete("b");
    #{ a: store.get("a"), missing: missing, gone: gone, cmp: compare_versions("1.10", "1.9") }
}
"#,
    );
    let outcome = rig
        .run(&event_playground::sim::sandbox::Event::Json(json!({})))
        .unwrap();
    assert_eq!(
        outcome.response,
        json!({"a": {"value": {"n": 2}, "version": "2"}, "missing": null, "gone": true, "cmp": 1})
    );
    let ops: Vec<StoreOp> = outcome.usage.store_calls.iter().map(|c| c.op).collect();
    assert_eq!(
        ops,
        [
            StoreOp::Put,
            StoreOp::Get,
            StoreOp::PutIfVersion,
            StoreOp::PutIfNotExists,
            StoreOp::Get,
            StoreOp::Delete,
            StoreOp::Get
        ]
    );
    let expected = 4 * WRITE_MS + 3 * READ_MS;
    assert_eq!(outcome.usage.store_cost_ms, expected);
    // Store calls are stamped with the virtual time they were served at:
    // when their latency has elapsed after the previous call.
    let times: Vec<u64> = outcome
        .usage
        .store_calls
        .iter()
        .map(|c| c.time_ms)
        .collect();
    assert_eq!(times[0], 1_000 + WRITE_MS);
    assert_eq!(times[1], 1_000 + WRITE_MS + READ_MS);
    assert_eq!(rig.store.history()[0].writer, "req-1");
}

#[test]
fn store_calls_past_the_remaining_time_time_out() {
    let limits = SandboxLimits {
        max_store_calls: 10_000,
        ..SandboxLimits::default()
    };
    let mut rig = Rig::with_limits(
        "fn handler(event, context) {\n    loop {\n        store.get(\"k\");\n    }\n}\n",
        limits,
    );
    let err = rig.err("x");
    assert_eq!(err.kind, HandlerErrorKind::Timeout, "{err}");
    assert_eq!(err.line, Some(3));
    assert!(err.usage.store_cost_ms <= 3_000);
    assert_eq!(err.usage.store_calls.len() as u64, 3_000 / READ_MS);
}

#[test]
fn drafts_keep_every_version_and_answer_the_latest() {
    let mut rig = Rig::new(
        r#"
fn handler(event, context) {
    let d = event.Records[0].body;
    let first = drafts.save(d.doc, d.version, d);
    let latest = drafts.latest(d.doc);
    store.put(d.doc, latest.body, latest.version);
    #{ batchItemFailures: [], first: first, versions: drafts.versions(d.doc) }
}
"#,
    );
    for version in ["v1.2", "v1.10", "v1.9", "v1.10"] {
        rig.ok(&format!(r#"{{"doc": "doc-1", "version": "{version}"}}"#));
    }
    let item = rig.store.get("doc-1").unwrap();
    assert_eq!(item.version, Some(Version::parse("1.10").unwrap()));
    let last = rig.ok(r#"{"doc": "doc-1", "version": "v1.0"}"#);
    assert_eq!(last.response["first"], json!(true));
    assert_eq!(
        last.response["versions"],
        json!(["v1.0", "v1.2", "v1.9", "v1.10"])
    );
    assert_eq!(last.batch_item_failures, Some(vec![]));
    assert!(rig.store.stale_overwrites().is_empty());
}

#[test]
fn a_handler_that_calls_the_store_without_end_is_stopped_at_max_store_calls() {
    // Fixed latency 2 ms and 3,000 ms left would allow 1,500 calls; the
    // limit stops it first, naming itself.
    let mut rig =
        Rig::new("fn handler(event, context) {\n    loop {\n        store.get(\"k\");\n    }\n}\n");
    let err = rig.err("x");
    assert_eq!(
        err.kind,
        HandlerErrorKind::LimitExceeded(event_playground::sim::sandbox::LimitKind::StoreCalls),
        "{err}"
    );
    assert!(err.message.contains("max_store_calls"), "{err}");
    assert_eq!(
        err.usage.store_calls.len(),
        SandboxLimits::default().max_store_calls
    );
}
