//! An inline schema inside a component that merges (`allOf` of several, or
//! properties beside a composition) a reference leading back to that
//! component (AWS's recursive shapes: a `Filter` whose `And` is an `allOf`
//! of `Filter`s) is hoisted into a component of its own, named after its
//! place, and referred to there.
//!
//! typify cannot name an inline schema that holds its own holder: it would
//! define the holder while defining it. As a component, the cycle goes
//! through a named reference, which typify boxes like any other.

use std::collections::{BTreeMap, BTreeSet};

use heck::ToUpperCamelCase;
use serde_json::{Value, json};

use super::{Adaptation, unique_name};
use crate::document::{component_ref, composition, pointer, segments};

/// How many rounds of hoisting at most: a hoisted schema can hold another.
const ROUNDS: usize = 8;

/// Hoists every such inline schema, with an adaptation each.
pub(super) fn hoist(doc: &mut Value, done: &mut Vec<Adaptation>) {
    for _ in 0..ROUNDS {
        let found = find(doc);
        if found.is_empty() {
            return;
        }
        let mut taken: Vec<String> = doc
            .pointer("/components/schemas")
            .and_then(Value::as_object)
            .map(|m| m.keys().cloned().collect())
            .unwrap_or_default();
        // The outermost of nested ones first; the inner ones move with it
        // and are found again in the next round.
        let outermost: Vec<&(String, String)> = found
            .iter()
            .filter(|(_, at)| {
                !found
                    .iter()
                    .any(|(_, other)| other != at && at.starts_with(&format!("{other}/")))
            })
            .collect();
        for (owner, at) in outermost {
            let name = unique_name(&name_for(owner, at), &taken);
            taken.push(name.clone());
            let Some(inline) = doc.pointer_mut(at) else {
                continue;
            };
            let schema = std::mem::replace(inline, json!({"$ref": component_ref("schemas", &name)}));
            if let Some(Value::Object(schemas)) = doc.pointer_mut("/components/schemas") {
                schemas.insert(name.clone(), schema);
            }
            done.push(Adaptation::of_document(at.clone(), "recursive types", format!(
                    "this inline schema merges a reference back to `{owner}`, which holds it: it became the component `{name}`"
                )));
        }
    }
}

/// The name of a hoisted schema: its owner's, then the property names on
/// its way, `Item` for an array's items, `Value` for a map's values,
/// `Not` and the branch number for the inside of compositions.
fn name_for(owner: &str, at: &str) -> String {
    let parts = segments(at);
    let mut name = owner.to_upper_camel_case();
    let mut i = 3; // past `/components/schemas/<owner>`
    while i < parts.len() {
        let word = match parts[i].as_str() {
            "properties" => {
                i += 1;
                parts.get(i).map_or(String::new(), |p| p.to_upper_camel_case())
            }
            "items" => "Item".into(),
            "additionalProperties" => "Value".into(),
            "not" => "Not".into(),
            k @ ("allOf" | "oneOf" | "anyOf") => {
                i += 1;
                format!(
                    "{}{}",
                    k.to_upper_camel_case(),
                    parts.get(i).map_or("", String::as_str)
                )
            }
            other => other.to_upper_camel_case(),
        };
        name.push_str(&word);
        i += 1;
    }
    name
}

/// Every inline schema, under a component schema, that merges a reference
/// reaching back to that component: `(component, pointer)`, in document
/// order.
pub(crate) fn find(doc: &Value) -> Vec<(String, String)> {
    let Some(Value::Object(schemas)) = doc.pointer("/components/schemas") else {
        return Vec::new();
    };
    let graph: BTreeMap<&str, BTreeSet<String>> = schemas
        .iter()
        .map(|(name, schema)| {
            let mut refs = BTreeSet::new();
            component_refs(schema, &mut refs);
            (name.as_str(), refs)
        })
        .collect();
    let mut out = Vec::new();
    for (name, schema) in schemas {
        let mut found = Vec::new();
        inline_merges(
            schema,
            &pointer("/components/schemas", name),
            name,
            &graph,
            true,
            &mut found,
        );
        out.extend(found.into_iter().map(|at| (name.clone(), at)));
    }
    out
}

/// The component schema a `$ref` names, if it names one.
fn component_of(r: &str) -> Option<String> {
    let name = r.strip_prefix("#/components/schemas/")?;
    let name = name.split('/').next().unwrap_or(name);
    Some(name.replace("~1", "/").replace("~0", "~"))
}

/// The components `v` refers to anywhere (data aside).
fn component_refs(v: &Value, refs: &mut BTreeSet<String>) {
    match v {
        Value::Object(map) => {
            if let Some(name) = map.get("$ref").and_then(Value::as_str).and_then(component_of) {
                refs.insert(name);
            }
            for (k, child) in map {
                if !matches!(k.as_str(), "example" | "default" | "enum") && !k.starts_with("x-") {
                    component_refs(child, refs);
                }
            }
        }
        Value::Array(list) => list.iter().for_each(|child| component_refs(child, refs)),
        _ => {}
    }
}

/// The components a composition merges: its branches' references,
/// following nested compositions.
fn merged_refs(v: &Value, refs: &mut BTreeSet<String>) {
    for branch in composition(v) {
        if let Some(name) = branch.get("$ref").and_then(Value::as_str).and_then(component_of) {
            refs.insert(name);
        }
        merged_refs(branch, refs);
    }
}

/// Whether the component `from` refers, through any number of components,
/// to `to`.
fn reaches(graph: &BTreeMap<&str, BTreeSet<String>>, from: &str, to: &str) -> bool {
    let mut seen = BTreeSet::new();
    let mut stack = vec![from.to_string()];
    while let Some(name) = stack.pop() {
        if name == to {
            return true;
        }
        if seen.insert(name.clone()) {
            stack.extend(graph.get(name.as_str()).into_iter().flatten().cloned());
        }
    }
    false
}

/// The inline schemas under the component `owner` (at `at`) that merge a
/// reference reaching back to `owner`.
fn inline_merges(
    v: &Value,
    at: &str,
    owner: &str,
    graph: &BTreeMap<&str, BTreeSet<String>>,
    root: bool,
    found: &mut Vec<String>,
) {
    let Value::Object(s) = v else { return };
    let branches = composition(v).count();
    let merges = s
        .get("allOf")
        .and_then(Value::as_array)
        .is_some_and(|a| a.len() > 1)
        || (s.contains_key("properties") && branches > 0);
    if !root && merges {
        let mut refs = BTreeSet::new();
        merged_refs(v, &mut refs);
        if refs.iter().any(|r| reaches(graph, r, owner)) {
            found.push(at.to_string());
        }
    }
    if let Some(Value::Object(props)) = s.get("properties") {
        let base = pointer(at, "properties");
        for (name, p) in props {
            inline_merges(p, &pointer(&base, name), owner, graph, false, found);
        }
    }
    for k in ["items", "additionalProperties", "not"] {
        if let Some(child) = s.get(k) {
            inline_merges(child, &pointer(at, k), owner, graph, false, found);
        }
    }
    for k in ["allOf", "oneOf", "anyOf"] {
        if let Some(Value::Array(list)) = s.get(k) {
            for (i, child) in list.iter().enumerate() {
                inline_merges(child, &format!("{at}/{k}/{i}"), owner, graph, false, found);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// AWS's shape: a filter whose `And` merges filters.
    fn doc() -> Value {
        json!({"components": {"schemas": {
            "Filter": {"type": "object", "properties": {
                "Name": {"type": "string"},
                "And": {"allOf": [{"$ref": "#/components/schemas/Filter"}, {"description": "both"}]},
                "List": {"type": "array", "items": {"allOf": [{"$ref": "#/components/schemas/Filter"}, {"$ref": "#/components/schemas/Other"}]}}}},
            "Other": {"type": "object"}}}})
    }

    #[test]
    fn inline_merges_back_to_their_holder_become_components_named_after_their_place() {
        let mut d = doc();
        assert_eq!(
            find(&d),
            [
                (
                    "Filter".to_string(),
                    "/components/schemas/Filter/properties/And".to_string()
                ),
                (
                    "Filter".to_string(),
                    "/components/schemas/Filter/properties/List/items".to_string()
                ),
            ]
        );
        let mut done = Vec::new();
        hoist(&mut d, &mut done);
        assert!(find(&d).is_empty());
        assert_eq!(
            d.pointer("/components/schemas/Filter/properties/And"),
            Some(&json!({"$ref": "#/components/schemas/FilterAnd"}))
        );
        assert_eq!(
            d.pointer("/components/schemas/Filter/properties/List/items"),
            Some(&json!({"$ref": "#/components/schemas/FilterListItem"}))
        );
        assert_eq!(
            d.pointer("/components/schemas/FilterAnd"),
            Some(&json!({"allOf": [{"$ref": "#/components/schemas/Filter"}, {"description": "both"}]}))
        );
        assert_eq!(done.len(), 2);
        assert_eq!(
            done[0].detail,
            "this inline schema merges a reference back to `Filter`, which holds it: it became the component `FilterAnd`"
        );
    }

    #[test]
    fn names_follow_the_place_and_never_collide() {
        assert_eq!(
            name_for(
                "my-shape",
                "/components/schemas/my-shape/properties/a_b/additionalProperties/anyOf/1"
            ),
            "MyShapeABValueAnyOf1"
        );
        let mut d = doc();
        d["components"]["schemas"]["FilterAnd"] = json!({"type": "string"});
        hoist(&mut d, &mut Vec::new());
        assert_eq!(
            d.pointer("/components/schemas/Filter/properties/And"),
            Some(&json!({"$ref": "#/components/schemas/FilterAnd2"}))
        );
    }
}
