//! Presenter mode and the app's keyboard shortcuts, as plain logic: whether
//! presenter mode is on (kept in localStorage, so a reload in front of the
//! room keeps it), and which shortcut a key press means. The components
//! only apply the answers.

/// localStorage key of the presenter-mode switch.
pub const PRESENTER_KEY: &str = "event-playground.presenter";
/// The value stored while presenter mode is on.
const ON: &str = "on";

/// Reads the stored switch; anything but "on" (missing, damaged) is off.
pub fn presenter_from_storage(stored: Option<&str>) -> bool {
    stored == Some(ON)
}

/// The value to store for the switch.
pub fn presenter_to_storage(on: bool) -> &'static str {
    if on {
        ON
    } else {
        "off"
    }
}

/// What a key press asks the app to do.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shortcut {
    /// Open or close the list of shortcuts.
    ToggleHelp,
    /// Close the list of shortcuts.
    CloseHelp,
    /// Leave presenter mode.
    LeavePresenter,
}

/// Where the key was pressed and what is on screen.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct KeyContext {
    /// Focus is in a text field (the code editor, the seed): typed
    /// characters belong to it, never to a shortcut.
    pub in_text_field: bool,
    /// The list of shortcuts is open.
    pub help_open: bool,
    /// Presenter mode is on.
    pub presenter: bool,
    /// Ctrl, Alt or Meta is held (a browser or system shortcut).
    pub modifier: bool,
}

/// The shortcut `key` (a `KeyboardEvent.key`) means here, if any.
pub fn shortcut_for(key: &str, at: KeyContext) -> Option<Shortcut> {
    if at.modifier {
        return None;
    }
    match key {
        "?" if !at.in_text_field => Some(Shortcut::ToggleHelp),
        "Escape" if at.help_open => Some(Shortcut::CloseHelp),
        // In the code editor Escape means "leave the editor" (so Tab moves
        // focus again); presenter mode is left from anywhere else.
        "Escape" if at.presenter && !at.in_text_field => Some(Shortcut::LeavePresenter),
        _ => None,
    }
}

/// The shortcuts, as the help overlay lists them: keys, then what they do.
pub const SHORTCUTS: &[(&str, &str)] = &[
    ("?", "Show or hide this list"),
    ("Escape", "Close this list; otherwise leave presenter mode"),
    (
        "Ctrl+Enter (\u{2318}+Enter)",
        "Run the code, from the code editor",
    ),
    ("Tab", "Indent, in the code editor"),
    ("Escape, then Tab", "Leave the code editor"),
    (
        "\u{2190} \u{2192}",
        "Move the split between lesson and playground, on its handle",
    ),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_on_is_on() {
        assert!(presenter_from_storage(Some(presenter_to_storage(true))));
        assert!(!presenter_from_storage(Some(presenter_to_storage(false))));
        for stored in [None, Some(""), Some("yes"), Some("ON ")] {
            assert!(!presenter_from_storage(stored), "{stored:?}");
        }
    }

    #[test]
    fn question_mark_toggles_help_outside_text_fields() {
        let page = KeyContext::default();
        assert_eq!(shortcut_for("?", page), Some(Shortcut::ToggleHelp));
        let open = KeyContext {
            help_open: true,
            ..page
        };
        assert_eq!(shortcut_for("?", open), Some(Shortcut::ToggleHelp));
        let typing = KeyContext {
            in_text_field: true,
            ..page
        };
        assert_eq!(shortcut_for("?", typing), None);
        let with_ctrl = KeyContext {
            modifier: true,
            ..page
        };
        assert_eq!(shortcut_for("?", with_ctrl), None);
    }

    #[test]
    fn escape_closes_help_first_then_leaves_presenter_mode() {
        let both = KeyContext {
            help_open: true,
            presenter: true,
            ..KeyContext::default()
        };
        assert_eq!(shortcut_for("Escape", both), Some(Shortcut::CloseHelp));
        let presenter = KeyContext {
            presenter: true,
            ..KeyContext::default()
        };
        assert_eq!(
            shortcut_for("Escape", presenter),
            Some(Shortcut::LeavePresenter)
        );
        let in_editor = KeyContext {
            in_text_field: true,
            ..presenter
        };
        assert_eq!(shortcut_for("Escape", in_editor), None);
        assert_eq!(shortcut_for("Escape", KeyContext::default()), None);
        assert_eq!(shortcut_for("a", presenter), None);
    }
}
