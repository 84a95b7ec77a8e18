//! Partial batch responses: every documented rule, then the raw identifiers
//! a handler returns.

mod sandbox_support;

use event_playground::sim::sandbox::{
    resolve_batch_failures, BatchResult, Event, WholeBatchFailure,
};
use sandbox_support::{record, Rig};

fn ids(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

const BATCH: [&str; 4] = ["m-1", "m-2", "m-3", "m-4"];

#[test]
fn no_failures_reported_means_success() {
    assert_eq!(
        resolve_batch_failures(&ids(&BATCH), None, false),
        BatchResult::AllSucceeded
    );
}

#[test]
fn empty_failure_list_means_success() {
    assert_eq!(
        resolve_batch_failures(&ids(&BATCH), Some(&[]), true),
        BatchResult::AllSucceeded
    );
}

#[test]
fn empty_identifier_fails_the_whole_batch() {
    assert_eq!(
        resolve_batch_failures(&ids(&BATCH), Some(&ids(&["m-2", ""])), false),
        BatchResult::AllFailed(WholeBatchFailure::EmptyIdentifier)
    );
}

#[test]
fn unknown_identifier_fails_the_whole_batch() {
    let result = resolve_batch_failures(&ids(&BATCH), Some(&ids(&["m-9"])), false);
    assert_eq!(
        result,
        BatchResult::AllFailed(WholeBatchFailure::UnknownIdentifier("m-9".to_string()))
    );
    assert!(result.is_failed("m-1"));
}

#[test]
fn standard_queue_fails_exactly_the_reported_records() {
    let result = resolve_batch_failures(&ids(&BATCH), Some(&ids(&["m-3", "m-1", "m-3"])), false);
    assert_eq!(
        result,
        BatchResult::Partial {
            failed: ids(&["m-1", "m-3"])
        }
    );
    assert!(!result.is_failed("m-2"));
}

#[test]
fn fifo_stops_at_the_first_failure() {
    assert_eq!(
        resolve_batch_failures(&ids(&BATCH), Some(&ids(&["m-2"])), true),
        BatchResult::Partial {
            failed: ids(&["m-2", "m-3", "m-4"])
        }
    );
}

#[test]
fn fifo_first_failure_is_in_batch_order_not_report_order() {
    assert_eq!(
        resolve_batch_failures(&ids(&BATCH), Some(&ids(&["m-4", "m-3"])), true),
        BatchResult::Partial {
            failed: ids(&["m-3", "m-4"])
        }
    );
}

#[test]
fn fifo_unknown_identifier_still_fails_the_whole_batch() {
    assert_eq!(
        resolve_batch_failures(&ids(&BATCH), Some(&ids(&["m-2", "zzz"])), true),
        BatchResult::AllFailed(WholeBatchFailure::UnknownIdentifier("zzz".to_string()))
    );
}

#[test]
fn handler_returns_raw_identifiers() {
    let mut rig = Rig::new(
        r#"
fn handler(event, context) {
    let failures = [];
    for r in event.Records {
        if r.body == "bad" { failures.push(#{ itemIdentifier: r.messageId }); }
    }
    failures.push(#{ itemIdentifier: () });
    #{ batchItemFailures: failures }
}
"#,
    );
    let event = Event::Sqs(vec![
        record("a", "ok"),
        record("b", "bad"),
        record("c", "bad"),
    ]);
    let outcome = rig.run(&event).unwrap();
    assert_eq!(outcome.batch_item_failures, Some(ids(&["b", "c", ""])));
}

#[test]
fn returning_nothing_or_no_list_is_success() {
    for body in [
        "",
        "return;",
        "#{}",
        "#{ batchItemFailures: () }",
        "#{ statusCode: 200 }",
    ] {
        let mut rig = Rig::new(&format!("fn handler(event, context) {{\n {body}\n}}\n"));
        let outcome = rig.ok("x");
        assert_eq!(outcome.batch_item_failures, None, "{body}");
    }
}
