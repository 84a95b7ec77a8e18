//! The one place that configures the markdown parser. Every caller renders
//! through here so lessons look the same wherever they are shown.

use pulldown_cmark::{html, Options, Parser};

/// The markdown dialect of lessons: CommonMark plus tables, footnotes,
/// strikethrough and task lists.
pub fn parser_options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
}

/// Renders lesson markdown to HTML. Built-in lessons are trusted; lessons
/// loaded by an instructor go through [`super::sanitize::render_untrusted_html`]
/// instead, which escapes raw HTML and blocks unsafe URLs.
pub fn render_html(markdown: &str) -> String {
    let parser = Parser::new_ext(markdown, parser_options());
    let mut out = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut out, parser);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_headings_lists_and_code() {
        let html = render_html("# Title\n\n1. one\n2. `two`\n");
        assert!(html.contains("<h1>Title</h1>"), "{html}");
        assert!(html.contains("<ol>"), "{html}");
        assert!(html.contains("<code>two</code>"), "{html}");
    }

    #[test]
    fn tables_are_enabled() {
        let html = render_html("| a | b |\n|---|---|\n| 1 | 2 |\n");
        assert!(html.contains("<table>"), "{html}");
    }
}
