//! Documented headers and documented errors, typed, on the wire: the acme
//! client (`tests/spec-only`, whose spec documents `Retry-After`,
//! `Location`, `Last-Modified`, `Link` and `X-Total`, and a 404 beside a
//! 422 of another shape) against a local server.
//!
//! The README's example of a multi-status call with a header read, and of
//! matching documented errors, is [`readme_example`]'s body, word for word:
//! [`the_readme_shows_this_files_example`] checks it.

use std::time::{Duration, SystemTime};

use acme_client::{Client, Error, RetryAfter, errors, headers, responses, types};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};
use workspace_tests::root;

use super::client;

async fn answering(response: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any()).respond_with(response).mount(&server).await;
    server
}

/// What the README shows.
async fn readme_example(client: &Client, patch: &types::IssuePatch) -> Result<String, Error> {
    // readme:start
    // acme's `GET /projects/{projectId}/export`: 200 with the export, 202 while it is made.
    let response = client.get_export("platform").await?;
    let wait = response.headers().retry_after()?; // documented on the 202: Option<RetryAfter>
    let said = match response.into_inner() {
        responses::GetExport::Ok(export) => format!("ready: {}", export.url),
        responses::GetExport::Accepted => format!("not yet; ask again after {wait:?}"),
        _ => "a status the vendor documents later".to_string(),
    };
    // `PATCH /projects/{projectId}/issues/{issueId}` documents a 404 and a 422 of its own shape.
    match client.patch_issue("platform", 7, patch).await {
        Ok(issue) => println!("{said}; patched {}", issue.title),
        Err(e) => match errors::PatchIssue::of(&e) {
            Some(errors::PatchIssue::NotFound(_)) => println!("{said}; no issue 7"),
            Some(errors::PatchIssue::UnprocessableEntity(invalid)) => {
                println!("{said}; fix {:?}", invalid.fields)
            }
            _ => return Err(e), // not documented, or not what the spec says
        },
    }
    // readme:end
    Ok(said)
}

#[test]
fn the_readme_shows_this_files_example() {
    readme_shows("tests/documented_responses.rs");
}

/// Checks that the README shows, word for word, the code between the
/// `// readme:start` and `// readme:end` lines of `file` (a test file of
/// this crate, where it compiles and runs): indented as the README's list
/// items indent it, two spaces where the function body has four.
pub(crate) fn readme_shows(file: &str) {
    let readme = std::fs::read_to_string(root().join("README.md")).expect("README.md");
    let this = std::fs::read_to_string(root().join(file)).expect("the test file");
    let mut rest = this.as_str();
    let mut blocks = 0;
    // Every block between the markers, in order.
    while let Some(at) = rest.find("// readme:start\n") {
        let start = at + "// readme:start\n".len();
        let end = start + rest[start..].find("    // readme:end").expect("end marker");
        let shown: String = rest[start..end]
            .lines()
            .map(|l| match l.strip_prefix("    ") {
                Some(rest) => format!("  {rest}\n"),
                None => format!("{l}\n"),
            })
            .collect();
        assert!(
            readme.contains(&shown),
            "the README's example differs from the code between the readme markers of {file}; it should read:\n{shown}"
        );
        rest = &rest[end..];
        blocks += 1;
    }
    assert!(blocks > 0, "{file} has no readme markers");
}

#[tokio::test]
async fn a_202_reads_its_typed_retry_after_and_location_and_a_200_its_date() {
    let queued = answering(
        ResponseTemplate::new(202)
            .insert_header("retry-after", "30")
            .insert_header("location", "/api/v4/projects/p/export?ticket=9"),
    )
    .await;
    let response = client(&queued).await.get_export("p").await.expect("202");
    let h: &headers::GetExport = response.headers();
    assert_eq!(
        h.retry_after(),
        Ok(Some(RetryAfter::Delay(Duration::from_secs(30))))
    );
    assert_eq!(h.location(), Ok(Some("/api/v4/projects/p/export?ticket=9")));
    assert_eq!(h.last_modified(), Ok(None), "not sent: None");
    // Every header stays reachable by name.
    assert_eq!(h.get("retry-after").unwrap(), "30");
    assert!(matches!(response.into_inner(), responses::GetExport::Accepted));

    let ready = answering(
        ResponseTemplate::new(200)
            .insert_header("last-modified", "Sun, 06 Nov 1994 08:49:37 GMT")
            .set_body_json(serde_json::json!({"url": "https://x/e.zip"})),
    )
    .await;
    let response = client(&ready).await.get_export("p").await.expect("200");
    let made = SystemTime::UNIX_EPOCH + Duration::from_secs(784_111_777);
    assert_eq!(response.headers().last_modified(), Ok(Some(made)));
    assert!(matches!(response.into_inner(), responses::GetExport::Ok(e) if e.url == "https://x/e.zip"));
}

#[tokio::test]
async fn link_and_an_integer_header_are_typed_and_a_malformed_one_is_an_error() {
    let page = answering(
        ResponseTemplate::new(200)
            .insert_header(
                "link",
                r#"<https://files.acme-corp.io/api/v4/projects/p/issues?page=2>; rel="next", <https://files.acme-corp.io/api/v4/projects/p/issues?page=9>; rel="last""#,
            )
            .insert_header("x-total", "170")
            .set_body_json(serde_json::json!([{"id": 1, "title": "t"}])),
    )
    .await;
    let issues = client(&page).await.list_issues("p").await.expect("200");
    let links = issues.headers().link().expect("well-formed").expect("sent");
    assert_eq!(
        links.next(),
        Some("https://files.acme-corp.io/api/v4/projects/p/issues?page=2")
    );
    assert_eq!(
        links.rel("last").map(|l| l.target().ends_with("page=9")),
        Some(true)
    );
    let total: Option<i64> = issues.headers().x_total().expect("an integer");
    assert_eq!(total, Some(170));
    assert_eq!(issues.len(), 1);

    // A value off its documented type is reported, with the header's name,
    // through `?` as the client's one error type.
    let sloppy = answering(
        ResponseTemplate::new(200)
            .insert_header("x-total", "lots")
            .set_body_json(serde_json::json!([])),
    )
    .await;
    let issues = client(&sloppy)
        .await
        .list_issues("p")
        .await
        .expect("the body is fine");
    async fn read_total(headers: &headers::ListIssues) -> Result<Option<i64>, Error> {
        Ok(headers.x_total()?)
    }
    let err = read_total(issues.headers()).await.expect_err("not an integer");
    assert!(
        matches!(&err, Error::Header(h) if h.name() == "x-total" && h.value() == "lots"),
        "{err:?}"
    );
    assert_eq!(
        err.to_string(),
        "response header `x-total: lots` is not as the API description says: not a i64: invalid digit found in string"
    );
}

#[tokio::test]
async fn a_404_and_a_422_of_one_operation_are_told_apart_as_types() {
    let patch = types::IssuePatch::new().title("new");
    let missing = answering(
        ResponseTemplate::new(404)
            .insert_header("set-cookie", "session=s3cr3t-cookie")
            .set_body_json(serde_json::json!({"message": "404 Issue Not Found"})),
    )
    .await;
    let err = client(&missing)
        .await
        .patch_issue("p", 7, &patch)
        .await
        .expect_err("404");
    match errors::PatchIssue::of(&err) {
        Some(errors::PatchIssue::NotFound(body)) => {
            assert_eq!(body.message.as_deref(), Some("404 Issue Not Found"))
        }
        other => panic!("404 is `NotFound`: {other:?}"),
    }
    // What worked before still does: the status, the vendor error, the excerpt.
    assert_eq!(err.status().map(|s| s.as_u16()), Some(404));
    assert!(err.vendor().is_some());
    assert_eq!(err.body_excerpt(), Some(r#"{"message":"404 Issue Not Found"}"#));
    // A cookie the server sets is a credential: kept, never shown.
    assert!(err.headers().is_some_and(|h| h.contains_key("set-cookie")));
    let shown = format!("{err:?} {err}");
    assert!(
        !shown.contains("s3cr3t") && shown.contains("Sensitive"),
        "{shown}"
    );

    let invalid = answering(
        ResponseTemplate::new(422)
            .set_body_json(serde_json::json!({"message": "invalid", "fields": ["title", "status"]})),
    )
    .await;
    let err = client(&invalid)
        .await
        .patch_issue("p", 7, &patch)
        .await
        .expect_err("422");
    match err.documented::<errors::PatchIssue>() {
        Some(errors::PatchIssue::UnprocessableEntity(v)) => assert_eq!(v.fields, ["title", "status"]),
        other => panic!("422 is `UnprocessableEntity`: {other:?}"),
    }
    // Another operation's enum is not this error's.
    assert!(err.documented::<errors::GetFile>().is_none());

    // A documented status whose body is not its type, and a status the
    // spec does not document: an `Error::Api` as before, nothing typed.
    for (status, body) in [
        (422, serde_json::json!({"message": "no fields"})),
        (409, serde_json::json!({})),
    ] {
        let server = answering(ResponseTemplate::new(status).set_body_json(body)).await;
        let err = client(&server)
            .await
            .patch_issue("p", 7, &patch)
            .await
            .expect_err("error");
        assert!(matches!(err, Error::Api { .. }), "{err:?}");
        assert!(errors::PatchIssue::of(&err).is_none(), "{status}: {err:?}");
    }
}

#[tokio::test]
async fn an_error_status_without_a_body_is_a_variant_and_its_headers_are_typed() {
    let busy = answering(ResponseTemplate::new(429).insert_header("retry-after", "7200")).await;
    // A wait longer than the retry policy allows: not retried, so the 429 arrives.
    let err = client(&busy).await.get_export("p").await.expect_err("429");
    assert!(
        matches!(
            errors::GetExport::of(&err),
            Some(errors::GetExport::TooManyRequests)
        ),
        "{err:?}"
    );
    let h: headers::GetExport = err.headers_as().expect("an API error has headers");
    assert_eq!(
        h.retry_after(),
        Ok(Some(RetryAfter::Delay(Duration::from_secs(7200))))
    );
}

#[tokio::test]
async fn the_readme_example_runs() {
    let patch = types::IssuePatch::new().title("new");
    let queued = answering(ResponseTemplate::new(202).insert_header("retry-after", "5")).await;
    let said = readme_example(&client(&queued).await, &patch).await;
    // The 202 is read, then the PATCH meets the same 202: a success status
    // `patch_issue` does not document, a decode error.
    assert!(matches!(said, Err(Error::Decode { .. })), "{said:?}");
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::method("GET"))
        .respond_with(ResponseTemplate::new(202).insert_header("retry-after", "5"))
        .mount(&server)
        .await;
    Mock::given(wiremock::matchers::method("PATCH"))
        .respond_with(
            ResponseTemplate::new(422)
                .set_body_json(serde_json::json!({"message": "m", "fields": ["title"]})),
        )
        .mount(&server)
        .await;
    let said = readme_example(&client(&server).await, &patch)
        .await
        .expect("documented");
    assert_eq!(said, "not yet; ask again after Some(Delay(5s))");
}

/// Issue 36 through a generated client: the client's limit, a call's own
/// on its request value, and a download, which is not bounded.
mod bounded {
    use super::*;

    fn body_of(len: usize) -> ResponseTemplate {
        // A JSON string of `len` bytes: the 202 of `get_export` has no body,
        // so the 200's `Export` is sent with a long `url`.
        let url = "x".repeat(len.saturating_sub(10));
        ResponseTemplate::new(200).set_body_json(serde_json::json!({"url": url}))
    }

    #[tokio::test]
    async fn a_call_sets_its_own_limit_on_its_request_value() {
        let server = answering(body_of(10_000)).await;
        let client = client(&server).await;
        let whole = client.get_export("p").await.expect("under the client's 64 MiB");
        assert!(matches!(whole.into_inner(), responses::GetExport::Ok(_)));
        let err = client
            .get_export("p")
            .max_response_body(1_000)
            .await
            .expect_err("over the call's 1000 bytes");
        assert!(
            matches!(
                err,
                Error::BodyTooLarge {
                    limit: 1_000,
                    read: 0,
                    operation: "get_export",
                    ..
                }
            ),
            "wiremock declares its Content-Length, so nothing is read: {err:?}"
        );
        // The client's own limit, set on its builder.
        let strict = Client::builder()
            .base_url(&format!("{}/api/v4", server.uri()))
            .private_token("glpat-hunter2")
            .max_response_body(2_000)
            .build()
            .expect("client");
        let err = strict.get_export("p").await.expect_err("over 2000");
        assert!(matches!(err, Error::BodyTooLarge { limit: 2_000, .. }), "{err:?}");
        let whole = strict
            .get_export("p")
            .max_response_body(20_000)
            .await
            .expect("the call's limit replaces the client's");
        assert_eq!(whole.status(), 200);
    }

    #[tokio::test]
    async fn a_download_is_not_bounded() {
        let archive = vec![0x50u8; 256 * 1024];
        let server = answering(ResponseTemplate::new(200).set_body_bytes(archive.clone())).await;
        let strict = Client::builder()
            .base_url(&format!("{}/api/v4", server.uri()))
            .private_token("glpat-hunter2")
            .max_response_body(1_000)
            .build()
            .expect("client");
        let stream = strict
            .download_archive("p")
            .await
            .expect("a download")
            .into_inner();
        let mut stream = stream.into_inner();
        let mut got = Vec::new();
        while let Some(chunk) = std::future::poll_fn(|cx| stream.as_mut().poll_next(cx)).await {
            got.extend_from_slice(&chunk.expect("a chunk"));
        }
        assert_eq!(got, archive, "read as it arrives, whole, past the client's limit");
    }
}
