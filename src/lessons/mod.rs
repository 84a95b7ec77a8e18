//! Lessons: markdown files with TOML front matter, parsed into a [`Lesson`].
//!
//! Pure: no web crates. The UI renders a lesson with [`markdown::render_html`];
//! everything that changes a lesson before rendering is a pass from `Lesson`
//! to `Lesson` (mdBook style), so it stays testable without a browser.

pub mod blocks;
pub mod catalog;
pub mod exercise;
pub mod front_matter;
pub mod markdown;
mod meta;
pub mod model;
pub mod passes;
pub mod sanitize;
pub mod variant;

pub use catalog::builtin_lessons;
pub use exercise::Exercise;
pub use model::{Lesson, LessonError, LessonMeta};
