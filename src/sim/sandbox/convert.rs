//! Conversions between script values (`rhai::Dynamic`) and JSON values.
//!
//! Why: the store, the version store and the trace hold plain JSON so that
//! checkers, the UI and scenario files never depend on the script engine.
//! Conversions are total: values JSON cannot hold (functions, NaN) are a
//! typed error with a learner-readable message, never a panic.

use std::fmt;

use rhai::{Array, Dynamic, Map, INT};
use serde::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map as JsonMap, Number, Value};

/// Deepest nesting converted; deeper values are refused.
pub const MAX_VALUE_DEPTH: usize = 64;

/// Converts a script value to JSON. `what` names the value in the error
/// message ("the value", "the body"...).
pub fn to_json(value: &Dynamic, what: &str) -> Result<Value, String> {
    to_json_at(value, what, 0)
}

fn to_json_at(value: &Dynamic, what: &str, depth: usize) -> Result<Value, String> {
    if depth > MAX_VALUE_DEPTH {
        return Err(format!(
            "{what} is nested more than {MAX_VALUE_DEPTH} levels deep"
        ));
    }
    if value.is_unit() {
        return Ok(Value::Null);
    }
    if let Ok(b) = value.as_bool() {
        return Ok(Value::Bool(b));
    }
    if let Ok(i) = value.as_int() {
        return Ok(Value::Number(i.into()));
    }
    if let Ok(f) = value.as_float() {
        return Number::from_f64(f)
            .map(Value::Number)
            .ok_or_else(|| format!("{what} is not a finite number ({f})"));
    }
    if let Ok(c) = value.as_char() {
        return Ok(Value::String(c.to_string()));
    }
    if value.is_string() {
        return Ok(Value::String(value.to_string()));
    }
    if value.is_array() {
        let array = value.read_lock::<Array>().ok_or("an array is in use")?;
        return array
            .iter()
            .map(|v| to_json_at(v, what, depth + 1))
            .collect::<Result<Vec<_>, _>>()
            .map(Value::Array);
    }
    if value.is_map() {
        let map = value.read_lock::<Map>().ok_or("a map is in use")?;
        let mut out = JsonMap::new();
        for (k, v) in map.iter() {
            out.insert(k.to_string(), to_json_at(v, what, depth + 1)?);
        }
        return Ok(Value::Object(out));
    }
    Err(format!(
        "{what} cannot be stored: a value of type '{}' is not data (use strings, numbers, booleans, arrays and maps)",
        value.type_name()
    ))
}

/// Converts JSON to a script value. Numbers that fit an integer become
/// integers, others floats.
pub fn from_json(value: &Value) -> Dynamic {
    match value {
        Value::Null => Dynamic::UNIT,
        Value::Bool(b) => (*b).into(),
        Value::Number(n) => match n.as_i64() {
            Some(i) => (i as INT).into(),
            None => n.as_f64().unwrap_or(0.0).into(),
        },
        Value::String(s) => s.as_str().into(),
        Value::Array(items) => {
            let array: Array = items.iter().map(from_json).collect();
            // `from_array`/`from_map`, not `into()`: rhai's `From` impls
            // rebuild the whole collection, element by element.
            Dynamic::from_array(array)
        }
        Value::Object(fields) => {
            // Inserting in the (already sorted) JSON order is cheaper than
            // collecting, which sorts again.
            let mut map = Map::new();
            for (k, v) in fields {
                map.insert(k.as_str().into(), from_json(v));
            }
            Dynamic::from_map(map)
        }
    }
}

/// Parses JSON text straight into a script value, with exactly the result of
/// `from_json(&serde_json::from_str(text)?)` but without building the
/// intermediate `serde_json::Value` (this is the hot path of every queue
/// record's body). `None` when the text is not one complete JSON value.
pub(crate) fn dynamic_from_json_text(text: &str) -> Option<Dynamic> {
    let mut de = serde_json::Deserializer::from_str(text);
    let value = DynamicSeed.deserialize(&mut de).ok()?;
    de.end().ok()?;
    Some(value)
}

struct DynamicSeed;

impl<'de> DeserializeSeed<'de> for DynamicSeed {
    type Value = Dynamic;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Dynamic, D::Error> {
        deserializer.deserialize_any(DynamicVisitor)
    }
}

struct DynamicVisitor;

impl<'de> Visitor<'de> for DynamicVisitor {
    type Value = Dynamic;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_unit<E>(self) -> Result<Dynamic, E> {
        Ok(Dynamic::UNIT)
    }

    fn visit_none<E>(self) -> Result<Dynamic, E> {
        Ok(Dynamic::UNIT)
    }

    fn visit_bool<E>(self, v: bool) -> Result<Dynamic, E> {
        Ok(v.into())
    }

    fn visit_i64<E>(self, v: i64) -> Result<Dynamic, E> {
        Ok((v as INT).into())
    }

    fn visit_u64<E>(self, v: u64) -> Result<Dynamic, E> {
        // As `Number::as_i64`: integers beyond i64 become floats.
        Ok(match i64::try_from(v) {
            Ok(i) => (i as INT).into(),
            Err(_) => (v as f64).into(),
        })
    }

    fn visit_f64<E>(self, v: f64) -> Result<Dynamic, E> {
        Ok(v.into())
    }

    fn visit_str<E>(self, v: &str) -> Result<Dynamic, E> {
        Ok(v.into())
    }

    fn visit_string<E>(self, v: String) -> Result<Dynamic, E> {
        Ok(v.into())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Dynamic, A::Error> {
        let mut array = Array::with_capacity(seq.size_hint().unwrap_or(0).min(64));
        while let Some(item) = seq.next_element_seed(DynamicSeed)? {
            array.push(item);
        }
        Ok(Dynamic::from_array(array))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Dynamic, A::Error> {
        let mut map = Map::new();
        while let Some(key) = access.next_key_seed(KeySeed)? {
            let value = access.next_value_seed(DynamicSeed)?;
            // Later duplicates win, as in `serde_json::Map`.
            map.insert(key, value);
        }
        Ok(Dynamic::from_map(map))
    }
}

/// The key type of a script map (rhai keeps its name private).
trait KeyOf {
    type Key;
}

impl<K, V> KeyOf for std::collections::BTreeMap<K, V> {
    type Key = K;
}

type Identifier = <Map as KeyOf>::Key;

struct KeySeed;

impl<'de> DeserializeSeed<'de> for KeySeed {
    type Value = Identifier;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Identifier, D::Error> {
        deserializer.deserialize_str(KeyVisitor)
    }
}

struct KeyVisitor;

impl<'de> Visitor<'de> for KeyVisitor {
    type Value = Identifier;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string key")
    }

    fn visit_str<E>(self, v: &str) -> Result<Identifier, E> {
        Ok(v.into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn direct_parse_equals_parse_then_convert() {
        let samples = [
            r#"{"doc":"doc-1","version":"v1.2","text":"hello","n":3,"f":1.5,"big":18446744073709551615}"#,
            r#"[1, -2, 3.0, 1e2, true, false, null, "x", {"a": [{}]}, []]"#,
            r#"{"dup": 1, "dup": 2, "nested": {"deep": {"deeper": [1, {"k": "\u00e9\n"}]}}}"#,
            r#"  {"a": -9223372036854775808, "b": 9223372036854775807, "c": 9223372036854775808} "#,
            "{}",
            "[]",
        ];
        for text in samples {
            let value: Value = serde_json::from_str(text).unwrap();
            let expected = to_json(&from_json(&value), "x").unwrap();
            let direct = dynamic_from_json_text(text).expect("parses");
            assert_eq!(to_json(&direct, "x").unwrap(), expected, "{text}");
            assert_eq!(direct.type_name(), from_json(&value).type_name(), "{text}");
        }
        for bad in ["{", "[1,]", "{\"a\":1} x", "{not json"] {
            assert!(dynamic_from_json_text(bad).is_none(), "{bad}");
            assert!(serde_json::from_str::<Value>(bad).is_err());
        }
    }
}
