//! When progenitor fails or panics on a document that validation passed, the
//! failure costs the schemas or operations that cause it, not the API: they
//! are found by bisection and replaced by any JSON (`serde_json::Value`),
//! each with a note, or, when that cannot help, left out.
//!
//! The units are the component schemas, then each operation's bodies and
//! its parameters, in document order. A unit is *neutralized* by making a
//! component schema `{}`, an operation's request and response bodies `{}`,
//! or its parameters (its own and its path item's) plain strings. The
//! bisection first checks that neutralizing everything generates, then
//! narrows down to a small set that suffices (and a guilty component schema
//! down to its guilty properties): about `k·log2(n)` runs of progenitor for
//! `k` culprits among `n` units, never more than [`MAX_RUNS`], and
//! deterministic.
//!
//! When neutralizing cannot help, the same bisection, with each operation a
//! unit neutralized by removing it, finds the operations at fault, and they
//! are left out. Under the strict policy nothing is neutralized: the error
//! names each part at fault with its pointer, as a generator limitation.

use proc_macro2::TokenStream;
use serde_json::{Value, json};

use crate::document::{METHODS, follow, operations, pointer, unescape};
use crate::error::{Diagnostic, Error, Result};
use crate::manifest::Manifest;
use crate::merge::Origins;
use crate::validate::Skipped;

/// The most progenitor runs one API may cost.
const MAX_RUNS: usize = 80;

/// What isolation changed.
#[derive(Debug, Default)]
pub(super) struct Isolated {
    /// One line per neutralized unit, `#/pointer: what`.
    pub notes: Vec<String>,
    /// Operations left out, when making their parts plain cannot help.
    pub skipped: Vec<Skipped>,
}

/// A part of the document that can be neutralized on its own.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Unit {
    /// `/components/schemas/<name>`.
    Schema(String),
    /// An operation's request and response bodies: `/paths/<path>/<method>`,
    /// with `METHOD /path (id)`.
    Bodies(String, String),
    /// An operation's parameters, its path item's included.
    Parameters(String, String),
    /// A whole operation, removed.
    Operation(String, String),
}

struct Search<'a> {
    run: &'a mut dyn FnMut(&Value) -> Option<TokenStream>,
    doc: &'a Value,
    units: Vec<Unit>,
    runs: usize,
}

impl Unit {
    /// The pointer of what it neutralizes.
    fn at(&self) -> &str {
        match self {
            Unit::Schema(at) | Unit::Bodies(at, _) | Unit::Parameters(at, _) | Unit::Operation(at, _) => at,
        }
    }
}

impl Search<'_> {
    /// Whether progenitor takes the document with these units neutralized.
    fn works(&mut self, set: &[usize]) -> Option<bool> {
        if self.runs >= MAX_RUNS {
            return None;
        }
        self.runs += 1;
        let doc = neutralized(self.doc, &self.units, set);
        Some((self.run)(&doc).is_some())
    }

    /// A subset of `items` that, neutralized with `base`, makes the
    /// document generate; given that `base` alone does not and `base` with
    /// all of `items` does.
    fn find(&mut self, items: &[usize], base: &[usize]) -> Option<Vec<usize>> {
        if items.len() <= 1 {
            return Some(items.to_vec());
        }
        let (left, right) = items.split_at(items.len() / 2);
        let with = |extra: &[usize]| [base, extra].concat();
        if self.works(&with(left))? {
            return self.find(left, base);
        }
        let from_right = self.find(right, &with(left))?;
        if self.works(&with(&from_right))? {
            return Some(from_right);
        }
        let from_left = self.find(left, &with(&from_right))?;
        Some([from_left, from_right].concat())
    }
}

/// Runs `run` (progenitor) on the document with ever fewer parts
/// neutralized, and applies the smallest set found to `doc`: first
/// schemas, bodies and parameters made plain, then, when that cannot help,
/// operations left out. `failure` is the whole document's error, returned
/// when nothing helps, and under the strict policy, where the error names
/// the operations at fault instead.
pub(super) fn isolate(
    manifest: &Manifest,
    origins: &Origins,
    doc: &mut Value,
    failure: Error,
    run: &mut dyn FnMut(&Value) -> Option<TokenStream>,
) -> Result<(TokenStream, Isolated)> {
    let strict = manifest.policies.is_strict();
    let mut search = Search {
        run,
        doc,
        units: units(doc, false),
        runs: 0,
    };
    let first = failure.diagnostics().first();
    let reason = first.map(|d| short_reason(&d.message)).unwrap_or_default();
    let context = first.and_then(|d| d.context.clone());
    let all: Vec<usize> = (0..search.units.len()).collect();
    let found = match strict {
        true => None,
        false => match search.works(&all) {
            Some(true) => search
                .find(&all, &[])
                .map(|found| narrow_to_properties(&mut search, found)),
            _ => None,
        },
    };
    let found = match found {
        Some(found) => Some(found),
        None => culprits(&mut search),
    };
    let Some(mut found) = found else {
        return Err(failure);
    };
    if strict {
        let blamed = found.iter().map(|i| {
            let unit = &search.units[*i];
            let what = match unit {
                Unit::Operation(_, shown) => format!("operation {shown}"),
                _ => "this schema".to_string(),
            };
            let d = Diagnostic::at(
                origins.file_of(unit.at()),
                unit.at(),
                format!("a generator limitation: progenitor cannot generate {what}: {reason}"),
            )
            .help("without `strict` (under `[policies]` in the API's manifest.toml, or `--strict`) it costs only this part; or correct it with an overlay");
            match &context {
                Some(c) => d.context(c.clone()),
                None => d,
            }
        });
        return Err(Error::from_all(blamed.collect()).unwrap_or(failure));
    }
    found.sort_unstable();
    let units = search.units;
    let reduced = neutralized(doc, &units, &found);
    let Some(tokens) = run(&reduced) else {
        return Err(failure);
    };
    let mut isolated = Isolated::default();
    for i in &found {
        let what = match &units[*i] {
            Unit::Operation(at, shown) => {
                isolated.skipped.push(Skipped {
                    operation: shown.clone(),
                    reasons: vec![format!("#{at}: progenitor cannot generate it: {reason}")],
                });
                continue;
            }
            Unit::Schema(_) => "this schema",
            Unit::Bodies(..) => "this operation's bodies",
            Unit::Parameters(..) => "this operation's parameters",
        };
        let replacement = match &units[*i] {
            Unit::Parameters(..) => "strings, sent as given",
            _ => "any JSON (`serde_json::Value`)",
        };
        isolated.notes.push(format!(
            "#{}: progenitor cannot generate {what} ({reason}): {replacement}",
            units[*i].at()
        ));
    }
    isolated.notes.sort();
    *doc = reduced;
    Ok((tokens, isolated))
}

/// When no neutralizing helps (or under the strict policy): the
/// operations, and component schemas, whose removal lets progenitor
/// generate, as indices into the search's units, which it replaces. `None`
/// when removal does not help either, or the run budget ends first.
fn culprits(search: &mut Search) -> Option<Vec<usize>> {
    search.units = units(search.doc, true);
    search.runs = 0;
    let all: Vec<usize> = (0..search.units.len()).collect();
    if !search.works(&all)? {
        return None;
    }
    search.find(&all, &[])
}

/// A component schema found guilty costs only the properties that make it
/// so, when neutralizing them is enough: a central type (Kubernetes'
/// `PodSpec`) keeps its other fields.
fn narrow_to_properties(search: &mut Search, found: Vec<usize>) -> Vec<usize> {
    let mut kept = found.clone();
    for culprit in found {
        let Unit::Schema(at) = &search.units[culprit] else {
            continue;
        };
        let properties: Vec<Unit> = search
            .doc
            .pointer(at)
            .and_then(|s| s.get("properties"))
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
            .map(|(name, _)| Unit::Schema(pointer(&pointer(at, "properties"), name)))
            .collect();
        if properties.is_empty() {
            continue;
        }
        let first = search.units.len();
        search.units.extend(properties);
        let props: Vec<usize> = (first..search.units.len()).collect();
        let base: Vec<usize> = kept.iter().copied().filter(|i| *i != culprit).collect();
        let narrowed = match search.works(&[base.as_slice(), &props].concat()) {
            Some(true) => search.find(&props, &base),
            _ => None,
        };
        if let Some(narrowed) = narrowed {
            kept = [base, narrowed].concat();
        }
    }
    kept
}

/// A failure's message on one line, with no path of this machine in it:
/// `progenitor panicked: not yet implemented: invalid (or unexpected)
/// schema: {...} at /root/.cargo/registry/src/index.crates.io-xxx/typify-impl-0.8.0/src/convert.rs:788`
/// -> `progenitor panicked: not yet implemented: invalid (or unexpected) schema (typify-impl-0.8.0/src/convert.rs:788)`.
fn short_reason(message: &str) -> String {
    let first = message
        .lines()
        .next()
        .unwrap_or_default()
        .trim_start_matches("a generator limitation: ")
        .trim_end_matches([':', ' ']);
    let raw_place = message
        .rsplit_once(" at ")
        .map(|(_, place)| place)
        .filter(|place| place.contains(".rs:"));
    // A one-line message ends with its place: it is said once, in brackets.
    let first = raw_place
        .and_then(|p| first.strip_suffix(&format!(" at {p}")))
        .unwrap_or(first);
    let place = raw_place.map(super::portable_place);
    let first = first.split(" at /").next().unwrap_or(first);
    match place {
        Some(place) => format!("{first} ({place})"),
        None => first.to_string(),
    }
}

/// The component schemas, then the operations, in document order: to find
/// the operations at fault, each operation whole, else its bodies and its
/// parameters.
fn units(doc: &Value, whole_operations: bool) -> Vec<Unit> {
    let mut units: Vec<Unit> = doc
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .map(|(name, _)| Unit::Schema(pointer("/components/schemas", name)))
        .collect();
    for o in operations(doc) {
        let shown = match o.op.get("operationId").and_then(Value::as_str) {
            Some(id) => format!("{} ({id})", o.shown()),
            None => o.shown(),
        };
        if whole_operations {
            units.push(Unit::Operation(o.pointer(), shown));
        } else {
            units.push(Unit::Bodies(o.pointer(), shown.clone()));
            units.push(Unit::Parameters(o.pointer(), shown));
        }
    }
    units
}

/// The document with the units of `set` neutralized.
fn neutralized(doc: &Value, units: &[Unit], set: &[usize]) -> Value {
    let mut out = doc.clone();
    for unit in set.iter().filter_map(|i| units.get(*i)) {
        match unit {
            Unit::Schema(at) => {
                if let Some(schema) = out.pointer_mut(at) {
                    let description = schema.get("description").cloned();
                    *schema = json!({});
                    if let Some(d) = description {
                        schema["description"] = d;
                    }
                }
            }
            Unit::Operation(at, _) => remove_operation(&mut out, at),
            Unit::Bodies(at, _) => {
                if let Some(op) = out.pointer_mut(at) {
                    any_bodies(op);
                }
            }
            Unit::Parameters(at, _) => {
                let plain = plain_parameters(doc, at);
                if let Some(Value::Object(op)) = out.pointer_mut(at) {
                    op.insert("parameters".into(), Value::Array(plain));
                }
            }
        }
    }
    out
}

/// An operation's parameters, its path item's first (an operation's own
/// replaces one of the same name and place), each inline with a string
/// schema: what any spec's parameter can be sent as. A reference that
/// leads nowhere is dropped.
fn plain_parameters(doc: &Value, op_at: &str) -> Vec<Value> {
    let item_at = op_at.rsplit_once('/').map_or("", |(item, _)| item);
    let listed = |at: String| -> Vec<&Value> {
        doc.pointer(&at)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|p| follow(doc, p).ok())
            .collect()
    };
    let mut plain: Vec<Value> = Vec::new();
    for p in listed(format!("{item_at}/parameters"))
        .into_iter()
        .chain(listed(format!("{op_at}/parameters")))
    {
        let (Some(name), Some(place)) = (
            p.get("name").and_then(Value::as_str),
            p.get("in").and_then(Value::as_str),
        ) else {
            continue;
        };
        let mut param = json!({
            "name": name,
            "in": place,
            "required": place == "path" || p.get("required") == Some(&Value::Bool(true)),
            "schema": {"type": "string"},
        });
        if let Some(d) = p.get("description").filter(|d| d.is_string()) {
            param["description"] = d.clone();
        }
        plain.retain(|q| q["name"] != param["name"] || q["in"] != param["in"]);
        plain.push(param);
    }
    plain
}

fn remove_operation(doc: &mut Value, at: &str) {
    let Some((item, method)) = at.rsplit_once('/') else {
        return;
    };
    if METHODS.contains(&unescape(method).as_str())
        && let Some(Value::Object(item)) = doc.pointer_mut(item)
    {
        item.remove(method);
    }
}

/// Every request and response body of an operation becomes any JSON; the
/// media types stay.
fn any_bodies(op: &mut Value) {
    let mut contents: Vec<&mut Value> = Vec::new();
    if let Some(c) = op.pointer_mut("/requestBody/content") {
        contents.push(c);
    }
    for content in contents {
        for media in content.as_object_mut().into_iter().flat_map(|m| m.values_mut()) {
            if let Some(s) = media.get_mut("schema") {
                *s = any_like(s);
            }
        }
    }
    if let Some(Value::Object(responses)) = op.get_mut("responses") {
        for response in responses.values_mut() {
            if let Some(Value::Object(content)) = response.get_mut("content") {
                for media in content.values_mut() {
                    if let Some(s) = media.get_mut("schema") {
                        *s = any_like(s);
                    }
                }
            }
        }
    }
}

/// Any JSON, but a binary string stays one (progenitor sends and reads
/// those as bytes).
fn any_like(schema: &Value) -> Value {
    if schema.get("format").and_then(Value::as_str) == Some("binary") {
        schema.clone()
    } else {
        json!({})
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A stand-in for progenitor that fails while any schema named `Bad*`
    /// or any operation with `x-bad` is left as it was.
    fn fake(doc: &Value) -> Option<TokenStream> {
        let bad_schema = doc
            .pointer("/components/schemas")
            .and_then(Value::as_object)
            .is_some_and(|s| {
                s.iter()
                    .any(|(k, v)| k.starts_with("Bad") && v.get("type").is_some())
            });
        let bad_property = doc
            .pointer("/components/schemas/S001/properties/bad")
            .is_some_and(|p| p.get("type").is_some());
        let bad_op = operations(doc).iter().any(|o| {
            o.op.get("x-bad").is_some()
                && o.op.pointer("/requestBody/content/application~1json/schema") != Some(&json!({}))
        });
        // A path item's parameter progenitor cannot take, until the
        // operation has its own, plain one.
        let bad_param = operations(doc)
            .iter()
            .any(|o| o.item.get("parameters").is_some() && o.op.get("parameters").is_none());
        (!bad_schema && !bad_op && !bad_property && !bad_param).then(TokenStream::new)
    }

    fn doc(schemas: usize, ops: usize) -> Value {
        let mut s = serde_json::Map::new();
        for i in 0..schemas {
            let name = if i == 3 || i == 17 {
                format!("Bad{i}")
            } else {
                format!("S{i:03}")
            };
            s.insert(name, json!({"type": "object", "description": "d"}));
        }
        let mut paths = serde_json::Map::new();
        for i in 0..ops {
            let mut op = json!({"operationId": format!("op{i}"), "requestBody": {"content": {"application/json": {"schema": {"type": "object"}}}}, "responses": {}});
            if i == 5 {
                op["x-bad"] = json!(true);
            }
            let mut item = json!({"post": op});
            if i == 7 {
                item["parameters"] = json!([{"$ref": "#/components/parameters/Odd"}]);
            }
            paths.insert(format!("/p{i:03}"), item);
        }
        if schemas > 1 {
            s.insert(
                "S001".into(),
                json!({"type": "object", "properties": {
                    "bad": {"type": "integer"}, "good": {"type": "string"}
                }}),
            );
        }
        json!({"openapi": "3.0.3", "paths": paths, "components": {
            "schemas": s,
            "parameters": {"Odd": {"name": "odd", "in": "query", "description": "o", "schema": {"type": "integer", "x-bad": true}}},
        }})
    }

    fn failure() -> Error {
        crate::error::Diagnostic::file("f", "progenitor panicked: boom").into()
    }

    #[test]
    fn only_the_culprits_become_any_json_in_few_runs() {
        let mut d = doc(200, 300);
        let mut runs = 0;
        let mut run = |doc: &Value| {
            runs += 1;
            fake(doc)
        };
        let (_, isolated) = isolate(
            &Manifest::defaults("t"),
            &Origins::default(),
            &mut d,
            failure(),
            &mut run,
        )
        .expect("isolated");
        assert_eq!(
            isolated.notes,
            [
                "#/components/schemas/Bad17: progenitor cannot generate this schema (progenitor panicked: boom): any JSON (`serde_json::Value`)",
                "#/components/schemas/Bad3: progenitor cannot generate this schema (progenitor panicked: boom): any JSON (`serde_json::Value`)",
                "#/components/schemas/S001/properties/bad: progenitor cannot generate this schema (progenitor panicked: boom): any JSON (`serde_json::Value`)",
                "#/paths/~1p005/post: progenitor cannot generate this operation's bodies (progenitor panicked: boom): any JSON (`serde_json::Value`)",
                "#/paths/~1p007/post: progenitor cannot generate this operation's parameters (progenitor panicked: boom): strings, sent as given",
            ]
        );
        // The path item's parameter, through its reference, is the
        // operation's own now, as a string; the bodies are untouched.
        assert_eq!(
            d.pointer("/paths/~1p007/post/parameters"),
            Some(
                &json!([{"name": "odd", "in": "query", "required": false, "description": "o", "schema": {"type": "string"}}])
            )
        );
        assert_eq!(
            d.pointer("/paths/~1p007/post/requestBody/content/application~1json/schema"),
            Some(&json!({"type": "object"}))
        );
        assert_eq!(
            d.pointer("/components/schemas/Bad3"),
            Some(&json!({"description": "d"}))
        );
        assert_eq!(d.pointer("/components/schemas/S004/type"), Some(&json!("object")));
        assert_eq!(
            d.pointer("/components/schemas/S001/properties/good"),
            Some(&json!({"type": "string"}))
        );
        assert!(runs <= 40, "{runs} runs");
    }

    #[test]
    fn reasons_are_one_line_without_local_paths() {
        assert_eq!(
            short_reason(
                "progenitor panicked: not yet implemented: invalid (or unexpected) schema:\n{\n  \"format\": \"int64\"\n} at /root/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/typify-impl-0.8.0/src/convert.rs:788"
            ),
            "progenitor panicked: not yet implemented: invalid (or unexpected) schema (typify-impl-0.8.0/src/convert.rs:788)"
        );
        assert_eq!(
            short_reason(
                "progenitor panicked: missing path name mapping path at /x/progenitor-impl-0.15.1/src/template.rs:38"
            ),
            "progenitor panicked: missing path name mapping path (template.rs:38)"
        );
        // The hook records places already portable: said once.
        assert_eq!(
            short_reason(
                "a generator limitation: progenitor panicked: key 403 is missing at progenitor-impl-0.15.1/src/util.rs:28"
            ),
            "progenitor panicked: key 403 is missing (progenitor-impl-0.15.1/src/util.rs:28)"
        );
        assert_eq!(
            short_reason("progenitor cannot generate a client: x"),
            "progenitor cannot generate a client: x"
        );
    }

    #[test]
    fn when_nothing_helps_the_error_stays() {
        let mut d = doc(3, 3);
        let before = d.clone();
        let mut never = |_: &Value| None;
        let err = isolate(
            &Manifest::defaults("t"),
            &Origins::default(),
            &mut d,
            failure(),
            &mut never,
        )
        .expect_err("fails");
        assert!(err.to_string().contains("boom"));
        assert_eq!(d, before);
    }

    /// Fails while operation 9 is in the document, whatever is neutralized.
    fn fails_with_operation_9(doc: &Value) -> Option<TokenStream> {
        doc.pointer("/paths/~1p009/post").is_none().then(TokenStream::new)
    }

    /// When only leaving an operation out helps, it is left out, with its
    /// reason.
    #[test]
    fn when_only_removal_helps_the_operation_is_left_out() {
        let mut d = doc(3, 12);
        let (_, isolated) = isolate(
            &Manifest::defaults("t"),
            &Origins::default(),
            &mut d,
            failure(),
            &mut fails_with_operation_9,
        )
        .expect("isolated");
        assert_eq!(
            isolated.skipped,
            [Skipped {
                operation: "POST /p009 (op9)".into(),
                reasons: vec![
                    "#/paths/~1p009/post: progenitor cannot generate it: progenitor panicked: boom".into()
                ],
            }]
        );
        assert!(isolated.notes.is_empty(), "{:?}", isolated.notes);
        assert!(d.pointer("/paths/~1p009/post").is_none());
        assert!(d.pointer("/paths/~1p008/post").is_some());
    }

    /// Under the strict policy, the error names that operation at its
    /// pointer, in the file it came from, and says what to do; the
    /// document is left as it was.
    #[test]
    fn under_strict_the_error_names_the_operation() {
        let mut d = doc(3, 12);
        let before = d.clone();
        let mut origins = Origins::default();
        origins.record("/paths/~1p009".into(), "specs/t/more.json");
        let mut m = Manifest::defaults("t");
        m.policies.strict = true;
        let err = isolate(&m, &origins, &mut d, failure(), &mut fails_with_operation_9).expect_err("fails");
        let [only] = err.diagnostics() else {
            panic!("one diagnostic: {err}");
        };
        assert_eq!(only.file, "specs/t/more.json");
        assert_eq!(
            only.place,
            crate::error::Place::Pointer("/paths/~1p009/post".into())
        );
        assert_eq!(
            only.message,
            "a generator limitation: progenitor cannot generate operation POST /p009 (op9): progenitor panicked: boom"
        );
        assert!(
            only.help
                .as_deref()
                .unwrap_or_default()
                .starts_with("without `strict`")
        );
        assert_eq!(d, before);
    }
}
