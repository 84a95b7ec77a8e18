//! An inline "are you sure?" for actions that throw work away (reset a
//! lesson, reset everything, replace saved work with an imported file).
//! Inline rather than `window.confirm`: it says exactly what will be lost,
//! keeps the page's theme and type size, and tests can drive it like any
//! other control.

use leptos::html::Button;
use leptos::prelude::*;

/// The question and its two answers. Focus starts on the safe answer
/// (cancel); Escape cancels too.
///
/// - `message`: what the action does and what is lost, in a sentence.
/// - `confirm_label`: the words of the button that goes ahead.
/// - `on_confirm`: called when the learner goes ahead.
/// - `on_cancel`: called on cancel or Escape.
#[component]
pub fn ConfirmPanel(
    message: String,
    confirm_label: String,
    on_confirm: Callback<()>,
    on_cancel: Callback<()>,
) -> impl IntoView {
    let cancel_ref = NodeRef::<Button>::new();
    Effect::new(move |_| {
        if let Some(button) = cancel_ref.get() {
            let _ = button.focus();
        }
    });
    view! {
        <div
            class="confirm-panel"
            role="alertdialog"
            aria-label=confirm_label.clone()
            on:keydown=move |ev| {
                if ev.key() == "Escape" {
                    ev.stop_propagation();
                    on_cancel.run(());
                }
            }
        >
            <p>{message}</p>
            <button type="button" class="danger" on:click=move |_| on_confirm.run(())>
                {confirm_label.clone()}
            </button>
            " "
            <button type="button" node_ref=cancel_ref on:click=move |_| on_cancel.run(())>
                "Cancel"
            </button>
        </div>
    }
}
