//! The top bar: product name, links to the learner's saved work and the
//! instructors' lesson loader, presenter mode, the shortcuts and the theme
//! switch.

use leptos::prelude::*;

use super::theme::ThemeChoice;

/// The app header.
///
/// - `theme`: the learner's theme choice; the switch writes it.
/// - `presenter`: whether presenter mode is on; its button toggles it.
/// - `help_open`: whether the shortcuts list is shown; its button opens it.
#[component]
pub fn Header(
    theme: RwSignal<ThemeChoice>,
    presenter: RwSignal<bool>,
    help_open: RwSignal<bool>,
) -> impl IntoView {
    let options = ThemeChoice::ALL
        .into_iter()
        .map(|choice| {
            view! {
                <option value=choice.as_str() selected=move || theme.get() == choice>
                    {choice.label()}
                </option>
            }
        })
        .collect_view();
    view! {
        <header class="app-header">
            <a class="brand" href="#/">
                <span class="brand-mark" aria-hidden="true">"⇄"</span>
                "Event Playground"
            </a>
            <nav class="header-links" aria-label="App">
                <a href="#/work">"Your work"</a>
                <a class="load-lesson-link" href="#/load">"Load a lesson"</a>
            </nav>
            <button
                type="button"
                class="presenter-toggle"
                aria-pressed=move || presenter.get().to_string()
                on:click=move |_| presenter.update(|on| *on = !*on)
            >
                "Presenter mode"
            </button>
            <button
                type="button"
                aria-label="Keyboard shortcuts"
                aria-keyshortcuts="?"
                on:click=move |_| help_open.set(true)
            >
                <kbd aria-hidden="true">"?"</kbd>
            </button>
            <label class="theme-switch">
                <span>"Theme"</span>
                <select on:change=move |ev| theme.set(ThemeChoice::parse(&event_target_value(&ev)))>
                    {options}
                </select>
            </label>
        </header>
    }
}
