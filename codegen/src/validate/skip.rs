//! Under `unsupported = "skip"`, operations that validation still refuses
//! after the adapt stage are left out of the client, each listed with its
//! reasons. Problems outside any operation stay errors.

use std::collections::BTreeMap;

use serde_json::Value;

use super::validate;
use crate::document::{METHODS, operation_pointer, segments, unescape};
use crate::error::{Diagnostic, Error, Place, Result};
use crate::merge::Origins;

/// An operation left out of the client.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    /// `METHOD /path`, with the operationId when there is one.
    pub operation: String,
    /// Why, one line per problem.
    pub reasons: Vec<String>,
}

/// The operation a pointer is inside: `/paths/<path>/<method>`.
fn operation_of(pointer: &str) -> Option<String> {
    match segments(pointer).as_slice() {
        [paths, path, method, ..] if paths == "paths" && METHODS.contains(&method.as_str()) => {
            Some(operation_pointer(path, method))
        }
        _ => None,
    }
}

/// Validates; with `skip`, removes the operations that fail and validates
/// what is left.
pub fn validate_or_skip(api: &str, doc: &mut Value, origins: &Origins, skip: bool) -> Result<Vec<Skipped>> {
    let err = match validate(api, doc, origins) {
        Ok(()) => return Ok(Vec::new()),
        Err(e) if !skip => return Err(e),
        Err(e) => e,
    };
    let mut by_operation: BTreeMap<String, Vec<&Diagnostic>> = BTreeMap::new();
    let mut fatal = Vec::new();
    for d in err.diagnostics() {
        match &d.place {
            Place::Pointer(p) => match operation_of(p) {
                Some(op) => by_operation.entry(op).or_default().push(d),
                None => fatal.push(d.clone()),
            },
            _ => fatal.push(d.clone()),
        }
    }
    if let Some(e) = Error::from_all(fatal) {
        return Err(e);
    }
    let mut skipped = Vec::new();
    for (op_pointer, diagnostics) in by_operation {
        let Some((item_pointer, method)) = op_pointer.rsplit_once('/') else {
            continue;
        };
        let path = unescape(item_pointer.trim_start_matches("/paths/"));
        let op = doc.pointer(&op_pointer).cloned().unwrap_or_default();
        let id = op.get("operationId").and_then(Value::as_str);
        let sent = crate::document::sent_method(&op, method);
        let operation = match id {
            Some(id) => format!("{sent} {path} ({id})"),
            None => format!("{sent} {path}"),
        };
        if let Some(Value::Object(item)) = doc.pointer_mut(item_pointer) {
            item.remove(method);
        }
        skipped.push(Skipped {
            operation,
            reasons: diagnostics.iter().map(|d| d.message.clone()).collect(),
        });
    }
    validate(api, doc, origins)?;
    Ok(skipped)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn doc() -> Value {
        json!({"openapi": "3.0.3", "paths": {
            "/ok": {"get": {"operationId": "ok", "responses": {}}},
            "/bad/{id}": {"get": {"operationId": "bad", "responses": {}}}
        }})
    }

    #[test]
    fn skip_leaves_out_the_failing_operation_with_its_reason() {
        let mut d = doc();
        let skipped = validate_or_skip("t", &mut d, &Origins::default(), true).unwrap();
        assert_eq!(skipped.len(), 1);
        assert_eq!(skipped[0].operation, "GET /bad/{id} (bad)");
        assert!(
            skipped[0].reasons[0].contains("`{id}` is never declared"),
            "{skipped:?}"
        );
        assert!(d.pointer("/paths/~1ok/get").is_some());
        assert!(d.pointer("/paths/~1bad~1{id}/get").is_none());
    }

    #[test]
    fn without_skip_it_is_an_error_and_nothing_changes() {
        let mut d = doc();
        assert!(validate_or_skip("t", &mut d, &Origins::default(), false).is_err());
        assert_eq!(d, doc());
    }

    #[test]
    fn problems_outside_operations_stay_fatal() {
        let mut d = json!({"components": {"schemas": {"A": {"$ref": "#/nowhere"}}}});
        assert!(validate_or_skip("t", &mut d, &Origins::default(), true).is_err());
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
    }
}
