//! Security schemes and requirements, read from the spec for the client
//! layer: each scheme becomes a builder setter named after its key in
//! snake case, and each operation a list of alternatives (indexes of
//! schemes), so a credential goes only on the operations that declare its
//! scheme. What the runtime cannot send (mutual TLS, a malformed scheme) is
//! left out with a note.

use std::collections::BTreeSet;

use serde_json::{Map, Value};

use crate::ident::identifier;

/// Where a scheme's credential goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    /// `apiKey` in a header.
    Header(String),
    /// `apiKey` in the query.
    Query(String),
    /// `apiKey` in a cookie.
    Cookie(String),
    /// `http` bearer, `oauth2`, `openIdConnect`.
    Bearer,
    /// `http` basic.
    Basic,
    /// Another `http` scheme, by its name.
    Authorization(String),
}

/// One scheme the client can authenticate with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scheme {
    /// The key under `components.securitySchemes`.
    pub key: String,
    /// The builder setter's name (`set_<setter>` on the client).
    pub setter: String,
    /// Where the credential goes.
    pub kind: Kind,
    /// The spec's description.
    pub description: Option<String>,
    /// The vendor marks it deprecated (OpenAPI 3.2).
    pub deprecated: bool,
    /// An OAuth 2.0 scheme's flows, one line each, for the docs: how a
    /// token is obtained (the client sends it; obtaining it is the
    /// application's, or a `TokenProvider`'s).
    pub flows: Vec<String>,
}

/// Builder methods a setter must not take.
const BUILDER_METHODS: [&str; 7] = [
    "base_url",
    "user_agent",
    "timeout",
    "connect_timeout",
    "allow_http",
    "build",
    "builder",
];

/// The schemes of a document, sorted by key, and the notes on what was
/// left out.
pub fn schemes(doc: &Value) -> (Vec<Scheme>, Vec<String>) {
    let mut out: Vec<Scheme> = Vec::new();
    let mut notes = Vec::new();
    let mut setters = BTreeSet::new();
    let Some(Value::Object(defs)) = doc.pointer("/components/securitySchemes") else {
        return (out, notes);
    };
    for (key, def) in defs {
        let Some(kind) = kind(def) else {
            notes.push(format!(
                "#/components/securitySchemes/{key}: the client cannot send this kind of credential; set it up outside the client"
            ));
            continue;
        };
        let mut setter = identifier(key);
        if BUILDER_METHODS.contains(&setter.as_str()) {
            setter.push_str("_credential");
        }
        let base = setter.clone();
        let mut n = 2;
        while !setters.insert(setter.clone()) {
            setter = format!("{base}_{n}");
            n += 1;
        }
        out.push(Scheme {
            key: key.clone(),
            setter,
            kind,
            description: def.get("description").and_then(Value::as_str).map(str::to_string),
            deprecated: def.get("deprecated") == Some(&Value::Bool(true)),
            flows: flows(def),
        });
    }
    (out, notes)
}

fn kind(def: &Value) -> Option<Kind> {
    let text = |k: &str| def.get(k).and_then(Value::as_str);
    match text("type")? {
        "apiKey" => {
            let name = text("name").filter(|n| !n.is_empty())?.to_string();
            match text("in")? {
                "header" if is_token(&name) => Some(Kind::Header(name)),
                "query" => Some(Kind::Query(name)),
                "cookie" if is_token(&name) => Some(Kind::Cookie(name)),
                _ => None,
            }
        }
        "http" => match text("scheme")?.to_ascii_lowercase().as_str() {
            "bearer" => Some(Kind::Bearer),
            "basic" => Some(Kind::Basic),
            other if is_token(other) => Some(Kind::Authorization(text("scheme")?.to_string())),
            _ => None,
        },
        "oauth2" | "openIdConnect" => Some(Kind::Bearer),
        _ => None,
    }
}

/// The OAuth 2.0 flows of a scheme, each with its endpoints, in the
/// order OpenAPI lists them (3.2's `deviceAuthorization` included).
fn flows(def: &Value) -> Vec<String> {
    const FLOWS: [(&str, &str); 5] = [
        ("authorizationCode", "authorization code"),
        ("clientCredentials", "client credentials"),
        ("deviceAuthorization", "device authorization (RFC 8628)"),
        ("implicit", "implicit"),
        ("password", "password"),
    ];
    const URLS: [(&str, &str); 4] = [
        ("authorizationUrl", "authorization"),
        ("deviceAuthorizationUrl", "device authorization"),
        ("tokenUrl", "token"),
        ("refreshUrl", "refresh"),
    ];
    let Some(Value::Object(flows)) = def.get("flows") else {
        return Vec::new();
    };
    let mut out: Vec<String> = FLOWS
        .iter()
        .filter_map(|(key, words)| {
            let flow = flows.get(*key)?;
            let urls: Vec<String> = URLS
                .iter()
                .filter_map(|(k, w)| Some(format!("{w} `{}`", flow.get(*k)?.as_str()?)))
                .collect();
            Some(match urls.is_empty() {
                true => format!("OAuth 2.0 {words}"),
                false => format!("OAuth 2.0 {words}: {}", urls.join(", ")),
            })
        })
        .collect();
    if let Some(url) = def.get("oauth2MetadataUrl").and_then(Value::as_str) {
        out.push(format!("OAuth 2.0 server metadata: `{url}`"));
    }
    out
}

/// An HTTP token (RFC 9110): what a header name, an auth scheme or a
/// method may be.
pub(crate) fn is_token(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

/// An operation's security alternatives as scheme indexes: its own
/// `security`, else the document's. Alternatives naming a scheme the client
/// cannot send are dropped; an empty alternative (anonymous access) comes
/// last, so credentials are sent whenever the caller gave them.
pub fn requirements(doc: &Value, op: &Map<String, Value>, schemes: &[Scheme]) -> Vec<Vec<usize>> {
    let declared = op.get("security").or_else(|| doc.get("security"));
    let Some(Value::Array(alternatives)) = declared else {
        return Vec::new();
    };
    let mut out: Vec<Vec<usize>> = alternatives
        .iter()
        .filter_map(|alt| {
            let alt = alt.as_object()?;
            alt.keys()
                .map(|k| schemes.iter().position(|s| &s.key == k))
                .collect()
        })
        .collect();
    out.sort_by_key(Vec::is_empty);
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn doc() -> Value {
        json!({
            "security": [{"bearerAuth": []}],
            "components": {"securitySchemes": {
                "bearerAuth": {"type": "http", "scheme": "bearer", "description": "A token."},
                "basic": {"type": "http", "scheme": "Basic"},
                "privateToken": {"type": "apiKey", "in": "header", "name": "PRIVATE-TOKEN"},
                "key": {"type": "apiKey", "in": "query", "name": "api_key"},
                "session": {"type": "apiKey", "in": "cookie", "name": "sid"},
                "oauth": {"type": "oauth2", "flows": {}},
                "device": {"type": "oauth2", "deprecated": true, "flows": {"deviceAuthorization": {
                    "deviceAuthorizationUrl": "https://auth.test/device", "tokenUrl": "https://auth.test/token", "scopes": {}
                }}},
                "tls": {"type": "mutualTLS"},
                "timeout": {"type": "http", "scheme": "Digest"},
                "bad": {"type": "apiKey", "in": "header", "name": "a b"}
            }}
        })
    }

    #[test]
    fn each_scheme_kind_and_setter_name() {
        let (schemes, notes) = schemes(&doc());
        let got: Vec<(&str, &str, &Kind)> = schemes
            .iter()
            .map(|s| (s.key.as_str(), s.setter.as_str(), &s.kind))
            .collect();
        assert_eq!(
            got,
            [
                ("basic", "basic", &Kind::Basic),
                ("bearerAuth", "bearer_auth", &Kind::Bearer),
                ("device", "device", &Kind::Bearer),
                ("key", "key", &Kind::Query("api_key".into())),
                ("oauth", "oauth", &Kind::Bearer),
                (
                    "privateToken",
                    "private_token",
                    &Kind::Header("PRIVATE-TOKEN".into())
                ),
                ("session", "session", &Kind::Cookie("sid".into())),
                (
                    "timeout",
                    "timeout_credential",
                    &Kind::Authorization("Digest".into())
                ),
            ]
        );
        let device = &schemes[2];
        assert!(device.deprecated && !schemes[0].deprecated);
        assert_eq!(
            device.flows,
            [
                "OAuth 2.0 device authorization (RFC 8628): device authorization `https://auth.test/device`, token `https://auth.test/token`"
            ]
        );
        assert_eq!(
            notes,
            [
                "#/components/securitySchemes/bad: the client cannot send this kind of credential; set it up outside the client",
                "#/components/securitySchemes/tls: the client cannot send this kind of credential; set it up outside the client",
            ]
        );
    }

    #[test]
    fn operations_inherit_or_override_the_documents_security() {
        let d = doc();
        let (schemes, _) = schemes(&d);
        let op = |v: Value| v.as_object().cloned().unwrap_or_default();
        assert_eq!(requirements(&d, &op(json!({})), &schemes), [vec![1]]);
        assert_eq!(
            requirements(&d, &op(json!({"security": []})), &schemes),
            Vec::<Vec<usize>>::new()
        );
        assert_eq!(
            requirements(
                &d,
                &op(json!({"security": [{}, {"key": [], "session": []}, {"tls": []}]})),
                &schemes
            ),
            [vec![3, 6], vec![]]
        );
    }
}
