//! How a number in a spec is read: one rule for JSON and YAML, so that the
//! same number written in either format loads as the same value.
//!
//! - A number whose value is a whole number that `i64` or `u64` holds is an
//!   integer, however it is written: `1e3`, `1000.0` and `1000` are all
//!   1000, and `-0` is 0. (JSON Schema counts a number with a zero
//!   fractional part as an integer; typify does not, and refuses
//!   `default: 1000.0` on an integer.)
//! - Any other number is the nearest double, as serde_json reads JSON: a
//!   bound written as a 64-bit limit past `i64` or `u64`
//!   (`-9223372036854776000`, `2^64`) loads as -2^63 or 2^64, where the YAML
//!   reader used to refuse the whole file.
//! - A number that has no double (YAML's `.inf`, `-.inf` and `.nan`) is left
//!   out with a note: JSON has no such value, and as a bound it means no
//!   bound.

use serde_json::{Number, Value};

/// The value of a number written as a double.
pub(super) fn of_f64(f: f64) -> Option<Value> {
    if !f.is_finite() {
        return None;
    }
    if f.fract() == 0.0 {
        // Exact: a double that is a whole number within range converts
        // without rounding.
        if (i64::MIN as f64..i64::MAX as f64).contains(&f) {
            return Some(Value::from(f as i64));
        }
        if (0.0..u64::MAX as f64).contains(&f) {
            return Some(Value::from(f as u64));
        }
    }
    Number::from_f64(f).map(Value::Number)
}

/// The value of an integer past `i64` and `u64`: the nearest double.
pub(super) fn of_i128(i: i128) -> Value {
    match (i64::try_from(i), u64::try_from(i)) {
        (Ok(i), _) => Value::from(i),
        (_, Ok(u)) => Value::from(u),
        _ => of_f64(i as f64).unwrap_or(Value::Null),
    }
}

/// The value of an unsigned integer past `u64`: the nearest double.
pub(super) fn of_u128(u: u128) -> Value {
    match u64::try_from(u) {
        Ok(u) => Value::from(u),
        _ => of_f64(u as f64).unwrap_or(Value::Null),
    }
}

/// Applies the rule to every number of a JSON document, in place: serde_json
/// reads `1e3` and `-0` as doubles.
pub(super) fn canonical(value: &mut Value) {
    match value {
        Value::Number(n) if n.is_f64() => {
            if let Some(v) = n.as_f64().and_then(of_f64) {
                *value = v;
            }
        }
        Value::Array(items) => items.iter_mut().for_each(canonical),
        Value::Object(map) => map.values_mut().for_each(canonical),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_doubles_in_range_are_integers_and_others_stay_doubles() {
        assert_eq!(of_f64(1e3), Some(Value::from(1000)));
        assert_eq!(of_f64(-0.0), Some(Value::from(0)));
        assert_eq!(of_f64(-9.223372036854776e18), Some(Value::from(i64::MIN)));
        assert_eq!(of_f64(9.223372036854776e18), Some(Value::from(1u64 << 63)));
        assert_eq!(of_f64(1.5), Some(serde_json::json!(1.5)));
        assert_eq!(
            of_f64(1.8446744073709552e19),
            Some(serde_json::json!(1.8446744073709552e19))
        );
        assert_eq!(of_f64(f64::INFINITY), None);
        assert_eq!(of_f64(f64::NAN), None);
    }

    #[test]
    fn integers_past_64_bits_are_the_nearest_double() {
        assert_eq!(of_i128(-9_223_372_036_854_776_000), Value::from(i64::MIN));
        assert_eq!(of_u128(1 << 64), serde_json::json!(1.8446744073709552e19));
        assert_eq!(of_u128(u64::MAX as u128), Value::from(u64::MAX));
    }
}
