//! The behaviours every generated client must show the same way, written
//! once and called from each crate's `tests/wire.rs` with a closure that
//! makes one call of that client. Most checks start their own servers, so
//! the closure takes the base URL to build its client at (with its
//! credentials); the call's result is what is checked.
//!
//! Every check asserts something the client's code decides (a status kept,
//! a request not sent, a header on the wire), so that breaking that code
//! makes the check fail.

use std::fmt::Debug;
use std::time::Duration;

use serde_json::json;
use usergroup_client_core::{ConfigError, Error};
use wiremock::matchers::{any, path_regex};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

use crate::{
    assert_error_hides, assert_hidden, assert_shown, header_values, received, refused_url, server_answering,
};

/// The result of one call of a generated client.
pub type Outcome<T, V> = Result<T, Error<V>>;

/// A call's error, or a panic naming what came instead.
fn expect_err<T: Debug, V>(result: Outcome<T, V>, what: &str) -> Error<V> {
    match result {
        Ok(value) => panic!("{what}: expected an error, got {value:?}"),
        Err(e) => e,
    }
}

/// The error of one call at a server answering `response`.
async fn error_for<T: Debug, V>(
    response: ResponseTemplate,
    call: impl AsyncFn(&str) -> Outcome<T, V>,
    what: &str,
) -> Error<V> {
    let server = server_answering(response).await;
    expect_err(call(&server.uri()).await, what)
}

/// The attempts the default retry policy makes for a call that keeps
/// failing in a retryable way.
pub const DEFAULT_ATTEMPTS: u32 = 3;

/// An HTML error page on `status` (a proxy's, or the vendor's on a
/// documented status) is an `Error::Api` with that status, no vendor error,
/// the page as the excerpt (shown by `Display`), the response headers, and
/// `retryable` as given; a retryable one was sent [`DEFAULT_ATTEMPTS`]
/// times, and the error says so.
pub async fn html_error_keeps_its_status<T: Debug, V: Debug>(
    status: u16,
    retryable: bool,
    secrets: &[&str],
    call: impl AsyncFn(&str) -> Outcome<T, V>,
) {
    let html = format!("<html><body>{status} from the proxy</body></html>");
    let page = ResponseTemplate::new(status).set_body_raw(html.as_str(), "text/html");
    let server = server_answering(page).await;
    let err = expect_err(call(&server.uri()).await, "an HTML error page");
    crate::assert_undecoded_api_error(&err, status, &html);
    assert_eq!(err.is_retryable(), retryable, "{err:?}");
    let attempts = if retryable { DEFAULT_ATTEMPTS } else { 1 };
    assert_eq!(err.attempts(), attempts, "{err:?}");
    assert_eq!(received(&server).await.len(), attempts as usize);
    assert_eq!(err.body_excerpt(), Some(html.as_str()));
    let content_type = err.headers().and_then(|h| h.get("content-type"));
    assert_eq!(content_type.map(|v| v.as_bytes()), Some(&b"text/html"[..]));
    assert_shown(&err, Some(&html), secrets);
}

/// An error status with an empty body keeps its status; the excerpt is
/// empty and `Display` is the status line alone.
pub async fn empty_body_keeps_its_status<T: Debug, V: Debug>(
    status: u16,
    secrets: &[&str],
    call: impl AsyncFn(&str) -> Outcome<T, V>,
) {
    let err = error_for(ResponseTemplate::new(status), call, "an empty error body").await;
    crate::assert_undecoded_api_error(&err, status, "");
    assert_shown(&err, None, secrets);
}

/// A vendor error body that decodes but says nothing (`{}`) is an
/// `Error::Api` with the decoded vendor error and the body as the excerpt,
/// and `Display` shows the body, since there is no message to show.
pub async fn vendor_error_saying_nothing_keeps_the_excerpt<T: Debug, V: Debug>(
    status: u16,
    secrets: &[&str],
    call: impl AsyncFn(&str) -> Outcome<T, V>,
) {
    let nothing = crate::json_response(status, &json!({}));
    let err = error_for(nothing, call, "an empty JSON object").await;
    crate::assert_vendor_api_error(&err, status, &json!({}), |_| {});
    assert_eq!(err.body_excerpt(), Some("{}"));
    assert_shown(&err, Some("{}"), secrets);
}

/// A 200 whose body is not the schema is an `Error::Decode` with the
/// status and an excerpt of the body (containing `shown`); not retryable.
pub async fn a_body_off_the_schema_is_a_decode_error<T: Debug, V: Debug>(
    body: &serde_json::Value,
    shown: &str,
    secrets: &[&str],
    call: impl AsyncFn(&str) -> Outcome<T, V>,
) {
    let err = error_for(crate::json_response(200, body), call, "a body off the schema").await;
    match &err {
        Error::Decode {
            status,
            body: excerpt,
            ..
        } => {
            assert_eq!(status.as_u16(), 200);
            assert_eq!(excerpt, &body.to_string());
            assert!(excerpt.contains(shown), "{excerpt}");
        }
        other => panic!("expected Error::Decode, got {other:?}"),
    }
    assert!(!err.is_retryable());
    assert_eq!(err.status().map(|s| s.as_u16()), Some(200));
    let text = err.to_string();
    assert!(
        text.starts_with("HTTP 200 OK: the response body does not match the API description: "),
        "{text}"
    );
    assert_error_hides(&err, secrets);
}

/// A refused connection is a retryable `Error::Network` without a status,
/// tried [`DEFAULT_ATTEMPTS`] times, whose `Debug` and `Display` do not show the URL (which may carry a
/// query credential).
pub async fn a_refused_connection_is_a_retryable_network_error<T: Debug, V: Debug>(
    secrets: &[&str],
    call: impl AsyncFn(&str) -> Outcome<T, V>,
) {
    let base = refused_url();
    let err = expect_err(call(&base).await, "a refused connection");
    assert!(matches!(err, Error::Network(_)), "{err:?}");
    assert!(err.is_retryable());
    assert_eq!(err.attempts(), DEFAULT_ATTEMPTS);
    assert!(!err.is_timeout());
    assert_eq!(err.status(), None);
    assert_eq!(err.body_excerpt(), None);
    assert!(err.to_string().starts_with("network error: "), "{err}");
    // The address may show (hyper names the socket), the URL may not.
    assert_hidden(&format!("{err} {err:?}"), &[&base]);
    assert_error_hides(&err, secrets);
}

/// A server slower than the client's timeout gives a retryable
/// `Error::Timeout` without the URL, after [`DEFAULT_ATTEMPTS`] attempts.
/// `call` builds its client at the base URL with the given timeout.
pub async fn a_slow_server_is_a_retryable_timeout<T: Debug, V: Debug>(
    secrets: &[&str],
    call: impl AsyncFn(&str, Duration) -> Outcome<T, V>,
) {
    let slow = ResponseTemplate::new(200).set_delay(Duration::from_secs(5));
    let server = server_answering(slow).await;
    let err = expect_err(
        call(&server.uri(), Duration::from_millis(200)).await,
        "a slow server",
    );
    assert!(matches!(err, Error::Timeout(_)), "{err:?}");
    assert!(err.is_timeout());
    assert!(err.is_retryable());
    assert_eq!(err.attempts(), DEFAULT_ATTEMPTS);
    assert_eq!(
        err.to_string(),
        format!("the request timed out (after {DEFAULT_ATTEMPTS} attempts)")
    );
    assert_eq!(received(&server).await.len(), DEFAULT_ATTEMPTS as usize);
    assert_hidden(&format!("{err:?}"), &[&server.uri()]);
    assert_error_hides(&err, secrets);
}

/// Rate-limit signals: the response headers reach the caller in
/// `Error::Api`, and a 403 is retryable only when they say a limit was hit
/// (`x-ratelimit-remaining: 0` or `retry-after`).
pub async fn rate_limit_headers_reach_the_caller<T: Debug, V: Debug>(
    secrets: &[&str],
    call: impl AsyncFn(&str) -> Outcome<T, V>,
) {
    type Headers = &'static [(&'static str, &'static str)];
    let cases: [(u16, Headers, bool); 6] = [
        (403, &[], false),
        (
            403,
            &[
                ("x-ratelimit-remaining", "0"),
                ("x-ratelimit-reset", "1700000000"),
            ],
            true,
        ),
        (403, &[("retry-after", "60")], true),
        (403, &[("x-ratelimit-remaining", "12")], false),
        (429, &[("retry-after", "1")], true),
        (404, &[("x-ratelimit-remaining", "0")], false),
    ];
    let server = MockServer::start().await;
    for (status, headers, retryable) in cases {
        server.reset().await;
        let mut response = crate::json_response(status, &json!({"message": "API rate limit exceeded"}));
        for (name, value) in headers {
            response = response.insert_header(*name, *value);
        }
        Mock::given(any()).respond_with(response).mount(&server).await;
        let err = expect_err(call(&server.uri()).await, "a rate-limited call");
        let case = format!("{status} {headers:?}");
        assert!(matches!(err, Error::Api { .. }), "{case}: {err:?}");
        assert_eq!(err.status().map(|s| s.as_u16()), Some(status), "{case}");
        let got = err.headers().expect("an API error has headers");
        for (name, value) in headers {
            assert_eq!(
                got.get(*name).map(|v| v.as_bytes()),
                Some(value.as_bytes()),
                "{case}"
            );
        }
        assert_eq!(err.is_retryable(), retryable, "{case}");
        assert_error_hides(&err, secrets);
    }
}

/// Neither a builder holding credentials nor the client it builds shows
/// them in `Debug` (plain or pretty).
pub fn debug_never_shows_secrets<B: Debug, C: Debug>(
    secrets: &[&str],
    builder: B,
    build: impl FnOnce(B) -> Result<C, ConfigError>,
) {
    assert_hidden(&format!("{builder:?} {builder:#?}"), secrets);
    let client = build(builder).expect("valid settings");
    assert_hidden(&format!("{client:?} {client:#?}"), secrets);
}

/// A credential replaced on one clone of a client reaches the next request
/// of every clone, in `header`: the first request carries `before`, the
/// second `after`, and no `Debug` shows `after`.
pub async fn a_replaced_credential_reaches_the_next_request<C: Clone + Debug, T: Debug, V: Debug>(
    ok: ResponseTemplate,
    header: &str,
    (before, after): (&str, &str),
    client_at: impl FnOnce(&str) -> C,
    replace: impl FnOnce(&C) -> Result<(), ConfigError>,
    call: impl AsyncFn(&C) -> Outcome<T, V>,
) {
    let server = server_answering(ok).await;
    let client = client_at(&server.uri());
    let clone = client.clone();
    call(&client).await.expect("the first call");
    replace(&clone).expect("a valid credential");
    assert_hidden(&format!("{client:?} {clone:?}"), &[after]);
    call(&client).await.expect("the second call");
    let received = received(&server).await;
    assert_eq!(received.len(), 2);
    assert_eq!(header_values(&received[0], header), [before]);
    assert_eq!(header_values(&received[1], header), [after]);
}

/// Base URLs are checked when the client is built, with a reason that never
/// shows a password: `build(url, allow_http)` builds a client at `url`
/// (calling `.allow_http()` when asked) and returns its base URL.
pub fn base_urls_are_checked_when_the_client_is_built(
    secrets: &[&str],
    build: impl Fn(&str, bool) -> Result<String, ConfigError>,
) {
    let refused = [
        (
            "not a url",
            "`not a url` is not a valid base URL: relative URL without a base",
        ),
        ("", "`` is not a valid base URL: relative URL without a base"),
        ("ftp://x", "`ftp://x`: the base URL must start with https://"),
        (
            "https://user:hunter2@host.example/api",
            "`https://***@host.example/api`: the base URL must not carry credentials; pass them to the client builder",
        ),
        (
            "https://host.example/?page=1",
            "`https://host.example/?page=1`: the base URL must not have a query or fragment",
        ),
        (
            "http://api.example.com",
            "`http://api.example.com`: plain http:// would send credentials unencrypted; use https://, or allow it with `.allow_http()` (loopback hosts are always allowed)",
        ),
    ];
    for (url, reason) in refused {
        let err = build(url, false).expect_err(url);
        assert_eq!(err.reason(), reason, "{url}");
        assert_eq!(err.to_string(), format!("invalid client configuration: {reason}"));
        let shown = format!("{err} {err:?}");
        assert_hidden(&shown, &["hunter2"]);
        assert_hidden(&shown, secrets);
    }
    let accepted = [
        ("https://host.example/api/", false, "https://host.example/api"),
        ("http://127.0.0.1:9/", false, "http://127.0.0.1:9"),
        ("http://localhost:9", false, "http://localhost:9"),
        ("http://api.example.com/", true, "http://api.example.com"),
    ];
    for (url, allow_http, base) in accepted {
        assert_eq!(build(url, allow_http).expect(url), base, "{url}");
    }
}

/// Answers every request with a redirect to the same path and query at
/// `target` (a base URL).
fn redirecting_to(status: u16, target: String) -> impl Fn(&Request) -> ResponseTemplate {
    move |request: &Request| {
        let query = request.url.query().map(|q| format!("?{q}")).unwrap_or_default();
        let location = format!("{target}{}{query}", request.url.path());
        ResponseTemplate::new(status).insert_header("location", location.as_str())
    }
}

/// A redirect to another origin is not followed, whatever its status: the
/// caller gets `Error::Api` with the 3xx status and the `location`, the
/// first server got exactly one request and the other none, so no
/// credential (`sessionToken`, `X-CAP-API-OAUTH-TOKEN`, which reqwest would
/// not strip) leaves the origin.
pub async fn a_cross_origin_redirect_is_an_api_error<T: Debug, V: Debug>(
    secrets: &[&str],
    call: impl AsyncFn(&str) -> Outcome<T, V>,
) {
    for status in [301, 302, 303, 307, 308] {
        let elsewhere = server_answering(ResponseTemplate::new(200).set_body_string("{}")).await;
        let origin = MockServer::start().await;
        Mock::given(any())
            .respond_with(redirecting_to(status, elsewhere.uri()))
            .mount(&origin)
            .await;
        let err = expect_err(call(&origin.uri()).await, "a cross-origin redirect");
        assert!(matches!(err, Error::Api { .. }), "{status}: {err:?}");
        assert_eq!(err.status().map(|s| s.as_u16()), Some(status));
        let location = err.headers().and_then(|h| h.get("location"));
        let location = location.and_then(|v| v.to_str().ok()).unwrap_or_default();
        assert!(location.starts_with(&elsewhere.uri()), "{status}: {location}");
        assert_eq!(received(&origin).await.len(), 1, "{status}");
        assert!(
            received(&elsewhere).await.is_empty(),
            "{status}: the redirect was followed"
        );
        assert_error_hides(&err, secrets);
    }
}

/// A redirect within the origin is followed: the call succeeds with `ok`,
/// and the second request has the same method and body and still carries
/// the credential (`header: value`).
pub async fn a_same_origin_redirect_is_followed_with_the_credential<T: Debug, V: Debug>(
    ok: ResponseTemplate,
    (header, value): (&str, &str),
    call: impl AsyncFn(&str) -> Outcome<T, V>,
) {
    for status in [307, 308] {
        let server = MockServer::start().await;
        Mock::given(path_regex("^/moved/"))
            .respond_with(ok.clone())
            .mount(&server)
            .await;
        Mock::given(any())
            .respond_with(redirecting_to(status, format!("{}/moved", server.uri())))
            .mount(&server)
            .await;
        call(&server.uri())
            .await
            .unwrap_or_else(|e| panic!("{status}: the redirect was not followed: {e:?}"));
        let received = received(&server).await;
        assert_eq!(received.len(), 2, "{status}");
        let (first, second) = (&received[0], &received[1]);
        assert_eq!(second.url.path(), format!("/moved{}", first.url.path()));
        assert_eq!(second.url.query(), first.url.query());
        assert_eq!(second.method, first.method);
        assert_eq!(second.body, first.body);
        for request in [first, second] {
            assert_eq!(header_values(request, header), [value], "{status}");
        }
    }
}

/// Path values and the segment each arrives as: whatever they contain,
/// they stay inside their own segment, percent-encoded where needed.
pub const ONE_SEGMENT: [(&str, &str); 14] = [
    ("a/b", "a%2Fb"),
    ("a?b=c", "a%3Fb%3Dc"),
    ("a#b", "a%23b"),
    ("100%", "100%25"),
    ("a b", "a%20b"),
    ("ünï", "%C3%BCn%C3%AF"),
    ("%2e%2e", "%252e%252e"),
    ("..%2f", "..%252f"),
    ("%2F..%2F", "%252F..%252F"),
    ("a;b", "a%3Bb"),
    ("...", "..."),
    ("..a", "..a"),
    ("{x}", "%7Bx%7D"),
    ("-5", "-5"),
];

/// Path values that would change the endpoint (an empty segment, a
/// dot-segment, one a server reads as a dot-segment, a `\` the URL parser
/// reads as `/`): refused before anything is sent.
pub const REFUSED: [&str; 9] = [
    "",
    ".",
    "..",
    "..;x",
    "..;",
    ".;jsessionid=1",
    "a\\b",
    "..\\x",
    "\\",
];

/// One path parameter, `name`, keeps every value inside its own segment:
/// each value of [`ONE_SEGMENT`] arrives as its encoded segment, in exactly
/// the path `path_for(segment)` with no query (the server answers `ok`),
/// and each value of [`REFUSED`] is refused with
/// `Error::InvalidArgument { name, .. }` without a request. `call(base,
/// value)` makes the call at `base` with `value` in that parameter.
pub async fn a_path_parameter_stays_in_its_segment<T: Debug, V: Debug>(
    name: &str,
    ok: ResponseTemplate,
    path_for: impl Fn(&str) -> String,
    call: impl AsyncFn(&str, &str) -> Outcome<T, V>,
) {
    let server = server_answering(ok).await;
    for (i, (value, segment)) in ONE_SEGMENT.into_iter().enumerate() {
        call(&server.uri(), value)
            .await
            .unwrap_or_else(|e| panic!("{name} = {value:?}: {e:?}"));
        let received = received(&server).await;
        assert_eq!(received.len(), i + 1, "{name} = {value:?}: one request per call");
        let request = &received[i];
        assert_eq!(request.url.path(), path_for(segment), "{name} = {value:?}");
        assert_eq!(request.url.query(), None, "{name} = {value:?}");
    }
    for value in REFUSED {
        let err = expect_err(call(&server.uri(), value).await, &format!("{name} = {value:?}"));
        assert_refused(&err, name);
    }
    let sent = received(&server).await.len();
    assert_eq!(sent, ONE_SEGMENT.len(), "{name}: a refused value was sent");
}

/// Checks an `Error::InvalidArgument` about `name`, with a reason.
pub fn assert_refused<V: Debug>(err: &Error<V>, name: &str) {
    match err {
        Error::InvalidArgument { name: got, reason } => {
            assert_eq!(*got, name, "{reason}");
            assert!(!reason.is_empty());
            assert_eq!(err.to_string(), format!("invalid `{name}`: {reason}"));
        }
        other => panic!("expected InvalidArgument for `{name}`, got {other:?}"),
    }
    assert_eq!(err.status(), None);
    assert!(!err.is_retryable());
}
