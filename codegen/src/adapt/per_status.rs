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

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

use crate::document::resolve;

/// Where the plan is recorded on the operation, for the client layer.
pub(crate) const STATUSES_KEY: &str = "x-usergroup-statuses";

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
    /// The plan recorded on an operation, if any.
    pub(crate) fn of(op: &Map<String, Value>) -> Option<Self> {
        serde_json::from_value(op.get(STATUSES_KEY)?.clone()).ok()
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

/// Plans the enum of an operation whose success statuses `which` differ in
/// type; `Err` says why they stay raw bytes (a body of bytes in the spec,
/// or `default` among them).
pub(super) fn plan(
    doc: &Value,
    responses: &Map<String, Value>,
    which: &[String],
    operation: &str,
    taken: &[String],
) -> Result<Plan, String> {
    let mut which: Vec<&String> = which.iter().collect();
    // Exact codes first, in order; then ranges (`2XX`).
    which.sort_by_key(|s| (s.to_ascii_uppercase().ends_with("XX"), s.to_ascii_uppercase()));
    let mut statuses = Vec::new();
    let mut properties = Map::new();
    let mut schemas: Vec<(String, Value)> = Vec::new();
    let mut taken: Vec<String> = taken.to_vec();
    for status in which {
        if status.eq_ignore_ascii_case("default") {
            return Err("`default` is among them, and it is an error response too".into());
        }
        let Some(response) = responses.get(status.as_str()).and_then(|r| resolve(doc, r)) else {
            return Err(format!("{status} does not resolve"));
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
                }
                properties.insert(Statuses::field(status), schema);
                statuses.push(Status {
                    status: status.clone(),
                    json: true,
                    description,
                });
            }
            (None, Some(c)) if !c.is_empty() => {
                return Err(format!("the {status} body is bytes in the spec"));
            }
            (None, _) => statuses.push(Status {
                status: status.clone(),
                json: false,
                description,
            }),
        }
    }
    let helper = super::unique_name(&format!("{}Statuses", super::pascal(operation)), &taken);
    let record = serde_json::to_value(Statuses {
        helper: helper.clone(),
        statuses,
    })
    .map_err(|e| e.to_string())?;
    let schema = json!({
        "type": "object",
        "description": format!("The success bodies of `{operation}`, by status (read by the client layer; not generated)."),
        "properties": properties,
    });
    schemas.insert(0, (helper, schema));
    Ok(Plan { schemas, record })
}

/// A status's variant name: its reason phrase in UpperCamelCase (`Ok`,
/// `Created`, `Accepted`, `NoContent`, ...), `Success` for a range such as
/// `2XX`, `Status<code>` for a code without one.
pub(crate) fn variant_name(status: &str) -> String {
    let name = match status {
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
        let plan = plan(&doc, responses.as_object().unwrap(), &which, "get_user", &[]).expect("typed");
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
        let plan = plan(&json!({}), responses.as_object().unwrap(), &which, "star", &[]).expect("typed");
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
        let err = plan(&doc, bytes.as_object().unwrap(), &which, "get", &[])
            .err()
            .expect("raw");
        assert_eq!(err, "the 206 body is bytes in the spec");
        let default = json!({"200": {"description": "a"}, "default": {"description": "b"}});
        let which = ["200".to_string(), "default".to_string()];
        assert!(plan(&doc, default.as_object().unwrap(), &which, "get", &[]).is_err());
    }
}
