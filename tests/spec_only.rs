//! A folder holding nothing but a vendor's spec yields a production client.
//!
//! `tests/spec-only/specs/acme/openapi.yaml` is an OpenAPI 3.1 spec with an
//! `apiKey` header scheme and no manifest or overlay. The first test checks
//! that `tests/spec-only/crates/acme/` (a workspace member) is byte for byte
//! what the pipeline makes of that one file in a fresh tree, so none of its
//! code is hand-written. The others run that crate against a local server:
//! the credential arrives only where the spec declares its scheme, no
//! `api-version` header, hostile path values are refused or arrive as one
//! faithful segment, query values cannot add parameters, and an HTML 502
//! keeps its status.

use std::path::Path;

use acme_client::{Client, Error, types};
use wiremock::matchers::{any, method};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};
use workspace_tests::root;

fn fixture() -> std::path::PathBuf {
    root().join("tests/spec-only")
}

#[test]
fn the_committed_crate_is_what_a_spec_only_folder_generates() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let specs = tmp.path().join("specs");
    std::fs::create_dir_all(specs.join("acme")).expect("api folder");
    std::fs::copy(
        fixture().join("specs/acme/openapi.yaml"),
        specs.join("acme/openapi.yaml"),
    )
    .expect("copy the spec");
    let out = tmp.path().join("crates");
    let plan = codegen::plan(&codegen::Options {
        specs,
        out: out.clone(),
    })
    .unwrap_or_else(|e| panic!("{e}"));
    let acme: Vec<_> = plan
        .files
        .iter()
        .filter(|f| f.api.as_deref() == Some("acme"))
        .collect();
    let mut names: Vec<String> = acme
        .iter()
        .map(|f| {
            f.path
                .strip_prefix(out.join("acme"))
                .unwrap_or(&f.path)
                .to_string_lossy()
                .replace('\\', "/")
        })
        .collect();
    names.sort();
    assert_eq!(names, ["Cargo.toml", "src/generated.rs", "src/lib.rs"]);
    for f in acme {
        let rel = f.path.strip_prefix(&out).expect("under out");
        let committed = std::fs::read_to_string(fixture().join("crates").join(rel))
            .unwrap_or_else(|e| panic!("{}: {e}", rel.display()));
        assert!(
            committed == f.contents,
            "tests/spec-only/crates/{} differs from what the spec generates: run `cargo xtask generate --specs tests/spec-only/specs --out tests/spec-only/crates` and do not edit the crate by hand",
            rel.display()
        );
    }
    let extra: Vec<_> = std::fs::read_dir(fixture().join("crates/acme/src"))
        .expect("src")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| n != "generated.rs" && n != "lib.rs")
        .collect();
    assert!(
        extra.is_empty(),
        "hand-written files in the spec-only crate: {extra:?}"
    );
    assert!(!Path::new(&fixture().join("crates/acme/tests")).exists());
}

async fn client(server: &MockServer) -> Client {
    Client::builder()
        .base_url(&format!("{}/api/v4", server.uri()))
        .private_token("glpat-hunter2")
        .build()
        .expect("client")
}

fn file_json() -> serde_json::Value {
    serde_json::json!({"file_name": "readme.md", "size": 12, "content": null})
}

async fn only_request(server: &MockServer) -> Request {
    let mut received = server.received_requests().await.expect("recording on");
    assert_eq!(received.len(), 1, "exactly one request");
    received.remove(0)
}

#[tokio::test]
async fn the_credential_header_arrives_and_nothing_stray_does() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(file_json()))
        .mount(&server)
        .await;
    let file = client(&server)
        .await
        .get_file(
            "group/sub",
            "docs/readme.md",
            std::num::NonZeroU64::new(2),
            Some("main"),
        )
        .await
        .expect("200");
    assert_eq!(file.status(), 200);
    assert_eq!(file.file_name, "readme.md");
    assert_eq!(file.size, 12);
    let request = only_request(&server).await;
    assert_eq!(
        request.url.path(),
        "/api/v4/projects/group%2Fsub/files/docs%2Freadme.md"
    );
    assert_eq!(request.url.query(), Some("lines=2&ref=main"));
    assert_eq!(request.headers["private-token"], "glpat-hunter2");
    assert_eq!(request.headers["user-agent"], "acme-client/0.1.0");
    assert!(request.headers.get("api-version").is_none());
    assert!(request.headers.get("authorization").is_none());
}

#[tokio::test]
async fn a_credential_goes_only_where_the_operation_declares_its_scheme() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(200).set_body_json(serde_json::json!({"version": "1", "username": "ada"})),
        )
        .mount(&server)
        .await;
    let client = client(&server).await;
    client.get_version().await.expect("public");
    // No oauth token given: `/user` takes only oauth, so nothing is sent.
    client.get_current_user().await.expect("200");
    client.set_oauth("oauth-token").expect("valid token");
    client.get_current_user().await.expect("200");
    let received = server.received_requests().await.expect("recording on");
    let creds: Vec<(String, Option<String>, Option<String>)> = received
        .iter()
        .map(|r| {
            let header = |n: &str| r.headers.get(n).map(|v| v.to_str().unwrap_or("?").to_string());
            (
                r.url.path().to_string(),
                header("private-token"),
                header("authorization"),
            )
        })
        .collect();
    assert_eq!(
        creds,
        [
            ("/api/v4/version".to_string(), None, None),
            ("/api/v4/user".to_string(), None, None),
            (
                "/api/v4/user".to_string(),
                None,
                Some("Bearer oauth-token".to_string())
            ),
        ]
    );
}

/// What must become of a path value: refused before sending, or sent as
/// one segment that decodes back to it.
#[derive(Debug, PartialEq)]
enum Fate {
    Refused,
    Arrives(&'static str),
}

#[tokio::test]
async fn hostile_path_values_are_refused_or_arrive_as_one_faithful_segment() {
    let long = "a".repeat(10_000);
    let long_encoded: &'static str = Box::leak(long.clone().into_boxed_str());
    let cases: Vec<(String, Fate)> = vec![
        ("\\".into(), Fate::Refused),
        ("/".into(), Fate::Arrives("%2F")),
        (".".into(), Fate::Refused),
        ("..".into(), Fate::Refused),
        ("".into(), Fate::Refused),
        ("%2e%2e".into(), Fate::Arrives("%252e%252e")),
        ("..;".into(), Fate::Refused),
        ("..;jsessionid=1".into(), Fate::Refused),
        (";".into(), Fate::Arrives("%3B")),
        ("a\\b".into(), Fate::Refused),
        ("\t..".into(), Fate::Arrives("%09..")),
        ("．．".into(), Fate::Arrives("%EF%BC%8E%EF%BC%8E")),
        ("\0".into(), Fate::Arrives("%00")),
        (
            "\r\nX-Injected: 1".into(),
            Fate::Arrives("%0D%0AX-Injected%3A%201"),
        ),
        ("?admin=1".into(), Fate::Arrives("%3Fadmin%3D1")),
        ("#top".into(), Fate::Arrives("%23top")),
        ("..\\..\\..\\user\\following\\mallory".into(), Fate::Refused),
        (long, Fate::Arrives(long_encoded)),
    ];
    for (value, fate) in cases {
        let server = MockServer::start().await;
        Mock::given(any())
            .respond_with(ResponseTemplate::new(200).set_body_json(file_json()))
            .mount(&server)
            .await;
        let result = client(&server).await.get_file("7", &value, None, None).await;
        let received = server.received_requests().await.expect("recording on");
        let shown = value.chars().take(20).collect::<String>();
        match fate {
            Fate::Refused => {
                match result {
                    Err(Error::InvalidArgument { name, .. }) => assert_eq!(name, "file_path", "{shown:?}"),
                    other => panic!("{shown:?} must be refused, got {other:?}"),
                }
                assert!(received.is_empty(), "{shown:?}: nothing may be sent");
            }
            Fate::Arrives(segment) => {
                result.unwrap_or_else(|e| panic!("{shown:?} must be sent: {e}"));
                assert_eq!(received.len(), 1, "{shown:?}");
                assert_eq!(
                    received[0].url.path(),
                    format!("/api/v4/projects/7/files/{segment}"),
                    "{shown:?}"
                );
            }
        }
    }
}

#[tokio::test]
async fn query_values_cannot_add_or_replace_parameters() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_json(file_json()))
        .mount(&server)
        .await;
    let hostile = "main&admin=true&lines=999#frag";
    client(&server)
        .await
        .get_file("7", "f", std::num::NonZeroU64::new(3), Some(hostile))
        .await
        .expect("sent");
    let request = only_request(&server).await;
    let pairs: Vec<(String, String)> = request
        .url
        .query_pairs()
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    assert_eq!(
        pairs,
        [
            ("lines".to_string(), "3".to_string()),
            ("ref".to_string(), hostile.to_string())
        ]
    );
}

#[tokio::test]
async fn an_html_502_keeps_its_status_and_a_vendor_error_its_message() {
    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .respond_with(ResponseTemplate::new(502).set_body_raw("<html>Bad gateway</html>", "text/html"))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(404).set_body_json(serde_json::json!({"message": "404 File Not Found"})),
        )
        .mount(&server)
        .await;
    let client = client(&server).await;
    let body = types::FileUpdate {
        content: "x".into(),
        commit_message: None,
    };
    let err = client.update_file("7", "f", &body).await.expect_err("502");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(502));
    assert!(err.is_retryable());
    assert_eq!(err.body_excerpt(), Some("<html>Bad gateway</html>"));
    // A PUT is idempotent: the 502 was retried by the default policy.
    assert_eq!(err.attempts(), 3);
    assert_eq!(
        err.to_string(),
        "HTTP 502 Bad Gateway: <html>Bad gateway</html> (after 3 attempts)"
    );
    let err = client.get_file("7", "f", None, None).await.expect_err("404");
    assert_eq!(
        err.vendor().and_then(|v| v.message.as_deref()),
        Some("404 File Not Found")
    );
    assert_eq!(err.to_string(), "HTTP 404 Not Found: 404 File Not Found");
    assert!(!format!("{err:?} {client:?}").contains("hunter2"));
}

#[test]
fn the_default_server_comes_from_the_spec() {
    let client = Client::builder()
        .private_token("t")
        .build()
        .expect("default server");
    assert_eq!(client.base_url(), "https://files.acme-corp.io/api/v4");
    let err = Client::builder()
        .base_url("http://files.acme-corp.io")
        .build()
        .expect_err("plain http");
    assert!(err.to_string().contains("plain http://"), "{err}");
}
