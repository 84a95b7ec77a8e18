//! Checks pass and fail with explanations read from the trace; sweeps count
//! seeds; the out-of-order bug shows in some seeds and every fix holds in
//! all of 500.

use event_playground::scenario::{load, parse, run_seed, sweep, CheckResult, FileReader, Scenario};

mod disk;
use disk::Disk;

fn scenario(text: &str) -> Scenario {
    parse("t.toml", text).unwrap_or_else(|d| panic!("{}", d[0]))
}

fn checks(s: &Scenario, seed: u64) -> Vec<CheckResult> {
    run_seed(s, seed).0.checks
}

const QUEUE_AND_WORKER: &str = r#"
[scenario]
name = "t"

[[queues]]
name = "q"

[[consumers]]
name = "w"
queue = "q"

[[clients]]
name = "burst"
kind = "burst"
target = { queue = "q" }
count = 5
"#;

#[test]
fn no_message_lost_passes_when_everything_is_processed() {
    let s = scenario(&format!(
        "{QUEUE_AND_WORKER}\n[[checks]]\nkind = \"no_message_lost\"\n"
    ));
    let c = &checks(&s, 1)[0];
    assert!(c.ok, "{}", c.detail);
    assert_eq!(c.name, "no message lost");
}

#[test]
fn no_message_lost_fails_naming_the_expired_message_and_time() {
    let s = scenario(
        r#"
[scenario]
name = "nobody reads"
run_until_ms = 120000

[[queues]]
name = "q"
retention_ms = 60000

[[clients]]
name = "burst"
kind = "burst"
target = { queue = "q" }
count = 2

[[checks]]
kind = "no_message_lost"
"#,
    );
    let c = &checks(&s, 1)[0];
    assert!(!c.ok);
    assert!(c.detail.contains("expected every message"), "{}", c.detail);
    assert!(c.detail.contains("2 were lost"), "{}", c.detail);
    assert!(
        c.detail.contains("expired in queue q at 60000 ms"),
        "{}",
        c.detail
    );
    assert!(
        c.detail.contains("m1") || c.detail.contains("m0"),
        "{}",
        c.detail
    );
}

#[test]
fn metric_checks_state_the_bound_the_value_and_the_first_culprit() {
    let text = QUEUE_AND_WORKER.replace(
        "name = \"q\"\n\n[[consumers]]",
        "name = \"q\"\nduplicate_rate_ppm = 1000000\n\n[[consumers]]",
    );
    let s = scenario(&format!(
        "{text}\n[[checks]]\nkind = \"metric\"\nmetric = \"duplicates_delivered\"\nat_most = 0\n\n[[checks]]\nkind = \"metric\"\nmetric = \"messages_processed\"\nat_least = 5\n"
    ));
    let results = checks(&s, 3);
    let dup = &results[0];
    assert!(!dup.ok);
    assert_eq!(dup.name, "duplicates_delivered <= 0");
    assert!(
        dup.detail
            .starts_with("expected duplicates_delivered <= 0, but it was 5"),
        "{}",
        dup.detail
    );
    assert!(dup.detail.contains("first duplicate: m"), "{}", dup.detail);
    assert!(dup.detail.contains(" ms"), "{}", dup.detail);
    assert!(results[1].ok, "{}", results[1].detail);
    assert_eq!(results[1].detail, "messages_processed = 5");
}

#[test]
fn trace_count_checks_count_one_kind_and_name_the_event_over_the_bound() {
    let s = load("scenarios/dead-letter.toml", &Disk).unwrap();
    let mut s2 = s.clone();
    s2.config.checks[1].at_least = None;
    s2.config.checks[1].at_most = Some(0);
    s2.config.checks[1].name = None;
    let passing = checks(&s, 7);
    assert!(passing[1].ok, "{}", passing[1].detail);
    assert!(
        passing[1].detail.starts_with("counted "),
        "{}",
        passing[1].detail
    );
    let failing = &checks(&s2, 7)[1];
    assert!(!failing.ok);
    assert_eq!(
        failing.name,
        "moved_to_dlq events in q <= 0".replace(" q ", " orders ")
    );
    assert!(
        failing
            .detail
            .contains("expected moved_to_dlq events in queue orders <= 0, but counted"),
        "{}",
        failing.detail
    );
    assert!(
        failing.detail.contains("the one over the bound: m"),
        "{}",
        failing.detail
    );
}

fn out_of_order() -> Scenario {
    load("scenarios/out-of-order.toml", &Disk).unwrap_or_else(|d| panic!("{}", d[0]))
}

fn with_handler(file: &str) -> Scenario {
    let mut s = out_of_order();
    s.replace_code("save", Disk.read(file).unwrap()).unwrap();
    s
}

#[test]
fn store_checks_explain_the_stale_write_and_the_final_value() {
    let naive = out_of_order();
    let failing_seed = (0..50)
        .find(|&seed| !checks(&naive, seed)[1].ok)
        .expect("some seed shows the bug");
    let results = checks(&naive, failing_seed);
    let stale = &results[0];
    assert!(!stale.ok);
    assert!(
        stale
            .detail
            .contains("replace a newer version with an older one"),
        "{}",
        stale.detail
    );
    assert!(stale.detail.contains(" ms wrote v1."), "{}", stale.detail);
    let final_value = &results[1];
    assert_eq!(final_value.name, "final value of doc-1 is v1.2");
    assert!(
        final_value
            .detail
            .starts_with("expected doc-1 to be v1.2, but it is v1."),
        "{}",
        final_value.detail
    );
    assert!(
        final_value.detail.contains("the last write was by req-"),
        "{}",
        final_value.detail
    );

    let fixed = with_handler("scenarios/handlers/conditional-write.rhai");
    let results = checks(&fixed, failing_seed);
    assert!(results.iter().all(|c| c.ok), "{results:?}");
    assert!(
        results[1]
            .detail
            .starts_with("doc-1 is v1.2, written by req-"),
        "{}",
        results[1].detail
    );
}

#[test]
fn a_sweep_counts_seeds_and_reports_the_first_failing_one() {
    let naive = out_of_order();
    let result = sweep(&naive, 0, 40);
    assert_eq!(result.seeds, 40);
    for c in &result.checks {
        assert_eq!(c.passed + c.failed, 40, "{c:?}");
    }
    let final_value = &result.checks[1];
    assert!(
        final_value.failed > 0 && final_value.passed > 0,
        "{final_value:?}"
    );
    let first = (0..40).find(|&seed| !checks(&naive, seed)[1].ok);
    assert_eq!(final_value.first_failing_seed, first);
    assert_eq!(
        final_value.summary,
        format!(
            "failed in {} of 40 seeds, first at seed {}",
            final_value.failed,
            first.unwrap()
        )
    );
    assert_eq!(result.checks[2].summary, "passed in 40/40 seeds");
    assert_eq!(result.checks[2].first_failing_seed, None);
}

#[test]
fn the_naive_handler_shows_the_bug_in_a_share_of_seeds() {
    let result = sweep(&out_of_order(), 0, 200);
    let stale = &result.checks[0];
    assert!(stale.failed > 0, "{stale:?}");
    assert!(
        stale.passed > 0,
        "the bug should not show in every seed: {stale:?}"
    );
}

fn assert_all_pass(s: &Scenario, what: &str) {
    let result = sweep(s, 0, 500);
    for c in &result.checks {
        assert_eq!(c.summary, "passed in 500/500 seeds", "{what}: {c:?}");
    }
}

#[test]
fn the_conditional_write_fix_passes_in_every_seed_of_500() {
    assert_all_pass(
        &with_handler("scenarios/handlers/conditional-write.rhai"),
        "conditional write",
    );
}

#[test]
fn the_version_store_fix_passes_in_every_seed_of_500() {
    assert_all_pass(
        &with_handler("scenarios/handlers/version-store.rhai"),
        "version store",
    );
}

#[test]
fn a_fifo_group_per_document_passes_in_every_seed_of_500() {
    let fifo =
        load("scenarios/out-of-order-fifo.toml", &Disk).unwrap_or_else(|d| panic!("{}", d[0]));
    assert_eq!(
        fifo.functions[0].code,
        Disk.read("scenarios/handlers/naive.rhai").unwrap()
    );
    assert_all_pass(&fifo, "FIFO group per document");
}

#[test]
fn a_run_that_hits_a_limit_fails_every_check_with_the_reason() {
    let s = scenario(&format!(
        "{}\n[limits]\nmax_events = 3\n\n[[checks]]\nkind = \"no_message_lost\"\n",
        QUEUE_AND_WORKER
    ));
    let (report, _) = run_seed(&s, 1);
    assert!(!report.ok);
    assert!(
        report.error.as_deref().unwrap_or("").contains("stopped"),
        "{report:?}"
    );
    assert!(
        report.checks[0]
            .detail
            .starts_with("the run did not finish"),
        "{}",
        report.checks[0].detail
    );
}

#[test]
fn runs_are_deterministic_and_workloads_are_seeded() {
    let s = load("scenarios/editor-fanout.toml", &Disk).unwrap();
    let (a, ta) = run_seed(&s, 11);
    let (b, tb) = run_seed(&s, 11);
    assert_eq!(
        serde_json::to_string(&a).unwrap(),
        serde_json::to_string(&b).unwrap()
    );
    assert_eq!(ta.trace, tb.trace);
    let (_, tc) = run_seed(&s, 12);
    assert_ne!(ta.trace, tc.trace, "another seed draws other jitter");
}

#[test]
fn metrics_read_latency_depth_and_counts_from_the_trace() {
    let s = load("scenarios/editor-fanout.toml", &Disk).unwrap();
    let (report, outcome) = run_seed(&s, 1);
    let m = &report.metrics;
    assert_eq!(m.get("messages_sent"), Some(9));
    assert_eq!(m.get("messages_processed"), Some(18));
    let p50 = m.get("end_to_end_latency_p50_ms").unwrap();
    let p99 = m.get("end_to_end_latency_p99_ms").unwrap();
    assert!(0 < p50 && p50 <= p99 && p99 <= m.get("end_to_end_latency_max_ms").unwrap());
    assert_eq!(m.queue_depth.len(), 2);
    for series in m.queue_depth.values() {
        assert_eq!(series.len(), 21);
        assert_eq!(series.last().unwrap().time_ms, outcome.end_ms);
    }
    assert!(m.get("max_queue_depth").unwrap() >= 1);
}

#[test]
fn function_metrics_count_invocations_and_cold_starts() {
    let (report, _) = run_seed(&out_of_order(), 1);
    let m = &report.metrics;
    assert_eq!(m.get("invocations"), Some(3));
    assert!(m.get("cold_starts").unwrap() >= 1);
    assert!(m.get("peak_concurrency").unwrap() >= 1);
    assert_eq!(m.get("store_writes"), Some(3));
    let p50 = m.get("store_latency_p50_ms").unwrap();
    assert!(0 < p50 && p50 <= m.get("store_latency_max_ms").unwrap());
    assert!(m.get("end_to_end_latency_max_ms").unwrap() >= m.get("store_latency_max_ms").unwrap());
}

#[test]
fn the_workload_compiles_editors_steady_and_burst() {
    use event_playground::scenario::workload::saves;
    let s = parse(
        "w.toml",
        "[scenario]\nname = \"w\"\n\n[[queues]]\nname = \"q\"\n\n[[clients]]\nname = \"e\"\nkind = \"editor\"\ntarget = { queue = \"q\" }\neditors = 2\nversions = [\"v1.0\", \"v1.1\"]\ninterval_ms = 50\n\n[[clients]]\nname = \"s\"\nkind = \"steady\"\ntarget = { queue = \"q\" }\nrate_per_second = 10\nduration_ms = 1000\ndocuments = 2\n",
    )
    .unwrap();
    let editor = saves(&s.config.clients[0], 1);
    assert_eq!(editor.len(), 4);
    assert_eq!(editor[0].doc, "doc-1");
    let docs: Vec<(&str, &str, u64)> = editor
        .iter()
        .map(|e| (e.doc.as_str(), e.version.as_str(), e.at_ms))
        .collect();
    assert!(docs.contains(&("doc-2", "v1.1", 50)), "{docs:?}");
    let steady = saves(&s.config.clients[1], 1);
    assert_eq!(steady.len(), 10);
    assert_eq!(steady[9].at_ms, 900);
    assert_eq!(
        (steady[3].doc.as_str(), steady[3].version.as_str()),
        ("doc-2", "v1.1")
    );
}

#[test]
fn every_metric_name_is_computed() {
    use event_playground::scenario::metric_registry::metric_names;
    let (report, _) = run_seed(&out_of_order(), 2);
    for name in metric_names() {
        assert!(report.metrics.get(name).is_some(), "{name}");
    }
    assert_eq!(report.metrics.values.len(), metric_names().count());
}

#[test]
fn a_sweep_advanced_by_events_judges_the_same_seeds_as_a_whole_sweep() {
    use event_playground::scenario::SweepRunner;

    let s = out_of_order();
    let whole = sweep(&s, 3, 12);
    let mut runner = SweepRunner::start(s.clone(), 3, 12);
    let (mut calls, mut seeds, mut failing) = (0, 0, 0);
    let mut failed_per_check = vec![0; whole.checks.len()];
    let mut first_failing = vec![None; whole.checks.len()];
    loop {
        // A small budget: one seed takes several slices.
        let finished = runner.advance(10);
        calls += 1;
        let slice = runner.take_judged();
        seeds += slice.seeds;
        failing += slice.failing_seeds;
        for (i, c) in slice.checks.iter().enumerate() {
            failed_per_check[i] += c.failed;
            first_failing[i] = first_failing[i].or(c.first_failing_seed);
        }
        if finished {
            break;
        }
        assert!(calls < 100_000, "the sweep never ended");
    }
    assert_eq!(seeds, 12);
    assert_eq!(failing, whole.failing_seeds);
    for (i, c) in whole.checks.iter().enumerate() {
        assert_eq!(failed_per_check[i], c.failed, "{}", c.name);
        assert_eq!(first_failing[i], c.first_failing_seed, "{}", c.name);
    }
    assert!(calls > 12, "seeds were cut into slices: {calls} calls");
    // Nothing is left once it said it finished.
    assert!(runner.advance(10));
    assert_eq!(runner.take_judged().seeds, 0);
}
