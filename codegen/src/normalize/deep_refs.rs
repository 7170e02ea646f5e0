//! progenitor and typify resolve a `$ref` only when it names a whole
//! component of its own kind: `#/components/schemas/<name>` for a schema
//! (typify panics, "unresolved reference", typify-impl `merge.rs:125`, or
//! "$ref ... is missing", `convert.rs:1363`), `#/components/responses/<name>`
//! for a response, and so on (progenitor panics, "key ... is missing",
//! `util.rs:28`). A reference anywhere else is legal OpenAPI: into the inside
//! of a schema (`#/components/schemas/WebhookEvent/allOf/0`, as Apideck
//! writes), or to another operation's response or parameter
//! (`#/paths/~1a/get/responses/200`). What it points at is copied into its
//! component map under a name made of its place (`WebhookEvent_allOf_0`,
//! `paths_a_get_responses_200`), and every such reference follows, with a
//! note. A reference whose chain reaches no value (a cycle, a dangling or
//! an endless chain) is left for validation to report where it is. Part of
//! the normalize stage.

use std::collections::{HashMap, HashSet};

use serde_json::{Map, Value};

use crate::document::{Kind, component_ref, follow, ref_target, segments, walk, walk_mut};

/// How many rounds at most: a copied value may itself hold such
/// references, each round takes one level.
const ROUNDS: usize = 16;

/// The values of a JSON tree, counted: what copying it costs.
fn size(v: &Value) -> usize {
    1 + match v {
        Value::Array(list) => list.iter().map(size).sum(),
        Value::Object(map) => map.values().map(size).sum(),
        _ => 0,
    }
}

/// Hoists the targets of such references; returns a note per target.
///
/// Bounded: the copies together hold at most as many values as the
/// document had, so the document at most doubles; a reference left over
/// is reported by validation. Only references to exactly the copied place
/// follow it (one to a place inside it is a reference of its own), so a
/// reference to a whole map (`#/components/schemas`) cannot drag every
/// other reference along.
pub(super) fn hoist(doc: &mut Value) -> Vec<String> {
    let mut notes = Vec::new();
    let mut budget = size(doc);
    for _ in 0..ROUNDS {
        let deep = deep_targets(doc);
        if deep.is_empty() {
            break;
        }
        let mut moves: HashMap<(String, &'static str), String> = HashMap::new();
        for (target, map) in deep {
            // Measured before it is cloned: a target over the budget costs
            // no copy.
            let Some((value, cost)) = ref_target(doc, &target)
                .map(|v| (v, size(v)))
                .filter(|(_, cost)| *cost <= budget)
                .map(|(v, cost)| (v.clone(), cost))
            else {
                continue;
            };
            budget -= cost;
            let Some(members) = component_members(doc, map) else {
                break;
            };
            let base = name_of(&target, map);
            let mut name = base.clone();
            let mut n = 2;
            while members.contains_key(&name) {
                name = format!("{base}{n}");
                n += 1;
            }
            members.insert(name.clone(), value);
            notes.push(format!(
                "{target}: a reference to a place outside components/{map}: copied to components/{map}/{name}"
            ));
            moves.insert((target, map), component_ref(map, &name));
        }
        // Only the references of that kind follow: a header's `$ref` to a
        // place a parameter's `$ref` names too stays the parameter's.
        walk_mut(doc, Kind::Document, "", &mut |node, place| {
            if let Some(map) = place.kind.component_map()
                && let Some(Value::String(r)) = node.get_mut("$ref")
                && let Some(to) = moves.get(&(r.clone(), map))
            {
                *r = to.clone();
            }
        });
    }
    notes
}

/// `components/<map>` of the document, made when missing; `None` when
/// `components` or the map is not an object.
fn component_members<'d>(doc: &'d mut Value, map: &str) -> Option<&'d mut Map<String, Value>> {
    let components = doc
        .as_object_mut()?
        .entry("components")
        .or_insert_with(|| Value::Object(Map::new()));
    components
        .as_object_mut()?
        .entry(map)
        .or_insert_with(|| Value::Object(Map::new()))
        .as_object_mut()
}

/// The local targets of `$ref`s that are not a whole component of their
/// kind, with that kind's map, in document order, each once per kind.
/// Validation reports the others: a target that holds a component map (the
/// root, `#/paths`, `#/components`, `#/components/schemas`), and a whole
/// component of another kind (a header's `$ref` to
/// `#/components/parameters/P`), which is a mistake, not a place to copy.
fn deep_targets(doc: &Value) -> Vec<(String, &'static str)> {
    let mut found: Vec<(String, &'static str)> = Vec::new();
    let mut seen: HashSet<(String, &'static str)> = HashSet::new();
    walk(doc, Kind::Document, "", &mut |node, place| {
        if let Some(map) = place.kind.component_map()
            && let Some(Value::String(r)) = node.get("$ref")
            && let Some(p) = r.strip_prefix('#')
            && segments(p).len() >= 2
            && !(p.starts_with("/components/") && segments(p).len() <= 3)
            && doc.pointer(p).is_some()
            && follow(doc, node).is_ok()
            && seen.insert((r.clone(), map))
        {
            found.push((r.clone(), map));
        }
    });
    found
}

/// `#/components/schemas/WebhookEvent/allOf/0` -> `WebhookEvent_allOf_0`;
/// `#/paths/~1a/get/responses/200` -> `paths_a_get_responses_200`.
fn name_of(target: &str, map: &str) -> String {
    let segments = segments(target.trim_start_matches('#'));
    let inside_map = segments.len() > 2 && segments[0] == "components" && segments[1] == map;
    let parts: Vec<String> = segments
        .into_iter()
        .skip(if inside_map { 2 } else { 0 })
        .map(|s| {
            s.chars()
                .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
                .collect::<String>()
        })
        .map(|s| s.trim_matches('_').to_string())
        .filter(|s| !s.is_empty())
        .collect();
    match parts.join("_") {
        name if name.is_empty() => "Ref".to_string(),
        name => name,
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn a_reference_into_a_schema_points_at_a_copy_of_its_own() {
        let mut doc = json!({"components": {"schemas": {
            "WebhookEvent": {"allOf": [{"type": "object", "properties": {"id": {"type": "string"}}}, {"type": "object"}]},
            "Other": {"allOf": [{"$ref": "#/components/schemas/WebhookEvent/allOf/0"}]}
        }}});
        let notes = hoist(&mut doc);
        assert_eq!(
            doc.pointer("/components/schemas/Other/allOf/0/$ref"),
            Some(&json!("#/components/schemas/WebhookEvent_allOf_0"))
        );
        assert_eq!(
            doc.pointer("/components/schemas/WebhookEvent_allOf_0"),
            doc.pointer("/components/schemas/WebhookEvent/allOf/0")
        );
        assert_eq!(notes.len(), 1);
        let again = doc.clone();
        assert!(hoist(&mut doc).is_empty());
        assert_eq!(doc, again);
    }

    #[test]
    fn a_reference_to_another_operations_response_or_parameter_points_at_a_component_copy() {
        let response =
            json!({"description": "ok", "content": {"application/json": {"schema": {"type": "string"}}}});
        let param = json!({"name": "q", "in": "query", "schema": {"type": "string"}});
        let mut doc = json!({"paths": {
            "/a": {"get": {"parameters": [param], "responses": {"200": response}}},
            "/b": {"get": {
                "parameters": [{"$ref": "#/paths/~1a/get/parameters/0"}],
                "responses": {"200": {"$ref": "#/paths/~1a/get/responses/200"}}
            }}
        }});
        let notes = hoist(&mut doc);
        assert_eq!(
            doc.pointer("/paths/~1b/get/responses/200/$ref"),
            Some(&json!("#/components/responses/paths_a_get_responses_200"))
        );
        assert_eq!(
            doc.pointer("/components/responses/paths_a_get_responses_200"),
            Some(&response)
        );
        assert_eq!(
            doc.pointer("/paths/~1b/get/parameters/0/$ref"),
            Some(&json!("#/components/parameters/paths_a_get_parameters_0"))
        );
        assert_eq!(notes.len(), 2, "{notes:?}");
    }

    #[test]
    fn a_reference_that_reaches_no_value_is_left_for_validation() {
        let mut doc = json!({"paths": {"/loop": {"get": {"responses": {"200": {"$ref": "#/paths/~1loop/get/responses/200"}}}}}});
        let before = doc.clone();
        assert!(hoist(&mut doc).is_empty());
        assert_eq!(doc, before);
    }

    #[test]
    fn a_reference_to_a_whole_map_or_to_another_kinds_component_copies_nothing() {
        // Found by `cargo xtask fuzz`: copying `#/components/schemas` and
        // moving every reference under it took each round's copies along,
        // 8 GB in 50 s on Oxide's spec.
        let mut doc = json!({
            "paths": {"/a": {"get": {
                "parameters": [{"$ref": "#/components/parameters/P"}],
                "responses": {"200": {"description": "", "headers": {"X": {"$ref": "#/components/parameters/P"}}}}
            }}},
            "components": {
                "parameters": {"P": {"name": "p", "in": "query", "schema": {"type": "string"}}},
                "schemas": {
                    "Disk": {"$ref": "#/components/schemas"},
                    "Item": {"type": "object", "properties": {"id": {"type": "string"}}}
                }
            }
        });
        let before = doc.clone();
        assert_eq!(hoist(&mut doc), Vec::<String>::new());
        assert_eq!(doc, before);
    }

    #[test]
    fn a_subschema_that_refers_to_itself_becomes_a_recursive_component() {
        let mut doc = json!({"components": {"schemas": {"Tree": {"type": "object", "properties": {
            "root": {"type": "object", "properties": {
                "kids": {"type": "array", "items": {"$ref": "#/components/schemas/Tree/properties/root"}}
            }}
        }}}}});
        hoist(&mut doc);
        let copy = &doc["components"]["schemas"]["Tree_properties_root"];
        assert_eq!(
            copy["properties"]["kids"]["items"],
            json!({"$ref": "#/components/schemas/Tree_properties_root"}),
            "{doc:#}"
        );
    }

    #[test]
    fn copies_stop_at_the_size_of_the_document() {
        // References into every level of one deeply nested schema: copying
        // each level whole would cost the square of the depth.
        let depth = 40;
        let mut nested = json!({"type": "string"});
        for _ in 0..depth {
            nested = json!({"type": "object", "properties": {"a": nested}});
        }
        let mut paths = serde_json::Map::new();
        for level in 1..depth {
            let inside = "/properties/a".repeat(level);
            paths.insert(
                format!("/r{level}"),
                json!({"get": {"responses": {"200": {"description": "", "content": {"application/json": {
                    "schema": {"$ref": format!("#/components/schemas/Deep{inside}")}}}}}}}),
            );
        }
        let mut doc = json!({"paths": paths, "components": {"schemas": {"Deep": nested}}});
        let before = size(&doc);
        let notes = hoist(&mut doc);
        assert!(!notes.is_empty());
        assert!(size(&doc) <= 2 * before, "{} > 2 × {before}", size(&doc));
    }
}
