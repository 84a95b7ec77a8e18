//! Blanks out comments, string literals and char literals so that the scanner
//! never mistakes `crate::x` inside a doc comment or a string for an import.
//! Newlines are kept so positions still map to lines.

/// `source` with every comment and literal replaced by spaces.
pub fn strip(source: &str) -> String {
    let chars: Vec<char> = source.chars().collect();
    let mut out = String::with_capacity(source.len());
    let mut at = 0;
    while at < chars.len() {
        let skip = comment_len(&chars, at)
            .or_else(|| string_len(&chars, at))
            .or_else(|| char_len(&chars, at));
        match skip {
            Some(len) => {
                let end = (at + len).min(chars.len());
                out.extend(
                    chars[at..end]
                        .iter()
                        .map(|c| if *c == '\n' { '\n' } else { ' ' }),
                );
                at = end;
            }
            None => {
                out.push(chars[at]);
                at += 1;
            }
        }
    }
    out
}

fn is_ident(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// `//` to the end of the line, or a nested `/* */`.
fn comment_len(chars: &[char], at: usize) -> Option<usize> {
    if chars.get(at) != Some(&'/') {
        return None;
    }
    match chars.get(at + 1) {
        Some('/') => Some(chars[at..].iter().take_while(|c| **c != '\n').count()),
        Some('*') => {
            let (mut depth, mut i) = (0usize, at);
            while i < chars.len() {
                if chars[i] == '/' && chars.get(i + 1) == Some(&'*') {
                    depth += 1;
                    i += 2;
                } else if chars[i] == '*' && chars.get(i + 1) == Some(&'/') {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        return Some(i - at);
                    }
                } else {
                    i += 1;
                }
            }
            Some(chars.len() - at)
        }
        _ => None,
    }
}

/// A `"..."` with escapes, or a raw `r#"..."#` (any number of `#`).
fn string_len(chars: &[char], at: usize) -> Option<usize> {
    if chars[at] == '"' {
        let mut i = at + 1;
        while i < chars.len() && chars[i] != '"' {
            i += if chars[i] == '\\' { 2 } else { 1 };
        }
        return Some(i + 1 - at);
    }
    let before_ok = at == 0
        || !is_ident(chars[at - 1])
        || (chars[at - 1] == 'b' && (at < 2 || !is_ident(chars[at - 2])));
    if chars[at] != 'r' || !before_ok {
        return None;
    }
    let hashes = chars[at + 1..].iter().take_while(|c| **c == '#').count();
    if chars.get(at + 1 + hashes) != Some(&'"') {
        return None;
    }
    let mut i = at + 2 + hashes;
    while i < chars.len() {
        let closes = chars[i] == '"' && (0..hashes).all(|h| chars.get(i + 1 + h) == Some(&'#'));
        if closes {
            return Some(i + 1 + hashes - at);
        }
        i += 1;
    }
    Some(chars.len() - at)
}

/// `'x'` or `'\n'`; a lifetime such as `'a` is left alone.
fn char_len(chars: &[char], at: usize) -> Option<usize> {
    if chars[at] != '\'' {
        return None;
    }
    if chars.get(at + 1) == Some(&'\\') {
        let close = chars.get(at + 3..)?.iter().position(|c| *c == '\'')?;
        return Some(close + 4);
    }
    (chars.get(at + 2) == Some(&'\'')).then_some(3)
}
