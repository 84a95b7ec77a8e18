//! `store.*` and `drafts.*`: the handler's way to the store and version store.
//!
//! Each call becomes a [`Call`] made through [`HostState::call`], which
//! serves it at its own virtual time (see `call.rs`); this file checks the
//! arguments and turns the answer into what the handler sees.
//!
//! Why every parameter is a `Dynamic`: a learner who passes a number as a key
//! should read "store.put: the key must be a string, got a number", not the
//! engine's "function not found: put (Store, i64, ...)". Wrong arguments
//! throw a catchable `#{ name: "InvalidArgument", message }` and cost nothing;
//! a failed condition throws `#{ name: "ConditionalCheckFailed", message, key }`.

use std::rc::Rc;

use rhai::{Array, Dynamic, Engine, EvalAltResult, ImmutableString, Map};
use serde_json::Value;

use super::call::{Answer, Call, CallArgs};
use super::convert::{from_json, to_json};
use super::host::{
    script_error, with_host, HostCell, HostState, Meter, CONDITIONAL_CHECK_FAILED,
    INVALID_ARGUMENT, SERVICE_UNAVAILABLE,
};
use super::outcome::StoreOp;
use crate::sim::store::{Condition, Item};
use crate::sim::store_condition::ConditionFailure;
use crate::sim::version::{Version, MAX_VERSION_DISPLAY_BYTES};

type Res = Result<Dynamic, Box<EvalAltResult>>;

/// The value of the script constant `store`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct StoreHandle;

/// The value of the script constant `drafts`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct DraftsHandle;

fn kind_of(v: &Dynamic) -> &'static str {
    if v.is_unit() {
        "nothing (())"
    } else if v.is_int() || v.is_float() {
        "a number"
    } else if v.is_bool() {
        "a boolean"
    } else if v.is_map() {
        "a map"
    } else if v.is_array() {
        "an array"
    } else if v.is_string() {
        "a string"
    } else {
        v.type_name()
    }
}

/// Refuses a call for its arguments: records it (at no cost; it is never
/// served) and throws `InvalidArgument`.
fn reject(h: &mut HostState, op: StoreOp, key: &str, message: String) -> Box<EvalAltResult> {
    let message = format!("{}: {message}", op.name());
    h.record_refused(op, key, message.clone());
    script_error(INVALID_ARGUMENT, message, &[])
}

/// What the handler sees of the answer to call `index`.
fn answer_value(h: &HostState, index: usize) -> Res {
    let served = &h.calls[index];
    let (op, key) = (served.call.op, served.call.key.as_str());
    match &served.answer {
        Answer::Item(item) => Ok(item.as_ref().map_or(Dynamic::UNIT, item_value)),
        Answer::Written | Answer::Started => Ok(Dynamic::UNIT),
        Answer::ConditionFailed(reason) => Err(script_error(
            CONDITIONAL_CHECK_FAILED,
            condition_message(op, key, reason),
            &[("key", key.into())],
        )),
        Answer::Deleted(removed) => Ok((*removed).into()),
        Answer::Counter(value) => Ok(Dynamic::from_int(*value)),
        Answer::DraftSaved(saved) => Ok((*saved).into()),
        Answer::Draft(draft) => Ok(draft
            .as_ref()
            .map_or(Dynamic::UNIT, |(v, body)| draft_value(v, body))),
        Answer::Versions(list) => Ok(Dynamic::from_array(
            list.iter().map(version_text).collect::<Array>(),
        )),
        Answer::Unavailable(message) => {
            Err(script_error(SERVICE_UNAVAILABLE, message.clone(), &[]))
        }
        Answer::Refused(message) => Err(script_error(
            INVALID_ARGUMENT,
            format!("{}: {message}", op.name()),
            &[],
        )),
    }
}

/// "store.put_if_newer('doc-1'): the condition did not hold: ...", built
/// in pieces (not `format!`): a late conditional save, the lessons' fix,
/// reads this on every failed write.
fn condition_message(op: StoreOp, key: &str, reason: &ConditionFailure) -> String {
    use std::fmt::Write;
    let mut message = String::with_capacity(160);
    message.push_str(op.name());
    message.push_str("('");
    message.push_str(key);
    message.push_str("'): the condition did not hold: ");
    // Writing into a `String` cannot fail.
    let _ = write!(message, "{reason}");
    message
}

/// Makes a call and gives the handler its answer.
fn make(h: &mut HostState, meter: &Meter, op: StoreOp, key: &str, args: CallArgs) -> Res {
    let call = Call {
        op,
        key: key.to_string(),
        args,
    };
    let index = h.call(meter, call)?;
    answer_value(h, index)
}

/// A non-empty string argument. Shared, not copied: a key is read on
/// every store call.
fn text_arg(
    h: &mut HostState,
    op: StoreOp,
    what: &str,
    v: &Dynamic,
) -> Result<ImmutableString, Box<EvalAltResult>> {
    if let Ok(s) = v.as_immutable_string_ref() {
        if !s.is_empty() {
            return Ok(s.clone());
        }
        return Err(reject(h, op, "", format!("the {what} must not be empty")));
    }
    let shown = v.to_string();
    Err(reject(
        h,
        op,
        &shown,
        format!("the {what} must be a string, got {} ({shown})", kind_of(v)),
    ))
}

fn version_arg(
    h: &mut HostState,
    op: StoreOp,
    key: &str,
    what: &str,
    v: &Dynamic,
) -> Result<Version, Box<EvalAltResult>> {
    let parsed = if let Ok(s) = v.as_immutable_string_ref() {
        Version::parse(&s).map_err(|e| e.to_string())
    } else if let Ok(i) = v.as_int() {
        u64::try_from(i)
            .ok()
            .and_then(|c| Version::from_components(&[c]))
            .ok_or_else(|| format!("{i} is not a version"))
    } else if v.is_float() {
        Err(format!(
            "the {what} must be a string like \"1.10\": as a number, 1.10 is the same as 1.1"
        ))
    } else {
        Err(format!(
            "the {what} must be a string like \"v1.2\", got {}",
            kind_of(v)
        ))
    };
    parsed.map_err(|m| reject(h, op, key, m))
}

fn value_arg(
    h: &mut HostState,
    op: StoreOp,
    key: &str,
    v: &Dynamic,
) -> Result<Value, Box<EvalAltResult>> {
    to_json(v, "the value").map_err(|m| reject(h, op, key, m))
}

fn item_value(item: &Item) -> Dynamic {
    let version = item.version.as_ref().map_or(Dynamic::UNIT, version_text);
    // Keys in order, built in one pass (see `event::sorted_map`). `from_map`,
    // not `into()`: the `From` impl rebuilds the whole map.
    Dynamic::from_map(Map::from([
        ("value".into(), from_json(&item.value)),
        ("version".into(), version),
    ]))
}

/// A version as script text, exactly its `Display` form, formatted on the
/// stack: this runs on every `store.get` of a versioned item, and
/// `to_string` would build a temporary `String`.
fn version_text(version: &Version) -> Dynamic {
    version
        .write_text(&mut [0; MAX_VERSION_DISPLAY_BYTES])
        .into()
}

pub(super) fn store_get(host: &HostCell, meter: &Meter, key: &Dynamic) -> Res {
    with_host(host, |h| {
        let key = text_arg(h, StoreOp::Get, "key", key)?;
        make(h, meter, StoreOp::Get, &key, CallArgs::None)
    })
}

pub(super) fn store_write(
    host: &HostCell,
    meter: &Meter,
    op: StoreOp,
    key: &Dynamic,
    value: &Dynamic,
    version: Option<&Dynamic>,
    expected: Option<&Dynamic>,
) -> Res {
    with_host(host, |h| {
        let key = text_arg(h, op, "key", key)?;
        let value = value_arg(h, op, &key, value)?;
        let version = match version {
            Some(v) if !(v.is_unit() && op != StoreOp::PutIfNewer) => {
                Some(version_arg(h, op, &key, "version", v)?)
            }
            _ => None,
        };
        let condition = match (op, expected) {
            (StoreOp::PutIfNotExists, _) => Condition::NotExists,
            (StoreOp::PutIfNewer, _) => Condition::IncomingIsNewer,
            (StoreOp::PutIfVersion, Some(e)) => {
                Condition::VersionEquals(version_arg(h, op, &key, "expected version", e)?)
            }
            _ => Condition::Always,
        };
        let item = Item { value, version };
        make(h, meter, op, &key, CallArgs::Write { item, condition })
    })
}

pub(super) fn store_delete(host: &HostCell, meter: &Meter, key: &Dynamic) -> Res {
    with_host(host, |h| {
        let key = text_arg(h, StoreOp::Delete, "key", key)?;
        make(h, meter, StoreOp::Delete, &key, CallArgs::None)
    })
}

/// `store.add(key, amount)`: an atomic counter update (DynamoDB's
/// `UpdateItem` with `ADD`).
pub(super) fn store_add(host: &HostCell, meter: &Meter, key: &Dynamic, amount: &Dynamic) -> Res {
    with_host(host, |h| {
        let op = StoreOp::Add;
        let key = text_arg(h, op, "key", key)?;
        let Ok(amount) = amount.as_int() else {
            let message = format!("the amount must be a whole number, got {}", kind_of(amount));
            return Err(reject(h, op, &key, message));
        };
        make(h, meter, op, &key, CallArgs::Add { amount })
    })
}

fn draft_value(version: &Version, body: &Value) -> Dynamic {
    // Keys in order ("body" < "version"), built in one pass.
    Dynamic::from_map(Map::from([
        ("body".into(), from_json(body)),
        ("version".into(), version_text(version)),
    ]))
}

pub(super) fn drafts_save(
    host: &HostCell,
    meter: &Meter,
    doc: &Dynamic,
    version: &Dynamic,
    body: &Dynamic,
) -> Res {
    with_host(host, |h| {
        let op = StoreOp::DraftSave;
        let doc = text_arg(h, op, "document id", doc)?;
        let version = version_arg(h, op, &doc, "version", version)?;
        let body = to_json(body, "the body").map_err(|m| reject(h, op, &doc, m))?;
        make(h, meter, op, &doc, CallArgs::DraftSave { version, body })
    })
}

pub(super) fn drafts_read(
    host: &HostCell,
    meter: &Meter,
    op: StoreOp,
    doc: &Dynamic,
    version: Option<&Dynamic>,
) -> Res {
    with_host(host, |h| {
        let doc = text_arg(h, op, "document id", doc)?;
        let args = match version {
            Some(v) => CallArgs::DraftGet {
                version: version_arg(h, op, &doc, "version", v)?,
            },
            None => CallArgs::None,
        };
        make(h, meter, op, &doc, args)
    })
}

/// `compare_versions(a, b)`: -1, 0 or 1.
fn compare_versions(a: &str, b: &str) -> Result<rhai::INT, Box<EvalAltResult>> {
    let parse = |v: &str| {
        Version::parse(v)
            .map_err(|e| script_error(INVALID_ARGUMENT, format!("compare_versions: {e}"), &[]))
    };
    let (a, b) = (parse(a)?, parse(b)?);
    Ok(a.cmp(&b) as i8 as rhai::INT)
}

/// Registers `store.*`, `drafts.*` and `compare_versions`.
pub(crate) fn register(engine: &mut Engine, host: &HostCell, meter: &Rc<Meter>) {
    engine.register_type_with_name::<StoreHandle>("Store");
    engine.register_type_with_name::<DraftsHandle>("Drafts");
    // The typed overloads of `api_store_typed.rs` are registered before
    // these, by `program.rs`, so that the usual calls are found at once.
    register_store_fns(engine, host, meter);
    register_drafts_fns(engine, host, meter);
    register_compare_versions(engine);
}

/// `store.get/delete/add/put/put_if_not_exists/put_if_newer/put_if_version`:
/// the general overloads taking any values, found after the typed ones.
fn register_store_fns(engine: &mut Engine, host: &HostCell, meter: &Rc<Meter>) {
    let c = || (host.clone(), meter.clone());

    let (h, m) = c();
    engine.register_fn("get", move |_: StoreHandle, k: Dynamic| {
        store_get(&h, &m, &k)
    });
    let (h, m) = c();
    engine.register_fn("delete", move |_: StoreHandle, k: Dynamic| {
        store_delete(&h, &m, &k)
    });
    let (h, m) = c();
    engine.register_fn("add", move |_: StoreHandle, k: Dynamic, n: Dynamic| {
        store_add(&h, &m, &k, &n)
    });
    for op in [StoreOp::Put, StoreOp::PutIfNotExists] {
        let name = &op.name()["store.".len()..];
        let (h, m) = c();
        engine.register_fn(name, move |_: StoreHandle, k: Dynamic, v: Dynamic| {
            store_write(&h, &m, op, &k, &v, None, None)
        });
        let (h, m) = c();
        engine.register_fn(
            name,
            move |_: StoreHandle, k: Dynamic, v: Dynamic, ver: Dynamic| {
                store_write(&h, &m, op, &k, &v, Some(&ver), None)
            },
        );
    }
    let (h, m) = c();
    engine.register_fn(
        "put_if_newer",
        move |_: StoreHandle, k: Dynamic, v: Dynamic, ver: Dynamic| {
            store_write(&h, &m, StoreOp::PutIfNewer, &k, &v, Some(&ver), None)
        },
    );
    let (h, m) = c();
    engine.register_fn(
        "put_if_version",
        move |_: StoreHandle, k: Dynamic, v: Dynamic, ver: Dynamic, expected: Dynamic| {
            store_write(
                &h,
                &m,
                StoreOp::PutIfVersion,
                &k,
                &v,
                Some(&ver),
                Some(&expected),
            )
        },
    );
}

/// `drafts.save/latest/get/versions`: the general overloads.
fn register_drafts_fns(engine: &mut Engine, host: &HostCell, meter: &Rc<Meter>) {
    let c = || (host.clone(), meter.clone());
    let (h, m) = c();
    engine.register_fn(
        "save",
        move |_: DraftsHandle, d: Dynamic, ver: Dynamic, b: Dynamic| {
            drafts_save(&h, &m, &d, &ver, &b)
        },
    );
    let (h, m) = c();
    engine.register_fn("latest", move |_: DraftsHandle, d: Dynamic| {
        drafts_read(&h, &m, StoreOp::DraftLatest, &d, None)
    });
    let (h, m) = c();
    engine.register_fn("get", move |_: DraftsHandle, d: Dynamic, ver: Dynamic| {
        drafts_read(&h, &m, StoreOp::DraftGet, &d, Some(&ver))
    });
    let (h, m) = c();
    engine.register_fn("versions", move |_: DraftsHandle, d: Dynamic| {
        drafts_read(&h, &m, StoreOp::DraftVersions, &d, None)
    });
}

/// `compare_versions(a, b)`: a pure function of its arguments, so it needs
/// neither the host nor the meter.
fn register_compare_versions(engine: &mut Engine) {
    // Two strings, the usual case, get their own overload: the engine finds
    // it at once instead of trying `Dynamic` combinations, and the text is
    // read in place. Any other values are compared as the text they show.
    engine.register_fn(
        "compare_versions",
        |a: ImmutableString, b: ImmutableString| compare_versions(&a, &b),
    );
    engine.register_fn("compare_versions", |a: Dynamic, b: Dynamic| {
        compare_versions(&a.to_string(), &b.to_string())
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::version::MAX_VERSION_COMPONENTS;

    #[test]
    fn version_text_is_the_display_form() {
        let samples = ["v1.2", "1.10", "v0", "7", "v18446744073709551615.0.1"];
        for text in samples {
            let version = Version::parse(text).expect("a version");
            assert_eq!(version_text(&version).to_string(), version.to_string());
        }
        let longest = Version::from_components(&[u64::MAX; MAX_VERSION_COMPONENTS]).expect("ok");
        assert_eq!(version_text(&longest).to_string(), longest.to_string());
    }
}
