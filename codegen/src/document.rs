//! The shape of an OpenAPI 3.x document, known in one place: the HTTP
//! methods of a path item and the operations, JSON Pointers (RFC 6901) and
//! local `$ref`s, and the one walk over a document that every stage uses.
//!
//! The walk knows which keys hold schemas or other OpenAPI objects and which
//! hold data. Data is never walked: `example`, `examples` (in a schema; an
//! `examples` map elsewhere holds Example Objects, whose `value` is data),
//! `default`, `enum`, `const`, `x-*` extensions, and the values of Link
//! Objects. The keys under `properties` (and `patternProperties`, `$defs`,
//! `dependentSchemas`) are names, so a property called `default`, `enum`,
//! `example` or `$ref` is a property whose value is a schema. Keys of
//! objects that hold none of these (`info`, `servers`, `security`, `type`,
//! `required`, `discriminator`, ...) are not walked either.

use serde_json::{Map, Value};

/// HTTP methods of a path item, in the order OpenAPI lists them.
pub(crate) const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// Where an operation whose method has no slot of its own in 3.0 (OpenAPI
/// 3.2's `query`, an `additionalOperations` method) keeps that method, once
/// the normalize stage has put it in a free slot: progenitor makes its
/// request in the slot's method, and the client layer sends it as this one.
pub(crate) const METHOD_KEY: &str = "x-usergroup-method";

/// Escapes one JSON pointer segment (RFC 6901).
pub(crate) fn escape(segment: &str) -> String {
    segment.replace('~', "~0").replace('/', "~1")
}

/// Unescapes one JSON pointer segment (RFC 6901).
pub(crate) fn unescape(segment: &str) -> String {
    segment.replace("~1", "/").replace("~0", "~")
}

/// Joins a pointer and one more segment.
pub(crate) fn pointer(base: &str, segment: &str) -> String {
    format!("{base}/{}", escape(segment))
}

/// The unescaped segments of a pointer: `/paths/~1a/get` -> `paths`, `/a`, `get`.
pub(crate) fn segments(pointer: &str) -> Vec<String> {
    pointer.split('/').skip(1).map(unescape).collect()
}

/// The RFC 9535 JSONPath (as overlays target) of the node at a pointer of
/// `doc`: `/paths/~1a/get/parameters/0` -> `$['paths']['/a']['get']['parameters'][0]`.
pub(crate) fn json_path(doc: &Value, pointer: &str) -> String {
    let mut path = String::from("$");
    let mut node = Some(doc);
    for segment in segments(pointer) {
        match (node, segment.parse::<usize>()) {
            (Some(Value::Array(list)), Ok(i)) => {
                path.push_str(&format!("[{i}]"));
                node = list.get(i);
            }
            (current, _) => {
                path.push_str(&format!(
                    "['{}']",
                    segment.replace('\\', "\\\\").replace('\'', "\\'")
                ));
                node = current.and_then(|n| n.get(&segment));
            }
        }
    }
    path
}

/// A local reference to a component: `#/components/<kind>/<name>`.
pub(crate) fn component_ref(kind: &str, name: &str) -> String {
    format!("#{}", pointer(&pointer("/components", kind), name))
}

/// The value a local `$ref` (`#/json/pointer`) points at.
pub(crate) fn ref_target<'v>(doc: &'v Value, reference: &str) -> Option<&'v Value> {
    doc.pointer(reference.strip_prefix('#')?)
}

/// The longest chain of `$ref`s [`follow`] walks before it gives up.
pub(crate) const MAX_REF_CHAIN: usize = 32;

/// Why a chain of `$ref`s reaches no value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Broken {
    /// This reference points at nothing, or is not local.
    Dangling(String),
    /// The chain comes back to a reference it passed: the references in
    /// order, the repeated one last.
    Cycle(Vec<String>),
    /// More than [`MAX_REF_CHAIN`] references, in order.
    TooLong(Vec<String>),
}

/// Follows local `$ref`s from `v` to the value they reach: the one
/// resolver of every kind of reference (schemas, responses, parameters,
/// request bodies, headers, examples, links, callbacks, path items,
/// security schemes). A cycle and a chain over [`MAX_REF_CHAIN`] are
/// errors, so no input makes it loop. Recursion through a schema's
/// properties is not a chain: the value a chain reaches is returned as it
/// is.
pub(crate) fn follow<'v>(doc: &'v Value, mut v: &'v Value) -> std::result::Result<&'v Value, Broken> {
    let mut chain: Vec<&str> = Vec::new();
    while let Some(r) = v.get("$ref").and_then(Value::as_str) {
        let repeated = chain.contains(&r);
        chain.push(r);
        let owned = || chain.iter().map(|r| r.to_string()).collect();
        if repeated {
            return Err(Broken::Cycle(owned()));
        }
        if chain.len() > MAX_REF_CHAIN {
            return Err(Broken::TooLong(owned()));
        }
        v = ref_target(doc, r).ok_or_else(|| Broken::Dangling(r.to_string()))?;
    }
    Ok(v)
}

/// [`follow`], for callers to whom a broken chain is nothing (validation
/// reports those).
pub(crate) fn resolve<'v>(doc: &'v Value, v: &'v Value) -> Option<&'v Value> {
    follow(doc, v).ok()
}

/// A media type without its parameters: `application/json; charset=utf-8`
/// -> `application/json`.
pub(crate) fn media_base(media: &str) -> &str {
    media.split(';').next().unwrap_or_default().trim()
}

/// Media types that carry one JSON document under a name other than
/// `application/json`: the old and vendor spellings.
const JSON_ALIASES: [&str; 3] = ["text/json", "application/x-json", "text/x-json"];

/// Whether a media type carries one JSON document: `application/json`, any
/// `+json` (`problem+json`, `merge-patch+json`), or an old spelling
/// (`text/json`); case does not matter. Not `application/jsonl` or
/// `application/json-seq`, which are sequences of documents.
pub(crate) fn is_json_media(media: &str) -> bool {
    let base = media_base(media).to_ascii_lowercase();
    base == "application/json" || base.ends_with("+json") || JSON_ALIASES.contains(&base.as_str())
}

/// The parameter names of a path template: `/a/{b}/c/{d}` -> `b`, `d`.
pub(crate) fn template_names(path: &str) -> Vec<String> {
    path.split('{')
        .skip(1)
        .filter_map(|s| s.split_once('}').map(|(n, _)| n.to_string()))
        .collect()
}

/// One operation of a document.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Operation<'a> {
    /// Its path template.
    pub path: &'a str,
    /// Its method, lowercase.
    pub method: &'static str,
    /// The path item holding it.
    pub item: &'a Value,
    /// The operation object.
    pub op: &'a Value,
}

impl Operation<'_> {
    /// `/paths/<path>/<method>`.
    pub fn pointer(&self) -> String {
        operation_pointer(self.path, self.method)
    }

    /// The method sent on the wire ([`sent_method`]).
    pub fn http_method(&self) -> String {
        sent_method(self.op, self.method)
    }

    /// The method the operation is sent as, when it is not its slot's.
    pub fn carried_as(&self) -> Option<&str> {
        self.op.get(METHOD_KEY).and_then(Value::as_str)
    }

    /// `METHOD /path`.
    pub fn shown(&self) -> String {
        format!("{} {}", self.http_method(), self.path)
    }

    /// Its operationId, else `METHOD /path`: how notes name it.
    pub fn name(&self) -> String {
        self.op
            .get("operationId")
            .and_then(Value::as_str)
            .map_or_else(|| self.shown(), str::to_string)
    }
}

/// The method an operation in the slot `slot` is sent with: the slot's,
/// uppercase, or the one kept under [`METHOD_KEY`].
pub(crate) fn sent_method(op: &Value, slot: &str) -> String {
    op.get(METHOD_KEY)
        .and_then(Value::as_str)
        .map_or_else(|| slot.to_uppercase(), str::to_string)
}

/// `/paths/<path>/<method>`.
pub(crate) fn operation_pointer(path: &str, method: &str) -> String {
    pointer(&pointer("/paths", path), method)
}

/// Every operation of the document, path by path, in method order.
pub(crate) fn operations(doc: &Value) -> Vec<Operation<'_>> {
    let Some(paths) = doc.get("paths").and_then(Value::as_object) else {
        return Vec::new();
    };
    paths
        .iter()
        .flat_map(|(path, item)| {
            METHODS.iter().filter_map(move |method| {
                item.get(*method).map(|op| Operation {
                    path,
                    method,
                    item,
                    op,
                })
            })
        })
        .collect()
}

/// What a node of an OpenAPI document is, as far as walking it goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// The root.
    Document,
    /// `components`.
    Components,
    /// A Path Item Object.
    PathItem,
    /// An Operation Object.
    Operation,
    /// A Callback Object (expressions to path items).
    Callback,
    /// A Parameter Object.
    Parameter,
    /// A Header Object.
    Header,
    /// A Request Body Object.
    RequestBody,
    /// A Media Type Object.
    MediaType,
    /// An Encoding Object.
    Encoding,
    /// A Response Object.
    Response,
    /// An Example Object: only its `$ref` matters, its `value` is data.
    Example,
    /// A Link Object: only its `$ref` matters, its values are data.
    Link,
    /// A schema (an object, or a boolean schema).
    Schema,
}

impl Kind {
    /// The component map a `$ref` of this kind names a member of
    /// (`schemas`, `responses`, ...), for the kinds that have one.
    pub(crate) fn component_map(self) -> Option<&'static str> {
        Some(match self {
            Kind::Schema => "schemas",
            Kind::Parameter => "parameters",
            Kind::RequestBody => "requestBodies",
            Kind::Response => "responses",
            Kind::Header => "headers",
            Kind::Example => "examples",
            Kind::Link => "links",
            Kind::Callback => "callbacks",
            _ => return None,
        })
    }

    /// What a node of this kind is called in a message.
    pub(crate) fn noun(self) -> &'static str {
        match self {
            Kind::Parameter => "parameter",
            Kind::Header => "header",
            Kind::RequestBody => "request body",
            Kind::Response => "response",
            Kind::Schema => "schema",
            Kind::Example => "example",
            Kind::Link => "link",
            Kind::Callback => "callback",
            Kind::PathItem => "path item",
            _ => "value",
        }
    }
}

/// The branches of a schema's `allOf`, `oneOf` and `anyOf`.
pub(crate) fn composition(v: &Value) -> impl Iterator<Item = &Value> {
    ["allOf", "oneOf", "anyOf"]
        .into_iter()
        .filter_map(|k| v.get(k).and_then(Value::as_array))
        .flatten()
}

/// Whether a JSON pointer names a whole member of `components/<map>`.
pub(crate) fn is_component(pointer: &str, map: &str) -> bool {
    matches!(segments(pointer).as_slice(), [c, m, _] if c == "components" && m == map)
}

/// A node the walk reached.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Node<'a> {
    /// Its JSON pointer.
    pub at: &'a str,
    /// What it is.
    pub kind: Kind,
    /// The key of its parent that holds it (`properties`, `items`,
    /// `schema`, `paths`, ...); empty for the node the walk started at.
    pub keyword: &'a str,
}

/// How a key of an object holds OpenAPI objects.
#[derive(Debug, Clone, Copy)]
enum Holds {
    /// One object.
    One(Kind),
    /// One schema, or (an old `items` tuple) a list of them.
    OneOrList(Kind),
    /// A map from names (any key, `x-` too) to objects.
    Map(Kind),
    /// An object whose keys are patterns (paths, status codes, callback
    /// expressions) to objects, and whose `x-` keys are extensions.
    Fields(Kind),
    /// A list of objects.
    List(Kind),
}

/// The keys of a schema that hold schemas; every other key of a schema is
/// a keyword holding a value or data.
fn schema_holds(key: &str) -> Option<Holds> {
    use Holds::*;
    Some(match key {
        "properties" | "patternProperties" | "$defs" | "definitions" | "dependentSchemas" => {
            Map(Kind::Schema)
        }
        "allOf" | "anyOf" | "oneOf" | "prefixItems" => List(Kind::Schema),
        "items" => OneOrList(Kind::Schema),
        "additionalProperties"
        | "not"
        | "if"
        | "then"
        | "else"
        | "contains"
        | "propertyNames"
        | "unevaluatedItems"
        | "unevaluatedProperties"
        | "additionalItems"
        | "contentSchema" => One(Kind::Schema),
        _ => return None,
    })
}

/// What the key `key` of a node of kind `kind` holds; `None` for data and
/// for keys that hold no OpenAPI object.
fn holds(kind: Kind, key: &str) -> Option<Holds> {
    use Holds::*;
    use Kind::*;
    if key.starts_with("x-") {
        return None;
    }
    Some(match (kind, key) {
        (Schema, key) => return schema_holds(key),
        (Document, "paths" | "webhooks") => Fields(PathItem),
        (Document, "components") => One(Components),
        (Document, "$defs") => Map(Schema),
        (Components, "schemas") => Map(Schema),
        (Components, "responses") => Map(Response),
        (Components, "parameters") => Map(Parameter),
        (Components, "examples") => Map(Example),
        (Components, "requestBodies") => Map(RequestBody),
        (Components, "headers") => Map(Header),
        (Components, "links") => Map(Link),
        (Components, "callbacks") => Map(Callback),
        (Components, "pathItems") => Map(PathItem),
        (Components, "mediaTypes") => Map(MediaType),
        (PathItem, method) if METHODS.contains(&method) || method == "query" => One(Operation),
        (PathItem, "additionalOperations") => Map(Operation),
        (PathItem | Operation, "parameters") => List(Parameter),
        (Operation, "requestBody") => One(RequestBody),
        (Operation, "responses") => Fields(Response),
        (Operation, "callbacks") => Map(Callback),
        (Callback, _) => One(PathItem),
        (Parameter | Header | MediaType, "schema") => One(Schema),
        (MediaType, "itemSchema") => One(Schema),
        (Parameter | Header | RequestBody | Response, "content") => Map(MediaType),
        (Parameter | Header | MediaType, "examples") => Map(Example),
        (MediaType, "encoding") => Map(Encoding),
        (Encoding | Response, "headers") => Map(Header),
        (Response, "links") => Map(Link),
        _ => return None,
    })
}

/// One step from a node to a child.
#[derive(Debug, Clone)]
enum Step {
    Key(String),
    Index(usize),
}

/// A child of a node: one or two steps away (`schema`; `properties/<name>`).
#[derive(Debug, Clone)]
struct Child {
    keyword: String,
    entry: Option<Step>,
    kind: Kind,
}

impl Child {
    fn pointer(&self, at: &str) -> String {
        let at = pointer(at, &self.keyword);
        match &self.entry {
            None => at,
            Some(Step::Key(k)) => pointer(&at, k),
            Some(Step::Index(i)) => format!("{at}/{i}"),
        }
    }

    fn get<'v>(&self, node: &'v Value) -> Option<&'v Value> {
        let v = node.get(&self.keyword)?;
        match &self.entry {
            None => Some(v),
            Some(Step::Key(k)) => v.get(k),
            Some(Step::Index(i)) => v.get(i),
        }
    }

    fn get_mut<'v>(&self, node: &'v mut Value) -> Option<&'v mut Value> {
        let v = node.get_mut(&self.keyword)?;
        match &self.entry {
            None => Some(v),
            Some(Step::Key(k)) => v.get_mut(k),
            Some(Step::Index(i)) => v.get_mut(i),
        }
    }
}

/// Whether a value can be a node of that kind: an object, or for a schema
/// also a boolean.
fn can_be(kind: Kind, v: &Value) -> bool {
    v.is_object() || (kind == Kind::Schema && v.is_boolean())
}

/// The children of a node, in the order of its keys.
fn children(node: &Value, kind: Kind) -> Vec<Child> {
    let Some(map) = node.as_object() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (key, v) in map {
        let Some(how) = holds(kind, key) else { continue };
        let one = |kind| Child {
            keyword: key.clone(),
            entry: None,
            kind,
        };
        let entry = |kind, step| Child {
            keyword: key.clone(),
            entry: Some(step),
            kind,
        };
        match (how, v) {
            (Holds::One(k) | Holds::OneOrList(k), v) if can_be(k, v) => out.push(one(k)),
            (Holds::OneOrList(k) | Holds::List(k), Value::Array(list)) => out.extend(
                list.iter()
                    .enumerate()
                    .filter(|(_, v)| can_be(k, v))
                    .map(|(i, _)| entry(k, Step::Index(i))),
            ),
            (Holds::Map(k), Value::Object(entries)) => out.extend(
                entries
                    .iter()
                    .filter(|(_, v)| can_be(k, v))
                    .map(|(name, _)| entry(k, Step::Key(name.clone()))),
            ),
            (Holds::Fields(k), Value::Object(entries)) => out.extend(
                entries
                    .iter()
                    .filter(|(name, v)| !name.starts_with("x-") && can_be(k, v))
                    .map(|(name, _)| entry(k, Step::Key(name.clone()))),
            ),
            _ => {}
        }
    }
    out
}

/// Visits `node` (a `kind` at pointer `at`) and every OpenAPI object and
/// schema inside it, each before its children, in document order.
pub(crate) fn walk(node: &Value, kind: Kind, at: &str, visit: &mut impl FnMut(&Value, &Node)) {
    walk_from(node, kind, at, "", visit);
}

fn walk_from(node: &Value, kind: Kind, at: &str, keyword: &str, visit: &mut impl FnMut(&Value, &Node)) {
    visit(node, &Node { at, kind, keyword });
    for child in children(node, kind) {
        if let Some(v) = child.get(node) {
            walk_from(v, child.kind, &child.pointer(at), &child.keyword, visit);
        }
    }
}

/// [`walk`], with each node mutable. A node's children are found after it
/// is visited, so a visitor may rewrite the node it is given (and what it
/// removes is not walked).
pub(crate) fn walk_mut(node: &mut Value, kind: Kind, at: &str, visit: &mut impl FnMut(&mut Value, &Node)) {
    walk_mut_from(node, kind, at, "", visit);
}

fn walk_mut_from(
    node: &mut Value,
    kind: Kind,
    at: &str,
    keyword: &str,
    visit: &mut impl FnMut(&mut Value, &Node),
) {
    visit(node, &Node { at, kind, keyword });
    for child in children(node, kind) {
        if let Some(v) = child.get_mut(node) {
            walk_mut_from(v, child.kind, &child.pointer(at), &child.keyword, visit);
        }
    }
}

/// Calls `visit` with each schema of a document that is an object (not a
/// boolean schema), and its pointer, each before the schemas inside it.
pub(crate) fn schemas_mut(doc: &mut Value, mut visit: impl FnMut(&mut Map<String, Value>, &str)) {
    walk_mut(doc, Kind::Document, "", &mut |v, node| {
        if let Value::Object(schema) = v
            && node.kind == Kind::Schema
        {
            visit(schema, node.at);
        }
    });
}

/// Rewrites every `$ref` of a document, in schemas and in the other
/// OpenAPI objects but never in data, for which `new` gives a new value.
pub(crate) fn rewrite_refs(doc: &mut Value, new: impl Fn(&str) -> Option<String>) {
    rewrite_refs_under(doc, Kind::Document, new);
}

/// [`rewrite_refs`] inside one node of kind `kind`; returns how many
/// `$ref`s changed.
pub(crate) fn rewrite_refs_under(
    node: &mut Value,
    kind: Kind,
    new: impl Fn(&str) -> Option<String>,
) -> usize {
    let mut changed = 0;
    walk_mut(node, kind, "", &mut |node, _| {
        if let Some(Value::String(r)) = node.get_mut("$ref")
            && let Some(n) = new(r)
        {
            *r = n;
            changed += 1;
        }
    });
    changed
}

/// Moves references: each `$ref` equal to, or under, a `from` reference
/// (`#/json/pointer`) now points at, or under, its `to`.
pub(crate) fn move_refs(doc: &mut Value, moves: &[(String, String)]) {
    move_refs_under(doc, Kind::Document, moves);
}

/// [`move_refs`] inside one node of kind `kind`; returns how many `$ref`s
/// moved.
pub(crate) fn move_refs_under(node: &mut Value, kind: Kind, moves: &[(String, String)]) -> usize {
    if moves.is_empty() {
        return 0;
    }
    rewrite_refs_under(node, kind, |r| {
        moves.iter().find_map(|(from, to)| {
            let rest = r.strip_prefix(from.as_str())?;
            (rest.is_empty() || rest.starts_with('/')).then(|| format!("{to}{rest}"))
        })
    })
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn follow_reaches_the_value_or_names_why_not() {
        let doc = json!({"components": {
            "responses": {
                "Ok": {"description": "ok"},
                "Alias": {"$ref": "#/components/responses/Ok"},
                "R": {"$ref": "#/components/responses/S"},
                "S": {"$ref": "#/components/responses/R"},
                "Me": {"$ref": "#/components/responses/Me"},
                "Gone": {"$ref": "#/components/responses/Nowhere"}
            },
            "schemas": {"Tree": {"type": "object", "properties": {"kids": {"type": "array", "items": {"$ref": "#/components/schemas/Tree"}}}}}
        }});
        let at = |r: &str| json!({"$ref": r});
        let r = |name: &str| format!("#/components/responses/{name}");
        assert_eq!(follow(&doc, &at(&r("Alias"))), Ok(&json!({"description": "ok"})));
        assert_eq!(
            follow(&doc, &at(&r("R"))),
            Err(Broken::Cycle(vec![r("R"), r("S"), r("R")]))
        );
        assert_eq!(
            follow(&doc, &at(&r("Me"))),
            Err(Broken::Cycle(vec![r("Me"), r("Me")]))
        );
        assert_eq!(follow(&doc, &at(&r("Gone"))), Err(Broken::Dangling(r("Nowhere"))));
        // Recursion through a property is a value, not a chain.
        assert!(follow(&doc, &at("#/components/schemas/Tree")).is_ok());
        // A chain of aliases longer than the bound.
        let mut long = serde_json::Map::new();
        for i in 0..40 {
            long.insert(
                format!("A{i}"),
                json!({"$ref": format!("#/components/responses/A{}", i + 1)}),
            );
        }
        long.insert("A40".into(), json!({"description": "end"}));
        let doc = json!({"components": {"responses": long}});
        match follow(&doc, &at(&r("A0"))) {
            Err(Broken::TooLong(chain)) => assert_eq!(chain.len(), MAX_REF_CHAIN + 1),
            other => panic!("{other:?}"),
        }
    }

    /// Every node the walk reaches, as `kind pointer`, sorted by pointer
    /// (whether maps keep document order depends on serde_json's features).
    fn reached(doc: &Value) -> Vec<String> {
        let mut out = Vec::new();
        walk(doc, Kind::Document, "", &mut |_, node| {
            out.push((node.at.to_string(), format!("{:?} {}", node.kind, node.at)));
        });
        out.sort();
        out.into_iter().map(|(_, shown)| shown).collect()
    }

    #[test]
    fn pointers_escape_and_unescape() {
        assert_eq!(pointer("/paths", "/a/{b}~c"), "/paths/~1a~1{b}~0c");
        assert_eq!(unescape("~1a~1{b}~0c"), "/a/{b}~c");
        assert_eq!(unescape("~01"), "~1");
        assert_eq!(segments("/paths/~1a/get"), ["paths", "/a", "get"]);
        assert_eq!(segments(""), Vec::<String>::new());
        assert_eq!(component_ref("schemas", "a/b"), "#/components/schemas/a~1b");
    }

    #[test]
    fn json_paths_of_pointers() {
        let doc = json!({"paths": {"/a": {"get": {"parameters": [{"name": "it's"}]}}}, "x": {"0": 1}});
        assert_eq!(
            json_path(&doc, "/paths/~1a/get/parameters/0"),
            "$['paths']['/a']['get']['parameters'][0]"
        );
        assert_eq!(json_path(&doc, "/x/0"), "$['x']['0']");
        assert_eq!(json_path(&doc, "/it's\\"), "$['it\\'s\\\\']");
    }

    #[test]
    fn refs_resolve_and_cycles_end() {
        let doc = json!({"components": {"schemas": {
            "A": {"$ref": "#/components/schemas/B"}, "B": {"type": "string"},
            "L": {"$ref": "#/components/schemas/L"}
        }}});
        let a = json!({"$ref": "#/components/schemas/A"});
        assert_eq!(resolve(&doc, &a), Some(&json!({"type": "string"})));
        assert_eq!(resolve(&doc, &json!({"$ref": "#/components/schemas/L"})), None);
        assert_eq!(resolve(&doc, &json!({"$ref": "other.json#/A"})), None);
    }

    #[test]
    fn json_media_types_by_name_in_any_case_but_not_sequences() {
        for m in [
            "application/json",
            "Application/JSON; charset=utf-8",
            "application/problem+json",
            "text/json",
        ] {
            assert!(is_json_media(m), "{m}");
        }
        for m in ["application/jsonl", "application/json-seq", "text/plain", "*/*"] {
            assert!(!is_json_media(m), "{m}");
        }
    }

    #[test]
    fn operations_in_path_and_method_order() {
        let doc =
            json!({"paths": {"/b": {"post": {}, "get": {}, "summary": "s"}, "/a": {"trace": {}}, "x-n": {}}});
        let ops: Vec<String> = operations(&doc).iter().map(|o| o.shown()).collect();
        // Paths in map order (the document's, or sorted: that depends on
        // serde_json's features), each path's methods in OpenAPI's order.
        let at_b: Vec<&String> = ops.iter().filter(|o| o.ends_with("/b")).collect();
        assert_eq!(at_b, ["GET /b", "POST /b"]);
        assert_eq!(ops.len(), 3);
        let trace = operations(&doc).into_iter().find(|o| o.method == "trace");
        assert_eq!(trace.map(|o| o.pointer()).as_deref(), Some("/paths/~1a/trace"));
    }

    #[test]
    fn the_walk_reaches_every_object_and_schema_and_no_data() {
        let doc = json!({
            "info": {"title": "t"},
            "x-ext": {"type": "object", "$ref": "#/x"},
            "paths": {
                "x-ext": {"get": {}},
                "/a": {
                    "parameters": [{"$ref": "#/components/parameters/P"}],
                    "get": {
                        "requestBody": {"content": {"application/json": {
                            "schema": {"type": "string"},
                            "example": {"type": "object"},
                            "examples": {"E": {"value": {"type": "object"}}},
                            "encoding": {"f": {"headers": {"H": {"schema": true}}}}
                        }}},
                        "responses": {"default": {"description": "", "links": {"L": {"parameters": {"a": {}}}}}},
                        "callbacks": {"C": {"{$request.body#/url}": {"post": {}}}}
                    }
                }
            },
            "components": {"schemas": {"S": {
                "type": "object",
                "default": {"properties": {}},
                "enum": [{"type": "object"}],
                "x-data": {"type": "object"},
                "properties": {
                    "default": {"type": "string"},
                    "enum": {"type": "string"},
                    "example": {"type": "string"},
                    "$ref": {"type": "string"},
                    "x-name": false
                },
                "items": [{"type": "string"}],
                "allOf": [{"$ref": "#/components/schemas/T"}, "not a schema"]
            }}}
        });
        assert_eq!(
            reached(&doc),
            [
                "Document ",
                "Components /components",
                "Schema /components/schemas/S",
                "Schema /components/schemas/S/allOf/0",
                "Schema /components/schemas/S/items/0",
                "Schema /components/schemas/S/properties/$ref",
                "Schema /components/schemas/S/properties/default",
                "Schema /components/schemas/S/properties/enum",
                "Schema /components/schemas/S/properties/example",
                "Schema /components/schemas/S/properties/x-name",
                "PathItem /paths/~1a",
                "Operation /paths/~1a/get",
                "Callback /paths/~1a/get/callbacks/C",
                "PathItem /paths/~1a/get/callbacks/C/{$request.body#~1url}",
                "Operation /paths/~1a/get/callbacks/C/{$request.body#~1url}/post",
                "RequestBody /paths/~1a/get/requestBody",
                "MediaType /paths/~1a/get/requestBody/content/application~1json",
                "Encoding /paths/~1a/get/requestBody/content/application~1json/encoding/f",
                "Header /paths/~1a/get/requestBody/content/application~1json/encoding/f/headers/H",
                "Schema /paths/~1a/get/requestBody/content/application~1json/encoding/f/headers/H/schema",
                "Example /paths/~1a/get/requestBody/content/application~1json/examples/E",
                "Schema /paths/~1a/get/requestBody/content/application~1json/schema",
                "Response /paths/~1a/get/responses/default",
                "Link /paths/~1a/get/responses/default/links/L",
                "Parameter /paths/~1a/parameters/0",
            ]
        );
    }

    #[test]
    fn a_visitor_may_rewrite_the_node_before_its_children_are_walked() {
        let mut doc =
            json!({"components": {"schemas": {"S": {"properties": {"a": true}, "not": {"if": {}}}}}});
        let mut seen = Vec::new();
        walk_mut(&mut doc, Kind::Document, "", &mut |v, node| {
            if node.kind == Kind::Schema {
                if *v == json!(true) {
                    *v = json!({"type": "string"});
                }
                if let Some(s) = v.as_object_mut() {
                    s.remove("if");
                }
                seen.push(format!("{} {}", node.keyword, node.at));
            }
        });
        // Each node before its children: the walk is depth first.
        assert_eq!(seen.len(), 3);
        assert_eq!(seen[0], "schemas /components/schemas/S");
        seen.sort();
        assert_eq!(
            seen[..2],
            [
                "not /components/schemas/S/not",
                "properties /components/schemas/S/properties/a"
            ]
        );
        assert_eq!(
            doc.pointer("/components/schemas/S/properties/a/type").unwrap(),
            "string"
        );
    }

    #[test]
    fn moved_refs_follow_in_objects_and_schemas_but_not_in_data() {
        let mut doc = json!({
            "paths": {"/a": {"get": {"responses": {"200": {"$ref": "#/components/responses/R"}}}}},
            "components": {"schemas": {
                "A": {"$ref": "#/components/schemas/Old", "example": {"$ref": "#/components/schemas/Old"}},
                "B": {"properties": {"$ref": {"$ref": "#/components/schemas/Old/properties/x"}}},
                "C": {"$ref": "#/components/schemas/Older"}
            }}
        });
        move_refs(
            &mut doc,
            &[
                (
                    "#/components/schemas/Old".into(),
                    "#/components/schemas/New".into(),
                ),
                (
                    "#/components/responses/R".into(),
                    "#/components/responses/S".into(),
                ),
            ],
        );
        for (at, expected) in [
            ("/components/schemas/A/$ref", "#/components/schemas/New"),
            // Data stays as it is.
            ("/components/schemas/A/example/$ref", "#/components/schemas/Old"),
            (
                "/components/schemas/B/properties/$ref/$ref",
                "#/components/schemas/New/properties/x",
            ),
            ("/components/schemas/C/$ref", "#/components/schemas/Older"),
            ("/paths/~1a/get/responses/200/$ref", "#/components/responses/S"),
        ] {
            assert_eq!(doc.pointer(at), Some(&json!(expected)), "{at}");
        }
    }
}
