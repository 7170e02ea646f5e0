//! A union with a `null` branch (`anyOf: [T, {type: 'null'}]`, how Pydantic
//! and FastAPI write `Optional[T]`: 836 times in Prefect's spec) becomes `T`,
//! nullable. Part of the normalize stage.
//!
//! Left as a union, typify 0.8 makes a struct of flattened options, and
//! panics (`unreachable!` at typify-impl `defaults.rs:620`) when such a
//! property has an object `default`: it validates the default against the
//! flattened members and expects each to be a struct or a map.

use serde_json::{Map, Value};

/// Keys a null branch may carry besides its type.
const NULL_ANNOTATIONS: [&str; 3] = ["description", "title", "nullable"];

/// Rewrites `anyOf`/`oneOf` with a null branch in place; the branches left
/// are converted when the walk reaches them.
pub(super) fn null_branches(s: &mut Map<String, Value>) {
    for key in ["anyOf", "oneOf"] {
        let Some(Value::Array(branches)) = s.get(key) else {
            continue;
        };
        if !branches.iter().any(is_null) {
            continue;
        }
        let mut rest: Vec<Value> = branches.iter().filter(|b| !is_null(b)).cloned().collect();
        s.insert("nullable".into(), Value::Bool(true));
        match rest.len() {
            0 => {
                s.remove(key);
            }
            1 => {
                s.remove(key);
                merge(s, rest.remove(0));
            }
            _ => {
                s.insert(key.into(), Value::Array(rest));
            }
        }
    }
}

/// `{type: 'null'}` (or `type: ['null']`), with annotations at most.
fn is_null(branch: &Value) -> bool {
    let Some(map) = branch.as_object() else {
        return false;
    };
    let null = match map.get("type") {
        Some(Value::String(t)) => t == "null",
        Some(Value::Array(types)) => types.len() == 1 && types[0] == "null",
        _ => false,
    };
    null && map
        .keys()
        .all(|k| k == "type" || NULL_ANNOTATIONS.contains(&k.as_str()))
}

/// Merges the one branch left into the schema that held the union: its
/// keywords join the schema's, unless they clash, when it becomes the one
/// member of an `allOf`.
fn merge(s: &mut Map<String, Value>, branch: Value) {
    let Value::Object(branch) = branch else {
        // A boolean schema: `true` is any value, already nullable.
        return;
    };
    let clashes = branch.iter().any(|(k, v)| s.get(k).is_some_and(|mine| mine != v));
    if clashes {
        match s.get_mut("allOf") {
            Some(Value::Array(all)) => all.push(Value::Object(branch)),
            _ => {
                s.insert("allOf".into(), Value::Array(vec![Value::Object(branch)]));
            }
        }
    } else {
        s.extend(branch);
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn rewritten(v: Value) -> Value {
        let Value::Object(mut s) = v else {
            unreachable!("test input is an object")
        };
        null_branches(&mut s);
        Value::Object(s)
    }

    #[test]
    fn a_reference_or_null_becomes_a_nullable_reference() {
        assert_eq!(
            rewritten(
                json!({"anyOf": [{"$ref": "#/components/schemas/A"}, {"type": "null"}], "default": {"eq_": false}})
            ),
            json!({"$ref": "#/components/schemas/A", "nullable": true, "default": {"eq_": false}})
        );
    }

    #[test]
    fn an_inline_type_or_null_merges_and_clashes_go_under_all_of() {
        assert_eq!(
            rewritten(json!({"oneOf": [{"type": "boolean"}, {"type": "null"}], "description": "d"})),
            json!({"type": "boolean", "nullable": true, "description": "d"})
        );
        assert_eq!(
            rewritten(
                json!({"anyOf": [{"type": "object", "description": "x"}, {"type": "null"}], "description": "d"})
            ),
            json!({"allOf": [{"type": "object", "description": "x"}], "nullable": true, "description": "d"})
        );
    }

    #[test]
    fn several_other_branches_stay_a_union_and_non_null_unions_are_untouched() {
        assert_eq!(
            rewritten(json!({"anyOf": [{"type": "string"}, {"type": "integer"}, {"type": ["null"]}]})),
            json!({"anyOf": [{"type": "string"}, {"type": "integer"}], "nullable": true})
        );
        let plain = json!({"anyOf": [{"type": "string"}, {"type": "null", "enum": [null]}]});
        assert_eq!(rewritten(plain.clone()), plain);
    }
}
