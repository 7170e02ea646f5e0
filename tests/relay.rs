//! OpenAPI 3.2 through a generated client: `tests/spec-only/specs/relay/`
//! (generated into `tests/spec-only/crates/relay/`, checked by
//! `spec_only.rs`) against a local server. A QUERY request and a PURGE one
//! with their method and body exact, a whole query string with its bytes
//! exact, JSON Lines, a JSON text sequence and multipart/mixed items split
//! at awkward chunk boundaries over a socket, and server-sent events whose
//! `data` is typed by `contentSchema`. Then the 3.2 document against its
//! 3.1.1 twin (`tests/fixtures/relay-3.1.yaml`): what they share generates
//! the same client.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use relay_client::{Client, types};
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use wiremock::matchers::{body_json, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};
use workspace_tests::root;

use super::{documented_responses, only_request};

fn client(base: &str) -> Client {
    Client::builder()
        .base_url(&format!("{base}/v1"))
        .token("relay-hunter2")
        .build()
        .expect("client")
}

fn documents() -> serde_json::Value {
    serde_json::json!([{"id": "d1", "title": "Q3 plan", "tags": ["plan"]}])
}

// The code a user of the client writes: required inputs positional, the
// rest set on the request value; a stream read with its own `next`.
async fn readme_example(client: &Client) -> Result<Vec<String>, relay_client::Error> {
    // readme:start
    // relay's `QUERY /documents` (a body, safe and idempotent: retried as GET is).
    let query = types::DocumentQuery::new("q3").limit(5);
    let found = client.query_documents(&query).await?;
    let mut titles: Vec<String> = found.iter().map(|d| d.title.clone()).collect();
    // relay's `GET /export`: `application/jsonl` with an `itemSchema`, one `Document` per line.
    let mut export = client.export_documents().await?.into_inner();
    while let Some(document) = export.next().await {
        titles.push(document?.title); // a broken connection, an item over the limit, bad JSON
    }
    // readme:end
    Ok(titles)
}

#[tokio::test]
async fn a_query_request_is_sent_as_query_with_its_body_and_decoded() {
    let server = MockServer::start().await;
    Mock::given(method("QUERY"))
        .and(path("/v1/documents"))
        .and(header("authorization", "Bearer relay-hunter2"))
        .and(header("content-type", "application/json"))
        .and(body_json(serde_json::json!({"text": "q3", "limit": 5})))
        .respond_with(ResponseTemplate::new(200).set_body_json(documents()))
        .mount(&server)
        .await;
    let found = client(&server.uri())
        .query_documents(&types::DocumentQuery::new("q3").limit(5))
        .await
        .expect("documents");
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].title, "Q3 plan");
    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "QUERY");
    assert_eq!(request.body, br#"{"limit":5,"text":"q3"}"#);
}

#[tokio::test]
async fn a_query_request_is_retried_as_the_idempotent_method_it_is() {
    let server = MockServer::start().await;
    Mock::given(method("QUERY"))
        .respond_with(ResponseTemplate::new(503).insert_header("retry-after", "0"))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("QUERY"))
        .respond_with(ResponseTemplate::new(200).set_body_json(documents()))
        .mount(&server)
        .await;
    let found = client(&server.uri())
        .query_documents(&types::DocumentQuery::new("q3"))
        .await
        .expect("the second attempt");
    assert_eq!(found.len(), 1);
    let received = server.received_requests().await.expect("recording on");
    assert_eq!(received.len(), 2);
    assert!(received.iter().all(|r| r.method.as_str() == "QUERY"));
}

#[tokio::test]
async fn an_additional_operation_is_sent_with_its_own_method() {
    let server = MockServer::start().await;
    Mock::given(method("PURGE"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let purged = client(&server.uri())
        .purge_document("a/b c")
        .await
        .expect("purged");
    assert_eq!(purged.status().as_u16(), 204);
    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "PURGE");
    // The path value is one segment, whatever it holds.
    assert_eq!(request.url.path(), "/v1/documents/a%2Fb%20c");
    assert!(request.body.is_empty());
}

#[tokio::test]
async fn a_form_query_string_is_sent_whole_with_its_bytes_exact() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/search"))
        .respond_with(ResponseTemplate::new(200).set_body_json(documents()))
        .mount(&server)
        .await;
    let filter = types::SearchFilter::new("a&admin=1 #x").tag(vec!["p q".to_string(), "r".to_string()]);
    client(&server.uri())
        .search_documents(&filter)
        .await
        .expect("documents");
    let request = only_request(&server).await;
    // Every value is one form-encoded value: none adds a parameter.
    assert_eq!(request.url.query(), Some("q=a%26admin%3D1+%23x&tag=p+q&tag=r"));
}

#[tokio::test]
async fn a_text_query_string_is_percent_encoded_whole_and_optional() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/select"))
        .respond_with(ResponseTemplate::new(200).set_body_json(documents()))
        .mount(&server)
        .await;
    let c = client(&server.uri());
    c.select_documents()
        .selector("$.docs[?(@.tag=='a&b')]")
        .await
        .expect("documents");
    c.select_documents().await.expect("documents");
    let received = server.received_requests().await.expect("recording on");
    assert_eq!(
        received[0].url.query(),
        Some("%24.docs%5B%3F%28%40.tag%3D%3D%27a%26b%27%29%5D")
    );
    assert_eq!(received[1].url.query(), None);
}

#[tokio::test]
async fn a_multipart_mixed_body_sends_its_parts_in_order_with_their_types() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/documents/batch"))
        .respond_with(ResponseTemplate::new(202))
        .mount(&server)
        .await;
    let scans = vec![vec![0x89, b'P', b'N', b'G'], b"--not a boundary\r\n".to_vec()];
    client(&server.uri())
        .upload_batch(&types::BatchMeta::new(2), &scans)
        .await
        .expect("accepted");
    let request = only_request(&server).await;
    let content_type = request.headers["content-type"].to_str().expect("text");
    let boundary = content_type
        .strip_prefix("multipart/mixed; boundary=")
        .unwrap_or_else(|| panic!("{content_type}"));
    let mut expected = format!(
        "--{boundary}\r\nContent-Type: application/json\r\n\r\n{{\"count\":2}}\r\n--{boundary}\r\nContent-Type: image/png\r\n\r\n"
    )
    .into_bytes();
    expected.extend_from_slice(&scans[0]);
    expected.extend_from_slice(format!("\r\n--{boundary}\r\nContent-Type: image/png\r\n\r\n").as_bytes());
    expected.extend_from_slice(&scans[1]);
    expected.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    assert_eq!(
        String::from_utf8_lossy(&request.body),
        String::from_utf8_lossy(&expected)
    );
}

#[tokio::test]
async fn a_json_lines_body_sends_one_item_a_line() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/documents/import"))
        .and(header("content-type", "application/jsonl"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let documents: Vec<types::Document> = serde_json::from_value(serde_json::json!([
        {"id": "1", "title": "one\ntwo"},
        {"id": "2", "title": "d\u{e9}j\u{e0}", "tags": ["x"]}
    ]))
    .expect("documents");
    client(&server.uri())
        .import_documents(&documents)
        .await
        .expect("imported");
    let request = only_request(&server).await;
    assert_eq!(
        String::from_utf8_lossy(&request.body),
        "{\"id\":\"1\",\"title\":\"one\\ntwo\"}\n{\"id\":\"2\",\"tags\":[\"x\"],\"title\":\"d\u{e9}j\u{e0}\"}\n"
    );
}

/// A server that answers one request with `content_type` and `chunks`,
/// each written and flushed on its own after a pause, over a connection
/// it then closes. Returns the base URL and the request's head.
async fn chunked_server(content_type: &'static str, chunks: Vec<Vec<u8>>) -> (String, Arc<Mutex<String>>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("address"));
    let head = Arc::new(Mutex::new(String::new()));
    let kept = head.clone();
    tokio::spawn(async move {
        let Ok((mut socket, _)) = listener.accept().await else {
            return;
        };
        let mut request = vec![0u8; 8192];
        let n = socket.read(&mut request).await.unwrap_or(0);
        *kept.lock().unwrap() = String::from_utf8_lossy(&request[..n]).into_owned();
        let head =
            format!("HTTP/1.1 200 OK\r\ncontent-type: {content_type}\r\ntransfer-encoding: chunked\r\n\r\n");
        let _ = socket.write_all(head.as_bytes()).await;
        for chunk in chunks {
            let mut framed = format!("{:x}\r\n", chunk.len()).into_bytes();
            framed.extend_from_slice(&chunk);
            framed.extend_from_slice(b"\r\n");
            let _ = socket.write_all(&framed).await;
            let _ = socket.flush().await;
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        let _ = socket.write_all(b"0\r\n\r\n").await;
        let _ = socket.shutdown().await;
    });
    (url, head)
}

/// `bytes` cut at each of `at`.
fn cut(bytes: &[u8], at: &[usize]) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    let mut from = 0;
    for &to in at {
        out.push(bytes[from..to].to_vec());
        from = to;
    }
    out.push(bytes[from..].to_vec());
    out
}

fn titles(items: Vec<Result<types::Document, relay_client::Error>>) -> Vec<String> {
    items.into_iter().map(|d| d.expect("a document").title).collect()
}

/// Three documents; the second title has a multi-byte character.
const LINES: &str = "{\"id\":\"1\",\"title\":\"one\"}\r\n{\"id\":\"2\",\"title\":\"d\u{e9}j\u{e0}\"}\n\n{\"id\":\"3\",\"title\":\"three\"}\n";

#[tokio::test]
async fn json_lines_arrive_typed_whatever_the_chunking() {
    let bytes = LINES.as_bytes();
    let e_acute = LINES.find('\u{e9}').expect("é");
    // Inside an item, between `\r` and `\n`, inside `é`, one byte at a time.
    let crlf = LINES.find("\r\n").expect("crlf");
    for at in [
        vec![5],
        vec![crlf + 1],
        vec![e_acute + 1],
        (1..bytes.len()).collect(),
    ] {
        let (url, head) = chunked_server("application/jsonl", cut(bytes, &at)).await;
        let mut stream = client(&url)
            .export_documents()
            .await
            .expect("a stream")
            .into_inner();
        let mut items = Vec::new();
        while let Some(item) = stream.next().await {
            items.push(item);
        }
        assert_eq!(titles(items), ["one", "d\u{e9}j\u{e0}", "three"], "cut at {at:?}");
        let head = head.lock().unwrap().to_ascii_lowercase();
        assert!(head.starts_with("get /v1/export http/1.1"), "{head}");
        assert!(head.contains("\r\naccept: application/jsonl\r\n"), "{head}");
    }
}

#[tokio::test]
async fn a_json_text_sequence_and_multipart_parts_arrive_typed() {
    let mut seq = Vec::new();
    for item in LINES.lines().filter(|l| !l.trim().is_empty()) {
        seq.push(0x1E);
        seq.extend_from_slice(item.trim().as_bytes());
        seq.push(b'\n');
    }
    let (url, _) = chunked_server("application/json-seq", cut(&seq, &[1, 2, 30])).await;
    let mut stream = client(&url)
        .export_sequence()
        .await
        .expect("a stream")
        .into_inner();
    let mut items = Vec::new();
    while let Some(item) = stream.next().await {
        items.push(item);
    }
    assert_eq!(titles(items), ["one", "d\u{e9}j\u{e0}", "three"]);

    let mut parts = b"preamble\r\n".to_vec();
    for item in LINES.lines().filter(|l| !l.trim().is_empty()) {
        parts.extend_from_slice(b"--sep42\r\ncontent-type: application/json\r\n\r\n");
        parts.extend_from_slice(item.trim().as_bytes());
        parts.extend_from_slice(b"\r\n");
    }
    parts.extend_from_slice(b"--sep42--\r\n");
    // A boundary cut in two.
    let (url, _) = chunked_server("multipart/mixed; boundary=sep42", cut(&parts, &[13, 40])).await;
    let mut stream = client(&url).get_bundle().await.expect("a stream").into_inner();
    let mut items = Vec::new();
    while let Some(item) = stream.next().await {
        items.push(item);
    }
    assert_eq!(titles(items), ["one", "d\u{e9}j\u{e0}", "three"]);
}

#[tokio::test]
async fn an_event_stream_data_is_typed_by_its_content_schema() {
    let body = "id: 7\nevent: change\ndata: {\"id\":\"d1\",\"kind\":\"updated\"}\n\ndata: {\"id\":\"d2\",\"kind\":\"deleted\"}\n\n";
    let (url, head) = chunked_server("text/event-stream", cut(body.as_bytes(), &[12, 40])).await;
    let mut events = client(&url).watch_changes().await.expect("a stream").into_inner();
    let mut got = Vec::new();
    while let Some(event) = futures_util::StreamExt::next(&mut events).await {
        let event = event.expect("an event");
        got.push((event.id, event.event, event.data.id, event.data.kind));
    }
    assert_eq!(
        got,
        [
            (
                Some("7".into()),
                Some("change".into()),
                "d1".into(),
                types::ChangeKind::Updated
            ),
            (Some("7".into()), None, "d2".into(), types::ChangeKind::Deleted),
        ]
    );
    let head = head.lock().unwrap().to_ascii_lowercase();
    assert!(head.starts_with("get /v1/changes http/1.1"), "{head}");
    assert!(head.contains("\r\naccept: text/event-stream\r\n"), "{head}");
}

#[tokio::test]
async fn a_media_type_reference_and_a_discriminated_union_decode() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/documents/d1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({"id": "d1", "title": "t"})))
        .mount(&server)
        .await;
    let shapes = [
        // No `kind`: the default mapping's `Circle`.
        ("s1", serde_json::json!({"radius": 2.0})),
        // `square` is a `Square`, although a `Circle` would fit it too.
        (
            "s2",
            serde_json::json!({"kind": "square", "side": 3.0, "radius": 1.0}),
        ),
        // An unlisted `kind`: the default.
        (
            "s3",
            serde_json::json!({"kind": "hexagon", "side": 1.0, "radius": 4.0}),
        ),
        // `square` without a side: not a `Square`; the variant that fits.
        ("s4", serde_json::json!({"kind": "square", "radius": 5.0})),
    ];
    for (id, body) in &shapes {
        Mock::given(method("GET"))
            .and(path(format!("/v1/shapes/{id}")))
            .respond_with(ResponseTemplate::new(200).set_body_json(body))
            .mount(&server)
            .await;
    }
    let c = client(&server.uri());
    assert_eq!(c.get_document("d1").await.expect("a document").title, "t");
    let mut got = Vec::new();
    for (id, _) in &shapes {
        got.push(match c.get_shape(id).await.expect("a shape").into_inner() {
            types::Shape::Circle(c) => format!("circle {}", c.radius),
            types::Shape::Square(s) => format!("square {}", s.side),
            other => format!("{other:?}"),
        });
    }
    assert_eq!(got, ["circle 2", "square 3", "circle 4", "circle 5"]);
}

#[tokio::test]
async fn the_readme_example_runs() {
    let server = MockServer::start().await;
    Mock::given(method("QUERY"))
        .respond_with(ResponseTemplate::new(200).set_body_json(documents()))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1/export"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(LINES.as_bytes().to_vec(), "application/jsonl"))
        .mount(&server)
        .await;
    let titles = readme_example(&client(&server.uri())).await.expect("titles");
    assert_eq!(titles, ["Q3 plan", "one", "d\u{e9}j\u{e0}", "three"]);
}

#[test]
fn the_readme_shows_this_files_example() {
    documented_responses::readme_shows("tests/relay.rs");
}

/// A surface line without the hash of its docs (`docs 637cf2bfe0a6fb18`):
/// the 3.2 document documents more (tag groups, a default mapping).
fn without_docs_hash(line: &str) -> String {
    match line.find("docs ") {
        Some(at) if line.len() >= at + 21 => format!("{}docs{}", &line[..at], &line[at + 21..]),
        _ => line.to_string(),
    }
}

/// The blocks of a surface listing (functions whole, types by their
/// fields and variants), without the docs' hashes.
fn surface_blocks(surface: &str) -> std::collections::BTreeMap<String, String> {
    let mut blocks = std::collections::BTreeMap::new();
    for block in surface.split("\n\n").filter(|b| {
        b.starts_with("fn ") || b.starts_with("type ") || b.starts_with("struct ") || b.starts_with("enum ")
    }) {
        let block: String = block
            .lines()
            .map(without_docs_hash)
            .collect::<Vec<_>>()
            .join("\n");
        // Keyed by kind and name: a type's flags (`request`, `response`)
        // say which operations use it, and 3.2 has more of those.
        let mut first = block.lines().next().unwrap_or_default().split("  [");
        let key = first.next().unwrap_or_default().to_string();
        let body = block.lines().skip(1).collect::<Vec<_>>().join("\n");
        let body = if key.starts_with("fn ") {
            block.clone()
        } else {
            body
        };
        blocks.insert(key, body);
    }
    blocks
}

#[test]
fn the_3_2_document_and_its_3_1_twin_generate_the_same_client_apart_from_3_2_features() {
    let surface = |file: &std::path::Path| {
        let tmp = tempfile::tempdir().expect("temp dir");
        let specs = tmp.path().join("specs");
        std::fs::create_dir_all(specs.join("relay")).expect("api folder");
        std::fs::copy(file, specs.join("relay/openapi.yaml")).expect("copy the spec");
        let plan = codegen::plan(&codegen::Options {
            specs,
            out: tmp.path().join("crates"),
            strict: false,
        })
        .unwrap_or_else(|e| panic!("{e}"));
        let file = plan
            .files
            .iter()
            .find(|f| f.path.ends_with("relay/surface.txt"))
            .expect("a surface listing");
        surface_blocks(&file.contents)
    };
    let v32 = surface(&root().join("tests/spec-only/specs/relay/openapi.yaml"));
    let v31 = surface(&root().join("tests/fixtures/relay-3.1.yaml"));
    for (key, block) in &v31 {
        assert_eq!(v32.get(key), Some(block), "3.2 differs from 3.1 in `{key}`");
    }
    let only_32: Vec<&str> = v32
        .keys()
        .filter(|k| !v31.contains_key(*k))
        .map(String::as_str)
        .filter(|k| k.starts_with("fn Client::"))
        .collect();
    assert_eq!(
        only_32,
        [
            "fn Client::export_documents",
            "fn Client::export_sequence",
            "fn Client::get_bundle",
            "fn Client::import_documents",
            "fn Client::purge_document",
            "fn Client::query_documents",
            "fn Client::search_documents",
            "fn Client::select_documents",
            "fn Client::upload_batch",
        ]
    );
}
