//! What kind of error ended an invocation, as a value the engine matches on
//! (a timeout answers 504 behind an endpoint and `States.Timeout` in a
//! workflow) and as the text the trace records in `error_kind`.
//!
//! Why the text is fixed: the trace feeds the golden hash of
//! `tests/sim_determinism.rs` and the learner reads it in the sequence
//! diagram, so each kind keeps the name it has always had there (the
//! `Debug` form of the sandbox's [`HandlerErrorKind`], e.g.
//! `LimitExceeded(Operations)`). The test below pins every name.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::sim::sandbox::{HandlerErrorKind, LimitKind};

/// What ended an invocation with an error.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InvocationErrorKind {
    /// The handler failed, or ran out of time (`Handler(Timeout)`).
    Handler(HandlerErrorKind),
    /// Refused at once: the function is at its concurrency limit (HTTP 429).
    TooManyRequests,
    /// Its environment was crashed by an intervention mid-invocation
    /// (docs/interventions.md).
    EnvironmentCrashed,
}

impl InvocationErrorKind {
    /// The function ran out of time.
    pub const TIMEOUT: InvocationErrorKind =
        InvocationErrorKind::Handler(HandlerErrorKind::Timeout);

    /// True when the function ran out of time (however it was noticed).
    pub fn is_timeout(self) -> bool {
        self == Self::TIMEOUT
    }

    /// The name the trace records (`error_kind`) and serde writes.
    pub fn name(self) -> &'static str {
        match self {
            Self::Handler(kind) => handler_kind_name(kind),
            Self::TooManyRequests => "TooManyRequestsException",
            Self::EnvironmentCrashed => "EnvironmentCrashed",
        }
    }

    /// The kind called `name` (the inverse of [`InvocationErrorKind::name`]).
    pub fn from_name(name: &str) -> Option<InvocationErrorKind> {
        ALL.iter().copied().find(|k| k.name() == name)
    }
}

/// Every kind, in declaration order (for [`InvocationErrorKind::from_name`]).
const ALL: [InvocationErrorKind; 27] = {
    use HandlerErrorKind as H;
    use InvocationErrorKind::Handler;
    use LimitKind as L;
    [
        Handler(H::Syntax),
        Handler(H::MissingHandler),
        Handler(H::LimitExceeded(L::Operations)),
        Handler(H::LimitExceeded(L::CallLevels)),
        Handler(H::LimitExceeded(L::StringSize)),
        Handler(H::LimitExceeded(L::ArraySize)),
        Handler(H::LimitExceeded(L::MapSize)),
        Handler(H::LimitExceeded(L::ExprDepth)),
        Handler(H::LimitExceeded(L::Variables)),
        Handler(H::LimitExceeded(L::Functions)),
        Handler(H::LimitExceeded(L::LogLines)),
        Handler(H::LimitExceeded(L::LogBytes)),
        Handler(H::LimitExceeded(L::StoreCalls)),
        Handler(H::Timeout),
        Handler(H::Thrown),
        Handler(H::ConditionalCheckFailed),
        Handler(H::InvalidArgument),
        Handler(H::VariableNotFound),
        Handler(H::PropertyNotFound),
        Handler(H::FunctionNotFound),
        Handler(H::TypeMismatch),
        Handler(H::IndexOutOfBounds),
        Handler(H::Arithmetic),
        Handler(H::BadReturn),
        Handler(H::Runtime),
        InvocationErrorKind::TooManyRequests,
        InvocationErrorKind::EnvironmentCrashed,
    ]
};

/// A flat name table: one arm per handler error kind.
fn handler_kind_name(kind: HandlerErrorKind) -> &'static str {
    use HandlerErrorKind as H;
    match kind {
        H::Syntax => "Syntax",
        H::MissingHandler => "MissingHandler",
        H::LimitExceeded(limit) => limit_exceeded_name(limit),
        H::Timeout => "Timeout",
        H::Thrown => "Thrown",
        H::ConditionalCheckFailed => "ConditionalCheckFailed",
        H::InvalidArgument => "InvalidArgument",
        H::VariableNotFound => "VariableNotFound",
        H::PropertyNotFound => "PropertyNotFound",
        H::FunctionNotFound => "FunctionNotFound",
        H::TypeMismatch => "TypeMismatch",
        H::IndexOutOfBounds => "IndexOutOfBounds",
        H::Arithmetic => "Arithmetic",
        H::BadReturn => "BadReturn",
        H::Runtime => "Runtime",
    }
}

/// A flat name table: one arm per sandbox limit.
fn limit_exceeded_name(limit: LimitKind) -> &'static str {
    use LimitKind as L;
    match limit {
        L::Operations => "LimitExceeded(Operations)",
        L::CallLevels => "LimitExceeded(CallLevels)",
        L::StringSize => "LimitExceeded(StringSize)",
        L::ArraySize => "LimitExceeded(ArraySize)",
        L::MapSize => "LimitExceeded(MapSize)",
        L::ExprDepth => "LimitExceeded(ExprDepth)",
        L::Variables => "LimitExceeded(Variables)",
        L::Functions => "LimitExceeded(Functions)",
        L::LogLines => "LimitExceeded(LogLines)",
        L::LogBytes => "LimitExceeded(LogBytes)",
        L::StoreCalls => "LimitExceeded(StoreCalls)",
    }
}

impl From<HandlerErrorKind> for InvocationErrorKind {
    fn from(kind: HandlerErrorKind) -> Self {
        InvocationErrorKind::Handler(kind)
    }
}

impl fmt::Display for InvocationErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl Serialize for InvocationErrorKind {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.name())
    }
}

impl<'de> Deserialize<'de> for InvocationErrorKind {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let name = String::deserialize(deserializer)?;
        InvocationErrorKind::from_name(&name).ok_or_else(|| {
            serde::de::Error::custom(format!("unknown invocation error kind `{name}`"))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The text each kind has in the trace: changing one changes the golden
    /// trace hash and what the sequence diagram shows.
    const PINNED: [(InvocationErrorKind, &str); 27] = {
        use HandlerErrorKind as H;
        use InvocationErrorKind::Handler;
        use LimitKind as L;
        [
            (Handler(H::Syntax), "Syntax"),
            (Handler(H::MissingHandler), "MissingHandler"),
            (
                Handler(H::LimitExceeded(L::Operations)),
                "LimitExceeded(Operations)",
            ),
            (
                Handler(H::LimitExceeded(L::CallLevels)),
                "LimitExceeded(CallLevels)",
            ),
            (
                Handler(H::LimitExceeded(L::StringSize)),
                "LimitExceeded(StringSize)",
            ),
            (
                Handler(H::LimitExceeded(L::ArraySize)),
                "LimitExceeded(ArraySize)",
            ),
            (
                Handler(H::LimitExceeded(L::MapSize)),
                "LimitExceeded(MapSize)",
            ),
            (
                Handler(H::LimitExceeded(L::ExprDepth)),
                "LimitExceeded(ExprDepth)",
            ),
            (
                Handler(H::LimitExceeded(L::Variables)),
                "LimitExceeded(Variables)",
            ),
            (
                Handler(H::LimitExceeded(L::Functions)),
                "LimitExceeded(Functions)",
            ),
            (
                Handler(H::LimitExceeded(L::LogLines)),
                "LimitExceeded(LogLines)",
            ),
            (
                Handler(H::LimitExceeded(L::LogBytes)),
                "LimitExceeded(LogBytes)",
            ),
            (
                Handler(H::LimitExceeded(L::StoreCalls)),
                "LimitExceeded(StoreCalls)",
            ),
            (Handler(H::Timeout), "Timeout"),
            (Handler(H::Thrown), "Thrown"),
            (Handler(H::ConditionalCheckFailed), "ConditionalCheckFailed"),
            (Handler(H::InvalidArgument), "InvalidArgument"),
            (Handler(H::VariableNotFound), "VariableNotFound"),
            (Handler(H::PropertyNotFound), "PropertyNotFound"),
            (Handler(H::FunctionNotFound), "FunctionNotFound"),
            (Handler(H::TypeMismatch), "TypeMismatch"),
            (Handler(H::IndexOutOfBounds), "IndexOutOfBounds"),
            (Handler(H::Arithmetic), "Arithmetic"),
            (Handler(H::BadReturn), "BadReturn"),
            (Handler(H::Runtime), "Runtime"),
            (
                InvocationErrorKind::TooManyRequests,
                "TooManyRequestsException",
            ),
            (
                InvocationErrorKind::EnvironmentCrashed,
                "EnvironmentCrashed",
            ),
        ]
    };

    #[test]
    fn every_kind_keeps_its_trace_text() {
        for (kind, text) in PINNED {
            assert_eq!(kind.name(), text);
            assert_eq!(kind.to_string(), text);
            assert_eq!(serde_json::to_string(&kind).unwrap(), format!("\"{text}\""));
        }
    }

    #[test]
    fn handler_kinds_keep_the_debug_text_the_trace_had() {
        // Before the enum, the trace held `format!("{:?}", handler_kind)`.
        for (kind, text) in PINNED {
            if let InvocationErrorKind::Handler(h) = kind {
                assert_eq!(format!("{h:?}"), text);
            }
        }
    }

    #[test]
    fn names_read_back_into_their_kind() {
        assert_eq!(ALL.len(), PINNED.len());
        for (kind, text) in PINNED {
            assert!(ALL.contains(&kind), "{text} is missing from ALL");
            assert_eq!(InvocationErrorKind::from_name(text), Some(kind));
            let back: InvocationErrorKind = serde_json::from_str(&format!("\"{text}\"")).unwrap();
            assert_eq!(back, kind);
        }
        assert_eq!(InvocationErrorKind::from_name("timeout"), None);
        assert!(serde_json::from_str::<InvocationErrorKind>("\"Nope\"").is_err());
    }

    #[test]
    fn only_a_timeout_is_a_timeout() {
        for (kind, text) in PINNED {
            assert_eq!(kind.is_timeout(), text == "Timeout", "{text}");
        }
    }
}
