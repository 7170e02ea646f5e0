//! Schema `pattern`s that cannot be compiled are dropped with a note. typify
//! compiles every `pattern` with the `regress` crate (the ECMAScript regex
//! engine the generated clients check values with) and refuses the whole
//! API over one it cannot compile ("invalid pattern ... Unbalanced
//! parenthesis"). A pattern only validates: a client that does not check it
//! still sends and reads the same bytes, so losing it costs one check, not
//! the API. Runs after normalize, on the OpenAPI 3.0 document.
//!
//! Only schema positions are walked: not `example`, `default` or `enum`
//! data, not `x-` extensions, and the keys under `properties` are property
//! names, so a property called `pattern` is a property.

use serde_json::Value;

use crate::document::METHODS;
use crate::document::pointer;

/// Removes every `pattern` regress cannot compile (or that is not a
/// string); returns one note per removal, as `#<pointer>: <what>`.
pub fn drop_invalid(doc: &mut Value) -> Vec<String> {
    let mut notes = Vec::new();
    if let Some(Value::Object(paths)) = doc.get_mut("paths") {
        for (path, item) in paths.iter_mut() {
            let at = pointer("/paths", path);
            parameters(item, &at, &mut notes);
            for method in METHODS {
                if let Some(op) = item.get_mut(method) {
                    operation(op, &pointer(&at, method), &mut notes);
                }
            }
        }
    }
    if let Some(Value::Object(components)) = doc.get_mut("components") {
        let kinds: [(&str, Walk); 5] = [
            ("schemas", schema),
            ("parameters", parameter),
            ("headers", parameter),
            ("responses", response),
            ("requestBodies", content_of),
        ];
        for (kind, walk) in kinds {
            if let Some(Value::Object(map)) = components.get_mut(kind) {
                let base = pointer("/components", kind);
                for (name, v) in map.iter_mut() {
                    walk(v, &pointer(&base, name), &mut notes);
                }
            }
        }
    }
    notes
}

type Walk = fn(&mut Value, &str, &mut Vec<String>);

fn operation(op: &mut Value, at: &str, notes: &mut Vec<String>) {
    parameters(op, at, notes);
    if let Some(body) = op.get_mut("requestBody") {
        content_of(body, &pointer(at, "requestBody"), notes);
    }
    each(op, "responses", at, notes, response);
}

fn parameters(owner: &mut Value, at: &str, notes: &mut Vec<String>) {
    if let Some(Value::Array(list)) = owner.get_mut("parameters") {
        for (i, p) in list.iter_mut().enumerate() {
            parameter(p, &format!("{at}/parameters/{i}"), notes);
        }
    }
}

/// A parameter or a header: a schema, or content.
fn parameter(p: &mut Value, at: &str, notes: &mut Vec<String>) {
    if let Some(s) = p.get_mut("schema") {
        schema(s, &pointer(at, "schema"), notes);
    }
    content_of(p, at, notes);
}

fn response(r: &mut Value, at: &str, notes: &mut Vec<String>) {
    each(r, "headers", at, notes, parameter);
    content_of(r, at, notes);
}

/// The schemas of `content/<media type>/schema`.
fn content_of(owner: &mut Value, at: &str, notes: &mut Vec<String>) {
    each(owner, "content", at, notes, |media, at, notes| {
        if let Some(s) = media.get_mut("schema") {
            schema(s, &pointer(at, "schema"), notes);
        }
    });
}

/// Walks each value of the map under `key`.
fn each(owner: &mut Value, key: &str, at: &str, notes: &mut Vec<String>, walk: Walk) {
    if let Some(Value::Object(map)) = owner.get_mut(key) {
        let base = pointer(at, key);
        for (k, v) in map.iter_mut() {
            walk(v, &pointer(&base, k), notes);
        }
    }
}

/// One schema and the schemas inside it.
fn schema(s: &mut Value, at: &str, notes: &mut Vec<String>) {
    let Value::Object(map) = s else { return };
    if let Some(pattern) = map.get("pattern") {
        let problem = match pattern {
            Value::String(p) => regress::Regex::new(p)
                .err()
                .map(|e| format!("dropped `pattern` {p:?}: not a regular expression the client can compile ({e}); values are not checked against it")),
            other => Some(format!("dropped `pattern` {other}: not a string")),
        };
        if let Some(what) = problem {
            map.remove("pattern");
            notes.push(format!("#{}: {what}", pointer(at, "pattern")));
        }
    }
    if let Some(Value::Object(props)) = map.get_mut("properties") {
        let base = pointer(at, "properties");
        for (name, p) in props.iter_mut() {
            schema(p, &pointer(&base, name), notes);
        }
    }
    for k in ["items", "additionalProperties", "not"] {
        if let Some(child) = map.get_mut(k) {
            schema(child, &pointer(at, k), notes);
        }
    }
    for k in ["allOf", "oneOf", "anyOf"] {
        if let Some(Value::Array(list)) = map.get_mut(k) {
            for (i, child) in list.iter_mut().enumerate() {
                schema(child, &format!("{at}/{k}/{i}"), notes);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn an_invalid_pattern_is_dropped_with_a_note() {
        let mut doc = json!({"paths": {}, "components": {"schemas": {"S": {
            "type": "object",
            "properties": {"id": {"type": "string", "pattern": "^(a|b$"}, "ok": {"type": "string", "pattern": "^[a-z]+$"}}
        }}}});
        let notes = drop_invalid(&mut doc);
        assert_eq!(notes.len(), 1, "{notes:?}");
        assert!(
            notes[0]
                .starts_with("#/components/schemas/S/properties/id/pattern: dropped `pattern` \"^(a|b$\""),
            "{notes:?}"
        );
        let props = &doc["components"]["schemas"]["S"]["properties"];
        assert!(props["id"].get("pattern").is_none());
        assert_eq!(props["ok"]["pattern"], "^[a-z]+$");
    }

    #[test]
    fn patterns_are_found_in_every_schema_position() {
        let bad = json!({"type": "string", "pattern": "("});
        let media = json!({"application/json": {"schema": {"type": "array", "items": bad}}});
        let mut doc = json!({
            "paths": {"/a/{p}": {
                "parameters": [{"name": "p", "in": "path", "schema": bad}],
                "post": {
                    "parameters": [{"name": "q", "in": "query", "content": media}],
                    "requestBody": {"content": {"application/json": {"schema": {"allOf": [bad]}}}},
                    "responses": {"200": {
                        "description": "ok",
                        "headers": {"X-A": {"schema": bad}},
                        "content": {"application/json": {"schema": {"additionalProperties": bad}}}
                    }}
                }
            }},
            "components": {
                "parameters": {"P": {"name": "p", "in": "query", "schema": {"not": bad}}},
                "headers": {"H": {"schema": {"oneOf": [bad]}}},
                "responses": {"R": {"description": "r", "content": media}},
                "requestBodies": {"B": {"content": media}},
                "schemas": {"S": {"anyOf": [bad]}}
            }
        });
        let notes = drop_invalid(&mut doc);
        assert_eq!(notes.len(), 10, "{notes:#?}");
        assert!(!doc.to_string().contains("\"pattern\""), "{doc}");
    }

    #[test]
    fn data_and_extensions_and_property_names_are_not_schemas() {
        let mut doc = json!({"paths": {}, "components": {"schemas": {"S": {
            "type": "object",
            "example": {"pattern": "("},
            "default": {"pattern": "("},
            "enum": [{"pattern": "("}],
            "x-vendor": {"pattern": "("},
            "properties": {"pattern": {"type": "string"}}
        }}}});
        let before = doc.clone();
        assert!(drop_invalid(&mut doc).is_empty());
        assert_eq!(doc, before);
    }

    #[test]
    fn a_pattern_that_is_not_a_string_is_dropped() {
        let mut doc =
            json!({"paths": {}, "components": {"schemas": {"S": {"type": "string", "pattern": 7}}}});
        let notes = drop_invalid(&mut doc);
        assert_eq!(
            notes,
            ["#/components/schemas/S/pattern: dropped `pattern` 7: not a string"]
        );
    }
}
