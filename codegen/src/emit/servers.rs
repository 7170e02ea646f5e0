//! The default base URL, from the spec's `servers`: the first server that
//! names a real host once its variables take their defaults. A relative
//! URL, a placeholder host (`example.com`, `yourpodURL`, `localhost`), plain
//! `http://`, or a variable that is free text (no `enum` holding its default)
//! is not a usable default; the client then needs `.base_url(..)`, and
//! `build()` says why.

use serde_json::Value;

/// One server of the spec, for the generated docs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Server {
    /// The URL as the spec writes it (with `{variables}`).
    pub url: String,
    /// The spec's description of it.
    pub description: Option<String>,
    /// Its name (OpenAPI 3.2's `servers[].name`).
    pub name: Option<String>,
}

/// The servers, and the default base URL or why there is none.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Servers {
    /// Every server the spec lists.
    pub listed: Vec<Server>,
    /// The default base URL, or the reason there is none.
    pub default: Result<String, String>,
}

/// Reads `servers` from a normalized document.
pub fn servers(doc: &Value) -> Servers {
    let entries: Vec<&Value> = doc
        .get("servers")
        .and_then(Value::as_array)
        .map(|a| a.iter().collect())
        .unwrap_or_default();
    let listed: Vec<Server> = entries
        .iter()
        .filter_map(|s| {
            Some(Server {
                url: s.get("url")?.as_str()?.to_string(),
                description: s.get("description").and_then(Value::as_str).map(str::to_string),
                name: s.get("name").and_then(Value::as_str).map(str::to_string),
            })
        })
        .collect();
    let mut reasons = Vec::new();
    let mut default = None;
    for server in &entries {
        match usable(server) {
            Ok(url) => {
                default = Some(url);
                break;
            }
            Err(reason) => reasons.push(reason),
        }
    }
    let default = match default {
        Some(url) => Ok(url),
        None if reasons.is_empty() => Err("the spec lists no servers".to_string()),
        None => Err(reasons.join("; ")),
    };
    Servers { listed, default }
}

/// The server's URL with its variables' defaults, if it is a usable default.
fn usable(server: &Value) -> Result<String, String> {
    let template = server.get("url").and_then(Value::as_str).unwrap_or_default();
    let mut url = template.to_string();
    if let Some(Value::Object(vars)) = server.get("variables") {
        for (name, var) in vars {
            let default = var.get("default").and_then(Value::as_str).unwrap_or_default();
            let listed = var
                .get("enum")
                .and_then(Value::as_array)
                .is_some_and(|e| e.iter().any(|v| v.as_str() == Some(default)));
            if !listed {
                return Err(format!("the server `{template}` needs a value for `{name}`"));
            }
            url = url.replace(&format!("{{{name}}}"), default);
        }
    }
    if url.contains(['{', '}']) {
        return Err(format!(
            "the server `{template}` has a variable the spec does not define"
        ));
    }
    let Some((scheme, rest)) = url.split_once("://") else {
        return Err(format!("the server `{template}` is relative"));
    };
    match scheme {
        "https" => {}
        "http" => return Err(format!("the server `{template}` uses plain http://")),
        _ => return Err(format!("the server `{template}` is not an http(s) URL")),
    }
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host = authority.rsplit('@').next().unwrap_or_default();
    let host = host.split(':').next().unwrap_or_default().to_ascii_lowercase();
    if is_placeholder(&host) {
        return Err(format!("the server `{template}` is a placeholder"));
    }
    Ok(url.trim_end_matches('/').to_string())
}

/// Hosts that stand for "yours": the reserved example and test names,
/// loopback, and `your...` labels.
fn is_placeholder(host: &str) -> bool {
    const RESERVED: [&str; 6] = [
        "example.com",
        "example.org",
        "example.net",
        "example",
        "test",
        "invalid",
    ];
    let reserved = RESERVED
        .iter()
        .any(|r| host == *r || host.ends_with(&format!(".{r}")));
    let local = host == "localhost"
        || host.ends_with(".localhost")
        || host.ends_with(".local")
        || host.starts_with("127.")
        || host == "[::1]";
    let yours = host.split('.').any(|label| label.starts_with("your"));
    host.is_empty() || reserved || local || yours || host.contains(['<', '>'])
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn default_of(servers_json: Value) -> Result<String, String> {
        servers(&json!({ "servers": servers_json })).default
    }

    #[test]
    fn the_first_real_server_is_the_default() {
        assert_eq!(
            default_of(json!([{"url": "https://api.github.com/"}])),
            Ok("https://api.github.com".into())
        );
        assert_eq!(
            default_of(
                json!([{"url": "https://example.com"}, {"url": "https://{region}.api.acme.io/v1", "variables": {"region": {"default": "eu", "enum": ["eu", "us"]}}}])
            ),
            Ok("https://eu.api.acme.io/v1".into())
        );
    }

    #[test]
    fn placeholders_and_free_text_variables_give_a_reason() {
        let cases = [
            (json!([]), "the spec lists no servers"),
            (json!([{"url": "/api/v3"}]), "the server `/api/v3` is relative"),
            (
                json!([{"url": "https://yourpodURL.symphony.com/pod"}]),
                "the server `https://yourpodURL.symphony.com/pod` is a placeholder",
            ),
            (
                json!([{"url": "https://{pod}.symphony.com/pod", "variables": {"pod": {"default": "yourpod"}}}]),
                "the server `https://{pod}.symphony.com/pod` needs a value for `pod`",
            ),
            (
                json!([{"url": "http://petstore.swagger.io/v2"}]),
                "the server `http://petstore.swagger.io/v2` uses plain http://",
            ),
            (
                json!([{"url": "https://localhost:8080"}]),
                "the server `https://localhost:8080` is a placeholder",
            ),
            (
                json!([{"url": "https://api.example.com"}, {"url": "https://{x}.io"}]),
                "the server `https://api.example.com` is a placeholder; the server `https://{x}.io` has a variable the spec does not define",
            ),
        ];
        for (servers_json, reason) in cases {
            assert_eq!(
                default_of(servers_json.clone()),
                Err(reason.to_string()),
                "{servers_json}"
            );
        }
    }
}
