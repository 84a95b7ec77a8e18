//! The file-level import graph of one crate and its cycles.
//!
//! Definition (also in docs/architecture.md, "Import graph"): there is an
//! edge from file A to file B when A names, in a `use` or inline in code, a
//! `crate::`/`super::`/`self::` path (or a path starting at a child module
//! or an imported name) whose item is *defined* in B. Names are followed
//! through `use` and `pub use` aliases to the file that defines them, so a
//! facade `mod.rs` that only re-exports is not a hop. A `pub use` itself adds
//! a name, not a dependency, and is no edge.

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use super::lex::strip;
use super::scan::{scan, Binding, ModPath, Scanned};

/// The crate as the graph sees it: modules, their files, and their aliases.
#[derive(Default)]
pub struct Crate {
    files: BTreeMap<ModPath, String>,
    aliases: BTreeMap<ModPath, BTreeMap<String, Vec<String>>>,
    scanned: BTreeMap<String, Scanned>,
}

/// `file -> (file it imports from -> the first path that made the edge)`.
pub type Graph = BTreeMap<String, BTreeMap<String, String>>;

/// The module path of a library file: `src/lib.rs` is the root,
/// `src/a/mod.rs` and `src/a.rs` are `a`, `src/a/b.rs` is `a::b`.
pub fn module_of(file: &str) -> ModPath {
    let rel = file
        .strip_prefix("src/")
        .unwrap_or(file)
        .trim_end_matches(".rs");
    let mut path: ModPath = rel.split('/').map(str::to_string).collect();
    if matches!(path.last().map(String::as_str), Some("mod") | Some("lib")) {
        path.pop();
    }
    path
}

impl Crate {
    /// `sources` maps a path such as `src/sim/mod.rs` to its text.
    pub fn new(sources: &BTreeMap<String, String>) -> Crate {
        let mut krate = Crate::default();
        for (file, text) in sources {
            let module = module_of(file);
            let scanned = scan(&module, &strip(text));
            krate.files.insert(module, file.clone());
            for inline in &scanned.inline_modules {
                krate.files.insert(inline.clone(), file.clone());
            }
            krate.scanned.insert(file.clone(), scanned);
        }
        // Twice, so that a `use` starting at a name another `use` imported
        // resolves too.
        krate.collect_aliases();
        krate.collect_aliases();
        krate
    }

    fn collect_aliases(&mut self) {
        let mut aliases: BTreeMap<ModPath, BTreeMap<String, Vec<String>>> = BTreeMap::new();
        for scanned in self.scanned.values() {
            for u in &scanned.uses {
                let (Binding::Name(name), Some(abs)) =
                    (&u.binding, self.absolute(&u.module, &u.path))
                else {
                    continue;
                };
                aliases
                    .entry(u.module.clone())
                    .or_default()
                    .insert(name.clone(), abs);
            }
        }
        self.aliases = aliases;
    }

    /// `path` as written in `module`, made absolute; `None` for another crate.
    fn absolute(&self, module: &ModPath, path: &[String]) -> Option<Vec<String>> {
        let first = path.first()?.as_str();
        let (mut base, rest) = match first {
            "crate" => (Vec::new(), &path[1..]),
            "self" => (module.clone(), &path[1..]),
            "super" => (module.clone(), path),
            _ => {
                let mut child = module.clone();
                child.push(first.to_string());
                if self.files.contains_key(&child) {
                    (module.clone(), path)
                } else {
                    let alias = self.aliases.get(module)?.get(first)?;
                    (alias.clone(), &path[1..])
                }
            }
        };
        let mut rest = rest;
        while rest.first().map(String::as_str) == Some("super") {
            base.pop();
            rest = &rest[1..];
        }
        base.extend(rest.iter().cloned());
        Some(base)
    }

    /// The file that defines the item at the absolute `path`.
    fn defining_file(&self, path: &[String], hops: usize) -> Option<&String> {
        let mut module: ModPath = Vec::new();
        for (at, segment) in path.iter().enumerate() {
            let mut child = module.clone();
            child.push(segment.clone());
            if self.files.contains_key(&child) {
                module = child;
                continue;
            }
            let alias = self.aliases.get(&module).and_then(|a| a.get(segment));
            if let (Some(target), true) = (alias, hops < 16) {
                let mut next = target.clone();
                next.extend(path[at + 1..].iter().cloned());
                return self.defining_file(&next, hops + 1);
            }
            break;
        }
        self.files.get(&module)
    }

    /// Every edge of the graph, labelled with the path that made it.
    pub fn graph(&self) -> Graph {
        let mut graph = Graph::new();
        for (file, scanned) in &self.scanned {
            let edges = graph.entry(file.clone()).or_default();
            let imports = scanned
                .uses
                .iter()
                .filter(|u| !u.reexport)
                .map(|u| (&u.module, &u.path));
            let inline = scanned.references.iter().map(|r| (&r.module, &r.path));
            for (module, path) in imports.chain(inline) {
                let Some(abs) = self.absolute(module, path) else {
                    continue;
                };
                match self.defining_file(&abs, 0) {
                    Some(target) if target != file => {
                        edges
                            .entry(target.clone())
                            .or_insert_with(|| path.join("::"));
                    }
                    _ => {}
                }
            }
        }
        graph
    }
}

/// Every cycle, one per strongly connected component, each written as
/// `a.rs -> b.rs (crate::x::Y) -> a.rs (..)`. Empty when the graph is a DAG.
pub fn cycles(graph: &Graph) -> Vec<String> {
    components(graph)
        .into_iter()
        .filter(|c| c.len() > 1)
        .map(|component| describe(graph, &component))
        .collect()
}

/// Strongly connected components (Kosaraju: finish order, then the
/// reversed graph).
fn components(graph: &Graph) -> Vec<BTreeSet<String>> {
    let mut order = Vec::new();
    let mut seen = BTreeSet::new();
    for start in graph.keys() {
        finish_order(graph, start, &mut seen, &mut order);
    }
    let mut reversed: BTreeMap<&String, Vec<&String>> = BTreeMap::new();
    for (from, edges) in graph {
        for to in edges.keys() {
            reversed.entry(to).or_default().push(from);
        }
    }
    let mut assigned = BTreeSet::new();
    let mut out = Vec::new();
    for start in order.iter().rev() {
        if assigned.contains(start) {
            continue;
        }
        let mut component = BTreeSet::new();
        let mut stack = vec![start.clone()];
        while let Some(node) = stack.pop() {
            if assigned.insert(node.clone()) {
                component.insert(node.clone());
                let preds = reversed.get(&node).into_iter().flatten();
                stack.extend(
                    preds
                        .filter(|p| !assigned.contains(**p))
                        .map(|p| (*p).clone()),
                );
            }
        }
        out.push(component);
    }
    out
}

/// Iterative depth-first search that records nodes in finishing order.
fn finish_order(
    graph: &Graph,
    start: &String,
    seen: &mut BTreeSet<String>,
    order: &mut Vec<String>,
) {
    if !seen.insert(start.clone()) {
        return;
    }
    let next = |node: &String| {
        graph
            .get(node)
            .map(|e| e.keys().cloned().collect::<Vec<_>>())
            .unwrap_or_default()
    };
    let mut stack = vec![(start.clone(), next(start), 0usize)];
    while let Some((node, children, at)) = stack.last_mut() {
        if let Some(child) = children.get(*at).cloned() {
            *at += 1;
            if seen.insert(child.clone()) {
                let grandchildren = next(&child);
                stack.push((child, grandchildren, 0));
            }
        } else {
            order.push(node.clone());
            stack.pop();
        }
    }
}

/// The shortest cycle through the first file of `component`, spelled out.
fn describe(graph: &Graph, component: &BTreeSet<String>) -> String {
    let start = component.iter().next().cloned().unwrap_or_default();
    let mut came_from: BTreeMap<String, String> = BTreeMap::new();
    let mut queue = VecDeque::from([start.clone()]);
    'search: while let Some(node) = queue.pop_front() {
        for to in graph.get(&node).into_iter().flat_map(|e| e.keys()) {
            if !component.contains(to) || came_from.contains_key(to) {
                continue;
            }
            came_from.insert(to.clone(), node.clone());
            if *to == start {
                break 'search;
            }
            queue.push_back(to.clone());
        }
    }
    let mut hops = vec![start.clone()];
    let mut node = came_from.get(&start).cloned().unwrap_or_default();
    while node != start && !node.is_empty() {
        hops.push(node.clone());
        node = came_from.get(&node).cloned().unwrap_or_default();
    }
    hops.push(start.clone());
    hops.reverse();
    let mut text = format!("{} files in a cycle: {}", component.len(), hops[0]);
    for pair in hops.windows(2) {
        let via = graph
            .get(&pair[0])
            .and_then(|e| e.get(&pair[1]))
            .cloned()
            .unwrap_or_default();
        text.push_str(&format!(" -> {} (via {via})", pair[1]));
    }
    text
}
