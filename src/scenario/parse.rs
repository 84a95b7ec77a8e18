//! Text to a validated [`Scenario`]: size limit, TOML and serde (unknown
//! fields, wrong types), then [`super::validate`] (references, ranges,
//! kinds), then the engine's own checks (AWS ranges) by building a world
//! once. Every problem becomes a located [`Diagnostic`].

use super::diagnostic::Diagnostic;
use super::files::{relative_to, FileReader};
use super::format::{FunctionSection, ScenarioFile};
use super::limits::MAX_CODE_FILE_BYTES;
use super::limits::MAX_SCENARIO_BYTES;
use super::locate::{locate, path_at};
use super::refusal::RunRefusal;
use super::validate::{validate, Problem};
use crate::sim::{FunctionConfig, SimError, World, WorldConfig};

/// A scenario that passed every check.
#[derive(Clone, Debug, PartialEq)]
pub struct Scenario {
    /// Where it came from, for messages.
    pub file: String,
    /// The parsed file.
    pub config: ScenarioFile,
    /// The functions with their code resolved (inline, `code_file`, or a
    /// `--code` replacement), in file order.
    pub functions: Vec<FunctionConfig>,
}

impl Scenario {
    /// The engine config of a run with `seed`.
    pub fn world_config(&self, seed: u64) -> WorldConfig {
        WorldConfig {
            seed,
            limits: self.config.limits.clone(),
            queues: self.config.queues.clone(),
            topics: self.config.topics.clone(),
            consumers: self.config.consumers.clone(),
            faults: self.config.faults.clone(),
            functions: self.functions.clone(),
            mappings: self.config.mappings.clone(),
            endpoints: self.config.endpoints.clone(),
            account_concurrency_limit: self.config.account.concurrency_limit,
            workflows: self.config.workflows.clone(),
            store: self.config.store.clone(),
        }
    }

    /// Replaces the code of function `name` (`sim --code NAME=FILE`, the
    /// editor in the UI). Errors name the functions that exist.
    pub fn replace_code(&mut self, name: &str, code: String) -> Result<(), String> {
        match self.functions.iter_mut().find(|f| f.name == name) {
            Some(f) => {
                f.code = code;
                Ok(())
            }
            None => {
                let known: Vec<&str> = self.functions.iter().map(|f| f.name.as_str()).collect();
                Err(format!(
                    "no function is called `{name}`; this scenario defines: {}",
                    if known.is_empty() {
                        "none".to_string()
                    } else {
                        known.join(", ")
                    }
                ))
            }
        }
    }

    /// Checks the engine accepts the scenario as it is now (after code
    /// replacements); a refusal keeps the line of code at fault.
    pub fn engine_check(&self) -> Result<(), RunRefusal> {
        World::new(self.world_config(self.config.scenario.seed))
            .map(|_| ())
            .map_err(RunRefusal::from)
    }

    /// The scenario as TOML (for sharing and round-trip tests).
    pub fn to_toml(&self) -> String {
        toml::to_string(&self.config).unwrap_or_default()
    }
}

/// A reader for scenarios that may not name files.
struct NoFiles;

impl FileReader for NoFiles {
    fn read(&self, path: &str) -> Result<String, String> {
        Err(format!(
            "cannot read {path}: this scenario was given as text, without its folder"
        ))
    }
}

/// Parses and validates scenario text that names no `code_file`.
pub fn parse(file: &str, text: &str) -> Result<Scenario, Vec<Diagnostic>> {
    parse_with(file, text, &NoFiles)
}

/// Parses and validates scenario text. `file` names it in diagnostics and
/// `code_file` paths are relative to it, read through `files`. On failure,
/// every problem found (at least one), the first being the one to fix first.
pub fn parse_with(
    file: &str,
    text: &str,
    files: &dyn FileReader,
) -> Result<Scenario, Vec<Diagnostic>> {
    if text.len() > MAX_SCENARIO_BYTES {
        return Err(vec![Diagnostic::new(
            file,
            format!(
                "the scenario is {} bytes; the limit is {MAX_SCENARIO_BYTES} bytes",
                text.len()
            ),
        )]);
    }
    let config: ScenarioFile = match toml::from_str(text) {
        Ok(config) => config,
        Err(err) => return Err(vec![toml_diagnostic(file, text, &err)]),
    };
    let problems = validate(&config);
    if !problems.is_empty() {
        return Err(problems.into_iter().map(|p| place(file, text, p)).collect());
    }
    let mut functions = Vec::new();
    let mut diagnostics = Vec::new();
    for (i, section) in config.functions.iter().enumerate() {
        match resolve_function(file, text, i, section, files) {
            Ok(f) => functions.push(f),
            Err(d) => diagnostics.push(*d),
        }
    }
    if !diagnostics.is_empty() {
        return Err(diagnostics);
    }
    let scenario = Scenario {
        file: file.to_string(),
        config,
        functions,
    };
    if let Err(err) = World::new(scenario.world_config(scenario.config.scenario.seed)) {
        if let Some(d) = handler_diagnostic(file, text, &scenario.config, &err) {
            return Err(vec![d]);
        }
        return Err(vec![place(
            file,
            text,
            engine_problem(&scenario.config, &err),
        )]);
    }
    Ok(scenario)
}

/// Builds the engine's function config from a section: its code from
/// `code` or `code_file`, its settings checked by the engine's own type.
fn resolve_function(
    file: &str,
    text: &str,
    i: usize,
    section: &FunctionSection,
    files: &dyn FileReader,
) -> Result<FunctionConfig, Box<Diagnostic>> {
    let code = function_code(file, section, files).map_err(|p| {
        let field = format!("functions[{i}].{}", p.field);
        Box::new(place(file, text, Problem { field, ..p }))
    })?;
    let mut table = section.settings.clone();
    table.insert("name".into(), toml::Value::String(section.name.clone()));
    table.insert("code".into(), toml::Value::String(code));
    toml::Value::Table(table)
        .try_into::<FunctionConfig>()
        .map_err(|err| {
            let mut d = Diagnostic::from_toml(file, text, &err);
            let field = d.field.clone().unwrap_or_default();
            let path = format!("functions[{i}].{field}");
            if let Some(span) = locate(text, &path) {
                d = d.at_offset(text, span.start);
            } else if let Some(span) = locate(text, &format!("functions[{i}]")) {
                d = d.at_offset(text, span.start);
            }
            d.field = Some(path);
            Box::new(d)
        })
}

/// A function's code, inline (`code`) or read from its `code_file`; a
/// problem names its field within the section.
fn function_code(
    file: &str,
    section: &FunctionSection,
    files: &dyn FileReader,
) -> Result<String, Problem> {
    let problem = |field: &str, message: String, suggestion: Option<String>| Problem {
        field: field.to_string(),
        message,
        suggestion,
    };
    let path = match (&section.code, &section.code_file) {
        (Some(_), Some(_)) => {
            return Err(problem(
                "code_file",
                "give the code inline (`code`) or in a file (`code_file`), not both".into(),
                Some("remove one of them".into()),
            ))
        }
        (None, None) => {
            return Err(problem(
                "name",
                format!("function `{}` has no code", section.name),
                Some("add `code = '''...'''` or `code_file = \"handler.rhai\"`".into()),
            ))
        }
        (Some(code), None) => return Ok(code.clone()),
        (None, Some(path)) => path,
    };
    if let Some(reason) = code_file_outside(path) {
        return Err(problem(
            "code_file",
            format!("`{path}` {reason}"),
            Some("put the handler next to the scenario (or in a folder below it) and name it relative to the scenario, like `handlers/save.rhai`".into()),
        ));
    }
    let full = relative_to(file, path);
    let code = files
        .read(&full)
        .map_err(|e| problem("code_file", format!("cannot read `{full}`: {e}"), None))?;
    if code.len() > MAX_CODE_FILE_BYTES {
        return Err(problem(
            "code_file",
            format!(
                "`{full}` is {} bytes; the limit is {MAX_CODE_FILE_BYTES} bytes",
                code.len()
            ),
            None,
        ));
    }
    Ok(code)
}

/// A toml error with its field named as a full path (`queues[0].visibilty_timeout_ms`).
fn toml_diagnostic(file: &str, text: &str, err: &toml::de::Error) -> Diagnostic {
    let mut d = Diagnostic::from_toml(file, text, err);
    let Some(span) = err.span() else { return d };
    let unknown_key =
        d.message.starts_with("unknown field") || d.message.starts_with("missing field");
    let at = path_at(text, span.start);
    d.field = match (at, d.field.take()) {
        // The span of an unknown or missing field is its table (or the key
        // itself, which the table's path already ends with).
        (Some(path), Some(field)) if unknown_key => {
            let table = path
                .strip_suffix(&format!(".{field}"))
                .unwrap_or(&path)
                .to_string();
            let table = if table == field { String::new() } else { table };
            Some(if table.is_empty() {
                field
            } else {
                format!("{table}.{field}")
            })
        }
        (Some(path), _) => Some(path),
        (None, field) => field,
    };
    d
}

/// A handler that does not compile, placed at its line: in the scenario
/// file for inline `code`, in the code file for `code_file`.
fn handler_diagnostic(
    file: &str,
    text: &str,
    config: &ScenarioFile,
    err: &SimError,
) -> Option<Diagnostic> {
    let SimError::HandlerCompile {
        function,
        line,
        column,
        message,
    } = err
    else {
        return None;
    };
    let i = config.functions.iter().position(|f| &f.name == function)?;
    let section = &config.functions[i];
    let mut d = Diagnostic::new(
        file,
        format!("the handler of `{function}` does not compile: {message}"),
    );
    d.column = column.map(|c| c as usize);
    let handler_line = line.map(|l| l as usize);
    if let Some(code_file) = &section.code_file {
        d.file = relative_to(file, code_file);
        d.field = Some(format!("functions[{i}].code_file"));
        d.line = handler_line;
        return Some(d);
    }
    d.field = Some(format!("functions[{i}].code"));
    let Some(span) = locate(text, &format!("functions[{i}].code")) else {
        return Some(d);
    };
    let (value_line, value_column) = super::diagnostic::line_column(text, span.start);
    let value = &text[span.start.min(text.len())..];
    // A multi-line string drops a newline right after its opening quotes.
    let skip = ["\"\"\"\n", "'''\n", "\"\"\"\r\n", "'''\r\n"]
        .iter()
        .any(|open| value.starts_with(open));
    match handler_line {
        Some(l) => {
            d.line = Some(value_line + l - 1 + usize::from(skip));
            if l == 1 && !skip {
                d.column = d.column.map(|c| c + value_column);
            }
        }
        None => {
            d.line = Some(value_line);
            d.column = Some(value_column);
        }
    }
    Some(d)
}

/// Puts a problem at its field's place in the text.
pub fn place(file: &str, text: &str, problem: Problem) -> Diagnostic {
    let mut d = Diagnostic::new(file, problem.message).with_field(problem.field.clone());
    if let Some(span) = locate(text, &problem.field) {
        d = d.at_offset(text, span.start);
    }
    d.suggestion = problem.suggestion;
    d
}

/// Translates an engine refusal into a field path of the scenario.
fn engine_problem(config: &ScenarioFile, err: &SimError) -> Problem {
    let (component, field) = match err {
        SimError::OutOfRange {
            component, field, ..
        }
        | SimError::InvalidConfig {
            component, field, ..
        } => (component.as_str(), *field),
        SimError::DeadLetterQueueTypeMismatch { queue, .. } => {
            return Problem {
                field: format!(
                    "{}.redrive_policy.dead_letter_queue",
                    component_path(config, &format!("queue {queue}"))
                ),
                message: err.to_string(),
                suggestion: Some(
                    "a FIFO queue needs a FIFO dead-letter queue, a standard queue a standard one"
                        .into(),
                ),
            };
        }
        other => {
            return Problem {
                field: String::new(),
                message: other.to_string(),
                suggestion: None,
            }
        }
    };
    let base = component_path(config, component);
    let field = field.strip_prefix("latency.").unwrap_or(field);
    let message = match err {
        SimError::OutOfRange {
            value, min, max, ..
        } => format!("{value} is out of range: allowed {min} to {max}"),
        SimError::InvalidConfig { reason, .. } => reason.clone(),
        _ => err.to_string(),
    };
    Problem {
        field: if base.is_empty() {
            field.to_string()
        } else {
            format!("{base}.{field}")
        },
        message,
        suggestion: None,
    }
}

/// `queue orders` to `queues[2]`, `topic t subscription s` to
/// `topics[0].subscriptions[1]`, `limits` to `limits`.
fn component_path(config: &ScenarioFile, component: &str) -> String {
    let mut words = component.splitn(2, ' ');
    let kind = words.next().unwrap_or("");
    let rest = words.next().unwrap_or("");
    let index_of = |names: Vec<&str>, name: &str| names.iter().position(|n| *n == name);
    match kind {
        "queue" => index_of(
            config.queues.iter().map(|q| q.name.as_str()).collect(),
            rest,
        )
        .map_or_else(|| "queues".to_string(), |i| format!("queues[{i}]")),
        "consumer" => index_of(
            config.consumers.iter().map(|c| c.name.as_str()).collect(),
            rest,
        )
        .map_or_else(|| "consumers".to_string(), |i| format!("consumers[{i}]")),
        "topic" => {
            let (topic, sub) = match rest.split_once(" subscription ") {
                Some((t, s)) => (t, Some(s)),
                None => (rest, None),
            };
            let Some(t) = config.topics.iter().position(|t| t.name == topic) else {
                return "topics".to_string();
            };
            let sub_index = sub.and_then(|s| {
                config.topics[t]
                    .subscriptions
                    .iter()
                    .position(|x| x.name == s)
            });
            match sub_index {
                Some(j) => format!("topics[{t}].subscriptions[{j}]"),
                None => format!("topics[{t}]"),
            }
        }
        "function" => index_of(
            config.functions.iter().map(|f| f.name.as_str()).collect(),
            rest,
        )
        .map_or_else(|| "functions".to_string(), |i| format!("functions[{i}]")),
        "event" => {
            let name = rest.strip_prefix("source mapping ").unwrap_or(rest);
            index_of(
                config.mappings.iter().map(|m| m.name.as_str()).collect(),
                name,
            )
            .map_or_else(|| "mappings".to_string(), |i| format!("mappings[{i}]"))
        }
        "endpoint" => index_of(
            config.endpoints.iter().map(|e| e.name.as_str()).collect(),
            rest,
        )
        .map_or_else(|| "endpoints".to_string(), |i| format!("endpoints[{i}]")),
        "account" => "account".to_string(),
        "limits" => "limits".to_string(),
        "fault" => "faults".to_string(),
        _ => String::new(),
    }
}

/// Why `code_file` may not name `path`, if it may not: the file must stay
/// inside the scenario's folder (a shared or downloaded scenario must not
/// read the rest of the disk; issue 17).
fn code_file_outside(path: &str) -> Option<&'static str> {
    if path.starts_with('/') || path.starts_with('\\') || path.get(1..2) == Some(":") {
        return Some("is an absolute path; code_file must stay inside the scenario's folder");
    }
    if path.split(['/', '\\']).any(|part| part == "..") {
        return Some("leaves the scenario's folder (`..`); code_file must stay inside it");
    }
    None
}
