//! Integer schemas whose values or bounds the generated types cannot hold,
//! each adapted with a note. Part of the normalize stage; the load stage
//! has already read every number by one rule (`load/numbers.rs`).
//!
//! typify makes an integer schema an `i64` (or the type its `format`
//! names), and refuses the whole API over a `default` that type cannot
//! hold. So:
//!
//! - where a value matters (a `default` or an `enum` value) and the type
//!   cannot hold it, the type widens: to `i64` past a narrower format, to
//!   `u64` for a whole number past `i64`, else to `f64` (`type: number`);
//! - a bound past what any generated integer holds (below -2^63, or 2^64
//!   and above) is dropped: it bounds nothing a client can send or read;
//! - a `default` outside the schema's own bounds is dropped.

use serde_json::{Map, Value};

use crate::document::{self, Kind, pointer};

/// The smallest and largest value of each integer format typify knows.
const FORMATS: [(&str, f64, f64); 10] = [
    ("int8", i8::MIN as f64, i8::MAX as f64),
    ("uint8", 0.0, u8::MAX as f64),
    ("int16", i16::MIN as f64, i16::MAX as f64),
    ("uint16", 0.0, u16::MAX as f64),
    ("int", i32::MIN as f64, i32::MAX as f64),
    ("int32", i32::MIN as f64, i32::MAX as f64),
    ("uint", 0.0, u32::MAX as f64),
    ("uint32", 0.0, u32::MAX as f64),
    ("int64", i64::MIN as f64, i64::MAX as f64),
    ("uint64", 0.0, u64::MAX as f64),
];

/// Adapts every integer schema of the document; returns the notes.
pub(super) fn integers(doc: &mut Value) -> Vec<String> {
    let mut notes = Vec::new();
    document::walk_mut(doc, Kind::Document, "", &mut |node, place| {
        if place.kind == Kind::Schema
            && let Some(s) = node.as_object_mut()
            && s.get("type").and_then(Value::as_str) == Some("integer")
        {
            integer(s, place.at, &mut notes);
        }
    });
    notes
}

fn integer(s: &mut Map<String, Value>, at: &str, notes: &mut Vec<String>) {
    for bound in ["minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"] {
        // Whole numbers in range are integers by now (`load/numbers.rs`):
        // a double is fractional, or past every integer.
        if let Some(v) = s.get(bound).filter(|v| v.is_f64()).and_then(Value::as_f64)
            && !(i64::MIN as f64..u64::MAX as f64).contains(&v)
        {
            s.remove(bound);
            notes.push(format!(
                "#{}: dropped `{bound}: {v:e}`: no integer a client sends or reads is past it",
                pointer(at, bound)
            ));
        }
    }
    let values: Vec<&Value> = s
        .get("default")
        .into_iter()
        .chain(s.get("enum").and_then(Value::as_array).into_iter().flatten())
        .filter(|v| v.is_number())
        .collect();
    let (lowest, highest) = FORMATS
        .iter()
        .find(|(f, ..)| s.get("format").and_then(Value::as_str) == Some(*f))
        .map_or((i64::MIN as f64, i64::MAX as f64), |&(_, lo, hi)| (lo, hi));
    let held =
        |v: &Value| (v.is_i64() || v.is_u64()) && v.as_f64().is_some_and(|f| (lowest..=highest).contains(&f));
    if !values.iter().all(|v| held(v)) {
        let shown: Vec<String> = values
            .iter()
            .filter(|v| !held(v))
            .map(|v| v.to_string())
            .collect();
        let shown = shown.join(", ");
        let widened = if values.iter().all(|v| v.is_i64()) {
            Some("int64")
        } else if values.iter().all(|v| v.is_u64()) {
            Some("uint64")
        } else {
            None
        };
        match widened {
            Some(format) => {
                s.insert("format".into(), Value::from(format));
                let ty = if format == "int64" { "i64" } else { "u64" };
                notes.push(format!(
                    "#{at}: an integer that holds {shown}: `{ty}` (`format: {format}`)"
                ));
            }
            None => {
                s.insert("type".into(), Value::from("number"));
                s.remove("format");
                notes.push(format!(
                    "#{at}: an integer that holds {shown}, which no integer type holds: `f64` (`type: number`)"
                ));
            }
        }
    }
    let low = s.get("minimum").and_then(Value::as_f64);
    let high = s.get("maximum").and_then(Value::as_f64);
    if let Some(d) = s.get("default").and_then(Value::as_f64)
        && (low.is_some_and(|l| d < l) || high.is_some_and(|h| d > h))
    {
        let shown = s.remove("default").unwrap_or_default();
        notes.push(format!(
            "#{}: dropped `default: {shown}`: it is outside the schema's own bounds",
            pointer(at, "default")
        ));
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn adapted(schema: Value) -> (Value, Vec<String>) {
        let mut doc = json!({"components": {"schemas": {"N": schema}}});
        let notes = integers(&mut doc);
        (doc["components"]["schemas"]["N"].take(), notes)
    }

    #[test]
    fn a_64_bit_limit_is_kept_and_bounds_past_every_integer_are_dropped() {
        let (s, notes) = adapted(json!({"type": "integer", "minimum": i64::MIN, "maximum": 1u64 << 63}));
        assert_eq!(
            s,
            json!({"type": "integer", "minimum": i64::MIN, "maximum": 1u64 << 63})
        );
        assert!(notes.is_empty());
        let (s, notes) =
            adapted(json!({"type": "integer", "minimum": -1e30, "maximum": 1.8446744073709552e19}));
        assert_eq!(s, json!({"type": "integer"}));
        assert_eq!(
            notes,
            [
                "#/components/schemas/N/minimum: dropped `minimum: -1e30`: no integer a client sends or reads is past it",
                "#/components/schemas/N/maximum: dropped `maximum: 1.8446744073709552e19`: no integer a client sends or reads is past it",
            ]
        );
    }

    #[test]
    fn a_value_the_type_cannot_hold_widens_it() {
        let (s, notes) = adapted(json!({"type": "integer", "format": "int64", "default": u64::MAX}));
        assert_eq!(
            s,
            json!({"type": "integer", "format": "uint64", "default": u64::MAX})
        );
        assert_eq!(
            notes,
            ["#/components/schemas/N: an integer that holds 18446744073709551615: `u64` (`format: uint64`)"]
        );
        let (s, _) = adapted(json!({"type": "integer", "format": "int32", "enum": [1, 3000000000u64]}));
        assert_eq!(s["format"], "int64");
        let (s, notes) = adapted(json!({"type": "integer", "enum": [-1, 1.5]}));
        assert_eq!(s, json!({"type": "number", "enum": [-1, 1.5]}));
        assert_eq!(notes.len(), 1, "{notes:?}");
    }

    #[test]
    fn a_default_outside_its_bounds_is_dropped() {
        let (s, notes) = adapted(json!({"type": "integer", "minimum": 1, "maximum": 10, "default": 0}));
        assert_eq!(s, json!({"type": "integer", "minimum": 1, "maximum": 10}));
        assert_eq!(notes.len(), 1);
        let (s, notes) = adapted(json!({"type": "integer", "minimum": 1, "default": 1}));
        assert_eq!(s["default"], 1);
        assert!(notes.is_empty());
    }
}
