//! How a filter policy is written: a table of key -> list of conditions,
//! where the key `"$or"` instead holds a list of policies
//! (docs/scenarios.md, "`[[topics]]`"). Read key by key so a mistake in one
//! condition is reported as that condition's error, not as "no variant
//! matched".

use std::collections::BTreeMap;
use std::fmt;

use serde::de::{MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::filter_policy::{Condition, FilterPolicy, OR_KEY};

impl Serialize for FilterPolicy {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let extra = usize::from(!self.any_of.is_empty());
        let mut map = serializer.serialize_map(Some(self.keys.len() + extra))?;
        for (key, conditions) in &self.keys {
            map.serialize_entry(key, conditions)?;
        }
        if !self.any_of.is_empty() {
            map.serialize_entry(OR_KEY, &self.any_of)?;
        }
        map.end()
    }
}

impl<'de> Deserialize<'de> for FilterPolicy {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(PolicyVisitor)
    }
}

struct PolicyVisitor;

impl<'de> Visitor<'de> for PolicyVisitor {
    type Value = FilterPolicy;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a table of key = [conditions], with an optional \"$or\" = [policies]")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<FilterPolicy, A::Error> {
        let mut keys = BTreeMap::new();
        let mut any_of: Option<Vec<FilterPolicy>> = None;
        while let Some(key) = map.next_key::<String>()? {
            if key == OR_KEY {
                if any_of.is_some() {
                    return Err(serde::de::Error::duplicate_field(OR_KEY));
                }
                any_of = Some(map.next_value()?);
            } else {
                let conditions: Vec<Condition> = map.next_value()?;
                if keys.insert(key.clone(), conditions).is_some() {
                    return Err(serde::de::Error::custom(format!("duplicate key `{key}`")));
                }
            }
        }
        Ok(FilterPolicy {
            keys,
            any_of: any_of.unwrap_or_default(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_or_policy_round_trips_through_toml() {
        let text = r#"source = [{ exact = "a" }]
"$or" = [{ x = [{ exact = "1" }] }, { y = [{ exists = true }] }]
"#;
        let policy: FilterPolicy = toml::from_str(text).unwrap();
        assert_eq!(policy.keys.len(), 1);
        assert_eq!(policy.any_of.len(), 2);
        let again: FilterPolicy = toml::from_str(&toml::to_string(&policy).unwrap()).unwrap();
        assert_eq!(again, policy);
    }

    #[test]
    fn a_bad_condition_inside_or_names_the_condition() {
        let text = r#""$or" = [{ x = [{ exactly = "1" }] }, { y = [{ exists = true }] }]"#;
        let error = toml::from_str::<FilterPolicy>(text)
            .unwrap_err()
            .to_string();
        assert!(error.contains("exactly"), "{error}");
    }
}
