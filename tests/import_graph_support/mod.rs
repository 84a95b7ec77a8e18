//! The scanner behind `tests/import_graph.rs`: strip comments and literals
//! ([`lex`]), read modules, `use` trees and inline paths ([`scan`]), resolve
//! them to defining files and find cycles ([`graph`]).

pub mod graph;
pub mod lex;
pub mod scan;
