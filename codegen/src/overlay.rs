//! Overlay stage: applies OpenAPI Overlay 1.0 and 1.1 documents (our fixes
//! and additions) to the merged vendor document, which itself is never
//! edited.
//!
//! Targets are RFC 9535 JSONPath, evaluated by `serde_json_path`. Of the two
//! RFC 9535 crates, it passes the whole JSONPath compliance test suite
//! (`jsonpath-rust` 1.0 still filters out cases), it gives the location of
//! every match as a normalized path (update, remove and copy need locations,
//! not values), it builds on nom instead of pest's proc macro, and no
//! advisory names it.
//!
//! One deliberate departure from the Overlay specification: an action whose
//! target matches nothing is an error, not a no-op. It means the vendor's
//! document changed under our fix, and someone must look.

use serde_json::{Map, Value};
use serde_json_path::JsonPath;
use serde_json_path::PathElement;

use crate::document::pointer;
use crate::error::{Diagnostic, Result};

/// One overlay file.
#[derive(Debug, Clone)]
pub struct Overlay {
    /// The file, as shown in messages.
    pub file: String,
    /// Its content.
    pub doc: Value,
}

/// The Overlay specification versions we apply; they differ in the `copy`
/// action and in how an update merges into what it targets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Version {
    /// 1.0: properties of an update replace the target's (objects merge).
    V1_0,
    /// 1.1: `copy`, updates of primitive values, arrays concatenate, and
    /// incompatible values are an error.
    V1_1,
}

/// The longest target or copy expression we parse, and how deeply its
/// brackets and parentheses may nest: the JSONPath parser recurses into
/// nested filters (and overflows the stack some thousand levels down), and
/// no real target comes near either.
const MAX_PATH_LEN: usize = 4096;
const MAX_NESTING: usize = 32;

/// Applies every action of the overlay to `doc`, in order. A target that
/// matches nothing is an error: it means the vendor's document changed under
/// our fix, and someone must look.
pub fn apply(doc: &mut Value, overlay: &Overlay) -> Result<()> {
    let file = overlay.file.as_str();
    let root = overlay
        .doc
        .as_object()
        .ok_or_else(|| Diagnostic::at(file, "", "an overlay must be an object"))?;
    let version = match root.get("overlay").and_then(Value::as_str) {
        Some(v) if v == "1.0" || v.starts_with("1.0.") => Version::V1_0,
        Some(v) if v == "1.1" || v.starts_with("1.1.") => Version::V1_1,
        Some(v) => {
            return Err(Diagnostic::at(
                file,
                "/overlay",
                format!("overlay version `{v}` is not supported"),
            )
            .help("use `overlay: 1.0.0` or `overlay: 1.1.0`")
            .into());
        }
        None => {
            return Err(Diagnostic::at(
                file,
                "/overlay",
                "`overlay` must be a version string such as 1.1.0",
            )
            .into());
        }
    };
    if let Some(extra) = root
        .keys()
        .find(|k| !matches!(k.as_str(), "overlay" | "info" | "extends" | "actions") && !k.starts_with("x-"))
    {
        return Err(
            Diagnostic::at(file, pointer("", extra), format!("unknown overlay key `{extra}`"))
                .help("an Overlay document has only overlay, info, extends, actions and x- extensions")
                .into(),
        );
    }
    let actions = root.get("actions").and_then(Value::as_array).ok_or_else(|| {
        Diagnostic::at(file, "/actions", "`actions` must be a list")
            .help("add `actions:` with at least one action")
    })?;
    for (i, action) in actions.iter().enumerate() {
        Action::read(action, version, file, &format!("/actions/{i}"))?.apply(doc)?;
    }
    Ok(())
}

/// What an action does to each node its target selects.
enum Change<'a> {
    Update(&'a Value),
    Copy(&'a str),
    Remove,
}

/// One checked action, with where it is in its file for messages.
struct Action<'a> {
    file: &'a str,
    at: &'a str,
    version: Version,
    target: &'a str,
    change: Change<'a>,
}

impl<'a> Action<'a> {
    fn read(action: &'a Value, version: Version, file: &'a str, at: &'a str) -> Result<Self> {
        let Some(action) = action.as_object() else {
            return Err(Diagnostic::at(file, at, "an action must be an object").into());
        };
        let known: &[&str] = match version {
            Version::V1_0 => &["target", "description", "update", "remove"],
            Version::V1_1 => &["target", "description", "update", "remove", "copy"],
        };
        if let Some(extra) = action
            .keys()
            .find(|k| !known.contains(&k.as_str()) && !k.starts_with("x-"))
        {
            let help = if extra == "copy" {
                "`copy` is an Overlay 1.1 action: declare `overlay: 1.1.0`".to_string()
            } else {
                format!("an action has {} and x- extensions", known.join(", "))
            };
            return Err(
                Diagnostic::at(file, pointer(at, extra), format!("unknown action key `{extra}`"))
                    .help(help)
                    .into(),
            );
        }
        let target = action.get("target").and_then(Value::as_str).ok_or_else(|| {
            Diagnostic::at(
                file,
                pointer(at, "target"),
                "an action needs a `target` JSONPath string",
            )
        })?;
        let remove = match action.get("remove") {
            None => false,
            Some(Value::Bool(b)) => *b,
            Some(_) => {
                return Err(
                    Diagnostic::at(file, pointer(at, "remove"), "`remove` must be true or false").into(),
                );
            }
        };
        let copy = match action.get("copy") {
            None => None,
            Some(Value::String(s)) => Some(s.as_str()),
            Some(_) => {
                return Err(
                    Diagnostic::at(file, pointer(at, "copy"), "`copy` must be a JSONPath string").into(),
                );
            }
        };
        let change = match (action.get("update"), copy, remove) {
            (Some(update), None, false) => Change::Update(update),
            (None, Some(copy), false) => Change::Copy(copy),
            (None, None, true) => Change::Remove,
            _ => {
                let which = match version {
                    Version::V1_0 => "`update` or `remove: true`",
                    Version::V1_1 => "`update`, `copy` or `remove: true`",
                };
                return Err(
                    Diagnostic::at(file, at, format!("an action needs exactly one of {which}")).into(),
                );
            }
        };
        Ok(Self {
            file,
            at,
            version,
            target,
            change,
        })
    }

    fn error(&self, field: &str, message: String) -> Diagnostic {
        Diagnostic::at(self.file, pointer(self.at, field), message)
    }

    /// Parses one of the action's JSONPath expressions (`field` is `target`
    /// or `copy`).
    fn path(&self, field: &str, text: &str) -> Result<JsonPath> {
        let help =
            "write an RFC 9535 JSONPath such as $.paths['/a/{id}'].get or $..parameters[?@.name == 'x']";
        if text.len() > MAX_PATH_LEN {
            return Err(self
                .error(
                    field,
                    format!("the JSONPath is longer than {MAX_PATH_LEN} characters"),
                )
                .help(help)
                .into());
        }
        if nesting(text) > MAX_NESTING {
            return Err(self
                .error(
                    field,
                    format!("the JSONPath nests brackets more than {MAX_NESTING} deep"),
                )
                .help(help)
                .into());
        }
        JsonPath::parse(text).map_err(|e| {
            self.error(
                field,
                format!(
                    "invalid JSONPath `{text}`: {} at character {}",
                    e.message(),
                    e.position() + 1
                ),
            )
            .help(help)
            .into()
        })
    }

    fn apply(&self, doc: &mut Value) -> Result<()> {
        let target = self.path("target", self.target)?;
        let found = locations(&target, doc);
        if found.is_empty() {
            return Err(self
                .error(
                    "target",
                    format!("target `{}` matches nothing in the document", self.target),
                )
                .help("the vendor's document may have changed: fix the target or drop the action")
                .into());
        }
        let update = match self.change {
            Change::Remove => {
                // Deepest and last first, so earlier array indices stay valid.
                for loc in found.iter().rev() {
                    remove_at(doc, loc);
                }
                return Ok(());
            }
            Change::Update(update) => update.clone(),
            Change::Copy(source) => self.copied(doc, source)?,
        };
        if self.version == Version::V1_1 {
            let kinds: Vec<&str> = found.iter().filter_map(|l| get(doc, l)).map(kind).collect();
            if kinds.windows(2).any(|w| w[0] != w[1]) {
                return Err(self
                    .error(
                        "target",
                        format!(
                            "target `{}` selects a mix of objects, arrays and values",
                            self.target
                        ),
                    )
                    .help("an update or copy needs targets of one kind: narrow the target")
                    .into());
            }
        }
        // An update only adds, so the locations found before it stay valid.
        for loc in &found {
            if let Some(node) = get_mut(doc, loc) {
                merge(node, update.clone(), self.version, &pointer_of(loc)).map_err(|m| {
                    self.error("target", m)
                        .help("make the update the same kind of value as what it changes")
                })?;
            }
        }
        Ok(())
    }

    /// The value a `copy` action merges: the one node its path selects.
    fn copied(&self, doc: &Value, source: &str) -> Result<Value> {
        let path = self.path("copy", source)?;
        let nodes = path.query(doc).all();
        match nodes.as_slice() {
            [one] => Ok((*one).clone()),
            [] => Err(self
                .error(
                    "copy",
                    format!("copy source `{source}` matches nothing in the document"),
                )
                .help("the vendor's document may have changed: fix the source or drop the action")
                .into()),
            many => Err(self
                .error(
                    "copy",
                    format!(
                        "copy source `{source}` matches {} nodes; it must select one",
                        many.len()
                    ),
                )
                .help("narrow the source to a single node")
                .into()),
        }
    }
}

/// How deeply the brackets and parentheses of a JSONPath nest, outside its
/// string literals.
fn nesting(text: &str) -> usize {
    let (mut depth, mut deepest) = (0usize, 0usize);
    let mut quote: Option<char> = None;
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match (quote, c) {
            (Some(_), '\\') => {
                chars.next();
            }
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '\'' | '"') => quote = Some(c),
            (None, '(' | '[') => {
                depth += 1;
                deepest = deepest.max(depth);
            }
            (None, ')' | ']') => depth = depth.saturating_sub(1),
            (None, _) => {}
        }
    }
    deepest
}

/// One step from a node to a child.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Step {
    Name(String),
    Index(usize),
}

/// Every node a path selects, once each, in document order (a parent before
/// its children, lower indices first).
fn locations(path: &JsonPath, doc: &Value) -> Vec<Vec<Step>> {
    let mut found: Vec<Vec<Step>> = path
        .query_located(doc)
        .iter()
        .map(|node| {
            node.location()
                .iter()
                .map(|e| match e {
                    PathElement::Name(n) => Step::Name((*n).to_string()),
                    PathElement::Index(i) => Step::Index(*i),
                })
                .collect()
        })
        .collect();
    found.sort();
    found.dedup();
    found
}

fn pointer_of(loc: &[Step]) -> String {
    loc.iter().fold(String::new(), |at, step| match step {
        Step::Name(n) => pointer(&at, n),
        Step::Index(i) => format!("{at}/{i}"),
    })
}

fn get<'a>(doc: &'a Value, loc: &[Step]) -> Option<&'a Value> {
    loc.iter().try_fold(doc, |v, step| match step {
        Step::Name(n) => v.get(n),
        Step::Index(i) => v.get(i),
    })
}

fn get_mut<'a>(doc: &'a mut Value, loc: &[Step]) -> Option<&'a mut Value> {
    loc.iter().try_fold(doc, |v, step| match step {
        Step::Name(n) => v.get_mut(n),
        Step::Index(i) => v.get_mut(i),
    })
}

fn remove_at(doc: &mut Value, loc: &[Step]) {
    let Some((last, parent)) = loc.split_last() else {
        *doc = Value::Null;
        return;
    };
    match (get_mut(doc, parent), last) {
        (Some(Value::Object(m)), Step::Name(k)) => {
            m.remove(k);
        }
        (Some(Value::Array(a)), Step::Index(i)) if *i < a.len() => {
            a.remove(*i);
        }
        _ => {}
    }
}

/// What kind of value a node is, for the "one kind of target" rule.
fn kind(v: &Value) -> &'static str {
    match v {
        Value::Object(_) => "an object",
        Value::Array(_) => "an array",
        _ => "a value",
    }
}

/// Merges an update into the node it targets (at `at`, for messages).
///
/// Both versions: objects merge recursively, an array target gets an array
/// update concatenated and anything else appended, and a primitive target
/// is replaced by a primitive. Inside a merge, 1.0 lets an update property
/// replace the target's unless both are objects; 1.1 concatenates arrays
/// and refuses to replace a value by one of another kind.
fn merge(node: &mut Value, update: Value, version: Version, at: &str) -> std::result::Result<(), String> {
    match (node, update) {
        (Value::Object(dst), Value::Object(src)) => merge_objects(dst, src, version, at),
        (Value::Array(dst), Value::Array(src)) => {
            dst.extend(src);
            Ok(())
        }
        (Value::Array(dst), other) => {
            dst.push(other);
            Ok(())
        }
        (node, other)
            if version == Version::V1_0 || !(node.is_object() || other.is_object() || other.is_array()) =>
        {
            *node = other;
            Ok(())
        }
        (node, other) => Err(format!(
            "cannot merge {} into {} at #{at}",
            kind(&other),
            kind(node)
        )),
    }
}

fn merge_objects(
    dst: &mut Map<String, Value>,
    src: Map<String, Value>,
    version: Version,
    at: &str,
) -> std::result::Result<(), String> {
    for (k, v) in src {
        let child_at = pointer(at, &k);
        match (dst.get_mut(&k), version) {
            (Some(existing @ Value::Object(_)), _) if v.is_object() => {
                merge(existing, v, version, &child_at)?
            }
            (Some(existing @ Value::Array(_)), Version::V1_1) if v.is_array() => {
                merge(existing, v, version, &child_at)?
            }
            (Some(existing), Version::V1_1) if kind(existing) != kind(&v) => {
                return Err(format!(
                    "cannot merge {} into {} at #{child_at}",
                    kind(&v),
                    kind(existing)
                ));
            }
            _ => {
                dst.insert(k, v);
            }
        }
    }
    Ok(())
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

    fn overlay_1_1(actions: Value) -> Overlay {
        Overlay {
            file: "overlay.yaml".into(),
            doc: json!({"overlay": "1.1.0", "info": {"title": "t", "version": "1"}, "actions": actions}),
        }
    }

    /// The JSON pointers a target selects.
    fn pointers(path: &str, doc: &Value) -> Vec<String> {
        locations(&JsonPath::parse(path).unwrap(), doc)
            .iter()
            .map(|l| pointer_of(l))
            .collect()
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
    fn malformed_actions_are_errors_that_say_what_is_wrong() {
        let cases = [
            (
                json!([{"target": "$.a"}]),
                "overlay.yaml#/actions/0: an action needs exactly one of `update` or `remove: true`",
            ),
            (
                json!([{"target": "$.a", "update": 1, "remove": true}]),
                "overlay.yaml#/actions/0: an action needs exactly one of `update` or `remove: true`",
            ),
            // A typo is refused as the unknown key it is, not for a missing action.
            (
                json!([{"target": "$.a", "updaet": 1}]),
                "overlay.yaml#/actions/0/updaet: unknown action key `updaet`",
            ),
            // A target that is not JSONPath (`..` is RFC 9535 now; `...` is not).
            (
                json!([{"target": "$...a", "update": 1}]),
                "overlay.yaml#/actions/0/target: invalid JSONPath `$...a`",
            ),
        ];
        for (actions, message) in cases {
            let mut doc = json!({"a": 1});
            let err = apply(&mut doc, &overlay(actions.clone()))
                .expect_err("malformed")
                .to_string();
            assert!(err.contains(message), "{actions}: {err}");
            assert_eq!(doc, json!({"a": 1}), "{actions}: the document is left alone");
        }
        let mut doc = json!({"a": 1});
        let bad_version = Overlay {
            file: "o.yaml".into(),
            doc: json!({"overlay": "2.0.0", "actions": []}),
        };
        let err = apply(&mut doc, &bad_version).expect_err("version").to_string();
        assert!(
            err.contains("o.yaml#/overlay: overlay version `2.0.0` is not supported"),
            "{err}"
        );
    }

    #[test]
    fn selects_by_name_quoted_name_wildcard_and_index() {
        let doc = json!({"paths": {"/a/{b}": {"put": {"parameters": [{"name": "x"}, {"name": "y"}]}}}});
        assert_eq!(pointers("$.paths['/a/{b}'].put", &doc), ["/paths/~1a~1{b}/put"]);
        assert_eq!(
            pointers("$.paths[*].put.parameters[1]", &doc),
            ["/paths/~1a~1{b}/put/parameters/1"]
        );
        assert_eq!(pointers("$.paths.*", &doc), ["/paths/~1a~1{b}"]);
        assert_eq!(pointers("$", &doc), [""]);
    }

    #[test]
    fn filters_compare_members() {
        let doc = json!({"p": [{"name": "a", "in": "path"}, {"name": "b", "in": "header"}, {"name": "a", "in": "query"}]});
        assert_eq!(pointers("$.p[?(@.name == 'a')]", &doc), ["/p/0", "/p/2"]);
        assert_eq!(
            pointers("$.p[?(@.name == 'a' && @.in == \"query\")]", &doc),
            ["/p/2"]
        );
        assert_eq!(pointers("$.p[?@.in != 'path']", &doc), ["/p/1", "/p/2"]);
    }

    #[test]
    fn no_match_is_empty() {
        assert!(pointers("$.nope.deeper", &json!({})).is_empty());
    }

    #[test]
    fn invalid_paths_name_the_character() {
        let mut doc = json!({"a": 1});
        for (target, character) in [
            ("paths", "character 1"),
            ("$.a[", "character 4"),
            ("$.a[?(@.x == )]", "character 6"),
        ] {
            let err = apply(&mut doc, &overlay(json!([{"target": target, "update": 1}]))).unwrap_err();
            let text = err.to_string();
            assert!(text.contains("overlay.yaml#/actions/0/target"), "{text}");
            assert!(
                text.contains("invalid JSONPath") && text.contains(character),
                "{text}"
            );
            assert!(text.contains("help: write an RFC 9535 JSONPath"), "{text}");
        }
    }

    #[test]
    fn rfc_9535_paths_the_old_subset_refused() {
        let doc = json!({
            "paths": {"/a": {"get": {"parameters": [{"name": "x"}]}}, "/b": {"put": {"parameters": [{"name": "x"}, {"name": "y"}]}}},
            "a-b": {"v": 1},
            "a'b": {"v": 2},
            "line\nbreak": {"v": 3},
            "a": {"b": 4}
        });
        // The descendant segment.
        assert_eq!(
            pointers("$..parameters[?@.name == 'x']", &doc),
            ["/paths/~1a/get/parameters/0", "/paths/~1b/put/parameters/0"]
        );
        // A name with `-`, in brackets (the shorthand `.a-b` is not RFC 9535).
        assert_eq!(pointers("$['a-b'].v", &doc), ["/a-b/v"]);
        assert!(JsonPath::parse("$.a-b").is_err());
        // Escaped characters in quoted names.
        assert_eq!(pointers(r"$['a\'b']", &doc), ["/a'b"]);
        assert_eq!(pointers(r#"$["line\nbreak"]"#, &doc), ["/line\nbreak"]);
        assert!(pointers(r"$['linenbreak']", &doc).is_empty());
        // And through an overlay: every parameter named x gets a description.
        let mut updated = doc.clone();
        apply(
            &mut updated,
            &overlay(json!([{"target": "$..parameters[?@.name == 'x']", "update": {"description": "d"}}])),
        )
        .unwrap();
        assert_eq!(
            updated
                .pointer("/paths/~1a/get/parameters/0/description")
                .unwrap(),
            "d"
        );
        assert_eq!(
            updated
                .pointer("/paths/~1b/put/parameters/0/description")
                .unwrap(),
            "d"
        );
        assert!(
            updated
                .pointer("/paths/~1b/put/parameters/1/description")
                .is_none()
        );
    }

    #[test]
    fn a_1_1_update_replaces_primitive_values() {
        let mut doc = json!({"paths": {"/a": {"get": {"description": "old", "deprecated": false}}}});
        apply(
            &mut doc,
            &overlay_1_1(json!([
                {"target": "$.paths['/a'].get.description", "update": "new"},
                {"target": "$.paths['/a'].get.deprecated", "update": true}
            ])),
        )
        .unwrap();
        assert_eq!(
            doc,
            json!({"paths": {"/a": {"get": {"description": "new", "deprecated": true}}}})
        );
        // A primitive cannot become an object in 1.1.
        let err = apply(
            &mut doc,
            &overlay_1_1(json!([{"target": "$.paths['/a'].get.description", "update": {"a": 1}}])),
        )
        .unwrap_err();
        assert!(
            err.to_string().contains("cannot merge an object into a value"),
            "{err}"
        );
    }

    #[test]
    fn a_1_1_update_concatenates_nested_arrays_and_refuses_other_kinds() {
        let mut doc = json!({"op": {"tags": ["a"], "summary": "s"}});
        apply(
            &mut doc,
            &overlay_1_1(json!([{"target": "$.op", "update": {"tags": ["b"]}}])),
        )
        .unwrap();
        assert_eq!(doc, json!({"op": {"tags": ["a", "b"], "summary": "s"}}));
        let err = apply(
            &mut doc,
            &overlay_1_1(json!([{"target": "$.op", "update": {"summary": ["x"]}}])),
        )
        .unwrap_err();
        assert!(err.to_string().contains("#/op/summary"), "{err}");
        // 1.0 replaces, as before.
        apply(
            &mut doc,
            &overlay(json!([{"target": "$.op", "update": {"tags": ["c"]}}])),
        )
        .unwrap();
        assert_eq!(doc, json!({"op": {"tags": ["c"], "summary": "s"}}));
    }

    #[test]
    fn copy_merges_the_source_node_into_each_target() {
        let mut doc = json!({"paths": {
            "/items": {"get": {"responses": {"200": {"description": "OK"}}}},
            "/some-items": {"delete": {"responses": {"200": {"description": "OK"}}}}
        }});
        apply(
            &mut doc,
            &overlay_1_1(json!([{"target": "$.paths['/some-items']", "copy": "$.paths['/items']"}])),
        )
        .unwrap();
        assert_eq!(
            doc.pointer("/paths/~1some-items").unwrap(),
            &json!({"delete": {"responses": {"200": {"description": "OK"}}}, "get": {"responses": {"200": {"description": "OK"}}}})
        );
        assert!(doc.pointer("/paths/~1items/get").is_some(), "the source stays");
    }

    #[test]
    fn copy_needs_one_source_node_and_overlay_1_1() {
        let mut doc = json!({"a": {}, "b": {}, "c": {"x": 1}});
        let none = apply(
            &mut doc,
            &overlay_1_1(json!([{"target": "$.a", "copy": "$.gone"}])),
        )
        .unwrap_err();
        assert!(
            none.to_string().contains("overlay.yaml#/actions/0/copy"),
            "{none}"
        );
        assert!(none.to_string().contains("matches nothing"), "{none}");
        let many = apply(&mut doc, &overlay_1_1(json!([{"target": "$.a", "copy": "$.*"}]))).unwrap_err();
        assert!(many.to_string().contains("matches 3 nodes"), "{many}");
        let both = apply(
            &mut doc,
            &overlay_1_1(json!([{"target": "$.a", "copy": "$.c", "update": {}}])),
        )
        .unwrap_err();
        assert!(both.to_string().contains("exactly one of"), "{both}");
        let old = apply(&mut doc, &overlay(json!([{"target": "$.a", "copy": "$.c"}]))).unwrap_err();
        assert!(old.to_string().contains("declare `overlay: 1.1.0`"), "{old}");
        assert_eq!(doc, json!({"a": {}, "b": {}, "c": {"x": 1}}));
    }

    #[test]
    fn remove_of_primitive_array_elements() {
        let mut doc = json!({"tags": ["keep", "dummy", "dummy"]});
        apply(
            &mut doc,
            &overlay_1_1(json!([{"target": "$.tags[?@ == 'dummy']", "remove": true}])),
        )
        .unwrap();
        assert_eq!(doc, json!({"tags": ["keep"]}));
    }

    #[test]
    fn a_1_1_update_of_mixed_targets_is_an_error() {
        let mut doc = json!({"a": {"x": {}, "y": 1}});
        let err = apply(&mut doc, &overlay_1_1(json!([{"target": "$.a.*", "update": 2}]))).unwrap_err();
        assert!(err.to_string().contains("mix of objects"), "{err}");
    }

    #[test]
    fn a_deeply_nested_or_huge_target_is_an_error_not_a_crash() {
        let mut doc = json!({"a": 1});
        let deep = format!("$[?{}@.a{}]", "(".repeat(2_000), ")".repeat(2_000));
        assert!(apply(&mut doc, &overlay(json!([{"target": deep, "update": 1}]))).is_err());
        let err = apply(&mut doc, &overlay(json!([{"target": deep, "update": 1}]))).unwrap_err();
        assert!(
            err.to_string().contains("nests brackets more than 32 deep"),
            "{err}"
        );
        // As deep as allowed still parses, in a test thread's small stack.
        let allowed = format!("$[?{}@.a{}]", "(".repeat(31), ")".repeat(31));
        assert!(JsonPath::parse(&allowed).is_ok());
        assert_eq!(nesting("$['((('][?@.a == \"[\\\"\"]"), 1);
        let long = format!("$.a{}", "[0]".repeat(2_000));
        let err = apply(&mut doc, &overlay(json!([{"target": long, "update": 1}]))).unwrap_err();
        assert!(err.to_string().contains("longer than"), "{err}");
        let chain = format!("$[?@.a{}]", " || @.a".repeat(500));
        assert!(JsonPath::parse(&chain).is_ok());
    }
}
