//! A hand-made stand-in for a generated client, so the runtime's retries,
//! token providers and spans are tested on the wire without a generated
//! crate: a static [`API`] with a GET, a PUT and a POST, and [`call`], which
//! does what a generated method and progenitor's raw method do together
//! (build the request, the URL check, `exec`, the error mapping).

#![allow(dead_code)]

pub mod tls;

use progenitor_client::ResponseValue;
use reqwest::header::HeaderMap;
use serde_json::Value;
use usergroup_client_core::{Api, Builder, Call, Connection, Error, Operation, Response, Scheme, SchemeKind};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

/// The operations' indexes in [`API`].
pub const GET: usize = 0;
pub const PUT: usize = 1;
pub const POST: usize = 2;

/// A bearer token, or a bearer token and a query key together.
pub static API: Api = Api {
    title: "Test API",
    default_base_url: None,
    no_default_reason: "the tests give one",
    schemes: &[
        Scheme {
            key: "bearer",
            kind: SchemeKind::Bearer,
        },
        Scheme {
            key: "key",
            kind: SchemeKind::Query("key"),
        },
    ],
    operations: &[
        Operation {
            id: "get_thing",
            method: "GET",
            path: "/things/{id}",
            query: &[],
            deep_query: &[],
            content_type: None,
            security: &[&[0]],
        },
        Operation {
            id: "put_thing",
            method: "PUT",
            path: "/things/{id}",
            query: &["key"],
            deep_query: &[],
            content_type: None,
            security: &[&[0, 1], &[0]],
        },
        Operation {
            id: "post_thing",
            method: "POST",
            path: "/things",
            query: &[],
            deep_query: &[],
            content_type: None,
            security: &[&[0]],
        },
    ],
    headers: &[],
    user_agent: "client-core-tests/1",
    timeout_secs: 5,
};

/// A builder at the server's URL.
pub fn builder(server: &MockServer) -> Builder {
    builder_at(&server.uri())
}

/// A builder at a base URL.
pub fn builder_at(base: &str) -> Builder {
    let mut b = Builder::new(&API);
    b.base_url(base);
    b
}

/// Calls operation `op` (`id` for the path parameter of GET and PUT) with
/// an optional JSON body, as a generated method would.
pub async fn call(
    conn: &Connection,
    op: usize,
    body: Option<&Value>,
) -> Result<Response<Value, HeaderMap>, Error<Value>> {
    use progenitor_client::Error as P;
    let operation = &API.operations[op];
    let (path, params) = match operation.path.contains("{id}") {
        true => ("/things/t-1".to_string(), vec![("id", "t-1".to_string())]),
        false => (operation.path.to_string(), Vec::new()),
    };
    let call = Call::start(conn, op, params);
    let method: reqwest::Method = operation.method.parse().expect("a method");
    let attempt = || async {
        let mut request = conn
            .http()
            .request(method.clone(), format!("{}{path}", conn.base_url()));
        if let Some(body) = body {
            request = request.json(body);
        }
        let mut request = request
            .build()
            .map_err(|e| P::<Value>::InvalidRequest(e.to_string()))?;
        call.check(&mut request, operation.id).map_err(P::Custom)?;
        match call.send(conn.http(), request).await {
            Err(e) => Err(P::CommunicationError(e)),
            Ok(response) if response.status().is_success() => ResponseValue::from_response(response).await,
            Ok(response) => Err(P::<Value>::UnexpectedResponse(response)),
        }
    };
    call.run(attempt, decode, usergroup_client_core::undocumented)
        .await
}

fn decode(body: &[u8]) -> Option<Value> {
    usergroup_client_core::decode_json(body)
}

/// A server that answers as `first` says to the requests it matches, and
/// 200 `{"ok": true}` to every other.
pub async fn first_then_ok(first: Mock) -> MockServer {
    let server = MockServer::start().await;
    first.with_priority(1).mount(&server).await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({"ok": true})))
        .with_priority(2)
        .mount(&server)
        .await;
    server
}

/// Every request the server received.
pub async fn received(server: &MockServer) -> Vec<Request> {
    server.received_requests().await.expect("recording is on")
}

/// The values of one header of a request.
pub fn header(request: &Request, name: &str) -> Vec<String> {
    request
        .headers
        .get_all(name)
        .iter()
        .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
        .collect()
}
