//! An exercise's hints and its reference solution.

use leptos::prelude::*;

use super::hints::Hints;
use super::solution_toggle::SolutionToggle;
use super::use_playground::PlaygroundState;

/// The exercise's hints and its solution, if it has them.
#[component]
pub fn ExerciseHelp(state: PlaygroundState) -> impl IntoView {
    let exercise = state
        .lesson_setup
        .with_value(|s| s.exercise.clone().map(|e| e.exercise));
    exercise.map(|e| {
        view! {
            <Hints hints=e.hints/>
            <SolutionToggle text=e.solution/>
        }
    })
}
