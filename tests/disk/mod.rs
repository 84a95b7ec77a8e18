//! Reads scenario, lesson and code files relative to the crate's root, for
//! tests and benchmarks (the library itself never touches the disk).

use std::path::Path;

use event_playground::scenario::FileReader;

/// Files under the crate root.
pub struct Disk;

impl FileReader for Disk {
    fn read(&self, path: &str) -> Result<String, String> {
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(path))
            .map_err(|e| e.to_string())
    }
}
