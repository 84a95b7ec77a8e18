//! Behaviours the simulator shares with AWS, each named after the behaviour
//! and citing the AWS page or peer test suite it follows (issue 17).

use event_playground::sim::mapping::config::{MAXIMUM_CONCURRENCY_MAX, SCALING_MAX};
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
