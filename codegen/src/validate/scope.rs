//! An error costs only its scope. Validation's diagnostics are each mapped
//! to the smallest part of the document that holds them, and that part is
//! dropped with a note, so that the API generates the rest:
//!
//! - a schema (a component's, or one inline in an operation) becomes any
//!   JSON (`serde_json::Value`);
//! - an operation is left out, listed with its reasons;
//! - a path item's problem costs its operations, and a problem in another
//!   component (a parameter, a response, ...) costs the operations that
//!   use it.
//!
//! Only what is outside all of these refuses the API. A schema already made
//! any JSON that still fails costs its operation instead. Under the
//! `strict` policy (or `--strict`) every diagnostic refuses the API, as
//! before.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::validate;
use crate::document::{self, Kind, METHODS, operation_pointer, segments, unescape};
use crate::error::{Error, Place, Result};
use crate::merge::Origins;

/// An operation left out of the client.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    /// `METHOD /path`, with the operationId when there is one.
    pub operation: String,
    /// Why, one line per problem.
    pub reasons: Vec<String>,
}

/// What scoping dropped.
#[derive(Debug, Default)]
pub struct Scoped {
    /// The operations left out.
    pub skipped: Vec<Skipped>,
    /// One line per schema made any JSON, `#/pointer: why`.
    pub notes: Vec<String>,
}

/// How many times scoping validates again before it gives up: each round
/// drops what the last one found, and a dropped schema can fail only as
/// its operation's.
const ROUNDS: usize = 4;

/// The operation a pointer is inside: `/paths/<path>/<method>`, or, in a
/// document not normalized yet, OpenAPI 3.2's `query` and
/// `additionalOperations/<method>`.
fn operation_of(pointer: &str) -> Option<String> {
    match segments(pointer).as_slice() {
        [paths, path, method, ..]
            if paths == "paths" && (METHODS.contains(&method.as_str()) || method == "query") =>
        {
            Some(operation_pointer(path, method))
        }
        [paths, path, extra, method, ..] if paths == "paths" && extra == "additionalOperations" => {
            Some(document::pointer(&operation_pointer(path, extra), method))
        }
        _ => None,
    }
}

/// Runs a stage that refuses a whole document (normalize) so that its
/// errors cost only their operations: unless `strict`, the operations its
/// diagnostics are inside are removed from `doc` and the stage runs again,
/// at most [`ROUNDS`] times. Returns its output and what was left out.
pub fn scope_stage<T>(
    mut doc: Value,
    strict: bool,
    mut stage: impl FnMut(Value) -> Result<T>,
) -> Result<(T, Vec<Skipped>)> {
    let mut skipped = Vec::new();
    for _ in 0..ROUNDS {
        let err = match stage(doc.clone()) {
            Ok(out) => return Ok((out, skipped)),
            Err(e) if strict => return Err(e),
            Err(e) => e,
        };
        let mut by_operation: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for d in err.diagnostics() {
            match &d.place {
                Place::Pointer(at) => match operation_of(at) {
                    Some(op) => by_operation
                        .entry(op)
                        .or_default()
                        .push(format!("#{at}: {}", d.message)),
                    None => return Err(err),
                },
                _ => return Err(err),
            }
        }
        for (op_pointer, reasons) in by_operation {
            match remove_operation(&mut doc, &op_pointer, reasons) {
                Some(s) => skipped.push(s),
                None => return Err(err),
            }
        }
    }
    stage(doc).map(|out| (out, skipped))
}

/// Whether `pointer` is `prefix` or inside it.
fn within(pointer: &str, prefix: &str) -> bool {
    pointer == prefix || pointer.starts_with(prefix) && pointer[prefix.len()..].starts_with('/')
}

/// Validates; unless `strict`, drops the scope of each problem found and
/// validates what is left, until nothing is found.
pub fn validate_scoped(api: &str, doc: &mut Value, origins: &Origins, strict: bool) -> Result<Scoped> {
    let mut scoped = Scoped::default();
    let mut neutralized: BTreeSet<String> = BTreeSet::new();
    for _ in 0..ROUNDS {
        let err = match validate(api, doc, origins) {
            Ok(()) => return Ok(scoped),
            Err(e) if strict => return Err(e),
            Err(e) => e,
        };
        let schemas = schema_pointers(doc);
        let mut by_operation: BTreeMap<String, Vec<String>> = BTreeMap::new();
        let mut to_neutralize: BTreeMap<String, String> = BTreeMap::new();
        let mut unused: BTreeMap<String, String> = BTreeMap::new();
        let mut fatal = Vec::new();
        for d in err.diagnostics() {
            let Place::Pointer(at) = &d.place else {
                fatal.push(d.clone());
                continue;
            };
            // The innermost schema holding it, unless that one is any JSON
            // already.
            let schema = schemas
                .iter()
                .filter(|s| within(at, s))
                .max_by_key(|s| s.len())
                .filter(|s| !neutralized.iter().any(|n| within(s, n)));
            if let Some(schema) = schema {
                to_neutralize
                    .entry(schema.clone())
                    .or_insert_with(|| d.message.clone());
                continue;
            }
            let operations = match operation_of(at) {
                Some(op) => vec![op],
                None => operations_reaching(doc, at),
            };
            if operations.is_empty() {
                // Nothing generated uses it: a path item that is a `$ref`,
                // or an unused component, is left out as a whole.
                match unused_part(at) {
                    Some(part) => {
                        unused.entry(part).or_insert_with(|| d.message.clone());
                    }
                    None => fatal.push(d.clone()),
                }
            }
            for op in operations {
                by_operation
                    .entry(op)
                    .or_default()
                    .push(format!("#{at}: {}", d.message));
            }
        }
        if let Some(e) = Error::from_all(fatal) {
            return Err(e);
        }
        for (at, why) in to_neutralize {
            if let Some(schema) = doc.pointer_mut(&at) {
                *schema = Value::Object(serde_json::Map::new());
            }
            scoped
                .notes
                .push(format!("#{at}: {why}: any JSON (`serde_json::Value`)"));
            neutralized.insert(at);
        }
        for (op_pointer, reasons) in by_operation {
            if let Some(skipped) = remove_operation(doc, &op_pointer, reasons) {
                scoped.skipped.push(skipped);
            }
        }
        for (at, why) in unused {
            if remove(doc, &at) {
                scoped
                    .notes
                    .push(format!("#{at}: {why}: left out, as no operation kept uses it"));
            }
        }
    }
    // The last round's drops, checked once more: what is left now is an
    // error.
    validate(api, doc, origins)?;
    Ok(scoped)
}

/// Every schema's pointer (objects and boolean schemas alike).
fn schema_pointers(doc: &Value) -> Vec<String> {
    let mut found = Vec::new();
    document::walk(doc, Kind::Document, "", &mut |_, node| {
        if node.kind == Kind::Schema {
            found.push(node.at.to_string());
        }
    });
    found
}

/// The operations whose problem one at `at` outside any operation is: the
/// operations of the path item it is in, or those that reach, through
/// `$ref`s, the component it is in.
fn operations_reaching(doc: &Value, at: &str) -> Vec<String> {
    let parts = segments(at);
    let ops = document::operations(doc);
    match parts.as_slice() {
        [paths, path, ..] if paths == "paths" => ops
            .iter()
            .filter(|o| o.path == path.as_str())
            .map(document::Operation::pointer)
            .collect(),
        [components, kind, name, ..] if components == "components" => {
            let component = format!(
                "/components/{}/{}",
                document::escape(kind),
                document::escape(name)
            );
            ops.iter()
                .filter(|o| {
                    let mut seen = BTreeSet::new();
                    reaches(doc, o.op, &component, &mut seen)
                        || o.item
                            .get("parameters")
                            .is_some_and(|p| reaches(doc, p, &component, &mut seen))
                })
                .map(document::Operation::pointer)
                .collect()
        }
        _ => Vec::new(),
    }
}

/// Whether `v`, through local `$ref`s, reaches the object at `target`.
fn reaches(doc: &Value, v: &Value, target: &str, seen: &mut BTreeSet<String>) -> bool {
    match v {
        Value::Object(map) => map.iter().any(|(key, value)| match (key.as_str(), value) {
            ("$ref", Value::String(r)) => {
                let Some(to) = r.strip_prefix('#') else {
                    return false;
                };
                if within(to, target) {
                    return true;
                }
                seen.insert(to.to_string())
                    && document::ref_target(doc, r).is_some_and(|t| reaches(doc, t, target, seen))
            }
            _ => reaches(doc, value, target, seen),
        }),
        Value::Array(items) => items.iter().any(|i| reaches(doc, i, target, seen)),
        _ => false,
    }
}

/// The part to leave out for a problem at `at` that no operation has: the
/// path item (a `$ref` one has no operations), or the component.
fn unused_part(at: &str) -> Option<String> {
    let parts = segments(at);
    let kept = match parts.first().map(String::as_str) {
        Some("paths") => 2,
        Some("components") => 3,
        _ => return None,
    };
    (parts.len() >= kept).then(|| {
        parts[..kept]
            .iter()
            .fold(String::new(), |p, s| document::pointer(&p, s))
    })
}

/// Removes the member at `at` from the object holding it.
fn remove(doc: &mut Value, at: &str) -> bool {
    let Some((parent, key)) = at.rsplit_once('/') else {
        return false;
    };
    match doc.pointer_mut(parent) {
        Some(Value::Object(map)) => map.remove(&unescape(key)).is_some(),
        _ => false,
    }
}

/// Removes the operation at `op_pointer` (and its path item when it was the
/// last one), and says what it was and why.
pub(crate) fn remove_operation(doc: &mut Value, op_pointer: &str, reasons: Vec<String>) -> Option<Skipped> {
    let (holder, method) = op_pointer.rsplit_once('/')?;
    // A 3.2 `additionalOperations` member is sent as its name.
    let (item_pointer, sent_as) = match holder.strip_suffix("/additionalOperations") {
        Some(item) => (item, Some(unescape(method))),
        None => (holder, None),
    };
    let path = unescape(item_pointer.trim_start_matches("/paths/"));
    let op = doc.pointer(op_pointer)?.clone();
    let id = op.get("operationId").and_then(Value::as_str);
    let sent = sent_as.unwrap_or_else(|| document::sent_method(&op, method));
    let operation = match id {
        Some(id) => format!("{sent} {path} ({id})"),
        None => format!("{sent} {path}"),
    };
    remove(doc, op_pointer);
    if let Some(Value::Object(item)) = doc.pointer_mut(item_pointer) {
        if item
            .get("additionalOperations")
            .is_some_and(|a| a.as_object().is_some_and(serde_json::Map::is_empty))
        {
            item.remove("additionalOperations");
        }
        let operations = ["query", "additionalOperations"];
        if !item
            .keys()
            .any(|k| METHODS.contains(&k.as_str()) || operations.contains(&k.as_str()))
        {
            remove(doc, item_pointer);
        }
    }
    Some(Skipped { operation, reasons })
}
#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::error::Diagnostic;

    fn doc() -> Value {
        json!({"openapi": "3.0.3", "paths": {
            "/ok": {"get": {"operationId": "ok", "responses": {}}},
            "/bad/{id}": {"get": {"operationId": "bad", "responses": {}}}
        }})
    }

    #[test]
    fn a_failing_operation_is_left_out_with_its_reason() {
        let mut d = doc();
        let scoped = validate_scoped("t", &mut d, &Origins::default(), false).unwrap();
        assert_eq!(scoped.skipped.len(), 1);
        assert_eq!(scoped.skipped[0].operation, "GET /bad/{id} (bad)");
        assert_eq!(
            scoped.skipped[0].reasons,
            ["#/paths/~1bad~1{id}/get: path template parameter `{id}` is never declared"],
            "{scoped:?}"
        );
        assert!(d.pointer("/paths/~1ok/get").is_some());
        // Its path item had nothing else: it is gone too.
        assert!(d.pointer("/paths/~1bad~1{id}").is_none());
    }

    #[test]
    fn strict_refuses_and_changes_nothing() {
        let mut d = doc();
        let err = validate_scoped("t", &mut d, &Origins::default(), true).unwrap_err();
        assert_eq!(err.diagnostics().len(), 1);
        assert_eq!(
            err.diagnostics()[0].message,
            "path template parameter `{id}` is never declared"
        );
        assert_eq!(d, doc());
    }

    #[test]
    fn a_broken_component_schema_becomes_any_json_and_its_operation_stays() {
        let mut d = json!({"openapi": "3.0.3",
            "paths": {"/a": {"get": {"operationId": "a", "responses": {"200": {"description": "", "content": {
                "application/json": {"schema": {"$ref": "#/components/schemas/A"}}}}}}}},
            "components": {"schemas": {
                "A": {"type": "object", "properties": {"b": {"$ref": "#/nowhere"}, "c": {"type": "string"}}}}}});
        let scoped = validate_scoped("t", &mut d, &Origins::default(), false).unwrap();
        assert!(scoped.skipped.is_empty(), "{scoped:?}");
        assert_eq!(
            scoped.notes,
            [
                "#/components/schemas/A/properties/b: `$ref: #/nowhere` points at nothing: any JSON (`serde_json::Value`)"
            ]
        );
        assert_eq!(d.pointer("/components/schemas/A/properties/b"), Some(&json!({})));
        assert_eq!(
            d.pointer("/components/schemas/A/properties/c"),
            Some(&json!({"type": "string"}))
        );
    }

    #[test]
    fn a_broken_component_parameter_costs_the_operations_that_use_it() {
        let mut d = json!({"openapi": "3.0.3",
            "paths": {
                "/a": {"get": {"operationId": "a", "parameters": [{"$ref": "#/components/parameters/P"}], "responses": {}}},
                "/b": {"get": {"operationId": "b", "responses": {}}}},
            "components": {"parameters": {"P": {"name": "p", "in": "query", "content": {}}},
                "headers": {"Unused": {"content": {}}}}});
        let err = validate("t", &d, &Origins::default()).unwrap_err();
        let scoped = validate_scoped("t", &mut d, &Origins::default(), false).unwrap();
        assert_eq!(
            scoped
                .skipped
                .iter()
                .map(|s| s.operation.as_str())
                .collect::<Vec<_>>(),
            ["GET /a (a)"],
            "{err}"
        );
        assert!(d.pointer("/paths/~1b/get").is_some());
    }

    #[test]
    fn what_no_operation_uses_is_left_out_and_the_root_stays_fatal() {
        let mut d = json!({"openapi": "3.0.3", "paths": {"/p": {"$ref": "#/x"}}});
        let scoped = validate_scoped("t", &mut d, &Origins::default(), false).unwrap();
        assert_eq!(scoped.notes.len(), 1, "{scoped:?}");
        assert!(scoped.notes[0].starts_with("#/paths/~1p: "), "{scoped:?}");
        assert!(d.pointer("/paths/~1p").is_none());
        assert_eq!(
            unused_part("/components/schemas/A/properties/x").as_deref(),
            Some("/components/schemas/A")
        );
        assert_eq!(unused_part("/info/title"), None);
    }

    /// A stage that refuses a whole document (normalize) loses the
    /// operations its errors are in, 3.2's `additionalOperations` too, and
    /// runs again; under strict, or for an error outside any operation, it
    /// refuses.
    #[test]
    fn a_stage_error_costs_its_operation() {
        let doc = json!({"paths": {
            "/a": {"get": {"operationId": "a"}, "additionalOperations": {"PURGE ALL": {"operationId": "p"}}},
            "/b": {"get": {"operationId": "b"}}
        }});
        let stage = |d: Value| -> Result<Value> {
            let bad: Vec<Diagnostic> = [
                ("/paths/~1a/get", "bad get"),
                ("/paths/~1a/additionalOperations/PURGE ALL", "bad method"),
            ]
            .into_iter()
            .filter(|(at, _)| d.pointer(at).is_some())
            .map(|(at, why)| Diagnostic::at("f", at, why))
            .collect();
            Error::from_all(bad).map_or(Ok(d), Err)
        };
        let (out, skipped) = scope_stage(doc.clone(), false, stage).expect("the rest");
        assert_eq!(out, json!({"paths": {"/b": {"get": {"operationId": "b"}}}}));
        let shown: Vec<(&str, &str)> = skipped
            .iter()
            .map(|s| (s.operation.as_str(), s.reasons[0].as_str()))
            .collect();
        assert_eq!(
            shown,
            [
                (
                    "PURGE ALL /a (p)",
                    "#/paths/~1a/additionalOperations/PURGE ALL: bad method"
                ),
                ("GET /a (a)", "#/paths/~1a/get: bad get"),
            ]
        );
        assert!(scope_stage(doc.clone(), true, stage).is_err());
        let outside = |_: Value| -> Result<Value> { Err(Diagnostic::at("f", "/info", "no").into()) };
        assert!(scope_stage(doc, false, outside).is_err());
    }

    #[test]
    fn pointers_map_to_their_operation() {
        assert_eq!(
            operation_of("/paths/~1a/put/responses/200").as_deref(),
            Some("/paths/~1a/put")
        );
        assert_eq!(operation_of("/paths/~1a/put").as_deref(), Some("/paths/~1a/put"));
        assert_eq!(operation_of("/paths/~1a/parameters/0"), None);
        assert_eq!(operation_of("/components/schemas/A"), None);
        assert!(within("/a/b", "/a") && within("/a", "/a") && !within("/ab", "/a"));
    }
}
