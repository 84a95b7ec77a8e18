//! The arguments the shell passes through the door (`door.rs`). A leaf of
//! their own so that the simulator's entry points, which `door.rs` names,
//! read them without importing `door.rs` back.

use crate::lessons::Lesson;
use crate::ui::shell::share_link::SharedWork;

/// What a lesson's playground is shown with.
#[derive(Clone)]
pub struct LessonPlayground {
    /// The lesson as written, scenario blocks included.
    pub lesson: Lesson,
    /// The key its code and progress are saved under.
    pub lesson_id: String,
    /// An instructor's lesson (its share links carry the scenario itself).
    pub untrusted: bool,
    /// Code and seed from a share link, if the page was opened with one.
    pub shared: Option<SharedWork>,
}
