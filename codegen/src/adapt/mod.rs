//! Adapt stage: operations progenitor cannot take as written become ones it
//! can, each by a documented policy that the manifest's `[policies]` table
//! can change. Every change is recorded, and the API-surface snapshot shows
//! it under the operation it touched.
//!
//! - `request_media = "prefer-json"`: of several request media types, keep
//!   the JSON one (else the first progenitor can send, else a multipart
//!   form); a media type that means JSON (`+json`, a wildcard with a
//!   non-binary schema) is given to progenitor as `application/json` and
//!   the client layer sends the declared type, and a binary `*/*`, or
//!   binary bytes of a type progenitor cannot send (`application/x-tar`),
//!   are `application/octet-stream`. Under `"error"` only a body of one
//!   media type is adapted.
//! - always, what progenitor cannot express is lifted out for the client
//!   layer (`lift.rs`): multipart/form-data bodies, and deepObject,
//!   `explode: false`, pipe- and space-delimited query parameters.
//! - always, a component whose root is a nullable composition gets its
//!   composition moved to `<Name>Inner` (`nullable_roots.rs`), which typify
//!   would otherwise define under the component's own name too.
//! - always, an `enum` that narrows `allOf` references keeps its values and
//!   drops the references, on which typify panics (`narrow_references`),
//!   and a `default` beside an `anyOf` of overlapping branches, which
//!   typify cannot check, is dropped.
//! - `success_responses = "typed"`: differently typed success responses
//!   become one enum per operation, a variant per status
//!   (`per_status.rs`); `"raw"` makes them all raw bytes instead. A `101
//!   Switching Protocols` beside other success responses is left
//!   undeclared first (the client never asks to upgrade).
//! - `error_responses = "merge"`: differently typed error responses become
//!   one error type, a `oneOf` of the JSON error bodies; body-less and
//!   non-JSON error responses are left undeclared, so they reach the caller
//!   as an unexpected response that keeps its status. `"raw"` makes every
//!   error response raw bytes instead.

mod lift;
mod nullable_roots;
mod pagination;
mod per_status;
pub(crate) mod recursive_merges;

use heck::ToUpperCamelCase;
use serde_json::{Map, Value, json};

use crate::document::{
    Kind, component_ref, media_base, move_refs, operations, pointer, ref_target, resolve, schemas_mut, walk,
};
use crate::manifest::{DanglingRefs, ErrorResponses, Policies, RequestMedia, SuccessResponses};
use crate::progenitor_rules::{
    LAYER_MEDIA_TYPES, RAW_BYTES, REQUEST_MEDIA_TYPES, UPGRADE, group_responses, means_json,
};

pub(crate) use self::lift::{FILE_MARKER, LAYER_KEY};
pub(crate) use self::pagination::Paging;
pub use self::pagination::paginate;
pub(crate) use self::per_status::{
    ERRORS_KEY, EVENTS_KEY, Events, STATUSES_KEY, Statuses, status_range, variant_name,
};

/// One change the adapt stage made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Adaptation {
    /// The operation's id (or `METHOD /path`).
    pub operation: String,
    /// The operation's JSON pointer.
    pub pointer: String,
    /// The policy, as written in a manifest (`error_responses = "merge"`).
    pub policy: String,
    /// What it did.
    pub detail: String,
    /// Whether the operation can no longer be called with every input its
    /// spec documents (a parameter dropped): such an operation is
    /// generated, but not counted as covered.
    pub loses_input: bool,
}

impl Adaptation {
    /// A change to a schema or the whole document rather than to one
    /// operation (`pointer` is empty for the document); it loses no input.
    pub(crate) fn of_document(pointer: impl Into<String>, policy: &str, detail: String) -> Self {
        Self {
            operation: String::new(),
            pointer: pointer.into(),
            policy: policy.into(),
            detail,
            loses_input: false,
        }
    }
}

/// Statuses whose response kind is not a JSON body.
const NOT_JSON: [&str; 3] = ["no body", RAW_BYTES, UPGRADE];

/// Applies the policies to every operation of a normalized document.
pub fn adapt(doc: &mut Value, policies: &Policies) -> Vec<Adaptation> {
    let mut done = Vec::new();
    drop_own_extensions(doc, &mut done);
    if policies.dangling_refs == DanglingRefs::Any {
        dangling_refs_to_any(doc, &mut done);
    }
    rename_colliding_schemas(doc, &mut done);
    nullable_roots::hoist(doc, &mut done);
    recursive_merges::hoist(doc, &mut done);
    open_colliding_enums(doc, &mut done);
    narrow_references(doc, &mut done);
    drop_any_of_defaults(doc, &mut done);
    drop_schema_titles(doc, &mut done);
    lift::hoist_item_parameters(doc);
    drop_last_event_id(doc, &mut done);
    drop_parameter_name_clashes(doc, &mut done);
    let original = doc.clone();
    let mut new_schemas: Vec<(String, Value)> = Vec::new();
    let mut names = lift::Names::new(&existing_schema_names(&original, &[]));
    for operation in operations(&original) {
        let at = operation.pointer();
        let Some(op) = doc.pointer_mut(&at) else { continue };
        let name = operation.name();
        let mut record = |policy: &str, detail: String| {
            done.push(Adaptation {
                loses_input: false,
                operation: name.clone(),
                pointer: at.clone(),
                policy: policy.into(),
                detail,
            });
        };
        let id = op
            .get("operationId")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string();
        let mut lifting = Lifting {
            id: &id,
            names: &mut names,
            new_schemas: &mut new_schemas,
        };
        request_media(&original, op, policies.request_media, &mut lifting, &mut record);
        for detail in path_values_as_strings(&original, op) {
            record("parameters", detail);
        }
        for detail in lift::parameters(
            &original,
            operation.item,
            op,
            &id,
            lifting.names,
            lifting.new_schemas,
        ) {
            record("client layer", detail);
        }
        let (mut statuses, mut errors, mut headers, mut events) = (None, None, None, None);
        let flag = stream_flag(&original, op);
        if let Some(Value::Object(responses)) = op.get_mut("responses") {
            json_media_as_json(&original, responses, &mut record);
            let taken = existing_schema_names(&original, &new_schemas);
            let made = responses_policies(
                &original,
                responses,
                &name,
                policies,
                &taken,
                flag.clone(),
                &mut record,
            );
            for schema in made.schemas {
                names.add(&schema.0);
                new_schemas.push(schema);
            }
            statuses = made.statuses;
            errors = made.errors;
            headers = made.headers;
            events = made.events;
        }
        if let Some(op) = op.as_object_mut() {
            op.extend(statuses.map(|s| (STATUSES_KEY.to_string(), s)));
            op.extend(errors.map(|s| (ERRORS_KEY.to_string(), s)));
            op.extend(headers.map(|s| (HEADERS_KEY.to_string(), s)));
            op.extend(events.map(|s| (EVENTS_KEY.to_string(), s)));
        }
    }
    if !new_schemas.is_empty() {
        let schemas = doc
            .as_object_mut()
            .map(|root| root.entry("components").or_insert_with(|| json!({})))
            .and_then(Value::as_object_mut)
            .map(|c| c.entry("schemas").or_insert_with(|| json!({})));
        if let Some(Value::Object(schemas)) = schemas {
            schemas.extend(new_schemas);
        }
    }
    done
}

/// The boolean property of an operation's JSON request body that asks for
/// a stream of events (`stream`, as OpenAI-style APIs have it).
fn stream_flag(doc: &Value, op: &Value) -> Option<String> {
    let body = resolve(doc, op.get("requestBody")?)?;
    let schema = resolve(doc, body.pointer("/content/application~1json/schema")?)?;
    let mut schemas = vec![schema];
    schemas.extend(
        schema
            .get("allOf")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|s| resolve(doc, s)),
    );
    schemas.iter().find_map(|s| {
        let flag = resolve(doc, s.pointer("/properties/stream")?)?;
        let boolean = match flag.get("type") {
            Some(Value::String(t)) => t == "boolean",
            Some(Value::Array(types)) => types.iter().any(|t| t == "boolean"),
            _ => false,
        };
        boolean.then(|| "stream".to_string())
    })
}

/// `dangling_refs = "any"`: a schema that is a local `$ref` to nothing
/// becomes any JSON (`{}`, a `serde_json::Value`), keeping its description.
fn dangling_refs_to_any(doc: &mut Value, done: &mut Vec<Adaptation>) {
    let mut dangling = Vec::new();
    walk(doc, Kind::Document, "", &mut |node, place| {
        if place.kind == Kind::Schema
            && let Some(Value::String(r)) = node.get("$ref")
            && r.starts_with('#')
            && ref_target(doc, r).is_none()
        {
            dangling.push((place.at.to_string(), r.clone()));
        }
    });
    for (at, r) in dangling {
        if let Some(Value::Object(schema)) = doc.pointer_mut(&at) {
            schema.retain(|k, _| k == "description");
            done.push(Adaptation::of_document(
                at,
                "dangling_refs = \"any\"",
                format!("`$ref: {r}` points at nothing: any JSON (`serde_json::Value`)"),
            ));
        }
    }
}

/// The generator's own extensions (`x-usergroup-*`: what this stage records
/// for the client layer) mean something only when this stage wrote them: a
/// spec that brings its own could name a schema as a helper to leave out,
/// or a string as a file. They are dropped, wherever they are, with a note.
fn drop_own_extensions(doc: &mut Value, done: &mut Vec<Adaptation>) {
    let mut dropped = 0;
    let mut todo: Vec<&mut Value> = vec![doc];
    while let Some(node) = todo.pop() {
        match node {
            Value::Object(map) => {
                let before = map.len();
                // The carried method is the normalize stage's: it drops a
                // spec's own before it writes one (`normalize/v32.rs`).
                map.retain(|k, _| !k.starts_with("x-usergroup-") || k == crate::document::METHOD_KEY);
                dropped += before - map.len();
                todo.extend(map.values_mut());
            }
            Value::Array(items) => todo.extend(items.iter_mut()),
            _ => {}
        }
    }
    if dropped > 0 {
        done.push(Adaptation::of_document(
            String::new(),
            "extensions",
            format!("{dropped} `x-usergroup-*` extension(s) dropped: the generator writes those itself"),
        ));
    }
}

/// A string enum whose values differ only in case or punctuation (`add` and
/// `Add`) cannot become Rust variants: typify panics. Such an enum becomes a
/// plain string, which still sends and accepts every value.
fn open_colliding_enums(doc: &mut Value, done: &mut Vec<Adaptation>) {
    schemas_mut(doc, |map, at| {
        let Some(Value::Array(values)) = map.get("enum") else {
            return;
        };
        if !values.iter().all(Value::is_string) {
            return;
        }
        let names: Vec<&str> = values.iter().filter_map(Value::as_str).collect();
        if !typify_names_variants(&names) {
            let listed: Vec<&str> = values.iter().filter_map(Value::as_str).collect();
            let detail = format!("enum {listed:?} became a plain string: its values collide as Rust names");
            map.remove("enum");
            done.push(Adaptation::of_document(at.to_string(), "enums", detail));
        }
    });
}

/// A schema whose `enum` narrows the types it merges by reference
/// (Discord's component type tags: `type: integer, enum: [23], allOf:
/// [$ref: MessageComponentTypes]`): typify checks the values against the
/// reference before it has resolved it and panics (typify 0.8
/// `defaults.rs:325`, unreachable on a reference), which refused the whole
/// API. The values say more than the reference, and the wire is the same:
/// the references are dropped.
fn narrow_references(doc: &mut Value, done: &mut Vec<Adaptation>) {
    schemas_mut(doc, |map, at| {
        let Some(Value::Array(all)) = map.get("allOf") else {
            return;
        };
        if !map.contains_key("enum") || all.is_empty() || !all.iter().all(|s| s.get("$ref").is_some()) {
            return;
        }
        let refs: Vec<&str> = all.iter().filter_map(|s| s.get("$ref")?.as_str()).collect();
        let detail = format!("`enum` narrows `allOf` {refs:?}: the values are kept, the references dropped");
        map.remove("allOf");
        done.push(Adaptation::of_document(at.to_string(), "enums", detail));
    });
}

/// A `default` beside an `anyOf` whose branches overlap (OpenAI's image
/// `model`: `anyOf: [string, enum [dall-e-2]]`, default `dall-e-2`): typify
/// 0.8 makes such an `anyOf` a struct of optional parts, checks the default
/// against it, fails, and makes the whole enclosing schema any JSON, so a
/// multipart form lost its struct and the API was refused. Branches of
/// different JSON types are told apart, and their default kept. Where two
/// branches share a type, or one says nothing of its shape, the default,
/// which only fills in a value the server assumes anyway, is dropped.
fn drop_any_of_defaults(doc: &mut Value, done: &mut Vec<Adaptation>) {
    let original = doc.clone();
    schemas_mut(doc, |map, at| {
        let Some(Value::Array(branches)) = map.get("anyOf") else {
            return;
        };
        let resolved: Vec<&Value> = branches.iter().filter_map(|b| resolve(&original, b)).collect();
        let types: Vec<&str> = resolved.iter().filter_map(|b| b.get("type")?.as_str()).collect();
        // A branch that says nothing of its shape (Qdrant's `{nullable:
        // true}` beside a reference) overlaps every other.
        let open = resolved.iter().any(|b| {
            ["type", "anyOf", "oneOf", "allOf", "enum", "properties"]
                .iter()
                .all(|k| b.get(*k).is_none())
        });
        let overlap = open || types.iter().enumerate().any(|(i, t)| types[..i].contains(t));
        if overlap && let Some(default) = map.remove("default") {
            let shown: String = default.to_string().chars().take(80).collect();
            done.push(Adaptation::of_document(at.to_string(), "defaults", format!(
                    "`default: {shown}` beside an `anyOf` whose branches overlap dropped: typify cannot check it"
                )));
        }
    });
}

/// typify names inline types after their `title`, so two schemas with one
/// title (GitHub's `simple-user` and `nullable-simple-user` are both "Simple
/// User"), or a nullable titled schema and its wrapper, become two Rust
/// types of one name. Titles only annotate: without them, types are named
/// after their component key or their place, which is unique.
fn drop_schema_titles(doc: &mut Value, done: &mut Vec<Adaptation>) {
    let mut count = 0;
    schemas_mut(doc, |map, _| {
        if matches!(map.get("title"), Some(Value::String(_))) {
            map.remove("title");
            count += 1;
        }
    });
    if count > 0 {
        done.push(Adaptation::of_document(
            String::new(),
            "titles",
            format!("{count} schema title(s) dropped: types are named after their key or place"),
        ));
    }
}

/// Schema names that differ only in case or punctuation (`Self` and `self`,
/// `simple-user` and `SimpleUser`) become one Rust type name. All but the
/// first (in name order) get a number, and every `$ref` follows.
fn rename_colliding_schemas(doc: &mut Value, done: &mut Vec<Adaptation>) {
    let Some(Value::Object(schemas)) = doc.pointer_mut("/components/schemas") else {
        return;
    };
    let mut seen: std::collections::BTreeSet<String> = std::collections::BTreeSet::new();
    let mut renames = Vec::new();
    let names: Vec<String> = schemas.keys().cloned().collect();
    let taken: Vec<String> = names.iter().map(|n| variant_key(n)).collect();
    for name in &names {
        if seen.insert(variant_key(name)) {
            continue;
        }
        let mut n = 2;
        let mut new_name = format!("{name}{n}");
        while taken.contains(&variant_key(&new_name)) || !seen.insert(variant_key(&new_name)) {
            n += 1;
            new_name = format!("{name}{n}");
        }
        if let Some(schema) = schemas.remove(name) {
            schemas.insert(new_name.clone(), schema);
        }
        done.push(Adaptation::of_document(
            pointer("/components/schemas", name),
            "schema names",
            format!("renamed to `{new_name}`: the name collides with another schema's as a Rust type"),
        ));
        renames.push((
            component_ref("schemas", name),
            component_ref("schemas", &new_name),
        ));
    }
    move_refs(doc, &renames);
}

/// Whether typify 0.8 can name the variants of a string enum, as
/// `TypeEntryEnum::from_metadata` does: each value sanitized, and when those
/// collide, each with every `_` and non-identifier character made `X`; when
/// both collide it panics (Jira's `-description` and `+description`).
fn typify_names_variants(values: &[&str]) -> bool {
    let unique = |name: &dyn Fn(&str) -> String| {
        let mut seen = std::collections::BTreeSet::new();
        values.iter().all(|v| seen.insert(name(v)))
    };
    let xid_continue = |c: char| c.is_alphanumeric() || c == '_';
    unique(&|v| typify_sanitize(v))
        || unique(&|v| typify_sanitize(&v.replace(|c: char| c == '_' || !xid_continue(c), "X")))
}

/// typify's `sanitize` in Pascal case, but for the keyword suffix (which
/// cannot make two names one).
fn typify_sanitize(input: &str) -> String {
    let out = match input {
        "+1" => "Plus1".to_string(),
        "-1" => "Minus1".to_string(),
        _ => input
            .replace('\'', "")
            .replace(|c: char| !(c.is_alphanumeric() || c == '_'), "-")
            .to_upper_camel_case(),
    };
    match out.chars().next() {
        None => "X".into(),
        Some(c) if c.is_alphabetic() || c == '_' => out,
        Some(_) => format!("X{out}"),
    }
}

/// What a type name comes down to in Rust (typify's Pascal case): a
/// leading `+` or `-` is spelled out, other punctuation and case
/// disappear. Two component names with one key are one Rust type.
fn variant_key(value: &str) -> String {
    let (sign, rest) = match value.strip_prefix('+') {
        Some(rest) => ("plus", rest),
        None => value
            .strip_prefix('-')
            .map_or(("", value), |rest| ("minus", rest)),
    };
    let word: String = rest
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect();
    format!("{sign}{word}")
}

fn existing_schema_names(doc: &Value, added: &[(String, Value)]) -> Vec<String> {
    let mut names: Vec<String> = doc
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default();
    names.extend(added.iter().map(|(n, _)| n.clone()));
    names
}

/// Where the lifting of one operation puts its component schemas.
struct Lifting<'a> {
    id: &'a str,
    names: &'a mut lift::Names,
    new_schemas: &'a mut Vec<(String, Value)>,
}

/// progenitor writes a path value with `to_string()`, which typify's type
/// for an `anyOf` schema (a struct of optional members) does not have
/// (Prefect's `id_or_name`: a UUID or a name): such a path parameter is a
/// string, with a note. On the wire a path value is text either way. (A
/// `oneOf` becomes an enum that has `Display`, and keeps its type.)
fn path_values_as_strings(doc: &Value, op: &mut Value) -> Vec<String> {
    let Some(Value::Array(params)) = op.get_mut("parameters") else {
        return Vec::new();
    };
    let mut notes = Vec::new();
    for p in params.iter_mut() {
        let Some(param) = resolve(doc, p) else { continue };
        let Some(schema) = param.get("schema").and_then(|s| resolve(doc, s)) else {
            continue;
        };
        // progenitor puts a path value in the URL with `to_string`, which
        // an `anyOf` (an enum), an array (daniweb's `Vec<u32>`, Gambit's
        // `Vec<Vec<String>>`) or an object does not have.
        let why = if schema.get("anyOf").is_some() {
            "its schema is an `anyOf`"
        } else {
            match schema.get("type").and_then(Value::as_str) {
                Some("array") => "its schema is an array",
                Some("object") => "its schema is an object",
                _ => continue,
            }
        };
        if param.get("in").and_then(Value::as_str) != Some("path") {
            continue;
        }
        let name = param
            .get("name")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string();
        let mut string = json!({"type": "string"});
        if let Some(d) = schema.get("description") {
            string["description"] = d.clone();
        }
        let mut copy = param.clone();
        copy["schema"] = string;
        *p = copy;
        notes.push(format!(
            "path parameter `{name}` is a string: {why}, whose Rust type progenitor cannot put in a path"
        ));
    }
    notes
}

/// How a request body is handed to progenitor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum BodyForm {
    /// In a media type progenitor sends.
    AsDeclared,
    /// As `application/json`.
    Json,
    /// As a `String`, `text/plain`.
    Text,
    /// As bytes, `application/octet-stream`.
    Bytes,
}

/// Media types whose bodies are text: `text/*`, XML and YAML (sent as the
/// caller's string until a typed body is worth it), and a few
/// `application/` types that are text by definition.
fn is_textual(base: &str) -> bool {
    let (kind, sub) = base.split_once('/').unwrap_or((base, ""));
    kind == "text"
        || ["xml", "yaml", "x-yaml"].contains(&sub)
        || sub.ends_with("+xml")
        || sub.ends_with("+yaml")
        || [
            "application/jwt",
            "application/graphql",
            "application/javascript",
            "application/sql",
        ]
        .contains(&base)
}

/// `request_media = "prefer-json"`, and the media types that mean JSON or
/// that the client layer sends itself (multipart).
fn request_media(
    doc: &Value,
    op: &mut Value,
    policy: RequestMedia,
    lifting: &mut Lifting<'_>,
    record: &mut impl FnMut(&str, String),
) {
    let Some(body) = op.get("requestBody").and_then(|b| resolve(doc, b)).cloned() else {
        return;
    };
    let Some(content) = body.get("content").and_then(Value::as_object) else {
        return;
    };
    if content.len() > 1 && policy == RequestMedia::Error {
        return;
    }
    let schema_of = |k: &str| {
        content
            .get(k)
            .and_then(|m| m.get("schema"))
            .and_then(|s| resolve(doc, s))
    };
    let chosen = content
        .keys()
        .find(|k| means_json(k, schema_of(k)))
        .or_else(|| {
            REQUEST_MEDIA_TYPES
                .iter()
                .chain(&LAYER_MEDIA_TYPES)
                .find_map(|supported| content.keys().find(|k| media_base(k) == *supported))
        })
        .or_else(|| content.keys().next())
        .cloned();
    let Some(chosen) = chosen else { return };
    let dropped: Vec<&String> = content.keys().filter(|k| **k != chosen).collect();
    let left_out = if dropped.is_empty() {
        String::new()
    } else {
        format!("; left out {dropped:?}")
    };
    let mut media = content[&chosen].clone();
    if !media.is_object() {
        // Not a media type object: validation says so, at its place.
        return;
    }
    let base = media_base(&chosen);
    if media.get("itemSchema").is_some()
        && let Some(item) = lift::sequence_body(
            doc,
            op,
            lifting.id,
            &chosen,
            &media,
            lifting.names,
            lifting.new_schemas,
        )
    {
        record(
            "client layer",
            format!(
                "request body `{chosen}` sent by the client layer: a slice of `{item}`, one item each{left_out}"
            ),
        );
        return;
    }
    if base == "multipart/mixed" {
        if let Some(parts) = lift::mixed(doc, op, lifting.id, &media, lifting.names, lifting.new_schemas) {
            record(
                "client layer",
                format!("request body `{chosen}` sent by the client layer, as its parts: {parts}{left_out}"),
            );
        }
        return;
    }
    if LAYER_MEDIA_TYPES.contains(&base) {
        if let Some(form) = lift::multipart(doc, op, lifting.id, &media, lifting.names, lifting.new_schemas) {
            record(
                "client layer",
                format!(
                    "request body `{chosen}` sent by the client layer, its fields typed as `{form}`{left_out}"
                ),
            );
        }
        return;
    }
    let is_string = media.pointer("/schema/type").and_then(Value::as_str) == Some("string");
    let is_binary = is_string && media.pointer("/schema/format").and_then(Value::as_str) == Some("binary");
    let wildcard = matches!(base, "*/*" | "application/*");
    let json = means_json(&chosen, schema_of(&chosen));
    // How the body is handed to progenitor: as declared, as JSON, as a
    // string (`text/plain`) or as bytes (`application/octet-stream`); the
    // declared type goes on the wire all the same (`lift::content_type`).
    let sent_as = if base == "application/json"
        || (REQUEST_MEDIA_TYPES.contains(&base) && media.get("schema").is_some())
    {
        match base {
            // progenitor takes octet-stream only as a binary string
            // (Docker's `POST /images/create` declares a plain string)...
            "application/octet-stream" if !is_binary => BodyForm::Bytes,
            // ...and text only as a string (Orthanc's text bodies have a
            // description and no type).
            b if b.starts_with("text/") && !is_string => BodyForm::Text,
            _ => BodyForm::AsDeclared,
        }
    } else if json {
        BodyForm::Json
    } else if is_textual(base) && !is_binary {
        BodyForm::Text
    } else {
        // Bytes of a type progenitor cannot name (Docker's
        // `application/x-tar`, an image, a zip), or of no schema.
        BodyForm::Bytes
    };
    let description = media.pointer("/schema/description").cloned();
    let replace_schema = |media: &mut Value, schema: Value| {
        media["schema"] = schema;
        if let Some(d) = &description {
            media["schema"]["description"] = d.clone();
        }
    };
    let given = match sent_as {
        BodyForm::AsDeclared => {
            if media.get("schema").is_none() {
                // A JSON body of no schema: any JSON.
                media["schema"] = json!({});
            }
            chosen.clone()
        }
        BodyForm::Json => {
            if media.get("schema").is_none() {
                media["schema"] = json!({});
            }
            "application/json".to_string()
        }
        BodyForm::Text => {
            replace_schema(&mut media, json!({"type": "string"}));
            "text/plain".to_string()
        }
        BodyForm::Bytes => {
            // progenitor sends raw bodies with exactly this schema.
            replace_schema(&mut media, json!({"type": "string", "format": "binary"}));
            "application/octet-stream".to_string()
        }
    };
    // The declared type is what the wire carries, unless it is a wildcard.
    let declared_on_wire = given != chosen && !wildcard;
    if declared_on_wire {
        lift::content_type(op, &chosen);
    }
    if content.len() == 1 && given == chosen && media == content[&chosen] {
        return;
    }
    let mut detail = match (declared_on_wire, sent_as) {
        (true, BodyForm::Text) => format!("request body `{chosen}` given as a string, sent as `{chosen}`"),
        (true, BodyForm::Bytes) => format!("request body `{chosen}` given as bytes, sent as `{chosen}`"),
        (true, _) => format!("request body given to progenitor as `{given}`, sent as `{chosen}`"),
        (false, _) if given != chosen => format!("request body sent as `{given}` (declared `{chosen}`)"),
        (false, _) => format!("request body sent as `{given}`"),
    };
    if sent_as == BodyForm::Bytes && is_string && !is_binary && !wildcard {
        detail.push_str(" (declared a string that is not `format: binary`)");
    } else if content[&chosen].get("schema").is_none() {
        detail.push_str(" (declared with no schema)");
    }
    detail.push_str(&left_out);
    let mut new_body = body.clone();
    new_body["content"] = Value::Object(Map::from_iter([(given, media)]));
    op["requestBody"] = new_body;
    record("request_media = \"prefer-json\"", detail);
}

fn raw_response(description: &Value) -> Value {
    json!({
        "description": description.as_str().unwrap_or_default(),
        "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}
    })
}

fn statuses(groups: &std::collections::BTreeMap<String, std::collections::BTreeSet<String>>) -> Vec<String> {
    groups.values().flatten().cloned().collect()
}

/// Makes each status's response raw bytes, keeping its description.
fn make_raw(doc: &Value, responses: &mut Map<String, Value>, which: &[String]) {
    for status in which {
        if let Some(r) = responses.get(status) {
            let description = resolve(doc, r)
                .and_then(|r| r.get("description"))
                .cloned()
                .unwrap_or(Value::Null);
            responses.insert(status.clone(), raw_response(&description));
        }
    }
}

/// A 101 answers a request to upgrade the connection (Docker's `attach`:
/// `Upgrade: tcp`), which the generated client never makes: progenitor asks
/// for an upgrade only on dropshot's websocket operations. Beside another
/// success response, which is what the client gets, it would make progenitor
/// refuse the operation (two success types): it is left undeclared.
fn leave_upgrade_undeclared(
    responses: &mut Map<String, Value>,
    success: &std::collections::BTreeMap<String, std::collections::BTreeSet<String>>,
    record: &mut impl FnMut(&str, String),
) {
    let Some(upgrades) = success.get(UPGRADE) else {
        return;
    };
    for status in upgrades {
        responses.remove(status);
    }
    let others: Vec<String> = success
        .iter()
        .filter(|(kind, _)| kind.as_str() != UPGRADE)
        .flat_map(|(_, s)| s.iter().cloned())
        .collect();
    record(
        "success_responses",
        format!(
            "left {} undeclared: the client does not ask to upgrade the connection, and reads the {} response",
            upgrades.iter().cloned().collect::<Vec<_>>().join(", "),
            others.join(", ")
        ),
    );
}

/// progenitor hands over an upgraded connection only with an error type that
/// is `Debug`, which raw bytes are not (Docker's `POST /session`: a 101, and
/// 400 and 500 as a raw stream; the crate did not compile). Those error
/// responses are left undeclared: they reach the caller with their status.
fn leave_raw_errors_of_upgrade_undeclared(
    responses: &mut Map<String, Value>,
    raw: &std::collections::BTreeSet<String>,
    record: &mut impl FnMut(&str, String),
) {
    for status in raw {
        responses.remove(status);
    }
    record(
        "error_responses",
        format!(
            "left {} undeclared: raw error bodies beside a connection upgrade (101); they reach the caller with their status",
            raw.iter().cloned().collect::<Vec<_>>().join(", ")
        ),
    );
}

/// A response body of a JSON media type progenitor does not read as JSON
/// (`application/scim+json`, `application/problem+json`, `text/json`) is given to it as
/// `application/json`, so it is typed, not raw bytes; the server's
/// `Content-Type` does not matter to the decoding. A bare string schema
/// stays bytes: under a JSON media type it is the vendor's way of saying
/// "the document" (Kubernetes' `application/jwk-set+json`).
fn json_media_as_json(
    doc: &Value,
    responses: &mut Map<String, Value>,
    record: &mut impl FnMut(&str, String),
) {
    for (status, response) in responses.iter_mut() {
        let Some(resolved) = resolve(doc, response) else {
            continue;
        };
        let Some(content) = resolved.get("content").and_then(Value::as_object) else {
            continue;
        };
        if content.keys().any(|m| media_base(m) == "application/json") {
            continue;
        }
        let Some((media, body)) = content.iter().find(|(m, body)| {
            crate::document::is_json_media(m)
                && body.get("schema").is_some_and(|s| {
                    resolve(doc, s)
                        .and_then(|s| s.get("type"))
                        .and_then(Value::as_str)
                        != Some("string")
                })
        }) else {
            continue;
        };
        let (media, body) = (media.clone(), body.clone());
        let mut resolved = resolved.clone();
        if let Some(Value::Object(content)) = resolved.get_mut("content") {
            content.remove(&media);
            content.insert("application/json".into(), body);
        }
        *response = resolved;
        record("responses", format!("{status} `{media}` read as JSON"));
    }
}

/// A `multipart/mixed` success whose `itemSchema` is not JSON stays raw
/// bytes, with a note: the parts are the caller's to split.
fn multipart_left_raw(doc: &Value, responses: &Map<String, Value>, record: &mut impl FnMut(&str, String)) {
    for (status, r) in responses.iter().filter(|(s, _)| s.starts_with('2')) {
        let Some(content) = resolve(doc, r)
            .and_then(|r| r.get("content"))
            .and_then(Value::as_object)
        else {
            continue;
        };
        for (media, body) in content {
            if media_base(media).eq_ignore_ascii_case("multipart/mixed")
                && body
                    .get("itemSchema")
                    .is_some_and(|i| per_status::raw_parts(doc, i))
            {
                record(
                    "events",
                    format!(
                        "{status} `{media}`: its parts are not JSON, so the body stays raw bytes (`ByteStream`) for the caller to split"
                    ),
                );
            }
        }
    }
}

/// What the response policies made for one operation.
#[derive(Default)]
struct Made {
    /// New component schemas: an error union, the per-status helper.
    schemas: Vec<(String, Value)>,
    /// The operation's [`STATUSES_KEY`] record.
    statuses: Option<Value>,
    /// The operation's [`ERRORS_KEY`] record.
    errors: Option<Value>,
    /// The operation's [`HEADERS_KEY`] record.
    headers: Option<Value>,
    /// The operation's [`EVENTS_KEY`] record.
    events: Option<Value>,
}

/// Where the headers each response documents are kept, by status, as the
/// spec gave them: the policies below may make a response raw or leave it
/// undeclared for progenitor, but its headers are still sent, and typed.
pub(crate) const HEADERS_KEY: &str = "x-usergroup-headers";

/// The `headers` of each of `responses`, by status, or `None` when none
/// documents any.
fn documented_headers(doc: &Value, responses: &Map<String, Value>) -> Option<Value> {
    let by_status: Map<String, Value> = responses
        .iter()
        .filter_map(|(status, r)| {
            let headers = resolve(doc, r)?.get("headers")?.as_object()?;
            (!headers.is_empty()).then(|| (status.clone(), Value::Object(headers.clone())))
        })
        .collect();
    (!by_status.is_empty()).then_some(Value::Object(by_status))
}

/// `success_responses`, then `error_responses`: the new component schemas
/// (an error union, the per-status helper) and the per-status plan.
fn responses_policies(
    doc: &Value,
    responses: &mut Map<String, Value>,
    operation: &str,
    policies: &Policies,
    taken: &[String],
    flag: Option<String>,
    record: &mut impl FnMut(&str, String),
) -> Made {
    let mut made = Made {
        headers: documented_headers(doc, responses),
        ..Made::default()
    };
    let explicit_success = responses.keys().any(|s| s.starts_with('2'));
    // Every documented error status, typed for the operation's `errors`
    // enum, before the policies below change what progenitor sees.
    // Valid status keys only (`4XX` and `4xx` are one), each once.
    let mut seen = std::collections::BTreeSet::new();
    let documented: Vec<String> = responses
        .keys()
        .filter(|s| crate::progenitor_rules::is_status(s) && seen.insert(s.to_ascii_uppercase()))
        .filter(|s| {
            s.starts_with('4')
                || s.starts_with('5')
                || (explicit_success && s.eq_ignore_ascii_case("default"))
        })
        .cloned()
        .collect();
    if !documented.is_empty() {
        let mut taken = taken.to_vec();
        taken.extend(made.schemas.iter().map(|(n, _)| n.clone()));
        if let Ok(plan) = per_status::plan(
            doc,
            responses,
            &documented,
            operation,
            &taken,
            per_status::Side::Errors,
        ) {
            made.errors = Some(plan.record);
            made.schemas.extend(plan.schemas);
        }
    }
    let taken: &[String] = &[
        taken,
        &made.schemas.iter().map(|(n, _)| n.clone()).collect::<Vec<_>>(),
    ]
    .concat();
    // A success that is a stream of events: typed by the client layer.
    let planned = per_status::plan_events(doc, responses, operation, taken, flag);
    if planned.is_none() {
        multipart_left_raw(doc, responses, record);
    }
    if let Some((events, helper)) = planned {
        let framing = events.get("framing").and_then(Value::as_str);
        let what = match &helper {
            Some((name, _)) if framing.is_some() => format!("each item decoded as `{name}`'s `data`"),
            Some((name, _)) => format!("each event's data decoded as `{name}`'s `data`"),
            None => "each event's data as text (no payload schema)".to_string(),
        };
        let form = match (
            events.get("beside_json").and_then(Value::as_bool),
            events.get("flag").and_then(Value::as_str),
        ) {
            (Some(true), Some(flag)) => format!(
                " by the request value's `.stream()`, which sets `{flag}: true` (the method gives the JSON)"
            ),
            (Some(true), None) => {
                " by the request value's `.stream()`, which asks for it (the method gives the JSON)"
                    .to_string()
            }
            _ => String::new(),
        };
        let read_as = match framing {
            Some("lines") => "JSON Lines read as typed items",
            Some("multipart") => "`multipart/mixed` read as typed items, one per JSON part",
            Some(_) => "a JSON text sequence read as typed items",
            None => "`text/event-stream` read as typed events",
        };
        record("events", format!("{read_as}{form}: {what}"));
        made.events = Some(events);
        made.schemas.extend(helper);
    }
    let taken: &[String] = &[
        taken,
        &made.schemas.iter().map(|(n, _)| n.clone()).collect::<Vec<_>>(),
    ]
    .concat();
    let mut groups = group_responses(doc, responses);
    // A `default` whose type no other response shares is what makes the
    // types differ: leave it undeclared rather than change the others.
    let default_alone = |g: &std::collections::BTreeMap<String, std::collections::BTreeSet<String>>| {
        g.len() > 1 && g.values().any(|s| s.len() == 1 && s.contains("default"))
    };
    if explicit_success
        && policies.error_responses != ErrorResponses::Error
        && (default_alone(&groups.success) || default_alone(&groups.errors))
    {
        responses.remove("default");
        record(
            "error_responses",
            "left `default` undeclared: its type differs from the other responses'".into(),
        );
        groups = group_responses(doc, responses);
    }
    if groups.success.len() > 1 && policies.success_responses != SuccessResponses::Error {
        leave_upgrade_undeclared(responses, &groups.success, record);
        groups = group_responses(doc, responses);
    }
    if groups.success.len() > 1 && policies.success_responses != SuccessResponses::Error {
        let which = statuses(&groups.success);
        let typed = match policies.success_responses {
            SuccessResponses::Typed => per_status::plan(
                doc,
                responses,
                &which,
                operation,
                taken,
                per_status::Side::Success,
            ),
            _ => Err("`success_responses = \"raw\"`".to_string()),
        };
        make_raw(doc, responses, &which);
        match typed {
            Ok(plan) => {
                record(
                    "success_responses = \"typed\"",
                    format!(
                        "{}: one variant each of the operation's `responses` enum",
                        which.join(", ")
                    ),
                );
                made.statuses = Some(plan.record);
                made.schemas.extend(plan.schemas);
            }
            Err(why) => record(
                match policies.success_responses {
                    SuccessResponses::Raw => "success_responses = \"raw\"",
                    _ => "success_responses",
                },
                format!("{} return raw bytes ({why})", which.join(", ")),
            ),
        }
    }
    let mut groups = group_responses(doc, responses);
    if groups.success.keys().eq([UPGRADE]) && groups.errors.contains_key(RAW_BYTES) {
        leave_raw_errors_of_upgrade_undeclared(responses, &groups.errors[RAW_BYTES], record);
        groups = group_responses(doc, responses);
    }
    if groups.errors.len() <= 1 || policies.error_responses == ErrorResponses::Error {
        return made;
    }
    let (json, other): (Vec<_>, Vec<_>) = groups
        .errors
        .into_iter()
        .partition(|(k, _)| !NOT_JSON.contains(&k.as_str()));
    if policies.error_responses == ErrorResponses::Raw || json.is_empty() {
        let which: Vec<String> = json
            .iter()
            .chain(&other)
            .flat_map(|(_, s)| s.iter().cloned())
            .collect();
        make_raw(doc, responses, &which);
        record(
            "error_responses = \"raw\"",
            format!("{} return raw bytes", which.join(", ")),
        );
        return made;
    }
    let undeclared: Vec<String> = other.iter().flat_map(|(_, s)| s.iter().cloned()).collect();
    for status in &undeclared {
        responses.remove(status);
    }
    let mut detail = String::new();
    if !undeclared.is_empty() {
        detail = format!("{} left undeclared (no JSON body)", undeclared.join(", "));
    }
    let union = (json.len() > 1).then(|| {
        let name = unique_name(&format!("{}Error", pascal(operation)), taken);
        let variants: Vec<Value> = json
            .iter()
            .filter_map(|(_, s)| s.iter().next())
            .filter_map(|status| resolve(doc, &responses[status]))
            .filter_map(|r| {
                r.get("content")?
                    .as_object()?
                    .iter()
                    .find(|(k, _)| crate::progenitor_rules::is_progenitor_json(k))
            })
            .filter_map(|(_, m)| m.get("schema").cloned())
            .collect();
        let reference = json!({"$ref": component_ref("schemas", &name)});
        for status in json.iter().flat_map(|(_, s)| s.iter()) {
            let Some(mut r) = responses.get(status).and_then(|r| resolve(doc, r)).cloned() else {
                continue;
            };
            if let Some(Value::Object(content)) = r.get_mut("content") {
                content.retain(|k, _| crate::progenitor_rules::is_progenitor_json(k));
                for media in content.values_mut() {
                    media["schema"] = reference.clone();
                }
            }
            responses.insert(status.clone(), r);
        }
        let statuses: Vec<String> = json.iter().flat_map(|(_, s)| s.iter().cloned()).collect();
        let schema = json!({
            "description": format!("Any of the error bodies of `{operation}` ({}).", statuses.join(", ")),
            "oneOf": variants,
        });
        if !detail.is_empty() {
            detail.push_str("; ");
        }
        detail.push_str(&format!("{} share the error type `{name}`", statuses.join(", ")));
        (name, schema)
    });
    record("error_responses = \"merge\"", detail);
    made.schemas.extend(union);
    made
}

/// `apps/create-from-manifest` -> `AppsCreateFromManifest`.
fn pascal(s: &str) -> String {
    s.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
                .unwrap_or_default()
        })
        .collect()
}

/// progenitor knows an operation's parameters by name alone, and panics
/// ("missing path name mapping") when two share one in different places:
/// Kubernetes' proxy routes have a path parameter `path` and a query
/// parameter `path`. The path parameter is kept (the URL needs it), and the
/// other dropped with a note; a caller cannot send it.
fn drop_parameter_name_clashes(doc: &mut Value, done: &mut Vec<Adaptation>) {
    let original = doc.clone();
    // (pointer of a `parameters` list, index): the parameters to drop.
    let mut drops: std::collections::BTreeSet<(String, usize)> = Default::default();
    for operation in operations(&original) {
        let item_at = pointer("/paths", operation.path);
        let lists = [
            (pointer(&item_at, "parameters"), operation.item.get("parameters")),
            (
                pointer(&operation.pointer(), "parameters"),
                operation.op.get("parameters"),
            ),
        ];
        // name -> (in, where it is declared), op-level ones last.
        let mut by_name: std::collections::BTreeMap<&str, Vec<(&str, String, usize)>> = Default::default();
        for (at, list) in &lists {
            for (i, p) in list.and_then(Value::as_array).into_iter().flatten().enumerate() {
                let Some(p) = resolve(&original, p) else { continue };
                let (Some(name), Some(place)) = (
                    p.get("name").and_then(Value::as_str),
                    p.get("in").and_then(Value::as_str),
                ) else {
                    continue;
                };
                let same = by_name.entry(name).or_default();
                // An operation's parameter replaces the path item's of the
                // same name and place.
                same.retain(|(other, _, _)| *other != place);
                same.push((place, at.clone(), i));
            }
        }
        for (name, declared) in by_name.iter().filter(|(_, d)| d.len() > 1) {
            let keep = declared
                .iter()
                .position(|(place, _, _)| *place == "path")
                .unwrap_or(0);
            let others = declared.iter().enumerate().filter(|(n, _)| *n != keep);
            for (place, at, i) in others.map(|(_, d)| d) {
                drops.insert((at.clone(), *i));
                done.push(Adaptation {
                    loses_input: true,
                    operation: operation.name(),
                    pointer: operation.pointer(),
                    policy: "parameters".into(),
                    detail: format!(
                        "dropped the {place} parameter `{name}`: the {} parameter `{name}` has its name, and progenitor knows parameters by name",
                        declared[keep].0
                    ),
                });
            }
        }
    }
    // Highest index first, so the others keep their place.
    for (at, i) in drops.iter().rev() {
        if let Some(Value::Array(list)) = doc.pointer_mut(at) {
            list.remove(*i);
        }
    }
}

/// `Last-Event-ID` is the SSE protocol's own header: an operation that
/// answers events sends it itself (on reconnection, and as its request
/// value's `resume_from`), so the operation's header parameter of that
/// name is dropped, with a note (Mistral's also has a `last_event_id`
/// query parameter, which gave two inputs of one Rust name).
fn drop_last_event_id(doc: &mut Value, done: &mut Vec<Adaptation>) {
    let original = doc.clone();
    for operation in operations(&original) {
        let streams = operation
            .op
            .get("responses")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
            .filter(|(status, _)| status.starts_with('2'))
            .filter_map(|(_, r)| resolve(&original, r)?.get("content")?.as_object())
            .any(|c| c.contains_key("text/event-stream"));
        let at = pointer(&operation.pointer(), "parameters");
        let Some(Value::Array(list)) = doc.pointer_mut(&at).filter(|_| streams) else {
            continue;
        };
        let before = list.len();
        list.retain(|p| {
            let p = resolve(&original, p).unwrap_or(p);
            let header = p.get("in").and_then(Value::as_str) == Some("header");
            let name = p.get("name").and_then(Value::as_str).unwrap_or_default();
            !(header && name.eq_ignore_ascii_case("last-event-id"))
        });
        if list.len() < before {
            done.push(Adaptation {
                loses_input: false,
                operation: operation.name(),
                pointer: operation.pointer(),
                policy: "parameters".into(),
                detail: "dropped the header parameter `Last-Event-ID`: the client sends it itself (`resume_from`, and on reconnection)".into(),
            });
        }
    }
}

/// What two names share when typify makes them one type name: their
/// letters and digits, in lower case (`get-user-errors` is `GetUserErrors`
/// too). An iterator, so a comparison allocates nothing.
pub(crate) fn type_name_key(s: &str) -> impl Iterator<Item = u8> + '_ {
    s.bytes()
        .filter(u8::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
}

pub(crate) fn unique_name(base: &str, taken: &[String]) -> String {
    // Compared without allocating: an API of thousands of types asks this
    // once per operation.
    let key = type_name_key;
    let mut name = base.to_string();
    let mut n = 2;
    while taken.iter().any(|t| key(t).eq(key(&name))) {
        name = format!("{base}{n}");
        n += 1;
    }
    name
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn doc_with(op: Value) -> Value {
        json!({
            "openapi": "3.0.3",
            "paths": {"/a": {"post": op}},
            "components": {"schemas": {
                "A": {"type": "object"}, "B": {"type": "object"},
                "basic-error": {"type": "object"}, "validation-error": {"type": "object"}
            }}
        })
    }

    fn json_response(schema: &str) -> Value {
        json!({"description": "d", "content": {"application/json": {"schema": {"$ref": format!("#/components/schemas/{schema}")}}}})
    }

    fn policies() -> Policies {
        Policies::default()
    }

    #[test]
    fn several_request_media_types_keep_json() {
        let mut doc = doc_with(json!({"operationId": "x", "requestBody": {"content": {
            "text/plain": {"schema": {"type": "string"}},
            "application/json": {"schema": {"type": "object"}}
        }}, "responses": {}}));
        let done = adapt(&mut doc, &policies());
        assert_eq!(
            doc.pointer("/paths/~1a/post/requestBody/content")
                .unwrap()
                .as_object()
                .unwrap()
                .len(),
            1
        );
        assert!(
            doc.pointer("/paths/~1a/post/requestBody/content/application~1json")
                .is_some()
        );
        assert_eq!(done[0].policy, "request_media = \"prefer-json\"");
        assert!(
            done[0].detail.contains("left out [\"text/plain\"]"),
            "{}",
            done[0].detail
        );
    }

    /// The declared media type is replaced, not joined: the body has one
    /// media type, the one progenitor sends, and the adaptation says so;
    /// the declared type, unless a wildcard, is what the wire carries (the
    /// layer's `content_type`). Any media type can be sent: JSON-like as
    /// JSON, text (XML, YAML, a JWT) as a string, anything else as bytes.
    #[test]
    fn every_request_media_type_is_sent_as_progenitor_can_with_its_declared_type() {
        let binary = || json!({"type": "string", "format": "binary"});
        let cases = [
            (
                "application/vnd.x+json",
                Some(json!({"type": "object"})),
                json!({"application/json": {"schema": {"type": "object"}}}),
                "request body given to progenitor as `application/json`, sent as `application/vnd.x+json`",
                true,
            ),
            (
                "*/*",
                Some(json!({"type": "object"})),
                json!({"application/json": {"schema": {"type": "object"}}}),
                "request body sent as `application/json` (declared `*/*`)",
                false,
            ),
            (
                "*/*",
                Some(json!({"type": "string", "format": "binary", "description": "d"})),
                json!({"application/octet-stream": {"schema": {"type": "string", "format": "binary", "description": "d"}}}),
                "request body sent as `application/octet-stream` (declared `*/*`)",
                false,
            ),
            (
                "application/x-tar",
                Some(binary()),
                json!({"application/octet-stream": {"schema": binary()}}),
                "request body `application/x-tar` given as bytes, sent as `application/x-tar`",
                true,
            ),
            (
                "application/octet-stream",
                Some(json!({"type": "string"})),
                json!({"application/octet-stream": {"schema": binary()}}),
                "request body sent as `application/octet-stream` (declared a string that is not `format: binary`)",
                false,
            ),
            (
                "text/xml",
                Some(json!({"type": "object", "description": "d"})),
                json!({"text/plain": {"schema": {"type": "string", "description": "d"}}}),
                "request body `text/xml` given as a string, sent as `text/xml`",
                true,
            ),
            (
                "application/jwt",
                Some(json!({"type": "string"})),
                json!({"text/plain": {"schema": {"type": "string"}}}),
                "request body `application/jwt` given as a string, sent as `application/jwt`",
                true,
            ),
            (
                "image/jpeg",
                None,
                json!({"application/octet-stream": {"schema": binary()}}),
                "request body `image/jpeg` given as bytes, sent as `image/jpeg` (declared with no schema)",
                true,
            ),
            (
                "application/zip",
                Some(json!({"type": "string"})),
                json!({"application/octet-stream": {"schema": binary()}}),
                "request body `application/zip` given as bytes, sent as `application/zip` (declared a string that is not `format: binary`)",
                true,
            ),
            (
                "application/json",
                None,
                json!({"application/json": {"schema": {}}}),
                "request body sent as `application/json` (declared with no schema)",
                false,
            ),
            (
                "text/plain",
                Some(json!({"description": "a path"})),
                json!({"text/plain": {"schema": {"type": "string", "description": "a path"}}}),
                "request body sent as `text/plain`",
                false,
            ),
        ];
        for (declared, schema, sent, detail, on_wire) in cases {
            let media = match schema {
                Some(schema) => json!({"schema": schema}),
                None => json!({}),
            };
            let mut doc = doc_with(
                json!({"operationId": "a", "requestBody": {"content": {declared: media}}, "responses": {}}),
            );
            let done = adapt(&mut doc, &policies());
            assert_eq!(
                doc.pointer("/paths/~1a/post/requestBody/content"),
                Some(&sent),
                "{declared}"
            );
            let done: Vec<(&str, &str)> = done
                .iter()
                .map(|d| (d.policy.as_str(), d.detail.as_str()))
                .collect();
            assert_eq!(done, [("request_media = \"prefer-json\"", detail)], "{declared}");
            let content_type = doc.pointer(&format!("/paths/~1a/post/{LAYER_KEY}/content_type"));
            assert_eq!(
                content_type,
                on_wire.then(|| json!(declared)).as_ref(),
                "{declared}"
            );
            assert_eq!(
                crate::validate::validate("t", &doc, &crate::merge::Origins::default())
                    .map_err(|e| e.to_string()),
                Ok(()),
                "{declared}"
            );
        }
    }

    #[test]
    fn json_200_beside_empty_204_is_typed_per_status() {
        let mut doc = doc_with(
            json!({"operationId": "star", "responses": {"200": json_response("A"), "204": {"description": "none"}}}),
        );
        let done = adapt(&mut doc, &policies());
        // progenitor gets bytes; the layer gets the plan, the types a helper.
        assert_eq!(done[0].policy, "success_responses = \"typed\"");
        let plan = doc.pointer(&format!("/paths/~1a/post/{STATUSES_KEY}")).unwrap();
        assert_eq!(plan["helper"], "StarStatuses");
        assert_eq!(
            doc.pointer("/components/schemas/StarStatuses/properties/status_200"),
            Some(&json!({"$ref": "#/components/schemas/A"}))
        );
        assert!(
            doc.pointer("/paths/~1a/post/responses/200/content/application~1octet-stream")
                .is_some()
        );
    }

    #[test]
    fn json_200_beside_empty_204_becomes_raw_bytes_when_asked() {
        let mut doc =
            doc_with(json!({"responses": {"200": json_response("A"), "204": {"description": "none"}}}));
        let raw = Policies {
            success_responses: SuccessResponses::Raw,
            ..policies()
        };
        let done = adapt(&mut doc, &raw);
        for status in ["200", "204"] {
            let schema = doc
                .pointer(&format!(
                    "/paths/~1a/post/responses/{status}/content/application~1octet-stream/schema"
                ))
                .unwrap();
            assert_eq!(schema, &json!({"type": "string", "format": "binary"}));
        }
        assert_eq!(
            doc.pointer("/paths/~1a/post/responses/204/description").unwrap(),
            "none"
        );
        assert_eq!(done[0].policy, "success_responses = \"raw\"");
    }

    /// Docker's `attach`: a raw 200 stream, or a 101 when the client asks
    /// to upgrade, which it never does. The 200 stays as it is.
    #[test]
    fn a_101_beside_another_success_response_is_left_undeclared() {
        let stream = json!({"description": "stream", "content": {"application/vnd.docker.raw-stream": {"schema": {"type": "string", "format": "binary"}}}});
        let mut doc = doc_with(json!({"operationId": "attach", "responses": {
            "101": {"description": "hijacking"}, "200": stream, "404": json_response("A")
        }}));
        let done = adapt(&mut doc, &policies());
        assert!(doc.pointer("/paths/~1a/post/responses/101").is_none());
        assert_eq!(doc.pointer("/paths/~1a/post/responses/200").unwrap(), &stream);
        assert_eq!(
            done.iter()
                .map(|a| (a.policy.as_str(), a.detail.as_str()))
                .collect::<Vec<_>>(),
            [(
                "success_responses",
                "left 101 undeclared: the client does not ask to upgrade the connection, and reads the 200 response"
            )]
        );
        assert!(crate::validate::validate("t", &doc, &crate::merge::Origins::default()).is_ok());
        // Alone, a 101 is what the operation returns: it stays.
        let mut alone = doc_with(json!({"responses": {"101": {"description": "upgraded"}}}));
        assert!(adapt(&mut alone, &policies()).is_empty());
        assert!(alone.pointer("/paths/~1a/post/responses/101").is_some());
        // Docker's `POST /session`: raw error bodies beside it would be an
        // error type that is not `Debug`, which progenitor's upgrade needs.
        let mut session = doc_with(json!({"responses": {
            "101": {"description": "upgraded"}, "400": stream.clone(), "500": stream, "404": json_response("A")
        }}));
        let done = adapt(&mut session, &policies());
        let left: Vec<&String> = session["paths"]["/a"]["post"]["responses"]
            .as_object()
            .unwrap()
            .keys()
            .collect();
        assert_eq!(left, ["101", "404"]);
        assert_eq!(
            done.iter()
                .map(|a| (a.policy.as_str(), a.detail.as_str()))
                .collect::<Vec<_>>(),
            [(
                "error_responses",
                "left 400, 500 undeclared: raw error bodies beside a connection upgrade (101); they reach the caller with their status"
            )]
        );
    }

    /// Kubernetes' proxy routes: `{path}` in the URL and a query `path`.
    #[test]
    fn a_parameter_sharing_a_path_parameters_name_is_dropped() {
        let mut doc = json!({
            "openapi": "3.0.3",
            "paths": {"/proxy/{path}": {
                "parameters": [
                    {"name": "path", "in": "query", "schema": {"type": "string"}},
                    {"$ref": "#/components/parameters/path"}
                ],
                "get": {"operationId": "proxyGet", "parameters": [{"name": "limit", "in": "query", "schema": {"type": "integer"}}], "responses": {}},
                "put": {"operationId": "proxyPut", "responses": {}}
            }},
            "components": {"parameters": {"path": {"name": "path", "in": "path", "required": true, "schema": {"type": "string"}}}}
        });
        let done = adapt(&mut doc, &policies());
        assert_eq!(
            doc.pointer("/paths/~1proxy~1{path}/parameters").unwrap(),
            &json!([{"$ref": "#/components/parameters/path"}])
        );
        assert_eq!(
            doc.pointer("/paths/~1proxy~1{path}/get/parameters/0/name")
                .unwrap(),
            "limit"
        );
        let detail = "dropped the query parameter `path`: the path parameter `path` has its name, and progenitor knows parameters by name";
        assert_eq!(
            done.iter()
                .map(|a| (a.operation.as_str(), a.policy.as_str(), a.detail.as_str()))
                .collect::<Vec<_>>(),
            [
                ("proxyGet", "parameters", detail),
                ("proxyPut", "parameters", detail)
            ]
        );
    }

    #[test]
    fn differently_typed_errors_merge_into_one_union_type() {
        let mut doc = doc_with(json!({"operationId": "apps/create", "responses": {
            "200": json_response("A"), "403": {"description": "no body"},
            "404": json_response("basic-error"), "422": json_response("validation-error")
        }}));
        let done = adapt(&mut doc, &policies());
        let union = doc.pointer("/components/schemas/AppsCreateError/oneOf").unwrap();
        assert_eq!(
            union,
            &json!([{"$ref": "#/components/schemas/basic-error"}, {"$ref": "#/components/schemas/validation-error"}])
        );
        for status in ["404", "422"] {
            assert_eq!(
                doc.pointer(&format!(
                    "/paths/~1a/post/responses/{status}/content/application~1json/schema/$ref"
                ))
                .unwrap(),
                "#/components/schemas/AppsCreateError"
            );
        }
        assert!(
            doc.pointer("/paths/~1a/post/responses/403").is_none(),
            "body-less error left undeclared"
        );
        assert!(
            done[0].detail.contains("403 left undeclared") && done[0].detail.contains("AppsCreateError"),
            "{done:?}"
        );
        // The result is one type: validation has nothing to say.
        assert!(crate::validate::validate("t", &doc, &crate::merge::Origins::default()).is_ok());
    }

    #[test]
    fn one_json_error_keeps_its_type_and_drops_the_body_less_ones() {
        let mut doc = doc_with(
            json!({"responses": {"200": json_response("A"), "403": {"description": ""}, "404": json_response("B")}}),
        );
        adapt(&mut doc, &policies());
        assert!(doc.pointer("/paths/~1a/post/responses/403").is_none());
        assert_eq!(
            doc.pointer("/paths/~1a/post/responses/404/content/application~1json/schema/$ref")
                .unwrap(),
            "#/components/schemas/B"
        );
        let schemas = doc.pointer("/components/schemas").unwrap().as_object().unwrap();
        assert_eq!(schemas.len(), 5, "the four, and the errors helper");
        assert_eq!(
            schemas["POSTAErrors"]["properties"],
            json!({"status_404": {"$ref": "#/components/schemas/B"}}),
            "the 403 is still documented, as a variant without a body"
        );
        let errors = doc
            .pointer(&format!("/paths/~1a/post/{ERRORS_KEY}/statuses"))
            .unwrap();
        assert_eq!(errors.as_array().unwrap().len(), 2);
    }

    #[test]
    fn a_spec_cannot_bring_the_generators_own_extensions() {
        let mut doc = doc_with(json!({
            "x-usergroup-errors": {"helper": "A", "statuses": []},
            "responses": {"200": json_response("A")},
        }));
        doc["components"]["schemas"]["A"]["x-usergroup-layer"] = json!("file");
        let done = adapt(&mut doc, &policies());
        assert!(doc.pointer("/paths/~1a/post/x-usergroup-errors").is_none());
        assert!(doc.pointer("/components/schemas/A/x-usergroup-layer").is_none());
        assert!(
            done.iter()
                .any(|a| a.detail.starts_with("2 `x-usergroup-*` extension(s) dropped")),
            "{done:?}"
        );
    }

    #[test]
    fn raw_and_error_policies() {
        let op = json!({"responses": {"200": json_response("A"), "404": json_response("A"), "422": json_response("B")}});
        let mut doc = doc_with(op.clone());
        let raw = Policies {
            error_responses: ErrorResponses::Raw,
            ..Policies::default()
        };
        adapt(&mut doc, &raw);
        assert!(
            doc.pointer("/paths/~1a/post/responses/422/content/application~1octet-stream")
                .is_some()
        );
        let mut doc = doc_with(op.clone());
        let strict = Policies {
            error_responses: ErrorResponses::Error,
            success_responses: SuccessResponses::Error,
            request_media: RequestMedia::Error,
            strict: true,
            unsupported: None,
            operation_names: crate::manifest::OperationNames::Error,
            dangling_refs: DanglingRefs::Error,
            tag_features_over: Default::default(),
            max_operations: Default::default(),
        };
        assert!(adapt(&mut doc, &strict).is_empty());
        // Nothing adapted: the documented errors are typed all the same
        // (their plan and helper are the client layer's, not a policy's).
        assert!(doc.pointer(&format!("/paths/~1a/post/{ERRORS_KEY}")).is_some());
        doc["paths"]["/a"]["post"]
            .as_object_mut()
            .unwrap()
            .remove(ERRORS_KEY);
        doc["components"]["schemas"]
            .as_object_mut()
            .unwrap()
            .remove("POSTAErrors");
        assert_eq!(doc, doc_with(op));
    }

    #[test]
    fn a_conflicting_default_is_left_undeclared() {
        let mut doc = doc_with(
            json!({"responses": {"200": json_response("A"), "default": json_response("B"), "404": json_response("A")}}),
        );
        adapt(&mut doc, &policies());
        assert!(doc.pointer("/paths/~1a/post/responses/default").is_none());
        assert!(
            doc.pointer("/paths/~1a/post/responses/200/content/application~1json")
                .is_some(),
            "200 stays typed"
        );
    }

    #[test]
    fn an_enum_narrowing_references_keeps_its_values_and_defaults_typify_cannot_check_go() {
        let mut doc = json!({"components": {"schemas": {
            "Types": {"type": "integer", "enum": [1, 23]},
            "Tag": {"type": "integer", "enum": [23], "allOf": [{"$ref": "#/components/schemas/Types"}]},
            "Kept": {"allOf": [{"$ref": "#/components/schemas/Types"}], "description": "no enum: left alone"},
            "Choice": {"type": "object", "properties": {"x": {"type": "string"}}},
            "Overlap": {"anyOf": [{"type": "string"}, {"type": "string", "enum": ["a"]}], "default": "a"},
            "Apart": {"anyOf": [{"$ref": "#/components/schemas/Choice"}, {"type": "string"}], "default": "auto"},
            "Open": {"anyOf": [{"$ref": "#/components/schemas/Choice"}, {"nullable": true}], "default": true}
        }}});
        let done = adapt(&mut doc, &policies());
        let s = |name: &str| doc.pointer(&format!("/components/schemas/{name}")).cloned();
        assert_eq!(s("Tag"), Some(json!({"type": "integer", "enum": [23]})));
        assert!(s("Kept").is_some_and(|k| k.get("allOf").is_some()));
        assert!(s("Overlap").is_some_and(|o| o.get("default").is_none()));
        assert_eq!(
            s("Apart").and_then(|a| a.get("default").cloned()),
            Some(json!("auto"))
        );
        assert!(s("Open").is_some_and(|o| o.get("default").is_none()));
        let policies: Vec<(&str, &str)> = done
            .iter()
            .map(|a| (a.pointer.as_str(), a.policy.as_str()))
            .collect();
        for expected in [
            ("/components/schemas/Tag", "enums"),
            ("/components/schemas/Overlap", "defaults"),
            ("/components/schemas/Open", "defaults"),
        ] {
            assert!(policies.contains(&expected), "{expected:?} in {policies:?}");
        }
        assert!(done.iter().all(|a| !a.loses_input));
    }

    #[test]
    fn enums_whose_values_collide_as_rust_names_become_strings() {
        let mut doc = json!({"components": {"schemas": {
            "Op": {"type": "string", "enum": ["add", "Add", "remove"]},
            "Fine": {"type": "string", "enum": ["add", "remove"]},
            "Signs": {"type": "string", "enum": ["+1", "-1"]},
            "Inner": {"type": "string", "enum": ["r-+1", "r--1"]},
            "Sort": {"type": "string", "enum": ["-description", "+description", "name"]},
            "Rescued": {"type": "string", "enum": ["a-b", "aB"]}
        }}});
        let done = adapt(&mut doc, &policies());
        assert_eq!(
            doc.pointer("/components/schemas/Op"),
            Some(&json!({"type": "string"}))
        );
        assert!(doc.pointer("/components/schemas/Fine/enum").is_some());
        // typify spells out `+1` and `-1` alone, so these two do not
        // collide...
        assert!(doc.pointer("/components/schemas/Signs/enum").is_some());
        // ...but inner punctuation disappears, so these do, and so does a
        // sign before a word (Jira's sort orders: typify panicked).
        assert!(doc.pointer("/components/schemas/Inner/enum").is_none());
        assert!(doc.pointer("/components/schemas/Sort/enum").is_none());
        // typify's second try (punctuation as `X`) tells these apart.
        assert!(doc.pointer("/components/schemas/Rescued/enum").is_some());
        assert_eq!(done.len(), 3);
        assert!(done.iter().any(|d| d.pointer == "/components/schemas/Op"));
    }

    #[test]
    fn schema_titles_go_but_properties_named_title_stay() {
        let mut doc = json!({"info": {"title": "API"}, "components": {"schemas": {"A": {
            "title": "Simple User", "type": "object",
            "properties": {"title": {"type": "string", "title": "T"}}
        }}}});
        let done = adapt(&mut doc, &policies());
        assert_eq!(doc["info"]["title"], "API");
        assert_eq!(
            doc.pointer("/components/schemas/A/properties/title"),
            Some(&json!({"type": "string"}))
        );
        assert!(doc.pointer("/components/schemas/A/title").is_none());
        assert_eq!(
            done[0].detail,
            "2 schema title(s) dropped: types are named after their key or place"
        );
    }

    #[test]
    fn schema_names_that_collide_as_rust_types_are_renamed_and_refs_follow() {
        let mut doc = json!({"components": {"schemas": {
            "Self": {"type": "object", "properties": {"s": {"$ref": "#/components/schemas/self"}}},
            "self": {"type": "object"},
            "simple-user": {"type": "object"},
            "SimpleUser": {"type": "object"}
        }}});
        let done = adapt(&mut doc, &policies());
        let names: Vec<&String> = doc["components"]["schemas"].as_object().unwrap().keys().collect();
        assert_eq!(names, ["Self", "SimpleUser", "self2", "simple-user2"]);
        assert_eq!(
            doc.pointer("/components/schemas/Self/properties/s/$ref").unwrap(),
            "#/components/schemas/self2"
        );
        assert_eq!(done.iter().filter(|d| d.policy == "schema names").count(), 2);
    }

    #[test]
    fn names_are_pascal_case_and_unique() {
        assert_eq!(pascal("apps/create-from-manifest"), "AppsCreateFromManifest");
        assert_eq!(unique_name("XError", &["xerror".into()]), "XError2");
        assert_eq!(
            unique_name("GetUserErrors", &["get-user-errors".into()]),
            "GetUserErrors2"
        );
    }

    #[test]
    fn properties_named_like_keywords_are_adapted_and_data_is_not() {
        let colliding = json!({"type": "string", "title": "T", "enum": ["a", "A"]});
        let mut doc = json!({"components": {"schemas": {"S": {
            "type": "object",
            "properties": {"default": colliding, "enum": colliding, "example": colliding, "$ref": colliding},
            "default": {"title": "data", "enum": ["a", "A"]},
            "example": {"title": "data", "enum": ["a", "A"]}
        }}}});
        let done = adapt(&mut doc, &policies());
        for name in ["default", "enum", "example", "$ref"] {
            assert_eq!(
                doc.pointer(&format!("/components/schemas/S/properties/{name}")),
                Some(&json!({"type": "string"})),
                "{name}"
            );
        }
        assert_eq!(
            doc.pointer("/components/schemas/S/default"),
            Some(&json!({"title": "data", "enum": ["a", "A"]}))
        );
        assert_eq!(
            doc.pointer("/components/schemas/S/example"),
            Some(&json!({"title": "data", "enum": ["a", "A"]}))
        );
        assert_eq!(done.iter().filter(|d| d.policy == "enums").count(), 4);
        assert!(
            done.iter()
                .any(|d| d.detail.starts_with("4 schema title(s) dropped")),
            "{done:?}"
        );
    }

    #[test]
    fn dangling_refs_become_any_json_only_when_the_policy_says_so() {
        let original = doc_with(
            json!({"operationId": "x", "responses": {"200": {"description": "d",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Gone", "description": "kept"}}}}}}),
        );
        let at = "/paths/~1a/post/responses/200/content/application~1json/schema";
        let mut doc = original.clone();
        adapt(&mut doc, &policies());
        assert_eq!(doc, original, "the default leaves it to validation (an error)");
        let any = Policies {
            dangling_refs: DanglingRefs::Any,
            ..policies()
        };
        let done = adapt(&mut doc, &any);
        assert_eq!(doc.pointer(at), Some(&json!({"description": "kept"})));
        assert_eq!(done[0].pointer, at);
        assert_eq!(done[0].policy, "dangling_refs = \"any\"");
        assert!(done[0].detail.contains("#/components/schemas/Gone"), "{done:?}");
    }

    #[test]
    fn a_composed_path_parameter_is_a_string() {
        let mut doc = json!({"openapi": "3.0.3", "paths": {"/limits/{id_or_name}/{n}": {"get": {
            "operationId": "read",
            "parameters": [{"name": "id_or_name", "in": "path", "required": true,
                "schema": {"anyOf": [{"type": "string", "format": "uuid"}, {"type": "string"}], "description": "d"}},
                {"name": "q", "in": "query", "schema": {"anyOf": [{"type": "string"}, {"type": "integer"}]}},
                {"name": "n", "in": "path", "required": true, "schema": {"oneOf": [{"type": "string"}, {"type": "integer"}]}}],
            "responses": {}
        }}}});
        let done = adapt(&mut doc, &policies());
        let params = &doc["paths"]["/limits/{id_or_name}/{n}"]["get"]["parameters"];
        assert_eq!(params[0]["schema"], json!({"type": "string", "description": "d"}));
        assert!(
            params[1]["schema"].get("anyOf").is_some(),
            "a query parameter keeps its schema"
        );
        assert_eq!(done.len(), 1, "{done:?}");
        assert!(done[0].detail.contains("`id_or_name` is a string"), "{done:?}");
    }
}
