//! A component whose root is a nullable composition (`oneOf`, `anyOf`,
//! `allOf` or `not`, with `nullable: true`) keeps its name for the nullable
//! type, and its composition moves to a new component, `<Name>Inner`.
//!
//! progenitor turns such a root into `oneOf: [null, <composition>]`, and
//! typify 0.8's `maybe_option` gives the composition the component's own
//! name: the newtype `Name(Option<Name>)` and the enum or struct `Name` are
//! both emitted, and the crate does not compile (Mistral's
//! `CompletionArgsStop`: `anyOf: [string, array, null]`). For a nullable
//! *type* typify already names the inner type `<Name>Inner`
//! (`convert_schema_object`); this gives the composition the same name. The
//! root becomes `allOf: [$ref]`, nullable, which typify reads as
//! `Option<NameInner>`.

use serde_json::{Map, Value, json};

use super::{Adaptation, unique_name};
use crate::document::{component_ref, pointer};

/// Keywords that make a schema a composition.
const COMPOSITIONS: [&str; 4] = ["oneOf", "anyOf", "allOf", "not"];

/// Keywords that stay on the nullable root: they describe the component.
const ROOT_ANNOTATIONS: [&str; 3] = ["description", "deprecated", "externalDocs"];

/// Moves each nullable composition at a component's root into its own
/// component.
pub(super) fn hoist(doc: &mut Value, done: &mut Vec<Adaptation>) {
    let Some(Value::Object(schemas)) = doc.pointer_mut("/components/schemas") else {
        return;
    };
    let mut taken: Vec<String> = schemas.keys().cloned().collect();
    let names: Vec<String> = taken.clone();
    for name in names {
        let Some(Value::Object(root)) = schemas.get_mut(&name) else {
            continue;
        };
        if !needs_hoisting(root) {
            continue;
        }
        let inner_name = unique_name(&format!("{name}Inner"), &taken);
        taken.push(inner_name.clone());
        let mut inner = std::mem::take(root);
        inner.remove("nullable");
        let mut outer = Map::new();
        for k in ROOT_ANNOTATIONS {
            if let Some(v) = inner.get(k) {
                outer.insert(k.into(), v.clone());
            }
        }
        outer.insert(
            "allOf".into(),
            json!([{"$ref": component_ref("schemas", &inner_name)}]),
        );
        outer.insert("nullable".into(), Value::Bool(true));
        *root = outer;
        schemas.insert(inner_name.clone(), Value::Object(inner));
        done.push(Adaptation::of_document(pointer("/components/schemas", &name), "nullable types", format!(
                "its nullable composition moved to `{inner_name}`, so the nullable type and the composition have a name each"
            )));
    }
}

/// A nullable root with a composition, unless it is already a nullable
/// `allOf` of one `$ref` (which typify reads as an `Option` of that type).
fn needs_hoisting(root: &Map<String, Value>) -> bool {
    if root.get("nullable") != Some(&Value::Bool(true)) {
        return false;
    }
    if !COMPOSITIONS.iter().any(|k| root.contains_key(*k)) {
        return false;
    }
    let one_ref = match root.get("allOf") {
        Some(Value::Array(all)) => {
            all.len() == 1
                && all[0]
                    .as_object()
                    .is_some_and(|m| m.len() == 1 && m.contains_key("$ref"))
        }
        _ => false,
    };
    let other_keywords = root
        .keys()
        .any(|k| k != "allOf" && k != "nullable" && !ROOT_ANNOTATIONS.contains(&k.as_str()));
    !one_ref || other_keywords
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hoisted(schemas: Value) -> (Value, Vec<Adaptation>) {
        let mut doc = json!({"openapi": "3.0.3", "paths": {}, "components": {"schemas": schemas}});
        let mut done = Vec::new();
        hoist(&mut doc, &mut done);
        (doc["components"]["schemas"].clone(), done)
    }

    #[test]
    fn a_nullable_union_root_moves_to_an_inner_component() {
        let (schemas, done) = hoisted(json!({
            "Stop": {"anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}],
                     "nullable": true, "description": "when to stop"}
        }));
        assert_eq!(
            schemas,
            json!({
                "Stop": {"allOf": [{"$ref": "#/components/schemas/StopInner"}], "nullable": true,
                         "description": "when to stop"},
                "StopInner": {"anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}],
                              "description": "when to stop"}
            })
        );
        assert_eq!(done.len(), 1);
        assert_eq!(done[0].pointer, "/components/schemas/Stop");
    }

    #[test]
    fn the_inner_name_does_not_take_an_existing_one() {
        let (schemas, _) = hoisted(json!({
            "A": {"oneOf": [{"type": "string"}, {"type": "integer"}], "nullable": true},
            "AInner": {"type": "object"}
        }));
        assert_eq!(schemas["A"]["allOf"][0]["$ref"], "#/components/schemas/AInner2");
        assert_eq!(schemas["AInner"], json!({"type": "object"}));
        assert_eq!(schemas["AInner2"]["oneOf"][1], json!({"type": "integer"}));
    }

    #[test]
    fn an_inline_all_of_member_moves_but_a_lone_ref_and_plain_types_stay() {
        let (schemas, done) = hoisted(json!({
            "Obj": {"allOf": [{"type": "object", "description": "x"}], "nullable": true},
            "Ref": {"allOf": [{"$ref": "#/components/schemas/Obj"}], "nullable": true, "description": "d"},
            "Str": {"type": "string", "nullable": true},
            "Union": {"oneOf": [{"type": "string"}, {"type": "integer"}]}
        }));
        assert_eq!(done.len(), 1, "{done:?}");
        assert!(schemas.get("ObjInner").is_some());
        assert_eq!(
            schemas["Ref"],
            json!({"allOf": [{"$ref": "#/components/schemas/Obj"}], "nullable": true, "description": "d"})
        );
        assert_eq!(schemas["Str"], json!({"type": "string", "nullable": true}));
        assert_eq!(
            schemas["Union"],
            json!({"oneOf": [{"type": "string"}, {"type": "integer"}]})
        );
    }
}
