//! Swagger 2.0 to OpenAPI 3.0.3, in the load stage: many vendors still
//! publish 2.0, so a 2.0 file in a specs folder just works. Converted:
//! `definitions`, `parameters` and `responses` (to components, with every
//! `$ref` rewritten), `consumes`/`produces` (to media types), `in: body`
//! and `in: formData` (to request bodies), `host`/`basePath`/`schemes` (to
//! servers), `securityDefinitions` (to security schemes), `x-nullable` (to
//! `nullable`), `type: file` (to binary strings) and `collectionFormat`.
//!
//! The 2.0 structure is converted first; then one walk over the 3.0 result
//! converts every schema's 2.0 keywords and rewrites every `$ref`, never
//! looking into data (examples, defaults, enums, extensions).

use serde_json::{Map, Value, json};

use crate::document::{METHODS, pointer, rewrite_refs, schemas_mut};
use crate::error::{Diagnostic, Result};

/// Schema keywords a 2.0 non-body parameter carries beside `type`.
const SCHEMA_KEYS: [&str; 16] = [
    "type",
    "format",
    "items",
    "default",
    "maximum",
    "exclusiveMaximum",
    "minimum",
    "exclusiveMinimum",
    "maxLength",
    "minLength",
    "pattern",
    "maxItems",
    "minItems",
    "uniqueItems",
    "enum",
    "multipleOf",
];

/// Whether a parsed document is Swagger 2.0.
pub fn is_swagger2(doc: &Value) -> bool {
    doc.get("swagger").is_some()
}

/// Converts a Swagger 2.0 document; `file` names it in errors.
pub fn convert(doc: &Value, file: &str) -> Result<Value> {
    match doc.get("swagger").and_then(Value::as_str) {
        Some("2.0") => {}
        other => {
            return Err(
                Diagnostic::at(file, "/swagger", format!("unsupported Swagger version {other:?}"))
                    .help("only Swagger 2.0 is converted; OpenAPI 3.x files need `openapi: 3.x.y`")
                    .into(),
            );
        }
    }
    let Some(root) = doc.as_object() else {
        return Err(Diagnostic::at(file, "", "a Swagger document must be an object").into());
    };
    let consumes = media_list(root.get("consumes"));
    let produces = media_list(root.get("produces"));
    let mut out = Map::new();
    out.insert("openapi".into(), json!("3.0.3"));
    for key in ["info", "tags", "externalDocs", "security"] {
        if let Some(v) = root.get(key) {
            out.insert(key.into(), v.clone());
        }
    }
    out.insert("servers".into(), servers(root));
    let global_params = root.get("parameters").and_then(Value::as_object);
    let mut components = Map::new();
    if let Some(defs) = root.get("definitions") {
        components.insert("schemas".into(), defs.clone());
    }
    if let Some(params) = global_params {
        let mut parameters = Map::new();
        let mut bodies = Map::new();
        for (name, p) in params {
            match p.get("in").and_then(Value::as_str) {
                Some("body") => {
                    bodies.insert(name.clone(), body_request(p, &consumes));
                }
                Some("formData") => {} // inlined into each operation's form body
                _ => {
                    parameters.insert(name.clone(), parameter(p));
                }
            }
        }
        if !parameters.is_empty() {
            components.insert("parameters".into(), Value::Object(parameters));
        }
        if !bodies.is_empty() {
            components.insert("requestBodies".into(), Value::Object(bodies));
        }
    }
    if let Some(Value::Object(responses)) = root.get("responses") {
        let converted = responses
            .iter()
            .map(|(k, r)| (k.clone(), response(r, &produces)))
            .collect();
        components.insert("responses".into(), Value::Object(converted));
    }
    if let Some(Value::Object(defs)) = root.get("securityDefinitions") {
        let mut schemes = Map::new();
        for (name, def) in defs {
            let at = pointer("/securityDefinitions", name);
            schemes.insert(name.clone(), security_scheme(def, file, &at)?);
        }
        components.insert("securitySchemes".into(), Value::Object(schemes));
    }
    let mut paths = Map::new();
    if let Some(Value::Object(items)) = root.get("paths") {
        for (path, item) in items {
            paths.insert(path.clone(), path_item(item, global_params, &consumes, &produces));
        }
    }
    out.insert("paths".into(), Value::Object(paths));
    if !components.is_empty() {
        out.insert("components".into(), Value::Object(components));
    }
    for (k, v) in root.iter().filter(|(k, _)| k.starts_with("x-")) {
        out.insert(k.clone(), v.clone());
    }
    let mut converted = Value::Object(out);
    schemas_mut(&mut converted, |s, _| schema(s));
    rewrite_refs(&mut converted, |r| new_ref(r, global_params));
    Ok(converted)
}

fn media_list(v: Option<&Value>) -> Vec<String> {
    v.and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_str).map(str::to_string).collect())
        .unwrap_or_default()
}

/// `schemes` x `host` + `basePath` -> `servers`.
fn servers(root: &Map<String, Value>) -> Value {
    let base = root.get("basePath").and_then(Value::as_str).unwrap_or("");
    let Some(host) = root.get("host").and_then(Value::as_str) else {
        return json!([{"url": if base.is_empty() { "/" } else { base }}]);
    };
    let schemes = media_list(root.get("schemes"));
    let schemes = if schemes.is_empty() {
        vec!["https".to_string()]
    } else {
        schemes
    };
    Value::Array(
        schemes
            .iter()
            .map(|s| json!({"url": format!("{s}://{host}{base}")}))
            .collect(),
    )
}

/// The 2.0 keywords of one schema -> 3.0, in place; the walk in [`convert`]
/// reaches the schemas inside it.
fn schema(s: &mut Map<String, Value>) {
    if let Some(nullable) = s.remove("x-nullable") {
        s.insert("nullable".into(), nullable);
    }
    if s.get("type").and_then(Value::as_str) == Some("file") {
        s.insert("type".into(), json!("string"));
        s.insert("format".into(), json!("binary"));
    }
    if let Some(Value::String(property)) = s.get("discriminator").cloned() {
        s.insert("discriminator".into(), json!({"propertyName": property}));
    }
}

/// A non-body parameter: its schema keywords move under `schema`, and
/// `collectionFormat` becomes `style`/`explode`.
fn parameter(p: &Value) -> Value {
    if p.get("$ref").is_some() {
        return p.clone();
    }
    let mut out = Map::new();
    let mut s = Map::new();
    for (k, v) in p.as_object().into_iter().flatten() {
        match k.as_str() {
            "collectionFormat" => match v.as_str() {
                Some("multi") => {
                    out.insert("style".into(), json!("form"));
                    out.insert("explode".into(), json!(true));
                }
                Some("csv") if p.get("in").and_then(Value::as_str) == Some("query") => {
                    out.insert("style".into(), json!("form"));
                    out.insert("explode".into(), json!(false));
                }
                Some("ssv") => {
                    out.insert("style".into(), json!("spaceDelimited"));
                }
                Some("pipes") => {
                    out.insert("style".into(), json!("pipeDelimited"));
                }
                _ => {}
            },
            "x-nullable" => {
                s.insert("nullable".into(), v.clone());
            }
            "allowEmptyValue" => {
                out.insert(k.clone(), v.clone());
            }
            k if SCHEMA_KEYS.contains(&k) => {
                s.insert(k.into(), v.clone());
            }
            _ => {
                out.insert(k.clone(), v.clone());
            }
        }
    }
    out.insert("schema".into(), Value::Object(s));
    Value::Object(out)
}

/// A `content` map: the schema under each media type (`consumes` or
/// `produces`), or under `application/json` when none is declared.
fn content(schema: &Value, media: &[String]) -> Value {
    let json = ["application/json".to_string()];
    let media = if media.is_empty() { &json[..] } else { media };
    Value::Object(
        media
            .iter()
            .map(|m| (m.clone(), json!({"schema": schema.clone()})))
            .collect(),
    )
}

/// `in: body` -> a request body with one media type per `consumes` entry.
fn body_request(p: &Value, consumes: &[String]) -> Value {
    let s = p.get("schema").cloned().unwrap_or_else(|| json!({}));
    let mut body = json!({
        "content": content(&s, consumes),
        "required": p.get("required").cloned().unwrap_or(json!(false))
    });
    if let Some(d) = p.get("description") {
        body["description"] = d.clone();
    }
    body
}

/// `in: formData` parameters -> one form request body (multipart when a
/// file is among them or `consumes` says so).
fn form_request(params: &[&Value], consumes: &[String]) -> Value {
    let mut properties = Map::new();
    let mut required = Vec::new();
    for p in params {
        let name = p
            .get("name")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string();
        let mut converted = parameter(p);
        let mut s = converted.get_mut("schema").map(Value::take).unwrap_or(json!({}));
        if let Some(d) = p.get("description") {
            s["description"] = d.clone();
        }
        if p.get("required") == Some(&Value::Bool(true)) {
            required.push(json!(name));
        }
        properties.insert(name, s);
    }
    let has_file = params
        .iter()
        .any(|p| p.get("type").and_then(Value::as_str) == Some("file"));
    let multipart = has_file || consumes.iter().any(|c| c.starts_with("multipart/form-data"));
    let media = if multipart {
        "multipart/form-data"
    } else {
        "application/x-www-form-urlencoded"
    };
    let mut form = json!({"type": "object", "properties": properties});
    if !required.is_empty() {
        form["required"] = Value::Array(required.clone());
    }
    json!({"content": {media: {"schema": form}}, "required": !required.is_empty()})
}

fn response(r: &Value, produces: &[String]) -> Value {
    if r.get("$ref").is_some() {
        return r.clone();
    }
    let mut out = json!({"description": r.get("description").cloned().unwrap_or(json!(""))});
    if let Some(s) = r.get("schema") {
        out["content"] = content(s, produces);
    }
    if let Some(Value::Object(headers)) = r.get("headers") {
        let converted: Map<String, Value> = headers
            .iter()
            .map(|(name, h)| {
                let mut p = parameter(h);
                if let Some(obj) = p.as_object_mut() {
                    obj.remove("name");
                    obj.remove("in");
                }
                (name.clone(), p)
            })
            .collect();
        out["headers"] = Value::Object(converted);
    }
    for (k, v) in r
        .as_object()
        .into_iter()
        .flatten()
        .filter(|(k, _)| k.starts_with("x-"))
    {
        out[k] = v.clone();
    }
    out
}

fn security_scheme(def: &Value, file: &str, at: &str) -> Result<Value> {
    let mut out = match def.get("type").and_then(Value::as_str) {
        Some("basic") => json!({"type": "http", "scheme": "basic"}),
        Some("apiKey") => json!({"type": "apiKey", "name": def.get("name"), "in": def.get("in")}),
        Some("oauth2") => {
            let scopes = def.get("scopes").cloned().unwrap_or(json!({}));
            let auth = def.get("authorizationUrl").cloned();
            let token = def.get("tokenUrl").cloned();
            let (flow, body) = match def.get("flow").and_then(Value::as_str) {
                Some("implicit") => ("implicit", json!({"authorizationUrl": auth, "scopes": scopes})),
                Some("password") => ("password", json!({"tokenUrl": token, "scopes": scopes})),
                Some("application") => ("clientCredentials", json!({"tokenUrl": token, "scopes": scopes})),
                Some("accessCode") => (
                    "authorizationCode",
                    json!({"authorizationUrl": auth, "tokenUrl": token, "scopes": scopes}),
                ),
                other => {
                    return Err(Diagnostic::at(
                        file,
                        format!("{at}/flow"),
                        format!("unknown OAuth2 flow {other:?}"),
                    )
                    .help("use implicit, password, application or accessCode")
                    .into());
                }
            };
            json!({"type": "oauth2", "flows": {flow: body}})
        }
        other => {
            return Err(Diagnostic::at(
                file,
                format!("{at}/type"),
                format!("unknown security type {other:?}"),
            )
            .help("use basic, apiKey or oauth2")
            .into());
        }
    };
    if let Some(d) = def.get("description") {
        out["description"] = d.clone();
    }
    Ok(out)
}

/// Resolves a 2.0 parameter `$ref` to a global parameter.
fn global<'a>(p: &'a Value, globals: Option<&'a Map<String, Value>>) -> &'a Value {
    p.get("$ref")
        .and_then(Value::as_str)
        .and_then(|r| r.strip_prefix("#/parameters/"))
        .and_then(|name| globals?.get(name))
        .unwrap_or(p)
}

fn path_item(
    item: &Value,
    globals: Option<&Map<String, Value>>,
    consumes: &[String],
    produces: &[String],
) -> Value {
    let Some(item) = item.as_object() else {
        return item.clone();
    };
    let shared: Vec<Value> = item
        .get("parameters")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let mut out = Map::new();
    for (k, v) in item {
        match k.as_str() {
            "parameters" => {}
            method if METHODS.contains(&method) => {
                out.insert(k.clone(), operation(v, &shared, globals, consumes, produces));
            }
            _ => {
                out.insert(k.clone(), v.clone());
            }
        }
    }
    Value::Object(out)
}

fn operation(
    op: &Value,
    shared: &[Value],
    globals: Option<&Map<String, Value>>,
    consumes: &[String],
    produces: &[String],
) -> Value {
    let Some(op) = op.as_object() else {
        return op.clone();
    };
    let consumes = op
        .get("consumes")
        .map(|c| media_list(Some(c)))
        .unwrap_or_else(|| consumes.to_vec());
    let produces = op
        .get("produces")
        .map(|c| media_list(Some(c)))
        .unwrap_or_else(|| produces.to_vec());
    // Operation parameters override path-item ones with the same name and place.
    let own: Vec<Value> = op
        .get("parameters")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let key = |p: &Value| {
        let p = global(p, globals);
        (p.get("name").cloned(), p.get("in").cloned())
    };
    let mut all: Vec<Value> = shared
        .iter()
        .filter(|s| !own.iter().any(|o| key(o) == key(s)))
        .cloned()
        .collect();
    all.extend(own);
    let mut out = Map::new();
    let mut params = Vec::new();
    let mut form = Vec::new();
    for p in &all {
        let resolved = global(p, globals);
        match resolved.get("in").and_then(Value::as_str) {
            Some("body") => {
                let body = match p
                    .get("$ref")
                    .and_then(Value::as_str)
                    .and_then(|r| r.strip_prefix("#/parameters/"))
                {
                    Some(name) => json!({"$ref": format!("#/components/requestBodies/{name}")}),
                    None => body_request(p, &consumes),
                };
                out.insert("requestBody".into(), body);
            }
            Some("formData") => form.push(resolved),
            _ if p.get("$ref").is_some() => params.push(p.clone()),
            _ => params.push(parameter(p)),
        }
    }
    if !form.is_empty() {
        out.insert("requestBody".into(), form_request(&form, &consumes));
    }
    for (k, v) in op {
        match k.as_str() {
            "parameters" | "consumes" | "produces" | "schemes" => {}
            "responses" => {
                let converted: Map<String, Value> = v
                    .as_object()
                    .into_iter()
                    .flatten()
                    .map(|(code, r)| (code.clone(), response(r, &produces)))
                    .collect();
                out.insert(k.clone(), Value::Object(converted));
            }
            _ => {
                out.insert(k.clone(), v.clone());
            }
        }
    }
    if !params.is_empty() {
        out.insert("parameters".into(), Value::Array(params));
    }
    Value::Object(out)
}

/// `#/definitions/X` -> `#/components/schemas/X`, and likewise for
/// parameters (or request bodies, for `in: body`) and responses.
fn new_ref(r: &str, globals: Option<&Map<String, Value>>) -> Option<String> {
    if let Some(name) = r.strip_prefix("#/definitions/") {
        Some(format!("#/components/schemas/{name}"))
    } else if let Some(name) = r.strip_prefix("#/responses/") {
        Some(format!("#/components/responses/{name}"))
    } else {
        let name = r.strip_prefix("#/parameters/")?;
        let body = globals.and_then(|g| g.get(name)).and_then(|p| p.get("in")) == Some(&json!("body"));
        let kind = if body { "requestBodies" } else { "parameters" };
        Some(format!("#/components/{kind}/{name}"))
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn doc(extra: Value) -> Value {
        let mut d = json!({"swagger": "2.0", "info": {"title": "t", "version": "1"}, "paths": {}});
        if let (Value::Object(d), Value::Object(e)) = (&mut d, extra) {
            d.extend(e);
        }
        d
    }

    fn conv(extra: Value) -> Value {
        convert(&doc(extra), "s.json").unwrap()
    }

    #[test]
    fn version_info_and_servers() {
        let c = conv(json!({"host": "api.example.com", "basePath": "/v1", "schemes": ["https", "http"]}));
        assert_eq!(c["openapi"], "3.0.3");
        assert_eq!(c["info"]["title"], "t");
        assert_eq!(
            c["servers"],
            json!([{"url": "https://api.example.com/v1"}, {"url": "http://api.example.com/v1"}])
        );
        assert_eq!(
            conv(json!({"host": "h"}))["servers"],
            json!([{"url": "https://h"}])
        );
        assert_eq!(
            conv(json!({"basePath": "/api"}))["servers"],
            json!([{"url": "/api"}])
        );
    }

    #[test]
    fn definitions_parameters_and_responses_become_components_with_refs_rewritten() {
        let c = conv(json!({
            "definitions": {"Pet": {"type": "object", "properties": {"tag": {"$ref": "#/definitions/Tag"}}}, "Tag": {"type": "string"}},
            "parameters": {"limit": {"name": "limit", "in": "query", "type": "integer"}, "pet": {"name": "pet", "in": "body", "schema": {"$ref": "#/definitions/Pet"}}},
            "responses": {"NotFound": {"description": "nf", "schema": {"$ref": "#/definitions/Tag"}}},
            "paths": {"/pets": {"post": {"parameters": [{"$ref": "#/parameters/limit"}, {"$ref": "#/parameters/pet"}], "responses": {"404": {"$ref": "#/responses/NotFound"}}}}}
        }));
        assert_eq!(
            c.pointer("/components/schemas/Pet/properties/tag/$ref").unwrap(),
            "#/components/schemas/Tag"
        );
        assert_eq!(
            c.pointer("/components/parameters/limit/schema/type").unwrap(),
            "integer"
        );
        assert_eq!(
            c.pointer("/components/requestBodies/pet/content/application~1json/schema/$ref")
                .unwrap(),
            "#/components/schemas/Pet"
        );
        assert_eq!(
            c.pointer("/components/responses/NotFound/content/application~1json/schema/$ref")
                .unwrap(),
            "#/components/schemas/Tag"
        );
        let op = c.pointer("/paths/~1pets/post").unwrap();
        assert_eq!(
            op["parameters"],
            json!([{"$ref": "#/components/parameters/limit"}])
        );
        assert_eq!(
            op["requestBody"],
            json!({"$ref": "#/components/requestBodies/pet"})
        );
        assert_eq!(
            op["responses"]["404"],
            json!({"$ref": "#/components/responses/NotFound"})
        );
    }

    #[test]
    fn consumes_and_produces_become_media_types() {
        let c = conv(
            json!({"consumes": ["application/json"], "produces": ["application/xml"], "paths": {"/a": {"put": {
                "produces": ["application/json"],
                "parameters": [{"name": "b", "in": "body", "required": true, "schema": {"type": "object"}}],
                "responses": {"200": {"description": "ok", "schema": {"type": "string"}}}
            }}}}),
        );
        let op = c.pointer("/paths/~1a/put").unwrap();
        assert_eq!(
            op["requestBody"],
            json!({"content": {"application/json": {"schema": {"type": "object"}}}, "required": true})
        );
        assert_eq!(
            op["responses"]["200"]["content"],
            json!({"application/json": {"schema": {"type": "string"}}})
        );
    }

    #[test]
    fn body_and_form_data_parameters() {
        let c = conv(json!({"paths": {"/f": {"post": {
            "parameters": [
                {"name": "name", "in": "formData", "type": "string", "required": true, "description": "n"},
                {"name": "age", "in": "formData", "type": "integer"}
            ],
            "responses": {}
        }}, "/u": {"post": {
            "parameters": [{"name": "file", "in": "formData", "type": "file"}],
            "responses": {}
        }}}}));
        assert_eq!(
            c.pointer("/paths/~1f/post/requestBody").unwrap(),
            &json!({"content": {"application/x-www-form-urlencoded": {"schema": {"type": "object",
                "properties": {"name": {"type": "string", "description": "n"}, "age": {"type": "integer"}},
                "required": ["name"]}}}, "required": true})
        );
        let upload = c
            .pointer("/paths/~1u/post/requestBody/content/multipart~1form-data/schema/properties/file")
            .unwrap();
        assert_eq!(upload, &json!({"type": "string", "format": "binary"}));
    }

    #[test]
    fn simple_parameters_and_collection_formats() {
        let c = conv(json!({"paths": {"/a/{id}": {
            "parameters": [{"name": "id", "in": "path", "required": true, "type": "string"}],
            "get": {"parameters": [
                {"name": "tags", "in": "query", "type": "array", "items": {"type": "string"}, "collectionFormat": "multi"},
                {"name": "ids", "in": "query", "type": "array", "items": {"type": "integer"}, "collectionFormat": "csv"},
                {"name": "X-Trace", "in": "header", "type": "string", "x-nullable": true}
            ], "responses": {}}
        }}}));
        let params = c
            .pointer("/paths/~1a~1{id}/get/parameters")
            .unwrap()
            .as_array()
            .unwrap();
        assert_eq!(
            params[0],
            json!({"name": "id", "in": "path", "required": true, "schema": {"type": "string"}})
        );
        assert_eq!(params[1]["style"], "form");
        assert_eq!(params[1]["explode"], true);
        assert_eq!(params[2]["explode"], false);
        assert_eq!(params[3]["schema"], json!({"type": "string", "nullable": true}));
    }

    #[test]
    fn security_definitions() {
        let c = conv(json!({"securityDefinitions": {
            "basic": {"type": "basic"},
            "key": {"type": "apiKey", "name": "X-Key", "in": "header", "description": "d"},
            "oauth": {"type": "oauth2", "flow": "accessCode", "authorizationUrl": "https://a", "tokenUrl": "https://t", "scopes": {"read": "r"}}
        }, "security": [{"basic": []}]}));
        let s = &c["components"]["securitySchemes"];
        assert_eq!(s["basic"], json!({"type": "http", "scheme": "basic"}));
        assert_eq!(
            s["key"],
            json!({"type": "apiKey", "name": "X-Key", "in": "header", "description": "d"})
        );
        assert_eq!(s["oauth"]["flows"]["authorizationCode"]["tokenUrl"], "https://t");
        assert_eq!(c["security"], json!([{"basic": []}]));
        let bad = convert(
            &doc(json!({"securityDefinitions": {"x": {"type": "magic"}}})),
            "s.json",
        )
        .unwrap_err();
        assert!(
            bad.to_string().contains("s.json#/securityDefinitions/x/type"),
            "{bad}"
        );
    }

    #[test]
    fn x_nullable_and_file_in_schemas() {
        let c = conv(
            json!({"definitions": {"A": {"type": "object", "x-nullable": true, "discriminator": "kind",
            "properties": {"b": {"type": "string", "x-nullable": true}, "f": {"type": "file"}}}}}),
        );
        assert_eq!(
            c.pointer("/components/schemas/A").unwrap(),
            &json!({"type": "object", "nullable": true, "discriminator": {"propertyName": "kind"},
                "properties": {"b": {"type": "string", "nullable": true}, "f": {"type": "string", "format": "binary"}}})
        );
    }

    #[test]
    fn other_versions_are_refused() {
        let err = convert(&json!({"swagger": "1.2"}), "s.json").unwrap_err();
        assert!(err.to_string().contains("s.json#/swagger"), "{err}");
    }

    #[test]
    fn properties_named_like_keywords_are_converted_and_data_is_not() {
        let c = conv(json!({"definitions": {"Tag": {"type": "string"}, "A": {
            "type": "object",
            "properties": {
                "default": {"type": "file"},
                "enum": {"type": "string", "x-nullable": true},
                "example": {"$ref": "#/definitions/Tag"},
                "$ref": {"type": "string", "discriminator": "kind"}
            },
            "example": {"$ref": "#/definitions/Tag", "x-nullable": true},
            "default": {"type": "file"}
        }}}));
        assert_eq!(
            c.pointer("/components/schemas/A").unwrap(),
            &json!({
                "type": "object",
                "properties": {
                    "default": {"type": "string", "format": "binary"},
                    "enum": {"type": "string", "nullable": true},
                    "example": {"$ref": "#/components/schemas/Tag"},
                    "$ref": {"type": "string", "discriminator": {"propertyName": "kind"}}
                },
                "example": {"$ref": "#/definitions/Tag", "x-nullable": true},
                "default": {"type": "file"}
            })
        );
    }
}
