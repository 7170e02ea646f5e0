//! What progenitor-impl 0.15.1 can take, as the stages that decide and
//! check it need it: the request media types it sends, and the one-type rule
//! for responses (it panics when success responses, or error responses,
//! have different types). The adapt stage changes operations to fit these
//! rules, the validate stage refuses what still does not, and the surface
//! listing shows each response's type.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use crate::document::{media_base, resolve};

/// Request media types progenitor can send.
pub(crate) const REQUEST_MEDIA_TYPES: [&str; 5] = [
    "application/json",
    "application/x-www-form-urlencoded",
    "application/octet-stream",
    "text/plain",
    "text/x-markdown",
];

/// The kind of a `101 Switching Protocols` response: progenitor hands the
/// caller the upgraded connection.
pub(crate) const UPGRADE: &str = "upgrade";

/// The kind of a response whose body is not JSON: the caller gets the bytes.
pub(crate) const RAW_BYTES: &str = "raw bytes";

/// Request media types progenitor cannot send and the client layer sends
/// itself (`adapt/lift.rs` lifts the body out of progenitor's view).
pub(crate) const LAYER_MEDIA_TYPES: [&str; 2] = ["multipart/form-data", "multipart/mixed"];

/// Whether progenitor reads a response media type as JSON: exactly
/// `application/json`, parameters allowed (so not `application/jsonl` or
/// `application/json-seq`, which are sequences).
pub(crate) fn is_progenitor_json(media: &str) -> bool {
    media == "application/json" || media.starts_with("application/json;")
}

/// Whether a request media type means JSON, so progenitor can send the
/// body as `application/json` (and the layer puts the declared type back):
/// a JSON media type ([`crate::document::is_json_media`]: `+json`,
/// `text/json`), and a wildcard (`*/*`, `application/*`) whose schema is
/// not a string of bytes.
pub(crate) fn means_json(media: &str, schema: Option<&Value>) -> bool {
    let base = media_base(media);
    let is_string = schema.and_then(|s| s.get("type")).and_then(Value::as_str) == Some("string");
    crate::document::is_json_media(media) || (matches!(base, "*/*" | "application/*") && !is_string)
}

/// What progenitor makes of a response, for people: the schema name, "no
/// body", "raw bytes", or the inline schema. `None` for a broken `$ref`.
pub(crate) fn describe_response(doc: &Value, status: &str, response: &Value) -> Option<String> {
    response_kind(doc, status, resolve(doc, response)?)
}

/// What progenitor makes of a response: its "type" for the one-type rule.
fn response_kind(doc: &Value, status: &str, response: &Value) -> Option<String> {
    let content = response.get("content").and_then(Value::as_object);
    let json = content.and_then(|m| {
        m.iter()
            .find(|(k, _)| *k == "application/json" || k.starts_with("application/json;"))
    });
    Some(match json {
        Some((_, m)) => match m.get("schema") {
            Some(s) => match s.get("$ref").and_then(Value::as_str) {
                Some(r) => r.rsplit('/').next().unwrap_or(r).to_string(),
                None => format!(
                    "inline {}",
                    serde_json::to_string(resolve(doc, s)?).unwrap_or_default()
                ),
            },
            None => return None,
        },
        None if status == "101" => UPGRADE.into(),
        None if content.is_some_and(|m| !m.is_empty()) => RAW_BYTES.into(),
        None => "no body".into(),
    })
}

/// `default`, a three-digit code, or a range such as `4XX`.
pub(crate) fn is_status(status: &str) -> bool {
    let upper = status.to_ascii_uppercase();
    upper == "DEFAULT"
        || (upper.len() == 3
            && upper.starts_with(['1', '2', '3', '4', '5'])
            && (upper[1..].chars().all(|ch| ch.is_ascii_digit()) || &upper[1..] == "XX"))
}

/// An operation's responses as progenitor sees them: for success and for
/// error responses, each distinct type with the statuses that have it.
/// `default` counts as both, unless a `2XX` range covers success.
#[derive(Debug, Default)]
pub(crate) struct ResponseGroups {
    /// Type -> statuses, for 2xx, 101 and default.
    pub success: BTreeMap<String, BTreeSet<String>>,
    /// Type -> statuses, for 4xx, 5xx and default.
    pub errors: BTreeMap<String, BTreeSet<String>>,
}

/// Groups the responses of one operation (a `responses` object).
pub(crate) fn group_responses(doc: &Value, responses: &serde_json::Map<String, Value>) -> ResponseGroups {
    let mut groups = ResponseGroups::default();
    let has_2xx_range = responses.contains_key("2XX") || responses.contains_key("2xx");
    for (status, r) in responses {
        let Some(kind) = resolve(doc, r)
            .filter(|_| is_status(status))
            .and_then(|r| response_kind(doc, status, r))
        else {
            continue;
        };
        let upper = status.to_ascii_uppercase();
        let first = upper.as_bytes()[0];
        if upper == "DEFAULT" {
            if !has_2xx_range {
                groups
                    .success
                    .entry(kind.clone())
                    .or_default()
                    .insert(status.clone());
            }
            groups.errors.entry(kind).or_default().insert(status.clone());
        } else if first == b'2' || upper == "101" {
            groups.success.entry(kind).or_default().insert(status.clone());
        } else if first == b'4' || first == b'5' {
            groups.errors.entry(kind).or_default().insert(status.clone());
        }
    }
    groups
}
