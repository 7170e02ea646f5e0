//! Retries on the wire, against local servers with short waits: what is
//! retried and what is not, `Retry-After` (seconds and HTTP-date) and
//! `x-ratelimit-reset` honoured, a wait beyond the policy refused at once,
//! the body replayed and the credentials put on afresh, the caps on
//! attempts and time, and the attempt count in the final error.

mod support;

use std::time::{Duration, Instant, SystemTime};

use serde_json::json;
use support::{GET, POST, PUT, builder, builder_at, call, first_then_ok, header, received};
use usergroup_client_core::{Connection, Credential, Error, RetryPolicy};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

/// A server that answers `first` to the first `times` requests, then 200.
async fn failing_then_ok(first: ResponseTemplate, times: u64) -> MockServer {
    first_then_ok(Mock::given(any()).respond_with(first).up_to_n_times(times)).await
}

/// A server that always answers `response`.
async fn always(response: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any()).respond_with(response).mount(&server).await;
    server
}

/// A connection to `server` retrying as `policy` says.
fn retrying(server: &MockServer, policy: RetryPolicy) -> Connection {
    let mut b = builder(server);
    b.retry(policy);
    b.build().unwrap()
}

/// A policy with waits short enough for tests.
fn quick() -> RetryPolicy {
    RetryPolicy::default().base_delay(Duration::from_millis(10))
}

#[tokio::test]
async fn a_503_with_retry_after_1_then_200_succeeds_after_two_attempts_having_waited() {
    let server = failing_then_ok(ResponseTemplate::new(503).insert_header("retry-after", "1"), 1).await;
    let conn = builder(&server).build().unwrap();
    let started = Instant::now();
    let value = call(&conn, GET, None).await.expect("the second attempt succeeds");
    assert_eq!(value.into_inner(), json!({"ok": true}));
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(received(&server).await.len(), 2);
}

#[tokio::test]
async fn a_429_with_an_http_date_is_honoured() {
    // Three seconds ahead, cut to whole seconds by the format: a wait of
    // more than one second (even when the answer comes late), at most three.
    let date = httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(3));
    let server = failing_then_ok(
        ResponseTemplate::new(429).insert_header("retry-after", date.as_str()),
        1,
    )
    .await;
    let conn = builder(&server).build().unwrap();
    let started = Instant::now();
    call(&conn, PUT, Some(&json!({"a": 1})))
        .await
        .expect("the second attempt succeeds");
    let waited = started.elapsed();
    assert!(
        waited >= Duration::from_secs(1) && waited < Duration::from_secs(4),
        "{waited:?}"
    );
    assert_eq!(received(&server).await.len(), 2);
}

#[tokio::test]
async fn a_rate_limited_403_waits_for_x_ratelimit_reset() {
    let now = SystemTime::now().duration_since(SystemTime::UNIX_EPOCH).unwrap();
    // Whole seconds: a wait of more than one second, at most three.
    let reset = (now.as_secs() + 3).to_string();
    let limited = ResponseTemplate::new(403)
        .insert_header("x-ratelimit-remaining", "0")
        .insert_header("x-ratelimit-reset", reset.as_str());
    let server = failing_then_ok(limited, 1).await;
    let conn = builder(&server).build().unwrap();
    let started = Instant::now();
    call(&conn, GET, None).await.expect("the second attempt succeeds");
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(received(&server).await.len(), 2);
    // A 403 without a rate-limit signal is an answer, not a hiccup.
    let forbidden = always(ResponseTemplate::new(403)).await;
    let conn = builder(&forbidden).build().unwrap();
    let err = call(&conn, GET, None).await.unwrap_err();
    assert_eq!((err.attempts(), received(&forbidden).await.len()), (1, 1));
}

#[tokio::test]
async fn retry_after_3600_fails_at_once_with_an_error_saying_so() {
    let server = always(ResponseTemplate::new(503).insert_header("retry-after", "3600")).await;
    let conn = builder(&server).build().unwrap();
    let started = Instant::now();
    let err = call(&conn, GET, None).await.unwrap_err();
    assert!(
        started.elapsed() < Duration::from_secs(1),
        "it slept: {:?}",
        started.elapsed()
    );
    assert_eq!(received(&server).await.len(), 1);
    assert_eq!(err.status().map(|s| s.as_u16()), Some(503));
    assert_eq!(err.attempts(), 1);
    assert_eq!(
        err.to_string(),
        "HTTP 503 Service Unavailable (not retried: the server asked to wait 3600 s (Retry-After), \
         longer than the retry policy's longest wait of 30 s)"
    );
    // The same with the policy's time limit.
    let server = always(ResponseTemplate::new(503).insert_header("retry-after", "5")).await;
    let conn = retrying(
        &server,
        RetryPolicy::default().max_elapsed(Duration::from_secs(2)),
    );
    let err = call(&conn, GET, None).await.unwrap_err();
    assert_eq!(
        err.attempts_made().and_then(|a| a.stopped_because()),
        Some("waiting 5 s more would pass the retry policy's time limit of 2 s")
    );
}

#[tokio::test]
async fn a_post_is_not_retried_by_default_and_is_when_the_caller_opts_in() {
    let server = always(ResponseTemplate::new(503)).await;
    let conn = builder(&server).build().unwrap();
    let err = call(&conn, POST, Some(&json!({"name": "x"}))).await.unwrap_err();
    assert_eq!((err.attempts(), received(&server).await.len()), (1, 1));
    assert_eq!(err.to_string(), "HTTP 503 Service Unavailable");

    server.reset().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(503))
        .mount(&server)
        .await;
    let conn = retrying(&server, quick().non_idempotent(true));
    let err = call(&conn, POST, Some(&json!({"name": "x"}))).await.unwrap_err();
    assert_eq!((err.attempts(), received(&server).await.len()), (3, 3));
    assert_eq!(err.to_string(), "HTTP 503 Service Unavailable (after 3 attempts)");
}

#[tokio::test]
async fn attempts_are_capped_and_the_error_says_how_many() {
    let server = always(ResponseTemplate::new(502).set_body_json(json!({"message": "bad gateway"}))).await;
    let conn = retrying(&server, quick().max_attempts(4));
    let err = call(&conn, PUT, Some(&json!({}))).await.unwrap_err();
    assert_eq!(received(&server).await.len(), 4);
    assert_eq!(err.attempts(), 4);
    assert!(err.is_retryable());
    assert_eq!(
        err.to_string(),
        "HTTP 502 Bad Gateway: bad gateway (after 4 attempts)"
    );

    // Off: one attempt.
    server.reset().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(502))
        .mount(&server)
        .await;
    let conn = retrying(&server, RetryPolicy::off());
    let err = call(&conn, PUT, Some(&json!({}))).await.unwrap_err();
    assert_eq!((err.attempts(), received(&server).await.len()), (1, 1));
}

#[tokio::test]
async fn the_body_is_replayed_and_the_credentials_put_on_afresh() {
    let server = failing_then_ok(ResponseTemplate::new(504), 1).await;
    let conn = {
        let mut b = builder(&server);
        b.retry(quick());
        b.credential(0, Credential::Token("t-1".into()));
        b.credential(1, Credential::Token("k-1".into()));
        b.build().unwrap()
    };
    let body = json!({"name": "group", "members": [1, 2, 3]});
    call(&conn, PUT, Some(&body))
        .await
        .expect("the second attempt succeeds");
    let received = received(&server).await;
    assert_eq!(received.len(), 2);
    for request in &received {
        assert_eq!(
            serde_json::from_slice::<serde_json::Value>(&request.body).unwrap(),
            body
        );
        assert_eq!(request.method.as_str(), "PUT");
        assert_eq!(request.url.path(), "/things/t-1");
        // Once each, not once per attempt.
        assert_eq!(request.url.query(), Some("key=k-1"));
        assert_eq!(header(request, "authorization"), ["Bearer t-1"]);
    }
}

#[tokio::test]
async fn connection_failures_and_timeouts_are_retried() {
    let refused = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        format!("http://127.0.0.1:{port}")
    };
    let conn = {
        let mut b = builder_at(&refused);
        b.retry(quick());
        b.build().unwrap()
    };
    let err = call(&conn, GET, None).await.unwrap_err();
    assert!(matches!(err, Error::Network(_)), "{err:?}");
    assert_eq!(err.attempts(), 3);
    let shown = err.to_string();
    assert!(
        shown.starts_with("network error: ") && shown.ends_with(" (after 3 attempts)"),
        "{shown}"
    );
    assert!(!shown.contains(&refused), "{shown}");

    let slow = always(ResponseTemplate::new(200).set_delay(Duration::from_secs(2))).await;
    let conn = {
        let mut b = builder(&slow);
        b.retry(quick().max_attempts(2));
        b.timeout(Duration::from_millis(100));
        b.build().unwrap()
    };
    let err = call(&conn, GET, None).await.unwrap_err();
    assert!(err.is_timeout(), "{err:?}");
    assert_eq!(err.attempts(), 2);
    assert_eq!(err.to_string(), "the request timed out (after 2 attempts)");
    assert_eq!(received(&slow).await.len(), 2);
}

#[tokio::test]
async fn an_answer_that_is_not_retryable_is_not_retried() {
    for status in [400, 404, 409, 422, 500] {
        let server = always(ResponseTemplate::new(status)).await;
        let conn = builder(&server).build().unwrap();
        let err = call(&conn, PUT, Some(&json!({}))).await.unwrap_err();
        assert_eq!(received(&server).await.len(), 1, "{status}");
        assert_eq!(err.attempts(), 1, "{status}");
    }
}
