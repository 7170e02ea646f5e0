//! Which operations page, and how: detected from the spec, or as a
//! manifest's `[pagination.<operationId>]` entry says (which also corrects
//! or turns off a detection). The plan is recorded on the operation
//! ([`PAGES_KEY`]) for the client layer, which gives its request value
//! `.pages()` and `.into_stream()` (`usergroup_client_core::page`).
//!
//! Only a `GET` without a body whose one JSON success holds a list of items
//! (the body is an array, or it has one top-level array field, or one of
//! the usual names: `items`, `data`, `results`, ...) pages; other success
//! statuses without a body (GitHub's `204` for an empty repository) are an
//! empty last page. In order of
//! preference:
//!
//! 1. **link**: a success documents a `Link` header (GitHub);
//! 2. **cursor**: a body field (at most one object down) whose name says
//!    cursor, token, continue or marker, paired with a query parameter of
//!    that name, or of that name without `next` (`next_cursor` and
//!    `cursor`: Slack; `continue`: Kubernetes; `nextPageToken` and
//!    `pageToken`: Google);
//! 3. **next URL**: a string body field `next`, `next_url`, `nextLink`,
//!    `@odata.nextLink`, ... (also under `links`);
//! 4. **page**: an integer query parameter `page` (or `page_number`, ...),
//!    with a page size (`per_page`, `limit`, ...) and a total
//!    (`total_count`, ...) if there are;
//! 5. **offset**: an integer query parameter `offset` (or `skip`, `start`),
//!    likewise.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::Adaptation;
use crate::document::{operations, resolve, segments};
use crate::error::{Diagnostic, Result};
use crate::manifest::{PageEntry, PageStyle};

/// Where the plan is recorded on the operation, for the client layer.
pub(crate) const PAGES_KEY: &str = "x-usergroup-pages";

/// How an operation pages, as the client layer reads it. Places in the
/// body are property names, outermost first (`[]` is the body).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Paging {
    pub style: PageStyle,
    /// The query parameter (its name in the spec) a cursor, page number or
    /// offset goes in.
    pub param: Option<String>,
    /// Where the cursor or next URL is.
    pub field: Vec<String>,
    /// Where the items are.
    pub items: Vec<String>,
    /// The page-size query parameter.
    pub size: Option<String>,
    /// Where the total number of items is; `[]`: none.
    pub total: Vec<String>,
}

impl Paging {
    /// The plan recorded on an operation, if any.
    pub(crate) fn of(op: &Map<String, Value>) -> Option<Self> {
        serde_json::from_value(op.get(PAGES_KEY)?.clone()).ok()
    }

    /// What the plan says, for the notes and the surface listing.
    pub(crate) fn describe(&self) -> String {
        let at = |path: &[String]| match path {
            [] => "the body".to_string(),
            p => format!("`/{}`", p.join("/")),
        };
        let param = self.param.as_deref().unwrap_or_default();
        let how = match self.style {
            PageStyle::Link => "the `Link` header's next link".to_string(),
            PageStyle::NextUrl => format!("the next URL in {}", at(&self.field)),
            PageStyle::Cursor => format!("the cursor in {}, sent as `{param}`", at(&self.field)),
            PageStyle::Page => format!("page numbers in `{param}`"),
            PageStyle::Offset => format!("item offsets in `{param}`"),
            PageStyle::None => "nothing".to_string(),
        };
        let mut text = format!("pages by {how}; items: {}", at(&self.items));
        if let Some(size) = &self.size {
            text.push_str(&format!("; page size `{size}`"));
        }
        if !self.total.is_empty() {
            text.push_str(&format!("; total {}", at(&self.total)));
        }
        text
    }
}

/// Names of a list's field, in order of preference, when a body has
/// several arrays.
const ITEM_NAMES: [&str; 10] = [
    "items", "data", "results", "values", "value", "entries", "records", "nodes", "elements", "list",
];
/// What a page-number parameter is called (compared as [`key`]s).
const PAGE_PARAMS: [&str; 5] = ["page", "pagenumber", "pageno", "pagenum", "pageindex"];
/// What an offset parameter is called.
const OFFSET_PARAMS: [&str; 5] = ["offset", "skip", "start", "startindex", "startat"];
/// What a page-size parameter is called.
const SIZE_PARAMS: [&str; 9] = [
    "perpage",
    "pagesize",
    "limit",
    "size",
    "maxresults",
    "count",
    "top",
    "pagelimit",
    "itemsperpage",
];
/// What a total field is called.
const TOTAL_FIELDS: [&str; 7] = [
    "total",
    "totalcount",
    "totalresults",
    "totalitems",
    "totalsize",
    "totalentries",
    "totalrecords",
];
/// What a next-URL field is called.
const NEXT_URL_FIELDS: [&str; 6] = [
    "next",
    "nexturl",
    "nextpageurl",
    "nextlink",
    "odatanextlink",
    "nextpagelink",
];
/// What a cursor field's name holds.
const CURSOR_WORDS: [&str; 4] = ["cursor", "token", "continu", "marker"];

/// A name as these lists compare it: lowercase letters and digits.
fn key(name: &str) -> String {
    name.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// Plans every operation's pagination: the manifest's entries first, then
/// detection. An entry that names no operation, or a parameter or field
/// the operation does not have, is an error naming the manifest.
pub fn paginate(
    doc: &mut Value,
    entries: &BTreeMap<String, PageEntry>,
    manifest: &str,
) -> Result<Vec<Adaptation>> {
    let mut plans = Vec::new();
    let mut used = Vec::new();
    for operation in operations(doc) {
        let Some(op) = operation.op.as_object() else {
            continue;
        };
        let id = op.get("operationId").and_then(Value::as_str).unwrap_or_default();
        let entry = entries
            .iter()
            .find(|(name, _)| name.as_str() == id || key(name) == key(id));
        let list = List::of(doc, operation.item, op);
        let plan = match entry {
            Some((name, entry)) => {
                used.push(name.clone());
                let place = format!("[pagination.{name}]");
                let fail = |what: String| {
                    Diagnostic::file(manifest, format!("{place}: {what}"))
                        .help("name a query parameter and body places (JSON pointers) that the operation's spec has, or `style = \"none\"`")
                };
                match list {
                    _ if entry.style == PageStyle::None => None,
                    None => {
                        return Err(fail(format!(
                            "`{id}` is not a GET whose JSON success is an object or an array"
                        ))
                        .into());
                    }
                    Some(list) => Some(list.plan_of(doc, entry).map_err(fail)?),
                }
            }
            None => list.and_then(|l| l.detect(doc)),
        };
        let note = match (&plan, entry) {
            (Some(plan), Some(_)) => Some(format!("{} (manifest)", plan.describe())),
            (Some(plan), None) => Some(plan.describe()),
            (None, Some(_)) => Some("not paginated (manifest)".to_string()),
            (None, None) => None,
        };
        if let Some(detail) = note {
            plans.push((operation.pointer(), id.to_string(), plan, detail));
        }
    }
    if let Some(name) = entries.keys().find(|n| !used.contains(n)) {
        return Err(Diagnostic::file(
            manifest,
            format!("[pagination.{name}]: the spec has no operation `{name}`"),
        )
        .help("use the operationId as the spec writes it")
        .into());
    }
    let mut done = Vec::new();
    for (at, id, plan, detail) in plans {
        if let (Some(plan), Some(Value::Object(op))) = (plan, doc.pointer_mut(&at))
            && let Ok(record) = serde_json::to_value(&plan)
        {
            op.insert(PAGES_KEY.to_string(), record);
        }
        done.push(Adaptation {
            loses_input: false,
            operation: id,
            pointer: at,
            policy: "pagination".into(),
            detail,
        });
    }
    Ok(done)
}

/// A `GET` whose JSON success may be a page: its body's schema and its
/// query parameters.
struct List<'d> {
    body: &'d Value,
    /// Query parameters: name and (resolved) schema.
    params: Vec<(String, &'d Value)>,
    /// Whether a success documents a `Link` header.
    link: bool,
}

impl<'d> List<'d> {
    fn of(doc: &'d Value, item: &'d Value, op: &'d Map<String, Value>) -> Option<Self> {
        // Events are a stream of their own; statuses that differ in type
        // page when one of them has the body (a `204` is an empty page).
        if op.contains_key(super::EVENTS_KEY) || op.contains_key("requestBody") {
            return None;
        }
        let body = match super::Statuses::of(op, super::STATUSES_KEY) {
            // Typed per status: the one JSON body is the helper's field.
            Some(typed) => {
                let json: Vec<&super::per_status::Status> =
                    typed.statuses.iter().filter(|s| s.json).collect();
                let [one] = json.as_slice() else { return None };
                let at = format!(
                    "/components/schemas/{}/properties/{}",
                    crate::document::escape(&typed.helper),
                    crate::document::escape(&super::Statuses::field(&one.status))
                );
                doc.pointer(&at)?
            }
            None => {
                let responses = op.get("responses")?.as_object()?;
                let bodies: Vec<&Value> = responses
                    .iter()
                    .filter(|(s, _)| s.starts_with('2'))
                    .filter_map(|(_, r)| resolve(doc, r)?.pointer("/content/application~1json/schema"))
                    .collect();
                let [body] = bodies.as_slice() else { return None };
                *body
            }
        };
        let body = resolve(doc, body)?;
        let link = op
            .get(super::HEADERS_KEY)
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
            .filter(|(status, _)| status.starts_with('2'))
            .filter_map(|(_, h)| h.as_object())
            .any(|h| h.keys().any(|n| n.eq_ignore_ascii_case("link")));
        let params = [item.get("parameters"), op.get("parameters")]
            .into_iter()
            .flatten()
            .filter_map(Value::as_array)
            .flatten()
            .filter_map(|p| resolve(doc, p))
            .filter(|p| p.get("in").and_then(Value::as_str) == Some("query"))
            .filter_map(|p| {
                let name = p.get("name")?.as_str()?.to_string();
                let schema = p.get("schema").and_then(|s| resolve(doc, s))?;
                Some((name, schema))
            })
            .collect();
        let is_list = is_array(doc, body) || is_object(doc, body);
        is_list.then_some(Self { body, params, link })
    }

    /// The plan the spec suggests, if any.
    fn detect(&self, doc: &Value) -> Option<Paging> {
        let items = self.items(doc)?;
        let plan = |style, param: Option<String>, field: Vec<String>| Paging {
            style,
            param,
            field,
            items: items.clone(),
            size: None,
            total: Vec::new(),
        };
        if self.link {
            return Some(plan(PageStyle::Link, None, Vec::new()));
        }
        let fields = scalar_fields(doc, self.body);
        let cursor = fields.iter().find_map(|(path, ty)| {
            let name = key(path.last()?);
            if !CURSOR_WORDS.iter().any(|w| name.contains(w)) || !matches!(*ty, "string" | "integer") {
                return None;
            }
            let param = self.params.iter().find(|(p, _)| {
                let p = key(p);
                p == name || format!("next{p}") == name
            })?;
            Some((path.clone(), param.0.clone()))
        });
        if let Some((field, param)) = cursor {
            return Some(plan(PageStyle::Cursor, Some(param), field));
        }
        let next_url = fields.iter().find(|(path, ty)| {
            *ty == "string"
                && path
                    .last()
                    .is_some_and(|n| NEXT_URL_FIELDS.contains(&key(n).as_str()))
        });
        if let Some((field, _)) = next_url {
            return Some(plan(PageStyle::NextUrl, None, field.clone()));
        }
        for (style, names) in [
            (PageStyle::Page, &PAGE_PARAMS[..]),
            (PageStyle::Offset, &OFFSET_PARAMS[..]),
        ] {
            let param = self
                .params
                .iter()
                .find(|(p, s)| names.contains(&key(p).as_str()) && schema_type(s) == Some("integer"));
            if let Some((param, _)) = param {
                let mut paging = plan(style, Some(param.clone()), Vec::new());
                paging.size = self
                    .params
                    .iter()
                    .find(|(p, s)| {
                        SIZE_PARAMS.contains(&key(p).as_str()) && schema_type(s) == Some("integer")
                    })
                    .map(|(p, _)| p.clone());
                paging.total = fields
                    .iter()
                    .find(|(path, ty)| {
                        path.len() == 1 && *ty == "integer" && TOTAL_FIELDS.contains(&key(&path[0]).as_str())
                    })
                    .map(|(path, _)| path.clone())
                    .unwrap_or_default();
                return Some(paging);
            }
        }
        None
    }

    /// Where the items are: the body, its one top-level array, or the
    /// first of [`ITEM_NAMES`] among several.
    fn items(&self, doc: &Value) -> Option<Vec<String>> {
        if is_array(doc, self.body) {
            return Some(Vec::new());
        }
        let arrays: Vec<&String> = properties(doc, self.body)
            .into_iter()
            .filter(|(_, s)| is_array(doc, s))
            .map(|(n, _)| n)
            .collect();
        let chosen = match arrays.as_slice() {
            [one] => Some(*one),
            many => ITEM_NAMES
                .iter()
                .find_map(|want| many.iter().find(|n| key(n) == *want).copied()),
        };
        chosen.map(|n| vec![n.clone()])
    }

    /// The plan a manifest entry gives, checked against the spec.
    fn plan_of(&self, doc: &Value, entry: &PageEntry) -> std::result::Result<Paging, String> {
        let param = |name: &Option<String>, what: &str| -> std::result::Result<Option<String>, String> {
            match name {
                None => Ok(None),
                Some(n) if self.params.iter().any(|(p, _)| p == n) => Ok(Some(n.clone())),
                Some(n) => Err(format!(
                    "`{what} = \"{n}\"` is not one of the operation's query parameters"
                )),
            }
        };
        let field = |pointer: &Option<String>, what: &str| -> std::result::Result<Vec<String>, String> {
            let Some(p) = pointer else { return Ok(Vec::new()) };
            let path = segments(p);
            match place(doc, self.body, &path) {
                Some(s) if !path.is_empty() && !is_array(doc, s) && !is_object(doc, s) => Ok(path),
                _ => Err(format!(
                    "`{what} = \"{p}\"` is not a text or number field of the body"
                )),
            }
        };
        let needs = |what: &str| format!("`style = \"{}\"` needs `{what}`", style_name(entry.style));
        let (param, size) = (param(&entry.param, "param")?, param(&entry.size, "size")?);
        let (field, total) = (field(&entry.field, "field")?, field(&entry.total, "total")?);
        let items = match &entry.items {
            Some(p) => {
                let path = segments(p);
                let at = place(doc, self.body, &path).ok_or_else(|| format!("the body has no `{p}`"))?;
                if path.len() > 1 || !is_array(doc, at) {
                    return Err(format!(
                        "`items = \"{p}\"` is not the body or a top-level array field"
                    ));
                }
                path
            }
            None => self
                .items(doc)
                .ok_or("the body holds no one list of items: name it with `items`")?,
        };
        let plan = Paging {
            style: entry.style,
            param,
            field,
            items,
            size,
            total,
        };
        match entry.style {
            PageStyle::Cursor | PageStyle::Page | PageStyle::Offset if plan.param.is_none() => {
                Err(needs("param"))
            }
            PageStyle::Cursor | PageStyle::NextUrl if plan.field.is_empty() => Err(needs("field")),
            _ => Ok(plan),
        }
    }
}

fn style_name(style: PageStyle) -> &'static str {
    match style {
        PageStyle::Link => "link",
        PageStyle::NextUrl => "next-url",
        PageStyle::Cursor => "cursor",
        PageStyle::Page => "page",
        PageStyle::Offset => "offset",
        PageStyle::None => "none",
    }
}

/// A schema's one `type` (the first that is not `null`).
fn schema_type(schema: &Value) -> Option<&str> {
    match schema.get("type")? {
        Value::String(t) => Some(t),
        Value::Array(types) => types.iter().filter_map(Value::as_str).find(|t| *t != "null"),
        _ => None,
    }
}

fn is_array(doc: &Value, schema: &Value) -> bool {
    resolve(doc, schema).is_some_and(|s| schema_type(s) == Some("array"))
}

fn is_object(doc: &Value, schema: &Value) -> bool {
    resolve(doc, schema).is_some_and(|s| {
        schema_type(s) == Some("object") || s.get("properties").is_some() || s.get("allOf").is_some()
    })
}

/// An object schema's properties, its `allOf` members' included.
fn properties<'d>(doc: &'d Value, schema: &'d Value) -> Vec<(&'d String, &'d Value)> {
    let Some(schema) = resolve(doc, schema) else {
        return Vec::new();
    };
    let mut out: Vec<(&String, &Value)> = schema
        .get("properties")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .filter_map(|(n, s)| Some((n, resolve(doc, s)?)))
        .collect();
    for member in schema
        .get("allOf")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        out.extend(properties(doc, member));
    }
    out
}

/// The schema at `path` under `schema`.
fn place<'d>(doc: &'d Value, schema: &'d Value, path: &[String]) -> Option<&'d Value> {
    let Some((first, rest)) = path.split_first() else {
        return resolve(doc, schema);
    };
    let (_, next) = properties(doc, schema).into_iter().find(|(n, _)| *n == first)?;
    place(doc, next, rest)
}

/// The body's text and number fields, at most one object down: path and
/// type, top-level ones first.
fn scalar_fields<'d>(doc: &'d Value, body: &'d Value) -> Vec<(Vec<String>, &'d str)> {
    let mut top = Vec::new();
    let mut nested = Vec::new();
    for (name, schema) in properties(doc, body) {
        match schema_type(schema) {
            Some(t @ ("string" | "integer")) => top.push((vec![name.clone()], t)),
            _ if is_object(doc, schema) => {
                for (inner, s) in properties(doc, schema) {
                    if let Some(t @ ("string" | "integer")) = schema_type(s) {
                        nested.push((vec![name.clone(), inner.clone()], t));
                    }
                }
            }
            _ => {}
        }
    }
    top.extend(nested);
    top
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn doc(op: Value, components: Value) -> Value {
        json!({"openapi": "3.0.3", "info": {"title": "t", "version": "1"},
               "paths": {"/things": {"get": op}}, "components": {"schemas": components}})
    }

    fn list_op(params: Value, body: Value) -> Value {
        json!({"operationId": "listThings", "parameters": params,
               "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": body}}}}})
    }

    fn planned(doc: &mut Value, entries: &BTreeMap<String, PageEntry>) -> Option<Paging> {
        paginate(doc, entries, "specs/t/manifest.toml").unwrap();
        let op = doc.pointer("/paths/~1things/get")?.as_object()?;
        Paging::of(op)
    }

    fn query(name: &str, ty: &str) -> Value {
        json!({"name": name, "in": "query", "schema": {"type": ty}})
    }

    #[test]
    fn a_cursor_is_paired_with_its_parameter_one_object_down() {
        let body = json!({"type": "object", "properties": {
            "ok": {"type": "boolean"},
            "members": {"type": "array", "items": {"type": "string"}},
            "response_metadata": {"type": "object", "properties": {"next_cursor": {"type": "string"}}}}});
        let mut d = doc(
            list_op(
                json!([query("cursor", "string"), query("limit", "integer")]),
                body,
            ),
            json!({}),
        );
        let plan = planned(&mut d, &BTreeMap::new()).unwrap();
        assert_eq!(plan.style, PageStyle::Cursor);
        assert_eq!(plan.param.as_deref(), Some("cursor"));
        assert_eq!(plan.field, ["response_metadata", "next_cursor"]);
        assert_eq!(plan.items, ["members"]);
    }

    #[test]
    fn page_numbers_take_a_size_and_a_total() {
        let body = json!({"$ref": "#/components/schemas/Page"});
        let page = json!({"Page": {"type": "object", "properties": {
            "total_count": {"type": "integer"},
            "items": {"type": "array", "items": {"type": "string"}},
            "tags": {"type": "array", "items": {"type": "string"}}}}});
        let mut d = doc(
            list_op(
                json!([query("page", "integer"), query("per_page", "integer")]),
                body,
            ),
            page,
        );
        let plan = planned(&mut d, &BTreeMap::new()).unwrap();
        assert_eq!(plan.style, PageStyle::Page);
        assert_eq!(
            (plan.size.as_deref(), plan.total.as_slice()),
            (Some("per_page"), &["total_count".to_string()][..])
        );
        assert_eq!(plan.items, ["items"]);
    }

    #[test]
    fn an_echoed_page_number_is_no_cursor_and_no_list_is_no_paging() {
        let body = json!({"type": "object", "properties": {"page": {"type": "integer"}, "name": {"type": "string"}}});
        let mut d = doc(list_op(json!([query("page", "integer")]), body), json!({}));
        assert_eq!(planned(&mut d, &BTreeMap::new()), None);
    }

    #[test]
    fn the_manifest_names_what_the_spec_does_not_and_is_checked() {
        let body = json!({"type": "object", "properties": {
            "rows": {"type": "array", "items": {"type": "string"}},
            "after": {"type": "string"}}});
        let entry = |param: &str| PageEntry {
            style: PageStyle::Cursor,
            param: Some(param.into()),
            field: Some("/after".into()),
            items: None,
            size: None,
            total: None,
        };
        let op = list_op(json!([query("since", "string")]), body);
        let mut d = doc(op.clone(), json!({}));
        let entries = BTreeMap::from([("listThings".to_string(), entry("since"))]);
        let plan = planned(&mut d, &entries).unwrap();
        assert_eq!(
            (plan.field.as_slice(), plan.items.as_slice()),
            (&["after".to_string()][..], &["rows".to_string()][..])
        );

        let mut d = doc(op, json!({}));
        let entries = BTreeMap::from([("listThings".to_string(), entry("nope"))]);
        let err = paginate(&mut d, &entries, "specs/t/manifest.toml")
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("specs/t/manifest.toml")
                && err.contains("[pagination.listThings]")
                && err.contains("`param = \"nope\"`"),
            "{err}"
        );

        let entries = BTreeMap::from([("listOthers".to_string(), entry("since"))]);
        let err = paginate(&mut d, &entries, "specs/t/manifest.toml")
            .unwrap_err()
            .to_string();
        assert!(err.contains("no operation `listOthers`"), "{err}");
    }
}
