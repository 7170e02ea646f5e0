//! Per-tag cargo features for a large API: above a threshold of operations
//! (the manifest's `tag_features_over`, 150 by default), a client crate gets
//! one cargo feature per tag of its spec, and `full` for all of them. An
//! operation is compiled when a feature of one of its tags is on (an
//! operation without a tag always is), and a type when a feature of an
//! operation that reaches it is: a type of one tag with it, a type two tags
//! share with either; one every tag reaches, or that the rest of the crate
//! names, is always compiled ([`gate`]). A child tag's feature turns on its parent's (OpenAPI 3.2's
//! hierarchical tags). The features are written into the crate's
//! `Cargo.toml` between markers ([`cargo`]); `default` keeps `full`, so a
//! new user gets every operation and opts into fewer with
//! `default-features = false`.
//!
//! The point is the downstream build: a user of three of GitHub's 767
//! operations compiles one tag's worth of them.

pub mod cargo;
pub mod gate;

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use crate::document;

/// The features every client crate may already declare, which no tag's may
/// take: cargo's, the TLS providers', the mock's, the hand-owned ones of
/// the seed crates.
const RESERVED: [&str; 7] = [
    "default",
    "full",
    "mock",
    "tls-aws-lc",
    "tls-ring",
    "multipart",
    "bot-auth",
];

/// One tag's feature.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Feature {
    /// The feature's name (the tag's, in kebab case).
    pub name: String,
    /// The tag, as the spec writes it.
    pub tag: String,
    /// The feature of the tag's parent, which this one turns on.
    pub parent: Option<String>,
    /// How many operations it holds.
    pub operations: usize,
}

/// The tag features of one API.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TagFeatures {
    /// Every feature, by name.
    pub features: Vec<Feature>,
    /// Each operation (its method name) with the features of its tags;
    /// an operation without a tag is absent (always compiled).
    pub operations: BTreeMap<String, Vec<String>>,
}

impl TagFeatures {
    /// The features of an API whose document is `doc` (after the names
    /// stage: each operationId is its method name), when it has more
    /// operations than `threshold` and at least two tags.
    pub fn plan(doc: &Value, threshold: usize) -> Option<Self> {
        let ops = document::operations(doc);
        if ops.len() <= threshold {
            return None;
        }
        let declared = declared_parents(doc);
        let mut names = Names::default();
        let mut features: BTreeMap<String, Feature> = BTreeMap::new();
        let mut operations = BTreeMap::new();
        for op in &ops {
            let Some(id) = op.op.get("operationId").and_then(Value::as_str) else {
                continue;
            };
            let tags: Vec<&str> = op
                .op
                .get("tags")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .collect();
            let mut of_op = BTreeSet::new();
            for tag in tags {
                let name = names.of(tag);
                features
                    .entry(name.clone())
                    .or_insert_with(|| Feature {
                        name: name.clone(),
                        tag: tag.to_string(),
                        parent: None,
                        operations: 0,
                    })
                    .operations += 1;
                of_op.insert(name);
            }
            if !of_op.is_empty() {
                operations.insert(id.to_string(), of_op.into_iter().collect());
            }
        }
        if features.len() < 2 {
            return None;
        }
        // A child turns its parent on; a parent without operations of its
        // own still has a feature, so the chain holds.
        let mut pending: Vec<String> = features.values().map(|f| f.tag.clone()).collect();
        while let Some(tag) = pending.pop() {
            let Some(parent_tag) = declared.get(&tag) else {
                continue;
            };
            let parent = names.of(parent_tag);
            let child = names.of(&tag);
            if parent == child {
                continue;
            }
            if !features.contains_key(&parent) {
                features.insert(
                    parent.clone(),
                    Feature {
                        name: parent.clone(),
                        tag: parent_tag.clone(),
                        parent: None,
                        operations: 0,
                    },
                );
                pending.push(parent_tag.clone());
            }
            if let Some(f) = features.get_mut(&child) {
                f.parent = Some(parent);
            }
        }
        Some(Self {
            features: features.into_values().collect(),
            operations,
        })
    }

    /// The features an operation is compiled under (none: always).
    pub fn of(&self, method: &str) -> &[String] {
        self.operations.get(method).map_or(&[], Vec::as_slice)
    }

    /// The feature with the most operations (a typical tag, for the build
    /// time measure).
    pub fn largest(&self) -> Option<&Feature> {
        self.features
            .iter()
            .max_by(|a, b| a.operations.cmp(&b.operations).then(b.name.cmp(&a.name)))
    }
}

/// Each tag's `parent` (OpenAPI 3.2), by tag name.
fn declared_parents(doc: &Value) -> BTreeMap<String, String> {
    doc.get("tags")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|t| {
            Some((
                t.get("name")?.as_str()?.to_string(),
                t.get("parent")?.as_str()?.to_string(),
            ))
        })
        .collect()
}

/// Feature names for tags: kebab case, apart from the reserved ones and
/// from each other, the same tag always the same name.
#[derive(Default)]
struct Names {
    given: BTreeMap<String, String>,
    taken: BTreeSet<String>,
}

impl Names {
    fn of(&mut self, tag: &str) -> String {
        if let Some(name) = self.given.get(tag) {
            return name.clone();
        }
        let mut base = String::new();
        for c in tag.chars() {
            match c {
                'a'..='z' | '0'..='9' => base.push(c),
                'A'..='Z' => base.push(c.to_ascii_lowercase()),
                _ if !base.is_empty() && !base.ends_with('-') => base.push('-'),
                _ => {}
            }
        }
        let base = base.trim_end_matches('-').to_string();
        let base = match base.chars().next() {
            None => "tag".to_string(),
            Some(c) if c.is_ascii_digit() => format!("tag-{base}"),
            Some(_) if RESERVED.contains(&base.as_str()) => format!("{base}-tag"),
            Some(_) => base,
        };
        let mut name = base.clone();
        let mut n = 1;
        while self.taken.contains(&name) {
            n += 1;
            name = format!("{base}-{n}");
        }
        self.taken.insert(name.clone());
        self.given.insert(tag.to_string(), name.clone());
        name
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn doc() -> Value {
        json!({
            "openapi": "3.2.0",
            "tags": [{"name": "Search", "parent": "Documents"}, {"name": "Documents"}],
            "paths": {
                "/a": {"get": {"operationId": "list_a", "tags": ["Documents"]}},
                "/b": {"get": {"operationId": "find_b", "tags": ["Search", "default"]}},
                "/c": {"get": {"operationId": "ping"}},
                "/d": {"get": {"operationId": "get_d", "tags": ["2fa  Codes!"]}}
            }
        })
    }

    #[test]
    fn each_tag_is_a_feature_a_child_turns_on_its_parent_and_small_apis_have_none() {
        assert_eq!(TagFeatures::plan(&doc(), 4), None);
        let plan = TagFeatures::plan(&doc(), 3).unwrap();
        let names: Vec<(&str, Option<&str>)> = plan
            .features
            .iter()
            .map(|f| (f.name.as_str(), f.parent.as_deref()))
            .collect();
        assert_eq!(
            names,
            [
                ("default-tag", None),
                ("documents", None),
                ("search", Some("documents")),
                ("tag-2fa-codes", None)
            ]
        );
        assert_eq!(plan.of("find_b"), ["default-tag", "search"]);
        assert!(plan.of("ping").is_empty());
        assert_eq!(plan.largest().map(|f| f.name.as_str()), Some("default-tag"));
    }
}
