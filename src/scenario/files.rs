//! How a scenario reads the files it names (handler code beside it): a
//! reader by path and the path rule. A leaf of its own so that the parser
//! (`parse.rs`) and the loader (`source.rs`) both use it without importing
//! each other.

/// Reads a file by path. `Err` carries a readable reason.
pub trait FileReader {
    /// The file's text.
    fn read(&self, path: &str) -> Result<String, String>;
}

/// A reader over an in-memory list of `(path, text)` (tests, the browser).
pub struct MemoryFiles<'a>(pub &'a [(&'a str, &'a str)]);

impl FileReader for MemoryFiles<'_> {
    fn read(&self, path: &str) -> Result<String, String> {
        self.0
            .iter()
            .find(|(p, _)| *p == path)
            .map(|(_, t)| t.to_string())
            .ok_or_else(|| format!("no such file: {path}"))
    }
}

/// `path` relative to the folder of `base` (`a/b/s.toml` + `h.rhai` is
/// `a/b/h.rhai`); absolute paths stay as they are.
pub fn relative_to(base: &str, path: &str) -> String {
    if path.starts_with('/') {
        return path.to_string();
    }
    match base.rfind('/') {
        Some(at) => format!("{}/{path}", &base[..at]),
        None => path.to_string(),
    }
}
