//! Finds the body of `fn handler(...) { ... }` in the learner's source.
//!
//! Why: the script engine reports limit errors (too many operations, stack
//! overflow, values too large) raised inside a function at the position of
//! the *call*, and the handler is called from Rust, which has no position. So
//! the sandbox runs the handler's body as top-level code (with `event` and
//! `context` as variables), where limit errors keep their line and column.
//! This module cuts the body out while keeping every character's line and
//! column: everything before it becomes spaces (newlines kept).
//!
//! It understands just enough of the lexical syntax to skip braces inside
//! strings (`"..."`, `` `...${expr}...` ``, `'c'`, `#"raw"#`) and comments
//! (`//`, nested `/* */`). The result is compiled again by the real parser;
//! if anything does not add up the sandbox falls back to calling the
//! function (positions of limit errors are then less precise).

/// Where the handler is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct HandlerBody {
    /// The source with only the body left, positions preserved.
    pub padded_body: String,
    /// Line of `fn handler` (1-based), used when an error has no position.
    pub fn_line: u32,
}

type Chars = Vec<(usize, char)>;

/// Locates `fn handler`'s body. `None` if it cannot be found with certainty.
pub(crate) fn find_handler_body(source: &str) -> Option<HandlerBody> {
    let chars: Chars = source.char_indices().collect();
    let mut i = 0;
    while i < chars.len() {
        if let Some(next) = skip_literal_or_comment(&chars, i) {
            i = next?;
            continue;
        }
        if is_word_at(&chars, i, "fn") {
            let mut j = skip_space(&chars, i + 2)?;
            if is_word_at(&chars, j, "handler") {
                j = skip_space(&chars, j + "handler".len())?;
                if chars.get(j)?.1 == '(' {
                    let close = (j..chars.len()).find(|&k| chars[k].1 == ')')?;
                    let open = skip_space(&chars, close + 1)?;
                    if chars.get(open)?.1 != '{' {
                        return None;
                    }
                    let end = matching_brace(&chars, open + 1)?;
                    let start_byte = chars.get(open + 1).map_or(source.len(), |c| c.0);
                    let end_byte = chars[end].0;
                    let mut padded: String = source[..start_byte]
                        .chars()
                        .map(|c| if c == '\n' || c == '\r' { c } else { ' ' })
                        .collect();
                    padded.push_str(&source[start_byte..end_byte]);
                    let fn_line = 1 + source[..chars[i].0].matches('\n').count() as u32;
                    return Some(HandlerBody {
                        padded_body: padded,
                        fn_line,
                    });
                }
            }
            i += 2;
            continue;
        }
        i += 1;
    }
    None
}

fn is_ident(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

fn is_word_at(chars: &Chars, i: usize, word: &str) -> bool {
    let before_ok = i == 0 || !is_ident(chars[i - 1].1);
    let mut k = i;
    for w in word.chars() {
        match chars.get(k) {
            Some(&(_, c)) if c == w => k += 1,
            _ => return false,
        }
    }
    before_ok && chars.get(k).is_none_or(|&(_, c)| !is_ident(c))
}

/// Skips whitespace and comments; `None` on an unterminated comment.
fn skip_space(chars: &Chars, mut i: usize) -> Option<usize> {
    loop {
        match chars.get(i) {
            Some((_, c)) if c.is_whitespace() => i += 1,
            Some((_, '/')) if matches!(chars.get(i + 1), Some((_, '/' | '*'))) => {
                i = skip_literal_or_comment(chars, i)??;
            }
            _ => return Some(i),
        }
    }
}

/// If a string, char literal or comment starts at `i`, `Some(end)` where end
/// is the index after it (`Some(None)` when unterminated); else `None`.
fn skip_literal_or_comment(chars: &Chars, i: usize) -> Option<Option<usize>> {
    let c = chars[i].1;
    let next = chars.get(i + 1).map(|c| c.1);
    Some(match (c, next) {
        ('/', Some('/')) => Some(
            (i..chars.len())
                .find(|&k| chars[k].1 == '\n')
                .unwrap_or(chars.len()),
        ),
        ('/', Some('*')) => block_comment_end(chars, i + 2),
        ('"', _) => quoted_end(chars, i + 1, '"'),
        ('\'', _) => quoted_end(chars, i + 1, '\''),
        ('`', _) => backtick_end(chars, i + 1),
        ('#', Some('#' | '"')) => raw_string_end(chars, i),
        _ => return None,
    })
}

fn block_comment_end(chars: &Chars, mut i: usize) -> Option<usize> {
    let mut depth = 1;
    while i < chars.len() {
        match (chars[i].1, chars.get(i + 1).map(|c| c.1)) {
            ('/', Some('*')) => {
                depth += 1;
                i += 2;
            }
            ('*', Some('/')) => {
                depth -= 1;
                i += 2;
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => i += 1,
        }
    }
    None
}

fn quoted_end(chars: &Chars, mut i: usize, quote: char) -> Option<usize> {
    while i < chars.len() {
        match chars[i].1 {
            '\\' => i += 2,
            c if c == quote => return Some(i + 1),
            _ => i += 1,
        }
    }
    None
}

fn backtick_end(chars: &Chars, mut i: usize) -> Option<usize> {
    while i < chars.len() {
        match (chars[i].1, chars.get(i + 1).map(|c| c.1)) {
            ('`', Some('`')) => i += 2,
            ('`', _) => return Some(i + 1),
            ('$', Some('{')) => i = matching_brace(chars, i + 2)? + 1,
            _ => i += 1,
        }
    }
    None
}

fn raw_string_end(chars: &Chars, i: usize) -> Option<usize> {
    let hashes = (i..chars.len()).take_while(|&k| chars[k].1 == '#').count();
    let mut k = i + hashes;
    if chars.get(k)?.1 != '"' {
        return None;
    }
    k += 1;
    while k < chars.len() {
        if chars[k].1 == '"' && (1..=hashes).all(|h| chars.get(k + h).is_some_and(|c| c.1 == '#')) {
            return Some(k + 1 + hashes);
        }
        k += 1;
    }
    None
}

/// Index of the `}` closing a block whose `{` is just before `i`.
fn matching_brace(chars: &Chars, mut i: usize) -> Option<usize> {
    let mut depth = 1usize;
    while i < chars.len() {
        if let Some(next) = skip_literal_or_comment(chars, i) {
            i = next?;
            continue;
        }
        match chars[i].1 {
            '{' => depth += 1,
            '}' => {
                depth -= 1;
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
        i += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_positions_and_skips_braces_in_strings() {
        let src = "let x = \"}\";\n// fn handler() {}\nfn handler(event, context) {\n  let s = `a${ #{b: \"}\"}.b }`; '}'\n}\n";
        let body = find_handler_body(src).unwrap();
        assert_eq!(body.fn_line, 3);
        let lines: Vec<&str> = body.padded_body.lines().collect();
        assert_eq!(lines[3], "  let s = `a${ #{b: \"}\"}.b }`; '}'");
        assert!(lines[0].trim().is_empty());
    }
}
