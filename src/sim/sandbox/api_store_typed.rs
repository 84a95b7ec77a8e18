//! Overloads of `store.*` and `drafts.*` for the argument types handlers
//! nearly always pass: a string key (or document id) and string versions.
//!
//! Why: every parameter of the functions in `api_store.rs` is a `Dynamic`
//! (for the learner's sake, see there), and the engine finds such a
//! function only after trying each combination of `Dynamic` wildcards
//! over the call's argument types: up to eight lookups for
//! `put_if_newer`, repeated on every invocation because the engine's
//! lookup cache lives for one run of the script. An overload whose types
//! are those of the call is found at once (a `Dynamic` value, whatever its
//! type, costs one wildcard step). Each overload passes its arguments on
//! to the same function as the `Dynamic` one, so what a call does, and
//! every error it throws, stays the same.

use rhai::{Dynamic, Engine, ImmutableString, INT};

use super::api_store::{
    drafts_read, drafts_save, store_add, store_delete, store_get, store_write, DraftsHandle,
    StoreHandle,
};
use super::host::{HostCell, Meter};
use super::outcome::StoreOp;
use std::rc::Rc;

type Text = ImmutableString;

/// Registers the `store.*` overloads.
pub(crate) fn register_store(engine: &mut Engine, host: &HostCell, meter: &Rc<Meter>) {
    let c = || (host.clone(), meter.clone());
    let (h, m) = c();
    engine.register_fn("get", move |_: StoreHandle, k: Text| {
        store_get(&h, &m, &k.into())
    });
    let (h, m) = c();
    engine.register_fn("delete", move |_: StoreHandle, k: Text| {
        store_delete(&h, &m, &k.into())
    });
    let (h, m) = c();
    engine.register_fn("add", move |_: StoreHandle, k: Text, n: INT| {
        store_add(&h, &m, &k.into(), &n.into())
    });
    for op in [StoreOp::Put, StoreOp::PutIfNotExists, StoreOp::PutIfNewer] {
        let name = &op.name()["store.".len()..];
        if op != StoreOp::PutIfNewer {
            let (h, m) = c();
            engine.register_fn(name, move |_: StoreHandle, k: Text, v: Dynamic| {
                store_write(&h, &m, op, &k.into(), &v, None, None)
            });
        }
        let (h, m) = c();
        engine.register_fn(
            name,
            move |_: StoreHandle, k: Text, v: Dynamic, ver: Text| {
                store_write(&h, &m, op, &k.into(), &v, Some(&ver.into()), None)
            },
        );
    }
    let (h, m) = c();
    engine.register_fn(
        "put_if_version",
        move |_: StoreHandle, k: Text, v: Dynamic, ver: Text, expected: Text| {
            let (ver, expected) = (ver.into(), expected.into());
            let op = StoreOp::PutIfVersion;
            store_write(&h, &m, op, &k.into(), &v, Some(&ver), Some(&expected))
        },
    );
}

/// Registers the `drafts.*` overloads.
pub(crate) fn register_drafts(engine: &mut Engine, host: &HostCell, meter: &Rc<Meter>) {
    let c = || (host.clone(), meter.clone());
    let (h, m) = c();
    engine.register_fn(
        "save",
        move |_: DraftsHandle, d: Text, ver: Text, b: Dynamic| {
            drafts_save(&h, &m, &d.into(), &ver.into(), &b)
        },
    );
    let (h, m) = c();
    engine.register_fn("latest", move |_: DraftsHandle, d: Text| {
        drafts_read(&h, &m, StoreOp::DraftLatest, &d.into(), None)
    });
    let (h, m) = c();
    engine.register_fn("get", move |_: DraftsHandle, d: Text, ver: Text| {
        drafts_read(&h, &m, StoreOp::DraftGet, &d.into(), Some(&ver.into()))
    });
    let (h, m) = c();
    engine.register_fn("versions", move |_: DraftsHandle, d: Text| {
        drafts_read(&h, &m, StoreOp::DraftVersions, &d.into(), None)
    });
}
