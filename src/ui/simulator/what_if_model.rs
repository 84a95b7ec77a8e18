//! The "what if?" acts the playground offers on the component inspected at
//! a paused moment (issue 19, docs/interventions.md): each a button's name
//! and the intervention it starts a branch with. Pure
//! (tests/ui_what_if_model.rs); `what_if.rs` draws the buttons.

use super::playground_model::PlaygroundSetup;
use super::topology_model::{Node, NodeKind};
use crate::sim::{Intervention, InterventionKind, Parameters, WorldSnapshot};

/// How much later "Delay message" makes a message receivable.
pub const DELAY_MS: u64 = 1_000;

/// How long "Store down" takes the store down unless the learner says.
pub const STORE_DOWN_MS: u64 = 5_000;

/// One button: its accessible name and what it does.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Act {
    /// The button's text and name ("Duplicate message m3").
    pub label: String,
    /// The intervention it applies.
    pub intervention: Intervention,
}

fn act(label: String, at_ms: u64, kind: InterventionKind, target: &str, p: Parameters) -> Act {
    Act {
        label,
        intervention: Intervention {
            at_ms,
            kind,
            target: target.to_string(),
            parameters: p,
        },
    }
}

/// The acts on `node` as it is in `s`, at `at_ms`.
pub fn acts(node: &Node, s: &WorldSnapshot, at_ms: u64) -> Vec<Act> {
    let name = node.name.as_str();
    match node.kind {
        NodeKind::Queue | NodeKind::DeadLetterQueue => message_acts(s, name, at_ms),
        NodeKind::Function => function_acts(s, name, at_ms),
        NodeKind::Consumer => pause_acts(name, at_ms, false),
        _ => Vec::new(),
    }
}

/// Duplicate, drop and delay for each stored copy of each message.
fn message_acts(s: &WorldSnapshot, queue: &str, at_ms: u64) -> Vec<Act> {
    let Some(q) = s.queues.iter().find(|q| q.name.as_str() == queue) else {
        return Vec::new();
    };
    let mut acts = Vec::new();
    for m in &q.messages {
        let several = q
            .messages
            .iter()
            .any(|o| o.message_id == m.message_id && o.copy != m.copy);
        let id = if several {
            format!("{} (copy {})", m.message_id, m.copy)
        } else {
            m.message_id.to_string()
        };
        let p = Parameters {
            message_id: Some(m.message_id.0),
            copy: several.then_some(m.copy),
            ..Parameters::default()
        };
        let delay = Parameters {
            delay_ms: Some(DELAY_MS),
            ..p.clone()
        };
        use InterventionKind as K;
        acts.push(act(
            format!("Duplicate message {id}"),
            at_ms,
            K::DuplicateMessage,
            queue,
            p.clone(),
        ));
        acts.push(act(
            format!("Drop message {id}"),
            at_ms,
            K::DropMessage,
            queue,
            p,
        ));
        acts.push(act(
            format!("Delay message {id}"),
            at_ms,
            K::DelayMessage,
            queue,
            delay,
        ));
    }
    acts
}

/// Crash each busy environment; pause or resume each mapping invoking it.
fn function_acts(s: &WorldSnapshot, function: &str, at_ms: u64) -> Vec<Act> {
    let mut acts: Vec<Act> = s
        .functions
        .iter()
        .filter(|f| f.name.as_str() == function)
        .flat_map(|f| f.environments.iter().filter(|e| e.busy))
        .map(|e| {
            let p = Parameters {
                environment: Some(e.id),
                ..Parameters::default()
            };
            let label = format!("Crash environment {}", e.id);
            act(
                label,
                at_ms,
                InterventionKind::CrashEnvironment,
                function,
                p,
            )
        })
        .collect();
    for m in s.mappings.iter().filter(|m| m.config.function == function) {
        acts.extend(pause_acts(m.name.as_str(), at_ms, true));
    }
    acts
}

/// Pause and resume a consumer (or a mapping): the engine refuses the one
/// that does not apply now, in words.
fn pause_acts(name: &str, at_ms: u64, mapping: bool) -> Vec<Act> {
    use InterventionKind as K;
    let (what, pause, resume) = if mapping {
        ("mapping", K::PauseMapping, K::ResumeMapping)
    } else {
        ("consumer", K::PauseConsumer, K::ResumeConsumer)
    };
    let none = Parameters::default;
    vec![
        act(format!("Pause {what} {name}"), at_ms, pause, name, none()),
        act(format!("Resume {what} {name}"), at_ms, resume, name, none()),
    ]
}

/// The store down for `duration_ms` from `at_ms`.
pub fn store_down(at_ms: u64, duration_ms: u64) -> Intervention {
    Intervention {
        at_ms,
        kind: InterventionKind::StoreDown,
        target: "store".to_string(),
        parameters: Parameters {
            duration_ms: Some(duration_ms),
            ..Parameters::default()
        },
    }
}

/// One more message with `body` sent to queue (or published to topic)
/// `target` by hand; none for other components.
pub fn by_hand(node: &Node, at_ms: u64, body: &str) -> Option<Intervention> {
    let kind = match node.kind {
        NodeKind::Queue | NodeKind::DeadLetterQueue => InterventionKind::Send,
        NodeKind::Topic => InterventionKind::Publish,
        _ => return None,
    };
    Some(Intervention {
        at_ms,
        kind,
        target: node.name.clone(),
        parameters: Parameters {
            body: Some(body.to_string()),
            ..Parameters::default()
        },
    })
}

/// "Run this code from here": function `function` runs `code` for every
/// invocation that starts from `at_ms` on, in new environments (the
/// `change_code` kind, docs/interventions.md).
pub fn change_code(function: &str, at_ms: u64, code: &str) -> Intervention {
    let parameters = Parameters {
        code: Some(code.to_string()),
        ..Parameters::default()
    };
    act(
        String::new(),
        at_ms,
        InterventionKind::ChangeCode,
        function,
        parameters,
    )
    .intervention
}

/// The code function `function` ran in a run of `run_code`: the run's own
/// for the function the learner edits, the scenario's for the others.
pub fn code_of(setup: &PlaygroundSetup, function: &str, run_code: &str) -> String {
    if setup.editable_function().as_deref() == Some(function) {
        return run_code.to_string();
    }
    setup
        .scenario
        .functions
        .iter()
        .find(|f| f.name == function)
        .map(|f| f.code.clone())
        .unwrap_or_default()
}
