//! JSON Schema 2019-09's `$recursiveRef: "#"` (OpenAI's `CompoundFilter`,
//! whose `filters` hold filters or compound filters again): a reference to
//! the root of the schema that holds it, which in an OpenAPI document is
//! the component schema. 3.0 has no such keyword, and it refused the whole
//! API; it becomes a plain `$ref` to that component, with a note, and the
//! `$recursiveAnchor` beside it, which only annotates, is dropped.
//!
//! Outside a component schema the root is no schema: the reference is any
//! JSON, with a note, as is a `$recursiveRef` to anything but `#` (2019-09
//! allows only `#`).

use serde_json::{Map, Value};

use super::Ctx;
use crate::document::{self, Kind, pointer, unescape};

/// Resolves every `$recursiveRef` of the document.
pub(super) fn resolve(root: &mut Map<String, Value>, ctx: &mut Ctx) {
    let mut doc = Value::Object(std::mem::take(root));
    document::walk_mut(&mut doc, Kind::Document, "", &mut |node, place| {
        if place.kind != Kind::Schema {
            return;
        }
        let Some(s) = node.as_object_mut() else { return };
        s.remove("$recursiveAnchor");
        let Some(target) = s.remove("$recursiveRef") else {
            return;
        };
        let at = pointer(place.at, "$recursiveRef");
        match (target.as_str(), component_of(place.at)) {
            (Some("#"), Some(component)) => {
                let reference = pointer("#/components/schemas", &component);
                ctx.note(
                    &at,
                    format!(
                        "`$recursiveRef: \"#\"` is read as `$ref: {reference}`, the component that holds it"
                    ),
                );
                s.insert("$ref".into(), Value::String(reference));
            }
            _ => ctx.note(
                &at,
                format!("`$recursiveRef: {target}` refers to no schema here: any JSON (`serde_json::Value`)"),
            ),
        }
    });
    if let Value::Object(map) = doc {
        *root = map;
    }
}

/// The component schema whose content `at` is in, if any.
fn component_of(at: &str) -> Option<String> {
    let rest = at.strip_prefix("/components/schemas/")?;
    let name = rest.split('/').next()?;
    Some(unescape(name))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::merge::Origins;

    fn resolved(doc: Value) -> (Value, Vec<String>) {
        let origins = Origins::default();
        let mut ctx = Ctx {
            origins: &origins,
            is_31: true,
            notes: Vec::new(),
            errors: Vec::new(),
        };
        let Value::Object(mut root) = doc else {
            unreachable!()
        };
        resolve(&mut root, &mut ctx);
        assert!(ctx.errors.is_empty());
        (Value::Object(root), ctx.notes)
    }

    #[test]
    fn a_recursive_ref_is_the_component_that_holds_it() {
        let (doc, notes) = resolved(json!({"components": {"schemas": {"Compound/Filter": {
            "$recursiveAnchor": true,
            "type": "object",
            "properties": {"filters": {"type": "array", "items": {"oneOf": [{"type": "string"}, {"$recursiveRef": "#"}]}}}
        }}}}));
        assert_eq!(
            doc["components"]["schemas"]["Compound/Filter"],
            json!({"type": "object", "properties": {"filters": {"type": "array", "items": {"oneOf": [
                {"type": "string"}, {"$ref": "#/components/schemas/Compound~1Filter"}
            ]}}}})
        );
        assert_eq!(
            notes,
            [
                "#/components/schemas/Compound~1Filter/properties/filters/items/oneOf/1/$recursiveRef: `$recursiveRef: \"#\"` is read as `$ref: #/components/schemas/Compound~1Filter`, the component that holds it"
            ]
        );
    }

    #[test]
    fn outside_a_component_it_is_any_json() {
        let (doc, notes) = resolved(
            json!({"paths": {"/a": {"get": {"responses": {"200": {"description": "ok",
            "content": {"application/json": {"schema": {"$recursiveRef": "#"}}}}}}}}}),
        );
        assert_eq!(
            doc.pointer("/paths/~1a/get/responses/200/content/application~1json/schema"),
            Some(&json!({}))
        );
        assert_eq!(notes.len(), 1, "{notes:?}");
    }
}
