//! Random topologies, workloads and faults, all drawn from one seed, so a
//! failure names the seed that reproduces it.

use event_playground::sim::SimRng;
use event_playground::sim::{
    AttributeValue, Condition, ConsumerConfig, DeliveryRetryPolicy, Fault, FilterPolicy,
    FilterScope, Latency, Limits, PublishRequest, QueueConfig, ReceiveRequest, RedriveRequest,
    SendRequest, SimError, StepOutcome, SubscriptionConfig, TopicConfig, World, WorldConfig,
};

fn pick<'a, T>(rng: &mut SimRng, items: &'a [T]) -> &'a T {
    &items[rng.below(items.len() as u64) as usize]
}

fn latency(rng: &mut SimRng) -> Latency {
    match rng.below(4) {
        0 => Latency::Fixed { ms: rng.below(50) },
        1 => Latency::Uniform {
            min_ms: 0,
            max_ms: 1 + rng.below(400),
        },
        2 => Latency::Exponential {
            mean_ms: 1 + rng.below(200),
        },
        _ => Latency::LogNormal {
            median_ms: 1 + rng.below(100),
            sigma: rng.below(15) as f64 / 10.0,
        },
    }
}

/// What a random workload does besides its scheduled sends.
pub struct Plan {
    pub config: WorldConfig,
    pub standard_queues: Vec<String>,
    pub fifo_queues: Vec<String>,
    pub dead_letter_queues: Vec<String>,
    pub topics: Vec<(String, bool)>,
}

/// A random world for `seed`.
pub fn random_plan(seed: u64) -> Plan {
    let mut rng = SimRng::new(seed ^ 0x5EED);
    let mut config = WorldConfig::with_seed(seed);
    config.limits = Limits {
        max_events: 4_000,
        max_time_ms: 3_600_000,
        ..Limits::default()
    };
    let mut standard_queues = Vec::new();
    let mut fifo_queues = Vec::new();
    let mut dead_letter_queues = Vec::new();
    for i in 0..1 + rng.below(3) {
        let name = format!("s{i}");
        let mut q = QueueConfig {
            visibility_timeout_ms: *pick(&mut rng, &[0, 200, 1_000, 5_000]),
            delay_ms: *pick(&mut rng, &[0, 0, 300, 2_000]),
            retention_ms: *pick(&mut rng, &[60_000, 120_000, 345_600_000]),
            delivery_jitter: Some(Latency::Uniform {
                min_ms: 0,
                max_ms: *pick(&mut rng, &[0, 50, 500]),
            }),
            duplicate_rate_ppm: *pick(&mut rng, &[0, 50_000, 300_000]),
            max_in_flight: *pick(&mut rng, &[None, None, Some(3)]),
            ..QueueConfig::standard(&name)
        };
        if rng.chance_ppm(500_000) {
            let dlq = format!("{name}-dlq");
            q = q.with_dlq(&dlq, 1 + rng.below(3) as u32);
            config.queues.push(QueueConfig {
                retention_ms: *pick(&mut rng, &[60_000, 345_600_000]),
                ..QueueConfig::standard(&dlq)
            });
            dead_letter_queues.push(dlq.clone());
            standard_queues.push(dlq);
        }
        config.queues.push(q);
        standard_queues.push(name);
    }
    for i in 0..rng.below(3) {
        let name = format!("f{i}");
        let mut q = QueueConfig {
            visibility_timeout_ms: *pick(&mut rng, &[0, 500, 2_000]),
            delay_ms: *pick(&mut rng, &[0, 0, 500]),
            content_based_deduplication: rng.chance_ppm(500_000),
            max_in_flight: *pick(&mut rng, &[None, None, Some(2)]),
            max_sends_per_second: *pick(&mut rng, &[None, None, Some(5)]),
            ..QueueConfig::fifo(&name)
        };
        if rng.chance_ppm(500_000) {
            let dlq = format!("{name}-dlq");
            q = q.with_dlq(&dlq, 1 + rng.below(3) as u32);
            config.queues.push(QueueConfig::fifo(&dlq));
            dead_letter_queues.push(dlq.clone());
            fifo_queues.push(dlq);
        }
        config.queues.push(q);
        fifo_queues.push(name);
    }
    let mut topics = Vec::new();
    for i in 0..rng.below(3) {
        let fifo = !fifo_queues.is_empty() && rng.chance_ppm(300_000);
        let targets = if fifo { &fifo_queues } else { &standard_queues };
        let mut subscriptions = Vec::new();
        for j in 0..1 + rng.below(3) {
            let mut sub = if !fifo && rng.chance_ppm(150_000) {
                SubscriptionConfig::to_function(format!("sub{j}"), "fn")
            } else {
                SubscriptionConfig::to_queue(format!("sub{j}"), pick(&mut rng, targets).clone())
            };
            sub.delivery_latency = latency(&mut rng);
            sub.retry_policy = if rng.chance_ppm(300_000) {
                DeliveryRetryPolicy::none()
            } else {
                DeliveryRetryPolicy {
                    post_backoff_retries: rng.below(3) as u32,
                    ..DeliveryRetryPolicy::default()
                }
            };
            if rng.chance_ppm(300_000) {
                let policy = match rng.below(3) {
                    0 => FilterPolicy::new().with("color", Condition::Exact("red".into())),
                    1 => FilterPolicy::new().with("color", Condition::Prefix("bl".into())),
                    _ => FilterPolicy::new().with("color", Condition::Exists(false)),
                };
                sub = sub.with_filter(policy, FilterScope::MessageAttributes);
            }
            if rng.chance_ppm(300_000) {
                sub.dead_letter_queue = Some(pick(&mut rng, targets).clone());
            }
            subscriptions.push(sub);
        }
        let name = format!("t{i}");
        config.topics.push(TopicConfig {
            fifo,
            content_based_deduplication: fifo,
            ..TopicConfig::new(&name, subscriptions)
        });
        topics.push((name, fifo));
    }
    let all_queues: Vec<String> = standard_queues
        .iter()
        .chain(fifo_queues.iter())
        .cloned()
        .collect();
    for (i, queue) in all_queues.iter().enumerate() {
        if !rng.chance_ppm(600_000) {
            continue;
        }
        config.consumers.push(ConsumerConfig {
            workers: 1 + rng.below(3) as u32,
            batch_size: 1 + rng.below(10) as u32,
            wait_time_ms: *pick(&mut rng, &[0, 1_000, 20_000]),
            poll_interval_ms: 100 + rng.below(2_000),
            processing: latency(&mut rng),
            error_rate_ppm: *pick(&mut rng, &[0, 0, 200_000, 1_000_000]),
            visibility_timeout_ms: *pick(&mut rng, &[None, None, Some(300)]),
            start_at_ms: rng.below(3_000),
            ..ConsumerConfig::new(format!("c{i}"), queue)
        });
    }
    // Faults present from the start.
    for (name, _) in &topics {
        if rng.chance_ppm(300_000) {
            let from_ms = rng.below(5_000);
            config.faults.push(Fault::EndpointUnavailable {
                topic: name.clone(),
                subscription: "sub0".into(),
                from_ms,
                until_ms: from_ms + 1 + rng.below(30_000),
            });
        }
    }
    for consumer in config.consumers.clone() {
        if rng.chance_ppm(200_000) {
            let from_ms = rng.below(5_000);
            config.faults.push(Fault::ConsumerPaused {
                consumer: consumer.name.clone(),
                from_ms,
                until_ms: from_ms + 1 + rng.below(10_000),
            });
        }
    }
    for queue in &standard_queues {
        if rng.chance_ppm(200_000) {
            config.faults.push(Fault::ExtraDeliveryDelay {
                queue: queue.clone(),
                delay: latency(&mut rng),
            });
        }
    }
    Plan {
        config,
        standard_queues,
        fifo_queues,
        dead_letter_queues,
        topics,
    }
}

/// Schedules a random workload on `world`.
pub fn schedule_workload(world: &mut World, plan: &Plan, seed: u64) {
    let mut rng = SimRng::new(seed ^ 0x0A0D);
    let colors = ["red", "blue", "black", "Red"];
    for i in 0..rng.below(60) {
        let at = rng.below(20_000);
        let body = format!("m{i}");
        let choice = rng.below(3);
        if choice == 0 && !plan.topics.is_empty() {
            let (topic, fifo) = pick(&mut rng, &plan.topics).clone();
            let mut request = PublishRequest::body(body);
            if rng.chance_ppm(700_000) {
                let color = *pick(&mut rng, &colors);
                request = request.attribute("color", AttributeValue::String(color.into()));
            }
            if fifo {
                request = request.group(format!("g{}", rng.below(3)));
                if rng.chance_ppm(300_000) {
                    request.body = format!("dup{}", rng.below(4));
                }
            }
            world.schedule_publish(at, &topic, request).unwrap();
        } else if choice == 1 && !plan.fifo_queues.is_empty() {
            let queue = pick(&mut rng, &plan.fifo_queues).clone();
            let mut request = SendRequest::body(body).group(format!("g{}", rng.below(3)));
            if rng.chance_ppm(800_000) {
                request = request.dedup(format!("d{}", rng.below(25)));
            }
            world.schedule_send(at, &queue, request).unwrap();
        } else {
            let queue = pick(&mut rng, &plan.standard_queues).clone();
            let mut request = SendRequest::body(body);
            if rng.chance_ppm(200_000) {
                request = request.delay_ms(*pick(&mut rng, &[0, 1_500, 900_001]));
            }
            world.schedule_send(at, &queue, request).unwrap();
        }
    }
}

/// Drives the world step by step, sometimes acting on it from outside
/// (receives, deletes with fresh or stale receipts, visibility changes,
/// redrives, faults). `after_step` runs after every step and every verb.
/// Returns how the run ended.
pub fn drive(
    world: &mut World,
    plan: &Plan,
    seed: u64,
    mut after_step: impl FnMut(&World),
) -> Result<(), SimError> {
    let mut rng = SimRng::new(seed ^ 0xD21E);
    let mut receipts: Vec<(String, u64)> = Vec::new();
    let queues: Vec<String> = plan
        .standard_queues
        .iter()
        .chain(plan.fifo_queues.iter())
        .cloned()
        .collect();
    loop {
        if world.is_quiescent() {
            return Ok(());
        }
        match world.step() {
            Ok(StepOutcome::Idle) => return Ok(()),
            Ok(_) => {}
            Err(error) => return Err(error),
        }
        after_step(world);
        if !rng.chance_ppm(60_000) {
            continue;
        }
        let queue = pick(&mut rng, &queues).clone();
        // Verbs may fail with typed errors; they must never panic.
        match rng.below(6) {
            0 | 1 => {
                let request = ReceiveRequest {
                    max_messages: 1 + rng.below(10) as u32,
                    visibility_timeout_ms: *pick(&mut rng, &[None, Some(0), Some(700)]),
                };
                if let Ok(got) = world.receive(&queue, request) {
                    receipts.extend(got.into_iter().map(|m| (queue.clone(), m.receipt_handle)));
                }
            }
            2 if !receipts.is_empty() => {
                let (q, r) = pick(&mut rng, &receipts).clone();
                let _ = world.delete(&q, r);
            }
            3 if !receipts.is_empty() => {
                let (q, r) = pick(&mut rng, &receipts).clone();
                let _ = world.change_visibility(&q, r, *pick(&mut rng, &[0, 100, 5_000]));
            }
            4 if !plan.dead_letter_queues.is_empty() => {
                let dlq = pick(&mut rng, &plan.dead_letter_queues).clone();
                let _ = world.redrive(
                    &dlq,
                    RedriveRequest {
                        destination: None,
                        max_messages: Some(1 + rng.below(3) as usize),
                    },
                );
            }
            _ => {
                let _ = world.inject_fault(Fault::DuplicateDeliveries {
                    queue,
                    rate_ppm: rng.below(500_000) as u32,
                });
            }
        }
        after_step(world);
    }
}
