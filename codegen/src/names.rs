//! Operation names: every operation's `operationId` becomes the snake_case
//! Rust identifier its client method will have, before progenitor sees it,
//! so the generated method, the operation table and the surface listing
//! agree on one name.
//!
//! - An id that is already a name (`updateUserGroup`, `teams/list`) is only
//!   put in snake case: `update_user_group`, `teams_list`.
//! - An id with characters a Rust name cannot hold (`get_files_id#get_shared_link`)
//!   is made into one (`get_files_id_get_shared_link`), with a note.
//! - A missing id is synthesized from the method and the path, with a
//!   note: `PUT /v2/admin/usergroups/{groupId}` becomes
//!   `put_v2_admin_usergroups_by_group_id`. Under the manifest policy
//!   `operation_names = "error"` it stays missing and validation refuses it.
//! - A name that is a Rust keyword gets a trailing `_` (`type_`), as
//!   progenitor does; one that starts with a digit gets `op_`, and one taken
//!   by the client's own methods (`builder`, `base_url`, `set_<scheme>`,
//!   and the raw client's hooks such as `post`) gets `_op`, with a note. A synthesized or adapted name that
//!   collides with another gets `_2`, `_3`... in document order, with a
//!   note; so does a vendor id that an operation before it already has
//!   (four APIs of the APIs.guru directory reuse one), or one that differs
//!   from it only in case or separators (Gitea's `userGetOAuth2Application`
//!   and `userGetOauth2Application`): the first keeps it.

use std::collections::BTreeSet;

use serde_json::Value;

use crate::document::METHODS;
use crate::ident::identifier;
use crate::manifest::OperationNames;

/// Names every operation of a normalized document. Returns the notes.
pub fn name_operations(doc: &mut Value, policy: OperationNames) -> Vec<String> {
    let reserved = reserved_names(doc);
    let mut notes = Vec::new();
    let Some(Value::Object(paths)) = doc.get_mut("paths") else {
        return notes;
    };
    // Vendor ids first, so a synthesized name never takes a vendor's name.
    let mut taken: BTreeSet<String> = BTreeSet::new();
    let mut pending = Vec::new();
    for (path, item) in paths.iter_mut() {
        for method in METHODS {
            let Some(Value::Object(op)) = item.get_mut(method) else {
                continue;
            };
            // The method on the wire, not the slot it is carried in.
            let sent = op
                .get(crate::document::METHOD_KEY)
                .and_then(Value::as_str)
                .map_or_else(|| method.to_string(), str::to_ascii_lowercase);
            let shown = format!("{} {path}", sent.to_uppercase());
            match op.get("operationId").and_then(Value::as_str) {
                Some(id) => {
                    let name = identifier(id);
                    let adapted = !is_plain(id);
                    // A vendor id another operation already has (APIs.guru:
                    // 4 APIs) is renamed, with a note, rather than refused.
                    let repeated = taken.contains(&method_key(&name));
                    if adapted || reserved.contains(&name) || repeated {
                        let why = if repeated && !adapted {
                            Why::Repeated(id.to_string())
                        } else {
                            Why::Unusable(id.to_string())
                        };
                        pending.push((shown, why, name, path.clone(), method));
                    } else {
                        taken.insert(method_key(&name));
                        op.insert("operationId".into(), Value::String(name));
                    }
                }
                None if policy == OperationNames::Synthesize => {
                    let name = identifier(&synthesize(&sent, path));
                    pending.push((shown, Why::Missing, name, path.clone(), method));
                }
                None => {}
            }
        }
    }
    for (shown, vendor, name, path, method) in pending {
        let mut unique = if reserved.contains(&name) {
            format!("{name}_op")
        } else {
            name
        };
        let base = unique.clone();
        let mut n = 2;
        while !taken.insert(method_key(&unique)) {
            unique = format!("{base}_{n}");
            n += 1;
        }
        notes.push(match vendor {
            Why::Unusable(id) => {
                format!("{shown}: operationId `{id}` is not a usable method name; the method is `{unique}`")
            }
            Why::Repeated(id) => {
                format!("{shown}: operationId `{id}` is another operation's too; the method is `{unique}`")
            }
            Why::Missing => format!("{shown}: no operationId; the method is `{unique}`"),
        });
        if let Some(Value::Object(op)) = paths.get_mut(&path).and_then(|item| item.get_mut(method)) {
            op.insert("operationId".into(), Value::String(unique));
        }
    }
    notes
}

/// What two method names share when they collide: progenitor and the
/// client layer derive type names from them, so names that differ only in
/// case or separators (`getOAuth2App`, `get_oauth2_app`) are one.
pub(crate) fn method_key(id: &str) -> String {
    id.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// Why an operation's method is not its operationId as it stands.
enum Why {
    /// The id makes no usable Rust name, or one the client keeps.
    Unusable(String),
    /// An operation before it has the same Rust name.
    Repeated(String),
    /// It has none.
    Missing,
}

/// Names the generated clients use for themselves: the `Client`'s own
/// methods, and the raw client's, whose generated code calls its hooks as
/// `self.pre(..)`, `self.exec(..)` and `self.post(..)`: an operation named
/// `post` shadowed `ClientHooks::post` there, and did not compile (E0061).
const RESERVED: [&str; 13] = [
    // The `Client`'s.
    "builder",
    "base_url",
    "clone",
    "connection",
    // The raw client's: its constructors, `ClientHooks` and `ClientInfo`.
    "new",
    "new_with_client",
    "pre",
    "post",
    "exec",
    "api_version",
    "baseurl",
    "client",
    "inner",
];

/// [`RESERVED`], and the `Client`'s credential setters.
fn reserved_names(doc: &Value) -> BTreeSet<String> {
    let mut names: BTreeSet<String> = RESERVED.map(String::from).into();
    if let Some(Value::Object(schemes)) = doc.pointer("/components/securitySchemes") {
        names.extend(schemes.keys().map(|k| format!("set_{}", identifier(k))));
    }
    names
}

/// Whether an id is only letters, digits and the separators progenitor
/// turns into `_` without losing anything (`-`, `_`, `.`, `/`, space).
fn is_plain(id: &str) -> bool {
    id.starts_with(|c: char| c.is_ascii_alphabetic())
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '/' | '.' | ' '))
}

/// `{method}_{path words}`, with `by_<name>` for each path parameter.
fn synthesize(method: &str, path: &str) -> String {
    let mut words = vec![method.to_string()];
    for segment in path.split('/').filter(|s| !s.is_empty()) {
        match segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
            Some(param) => words.push(format!("by_{param}")),
            None => words.push(segment.to_string()),
        }
    }
    if words.len() == 1 {
        words.push("root".into());
    }
    words.join("_")
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn doc() -> Value {
        json!({
            "components": {"securitySchemes": {"apiToken": {"type": "http", "scheme": "bearer"}}},
            "paths": {
                "/v2/admin/usergroups/{groupId}": {
                    "put": {},
                    "get": {"operationId": "getUserGroup"}
                },
                "/files/{id}": {"get": {"operationId": "get_files_id#get_shared_link"}},
                "/": {"get": {}},
                "/x": {"get": {"operationId": "type"}, "post": {"operationId": "setApiToken"}},
                "/y": {"get": {"operationId": "put_v2_admin_usergroups_by_group_id"}},
                "/z": {"get": {"operationId": "123go"}}
            }
        })
    }

    #[test]
    fn every_operation_gets_a_snake_case_name_with_a_note_when_adapted() {
        let mut d = doc();
        let notes = name_operations(&mut d, OperationNames::Synthesize);
        let id = |p: &str| {
            d.pointer(&format!("{p}/operationId"))
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string()
        };
        assert_eq!(
            id("/paths/~1v2~1admin~1usergroups~1{groupId}/get"),
            "get_user_group"
        );
        // The vendor's `put_v2_...` at /y keeps its name; the synthesized one gets `_2`.
        assert_eq!(id("/paths/~1y/get"), "put_v2_admin_usergroups_by_group_id");
        assert_eq!(
            id("/paths/~1v2~1admin~1usergroups~1{groupId}/put"),
            "put_v2_admin_usergroups_by_group_id_2"
        );
        assert_eq!(id("/paths/~1files~1{id}/get"), "get_files_id_get_shared_link");
        assert_eq!(id("/paths/~1/get"), "get_root");
        assert_eq!(id("/paths/~1x/get"), "type_");
        assert_eq!(id("/paths/~1x/post"), "set_api_token_op");
        assert_eq!(id("/paths/~1z/get"), "op_123go");
        assert_eq!(
            notes,
            [
                "GET /: no operationId; the method is `get_root`",
                "GET /files/{id}: operationId `get_files_id#get_shared_link` is not a usable method name; the method is `get_files_id_get_shared_link`",
                "PUT /v2/admin/usergroups/{groupId}: no operationId; the method is `put_v2_admin_usergroups_by_group_id_2`",
                "POST /x: operationId `setApiToken` is not a usable method name; the method is `set_api_token_op`",
                "GET /z: operationId `123go` is not a usable method name; the method is `op_123go`",
            ]
        );
    }

    #[test]
    fn a_repeated_vendor_id_is_renamed_in_document_order_with_a_note() {
        let mut d = json!({"paths": {
            "/a": {"get": {"operationId": "listItems"}, "post": {"operationId": "list_items"}},
            "/b": {"get": {"operationId": "listItems"}}
        }});
        let notes = name_operations(&mut d, OperationNames::Synthesize);
        let id = |p: &str| d.pointer(&format!("{p}/operationId")).cloned();
        assert_eq!(id("/paths/~1a/get"), Some(json!("list_items")));
        assert_eq!(id("/paths/~1a/post"), Some(json!("list_items_2")));
        assert_eq!(id("/paths/~1b/get"), Some(json!("list_items_3")));
        assert_eq!(
            notes,
            [
                "POST /a: operationId `list_items` is another operation's too; the method is `list_items_2`",
                "GET /b: operationId `listItems` is another operation's too; the method is `list_items_3`",
            ]
        );
    }

    /// Gitea: ids that differ only in case make different snake names but
    /// one type name; the second is renamed.
    #[test]
    fn ids_that_differ_only_in_case_are_renamed_too() {
        let mut d = json!({"paths": {
            "/a": {"get": {"operationId": "userGetOAuth2Application"}},
            "/b": {"get": {"operationId": "userGetOauth2Application"}}
        }});
        let notes = name_operations(&mut d, OperationNames::Synthesize);
        assert_eq!(
            d.pointer("/paths/~1a/get/operationId"),
            Some(&json!("user_get_o_auth2_application"))
        );
        assert_eq!(
            d.pointer("/paths/~1b/get/operationId"),
            Some(&json!("user_get_oauth2_application_2"))
        );
        assert_eq!(
            notes,
            [
                "GET /b: operationId `userGetOauth2Application` is another operation's too; the method is `user_get_oauth2_application_2`"
            ]
        );
    }

    #[test]
    fn the_error_policy_leaves_missing_ids_for_validation() {
        let mut d = doc();
        name_operations(&mut d, OperationNames::Error);
        assert!(d.pointer("/paths/~1/get/operationId").is_none());
        assert_eq!(d.pointer("/paths/~1x/get/operationId"), Some(&json!("type_")));
    }

    #[test]
    fn naming_twice_changes_nothing() {
        let mut d = doc();
        name_operations(&mut d, OperationNames::Synthesize);
        let once = d.clone();
        assert!(name_operations(&mut d, OperationNames::Synthesize).is_empty());
        assert_eq!(d, once);
    }
}
