//! A `$ref` into the inside of a schema (`#/components/schemas/WebhookEvent/allOf/0`,
//! as Apideck writes) is legal, but typify resolves only references to whole
//! component schemas, and panics ("unresolved reference", typify-impl
//! `merge.rs:125`) on the others. The schema it points at is copied into
//! `components/schemas` under a name made of its place
//! (`WebhookEvent_allOf_0`), and every such reference follows, with a note.
//! Part of the normalize stage.

use serde_json::Value;

use crate::document::{Kind, component_ref, move_refs, ref_target, segments, walk};

/// How many rounds at most: a copied schema may itself hold deep
/// references, each round takes one level.
const ROUNDS: usize = 16;

/// Hoists the targets of deep schema references; returns a note per target.
pub(super) fn hoist(doc: &mut Value) -> Vec<String> {
    let mut notes = Vec::new();
    for _ in 0..ROUNDS {
        let deep = deep_targets(doc);
        if deep.is_empty() {
            break;
        }
        let mut moves = Vec::new();
        for target in deep {
            let Some(schema) = ref_target(doc, &target).cloned() else {
                continue;
            };
            let Some(Value::Object(schemas)) = doc.pointer_mut("/components/schemas") else {
                break;
            };
            let base = name_of(&target);
            let mut name = base.clone();
            let mut n = 2;
            while schemas.contains_key(&name) {
                name = format!("{base}{n}");
                n += 1;
            }
            schemas.insert(name.clone(), schema);
            notes.push(format!(
                "{target}: a reference into the inside of a schema: copied to components/schemas/{name}"
            ));
            moves.push((target, component_ref("schemas", &name)));
        }
        move_refs(doc, &moves);
    }
    notes
}

/// The local targets of schema `$ref`s that are not a whole component
/// schema, in document order, each once.
fn deep_targets(doc: &Value) -> Vec<String> {
    let mut found: Vec<String> = Vec::new();
    walk(doc, Kind::Document, "", &mut |node, place| {
        if place.kind == Kind::Schema
            && let Some(Value::String(r)) = node.get("$ref")
            && let Some(p) = r.strip_prefix('#')
            && !is_component_schema(p)
            && p.starts_with("/components/schemas/")
            && doc.pointer(p).is_some()
            && !found.contains(r)
        {
            found.push(r.clone());
        }
    });
    found
}

fn is_component_schema(p: &str) -> bool {
    matches!(segments(p).as_slice(), [c, s, _] if c == "components" && s == "schemas")
}

/// `#/components/schemas/WebhookEvent/allOf/0` -> `WebhookEvent_allOf_0`.
fn name_of(target: &str) -> String {
    let parts: Vec<String> = segments(target.trim_start_matches('#'))
        .into_iter()
        .skip(2)
        .map(|s| {
            s.chars()
                .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
                .collect()
        })
        .collect();
    parts.join("_")
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn a_reference_into_a_schema_points_at_a_copy_of_its_own() {
        let mut doc = json!({"components": {"schemas": {
            "WebhookEvent": {"allOf": [{"type": "object", "properties": {"id": {"type": "string"}}}, {"type": "object"}]},
            "Other": {"allOf": [{"$ref": "#/components/schemas/WebhookEvent/allOf/0"}]}
        }}});
        let notes = hoist(&mut doc);
        assert_eq!(
            doc.pointer("/components/schemas/Other/allOf/0/$ref"),
            Some(&json!("#/components/schemas/WebhookEvent_allOf_0"))
        );
        assert_eq!(
            doc.pointer("/components/schemas/WebhookEvent_allOf_0"),
            doc.pointer("/components/schemas/WebhookEvent/allOf/0")
        );
        assert_eq!(notes.len(), 1);
        let again = doc.clone();
        assert!(hoist(&mut doc).is_empty());
        assert_eq!(doc, again);
    }
}
