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
    let blocks = LessonBlocks::new(&setups, lesson_id, untrusted);
    let shared_block = shared
        .as_ref()
        .map(|work| blocks.shared_block(work, setups.len()));
    if setups.len() == 1 {
        return setups
            .into_iter()
            .next()
            .map(|setup| {
                let share_as = Some(blocks.share_as(0, &setup));
                view! { <Playground setup lesson_id=blocks.save_key(0) share_as shared/> }
            })
            .into_any();
    }
    let titles: Vec<String> = setups.iter().map(PlaygroundSetup::title).collect();
    let setups = StoredValue::new(setups);
    let blocks = StoredValue::new(blocks);
    let first = shared_block.unwrap_or(0);
    let chosen = RwSignal::new(first);
    let shared = StoredValue::new(shared);
    let shown = move || {
        let i = chosen.get();
        let setup = setups.with_value(|s| s.get(i).cloned())?;
        let shared = if Some(i) == shared_block {
            shared.get_value()
        } else {
            None
        };
        let (share_as, lesson_id) =
            blocks.with_value(|b| (Some(b.share_as(i, &setup)), b.save_key(i)));
        Some(view! { <Playground setup lesson_id share_as shared/> })
    };
    view! {
        <div class="playgrounds">
            <label class="scenario-choice">
                "Scenario "
                <select on:change=move |ev| {
                    if let Ok(i) = event_target_value(&ev).parse::<usize>() {
                        chosen.set(i);
                    }
                }>{block_options(titles, first)}</select>
            </label>
            {shown}
        </div>
    }
    .into_any()
}

/// One option per scenario block, `first` selected.
fn block_options(titles: Vec<String>, first: usize) -> impl IntoView {
    titles
        .into_iter()
        .enumerate()
        .map(
            |(i, title)| view! { <option value=i.to_string() selected=i == first>{title}</option> },
        )
        .collect_view()
}

/// How a lesson's scenario blocks save and share: the block with the
/// exercise (else the first) is the lesson's main one.
pub struct LessonBlocks {
    main: usize,
    lesson_id: String,
    untrusted: bool,
}

impl LessonBlocks {
    /// The blocks of `setups` of lesson `lesson_id`.
    pub fn new(setups: &[PlaygroundSetup], lesson_id: String, untrusted: bool) -> LessonBlocks {
        let main = setups
            .iter()
            .position(|s| s.exercise.is_some())
            .unwrap_or(0);
        LessonBlocks {
            main,
            lesson_id,
            untrusted,
        }
    }

    /// Where block `i` saves its code: the lesson's id for the main block,
    /// `<id>/<n>` for the others, so switching never mixes their code.
    pub fn save_key(&self, i: usize) -> String {
        if i == self.main {
            self.lesson_id.clone()
        } else {
            format!("{}/{}", self.lesson_id, i + 1)
        }
    }

    /// What a share link of block `i` names: the lesson and the block, or
    /// for an instructor's lesson the scenario itself.
    pub fn share_as(&self, i: usize, setup: &PlaygroundSetup) -> SharedTarget {
        if self.untrusted {
            SharedTarget::Scenario {
                toml: setup.source.clone(),
            }
        } else {
            SharedTarget::Lesson {
                id: self.lesson_id.clone(),
                block: (i != self.main).then_some(i as u32),
            }
        }
    }

    /// The block a link opens on: the one it names, else the main one.
    pub fn shared_block(&self, work: &SharedWork, blocks: usize) -> usize {
        match work.target {
            SharedTarget::Lesson {
                block: Some(block), ..
            } if (block as usize) < blocks => block as usize,
            _ => self.main,
        }
    }
}
