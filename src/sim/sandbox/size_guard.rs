//! Catches values that grow where the engine does not check their size.
//!
//! Why: the engine checks sizes after most operations, but not when an
//! object map grows through `m[key] = value`, so a loop could fill memory
//! until `max_operations` ends it. Every `SCAN_EVERY_VAR_READS` variable
//! reads, this guard measures the variables in scope against the size limits
//! and stops the script with the same error the engine would raise. The scan
//! count is deterministic, so the same code stops at the same point.

use std::rc::Rc;

use rhai::{Array, Dynamic, Engine, EvalAltResult, Map, Position};

use super::host::Meter;
use super::limits::SandboxLimits;

/// How many variable reads between two scans.
pub(crate) const SCAN_EVERY_VAR_READS: u64 = 16;

#[derive(Debug, Default, Clone, Copy)]
struct Sizes {
    array: usize,
    map: usize,
    string: usize,
}

fn measure(value: &Dynamic, sizes: &mut Sizes, depth: usize) {
    if depth > 128 {
        return;
    }
    if value.is_string() {
        if let Some(s) = value.read_lock::<rhai::ImmutableString>() {
            sizes.string += s.len();
        }
    } else if value.is_array() {
        if let Some(items) = value.read_lock::<Array>() {
            sizes.array += items.len();
            for item in items.iter() {
                measure(item, sizes, depth + 1);
            }
        }
    } else if value.is_map() {
        if let Some(fields) = value.read_lock::<Map>() {
            sizes.map += fields.len();
            for (key, item) in fields.iter() {
                sizes.string += key.len();
                measure(item, sizes, depth + 1);
            }
        }
    }
}

fn too_large(what: &str) -> Box<EvalAltResult> {
    EvalAltResult::ErrorDataTooLarge(what.to_string(), Position::NONE).into()
}

/// Installs the guard on `engine`.
#[allow(deprecated)] // `on_var` is marked volatile, not deprecated.
/// The count of variable reads lives in `meter`, reset with each invocation.
pub(crate) fn register(engine: &mut Engine, limits: &SandboxLimits, meter: &Rc<Meter>) {
    let limits = *limits;
    let meter = meter.clone();
    engine.on_var(move |_, _, context| {
        let n = meter.var_reads.get() + 1;
        meter.var_reads.set(n);
        if !n.is_multiple_of(SCAN_EVERY_VAR_READS) {
            return Ok(None);
        }
        for (_, _, value) in context.scope().iter_raw() {
            let mut sizes = Sizes::default();
            measure(value, &mut sizes, 0);
            if sizes.map > limits.max_map_size {
                return Err(too_large("Size of object map"));
            }
            if sizes.array > limits.max_array_size {
                return Err(too_large("Size of array"));
            }
            if sizes.string > limits.max_string_size_bytes {
                return Err(too_large("Length of string"));
            }
        }
        Ok(None)
    });
}
