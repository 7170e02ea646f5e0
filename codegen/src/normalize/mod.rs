//! Normalize stage: a real OpenAPI 3.1 and 3.2 (JSON Schema 2020-12) to
//! 3.0.3 down-conversion, and nothing else (3.2's own features: `v32.rs`). What has a 3.0 meaning is converted;
//! what only validates and has none is dropped with a note; what would change
//! the wire shape and has none is an error.
//!
//! The result of normalizing a normalized document is that document.
//!
//! `$defs` are hoisted into `components/schemas` first (`defs.rs`); then
//! the document walk visits every schema, each before the schemas inside
//! it, and `schema` converts it in place.

mod deep_refs;
mod defs;
mod dynamic;
mod lenient;
mod nullable;
mod numbers;
pub(crate) mod pointers;
mod recursive;
pub(crate) mod v32;

use serde_json::{Map, Value};

use crate::document::{self, Kind, pointer, unescape};
use crate::error::{Diagnostic, Result};
use crate::merge::Origins;

/// The version every normalized document declares.
pub const TARGET_VERSION: &str = "3.0.3";

/// A normalized document and what the conversion could not keep.
#[derive(Debug, Clone)]
pub struct Normalized {
    /// The OpenAPI 3.0.3 document.
    pub doc: Value,
    /// Documented losses, one line each, with the JSON pointer.
    pub notes: Vec<String>,
}

struct Ctx<'a> {
    origins: &'a Origins,
    /// Whether the document is OpenAPI 3.1 or 3.2 (else 3.0, or converted
    /// Swagger 2.0).
    is_31: bool,
    notes: Vec<String>,
    errors: Vec<Diagnostic>,
}

impl Ctx<'_> {
    fn note(&mut self, at: &str, what: String) {
        self.notes.push(format!("#{at}: {what}"));
    }

    fn error(&mut self, at: &str, message: String, help: &str) {
        self.errors
            .push(Diagnostic::at(self.origins.file_of(at), at, message).help(help));
    }
}

/// Converts a merged document to OpenAPI 3.0.3.
pub fn normalize(doc: Value, origins: &Origins) -> Result<Normalized> {
    let mut ctx = Ctx {
        origins,
        is_31: false,
        notes: Vec::new(),
        errors: Vec::new(),
    };
    let Value::Object(mut root) = doc else {
        return Err(Diagnostic::at(origins.file_of(""), "", "an OpenAPI document must be an object").into());
    };
    let version = root
        .get("openapi")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    let is_32 = version.starts_with("3.2.");
    if !(version.starts_with("3.0.") || version.starts_with("3.1.") || is_32) {
        return Err(Diagnostic::at(
            origins.file_of("/openapi"),
            "/openapi",
            format!("unsupported OpenAPI version `{version}`"),
        )
        .help("the pipeline reads OpenAPI 3.0.x, 3.1.x, 3.2.x and Swagger 2.0 documents")
        .into());
    }
    // 3.2's schemas are 3.1's (JSON Schema 2020-12), and so are its other
    // 3.1 features.
    ctx.is_31 = version.starts_with("3.1.") || is_32;
    if ctx.is_31 {
        document_31(&mut root, &mut ctx);
    }
    pointers::decode(&mut root, &mut ctx);
    v32::drop_carried_methods(&mut root, &mut ctx);
    if is_32 {
        v32::document(&mut root, &mut ctx);
    }
    v32::sequential(&mut root, &mut ctx);
    root.entry("paths").or_insert_with(|| Value::Object(Map::new()));
    dynamic::resolve(&mut root, &mut ctx);
    recursive::resolve(&mut root, &mut ctx);
    ctx.notes.extend(defs::hoist(&mut root));
    let mut doc = Value::Object(root);
    ctx.notes.extend(deep_refs::hoist(&mut doc));
    let Value::Object(mut root) = doc else {
        return Err(Diagnostic::at(origins.file_of(""), "", "an OpenAPI document must be an object").into());
    };
    convert_schemas(&mut root, &mut ctx);
    let mut doc = Value::Object(root);
    ctx.notes.extend(lenient::objects(&mut doc));
    ctx.notes.extend(lenient::query_in_path_keys(&mut doc));
    ctx.notes.extend(lenient::undeclared_path_parameters(&mut doc));
    ctx.notes.extend(numbers::integers(&mut doc));
    ctx.notes.extend(lenient::defaults(&mut doc));
    if let Value::Object(root) = &mut doc {
        root.insert("openapi".into(), Value::String(TARGET_VERSION.into()));
    }
    if let Some(err) = crate::error::Error::from_all(ctx.errors) {
        return Err(err);
    }
    Ok(Normalized {
        doc,
        notes: ctx.notes,
    })
}

/// Document-level 3.1 features.
fn document_31(root: &mut Map<String, Value>, ctx: &mut Ctx) {
    if root.remove("jsonSchemaDialect").is_some() {
        ctx.note(
            "/jsonSchemaDialect",
            "dropped: 3.0 has a fixed schema dialect".into(),
        );
    }
    if let Some(Value::Object(hooks)) = root.remove("webhooks") {
        let names: Vec<&str> = hooks.keys().map(String::as_str).collect();
        ctx.note(
            "/webhooks",
            format!("dropped webhooks {names:?}: they are requests the vendor sends, not client operations"),
        );
    }
    if let Some(Value::Object(info)) = root.get_mut("info") {
        if let Some(Value::String(summary)) = info.remove("summary") {
            let description = match info.get("description").and_then(Value::as_str) {
                Some(d) => format!("{summary}\n\n{d}"),
                None => summary,
            };
            info.insert("description".into(), Value::String(description));
        }
        if let Some(Value::Object(license)) = info.get_mut("license")
            && let Some(id) = license.remove("identifier")
        {
            ctx.note(
                "/info/license/identifier",
                format!("dropped SPDX identifier {id}: 3.0 licenses have a name and url only"),
            );
        }
    }
    inline_path_item_refs(root, ctx);
    if let Some(Value::Object(schemes)) = root
        .get_mut("components")
        .and_then(|c| c.get_mut("securitySchemes"))
    {
        let mtls: Vec<String> = schemes
            .iter()
            .filter(|(_, s)| s.get("type").and_then(Value::as_str) == Some("mutualTLS"))
            .map(|(k, _)| k.clone())
            .collect();
        for name in mtls {
            schemes.remove(&name);
            ctx.note(
                &pointer("/components/securitySchemes", &name),
                "dropped mutualTLS scheme: 3.0 cannot describe it".into(),
            );
        }
    }
}

/// 3.1 lets `paths` entries refer to `components/pathItems`; 3.0 does not.
fn inline_path_item_refs(root: &mut Map<String, Value>, ctx: &mut Ctx) {
    let items = root
        .get_mut("components")
        .and_then(Value::as_object_mut)
        .and_then(|c| c.remove("pathItems"))
        .unwrap_or(Value::Null);
    let Some(Value::Object(paths)) = root.get_mut("paths") else {
        return;
    };
    for (path, item) in paths.iter_mut() {
        let Some(reference) = item.get("$ref").and_then(Value::as_str).map(str::to_string) else {
            continue;
        };
        let at = pointer("/paths", path);
        match reference
            .strip_prefix("#/components/pathItems/")
            .and_then(|name| items.get(unescape(name)))
        {
            Some(target) => {
                let mut inlined = target.clone();
                if let (Value::Object(dst), Value::Object(src)) = (&mut inlined, item.clone()) {
                    dst.extend(src.into_iter().filter(|(k, _)| k != "$ref"));
                }
                *item = inlined;
            }
            None => ctx.error(
                &format!("{at}/$ref"),
                format!("path item reference `{reference}` points at nothing"),
                "define it under components.pathItems or inline the path item",
            ),
        }
    }
}

/// Converts every schema of the document. A boolean schema becomes an
/// object one, except as `additionalProperties`, where `true` and `false`
/// are valid 3.0 as they are.
fn convert_schemas(root: &mut Map<String, Value>, ctx: &mut Ctx) {
    let mut doc = Value::Object(std::mem::take(root));
    document::walk_mut(&mut doc, Kind::Document, "", &mut |v, node| {
        if node.kind == Kind::Schema && !(node.keyword == "additionalProperties" && v.is_boolean()) {
            schema(v, node.at, ctx);
        }
    });
    if let Value::Object(map) = doc {
        *root = map;
    }
}

/// Keywords that only annotate and have no 3.0 form: dropped silently.
const ANNOTATIONS_31: [&str; 6] = [
    "$schema",
    "$id",
    "$anchor",
    "$comment",
    "$dynamicAnchor",
    "$vocabulary",
];

/// Validation-only keywords with no 3.0 form: dropped with a note, since a
/// client that does not check them still sends and reads the same bytes.
const VALIDATION_ONLY_31: [&str; 11] = [
    "if",
    "then",
    "else",
    "dependentSchemas",
    "dependentRequired",
    "unevaluatedProperties",
    "unevaluatedItems",
    "contains",
    "minContains",
    "maxContains",
    "propertyNames",
];

/// Siblings of `$ref` that 3.0 ignores and whose loss changes nothing on the
/// wire: dropped silently.
const REF_ANNOTATIONS: [&str; 11] = [
    "description",
    "title",
    "example",
    "examples",
    "type",
    "format",
    "deprecated",
    "readOnly",
    "writeOnly",
    "externalDocs",
    "default",
];

/// Converts one schema; the walk then converts the schemas inside it.
fn schema(v: &mut Value, at: &str, ctx: &mut Ctx) {
    match v {
        Value::Bool(true) => *v = Value::Object(Map::new()),
        Value::Bool(false) => *v = serde_json::json!({"not": {}}),
        Value::Object(_) => {}
        _ => return,
    }
    let Value::Object(s) = v else { return };
    for k in ANNOTATIONS_31 {
        s.remove(k);
    }
    for k in VALIDATION_ONLY_31 {
        if s.remove(k).is_some() {
            ctx.note(
                &pointer(at, k),
                format!("dropped `{k}`: no OpenAPI 3.0 equivalent; the client does not check it"),
            );
        }
    }
    if s.remove("patternProperties").is_some() {
        ctx.note(&pointer(at, "patternProperties"), "dropped `patternProperties`: no 3.0 equivalent; matching members decode as additional properties".into());
    }
    nullable::null_branches(s);
    // A minimum length of 0 holds for every string: typify would check it
    // anyway (`count() < 0`, which the compiler warns is never true).
    if s.get("minLength").and_then(Value::as_u64) == Some(0) {
        s.remove("minLength");
    }
    lenient::schema(s, at, ctx.is_31, &mut ctx.notes);
    null_type(s);
    if let Some(c) = s.remove("const") {
        s.insert("enum".into(), Value::Array(vec![c]));
    }
    exclusive_bound(s, "exclusiveMinimum", "minimum", |new, old| new >= old);
    exclusive_bound(s, "exclusiveMaximum", "maximum", |new, old| new <= old);
    if let Some(Value::Array(examples)) = s.remove("examples")
        && let Some(first) = examples.into_iter().next()
    {
        s.entry("example").or_insert(first);
    }
    content_keywords(s);
    prefix_items(s, at, ctx);
    if s.contains_key("$ref") {
        ref_siblings(s, at, ctx);
        return;
    }
    multi_type(s);
}

/// `type: "null"` and `type: [T, "null"]` become `nullable: true`.
fn null_type(s: &mut Map<String, Value>) {
    match s.get("type") {
        Some(Value::String(t)) if t == "null" => {
            s.remove("type");
            s.insert("nullable".into(), Value::Bool(true));
        }
        Some(Value::Array(types)) => {
            let nullable = types.iter().any(|t| t == "null");
            let rest: Vec<Value> = types.iter().filter(|t| *t != "null").cloned().collect();
            if nullable {
                s.insert("nullable".into(), Value::Bool(true));
            }
            match rest.len() {
                0 => {
                    s.remove("type");
                }
                1 => {
                    s.insert("type".into(), rest[0].clone());
                }
                _ => {
                    s.insert("type".into(), Value::Array(rest));
                }
            }
        }
        _ => {}
    }
}

/// Keywords that belong to one instance type, for splitting `type` arrays.
fn keyword_type(k: &str) -> Option<&'static str> {
    Some(match k {
        "items" | "minItems" | "maxItems" | "uniqueItems" => "array",
        "properties"
        | "required"
        | "additionalProperties"
        | "minProperties"
        | "maxProperties"
        | "discriminator" => "object",
        "minLength" | "maxLength" | "pattern" => "string",
        "minimum" | "maximum" | "exclusiveMinimum" | "exclusiveMaximum" | "multipleOf" => "number",
        _ => return None,
    })
}

/// `type: [A, B]` (several non-null types) becomes `oneOf: [{type: A}, {type: B}]`,
/// each branch taking the keywords that apply to its type.
fn multi_type(s: &mut Map<String, Value>) {
    let Some(Value::Array(types)) = s.get("type").cloned() else {
        return;
    };
    s.remove("type");
    let keys: Vec<String> = s.keys().filter(|k| keyword_type(k).is_some()).cloned().collect();
    let mut moved = Map::new();
    for k in keys {
        if let Some(v) = s.remove(&k) {
            moved.insert(k, v);
        }
    }
    let format = s.remove("format");
    let enumeration = s.remove("enum");
    let branches = types
        .iter()
        .filter_map(Value::as_str)
        .map(|t| {
            let mut b = Map::new();
            b.insert("type".into(), Value::String(t.into()));
            for (k, v) in &moved {
                let kt = keyword_type(k).unwrap_or_default();
                if kt == t || (kt == "number" && t == "integer") {
                    b.insert(k.clone(), v.clone());
                }
            }
            if let Some(f) = &format {
                let numeric = matches!(f.as_str(), Some("int32" | "int64" | "float" | "double"));
                if numeric == matches!(t, "integer" | "number") {
                    b.insert("format".into(), f.clone());
                }
            }
            if let Some(Value::Array(values)) = &enumeration {
                let kept: Vec<Value> = values
                    .iter()
                    .filter(|v| json_type_matches(v, t))
                    .cloned()
                    .collect();
                if !kept.is_empty() {
                    b.insert("enum".into(), Value::Array(kept));
                }
            }
            Value::Object(b)
        })
        .collect();
    s.insert("oneOf".into(), Value::Array(branches));
}

/// Whether a value is of the JSON Schema type `t` (the validate stage uses
/// it for defaults: progenitor panics on one it cannot write as its type).
pub(crate) fn json_type_matches(v: &Value, t: &str) -> bool {
    match t {
        "string" => v.is_string(),
        "integer" => v.is_i64() || v.is_u64(),
        "number" => v.is_number(),
        "boolean" => v.is_boolean(),
        "array" => v.is_array(),
        "object" => v.is_object(),
        _ => false,
    }
}

/// A numeric `exclusiveMinimum: n` becomes `minimum: n, exclusiveMinimum: true`
/// (likewise for the maximum), keeping the stricter bound if both are given.
fn exclusive_bound(
    s: &mut Map<String, Value>,
    exclusive: &str,
    inclusive: &str,
    stricter: fn(f64, f64) -> bool,
) {
    let Some(Value::Number(n)) = s.get(exclusive).cloned() else {
        return;
    };
    let new = n.as_f64().unwrap_or_default();
    match s.get(inclusive).and_then(Value::as_f64) {
        Some(old) if !stricter(new, old) => {
            s.remove(exclusive);
        }
        _ => {
            s.insert(inclusive.into(), Value::Number(n));
            s.insert(exclusive.into(), Value::Bool(true));
        }
    }
}

/// `contentEncoding: base64` is 3.0's `format: byte`; any other encoded or
/// non-JSON string content is `format: binary`. Both describe strings only:
/// without `type: string` they go (a `format` with no `type` is not a schema
/// progenitor can take).
fn content_keywords(s: &mut Map<String, Value>) {
    let encoding = s.remove("contentEncoding");
    let media = s.remove("contentMediaType");
    let string = match s.get("type") {
        Some(Value::String(t)) => t == "string",
        Some(Value::Array(types)) => types.iter().any(|t| t == "string"),
        _ => false,
    };
    if s.contains_key("format") || !string {
        return;
    }
    let format = match (
        encoding.as_ref().and_then(Value::as_str),
        media.as_ref().and_then(Value::as_str),
    ) {
        (Some("base64" | "base64url"), _) => "byte",
        (Some(_), _) => "binary",
        (None, Some(m)) if !m.contains("json") && !m.starts_with("text/") => "binary",
        _ => return,
    };
    s.insert("format".into(), Value::String(format.into()));
}

/// `prefixItems` (a tuple) has no 3.0 form: the array's items become any of
/// the tuple's types, and its length is bounded when `items: false`.
fn prefix_items(s: &mut Map<String, Value>, at: &str, ctx: &mut Ctx) {
    // The parts of a `multipart/mixed` body (OpenAPI 3.2): the client
    // layer sends each in its place, so the tuple stays (`adapt/lift.rs`).
    if at.ends_with("/schema")
        && at.rsplit('/').nth(1).is_some_and(|media| {
            crate::document::media_base(&unescape(media)).eq_ignore_ascii_case("multipart/mixed")
        })
    {
        return;
    }
    let Some(Value::Array(prefix)) = s.remove("prefixItems") else {
        return;
    };
    let closed = s.get("items") == Some(&Value::Bool(false));
    if closed {
        s.insert("maxItems".into(), Value::from(prefix.len()));
        s.remove("items");
    }
    let mut distinct: Vec<Value> = Vec::new();
    for p in prefix {
        if !distinct.contains(&p) {
            distinct.push(p);
        }
    }
    if let Some(rest) = s.remove("items")
        && !distinct.contains(&rest)
    {
        distinct.push(rest);
    }
    let items = if distinct.len() == 1 {
        distinct.remove(0)
    } else {
        serde_json::json!({ "anyOf": distinct })
    };
    s.insert("items".into(), items);
    ctx.note(
        &pointer(at, "prefixItems"),
        "tuple became an array of any of its item types: positions are not checked".into(),
    );
}

/// 3.0 ignores the siblings of `$ref` (and progenitor drops them), so a
/// nullable reference becomes `allOf: [$ref]` + `nullable`, and redundant
/// annotations go. Anything else beside a `$ref` is reported as dropped.
fn ref_siblings(s: &mut Map<String, Value>, at: &str, ctx: &mut Ctx) {
    if s.len() == 1 {
        return;
    }
    let reference = s.remove("$ref").unwrap_or_default();
    let nullable = s.remove("nullable") == Some(Value::Bool(true));
    let mut kept = Map::new();
    for (k, v) in std::mem::take(s) {
        if REF_ANNOTATIONS.contains(&k.as_str()) {
            if nullable
                && matches!(
                    k.as_str(),
                    "description" | "title" | "default" | "readOnly" | "writeOnly" | "deprecated"
                )
            {
                kept.insert(k, v);
            }
        } else {
            ctx.note(
                &pointer(at, &k),
                format!("dropped `{k}` beside `$ref`: 3.0 ignores the siblings of a reference"),
            );
        }
    }
    let mut one = Map::new();
    one.insert("$ref".into(), reference);
    if nullable {
        kept.insert("allOf".into(), Value::Array(vec![Value::Object(one)]));
        kept.insert("nullable".into(), Value::Bool(true));
        *s = kept;
    } else {
        *s = one;
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn norm_schema(s: Value) -> (Value, Vec<String>) {
        let doc = json!({"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "components": {"schemas": {"S": s}}});
        let n = normalize(doc, &Origins::default()).unwrap();
        (n.doc["components"]["schemas"]["S"].clone(), n.notes)
    }

    #[test]
    fn version_becomes_303_and_paths_exist() {
        let n = normalize(
            json!({"openapi": "3.1.1", "info": {"title": "t", "version": "1"}}),
            &Origins::default(),
        )
        .unwrap();
        assert_eq!(n.doc["openapi"], "3.0.3");
        assert_eq!(n.doc["paths"], json!({}));
    }

    #[test]
    fn other_versions_are_refused() {
        let err = normalize(json!({"openapi": "4.0.0"}), &Origins::default()).unwrap_err();
        assert!(err.to_string().contains("#/openapi"), "{err}");
    }

    #[test]
    fn nullable_type_arrays() {
        assert_eq!(
            norm_schema(json!({"type": ["string", "null"]})).0,
            json!({"type": "string", "nullable": true})
        );
        assert_eq!(
            norm_schema(json!({"type": ["null"]})).0,
            json!({"nullable": true})
        );
        assert_eq!(norm_schema(json!({"type": "null"})).0, json!({"nullable": true}));
    }

    #[test]
    fn several_types_become_one_of_with_their_keywords() {
        let (s, _) = norm_schema(
            json!({"type": ["integer", "string"], "minimum": 1, "maxLength": 3, "description": "d"}),
        );
        assert_eq!(
            s,
            json!({"description": "d", "oneOf": [{"type": "integer", "minimum": 1}, {"type": "string", "maxLength": 3}]})
        );
        let (s, _) = norm_schema(
            json!({"type": ["integer", "string", "null"], "format": "int64", "enum": [1, "a", null]}),
        );
        assert_eq!(
            s,
            json!({"nullable": true, "oneOf": [{"type": "integer", "format": "int64", "enum": [1]}, {"type": "string", "enum": ["a"]}]})
        );
    }

    #[test]
    fn const_becomes_a_one_value_enum() {
        assert_eq!(
            norm_schema(json!({"type": "string", "const": "x"})).0,
            json!({"type": "string", "enum": ["x"]})
        );
    }

    #[test]
    fn numeric_exclusive_bounds() {
        assert_eq!(
            norm_schema(json!({"type": "integer", "exclusiveMinimum": 0})).0,
            json!({"type": "integer", "minimum": 0, "exclusiveMinimum": true})
        );
        assert_eq!(
            norm_schema(json!({"type": "number", "exclusiveMaximum": 10.5})).0,
            json!({"type": "number", "maximum": 10.5, "exclusiveMaximum": true})
        );
        // The inclusive bound is stricter: keep it.
        assert_eq!(
            norm_schema(json!({"type": "integer", "minimum": 5, "exclusiveMinimum": 0})).0,
            json!({"type": "integer", "minimum": 5})
        );
        // 3.0's boolean form is left alone.
        assert_eq!(
            norm_schema(json!({"type": "integer", "minimum": 0, "exclusiveMinimum": true})).0,
            json!({"type": "integer", "minimum": 0, "exclusiveMinimum": true})
        );
    }

    #[test]
    fn examples_become_example() {
        assert_eq!(
            norm_schema(json!({"type": "string", "examples": ["a", "b"]})).0,
            json!({"type": "string", "example": "a"})
        );
    }

    #[test]
    fn ref_with_siblings() {
        // Redundant siblings go.
        assert_eq!(
            norm_schema(json!({"type": "object", "$ref": "#/components/schemas/T"})).0,
            json!({"$ref": "#/components/schemas/T"})
        );
        // Nullable is kept by wrapping in allOf.
        assert_eq!(
            norm_schema(
                json!({"$ref": "#/components/schemas/T", "type": ["object", "null"], "description": "d"})
            )
            .0,
            json!({"allOf": [{"$ref": "#/components/schemas/T"}], "nullable": true, "description": "d"})
        );
        // Anything else is noted.
        let (s, notes) = norm_schema(json!({"$ref": "#/components/schemas/T", "properties": {}}));
        assert_eq!(s, json!({"$ref": "#/components/schemas/T"}));
        assert!(notes[0].contains("properties"), "{notes:?}");
    }

    #[test]
    fn annotations_31_are_dropped_and_validation_only_keywords_noted() {
        let (s, notes) = norm_schema(
            json!({"$schema": "x", "$id": "y", "$comment": "z", "type": "object", "dependentRequired": {"a": ["b"]}, "if": {}, "then": {}}),
        );
        assert_eq!(s, json!({"type": "object"}));
        assert_eq!(notes.len(), 3);
    }

    #[test]
    fn a_minimum_length_of_zero_goes() {
        assert_eq!(
            norm_schema(json!({"type": "string", "minLength": 0, "maxLength": 3})).0,
            json!({"type": "string", "maxLength": 3})
        );
        assert_eq!(
            norm_schema(json!({"type": "string", "minLength": 1})).0,
            json!({"type": "string", "minLength": 1})
        );
    }

    #[test]
    fn an_unbound_dynamic_ref_is_any_json_and_a_recursive_ref_its_component() {
        let doc = json!({"openapi": "3.1.0", "components": {"schemas": {"S": {"$dynamicRef": "#meta"}}}});
        let n = normalize(doc, &Origins::default()).unwrap();
        assert_eq!(n.doc["components"]["schemas"]["S"], json!({}));
        assert!(
            n.notes
                .iter()
                .any(|x| x.contains("#/components/schemas/S/$dynamicRef")),
            "{:?}",
            n.notes
        );
        let doc = json!({"openapi": "3.1.0", "components": {"schemas": {"S": {"$recursiveRef": "#"}}}});
        let n = normalize(doc, &Origins::default()).unwrap();
        assert_eq!(
            n.doc["components"]["schemas"]["S"],
            json!({"$ref": "#/components/schemas/S"})
        );
    }

    #[test]
    fn content_encoding_becomes_format() {
        assert_eq!(
            norm_schema(json!({"type": "string", "contentEncoding": "base64"})).0,
            json!({"type": "string", "format": "byte"})
        );
        assert_eq!(
            norm_schema(json!({"type": "string", "contentMediaType": "image/png"})).0,
            json!({"type": "string", "format": "binary"})
        );
        // Without a string type they only annotate: a typeless `format`
        // makes progenitor panic.
        assert_eq!(norm_schema(json!({"contentMediaType": "image/png"})).0, json!({}));
        assert_eq!(
            norm_schema(json!({"type": "integer", "contentEncoding": "base64"})).0,
            json!({"type": "integer"})
        );
    }

    #[test]
    fn prefix_items_become_any_of() {
        let (s, notes) = norm_schema(
            json!({"type": "array", "prefixItems": [{"type": "string"}, {"type": "integer"}], "items": false}),
        );
        assert_eq!(
            s,
            json!({"type": "array", "maxItems": 2, "items": {"anyOf": [{"type": "string"}, {"type": "integer"}]}})
        );
        assert_eq!(notes.len(), 1);
    }

    #[test]
    fn boolean_items_from_prefix_items_become_schemas() {
        let (s, _) = norm_schema(json!({"type": "array", "prefixItems": [true]}));
        assert_eq!(s, json!({"type": "array", "items": {}}));
        let (s, _) = norm_schema(json!({"type": "object", "additionalProperties": false}));
        assert_eq!(s, json!({"type": "object", "additionalProperties": false}));
    }

    #[test]
    fn boolean_schemas() {
        assert_eq!(
            norm_schema(json!({"type": "object", "properties": {"a": true, "b": false}})).0,
            json!({"type": "object", "properties": {"a": {}, "b": {"not": {}}}})
        );
    }

    #[test]
    fn nested_schemas_in_every_position_are_converted() {
        let doc = json!({
            "openapi": "3.1.0",
            "paths": {"/a": {
                "parameters": [{"name": "p", "in": "query", "schema": {"type": ["string", "null"]}}],
                "put": {
                    "requestBody": {"content": {"application/json": {"schema": {"type": "array", "items": {"const": 1}}}}},
                    "responses": {"200": {"description": "", "headers": {"h": {"schema": {"type": ["integer", "null"]}}},
                        "content": {"application/json": {"schema": {"allOf": [{"properties": {"x": {"type": ["boolean", "null"]}}}]}}}}}
                }
            }}
        });
        let n = normalize(doc, &Origins::default()).unwrap();
        let put = "/paths/~1a/put";
        let expected = [
            (
                "/paths/~1a/parameters/0/schema".to_string(),
                json!({"type": "string", "nullable": true}),
            ),
            (
                format!("{put}/requestBody/content/application~1json/schema"),
                json!({"type": "array", "items": {"enum": [1]}}),
            ),
            (
                format!("{put}/responses/200/headers/h/schema"),
                json!({"type": "integer", "nullable": true}),
            ),
            (
                format!("{put}/responses/200/content/application~1json/schema"),
                json!({"allOf": [{"properties": {"x": {"type": "boolean", "nullable": true}}}]}),
            ),
        ];
        for (at, value) in expected {
            assert_eq!(n.doc.pointer(&at), Some(&value), "at {at}");
        }
    }

    #[test]
    fn webhooks_and_path_item_components() {
        let doc = json!({
            "openapi": "3.1.0",
            "info": {"title": "t", "version": "1", "summary": "s", "license": {"name": "MIT", "identifier": "MIT"}},
            "webhooks": {"ping": {}},
            "paths": {"/a": {"$ref": "#/components/pathItems/A"}},
            "components": {"pathItems": {"A": {"get": {"operationId": "a"}}}}
        });
        let n = normalize(doc, &Origins::default()).unwrap();
        assert_eq!(n.doc["paths"]["/a"], json!({"get": {"operationId": "a"}}));
        assert!(n.doc.get("webhooks").is_none());
        assert_eq!(n.doc["info"]["description"], "s");
        assert!(n.notes.iter().any(|n| n.contains("webhooks")));
    }

    #[test]
    fn normalize_is_idempotent_on_the_examples_above() {
        let doc = json!({"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "components": {"schemas": {
            "A": {"type": ["string", "integer", "null"]},
            "B": {"$ref": "#/components/schemas/A", "type": ["object", "null"]},
            "C": {"exclusiveMinimum": 1, "examples": [1], "const": 2}
        }}});
        let once = normalize(doc, &Origins::default()).unwrap().doc;
        let twice = normalize(once.clone(), &Origins::default()).unwrap().doc;
        assert_eq!(once, twice);
    }

    #[test]
    fn properties_named_like_keywords_are_schemas_and_data_is_left_alone() {
        let (s, _) = norm_schema(json!({
            "type": "object",
            "properties": {
                "default": {"type": ["string", "null"]},
                "enum": {"const": "x"},
                "example": {"type": ["integer", "null"]},
                "$ref": {"type": ["boolean", "null"]}
            },
            "default": {"type": ["string", "null"]},
            "example": {"const": 1}
        }));
        assert_eq!(
            s,
            json!({
                "type": "object",
                "properties": {
                    "default": {"type": "string", "nullable": true},
                    "enum": {"enum": ["x"]},
                    "example": {"type": "integer", "nullable": true},
                    "$ref": {"type": "boolean", "nullable": true}
                },
                "default": {"type": ["string", "null"]},
                "example": {"const": 1}
            })
        );
    }
}
