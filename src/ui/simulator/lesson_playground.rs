//! A lesson's playground: one per scenario block, or a choice between them.
//! Part of the simulator's file (see `simulator.rs`): the app shell reaches
//! it only through [`Simulator::lesson_playground`](super::door::Simulator).

use leptos::prelude::*;

use super::door_args::LessonPlayground;
use super::playground::Playground;
use super::playground_model::PlaygroundSetup;
use crate::ui::shell::share_link::{SharedTarget, SharedWork};

/// The playground(s) of a lesson with scenario blocks, or what is wrong with
/// its scenarios, in words, where the playground would be.
pub fn lesson_playground(args: LessonPlayground) -> AnyView {
    let LessonPlayground {
        lesson,
        lesson_id,
        untrusted,
        shared,
    } = args;
    match PlaygroundSetup::all_from_lesson(&lesson) {
        Some(Ok(setups)) => view! { <Playgrounds setups lesson_id untrusted shared/> }.into_any(),
        Some(Err(message)) => view! {
            <section class="playground" role="alert">
                <h2>"This lesson's scenario has an error"</h2>
                <pre class="run-error">{message}</pre>
            </section>
        }
        .into_any(),
        None => ().into_any(),
    }
}

/// The playground of a lesson with one scenario block, or a choice between
/// the playgrounds of several (a story told with one scenario, an exercise
/// judged on another).
///
/// - `setups`: one per scenario block, in lesson order.
/// - `lesson_id`: the lesson's id. The block with the exercise (else the
///   first) saves its code and progress under it, the others under
///   `<id>/<n>`, so switching never mixes their code.
/// - `untrusted`: an instructor's lesson: its share links carry the
///   scenario itself, since whoever opens them does not have the lesson.
/// - `shared`: code and seed from a share link, for the block it names
///   (which is shown first).
#[component]
fn Playgrounds(
    setups: Vec<PlaygroundSetup>,
    lesson_id: String,
    untrusted: bool,
    shared: Option<SharedWork>,
) -> impl IntoView {
    let main = setups
        .iter()
        .position(|s| s.exercise.is_some())
        .unwrap_or(0);
    let save_key = {
        let lesson_id = lesson_id.clone();
        move |i: usize| {
            if i == main {
                lesson_id.clone()
            } else {
                format!("{lesson_id}/{}", i + 1)
            }
        }
    };
    let share_as = move |i: usize, setup: &PlaygroundSetup| {
        if untrusted {
            SharedTarget::Scenario {
                toml: setup.source.clone(),
            }
        } else {
            SharedTarget::Lesson {
                id: lesson_id.clone(),
                block: (i != main).then_some(i as u32),
            }
        }
    };
    // A link to one block opens on it; otherwise the first block, which
    // tells the lesson's story, is shown first.
    let shared_block = shared.as_ref().map(|work| match work.target {
        SharedTarget::Lesson {
            block: Some(block), ..
        } if (block as usize) < setups.len() => block as usize,
        _ => main,
    });
    if setups.len() == 1 {
        let setup = setups.into_iter().next();
        return setup
            .map(|setup| {
                let share_as = Some(share_as(0, &setup));
                view! { <Playground setup lesson_id=save_key(0) share_as shared/> }
            })
            .into_any();
    }
    let titles: Vec<String> = setups.iter().map(PlaygroundSetup::title).collect();
    let setups = StoredValue::new(setups);
    let first = shared_block.unwrap_or(0);
    let chosen = RwSignal::new(first);
    let shared = StoredValue::new(shared);
    let options = titles
        .into_iter()
        .enumerate()
        .map(
            |(i, title)| view! { <option value=i.to_string() selected=i == first>{title}</option> },
        )
        .collect_view();
    view! {
        <div class="playgrounds">
            <label class="scenario-choice">
                "Scenario "
                <select on:change=move |ev| {
                    if let Ok(i) = event_target_value(&ev).parse::<usize>() {
                        chosen.set(i);
                    }
                }>{options}</select>
            </label>
            {move || {
                let i = chosen.get();
                let setup = setups.with_value(|s| s.get(i).cloned());
                let shared = if Some(i) == shared_block { shared.get_value() } else { None };
                setup.map(|setup| {
                    let share_as = Some(share_as(i, &setup));
                    view! { <Playground setup lesson_id=save_key(i) share_as shared/> }
                })
            }}
        </div>
    }
    .into_any()
}
