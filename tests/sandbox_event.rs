//! The Lambda-shaped event and context a handler sees.

mod sandbox_support;

use std::collections::BTreeMap;

use event_playground::sim::sandbox::{Event, MessageAttribute};
use sandbox_support::{record, Rig};
use serde_json::json;

#[test]
fn sqs_record_has_lambda_fields() {
    let mut rig = Rig::new(
        r#"
fn handler(event, context) {
    let r = event.Records[0];
    #{
        id: r.messageId, handle: r.receiptHandle, doc: r.body.doc,
        count: parse_int(r.attributes.ApproximateReceiveCount),
        group: r.attributes.MessageGroupId, sent: r.attributes.SentTimestamp,
        source: r.eventSource, arn: r.eventSourceARN,
        kind: r.messageAttributes.kind.stringValue,
        request: context.awsRequestId, same: context.request_id,
        name: context.function_name, left: context.getRemainingTimeInMillis(),
    }
}
"#,
    );
    let mut rec = record("m-7", r#"{"doc": "doc-1"}"#);
    rec.attributes.message_group_id = Some("doc-1".to_string());
    rec.attributes.approximate_receive_count = 2;
    rec.message_attributes = BTreeMap::from([(
        "kind".to_string(),
        MessageAttribute {
            data_type: "String".to_string(),
            string_value: "save".to_string(),
        },
    )]);
    let outcome = rig.run(&Event::Json(json!(null))).err();
    assert!(outcome.is_some(), "a JSON null event has no Records");
    let outcome = rig.run(&Event::Sqs(vec![rec])).unwrap();
    assert_eq!(
        outcome.response,
        json!({
            "id": "m-7", "handle": "rh-m-7", "doc": "doc-1", "count": 2, "group": "doc-1",
            "sent": "1000", "source": "aws:sqs", "arn": "arn:aws:sqs:local:000000000000:saves",
            "kind": "save", "request": "req-2", "same": "req-2", "name": "save-draft", "left": 3000
        })
    );
}

#[test]
fn non_json_body_is_a_string() {
    let mut rig = Rig::new("fn handler(event, context) {\n    log(event.Records[0].body);\n}\n");
    let outcome = rig.ok("{not json");
    assert_eq!(outcome.usage.logs[0].text, "{not json");
    assert_eq!(outcome.usage.logs[0].line, Some(2));
}

#[test]
fn standard_queue_records_have_no_group_id() {
    let mut rig = Rig::new(
        "fn handler(event, context) {\n    let a = event.Records[0].attributes;\n    if \"MessageGroupId\" in a { throw \"unexpected\"; }\n    a.MessageGroupId\n}\n",
    );
    let err = rig.err("x");
    assert!(err.message.contains("MessageGroupId"), "{err}");
    assert_eq!(err.line, Some(4));
}

#[test]
fn logs_are_kept_on_error_and_capped() {
    let mut rig = Rig::new(
        "fn handler(event, context) {\n    print(\"before\");\n    debug(#{a: 1});\n    log([1, \"two\"]);\n    throw \"after\";\n}\n",
    );
    let err = rig.err("x");
    let texts: Vec<&str> = err.usage.logs.iter().map(|l| l.text.as_str()).collect();
    assert_eq!(texts[0], "before");
    assert_eq!(texts[2], r#"[1,"two"]"#);
    assert_eq!(err.usage.logs[1].line, Some(3));
}

#[test]
fn ops_used_is_reported() {
    let mut rig = Rig::new(
        "fn handler(event, context) {\n    let x = 0;\n    for i in 0..100 { x += i; }\n}\n",
    );
    let outcome = rig.ok("x");
    assert!(outcome.usage.ops_used > 100, "{}", outcome.usage.ops_used);
}

#[test]
fn comparing_with_unit_tests_for_nothing() {
    let mut rig = Rig::new(
        "fn handler(event, context) {\n    [store.get(\"k\") == (), () == event, event != (), 1 == (), () == ()]\n}\n",
    );
    let outcome = rig.run(&Event::Json(json!({}))).unwrap();
    assert_eq!(outcome.response, json!([true, false, true, false, true]));
}
