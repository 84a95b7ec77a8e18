//! Asynchronous invocations: retried after a function error (1 and 2
//! minutes later), retried with backoff while throttled (up to the maximum
//! event age), and dropped after that (the model is described in
//! `mod.rs`).

use std::borrow::Cow;

use super::{
    detail, AsyncRequest, Caller, FunctionEvent, Functions, StartInfo, ASYNC_FIRST_RETRY_DELAY_MS,
    ASYNC_MAX_EVENT_AGE_MS, ASYNC_SECOND_RETRY_DELAY_MS, ASYNC_THROTTLE_FIRST_BACKOFF_MS,
    ASYNC_THROTTLE_MAX_BACKOFF_MS,
};
use crate::sim::kernel::Kernel;
use crate::sim::name::Name;
use crate::sim::sandbox::Event as HandlerEvent;
use crate::sim::trace::{MessageId, TraceDetails, TraceKind};

impl Functions {
    /// An asynchronous invocation (first attempt).
    pub fn invoke_async<E: From<FunctionEvent>>(
        &mut self,
        k: &mut Kernel<E>,
        function: usize,
        event: HandlerEvent,
        source: Option<MessageId>,
    ) {
        let request = AsyncRequest {
            event,
            attempt: 1,
            first_at_ms: k.now_ms(),
            throttles: 0,
            source,
            request_id: None,
        };
        self.attempt_async(k, function, Box::new(request));
    }

    /// Tries an asynchronous event once. A throttle is not a function
    /// error: the event is tried again with backoff (1 s doubling to 5
    /// minutes) until it is older than Lambda's maximum event age.
    pub(super) fn attempt_async<E: From<FunctionEvent>>(
        &mut self,
        k: &mut Kernel<E>,
        function: usize,
        request: Box<AsyncRequest>,
    ) {
        let event = request.event.clone();
        let info = StartInfo {
            message_id: request.source,
            request_id: request.request_id.clone(),
            ..StartInfo::default()
        };
        if let Err((request_id, Caller::Async(mut request))) =
            self.start(k, function, Caller::Async(request), event, info)
        {
            request.request_id = Some(request_id.clone());
            let now = k.now_ms();
            let backoff = ASYNC_THROTTLE_FIRST_BACKOFF_MS
                .saturating_mul(1u64 << request.throttles.min(20))
                .min(ASYNC_THROTTLE_MAX_BACKOFF_MS);
            request.throttles += 1;
            let mut d = detail(&self.list[function].name);
            d.request_id = Some(request_id);
            d.attempt = Some(request.attempt);
            if now + backoff - request.first_at_ms > ASYNC_MAX_EVENT_AGE_MS {
                self.drop_async(
                    k,
                    function,
                    request.source,
                    d,
                    "throttled until the maximum event age (6 hours)",
                );
                return;
            }
            self.retry_async(
                k,
                function,
                request,
                backoff,
                d,
                "throttled: asynchronous events are retried with backoff",
            );
        }
    }

    /// Gives up on an asynchronous event, saying why in the trace (`d`
    /// names the request): the common end of the throttle and error paths.
    fn drop_async<E>(
        &mut self,
        k: &mut Kernel<E>,
        function: usize,
        source: Option<MessageId>,
        mut d: TraceDetails,
        reason: &'static str,
    ) {
        let f = &mut self.list[function];
        f.stats.dropped += 1;
        d.reason = Some(Cow::Borrowed(reason));
        k.record(f.actor.clone(), TraceKind::InvocationDropped, source, d);
    }

    /// Schedules another attempt of an asynchronous invocation `wait_ms`
    /// from now, saying why in the trace (`d` names the request).
    fn retry_async<E: From<FunctionEvent>>(
        &mut self,
        k: &mut Kernel<E>,
        function: usize,
        request: Box<AsyncRequest>,
        wait_ms: u64,
        mut d: TraceDetails,
        reason: &'static str,
    ) {
        let at_ms = k.now_ms() + wait_ms;
        let f = &mut self.list[function];
        f.stats.retried += 1;
        d.next_at_ms = Some(at_ms);
        d.reason = Some(Cow::Borrowed(reason));
        k.record(
            f.actor.clone(),
            TraceKind::InvocationRetried,
            request.source,
            d,
        );
        self.pending_async += 1;
        k.schedule(
            at_ms,
            FunctionEvent::AsyncRetry { function, request }.into(),
        );
    }

    /// A failed asynchronous invocation: Lambda retries it 1 and then 2
    /// minutes later, under the same request id, up to
    /// `async_max_retries`; after that the event is dropped.
    pub(super) fn after_async_failure<E: From<FunctionEvent>>(
        &mut self,
        k: &mut Kernel<E>,
        function: usize,
        mut request: Box<AsyncRequest>,
        request_id: Name,
    ) {
        let f = &self.list[function];
        let retries_done = request.attempt - 1;
        let mut d = detail(&f.name);
        request.request_id = Some(request_id.clone());
        d.request_id = Some(request_id);
        if retries_done >= f.config.async_max_retries {
            d.attempt = Some(request.attempt);
            self.drop_async(
                k,
                function,
                request.source,
                d,
                "function error after the last retry: the event is dropped",
            );
            return;
        }
        let wait = if retries_done == 0 {
            ASYNC_FIRST_RETRY_DELAY_MS
        } else {
            ASYNC_SECOND_RETRY_DELAY_MS
        };
        request.attempt += 1;
        d.attempt = Some(request.attempt);
        self.retry_async(
            k,
            function,
            request,
            wait,
            d,
            "function error: asynchronous invocations are retried",
        );
    }
}
