//! The top bar: product name, the instructors' lesson loader and the theme
//! switch.

use leptos::prelude::*;

use super::theme::ThemeChoice;

/// The app header.
///
/// - `theme`: the learner's theme choice; the switch writes it.
#[component]
pub fn Header(theme: RwSignal<ThemeChoice>) -> impl IntoView {
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
            <a class="load-lesson-link" href="#/load">"Load a lesson"</a>
            <label class="theme-switch">
                <span>"Theme"</span>
                <select on:change=move |ev| theme.set(ThemeChoice::parse(&event_target_value(&ev)))>
                    {options}
                </select>
            </label>
        </header>
    }
}
