//! Workflows in scenario files: `[[workflows]]` parse, validate with paths,
//! run from a handler's `workflows.start`, feed the workflow metrics, and a
//! failed execution counts as lost work. Also metric checks of one client.

use event_playground::scenario::{parse, run_seed, CheckResult, Scenario};

fn scenario(text: &str) -> Scenario {
    parse("t.toml", text).unwrap_or_else(|d| panic!("{}", d[0]))
}

fn checks(s: &Scenario, seed: u64) -> Vec<CheckResult> {
    run_seed(s, seed).0.checks
}

/// An editor's saves go through a queue to a handler that hands each one
/// to workflow `publish`; `{PUBLISH}` is the publish step's code.
const SAVES_TO_WORKFLOW: &str = r#"
[scenario]
name = "t"

[[queues]]
name = "saves"

[[functions]]
name = "start"
code = '''
fn handler(event, context) {
    for record in event.Records {
        workflows.start("publish", record.body, record.body.doc + "-" + record.body.version);
    }
}
'''

[[functions]]
name = "keep"
code = '''
fn handler(event, context) {
    drafts.save(event.doc, event.version, event);
}
'''

[[functions]]
name = "publish"
code = '''{PUBLISH}'''

[[mappings]]
name = "saves-to-start"
queue = "saves"
function = "start"
batch_size = 1

[[workflows]]
name = "publish"
start_at = "keep-draft"

[[workflows.steps]]
name = "keep-draft"
kind = "task"
function = "keep"
next = "settle"

[[workflows.steps]]
name = "settle"
kind = "wait"
wait_ms = 1000
next = "publish-latest"

[[workflows.steps]]
name = "publish-latest"
kind = "task"
function = "publish"
retry = { max_attempts = 2, interval_ms = 500, backoff_rate = 2.0 }

[[clients]]
name = "editor"
kind = "editor"
target = { queue = "saves" }
interval_ms = 100
"#;

const PUBLISH_LATEST: &str = r#"
fn handler(event, context) {
    let latest = drafts.latest(event.doc);
    store.put(event.doc, latest.body, latest.version);
}
"#;

fn saves_to_workflow(publish: &str, checks: &str) -> Scenario {
    scenario(&format!(
        "{}\n{checks}",
        SAVES_TO_WORKFLOW.replace("{PUBLISH}", publish)
    ))
}

#[test]
fn a_workflow_scenario_runs_and_its_metrics_count_executions() {
    let s = saves_to_workflow(
        PUBLISH_LATEST,
        r#"
[[checks]]
kind = "final_value"
key = "doc-1"
equals = "v1.2"

[[checks]]
kind = "metric"
metric = "workflow_executions"
at_least = 3
at_most = 3

[[checks]]
kind = "metric"
metric = "workflow_failures"
at_most = 0

[[checks]]
kind = "no_message_lost"
"#,
    );
    for seed in 0..20 {
        for c in checks(&s, seed) {
            assert!(c.ok, "seed {seed}: {}: {}", c.name, c.detail);
        }
    }
}

#[test]
fn a_failed_execution_is_lost_work_and_says_where() {
    let s = saves_to_workflow(
        "fn handler(event, context) { throw \"renderer down\"; }",
        r#"
[[checks]]
kind = "no_message_lost"

[[checks]]
kind = "metric"
metric = "workflow_retries"
at_most = 0
"#,
    );
    let results = checks(&s, 1);
    assert!(!results[0].ok);
    assert!(
        results[0]
            .detail
            .contains("of workflow publish failed at step publish-latest"),
        "{}",
        results[0].detail
    );
    assert!(
        results[0].detail.contains("renderer down"),
        "{}",
        results[0].detail
    );
    // 3 executions, 2 retries each.
    assert!(!results[1].ok);
    assert!(
        results[1].detail.contains("but it was 6"),
        "{}",
        results[1].detail
    );
}

#[test]
fn workflow_steps_are_validated_with_their_paths() {
    let broken = SAVES_TO_WORKFLOW
        .replace("{PUBLISH}", PUBLISH_LATEST)
        .replace("function = \"keep\"", "function = \"kept\"");
    let problems = parse("t.toml", &broken).unwrap_err();
    let text: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
    assert!(
        text.iter()
            .any(|p| p.contains("workflows[0].steps[0].function") && p.contains("kept")),
        "{text:?}"
    );

    let looped = SAVES_TO_WORKFLOW
        .replace("{PUBLISH}", PUBLISH_LATEST)
        .replace("next = \"settle\"", "next = \"setle\"");
    let problems = parse("t.toml", &looped).unwrap_err();
    let text: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
    assert!(text.iter().any(|p| p.contains("setle")), "{text:?}");
}

const TWO_CLIENTS: &str = r#"
[scenario]
name = "t"

[[functions]]
name = "api"
code = "fn handler(event, context) { }"

[[endpoints]]
name = "saves"
function = "api"
rate_per_second = 5

[[clients]]
name = "calm"
kind = "editor"
target = { endpoint = "saves" }
interval_ms = 1000

[[clients]]
name = "burst"
kind = "burst"
target = { endpoint = "saves" }
count = 40
"#;

#[test]
fn a_metric_check_can_read_one_client() {
    let s = scenario(&format!(
        r#"{TWO_CLIENTS}
[[checks]]
kind = "metric"
metric = "throttled_requests"
client = "calm"
at_most = 0

[[checks]]
kind = "metric"
metric = "throttled_requests"
client = "burst"
at_most = 0
"#
    ));
    let results = checks(&s, 1);
    assert_eq!(results[0].name, "throttled_requests of calm <= 0");
    assert!(results[0].ok, "{}", results[0].detail);
    assert!(
        !results[1].ok,
        "the burst is throttled: {}",
        results[1].detail
    );
}

#[test]
fn a_client_metric_check_names_a_real_client_and_a_client_metric() {
    let bad_client = format!(
        "{TWO_CLIENTS}\n[[checks]]\nkind = \"metric\"\nmetric = \"retries\"\nclient = \"calmm\"\nat_most = 0\n"
    );
    let text: Vec<String> = parse("t.toml", &bad_client)
        .unwrap_err()
        .iter()
        .map(|p| p.to_string())
        .collect();
    assert!(
        text.iter().any(|p| p.contains("checks[0].client")),
        "{text:?}"
    );

    let not_per_client = format!(
        "{TWO_CLIENTS}\n[[checks]]\nkind = \"metric\"\nmetric = \"cold_starts\"\nclient = \"calm\"\nat_most = 0\n"
    );
    let text: Vec<String> = parse("t.toml", &not_per_client)
        .unwrap_err()
        .iter()
        .map(|p| p.to_string())
        .collect();
    assert!(
        text.iter().any(|p| p.contains("checks[0].metric")),
        "{text:?}"
    );
}
