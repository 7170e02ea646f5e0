//! Property tests, with a bounded number of cases so CI stays fast:
//! arbitrary JSON never makes a pipeline stage panic, and a document that
//! passes validation never makes progenitor panic; arbitrary 3.1 schemas, in
//! components and in the parameters, request bodies and responses of
//! operations, normalize into documents `openapiv3` reads; normalizing is
//! idempotent.
//!
//! A failing case is saved under `codegen/proptest-regressions/` and replayed
//! first on every later run: commit the file with the fix.

use std::sync::atomic::{AtomicUsize, Ordering};

use codegen::adapt::adapt;
use codegen::manifest::{Manifest, Policies};
use codegen::merge::{Fragment, Origins, merge};
use codegen::normalize::normalize;
use codegen::overlay::{Overlay, apply};
use codegen::validate::validate;
use proptest::prelude::*;
use proptest::sample::Index;
use proptest::test_runner::{FileFailurePersistence, TestRunner};
use serde_json::{Map, Value, json};

/// A JSON pointer one segment deeper (`~` and `/` escaped), as the
/// pipeline's diagnostics write them.
fn pointer(base: &str, segment: &str) -> String {
    format!("{base}/{}", segment.replace('~', "~0").replace('/', "~1"))
}

/// Cases per property, unless `PROPTEST_CASES` says otherwise (to search
/// longer locally); each arbitrary-JSON case that validates runs progenitor,
/// so this bounds the run time (a few seconds in debug).
const CASES: u32 = 128;

/// Of the arbitrary-JSON cases, at least this share (in percent) must pass
/// validation and reach progenitor; fewer means the strategies have drifted
/// into inputs that stop early and the property no longer tests the
/// generate stage.
const MIN_PERCENT_REACHING_GENERATE: usize = 30;

/// The regressions file of one property, under the codegen crate.
macro_rules! regressions {
    ($name:literal) => {
        concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/proptest-regressions/",
            $name,
            ".txt"
        )
    };
}

fn config(regressions: &'static str) -> ProptestConfig {
    let cases = match std::env::var("PROPTEST_CASES") {
        Ok(_) => ProptestConfig::default().cases,
        Err(_) => CASES,
    };
    ProptestConfig {
        cases,
        failure_persistence: Some(Box::new(FileFailurePersistence::Direct(regressions))),
        ..ProptestConfig::default()
    }
}

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
            Just("#/components/schemas/Base".to_string()),
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

/// Stands for the pointer of the schema that holds the `$defs` a reference
/// points into; [`document_31`] replaces it, once the schema has its place.
const HERE: &str = "#HERE";

/// Media types for `contentMediaType`: binary, JSON and text.
const CONTENT_MEDIA: [&str; 3] = ["image/png", "application/json", "text/plain"];

/// A JSON Schema 2020-12 schema using what 3.1 adds over 3.0: type arrays,
/// `const`, numeric exclusive bounds, `examples`, `$ref` siblings, `$defs`
/// and references into them, content keywords, `prefixItems`, `items: false`,
/// boolean schemas and validation-only keywords; and the combinators.
fn schema_31() -> impl Strategy<Value = Value> {
    let types = proptest::sample::select(vec!["string", "integer", "number", "boolean", "object", "array"]);
    let leaf = prop_oneof![
        types.clone().prop_map(|t| json!({"type": t})),
        (types.clone(), types.clone()).prop_map(|(a, b)| json!({"type": [a, b, "null"]})),
        types.prop_map(|t| json!({"type": [t, "null"], "description": "d"})),
        any::<i32>().prop_map(|n| json!({"type": "integer", "exclusiveMinimum": n, "examples": [n]})),
        (any::<i16>(), proptest::option::of(any::<i16>())).prop_map(|(n, max)| match max {
            Some(m) => json!({"type": "number", "exclusiveMaximum": n, "maximum": m}),
            None => json!({"type": "number", "exclusiveMaximum": n}),
        }),
        "[a-z]{1,5}".prop_map(|s| json!({"const": s})),
        Just(json!({"$ref": "#/components/schemas/Base"})),
        Just(json!({"$ref": "#/components/schemas/Base", "type": ["object", "null"], "description": "d"})),
        Just(json!({"$ref": "#/components/schemas/Base/$defs/Tag"})),
        Just(json!({"type": "string", "contentEncoding": "base64"})),
        (proptest::sample::select(CONTENT_MEDIA.to_vec()), any::<bool>()).prop_map(|(m, typed)| {
            if typed {
                json!({"type": "string", "contentMediaType": m})
            } else {
                json!({"contentMediaType": m})
            }
        }),
        Just(json!(true)),
        Just(json!(false)),
        Just(json!({"type": "array", "items": false})),
        Just(json!({"type": "object", "dependentRequired": {"a": ["b"]}})),
    ];
    leaf.prop_recursive(4, 32, 4, |inner| {
        let list = prop::collection::vec(inner.clone(), 1..3);
        let object = prop::collection::btree_map("[a-z]{1,4}", inner.clone(), 1..4).prop_map(|props| {
            let first = props.keys().next().cloned();
            json!({"type": "object", "properties": props, "required": first.into_iter().collect::<Vec<_>>()})
        });
        // `allOf` composes objects and references, as specs use it. typify
        // 0.8 asserts on some scalar merges that validation does not know,
        // e.g. `allOf: [{type: string}, {oneOf: [{type: string,
        // description: d, maxLength: 3}]}]`: a known gap, left out here.
        let composed = prop::collection::vec(
            prop_oneof![Just(json!({"$ref": "#/components/schemas/Base"})), object.clone()],
            1..3,
        );
        prop_oneof![
            object,
            inner
                .clone()
                .prop_map(|i| json!({"type": ["array", "null"], "items": i})),
            (list.clone(), any::<bool>()).prop_map(|(p, closed)| if closed {
                json!({"type": "array", "prefixItems": p, "items": false})
            } else {
                json!({"type": "array", "prefixItems": p})
            }),
            list.clone().prop_map(|v| json!({"oneOf": v})),
            list.prop_map(|v| json!({"anyOf": v})),
            composed.prop_map(|v| json!({"allOf": v})),
            inner.clone().prop_map(|d| json!({
                "$defs": {"Inner": d},
                "type": "object",
                "properties": {"inner": {"$ref": format!("{HERE}/$defs/Inner")}}
            })),
            inner.prop_map(|d| json!({"$defs": {"Inner": d}, "$ref": format!("{HERE}/$defs/Inner")})),
        ]
    })
}

/// A schema for a place in an operation: inline, or a reference to one of
/// the document's component schemas (the index picks which).
fn operation_schema() -> impl Strategy<Value = (Option<Index>, Value)> {
    (proptest::option::weighted(0.25, any::<Index>()), schema_31())
}

/// One operation: its method, and the schemas of its query parameter,
/// request body (if the method has one), success and error responses.
#[derive(Debug, Clone)]
struct Operation {
    method: &'static str,
    query: (Option<Index>, Value),
    body: (Option<Index>, Value),
    body_media: &'static str,
    response: (Option<Index>, Value),
    error: Option<(Option<Index>, Value)>,
}

fn operation() -> impl Strategy<Value = Operation> {
    (
        proptest::sample::select(vec!["get", "put", "post", "delete", "patch"]),
        operation_schema(),
        operation_schema(),
        proptest::sample::select(vec!["application/json", "application/merge-patch+json"]),
        operation_schema(),
        proptest::option::of(operation_schema()),
    )
        .prop_map(|(method, query, body, body_media, response, error)| Operation {
            method,
            query,
            body,
            body_media,
            response,
            error,
        })
}

/// A 3.1 document: a `Base` schema with `$defs`, the given component schemas
/// `S0`, `S1`, ..., and the given operations, each on its own path.
fn document_31(schemas: Vec<Value>, operations: Vec<Operation>) -> Value {
    let mut components = Map::new();
    components.insert(
        "Base".into(),
        json!({
            "type": "object",
            "properties": {"id": {"type": "string"}, "tag": {"$ref": "#/components/schemas/Base/$defs/Tag"}},
            "$defs": {"Tag": {"type": ["string", "null"]}}
        }),
    );
    let count = schemas.len();
    for (i, s) in schemas.into_iter().enumerate() {
        components.insert(format!("S{i}"), s);
    }
    let place = |(index, inline): (Option<Index>, Value)| match index {
        Some(index) if count > 0 => json!({"$ref": format!("#/components/schemas/S{}", index.index(count))}),
        _ => inline,
    };
    let json_content = |schema: Value| json!({"application/json": {"schema": schema}});
    let mut paths = Map::new();
    for (i, op) in operations.into_iter().enumerate() {
        let mut o = json!({
            "operationId": format!("op{i}"),
            "parameters": [
                {"name": "id", "in": "path", "required": true, "schema": {"type": "string"}},
                {"name": "q", "in": "query", "schema": place(op.query)}
            ],
            "responses": {"200": {"description": "ok", "content": json_content(place(op.response))}}
        });
        if op.method != "get" {
            o["requestBody"] =
                json!({"required": true, "content": {op.body_media: {"schema": place(op.body)}}});
        }
        if let Some(error) = op.error {
            o["responses"]["default"] =
                json!({"description": "error", "content": json_content(place(error))});
        }
        paths.insert(format!("/r{i}/{{id}}"), json!({ op.method: o }));
    }
    let mut doc = json!({
        "openapi": "3.1.0",
        "info": {"title": "p", "version": "1"},
        "paths": paths,
        "components": {"schemas": components}
    });
    resolve_here(&mut doc, "");
    doc
}

/// Replaces [`HERE`] in each `$ref` with the pointer of the nearest enclosing
/// schema that has `$defs`. Inner holders are done first, so what is left
/// at a holder is its own.
fn resolve_here(v: &mut Value, at: &str) {
    match v {
        Value::Object(map) => {
            for (k, child) in map.iter_mut() {
                resolve_here(child, &pointer(at, k));
            }
            if map.contains_key("$defs") {
                replace_here(v, &format!("#{at}"));
            }
        }
        Value::Array(list) => {
            for (i, child) in list.iter_mut().enumerate() {
                resolve_here(child, &format!("{at}/{i}"));
            }
        }
        _ => {}
    }
}

fn replace_here(v: &mut Value, here: &str) {
    match v {
        Value::Object(map) => {
            if let Some(Value::String(r)) = map.get_mut("$ref")
                && let Some(rest) = r.strip_prefix(HERE)
            {
                *r = format!("{here}{rest}");
            }
            map.values_mut().for_each(|c| replace_here(c, here));
        }
        Value::Array(list) => list.iter_mut().for_each(|c| replace_here(c, here)),
        _ => {}
    }
}

fn valid_document() -> impl Strategy<Value = Value> {
    (
        prop::collection::vec(schema_31(), 1..4),
        prop::collection::vec(operation(), 1..4),
    )
        .prop_map(|(schemas, operations)| document_31(schemas, operations))
}

/// A valid document, one with arbitrary JSON in a schema or a path, or
/// arbitrary JSON: most cases get past the first checks.
fn fragment() -> impl Strategy<Value = Value> {
    prop_oneof![
        4 => valid_document(),
        1 => (valid_document(), arbitrary_json(), any::<bool>()).prop_map(|(mut doc, junk, in_paths)| {
            if in_paths {
                doc["paths"]["/junk"] = junk;
            } else {
                doc["components"]["schemas"]["Junk"] = junk;
            }
            doc
        }),
        1 => arbitrary_json(),
    ]
}

/// An overlay: empty; with an update or a removal at targets that exist in
/// the documents above; with a 3.1 schema merged into the schemas at one
/// place; or arbitrary JSON.
fn overlay() -> impl Strategy<Value = Value> {
    let targets = vec![
        "$.paths.*.*",
        "$.paths.*.*.parameters[1]",
        "$.paths.*.*.responses['200']",
        "$.components.schemas.*",
        "$.components.schemas.Base.properties.*",
        "$.paths.*.*.parameters[?(@.in == 'query')]",
    ];
    // Not every schema at once: the same `oneOf` merged into a schema and
    // into one that composes it (`allOf`) makes typify 0.8 merge overlapping
    // `oneOf`s and assert, e.g. `oneOf: [{}, {nullable: true}]` under
    // `oneOf: [{nullable: true, oneOf: [...]}]`: a known gap validation does
    // not catch, left out here.
    let schema_targets = vec![
        "$.components.schemas.Base.properties.*",
        "$.paths.*.*.parameters[1].schema",
        "$.paths.*.*.responses['200'].content['application/json'].schema",
    ];
    let one = |action: Value| json!({"overlay": "1.0.0", "actions": [action]});
    prop_oneof![
        3 => Just(json!({"overlay": "1.0.0", "actions": []})),
        1 => (proptest::sample::select(targets.clone()), arbitrary_json())
            .prop_map(move |(target, update)| one(json!({"target": target, "update": update}))),
        1 => proptest::sample::select(targets)
            .prop_map(move |target| one(json!({"target": target, "remove": true}))),
        1 => (proptest::sample::select(schema_targets), schema_31())
            .prop_map(move |(target, update)| one(json!({"target": target, "update": update}))),
        1 => arbitrary_json(),
    ]
}

/// Runs every stage up to validation on two fragments and an overlay; a
/// stage that panics fails the property. Returns the validated document, if
/// validation passed.
fn stages_up_to_validate(a: Value, b: Value, o: Value) -> Option<(Value, Origins)> {
    let fragments = vec![
        Fragment {
            file: "a.json".into(),
            doc: a,
        },
        Fragment {
            file: "b.json".into(),
            doc: b,
        },
    ];
    let mut merged = merge(fragments).ok()?;
    let _ = apply(
        &mut merged.doc,
        &Overlay {
            file: "o.yaml".into(),
            doc: o,
        },
    );
    let mut normalized = normalize(merged.doc, &merged.origins).ok()?;
    adapt(&mut normalized.doc, &Policies::default());
    validate("p", &normalized.doc, &merged.origins).ok()?;
    Some((normalized.doc, merged.origins))
}

/// No stage panics on arbitrary input, and once validation passes,
/// progenitor does not panic either: validation's promise is that progenitor
/// only sees documents it can take, and a progenitor panic (which `generate`
/// turns into an error) means validation missed a construct.
#[test]
fn arbitrary_json_never_makes_a_stage_panic() {
    let (reached, generated) = (AtomicUsize::new(0), AtomicUsize::new(0));
    let inputs = (
        fragment(),
        prop_oneof![3 => Just(json!({})), 1 => fragment()],
        overlay(),
    );
    let config = config(regressions!("arbitrary_json_never_makes_a_stage_panic"));
    let cases = config.cases as usize;
    let mut runner = TestRunner::new(config);
    let outcome = runner.run(&inputs, |(a, b, o)| {
        let Some((mut doc, origins)) = stages_up_to_validate(a, b, o) else {
            return Ok(());
        };
        reached.fetch_add(1, Ordering::Relaxed);
        let validated = doc.clone();
        match codegen::generate::generate("p", &Manifest::defaults("p"), &mut doc, &origins) {
            Ok(g) => {
                // Isolation is the backstop: a schema it had to neutralize
                // because progenitor panicked is a construct validation missed.
                prop_assert!(
                    !g.notes.iter().any(|n| n.contains("progenitor panicked")),
                    "validation passed, then progenitor panicked:\n{:?}\n{:#}",
                    g.notes,
                    validated
                );
                generated.fetch_add(1, Ordering::Relaxed);
            }
            Err(e) => {
                let text = e.to_string();
                prop_assert!(
                    !text.contains("progenitor panicked"),
                    "validation passed, then progenitor panicked:\n{}\n{:#}",
                    text,
                    doc
                );
            }
        }
        Ok(())
    });
    if let Err(e) = outcome {
        panic!("{e}");
    }
    let reached = reached.into_inner();
    let generated = generated.into_inner();
    println!(
        "{reached} of {cases} cases passed validation and reached generate; {generated} generated a client"
    );
    assert!(
        reached * 100 >= cases * MIN_PERCENT_REACHING_GENERATE,
        "only {reached} of {cases} cases reached generate (at least {MIN_PERCENT_REACHING_GENERATE}% must)"
    );
}

/// The keywords that only 3.1 has, which no normalized document may hold.
const ONLY_31: [&str; 8] = [
    "$defs",
    "prefixItems",
    "const",
    "contentMediaType",
    "contentEncoding",
    "dependentRequired",
    "examples",
    "$schema",
];

/// The 3.1-only constructs left anywhere in a document, as pointers.
fn left_31(v: &Value, at: &str, found: &mut Vec<String>) {
    match v {
        Value::Object(map) => {
            for (k, child) in map {
                let child_at = pointer(at, k);
                let is_property_name = at.ends_with("/properties");
                if !is_property_name && ONLY_31.contains(&k.as_str()) {
                    found.push(child_at.clone());
                }
                let numeric_bound =
                    matches!(k.as_str(), "exclusiveMinimum" | "exclusiveMaximum") && child.is_number();
                let type_31 = k == "type" && !is_property_name && (child.is_array() || child == "null");
                if numeric_bound || type_31 {
                    found.push(child_at.clone());
                }
                left_31(child, &child_at, found);
            }
        }
        Value::Array(list) => {
            for (i, child) in list.iter().enumerate() {
                left_31(child, &format!("{at}/{i}"), found);
            }
        }
        _ => {}
    }
}

proptest! {
    #![proptest_config(config(regressions!("valid_31_documents_normalize_into_documents_openapiv3_reads")))]

    /// Normalizing a 3.1 document leaves nothing 3.1-only, anywhere, and
    /// `openapiv3` reads the result.
    #[test]
    fn valid_31_documents_normalize_into_documents_openapiv3_reads(doc in valid_document()) {
        let normalized = normalize(doc.clone(), &Origins::default())
            .map_err(|e| TestCaseError::fail(format!("{e}\n{doc:#}")))?;
        codegen::generate::parse_openapi(&normalized.doc, &Origins::default())
            .map_err(|e| TestCaseError::fail(format!("{e}\n{:#}", normalized.doc)))?;
        let mut found = Vec::new();
        left_31(&normalized.doc, "", &mut found);
        prop_assert!(found.is_empty(), "3.1-only constructs survived at {:?}:\n{:#}", found, normalized.doc);
    }
}

proptest! {
    #![proptest_config(config(regressions!("normalize_is_idempotent")))]

    /// A normalized document normalizes to itself.
    #[test]
    fn normalize_is_idempotent(doc in valid_document()) {
        let once = normalize(doc, &Origins::default())
            .map_err(|e| TestCaseError::fail(e.to_string()))?
            .doc;
        let twice = normalize(once.clone(), &Origins::default()).map_err(|e| TestCaseError::fail(e.to_string()))?.doc;
        prop_assert_eq!(once, twice);
    }
}
