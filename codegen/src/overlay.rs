//! Overlay stage: applies OpenAPI Overlay 1.0 documents (our fixes and
//! additions) to the merged vendor document, which itself is never edited.

use serde_json::{Map, Value};

use crate::error::{Diagnostic, Result};
use crate::jsonpath::{self, JsonPath, Seg};

/// One overlay file.
#[derive(Debug, Clone)]
pub struct Overlay {
    /// The file, as shown in messages.
    pub file: String,
    /// Its content.
    pub doc: Value,
}

/// Applies every action of the overlay to `doc`, in order. A target that
/// matches nothing is an error: it means the vendor's document changed under
/// our fix, and someone must look.
pub fn apply(doc: &mut Value, overlay: &Overlay) -> Result<()> {
    let file = overlay.file.as_str();
    let root = overlay
        .doc
        .as_object()
        .ok_or_else(|| Diagnostic::at(file, "", "an overlay must be an object"))?;
    match root.get("overlay").and_then(Value::as_str) {
        Some(v) if v.starts_with("1.") => {}
        Some(v) => {
            return Err(Diagnostic::at(
                file,
                "/overlay",
                format!("overlay version `{v}` is not supported"),
            )
            .help("use `overlay: 1.0.0`")
            .into());
        }
        None => {
            return Err(Diagnostic::at(
                file,
                "/overlay",
                "`overlay` must be a version string such as 1.0.0",
            )
            .into());
        }
    }
    if let Some(extra) = root
        .keys()
        .find(|k| !matches!(k.as_str(), "overlay" | "info" | "extends" | "actions") && !k.starts_with("x-"))
    {
        return Err(Diagnostic::at(
            file,
            crate::error::pointer("", extra),
            format!("unknown overlay key `{extra}`"),
        )
        .help("an Overlay 1.0 document has only overlay, info, extends, actions and x- extensions")
        .into());
    }
    let actions = root.get("actions").and_then(Value::as_array).ok_or_else(|| {
        Diagnostic::at(file, "/actions", "`actions` must be a list")
            .help("add `actions:` with at least one action")
    })?;
    for (i, action) in actions.iter().enumerate() {
        apply_action(doc, action, file, &format!("/actions/{i}"))?;
    }
    Ok(())
}

fn apply_action(doc: &mut Value, action: &Value, file: &str, at: &str) -> Result<()> {
    let Some(action) = action.as_object() else {
        return Err(Diagnostic::at(file, at, "an action must be an object").into());
    };
    if let Some(extra) = action.keys().find(|k| {
        !matches!(k.as_str(), "target" | "description" | "update" | "remove") && !k.starts_with("x-")
    }) {
        return Err(Diagnostic::at(
            file,
            crate::error::pointer(at, extra),
            format!("unknown action key `{extra}`"),
        )
        .help("an action has target, description, update and remove")
        .into());
    }
    let target = action.get("target").and_then(Value::as_str).ok_or_else(|| {
        Diagnostic::at(
            file,
            format!("{at}/target"),
            "an action needs a `target` JSONPath string",
        )
    })?;
    let path = JsonPath::parse(target).map_err(|e| {
        Diagnostic::at(
            file,
            format!("{at}/target"),
            format!("invalid JSONPath `{target}`: {e}"),
        )
        .help("targets support $, .name, ['name'], .*, [*], [N] and [?(@.a == 'v')]")
    })?;
    let remove = match action.get("remove") {
        None => false,
        Some(Value::Bool(b)) => *b,
        Some(_) => {
            return Err(
                Diagnostic::at(file, format!("{at}/remove"), "`remove` must be true or false").into(),
            );
        }
    };
    let update = action.get("update");
    if remove == update.is_some() {
        return Err(Diagnostic::at(
            file,
            at,
            "an action needs exactly one of `update` or `remove: true`",
        )
        .into());
    }
    let mut locations = path.select(doc);
    if locations.is_empty() {
        return Err(Diagnostic::at(
            file,
            format!("{at}/target"),
            format!("target `{target}` matches nothing in the document"),
        )
        .help("the vendor's document may have changed: fix the target or drop the action")
        .into());
    }
    if remove {
        // Remove deepest and last first, so earlier array indices stay valid.
        locations.sort();
        for loc in locations.iter().rev() {
            remove_at(doc, loc);
        }
    } else if let Some(update) = update {
        for loc in &locations {
            if let Some(node) = jsonpath::get_mut(doc, loc) {
                merge_update(node, update.clone());
            }
        }
    }
    Ok(())
}

fn remove_at(doc: &mut Value, loc: &[Seg]) {
    let Some((last, parent)) = loc.split_last() else {
        *doc = Value::Null;
        return;
    };
    match (jsonpath::get_mut(doc, parent), last) {
        (Some(Value::Object(m)), Seg::Key(k)) => {
            m.remove(k);
        }
        (Some(Value::Array(a)), Seg::Index(i)) if *i < a.len() => {
            a.remove(*i);
        }
        _ => {}
    }
}

/// Overlay 1.0 update semantics: objects merge recursively, an array target
/// gets the update appended, anything else is replaced.
pub fn merge_update(node: &mut Value, update: Value) {
    match (node, update) {
        (Value::Object(dst), Value::Object(src)) => merge_objects(dst, src),
        (Value::Array(dst), Value::Array(src)) => dst.extend(src),
        (Value::Array(dst), other) => dst.push(other),
        (node, other) => *node = other,
    }
}

fn merge_objects(dst: &mut Map<String, Value>, src: Map<String, Value>) {
    for (k, v) in src {
        match dst.get_mut(&k) {
            Some(existing @ Value::Object(_)) if v.is_object() => merge_update(existing, v),
            _ => {
                dst.insert(k, v);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn overlay(actions: Value) -> Overlay {
        Overlay {
            file: "overlay.yaml".into(),
            doc: json!({"overlay": "1.0.0", "info": {"title": "t", "version": "1"}, "actions": actions}),
        }
    }

    #[test]
    fn update_merges_objects_and_replaces_scalars() {
        let mut doc = json!({"paths": {"/a": {"put": {"summary": "old", "x": {"keep": 1}}}}});
        apply(&mut doc, &overlay(json!([{"target": "$.paths['/a'].put", "update": {"operationId": "op", "summary": "new", "x": {"add": 2}}}]))).unwrap();
        assert_eq!(
            doc,
            json!({"paths": {"/a": {"put": {"summary": "new", "operationId": "op", "x": {"keep": 1, "add": 2}}}}})
        );
    }

    #[test]
    fn update_appends_to_arrays() {
        let mut doc = json!({"tags": [{"name": "a"}]});
        apply(
            &mut doc,
            &overlay(json!([{"target": "$.tags", "update": {"name": "b"}}])),
        )
        .unwrap();
        assert_eq!(doc, json!({"tags": [{"name": "a"}, {"name": "b"}]}));
    }

    #[test]
    fn remove_deletes_every_match() {
        let mut doc = json!({"p": [{"n": "a"}, {"n": "b"}, {"n": "a"}]});
        apply(
            &mut doc,
            &overlay(json!([{"target": "$.p[?(@.n == 'a')]", "remove": true}])),
        )
        .unwrap();
        assert_eq!(doc, json!({"p": [{"n": "b"}]}));
    }

    #[test]
    fn a_target_matching_nothing_is_an_error_with_its_pointer() {
        let mut doc = json!({});
        let err = apply(
            &mut doc,
            &overlay(json!([{"target": "$.paths['/gone'].put", "update": {}}])),
        )
        .unwrap_err();
        assert!(
            err.to_string().contains("overlay.yaml#/actions/0/target"),
            "{err}"
        );
        assert!(err.to_string().contains("matches nothing"), "{err}");
    }

    #[test]
    fn malformed_actions_are_errors() {
        let mut doc = json!({"a": 1});
        assert!(apply(&mut doc, &overlay(json!([{"target": "$.a"}]))).is_err());
        assert!(
            apply(
                &mut doc,
                &overlay(json!([{"target": "$.a", "update": 1, "remove": true}]))
            )
            .is_err()
        );
        assert!(apply(&mut doc, &overlay(json!([{"target": "$.a", "updaet": 1}]))).is_err());
        assert!(apply(&mut doc, &overlay(json!([{"target": "$..a", "update": 1}]))).is_err());
        let bad_version = Overlay {
            file: "o.yaml".into(),
            doc: json!({"overlay": "2.0.0", "actions": []}),
        };
        assert!(apply(&mut doc, &bad_version).is_err());
    }
}
