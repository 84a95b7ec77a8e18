//! No import cycle between the library's files: `cargo test --test
//! import_graph`. A cycle means two files can only be read, changed and
//! tested together; the engine keeps its layers apart by keeping this graph
//! acyclic. The definition of an edge is in docs/architecture.md ("Import
//! graph") and in `import_graph_support/graph.rs`.

mod import_graph_support;

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use import_graph_support::graph::{cycles, Crate};

/// Every library file under `src/` (the binaries `src/main.rs` and
/// `src/bin/` are crates of their own and import the library by name).
fn library_sources() -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let mut dirs = vec![Path::new(env!("CARGO_MANIFEST_DIR")).join("src")];
    while let Some(dir) = dirs.pop() {
        for entry in fs::read_dir(&dir).expect("read src/").flatten() {
            let path = entry.path();
            let rel = path
                .strip_prefix(env!("CARGO_MANIFEST_DIR"))
                .expect("under the manifest")
                .to_string_lossy()
                .replace('\\', "/");
            if path.is_dir() && rel != "src/bin" {
                dirs.push(path);
            } else if rel.ends_with(".rs") && rel != "src/main.rs" {
                out.insert(rel, fs::read_to_string(&path).expect("read a source file"));
            }
        }
    }
    out
}

#[test]
fn the_library_has_no_import_cycle_between_files() {
    let sources = library_sources();
    assert!(
        sources.contains_key("src/sim/mod.rs"),
        "the scan found the engine"
    );
    let found = cycles(&Crate::new(&sources).graph());
    assert!(
        found.is_empty(),
        "import cycles between files:\n{}",
        found.join("\n")
    );
}

fn files(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(f, t)| (f.to_string(), t.to_string()))
        .collect()
}

/// The checker itself: a cycle through a facade's re-export is found and
/// named with the paths that make it.
#[test]
fn a_cycle_through_a_reexport_is_found_and_named() {
    let sources = files(&[
        ("src/lib.rs", "pub mod a;\npub use a::b::Thing;"),
        (
            "src/a/mod.rs",
            "mod b;\npub use b::Thing;\nmod c;\npub use c::Other;",
        ),
        (
            "src/a/b.rs",
            "use crate::a::Other;\npub struct Thing(Other);",
        ),
        (
            "src/a/c.rs",
            "pub struct Other;\nfn f() -> crate::Thing { todo!() }",
        ),
    ]);
    let found = cycles(&Crate::new(&sources).graph());
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(
        found[0],
        "2 files in a cycle: src/a/b.rs -> src/a/c.rs (via crate::a::Other) \
         -> src/a/b.rs (via crate::Thing)"
    );
}

/// Paths in comments, strings and `super::` from a test module are not
/// edges to other files; a re-export alone is no edge.
#[test]
fn comments_strings_reexports_and_own_tests_make_no_edge() {
    let sources = files(&[
        ("src/lib.rs", "pub mod a;\npub mod b;"),
        ("src/a.rs", "pub use crate::b::B;\n// use crate::b::B;\npub struct A;\n#[cfg(test)]\nmod tests { use super::*; }"),
        ("src/b.rs", "use crate::a::A;\nconst S: &str = \"crate::a::A\";\npub struct B(A);"),
    ]);
    let graph = Crate::new(&sources).graph();
    assert!(cycles(&graph).is_empty(), "{:?}", cycles(&graph));
    assert!(
        graph["src/b.rs"].contains_key("src/a.rs"),
        "the real import is an edge"
    );
    assert!(graph["src/a.rs"].is_empty(), "{:?}", graph["src/a.rs"]);
}
