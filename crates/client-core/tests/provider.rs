//! Credentials that refresh, on the wire: a token provider is asked on the
//! first call, once after a 401 (and the call is sent again, a POST too),
//! and before a known expiry; ten concurrent calls that all get a 401 make
//! one refresh; a provider that fails is an error that says so.

mod support;

use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use serde_json::json;
use support::{GET, POST, builder, call, first_then_ok, header, received};
use usergroup_client_core::{Connection, Credential, Error, Token, TokenError, TokenProvider};
use wiremock::matchers::{any, header as with_header};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// Gives `token-1`, `token-2`, ... (each living `lifetime` when set), or
/// fails from call number `fail_from` on.
#[derive(Clone, Default)]
struct Numbered {
    calls: Arc<AtomicU32>,
    lifetime: Option<Duration>,
    fail_from: Option<u32>,
}

impl TokenProvider for Numbered {
    async fn token(&self) -> Result<Token, TokenError> {
        let n = self.calls.fetch_add(1, Ordering::SeqCst) + 1;
        if self.fail_from.is_some_and(|from| n >= from) {
            return Err(TokenError::new("the identity provider is down"));
        }
        // Long enough for concurrent callers to find the refresh under way.
        tokio::time::sleep(Duration::from_millis(20)).await;
        let token = Token::new(format!("token-{n}"));
        Ok(match self.lifetime {
            Some(lifetime) => token.expires_in(lifetime),
            None => token,
        })
    }
}

impl Numbered {
    fn calls(&self) -> u32 {
        self.calls.load(Ordering::SeqCst)
    }
}

/// A server refusing `token-1` (after `delay`) and accepting any other
/// token.
async fn refusing_the_first_token(delay: Duration) -> MockServer {
    let refusal = ResponseTemplate::new(401)
        .set_body_json(json!({"message": "session expired"}))
        .set_delay(delay);
    first_then_ok(Mock::given(with_header("authorization", "Bearer token-1")).respond_with(refusal)).await
}

fn connection(server: &MockServer, provider: &Numbered) -> Connection {
    let mut b = builder(server);
    b.credential(0, Credential::provider(provider.clone()));
    b.build().unwrap()
}

#[tokio::test]
async fn a_401_then_a_refresh_then_200() {
    let server = refusing_the_first_token(Duration::ZERO).await;
    let provider = Numbered::default();
    let conn = connection(&server, &provider);
    // A POST too: a 401 means the server did not act on the request.
    let value = call(&conn, POST, Some(&json!({"name": "x"})))
        .await
        .expect("the retry succeeds");
    assert_eq!(value.into_inner(), json!({"ok": true}));
    assert_eq!(provider.calls(), 2, "the first token and one refresh");
    let received = received(&server).await;
    let sent: Vec<Vec<String>> = received.iter().map(|r| header(r, "authorization")).collect();
    assert_eq!(sent, [["Bearer token-1"], ["Bearer token-2"]]);
    assert_eq!(received[0].body, received[1].body, "the body is replayed");
    // The new token is kept for the next call.
    call(&conn, GET, None).await.expect("a later call");
    assert_eq!(provider.calls(), 2);
}

#[tokio::test]
async fn ten_concurrent_calls_on_401_make_exactly_one_refresh() {
    // The 401 comes late, so all ten calls are sent with token-1 first.
    let server = refusing_the_first_token(Duration::from_millis(200)).await;
    let provider = Numbered::default();
    let conn = connection(&server, &provider);
    let calls = (0..10).map(|_| {
        let conn = conn.clone();
        tokio::spawn(async move { call(&conn, GET, None).await.map(|v| v.into_inner()) })
    });
    // Spawned all at once, before any is awaited.
    let calls: Vec<_> = calls.collect();
    for c in calls {
        assert_eq!(
            c.await.unwrap().expect("every call succeeds"),
            json!({"ok": true})
        );
    }
    assert_eq!(
        provider.calls(),
        2,
        "one fetch for the first token, one refresh for ten 401s"
    );
    let received = received(&server).await;
    let with = |token: &str| {
        received
            .iter()
            .filter(|r| header(r, "authorization") == [format!("Bearer {token}")])
            .count()
    };
    assert_eq!((with("token-1"), with("token-2"), received.len()), (10, 10, 20));
}

#[tokio::test]
async fn a_second_401_is_the_callers_error() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(401).set_body_json(json!({"message": "no such bot"})))
        .mount(&server)
        .await;
    let provider = Numbered::default();
    let conn = connection(&server, &provider);
    let err = call(&conn, GET, None).await.unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(401));
    assert_eq!(
        (provider.calls(), received(&server).await.len(), err.attempts()),
        (2, 2, 2)
    );
    assert_eq!(
        err.to_string(),
        "HTTP 401 Unauthorized: no such bot (after 2 attempts)"
    );
}

#[tokio::test]
async fn a_token_near_its_expiry_is_refreshed_before_the_call() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({})))
        .mount(&server)
        .await;
    let provider = Numbered {
        lifetime: Some(Duration::from_millis(150)),
        ..Numbered::default()
    };
    let conn = connection(&server, &provider);
    call(&conn, GET, None).await.unwrap_or_else(|e| panic!("{e}"));
    call(&conn, GET, None).await.unwrap_or_else(|e| panic!("{e}"));
    tokio::time::sleep(Duration::from_millis(150)).await;
    call(&conn, GET, None).await.unwrap_or_else(|e| panic!("{e}"));
    let sent: Vec<Vec<String>> = received(&server)
        .await
        .iter()
        .map(|r| header(r, "authorization"))
        .collect();
    assert_eq!(sent, [["Bearer token-1"], ["Bearer token-1"], ["Bearer token-2"]]);
}

#[tokio::test]
async fn a_provider_that_fails_is_an_error_and_nothing_is_sent() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200))
        .mount(&server)
        .await;
    let provider = Numbered {
        fail_from: Some(1),
        ..Numbered::default()
    };
    let conn = connection(&server, &provider);
    let err = call(&conn, GET, None).await.unwrap_err();
    assert!(matches!(err, Error::Credential(_)), "{err:?}");
    assert_eq!(
        (err.attempts(), err.status(), err.is_retryable()),
        (0, None, false)
    );
    assert_eq!(
        err.to_string(),
        "no credential to send: the token provider failed: the identity provider is down"
    );
    assert!(received(&server).await.is_empty());

    // A refresh that fails after a 401 leaves the 401, saying why it was not retried.
    let server = refusing_the_first_token(Duration::ZERO).await;
    let provider = Numbered {
        fail_from: Some(2),
        ..Numbered::default()
    };
    let conn = connection(&server, &provider);
    let err = call(&conn, GET, None).await.unwrap_err();
    assert_eq!((err.status().map(|s| s.as_u16()), err.attempts()), (Some(401), 1));
    assert_eq!(
        err.to_string(),
        "HTTP 401 Unauthorized: session expired (not retried: the token provider gave no new token: \
         the identity provider is down)"
    );
}

#[tokio::test]
async fn debug_shows_a_provider_never_its_token() {
    let server = refusing_the_first_token(Duration::ZERO).await;
    let provider = Numbered::default();
    let conn = connection(&server, &provider);
    call(&conn, GET, None).await.expect("the retry succeeds");
    let shown = format!("{conn:?} {conn:#?}");
    assert!(shown.contains("bearer: provider"), "{shown}");
    assert!(!shown.contains("token-"), "{shown}");
}
