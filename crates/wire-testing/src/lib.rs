//! What the client crates' wire tests and offline examples share: a real
//! HTTP server on 127.0.0.1 (wiremock), ways to look at the requests that
//! reach it with credentials redacted, and, in [`checks`], the behaviours
//! every generated client must show the same way (error statuses and
//! bodies, network failures, base URLs, credentials, redirects, path
//! values). A dev-dependency only: no downstream user compiles it.

pub mod checks;

use std::collections::BTreeMap;

use serde_json::Value;
use usergroup_client_core::Error;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

/// Headers any request may carry besides the credential and vendor headers.
pub const ALLOWED_HEADERS: [&str; 6] = [
    "host",
    "content-type",
    "content-length",
    "accept",
    "user-agent",
    "accept-encoding",
];

/// Headers whose values are credentials, in any client here.
pub const SECRET_HEADERS: [&str; 3] = ["authorization", "sessiontoken", "x-cap-api-oauth-token"];

/// A server that answers every request with `response`.
pub async fn server_answering(response: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any()).respond_with(response).mount(&server).await;
    server
}

/// A JSON response.
pub fn json_response(status: u16, body: &Value) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_json(body)
}

/// Every request the server received, in order.
pub async fn received(server: &MockServer) -> Vec<Request> {
    server.received_requests().await.expect("request recording is on")
}

/// The one request the server received.
pub async fn single_request(server: &MockServer) -> Request {
    only(received(server).await)
}

/// The one request of `received` (a generated mock's `received()`, or a
/// server's).
pub fn only(mut received: Vec<Request>) -> Request {
    assert_eq!(
        received.len(),
        1,
        "expected exactly one request, got {}",
        received.len()
    );
    received.remove(0)
}

/// Checks that the server received no request, naming the ones it did.
pub async fn assert_nothing_sent(server: &MockServer) {
    assert_none(&received(server).await);
}

/// Checks that `received` (a generated mock's `received()`, or a
/// server's) is empty, naming the requests it holds.
pub fn assert_none(received: &[Request]) {
    let sent: Vec<String> = received
        .iter()
        .map(|r| format!("{} {}", r.method, r.url.path()))
        .collect();
    assert!(
        sent.is_empty(),
        "nothing should have been sent, but the server got {sent:?}"
    );
}

/// Every value of a header, as text.
pub fn header_values(request: &Request, name: &str) -> Vec<String> {
    request
        .headers
        .get_all(name)
        .iter()
        .map(|v| v.to_str().expect("ASCII header").to_string())
        .collect()
}

/// Checks what every JSON `PUT` of these clients must look like: method,
/// exact path and query, JSON content type, no `api-version` header, the
/// `User-Agent`, no header beyond [`ALLOWED_HEADERS`] and `extra_headers`,
/// and the body.
pub fn assert_json_put(
    request: &Request,
    path: &str,
    query: Option<&str>,
    user_agent: &str,
    extra_headers: &[&str],
    body: &Value,
) {
    assert_eq!(request.method.as_str(), "PUT");
    assert_eq!(request.url.path(), path);
    assert_eq!(request.url.query(), query);
    assert_eq!(header_values(request, "content-type"), ["application/json"]);
    assert_eq!(header_values(request, "user-agent"), [user_agent]);
    assert!(
        request.headers.get("api-version").is_none(),
        "api-version must not be sent"
    );
    for name in request.headers.keys() {
        let name = name.as_str();
        assert!(
            ALLOWED_HEADERS.contains(&name) || extra_headers.contains(&name),
            "unexpected header `{name}`"
        );
    }
    let sent: Value = serde_json::from_slice(&request.body).expect("JSON body");
    assert_eq!(&sent, body);
}

/// The request as text, for snapshots and examples: headers sorted,
/// [`SECRET_HEADERS`], the server's port and the User-Agent's version
/// replaced, the body pretty-printed.
pub fn render(request: &Request) -> String {
    let mut headers = BTreeMap::new();
    for (name, value) in &request.headers {
        let value = match name.as_str() {
            n if SECRET_HEADERS.contains(&n) => "[redacted]".to_string(),
            "host" => "127.0.0.1:[port]".to_string(),
            // The crate's version moves with every release; the wire tests
            // assert the whole value.
            "user-agent" => match value.to_str().unwrap_or_default().split_once('/') {
                Some((name, _)) => format!("{name}/[version]"),
                None => value.to_str().unwrap_or("<binary>").to_string(),
            },
            _ => value.to_str().unwrap_or("<binary>").to_string(),
        };
        headers
            .entry(name.as_str().to_string())
            .or_insert_with(Vec::new)
            .push(value);
    }
    let query = request.url.query().unwrap_or("<none>");
    let mut out = format!(
        "{} {}\nquery: {query}\nheaders:\n",
        request.method,
        request.url.path()
    );
    for (name, values) in headers {
        for value in values {
            out.push_str(&format!("  {name}: {value}\n"));
        }
    }
    out.push_str("body:\n");
    match serde_json::from_slice::<Value>(&request.body) {
        Ok(body) => out.push_str(&serde_json::to_string_pretty(&body).expect("printable JSON")),
        Err(_) => out.push_str(&String::from_utf8_lossy(&request.body)),
    }
    out.push('\n');
    out
}

/// Prints every request the server received, as [`render`] shows it.
pub async fn print_exchange(server: &MockServer) {
    print_requests(&server.received_requests().await.unwrap_or_default());
}

/// Prints requests as `>>>` lines (what a generated mock's `received()`
/// gives), for the examples.
pub fn print_requests(received: &[Request]) {
    for request in received {
        for line in render(request).lines() {
            println!(">>> {line}");
        }
    }
}

/// A base URL nothing listens on: a port that was just free.
pub fn refused_url() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind a free port");
    let port = listener.local_addr().expect("local address").port();
    drop(listener);
    format!("http://127.0.0.1:{port}")
}

/// Checks an `Error::Api` whose body did not decode as the vendor's error:
/// the status is kept, there is no vendor error, and the body excerpt is
/// exactly what was sent.
pub fn assert_undecoded_api_error<V: std::fmt::Debug>(err: &Error<V>, status: u16, sent: &str) {
    match err {
        Error::Api {
            status: s,
            vendor,
            body,
            ..
        } => {
            assert_eq!(s.as_u16(), status);
            assert!(vendor.is_none(), "{vendor:?}");
            assert_eq!(body, sent);
        }
        other => panic!("expected Error::Api, got {other:?}"),
    }
}

/// Checks an `Error::Api` whose body decoded as the vendor's error: the
/// status, the decoded error (given to `check`) and the body excerpt, which
/// is the JSON as sent even though it decoded.
pub fn assert_vendor_api_error<V: std::fmt::Debug>(
    err: &Error<V>,
    status: u16,
    sent: &Value,
    check: impl FnOnce(&V),
) {
    match err {
        Error::Api {
            status: s,
            vendor: Some(vendor),
            body,
            ..
        } => {
            assert_eq!(s.as_u16(), status);
            assert_eq!(body, &sent.to_string(), "the excerpt is the body as sent");
            check(vendor);
        }
        other => panic!("expected Error::Api with a vendor error for {status}, got {other:?}"),
    }
    assert_eq!(err.status().map(|s| s.as_u16()), Some(status));
}

/// Checks how an error with a status shows: `HTTP <status line>`, then
/// `: <message>` when there is one, then ` (after N attempts)` when it was
/// retried, and none of `secrets` in `Display` or `Debug`.
pub fn assert_shown<V: std::fmt::Debug>(err: &Error<V>, message: Option<&str>, secrets: &[&str]) {
    let status_line = err.status().expect("an error with a status");
    let attempts = match err.attempts() {
        0 | 1 => String::new(),
        n => format!(" (after {n} attempts)"),
    };
    let expected = match message {
        Some(message) => format!("HTTP {status_line}: {message}{attempts}"),
        None => format!("HTTP {status_line}{attempts}"),
    };
    assert_eq!(err.to_string(), expected);
    assert_error_hides(err, secrets);
}

/// Checks that neither the `Debug` nor the `Display` form of an error shows
/// any of `secrets`.
pub fn assert_error_hides<V: std::fmt::Debug>(err: &Error<V>, secrets: &[&str]) {
    assert_hidden(&format!("{err:?} {err:#?}"), secrets);
    assert_hidden(&err.to_string(), secrets);
}

/// Checks that `text` shows none of `secrets`.
pub fn assert_hidden(text: &str, secrets: &[&str]) {
    for secret in secrets {
        assert!(!text.contains(secret), "`{secret}` leaked into: {text}");
    }
}
