//! The code editor behind a small interface, Rust Playground style: code
//! in (`code`), edits out (the same signal), plus a run request. Today a
//! textarea with line numbers; a richer editor can replace this file
//! without touching its callers.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// Numbers the editors of the page (for their element ids).
fn next_editor_number() -> u32 {
    use std::sync::atomic::{AtomicU32, Ordering};
    static NEXT: AtomicU32 = AtomicU32::new(1);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

/// Spaces Tab inserts.
const INDENT: &str = "    ";

/// A code editor.
///
/// - `label`: its accessible name ("Code of function save").
/// - `code`: the code; the editor writes every edit back.
/// - `on_run`: called on Ctrl+Enter or Cmd+Enter.
/// - `error_line`: a line to mark (1-based), if the engine reported one.
#[component]
pub fn CodeEditor(
    label: String,
    code: RwSignal<String>,
    on_run: Callback<()>,
    #[prop(into)] error_line: Signal<Option<u32>>,
) -> impl IntoView {
    // Ids unique per editor, so two editors on a page never share a hint.
    let hint_id = format!("editor-keys-{}", next_editor_number());
    let error_id = format!("{hint_id}-error");
    let described_by = format!("{hint_id} {error_id}");
    let line_numbers = move || line_numbers_view(code, error_line.get());
    let on_keydown = move |ev: web_sys::KeyboardEvent| on_key(&ev, code, on_run);
    view! {
        <div class="code-editor">
            <div class="line-numbers" aria-hidden="true">{line_numbers}</div>
            <textarea
                aria-label=label
                aria-describedby=described_by
                aria-invalid=move || error_line.get().map(|_| "true")
                spellcheck="false"
                autocapitalize="off"
                autocomplete="off"
                prop:value=move || code.get()
                on:input=move |ev| code.set(event_target_value(&ev))
                on:keydown=on_keydown
            ></textarea>
        </div>
        <p id=hint_id class="hint-text">
            "Tab indents, Escape leaves the editor, Ctrl+Enter runs."
        </p>
        // Said with the editor's name when it has focus, and shown beside
        // the marked line number, so the error is not a colour alone.
        <p id=error_id class="editor-error">
            {move || error_line.get().map(|n| format!("Line {n} has an error: the message is under Run."))}
        </p>
    }
}

/// The gutter: one number per line, the reported error's line marked.
fn line_numbers_view(code: RwSignal<String>, marked: Option<u32>) -> impl IntoView {
    let lines = code.with(|c| c.lines().count().max(1));
    (1..=lines)
        .map(|n| {
            let class = if Some(n as u32) == marked {
                "error-line"
            } else {
                ""
            };
            view! { <span class=class>{n}</span> }
        })
        .collect_view()
}

/// The editor's keys: Ctrl/Cmd+Enter runs, Tab indents (Escape then Tab
/// leaves, as the hint under the editor says), Escape leaves.
fn on_key(ev: &web_sys::KeyboardEvent, code: RwSignal<String>, on_run: Callback<()>) {
    if ev.key() == "Enter" && (ev.ctrl_key() || ev.meta_key()) {
        ev.prevent_default();
        on_run.run(());
    } else if ev.key() == "Tab" && !ev.shift_key() && !ev.ctrl_key() && !ev.alt_key() {
        let Some(area) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlTextAreaElement>().ok())
        else {
            return;
        };
        ev.prevent_default();
        let _ = area.set_range_text(INDENT);
        if let Ok(Some(end)) = area.selection_end() {
            let at = end + INDENT.len() as u32;
            let _ = area.set_selection_range(at, at);
        }
        code.set(area.value());
    } else if ev.key() == "Escape" {
        if let Some(area) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlElement>().ok())
        {
            let _ = area.blur();
        }
    }
}
