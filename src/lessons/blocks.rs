//! Fenced blocks a lesson turns into live parts: ```` ```scenario ```` (a
//! TOML scenario) now, ```` ```exercise ```` later. Extraction keeps each
//! block's line in the lesson file, so a scenario error inside a lesson
//! points at the lesson's own line.

use pulldown_cmark::{CodeBlockKind, Event, Parser, Tag, TagEnd};

use super::markdown::parser_options;

/// One fenced block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    /// The info string's first word (`scenario`, `exercise`, `rust`...).
    pub kind: String,
    /// The block's text.
    pub content: String,
    /// 1-based line in the whole file of the block's first content line.
    pub first_line: usize,
}

/// Every fenced block of `text` (a whole lesson file, front matter
/// included), in order.
pub fn fenced_blocks(text: &str) -> Vec<Block> {
    // Skip the front matter so its lines are never read as markdown; offsets
    // still count from the top of the file.
    let body_start = front_matter_end(text);
    let body = &text[body_start..];
    let mut blocks = Vec::new();
    let mut current: Option<(String, String, Option<usize>, usize)> = None;
    for (event, range) in Parser::new_ext(body, parser_options()).into_offset_iter() {
        match event {
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) => {
                let kind = info.split_whitespace().next().unwrap_or("").to_string();
                current = Some((kind, String::new(), None, range.start));
            }
            Event::Text(t) => {
                if let Some((_, content, start, _)) = current.as_mut() {
                    start.get_or_insert(range.start);
                    content.push_str(&t);
                }
            }
            Event::End(TagEnd::CodeBlock) => {
                if let Some((kind, content, start, fence)) = current.take() {
                    // An empty block "starts" on the line after its fence.
                    let at = body_start + start.unwrap_or(fence);
                    let mut first_line = text[..at.min(text.len())].matches('\n').count() + 1;
                    if start.is_none() {
                        first_line += 1;
                    }
                    blocks.push(Block {
                        kind,
                        content,
                        first_line,
                    });
                }
            }
            _ => {}
        }
    }
    blocks
}

/// The fenced blocks of one kind.
pub fn blocks_of_kind(text: &str, kind: &str) -> Vec<Block> {
    fenced_blocks(text)
        .into_iter()
        .filter(|b| b.kind == kind)
        .collect()
}

/// Byte offset just past a `+++` front matter, or 0 when there is none.
fn front_matter_end(text: &str) -> usize {
    let mut lines = text.split_inclusive('\n');
    let Some(first) = lines.next() else { return 0 };
    if first.trim_end().trim_start_matches('\u{feff}') != "+++" {
        return 0;
    }
    let mut offset = first.len();
    for line in lines {
        offset += line.len();
        if line.trim_end() == "+++" {
            return offset;
        }
    }
    0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_scenario_blocks_with_their_file_line() {
        let text = "+++\nid = \"a\"\ntitle = \"A\"\norder = 1\n+++\n# T\n\n```scenario\n[scenario]\nname = \"x\"\n```\n\n```rust\nfn f() {}\n```\n";
        let blocks = fenced_blocks(text);
        assert_eq!(blocks.len(), 2);
        assert_eq!(blocks[0].kind, "scenario");
        assert_eq!(blocks[0].content, "[scenario]\nname = \"x\"\n");
        assert_eq!(blocks[0].first_line, 9);
        assert_eq!(blocks_of_kind(text, "rust").len(), 1);
    }

    #[test]
    fn tolerates_missing_front_matter_and_empty_blocks() {
        let blocks = fenced_blocks("```scenario\n```\n");
        assert_eq!(blocks.len(), 1);
        assert_eq!(blocks[0].content, "");
        assert_eq!(blocks[0].first_line, 2);
    }
}
