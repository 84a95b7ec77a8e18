//! Makes an untrusted lesson (one an instructor loads from a file or a link)
//! safe to put in the page: a pass over pulldown-cmark's event stream, so no
//! HTML parser (ammonia, html5ever) has to ship in the wasm.
//!
//! - Raw HTML (blocks and inline tags: `<script>`, `<iframe>`, `<img
//!   onerror=...>`, `<style>`, comments) is escaped: it shows as text and
//!   never becomes an element or an attribute.
//! - Link and image URLs are kept only when they are relative, a fragment,
//!   or use `http:`, `https:` (and `mailto:` for links); anything else
//!   (`javascript:`, `data:`, `vbscript:`, `file:`, obfuscated with case,
//!   whitespace, control characters or entities) loses its link: the link
//!   text, or the image's alt text, stays as plain text.
//!
//! Everything pulldown-cmark itself writes (text, code, titles, alt text) is
//! escaped by its HTML writer, so the output holds only the tags markdown
//! makes, with no event handler or style attribute.

use pulldown_cmark::{html, Event, Parser, Tag, TagEnd};

use super::markdown::parser_options;

/// Renders untrusted lesson markdown to HTML that cannot run code.
pub fn render_untrusted_html(markdown: &str) -> String {
    let parser = Parser::new_ext(markdown, parser_options());
    let mut out = String::with_capacity(markdown.len() * 3 / 2);
    let mut pass = Sanitizer::default();
    html::push_html(&mut out, parser.filter_map(|e| pass.event(e)));
    out
}

/// The pass over the event stream. Links and images cannot nest in
/// markdown, so one flag each remembers whether the open one was dropped.
#[derive(Debug, Default)]
pub struct Sanitizer {
    dropped_link: bool,
    dropped_image: bool,
}

impl Sanitizer {
    /// One event in; the safe event out, or `None` to drop it. An unsafe
    /// link keeps its text without the link; an unsafe image shows its alt
    /// text.
    pub fn event<'a>(&mut self, event: Event<'a>) -> Option<Event<'a>> {
        match event {
            // Raw HTML shows as text; the writer escapes `<`, `>`, `&`, quotes.
            Event::Html(raw) | Event::InlineHtml(raw) => Some(Event::Text(raw)),
            Event::Start(Tag::Link { ref dest_url, .. }) => {
                self.dropped_link = !is_safe_url(dest_url, true);
                (!self.dropped_link).then_some(event)
            }
            Event::End(TagEnd::Link) => (!std::mem::take(&mut self.dropped_link)).then_some(event),
            Event::Start(Tag::Image { ref dest_url, .. }) => {
                self.dropped_image = !is_safe_url(dest_url, false);
                (!self.dropped_image).then_some(event)
            }
            Event::End(TagEnd::Image) => {
                (!std::mem::take(&mut self.dropped_image)).then_some(event)
            }
            other => Some(other),
        }
    }
}

/// Whether a link (`allow_mailto`) or image URL may be kept. Browsers ignore
/// ASCII whitespace and control characters inside a scheme and compare it
/// without case, so those are removed before looking at it; a `&` or `%`
/// before the first `:` (an entity or escape that might hide a scheme) is
/// refused outright.
pub fn is_safe_url(url: &str, allow_mailto: bool) -> bool {
    let cleaned: String = url
        .chars()
        .filter(|c| !c.is_ascii_whitespace() && !c.is_control())
        .collect();
    // Text before the first of ':', '/', '?', '#': a scheme only if ':' ends it.
    let end = cleaned.find([':', '/', '?', '#']).unwrap_or(cleaned.len());
    let head = &cleaned[..end];
    if head.contains(['&', '%', '\\']) {
        return false;
    }
    if cleaned[end..].starts_with(':') {
        let scheme = head.to_ascii_lowercase();
        return scheme == "http" || scheme == "https" || (allow_mailto && scheme == "mailto");
    }
    // No scheme: relative, absolute path or fragment. A backslash start
    // (`\\host`) is treated as `//host` by browsers: refuse it too.
    !cleaned.starts_with('\\')
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The elements markdown makes; nothing else may appear.
    const TAGS: &[&str] = &[
        "p",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "a",
        "img",
        "em",
        "strong",
        "del",
        "code",
        "pre",
        "blockquote",
        "ul",
        "ol",
        "li",
        "table",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
        "hr",
        "br",
        "input",
        "sup",
        "div",
        "section",
    ];
    /// The attributes markdown writes; no handler or style among them.
    const ATTRIBUTES: &[&str] = &[
        "href", "src", "alt", "title", "class", "start", "type", "checked", "disabled", "id",
    ];

    /// Every real tag in `html` (text `<` is escaped as `&lt;`, so each `<`
    /// starts one): its name and attributes with their values.
    fn tags(html: &str) -> Vec<(String, Vec<(String, String)>)> {
        let mut found = Vec::new();
        let mut rest = html;
        while let Some(open) = rest.find('<') {
            let close = rest[open..].find('>').expect("tags close") + open;
            let inside = &rest[open + 1..close];
            rest = &rest[close + 1..];
            let inside = inside.trim_start_matches('/').trim_end_matches('/');
            let (name, mut attrs) = inside.split_once(' ').unwrap_or((inside, ""));
            let mut pairs = Vec::new();
            loop {
                attrs = attrs.trim_start();
                if attrs.is_empty() {
                    break;
                }
                let end = attrs.find(['=', ' ']).unwrap_or(attrs.len());
                let key = attrs[..end].to_ascii_lowercase();
                attrs = &attrs[end..];
                let mut value = String::new();
                if let Some(after) = attrs.strip_prefix("=\"") {
                    let q = after.find('"').expect("quoted value");
                    value = after[..q].to_string();
                    attrs = &after[q + 1..];
                }
                pairs.push((key, value));
            }
            found.push((name.to_ascii_lowercase(), pairs));
        }
        found
    }

    /// Hostile lesson bodies: each must render with none of [`FORBIDDEN`].
    const CORPUS: &[&str] = &[
        "<script>window.__pwned = 1</script>",
        "Text <script>document.title = 'pwned'</script> more",
        "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
        "<img src=x onerror=\"window.__pwned=1\">",
        "<a href=\"#\" onclick=\"window.__pwned=1\">click</a>",
        "<iframe src=\"javascript:alert(1)\"></iframe>",
        "<iframe srcdoc=\"<script>parent.__pwned=1</script>\"></iframe>",
        "<object data=\"evil.swf\"></object><embed src=\"evil.swf\">",
        "<style>body{background:url(javascript:alert(1))}</style>",
        "<svg onload=alert(1)><circle/></svg>",
        "<div style=\"background:url(javascript:x)\">styled</div>",
        "<form action=\"javascript:alert(1)\"><button>go</button></form>",
        "<meta http-equiv=\"refresh\" content=\"0;url=javascript:alert(1)\">",
        "<link rel=\"stylesheet\" href=\"evil.css\"><base href=\"https://evil.example/\">",
        "<!-- <script>x</script> -->",
        "[click](javascript:window.__pwned=1)",
        "[click](JaVaScRiPt:alert(1))",
        "[click](  javascript:alert(1))",
        "[click](java\tscript:alert(1))",
        "[click](<java script:alert(1)>)",
        "[click](&#106;avascript:alert(1))",
        "[click](java&#x09;script:alert(1))",
        "[click](%6Aavascript:alert(1))",
        "[click](vbscript:msgbox)",
        "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
        "<javascript:alert(1)>",
        "![x](javascript:alert(1))",
        "![x](data:image/svg+xml,<svg onload=alert(1)>)",
        "[ref][r]\n\n[r]: javascript:alert(1)",
        "[x](https://ok.example \"title\\\" onclick=\\\"x\")",
        "`<script>` in code is fine, and so is\n\n```html\n<script>alert(1)</script>\n```",
        "| a |\n|---|\n| <img src=x onerror=alert(1)> |",
        "* [ ] <b onmouseover=alert(1)>task</b>",
        "Footnote[^1]\n\n[^1]: <script>alert(1)</script>",
        "> <iframe src=x></iframe>",
        "<details open ontoggle=alert(1)>",
    ];

    #[test]
    fn the_hostile_corpus_renders_inert() {
        for body in CORPUS {
            let html = render_untrusted_html(body);
            for (tag, attrs) in tags(&html) {
                assert!(
                    TAGS.contains(&tag.as_str()),
                    "{body:?} made <{tag}>:\n{html}"
                );
                for (name, value) in attrs {
                    assert!(
                        ATTRIBUTES.contains(&name.as_str()),
                        "{body:?} made attribute {name}:\n{html}"
                    );
                    if name == "href" || name == "src" {
                        assert!(
                            is_safe_url(&value, name == "href"),
                            "{body:?}: {value}\n{html}"
                        );
                        let lower = value.to_ascii_lowercase();
                        assert!(
                            !lower.contains("script:") && !lower.starts_with("data:"),
                            "{html}"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn the_checker_catches_the_unsanitized_render() {
        let trusted = super::super::markdown::render_html(CORPUS[0]);
        assert!(
            tags(&trusted).iter().any(|(t, _)| t == "script"),
            "{trusted}"
        );
        let html = super::super::markdown::render_html(CORPUS[4]);
        assert!(tags(&html)
            .iter()
            .any(|(_, a)| a.iter().any(|(n, _)| n == "onclick")));
    }

    #[test]
    fn raw_html_shows_as_text() {
        let html = render_untrusted_html("Hello <script>window.__pwned = 1</script> world");
        assert!(html.contains("Hello"), "{html}");
        assert!(html.contains("&lt;script&gt;"), "{html}");
        assert!(html.contains("world"), "{html}");
    }

    #[test]
    fn unsafe_links_and_images_keep_only_their_text() {
        let html = render_untrusted_html("[run me](javascript:alert(1)) ![a cat](data:x) [ok](#a)");
        assert_eq!(html, "<p>run me a cat <a href=\"#a\">ok</a></p>\n");
    }

    #[test]
    fn safe_links_and_markdown_survive() {
        let md = "# Title\n\n[docs](https://example.org/a?b=1#c) [next](#/lesson/welcome) \
                  [rel](other.md) [mail](mailto:a@example.org) ![pic](img/a.png)\n\n\
                  | a |\n|---|\n| **b** |\n\n```rust\nlet x = 1 < 2;\n```\n";
        let html = render_untrusted_html(md);
        for want in [
            "<h1>Title</h1>",
            "href=\"https://example.org/a?b=1#c\"",
            "href=\"#/lesson/welcome\"",
            "href=\"other.md\"",
            "href=\"mailto:a@example.org\"",
            "src=\"img/a.png\"",
            "<table>",
            "<strong>b</strong>",
            "let x = 1 &lt; 2;",
        ] {
            assert!(html.contains(want), "missing {want}:\n{html}");
        }
    }

    #[test]
    fn image_urls_allow_no_mailto() {
        assert!(!is_safe_url("mailto:a@example.org", false));
        assert!(is_safe_url("mailto:a@example.org", true));
    }

    #[test]
    fn url_rules() {
        for ok in [
            "https://a.example",
            "HTTP://a",
            "/abs",
            "rel/x.md",
            "#frag",
            "?q=1",
            "a:b/../x",
        ] {
            // "a:b" is a scheme `a`: refused; checked below.
            if ok == "a:b/../x" {
                assert!(!is_safe_url(ok, true));
            } else {
                assert!(is_safe_url(ok, true), "{ok}");
            }
        }
        for bad in [
            "javascript:x",
            " JAVASCRIPT:x",
            "java\nscript:x",
            "java\u{0}script:x",
            "data:text/html,x",
            "file:///etc/passwd",
            "&#106;avascript:x",
            "\\\\evil.example\\x",
        ] {
            assert!(!is_safe_url(bad, true), "{bad:?}");
        }
    }
}
