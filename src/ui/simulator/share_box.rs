//! "Copy share link": a link holding the lesson (or scenario), the code
//! and the seed, copied to the clipboard when the browser allows and shown
//! in a text box either way (a blocked clipboard must not lose the link).

use leptos::prelude::*;

use crate::ui::shell::browser::{copy_text_area, page_address};
use crate::ui::shell::share_link::{self, SharedTarget, SharedWork};

/// The share button, its status line and the link box.
///
/// - `target`: what the link points at (a lesson and block, or a scenario).
/// - `code`, `seed`: read when the button is pressed.
/// - `scenario`: the scenario as edited in the Scenario tab, `None` while
///   it is the original (the link is then the one made before the tab).
#[component]
pub fn ShareBox(
    target: SharedTarget,
    code: RwSignal<String>,
    seed: RwSignal<u64>,
    #[prop(optional, into)] scenario: Signal<Option<String>>,
    #[prop(optional, into)] interventions: Signal<Option<String>>,
) -> impl IntoView {
    let what = match target {
        SharedTarget::Scenario { .. } => "this scenario",
        SharedTarget::Lesson { .. } => "this lesson",
    };
    let target = StoredValue::new(target);
    let link_area = NodeRef::<leptos::html::Textarea>::new();
    let link_text = RwSignal::new(None::<String>);
    let status = RwSignal::new(String::new());
    let make_link = move |_| {
        let edited = scenario.get_untracked();
        let acts = interventions.get_untracked();
        let work = match (target.get_value(), edited) {
            // A shared scenario carries its text: the edit replaces it.
            (SharedTarget::Scenario { .. }, Some(toml)) => SharedWork {
                target: SharedTarget::Scenario { toml },
                code: code.get_untracked(),
                seed: seed.get_untracked(),
                scenario: None,
                interventions: acts.clone(),
            },
            (target, edited) => SharedWork {
                target,
                code: code.get_untracked(),
                seed: seed.get_untracked(),
                scenario: edited,
                interventions: acts.clone(),
            },
        };
        let link = format!("{}{}", page_address(), share_link::encode(&work));
        link_text.set(Some(link.clone()));
        let copied = link_area
            .get()
            .map(|a| {
                // Set now: the reactive value lands after this handler.
                a.set_value(&link);
                a.set_hidden(false);
                copy_text_area(&a)
            })
            .unwrap_or(false);
        status.set(status_text(what, acts.is_some(), copied));
    };
    view! {
        <div class="share">
            <button type="button" on:click=make_link>"Copy share link"</button>
            <p role="status" class="share-status">{move || status.get()}</p>
            <textarea
                node_ref=link_area
                class="share-link"
                readonly
                rows="2"
                aria-label="Share link"
                hidden=move || link_text.with(Option::is_none)
                prop:value=move || link_text.get().unwrap_or_default()
            ></textarea>
        </div>
    }
}

/// What the status line says of a link to `what` (with a branch's acts or
/// not), copied to the clipboard or not.
fn status_text(what: &str, with_branch: bool, copied: bool) -> String {
    let holds = if with_branch {
        ", the seed and the branch shown"
    } else {
        " and the seed"
    };
    if copied {
        format!("Link copied: it holds {what}, your code{holds}.")
    } else {
        format!("Copy the link below: it holds {what}, your code{holds}.")
    }
}
