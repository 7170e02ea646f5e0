//! `success_responses = "typed"` (the default): an operation whose success
//! statuses have different types (a 200 with a body beside a 202 or a 204
//! without one, a 200 and a 201 of two schemas) returns one enum, a variant
//! per status, each with its typed body (`emit/responses.rs`).
//!
//! progenitor takes one success type per operation, so it is given raw
//! bytes for every success status, and the client layer decodes them by
//! status. The types come from typify all the same: a helper component,
//! `<Op>Statuses`, holds one property per status with a JSON body, and the
//! layer reads each property's Rust type off the struct typify makes of it
//! (then leaves the helper out). The plan is recorded on the operation
//! under [`STATUSES_KEY`].
//!
//! Every operation's documented error statuses are planned the same way
//! ([`Side::Errors`], recorded under [`ERRORS_KEY`], helper `<Op>Errors`):
//! its `errors::<Op>` enum has a variant per documented error status with
//! its typed body, so a caller matches a 404 and a 422 as types. progenitor
//! keeps its own (merged) error type for `VendorError`; an inline object
//! body declared in the operation itself is given a component of its own
//! (`<Op>NotFound`), which both use. One shared through
//! `components/responses` stays where it is: the enum's variant has a type
//! of its own. A response that does not resolve costs its variant only.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

use crate::document::resolve;

/// Where the plan is recorded on the operation, for the client layer.
pub(crate) const STATUSES_KEY: &str = "x-usergroup-statuses";
/// Where the plan of the documented error statuses is recorded.
pub(crate) const ERRORS_KEY: &str = "x-usergroup-errors";
/// Where the plan of a `text/event-stream` success is recorded.
pub(crate) const EVENTS_KEY: &str = "x-usergroup-events";

/// An operation whose success is a stream of server-sent events: the
/// helper component whose `data` property types each event's payload, or
/// `None` when the spec declares none (the payload is text).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Events {
    /// The helper component (`<Op>Events`).
    pub helper: Option<String>,
    /// The success is JSON or events: the method gives the JSON, and its
    /// request value's `.stream()` the events.
    #[serde(default)]
    pub beside_json: bool,
    /// The boolean field of the JSON request body that asks for events
    /// (`stream`), when it has one.
    #[serde(default)]
    pub flag: Option<String>,
    /// The items are JSON Lines (`lines`), a JSON text sequence (`seq`) or
    /// the JSON parts of a `multipart/mixed` body (`multipart`),
    /// typed by the media type's `itemSchema`; `None` for server-sent
    /// events.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub framing: Option<String>,
    /// The media type the stream is asked for in (`Accept`), as the spec
    /// writes it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub media: Option<String>,
}

impl Events {
    /// The plan recorded on an operation, if any.
    pub(crate) fn of(op: &Map<String, Value>) -> Option<Self> {
        serde_json::from_value(op.get(EVENTS_KEY)?.clone()).ok()
    }
}

/// Plans the events of an operation whose one success with a body is
/// `text/event-stream`, alone or beside JSON (then `flag` is the request
/// body's boolean that asks for events, if it has one): the event payload
/// is the event schema's `data` property when it has one (Mistral's
/// `{event, data}`), else the event schema; text when there is no schema
/// or it is a string. Returns the record and the helper.
pub(super) fn plan_events(
    doc: &Value,
    responses: &Map<String, Value>,
    operation: &str,
    taken: &[String],
    flag: Option<String>,
) -> Option<(Value, Option<(String, Value)>)> {
    let with_body: Vec<&Value> = responses
        .iter()
        .filter(|(s, _)| s.starts_with('2'))
        .filter_map(|(_, r)| resolve(doc, r))
        .filter(|r| {
            r.get("content")
                .and_then(Value::as_object)
                .is_some_and(|c| !c.is_empty())
        })
        .collect();
    let [response] = with_body.as_slice() else {
        return None;
    };
    let content = response.get("content")?.as_object()?;
    let Some(media) = content.get("text/event-stream") else {
        return plan_items(doc, content, operation, taken);
    };
    let beside_json = content
        .keys()
        .any(|k| crate::progenitor_rules::is_progenitor_json(k));
    // The event schema as written (a `$ref` stays one: its type is reused).
    let written = media.get("schema");
    let data = written.map(
        |w| match resolve(doc, w).unwrap_or(w).pointer("/properties/data") {
            Some(data) => data.clone(),
            None => w.clone(),
        },
    );
    let data = data.filter(|d| {
        let d = resolve(doc, d).unwrap_or(d);
        d.get("type").and_then(Value::as_str) != Some("string")
            && d.as_object().is_some_and(|o| !o.is_empty())
    });
    let helper = data.map(|data| {
        let name = super::unique_name(&format!("{}Events", super::pascal(operation)), taken);
        let schema = json!({
            "type": "object",
            "description": format!("The event payload of `{operation}` (read by the client layer; not generated)."),
            "properties": {"data": data},
        });
        (name, schema)
    });
    let record = serde_json::to_value(Events {
        helper: helper.as_ref().map(|(n, _)| n.clone()),
        beside_json,
        flag: flag.filter(|_| beside_json),
        framing: None,
        media: Some("text/event-stream".into()),
    })
    .ok()?;
    Some((record, helper))
}

/// Plans the items of a success that is one JSON Lines, JSON text
/// sequence or `multipart/mixed` media type with an `itemSchema` (OpenAPI
/// 3.2): its helper's
/// `data` is the item schema.
fn plan_items(
    doc: &Value,
    content: &Map<String, Value>,
    operation: &str,
    taken: &[String],
) -> Option<(Value, Option<(String, Value)>)> {
    let [(media, body)] = content.iter().collect::<Vec<_>>()[..] else {
        return None;
    };
    let framing = framing_of(media)?;
    let item = body.get("itemSchema")?;
    if framing == "multipart" && raw_parts(doc, item) {
        return None;
    }
    let name = super::unique_name(&format!("{}Items", super::pascal(operation)), taken);
    let schema = json!({
        "type": "object",
        "description": format!("The item of `{operation}` (read by the client layer; not generated)."),
        "properties": {"data": item},
    });
    let record = serde_json::to_value(Events {
        helper: Some(name.clone()),
        beside_json: false,
        flag: None,
        framing: Some(framing.to_string()),
        media: Some(media.clone()),
    })
    .ok()?;
    Some((record, Some((name, schema))))
}

/// How the items of a sequential media type are framed: `lines` (JSON
/// Lines, `x-ndjson`), `seq` (a JSON text sequence) or `multipart`
/// (`multipart/mixed`); `None` for any other media type.
pub(crate) fn framing_of(media: &str) -> Option<&'static str> {
    match crate::document::media_base(media).to_ascii_lowercase().as_str() {
        "application/jsonl" | "application/x-ndjson" => Some("lines"),
        "application/json-seq" => Some("seq"),
        "multipart/mixed" => Some("multipart"),
        _ => None,
    }
}

/// Whether a multipart item schema describes parts that are not JSON (a
/// string: bytes or text), which the client does not split: the body
/// stays raw bytes.
pub(super) fn raw_parts(doc: &Value, item: &Value) -> bool {
    resolve(doc, item)
        .and_then(|i| i.get("type"))
        .and_then(Value::as_str)
        == Some("string")
}

/// Which statuses a plan types.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Side {
    /// The success statuses, when they differ in type: the method returns
    /// the enum.
    Success,
    /// The documented error statuses (`4XX`, `5XX`, `default`): the
    /// enum an error carries.
    Errors,
}

/// One documented success status.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Status {
    /// `200`, or a range such as `2XX`.
    pub status: String,
    /// Whether it has a JSON body (else none).
    pub json: bool,
    /// The response's description.
    pub description: String,
}

/// An operation's success statuses, as the client layer decodes them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Statuses {
    /// The helper component whose properties carry the bodies' types.
    pub helper: String,
    /// Exact statuses in order, then ranges.
    pub statuses: Vec<Status>,
}

impl Statuses {
    /// The plan recorded on an operation under `key` ([`STATUSES_KEY`] or
    /// [`ERRORS_KEY`]), if any.
    pub(crate) fn of(op: &Map<String, Value>, key: &str) -> Option<Self> {
        serde_json::from_value(op.get(key)?.clone()).ok()
    }

    /// The helper's property, and so its Rust field, for a status.
    pub(crate) fn field(status: &str) -> String {
        format!("status_{}", status.to_ascii_lowercase())
    }
}

/// What [`plan`] adds to the document.
pub(super) struct Plan {
    /// The helper component, then an inline body's own component
    /// (`<Op><Status name>`: `GetUserCreated`), so its type has a name.
    pub schemas: Vec<(String, Value)>,
    /// The operation's [`STATUSES_KEY`] value.
    pub record: Value,
}

/// Plans the enum of an operation's statuses `which`: its success statuses
/// that differ in type, or its documented error statuses. An inline object
/// body declared in the operation itself is moved to its own component
/// (in `responses` too, so progenitor's type is the same one). For the
/// success side, `Err` says why they stay raw bytes (a body of bytes in the
/// spec, or `default` among them); an error status with a body of another
/// media type is a variant without a body.
pub(super) fn plan(
    doc: &Value,
    responses: &mut Map<String, Value>,
    which: &[String],
    operation: &str,
    taken: &[String],
    side: Side,
) -> Result<Plan, String> {
    let mut which: Vec<&String> = which.iter().collect();
    // Exact codes first, in order; then ranges (`2XX`); `default` last.
    which.sort_by_key(|s| {
        let upper = s.to_ascii_uppercase();
        (upper == "DEFAULT", upper.ends_with("XX"), upper)
    });
    let mut statuses = Vec::new();
    let mut properties = Map::new();
    let mut schemas: Vec<(String, Value)> = Vec::new();
    let mut taken: Vec<String> = taken.to_vec();
    for status in which {
        // One variant a name: `2xx` beside `2XX` is the same status.
        if statuses
            .iter()
            .any(|s: &Status| variant_name(&s.status) == variant_name(status))
        {
            continue;
        }
        if side == Side::Success && status.eq_ignore_ascii_case("default") {
            return Err("`default` is among them, and it is an error response too".into());
        }
        let Some(response) = responses
            .get(status.as_str())
            .and_then(|r| resolve(doc, r))
            .cloned()
        else {
            match side {
                Side::Success => return Err(format!("{status} does not resolve")),
                // One dangling error response costs its variant only.
                Side::Errors => continue,
            }
        };
        let description = response
            .get("description")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string();
        let content = response.get("content").and_then(Value::as_object);
        let json = content.and_then(|c| {
            c.iter()
                .find(|(k, _)| *k == "application/json" || k.starts_with("application/json;"))
        });
        match (json, content) {
            (Some((_, media)), _) => {
                let mut schema = media.get("schema").cloned().unwrap_or_else(|| json!({}));
                let inline_object = schema.get("$ref").is_none()
                    && (schema.get("properties").is_some()
                        || schema.get("type").and_then(Value::as_str) == Some("object"));
                if inline_object {
                    let name = super::unique_name(
                        &format!("{}{}", super::pascal(operation), variant_name(status)),
                        &taken,
                    );
                    taken.push(name.clone());
                    schemas.push((name.clone(), schema));
                    schema = json!({"$ref": crate::document::component_ref("schemas", &name)});
                    if let Some(Value::Object(content)) = responses
                        .get_mut(status.as_str())
                        .filter(|r| r.get("$ref").is_none())
                        .and_then(|r| r.get_mut("content"))
                        && let Some(media) =
                            content.get_mut(json.map(|(k, _)| k.as_str()).unwrap_or_default())
                    {
                        media["schema"] = schema.clone();
                    }
                }
                properties.insert(Statuses::field(status), schema);
                statuses.push(Status {
                    status: status.clone(),
                    json: true,
                    description,
                });
            }
            (None, Some(c)) if !c.is_empty() && side == Side::Success => {
                return Err(format!("the {status} body is bytes in the spec"));
            }
            (None, _) => statuses.push(Status {
                status: status.clone(),
                json: false,
                description,
            }),
        }
    }
    let (suffix, what) = match side {
        Side::Success => ("Statuses", "success"),
        Side::Errors => ("Errors", "error"),
    };
    let helper = super::unique_name(&format!("{}{suffix}", super::pascal(operation)), &taken);
    let record = serde_json::to_value(Statuses {
        helper: helper.clone(),
        statuses,
    })
    .map_err(|e| e.to_string())?;
    let schema = json!({
        "type": "object",
        "description": format!("The {what} bodies of `{operation}`, by status (read by the client layer; not generated)."),
        "properties": properties,
    });
    // Without a JSON body there is no type to read: no helper.
    if !schema["properties"].as_object().is_some_and(Map::is_empty) {
        schemas.insert(0, (helper, schema));
    }
    Ok(Plan { schemas, record })
}

/// A status's variant name: its reason phrase in UpperCamelCase (`Ok`,
/// `Created`, `NoContent`, `NotFound`, `UnprocessableEntity`, ...),
/// `Success`, `ClientError` or `ServerError` for a range such as `2XX`,
/// `Default` for `default`, `Status<code>` for a code without one.
pub(crate) fn variant_name(status: &str) -> String {
    let upper = status.to_ascii_uppercase();
    let name = match upper.as_str() {
        "200" => "Ok",
        "201" => "Created",
        "202" => "Accepted",
        "203" => "NonAuthoritativeInformation",
        "204" => "NoContent",
        "205" => "ResetContent",
        "206" => "PartialContent",
        "207" => "MultiStatus",
        "208" => "AlreadyReported",
        "226" => "ImUsed",
        "400" => "BadRequest",
        "401" => "Unauthorized",
        "402" => "PaymentRequired",
        "403" => "Forbidden",
        "404" => "NotFound",
        "405" => "MethodNotAllowed",
        "406" => "NotAcceptable",
        "407" => "ProxyAuthenticationRequired",
        "408" => "RequestTimeout",
        "409" => "Conflict",
        "410" => "Gone",
        "411" => "LengthRequired",
        "412" => "PreconditionFailed",
        "413" => "ContentTooLarge",
        "414" => "UriTooLong",
        "415" => "UnsupportedMediaType",
        "416" => "RangeNotSatisfiable",
        "417" => "ExpectationFailed",
        "418" => "ImATeapot",
        "421" => "MisdirectedRequest",
        "422" => "UnprocessableEntity",
        "423" => "Locked",
        "424" => "FailedDependency",
        "425" => "TooEarly",
        "426" => "UpgradeRequired",
        "428" => "PreconditionRequired",
        "429" => "TooManyRequests",
        "431" => "RequestHeaderFieldsTooLarge",
        "451" => "UnavailableForLegalReasons",
        "500" => "InternalServerError",
        "501" => "NotImplemented",
        "502" => "BadGateway",
        "503" => "ServiceUnavailable",
        "504" => "GatewayTimeout",
        "505" => "HttpVersionNotSupported",
        "506" => "VariantAlsoNegotiates",
        "507" => "InsufficientStorage",
        "508" => "LoopDetected",
        "510" => "NotExtended",
        "511" => "NetworkAuthenticationRequired",
        "DEFAULT" => "Default",
        "4XX" => "ClientError",
        "5XX" => "ServerError",
        s if status_range(s).is_some() => "Success",
        s => {
            return format!(
                "Status{}",
                s.chars().filter(char::is_ascii_alphanumeric).collect::<String>()
            );
        }
    };
    name.to_string()
}

/// `(200, 299)` for `2XX`.
pub(crate) fn status_range(status: &str) -> Option<(u16, u16)> {
    let upper = status.to_ascii_uppercase();
    let digit = upper.strip_suffix("XX")?.parse::<u16>().ok()?;
    Some((digit * 100, digit * 100 + 99))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_200_with_a_body_and_a_202_without_one_become_a_plan() {
        let doc = json!({"components": {"schemas": {"User": {"type": "object"}}}});
        let responses = json!({
            "202": {"description": "Queued."},
            "200": {"description": "The user.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/User"}}}},
            "2XX": {"description": "Other.", "content": {"application/json": {"schema": {"type": "string"}}}},
        });
        let which = ["202".to_string(), "2XX".to_string(), "200".to_string()];
        let mut responses = responses.as_object().unwrap().clone();
        let plan = plan(&doc, &mut responses, &which, "get_user", &[], Side::Success).expect("typed");
        assert_eq!(plan.schemas[0].0, "GetUserStatuses");
        assert_eq!(
            plan.schemas[0].1["properties"],
            json!({"status_200": {"$ref": "#/components/schemas/User"}, "status_2xx": {"type": "string"}})
        );
        let statuses: Statuses = serde_json::from_value(plan.record).unwrap();
        let order: Vec<(&str, bool)> = statuses
            .statuses
            .iter()
            .map(|s| (s.status.as_str(), s.json))
            .collect();
        assert_eq!(order, [("200", true), ("202", false), ("2XX", true)]);
    }

    #[test]
    fn an_inline_object_body_gets_a_component_named_after_its_status() {
        let responses = json!({
            "200": {"description": "a", "content": {"application/json": {"schema": {"type": "object", "properties": {"id": {"type": "integer"}}}}}},
            "204": {"description": "b"},
        });
        let which = ["200".to_string(), "204".to_string()];
        let mut responses = responses.as_object().unwrap().clone();
        let plan = plan(&json!({}), &mut responses, &which, "star", &[], Side::Success).expect("typed");
        assert_eq!(
            responses["200"]["content"]["application/json"]["schema"],
            json!({"$ref": "#/components/schemas/StarOk"}),
            "the response names the same component"
        );
        let names: Vec<&str> = plan.schemas.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["StarStatuses", "StarOk"]);
        assert_eq!(
            plan.schemas[0].1["properties"]["status_200"],
            json!({"$ref": "#/components/schemas/StarOk"})
        );
        let names: Vec<String> = ["200", "202", "204", "2XX", "299"]
            .iter()
            .map(|s| variant_name(s))
            .collect();
        assert_eq!(names, ["Ok", "Accepted", "NoContent", "Success", "Status299"]);
        assert_eq!(status_range("2xx"), Some((200, 299)));
        assert_eq!(status_range("204"), None);
    }

    #[test]
    fn bytes_or_default_keep_the_raw_policy() {
        let doc = json!({});
        let bytes = json!({
            "200": {"description": "a", "content": {"application/json": {"schema": {"type": "object"}}}},
            "206": {"description": "b", "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}},
        });
        let which = ["200".to_string(), "206".to_string()];
        let err = plan(
            &doc,
            &mut bytes.as_object().unwrap().clone(),
            &which,
            "get",
            &[],
            Side::Success,
        )
        .err()
        .expect("raw");
        assert_eq!(err, "the 206 body is bytes in the spec");
        let default = json!({"200": {"description": "a"}, "default": {"description": "b"}});
        let which = ["200".to_string(), "default".to_string()];
        assert!(
            plan(
                &doc,
                &mut default.as_object().unwrap().clone(),
                &which,
                "get",
                &[],
                Side::Success
            )
            .is_err()
        );
    }

    #[test]
    fn error_statuses_each_get_a_variant_whatever_their_media_type() {
        let doc = json!({"components": {"schemas": {"basic-error": {"type": "object"}}}});
        let responses = json!({
            "404": {"description": "Missing.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/basic-error"}}}},
            "422": {"description": "Invalid.", "content": {"application/json": {"schema": {"type": "object", "properties": {"errors": {"type": "array"}}}}}},
            "503": {"description": "Busy.", "content": {"text/html": {}}},
            "default": {"description": "Other."},
        });
        let which: Vec<String> = ["default", "503", "422", "404"].map(String::from).to_vec();
        let mut responses = responses.as_object().unwrap().clone();
        let plan = plan(&doc, &mut responses, &which, "update", &[], Side::Errors).expect("typed");
        let names: Vec<&str> = plan.schemas.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["UpdateErrors", "UpdateUnprocessableEntity"]);
        let statuses: Statuses = serde_json::from_value(plan.record).unwrap();
        let order: Vec<(String, bool)> = statuses
            .statuses
            .iter()
            .map(|s| (variant_name(&s.status), s.json))
            .collect();
        let expected = [
            ("NotFound", true),
            ("UnprocessableEntity", true),
            ("ServiceUnavailable", false),
            ("Default", false),
        ];
        assert_eq!(order, expected.map(|(n, j)| (n.to_string(), j)));
        assert_eq!(
            responses["422"]["content"]["application/json"]["schema"],
            json!({"$ref": "#/components/schemas/UpdateUnprocessableEntity"})
        );
        assert_eq!(["4XX", "5xx"].map(variant_name), ["ClientError", "ServerError"]);
    }
}
