//! Server-sent events through a generated client (issue 24, its typed
//! streams; issue 36, each event bounded): acme's `watch_activity`, whose
//! spec declares each event's `data` as an `Activity`, and `tail_log`,
//! which declares no payload (text), against a local server. The framing
//! itself (chunk boundaries anywhere, any chunking giving the same events)
//! is tested in `usergroup-client-core` (`sse.rs`).

use acme_client::{Client, Error, Event, types};
use futures_util::StreamExt;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::client;

async fn server(route: &str, body: &str) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(route))
        .respond_with(ResponseTemplate::new(200).set_body_raw(body.to_owned(), "text/event-stream"))
        .mount(&server)
        .await;
    server
}

const ACTIVITY: &str = "\
: connected\n\n\
event: push\nid: 41\ndata: {\"kind\": \"push\", \"by\": \"ada\"}\n\n\
retry: 3000\n\n\
event: issue\nid: 42\ndata: {\"kind\":\n\
data: \"issue\"}\n\n\
data: [DONE]\n\n\
data: {\"kind\": \"never read\"}\n\n";

/// What the README shows: a stream read to its end.
async fn readme_example(client: &Client) -> Result<Vec<String>, Error> {
    // readme:start
    // acme's `GET /projects/{projectId}/activity`: `text/event-stream`, each event's data an `Activity`.
    let mut seen = Vec::new();
    let mut events = client.watch_activity("platform").await?.into_inner();
    while let Some(event) = events.next().await {
        let event = event?; // a connection that broke, an event over the limit, bad data
        println!("{:?} #{:?}: {}", event.event, event.id, event.data.kind);
        seen.push(event.data.kind);
    }
    // readme:end
    Ok(seen)
}

#[test]
fn the_readme_shows_this_files_example() {
    super::documented_responses::readme_shows("tests/events.rs");
}

#[tokio::test]
async fn the_readme_example_runs() {
    let server = server("/api/v4/projects/platform/activity", ACTIVITY).await;
    assert_eq!(
        readme_example(&client(&server).await).await.unwrap(),
        ["push", "issue"]
    );
}

#[tokio::test]
async fn events_arrive_typed_with_their_fields_and_done_ends_the_stream() {
    let server = server("/api/v4/projects/p/activity", ACTIVITY).await;
    let response = client(&server).await.watch_activity("p").await.expect("200");
    assert_eq!(response.status(), 200);
    let events: Vec<Event<types::Activity>> = response
        .into_inner()
        .map(|e| e.expect("an event"))
        .collect()
        .await;
    let kinds: Vec<(&str, Option<&str>, Option<&str>)> = events
        .iter()
        .map(|e| (e.data.kind.as_str(), e.event.as_deref(), e.id.as_deref()))
        .collect();
    assert_eq!(
        kinds,
        [
            ("push", Some("push"), Some("41")),
            ("issue", Some("issue"), Some("42"))
        ]
    );
    assert_eq!(events[0].data.by.as_deref(), Some("ada"));
    let request = &server.received_requests().await.unwrap()[0];
    assert_eq!(request.headers["private-token"], "glpat-hunter2");
}

#[tokio::test]
async fn a_malformed_event_is_an_error_and_the_stream_goes_on() {
    let body = "data: {\"kind\": 7}\n\ndata: {\"kind\": \"push\"}\n\n";
    let server = server("/api/v4/projects/p/activity", body).await;
    let events: Vec<_> = client(&server)
        .await
        .watch_activity("p")
        .await
        .expect("200")
        .into_inner()
        .collect()
        .await;
    assert_eq!(events.len(), 2);
    match &events[0] {
        Err(Error::Decode { body, .. }) => assert_eq!(body, "{\"kind\": 7}", "the error shows the event"),
        other => panic!("expected a decode error, got {other:?}"),
    }
    assert_eq!(events[1].as_ref().expect("the next event").data.kind, "push");
}

#[tokio::test]
async fn an_event_over_the_calls_limit_ends_the_stream_with_the_typed_error() {
    let big = format!("data: {{\"kind\": \"{}\"}}\n\n", "x".repeat(40_000));
    let body = format!("data: {{\"kind\": \"small\"}}\n\n{big}data: {{\"kind\": \"after\"}}\n\n");
    let server = server("/api/v4/projects/p/activity", &body).await;
    let client = client(&server).await;
    // The whole stream is far over the limit: only an event counts.
    let events: Vec<_> = client
        .watch_activity("p")
        .max_response_body(16 * 1024)
        .await
        .expect("200")
        .into_inner()
        .collect()
        .await;
    assert_eq!(events.len(), 2, "{events:?}");
    assert_eq!(events[0].as_ref().unwrap().data.kind, "small");
    assert!(
        matches!(
            &events[1],
            Err(Error::BodyTooLarge {
                limit: 16_384,
                operation: "watch_activity",
                ..
            })
        ),
        "{:?}",
        events[1]
    );
    // With the client's default limit, all three arrive.
    let all: Vec<_> = client
        .watch_activity("p")
        .await
        .unwrap()
        .into_inner()
        .collect()
        .await;
    assert_eq!(all.len(), 3);
}

#[tokio::test]
async fn a_stream_without_a_payload_schema_gives_the_text() {
    let server = server(
        "/api/v4/projects/p/log",
        "data: compiling\n\ndata: done in 2s\n\n",
    )
    .await;
    let lines: Vec<String> = client(&server)
        .await
        .tail_log("p")
        .await
        .expect("200")
        .into_inner()
        .map(|e| e.expect("a line").data)
        .collect()
        .await;
    assert_eq!(lines, ["compiling", "done in 2s"]);
}

/// A server that writes HTTP/1.1 by hand, so that a stream can break off
/// mid-body: each connection is answered by the next of `answers` (its
/// chunks, and whether the body ends cleanly), and each request's head is
/// kept.
async fn breaking_server(
    answers: Vec<(Vec<&'static str>, bool)>,
) -> (String, std::sync::Arc<std::sync::Mutex<Vec<String>>>) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let url = format!("http://{}/api/v4", listener.local_addr().expect("address"));
    let heads = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let kept = heads.clone();
    tokio::spawn(async move {
        for (chunks, clean) in answers {
            let Ok((mut socket, _)) = listener.accept().await else {
                return;
            };
            let mut request = vec![0u8; 8192];
            let n = socket.read(&mut request).await.unwrap_or(0);
            kept.lock()
                .unwrap()
                .push(String::from_utf8_lossy(&request[..n]).into_owned());
            let head =
                "HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ntransfer-encoding: chunked\r\n\r\n";
            let _ = socket.write_all(head.as_bytes()).await;
            for chunk in chunks {
                let _ = socket
                    .write_all(format!("{:x}\r\n{chunk}\r\n", chunk.len()).as_bytes())
                    .await;
            }
            if clean {
                let _ = socket.write_all(b"0\r\n\r\n").await;
            }
            // Closing without the last chunk breaks the stream off.
            let _ = socket.shutdown().await;
        }
    });
    (url, heads)
}

fn at(url: &str) -> Client {
    // Waits so long that a test would time out if the server's `retry:`
    // were not what the reconnection waits.
    let slow = acme_client::RetryPolicy::default()
        .base_delay(std::time::Duration::from_secs(60))
        .max_delay(std::time::Duration::from_secs(60));
    Client::builder()
        .base_url(url)
        .private_token("glpat-hunter2")
        .retry(slow)
        .build()
        .expect("client")
}

/// Every item of a stream, within 10 s.
async fn all<S: futures_util::Stream + Unpin>(stream: S) -> Vec<S::Item> {
    tokio::time::timeout(std::time::Duration::from_secs(10), stream.collect())
        .await
        .expect("the reconnection waited the server's `retry:`, not the policy's minute")
}

#[tokio::test]
async fn a_stream_resumed_from_an_id_and_dropped_is_resumed_with_the_last_event_id() {
    let first = vec![
        "id: 41\nretry: 5\ndata: {\"kind\": \"push\"}\n\n",
        "id: 42\ndata: {\"kind\": \"iss",
    ];
    let second = vec![
        "data: {\"kind\": \"issue\"}\n\n",
        "id: 43\ndata: {\"kind\": \"merge\"}\n\n",
        "data: [DONE]\n\n",
    ];
    let (url, heads) = breaking_server(vec![(first, false), (second, true)]).await;
    let stream = at(&url)
        .watch_activity("p")
        .resume_from("40")
        .await
        .expect("200")
        .into_inner();
    let events: Vec<(Option<String>, String)> = all(stream.map(|e| {
        let e = e.expect("an event");
        (e.id, e.data.kind)
    }))
    .await;
    assert_eq!(
        events,
        [
            (Some("41".into()), "push".into()),
            // The half-sent event 42 is lost with the connection; the id
            // the server last completed is kept across the reconnection.
            (Some("41".into()), "issue".into()),
            (Some("43".into()), "merge".into())
        ]
    );
    let heads = heads.lock().unwrap().clone();
    assert_eq!(heads.len(), 2);
    assert!(
        heads[0].starts_with("GET /api/v4/projects/p/activity "),
        "{}",
        heads[0]
    );
    assert!(
        heads[0]
            .to_ascii_lowercase()
            .contains("\r\nlast-event-id: 40\r\n"),
        "resume_from asks for the events after 40: {}",
        heads[0]
    );
    let again = heads[1].to_ascii_lowercase();
    assert!(
        heads[1].starts_with("GET /api/v4/projects/p/activity "),
        "{}",
        heads[1]
    );
    assert!(again.contains("\r\nlast-event-id: 41\r\n"), "{again}");
    assert!(
        again.contains("\r\nprivate-token: glpat-hunter2\r\n"),
        "credentials are applied again"
    );
}

#[tokio::test]
async fn a_stream_that_keeps_breaking_ends_with_the_failure_after_the_policys_attempts() {
    // The policy makes 3 attempts: after an event (whose `retry:` sets the
    // wait), the connection and two reconnections break with no event in
    // between; then the stream ends with the failure.
    let first = (
        vec!["retry: 1\ndata: {\"kind\": \"push\"}\n\n", "data: {\"kind\": "],
        false,
    );
    let answer = || (vec!["data: {\"kind\": "], false);
    let (url, heads) = breaking_server(vec![first, answer(), answer(), answer(), answer()]).await;
    let got = all(at(&url).watch_activity("p").await.expect("200").into_inner()).await;
    assert_eq!(got.len(), 2, "{got:?}");
    assert_eq!(got[0].as_ref().expect("the first event").data.kind, "push");
    assert!(matches!(got[1], Err(Error::Network(_))), "{:?}", got[1]);
    assert_eq!(
        heads.lock().unwrap().len(),
        3,
        "the first request and two reconnections"
    );
}

/// What the README shows of an operation that answers JSON or events: the
/// same request, whole or streamed.
async fn readme_streamed_completion(client: &Client) -> Result<String, Error> {
    // readme:start
    // acme's `POST /projects/{projectId}/summaries` answers JSON, or events when `stream` is true.
    let request = types::SummarizeBody::new("What changed this week?");
    let whole = client.summarize("platform", &request).await?.into_inner().text;
    let mut written = String::new();
    let mut pieces = client
        .summarize("platform", &request)
        .stream()
        .await?
        .into_inner();
    while let Some(piece) = pieces.next().await {
        written.push_str(&piece?.data.delta); // `stream: true` was sent for us
    }
    assert_eq!(written, whole);
    // readme:end
    Ok(written)
}

/// A server for `summarize`: JSON, or (asked for events with `stream:
/// true`) the same text in pieces.
async fn summaries() -> MockServer {
    use wiremock::matchers::{body_partial_json, header};
    let server = MockServer::start().await;
    let route = "/api/v4/projects/platform/summaries";
    Mock::given(method("POST"))
        .and(path(route))
        .and(header("accept", "text/event-stream"))
        .and(body_partial_json(serde_json::json!({"stream": true, "prompt": "What changed this week?"})))
        .respond_with(ResponseTemplate::new(200).set_body_raw(
            "data: {\"delta\": \"Two releases\"}\n\n: thinking\n\ndata: {\"delta\": \", one fix.\"}\n\ndata: [DONE]\n\n",
            "text/event-stream",
        ))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(route))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(serde_json::json!({"text": "Two releases, one fix."})),
        )
        .mount(&server)
        .await;
    server
}

#[tokio::test]
async fn json_or_events_both_forms_are_reachable_and_the_stream_sets_the_flag() {
    let server = summaries().await;
    let client = client(&server).await;
    assert_eq!(
        readme_streamed_completion(&client).await.unwrap(),
        "Two releases, one fix."
    );
    let received = server.received_requests().await.unwrap();
    assert_eq!(received.len(), 2);
    let whole: serde_json::Value = serde_json::from_slice(&received[0].body).unwrap();
    assert_eq!(
        whole,
        serde_json::json!({"prompt": "What changed this week?", "stream": false}),
        "the JSON form sends the body as given (its flag's default)"
    );
    assert_ne!(
        received[0].headers.get("accept").map(|v| v.to_str().unwrap()),
        Some("text/event-stream")
    );
    let streamed: serde_json::Value = serde_json::from_slice(&received[1].body).unwrap();
    assert_eq!(
        streamed,
        serde_json::json!({"prompt": "What changed this week?", "stream": true})
    );
    assert_eq!(received[1].headers["content-type"], "application/json");
    assert_eq!(received[1].headers["private-token"], "glpat-hunter2");
}

#[tokio::test]
async fn the_stream_form_of_an_error_is_the_operations_error() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(404).set_body_json(serde_json::json!({"message": "no project"})))
        .mount(&server)
        .await;
    let request = types::SummarizeBody::new("?");
    match client(&server).await.summarize("gone", &request).stream().await {
        Err(Error::Api { status, body, .. }) => {
            assert_eq!(status.as_u16(), 404);
            assert!(body.contains("no project"), "{body}");
        }
        other => panic!("expected the 404, got {:?}", other.map(|r| r.status())),
    }
}
