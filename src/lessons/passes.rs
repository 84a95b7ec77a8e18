//! Passes from `Lesson` to `Lesson`, run before rendering (mdBook style).

use super::model::Lesson;

/// Fenced block kinds the playground shows instead of the text (and
/// `figures`, which only `sim check` reads: see `scenario::figures`).
pub const LIVE_BLOCKS: &[&str] = &["scenario", "exercise", "whatif", "figures"];

/// Removes the ```` ```scenario ```` and ```` ```exercise ```` blocks from the
/// text: the playground beside the lesson runs them, so printing their TOML
/// in the lesson would only repeat it.
pub fn strip_live_blocks(mut lesson: Lesson) -> Lesson {
    let mut out = String::with_capacity(lesson.body_markdown.len());
    // The fence that opened the live block being skipped (``` or ````...).
    let mut skipping: Option<String> = None;
    for line in lesson.body_markdown.split_inclusive('\n') {
        let trimmed = line.trim_end();
        match &skipping {
            Some(fence) => {
                if trimmed.trim_start() == fence {
                    skipping = None;
                }
            }
            None => {
                let start = trimmed.trim_start();
                let ticks = start.chars().take_while(|c| *c == '`').count();
                let info = start[ticks..].split_whitespace().next().unwrap_or("");
                if ticks >= 3 && LIVE_BLOCKS.contains(&info) {
                    skipping = Some("`".repeat(ticks));
                } else {
                    out.push_str(line);
                }
            }
        }
    }
    lesson.body_markdown = out;
    lesson
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lesson(body: &str) -> Lesson {
        Lesson::parse(
            "t.md",
            &format!("+++\nid = \"t\"\ntitle = \"T\"\norder = 1\n+++\n{body}"),
        )
        .unwrap()
    }

    #[test]
    fn live_blocks_go_and_other_code_stays() {
        let body = "Intro\n\n```scenario\n[scenario]\nname = \"x\"\n```\n\n```rhai\nlet a = 1;\n```\n\n````exercise\ngoal = \"g\"\n```\n````\nEnd\n";
        let stripped = strip_live_blocks(lesson(body)).body_markdown;
        assert_eq!(stripped, "Intro\n\n\n```rhai\nlet a = 1;\n```\n\nEnd\n");
    }
}
