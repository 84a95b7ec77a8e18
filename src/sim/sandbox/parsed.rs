//! A handler's parsed code, kept between worlds of the same thread.
//!
//! Why: a check builds a new world for every seed of every variant, and each
//! world compiles each function's code. For a small scenario, parsing and
//! the standard library's registration cost about half of a seed's time
//! natively and more in the browser (docs/performance.md, "Judging in the
//! browser"). Parsing is a pure function of the code and the limits, so the
//! result can be shared: an [`AST`] holds no engine state, and every world
//! still gets its own engine, host and meter, so nothing one world does can
//! reach another.
//!
//! Bounded: at most [`MAX_KEPT_PROGRAMS`] programs, least recently used first out;
//! each one's code is already bounded by the scenario's code-size limit.

use std::cell::RefCell;
use std::rc::Rc;

use rhai::AST;

use super::limits::SandboxLimits;

/// Programs kept per thread: the functions of one scenario, with room for
/// a learner's edits between two checks.
pub(crate) const MAX_KEPT_PROGRAMS: usize = 16;

/// What parsing a handler's code gives, shared by every world that runs it.
#[derive(Debug)]
pub(crate) struct Parsed {
    /// The whole script: top-level (init) code and functions.
    pub init_ast: AST,
    /// The handler's body as top-level code plus the functions, when it
    /// could be cut out (see `source.rs`); else the handler is called.
    pub body_ast: Option<AST>,
    /// The handler's parameter names (at most two: event, context).
    pub params: Vec<String>,
    /// Line of `fn handler`, for errors without a position.
    pub fn_line: u32,
}

struct Entry {
    source: String,
    limits: SandboxLimits,
    parsed: Rc<Parsed>,
}

thread_local! {
    static KEPT: RefCell<Vec<Entry>> = const { RefCell::new(Vec::new()) };
}

/// The parsed program of `source` under `limits`: a kept one, or
/// `parse()`'s result, kept when it succeeded. Errors are not kept (a
/// learner fixes them; keeping them would only hold memory).
pub(crate) fn parsed_or<E>(
    source: &str,
    limits: SandboxLimits,
    parse: impl FnOnce() -> Result<Parsed, E>,
) -> Result<Rc<Parsed>, E> {
    if let Some(found) = take_kept(source, limits) {
        return Ok(found);
    }
    let parsed = Rc::new(parse()?);
    KEPT.with(|kept| {
        let mut kept = kept.borrow_mut();
        if kept.len() >= MAX_KEPT_PROGRAMS {
            kept.remove(0);
        }
        kept.push(Entry {
            source: source.to_string(),
            limits,
            parsed: Rc::clone(&parsed),
        });
    });
    Ok(parsed)
}

/// A kept program, moved to the most recently used end.
fn take_kept(source: &str, limits: SandboxLimits) -> Option<Rc<Parsed>> {
    KEPT.with(|kept| {
        let mut kept = kept.borrow_mut();
        let at = kept
            .iter()
            .position(|e| e.limits == limits && e.source == source)?;
        let entry = kept.remove(at);
        let parsed = Rc::clone(&entry.parsed);
        kept.push(entry);
        Some(parsed)
    })
}

/// How many programs this thread keeps (for tests).
#[cfg(test)]
pub(crate) fn kept_count() -> usize {
    KEPT.with(|kept| kept.borrow().len())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_counting(calls: &std::cell::Cell<u32>) -> Result<Parsed, ()> {
        calls.set(calls.get() + 1);
        Ok(Parsed {
            init_ast: AST::empty(),
            body_ast: None,
            params: Vec::new(),
            fn_line: 1,
        })
    }

    #[test]
    fn the_same_code_and_limits_are_parsed_once() {
        let calls = std::cell::Cell::new(0);
        let limits = SandboxLimits::default();
        let a = parsed_or("fn handler() {}", limits, || parse_counting(&calls)).unwrap();
        let b = parsed_or("fn handler() {}", limits, || parse_counting(&calls)).unwrap();
        assert_eq!(calls.get(), 1);
        assert!(Rc::ptr_eq(&a, &b));
    }

    #[test]
    fn other_limits_or_other_code_are_parsed_again() {
        let calls = std::cell::Cell::new(0);
        let limits = SandboxLimits::default();
        let tighter = SandboxLimits {
            max_expr_depth: limits.max_expr_depth - 1,
            ..limits
        };
        parsed_or("fn handler() { 1 }", limits, || parse_counting(&calls)).unwrap();
        parsed_or("fn handler() { 1 }", tighter, || parse_counting(&calls)).unwrap();
        parsed_or("fn handler() { 2 }", limits, || parse_counting(&calls)).unwrap();
        assert_eq!(calls.get(), 3);
    }

    #[test]
    fn errors_are_not_kept_and_the_oldest_goes_first() {
        let before = kept_count();
        let failed: Result<Rc<Parsed>, &str> =
            parsed_or("broken", SandboxLimits::default(), || Err("parse error"));
        assert!(failed.is_err());
        assert_eq!(kept_count(), before);
        let calls = std::cell::Cell::new(0);
        for i in 0..=MAX_KEPT_PROGRAMS {
            let code = format!("fn handler() {{ {i} }}");
            parsed_or(&code, SandboxLimits::default(), || parse_counting(&calls)).unwrap();
        }
        assert_eq!(kept_count(), MAX_KEPT_PROGRAMS);
        // The first of them was pushed out; the last is still kept.
        parsed_or("fn handler() { 0 }", SandboxLimits::default(), || {
            parse_counting(&calls)
        })
        .unwrap();
        let last = format!("fn handler() {{ {MAX_KEPT_PROGRAMS} }}");
        parsed_or(&last, SandboxLimits::default(), || parse_counting(&calls)).unwrap();
        assert_eq!(calls.get(), MAX_KEPT_PROGRAMS as u32 + 2);
    }
}
