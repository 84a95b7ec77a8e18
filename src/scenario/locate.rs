//! Finds where a field path (`queues[1].redrive_policy.dead_letter_queue`)
//! sits in the scenario text, so that errors found after deserializing
//! (a reference to a queue nobody defined, a number out of range) still
//! point at a line. Uses toml's spanned document tree; the deserialized
//! structs keep no positions.

use std::ops::Range;

use toml::de::{DeTable, DeValue};

/// One step of a field path.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Segment {
    Key(String),
    Index(usize),
}

/// Splits `a[2].b` into `a`, `[2]`, `b`.
fn segments(path: &str) -> Vec<Segment> {
    let mut out = Vec::new();
    for part in path.split('.') {
        let mut rest = part;
        if let Some(open) = rest.find('[') {
            if open > 0 {
                out.push(Segment::Key(rest[..open].to_string()));
            }
            rest = &rest[open..];
            while let Some(stripped) = rest.strip_prefix('[') {
                let Some(close) = stripped.find(']') else {
                    break;
                };
                if let Ok(index) = stripped[..close].parse() {
                    out.push(Segment::Index(index));
                }
                rest = &stripped[close + 1..];
            }
        } else if !rest.is_empty() {
            out.push(Segment::Key(rest.to_string()));
        }
    }
    out
}

/// The byte range of the deepest part of `path` that exists in `text`: the
/// value itself when present, else the table that should hold it. `None`
/// when the text does not parse or nothing of the path exists.
pub fn locate(text: &str, path: &str) -> Option<Range<usize>> {
    let root = DeTable::parse(text).ok()?;
    let mut best: Option<Range<usize>> = None;
    let mut table: Option<&DeTable<'_>> = Some(root.get_ref());
    let mut value: Option<&DeValue<'_>> = None;
    for segment in segments(path) {
        match (segment, table, value) {
            (Segment::Key(key), Some(t), _) => {
                let Some((k, v)) = t.iter().find(|(k, _)| k.get_ref().as_ref() == key.as_str())
                else {
                    break;
                };
                best = Some(
                    if matches!(v.get_ref(), DeValue::Table(_) | DeValue::Array(_)) {
                        k.span()
                    } else {
                        v.span()
                    },
                );
                value = Some(v.get_ref());
            }
            (Segment::Index(i), _, Some(DeValue::Array(items))) => {
                let Some(item) = items.get(i) else { break };
                best = Some(item.span());
                value = Some(item.get_ref());
            }
            _ => break,
        }
        table = match value {
            Some(DeValue::Table(t)) => Some(t),
            _ => None,
        };
    }
    best
}

/// The field path at byte `offset` of `text` (the deepest key or value
/// whose span holds it), e.g. `checks[0].kind`. Used to name the field of a
/// toml error that only carries a position.
pub fn path_at(text: &str, offset: usize) -> Option<String> {
    let root = DeTable::parse(text).ok()?;
    in_table(root.get_ref(), offset, "")
}

fn join(base: &str, key: &str) -> String {
    if base.is_empty() {
        key.to_string()
    } else {
        format!("{base}.{key}")
    }
}

fn in_table(table: &DeTable<'_>, offset: usize, base: &str) -> Option<String> {
    for (k, v) in table.iter() {
        let path = join(base, k.get_ref());
        if let Some(deeper) = in_value(v.get_ref(), offset, &path) {
            return Some(deeper);
        }
        if k.span().contains(&offset) || v.span().contains(&offset) {
            return Some(path);
        }
    }
    None
}

fn in_value(value: &DeValue<'_>, offset: usize, path: &str) -> Option<String> {
    match value {
        DeValue::Table(t) => in_table(t, offset, path),
        DeValue::Array(items) => items.iter().enumerate().find_map(|(i, item)| {
            let item_path = format!("{path}[{i}]");
            in_value(item.get_ref(), offset, &item_path)
                .or_else(|| item.span().contains(&offset).then_some(item_path))
        }),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line_of(text: &str, path: &str) -> usize {
        let span = locate(text, path).unwrap();
        text[..span.start].matches('\n').count() + 1
    }

    #[test]
    fn finds_values_in_arrays_of_tables() {
        let text = "[[queues]]\nname = \"a\"\n\n[[queues]]\nname = \"b\"\nredrive_policy = { dead_letter_queue = \"x\", max_receive_count = 3 }\n";
        assert_eq!(line_of(text, "queues[1].name"), 5);
        assert_eq!(
            line_of(text, "queues[1].redrive_policy.dead_letter_queue"),
            6
        );
    }

    #[test]
    fn falls_back_to_the_deepest_existing_part() {
        let text = "[[consumers]]\nname = \"c\"\n";
        assert_eq!(line_of(text, "consumers[0].workers"), 1);
        assert_eq!(locate("not toml [", "a"), None);
    }

    #[test]
    fn names_the_path_at_an_offset() {
        let text = "[scenario]\nname = \"x\"\n\n[[checks]]\nkind = \"a\"\n\n[[checks]]\nkind = \"final_valu\"\n";
        let at = text.find("final_valu").unwrap();
        assert_eq!(path_at(text, at).as_deref(), Some("checks[1].kind"));
    }

    #[test]
    fn splits_paths() {
        assert_eq!(
            segments("a[2].b"),
            vec![
                Segment::Key("a".into()),
                Segment::Index(2),
                Segment::Key("b".into())
            ]
        );
    }
}
