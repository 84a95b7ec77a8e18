//! The numbers the broker reproduces, in one place, each with the AWS rule it
//! comes from (see `docs/architecture.md`, "Where each rule lives"). Durations are in milliseconds even where AWS
//! counts seconds, so the whole engine shares one unit.

/// One second in milliseconds.
pub const SECOND_MS: u64 = 1_000;
/// One minute in milliseconds.
pub const MINUTE_MS: u64 = 60 * SECOND_MS;
/// One hour in milliseconds.
pub const HOUR_MS: u64 = 60 * MINUTE_MS;
/// One day in milliseconds.
pub const DAY_MS: u64 = 24 * HOUR_MS;

/// SQS `VisibilityTimeout` default: 30 seconds.
pub const VISIBILITY_TIMEOUT_DEFAULT_MS: u64 = 30 * SECOND_MS;
/// SQS `VisibilityTimeout` maximum: 12 hours (minimum 0).
pub const VISIBILITY_TIMEOUT_MAX_MS: u64 = 12 * HOUR_MS;

/// SQS `DelaySeconds` maximum: 15 minutes (minimum 0).
pub const DELAY_MAX_MS: u64 = 900 * SECOND_MS;

/// SQS `MessageRetentionPeriod` default: 4 days.
pub const RETENTION_DEFAULT_MS: u64 = 4 * DAY_MS;
/// SQS `MessageRetentionPeriod` minimum: 60 seconds.
pub const RETENTION_MIN_MS: u64 = 60 * SECOND_MS;
/// SQS `MessageRetentionPeriod` maximum: 14 days.
pub const RETENTION_MAX_MS: u64 = 14 * DAY_MS;

/// SQS `ReceiveMessage` returns at most 10 messages per call.
pub const RECEIVE_MAX_MESSAGES: u32 = 10;
/// SQS batch calls (`SendMessageBatch`, `DeleteMessageBatch`,
/// `ChangeMessageVisibilityBatch`): 1 to 10 entries per call.
pub const BATCH_ENTRIES_MAX: usize = 10;
/// SQS batch entry `Id`: at most 80 characters.
pub const BATCH_ENTRY_ID_MAX_CHARS: usize = 80;
/// SQS long polling: `WaitTimeSeconds` at most 20 seconds.
pub const LONG_POLL_MAX_MS: u64 = 20 * SECOND_MS;

/// SQS redrive policy `maxReceiveCount`: 1 to 1,000.
pub const MAX_RECEIVE_COUNT_MIN: u32 = 1;
/// See [`MAX_RECEIVE_COUNT_MIN`].
pub const MAX_RECEIVE_COUNT_MAX: u32 = 1_000;

/// SQS standard queue in-flight quota: about 120,000 messages; past it
/// `ReceiveMessage` fails with `OverLimit`.
pub const IN_FLIGHT_STANDARD_MAX: usize = 120_000;
/// SQS FIFO queue in-flight quota: 120,000 messages (raised from 20,000); past
/// it SQS returns no error, receives simply return no messages.
pub const IN_FLIGHT_FIFO_MAX: usize = 120_000;

/// SQS FIFO deduplication interval: 5 minutes.
pub const DEDUP_WINDOW_MS: u64 = 5 * MINUTE_MS;
/// SQS FIFO throughput without batching: 300 send calls per second per queue.
pub const FIFO_SENDS_PER_SECOND: u32 = 300;
/// SQS FIFO high-throughput mode ceiling, the largest rate the sim accepts.
pub const FIFO_SENDS_PER_SECOND_MAX: u32 = 70_000;

/// SQS `MaximumMessageSize` default: 1 MiB since August 2025, when SQS
/// raised the maximum message size from 256 KiB
/// (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SetQueueAttributes.html:
/// "Default: 1,048,576 bytes (1 MiB)").
pub const MESSAGE_BYTES_DEFAULT: usize = 1_048_576;
/// SNS message size limit: 256 KiB
/// (https://docs.aws.amazon.com/sns/latest/api/API_Publish.html).
pub const SNS_MESSAGE_BYTES_MAX: usize = 262_144;
/// SQS `MaximumMessageSize` minimum: 1 KiB.
pub const MESSAGE_BYTES_MIN: usize = 1_024;
/// SQS `MaximumMessageSize` maximum: 1 MiB.
pub const MESSAGE_BYTES_MAX: usize = 1_048_576;
/// SNS and SQS accept at most 10 message attributes per message.
pub const MESSAGE_ATTRIBUTES_MAX: usize = 10;

/// SNS filter policy: at most 5 attribute or body keys.
pub const FILTER_POLICY_MAX_KEYS: usize = 5;
/// SNS filter policy: the product of the number of values per key is at most 150.
pub const FILTER_POLICY_MAX_COMBINATIONS: usize = 150;

/// SNS delivery to AWS-managed endpoints (SQS, Lambda): 3 retries without delay.
pub const SNS_IMMEDIATE_RETRIES: u32 = 3;
/// SNS pre-backoff phase: 2 retries, 1 second apart.
pub const SNS_PRE_BACKOFF_RETRIES: u32 = 2;
/// See [`SNS_PRE_BACKOFF_RETRIES`].
pub const SNS_PRE_BACKOFF_DELAY_MS: u64 = SECOND_MS;
/// SNS backoff phase: 10 retries, exponential backoff from 1 s to 20 s.
pub const SNS_BACKOFF_RETRIES: u32 = 10;
/// See [`SNS_BACKOFF_RETRIES`].
pub const SNS_BACKOFF_MIN_MS: u64 = SECOND_MS;
/// See [`SNS_BACKOFF_RETRIES`].
pub const SNS_BACKOFF_MAX_MS: u64 = 20 * SECOND_MS;
/// SNS post-backoff phase: 100,000 retries, 20 seconds apart (about 23 days).
pub const SNS_POST_BACKOFF_RETRIES: u32 = 100_000;
/// See [`SNS_POST_BACKOFF_RETRIES`].
pub const SNS_POST_BACKOFF_DELAY_MS: u64 = 20 * SECOND_MS;

/// SQS `DelaySeconds` of one message: 0 to 900 seconds; FIFO queues refuse
/// it per message
/// (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SendMessage.html).
pub const MESSAGE_DELAY_SECONDS_MAX: u64 = 900;
/// Lambda synchronous invocation payload (request): 6 MB
/// (https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html).
pub const LAMBDA_SYNC_PAYLOAD_BYTES_MAX: usize = 6_291_456;
/// Longest `MessageGroupId` or `MessageDeduplicationId`: 128 characters
/// (API_SendMessage).
pub const MESSAGE_ID_CHARS_MAX: usize = 128;
/// Longest message attribute name: 256 characters
/// (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-message-metadata.html).
pub const ATTRIBUTE_NAME_CHARS_MAX: usize = 256;
/// Most significant digits of a `Number` attribute: 38 (same page).
pub const ATTRIBUTE_NUMBER_DIGITS_MAX: usize = 38;
