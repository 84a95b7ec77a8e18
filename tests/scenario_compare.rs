//! The compare scenario: one burst of saves through an API endpoint and
//! through a queue. Under a burst above the endpoint's rate the server-API
//! flow shows throttles, retries and a higher client latency; the
//! event-driven flow shows none of those but a queue backlog. Every number
//! is recomputed here from the trace, not assumed.

use event_playground::scenario::{load, run_seed, Scenario};
use event_playground::sim::{ActorId, TraceEvent, TraceKind};

mod disk;
use disk::Disk;

fn compare() -> Scenario {
    load("scenarios/compare.toml", &Disk).unwrap_or_else(|d| panic!("{}", d[0]))
}

fn client_events<'a>(
    trace: &'a [TraceEvent],
    client: &'a str,
    kind: TraceKind,
) -> impl Iterator<Item = &'a TraceEvent> + 'a {
    trace.iter().filter(move |e| {
        e.kind == kind && matches!(&e.actor, ActorId::Client(name) if name.as_str() == client)
    })
}

#[test]
fn the_server_api_flow_throttles_retries_and_waits_where_the_queue_flow_does_not() {
    let scenario = compare();
    for seed in 1..=5 {
        let (report, outcome) = run_seed(&scenario, seed);
        assert!(report.ok, "seed {seed}: {:?}", report.checks);
        let api = &report.metrics.clients["api-editors"];
        let events = &report.metrics.clients["queue-editors"];
        let trace = &outcome.trace;

        // Read from the trace: 429 answers and retries of each client.
        let answered_429 = |client| {
            client_events(trace, client, TraceKind::ClientResponded)
                .filter(|e| e.details.status_code() == Some(429))
                .count() as u64
        };
        let retried =
            |client| client_events(trace, client, TraceKind::ClientRetried).count() as u64;
        assert_eq!(api["throttled_requests"], answered_429("api-editors"));
        assert_eq!(api["retries"], retried("api-editors"));
        assert!(api["throttled_requests"] > 0, "seed {seed}: no throttles");
        assert!(api["retries"] > 0, "seed {seed}: no retries");
        assert_eq!(events["throttled_requests"], 0);
        assert_eq!(answered_429("queue-editors"), 0);
        assert_eq!(events["retries"], 0);

        // Both made the same 100 saves and lost none.
        assert_eq!(api["client_calls"], 100);
        assert_eq!(events["client_calls"], 100);
        assert_eq!(api["failed_calls"] + events["failed_calls"], 0);

        // The API client waits for the function and for its retries.
        assert!(
            api["client_latency_p95_ms"] > 5 * events["client_latency_p95_ms"],
            "seed {seed}: api p95 {} vs events p95 {}",
            api["client_latency_p95_ms"],
            events["client_latency_p95_ms"]
        );
        // The queue flow answers at network speed (10 ms each way) ...
        assert_eq!(events["client_latency_max_ms"], 20);
        // ... and the work piles up in the queue instead.
        let backlog = report.metrics.queue_depth["saves"]
            .iter()
            .map(|s| s.depth)
            .max()
            .unwrap_or(0);
        assert!(backlog >= 20, "seed {seed}: backlog {backlog}");
    }
}

#[test]
fn every_store_write_of_both_flows_is_timed_from_its_save() {
    let (report, outcome) = run_seed(&compare(), 2);
    let latencies = event_playground::scenario::metrics::store_latencies_ms(&outcome.trace);
    assert_eq!(
        latencies.len() as u64,
        report.metrics.values["store_writes"]
    );
    // An API write happens while its client waits: never before the call.
    let first_api_write = outcome
        .trace
        .iter()
        .find(|e| {
            e.kind == TraceKind::StoreWrite
                && e.details.function().map(|n| n.as_str()) == Some("save-api")
        })
        .expect("an API write");
    assert!(first_api_write.time_ms > 0);
}

#[test]
fn the_endpoint_never_accepts_more_than_its_bucket_allows() {
    let scenario = compare();
    let (_, outcome) = run_seed(&scenario, 3);
    let accepted: Vec<u64> = outcome
        .trace
        .iter()
        .filter(|e| e.kind == TraceKind::EndpointAccepted)
        .map(|e| e.time_ms)
        .collect();
    // rate 20/s, burst 10: in any window of w ms at most 10 + 20 * w / 1000.
    for (i, start) in accepted.iter().enumerate() {
        for (j, end) in accepted.iter().enumerate().skip(i) {
            let allowed = 10 + 20 * (end - start) / 1000;
            assert!(
                (j - i + 1) as u64 <= allowed + 1,
                "{} accepted between {start} and {end} ms",
                j - i + 1
            );
        }
    }
}
