//! The parser never panics: arbitrary text, and valid scenarios mutated by
//! deleting, inserting and replacing characters and lines.

use event_playground::scenario::parse;
use event_playground::scenario::source::{lesson_scenarios, MemoryFiles};
use proptest::prelude::*;

const VALID: &[&str] = &[
    include_str!("../scenarios/editor-fanout.toml"),
    include_str!("../scenarios/dead-letter.toml"),
    include_str!("../scenarios/out-of-order.toml"),
    include_str!("scenarios/broken/handler-syntax-error.toml"),
];

/// Pieces that make mutations land on interesting syntax.
const PIECES: &[&str] = &[
    "[[queues]]",
    "[[clients]]",
    "[[checks]]",
    "=",
    "\"",
    "{",
    "}",
    "[",
    "]",
    "\n",
    "-1",
    "99999999999999999999",
    "kind = \"burst\"",
    "kind = \"metric\"",
    "target = { endpoint = \"x\" }",
    "name = \"\"",
    "é",
    "\u{0}",
    "#",
    "fifo = true",
    "at_most = 0",
    "redrive_policy = { dead_letter_queue = \"x\", max_receive_count = 0 }",
];

fn mutate(text: &str, ops: &[(u8, usize, usize)]) -> String {
    let mut chars: Vec<char> = text.chars().collect();
    for &(op, at, piece) in ops {
        if chars.is_empty() {
            break;
        }
        let at = at % chars.len();
        match op % 4 {
            0 => {
                chars.remove(at);
            }
            1 => {
                let piece: Vec<char> = PIECES[piece % PIECES.len()].chars().collect();
                chars.splice(at..at, piece);
            }
            2 => {
                let end = (at + piece % 40).min(chars.len());
                chars.drain(at..end);
            }
            _ => {
                let digit = char::from(b'0' + (piece % 10) as u8);
                chars[at] = digit;
            }
        }
    }
    chars.into_iter().collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, .. ProptestConfig::default() })]

    #[test]
    fn arbitrary_text_never_panics(text in "\\PC{0,400}") {
        let _ = parse("fuzz.toml", &text);
        let _ = lesson_scenarios("fuzz.md", &format!("```scenario\n{text}\n```\n"), &MemoryFiles(&[]));
    }

    #[test]
    fn mutated_valid_scenarios_never_panic(
        which in 0..VALID.len(),
        ops in proptest::collection::vec((any::<u8>(), any::<usize>(), any::<usize>()), 1..6),
    ) {
        let text = mutate(VALID[which], &ops);
        if let Err(diagnostics) = parse("mutant.toml", &text) {
            prop_assert!(!diagnostics.is_empty());
            for d in &diagnostics {
                prop_assert!(!d.message.is_empty());
                let _ = d.to_string();
            }
        }
    }
}
