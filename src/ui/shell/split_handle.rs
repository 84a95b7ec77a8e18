//! The handle between the lesson and the playground: drag it, or focus it
//! and use the arrow keys, Home, End and Enter (the ARIA separator pattern).

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::split_model::{share_after_key, share_at_pointer, MAX_LESSON_SHARE, MIN_LESSON_SHARE};

/// The separator.
///
/// - `share`: the lesson's share of the width, in percent; the handle
///   reads and sets it.
#[component]
pub fn SplitHandle(share: RwSignal<u32>) -> impl IntoView {
    let dragging = RwSignal::new(false);
    let on_key = move |ev: leptos::ev::KeyboardEvent| {
        if let Some(next) = share_after_key(share.get_untracked(), &ev.key()) {
            ev.prevent_default();
            share.set(next);
        }
    };
    // The layout is the handle's parent: its box gives the pointer's share.
    let move_to = move |ev: &leptos::ev::PointerEvent| {
        let Some(handle) = ev
            .current_target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        else {
            return;
        };
        let Some(layout) = handle.parent_element() else {
            return;
        };
        let rect = layout.get_bounding_client_rect();
        share.set(share_at_pointer(
            f64::from(ev.client_x()),
            rect.left(),
            rect.width(),
        ));
    };
    let on_down = move |ev: leptos::ev::PointerEvent| {
        if let Some(handle) = ev
            .current_target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        {
            // Capture keeps the drag going when the pointer leaves the
            // thin handle; a failure only means a shorter drag.
            let _ = handle.set_pointer_capture(ev.pointer_id());
        }
        dragging.set(true);
        ev.prevent_default();
    };
    let on_move = move |ev: leptos::ev::PointerEvent| {
        if dragging.get_untracked() {
            move_to(&ev);
        }
    };
    let on_up = move |_: leptos::ev::PointerEvent| dragging.set(false);
    view! {
        <div
            class="split-handle"
            class:dragging=move || dragging.get()
            role="separator"
            aria-orientation="vertical"
            aria-label="Resize the lesson and the playground"
            aria-valuemin=MIN_LESSON_SHARE
            aria-valuemax=MAX_LESSON_SHARE
            aria-valuenow=move || share.get()
            aria-valuetext=move || format!("lesson {}% of the width", share.get())
            tabindex="0"
            on:keydown=on_key
            on:pointerdown=on_down
            on:pointermove=on_move
            on:pointerup=on_up
            on:pointercancel=on_up
        ></div>
    }
}
