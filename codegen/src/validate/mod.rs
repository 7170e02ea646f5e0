//! Validate stage: everything progenitor would reject, or panic on, is
//! caught here and reported with the API, the operation and the JSON pointer,
//! all at once. progenitor then only ever sees documents it can take.
//! [`validate_scoped`] drops what fails, each problem costing only its
//! scope, unless the policy is strict (`scope.rs`).

mod ref_chains;
pub(crate) mod scope;

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

pub use self::scope::{Scoped, Skipped, scope_stage, validate_scoped};
use crate::document::{
    self, Kind, composition, media_base, operations, pointer, ref_target, resolve, template_names,
};
use crate::error::{Diagnostic, Error, Result};
use crate::merge::Origins;
use crate::normalize::json_type_matches;
use crate::progenitor_rules::{REQUEST_MEDIA_TYPES, ResponseGroups, group_responses, is_status};

struct Checker<'a> {
    api: &'a str,
    doc: &'a Value,
    origins: &'a Origins,
    found: Vec<Diagnostic>,
}

impl<'a> Checker<'a> {
    fn report(&mut self, at: &str, operation: Option<&str>, message: String, help: &str) {
        let context = match operation {
            Some(op) => format!("api `{}`, operation `{op}`", self.api),
            None => format!("api `{}`", self.api),
        };
        self.found.push(
            Diagnostic::at(self.origins.file_of(at), at, message)
                .context(context)
                .help(help),
        );
    }

    /// Follows local `$ref`s (broken ones are reported by `check_values`).
    fn resolve<'v>(&self, v: &'v Value) -> Option<&'v Value>
    where
        'a: 'v,
    {
        resolve(self.doc, v)
    }

    /// `encoding` on a media type makes progenitor panic.
    fn no_encoding(&mut self, media: &Value, at: &str, operation: &str, direction: &str) {
        if media
            .get("encoding")
            .and_then(Value::as_object)
            .is_some_and(|e| !e.is_empty())
        {
            self.report(
                &pointer(at, "encoding"),
                Some(operation),
                format!("`encoding` on a {direction} media type is not supported"),
                "remove `encoding` in an overlay",
            );
        }
    }
}

/// Checks a normalized document; `api` names it in messages.
pub fn validate(api: &str, doc: &Value, origins: &Origins) -> Result<()> {
    let mut c = Checker {
        api,
        doc,
        origins,
        found: Vec::new(),
    };
    check_schemas(&mut c);
    check_recursion(&mut c);
    ref_chains::check_ref_chains(&mut c);
    let mut operation_ids: BTreeMap<String, String> = BTreeMap::new();
    for (path, item) in doc.get("paths").and_then(Value::as_object).into_iter().flatten() {
        if item.get("$ref").is_some() {
            c.report(
                &pointer("/paths", path),
                None,
                "a path item that is a `$ref` is not supported".into(),
                "inline the path item",
            );
        }
    }
    for o in operations(doc)
        .into_iter()
        .filter(|o| o.item.get("$ref").is_none())
    {
        check_operation(&mut c, o.path, o.item, o.op, &o.pointer(), &mut operation_ids);
    }
    match Error::from_all(c.found) {
        Some(e) => Err(e),
        None => Ok(()),
    }
}

/// The schema types of OpenAPI 3.0; progenitor panics on any other.
const SCHEMA_TYPES: [&str; 6] = ["string", "number", "integer", "boolean", "object", "array"];

/// Every `$ref` must be local and point at something, every schema `type`
/// must be a 3.0 type, a `default` must be of its schema's type, `allOf`,
/// `oneOf` and `anyOf` must not be empty, and no schema may have both
/// `oneOf` and `anyOf`: progenitor panics on each. Data is not looked into
/// (examples, defaults, enums, extensions), and a property that is named
/// `$ref` is a property, not a reference: the document walk knows.
fn check_schemas(c: &mut Checker) {
    let doc = c.doc;
    document::walk(doc, Kind::Document, "", &mut |node, place| {
        if let Some(r) = node.get("$ref") {
            check_ref(c, r, &pointer(place.at, "$ref"), place.kind);
        }
        if place.kind == Kind::Schema
            && let Some(map) = node.as_object()
        {
            check_schema(c, map, place.at);
        }
    });
}

/// The checks of one schema object.
fn check_schema(c: &mut Checker, map: &serde_json::Map<String, Value>, at: &str) {
    // After normalize, a `type` is one string (3.1's and sloppy vendors'
    // lists are read before): anything else (`type: null`, found by `cargo
    // xtask fuzz`) made typify panic.
    let bad_type = match map.get("type") {
        Some(Value::String(t)) if !SCHEMA_TYPES.contains(&t.as_str()) => Some(t.clone()),
        Some(Value::String(_)) | None => None,
        Some(other) => Some(other.to_string()),
    };
    if let Some(t) = bad_type {
        c.report(
            &pointer(at, "type"),
            None,
            format!("`type: {t}` is not an OpenAPI 3.0 schema type"),
            "use string, number, integer, boolean, object or array (or `nullable: true` for null)",
        );
    }
    if let (Some(Value::String(t)), Some(default)) = (map.get("type"), map.get("default"))
        && !(default.is_null() && map.get("nullable") == Some(&Value::Bool(true)))
        && SCHEMA_TYPES.contains(&t.as_str())
        && !json_type_matches(default, t)
    {
        c.report(
            &pointer(at, "default"),
            None,
            format!("`default: {default}` is not a value of `type: {t}`"),
            "fix or remove the default in an overlay",
        );
    }
    for k in ["allOf", "oneOf", "anyOf"] {
        if map.get(k).and_then(Value::as_array).is_some_and(Vec::is_empty) {
            c.report(
                &pointer(at, k),
                None,
                format!("`{k}` must have at least one schema"),
                "remove the empty list in an overlay",
            );
        }
    }
    if map.contains_key("oneOf") && map.contains_key("anyOf") {
        c.report(
            at,
            None,
            "a schema with both `oneOf` and `anyOf` is not supported".into(),
            "wrap one of them in an `allOf` branch in an overlay, or keep one",
        );
    }
}

/// Recursion progenitor cannot take: it recurses until the stack overflows,
/// which aborts the process (there is no panic to catch).
///
/// - A component schema that contains itself through `$ref`, `allOf`,
///   `oneOf` and `anyOf` alone, never through a property or an item: a type
///   made of itself.
/// - An inline schema that merges (an `allOf` of several parts, or its own
///   `properties` beside a composition) a reference to the component that
///   holds it, directly or through other components. The same merge as a
///   component of its own is fine.
fn check_recursion(c: &mut Checker) {
    let doc = c.doc;
    let Some(Value::Object(schemas)) = doc.pointer("/components/schemas") else {
        return;
    };
    for (name, schema) in schemas {
        let at = pointer("/components/schemas", name);
        if contains_itself(doc, schema, &at, &mut BTreeSet::new()) {
            c.report(
                &at,
                None,
                format!("schema `{name}` contains itself through `$ref`, `allOf`, `oneOf` or `anyOf`, not through a property or an item"),
                "remove the self-reference in an overlay",
            );
        }
    }
    // The adapt stage hoists these into components of their own; one
    // left is reported.
    for (owner, inline) in crate::adapt::recursive_merges::find(doc) {
        c.report(
            &inline,
            None,
            format!("this inline schema merges a reference back to `{owner}`, which holds it"),
            "make the inline schema a component of its own in an overlay (update `components.schemas`, then `$ref` it here)",
        );
    }
}

/// Whether `v` reaches the schema at `target` through references and
/// composition alone.
fn contains_itself(doc: &Value, v: &Value, target: &str, seen: &mut BTreeSet<String>) -> bool {
    if let Some(r) = v.get("$ref").and_then(Value::as_str) {
        let Some(p) = r.strip_prefix('#') else {
            return false;
        };
        return p == target
            || (seen.insert(p.to_string())
                && doc
                    .pointer(p)
                    .is_some_and(|next| contains_itself(doc, next, target, seen)));
    }
    composition(v).any(|branch| contains_itself(doc, branch, target, seen))
}

/// A `$ref` must be local, point at something, and (after normalize has
/// copied every other target into its component map) name a whole
/// component of its kind: progenitor and typify resolve no other.
fn check_ref(c: &mut Checker, r: &Value, at: &str, kind: Kind) {
    match r.as_str() {
        Some(r) if r.starts_with('#') => {
            if ref_target(c.doc, r).is_none() {
                let help = dangling_ref_help(c.doc, r, at);
                c.report(at, None, format!("`$ref: {r}` points at nothing"), &help);
            } else if let Some(map) = kind.component_map()
                && !document::is_component(&r[1..], map)
            {
                let what = kind.noun();
                c.report(
                    at,
                    None,
                    format!("`$ref: {r}` is not a {what}: a {what} reference names one of components/{map}"),
                    &format!("point the `$ref` at a {what} under components/{map} in an overlay"),
                );
            }
        }
        Some(r) => c.report(
            at,
            None,
            format!("external reference `{r}` is not supported"),
            "copy the referenced file into the API folder as a fragment and use a local `#/...` reference",
        ),
        None => c.report(
            at,
            None,
            "`$ref` must be a string".into(),
            "write a JSON pointer such as #/components/schemas/Name",
        ),
    }
}

/// The overlay action that fixes a dangling `$ref` at `at`: define the
/// missing schema as any JSON, or (for what is not a component schema)
/// remove the object holding the reference.
fn dangling_ref_help(doc: &Value, r: &str, at: &str) -> String {
    let quote = |s: &str| serde_json::to_string(s).unwrap_or_default();
    let missing_schema = r
        .strip_prefix("#/components/schemas/")
        .filter(|name| !name.contains('/'))
        .map(document::unescape);
    let action = match missing_schema {
        Some(name) => {
            let (target, update) = match (doc.pointer("/components/schemas"), doc.get("components")) {
                (Some(_), _) => (
                    "$.components.schemas".to_string(),
                    format!("{{{}: {{}}}}", quote(&name)),
                ),
                (None, Some(_)) => (
                    "$.components".to_string(),
                    format!("{{schemas: {{{}: {{}}}}}}", quote(&name)),
                ),
                (None, None) => (
                    "$".to_string(),
                    format!("{{components: {{schemas: {{{}: {{}}}}}}}}", quote(&name)),
                ),
            };
            format!(
                "define it in an overlay (a .yaml file in the API folder starting `overlay: 1.0.0`), with the action `- {{target: {}, description: the vendor forgot this schema, update: {update}}}` (`{{}}` is any JSON; describe it if you know it)",
                quote(&target)
            )
        }
        None => {
            let holder = at.strip_suffix("/$ref").unwrap_or(at);
            format!(
                "remove it in an overlay (a .yaml file in the API folder starting `overlay: 1.0.0`), with the action `- {{target: {}, remove: true}}`",
                quote(&document::json_path(doc, holder))
            )
        }
    };
    format!(
        "{action}; or make every dangling reference any JSON with `dangling_refs = \"any\"` under `[policies]` in manifest.toml"
    )
}

fn check_operation(
    c: &mut Checker,
    path: &str,
    item: &Value,
    op: &Value,
    at: &str,
    ids: &mut BTreeMap<String, String>,
) {
    let method = crate::document::sent_method(op, at.rsplit('/').next().unwrap_or_default());
    let shown = format!("{method} {path}");
    let operation_id = op.get("operationId").and_then(Value::as_str);
    let name = operation_id.unwrap_or(&shown).to_string();
    match operation_id {
        None => c.report(
            at,
            Some(&shown),
            "the operation has no operationId".into(),
            "add one with an overlay action: `update: {operationId: someName}`",
        ),
        Some(id) if !is_identifier_source(id) => c.report(
            &pointer(at, "operationId"),
            Some(id),
            format!("operationId `{id}` gives no usable Rust method name"),
            "use letters, digits, `_`, `-`, `/` or `.`, starting with a letter",
        ),
        Some(id) => {
            if let Some(first) = ids.insert(crate::names::method_key(id), at.to_string()) {
                let first_file = c.origins.file_of(&first).to_string();
                c.report(
                    &pointer(at, "operationId"),
                    Some(id),
                    format!("operationId `{id}` is also used at {first_file}#{first}"),
                    "operationIds become method names and must be unique: rename one in an overlay",
                );
            }
        }
    }
    check_parameters(c, path, item, op, at, &name);
    if let Some(body) = op.get("requestBody") {
        check_request_body(c, body, &pointer(at, "requestBody"), &name);
    }
    check_responses(c, op, at, &name);
}

/// progenitor turns an operationId into a snake_case method name.
fn is_identifier_source(id: &str) -> bool {
    id.starts_with(|c: char| c.is_ascii_alphabetic())
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '/' | '.'))
}

fn check_parameters(c: &mut Checker, path: &str, item: &Value, op: &Value, at: &str, name: &str) {
    // Operation parameters override path-item ones with the same name and place.
    let mut params: BTreeMap<(String, String), (String, &Value)> = BTreeMap::new();
    for (owner, owner_at) in [
        (item, at.rsplit_once('/').map_or("", |p| p.0).to_string()),
        (op, at.to_string()),
    ] {
        if let Some(Value::Array(list)) = owner.get("parameters") {
            for (i, p) in list.iter().enumerate() {
                let p_at = format!("{owner_at}/parameters/{i}");
                let Some(p) = c.resolve(p) else { continue };
                let key = (
                    p.get("name")
                        .and_then(Value::as_str)
                        .unwrap_or_default()
                        .to_string(),
                    p.get("in")
                        .and_then(Value::as_str)
                        .unwrap_or_default()
                        .to_string(),
                );
                params.insert(key, (p_at, p));
            }
        }
    }
    let template = template_names(path);
    for t in &template {
        if !params.contains_key(&(t.clone(), "path".to_string())) {
            c.report(
                at,
                Some(name),
                format!("path template parameter `{{{t}}}` is never declared"),
                "declare it in `parameters` with `in: path` and `required: true`",
            );
        }
    }
    for ((pname, place), (p_at, p)) in &params {
        let style = p.get("style").and_then(Value::as_str);
        match place.as_str() {
            "path" => {
                if !template.contains(pname) {
                    c.report(
                        p_at,
                        Some(name),
                        format!("path parameter `{pname}` is not in the path template `{path}`"),
                        "remove the parameter or add it to the path",
                    );
                }
                if p.get("required") != Some(&Value::Bool(true)) {
                    c.report(
                        p_at,
                        Some(name),
                        format!("path parameter `{pname}` is not `required: true`"),
                        "OpenAPI requires path parameters to be required: set `required: true` in an overlay",
                    );
                }
                if style.is_some_and(|s| s != "simple") {
                    c.report(
                        p_at,
                        Some(name),
                        format!(
                            "path parameter style `{}` is not supported",
                            style.unwrap_or_default()
                        ),
                        "use the default style `simple`",
                    );
                }
            }
            "query" => {
                if style.is_some_and(|s| s != "form") {
                    c.report(
                        p_at,
                        Some(name),
                        format!(
                            "query parameter style `{}` is not supported",
                            style.unwrap_or_default()
                        ),
                        "use the default style `form`",
                    );
                }
            }
            "header" => {}
            "cookie" => c.report(
                p_at,
                Some(name),
                format!("cookie parameter `{pname}` is not supported"),
                "remove it in an overlay and set the cookie in the client crate's hooks",
            ),
            other => c.report(
                p_at,
                Some(name),
                format!("parameter `{pname}` has unknown location `in: {other}`"),
                "use path, query, header or cookie",
            ),
        }
        if p.get("schema").is_none() {
            c.report(
                p_at,
                Some(name),
                format!("parameter `{pname}` has no `schema`"),
                "describe the parameter with `schema` rather than `content`",
            );
        }
    }
}

fn check_request_body(c: &mut Checker, body: &Value, at: &str, name: &str) {
    let Some(body) = c.resolve(body) else { return };
    let Some(Value::Object(content)) = body.get("content") else {
        return;
    };
    if content.len() > 1 {
        let types: Vec<&String> = content.keys().collect();
        c.report(
            &pointer(at, "content"),
            Some(name),
            format!(
                "the request body has {} media types {types:?}; progenitor takes one",
                content.len()
            ),
            "keep one media type with an overlay `remove: true` action on the others",
        );
    }
    for (media, m) in content {
        let m_at = pointer(&pointer(at, "content"), media);
        if !REQUEST_MEDIA_TYPES.contains(&media_base(media)) {
            c.report(&m_at, Some(name), format!("request media type `{media}` is not supported"), "supported: application/json, application/x-www-form-urlencoded, application/octet-stream, text/plain");
        }
        if m.get("schema").is_none() {
            c.report(
                &m_at,
                Some(name),
                "the request media type has no `schema`".into(),
                "add a schema for the body",
            );
        }
        c.no_encoding(m, &m_at, name, "request");
    }
}

fn check_responses(c: &mut Checker, op: &Value, at: &str, name: &str) {
    let Some(Value::Object(responses)) = op.get("responses") else {
        c.report(
            at,
            Some(name),
            "the operation has no `responses`".into(),
            "declare at least one response",
        );
        return;
    };
    for (status, r) in responses {
        let r_at = pointer(&pointer(at, "responses"), status);
        let Some(r) = c.resolve(r) else { continue };
        if !is_status(status) {
            c.report(
                &r_at,
                Some(name),
                format!("`{status}` is not a status code"),
                "use a three-digit code, a range such as 4XX, or default",
            );
            continue;
        }
        if let Some((media, m)) = r.get("content").and_then(Value::as_object).and_then(|m| {
            m.iter()
                .find(|(k, _)| crate::progenitor_rules::is_progenitor_json(k))
        }) {
            let m_at = pointer(&pointer(&r_at, "content"), media);
            if m.get("schema").is_none() {
                c.report(
                    &m_at,
                    Some(name),
                    "a JSON response without a `schema`".into(),
                    "add `schema: {}` for any JSON, or a real schema",
                );
            }
            c.no_encoding(m, &m_at, name, "response");
        }
    }
    let ResponseGroups { success, errors } = group_responses(c.doc, responses);
    for (which, kinds) in [("success", success), ("error", errors)] {
        if kinds.len() > 1 {
            let listing: Vec<String> = kinds
                .iter()
                .map(|(k, s)| {
                    format!(
                        "{} -> {}",
                        s.iter().cloned().collect::<Vec<_>>().join(", "),
                        short(k)
                    )
                })
                .collect();
            c.report(
                &pointer(at, "responses"),
                Some(name),
                format!(
                    "{which} responses have different types ({}); progenitor needs one",
                    listing.join("; ")
                ),
                "give them one schema in an overlay (or one body-less response)",
            );
        }
    }
}

fn short(kind: &str) -> String {
    if kind.len() > 60 {
        format!(
            "{}...",
            &kind[..kind.char_indices().nth(57).map_or(kind.len(), |(i, _)| i)]
        )
    } else {
        kind.to_string()
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn check(doc: Value) -> String {
        match validate("t", &doc, &Origins::default()) {
            Ok(()) => String::new(),
            Err(e) => e.to_string(),
        }
    }

    fn op_doc(op: Value) -> Value {
        json!({"openapi": "3.0.3", "paths": {"/a/{id}": {"put": op}}, "components": {"schemas": {"A": {}, "B": {}}}})
    }

    fn id_param() -> Value {
        json!({"name": "id", "in": "path", "required": true, "schema": {"type": "string"}})
    }

    #[test]
    fn a_good_operation_passes() {
        assert_eq!(
            check(op_doc(
                json!({"operationId": "x", "parameters": [id_param()], "responses": {"200": {"description": ""}}})
            )),
            ""
        );
    }

    #[test]
    fn missing_operation_id() {
        let e = check(op_doc(json!({"parameters": [id_param()], "responses": {}})));
        assert!(
            e.contains(
                "#/paths/~1a~1{id}/put (api `t`, operation `PUT /a/{id}`): the operation has no operationId"
            ),
            "{e}"
        );
    }

    #[test]
    fn duplicate_operation_ids() {
        let doc = json!({"paths": {"/a": {"get": {"operationId": "x", "responses": {}}, "put": {"operationId": "x", "responses": {}}}}});
        assert!(check(doc).contains("is also used at"));
    }

    #[test]
    fn undeclared_and_extra_and_optional_path_parameters() {
        assert!(
            check(op_doc(json!({"operationId": "x", "responses": {}}))).contains("`{id}` is never declared")
        );
        let extra = json!({"name": "z", "in": "path", "required": true, "schema": {}});
        assert!(
            check(op_doc(
                json!({"operationId": "x", "parameters": [id_param(), extra], "responses": {}})
            ))
            .contains("not in the path template")
        );
        let optional = json!({"name": "id", "in": "path", "schema": {}});
        assert!(
            check(op_doc(
                json!({"operationId": "x", "parameters": [optional], "responses": {}})
            ))
            .contains("not `required: true`")
        );
    }

    #[test]
    fn cookie_and_styles_and_content_parameters() {
        let p = json!([id_param(), {"name": "c", "in": "cookie", "schema": {}}, {"name": "q", "in": "query", "style": "deepObject", "schema": {}}, {"name": "h", "in": "header", "content": {}}]);
        let e = check(op_doc(
            json!({"operationId": "x", "parameters": p, "responses": {}}),
        ));
        assert!(e.contains("cookie parameter"), "{e}");
        assert!(e.contains("deepObject"), "{e}");
        assert!(e.contains("has no `schema`"), "{e}");
    }

    #[test]
    fn request_bodies() {
        let two = json!({"content": {"application/json": {"schema": {}}, "text/plain": {"schema": {}}}});
        assert!(
            check(op_doc(
                json!({"operationId": "x", "parameters": [id_param()], "requestBody": two, "responses": {}})
            ))
            .contains("2 media types")
        );
        let multipart = json!({"content": {"multipart/form-data": {"schema": {}}}});
        assert!(check(op_doc(json!({"operationId": "x", "parameters": [id_param()], "requestBody": multipart, "responses": {}}))).contains("not supported"));
        let encoded = json!({"content": {"application/json": {"schema": {}, "encoding": {"a": {}}}}});
        assert!(check(op_doc(json!({"operationId": "x", "parameters": [id_param()], "requestBody": encoded, "responses": {}}))).contains("`encoding`"));
    }

    #[test]
    fn differently_typed_responses() {
        let json_a = json!({"description": "", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/A"}}}});
        let json_b = json!({"description": "", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/B"}}}});
        let empty = json!({"description": ""});
        let e = check(op_doc(
            json!({"operationId": "x", "parameters": [id_param()], "responses": {"200": json_a, "204": empty}}),
        ));
        assert!(
            e.contains("success responses have different types (200 -> A; 204 -> no body)"),
            "{e}"
        );
        let e = check(op_doc(
            json!({"operationId": "x", "parameters": [id_param()], "responses": {"403": empty, "422": json_b}}),
        ));
        assert!(e.contains("error responses have different types"), "{e}");
        // The same schema under several statuses is one type.
        assert_eq!(
            check(op_doc(
                json!({"operationId": "x", "parameters": [id_param()], "responses": {"200": json_a, "201": json_a, "400": json_b, "500": json_b}})
            )),
            ""
        );
    }

    #[test]
    fn json_response_without_schema_and_bad_status() {
        let r = json!({"description": "", "content": {"application/json": {}}});
        let e = check(op_doc(
            json!({"operationId": "x", "parameters": [id_param()], "responses": {"200": r, "2000": {"description": ""}}}),
        ));
        assert!(e.contains("without a `schema`"), "{e}");
        assert!(e.contains("`2000` is not a status code"), "{e}");
    }

    #[test]
    fn broken_and_external_refs() {
        let e = check(
            json!({"components": {"schemas": {"A": {"$ref": "#/components/schemas/Nope"}, "B": {"$ref": "other.json#/X"}}}}),
        );
        assert!(e.contains("#/components/schemas/A/$ref"), "{e}");
        assert!(e.contains("external reference"), "{e}");
    }

    /// The help of a dangling reference is an overlay action that, pasted
    /// into an overlay file, makes the document valid.
    #[test]
    fn the_help_of_a_dangling_ref_is_an_overlay_action_that_fixes_it() {
        let docs = [
            op_doc(
                json!({"operationId": "x", "parameters": [id_param()], "responses": {"200": {"description": "",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Gone"}}}}}}),
            ),
            json!({"openapi": "3.0.3", "paths": {"/a": {"get": {"operationId": "x", "responses": {"200": {"description": "",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Gone"}}}}}}}}}),
            op_doc(
                json!({"operationId": "x", "parameters": [id_param(), {"$ref": "#/components/parameters/Gone"}], "responses": {}}),
            ),
        ];
        for mut doc in docs {
            let e = check(doc.clone());
            assert!(e.contains("dangling_refs = \"any\""), "{e}");
            let action = e
                .split("action `")
                .nth(1)
                .and_then(|rest| rest.split('`').next())
                .unwrap_or_else(|| panic!("no action in {e}"));
            let overlay_text =
                format!("overlay: 1.0.0\ninfo: {{title: fix, version: '1'}}\nactions:\n  {action}\n");
            let overlay: Value = yaml_serde::from_str(&overlay_text).expect("the action is YAML");
            crate::overlay::apply(
                &mut doc,
                &crate::overlay::Overlay {
                    file: "fix.yaml".into(),
                    doc: overlay,
                },
            )
            .expect("the action applies");
            assert_eq!(check(doc), "", "after {action}");
        }
    }

    #[test]
    fn data_and_properties_named_ref_are_not_references() {
        let doc = json!({"components": {
            "schemas": {"A": {"type": "object", "properties": {"$ref": {"type": "string"}}, "example": {"$ref": "https://x"}}},
            "examples": {"E": {"value": {"members": [{"$ref": "https://api.example.com/Users/1"}]}}}
        }});
        assert_eq!(check(doc), "");
    }

    /// Each schema construct progenitor panics on is reported at its
    /// pointer, with what is wrong and what to do.
    #[test]
    fn schemas_progenitor_panics_on_are_reported() {
        let cases = [
            (
                json!({"type": "object", "properties": {"type": {"type": "null"}}}),
                "#/components/schemas/A/properties/type/type",
                "`type: null` is not an OpenAPI 3.0 schema type",
                "use string, number, integer, boolean, object or array (or `nullable: true` for null)",
            ),
            (
                json!({"type": "object", "properties": {"n": {"type": null, "format": "int64"}}}),
                "#/components/schemas/A/properties/n/type",
                "`type: null` is not an OpenAPI 3.0 schema type",
                "use string, number, integer, boolean, object or array (or `nullable: true` for null)",
            ),
            (
                json!({"type": "object", "properties": {"n": {"type": "integer", "default": "1"}}}),
                "#/components/schemas/A/properties/n/default",
                "`default: \"1\"` is not a value of `type: integer`",
                "fix or remove the default in an overlay",
            ),
            (
                json!({"allOf": []}),
                "#/components/schemas/A/allOf",
                "`allOf` must have at least one schema",
                "remove the empty list in an overlay",
            ),
            (
                json!({"oneOf": [{"type": "string"}], "anyOf": [{"type": "integer"}]}),
                "#/components/schemas/A",
                "a schema with both `oneOf` and `anyOf` is not supported",
                "wrap one of them in an `allOf` branch in an overlay, or keep one",
            ),
        ];
        for (schema, at, message, help) in cases {
            assert_eq!(
                check(json!({"components": {"schemas": {"A": schema}}})),
                format!("error: {at} (api `t`): {message}\n  help: {help}")
            );
        }
    }

    #[test]
    fn what_looks_like_those_but_is_fine_is_not_reported() {
        let doc = json!({"components": {
            "schemas": {"A": {"type": "object", "properties": {
                "m": {"type": "integer", "default": null, "nullable": true},
                "s": {"type": "string", "default": "x"},
                "o": {"oneOf": [{"type": "string"}], "allOf": [{"anyOf": [{"type": "integer"}]}]}
            }}},
            "securitySchemes": {"key": {"type": "apiKey", "name": "k", "in": "header"}}
        }});
        assert_eq!(check(doc), "");
    }

    #[test]
    fn a_schema_made_of_itself_is_reported_and_recursion_through_a_property_is_not() {
        let cycle = |a: Value| {
            check(json!({"components": {"schemas": {
                "A": a,
                "B": {"type": "object", "properties": {"b": {"type": "string"}}, "allOf": [{"$ref": "#/components/schemas/A"}]}
            }}}))
        };
        assert_eq!(
            cycle(
                json!({"type": "object", "properties": {"id": {"type": "string"}}, "oneOf": [{"$ref": "#/components/schemas/B"}]})
            ),
            "error: #/components/schemas/A (api `t`): schema `A` contains itself through `$ref`, `allOf`, `oneOf` or `anyOf`, not through a property or an item\n  help: remove the self-reference in an overlay\nerror: #/components/schemas/B (api `t`): schema `B` contains itself through `$ref`, `allOf`, `oneOf` or `anyOf`, not through a property or an item\n  help: remove the self-reference in an overlay"
        );
        assert_eq!(
            cycle(json!({"type": "object", "properties": {"next": {"$ref": "#/components/schemas/B"}}})),
            ""
        );
    }

    #[test]
    fn an_inline_merge_of_the_schema_that_holds_it_is_reported_and_a_named_one_is_not() {
        let extra = json!({"type": "object", "properties": {"x": {"type": "string"}}});
        let merge = json!({"allOf": [{"$ref": "#/components/schemas/A"}, extra]});
        let inline = json!({"components": {"schemas": {
            "A": {"type": "object", "properties": {"children": {"type": "array", "items": merge}}}
        }}});
        assert_eq!(
            check(inline),
            "error: #/components/schemas/A/properties/children/items (api `t`): this inline schema merges a reference back to `A`, which holds it\n  help: make the inline schema a component of its own in an overlay (update `components.schemas`, then `$ref` it here)"
        );
        let named = json!({"components": {"schemas": {
            "A": {"type": "object", "properties": {"children": {"type": "array", "items": {"$ref": "#/components/schemas/B"}}}},
            "B": merge
        }}});
        assert_eq!(check(named), "");
    }

    #[test]
    fn every_problem_is_reported_at_once() {
        let doc = json!({"paths": {"/a": {"get": {"responses": {}}, "put": {"responses": {}}}}});
        assert_eq!(
            validate("t", &doc, &Origins::default())
                .unwrap_err()
                .diagnostics()
                .len(),
            2
        );
    }

    #[test]
    fn refs_under_properties_named_like_keywords_are_checked_and_data_is_not() {
        let broken = json!({"$ref": "#/components/schemas/Nope"});
        let doc = json!({"components": {"schemas": {"A": {
            "type": "object",
            "properties": {"default": broken, "enum": broken, "example": broken, "$ref": broken},
            "default": broken,
            "example": broken
        }}}});
        let e = check(doc);
        for name in ["default", "enum", "example", "$ref"] {
            assert!(
                e.contains(&format!("#/components/schemas/A/properties/{name}/$ref")),
                "{name}: {e}"
            );
        }
        assert_eq!(e.matches("points at nothing").count(), 4, "{e}");
    }
}
