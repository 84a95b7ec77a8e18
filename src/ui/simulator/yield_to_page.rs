//! Giving the page its turn between two slices of a run or a sweep.
//!
//! Why not `setTimeout(0)`: browsers clamp a timeout set from inside another
//! timeout to at least 4 ms, so a check made of 12 ms slices spent a quarter
//! of its time waiting (docs/performance.md, "Judging in the browser"). A
//! message posted on a `MessageChannel` is a new task with no clamp: the
//! browser still renders and answers input between two tasks, and the next
//! slice starts as soon as it has. Where the channel cannot be made, a
//! timeout does the same job more slowly.

use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};

/// Resolves once the browser has had a chance to render and handle input.
pub async fn yield_to_page() {
    let promise = js_sys::Promise::new(&mut |resolve, _reject| {
        if !resolve_on_next_task(&resolve) {
            gloo_timers::callback::Timeout::new(0, move || {
                let _ = resolve.call0(&JsValue::UNDEFINED);
            })
            .forget();
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

/// Posts a message to itself and calls `resolve` when it arrives; false when
/// no channel could be made.
fn resolve_on_next_task(resolve: &js_sys::Function) -> bool {
    let Ok(channel) = web_sys::MessageChannel::new() else {
        return false;
    };
    let receiver = channel.port1();
    let resolve = resolve.clone();
    // The closure owns the channel, so it lives until the message arrives;
    // `once_into_js` frees the closure after that one call.
    let keep = channel.clone();
    let on_message = Closure::once_into_js(move || {
        let _ = resolve.call0(&JsValue::UNDEFINED);
        keep.port1().set_onmessage(None);
    });
    receiver.set_onmessage(Some(on_message.unchecked_ref()));
    channel.port2().post_message(&JsValue::NULL).is_ok()
}
