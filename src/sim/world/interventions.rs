//! Interventions applied to a world (issue 19, `docs/interventions.md`).
//!
//! Each kind is checked in full before anything changes, so a refused
//! intervention leaves the world (its trace, snapshot and every timer)
//! exactly as it was. An applied one is recorded as `Intervened` (its JSON
//! in `reason`) before its effects, and kept in [`World::interventions`],
//! so a branch is exactly scenario + seed + code + that list.

use std::borrow::Cow;

use super::World;
use crate::sim::broker::message::{PublishRequest, SendRequest};
use crate::sim::fault::Fault;
use crate::sim::function::intervene::CrashRefused;
use crate::sim::intervention::{Intervention, InterventionKind as Kind, Refusal, RefusalKind};
use crate::sim::trace::{ActorId, MessageId, TraceDetails, TraceKind};

fn refuse(kind: RefusalKind, message: impl Into<String>) -> Refusal {
    Refusal::new(kind, message)
}

/// A parameter the kind needs.
fn need<T: Clone>(value: &Option<T>, kind: Kind, name: &str) -> Result<T, Refusal> {
    value.clone().ok_or_else(|| {
        refuse(
            RefusalKind::BadParameters,
            format!("{kind:?} needs the parameter `{name}`"),
        )
    })
}

impl World {
    /// Applies `intervention` now: its `at_ms` must be the current time
    /// (run the world to it first, or use [`World::run_and_intervene`]).
    /// A refusal says why in words and changes nothing.
    pub fn intervene(&mut self, intervention: &Intervention) -> Result<(), Refusal> {
        let now_ms = self.now_ms();
        if intervention.at_ms != now_ms {
            return Err(refuse(
                RefusalKind::WrongTime,
                format!(
                    "the intervention is for {} ms but the run is at {now_ms} ms",
                    intervention.at_ms
                ),
            ));
        }
        self.kernel
            .check_trace_room()
            .map_err(|e| refuse(RefusalKind::Engine, e.to_string()))?;
        match intervention.kind {
            Kind::DropMessage | Kind::DuplicateMessage | Kind::DelayMessage => {
                self.intervene_on_message(intervention)
            }
            Kind::CrashEnvironment => self.crash_environment(intervention),
            Kind::StoreDown => self.store_down(intervention),
            Kind::PauseConsumer | Kind::ResumeConsumer => self.pause_consumer(intervention),
            Kind::PauseMapping | Kind::ResumeMapping => self.pause_mapping(intervention),
            Kind::Publish | Kind::Send => self.send_by_hand(intervention),
            Kind::ChangeCode => self.change_code(intervention),
        }
    }

    /// Runs to `intervention.at_ms` (see [`World::run_until`]), then
    /// applies it. The run error, if any, comes first; a refusal leaves the
    /// world at `at_ms` as the run left it.
    pub fn run_and_intervene(
        &mut self,
        intervention: &Intervention,
    ) -> Result<Result<(), Refusal>, crate::sim::SimError> {
        if intervention.at_ms > self.now_ms() {
            self.run_until(intervention.at_ms)?;
        }
        Ok(self.intervene(intervention))
    }

    /// The interventions applied so far, in the order applied.
    pub fn interventions(&self) -> &[Intervention] {
        self.interventions.applied()
    }

    /// Records an intervention about to take effect (every check passed).
    pub(super) fn note_intervention(&mut self, intervention: &Intervention) {
        let description = serde_json::to_string(intervention).unwrap_or_default();
        self.kernel.record(
            ActorId::External,
            TraceKind::Intervened,
            None,
            TraceDetails {
                reason: Some(Cow::Owned(description)),
                ..TraceDetails::default()
            },
        );
        self.interventions.note(intervention);
    }

    fn intervene_on_message(&mut self, iv: &Intervention) -> Result<(), Refusal> {
        let p = &iv.parameters;
        let id = MessageId(need(&p.message_id, iv.kind, "message_id")?);
        let queue = self.broker.queue_index(&iv.target).map_err(|_| {
            refuse(
                RefusalKind::UnknownTarget,
                format!("there is no queue `{}`", iv.target),
            )
        })?;
        let q = self.broker.queue(queue);
        let Some(key) = q.find_stored(id, p.copy) else {
            return Err(refuse(
                RefusalKind::MessageGone,
                format!(
                    "message {id} is not in queue `{}` now: it was never there or already left it",
                    iv.target
                ),
            ));
        };
        let fifo_refusal = |what: &str| {
            refuse(
                RefusalKind::NotApplicable,
                format!(
                    "FIFO queue `{}` does not {what}: it delivers exactly once, in order",
                    iv.target
                ),
            )
        };
        let delay_until = match iv.kind {
            Kind::DuplicateMessage if q.is_fifo() => return Err(fifo_refusal("duplicate")),
            Kind::DelayMessage if q.is_fifo() => return Err(fifo_refusal("reorder")),
            Kind::DelayMessage if q.stored_in_flight(key) => {
                return Err(refuse(
                    RefusalKind::NotApplicable,
                    format!("message {id} is in flight: it returns when its visibility timeout ends; drop it or crash its invocation instead"),
                ))
            }
            Kind::DelayMessage => {
                let delay_ms = need(&p.delay_ms, iv.kind, "delay_ms")?;
                let until = self.now_ms().saturating_add(delay_ms);
                self.check_future(until)
                    .map_err(|e| refuse(RefusalKind::BadParameters, e.to_string()))?;
                until
            }
            _ => 0,
        };
        self.note_intervention(iv);
        let q = self.broker.queue_mut(queue);
        match iv.kind {
            Kind::DropMessage => q.drop_stored(&mut self.kernel, key),
            Kind::DuplicateMessage => q.duplicate_stored(&mut self.kernel, key),
            _ => q.delay_stored(&mut self.kernel, key, delay_until),
        }
        self.wake_pollers();
        Ok(())
    }

    fn crash_environment(&mut self, iv: &Intervention) -> Result<(), Refusal> {
        let env = need(&iv.parameters.environment, iv.kind, "environment")?;
        let function = self.function_target(&iv.target)?;
        let invocation = self.functions.running_in(function, env).map_err(|why| {
            let message = match why {
                CrashRefused::NoSuchEnvironment => {
                    format!("function `{}` has no environment {env} now", iv.target)
                }
                CrashRefused::Idle => format!(
                    "environment {env} of `{}` is idle: there is no invocation to crash",
                    iv.target
                ),
            };
            refuse(RefusalKind::EnvironmentIdle, message)
        })?;
        self.note_intervention(iv);
        if let Some(finished) = self.functions.crash(&mut self.kernel, invocation) {
            self.route_finished(finished);
        }
        self.route_function_deliveries();
        self.route_workflow_starts();
        self.wake_pollers();
        Ok(())
    }

    fn function_target(&self, name: &str) -> Result<usize, Refusal> {
        self.functions.index_of(name).ok_or_else(|| {
            refuse(
                RefusalKind::UnknownTarget,
                format!("there is no function `{name}`"),
            )
        })
    }

    fn store_down(&mut self, iv: &Intervention) -> Result<(), Refusal> {
        let p = &iv.parameters;
        let duration_ms = need(&p.duration_ms, iv.kind, "duration_ms")?;
        if iv.target != "store" {
            return Err(refuse(
                RefusalKind::UnknownTarget,
                format!("store_down acts on the target `store`, not `{}`", iv.target),
            ));
        }
        let fault = Fault::StoreErrors {
            rate_ppm: p.rate_ppm.unwrap_or(1_000_000),
            from_ms: self.now_ms(),
            until_ms: self.now_ms().saturating_add(duration_ms),
        };
        fault
            .validate()
            .map_err(|e| refuse(RefusalKind::BadParameters, e.to_string()))?;
        let windows = self
            .faults
            .injected()
            .iter()
            .filter(|f| matches!(f, Fault::StoreErrors { .. }))
            .count();
        if windows >= crate::sim::store::MAX_STORE_ERROR_WINDOWS {
            return Err(refuse(
                RefusalKind::NotApplicable,
                format!(
                    "the store already has {} outage windows, the most a run takes",
                    crate::sim::store::MAX_STORE_ERROR_WINDOWS
                ),
            ));
        }
        self.note_intervention(iv);
        // Checked above: the fault is valid and there is room for it.
        let _ = self.inject_fault(fault);
        Ok(())
    }

    fn send_by_hand(&mut self, iv: &Intervention) -> Result<(), Refusal> {
        let p = &iv.parameters;
        let body = need(&p.body, iv.kind, "body")?;
        let unknown = |what: &str| {
            refuse(
                RefusalKind::UnknownTarget,
                format!("there is no {what} `{}`", iv.target),
            )
        };
        if iv.kind == Kind::Publish {
            self.broker
                .topic_index(&iv.target)
                .map_err(|_| unknown("topic"))?;
            self.note_intervention(iv);
            let request = PublishRequest {
                body,
                attributes: Default::default(),
                group_id: p.group_id.clone(),
                dedup_id: p.dedup_id.clone(),
            };
            // A publish the topic refuses is in the trace as `SendRejected`.
            let _ = self.publish(&iv.target, request);
            return Ok(());
        }
        let queue = self
            .broker
            .queue_index(&iv.target)
            .map_err(|_| unknown("queue"))?;
        let config = &self.broker.queue(queue).config;
        if config.fifo && p.group_id.is_none() {
            return Err(refuse(
                RefusalKind::BadParameters,
                format!("FIFO queue `{}` needs a `group_id`", iv.target),
            ));
        }
        if config.fifo && !config.content_based_deduplication && p.dedup_id.is_none() {
            return Err(refuse(
                RefusalKind::BadParameters,
                format!(
                    "FIFO queue `{}` has no content-based deduplication: it needs a `dedup_id`",
                    iv.target
                ),
            ));
        }
        if body.len() > config.max_message_bytes {
            return Err(refuse(
                RefusalKind::BadParameters,
                format!(
                    "the body has {} bytes; queue `{}` takes at most {}",
                    body.len(),
                    iv.target,
                    config.max_message_bytes
                ),
            ));
        }
        self.note_intervention(iv);
        let request = SendRequest {
            body,
            attributes: Default::default(),
            delay_ms: None,
            group_id: p.group_id.clone(),
            dedup_id: p.dedup_id.clone(),
        };
        // A send the queue refuses (throttled, full) is in the trace as
        // `SendRejected`: the hand-sent message met the queue as it is.
        let _ = self.send(&iv.target, request);
        Ok(())
    }

    fn change_code(&mut self, iv: &Intervention) -> Result<(), Refusal> {
        let code = need(&iv.parameters.code, iv.kind, "code")?;
        let function = self.function_target(&iv.target)?;
        let names = self.workflows.names();
        let program = self
            .functions
            .compile_for(function, &code, &names)
            .map_err(|e| {
                refuse(
                    RefusalKind::NotApplicable,
                    format!("the new code of `{}` does not compile: {e}", iv.target),
                )
            })?;
        self.note_intervention(iv);
        self.functions
            .change_code(&mut self.kernel, function, code, program);
        Ok(())
    }
}
