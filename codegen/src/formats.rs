//! A `format` typify cannot take is dropped with a note. typify 0.8 reads
//! `format` on strings, integers and numbers only; on any other schema
//! (Twilio's `{type: object, format: uri-map}`, a `format` beside
//! `properties` or `allOf`) it panics on an unimplemented branch
//! ("invalid (or unexpected) schema", typify-impl `convert.rs:788`), which
//! refused the whole API; likewise on any schema without a `type`. A
//! `format` there is an annotation the client has no use for: without it,
//! the same bytes are sent and read. Runs after normalize, on the OpenAPI
//! 3.0 document, with the one schema walk (`document.rs`).

use serde_json::{Map, Value};

use crate::document::{pointer, schemas_mut};

/// The types whose `format` typify reads.
const FORMATTED_TYPES: [&str; 3] = ["string", "integer", "number"];

/// Keywords that make a schema without a `type` something other than a
/// string or a number to typify.
const STRUCTURE: [&str; 8] = [
    "properties",
    "additionalProperties",
    "items",
    "allOf",
    "anyOf",
    "oneOf",
    "not",
    "$ref",
];

/// Removes every `format` typify cannot take; returns one note per removal,
/// as `#<pointer>: <what>`.
pub fn drop_misplaced(doc: &mut Value) -> Vec<String> {
    let mut notes = Vec::new();
    schemas_mut(doc, |schema, at| {
        if !schema.contains_key("format") || takes_format(schema) {
            return;
        }
        let Some(format) = schema.remove("format") else {
            return;
        };
        let on = match schema.get("type").and_then(Value::as_str) {
            Some(t) => format!("`type: {t}`"),
            None if STRUCTURE.iter().any(|k| schema.contains_key(*k)) => {
                "a schema that is not a string or a number".to_string()
            }
            None => "a schema without a `type`".to_string(),
        };
        notes.push(format!(
            "#{}: dropped `format` {format} on {on}: the generated types have no use for it",
            pointer(at, "format")
        ));
    });
    notes
}

/// Whether typify reads this schema's `format`: a string, integer or
/// number. On a schema without a `type` it panics whatever the format
/// (`{format: uuid}`, `{format: int64}`: every untyped branch of typify's
/// `convert_schema_object` wants no format; found by `cargo xtask fuzz`),
/// and such a schema means any value anyway.
fn takes_format(schema: &Map<String, Value>) -> bool {
    match schema.get("type") {
        Some(Value::String(t)) => FORMATTED_TYPES.contains(&t.as_str()),
        Some(_) => true, // not 3.0: validate reports the `type` itself
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn formats_on_objects_arrays_and_structures_are_dropped_with_a_note() {
        let mut doc = json!({
            "openapi": "3.0.3",
            "paths": {},
            "components": {"schemas": {
                "Map": {"type": "object", "format": "uri-map"},
                "Untyped": {"format": "int64"},
                "List": {"type": "array", "items": {"type": "string", "format": "uri"}, "format": "csv"},
                "Mixed": {"allOf": [{"$ref": "#/components/schemas/Map"}], "format": "x"},
                "Kept": {"type": "object", "properties": {
                    "when": {"type": "string", "format": "date-time"},
                    "n": {"type": "integer", "format": "int64"},
                    "bare": {"format": "uuid"},
                    "format": {"type": "string"}
                }},
                "Flag": {"type": "boolean", "format": "yes-no", "default": {"format": "data"}}
            }}
        });
        let notes = drop_misplaced(&mut doc);
        assert_eq!(
            notes,
            [
                "#/components/schemas/Flag/format: dropped `format` \"yes-no\" on `type: boolean`: the generated types have no use for it",
                "#/components/schemas/Kept/properties/bare/format: dropped `format` \"uuid\" on a schema without a `type`: the generated types have no use for it",
                "#/components/schemas/List/format: dropped `format` \"csv\" on `type: array`: the generated types have no use for it",
                "#/components/schemas/Map/format: dropped `format` \"uri-map\" on `type: object`: the generated types have no use for it",
                "#/components/schemas/Mixed/format: dropped `format` \"x\" on a schema that is not a string or a number: the generated types have no use for it",
                "#/components/schemas/Untyped/format: dropped `format` \"int64\" on a schema without a `type`: the generated types have no use for it",
            ]
        );
        let schemas = &doc["components"]["schemas"];
        assert_eq!(schemas["Map"], json!({"type": "object"}));
        assert_eq!(schemas["List"]["items"]["format"], "uri");
        assert_eq!(schemas["Kept"]["properties"]["when"]["format"], "date-time");
        assert_eq!(schemas["Kept"]["properties"]["n"]["format"], "int64");
        assert_eq!(schemas["Kept"]["properties"]["bare"], json!({}));
        // Data is not a schema.
        assert_eq!(schemas["Flag"]["default"], json!({"format": "data"}));
    }
}
