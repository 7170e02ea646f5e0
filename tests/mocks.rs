//! The generated mocks (each client's `mock` feature), as a downstream test
//! uses them: a typed expectation per operation, matched on the inputs the
//! client really sends (path, query, a header, the body), answered by a
//! documented response built from the generated types, strict about
//! everything else. Each test also reads what arrived on the wire.

use std::time::Duration;

use acme_client::mock::{
    Answer, GetExportThen, GetFileThen, ListCommitsThen, ListIssuesThen, ListMembersThen, MockServer as Acme,
    WatchActivityThen,
};
use acme_client::types as acme;
use futures_util::StreamExt;
use relay_client::mock::{
    ExportSequenceThen, GetDocumentThen, MockServer as Relay, QueryDocumentsThen, WatchChangesThen,
};
use relay_client::types;

fn doc(id: &str, title: &str) -> types::Document {
    types::Document::new(id, title)
}

#[tokio::test]
async fn a_path_value_selects_its_expectation_and_the_typed_answer_decodes() {
    let server = Relay::start().await;
    server
        .on()
        .get_document()
        .id("d/1")
        .times(1)
        .respond(GetDocumentThen::ok(doc("d/1", "One")));
    server
        .on()
        .get_document()
        .id("d2")
        .respond(GetDocumentThen::ok(doc("d2", "Two").tags(vec!["x".to_string()])));
    let client = server.client();

    let one = client.get_document("d/1").await.unwrap();
    let two = client.get_document("d2").await.unwrap();
    assert_eq!((one.title.as_str(), two.title.as_str()), ("One", "Two"));
    assert_eq!(two.tags, ["x"]);

    let sent = server.received().await;
    let paths: Vec<&str> = sent.iter().map(|r| r.url.path()).collect();
    assert_eq!(paths, ["/v1/documents/d%2F1", "/v1/documents/d2"]);
    assert_eq!(sent[0].method.as_str(), "GET");
    // The operation's scheme (`token`, bearer), through the real layer.
    assert_eq!(sent[0].headers["authorization"], "Bearer mock-token");
}

#[tokio::test]
async fn a_query_method_and_its_body_match_as_typed_values() {
    let server = Relay::start().await;
    let query = types::DocumentQuery::new("rust").limit(2);
    server
        .on()
        .query_documents()
        .body(&query)
        .times(1)
        .respond(QueryDocumentsThen::ok(vec![doc("a", "A"), doc("b", "B")]));
    let found = server.client().query_documents(&query).await.unwrap();
    assert_eq!(
        found.iter().map(|d| d.id.as_str()).collect::<Vec<_>>(),
        ["a", "b"]
    );

    let sent = &server.received().await[0];
    assert_eq!(sent.method.as_str(), "QUERY");
    assert_eq!(sent.body, br#"{"limit":2,"text":"rust"}"#);
}

#[tokio::test]
async fn query_parameters_match_as_the_client_writes_them() {
    let server = Acme::start().await;
    server
        .on()
        .list_commits()
        .project_id("p 1")
        .limit(5)
        .offset(10)
        .times(1)
        .respond(ListCommitsThen::ok(vec!["c1".into()]));
    let commits = server
        .client()
        .list_commits("p 1")
        .limit(5)
        .offset(10)
        .await
        .unwrap();
    assert_eq!(*commits, ["c1"]);
    let sent = &server.received().await[0];
    assert_eq!(sent.url.path(), "/api/v4/projects/p%201/commits");
    assert_eq!(sent.url.query(), Some("limit=5&offset=10"));
    assert_eq!(sent.headers["private-token"], "mock-token");
}

#[tokio::test]
async fn a_header_parameter_and_a_deep_object_match_through_the_layers_serializers() {
    let server = Acme::start().await;
    let filter = acme::ListIssuesFilter::new().status(acme::ListIssuesFilterStatus::Open);
    server
        .on()
        .list_issues()
        .x_trace("trace-7")
        .filter(&filter)
        .times(1)
        .respond(ListIssuesThen::ok(vec![acme::Issue::new(1, "first")]));
    let issues = server
        .client()
        .list_issues("p")
        .x_trace("trace-7")
        .filter(&filter)
        .await
        .unwrap();
    assert_eq!(issues[0].title, "first");
    let sent = &server.received().await[0];
    assert_eq!(sent.headers["x-trace"], "trace-7");
    assert_eq!(sent.url.query(), Some("filter%5Bstatus%5D=open"));
}

#[tokio::test]
#[should_panic(expected = "Nearest operation: `get_document` (GET /documents/{id})")]
async fn a_request_no_expectation_matches_fails_naming_the_nearest_operation_and_the_difference() {
    let server = Relay::start().await;
    server
        .on()
        .get_document()
        .id("d1")
        .respond(GetDocumentThen::ok(doc("d1", "One")));
    let client = server.client();
    client.get_document("d1").await.unwrap();

    let err = client.get_document("d2").await.unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(599));
    let failures = server.failures();
    assert_eq!(failures.len(), 1, "{failures:?}");
    assert!(
        failures[0].contains(r#"path `id`: expected "d1", got "d2""#),
        "{}",
        failures[0]
    );
    // Dropping the server fails the test with the same report.
}

#[tokio::test]
#[should_panic(expected = "expected 1 request(s), got 0")]
async fn an_expectation_never_met_fails_when_the_server_is_dropped() {
    let server = Relay::start().await;
    server
        .on()
        .get_document()
        .id("d1")
        .times(1)
        .respond(GetDocumentThen::ok(doc("d1", "One")));
}

#[test]
#[should_panic(expected = "cannot answer 503: the spec documents 200, 4XX")]
fn an_undocumented_status_is_refused_when_the_answer_is_built() {
    let _ = GetDocumentThen::json(503, serde_json::json!({"title": "Unavailable"}));
}

#[test]
#[should_panic(expected = "cannot answer 200 with this body")]
fn a_body_that_breaks_the_schema_is_refused_when_the_answer_is_built() {
    // `title` is required, and `id` a string.
    let _ = GetDocumentThen::json(200, serde_json::json!({"id": 7}));
}

#[test]
#[should_panic(expected = "cannot send the header `Retry-After` with 200")]
fn a_header_the_status_does_not_document_is_refused() {
    let _ = GetExportThen::ok(acme::Export::new("https://x.test/e.zip")).header("Retry-After", 1);
}

#[tokio::test]
async fn documented_errors_and_headers_reach_the_caller_typed() {
    let server = Acme::start().await;
    server
        .on()
        .get_file()
        .file_path("a.txt")
        .respond(GetFileThen::not_found(
            acme::Error::new().with_message("no such file"),
        ));
    server.on().get_export().times(1).respond(
        GetExportThen::accepted()
            .header("Location", "/jobs/9")
            .header("Retry-After", 2),
    );
    let client = server.client();

    let err = client.get_file("p", "a.txt").await.unwrap_err();
    match acme_client::errors::GetFile::of(&err) {
        Some(acme_client::errors::GetFile::NotFound(body)) => {
            assert_eq!(body.message.as_deref(), Some("no such file"))
        }
        other => panic!("{other:?}"),
    }
    let pending = client.get_export("p").await.unwrap();
    assert_eq!(pending.headers().location().unwrap(), Some("/jobs/9"));
}

#[tokio::test]
async fn a_bad_vendor_answer_is_possible_only_through_raw() {
    let server = Relay::start().await;
    server
        .on()
        .get_document()
        .respond(GetDocumentThen::raw(Answer::bytes(
            200,
            "application/json",
            r#"{"id": 7}"#,
        )));
    let err = server.client().get_document("d1").await.unwrap_err();
    assert!(matches!(err, relay_client::Error::Decode { .. }), "{err:?}");
}

#[tokio::test]
async fn a_network_failure_is_retried_by_the_real_layer() {
    let server = Relay::start().await;
    let failing = server
        .on()
        .get_document()
        .times(1)
        .respond(GetDocumentThen::network_failure());
    let answering = server
        .on()
        .get_document()
        .times(1)
        .respond(GetDocumentThen::ok(doc("d1", "One")));
    let got = server.client().get_document("d1").await.unwrap();
    assert_eq!(got.id, "d1");
    assert_eq!((failing.hits(), answering.hits()), (1, 1));
}

#[tokio::test]
async fn a_delay_meets_the_clients_timeout() {
    let server = Relay::start().await;
    server
        .on()
        .get_document()
        .respond(GetDocumentThen::ok(doc("d1", "One")).delay(Duration::from_millis(300)));
    let client = server
        .client_builder()
        .timeout(Duration::from_millis(50))
        .retry_off()
        .build()
        .unwrap();
    let err = client.get_document("d1").await.unwrap_err();
    assert!(matches!(err, relay_client::Error::Timeout(_)), "{err:?}");
}

#[tokio::test]
async fn an_event_stream_and_an_item_stream_are_answered_typed() {
    let server = Relay::start().await;
    let change = |id: &str| types::Change::new(id, types::ChangeKind::Created);
    server
        .on()
        .watch_changes()
        .respond(WatchChangesThen::ok(vec![change("c1"), change("c2")]));
    server
        .on()
        .export_sequence()
        .respond(ExportSequenceThen::ok(vec![doc("a", "A"), doc("b", "B")]));
    let client = server.client();

    let events: Vec<_> = client.watch_changes().await.unwrap().into_inner().collect().await;
    let ids: Vec<String> = events.into_iter().map(|e| e.unwrap().data.id).collect();
    assert_eq!(ids, ["c1", "c2"]);
    let mut items = client.export_sequence().await.unwrap().into_inner();
    let mut titles = Vec::new();
    while let Some(item) = items.next().await {
        titles.push(item.unwrap().title);
    }
    assert_eq!(titles, ["A", "B"]);
}

#[tokio::test]
async fn a_text_event_stream_is_answered_as_text() {
    let server = Acme::start().await;
    server
        .on()
        .watch_activity()
        .respond(WatchActivityThen::ok(vec![]));
    server
        .on()
        .tail_log()
        .respond(acme_client::mock::TailLogThen::ok(vec![
            "line one".into(),
            "line two".into(),
        ]));
    let client = server.client();
    let lines: Vec<String> = client
        .tail_log("p")
        .await
        .unwrap()
        .into_inner()
        .map(|e| e.unwrap().data)
        .collect()
        .await;
    assert_eq!(lines, ["line one", "line two"]);
    assert!(
        client
            .watch_activity("p")
            .await
            .unwrap()
            .into_inner()
            .next()
            .await
            .is_none()
    );
}

#[tokio::test]
async fn a_paginated_operation_follows_the_cursors_the_mock_answers() {
    let server = Acme::start().await;
    let page = |names: &[&str], next: &str| {
        let members = names.iter().map(|n| acme::Member::new(*n)).collect::<Vec<_>>();
        let meta = acme::ListMembersResponseResponseMetadata::new().with_next_cursor(next);
        ListMembersThen::ok(acme::ListMembersResponse::new(members).with_response_metadata(meta))
    };
    server
        .on()
        .list_members()
        .times(1)
        .respond(page(&["ada", "bob"], "c2"));
    server
        .on()
        .list_members()
        .cursor("c2")
        .times(1)
        .respond(page(&["cy"], ""));
    let members = server
        .client()
        .list_members("p")
        .into_stream()
        .collect_all()
        .await
        .unwrap();
    let names: Vec<String> = members.into_iter().map(|m| m.name).collect();
    assert_eq!(names, ["ada", "bob", "cy"]);
    let queries: Vec<Option<String>> = server
        .received()
        .await
        .iter()
        .map(|r| r.url.query().map(str::to_string))
        .collect();
    assert_eq!(queries, [None, Some("cursor=c2".to_string())]);
}

#[tokio::test]
async fn a_request_without_its_credentials_is_a_miss_that_says_so() {
    let server = Relay::start().await;
    server
        .on()
        .get_document()
        .respond(GetDocumentThen::ok(doc("d1", "One")));
    let anonymous = relay_client::Client::builder()
        .base_url(&server.base_url())
        .build()
        .unwrap();
    let err = anonymous.get_document("d1").await.unwrap_err();
    let said = server.take_failures().join("\n");
    assert!(
        said.contains("credentials: the operation needs token"),
        "{err:?}\n{said}"
    );
    assert!(!said.contains("mock-token"), "{said}");
    // Taken: only the expectation is left to meet, by a client with them.
    server.client().get_document("d1").await.unwrap();
}

#[tokio::test]
async fn a_status_range_takes_its_status_and_decodes_as_the_documented_error() {
    let server = Relay::start().await;
    server
        .on()
        .get_document()
        .id("gone")
        .respond(GetDocumentThen::client_error(
            410,
            types::Problem::new("Gone").with_status(410),
        ));
    let err = server.client().get_document("gone").await.unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(410));
    match relay_client::errors::GetDocument::of(&err) {
        Some(relay_client::errors::GetDocument::ClientError(problem)) => assert_eq!(problem.title, "Gone"),
        other => panic!("{other:?}"),
    }
}

#[test]
#[should_panic(expected = "cannot answer 503: the spec documents 200, 4XX")]
fn a_status_outside_its_range_is_refused() {
    let _ = GetDocumentThen::client_error(503, types::Problem::new("Down"));
}
