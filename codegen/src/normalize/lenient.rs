//! A vendor's small sloppiness, read the way it was meant, each time with a
//! note: never a reason to refuse an API. Part of the normalize stage.
//!
//! - A `schema` that is no schema (`null`, a number, a string, a list) is
//!   read as absent: progenitor hit a `todo!` on `schema: null` (found by
//!   `cargo xtask fuzz`).
//! - A JSON response without a `schema` is any JSON (a `204` has no body).
//! - A parameter without a `schema` is a string: with neither `schema` nor
//!   `content` that is all it can be, and with `content` (a JSON-encoded
//!   query value) the caller passes the encoded text.
//! - A `type` array outside OpenAPI 3.1 (Slack's Swagger 2.0) is read as in
//!   3.1; an `items` list (draft-04 tuple syntax) is read as alternatives.
//! - A `default` that is not a value of its schema is dropped: typify
//!   refuses a whole API over one.
//! - A media type name is read in lowercase (`application/JSON`).
//! - A query string in a path key is made query parameters.
//! - A path template parameter no parameter declares is a string.
//! - A media type's `encoding` is dropped.
//! - A path parameter is required, whatever it says; `null` security scopes
//!   are none; a response that refers to a request body is read as one.

use serde_json::{Map, Value, json};

use crate::document::{self, Kind, pointer, resolve};

/// Responses and parameters, over the whole document (schemas are the
/// schema walk's: [`schema`]). Returns the notes.
pub(super) fn objects(doc: &mut Value) -> Vec<String> {
    let mut notes = Vec::new();
    document::walk_mut(doc, Kind::Document, "", &mut |node, place| {
        if matches!(place.kind, Kind::MediaType | Kind::Parameter | Kind::Header)
            && let Some(map) = node.as_object_mut()
            && map
                .get("schema")
                .is_some_and(|s| !s.is_object() && !s.is_boolean())
            && let Some(not_a_schema) = map.remove("schema")
        {
            notes.push(format!(
                "#{}: `schema: {not_a_schema}` is not a schema: read as absent",
                pointer(place.at, "schema")
            ));
        }
    });
    document::walk_mut(doc, Kind::Document, "", &mut |node, place| {
        if matches!(
            place.kind,
            Kind::Response | Kind::RequestBody | Kind::Parameter | Kind::Header
        ) {
            media_case(node, place.at, &mut notes);
        }
    });
    security_scopes(doc, &mut notes);
    let bodies = doc
        .pointer("/components/requestBodies")
        .cloned()
        .unwrap_or_default();
    document::walk_mut(doc, Kind::Document, "", &mut |node, place| {
        if place.kind == Kind::Response {
            body_as_response(node, place.at, &bodies, &mut notes);
        }
    });
    document::walk_mut(doc, Kind::Document, "", &mut |node, place| match place.kind {
        Kind::Response => response(node, place.at, &mut notes),
        Kind::Parameter => parameter(node, place.at, &mut notes),
        Kind::MediaType => encoding(node, place.at, &mut notes),
        _ => {}
    });
    notes
}

/// A response that refers to a request body (PagerDuty's cache variable
/// data, `$ref: #/components/requestBodies/...PutResponse`): both are a
/// description and content, so the response is that body's, inlined.
fn body_as_response(node: &mut Value, at: &str, bodies: &Value, notes: &mut Vec<String>) {
    let Some(reference) = node.get("$ref").and_then(Value::as_str) else {
        return;
    };
    let Some(name) = reference.strip_prefix("#/components/requestBodies/") else {
        return;
    };
    let Some(body) = bodies
        .get(crate::document::unescape(name))
        .and_then(Value::as_object)
    else {
        return;
    };
    let mut response = Map::new();
    let description = body.get("description").cloned().unwrap_or_else(|| json!(""));
    response.insert("description".into(), description);
    if let Some(content) = body.get("content") {
        response.insert("content".into(), content.clone());
    }
    notes.push(format!(
        "#{at}: `$ref: {reference}` names a request body, not a response: read as a response with its content"
    ));
    *node = Value::Object(response);
}

/// A security requirement whose scopes are `null` (Square's OAuth token
/// revocation, `{"oauth2": null}`) asks for no scopes: `[]`.
fn security_scopes(doc: &mut Value, notes: &mut Vec<String>) {
    let mut places = vec!["/security".to_string()];
    places.extend(
        document::operations(doc)
            .iter()
            .map(|o| format!("{}/security", o.pointer())),
    );
    for at in places {
        let Some(Value::Array(requirements)) = doc.pointer_mut(&at) else {
            continue;
        };
        for (i, requirement) in requirements.iter_mut().enumerate() {
            for (name, scopes) in requirement.as_object_mut().into_iter().flatten() {
                if scopes.is_null() {
                    *scopes = json!([]);
                    notes.push(format!(
                        "#{}: `null` scopes are read as none, `[]`",
                        pointer(&format!("{at}/{i}"), name)
                    ));
                }
            }
        }
    }
}

/// A media type's `encoding` (each part's content type and headers in a
/// form) is dropped: progenitor panics on it, and the client layer sends a
/// form's files as `application/octet-stream` and its fields as text (the
/// defaults `encoding` would mostly restate). It refused whole operations
/// (British Columbia's job postings, 3 APIs of the directory).
fn encoding(node: &mut Value, at: &str, notes: &mut Vec<String>) {
    if let Some(map) = node.as_object_mut()
        && map
            .get("encoding")
            .is_some_and(|e| e.as_object().is_some_and(|e| !e.is_empty()))
        && let Some(Value::Object(parts)) = map.remove("encoding")
    {
        let names: Vec<&String> = parts.keys().collect();
        notes.push(format!(
            "#{}: dropped: parts {names:?} are sent with the client layer's content types (files as bytes, fields as text)",
            pointer(at, "encoding")
        ));
    }
}

/// Media type names are case-insensitive (RFC 9110, 8.3.1), and
/// progenitor compares them as written: `application/JSON` is read as
/// `application/json`, its parameters as they are. A name that another
/// spelling of the same type already holds keeps the first.
fn media_case(node: &mut Value, at: &str, notes: &mut Vec<String>) {
    let Some(Value::Object(content)) = node.get_mut("content") else {
        return;
    };
    let lowered = |media: &str| match media.split_once(';') {
        Some((base, params)) => format!("{};{params}", base.trim().to_ascii_lowercase()),
        None => media.trim().to_ascii_lowercase(),
    };
    if content.keys().all(|m| *m == lowered(m)) {
        return;
    }
    let old = std::mem::take(content);
    for (media, body) in old {
        let new = lowered(&media);
        if new == media {
            content.entry(new).or_insert(body);
            continue;
        }
        let m_at = pointer(&pointer(at, "content"), &media);
        if content.contains_key(&new) {
            notes.push(format!("#{m_at}: dropped: `{new}` is the same media type"));
        } else {
            notes.push(format!(
                "#{m_at}: read as `{new}` (media types are case-insensitive)"
            ));
            content.insert(new, body);
        }
    }
}

fn response(r: &mut Value, at: &str, notes: &mut Vec<String>) {
    let status = at.rsplit('/').next().unwrap_or_default();
    let Some(Value::Object(content)) = r.get_mut("content") else {
        return;
    };
    let bare: Vec<String> = content
        .iter()
        .filter(|(media, m)| document::is_json_media(media) && m.get("schema").is_none())
        .map(|(media, _)| media.clone())
        .collect();
    for media in bare {
        let m_at = pointer(&pointer(at, "content"), &media);
        if status == "204" {
            content.remove(&media);
            notes.push(format!(
                "#{m_at}: a 204 has no body: the JSON media type without a schema is dropped"
            ));
        } else if let Some(Value::Object(m)) = content.get_mut(&media) {
            m.insert("schema".into(), json!({}));
            notes.push(format!("#{m_at}: a JSON response without a `schema` is any JSON"));
        }
    }
    if content.is_empty()
        && let Some(map) = r.as_object_mut()
    {
        map.remove("content");
    }
}

fn parameter(p: &mut Value, at: &str, notes: &mut Vec<String>) {
    let Some(map) = p.as_object_mut() else { return };
    // A path parameter is always required: a URL has no way to leave it
    // out (Okta's hook key `id`, which said nothing).
    if map.get("in") == Some(&json!("path")) && map.get("required") != Some(&Value::Bool(true)) {
        map.insert("required".into(), Value::Bool(true));
        notes.push(format!(
            "#{}: a path parameter is required, as every path parameter is",
            pointer(at, "required")
        ));
    }
    // A whole query string (OpenAPI 3.2) is described by `content`, and the
    // client layer serializes it by that media type.
    if map.contains_key("$ref") || map.contains_key("schema") || map.get("in") == Some(&json!("querystring"))
    {
        return;
    }
    let why = match map.remove("content") {
        Some(Value::Object(content)) if !content.is_empty() => {
            let media: Vec<&String> = content.keys().collect();
            format!(
                "a parameter described by `content` {media:?} is a string: the caller passes the encoded value"
            )
        }
        _ => "a parameter with neither `schema` nor `content` is a string".to_string(),
    };
    map.insert("schema".into(), json!({"type": "string"}));
    notes.push(format!("#{at}: {why}"));
}

/// An `enum` whose values are not of the schema's `type` (Bungie's
/// `type: integer` with `enum: ["0", "1"]`): typify refused the whole API
/// ("value does not conform to the given schema"). Values written in the
/// other JSON form are read as meant (`"1"` for an integer, `1` for a
/// string, `"true"` for a boolean); when one cannot be, the enum is
/// dropped and the type stays.
fn enum_values(s: &mut Map<String, Value>, at: &str, is_31: bool, notes: &mut Vec<String>) {
    let (Some(Value::String(t)), Some(Value::Array(values))) = (s.get("type"), s.get("enum")) else {
        return;
    };
    let t = t.clone();
    // `null` among the values of a type that is not nullable (Together's
    // `type: string, enum: [null, info, ...]`): typify defined the type
    // twice, once as the `Option` of itself, and the crate did not compile.
    // The vendor means a nullable enum: it is written as one.
    if t != "null" && values.iter().any(Value::is_null) && s.get("nullable") != Some(&Value::Bool(true)) {
        if is_31 {
            s.insert("type".into(), json!([t, "null"]));
        } else {
            s.insert("nullable".into(), Value::Bool(true));
        }
        notes.push(format!(
            "#{}: `null` is one of the values of a `{t}`: read as a nullable `{t}`",
            pointer(at, "enum")
        ));
        return enum_values(s, at, is_31, notes);
    }
    if values
        .iter()
        .all(|v| v.is_null() || super::json_type_matches(v, &t))
    {
        return;
    }
    let read = |v: &Value| -> Option<Value> {
        if v.is_null() || super::json_type_matches(v, &t) {
            return Some(v.clone());
        }
        match (t.as_str(), v) {
            ("integer", Value::String(text)) => text.trim().parse::<i64>().ok().map(Value::from),
            ("number", Value::String(text)) => text
                .trim()
                .parse::<f64>()
                .ok()
                .and_then(serde_json::Number::from_f64)
                .map(Value::Number),
            ("boolean", Value::String(text)) => text.parse::<bool>().ok().map(Value::Bool),
            ("string", Value::Number(_) | Value::Bool(_)) => Some(Value::String(v.to_string())),
            _ => None,
        }
    };
    let at = pointer(at, "enum");
    match values.iter().map(read).collect::<Option<Vec<Value>>>() {
        Some(read) => {
            notes.push(format!("#{at}: values not written as `{t}`s are read as `{t}`s"));
            s.insert("enum".into(), Value::Array(read));
        }
        None => {
            notes.push(format!("#{at}: dropped: its values are not all `{t}`s"));
            s.remove("enum");
        }
    }
}

/// The schema-level sloppiness of one schema, before the 3.1 conversion
/// reads it. `is_31`: whether the document is OpenAPI 3.1, where `type`
/// arrays are right.
pub(super) fn schema(s: &mut Map<String, Value>, at: &str, is_31: bool, notes: &mut Vec<String>) {
    enum_values(s, at, is_31, notes);
    if !is_31 && matches!(s.get("type"), Some(Value::Array(_))) {
        notes.push(format!(
            "#{}: a `type` array is not OpenAPI 3.0 or Swagger 2.0: read as in OpenAPI 3.1",
            pointer(at, "type")
        ));
    }
    if let Some(Value::Array(list)) = s.get("items") {
        let list = list.clone();
        if s.get("type").and_then(Value::as_str) == Some("array") {
            s.insert("items".into(), json!({ "anyOf": list }));
            notes.push(format!(
                "#{}: an `items` list (a tuple) became an array of any of its item types: positions are not checked",
                pointer(at, "items")
            ));
        } else {
            s.remove("items");
            s.insert("anyOf".into(), Value::Array(list));
            notes.push(format!(
                "#{}: an `items` list on a schema that is not an array is read as `anyOf` of its schemas",
                pointer(at, "items")
            ));
        }
    }
}

/// A query string inside a path key (`/alerts?lat={lat}&lon={lon}`,
/// `/rest?method=flickr.favorites.getList`: 11 APIs of the directory) is
/// made query parameters: a templated value's parameter moves to the query
/// under the pair's name, and a fixed value becomes a required parameter
/// of that one value. The query string stays in the key as a fragment
/// (`/rest#method=flickr.favorites.getList`), which keeps keys apart and
/// is never sent (`emit/raw_fixes/fragments.rs`). Returns the notes.
pub(super) fn query_in_path_keys(doc: &mut Value) -> Vec<String> {
    let Some(Value::Object(paths)) = doc.get("paths") else {
        return Vec::new();
    };
    let keys: Vec<String> = paths
        .keys()
        .filter(|k| k.split('#').next().is_some_and(|p| p.contains('?')))
        .cloned()
        .collect();
    let mut notes = Vec::new();
    for key in keys {
        let Some((path, rest)) = key.split_once('?') else {
            continue;
        };
        let (query, fragment) = rest.split_once('#').unwrap_or((rest, ""));
        let pairs: Vec<(String, String)> = query
            .split('&')
            .filter(|p| !p.is_empty())
            .map(|p| {
                let (k, v) = p.split_once('=').unwrap_or((p, ""));
                (k.to_string(), v.to_string())
            })
            .collect();
        // Braces in the fragment would read as path parameters.
        let kept = [query, fragment]
            .iter()
            .filter(|p| !p.is_empty())
            .copied()
            .collect::<Vec<_>>()
            .join("&")
            .replace(['{', '}'], "");
        let new_key = format!("{path}#{kept}");
        let Some(Value::Object(paths)) = doc.get_mut("paths") else {
            break;
        };
        if paths.contains_key(&new_key) {
            continue;
        }
        let Some(mut item) = paths.remove(&key) else {
            continue;
        };
        for (name, value) in &pairs {
            match value.strip_prefix('{').and_then(|v| v.strip_suffix('}')) {
                Some(param) => move_to_query(&mut item, param, name),
                None => add_fixed(&mut item, name, value),
            }
        }
        paths.insert(new_key.clone(), item);
        notes.push(format!(
            "#{}: the query string in the path key is sent as query parameters ({}); the key is `{new_key}`",
            pointer("/paths", &key),
            pairs
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    notes
}

/// The path parameter `param` of a path item (and of its operations) is
/// sent in the query as `name`. (One declared by a `$ref` stays in the
/// path, where validation finds it has no place: its operation is left
/// out.)
fn move_to_query(item: &mut Value, param: &str, name: &str) {
    let mut owners: Vec<&mut Value> = Vec::new();
    if let Value::Object(map) = item {
        for (k, v) in map.iter_mut() {
            if k == "parameters" || document::METHODS.contains(&k.as_str()) {
                owners.push(v);
            }
        }
    }
    for owner in owners {
        let list = if owner.is_array() {
            Some(owner)
        } else {
            owner.get_mut("parameters")
        };
        for p in list.and_then(Value::as_array_mut).into_iter().flatten() {
            if p.get("name").and_then(Value::as_str) == Some(param)
                && p.get("in").and_then(Value::as_str) == Some("path")
            {
                p["in"] = json!("query");
                p["name"] = json!(name);
                p["required"] = json!(true);
            }
        }
    }
}

/// Each operation of a path item sends `name=value`, as a required query
/// parameter of that one value.
fn add_fixed(item: &mut Value, name: &str, value: &str) {
    let Value::Object(map) = item else { return };
    for method in document::METHODS {
        let Some(Value::Object(op)) = map.get_mut(method) else {
            continue;
        };
        let list = op.entry("parameters").or_insert_with(|| json!([]));
        if let Value::Array(list) = list {
            list.push(json!({"name": name, "in": "query", "required": true, "schema": {"type": "string", "enum": [value]}}));
        }
    }
}

/// A path template parameter that no parameter declares (`/owners/{owner}`
/// with no `owner`: ClickSend, 4 APIs of the directory) is declared, as a
/// required string, on each operation of its path. Returns the notes.
pub(super) fn undeclared_path_parameters(doc: &mut Value) -> Vec<String> {
    let mut missing: Vec<(String, String, Vec<String>)> = Vec::new();
    for o in document::operations(doc) {
        let declared: Vec<&str> = [o.item.get("parameters"), o.op.get("parameters")]
            .into_iter()
            .flatten()
            .filter_map(Value::as_array)
            .flatten()
            .filter_map(|p| resolve(doc, p))
            .filter(|p| p.get("in").and_then(Value::as_str) == Some("path"))
            .filter_map(|p| p.get("name").and_then(Value::as_str))
            .collect();
        let names: Vec<String> = document::template_names(o.path)
            .into_iter()
            .filter(|t| !declared.contains(&t.as_str()))
            .collect();
        if !names.is_empty() {
            missing.push((o.pointer(), o.path.to_string(), names));
        }
    }
    let mut notes = Vec::new();
    for (at, _, names) in missing {
        let Some(Value::Object(op)) = doc.pointer_mut(&at) else {
            continue;
        };
        let list = op.entry("parameters").or_insert_with(|| json!([]));
        let Value::Array(list) = list else { continue };
        for name in names {
            list.push(json!({"name": name, "in": "path", "required": true, "schema": {"type": "string"}}));
            notes.push(format!(
                "#{at}: path template parameter `{{{name}}}` is never declared: it is a string parameter"
            ));
        }
    }
    notes
}

/// Drops every `default` of a converted document that is not a value of
/// its schema. Returns the notes.
pub(super) fn defaults(doc: &mut Value) -> Vec<String> {
    let mut bad = Vec::new();
    document::walk(doc, Kind::Document, "", &mut |node, place| {
        if place.kind == Kind::Schema
            && let Some(default) = node.get("default")
            && !conforms(doc, default, node, 0)
        {
            bad.push((place.at.to_string(), default.clone()));
        }
    });
    let mut notes = Vec::new();
    for (at, default) in bad {
        if let Some(Value::Object(s)) = doc.pointer_mut(&at) {
            s.remove("default");
            let shown: String = default.to_string().chars().take(80).collect();
            notes.push(format!(
                "#{}: dropped `default: {shown}`: it is not a value of its schema",
                pointer(&at, "default")
            ));
        }
    }
    notes
}

/// Whether `v` is a value of the (converted, 3.0) schema `s`, as far as a
/// client's types go: type, nullability, enum, items, properties. Unknown
/// constructs conform; `depth` bounds reference chains.
fn conforms(doc: &Value, v: &Value, s: &Value, depth: usize) -> bool {
    if depth > 16 {
        return true;
    }
    let Some(s) = resolve(doc, s) else {
        return true;
    };
    let Some(map) = s.as_object() else {
        return true;
    };
    if v.is_null() {
        return map.get("nullable") == Some(&Value::Bool(true))
            || (map.get("type").is_none() && map.get("enum").is_none() && !has_composition(map))
            || map
                .get("enum")
                .and_then(Value::as_array)
                .is_some_and(|e| e.contains(&Value::Null))
            || composition(map).any(|b| conforms(doc, v, b, depth + 1));
    }
    if let Some(Value::Array(values)) = map.get("enum")
        && !values.contains(v)
    {
        return false;
    }
    if let Some(Value::String(t)) = map.get("type")
        && !super::json_type_matches(v, t)
    {
        return false;
    }
    if let Some(Value::Array(all)) = map.get("allOf")
        && !all.iter().all(|b| conforms(doc, v, b, depth + 1))
    {
        return false;
    }
    for k in ["oneOf", "anyOf"] {
        if let Some(Value::Array(branches)) = map.get(k)
            && !branches.iter().any(|b| conforms(doc, v, b, depth + 1))
        {
            return false;
        }
    }
    match v {
        Value::Array(items) => match map.get("items") {
            Some(item) => items.iter().all(|i| conforms(doc, i, item, depth + 1)),
            None => true,
        },
        Value::Object(members) => {
            let props = map.get("properties").and_then(Value::as_object);
            let closed = map.get("additionalProperties") == Some(&Value::Bool(false));
            let required_present = map
                .get("required")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .all(|r| members.contains_key(r));
            required_present
                && members.iter().all(|(k, m)| match props.and_then(|p| p.get(k)) {
                    Some(p) => conforms(doc, m, p, depth + 1),
                    None => !closed,
                })
        }
        _ => true,
    }
}

fn has_composition(map: &Map<String, Value>) -> bool {
    ["allOf", "oneOf", "anyOf"].iter().any(|k| map.contains_key(*k))
}

fn composition(map: &Map<String, Value>) -> impl Iterator<Item = &Value> {
    ["allOf", "oneOf", "anyOf"]
        .into_iter()
        .filter_map(|k| map.get(k).and_then(Value::as_array))
        .flatten()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn a_json_response_without_schema_is_any_json_and_a_204_has_no_body() {
        let mut doc = json!({"paths": {"/a": {"get": {"responses": {
            "200": {"description": "", "content": {"application/json": {}}},
            "204": {"description": "", "content": {"application/json": {}}}
        }}}}});
        let notes = objects(&mut doc);
        let responses = &doc["paths"]["/a"]["get"]["responses"];
        assert_eq!(
            responses["200"]["content"]["application/json"],
            json!({"schema": {}})
        );
        assert_eq!(responses["204"], json!({"description": ""}));
        assert_eq!(notes.len(), 2, "{notes:?}");
    }

    #[test]
    fn a_schema_that_is_no_schema_is_read_as_absent() {
        let mut doc = json!({"paths": {"/a": {"post": {
            "parameters": [{"name": "q", "in": "query", "schema": null}],
            "requestBody": {"content": {"application/json": {"schema": 3}}},
            "responses": {"200": {"description": "", "content": {"application/json": {"schema": null}}}}
        }}}});
        let notes = objects(&mut doc);
        let op = &doc["paths"]["/a"]["post"];
        assert_eq!(op["parameters"][0]["schema"], json!({"type": "string"}));
        assert_eq!(op["requestBody"]["content"]["application/json"], json!({}));
        assert_eq!(
            op["responses"]["200"]["content"]["application/json"],
            json!({"schema": {}})
        );
        assert_eq!(
            notes[..3],
            [
                "#/paths/~1a/post/parameters/0/schema: `schema: null` is not a schema: read as absent",
                "#/paths/~1a/post/requestBody/content/application~1json/schema: `schema: 3` is not a schema: read as absent",
                "#/paths/~1a/post/responses/200/content/application~1json/schema: `schema: null` is not a schema: read as absent",
            ]
        );
    }

    #[test]
    fn a_parameter_without_schema_is_a_string() {
        let mut doc = json!({"paths": {"/a": {"get": {"parameters": [
            {"name": "q", "in": "query"},
            {"name": "m", "in": "query", "content": {"application/json": {"schema": {"type": "object"}}}},
            {"name": "ok", "in": "query", "schema": {"type": "integer"}}
        ], "responses": {}}}}});
        let notes = objects(&mut doc);
        let params = &doc["paths"]["/a"]["get"]["parameters"];
        assert_eq!(params[0]["schema"], json!({"type": "string"}));
        assert_eq!(
            params[1],
            json!({"name": "m", "in": "query", "schema": {"type": "string"}})
        );
        assert_eq!(params[2]["schema"], json!({"type": "integer"}));
        assert_eq!(notes.len(), 2, "{notes:?}");
        assert!(
            notes[1].contains("#/paths/~1a/get/parameters/1: a parameter described by `content`"),
            "{notes:?}"
        );
    }

    #[test]
    fn items_lists_become_alternatives() {
        let mut s = json!({"items": [{"$ref": "#/x"}, {"type": "null"}]});
        let mut notes = Vec::new();
        schema(s.as_object_mut().unwrap(), "/s", false, &mut notes);
        assert_eq!(s, json!({"anyOf": [{"$ref": "#/x"}, {"type": "null"}]}));
        let mut t = json!({"type": "array", "items": [{"type": "string"}]});
        schema(t.as_object_mut().unwrap(), "/t", true, &mut notes);
        assert_eq!(
            t,
            json!({"type": "array", "items": {"anyOf": [{"type": "string"}]}})
        );
        assert_eq!(notes.len(), 2);
    }

    #[test]
    fn type_arrays_outside_31_are_noted() {
        let mut notes = Vec::new();
        let mut s = json!({"type": ["null", "string"]});
        schema(s.as_object_mut().unwrap(), "/s", true, &mut notes);
        assert!(notes.is_empty());
        schema(s.as_object_mut().unwrap(), "/s", false, &mut notes);
        assert_eq!(
            notes,
            ["#/s/type: a `type` array is not OpenAPI 3.0 or Swagger 2.0: read as in OpenAPI 3.1"]
        );
    }

    #[test]
    fn a_query_string_in_a_path_key_becomes_query_parameters() {
        let mut d = json!({"paths": {
            "/alerts?lat={lat}&units=metric": {"get": {"parameters": [
                {"name": "lat", "in": "path", "required": true, "schema": {"type": "number"}}
            ]}},
            "/rest?method=a.b#x": {"post": {}}
        }});
        let notes = query_in_path_keys(&mut d);
        assert_eq!(
            d.pointer("/paths/~1alerts#lat=lat&units=metric/get/parameters"),
            Some(&json!([
                {"name": "lat", "in": "query", "required": true, "schema": {"type": "number"}},
                {"name": "units", "in": "query", "required": true, "schema": {"type": "string", "enum": ["metric"]}}
            ]))
        );
        assert!(d.pointer("/paths/~1rest#method=a.b&x/post").is_some());
        assert_eq!(
            notes[0],
            "#/paths/~1alerts?lat={lat}&units=metric: the query string in the path key is sent as query parameters (lat={lat}, units=metric); the key is `/alerts#lat=lat&units=metric`"
        );
        assert_eq!(
            crate::document::template_names("/alerts#lat=lat&units=metric"),
            Vec::<String>::new()
        );
    }

    #[test]
    fn enum_values_in_another_json_form_are_read_as_their_type() {
        let mut notes = Vec::new();
        let mut one = |given: Value| {
            let Value::Object(mut map) = given else {
                unreachable!()
            };
            schema(&mut map, "/s", false, &mut notes);
            Value::Object(map)
        };
        assert_eq!(
            one(json!({"type": "integer", "format": "uint8", "enum": ["0", "1", 2]})),
            json!({"type": "integer", "format": "uint8", "enum": [0, 1, 2]})
        );
        assert_eq!(
            one(json!({"type": "string", "enum": [1, true, "a"]})),
            json!({"type": "string", "enum": ["1", "true", "a"]})
        );
        assert_eq!(
            one(json!({"type": "boolean", "enum": ["true"]})),
            json!({"type": "boolean", "enum": [true]})
        );
        assert_eq!(
            one(json!({"type": "integer", "enum": ["one", 2]})),
            json!({"type": "integer"})
        );
        assert_eq!(
            one(json!({"type": "integer", "nullable": true, "enum": [1, null]})),
            json!({"type": "integer", "nullable": true, "enum": [1, null]})
        );
        assert_eq!(
            one(json!({"type": "string", "enum": [null, "info"]})),
            json!({"type": "string", "nullable": true, "enum": [null, "info"]})
        );
        assert_eq!(
            notes,
            [
                "#/s/enum: values not written as `integer`s are read as `integer`s",
                "#/s/enum: values not written as `string`s are read as `string`s",
                "#/s/enum: values not written as `boolean`s are read as `boolean`s",
                "#/s/enum: dropped: its values are not all `integer`s",
                "#/s/enum: `null` is one of the values of a `string`: read as a nullable `string`",
            ]
        );
    }

    #[test]
    fn defaults_that_do_not_fit_are_dropped_and_others_kept() {
        let mut doc = json!({"components": {"schemas": {
            "E": {"type": "string", "enum": ["a", "b"]},
            "S": {"type": "object", "properties": {
                "bad_enum": {"allOf": [{"$ref": "#/components/schemas/E"}], "default": "c"},
                "good_enum": {"allOf": [{"$ref": "#/components/schemas/E"}], "default": "a"},
                "bad_type": {"type": "integer", "default": "1"},
                "bad_object": {"type": "object", "properties": {"n": {"type": "integer"}}, "additionalProperties": false, "default": {"m": 1}},
                "good_object": {"type": "object", "properties": {"n": {"type": "integer"}}, "default": {"n": 1}},
                "null_ok": {"type": "string", "nullable": true, "default": null},
                "bad_items": {"type": "array", "items": {"type": "string"}, "default": [1]}
            }}
        }}});
        let notes = defaults(&mut doc);
        let props = &doc["components"]["schemas"]["S"]["properties"];
        for gone in ["bad_enum", "bad_type", "bad_object", "bad_items"] {
            assert!(props[gone].get("default").is_none(), "{gone}");
        }
        for kept in ["good_enum", "good_object", "null_ok"] {
            assert!(props[kept].get("default").is_some(), "{kept}");
        }
        assert_eq!(notes.len(), 4, "{notes:?}");
    }
}
