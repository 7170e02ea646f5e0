//! JSON Schema 2020-12 generics: a component schema that holds a
//! `$dynamicRef: '#A'` is generic over `A` (Scalar Galaxy's
//! `PaginatedResource`, whose `data` items are `$dynamicRef: '#itemType'`),
//! and a schema that is `$ref` to it with a `$defs` entry carrying
//! `$dynamicAnchor: A` binds `A` (`PaginatedPlanets`: `itemType` is
//! `Planet`). 3.0 has neither, so each binding becomes a copy of the
//! generic with `A` replaced: a component of its own, named by the binding
//! schema's `$id` (`PaginatedPlanets`) or by the generic and the bound type
//! (`PaginatedResourcePlanet`), one per distinct binding. Where nothing
//! binds it (the generic component itself), a `$dynamicRef` is any JSON,
//! with a note.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use super::Ctx;
use crate::document::{self, pointer};

/// Resolves the document's `$dynamicRef`s before `$defs` are hoisted.
pub(super) fn resolve(root: &mut Map<String, Value>, ctx: &mut Ctx) {
    let generics: BTreeMap<String, Value> = root
        .get("components")
        .and_then(|c| c.get("schemas"))
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .filter(|(_, s)| holds_dynamic_ref(s))
        .map(|(name, s)| (name.clone(), s.clone()))
        .collect();
    if generics.is_empty() && !root.values().any(holds_dynamic_ref) {
        return;
    }
    let mut taken: Vec<String> = root
        .get("components")
        .and_then(|c| c.get("schemas"))
        .and_then(Value::as_object)
        .map(|s| s.keys().cloned().collect())
        .unwrap_or_default();
    // Each distinct specialization once: its content, and its name.
    let mut made: Vec<(String, Value)> = Vec::new();
    let mut doc = Value::Object(std::mem::take(root));
    document::schemas_mut(&mut doc, |schema, at| {
        let Some(generic) = schema
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(|r| r.strip_prefix("#/components/schemas/"))
            .map(document::unescape)
            .filter(|g| generics.contains_key(g))
        else {
            return;
        };
        let bindings = anchors(schema);
        if bindings.is_empty() {
            return;
        }
        let mut copy = generics[&generic].clone();
        drop_anchor_defs(&mut copy, &bindings);
        substitute(&mut copy, &bindings);
        let name = match made.iter().find(|(_, c)| *c == copy) {
            Some((name, _)) => name.clone(),
            None => {
                let wanted = schema
                    .get("$id")
                    .and_then(Value::as_str)
                    .and_then(|id| id.rsplit('/').next())
                    .filter(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
                    .map_or_else(|| format!("{generic}{}", bound_names(&bindings)), str::to_string);
                let name = crate::adapt::unique_name(&wanted, &taken);
                taken.push(name.clone());
                made.push((name.clone(), copy));
                ctx.note(
                    at,
                    format!(
                        "`{generic}` specialized (`$dynamicAnchor` {}) as the component `{name}`",
                        anchor_list(&bindings)
                    ),
                );
                name
            }
        };
        schema.remove("$defs");
        schema.remove("$id");
        schema.insert(
            "$ref".into(),
            Value::String(document::component_ref("schemas", &name)),
        );
    });
    if let Value::Object(map) = &mut doc {
        *root = std::mem::take(map);
    }
    if let Some(Value::Object(schemas)) = root.get_mut("components").and_then(|c| c.get_mut("schemas")) {
        schemas.extend(made);
    }
    // What no binding reaches: any JSON.
    let mut doc = Value::Object(std::mem::take(root));
    document::schemas_mut(&mut doc, |schema, at| {
        if let Some(Value::String(reference)) = schema.remove("$dynamicRef") {
            ctx.note(
                &pointer(at, "$dynamicRef"),
                format!("`$dynamicRef: {reference}` with nothing that binds it here: any JSON"),
            );
        }
        if let Some(Value::Object(defs)) = schema.get_mut("$defs") {
            defs.retain(|_, d| d.get("$dynamicAnchor").is_none());
            if defs.is_empty() {
                schema.remove("$defs");
            }
        }
    });
    if let Value::Object(map) = doc {
        *root = map;
    }
}

/// Whether a value has a `$dynamicRef` anywhere inside.
fn holds_dynamic_ref(v: &Value) -> bool {
    match v {
        Value::Object(m) => m.contains_key("$dynamicRef") || m.values().any(holds_dynamic_ref),
        Value::Array(items) => items.iter().any(holds_dynamic_ref),
        _ => false,
    }
}

/// The anchors a schema binds: its `$defs` entries with a
/// `$dynamicAnchor`, each without it.
fn anchors(schema: &Map<String, Value>) -> BTreeMap<String, Value> {
    schema
        .get("$defs")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .filter_map(|(_, d)| {
            let anchor = d.get("$dynamicAnchor")?.as_str()?.to_string();
            let mut bound = d.as_object()?.clone();
            bound.remove("$dynamicAnchor");
            Some((anchor, Value::Object(bound)))
        })
        .collect()
}

/// Drops the generic's own defaults for the anchors bound.
fn drop_anchor_defs(generic: &mut Value, bindings: &BTreeMap<String, Value>) {
    if let Some(Value::Object(defs)) = generic.get_mut("$defs") {
        defs.retain(|_, d| {
            d.get("$dynamicAnchor")
                .and_then(Value::as_str)
                .is_none_or(|a| !bindings.contains_key(a))
        });
    }
    if let Some(generic) = generic.as_object_mut() {
        generic.remove("$id");
        if generic
            .get("$defs")
            .and_then(Value::as_object)
            .is_some_and(Map::is_empty)
        {
            generic.remove("$defs");
        }
    }
}

/// Replaces each bound `$dynamicRef: '#A'` by `A`'s schema (its other
/// keywords kept beside it).
fn substitute(v: &mut Value, bindings: &BTreeMap<String, Value>) {
    match v {
        Value::Object(m) => {
            let bound = m
                .get("$dynamicRef")
                .and_then(Value::as_str)
                .and_then(|r| r.strip_prefix('#'))
                .and_then(|a| bindings.get(a));
            if let Some(Value::Object(bound)) = bound {
                m.remove("$dynamicRef");
                let siblings = std::mem::take(m);
                *m = bound.clone();
                for (k, s) in siblings {
                    m.entry(k).or_insert(s);
                }
                return;
            }
            m.values_mut().for_each(|c| substitute(c, bindings));
        }
        Value::Array(items) => items.iter_mut().for_each(|c| substitute(c, bindings)),
        _ => {}
    }
}

/// The bound types' names, for a specialization's name (`Planet`).
fn bound_names(bindings: &BTreeMap<String, Value>) -> String {
    bindings
        .values()
        .map(|b| {
            b.get("$ref")
                .and_then(Value::as_str)
                .and_then(|r| r.rsplit('/').next())
                .map_or_else(|| "Item".to_string(), document::unescape)
        })
        .collect()
}

fn anchor_list(bindings: &BTreeMap<String, Value>) -> String {
    bindings
        .keys()
        .map(|a| format!("`{a}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::merge::Origins;
    use crate::normalize::normalize;

    fn galaxy() -> Value {
        let binding = |id: &str| {
            json!({"$id": format!("https://g.test/schemas/{id}"),
                "$defs": {"itemType": {"$dynamicAnchor": "itemType", "$ref": "#/components/schemas/Planet"}},
                "$ref": "#/components/schemas/PaginatedResource"})
        };
        let ok = |schema: Value| json!({"200": {"description": "", "content": {"application/json": {"schema": schema}}}});
        json!({"openapi": "3.1.0", "info": {"title": "t", "version": "1"},
        "paths": {
            "/planets": {"get": {"operationId": "list", "responses": ok(binding("PaginatedPlanets"))}},
            "/again": {"get": {"operationId": "again", "responses": ok(binding("PaginatedPlanets"))}}
        },
        "components": {"schemas": {
            "Planet": {"type": "object", "properties": {"name": {"type": "string"}}},
            "PaginatedResource": {
                "$id": "https://g.test/schemas/PaginatedResource",
                "$defs": {"itemType": {"$dynamicAnchor": "itemType", "not": {}}},
                "type": "object",
                "properties": {"data": {"type": "array", "items": {"$dynamicRef": "#itemType"}}}
            }
        }}})
    }

    #[test]
    fn a_binding_is_a_specialized_copy_and_the_generic_takes_any_json() {
        let n = normalize(galaxy(), &Origins::default()).unwrap_or_else(|e| panic!("{e}"));
        let schemas = &n.doc["components"]["schemas"];
        assert_eq!(
            schemas["PaginatedPlanets"]["properties"]["data"]["items"],
            json!({"$ref": "#/components/schemas/Planet"})
        );
        assert_eq!(
            schemas["PaginatedResource"]["properties"]["data"]["items"],
            json!({})
        );
        assert!(schemas["PaginatedResource"].get("$defs").is_none());
        for path in ["/planets", "/again"] {
            assert_eq!(
                n.doc["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]["schema"],
                json!({"$ref": "#/components/schemas/PaginatedPlanets"}),
                "one component for one binding"
            );
        }
        assert!(n.notes.iter().any(|x| x.contains("specialized")), "{:?}", n.notes);
        assert!(
            n.notes.iter().any(|x| x.contains("nothing that binds it")),
            "{:?}",
            n.notes
        );
    }
}
