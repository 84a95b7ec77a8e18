//! "Reset code" asks first: resetting throws the learner's code away.

use leptos::prelude::*;

use crate::ui::shell::confirm_panel::ConfirmPanel;

/// While `asking`: the question, with `on_confirm` to reset.
#[component]
pub fn ResetQuestion(asking: RwSignal<bool>, on_confirm: Callback<()>) -> impl IntoView {
    let confirm = Callback::new(move |_| {
        asking.set(false);
        on_confirm.run(());
    });
    move || {
        asking.get().then(|| {
            view! {
                <ConfirmPanel
                    message="Replace your code with the lesson's starting code? Your version is lost unless you copied or shared it.".to_string()
                    confirm_label="Reset my code".to_string()
                    on_confirm=confirm
                    on_cancel=Callback::new(move |_| asking.set(false))
                />
            }
        })
    }
}
