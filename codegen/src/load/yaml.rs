//! Reads YAML straight into a JSON value, numbers by the rule of
//! `numbers.rs`. Going through `yaml_serde::Value` first refused any
//! integer past 64 bits ("invalid type: integer as i128"), so one bound
//! written as a 64-bit limit cost the whole API.
//!
//! Map keys become strings, as OpenAPI expects: an unquoted `200:` response
//! key is the string "200". A tag (`!Ref x`) is read as its value. A number
//! with no JSON form (`.inf`, `.nan`) is left out with a note naming its
//! place.

use std::fmt;

use serde::de::{self, DeserializeSeed, EnumAccess, MapAccess, SeqAccess, VariantAccess, Visitor};
use serde_json::{Map, Value};

use super::numbers;

/// Parses YAML text; returns the value and a note per number left out.
pub(super) fn parse(text: &str) -> Result<(Value, Vec<String>), yaml_serde::Error> {
    let mut notes = Vec::new();
    let de = yaml_serde::Deserializer::from_str(text);
    let value = At {
        at: String::new(),
        notes: &mut notes,
    }
    .deserialize(de)?;
    Ok((value.unwrap_or(Value::Null), notes))
}

/// A value to read at a JSON pointer. `None` is a number with no JSON form,
/// which its map or list leaves out.
struct At<'n> {
    at: String,
    notes: &'n mut Vec<String>,
}

impl<'de> DeserializeSeed<'de> for At<'_> {
    type Value = Option<Value>;

    fn deserialize<D: de::Deserializer<'de>>(self, de: D) -> Result<Self::Value, D::Error> {
        de.deserialize_any(self)
    }
}

impl At<'_> {
    fn number(self, n: Option<Value>, written: impl fmt::Display) -> Option<Value> {
        if n.is_none() {
            self.notes.push(format!(
                "#{}: left out `{written}`: JSON has no such number (as a bound, it means no bound)",
                self.at
            ));
        }
        n
    }
}

impl<'de> Visitor<'de> for At<'_> {
    type Value = Option<Value>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a YAML value")
    }

    fn visit_bool<E>(self, b: bool) -> Result<Self::Value, E> {
        Ok(Some(Value::Bool(b)))
    }

    fn visit_i64<E>(self, i: i64) -> Result<Self::Value, E> {
        Ok(Some(Value::from(i)))
    }

    fn visit_u64<E>(self, u: u64) -> Result<Self::Value, E> {
        Ok(Some(Value::from(u)))
    }

    fn visit_i128<E>(self, i: i128) -> Result<Self::Value, E> {
        Ok(Some(numbers::of_i128(i)))
    }

    fn visit_u128<E>(self, u: u128) -> Result<Self::Value, E> {
        Ok(Some(numbers::of_u128(u)))
    }

    fn visit_f64<E>(self, f: f64) -> Result<Self::Value, E> {
        let shown = if f.is_nan() {
            ".nan".to_string()
        } else if f.is_infinite() {
            format!("{}.inf", if f < 0.0 { "-" } else { "" })
        } else {
            f.to_string()
        };
        Ok(self.number(numbers::of_f64(f), shown))
    }

    fn visit_str<E>(self, s: &str) -> Result<Self::Value, E> {
        Ok(Some(Value::String(s.to_string())))
    }

    fn visit_string<E>(self, s: String) -> Result<Self::Value, E> {
        Ok(Some(Value::String(s)))
    }

    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(Some(Value::Null))
    }

    fn visit_none<E>(self) -> Result<Self::Value, E> {
        Ok(Some(Value::Null))
    }

    fn visit_some<D: de::Deserializer<'de>>(self, de: D) -> Result<Self::Value, D::Error> {
        self.deserialize(de)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut items = Vec::new();
        for i in 0.. {
            let seed = At {
                at: format!("{}/{i}", self.at),
                notes: &mut *self.notes,
            };
            match seq.next_element_seed(seed)? {
                Some(Some(v)) => items.push(v),
                // Left out, with its note.
                Some(None) => {}
                None => break,
            }
        }
        Ok(Some(Value::Array(items)))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut out = Map::new();
        while let Some(key) = map.next_key_seed(Key)? {
            let seed = At {
                at: crate::document::pointer(&self.at, &key),
                notes: &mut *self.notes,
            };
            if let Some(v) = map.next_value_seed(seed)? {
                out.insert(key, v);
            }
        }
        Ok(Some(Value::Object(out)))
    }

    fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<Self::Value, A::Error> {
        // A tagged value, `!tag value`: the tag is dropped.
        let (_tag, variant) = data.variant::<de::IgnoredAny>()?;
        variant.newtype_variant_seed(self)
    }
}

/// A map key, as a string.
struct Key;

impl<'de> DeserializeSeed<'de> for Key {
    type Value = String;

    fn deserialize<D: de::Deserializer<'de>>(self, de: D) -> Result<String, D::Error> {
        de.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Key {
    type Value = String;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a map key that is a string, a number or a boolean; quote the key")
    }

    fn visit_bool<E>(self, b: bool) -> Result<String, E> {
        Ok(b.to_string())
    }

    fn visit_i64<E>(self, i: i64) -> Result<String, E> {
        Ok(i.to_string())
    }

    fn visit_u64<E>(self, u: u64) -> Result<String, E> {
        Ok(u.to_string())
    }

    fn visit_i128<E>(self, i: i128) -> Result<String, E> {
        Ok(i.to_string())
    }

    fn visit_u128<E>(self, u: u128) -> Result<String, E> {
        Ok(u.to_string())
    }

    fn visit_f64<E>(self, f: f64) -> Result<String, E> {
        Ok(f.to_string())
    }

    fn visit_str<E>(self, s: &str) -> Result<String, E> {
        Ok(s.to_string())
    }

    fn visit_string<E>(self, s: String) -> Result<String, E> {
        Ok(s)
    }

    fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<String, A::Error> {
        let (_tag, variant) = data.variant::<de::IgnoredAny>()?;
        variant.newtype_variant_seed(self)
    }
}
