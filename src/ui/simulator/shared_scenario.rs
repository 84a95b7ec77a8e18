//! A share link that carries a whole scenario (TOML), not a lesson: its
//! playground alone, with the shared code and seed. The scenario came from
//! a link, so it is parsed and validated like any scenario file (with every
//! limit), and a broken one is explained, line by line, instead of run.

use leptos::prelude::*;

use super::playground::Playground;
use super::playground_model::PlaygroundSetup;
use crate::ui::shell::share_link::{SharedTarget, SharedWork};

/// The save key of a shared scenario's playground. Nothing is saved while a
/// shared version is shown, and a shared scenario is always shown as one.
const SHARED_SCENARIO_KEY: &str = "shared-scenario";

/// The shared scenario's playground, or what is wrong with the scenario.
/// Part of the simulator's file: the shell reaches it through
/// [`Simulator::shared_scenario`](super::door::Simulator).
///
/// - `toml`: the scenario's text, from the link.
/// - `work`: the whole link (code and seed to show).
pub fn shared_scenario(toml: String, work: SharedWork) -> AnyView {
    match PlaygroundSetup::from_scenario_text(&toml) {
        Ok(setup) => {
            let name = setup.scenario.config.scenario.name.clone();
            let description = setup.scenario.config.scenario.description.clone();
            let description = (!description.is_empty()).then(|| view! { <p>{description}</p> });
            view! {
                <div class="shared-scenario">
                    <h1>{format!("Shared scenario: {name}")}</h1>
                    {description}
                    <Playground
                        setup
                        lesson_id=SHARED_SCENARIO_KEY.to_string()
                        share_as=Some(SharedTarget::Scenario { toml })
                        shared=Some(work)
                    />
                </div>
            }
            .into_any()
        }
        Err(message) => view! {
            <section class="missing" role="alert">
                <h1>"This shared scenario cannot be run"</h1>
                <p>"The scenario in this link has errors. Your saved work was not changed."</p>
                <pre class="run-error">{message}</pre>
                <p><a href="#/">"Go to the first lesson"</a></p>
            </section>
        }
        .into_any(),
    }
}
