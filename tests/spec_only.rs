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

/// Documented headers and errors, typed (a module of this test binary: one
/// link fewer).
#[path = "documented_responses.rs"]
mod documented_responses;

/// Server-sent events through the generated client.
#[path = "events.rs"]
mod events;

/// Pagination through the generated client.
#[path = "pages.rs"]
mod pages;

/// The generated mocks (`mock` feature) of `acme` and `relay`.
#[path = "mocks.rs"]
mod mocks;

/// OpenAPI 3.2 through the `relay` client.
#[path = "relay.rs"]
mod relay;
use wiremock::matchers::{any, method};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};
use workspace_tests::{assert_committed, root};

fn fixture() -> std::path::PathBuf {
    root().join("tests/spec-only")
}

#[test]
fn the_committed_crates_are_what_spec_only_folders_generate() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let specs = tmp.path().join("specs");
    for api in ["acme", "relay"] {
        std::fs::create_dir_all(specs.join(api)).expect("api folder");
        std::fs::copy(
            fixture().join(format!("specs/{api}/openapi.yaml")),
            specs.join(format!("{api}/openapi.yaml")),
        )
        .expect("copy the spec");
    }
    let out = tmp.path().join("crates");
    let plan = codegen::plan(&codegen::Options {
        specs,
        out: out.clone(),
        strict: false,
    })
    .unwrap_or_else(|e| panic!("{e}"));
    for api in ["acme", "relay"] {
        let files: Vec<_> = plan
            .files
            .iter()
            .filter(|f| f.api.as_deref() == Some(api))
            .collect();
        let mut names: Vec<String> = files
            .iter()
            .map(|f| {
                f.path
                    .strip_prefix(out.join(api))
                    .unwrap_or(&f.path)
                    .to_string_lossy()
                    .replace('\\', "/")
            })
            .collect();
        names.sort();
        assert_eq!(
            names,
            [
                "CHANGELOG.md",
                "Cargo.toml",
                "src/generated.rs",
                "src/lib.rs",
                "surface.txt"
            ]
        );
        assert_committed(
            files,
            &out,
            &fixture().join("crates"),
            "what the spec generates: run `cargo xtask generate --specs tests/spec-only/specs --out tests/spec-only/crates` and do not edit the crate by hand",
        );
        let extra: Vec<_> = std::fs::read_dir(fixture().join(format!("crates/{api}/src")))
            .expect("src")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .filter(|n| n != "generated.rs" && n != "lib.rs")
            .collect();
        assert!(
            extra.is_empty(),
            "hand-written files in the spec-only crate {api}: {extra:?}"
        );
        assert!(!Path::new(&fixture().join(format!("crates/{api}/tests"))).exists());
    }
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

/// The query pairs that arrived, decoded, in order.
fn query_pairs(request: &Request) -> Vec<(String, String)> {
    request
        .url
        .query_pairs()
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
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
        .get_file("group/sub", "docs/readme.md")
        .lines(std::num::NonZeroU64::new(2).expect("2 is not zero"))
        .ref_("main")
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
        let result = client(&server).await.get_file("7", &value).await;
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
        .get_file("7", "f")
        .lines(std::num::NonZeroU64::new(3).expect("3 is not zero"))
        .ref_(hostile)
        .await
        .expect("sent");
    let request = only_request(&server).await;
    let pairs = query_pairs(&request);
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
    let body = types::FileUpdate::new("x");
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
    let err = client.get_file("7", "f").await.expect_err("404");
    // Two error schemas in the spec (`Error`, and `patch_issue`'s 422): the
    // vendor error is an enum of them, and the documented error is typed.
    match err.vendor() {
        Some(acme_client::VendorError::Error(e)) => {
            assert_eq!(e.message.as_deref(), Some("404 File Not Found"))
        }
        other => panic!("the declared `Error`: {other:?}"),
    }
    match acme_client::errors::GetFile::of(&err) {
        Some(acme_client::errors::GetFile::NotFound(e)) => {
            assert_eq!(e.message.as_deref(), Some("404 File Not Found"))
        }
        other => panic!("the documented 404: {other:?}"),
    }
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

/// One part of a multipart body as it arrived: its name, filename, content
/// type and bytes.
#[derive(Debug, PartialEq)]
struct Part {
    name: String,
    filename: Option<String>,
    content_type: Option<String>,
    body: Vec<u8>,
}

/// The parts of a `multipart/form-data` request, read by hand from the bytes
/// that arrived (RFC 7578), so the test does not trust the encoder.
fn parts(request: &Request) -> Vec<Part> {
    let content_type = request.headers["content-type"].to_str().expect("ascii");
    let boundary = content_type
        .strip_prefix("multipart/form-data; boundary=")
        .unwrap_or_else(|| panic!("not multipart: {content_type}"));
    let delimiter = format!("--{boundary}");
    let body = String::from_utf8_lossy(&request.body).into_owned();
    assert!(body.ends_with(&format!("{delimiter}--\r\n")), "{body}");
    body.split(&delimiter)
        .skip(1)
        .filter(|chunk| !chunk.starts_with("--"))
        .map(|chunk| {
            let chunk = chunk.strip_prefix("\r\n").expect("CRLF after the boundary");
            let (head, rest) = chunk.split_once("\r\n\r\n").expect("headers, then the body");
            let mut part = Part {
                name: String::new(),
                filename: None,
                content_type: None,
                body: rest
                    .strip_suffix("\r\n")
                    .expect("CRLF before the boundary")
                    .as_bytes()
                    .to_vec(),
            };
            for line in head.split("\r\n") {
                let (key, value) = line.split_once(": ").expect("a header");
                match key.to_ascii_lowercase().as_str() {
                    "content-disposition" => {
                        for param in value.split("; ").skip(1) {
                            let (k, v) = param.split_once('=').expect("a parameter");
                            let v = v.trim_matches('"').to_string();
                            match k {
                                "name" => part.name = v,
                                "filename" => part.filename = Some(v),
                                other => panic!("unexpected {other}"),
                            }
                        }
                    }
                    "content-type" => part.content_type = Some(value.to_string()),
                    other => panic!("unexpected part header {other}"),
                }
            }
            part
        })
        .collect()
}

fn upload() -> types::UploadFilesForm {
    use usergroup_client_core::FilePart;
    types::UploadFilesForm::new(
        FilePart::new(b"# Readme\n".to_vec())
            .filename("README.md")
            .content_type("text/markdown"),
    )
    .attachments(vec![
        FilePart::new(vec![0u8, 1, 2, 255]).filename("a.bin"),
        FilePart::new(b"{}".to_vec()).content_type("application/json"),
    ])
    .message("first upload")
    .labels(vec!["docs".to_string(), "a&b=c".to_string()])
    .overwrite(true)
}

#[tokio::test]
async fn a_multipart_upload_arrives_part_by_part_with_its_credential() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(201).set_body_json(file_json()))
        .mount(&server)
        .await;
    let file = client(&server)
        .await
        .upload_files("group/sub", &upload())
        .await
        .expect("201");
    assert_eq!(file.status(), 201);
    let request = only_request(&server).await;
    assert_eq!(request.url.path(), "/api/v4/projects/group%2Fsub/uploads");
    assert_eq!(request.url.query(), None);
    assert_eq!(request.headers["private-token"], "glpat-hunter2");
    assert!(request.headers.get("api-version").is_none());
    let part = |name: &str, filename: Option<&str>, content_type: Option<&str>, body: &[u8]| Part {
        name: name.into(),
        filename: filename.map(Into::into),
        content_type: content_type.map(Into::into),
        body: body.to_vec(),
    };
    let got = parts(&request);
    // Binary bytes arrive as sent (read back lossily above, so compare the raw body too).
    assert!(
        request.body.windows(4).any(|w| w == [0u8, 1, 2, 255]),
        "the binary attachment's bytes"
    );
    assert_eq!(
        got.iter()
            .filter(|p| p.name != "attachments" || p.filename.as_deref() != Some("a.bin"))
            .collect::<Vec<_>>(),
        [
            &part("attachments", None, Some("application/json"), b"{}"),
            &part("file", Some("README.md"), Some("text/markdown"), b"# Readme\n"),
            &part("labels", None, None, b"docs"),
            &part("labels", None, None, b"a&b=c"),
            &part("message", None, None, b"first upload"),
            &part("overwrite", None, None, b"true"),
        ]
    );
    let binary = &got[0];
    assert_eq!(
        (
            binary.name.as_str(),
            binary.filename.as_deref(),
            binary.content_type.as_deref()
        ),
        ("attachments", Some("a.bin"), Some("application/octet-stream"))
    );
}

#[tokio::test]
async fn a_retried_upload_replays_the_same_body() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(201).set_body_json(file_json()))
        .with_priority(2)
        .mount(&server)
        .await;
    let client = Client::builder()
        .base_url(&format!("{}/api/v4", server.uri()))
        .private_token("glpat-hunter2")
        .retry(
            acme_client::RetryPolicy::default()
                .non_idempotent(true)
                .base_delay(std::time::Duration::ZERO),
        )
        .build()
        .expect("client");
    let file = client
        .upload_files("p", &upload())
        .await
        .expect("201 after a 503");
    assert_eq!(file.status(), 201);
    let received = server.received_requests().await.expect("recording on");
    assert_eq!(received.len(), 2);
    assert!(!received[0].body.is_empty());
    assert_eq!(received[0].body, received[1].body, "the body is replayed");
    assert_eq!(
        received[0].headers["content-type"],
        received[1].headers["content-type"]
    );
    assert_eq!(received[1].headers["private-token"], "glpat-hunter2");
    assert_eq!(parts(&received[1]).len(), 7);
}

#[tokio::test]
async fn deep_object_and_delimited_query_parameters_arrive_as_their_style_says() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!([{"id": 1, "title": "t"}])))
        .mount(&server)
        .await;
    let filter = types::ListIssuesFilter::new()
        .assignee("]&x=1&filter[status]=closed")
        .status(types::ListIssuesFilterStatus::Open);
    let fields = vec!["id".to_string(), "title=x&y".to_string()];
    // `sort.by` and `sort_by` are both `sort_by` in Rust: progenitor sends
    // the first, the layer the second (as `sort_by_`).
    let sort_aliases = vec!["title".to_string(), "id&admin=1".to_string()];
    let issues = client(&server)
        .await
        .list_issues("p")
        .page(2)
        .sort_by(types::ListIssuesSortBy::Updated)
        .filter(&filter)
        .fields(&fields)
        .x_trace("t-1")
        .session_hint("a; admin=1")
        .sort_by_(&sort_aliases)
        .await
        .expect("200");
    assert_eq!(issues[0].title, "t");
    let request = only_request(&server).await;
    let pairs = query_pairs(&request);
    assert_eq!(
        pairs,
        [
            ("page".to_string(), "2".to_string()),
            ("sort.by".into(), "updated".into()),
            ("filter[assignee]".into(), "]&x=1&filter[status]=closed".into()),
            ("filter[status]".into(), "open".into()),
            ("fields".into(), "id,title=x&y".into()),
            ("sort_by".into(), "title".into()),
            ("sort_by".into(), "id&admin=1".into()),
        ]
    );
    assert_eq!(request.headers["private-token"], "glpat-hunter2");
    assert_eq!(request.headers["x-trace"], "t-1");
    // One cookie: `;` and `=` in the value cannot add another.
    assert_eq!(request.headers["cookie"], "session_hint=a%3B%20admin%3D1");
    // Left out when not set, or set and then cleared with `set_<name>(None)`.
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!([])))
        .mount(&server)
        .await;
    let client = client(&server).await;
    client.list_issues("p").await.expect("200");
    client
        .list_issues("p")
        .page(2)
        .set_page(None)
        .x_trace("t-1")
        .set_x_trace(None)
        .set_session_hint(None)
        .await
        .expect("200");
    for request in server.received_requests().await.expect("recording on") {
        assert_eq!(request.url.path(), "/api/v4/projects/p/issues");
        assert_eq!(request.url.query(), None);
        assert!(request.headers.get("x-trace").is_none());
        assert!(request.headers.get("cookie").is_none());
    }
}

#[tokio::test]
async fn a_header_value_with_a_line_break_is_refused_before_sending() {
    let server = MockServer::start().await;
    let err = client(&server)
        .await
        .list_issues("p")
        .x_trace("t\r\nx-admin: 1")
        .await
        .expect_err("refused");
    assert!(
        matches!(err, Error::InvalidArgument { name: "X-Trace", .. }),
        "{err:?}"
    );
    assert!(server.received_requests().await.expect("recording on").is_empty());
}

#[tokio::test]
async fn a_merge_patch_body_arrives_as_json_with_its_declared_content_type() {
    let server = MockServer::start().await;
    Mock::given(method("PATCH"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({"id": 7, "title": "new"})))
        .mount(&server)
        .await;
    let patch = types::IssuePatch::new().title("new");
    client(&server)
        .await
        .patch_issue("p", 7, &patch)
        .await
        .expect("200");
    let request = only_request(&server).await;
    assert_eq!(request.url.path(), "/api/v4/projects/p/issues/7");
    assert_eq!(request.headers["content-type"], "application/merge-patch+json");
    let body: serde_json::Value = serde_json::from_slice(&request.body).expect("JSON");
    assert_eq!(body, serde_json::json!({"title": "new"}));
    assert_eq!(request.headers["private-token"], "glpat-hunter2");
}

/// A server answering every request with `status` and `body` (none when
/// `None`).
async fn answering(status: u16, body: Option<serde_json::Value>) -> MockServer {
    let server = MockServer::start().await;
    let response = match body {
        Some(b) => ResponseTemplate::new(status).set_body_json(b),
        None => ResponseTemplate::new(status),
    };
    Mock::given(any()).respond_with(response).mount(&server).await;
    server
}

#[tokio::test]
async fn a_200_with_a_body_and_a_202_without_one_decode_to_their_variants() {
    use acme_client::responses::GetExport;
    let ready = answering(
        200,
        Some(serde_json::json!({"url": "https://x/e.zip", "size": 12})),
    )
    .await;
    let export = client(&ready).await.get_export("p").await.expect("200");
    assert_eq!(export.status(), 200);
    match export.into_inner() {
        GetExport::Ok(e) => assert_eq!((e.url.as_str(), e.size), ("https://x/e.zip", Some(12))),
        other => panic!("200 is `Ok`: {other:?}"),
    }
    let request = only_request(&ready).await;
    assert_eq!(
        (request.method.as_str(), request.url.path()),
        ("GET", "/api/v4/projects/p/export")
    );
    assert_eq!(request.headers["private-token"], "glpat-hunter2");

    let queued = answering(202, None).await;
    let export = client(&queued).await.get_export("p").await.expect("202");
    assert_eq!(export.status(), 202);
    assert!(matches!(export.into_inner(), GetExport::Accepted));
}

#[tokio::test]
async fn a_204_beside_a_200_and_a_body_that_does_not_match_its_status() {
    use acme_client::responses::StarProject;
    let starred = answering(200, Some(serde_json::json!({"stars": 3}))).await;
    let now = client(&starred)
        .await
        .star_project("p")
        .await
        .expect("200")
        .into_inner();
    assert!(matches!(now, StarProject::Ok(ref s) if s.stars == 3), "{now:?}");
    assert_eq!(only_request(&starred).await.method.as_str(), "PUT");

    let already = answering(204, None).await;
    let again = client(&already)
        .await
        .star_project("p")
        .await
        .expect("204")
        .into_inner();
    assert!(matches!(again, StarProject::NoContent), "{again:?}");

    // The 200's body must be its type: anything else is a decode error that
    // keeps the status and the start of the body.
    let wrong = answering(200, Some(serde_json::json!({"stars": "many"}))).await;
    let err = client(&wrong)
        .await
        .star_project("p")
        .await
        .expect_err("not the 200's type");
    assert!(matches!(err, Error::Decode { .. }), "{err:?}");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(200));
    assert!(err.to_string().contains("many"), "{err}");

    // A success status the spec does not document is a decode error too.
    let undocumented = answering(201, Some(serde_json::json!({"stars": 3}))).await;
    let err = client(&undocumented)
        .await
        .star_project("p")
        .await
        .expect_err("201 is not documented");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(201), "{err:?}");
}

/// A body of a media type progenitor cannot name goes out as the caller's
/// bytes or text, under its declared `Content-Type` (an image of no
/// schema; XML described as an object).
#[tokio::test]
async fn bytes_and_text_bodies_arrive_with_their_declared_content_type() {
    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let client = client(&server).await;
    let png = vec![0x89, b'P', b'N', b'G', 0, 0xff];
    client.put_avatar("p", png.clone()).await.expect("204");
    let xml = "<settings><name>a &amp; b</name></settings>".to_string();
    client.put_settings_xml("p", xml.clone()).await.expect("204");
    let received = server.received_requests().await.expect("recording on");
    assert_eq!(received.len(), 2);
    assert_eq!(received[0].url.path(), "/api/v4/projects/p/avatar");
    assert_eq!(received[0].headers["content-type"], "image/png");
    assert_eq!(received[0].body, png);
    assert_eq!(received[1].url.path(), "/api/v4/projects/p/settings.xml");
    assert_eq!(received[1].headers["content-type"], "application/xml");
    assert_eq!(received[1].body, xml.as_bytes());
    for request in &received {
        assert_eq!(request.headers["private-token"], "glpat-hunter2");
    }
}

/// Stripe's deepObject parameters that are not objects: an array goes as
/// `expand[]=` pairs, an `anyOf` as its branch (`created[gte]=` for the
/// object, `created=` for the integer).
#[tokio::test]
async fn deep_object_arrays_and_unions_arrive_as_stripe_reads_them() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!(["ch_1"])))
        .mount(&server)
        .await;
    let client = client(&server).await;
    let expand = types::ListChargesExpand(vec!["customer".into(), "a&b=c".into()]);
    let since = types::ListChargesCreated::Object {
        gte: Some(1_700_000_000),
    };
    let charges = client
        .list_charges("p")
        .expand(&expand)
        .created(&since)
        .await
        .expect("200");
    assert_eq!(charges.into_inner(), ["ch_1"]);
    client
        .list_charges("p")
        .created(&types::ListChargesCreated::Integer(5))
        .await
        .expect("200");
    let received = server.received_requests().await.expect("recording on");
    assert_eq!(received[0].url.path(), "/api/v4/projects/p/charges");
    assert_eq!(
        query_pairs(&received[0]),
        [
            ("expand[]".to_string(), "customer".to_string()),
            ("expand[]".into(), "a&b=c".into()),
            ("created[gte]".into(), "1700000000".into()),
        ]
    );
    assert_eq!(
        query_pairs(&received[1]),
        [("created".to_string(), "5".to_string())]
    );
}

/// Two operations whose path keys differ only by a fragment (how
/// APIs.guru's conversion keeps AWS's operations apart) both reach the
/// path before it: the fragment is never sent, and the endpoint check,
/// which refuses a URL with a fragment, lets them through.
#[tokio::test]
async fn a_path_keys_fragment_is_not_sent() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let client = client(&server).await;
    client.archive_project_action("p").await.expect("204");
    client.restore_project_action("q").await.expect("204");
    let received = server.received_requests().await.expect("recording on");
    let paths: Vec<&str> = received.iter().map(|r| r.url.path()).collect();
    assert_eq!(
        paths,
        ["/api/v4/projects/p/actions", "/api/v4/projects/q/actions"]
    );
    assert!(
        received
            .iter()
            .all(|r| r.url.fragment().is_none() && r.url.query().is_none())
    );
}

/// A query string inside a path key (`/search?kind=issues&q={q}`) is sent
/// as query pairs: the templated one from its argument, the fixed one as
/// its one value; the path is the part before it.
#[tokio::test]
async fn a_query_string_in_a_path_key_arrives_as_query_pairs() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!(["t"])))
        .mount(&server)
        .await;
    let found = client(&server)
        .await
        .search_issues(types::SearchIssuesKind::Issues, "a&b=c d")
        .await
        .expect("200");
    assert_eq!(found.into_inner(), ["t"]);
    let request = only_request(&server).await;
    assert_eq!(request.url.path(), "/api/v4/search");
    assert_eq!(
        query_pairs(&request),
        [
            ("kind".to_string(), "issues".to_string()),
            ("q".into(), "a&b=c d".into())
        ]
    );
}
