//! Reads one file's stripped text into what the graph needs: the inline
//! modules it opens (`mod tests { .. }`), its `use` declarations as paths,
//! and the `crate::`/`super::` paths written inline in code.

/// A module path from the crate root, e.g. `["sim", "broker", "queue"]`.
pub type ModPath = Vec<String>;

/// What a `use` binds: one name, or everything (`*`).
#[derive(Debug, Clone, PartialEq)]
pub enum Binding {
    Name(String),
    Glob,
}

/// One leaf of a `use` tree, with the path as written (maybe relative).
#[derive(Debug, Clone)]
pub struct Use {
    pub module: ModPath,
    pub path: Vec<String>,
    pub binding: Binding,
    /// `pub use` / `pub(crate) use`: a re-export, which adds a name but no
    /// dependency (see docs/architecture.md, "Import graph").
    pub reexport: bool,
}

/// A `crate::a::b` or `super::c` path written in code outside a `use`.
#[derive(Debug, Clone)]
pub struct Reference {
    pub module: ModPath,
    pub path: Vec<String>,
}

#[derive(Debug, Default)]
pub struct Scanned {
    pub inline_modules: Vec<ModPath>,
    pub uses: Vec<Use>,
    pub references: Vec<Reference>,
}

/// Identifiers, `::`, and single punctuation characters.
pub fn tokens(text: &str) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut at = 0;
    while at < chars.len() {
        let c = chars[at];
        if c.is_alphanumeric() || c == '_' {
            let len = chars[at..]
                .iter()
                .take_while(|c| c.is_alphanumeric() || **c == '_')
                .count();
            out.push(chars[at..at + len].iter().collect());
            at += len;
        } else if c == ':' && chars.get(at + 1) == Some(&':') {
            out.push("::".to_string());
            at += 2;
        } else {
            if !c.is_whitespace() {
                out.push(c.to_string());
            }
            at += 1;
        }
    }
    out
}

/// Scans the stripped text of the file whose module path is `module`.
pub fn scan(module: &ModPath, stripped: &str) -> Scanned {
    let toks = tokens(stripped);
    let mut scanned = Scanned::default();
    // (module, brace depth at which it closes)
    let mut open: Vec<(ModPath, usize)> = vec![(module.clone(), 0)];
    let mut depth = 0usize;
    let mut at = 0;
    while at < toks.len() {
        let here = open.last().map(|(m, _)| m.clone()).unwrap_or_default();
        match toks[at].as_str() {
            "{" => depth += 1,
            "}" => {
                depth = depth.saturating_sub(1);
                if open.len() > 1 && open.last().is_some_and(|(_, d)| *d == depth) {
                    open.pop();
                }
            }
            "mod" if toks.get(at + 2).map(String::as_str) == Some("{") => {
                let mut inner = here.clone();
                inner.push(toks[at + 1].clone());
                scanned.inline_modules.push(inner.clone());
                open.push((inner, depth));
            }
            "use" => {
                at = use_declaration(&toks, at, &here, &mut scanned.uses);
                continue;
            }
            "crate" | "super" if is_path_start(&toks, at) => {
                let path = inline_path(&toks, at);
                at += path.len() * 2 - 1;
                scanned.references.push(Reference { module: here, path });
                continue;
            }
            _ => {}
        }
        at += 1;
    }
    scanned
}

/// `crate::` or `super::` that is not `$crate::`, not `x::crate`, not `pub(in crate::..)`.
fn is_path_start(toks: &[String], at: usize) -> bool {
    let before = at.checked_sub(1).map(|b| toks[b].as_str());
    toks.get(at + 1).map(String::as_str) == Some("::")
        && !matches!(before, Some("$") | Some("::") | Some("in"))
}

/// `crate::a::b::C` as segments, stopping before `::{`, `::<` or `::*`.
fn inline_path(toks: &[String], at: usize) -> Vec<String> {
    let mut path = vec![toks[at].clone()];
    let mut i = at + 1;
    while toks.get(i).map(String::as_str) == Some("::")
        && toks.get(i + 1).is_some_and(|t| is_word(t))
    {
        path.push(toks[i + 1].clone());
        i += 2;
    }
    path
}

fn is_word(token: &str) -> bool {
    token
        .chars()
        .next()
        .is_some_and(|c| c.is_alphanumeric() || c == '_')
}

/// Parses the `use` at `at` up to its `;`; returns the index after it.
fn use_declaration(toks: &[String], at: usize, module: &ModPath, out: &mut Vec<Use>) -> usize {
    let reexport = is_public(toks, at);
    let end = toks[at..]
        .iter()
        .position(|t| t == ";")
        .map_or(toks.len(), |p| at + p);
    let mut leaves = Vec::new();
    let mut i = at + 1;
    if toks.get(i).map(String::as_str) != Some("::") {
        tree(&toks[..end], &mut i, Vec::new(), &mut leaves);
    }
    out.extend(leaves.into_iter().map(|(path, binding)| Use {
        module: module.clone(),
        path,
        binding,
        reexport,
    }));
    end + 1
}

/// `pub use` or `pub(..) use`.
fn is_public(toks: &[String], at: usize) -> bool {
    let before = |n: usize| at.checked_sub(n).map(|i| toks[i].as_str());
    if before(1) == Some("pub") {
        return true;
    }
    if before(1) != Some(")") {
        return false;
    }
    let open = toks[..at].iter().rposition(|t| t == "(");
    open.is_some_and(|o| o > 0 && toks[o - 1] == "pub")
}

/// One use tree: `a::b::{c, d::e as f, g::*}` flattened into leaves.
fn tree(
    toks: &[String],
    i: &mut usize,
    mut prefix: Vec<String>,
    out: &mut Vec<(Vec<String>, Binding)>,
) {
    while *i < toks.len() {
        match toks[*i].as_str() {
            "{" => {
                *i += 1;
                while *i < toks.len() && toks[*i] != "}" {
                    tree(toks, i, prefix.clone(), out);
                    if toks.get(*i).map(String::as_str) == Some(",") {
                        *i += 1;
                    }
                }
                *i += 1;
                return;
            }
            "*" => {
                *i += 1;
                out.push((prefix, Binding::Glob));
                return;
            }
            word => {
                prefix.push(word.to_string());
                *i += 1;
                if toks.get(*i).map(String::as_str) == Some("::") {
                    *i += 1;
                    continue;
                }
                out.push(leaf(prefix, toks, i));
                return;
            }
        }
    }
}

/// The end of a path: `self` names its parent; `as x` renames.
fn leaf(mut path: Vec<String>, toks: &[String], i: &mut usize) -> (Vec<String>, Binding) {
    if path.last().map(String::as_str) == Some("self") {
        path.pop();
    }
    let mut name = path.last().cloned().unwrap_or_default();
    if toks.get(*i).map(String::as_str) == Some("as") {
        name = toks.get(*i + 1).cloned().unwrap_or_default();
        *i += 2;
    }
    (path, Binding::Name(name))
}
