//! Helpers shared by the `tests/ui_*.rs` files that drive a playground's
//! model natively.

use event_playground::lessons::{builtin_lessons, Lesson};
use event_playground::ui::simulator::playground_model::PlaygroundSetup;

/// The built-in lesson with id `id`.
pub fn lesson(id: &str) -> Lesson {
    builtin_lessons()
        .unwrap()
        .into_iter()
        .find(|l| l.meta.id == id)
        .unwrap_or_else(|| panic!("lesson {id}"))
}

/// The playground of the version-store lesson (lesson 6).
pub fn setup() -> PlaygroundSetup {
    PlaygroundSetup::from_lesson(&lesson("version-store"))
        .expect("has a scenario")
        .expect("valid")
}
