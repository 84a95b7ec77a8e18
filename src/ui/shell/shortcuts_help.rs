//! The list of keyboard shortcuts, opened with "?" from anywhere but a text
//! field (see `presenter::shortcut_for`), for the learner and for the
//! instructor at the projector.

use leptos::html::Button;
use leptos::prelude::*;

use super::presenter::SHORTCUTS;

/// The overlay; shown while `open` is true. Focus moves to its Close button
/// so Enter or Escape closes it at once.
///
/// - `open`: whether the list is shown; Close and Escape set it to false.
#[component]
pub fn ShortcutsHelp(open: RwSignal<bool>) -> impl IntoView {
    let close_ref = NodeRef::<Button>::new();
    Effect::new(move |_| {
        if open.get() {
            if let Some(button) = close_ref.get() {
                let _ = button.focus();
            }
        }
    });
    let rows = SHORTCUTS
        .iter()
        .map(|(keys, what)| view! { <tr><th scope="row"><kbd>{*keys}</kbd></th><td>{*what}</td></tr> })
        .collect_view();
    view! {
        <Show when=move || open.get()>
            <div class="overlay-backdrop" on:click=move |_| open.set(false)></div>
            <div class="shortcuts-help" role="dialog" aria-modal="true" aria-labelledby="shortcuts-title">
                <h2 id="shortcuts-title">"Keyboard shortcuts"</h2>
                <table>
                    <tbody>{rows.clone()}</tbody>
                </table>
                <button type="button" node_ref=close_ref on:click=move |_| open.set(false)>
                    "Close"
                </button>
            </div>
        </Show>
    }
}
