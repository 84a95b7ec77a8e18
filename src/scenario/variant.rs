//! Applies an exercise's variant ([`crate::lessons::variant::Variant`]) to
//! its scenario: the scenario is written back to TOML with every function's
//! code inline, patched, and parsed again, so a variant goes through every
//! check a scenario does (references, ranges, the engine's AWS limits).

use super::diagnostic::Diagnostic;
use super::parse::{parse, Scenario};
use crate::lessons::variant::Variant;

/// The scenario of `variant`, or a sentence saying why it is not valid.
pub fn apply(base: &Scenario, variant: &Variant) -> Result<Scenario, String> {
    let mut config = base.config.clone();
    // The resolved code goes inline, so the patched text stands alone.
    for section in &mut config.functions {
        if let Some(f) = base.functions.iter().find(|f| f.name == section.name) {
            section.code = Some(f.code.clone());
            section.code_file = None;
        }
    }
    let mut table =
        toml::Table::try_from(&config).map_err(|e| format!("variant `{}`: {e}", variant.name))?;
    for (section, patches) in variant.patches() {
        merge_named(&mut table, section, patches);
    }
    if let Some(store) = &variant.store {
        merge_table(&mut table, "store", store);
    }
    if variant.replace_faults {
        table.remove("faults");
    }
    append(&mut table, "faults", &variant.faults);
    let text = toml::to_string(&table).map_err(|e| format!("variant `{}`: {e}", variant.name))?;
    parse(&base.file, &text).map_err(|diagnostics| {
        let lines: Vec<String> = diagnostics.iter().map(describe).collect();
        format!("variant `{}`: {}", variant.name, lines.join("; "))
    })
}

/// A diagnostic without the line of the generated text (meaningless to the
/// author): its field and message.
fn describe(d: &Diagnostic) -> String {
    match &d.field {
        Some(field) => format!("{field}: {}", d.message),
        None => d.message.clone(),
    }
}

/// Each patch changes the fields it names of the entry of `section` with
/// the same `name`; a patch whose name is new is added as an entry.
fn merge_named(table: &mut toml::Table, section: &str, patches: &[toml::Table]) {
    if patches.is_empty() {
        return;
    }
    let entries = section_entries(table, section);
    for patch in patches {
        let name = patch.get("name");
        let target = entries
            .iter_mut()
            .filter_map(toml::Value::as_table_mut)
            .find(|entry| entry.get("name") == name);
        match target {
            Some(entry) => {
                for (key, value) in patch {
                    entry.insert(key.clone(), value.clone());
                }
            }
            None => entries.push(toml::Value::Table(patch.clone())),
        }
    }
}

/// The fields of `patch` replace those of the table `section` (created
/// when the scenario has none).
fn merge_table(table: &mut toml::Table, section: &str, patch: &toml::Table) {
    let value = table
        .entry(section.to_string())
        .or_insert_with(|| toml::Value::Table(toml::Table::new()));
    if let toml::Value::Table(entry) = value {
        for (key, field) in patch {
            entry.insert(key.clone(), field.clone());
        }
    }
}

fn append(table: &mut toml::Table, section: &str, extra: &[toml::Table]) {
    if extra.is_empty() {
        return;
    }
    let entries = section_entries(table, section);
    entries.extend(extra.iter().cloned().map(toml::Value::Table));
}

/// The array of `section`, created empty when the scenario has none.
fn section_entries<'a>(table: &'a mut toml::Table, section: &str) -> &'a mut Vec<toml::Value> {
    let value = table
        .entry(section.to_string())
        .or_insert_with(|| toml::Value::Array(Vec::new()));
    if !value.is_array() {
        *value = toml::Value::Array(Vec::new());
    }
    match value {
        toml::Value::Array(entries) => entries,
        _ => unreachable!("made an array just above"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::{Fault, Latency};

    const BASE: &str = r#"
[scenario]
name = "base"
[[queues]]
name = "saves"
[[functions]]
name = "save"
code = "fn handler(event, context) {}"
[[mappings]]
name = "m"
queue = "saves"
function = "save"
[[clients]]
name = "editor"
kind = "editor"
target = { queue = "saves" }
[[checks]]
kind = "no_message_lost"
"#;

    fn variant(extra: &str) -> Variant {
        toml::from_str(&format!("name = \"v\"\ncatches = \"x\"\n{extra}")).unwrap()
    }

    #[test]
    fn a_variant_adds_faults_and_changes_named_fields_only() {
        let base = parse("base.toml", BASE).unwrap();
        let v = variant(
            "faults = [{ kind = \"store_errors\", until_ms = 500 }]\nclients = [{ name = \"editor\", versions = [\"v1.9\", \"v2.0\"] }]\nfunctions = [{ name = \"save\", timeout_ms = 2000 }]",
        );
        let changed = apply(&base, &v).unwrap();
        assert!(matches!(
            changed.config.faults[..],
            [Fault::StoreErrors { until_ms: 500, .. }]
        ));
        let client = &changed.config.clients[0];
        assert_eq!(client.versions.as_deref().unwrap(), ["v1.9", "v2.0"]);
        assert_eq!(client.kind, base.config.clients[0].kind);
        assert_eq!(changed.functions[0].timeout_ms, 2000);
        assert_eq!(changed.functions[0].code, base.functions[0].code);
        assert!(base.config.faults.is_empty(), "the base is untouched");
    }

    /// A `store` patch replaces the latencies it names and keeps the others.
    #[test]
    fn a_variant_changes_the_store_fields_it_names() {
        let base = parse("base.toml", BASE).unwrap();
        let slow = variant(
            "store = { write_latency = { kind = \"log_normal\", median_ms = 8, sigma = 1.0 } }",
        );
        let changed = apply(&base, &slow).unwrap();
        assert_eq!(
            changed.config.store.write_latency,
            Latency::LogNormal {
                median_ms: 8,
                sigma: 1.0
            }
        );
        assert_eq!(
            changed.config.store.read_latency,
            base.config.store.read_latency
        );
        assert_ne!(changed.config.store, base.config.store);
        let wrong = variant("store = { write_latency = { kind = \"fixed\", ms = -1 } }");
        assert!(apply(&base, &wrong).unwrap_err().contains("variant `v`"));
    }

    #[test]
    fn a_variant_that_breaks_the_scenario_says_where() {
        let base = parse("base.toml", BASE).unwrap();
        let wrong = variant("mappings = [{ name = \"m\", queue = \"nope\" }]");
        let message = apply(&base, &wrong).unwrap_err();
        assert!(message.contains("variant `v`"), "{message}");
        assert!(message.contains("nope"), "{message}");
        let typo = variant("clients = [{ name = \"editor\", editorz = 3 }]");
        assert!(apply(&base, &typo).unwrap_err().contains("editorz"));
    }
}
