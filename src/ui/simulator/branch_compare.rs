//! Two branches' checks and metrics side by side (issue 19, "Compare"), as
//! rows the history view draws; pure (tests/ui_branch_tree.rs).

use super::branch_tree::{BranchSummary, BranchTree};

/// One row: a check or a metric, its value in each branch, and whether
/// they differ (the view marks those in words, not colour alone).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CompareRow {
    /// The check's name or the metric's label.
    pub label: String,
    /// In the first branch ("passed", "failed", a number, or "not measured").
    pub first: String,
    /// In the second branch.
    pub second: String,
    /// The two differ.
    pub differs: bool,
}

/// The comparison of two branches.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Comparison {
    /// "Branch 1" and "Branch 2".
    pub names: (String, String),
    /// Checks first, then metrics.
    pub rows: Vec<CompareRow>,
}

/// Branches `first` and `second` of `tree` side by side, or why not.
pub fn compare(tree: &BranchTree, first: usize, second: usize) -> Result<Comparison, String> {
    let branches = tree.branches();
    let (Some(a), Some(b)) = (branches.get(first), branches.get(second)) else {
        return Err(format!("There are {} branches.", branches.len()));
    };
    if first == second {
        return Err("Choose two different branches to compare.".to_string());
    }
    let mut rows = check_rows(&a.summary, &b.summary);
    rows.extend(metric_rows(&a.summary, &b.summary));
    Ok(Comparison {
        names: (
            format!("Branch {}", first + 1),
            format!("Branch {}", second + 1),
        ),
        rows,
    })
}

fn row(label: &str, first: String, second: String) -> CompareRow {
    CompareRow {
        label: label.to_string(),
        differs: first != second,
        first,
        second,
    }
}

/// Every check of either branch, in the first's order then the second's.
fn check_rows(a: &BranchSummary, b: &BranchSummary) -> Vec<CompareRow> {
    let verdict = |s: &BranchSummary, name: &str| {
        s.checks
            .iter()
            .find(|(n, _)| n == name)
            .map_or(
                "not judged",
                |(_, ok)| if *ok { "passed" } else { "failed" },
            )
            .to_string()
    };
    let mut names: Vec<&String> = a.checks.iter().map(|(n, _)| n).collect();
    for (name, _) in &b.checks {
        if !names.contains(&name) {
            names.push(name);
        }
    }
    names
        .into_iter()
        .map(|name| row(name, verdict(a, name), verdict(b, name)))
        .collect()
}

/// Every metric of either branch, in the same way.
fn metric_rows(a: &BranchSummary, b: &BranchSummary) -> Vec<CompareRow> {
    let value = |s: &BranchSummary, label: &str| {
        s.metrics
            .iter()
            .find(|(l, _)| l == label)
            .map_or("not measured".to_string(), |(_, v)| v.to_string())
    };
    let mut labels: Vec<&String> = a.metrics.iter().map(|(l, _)| l).collect();
    for (label, _) in &b.metrics {
        if !labels.contains(&label) {
            labels.push(label);
        }
    }
    labels
        .into_iter()
        .map(|label| row(label, value(a, label), value(b, label)))
        .collect()
}
