//! `$defs` (JSON Schema 2020-12 local definitions) have no 3.0 form: each is
//! hoisted into `components/schemas` as `<Owner>_<name>`, and every `$ref`
//! into it is rewritten. Part of the normalize stage.
//!
//! A schema that carries `$defs` and refers to them as `#/$defs/<name>`
//! (a JSON Schema written as its own document and pasted into the spec, as
//! Mistral's are) means its own `$defs`, not the document's: inside that
//! schema, such references follow its `$defs` too, with a note.

use serde_json::{Map, Value};

use crate::document::{self, Kind, component_ref, move_refs, move_refs_under, pointer, segments};

/// Hoists every `$defs` entry of the document; returns a note per entry.
pub fn hoist(root: &mut Map<String, Value>) -> Vec<String> {
    let mut doc = Value::Object(std::mem::take(root));
    let notes = hoist_all(&mut doc);
    if let Value::Object(map) = doc {
        *root = map;
    }
    notes
}

fn hoist_all(doc: &mut Value) -> Vec<String> {
    let mut notes = Vec::new();
    // Each pass removes one `$defs` object; a document has finitely many.
    while let Some(at) = find_defs(doc) {
        let owner = owner_name(&at);
        let parent = &at[..at.len() - "/$defs".len()];
        let names: Vec<String> = match doc.pointer(&at) {
            Some(Value::Object(defs)) => defs.keys().cloned().collect(),
            _ => break,
        };
        if !parent.is_empty()
            && let Some(holder) = doc.pointer_mut(parent)
        {
            let local: Vec<(String, String)> = names
                .iter()
                .map(|name| {
                    (
                        format!("#{}", pointer("/$defs", name)),
                        format!("#{}", pointer(&at, name)),
                    )
                })
                .collect();
            let moved = move_refs_under(holder, Kind::Schema, &local);
            if moved > 0 {
                notes.push(format!(
                    "#{at}: {moved} `$ref: #/$defs/...` inside this schema read as its own `$defs` (a schema pasted in as a document of its own)"
                ));
            }
        }
        let defs = match doc
            .pointer_mut(parent)
            .and_then(Value::as_object_mut)
            .and_then(|p| p.remove("$defs"))
        {
            Some(Value::Object(defs)) => defs,
            _ => break,
        };
        let schemas = doc
            .as_object_mut()
            .map(|root| {
                root.entry("components")
                    .or_insert_with(|| Value::Object(Map::new()))
            })
            .and_then(Value::as_object_mut)
            .map(|c| c.entry("schemas").or_insert_with(|| Value::Object(Map::new())));
        let Some(Value::Object(schemas)) = schemas else {
            break;
        };
        let mut renames = Vec::new();
        for (name, schema) in defs {
            let mut new_name = format!("{owner}_{name}");
            let mut n = 2;
            while schemas.contains_key(&new_name) {
                new_name = format!("{owner}_{name}{n}");
                n += 1;
            }
            schemas.insert(new_name.clone(), schema);
            notes.push(format!(
                "#{}: hoisted to components/schemas/{new_name}",
                pointer(&at, &name)
            ));
            renames.push((
                format!("#{}", pointer(&at, &name)),
                component_ref("schemas", &new_name),
            ));
        }
        move_refs(doc, &renames);
    }
    notes
}

/// The pointer of the first `$defs` object of the document or of a schema;
/// the walk skips data and properties that happen to be named `$defs`.
fn find_defs(doc: &Value) -> Option<String> {
    let mut found = None;
    document::walk(doc, Kind::Document, "", &mut |node, place| {
        if found.is_none()
            && matches!(place.kind, Kind::Document | Kind::Schema)
            && matches!(node.get("$defs"), Some(Value::Object(_)))
        {
            found = Some(pointer(place.at, "$defs"));
        }
    });
    found
}

/// `/components/schemas/Pet/$defs` -> `Pet`; anything else -> `Defs`.
fn owner_name(at: &str) -> String {
    match segments(at).as_slice() {
        [components, schemas, name, ..] if components == "components" && schemas == "schemas" => name.clone(),
        _ => "Defs".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn hoisted(doc: Value) -> (Value, Vec<String>) {
        let Value::Object(mut root) = doc else {
            unreachable!("test input is an object")
        };
        let notes = hoist(&mut root);
        (Value::Object(root), notes)
    }

    #[test]
    fn defs_move_to_components_and_refs_follow() {
        let (doc, notes) = hoisted(json!({"components": {"schemas": {"Pet": {
            "type": "object",
            "properties": {"tag": {"$ref": "#/components/schemas/Pet/$defs/Tag"}, "$defs": {"type": "string"}},
            "$defs": {"Tag": {"type": "object", "properties": {"inner": {"$ref": "#/components/schemas/Pet/$defs/Tag/properties/name"}, "name": {"type": "string"}}}}
        }}}}));
        assert_eq!(
            doc.pointer("/components/schemas/Pet/properties/tag/$ref")
                .unwrap(),
            "#/components/schemas/Pet_Tag"
        );
        assert_eq!(
            doc.pointer("/components/schemas/Pet_Tag/properties/inner/$ref")
                .unwrap(),
            "#/components/schemas/Pet_Tag/properties/name"
        );
        assert!(doc.pointer("/components/schemas/Pet/$defs").is_none());
        assert!(
            doc.pointer("/components/schemas/Pet/properties/$defs").is_some(),
            "a property named $defs stays"
        );
        assert_eq!(
            notes,
            ["#/components/schemas/Pet/$defs/Tag: hoisted to components/schemas/Pet_Tag"]
        );
    }

    #[test]
    fn defs_under_a_default_response_or_a_component_named_like_a_keyword_are_hoisted() {
        // `default` and `example` are names here, not data.
        let (doc, notes) = hoisted(json!({
            "paths": {"/a": {"get": {"responses": {"default": {"content": {"application/json": {"schema": {
                "$defs": {"E": {"type": "string"}},
                "$ref": "#/paths/~1a/get/responses/default/content/application~1json/schema/$defs/E"
            }}}}}}}},
            "components": {"schemas": {"example": {"$defs": {"T": {"type": "integer"}}}}}
        }));
        assert_eq!(
            doc.pointer("/paths/~1a/get/responses/default/content/application~1json/schema"),
            Some(&json!({"$ref": "#/components/schemas/Defs_E"}))
        );
        assert_eq!(
            doc.pointer("/components/schemas/Defs_E"),
            Some(&json!({"type": "string"}))
        );
        assert_eq!(doc.pointer("/components/schemas/example"), Some(&json!({})));
        assert_eq!(
            doc.pointer("/components/schemas/example_T"),
            Some(&json!({"type": "integer"}))
        );
        assert_eq!(notes.len(), 2);
    }

    #[test]
    fn nested_and_root_defs_and_name_clashes() {
        let (doc, notes) = hoisted(json!({
            "$defs": {"A": {"$defs": {"B": {"type": "integer"}}, "$ref": "#/$defs/A/$defs/B"}},
            "components": {"schemas": {"Defs_A": {"type": "string"}}}
        }));
        assert_eq!(
            doc.pointer("/components/schemas/Defs_A2/$ref").unwrap(),
            "#/components/schemas/Defs_A2_B"
        );
        assert_eq!(
            doc.pointer("/components/schemas/Defs_A2_B/type").unwrap(),
            "integer"
        );
        assert_eq!(notes.len(), 2);
    }

    #[test]
    fn defs_under_properties_named_like_keywords_are_hoisted_but_not_in_data() {
        let (doc, notes) = hoisted(json!({"components": {"schemas": {"S": {"properties": {
            "default": {"$defs": {"A": {"type": "string"}}, "$ref": "#/components/schemas/S/properties/default/$defs/A"},
            "enum": {"$defs": {"B": {"type": "string"}}},
            "example": {"$defs": {"C": {"type": "string"}}},
            "$ref": {"$defs": {"D": {"type": "string"}}}
        }, "default": {"$defs": {"E": {}}}, "example": {"$defs": {"F": {}}}}}}}));
        assert_eq!(notes.len(), 4, "{notes:?}");
        let present = [
            "/components/schemas/S_A",
            "/components/schemas/S_B",
            "/components/schemas/S_C",
            "/components/schemas/S_D",
            // Data stays.
            "/components/schemas/S/default/$defs/E",
            "/components/schemas/S/example/$defs/F",
        ];
        for at in present {
            assert!(doc.pointer(at).is_some(), "{at}");
        }
        assert_eq!(
            doc.pointer("/components/schemas/S/properties/default/$ref"),
            Some(&json!("#/components/schemas/S_A"))
        );
    }

    #[test]
    fn root_relative_refs_inside_a_schema_with_defs_mean_its_own_defs() {
        // Mistral's speech stream: a response schema with `$defs`, whose
        // members refer to each other as `#/$defs/<name>`.
        let (doc, notes) = hoisted(json!({
            "paths": {"/s": {"post": {"responses": {"200": {"content": {"text/event-stream": {"schema": {
                "type": "object",
                "properties": {"data": {"oneOf": [{"$ref": "#/$defs/Done"}]}},
                "$defs": {
                    "Done": {"type": "object", "properties": {"usage": {"$ref": "#/$defs/Usage"}}},
                    "Usage": {"type": "object"}
                }
            }}}}}}}}
        }));
        let schema = "/paths/~1s/post/responses/200/content/text~1event-stream/schema";
        assert_eq!(
            doc.pointer(&format!("{schema}/properties/data/oneOf/0/$ref")),
            Some(&json!("#/components/schemas/Defs_Done"))
        );
        assert_eq!(
            doc.pointer("/components/schemas/Defs_Done/properties/usage/$ref"),
            Some(&json!("#/components/schemas/Defs_Usage"))
        );
        assert!(notes[0].contains("2 `$ref: #/$defs/...`"), "{notes:?}");
    }
}
