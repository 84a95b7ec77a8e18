//! The byte budgets of the store, the version store and the trace, and the
//! run limits that end a livelock (issue 17; docs/scenarios.md, "Budgets").
//! Each is checked before the memory it guards is taken.

use event_playground::sim::testing::store::{
    json_size_bytes, Condition, Item, Store, StoreByteLimits, StoreError, WriteMeta,
};
use event_playground::sim::testing::{
    Draft, VersionStore, VersionStoreError, MAX_DRAFT_BYTES, MAX_SAVED_BYTES,
};
use event_playground::sim::Version;
use event_playground::sim::{ConsumerConfig, Limits, QueueConfig, SimError, World, WorldConfig};
use serde_json::{json, Value};

fn meta() -> WriteMeta {
    WriteMeta {
        writer: "w".to_string(),
        time_ms: 1,
    }
}

fn text_of(bytes: usize) -> Value {
    Value::String("x".repeat(bytes))
}

#[test]
fn json_size_counts_the_compact_json_text() {
    for value in [
        json!(null),
        json!(true),
        json!(12345),
        json!("abc"),
        json!([1, "two", [3]]),
        json!([]),
        json!({}),
        json!({"doc": "doc-1", "version": "v1.2", "n": [1, 2]}),
    ] {
        assert_eq!(json_size_bytes(&value), value.to_string().len(), "{value}");
    }
}

#[test]
fn an_item_over_400_kb_is_refused_before_it_is_stored() {
    // DynamoDB's item size limit is 400 KB, attribute names included:
    // https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ServiceQuotas.html
    let mut store = Store::new();
    let value = text_of(400 * 1024);
    let err = store
        .put(
            "k",
            Item {
                value,
                version: None,
            },
            &Condition::Always,
            &meta(),
        )
        .unwrap_err();
    assert!(matches!(err, StoreError::ItemTooLarge { .. }), "{err}");
    assert!(err.to_string().contains("at most 409600 bytes"), "{err}");
    assert!(store.get("k").is_none());
    assert!(store.history().is_empty());
    assert_eq!(store.written_bytes(), 0);
}

#[test]
fn a_run_s_writes_stop_at_the_written_bytes_budget() {
    let mut store = Store::new();
    store.set_byte_limits(StoreByteLimits {
        max_item_bytes: 1_000,
        max_written_bytes: 2_500,
    });
    let put = |store: &mut Store, key: &str| {
        let item = Item {
            value: text_of(998 - key.len()),
            version: None,
        };
        store.put(key, item, &Condition::Always, &meta())
    };
    assert!(put(&mut store, "a").is_ok());
    assert!(put(&mut store, "b").is_ok());
    assert_eq!(store.written_bytes(), 2_000);
    let err = put(&mut store, "c").unwrap_err();
    assert_eq!(
        err,
        StoreError::WrittenBytesFull {
            max_written_bytes: 2_500
        }
    );
    assert!(err.to_string().contains("write smaller values"), "{err}");
    assert_eq!(store.history().len(), 2);
}

#[test]
fn the_default_store_budget_holds_32_mib_of_writes() {
    let store = Store::new();
    assert_eq!(store.byte_limits().max_written_bytes, 32 * 1024 * 1024);
    assert_eq!(store.byte_limits().max_item_bytes, 400 * 1024);
}

fn draft(bytes: usize) -> Draft {
    Draft {
        body: text_of(bytes),
        writer: "w".to_string(),
        time_ms: 1,
    }
}

#[test]
fn a_draft_over_the_item_limit_is_refused() {
    let mut drafts = VersionStore::new();
    let v = Version::parse("v1.0").unwrap();
    let err = drafts.save("doc", v, draft(MAX_DRAFT_BYTES)).unwrap_err();
    assert!(
        matches!(
            err,
            VersionStoreError::TooManyBytes {
                budget: "draft",
                ..
            }
        ),
        "{err}"
    );
}

#[test]
fn drafts_stop_at_the_run_budget() {
    let mut drafts = VersionStore::new();
    let each = 300 * 1024;
    let fits = (MAX_SAVED_BYTES / (each as u64 + 10)) as usize;
    for n in 0..fits {
        let v = Version::parse(&format!("v1.{n}")).unwrap();
        drafts.save("doc", v, draft(each)).unwrap();
    }
    let v = Version::parse(&format!("v1.{fits}")).unwrap();
    let err = drafts.save("doc", v, draft(each)).unwrap_err();
    assert!(
        matches!(err, VersionStoreError::TooManyBytes { budget: "run", .. }),
        "{err}"
    );
}

/// A worker that fails every message, on a queue that makes it visible
/// again at once: the clock never moves.
fn livelock(limits: Limits) -> WorldConfig {
    let mut config = WorldConfig::default()
        .queue(QueueConfig {
            visibility_timeout_ms: 0,
            ..QueueConfig::standard("in")
        })
        .consumer(ConsumerConfig {
            error_rate_ppm: 1_000_000,
            wait_time_ms: 0,
            processing: event_playground::sim::Latency::Fixed { ms: 0 },
            ..ConsumerConfig::new("w", "in")
        });
    config.limits = limits;
    config
}

#[test]
fn a_zero_time_livelock_ends_with_a_named_limit() {
    let limits = Limits {
        max_events_at_one_time: 5_000,
        ..Limits::default()
    };
    let mut world = World::new(livelock(limits)).unwrap();
    world
        .send("in", event_playground::sim::SendRequest::body("poison"))
        .unwrap();
    let err = world.run_to_end().unwrap_err();
    assert!(
        matches!(
            err,
            SimError::ZeroTimeLivelock {
                max_events_at_one_time: 5_000,
                ..
            }
        ),
        "{err}"
    );
    assert!(err.to_string().contains("dead-letter queue"), "{err}");
    // Ended by the livelock guard, long before max_events (2,000,000).
    assert!(
        world.events_processed() < 20_000,
        "{}",
        world.events_processed()
    );
}

#[test]
fn the_trace_stops_at_its_byte_budget() {
    let limits = Limits {
        max_trace_bytes: 20_000,
        max_events_at_one_time: 10_000_000,
        ..Limits::default()
    };
    let mut world = World::new(livelock(limits)).unwrap();
    world
        .send("in", event_playground::sim::SendRequest::body("poison"))
        .unwrap();
    let err = world.run_to_end().unwrap_err();
    assert!(
        matches!(
            err,
            SimError::TraceBytesLimitReached {
                max_trace_bytes: 20_000
            }
        ),
        "{err}"
    );
    let bytes = world.trace().approx_bytes();
    assert!((20_000..25_000).contains(&bytes), "{bytes}");
}

#[test]
fn limits_past_their_ceilings_are_refused() {
    for limits in [
        Limits {
            max_trace_bytes: 1 << 40,
            ..Limits::default()
        },
        Limits {
            max_handler_operations: u64::MAX,
            ..Limits::default()
        },
        Limits {
            max_events: 1_000_000_000,
            ..Limits::default()
        },
        Limits {
            max_trace_events: 100_000_000,
            ..Limits::default()
        },
    ] {
        assert!(limits.validate().is_err(), "{limits:?}");
    }
    assert!(Limits::default().validate().is_ok());
}
