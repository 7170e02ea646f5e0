//! Mutations of a parsed spec, as a careless vendor or a hostile one would
//! make them: a key deleted, a value replaced, a key renamed, a subtree
//! copied somewhere else, and references that loop (a node made a `$ref`
//! to itself, to one of its parents, or two nodes made `$ref`s to each
//! other). Every choice comes from the given random source, so a mutant is
//! reproduced from its seed alone.

use serde_json::{Map, Value, json};

/// At most this many nodes are considered as places of a mutation, so a
/// large spec costs no more to mutate than a small one.
const MAX_PLACES: usize = 20_000;

/// Keys a renamed key may become: the ones whose meaning changes the most.
const KEYS: [&str; 24] = [
    "$ref",
    "type",
    "items",
    "allOf",
    "oneOf",
    "anyOf",
    "not",
    "properties",
    "required",
    "content",
    "schema",
    "responses",
    "200",
    "204",
    "default",
    "parameters",
    "requestBody",
    "enum",
    "format",
    "nullable",
    "additionalProperties",
    "discriminator",
    "in",
    "name",
];

/// One mutation, as reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Delete,
    Replace,
    Rename,
    CopySubtree,
    SelfRef,
    ParentRef,
    MutualRefs,
}

/// The JSON pointer of every object and array of a document (the root
/// first), up to [`MAX_PLACES`].
fn places(doc: &Value) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![(String::new(), doc)];
    while let Some((at, v)) = stack.pop() {
        if out.len() >= MAX_PLACES {
            break;
        }
        match v {
            Value::Object(map) => {
                out.push(at.clone());
                for (k, child) in map.iter().rev() {
                    stack.push((format!("{at}/{}", k.replace('~', "~0").replace('/', "~1")), child));
                }
            }
            Value::Array(list) => {
                out.push(at.clone());
                for (i, child) in list.iter().enumerate().rev() {
                    stack.push((format!("{at}/{i}"), child));
                }
            }
            _ => {}
        }
    }
    out
}

fn pick<'a, T>(rng: &mut fastrand::Rng, items: &'a [T]) -> Option<&'a T> {
    (!items.is_empty()).then(|| &items[rng.usize(..items.len())])
}

/// A value of any kind, small, with the edge cases specs get wrong.
fn any_value(rng: &mut fastrand::Rng) -> Value {
    match rng.u8(..12) {
        0 => Value::Null,
        1 => json!(""),
        2 => json!(0),
        3 => json!(-1),
        4 => json!(true),
        5 => json!([]),
        6 => json!({}),
        7 => json!(9_223_372_036_854_775_807_i64),
        8 => json!(1.5e300),
        9 => json!("#/components/schemas/Nowhere"),
        10 => json!({"type": "object", "properties": {"x": {}}}),
        _ => json!({"$ref": "#/components/schemas"}),
    }
}

/// Applies one mutation of a random kind at random places; returns its kind
/// (or `None` when the document had no place for it).
pub fn mutate(doc: &mut Value, rng: &mut fastrand::Rng) -> Option<Kind> {
    let places = places(doc);
    let kind = *pick(
        rng,
        &[
            Kind::Delete,
            Kind::Delete,
            Kind::Replace,
            Kind::Replace,
            Kind::Rename,
            Kind::CopySubtree,
            Kind::SelfRef,
            Kind::ParentRef,
            Kind::MutualRefs,
        ],
    )?;
    let at = pick(rng, &places)?.clone();
    match kind {
        Kind::Delete | Kind::Replace | Kind::Rename => {
            let node = doc.pointer_mut(&at)?;
            match node {
                Value::Object(map) if !map.is_empty() => {
                    let keys: Vec<String> = map.keys().cloned().collect();
                    let key = pick(rng, &keys)?.clone();
                    match kind {
                        Kind::Delete => {
                            map.remove(&key);
                        }
                        Kind::Replace => {
                            map.insert(key, any_value(rng));
                        }
                        _ => {
                            let value = map.remove(&key)?;
                            map.insert((*pick(rng, &KEYS)?).to_string(), value);
                        }
                    }
                }
                Value::Array(list) if !list.is_empty() => {
                    let i = rng.usize(..list.len());
                    if kind == Kind::Replace {
                        list[i] = any_value(rng);
                    } else {
                        list.remove(i);
                    }
                }
                _ => return None,
            }
        }
        Kind::CopySubtree => {
            let from = doc.pointer(pick(rng, &places)?)?.clone();
            put(doc, &at, rng, from)?;
        }
        Kind::SelfRef => {
            put(doc, &at, rng, json!({"$ref": format!("#{at}")}))?;
        }
        Kind::ParentRef => {
            let parent = at.rsplit_once('/').map_or("", |(p, _)| p);
            set_ref(doc, &at, &format!("#{parent}"))?;
        }
        Kind::MutualRefs => {
            let other = pick(rng, &places)?.clone();
            set_ref(doc, &at, &format!("#{other}"))?;
            set_ref(doc, &other, &format!("#{at}"))?;
        }
    }
    Some(kind)
}

/// Puts `value` under a random key (or at a random index) of the node at
/// `at`.
fn put(doc: &mut Value, at: &str, rng: &mut fastrand::Rng, value: Value) -> Option<()> {
    match doc.pointer_mut(at)? {
        Value::Object(map) => {
            let keys: Vec<String> = map.keys().cloned().collect();
            let key = match rng.bool() {
                true => pick(rng, &keys).cloned().unwrap_or_else(|| "x".into()),
                false => (*pick(rng, &KEYS)?).to_string(),
            };
            map.insert(key, value);
        }
        Value::Array(list) => {
            let i = rng.usize(..=list.len());
            list.insert(i, value);
        }
        _ => return None,
    }
    Some(())
}

/// Makes the object at `at` a `$ref` to `target` (keeping nothing else).
fn set_ref(doc: &mut Value, at: &str, target: &str) -> Option<()> {
    let node = doc.pointer_mut(at)?;
    if !node.is_object() {
        return None;
    }
    let mut map = Map::new();
    map.insert("$ref".into(), Value::String(target.to_string()));
    *node = Value::Object(map);
    Some(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_mutant_is_the_same_for_the_same_seed() {
        let base = json!({"openapi": "3.0.3", "paths": {"/a": {"get": {"responses": {"200": {"description": "x"}}}}}});
        let run = |seed| {
            let mut rng = fastrand::Rng::with_seed(seed);
            let mut doc = base.clone();
            let kinds: Vec<_> = (0..4).map(|_| mutate(&mut doc, &mut rng)).collect();
            (doc, kinds)
        };
        assert_eq!(run(7), run(7));
        assert!(
            (0..50).any(|seed| run(seed).0 != base),
            "mutations change documents"
        );
    }

    #[test]
    fn places_are_json_pointers_of_containers() {
        let doc = json!({"a/b": {"c~d": [1, {"e": 2}]}});
        assert_eq!(places(&doc), ["", "/a~1b", "/a~1b/c~0d", "/a~1b/c~0d/1"]);
        for p in places(&doc) {
            assert!(doc.pointer(&p).is_some(), "{p}");
        }
    }
}
