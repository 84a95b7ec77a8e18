//! `[[workflows]]`: a small Step Functions-like state machine, with its
//! settings and their ranges.
//!
//! A workflow is a list of named steps and the step it starts at. Each step
//! is one of:
//! - `task`: invokes `function` synchronously with the execution's state as
//!   the event; a map the handler returns becomes the new state, anything
//!   else keeps the state as it was. A failed attempt (an error,
//!   a timeout, a throttle) is retried on the step's `retry` schedule;
//!   after the last attempt the execution goes to `catch` if given, or
//!   fails.
//! - `wait`: waits `wait_ms` of virtual time.
//! - `succeed` / `fail`: ends the execution.
//!
//! `next` names the following step; a task or wait without `next` ends the
//! execution successfully (Step Functions' `End: true`).

use serde::{Deserialize, Serialize};

use crate::sim::aws;
use crate::sim::error::{check_range, SimError};

/// Most steps in one workflow.
pub const MAX_STEPS: usize = 50;
/// Longest `wait_ms` (one day: plenty for a lesson, and a run's time limit
/// ends it sooner anyway).
pub const MAX_WAIT_MS: u64 = aws::DAY_MS;
/// Most retries one task step may make (Step Functions allows 99; a lesson
/// never needs more than a handful).
pub const MAX_RETRY_ATTEMPTS: u32 = 20;
/// Longest retry interval or delay cap (one hour).
pub const MAX_RETRY_DELAY_MS: u64 = aws::HOUR_MS;
/// Largest backoff rate (each retry waits this many times the previous).
pub const MAX_BACKOFF_RATE: f64 = 10.0;
/// Default limit on transitions of one execution. Step Functions caps an
/// execution's history at 25,000 events; a loop in a lesson's workflow
/// should fail quickly and say why instead.
pub const DEFAULT_MAX_TRANSITIONS: u32 = 1_000;
/// Highest `max_transitions`.
pub const MAX_TRANSITIONS: u32 = 25_000;

/// The kind of a step.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StepKind {
    /// Invoke a function.
    Task,
    /// Wait a while.
    Wait,
    /// End the execution successfully.
    Succeed,
    /// End the execution as failed.
    Fail,
}

/// How a task step retries a failed attempt (Step Functions' `Retry`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RetryConfig {
    /// Retries after the first attempt (default 3, 0 to 20).
    pub max_attempts: u32,
    /// Wait before the first retry (default 1,000 ms).
    pub interval_ms: u64,
    /// Each retry waits this many times longer than the one before
    /// (default 2.0, 1.0 to 10.0).
    pub backoff_rate: f64,
    /// Cap of every wait (default: none).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_delay_ms: Option<u64>,
}

impl Default for RetryConfig {
    fn default() -> Self {
        RetryConfig {
            max_attempts: 3,
            interval_ms: aws::SECOND_MS,
            backoff_rate: 2.0,
            max_delay_ms: None,
        }
    }
}

impl RetryConfig {
    /// The wait before retry number `retry` (1 for the first retry), in
    /// integer arithmetic so every platform waits exactly as long.
    pub fn delay_ms(&self, retry: u32) -> u64 {
        let rate_per_mille = self.rate_per_mille();
        let cap = self.max_delay_ms.unwrap_or(MAX_RETRY_DELAY_MS);
        let mut delay = self.interval_ms;
        for _ in 1..retry {
            delay = delay.saturating_mul(rate_per_mille) / 1_000;
            if delay >= cap {
                break;
            }
        }
        delay.min(cap)
    }

    /// The backoff rate in thousandths (2.0 is 2,000): the only place the
    /// float is read, rounded once.
    fn rate_per_mille(&self) -> u64 {
        (self.backoff_rate.clamp(1.0, MAX_BACKOFF_RATE) * 1_000.0).round() as u64
    }

    fn validate(&self, component: &str) -> Result<(), SimError> {
        check_range(
            component,
            "retry.max_attempts",
            u64::from(self.max_attempts),
            0,
            u64::from(MAX_RETRY_ATTEMPTS),
        )?;
        check_range(
            component,
            "retry.interval_ms",
            self.interval_ms,
            1,
            MAX_RETRY_DELAY_MS,
        )?;
        if !(1.0..=MAX_BACKOFF_RATE).contains(&self.backoff_rate) {
            return Err(SimError::InvalidConfig {
                component: component.to_string(),
                field: "retry.backoff_rate",
                reason: format!(
                    "{} is out of range (1.0 to {MAX_BACKOFF_RATE})",
                    self.backoff_rate
                ),
            });
        }
        if let Some(cap) = self.max_delay_ms {
            check_range(component, "retry.max_delay_ms", cap, 1, MAX_RETRY_DELAY_MS)?;
        }
        Ok(())
    }
}

/// One step of a workflow.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StepConfig {
    /// Unique within the workflow.
    pub name: String,
    /// What the step does.
    pub kind: StepKind,
    /// `task`: the function to invoke.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub function: Option<String>,
    /// `wait`: how long.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wait_ms: Option<u64>,
    /// `task` and `wait`: the step after this one (none: the execution
    /// succeeds).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next: Option<String>,
    /// `task`: how failed attempts are retried (none: not retried).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry: Option<RetryConfig>,
    /// `task`: the step to go to when the last attempt failed, with the
    /// error in the state's `error` field (none: the execution fails).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub catch: Option<String>,
    /// `fail`: the error name the execution fails with.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// `fail`: the cause, in words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cause: Option<String>,
}

impl StepConfig {
    /// A task step invoking `function`.
    pub fn task(name: &str, function: &str) -> Self {
        StepConfig {
            name: name.to_string(),
            kind: StepKind::Task,
            function: Some(function.to_string()),
            wait_ms: None,
            next: None,
            retry: None,
            catch: None,
            error: None,
            cause: None,
        }
    }

    /// A wait step.
    pub fn wait(name: &str, wait_ms: u64) -> Self {
        StepConfig {
            kind: StepKind::Wait,
            function: None,
            wait_ms: Some(wait_ms),
            ..StepConfig::task(name, "")
        }
    }

    /// A step of kind `succeed` or `fail`.
    pub fn end(name: &str, kind: StepKind) -> Self {
        StepConfig {
            kind,
            function: None,
            ..StepConfig::task(name, "")
        }
    }

    /// Sets the next step.
    pub fn then(mut self, next: &str) -> Self {
        self.next = Some(next.to_string());
        self
    }

    /// Sets the retry policy.
    pub fn retrying(mut self, retry: RetryConfig) -> Self {
        self.retry = Some(retry);
        self
    }

    /// Sets the step to go to after the last failed attempt.
    pub fn catching(mut self, step: &str) -> Self {
        self.catch = Some(step.to_string());
        self
    }
}

/// `[[workflows]]`: a state machine.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WorkflowConfig {
    /// Unique name; handlers start it with `workflows.start(name, input)`.
    pub name: String,
    /// The first step.
    pub start_at: String,
    /// The steps.
    pub steps: Vec<StepConfig>,
    /// Most step transitions one execution may make (default 1,000; 1 to
    /// 25,000): a loop ends with an error instead of running forever.
    #[serde(default = "default_max_transitions")]
    pub max_transitions: u32,
}

fn default_max_transitions() -> u32 {
    DEFAULT_MAX_TRANSITIONS
}

impl WorkflowConfig {
    /// A workflow starting at its first step.
    pub fn new(name: &str, steps: Vec<StepConfig>) -> Self {
        WorkflowConfig {
            name: name.to_string(),
            start_at: steps.first().map(|s| s.name.clone()).unwrap_or_default(),
            steps,
            max_transitions: DEFAULT_MAX_TRANSITIONS,
        }
    }

    /// The index of the step called `name`.
    pub fn step_index(&self, name: &str) -> Option<usize> {
        self.steps.iter().position(|s| s.name == name)
    }

    /// Checks every step. Function names are checked by the world, which
    /// knows its functions.
    pub fn validate(&self) -> Result<(), SimError> {
        let component = format!("workflow {}", self.name);
        let invalid = |field: &'static str, reason: String| SimError::InvalidConfig {
            component: component.clone(),
            field,
            reason,
        };
        if self.steps.is_empty() || self.steps.len() > MAX_STEPS {
            return Err(invalid(
                "steps",
                format!(
                    "{} steps; a workflow has 1 to {MAX_STEPS}",
                    self.steps.len()
                ),
            ));
        }
        check_range(
            &component,
            "max_transitions",
            u64::from(self.max_transitions),
            1,
            u64::from(MAX_TRANSITIONS),
        )?;
        for (i, step) in self.steps.iter().enumerate() {
            if step.name.trim().is_empty() {
                return Err(invalid("steps.name", "a step has no name".into()));
            }
            if self.steps[..i].iter().any(|s| s.name == step.name) {
                return Err(invalid(
                    "steps.name",
                    format!("two steps are named \"{}\"", step.name),
                ));
            }
        }
        if self.step_index(&self.start_at).is_none() {
            return Err(invalid(
                "start_at",
                format!("there is no step named \"{}\"", self.start_at),
            ));
        }
        for step in &self.steps {
            self.validate_step(step, &component)?;
        }
        Ok(())
    }

    fn validate_step(&self, step: &StepConfig, component: &str) -> Result<(), SimError> {
        let component = format!("{component} step {}", step.name);
        let invalid = |field: &'static str, reason: String| SimError::InvalidConfig {
            component: component.clone(),
            field,
            reason,
        };
        fields_fit_kind(step, &invalid)?;
        match step.kind {
            StepKind::Task => {
                if step.function.as_deref().is_none_or(|f| f.trim().is_empty()) {
                    return Err(invalid(
                        "function",
                        "a task step names the function it invokes".into(),
                    ));
                }
            }
            StepKind::Wait => {
                let Some(wait_ms) = step.wait_ms else {
                    return Err(invalid("wait_ms", "a wait step says how long".into()));
                };
                check_range(&component, "wait_ms", wait_ms, 0, MAX_WAIT_MS)?;
            }
            StepKind::Succeed | StepKind::Fail => {}
        }
        if let Some(retry) = &step.retry {
            retry.validate(&component)?;
        }
        for (field, target) in [("next", &step.next), ("catch", &step.catch)] {
            if let Some(target) = target {
                if self.step_index(target).is_none() {
                    return Err(invalid(
                        field,
                        format!("there is no step named \"{target}\""),
                    ));
                }
            }
        }
        Ok(())
    }
}

/// Refuses a field its step's kind does not use (a `wait_ms` on a task,
/// say): a learner who sets one expects it to do something, and it would
/// not. Checked in this order so the first error is always the same.
fn fields_fit_kind(
    step: &StepConfig,
    invalid: &dyn Fn(&'static str, String) -> SimError,
) -> Result<(), SimError> {
    use StepKind::{Fail, Task, Wait};
    let fields: [(&'static str, bool, &[StepKind], &str); 7] = [
        ("function", step.function.is_some(), &[Task], "task"),
        ("retry", step.retry.is_some(), &[Task], "task"),
        ("catch", step.catch.is_some(), &[Task], "task"),
        ("wait_ms", step.wait_ms.is_some(), &[Wait], "wait"),
        ("next", step.next.is_some(), &[Task, Wait], "task and wait"),
        ("error", step.error.is_some(), &[Fail], "fail"),
        ("cause", step.cause.is_some(), &[Fail], "fail"),
    ];
    for (field, set, kinds, kind_words) in fields {
        if set && !kinds.contains(&step.kind) {
            return Err(invalid(
                field,
                format!("only {kind_words} steps have `{field}`"),
            ));
        }
    }
    Ok(())
}
