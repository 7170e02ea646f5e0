//! One line from a vendor's JSON error body, for `Display`: vendors put
//! the human-readable part under a handful of names (`message`, `error`,
//! `detail`, `errors[].message`, ...). Read from the body as sent, so it
//! works for every API without a hand-written impl per vendor type.

use serde_json::Value;

/// Keys whose string value says what went wrong, most telling first.
const MESSAGE_KEYS: [&str; 6] = [
    "message",
    "error_description",
    "detail",
    "error",
    "title",
    "description",
];

/// The most telling message in a JSON error body, with its code when the
/// vendor gives one; `None` for a body that is not JSON or says nothing.
pub fn summary(body: &str) -> Option<String> {
    let value: Value = serde_json::from_str(body).ok()?;
    let text = of_object(&value)
        .or_else(|| value.get("error").and_then(of_object))
        .or_else(|| value.get("status").and_then(of_object))
        .or_else(|| list(value.get("errors")?))
        .or_else(|| list(&value))?;
    let extra = value
        .get("errors")
        .filter(|_| of_object(&value).is_some())
        .and_then(list)
        .map(|l| format!(" [{l}]"))
        .unwrap_or_default();
    Some(format!("{text}{extra}"))
}

/// `message (code N)` from one object.
fn of_object(value: &Value) -> Option<String> {
    let message = MESSAGE_KEYS.iter().find_map(|k| {
        value
            .get(*k)
            .and_then(Value::as_str)
            .filter(|s| !s.trim().is_empty())
    })?;
    Some(
        match value.get("code").filter(|c| c.is_number() || c.is_string()) {
            Some(Value::String(c)) => format!("{message} (code {c})"),
            Some(c) => format!("{message} (code {c})"),
            None => message.to_string(),
        },
    )
}

/// The messages of a list of error objects, joined.
fn list(value: &Value) -> Option<String> {
    let items: Vec<String> = value.as_array()?.iter().filter_map(of_object).collect();
    (!items.is_empty()).then(|| items.join("; "))
}

#[cfg(test)]
mod tests {
    use super::summary;

    #[test]
    fn vendors_error_shapes_give_one_line() {
        let cases = [
            (
                r#"{"code": 404, "message": "Group not found"}"#,
                Some("Group not found (code 404)"),
            ),
            (
                r#"{"message": "Bad credentials", "documentation_url": "https://docs"}"#,
                Some("Bad credentials"),
            ),
            (
                r#"{"message": "Validation Failed", "errors": [{"resource": "Team", "code": "invalid", "message": "role is invalid"}]}"#,
                Some("Validation Failed [role is invalid (code invalid)]"),
            ),
            (
                r#"{"errors": [{"code": 1632, "message": "Invalid user group member ID"}]}"#,
                Some("Invalid user group member ID (code 1632)"),
            ),
            (
                r#"{"status": {"success": false, "code": 500, "message": "Internal error"}}"#,
                Some("Internal error (code 500)"),
            ),
            (r#"{"error": {"message": "quota"}}"#, Some("quota")),
            (
                r#"{"error": "invalid_grant", "error_description": "expired"}"#,
                Some("expired"),
            ),
            (r#"{"unrelated": 1}"#, None),
            ("<html>502</html>", None),
            ("", None),
        ];
        for (body, want) in cases {
            assert_eq!(summary(body).as_deref(), want, "{body}");
        }
    }
}
