//! OpenAPI 3.2's document features, read into the 3.0 shape the later
//! stages take (its schemas are JSON Schema 2020-12, converted as 3.1's
//! are). What has a meaning for a client is kept where the client layer
//! reads it; what has none is dropped with a note.
//!
//! - `$self` is the base URI of the document's references: a `$ref` that
//!   resolves against it to the document itself becomes a local one.
//! - `components.mediaTypes`: a Media Type Object that is a `$ref` to one
//!   is replaced by it.
//! - `query` and `additionalOperations` (any method token: `PURGE`,
//!   `LINK`): each operation moves into a method slot of its path item that
//!   progenitor knows and is free, and keeps its own method under
//!   [`METHOD_KEY`]; the client layer makes the request in the slot's
//!   method and sends it as the operation's.
//! - Hierarchical tags: an operation under a child tag says its place
//!   (`Group: Documents › Search.`) in its docs.
//! - An `in: querystring` parameter (the whole query string, described by
//!   `content`) cannot be combined with `in: query` ones; the adapt stage
//!   lifts it to the client layer.
//! - A response's `summary` is said in its operation's docs, and stands for
//!   its `description` when it has none;
//!   an Example's `dataValue` and `serializedValue` are data, and go;
//!   `discriminator.defaultMapping` is said in the type's docs (and the
//!   union decodes by it: `emit/discriminators.rs`).
//!
//! [`sequential`] runs for 3.1 too: the `itemSchema` of a sequential media
//! type (3.1's `x-oai-itemSchema` read the same way) types each item of a
//! `text/event-stream`, JSON Lines or JSON text sequence response. For
//! server-sent events the item is the event, whose `data` is typed by its
//! `contentSchema`.

use serde_json::{Map, Value, json};

use super::Ctx;
use crate::document::{self, Kind, METHOD_KEY, METHODS, pointer};

/// The slots an operation of another method may take, in order: those
/// that carry a body first. `head` is never used: a response to it has
/// no body.
const SLOTS: [&str; 7] = ["post", "put", "patch", "delete", "options", "trace", "get"];

/// The media types whose items `itemSchema` describes, and that the client
/// reads item by item.
pub(crate) const SEQUENTIAL: [&str; 5] = [
    "text/event-stream",
    "application/jsonl",
    "application/x-ndjson",
    "application/json-seq",
    "multipart/mixed",
];

/// The document-level features of a 3.2 document.
pub(super) fn document(root: &mut Map<String, Value>, ctx: &mut Ctx) {
    self_base(root, ctx);
    media_type_refs(root, ctx);
    methods(root, ctx);
    querystring_alone(root, ctx);
    tag_paths(root);
    response_summaries(root);
    let mut doc = Value::Object(std::mem::take(root));
    document::walk_mut(&mut doc, Kind::Document, "", &mut |v, node| match node.kind {
        Kind::Response => response_summary(v),
        Kind::Schema => default_mapping(v),
        Kind::Example => {
            if let Some(example) = v.as_object_mut() {
                example.remove("dataValue");
                example.remove("serializedValue");
            }
        }
        _ => {}
    });
    if let Value::Object(map) = doc {
        *root = map;
    }
}

/// [`METHOD_KEY`] is this stage's to write: one a spec brings (in any
/// version) is dropped with a note before any is written, so a spec cannot
/// choose the method an operation is sent with.
pub(super) fn drop_carried_methods(root: &mut Map<String, Value>, ctx: &mut Ctx) {
    let Some(Value::Object(paths)) = root.get_mut("paths") else {
        return;
    };
    for (path, item) in paths.iter_mut() {
        let Some(item) = item.as_object_mut() else {
            continue;
        };
        for (method, op) in item.iter_mut() {
            let ops: Vec<(String, &mut Value)> = match method.as_str() {
                "additionalOperations" => op
                    .as_object_mut()
                    .into_iter()
                    .flat_map(|m| m.iter_mut())
                    .map(|(m, op)| (format!("additionalOperations/{}", document::escape(m)), op))
                    .collect(),
                _ => vec![(document::escape(method), op)],
            };
            for (at, op) in ops {
                if let Some(o) = op.as_object_mut()
                    && o.remove(METHOD_KEY).is_some()
                {
                    ctx.note(
                        &format!("{}/{at}/{METHOD_KEY}", pointer("/paths", path)),
                        "dropped: the generator writes this extension itself".into(),
                    );
                }
            }
        }
    }
}

/// Rewrites references that resolve against `$self` to the document itself
/// into local ones, and drops `$self`.
fn self_base(root: &mut Map<String, Value>, ctx: &mut Ctx) {
    let Some(Value::String(own)) = root.remove("$self") else {
        return;
    };
    // A relative `$self` is resolved against where the document was read
    // from, which is not known here: any base stands for it.
    let Some(base) = url::Url::parse("https://document.invalid/")
        .ok()
        .and_then(|b| b.join(&own).ok())
    else {
        ctx.error(
            "/$self",
            format!("`$self` is not a URI reference: `{own}`"),
            "fix or remove `$self`",
        );
        return;
    };
    let mut doc = Value::Object(std::mem::take(root));
    document::rewrite_refs(&mut doc, |reference| {
        if reference.starts_with('#') {
            return None;
        }
        let mut target = base.join(reference).ok()?;
        let fragment = target.fragment().unwrap_or_default().to_string();
        target.set_fragment(None);
        let mut own = base.clone();
        own.set_fragment(None);
        (target == own).then(|| format!("#{}", super::pointers::percent_decoded(&fragment)))
    });
    if let Value::Object(map) = doc {
        *root = map;
    }
}

/// Replaces every Media Type Object that refers to `components.mediaTypes`
/// by its target, then drops the map.
fn media_type_refs(root: &mut Map<String, Value>, ctx: &mut Ctx) {
    let Some(media_types) = root
        .get_mut("components")
        .and_then(Value::as_object_mut)
        .and_then(|c| c.remove("mediaTypes"))
    else {
        return;
    };
    let mut doc = Value::Object(std::mem::take(root));
    let mut dangling = Vec::new();
    document::walk_mut(&mut doc, Kind::Document, "", &mut |v, node| {
        if node.kind != Kind::MediaType {
            return;
        }
        // A chain of references, followed at most as far as the map is long.
        for _ in 0..=media_types.as_object().map_or(0, Map::len) {
            let Some(reference) = v.get("$ref").and_then(Value::as_str).map(str::to_string) else {
                return;
            };
            let target = reference
                .strip_prefix("#/components/mediaTypes/")
                .and_then(|name| media_types.get(document::unescape(name)));
            match target {
                Some(target) => *v = target.clone(),
                None => {
                    dangling.push((pointer(node.at, "$ref"), reference));
                    return;
                }
            }
        }
    });
    for (at, reference) in dangling {
        ctx.error(
            &at,
            format!("media type reference `{reference}` points at nothing"),
            "define it under components.mediaTypes or inline the media type",
        );
    }
    if let Value::Object(map) = doc {
        *root = map;
    }
}

/// Moves `query` and `additionalOperations` operations into free slots.
fn methods(root: &mut Map<String, Value>, ctx: &mut Ctx) {
    let Some(Value::Object(paths)) = root.get_mut("paths") else {
        return;
    };
    for (path, item) in paths.iter_mut() {
        let Some(item) = item.as_object_mut() else {
            continue;
        };
        let at = pointer("/paths", path);
        let mut moving = Vec::new();
        if let Some(op) = item.remove("query") {
            moving.push(("QUERY".to_string(), pointer(&at, "query"), op));
        }
        match item.remove("additionalOperations") {
            Some(Value::Object(more)) => {
                let more_at = pointer(&at, "additionalOperations");
                for (method, op) in more {
                    let op_at = pointer(&more_at, &method);
                    // A method is a token (RFC 9110), as a header name is.
                    if !crate::emit::security::is_token(&method) {
                        ctx.error(
                            &op_at,
                            format!("`{method}` is not an HTTP method: a method is a token (letters, digits and !#$%&'*+-.^_`|~)"),
                            "name the method as it is sent, such as `PURGE`",
                        );
                        continue;
                    }
                    let lower = method.to_ascii_lowercase();
                    if METHODS.contains(&lower.as_str()) || lower == "query" {
                        ctx.note(
                            &op_at,
                            format!("`{method}` has a field of its own; read as that field"),
                        );
                        if item.contains_key(&lower)
                            || moving.iter().any(|(m, ..)| m.eq_ignore_ascii_case(&lower))
                        {
                            ctx.error(
                                &op_at,
                                format!("the path item has a `{lower}` operation already"),
                                "keep one of the two",
                            );
                            continue;
                        }
                        if lower != "query" {
                            item.insert(lower, op);
                            continue;
                        }
                    }
                    moving.push((method, op_at, op));
                }
            }
            Some(_) => ctx.error(
                &pointer(&at, "additionalOperations"),
                "`additionalOperations` must be a map from methods to operations".into(),
                "write it as an object",
            ),
            None => {}
        }
        for (method, op_at, mut op) in moving {
            let Some(slot) = SLOTS.iter().find(|s| !item.contains_key(**s)) else {
                ctx.error(
                    &op_at,
                    format!("no method slot is left for `{method}`: the client carries it in one of {SLOTS:?}, and the path item uses them all"),
                    "move the operation to a path of its own in an overlay",
                );
                continue;
            };
            if let Some(o) = op.as_object_mut() {
                o.insert(METHOD_KEY.into(), Value::String(method));
            }
            item.insert((*slot).to_string(), op);
        }
    }
}

/// An operation's `in: querystring` parameter stands for the whole query:
/// with `in: query` parameters beside it (its own or its path item's), or
/// with a second one, it is an error.
fn querystring_alone(root: &mut Map<String, Value>, ctx: &mut Ctx) {
    let doc = Value::Object(root.clone());
    for o in document::operations(&doc) {
        let mut all = located_parameters(&doc, o.item, &pointer("/paths", o.path));
        all.extend(located_parameters(&doc, o.op, &o.pointer()));
        let whole: Vec<&(String, String, &Value)> = all
            .iter()
            .filter(|(_, place, _)| place == "querystring")
            .collect();
        let Some((at, _, p)) = whole.first() else { continue };
        if whole.len() > 1 {
            ctx.error(
                &whole[1].0,
                format!(
                    "`{}` has two `in: querystring` parameters; the query string is one",
                    o.shown()
                ),
                "keep one",
            );
        }
        if let Some((query_at, _, q)) = all.iter().find(|(_, place, _)| place == "query") {
            let name = q.get("name").and_then(Value::as_str).unwrap_or_default();
            ctx.error(
                query_at,
                format!("`{}` has an `in: querystring` parameter ({at}), which is the whole query string, and the `in: query` parameter `{name}` beside it", o.shown()),
                "describe the query either as one `querystring` parameter or as `query` parameters, not both",
            );
        }
        let media = p.get("content").and_then(Value::as_object);
        if media.is_none_or(|m| m.len() != 1 || m.values().any(|v| v.get("schema").is_none())) {
            ctx.error(
                at,
                "an `in: querystring` parameter is described by `content`: one media type with a `schema`"
                    .into(),
                "give it `content: {application/x-www-form-urlencoded: {schema: ...}}`",
            );
        }
    }
}

/// The parameters of a path item or operation, resolved: each with its
/// pointer and where it goes (`in`).
fn located_parameters<'v>(doc: &'v Value, holder: &'v Value, at: &str) -> Vec<(String, String, &'v Value)> {
    holder
        .get("parameters")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
        .filter_map(|(i, p)| {
            let p = document::resolve(doc, p)?;
            Some((
                format!("{at}/parameters/{i}"),
                p.get("in")?.as_str()?.to_string(),
                p,
            ))
        })
        .collect()
}

/// Hierarchical tags (`parent`, `summary`): an operation tagged with a
/// child tag says its place in its docs (`Documents › Search`).
fn tag_paths(root: &mut Map<String, Value>) {
    let tags: std::collections::BTreeMap<String, (Option<String>, String)> = root
        .get("tags")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|t| {
            let name = t.get("name")?.as_str()?.to_string();
            let parent = t.get("parent").and_then(Value::as_str).map(str::to_string);
            let shown = t
                .get("summary")
                .and_then(Value::as_str)
                .unwrap_or(&name)
                .to_string();
            Some((name, (parent, shown)))
        })
        .collect();
    let place = |tag: &str| -> Option<String> {
        let (parent, shown) = tags.get(tag)?;
        parent.as_ref()?;
        let mut names = vec![shown.clone()];
        let mut next = parent.clone();
        // A parent chain is as long as the tag list at most (a cycle stops).
        while let Some(p) = next.filter(|_| names.len() <= tags.len()) {
            let (up, shown) = tags.get(&p)?;
            names.push(shown.clone());
            next = up.clone();
        }
        names.reverse();
        Some(names.join(" › "))
    };
    let Some(Value::Object(paths)) = root.get_mut("paths") else {
        return;
    };
    for item in paths.values_mut() {
        let Some(item) = item.as_object_mut() else {
            continue;
        };
        for (key, op) in item.iter_mut() {
            // After `methods`, every operation is in a slot.
            if !METHODS.contains(&key.as_str()) {
                continue;
            }
            let places: Vec<String> = op
                .get("tags")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .filter_map(place)
                .collect();
            if places.is_empty() {
                continue;
            }
            let line = format!("Group: {}.", places.join("; "));
            if let Some(op) = op.as_object_mut() {
                let description = match op.get("description").and_then(Value::as_str) {
                    Some(d) => format!("{d}\n\n{line}"),
                    None => line,
                };
                op.insert("description".into(), Value::String(description));
            }
        }
    }
}

/// A response's `summary` (3.2) is said in its operation's docs, one line
/// per status (`` `200`: The shape.``), as progenitor documents no response.
fn response_summaries(root: &mut Map<String, Value>) {
    let doc = Value::Object(root.clone());
    let mut lines: Vec<(String, String)> = Vec::new();
    for o in document::operations(&doc) {
        let summaries: Vec<String> =
            o.op.get("responses")
                .and_then(Value::as_object)
                .into_iter()
                .flatten()
                .filter_map(|(status, r)| {
                    let summary = document::resolve(&doc, r)?.get("summary")?.as_str()?;
                    Some(format!("- `{status}`: {}", crate::docs::one_line(summary)))
                })
                .collect();
        if !summaries.is_empty() {
            lines.push((o.pointer(), format!("Responses:\n\n{}", summaries.join("\n"))));
        }
    }
    let mut doc = doc;
    for (at, text) in lines {
        if let Some(Value::Object(op)) = doc.pointer_mut(&at) {
            let description = match op.get("description").and_then(Value::as_str) {
                Some(d) => format!("{d}\n\n{text}"),
                None => text,
            };
            op.insert("description".into(), Value::String(description));
        }
    }
    if let Value::Object(map) = doc {
        *root = map;
    }
}

/// `discriminator.defaultMapping` names the schema a value without a
/// listed discriminator value is: the union decodes by it
/// (`emit/discriminators.rs`, which reads it where it is), and its docs
/// say it.
fn default_mapping(v: &mut Value) {
    let Some(discriminator) = v.get("discriminator").and_then(Value::as_object) else {
        return;
    };
    let Some(default) = discriminator.get("defaultMapping").and_then(Value::as_str) else {
        return;
    };
    let property = discriminator
        .get("propertyName")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    let name = default.rsplit('/').next().unwrap_or(default).to_string();
    let line =
        format!("A value whose `{property}` the mapping does not list, or that has none, is a `{name}`.");
    if let Some(schema) = v.as_object_mut() {
        let description = match schema.get("description").and_then(Value::as_str) {
            Some(d) => format!("{d}\n\n{line}"),
            None => line,
        };
        schema.insert("description".into(), Value::String(description));
    }
}

/// A response's `summary` stands for its `description` when it has none
/// (3.2 made the description optional; 3.0 requires one).
fn response_summary(v: &mut Value) {
    let Some(response) = v.as_object_mut() else { return };
    if response.contains_key("$ref") || response.contains_key("description") {
        return;
    }
    let summary = response
        .get("summary")
        .cloned()
        .unwrap_or_else(|| Value::String(String::new()));
    response.insert("description".into(), summary);
}

/// `itemSchema` (and 3.1's `x-oai-itemSchema`) on every media type: on a
/// sequential one it is kept for the adapt stage, and for server-sent
/// events it becomes the event `schema` with `data` typed by its
/// `contentSchema`; on any other it is an error.
pub(super) fn sequential(root: &mut Map<String, Value>, ctx: &mut Ctx) {
    let mut doc = Value::Object(std::mem::take(root));
    document::walk_mut(&mut doc, Kind::Document, "", &mut |v, node| {
        if node.kind != Kind::MediaType {
            return;
        }
        let Some(media) = v.as_object_mut() else { return };
        if !media.contains_key("itemSchema")
            && let Some(item) = media.remove("x-oai-itemSchema")
        {
            media.insert("itemSchema".into(), item);
        }
        if !media.contains_key("itemSchema") {
            return;
        }
        let name = document::unescape(node.at.rsplit('/').next().unwrap_or_default());
        let base = document::media_base(&name).to_ascii_lowercase();
        if !SEQUENTIAL.contains(&base.as_str()) {
            ctx.error(
                &pointer(node.at, "itemSchema"),
                format!(
                    "`itemSchema` describes the items of a sequential media type ({}); `{name}` is not one",
                    SEQUENTIAL.join(", ")
                ),
                "use `schema` for a whole body, or declare the sequential media type",
            );
            return;
        }
        if base == "text/event-stream"
            && let Some(item) = media.remove("itemSchema")
        {
            let event = event_schema(item);
            media.insert("schema".into(), event);
        }
    });
    if let Value::Object(map) = doc {
        *root = map;
    }
}

/// The event schema of an SSE `itemSchema`: its `data`, when that is a
/// string carrying JSON (`contentMediaType` JSON, or a `contentSchema`),
/// typed by the `contentSchema`.
fn event_schema(mut item: Value) -> Value {
    let Some(data) = item
        .pointer_mut("/properties/data")
        .and_then(Value::as_object_mut)
    else {
        return item;
    };
    let json = data
        .get("contentMediaType")
        .and_then(Value::as_str)
        .is_none_or(|m| document::media_base(m).ends_with("json"));
    if json && let Some(payload) = data.remove("contentSchema") {
        *data = match payload {
            Value::Object(p) => p,
            Value::Bool(true) => Map::new(),
            other => {
                let mut m = Map::new();
                m.insert("allOf".into(), json!([other]));
                m
            }
        };
    }
    item
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use crate::merge::Origins;
    use crate::normalize::normalize;

    use super::*;

    fn doc(paths: Value) -> Value {
        json!({"openapi": "3.2.0", "info": {"title": "t", "version": "1"}, "paths": paths,
            "components": {"schemas": {"Doc": {"type": "object"}}}})
    }

    fn ok(d: Value) -> (Value, Vec<String>) {
        let n = normalize(d, &Origins::default()).unwrap_or_else(|e| panic!("{e}"));
        (n.doc, n.notes)
    }

    fn err(d: Value) -> String {
        normalize(d, &Origins::default())
            .expect_err("an error")
            .to_string()
    }

    const RESPONSES: &str = r#"{"204": {"description": "done"}}"#;

    fn op(id: &str) -> Value {
        json!({"operationId": id, "responses": serde_json::from_str::<Value>(RESPONSES).unwrap()})
    }

    #[test]
    fn query_and_additional_methods_take_free_slots_and_keep_their_method() {
        let (d, _) = ok(doc(json!({"/a": {
            "post": op("create"),
            "query": op("search"),
            "additionalOperations": {"PURGE": op("purge"), "get": op("read")}
        }})));
        let item = &d["paths"]["/a"];
        assert_eq!(item["post"]["operationId"], "create");
        assert_eq!(item["get"]["operationId"], "read");
        assert!(
            item["get"].get(METHOD_KEY).is_none(),
            "a fixed method stays itself"
        );
        assert_eq!(item["put"][METHOD_KEY], "QUERY");
        assert_eq!(item["put"]["operationId"], "search");
        assert_eq!(item["patch"][METHOD_KEY], "PURGE");
        assert!(item.get("query").is_none() && item.get("additionalOperations").is_none());
        assert_eq!(d["openapi"], "3.0.3");
    }

    #[test]
    fn a_method_that_is_not_a_token_is_an_error_at_its_pointer() {
        let e = err(doc(
            json!({"/a": {"additionalOperations": {"BAD METHOD": op("x")}}}),
        ));
        assert!(e.contains("#/paths/~1a/additionalOperations/BAD METHOD"), "{e}");
        assert!(e.contains("not an HTTP method"), "{e}");
    }

    #[test]
    fn a_spec_cannot_choose_the_carried_method() {
        let mut d = doc(json!({"/a": {"get": op("read")}}));
        d["openapi"] = json!("3.0.3");
        d["paths"]["/a"]["get"][METHOD_KEY] = json!("DELETE");
        let (d, notes) = ok(d);
        assert!(d["paths"]["/a"]["get"].get(METHOD_KEY).is_none());
        assert!(notes.iter().any(|n| n.contains(METHOD_KEY)), "{notes:?}");
    }

    fn querystring() -> Value {
        json!({"name": "q", "in": "querystring", "content": {"application/x-www-form-urlencoded": {"schema": {"$ref": "#/components/schemas/Doc"}}}})
    }

    #[test]
    fn a_querystring_beside_query_parameters_is_an_error() {
        let mut o = op("find");
        o["parameters"] =
            json!([querystring(), {"name": "page", "in": "query", "schema": {"type": "integer"}}]);
        let e = err(doc(json!({"/a": {"get": o}})));
        assert!(e.contains("#/paths/~1a/get/parameters/1"), "{e}");
        assert!(e.contains("whole query string"), "{e}");
        let mut o = op("find");
        o["parameters"] = json!([querystring(), querystring()]);
        assert!(err(doc(json!({"/a": {"get": o}}))).contains("two `in: querystring`"));
        let mut o = op("find");
        o["parameters"] = json!([querystring()]);
        let (d, _) = ok(doc(json!({"/a": {"get": o}})));
        assert_eq!(
            d["paths"]["/a"]["get"]["parameters"][0]["in"], "querystring",
            "kept for the layer"
        );
    }

    #[test]
    fn item_schema_on_a_media_type_that_is_not_sequential_is_an_error() {
        let mut o = op("read");
        o["responses"] = json!({"200": {"description": "", "content": {"application/json": {"itemSchema": {"type": "string"}}}}});
        let e = err(doc(json!({"/a": {"get": o}})));
        assert!(
            e.contains("#/paths/~1a/get/responses/200/content/application~1json/itemSchema"),
            "{e}"
        );
    }

    #[test]
    fn an_event_item_schema_types_data_by_its_content_schema_and_31_reads_the_extension() {
        let events = |key: &str| {
            json!({"200": {"description": "", "content": {"text/event-stream": {key: {
                "type": "object",
                "properties": {"data": {"type": "string", "contentMediaType": "application/json",
                    "contentSchema": {"$ref": "#/components/schemas/Doc"}}}
            }}}}})
        };
        for (version, key) in [("3.2.0", "itemSchema"), ("3.1.1", "x-oai-itemSchema")] {
            let mut o = op("watch");
            o["responses"] = events(key);
            let mut d = doc(json!({"/a": {"get": o}}));
            d["openapi"] = json!(version);
            let (d, _) = ok(d);
            let media = &d["paths"]["/a"]["get"]["responses"]["200"]["content"]["text/event-stream"];
            assert_eq!(
                media["schema"]["properties"]["data"],
                json!({"$ref": "#/components/schemas/Doc"}),
                "{version}"
            );
            assert!(media.get(key).is_none());
        }
    }

    #[test]
    fn self_media_type_refs_summaries_and_examples() {
        let mut o = op("read");
        o["responses"] = json!({"200": {"summary": "The doc.", "content": {
            "application/json": {"$ref": "#/components/mediaTypes/DocJson"}
        }}});
        o["requestBody"] = json!({"content": {"application/json": {
            "schema": {"$ref": "https://x.test/api/openapi.json#/components/schemas/Doc"},
            "examples": {"e": {"dataValue": {"a": 1}, "serializedValue": "{\"a\":1}"}}
        }}});
        let mut d = doc(json!({"/a": {"put": o}}));
        d["$self"] = json!("https://x.test/api/openapi.json");
        d["components"]["mediaTypes"] =
            json!({"DocJson": {"schema": {"$ref": "openapi.json#/components/schemas/Doc"}}});
        let (d, _) = ok(d);
        let put = &d["paths"]["/a"]["put"];
        assert_eq!(put["responses"]["200"]["description"], "The doc.");
        assert_eq!(
            put["responses"]["200"]["content"]["application/json"]["schema"]["$ref"],
            "#/components/schemas/Doc"
        );
        let body = &put["requestBody"]["content"]["application/json"];
        assert_eq!(body["schema"]["$ref"], "#/components/schemas/Doc");
        assert_eq!(body["examples"]["e"], json!({}));
        assert!(d.get("$self").is_none() && d["components"].get("mediaTypes").is_none());
    }
}
