//! The banner over a playground opened from a share link: what is shown,
//! and (for a lesson) how to keep it or go back to the learner's own work.

use leptos::prelude::*;

use super::use_saved_work::SavedWork;
use crate::ui::shell::route::lesson_href;

/// While `work` is a share link's version: says so; `home` is the lesson it
/// belongs to (none: a shared scenario, which is never saved).
#[component]
pub fn SharedBanner(work: SavedWork, home: Option<String>) -> impl IntoView {
    move || {
        let home = home.clone();
        work.viewing_shared.get().then(|| match home {
            Some(home) => view! {
                <div class="notice shared-banner" role="status">
                    <p>
                        <strong>"You are viewing a shared version of this lesson."</strong>
                        " Your own saved code is unchanged; edits here are not saved unless you keep this version."
                    </p>
                    <button
                        type="button"
                        on:click={
                            let home = home.clone();
                            move |_| work.keep_shared(&home)
                        }
                    >
                        "Keep this version"
                    </button>
                    " "
                    <a href=lesson_href(&home)>"Back to my saved code"</a>
                </div>
            }
            .into_any(),
            None => view! {
                <div class="notice shared-banner" role="status">
                    <p>
                        <strong>"You are viewing a shared scenario."</strong>
                        " It is not one of the lessons, and nothing you do here is saved in this browser: copy a share link to keep your changes."
                    </p>
                </div>
            }
            .into_any(),
        })
    }
}
