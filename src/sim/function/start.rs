//! Starting an invocation: the concurrency check (throttle), an idle or
//! new environment (cold start), and synchronous invocations' records
//! (the model is described in `mod.rs`).

use std::borrow::Cow;

use serde_json::Value;

use super::{
    detail, Caller, Env, Exec, FunctionEvent, Functions, InvocationError, InvocationErrorKind,
    InvocationRecord, InvocationStatus, StartInfo,
};
use crate::sim::kernel::Kernel;
use crate::sim::name::Name;
use crate::sim::sandbox::{Environment, Event as HandlerEvent};
use crate::sim::trace::{MessageId, TraceDetails, TraceKind};

impl Functions {
    fn new_request_id(&mut self) -> Name {
        self.next_request += 1;
        Name::from(format!("req-{}", self.next_request))
    }

    /// `Err(concurrency)` when the function is at its limit.
    fn room(&self, function: usize) -> Result<(), u32> {
        let f = &self.list[function];
        match f.config.reserved_concurrency {
            Some(r) if f.busy >= r => Err(f.busy),
            Some(_) => Ok(()),
            None if self.unreserved_busy >= self.unreserved_pool => Err(self.unreserved_busy),
            None => Ok(()),
        }
    }

    /// Starts an invocation now, or throttles it (`Err(request id)`).
    pub fn start<E: From<FunctionEvent>>(
        &mut self,
        k: &mut Kernel<E>,
        function: usize,
        caller: Caller,
        event: HandlerEvent,
        mut info: StartInfo,
    ) -> Result<(u64, Name), (Name, Caller)> {
        let request_id = match info.request_id.take() {
            Some(id) => id,
            None => self.new_request_id(),
        };
        let now = k.now_ms();
        let mut d = start_details(&self.list[function].name, &request_id, &mut info);
        if let Err(concurrency) = self.room(function) {
            self.throttle(k, function, concurrency, d, info.message_id);
            return Err((request_id, caller));
        }
        let (env, cold, run_at) = self.occupy(k, function, now);
        let f = &mut self.list[function];
        if let Some(e) = f.envs.get_mut(&env) {
            e.busy = true;
        }
        d.environment = Some(env);
        d.cold_start = Some(cold);
        d.concurrency = Some(f.busy);
        k.record(
            f.actor.clone(),
            TraceKind::InvocationStarted,
            info.message_id,
            d,
        );
        self.next_invocation += 1;
        let invocation = self.next_invocation;
        self.execs.insert(
            invocation,
            Exec {
                function,
                env,
                request_id: request_id.clone(),
                caller,
                event,
                cold,
                mapping: info.mapping,
                progress: None,
                result: None,
            },
        );
        k.schedule(run_at, FunctionEvent::Run { invocation }.into());
        Ok((invocation, request_id))
    }

    /// Counts a refused invocation and says in the trace which limit
    /// refused it (the caller decides what a throttle means for it).
    fn throttle<E>(
        &mut self,
        k: &mut Kernel<E>,
        function: usize,
        concurrency: u32,
        mut d: TraceDetails,
        message_id: Option<MessageId>,
    ) {
        let f = &mut self.list[function];
        f.stats.throttled += 1;
        d.concurrency = Some(concurrency);
        d.reason = Some(Cow::Owned(match f.config.reserved_concurrency {
            Some(r) => format!("Rate exceeded (429): reserved concurrency {r} in use"),
            None => format!(
                "Rate exceeded (429): the account's unreserved concurrency ({}) is in use",
                self.unreserved_pool
            ),
        }));
        k.record(
            f.actor.clone(),
            TraceKind::InvocationThrottled,
            message_id,
            d,
        );
    }

    /// Takes one unit of the function's concurrency (and of the unreserved
    /// pool without a reservation) and an environment: the lowest-numbered
    /// idle one, or a new one whose cold start delays the run. Returns the
    /// environment, whether it is cold, and when the handler runs.
    fn occupy<E>(&mut self, k: &mut Kernel<E>, function: usize, now: u64) -> (u64, bool, u64) {
        if self.list[function].config.reserved_concurrency.is_none() {
            self.unreserved_busy += 1;
        }
        let f = &mut self.list[function];
        let idle = f.envs.iter().find(|(_, e)| !e.busy).map(|(id, _)| *id);
        f.busy += 1;
        f.stats.invocations += 1;
        f.stats.peak_concurrency = f.stats.peak_concurrency.max(f.busy);
        match idle {
            Some(id) => (id, false, now),
            None => {
                let (id, run_at) = self.cold_start(k, function, now);
                (id, true, run_at)
            }
        }
    }

    /// A new environment for function `function`, busy from now; returns it
    /// and when its cold start (drawn from the function's generator) ends.
    fn cold_start<E>(&mut self, k: &mut Kernel<E>, function: usize, now: u64) -> (u64, u64) {
        self.next_env += 1;
        let id = self.next_env;
        let f = &mut self.list[function];
        f.envs.insert(
            id,
            Env {
                sandbox: Environment::new(),
                busy: true,
                provisioned: false,
                idle_since_ms: now,
            },
        );
        f.stats.cold_starts += 1;
        let took = f.config.cold_start.sample(&mut f.rng);
        let mut e = detail(&f.name);
        e.environment = Some(id);
        e.next_at_ms = Some(now + took);
        k.record(f.actor.clone(), TraceKind::EnvironmentStarted, None, e);
        (id, now + took)
    }

    /// A synchronous invocation: returns the request id; the record tells
    /// how it ends.
    pub fn invoke_sync<E: From<FunctionEvent>>(
        &mut self,
        k: &mut Kernel<E>,
        function: usize,
        payload: Value,
    ) -> Name {
        let now = k.now_ms();
        let name = self.list[function].name.to_string();
        let (request_id, status, finished) = match self.start(
            k,
            function,
            Caller::Sync,
            HandlerEvent::Json(payload),
            StartInfo::default(),
        ) {
            Ok((_, id)) => (id, InvocationStatus::Running, None),
            Err((id, _)) => (id, InvocationStatus::Throttled, Some(now)),
        };
        self.sync.insert(
            request_id.clone(),
            InvocationRecord {
                request_id: request_id.to_string(),
                function: name,
                requested_at_ms: now,
                finished_at_ms: finished,
                status,
                response: None,
                error: (status == InvocationStatus::Throttled).then(|| InvocationError {
                    kind: InvocationErrorKind::TooManyRequests,
                    message: "Rate exceeded: the function is at its concurrency limit (HTTP 429)"
                        .into(),
                    line: None,
                    column: None,
                }),
                environment: None,
            },
        );
        request_id
    }
}

/// The trace details every start carries: who asked, for what.
fn start_details(function: &Name, request_id: &Name, info: &mut StartInfo) -> TraceDetails {
    let mut d = detail(function);
    d.request_id = Some(request_id.clone());
    d.mapping = info.mapping.clone();
    d.receipt_handles = std::mem::take(&mut info.receipt_handles);
    if let Some((client, call)) = info.client_call.take() {
        d.client = Some(client);
        d.call = Some(call);
    }
    if let Some((workflow, execution)) = info.workflow_execution.take() {
        d.workflow = Some(workflow);
        d.execution = Some(execution);
    }
    d
}
