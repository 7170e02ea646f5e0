//! Merge stage: several vendor fragments become one document. Paths,
//! operations and components are combined; a definition given twice
//! identically is fine, a conflicting one is an error naming both files.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use crate::document::pointer;
use crate::error::{Diagnostic, Result};

/// One parsed spec file.
#[derive(Debug, Clone)]
pub struct Fragment {
    /// The file, as shown in messages.
    pub file: String,
    /// Its content.
    pub doc: Value,
}

/// The merged document, remembering which file each definition came from.
#[derive(Debug, Clone)]
pub struct Merged {
    /// The combined document.
    pub doc: Value,
    /// The file each top-level definition (operation, component, ...) came
    /// from, keyed by its JSON pointer.
    pub origins: Origins,
}

/// Which file each merged definition came from.
#[derive(Debug, Clone, Default)]
pub struct Origins {
    by_pointer: BTreeMap<String, String>,
    first: String,
}

impl Origins {
    /// The file holding the definition at `ptr`, or that encloses it.
    pub fn file_of(&self, ptr: &str) -> &str {
        let mut p = ptr;
        loop {
            if let Some(file) = self.by_pointer.get(p) {
                return file;
            }
            match p.rfind('/') {
                Some(i) => p = &p[..i],
                None => return &self.first,
            }
        }
    }

    /// Records that the definition at `ptr` came from `file`.
    pub fn record(&mut self, ptr: String, file: &str) {
        self.by_pointer.entry(ptr).or_insert_with(|| file.to_string());
    }
}

/// Merges fragments in the order given (callers sort them by file name).
pub fn merge(fragments: Vec<Fragment>) -> Result<Merged> {
    let mut origins = Origins::default();
    let mut iter = fragments.into_iter();
    let Some(first) = iter.next() else {
        return Ok(Merged {
            doc: Value::Object(Map::new()),
            origins,
        });
    };
    origins.first = first.file.clone();
    let mut doc = Value::Object(Map::new());
    merge_into(&mut doc, first.doc, "", &first.file, &mut origins)?;
    for fragment in iter {
        merge_into(&mut doc, fragment.doc, "", &fragment.file, &mut origins)?;
    }
    Ok(Merged { doc, origins })
}

/// Whether the object at `ptr` is combined key by key (rather than compared
/// whole): the root, `paths` and each path item, `components` and each kind
/// of component, `webhooks`.
fn is_container(ptr: &str) -> bool {
    let segments: Vec<&str> = ptr.split('/').skip(1).collect();
    matches!(
        segments.as_slice(),
        [] | ["paths"] | ["paths", _] | ["components"] | ["components", _] | ["webhooks"] | ["webhooks", _]
    )
}

fn merge_into(dst: &mut Value, src: Value, at: &str, file: &str, origins: &mut Origins) -> Result<()> {
    let (Value::Object(dst_map), Value::Object(src_map)) = (&mut *dst, src) else {
        return Err(Diagnostic::at(file, at, "expected an object here").into());
    };
    for (key, value) in src_map {
        let child = pointer(at, &key);
        match dst_map.get_mut(&key) {
            None => {
                origins.record(child.clone(), file);
                dst_map.insert(key, value);
            }
            Some(existing) if at.is_empty() && key == "tags" => {
                merge_tags(existing, value, &child, file, origins)?
            }
            Some(existing) if is_container(&child) && existing.is_object() && value.is_object() => {
                merge_into(existing, value, &child, file, origins)?;
            }
            Some(existing) if *existing == value => {}
            Some(_) => {
                return Err(conflict(&child, origins.file_of(&child), file));
            }
        }
    }
    Ok(())
}

/// Tags are a list keyed by name: the union, with equal duplicates allowed.
fn merge_tags(dst: &mut Value, src: Value, at: &str, file: &str, origins: &mut Origins) -> Result<()> {
    let (Value::Array(dst_tags), Value::Array(src_tags)) = (&mut *dst, src) else {
        return Err(Diagnostic::at(file, at, "`tags` must be an array").into());
    };
    for tag in src_tags {
        let name = tag.get("name").cloned();
        match dst_tags.iter().position(|t| t.get("name") == name.as_ref()) {
            None => dst_tags.push(tag),
            Some(i) if dst_tags[i] == tag => {}
            Some(i) => return Err(conflict(&format!("{at}/{i}"), origins.file_of(at), file)),
        }
    }
    Ok(())
}

fn conflict(at: &str, first: &str, second: &str) -> crate::error::Error {
    Diagnostic::at(second, at, format!("conflicting definition: `{first}` defines `{at}` differently"))
        .help(format!(
            "the vendor fragments disagree; make `{first}` and `{second}` agree at that pointer, or drop one definition"
        ))
        .into()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn frag(file: &str, doc: Value) -> Fragment {
        Fragment {
            file: file.into(),
            doc,
        }
    }

    #[test]
    fn paths_and_components_are_combined() {
        let merged = merge(vec![
            frag("a.json", json!({"openapi": "3.1.1", "paths": {"/a": {"get": {"x": 1}}}, "components": {"schemas": {"E": {"type": "object"}}}})),
            frag("b.json", json!({"openapi": "3.1.1", "paths": {"/a": {"put": {"x": 2}}, "/b": {}}, "components": {"schemas": {"E": {"type": "object"}, "F": {}}}})),
        ])
        .unwrap();
        assert_eq!(merged.doc["paths"]["/a"]["get"]["x"], 1);
        assert_eq!(merged.doc["paths"]["/a"]["put"]["x"], 2);
        assert!(merged.doc["components"]["schemas"]["F"].is_object());
        assert_eq!(merged.origins.file_of("/paths/~1a/put/responses"), "b.json");
        assert_eq!(merged.origins.file_of("/paths/~1a/get"), "a.json");
    }

    #[test]
    fn identical_duplicates_are_fine() {
        let doc = json!({"openapi": "3.0.3", "info": {"title": "t"}, "components": {"schemas": {"E": {"type": "string"}}}});
        let merged = merge(vec![frag("a.json", doc.clone()), frag("b.json", doc.clone())]).unwrap();
        assert_eq!(merged.doc, doc);
    }

    /// Two fragments that disagree are refused with one diagnostic naming
    /// the second file and the pointer, and the first file in the message.
    #[test]
    fn conflicts_name_both_files_and_the_pointer() {
        let cases = [
            (
                json!({"components": {"schemas": {"Error": {"type": "object"}}}}),
                json!({"components": {"schemas": {"Error": {"type": "string"}}}}),
                "b.json#/components/schemas/Error: conflicting definition: `a.json` defines `/components/schemas/Error` differently",
            ),
            (
                json!({"paths": {"/a": {"get": {"operationId": "x"}}}}),
                json!({"paths": {"/a": {"get": {"operationId": "y"}}}}),
                "b.json#/paths/~1a/get: conflicting definition: `a.json` defines `/paths/~1a/get` differently",
            ),
            (
                json!({"tags": [{"name": "x", "description": "1"}]}),
                json!({"tags": [{"name": "x", "description": "2"}]}),
                "b.json#/tags/0: conflicting definition: `a.json` defines `/tags/0` differently",
            ),
            (
                json!({"openapi": "3.1.0"}),
                json!({"openapi": "3.0.3"}),
                "b.json#/openapi: conflicting definition: `a.json` defines `/openapi` differently",
            ),
        ];
        for (a, b, expected) in cases {
            let err = merge(vec![frag("a.json", a), frag("b.json", b)]).unwrap_err();
            assert_eq!(
                err.to_string(),
                format!(
                    "error: {expected}\n  help: the vendor fragments disagree; make `a.json` and `b.json` agree at that pointer, or drop one definition"
                )
            );
        }
    }

    #[test]
    fn fragments_of_the_wrong_shape_are_refused_where_they_go_wrong() {
        let cases = [
            (json!([]), "error: b.json#: expected an object here"),
            (
                json!({"tags": {"name": "x"}}),
                "error: b.json#/tags: `tags` must be an array",
            ),
        ];
        for (b, expected) in cases {
            let a = json!({"openapi": "3.0.3", "tags": []});
            let err = merge(vec![frag("a.json", a), frag("b.json", b)]).unwrap_err();
            assert_eq!(err.to_string(), expected);
        }
    }

    #[test]
    fn tags_are_a_union_by_name() {
        let merged = merge(vec![
            frag("a.json", json!({"tags": [{"name": "x"}]})),
            frag("b.json", json!({"tags": [{"name": "x"}, {"name": "y"}]})),
        ])
        .unwrap();
        assert_eq!(merged.doc["tags"], json!([{"name": "x"}, {"name": "y"}]));
    }
}
