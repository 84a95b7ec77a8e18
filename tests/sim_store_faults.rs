//! The `store_errors` fault: store and version-store calls fail during a
//! window (all of them, or a seeded share), with a catchable
//! `ServiceUnavailable` error, and the trace says which call failed.

mod sim_common;

use event_playground::sim::{
    Fault, FunctionConfig, InvocationStatus, Latency, TraceKind, World, WorldConfig,
};
use serde_json::json;
use sim_common::Checked;

fn world(seed: u64, code: &str, faults: Vec<Fault>) -> Checked {
    let mut config = WorldConfig::with_seed(seed);
    config.functions = vec![FunctionConfig {
        cold_start: Latency::Fixed { ms: 0 },
        duration: Latency::Fixed { ms: 1 },
        ..FunctionConfig::new("f", code)
    }];
    config.faults = faults;
    Checked::new(config)
}

fn outage(from_ms: u64, until_ms: u64) -> Fault {
    Fault::StoreErrors {
        rate_ppm: 1_000_000,
        from_ms,
        until_ms,
    }
}

/// Invokes `f` synchronously at `at_ms` and returns (status, response or error).
fn call_at(w: &mut Checked, at_ms: u64) -> (InvocationStatus, String) {
    w.run_until(at_ms);
    let id = w.world.invoke_sync("f", json!({ "n": at_ms })).unwrap();
    w.run_to_end();
    let record = w.world.invocation(&id).unwrap().clone();
    let text = match (&record.response, &record.error) {
        (Some(r), _) => r.to_string(),
        (_, Some(e)) => e.message.clone(),
        _ => String::new(),
    };
    (record.status, text)
}

const WRITE: &str = r#"fn handler(event, context) { store.put("k", event.n); }"#;

#[test]
fn calls_in_an_outage_window_fail_and_calls_outside_it_work() {
    let mut w = world(1, WRITE, vec![outage(1_000, 2_000)]);
    assert_eq!(call_at(&mut w, 500).0, InvocationStatus::Succeeded);
    let (status, error) = call_at(&mut w, 1_500);
    assert_eq!(status, InvocationStatus::Failed);
    assert!(
        error.contains("store.put('k'): the store is unavailable"),
        "{error}"
    );
    assert!(error.contains("from 1000 ms to 2000 ms"), "{error}");
    assert_eq!(call_at(&mut w, 2_000).0, InvocationStatus::Succeeded);
    let failed = w.events(TraceKind::StoreCallFailed);
    assert_eq!(failed.len(), 1);
    assert_eq!(failed[0].details.key().map(|k| k.as_str()), Some("k"));
    let store = w.world.snapshot().store;
    assert_eq!(store.item("k").unwrap().value, json!(2_000));
    assert_eq!(store.history.len(), 2, "the failed write wrote nothing");
}

#[test]
fn the_error_is_catchable_as_service_unavailable() {
    let code = r#"fn handler(event, context) {
    let result = "written";
    try { store.put("k", 1); } catch (err) { result = err.name; }
    result
}"#;
    let mut w = world(1, code, vec![outage(0, 10_000)]);
    let (status, response) = call_at(&mut w, 0);
    assert_eq!(status, InvocationStatus::Succeeded);
    assert_eq!(response, "\"ServiceUnavailable\"");
}

#[test]
fn the_version_store_fails_too() {
    let code = r#"fn handler(event, context) { drafts.save("d", "v1", #{}); }"#;
    let mut w = world(1, code, vec![outage(0, 10_000)]);
    let (status, error) = call_at(&mut w, 0);
    assert_eq!(status, InvocationStatus::Failed);
    assert!(error.contains("drafts.save('d')"), "{error}");
}

/// Which of 200 calls (one every 10 ms) fail at a 30% error rate.
fn failing_calls(seed: u64) -> Vec<u64> {
    let code = r#"fn handler(event, context) {
    let failed = false;
    try { store.put("k", event.n); } catch (err) { failed = true; }
    failed
}"#;
    let fault = Fault::StoreErrors {
        rate_ppm: 300_000,
        from_ms: 0,
        until_ms: 1_000_000,
    };
    let mut w = world(seed, code, vec![fault]);
    (0..200)
        .filter(|i| call_at(&mut w, i * 10).1 == "true")
        .collect()
}

#[test]
fn a_rate_fails_a_seeded_share_of_calls() {
    let first = failing_calls(5);
    assert_eq!(first, failing_calls(5), "same seed, same failures");
    assert!((30..=90).contains(&first.len()), "{} of 200", first.len());
    assert_ne!(first, failing_calls(6), "another seed, other failures");
}

#[test]
fn bad_windows_and_rates_are_refused() {
    for (fault, expected) in [
        (outage(500, 500), "until_ms"),
        (
            Fault::StoreErrors {
                rate_ppm: 0,
                from_ms: 0,
                until_ms: 10,
            },
            "rate_ppm",
        ),
    ] {
        let mut config = WorldConfig::with_seed(1);
        config.faults = vec![fault];
        let error = World::new(config).err().expect("refused").to_string();
        assert!(error.contains(expected), "{error}");
    }
}
