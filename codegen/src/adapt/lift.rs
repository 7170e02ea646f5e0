//! What progenitor cannot express is lifted out of its view and left to the
//! client layer (`emit/layer.rs`, on `usergroup_client_core::Extra`):
//!
//! - query parameters in a style progenitor does not serialize:
//!   `deepObject` (`filter[status]=open`), and arrays or objects with
//!   `explode: false` (`fields=a,b`), `pipeDelimited` or `spaceDelimited`;
//! - header parameters progenitor cannot type (nullable, or not a plain
//!   scalar: it would call `to_string` on them), and cookie parameters;
//! - a query or header parameter whose Rust name another parameter of the
//!   operation already has (Mistral's `sort.direction` and `sort_direction`
//!   are both `sort_direction`): progenitor would declare the argument
//!   twice. The first keeps it; the layer sends the other (`style: form`,
//!   one pair per value) under a name of its own. A clashing object, which
//!   `form` would spread over keys of its own, is dropped with a note;
//! - OpenAPI 3.2's `in: querystring` parameter, the whole query string,
//!   serialized by the media type of its `content`;
//! - a multipart/form-data request body: the operation keeps no body, and
//!   the form becomes a component schema (typify makes its struct) whose
//!   `format: binary` properties refer to one file component, which the
//!   generate stage replaces by `usergroup_client_core::FilePart`.
//!
//! Each lifted parameter or body is recorded under the operation's
//! [`LAYER_KEY`] extension (which progenitor ignores and the layer reads),
//! and a parameter type that needs one gets a component schema named after
//! the operation and the parameter, as progenitor would name it.

use std::collections::BTreeSet;

use heck::ToUpperCamelCase;
use serde_json::{Map, Value, json};

use crate::document::{METHODS, resolve};

/// The operation extension holding what the client layer does itself.
pub(crate) const LAYER_KEY: &str = "x-usergroup-layer";

/// The marker of the one component schema that stands for a file part.
pub(crate) const FILE_MARKER: &str = "file";

/// Component names already taken, compared as Rust type names.
pub(crate) struct Names {
    taken: BTreeSet<String>,
    /// The file component, once made.
    file: Option<String>,
}

impl Names {
    /// The names of a document's components and of those added so far.
    pub(crate) fn new(existing: &[String]) -> Self {
        Self {
            taken: existing.iter().map(|n| super::variant_key(n)).collect(),
            file: None,
        }
    }

    /// Takes a name added elsewhere.
    pub(crate) fn add(&mut self, name: &str) {
        self.taken.insert(super::variant_key(name));
    }

    /// A component name, PascalCase from `words`, with a number when taken.
    fn unique(&mut self, words: &str) -> String {
        let base = words.to_upper_camel_case();
        let mut name = base.clone();
        let mut n = 2;
        while !self.taken.insert(super::variant_key(&name)) {
            name = format!("{base}{n}");
            n += 1;
        }
        name
    }
}

/// How a lifted parameter is sent: the style and, for a delimited one, the
/// delimiter.
fn lifted_style(p: &Value, schema: Option<&Value>) -> Option<(&'static str, &'static str)> {
    let kind = schema.and_then(|s| s.get("type")).and_then(Value::as_str);
    match p.get("in").and_then(Value::as_str) {
        Some("querystring") if schema.is_some() => return Some(("querystring", "")),
        Some("cookie") if schema.is_some() => return Some(("cookie", "")),
        Some("header")
            if schema.is_some_and(|s| {
                s.get("nullable") == Some(&Value::Bool(true))
                    || !matches!(kind, Some("string" | "integer" | "number" | "boolean"))
            }) =>
        {
            return Some(("header", ""));
        }
        Some("query") => {}
        _ => return None,
    }
    let composite = matches!(kind, Some("array" | "object"));
    match p.get("style").and_then(Value::as_str) {
        // Any shape: an object as OpenAPI defines it, and the others as
        // Stripe uses them (`Extra::deep_object`).
        Some("deepObject") if schema.is_some() => Some(("deepObject", "")),
        Some("pipeDelimited") if composite => Some(("delimited", "|")),
        Some("spaceDelimited") if composite => Some(("delimited", " ")),
        None | Some("form") if composite && p.get("explode") == Some(&Value::Bool(false)) => {
            Some(("delimited", ","))
        }
        _ => None,
    }
}

/// How the layer sends a parameter whose Rust name is taken: a query
/// value (or array, one pair per item) as `style: form`, a header or a
/// cookie in its own style; `None` for an object in the query.
fn clash_style(place: Option<&str>, schema: Option<&Value>) -> Option<(&'static str, &'static str)> {
    let schema = schema?;
    match place? {
        "header" => Some(("header", "")),
        "cookie" => Some(("cookie", "")),
        "query" if scalar_or_array(schema) => Some(("form", "")),
        _ => None,
    }
}

/// Whether a schema is a scalar or an array, which a `form` query
/// parameter sends as one pair or one pair per item.
fn scalar_or_array(schema: &Value) -> bool {
    match schema.get("type").and_then(Value::as_str) {
        Some("string" | "integer" | "number" | "boolean" | "array") => true,
        Some(_) => false,
        // No type (an enum, a composition): sent when the value is a
        // scalar or an array, refused at run time otherwise.
        None => schema.get("properties").is_none(),
    }
}

/// A parameter's schema: its `schema`, or for OpenAPI 3.2's `in:
/// querystring` the schema of its one media type, with that media type.
fn parameter_schema(p: &Value) -> (Option<&Value>, Option<&str>) {
    if p.get("in").and_then(Value::as_str) == Some("querystring") {
        let media = p
            .get("content")
            .and_then(Value::as_object)
            .and_then(|c| c.iter().next());
        return (
            media.and_then(|(_, m)| m.get("schema")),
            media.map(|(name, _)| name.as_str()),
        );
    }
    (p.get("schema"), None)
}

/// Whether a parameter (resolved in `doc`) is one the layer sends.
fn is_lifted(doc: &Value, p: &Value) -> bool {
    resolve(doc, p)
        .is_some_and(|p| lifted_style(p, parameter_schema(p).0.and_then(|s| resolve(doc, s))).is_some())
}

/// Path-item parameters the layer sends move into each operation that does
/// not override them, so they are lifted per operation.
pub(crate) fn hoist_item_parameters(doc: &mut Value) {
    let original = doc.clone();
    let Some(Value::Object(paths)) = doc.get_mut("paths") else {
        return;
    };
    for item in paths.values_mut() {
        let Some(Value::Array(params)) = item.get("parameters") else {
            continue;
        };
        let lifted: Vec<Value> = params
            .iter()
            .filter(|p| is_lifted(&original, p))
            .cloned()
            .collect();
        if lifted.is_empty() {
            continue;
        }
        let key = |p: &Value| resolve(&original, p).map(|p| (p.get("name").cloned(), p.get("in").cloned()));
        for method in METHODS {
            let Some(Value::Object(op)) = item.get_mut(method) else {
                continue;
            };
            let list = op.entry("parameters").or_insert_with(|| json!([]));
            let Value::Array(list) = list else { continue };
            for p in &lifted {
                if !list.iter().any(|q| key(q) == key(p)) {
                    list.push(p.clone());
                }
            }
        }
        if let Some(Value::Array(params)) = item.get_mut("parameters") {
            params.retain(|p| !is_lifted(&original, p));
        }
    }
}

/// Puts `value` under `key` in the operation's layer record.
fn set_layer(op: &mut Value, key: &str, value: Value) {
    if let Some(o) = op.as_object_mut()
        && let Value::Object(m) = o.entry(LAYER_KEY).or_insert_with(|| json!({}))
    {
        m.insert(key.into(), value);
    }
}

/// The Rust element type of a delimited array's items, when it is a plain
/// scalar; `None` for anything else (then a component type is made).
fn scalar_items(schema: &Value, doc: &Value) -> Option<&'static str> {
    scalar(resolve(doc, schema.get("items")?)?)
}

/// A plain scalar schema's kind (no enum, which typify types).
fn scalar(schema: &Value) -> Option<&'static str> {
    if schema.get("enum").is_some() {
        return None;
    }
    match schema.get("type").and_then(Value::as_str)? {
        "string" => Some("string"),
        "integer" => Some("integer"),
        "number" => Some("number"),
        "boolean" => Some("boolean"),
        _ => None,
    }
}

/// The Rust argument name progenitor gives a parameter.
fn rust_name(p: &Value) -> Option<String> {
    p.get("name")
        .and_then(Value::as_str)
        .map(crate::ident::identifier)
}

/// The Rust names progenitor's method already has before the operation's
/// own non-path parameters: its path parameters, and the path item's
/// parameters that the operation does not override.
fn names_before(doc: &Value, item: &Value, list: &[Value]) -> BTreeSet<String> {
    let key = |p: &Value| (p.get("name").cloned(), p.get("in").cloned());
    let own: Vec<_> = list.iter().filter_map(|p| resolve(doc, p)).map(key).collect();
    let from_item = item
        .get("parameters")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|p| resolve(doc, p))
        .filter(|p| !own.contains(&key(p)));
    let paths = list
        .iter()
        .filter_map(|p| resolve(doc, p))
        .filter(|p| p.get("in").and_then(Value::as_str) == Some("path"));
    from_item.chain(paths).filter_map(rust_name).collect()
}

/// Lifts the operation's parameters that progenitor cannot send, or whose
/// Rust name another parameter already has. Returns what was lifted or
/// dropped, for the adaptation notes.
pub(crate) fn parameters(
    doc: &Value,
    item: &Value,
    op: &mut Value,
    id: &str,
    names: &mut Names,
    new_schemas: &mut Vec<(String, Value)>,
) -> Vec<String> {
    let Some(Value::Array(list)) = op.get("parameters") else {
        return Vec::new();
    };
    let mut rust_names = names_before(doc, item, list);
    let mut kept = Vec::new();
    let mut lifted = Vec::new();
    let mut notes = Vec::new();
    for p in list {
        let Some(resolved) = resolve(doc, p) else {
            kept.push(p.clone());
            continue;
        };
        let (schema_value, media) = parameter_schema(resolved);
        let schema = schema_value.and_then(|s| resolve(doc, s));
        let place = resolved.get("in").and_then(Value::as_str);
        let style = lifted_style(resolved, schema);
        let clash = place != Some("path")
            && style.is_none()
            && rust_name(resolved).is_some_and(|n| !rust_names.insert(n));
        let style = match style {
            Some(style) => Some(style),
            None if clash => match clash_style(place, schema) {
                Some(style) => Some(style),
                None => {
                    let name = resolved.get("name").and_then(Value::as_str).unwrap_or_default();
                    notes.push(format!(
                        "dropped the {} parameter `{name}`: another parameter has its Rust name, and an object cannot be sent apart from it",
                        place.unwrap_or_default()
                    ));
                    continue;
                }
            },
            None => None,
        };
        let (Some((style, delimiter)), Some(name), Some(schema_value), Some(schema)) = (
            style,
            resolved.get("name").and_then(Value::as_str),
            schema_value,
            schema,
        ) else {
            kept.push(p.clone());
            continue;
        };
        let rust_type = match (style, scalar_items(schema, doc), scalar(schema)) {
            ("delimited" | "form" | "header" | "cookie", Some(item), _)
                if schema.get("type").and_then(Value::as_str) == Some("array") =>
            {
                json!({"vec": item})
            }
            ("form" | "header" | "cookie" | "querystring", _, Some(kind)) => json!({"scalar": kind}),
            // A whole query string that is a component is that component's
            // type, not a wrapper of it.
            ("querystring", _, _)
                if schema_value.get("$ref").and_then(Value::as_str).is_some_and(|r| {
                    // typify names the type as written when it is already a
                    // Rust type name.
                    r.strip_prefix("#/components/schemas/")
                        .is_some_and(|n| !n.contains('/') && n == n.to_upper_camel_case())
                }) =>
            {
                let reference = schema_value
                    .get("$ref")
                    .and_then(Value::as_str)
                    .unwrap_or_default();
                json!({"component": crate::document::unescape(reference.trim_start_matches("#/components/schemas/"))})
            }
            _ => {
                let component = names.unique(&format!("{id} {name}"));
                new_schemas.push((component.clone(), schema_value.clone()));
                json!({"component": component})
            }
        };
        let mut entry = json!({
            "name": name,
            "style": style,
            "required": resolved.get("required") == Some(&Value::Bool(true)),
            "type": rust_type,
        });
        if style == "delimited" {
            entry["delimiter"] = json!(delimiter);
        }
        if let Some(media) = media {
            entry["media"] = json!(media);
        }
        if let Some(d) = resolved.get("description") {
            entry["description"] = d.clone();
        }
        notes.push(match style {
            "deepObject" => format!("query parameter `{name}` (deepObject) sent by the client layer"),
            "header" => format!("header parameter `{name}` sent by the client layer"),
            "cookie" => format!("cookie parameter `{name}` sent by the client layer"),
            "querystring" => format!(
                "`{name}` is the whole query string ({}), sent by the client layer",
                media.unwrap_or_default()
            ),
            "form" => format!(
                "query parameter `{name}` sent by the client layer: another parameter has its Rust name"
            ),
            _ => format!("query parameter `{name}` ({delimiter:?}-delimited) sent by the client layer"),
        });
        lifted.push(entry);
    }
    if lifted.is_empty() {
        return notes;
    }
    op["parameters"] = Value::Array(kept);
    set_layer(op, "parameters", Value::Array(lifted));
    notes
}

/// Whether a property schema is a file: a string of `format: binary`
/// (Swagger 2.0's `type: file` is converted to one).
fn is_file(doc: &Value, schema: &Value) -> bool {
    resolve(doc, schema).is_some_and(|s| {
        s.get("type").and_then(Value::as_str) == Some("string")
            && s.get("format").and_then(Value::as_str) == Some("binary")
    })
}

/// A form's schema as one object of properties: an `allOf` of objects is
/// merged (their properties and `required`, in order). `None` for what is
/// not a plain object of properties (`oneOf`, `anyOf`, a map).
fn flat_form(doc: &Value, schema: &Value) -> Option<Value> {
    if ["oneOf", "anyOf", "additionalProperties"]
        .iter()
        .any(|k| schema.get(*k).is_some_and(|v| v != &Value::Bool(false)))
    {
        return None;
    }
    let Some(parts) = schema.get("allOf").and_then(Value::as_array) else {
        schema.get("properties").and_then(Value::as_object)?;
        return Some(schema.clone());
    };
    let mut merged = schema.clone();
    let map = merged.as_object_mut()?;
    map.remove("allOf");
    let mut properties = map
        .remove("properties")
        .and_then(|p| p.as_object().cloned())
        .unwrap_or_default();
    let mut required: Vec<Value> = map
        .remove("required")
        .and_then(|r| r.as_array().cloned())
        .unwrap_or_default();
    for part in parts {
        let part = flat_form(doc, resolve(doc, part)?)?;
        properties.extend(
            part.get("properties")
                .and_then(Value::as_object)
                .cloned()
                .unwrap_or_default(),
        );
        for name in part
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            if !required.contains(name) {
                required.push(name.clone());
            }
        }
    }
    map.insert("type".into(), json!("object"));
    map.insert("properties".into(), Value::Object(properties));
    if !required.is_empty() {
        map.insert("required".into(), Value::Array(required));
    }
    Some(merged)
}

/// Lifts a multipart/form-data body: the operation keeps no request body,
/// the form's schema becomes a component (files referring to the file
/// component), and the layer record says which properties are files.
/// Returns `None` when the form is not a plain object of properties (then
/// validation refuses it as before).
pub(crate) fn multipart(
    doc: &Value,
    op: &mut Value,
    id: &str,
    media: &Value,
    names: &mut Names,
    new_schemas: &mut Vec<(String, Value)>,
) -> Option<String> {
    let schema = flat_form(doc, resolve(doc, media.get("schema")?)?)?;
    let schema = &schema;
    let props = schema.get("properties").and_then(Value::as_object)?;
    let mut file_ref = || {
        let name = names.file.clone().unwrap_or_else(|| {
            let name = names.unique("file part");
            names.file = Some(name.clone());
            new_schemas.push((
                name.clone(),
                json!({"type": "string", "format": "binary", LAYER_KEY: FILE_MARKER}),
            ));
            name
        });
        json!({"$ref": crate::document::component_ref("schemas", &name)})
    };
    let mut form = schema.clone();
    let mut files = Vec::new();
    let mut fields = Vec::new();
    let mut new_props = Map::new();
    for (name, p) in props {
        let resolved = resolve(doc, p).unwrap_or(p);
        let items = resolved.get("items");
        let replaced = if is_file(doc, p) {
            files.push(name.clone());
            file_ref()
        } else if resolved.get("type").and_then(Value::as_str) == Some("array")
            && items.is_some_and(|i| is_file(doc, i))
        {
            files.push(name.clone());
            json!({"type": "array", "items": file_ref()})
        } else {
            fields.push(name.clone());
            p.clone()
        };
        new_props.insert(name.clone(), replaced);
    }
    form["properties"] = Value::Object(new_props);
    if let Some(m) = form.as_object_mut() {
        m.remove("description");
        // A form is never null (Stream's `FileUploadRequest` says it may
        // be): typify would wrap the struct in an `Option` of another name.
        m.remove("nullable");
    }
    let component = names.unique(&format!("{id} form"));
    new_schemas.push((component.clone(), form));
    if let Some(o) = op.as_object_mut() {
        o.remove("requestBody");
    }
    set_layer(
        op,
        "form",
        json!({"schema": component, "files": files, "fields": fields}),
    );
    Some(component)
}

/// One part of a `multipart/mixed` body, for the layer: how it is sent
/// (`json`, `text`, `bytes`), its content type, and for JSON its type.
fn mixed_part(
    doc: &Value,
    schema: &Value,
    encoding: Option<&Value>,
    component_words: &str,
    names: &mut Names,
    new_schemas: &mut Vec<(String, Value)>,
) -> Value {
    let resolved = resolve(doc, schema).unwrap_or(schema);
    let declared = encoding
        .and_then(|e| e.get("contentType"))
        .and_then(Value::as_str);
    let string = resolved.get("type").and_then(Value::as_str) == Some("string");
    let binary = string
        && (resolved.get("format").and_then(Value::as_str) == Some("binary")
            || declared.is_some_and(|c| !c.contains("json") && !c.starts_with("text/")));
    let (how, default_type) = match (string, binary) {
        (_, true) => ("bytes", "application/octet-stream"),
        (true, false) => ("text", "text/plain"),
        _ => ("json", "application/json"),
    };
    let mut part = json!({"how": how, "content_type": declared.unwrap_or(default_type)});
    if how == "json" {
        // A component stays itself; an inline schema gets one of its own.
        let component = schema
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(|r| r.strip_prefix("#/components/schemas/"))
            .filter(|n| !n.contains('/') && *n == n.to_upper_camel_case())
            .map(crate::document::unescape)
            .unwrap_or_else(|| {
                let name = names.unique(component_words);
                new_schemas.push((name.clone(), schema.clone()));
                name
            });
        part["component"] = json!(component);
    }
    part
}

/// A `multipart/mixed` request body (OpenAPI 3.2): its leading parts (the
/// schema's `prefixItems`, with `prefixEncoding`) and the parts after them
/// (`items`, or the media type's `itemSchema`, with `itemEncoding`), each
/// an argument of the method; the operation keeps no body for progenitor.
/// Returns what the parts are, for the note.
pub(crate) fn mixed(
    doc: &Value,
    op: &mut Value,
    id: &str,
    media: &Value,
    names: &mut Names,
    new_schemas: &mut Vec<(String, Value)>,
) -> Option<String> {
    let schema = media.get("schema").and_then(|s| resolve(doc, s));
    let prefix: Vec<Value> = schema
        .and_then(|s| s.get("prefixItems"))
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let items = schema
        .and_then(|s| s.get("items"))
        .or_else(|| media.get("itemSchema"))
        .cloned();
    if prefix.is_empty() && items.is_none() {
        return None;
    }
    let encodings = media.get("prefixEncoding").and_then(Value::as_array);
    let prefix: Vec<Value> = prefix
        .iter()
        .enumerate()
        .map(|(i, p)| {
            mixed_part(
                doc,
                p,
                encodings.and_then(|e| e.get(i)),
                &format!("{id} part {}", i + 1),
                names,
                new_schemas,
            )
        })
        .collect();
    let items = items.map(|i| {
        mixed_part(
            doc,
            &i,
            media.get("itemEncoding"),
            &format!("{id} item"),
            names,
            new_schemas,
        )
    });
    let shown: Vec<String> = prefix
        .iter()
        .chain(&items)
        .map(|p| {
            let what = p
                .get("component")
                .and_then(Value::as_str)
                .unwrap_or_else(|| p["how"].as_str().unwrap_or_default());
            format!("{what} ({})", p["content_type"].as_str().unwrap_or_default())
        })
        .collect();
    if let Some(o) = op.as_object_mut() {
        o.remove("requestBody");
    }
    set_layer(op, "mixed", json!({"prefix": prefix, "items": items}));
    Some(match items {
        Some(_) => format!("{}, then any number of the last", shown.join(", ")),
        None => shown.join(", "),
    })
}

/// A request body of JSON items (OpenAPI 3.2's `itemSchema` on JSON Lines
/// or a JSON text sequence): a slice of the item type, which the layer
/// writes in the media type's framing; the operation keeps no body for
/// progenitor. Returns the item type, for the note.
pub(crate) fn sequence_body(
    doc: &Value,
    op: &mut Value,
    id: &str,
    media_type: &str,
    media: &Value,
    names: &mut Names,
    new_schemas: &mut Vec<(String, Value)>,
) -> Option<String> {
    // A multipart body is `mixed`'s.
    let framing = super::per_status::framing_of(media_type).filter(|f| *f != "multipart")?;
    let item = media.get("itemSchema")?;
    let mut part = mixed_part(doc, item, None, &format!("{id} item"), names, new_schemas);
    // Every item is JSON: a string is a JSON string, not raw text.
    match part["how"].as_str() {
        Some("json" | "text") => {}
        _ => return None,
    }
    part["content_type"] = json!(media_type);
    let shown = part
        .get("component")
        .and_then(Value::as_str)
        .unwrap_or("String")
        .to_string();
    if let Some(o) = op.as_object_mut() {
        o.remove("requestBody");
    }
    set_layer(op, "sequence", json!({"framing": framing, "item": part}));
    Some(shown)
}

/// Records the declared content type of a JSON body progenitor sends as
/// `application/json`.
pub(crate) fn content_type(op: &mut Value, declared: &str) {
    set_layer(op, "content_type", json!(declared));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc() -> Value {
        json!({"paths": {"/a": {
            "parameters": [{"name": "fields", "in": "query", "explode": false, "schema": {"type": "array", "items": {"type": "string"}}}],
            "get": {"operationId": "list_a", "parameters": [
                {"name": "filter", "in": "query", "style": "deepObject", "schema": {"type": "object", "properties": {"s": {"type": "string"}}}},
                {"name": "page", "in": "query", "schema": {"type": "integer"}}
            ]}
        }}})
    }

    #[test]
    fn deep_object_and_delimited_parameters_are_lifted_with_their_types() {
        let mut d = doc();
        hoist_item_parameters(&mut d);
        assert_eq!(d.pointer("/paths/~1a/parameters"), Some(&json!([])));
        let original = d.clone();
        let op = d.pointer_mut("/paths/~1a/get").unwrap();
        let mut names = Names::new(&["ListAFilter".to_string()]);
        let mut schemas = Vec::new();
        let notes = parameters(
            &original,
            &original["paths"]["/a"],
            op,
            "list_a",
            &mut names,
            &mut schemas,
        );
        assert_eq!(notes.len(), 2);
        assert_eq!(
            op["parameters"],
            json!([{"name": "page", "in": "query", "schema": {"type": "integer"}}])
        );
        let lifted = &op[LAYER_KEY]["parameters"];
        assert_eq!(lifted[0]["style"], "deepObject");
        assert_eq!(lifted[0]["type"], json!({"component": "ListAFilter2"}));
        assert_eq!(lifted[1]["delimiter"], ",");
        assert_eq!(lifted[1]["type"], json!({"vec": "string"}));
        assert_eq!(schemas[0].0, "ListAFilter2");
    }

    #[test]
    fn a_parameter_whose_rust_name_is_taken_is_sent_by_the_layer_and_an_object_dropped() {
        let d = json!({"openapi": "3.0.3", "paths": {"/items/{sort_dir}": {
            "parameters": [{"name": "sort_dir", "in": "path", "required": true, "schema": {"type": "string"}}],
            "get": {"operationId": "list", "parameters": [
                {"name": "sort.dir", "in": "query", "schema": {"type": "string"}},
                {"name": "sort.direction", "in": "query", "schema": {"type": "string", "enum": ["asc", "desc"]}},
                {"name": "sort_direction", "in": "query", "schema": {"type": "string"}},
                {"name": "Sort-Direction", "in": "header", "schema": {"type": "string"}},
                {"name": "sortDirection", "in": "query", "schema": {"type": "array", "items": {"type": "integer"}}},
                {"name": "sort__direction", "in": "query", "schema": {"type": "object"}}
            ]}
        }}});
        let original = d.clone();
        let mut d = d;
        let op = d.pointer_mut("/paths/~1items~1{sort_dir}/get").unwrap();
        let mut names = Names::new(&[]);
        let mut schemas = Vec::new();
        let item = &original["paths"]["/items/{sort_dir}"];
        let notes = parameters(&original, item, op, "list", &mut names, &mut schemas);
        // The first of each Rust name stays with progenitor: only
        // `sort.direction`; `sort.dir` clashes with the path item's
        // `sort_dir`.
        assert_eq!(op["parameters"].as_array().unwrap().len(), 1, "{notes:?}");
        assert_eq!(op["parameters"][0]["name"], "sort.direction");
        let lifted = &op[LAYER_KEY]["parameters"];
        let shown: Vec<(&str, &str)> = lifted
            .as_array()
            .unwrap()
            .iter()
            .map(|p| (p["name"].as_str().unwrap(), p["style"].as_str().unwrap()))
            .collect();
        assert_eq!(
            shown,
            [
                ("sort.dir", "form"),
                ("sort_direction", "form"),
                ("Sort-Direction", "header"),
                ("sortDirection", "form")
            ]
        );
        assert_eq!(lifted[0]["type"], json!({"scalar": "string"}));
        assert_eq!(lifted[3]["type"], json!({"vec": "integer"}));
        assert!(
            notes
                .iter()
                .any(|n| n.starts_with("dropped the query parameter `sort__direction`")),
            "{notes:?}"
        );
    }

    #[test]
    fn an_all_of_form_is_merged_into_one_object_and_a_union_is_not() {
        let d = json!({"components": {"schemas": {"Base": {"type": "object", "required": ["a"], "properties": {"a": {"type": "string"}}}}}});
        let form = json!({"allOf": [{"$ref": "#/components/schemas/Base"}, {"properties": {"f": {"type": "string", "format": "binary"}}, "required": ["f", "a"]}]});
        assert_eq!(
            flat_form(&d, &form),
            Some(
                json!({"type": "object", "required": ["a", "f"], "properties": {"a": {"type": "string"}, "f": {"type": "string", "format": "binary"}}})
            )
        );
        assert_eq!(flat_form(&d, &json!({"oneOf": [{"properties": {}}]})), None);
        assert_eq!(
            flat_form(&d, &json!({"type": "string", "format": "binary"})),
            None
        );
    }

    #[test]
    fn a_multipart_form_becomes_a_component_with_file_parts() {
        let d = json!({});
        let mut op = json!({"requestBody": {}});
        let media = json!({"schema": {"type": "object", "required": ["file"], "properties": {
            "file": {"type": "string", "format": "binary"},
            "more": {"type": "array", "items": {"type": "string", "format": "binary"}},
            "note": {"type": "string"}
        }}});
        let mut names = Names::new(&[]);
        let mut schemas = Vec::new();
        let form = multipart(&d, &mut op, "upload", &media, &mut names, &mut schemas).unwrap();
        assert_eq!(form, "UploadForm");
        assert!(op.get("requestBody").is_none());
        assert_eq!(op[LAYER_KEY]["form"]["files"], json!(["file", "more"]));
        assert_eq!(schemas[0].0, "FilePart");
        assert_eq!(
            schemas[1].1["properties"]["file"],
            json!({"$ref": "#/components/schemas/FilePart"})
        );
        assert_eq!(schemas[1].1["required"], json!(["file"]));
    }
}
