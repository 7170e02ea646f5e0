//! Property tests, with a bounded number of cases so CI stays fast:
//! arbitrary JSON never makes a pipeline stage panic; arbitrary 3.1 schemas
//! normalize into documents `openapiv3` reads; normalizing is idempotent.

use codegen::adapt::adapt;
use codegen::manifest::{Manifest, Policies};
use codegen::merge::{Fragment, Origins, merge};
use codegen::normalize::normalize;
use codegen::overlay::{Overlay, apply};
use codegen::validate::validate;
use proptest::prelude::*;
use serde_json::{Map, Value, json};

/// Words that steer arbitrary JSON into the pipeline's interesting corners.
const WORDS: [&str; 24] = [
    "openapi",
    "paths",
    "components",
    "schemas",
    "get",
    "put",
    "responses",
    "200",
    "404",
    "default",
    "content",
    "application/json",
    "schema",
    "$ref",
    "type",
    "properties",
    "items",
    "allOf",
    "oneOf",
    "nullable",
    "parameters",
    "in",
    "requestBody",
    "operationId",
];

fn key() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => proptest::sample::select(WORDS.to_vec()).prop_map(str::to_string),
        1 => "[a-z{}/]{0,6}",
    ]
}

fn arbitrary_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        prop_oneof![
            Just("3.1.0".to_string()),
            Just("3.0.3".to_string()),
            Just("#/components/schemas/A".to_string()),
            Just("string".to_string()),
            "[ -~]{0,8}",
        ]
        .prop_map(Value::String),
    ];
    leaf.prop_recursive(5, 64, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map(key(), inner, 0..6)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// Arbitrary JSON, or a document skeleton with arbitrary paths and schemas,
/// so that more cases get past the first checks.
fn fragment() -> impl Strategy<Value = Value> {
    prop_oneof![
        arbitrary_json(),
        (arbitrary_json(), arbitrary_json(), schema_31()).prop_map(|(paths, schemas, s)| json!({
            "openapi": "3.1.0",
            "info": {"title": "p", "version": "1"},
            "paths": paths,
            "components": {"schemas": {"A": s, "B": schemas}}
        })),
    ]
}

/// A JSON Schema 2020-12 schema using what 3.1 adds over 3.0.
fn schema_31() -> impl Strategy<Value = Value> {
    let types = proptest::sample::select(vec!["string", "integer", "number", "boolean", "object", "array"]);
    let leaf = prop_oneof![
        types.clone().prop_map(|t| json!({"type": t})),
        (types.clone(), types.clone()).prop_map(|(a, b)| json!({"type": [a, b, "null"]})),
        types.prop_map(|t| json!({"type": [t, "null"], "description": "d"})),
        any::<i32>().prop_map(|n| json!({"type": "integer", "exclusiveMinimum": n, "examples": [n]})),
        "[a-z]{1,5}".prop_map(|s| json!({"const": s})),
        Just(json!({"$ref": "#/components/schemas/Base"})),
        Just(json!({"$ref": "#/components/schemas/Base", "type": ["object", "null"], "description": "d"})),
        Just(json!({"type": "string", "contentEncoding": "base64"})),
        Just(json!(true)),
        Just(json!({"type": "object", "dependentRequired": {"a": ["b"]}})),
    ];
    leaf.prop_recursive(4, 32, 4, |inner| {
        prop_oneof![
            prop::collection::btree_map("[a-z]{1,4}", inner.clone(), 1..4)
                .prop_map(|props| json!({"type": "object", "properties": props})),
            inner
                .clone()
                .prop_map(|i| json!({"type": ["array", "null"], "items": i})),
            prop::collection::vec(inner.clone(), 1..3)
                .prop_map(|p| json!({"type": "array", "prefixItems": p})),
            prop::collection::vec(inner.clone(), 1..3).prop_map(|v| json!({"oneOf": v})),
            inner.prop_map(|d| json!({"$defs": {"Inner": d}, "$ref": "#/components/schemas/Base"})),
        ]
    })
}

fn document_31(schemas: Vec<Value>) -> Value {
    let mut map = Map::new();
    map.insert(
        "Base".into(),
        json!({"type": "object", "properties": {"id": {"type": "string"}}}),
    );
    for (i, s) in schemas.into_iter().enumerate() {
        map.insert(format!("S{i}"), s);
    }
    json!({"openapi": "3.1.0", "info": {"title": "p", "version": "1"}, "paths": {}, "components": {"schemas": map}})
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_json_never_makes_a_stage_panic(
        a in fragment(),
        b in prop_oneof![Just(json!({})), fragment()],
        o in prop_oneof![Just(json!({"overlay": "1.0.0", "actions": []})), arbitrary_json()],
    ) {
        let fragments = vec![
            Fragment { file: "a.json".into(), doc: a },
            Fragment { file: "b.json".into(), doc: b },
        ];
        let Ok(mut merged) = merge(fragments) else { return Ok(()) };
        let _ = apply(&mut merged.doc, &Overlay { file: "o.yaml".into(), doc: o });
        let Ok(mut normalized) = normalize(merged.doc, &merged.origins) else { return Ok(()) };
        adapt(&mut normalized.doc, &Policies::default());
        if validate("p", &normalized.doc, &merged.origins).is_ok() {
            let _ = codegen::generate::generate("p", &Manifest::defaults("p"), &normalized.doc, &merged.origins);
        }
    }

    #[test]
    fn valid_31_schemas_normalize_into_documents_openapiv3_reads(schemas in prop::collection::vec(schema_31(), 1..5)) {
        let doc = document_31(schemas);
        let normalized = normalize(doc.clone(), &Origins::default())
            .map_err(|e| TestCaseError::fail(format!("{e}\n{doc:#}")))?;
        codegen::generate::parse_openapi(&normalized.doc, &Origins::default())
            .map_err(|e| TestCaseError::fail(format!("{e}\n{:#}", normalized.doc)))?;
        let text = serde_json::to_string(&normalized.doc).unwrap_or_default();
        prop_assert!(!text.contains("\"null\""), "a null type survived: {}", text);
        prop_assert!(!text.contains("$defs") && !text.contains("prefixItems") && !text.contains("\"const\""), "{}", text);
    }

    #[test]
    fn normalize_is_idempotent(schemas in prop::collection::vec(schema_31(), 1..5)) {
        let once = normalize(document_31(schemas), &Origins::default())
            .map_err(|e| TestCaseError::fail(e.to_string()))?
            .doc;
        let twice = normalize(once.clone(), &Origins::default()).map_err(|e| TestCaseError::fail(e.to_string()))?.doc;
        prop_assert_eq!(once, twice);
    }
}
