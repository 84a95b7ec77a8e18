//! Behaviours the simulator shares with AWS, each named after the behaviour
//! and citing the AWS page or peer test suite it follows (issue 17).

use event_playground::sim::testing::{MAXIMUM_CONCURRENCY_MAX, SCALING_MAX};
use event_playground::sim::MappingConfig;

/// "Lambda scales up to 1,250 concurrent invocations" for an SQS event
/// source mapping without maximum concurrency
/// (https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-scaling.html);
/// `MaximumConcurrency` itself is 2 to 1,000
/// (https://docs.aws.amazon.com/lambda/latest/api/API_ScalingConfig.html).
#[test]
fn sqs_triggered_scaling_stops_at_1250_concurrent_invocations() {
    let mapping = MappingConfig::new("m", "q", "f");
    assert_eq!(mapping.concurrency_cap(), 1_250);
    assert_eq!(SCALING_MAX, 1_250);
    let capped = MappingConfig {
        maximum_concurrency: Some(MAXIMUM_CONCURRENCY_MAX),
        ..MappingConfig::new("m", "q", "f")
    };
    assert_eq!(capped.concurrency_cap(), 1_000);
    let small = MappingConfig {
        maximum_concurrency: Some(2),
        ..MappingConfig::new("m", "q", "f")
    };
    assert_eq!(small.concurrency_cap(), 2);
}

/// SQS's default maximum message size is 1 MiB since August 2025
/// (SetQueueAttributes, MaximumMessageSize: "Default: 1,048,576 bytes
/// (1 MiB)"); SNS still takes at most 256 KiB per publish
/// (https://docs.aws.amazon.com/sns/latest/api/API_Publish.html).
#[test]
fn default_max_message_size_is_1_mib_for_queues_and_256_kib_for_topics() {
    use event_playground::sim::{
        PublishRequest, QueueConfig, SendRequest, SimError, TopicConfig, World, WorldConfig,
    };
    let config = WorldConfig::default()
        .queue(QueueConfig::standard("q"))
        .topic(TopicConfig::new("t", Vec::new()));
    let mut world = World::new(config).unwrap();
    assert!(world
        .send("q", SendRequest::body("x".repeat(1_048_576)))
        .is_ok());
    let too_big = world.send("q", SendRequest::body("x".repeat(1_048_577)));
    assert!(
        matches!(
            too_big,
            Err(SimError::MessageTooLarge {
                max_bytes: 1_048_576,
                ..
            })
        ),
        "{too_big:?}"
    );
    let publish = world.publish("t", PublishRequest::body("x".repeat(262_145)));
    assert!(
        matches!(
            publish,
            Err(SimError::MessageTooLarge {
                max_bytes: 262_144,
                ..
            })
        ),
        "{publish:?}"
    );
    assert!(world
        .publish("t", PublishRequest::body("x".repeat(262_144)))
        .is_ok());
}

// ------------------------------------------------------------- SNS -> SQS

mod sns_to_sqs {
    use event_playground::sim::{
        AttributeValue, Latency, PublishRequest, QueueConfig, ReceiveRequest, SubscriptionConfig,
        TopicConfig, World, WorldConfig,
    };
    use serde_json::Value;

    fn world(subscription: SubscriptionConfig, fifo: bool) -> World {
        let subscription = SubscriptionConfig {
            delivery_latency: Latency::Fixed { ms: 10 },
            ..subscription
        };
        let (queue, topic) = if fifo {
            let topic = TopicConfig {
                fifo: true,
                content_based_deduplication: true,
                ..TopicConfig::new("t.fifo", vec![subscription])
            };
            (QueueConfig::fifo("q.fifo"), topic)
        } else {
            (
                QueueConfig::standard("q"),
                TopicConfig::new("t", vec![subscription]),
            )
        };
        World::new(WorldConfig::with_seed(1).queue(queue).topic(topic)).unwrap()
    }

    fn published(world: &mut World, topic: &str, queue: &str, request: PublishRequest) -> Value {
        world.run_until(120).unwrap();
        world.publish(topic, request).unwrap();
        world.run_until(1_000).unwrap();
        let got = world.receive(queue, ReceiveRequest::up_to(10)).unwrap();
        assert_eq!(got.len(), 1);
        assert!(
            got[0].payload.attributes.is_empty(),
            "attributes travel inside the envelope: {:?}",
            got[0].payload.attributes
        );
        serde_json::from_str(&got[0].payload.body).expect("the body is a JSON envelope")
    }

    /// Without `RawMessageDelivery` SNS wraps the message in a JSON document
    /// (https://docs.aws.amazon.com/sns/latest/dg/sns-large-payload-raw-message-delivery.html,
    /// fields as https://docs.aws.amazon.com/sns/latest/dg/http-notification-json.html);
    /// peer: localstack/localstack tests/aws/services/sns/test_sns.py,
    /// TestSNSSubscriptionSQS::test_subscribe_sqs_queue (its snapshot's body
    /// has Type, MessageId, TopicArn, Message, Timestamp, SignatureVersion
    /// and MessageAttributes as {"Type", "Value"}).
    #[test]
    fn sns_to_sqs_delivers_the_json_envelope_by_default() {
        let mut w = world(SubscriptionConfig::to_queue("s", "q"), false);
        let request = PublishRequest::body(r#"{"doc":"doc-1"}"#)
            .attribute("doc", AttributeValue::String("doc-1".into()))
            .attribute("price", AttributeValue::Number("9.5".into()));
        let envelope = published(&mut w, "t", "q", request);
        assert_eq!(envelope["Type"], "Notification");
        assert_eq!(
            envelope["Message"], r#"{"doc":"doc-1"}"#,
            "the body, as a string"
        );
        assert_eq!(envelope["TopicArn"], "arn:aws:sns:sim:000000000000:t");
        assert_eq!(envelope["Timestamp"], "1970-01-01T00:00:00.120Z");
        assert_eq!(envelope["SignatureVersion"], "1");
        assert!(envelope["MessageId"]
            .as_str()
            .is_some_and(|s| !s.is_empty()));
        assert!(envelope["UnsubscribeURL"].as_str().is_some());
        let attributes = &envelope["MessageAttributes"];
        assert_eq!(attributes["doc"]["Type"], "String");
        assert_eq!(attributes["doc"]["Value"], "doc-1");
        assert_eq!(attributes["price"]["Type"], "Number");
        assert_eq!(attributes["price"]["Value"], "9.5");
        assert!(envelope.get("SequenceNumber").is_none());
    }

    /// FIFO topics' envelopes carry `SequenceNumber`; peer:
    /// localstack/localstack tests/aws/services/sns/test_sns.py,
    /// TestSNSSubscriptionSQSFifo::test_message_to_fifo_sqs.
    #[test]
    fn sns_fifo_envelope_carries_a_sequence_number() {
        let mut w = world(SubscriptionConfig::to_queue("s", "q.fifo"), true);
        let request = PublishRequest::body("hello").group("doc-1");
        let envelope = published(&mut w, "t.fifo", "q.fifo", request);
        assert_eq!(envelope["Message"], "hello");
        assert!(envelope["SequenceNumber"].as_str().is_some());
    }

    /// With `RawMessageDelivery` the queue gets the body as published and
    /// the attributes as SQS message attributes; peer: localstack/localstack
    /// tests/aws/services/sns/test_sns.py,
    /// TestSNSSubscriptionSQS::test_attribute_raw_subscribe.
    #[test]
    fn sns_to_sqs_raw_delivery_passes_body_and_attributes_through() {
        let mut w = world(SubscriptionConfig::to_queue("s", "q").raw(), false);
        let request = PublishRequest::body("plain text")
            .attribute("doc", AttributeValue::String("doc-1".into()));
        w.publish("t", request).unwrap();
        w.run_until(1_000).unwrap();
        let got = w.receive("q", ReceiveRequest::up_to(10)).unwrap();
        assert_eq!(&*got[0].payload.body, "plain text");
        assert_eq!(
            got[0].payload.attributes.get("doc"),
            Some(&AttributeValue::String("doc-1".into()))
        );
    }

    /// RawMessageDelivery is an attribute of SQS, HTTP/S and Firehose
    /// subscriptions only
    /// (https://docs.aws.amazon.com/sns/latest/api/API_SetSubscriptionAttributes.html).
    #[test]
    fn raw_message_delivery_is_refused_on_a_function_subscription() {
        let topic = TopicConfig::new("t", vec![SubscriptionConfig::to_function("s", "f").raw()]);
        let error = World::new(WorldConfig::with_seed(1).topic(topic)).err();
        let text = format!("{error:?}");
        assert!(text.contains("raw_message_delivery"), "{text}");
    }
}

// ------------------------------------------------------- Lambda events

mod lambda_events {
    use event_playground::sim::RedrivePolicy;
    use event_playground::sim::{
        FunctionConfig, MappingConfig, PublishRequest, QueueConfig, ReceiveRequest, SendRequest,
        SubscriptionConfig, TopicConfig, TraceKind, World, WorldConfig,
    };

    /// The handler's log lines, with the request id of each.
    fn logs(world: &World) -> Vec<(String, String)> {
        world
            .trace_events()
            .iter()
            .filter(|e| e.kind == TraceKind::HandlerLog)
            .map(|e| {
                let id = e.details.request_id().map(|r| r.to_string());
                let text = e.details.reason().map(|r| r.to_string());
                (id.unwrap_or_default(), text.unwrap_or_default())
            })
            .collect()
    }

    fn mapped(queue: QueueConfig, code: &str) -> WorldConfig {
        let name = queue.name.clone();
        WorldConfig::with_seed(1)
            .queue(queue)
            .function(FunctionConfig::new("f", code))
            .mapping(MappingConfig::new("m", name, "f"))
    }

    /// Lambda's SNS event has `EventVersion` "1.0", `Sns.Type`
    /// "Notification" and an ISO-8601 `Sns.Timestamp`
    /// (https://docs.aws.amazon.com/lambda/latest/dg/with-sns.html, example
    /// event); peer: localstack/localstack tests/aws/services/sns/test_sns.py,
    /// TestSNSSubscriptionLambda::test_python_lambda_subscribe_sns_topic.
    #[test]
    fn sns_event_has_type_event_version_and_iso_timestamp() {
        let code = r#"fn handler(event, context) {
            let r = event.Records[0];
            log(`${r.EventVersion}|${r.Sns.Type}|${r.Sns.Timestamp}|${r.Sns.Message}`);
        }"#;
        let topic = TopicConfig::new("t", vec![SubscriptionConfig::to_function("s", "f")]);
        let config = WorldConfig::with_seed(1)
            .topic(topic)
            .function(FunctionConfig::new("f", code));
        let mut world = World::new(config).unwrap();
        world.run_until(2_000).unwrap();
        world.publish("t", PublishRequest::body("hi")).unwrap();
        world.run_to_end().unwrap();
        let lines = logs(&world);
        assert_eq!(lines.len(), 1, "{lines:?}");
        assert_eq!(lines[0].1, "1.0|Notification|1970-01-01T00:00:02.000Z|hi");
    }

    /// FIFO records carry `MessageGroupId` and `MessageDeduplicationId`
    /// (https://docs.aws.amazon.com/lambda/latest/dg/with-sqs.html, example
    /// FIFO event).
    #[test]
    fn fifo_sqs_records_carry_deduplication_and_group_ids() {
        let code = r#"fn handler(event, context) {
            let a = event.Records[0].attributes;
            log(`${a.MessageGroupId}|${a.MessageDeduplicationId}`);
        }"#;
        let mut world = World::new(mapped(QueueConfig::fifo("q.fifo"), code)).unwrap();
        let send = SendRequest::body("x").group("doc-1").dedup("save-7");
        world.send("q.fifo", send).unwrap();
        world.run_to_end().unwrap();
        assert_eq!(logs(&world)[0].1, "doc-1|save-7");
    }

    /// `ApproximateFirstReceiveTimestamp` is the time of the first receive,
    /// the same on every later receive, and a message moved to a
    /// dead-letter queue keeps its `ApproximateReceiveCount`; peer:
    /// localstack/localstack tests/aws/services/sqs/test_sqs.py,
    /// TestSqsProvider::test_dead_letter_queue_message_attributes (its
    /// snapshot: maxReceiveCount 1, the dead-lettered message is received
    /// with ApproximateReceiveCount "2"); AWS:
    /// https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_ReceiveMessage.html
    /// ("ApproximateFirstReceiveTimestamp – Returns the time the message
    /// was first received from the queue").
    #[test]
    fn first_receive_time_is_kept_and_dead_letters_keep_their_receive_count() {
        let code = r#"fn handler(event, context) {
            let a = event.Records[0].attributes;
            log(`${a.ApproximateReceiveCount}|${a.ApproximateFirstReceiveTimestamp}`);
            throw "fail";
        }"#;
        let queue = QueueConfig {
            visibility_timeout_ms: 3_000,
            redrive_policy: Some(RedrivePolicy {
                dead_letter_queue: "dlq".into(),
                max_receive_count: 3,
            }),
            ..QueueConfig::standard("q")
        };
        let config = mapped(queue, code).queue(QueueConfig::standard("dlq"));
        let mut world = World::new(config).unwrap();
        world.run_until(500).unwrap();
        world.send("q", SendRequest::body("x")).unwrap();
        world.run_to_end().unwrap();
        let lines: Vec<String> = logs(&world).into_iter().map(|(_, t)| t).collect();
        assert_eq!(lines.len(), 3, "{lines:?}");
        let first = lines[0].split('|').nth(1).unwrap().to_string();
        assert!(first.parse::<u64>().unwrap() >= 500, "{first}");
        for (i, line) in lines.iter().enumerate() {
            assert_eq!(line, &format!("{}|{first}", i + 1));
        }
        let dead = world.receive("dlq", ReceiveRequest::up_to(1)).unwrap();
        assert_eq!(dead[0].receive_count, 4, "3 receives kept, plus this one");
        assert_eq!(dead[0].first_received_at_ms.to_string(), first);
    }

    /// Lambda retries an asynchronous event that failed under the same
    /// request id; peer: localstack/localstack
    /// tests/aws/services/lambda_/test_lambda.py,
    /// TestRequestIdHandling::test_request_id_async_invoke_with_retry.
    #[test]
    fn asynchronous_retries_keep_the_request_id() {
        let code = r#"fn handler(event, context) { log(context.request_id); throw "fail"; }"#;
        let config = WorldConfig::with_seed(1).function(FunctionConfig::new("f", code));
        let mut world = World::new(config).unwrap();
        world.invoke_async("f", serde_json::json!({})).unwrap();
        world.run_to_end().unwrap();
        let lines = logs(&world);
        assert_eq!(
            lines.len(),
            3,
            "the first attempt and two retries: {lines:?}"
        );
        assert!(lines
            .iter()
            .all(|(id, text)| id == &lines[0].0 && text == id));
    }

    /// Without `ReportBatchItemFailures` Lambda ignores what the handler
    /// returns: a batch whose handler did not throw succeeds
    /// (https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-errorhandling.html).
    #[test]
    fn a_returned_value_is_ignored_without_report_batch_item_failures() {
        let code = r#"fn handler(event, context) { "done" }"#;
        let mut world = World::new(mapped(QueueConfig::standard("q"), code)).unwrap();
        world.send("q", SendRequest::body("x")).unwrap();
        world.run_to_end().unwrap();
        let kinds = |kind| {
            world
                .trace_events()
                .iter()
                .filter(|e| e.kind == kind)
                .count()
        };
        assert_eq!(kinds(TraceKind::InvocationFailed), 0);
        assert_eq!(kinds(TraceKind::InvocationSucceeded), 1);
        assert_eq!(world.snapshot().queues[0].counts.in_flight, 0);
        // With it, the same value is a malformed response: the batch fails.
        let mut reported = mapped(QueueConfig::standard("q"), code);
        reported.mappings[0].report_batch_item_failures = true;
        let mut world = World::new(reported).unwrap();
        world.send("q", SendRequest::body("x")).unwrap();
        world.run_until(1_000).unwrap();
        let failed = world
            .trace_events()
            .iter()
            .filter(|e| e.kind == TraceKind::InvocationFailed)
            .count();
        assert!(failed >= 1);
    }
}

// ------------------------------------------------------- filter policies

mod filter_policies {
    use event_playground::sim::OneOrMany;
    use event_playground::sim::{AttributeValue, Attributes, Condition, FilterPolicy, FilterScope};

    fn passes(condition: Condition, value: Option<AttributeValue>) -> bool {
        let policy = FilterPolicy::new().with("type", condition);
        let mut attributes = Attributes::new();
        if let Some(v) = value {
            attributes.insert("type".into(), v);
        }
        policy.matches(FilterScope::MessageAttributes, &attributes, "")
    }

    fn text(s: &str) -> Option<AttributeValue> {
        Some(AttributeValue::String(s.into()))
    }

    /// `anything-but` with one value or a list, `suffix` and
    /// `equals-ignore-case` (https://docs.aws.amazon.com/sns/latest/dg/string-value-matching.html);
    /// peer: localstack/localstack tests/unit/services/sns/test_sns.py,
    /// TestSns::test_filter_policy ("anything-but string filter with
    /// match", "anything-but list filter...", "suffix string filter...",
    /// "equals-ignore-case string filter with match").
    #[test]
    fn anything_but_suffix_and_equals_ignore_case_match_as_sns_does() {
        let one = || Condition::AnythingBut(OneOrMany::One("type1".into()));
        assert!(passes(one(), text("type2")));
        assert!(!passes(one(), text("type1")));
        assert!(!passes(one(), None), "anything-but needs the key present");
        let many = || Condition::AnythingBut(OneOrMany::Many(vec!["a".into(), "b".into()]));
        assert!(!passes(many(), text("b")));
        assert!(passes(many(), text("c")));
        let suffix = || Condition::Suffix("pe1".into());
        assert!(passes(suffix(), text("type1")));
        assert!(!passes(suffix(), text("type2")));
        let ignore = || Condition::EqualsIgnoreCase("TYPE1".into());
        assert!(passes(ignore(), text("type1")));
        assert!(!passes(ignore(), text("type10")));
    }

    /// The scenario format spells them `anything_but`, `suffix` and
    /// `equals_ignore_case`, with one value or a list for `anything_but`.
    #[test]
    fn new_filter_conditions_parse_from_scenario_toml() {
        let policy: FilterPolicy = toml::from_str(
            r#"a = [{ anything_but = "x" }]
b = [{ anything_but = ["x", "y"] }]
c = [{ suffix = ".png" }]
d = [{ equals_ignore_case = "Doc" }]"#,
        )
        .unwrap();
        assert_eq!(policy.keys.len(), 4);
        assert_eq!(
            policy.keys["b"][0],
            Condition::AnythingBut(OneOrMany::Many(vec!["x".into(), "y".into()]))
        );
    }
}

/// A handler behind an SNS-fed queue without raw delivery reads the save
/// from the envelope's `Message` with `parse_json` (docs/scenarios.md,
/// "The envelope"); the body itself arrives parsed, as every JSON body does.
#[test]
fn a_handler_reads_the_published_body_from_the_envelope_message() {
    use event_playground::sim::{
        FunctionConfig, MappingConfig, PublishRequest, QueueConfig, SubscriptionConfig,
        TopicConfig, TraceKind, World, WorldConfig,
    };
    let code = r#"fn handler(event, context) {
        let envelope = event.Records[0].body;
        let save = parse_json(envelope.Message);
        log(`${envelope.Type}|${save.doc}`);
    }"#;
    let config = WorldConfig::with_seed(1)
        .queue(QueueConfig::standard("q"))
        .topic(TopicConfig::new(
            "t",
            vec![SubscriptionConfig::to_queue("s", "q")],
        ))
        .function(FunctionConfig::new("f", code))
        .mapping(MappingConfig::new("m", "q", "f"));
    let mut world = World::new(config).unwrap();
    world
        .publish("t", PublishRequest::body(r#"{"doc":"doc-1"}"#))
        .unwrap();
    world.run_to_end().unwrap();
    let logs: Vec<String> = world
        .trace_events()
        .iter()
        .filter(|e| e.kind == TraceKind::HandlerLog)
        .filter_map(|e| e.details.reason().map(|r| r.to_string()))
        .collect();
    assert_eq!(logs, ["Notification|doc-1"]);
}
