//! Theme choice: follow the system (the default), or force light or dark.
//! The choice is kept in localStorage and applied as `data-theme` on `<html>`;
//! the CSS does the rest, so the first paint already has the right colours.

/// What the learner picked in the theme switch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ThemeChoice {
    #[default]
    System,
    Light,
    Dark,
}

/// The localStorage key for the choice.
pub const STORAGE_KEY: &str = "event-playground.theme";

impl ThemeChoice {
    pub const ALL: [ThemeChoice; 3] = [ThemeChoice::System, ThemeChoice::Light, ThemeChoice::Dark];

    /// The value stored and used in the `<select>`.
    pub fn as_str(self) -> &'static str {
        match self {
            ThemeChoice::System => "system",
            ThemeChoice::Light => "light",
            ThemeChoice::Dark => "dark",
        }
    }

    /// The words the learner sees.
    pub fn label(self) -> &'static str {
        match self {
            ThemeChoice::System => "System",
            ThemeChoice::Light => "Light",
            ThemeChoice::Dark => "Dark",
        }
    }

    /// Reads a stored value; anything unexpected (an old or corrupted value)
    /// falls back to following the system.
    pub fn parse(value: &str) -> ThemeChoice {
        ThemeChoice::ALL
            .into_iter()
            .find(|c| c.as_str() == value)
            .unwrap_or_default()
    }

    /// The `data-theme` attribute for `<html>`; `None` lets the system decide.
    pub fn data_theme(self) -> Option<&'static str> {
        match self {
            ThemeChoice::System => None,
            other => Some(other.as_str()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_values_round_trip() {
        for choice in ThemeChoice::ALL {
            assert_eq!(ThemeChoice::parse(choice.as_str()), choice);
        }
    }

    #[test]
    fn corrupted_value_follows_the_system() {
        assert_eq!(ThemeChoice::parse("purple"), ThemeChoice::System);
        assert_eq!(ThemeChoice::parse(""), ThemeChoice::System);
    }

    #[test]
    fn system_sets_no_attribute() {
        assert_eq!(ThemeChoice::System.data_theme(), None);
        assert_eq!(ThemeChoice::Dark.data_theme(), Some("dark"));
    }
}
