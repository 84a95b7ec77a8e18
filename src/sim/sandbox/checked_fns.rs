//! Checked replacements for the rhai functions that can allocate a lot in
//! one step, and the switch that removes currying.
//!
//! Why: the engine checks a value's size after the operation that built it,
//! which is enough when one operation can at most double a value. A few
//! functions take the size of their result from an argument, so one call
//! can ask for gigabytes before any check runs (and rhai's own check in
//! array `pad` overflows and aborts the process: issue 17). These versions
//! compute the result's size with checked arithmetic first and refuse it
//! with the engine's own "too large" error, so the learner sees the usual
//! `max_array_size` / `max_string_size_bytes` message. Functions registered
//! on the engine are found before the standard package's, so these shadow
//! rhai's. See docs/scenarios.md, "Budgets".

use rhai::{Array, Dynamic, Engine, EvalAltResult, ImmutableString, Map, Position, INT};

use super::error::HandlerError;
use super::limits::SandboxLimits;

/// Sizes a value adds to the engine's three size counters: array elements,
/// map properties and string bytes (nested values add up).
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(crate) struct DataSizes {
    pub array: usize,
    pub map: usize,
    pub string: usize,
}

/// Nesting deeper than this is already refused by the size limits (every
/// level adds an element); the cap only keeps the walk's stack small.
const MAX_MEASURE_DEPTH: usize = 256;

/// Measures `value` as the engine's size checks do, saturating.
pub(crate) fn measure(value: &Dynamic) -> DataSizes {
    let mut sizes = DataSizes::default();
    add_sizes(value, &mut sizes, 0);
    sizes
}

fn add_sizes(value: &Dynamic, sizes: &mut DataSizes, depth: usize) {
    if depth > MAX_MEASURE_DEPTH {
        return;
    }
    if let Some(s) = value.read_lock::<ImmutableString>() {
        sizes.string = sizes.string.saturating_add(s.len());
    } else if let Some(items) = value.read_lock::<Array>() {
        sizes.array = sizes.array.saturating_add(items.len());
        for item in items.iter() {
            add_sizes(item, sizes, depth + 1);
        }
    } else if let Some(fields) = value.read_lock::<Map>() {
        sizes.map = sizes.map.saturating_add(fields.len());
        for (key, item) in fields.iter() {
            sizes.string = sizes.string.saturating_add(key.len());
            add_sizes(item, sizes, depth + 1);
        }
    }
}

pub(crate) fn too_large(what: &str) -> Box<EvalAltResult> {
    EvalAltResult::ErrorDataTooLarge(what.to_string(), Position::NONE).into()
}

/// Fails when `sizes` exceed `limits`, with the engine's wording (which
/// `error.rs` turns into the named limit).
pub(crate) fn check_sizes(
    sizes: DataSizes,
    limits: &SandboxLimits,
) -> Result<(), Box<EvalAltResult>> {
    if sizes.array > limits.max_array_size {
        return Err(too_large("Size of array"));
    }
    if sizes.map > limits.max_map_size {
        return Err(too_large("Size of object map"));
    }
    if sizes.string > limits.max_string_size_bytes {
        return Err(too_large("Length of string"));
    }
    Ok(())
}

/// `array.pad(len, item)`, with the result's size checked before it is
/// allocated. `len` may be any integer: a negative one pads nothing (as
/// in rhai); a huge one is refused, on every platform, by arithmetic that
/// cannot overflow.
fn pad_checked(
    limits: &SandboxLimits,
    array: &mut Array,
    len: INT,
    item: Dynamic,
) -> Result<(), Box<EvalAltResult>> {
    if len <= 0 {
        return Ok(());
    }
    // A length past the platform's `usize` (2^32 in the browser's wasm32)
    // is refused as too large, as it is natively: treating it as "nothing
    // to pad" would make the same handler succeed in the browser and fail
    // natively (tests/browser_hostile.rs found it).
    let Ok(len) = usize::try_from(len) else {
        return Err(too_large("Size of array"));
    };
    if len <= array.len() {
        return Ok(());
    }
    let added = len - array.len();
    if added > limits.max_array_size {
        return Err(too_large("Size of array"));
    }
    let mut sizes = DataSizes::default();
    for existing in array.iter() {
        add_sizes(existing, &mut sizes, 1);
    }
    let each = measure(&item);
    let grown = DataSizes {
        array: len
            .saturating_add(sizes.array)
            .saturating_add(each.array.saturating_mul(added)),
        map: sizes.map.saturating_add(each.map.saturating_mul(added)),
        string: sizes
            .string
            .saturating_add(each.string.saturating_mul(added)),
    };
    check_sizes(grown, limits)?;
    array.resize(len, item);
    Ok(())
}

/// The byte length of `text` with every `find` replaced by `sub`, or
/// `usize::MAX` when it would not fit in memory anyway.
pub(crate) fn replaced_len(text: &str, find: &str, sub_len: usize) -> usize {
    let count = if find.is_empty() {
        // `str::replace("")` inserts before every char and at the end.
        text.chars().count().saturating_add(1)
    } else {
        text.matches(find).count()
    };
    let removed = count.saturating_mul(find.len());
    (text.len() - removed.min(text.len())).saturating_add(count.saturating_mul(sub_len))
}

fn replace_checked(
    limits: &SandboxLimits,
    text: &mut ImmutableString,
    find: &str,
    sub: &str,
) -> Result<(), Box<EvalAltResult>> {
    if replaced_len(text, find, sub.len()) > limits.max_string_size_bytes {
        return Err(too_large("Length of string"));
    }
    *text = text.replace(find, sub).into();
    Ok(())
}

/// A compile error of code that uses `curry`, which the engine reports as
/// a bare syntax error, said in words the learner can act on.
pub(crate) fn explain_removed(source: &str, mut error: HandlerError) -> HandlerError {
    let uses_curry = source.match_indices("curry").any(|(at, _)| {
        let before = source[..at].chars().next_back();
        let after = source[at + 5..].chars().next();
        let ident = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_');
        !ident(before) && !ident(after)
    });
    if uses_curry {
        error.message = format!(
            "`curry` is not available in handlers (a curried function can grow without any size limit noticing): pass all the arguments when you call the function ({})",
            error.message
        );
    }
    error
}

/// Installs the checked functions and removes `curry` on `engine`.
pub(crate) fn register(engine: &mut Engine, limits: &SandboxLimits) {
    // A curried function pointer carries its arguments where no size check
    // looks, and `f.curry(f)` doubles it (issue 17): removed, as `eval` is.
    // Anonymous functions and `call` still work.
    engine.disable_symbol("curry");
    let l = *limits;
    engine.register_fn("pad", move |a: &mut Array, len: INT, item: Dynamic| {
        pad_checked(&l, a, len, item)
    });
    engine.register_fn(
        "replace",
        move |s: &mut ImmutableString, find: ImmutableString, sub: ImmutableString| {
            replace_checked(&l, s, &find, &sub)
        },
    );
    engine.register_fn(
        "replace",
        move |s: &mut ImmutableString, find: char, sub: ImmutableString| {
            replace_checked(&l, s, find.encode_utf8(&mut [0; 4]), &sub)
        },
    );
    engine.register_fn(
        "replace",
        move |s: &mut ImmutableString, find: ImmutableString, sub: char| {
            replace_checked(&l, s, &find, sub.encode_utf8(&mut [0; 4]))
        },
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaced_len_counts_every_occurrence() {
        assert_eq!(replaced_len("aaa", "a", 3), 9);
        assert_eq!(replaced_len("abc", "", 2), 3 + 4 * 2);
        assert_eq!(replaced_len("abc", "x", 100), 3);
        assert_eq!(replaced_len("aXbX", "X", 0), 2);
    }
}
