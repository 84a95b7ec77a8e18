//! Where an instructor chooses or drops a lesson file.

use leptos::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::HtmlInputElement;

use super::use_lesson_loader::LessonLoaderState;

/// The file picker and drop zone of `state`.
#[component]
pub fn LessonDropZone(state: LessonLoaderState) -> impl IntoView {
    let dragging = state.dragging;
    let on_change = move |ev: leptos::ev::Event| {
        let Some(input) = ev
            .target()
            .and_then(|t| t.dyn_into::<HtmlInputElement>().ok())
        else {
            return;
        };
        if let Some(file) = input.files().and_then(|files| files.get(0)) {
            state.open_file(file);
        }
        // The same file can be chosen again after it is fixed.
        input.set_value("");
    };
    let on_drop = move |ev: leptos::ev::DragEvent| {
        ev.prevent_default();
        dragging.set(false);
        if let Some(file) = ev
            .data_transfer()
            .and_then(|d| d.files())
            .and_then(|files| files.get(0))
        {
            state.open_file(file);
        }
    };
    view! {
        <div
            class="drop-zone"
            class:dragging=move || dragging.get()
            on:dragenter=move |ev: leptos::ev::DragEvent| {
                ev.prevent_default();
                dragging.set(true);
            }
            on:dragover=move |ev: leptos::ev::DragEvent| ev.prevent_default()
            on:dragleave=move |_| dragging.set(false)
            on:drop=on_drop
        >
            <label for="lesson-file">"Choose a lesson file"</label>
            <input id="lesson-file" type="file" accept=".md,.markdown,text/markdown,text/plain" on:change=on_change/>
            <span class="drop-hint">"or drop it here"</span>
        </div>
    }
}
