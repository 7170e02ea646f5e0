//! Bot authentication end to end (feature `bot-auth`), against a local login
//! server and a local pod: the JWT that reaches the login API is checked
//! with the bot's public key (RS512, `sub`, an expiry at most 5 minutes
//! ahead), and the session token it gets back reaches the pod in the
//! `sessionToken` header. Then: a 401 from the pod makes a new session, ten
//! concurrent calls make one login, the one-line client, and a refused
//! login that never reaches the pod and never shows a secret.
//!
//! The login API and the pod are the generated mocks (`symphony_login_client::mock`
//! and `symphony_client::mock`), each expecting exactly the calls a test makes:
//! the login's `post_pubkey_authenticate` (its body, a fresh JWT, is checked
//! from what arrived), and the pod's membership call with its typed inputs and
//! the session token it must carry (`matching`); a request nothing expects
//! fails the test. The one-line client (`Client::for_bot`) stays on one plain
//! wiremock server: it takes one host for both APIs, and the two mocks are two
//! servers.
//!
//! `tests/fixtures/test-bot-key.pem` is a test key made for these tests
//! (see the text at its top); it authenticates nowhere.

#![cfg(feature = "bot-auth")]

use std::path::PathBuf;
use std::time::{Duration, SystemTime};

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use ring::signature::{RSA_PKCS1_2048_8192_SHA512, UnparsedPublicKey};
use serde_json::{Value, json};
use symphony_client::mock::{MockServer as Pod, UpdateUserGroupMembershipThen};
use symphony_client::{BotAuthenticator, Client, Error, types};
use symphony_login_client::mock::{MockServer as Login, PostPubkeyAuthenticateThen};
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const BOT: &str = "provisioning-bot";
const GROUP: &str = "grp-42";
const USER: i64 = 7215545078541;
const LOGIN_PATH: &str = "/login/pubkey/authenticate";
const MEMBERSHIP_PATH: &str = "/pod/v2/admin/usergroups/grp-42/memberships/7215545078541";

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// The DER of the test key's public half (PKCS#1 `RSA PUBLIC KEY`).
fn public_key() -> Vec<u8> {
    let pem = std::fs::read_to_string(fixture("test-bot-public.pem")).expect("the public key fixture");
    let body: String = pem
        .lines()
        .skip_while(|l| !l.starts_with("-----BEGIN RSA PUBLIC KEY-----"))
        .skip(1)
        .take_while(|l| !l.starts_with("-----END"))
        .collect();
    STANDARD.decode(body).expect("base64 PEM body")
}

/// What the plain login server of the one-line test answers `response` with.
fn login_api(response: ResponseTemplate) -> Mock {
    Mock::given(method("POST"))
        .and(path(LOGIN_PATH))
        .respond_with(response)
}

fn login_answers(session: &str) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({"name": "sessionToken", "token": session}))
}

/// The login mock's answer: `session`, as Symphony names it.
fn session(session: &str) -> PostPubkeyAuthenticateThen {
    PostPubkeyAuthenticateThen::ok(
        symphony_login_client::types::Token::new()
            .with_name("sessionToken")
            .with_token(session),
    )
}

/// Expects `n` logins on `login`, each answered `then`.
fn expect_logins(login: &Login, n: u64, then: PostPubkeyAuthenticateThen) {
    login.on().post_pubkey_authenticate().times(n).respond(then);
}

fn membership() -> Value {
    json!({"id": "m-1", "groupId": GROUP, "userId": USER, "active": true})
}

/// The body [`add_membership`] sends.
fn membership_request() -> types::UserGroupMembershipRequest {
    types::UserGroupMembershipRequest::new().active(true)
}

/// Expects `n` membership calls of [`add_membership`] on `pod` carrying the
/// session token `session`, answered `then`.
fn expect_memberships(pod: &Pod, session: &'static str, n: u64, then: UpdateUserGroupMembershipThen) {
    pod.on()
        .update_user_group_membership()
        .group_id(GROUP)
        .user_id(USER)
        .body(&membership_request())
        .matching(move |r| {
            r.headers
                .get("sessiontoken")
                .is_some_and(|v| v.as_bytes() == session.as_bytes())
        })
        .times(n)
        .respond(then);
}

/// The membership the pod answers with.
fn membership_ok() -> UpdateUserGroupMembershipThen {
    UpdateUserGroupMembershipThen::json(200, membership())
}

/// A pod mock and a login mock, and a client of the pod whose bot logs in
/// at the login mock: the login client is a plain one at the mock's base URL
/// (no credential, as [`Client::for_bot`] makes it), the pod client the pod
/// mock's, with the bot as its session token provider.
async fn bot_and_mocks() -> (Client, Login, Pod) {
    let login = Login::start().await;
    let pod = Pod::start().await;
    let login_client = symphony_login_client::Client::builder()
        .base_url(&login.base_url())
        .build()
        .expect("login client");
    let bot = BotAuthenticator::from_key_file(login_client, BOT, fixture("test-bot-key.pem"))
        .expect("the test key");
    let client = pod
        .client_builder()
        .session_token_provider(bot)
        .build()
        .expect("pod client");
    (client, login, pod)
}

async fn add_membership(client: &Client) -> Result<types::UserGroupMembershipData, Error> {
    client
        .update_user_group_membership(GROUP, USER, &membership_request())
        .await
        .map(|r| r.into_inner())
}

fn session_tokens(requests: &[Request]) -> Vec<String> {
    requests
        .iter()
        .map(|r| {
            r.headers
                .get("sessiontoken")
                .and_then(|v| v.to_str().ok())
                .unwrap_or("<none>")
                .to_string()
        })
        .collect()
}

/// The JWT a login request carried, checked: the body is `{"token": jwt}`,
/// the signature verifies with the bot's public key, the header says RS512,
/// `sub` is the bot and `exp` at most 5 minutes ahead. Returns the claims.
fn verified_jwt(request: &Request) -> Value {
    assert_eq!(request.method.as_str(), "POST");
    assert_eq!(request.url.path(), LOGIN_PATH);
    assert!(
        request.headers.get("sessiontoken").is_none(),
        "no session on the login call"
    );
    let body: Value = serde_json::from_slice(&request.body).expect("a JSON body");
    let jwt = body["token"].as_str().expect("{\"token\": \"<jwt>\"}");
    assert_eq!(body.as_object().map(|o| o.len()), Some(1), "{body}");
    let parts: Vec<&str> = jwt.split('.').collect();
    assert_eq!(parts.len(), 3, "{jwt}");
    let signing_input = format!("{}.{}", parts[0], parts[1]);
    let signature = URL_SAFE_NO_PAD.decode(parts[2]).expect("base64url signature");
    let key = UnparsedPublicKey::new(&RSA_PKCS1_2048_8192_SHA512, public_key());
    key.verify(signing_input.as_bytes(), &signature)
        .expect("the JWT verifies with the bot's public key (RS512)");
    assert!(
        key.verify(format!("{signing_input}x").as_bytes(), &signature)
            .is_err(),
        "a changed JWT does not verify"
    );
    let decode = |part: &str| -> Value {
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(part).expect("base64url")).expect("JSON")
    };
    let header = decode(parts[0]);
    assert_eq!(header["alg"], "RS512");
    let claims = decode(parts[1]);
    assert_eq!(claims["sub"], BOT);
    let now = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let exp = claims["exp"].as_u64().expect("a numeric exp");
    assert!(
        exp > now && exp <= now + 300,
        "exp {exp} is not within 5 minutes of {now}"
    );
    claims
}

#[tokio::test]
async fn the_bot_signs_a_jwt_the_login_api_verifies_and_its_session_token_reaches_the_pod() {
    let (client, login, pod) = bot_and_mocks().await;
    expect_logins(&login, 1, session("session-1"));
    expect_memberships(&pod, "session-1", 2, membership_ok());

    let membership = add_membership(&client)
        .await
        .expect("the membership call succeeds");
    assert_eq!(membership.active, Some(true));

    let logins = login.received().await;
    assert_eq!(logins.len(), 1);
    verified_jwt(&logins[0]);
    let pod_calls = pod.received().await;
    assert_eq!(session_tokens(&pod_calls), ["session-1"]);
    assert_eq!(pod_calls[0].url.path(), MEMBERSHIP_PATH);

    // The session is kept: a second call logs in no more.
    add_membership(&client).await.expect("a second call");
    assert_eq!(login.received().await.len(), 1);
    assert_eq!(session_tokens(&pod.received().await), ["session-1"; 2]);
    let shown = format!("{client:?}");
    assert!(!shown.contains("session-1"), "{shown}");
}

#[tokio::test]
async fn a_401_from_the_pod_makes_a_new_session_and_the_call_is_sent_again() {
    let (client, login, pod) = bot_and_mocks().await;
    // Two logins in turn: the first session, then the second.
    expect_logins(&login, 1, session("session-1"));
    expect_logins(&login, 1, session("session-2"));
    // The pod takes only the second session (the first expired).
    let expired = types::Error::new().with_code(401).with_message("Invalid session");
    expect_memberships(
        &pod,
        "session-1",
        1,
        UpdateUserGroupMembershipThen::unauthorized(expired),
    );
    expect_memberships(&pod, "session-2", 1, membership_ok());

    add_membership(&client)
        .await
        .expect("the call succeeds after a new login");
    let logins = login.received().await;
    assert_eq!(logins.len(), 2);
    for login in &logins {
        verified_jwt(login);
    }
    let pod_calls = pod.received().await;
    assert_eq!(session_tokens(&pod_calls), ["session-1", "session-2"]);
    assert_eq!(pod_calls[0].body, pod_calls[1].body);
}

#[tokio::test]
async fn ten_concurrent_calls_make_one_login() {
    let (client, login, pod) = bot_and_mocks().await;
    expect_logins(&login, 1, session("session-1").delay(Duration::from_millis(100)));
    expect_memberships(&pod, "session-1", 10, membership_ok());
    let calls: Vec<_> = (0..10)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move { add_membership(&client).await.map(|m| m.active) })
        })
        .collect();
    for call in calls {
        assert_eq!(call.await.expect("the task").expect("the call"), Some(true));
    }
    assert_eq!(login.received().await.len(), 1);
    assert_eq!(session_tokens(&pod.received().await), ["session-1"; 10]);
}

#[tokio::test]
async fn one_line_makes_a_bot_client_from_a_username_and_a_key_file() {
    // The pod and its login API on one host, as Symphony serves them.
    let host = MockServer::start().await;
    login_api(login_answers("session-1")).mount(&host).await;
    Mock::given(method("PUT"))
        .and(path(MEMBERSHIP_PATH))
        .and(header("sessionToken", "session-1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(membership()))
        .mount(&host)
        .await;

    // The same key in PKCS#1 (`BEGIN RSA PRIVATE KEY`).
    let client = Client::for_bot(&host.uri(), BOT, fixture("test-bot-key-pkcs1.pem")).expect("a client");
    assert_eq!(client.base_url(), format!("{}/pod", host.uri()));
    add_membership(&client).await.expect("the call succeeds");
    let requests = host.received_requests().await.expect("recording is on");
    assert_eq!(requests.len(), 2);
    verified_jwt(&requests[0]);
    assert_eq!(session_tokens(&requests[1..]), ["session-1"]);

    let err = Client::for_bot(&host.uri(), BOT, fixture("no-such-key.pem")).expect_err("no key file");
    assert!(
        err.reason().starts_with("cannot read the bot's private key `"),
        "{err}"
    );
    assert!(err.reason().contains("no-such-key.pem"), "{err}");
}

#[tokio::test]
async fn a_refused_login_is_a_credential_error_and_nothing_reaches_the_pod() {
    // No expectation on the pod: a call there would also be a miss, reported when it is dropped.
    let (client, login, pod) = bot_and_mocks().await;
    expect_logins(
        &login,
        1,
        PostPubkeyAuthenticateThen::unauthorized(
            symphony_login_client::types::Error::new()
                .with_code(401)
                .with_message("Invalid token signature"),
        ),
    );

    let err = add_membership(&client).await.expect_err("no session");
    assert!(matches!(err, Error::Credential(_)), "{err:?}");
    assert_eq!(
        err.to_string(),
        "no credential to send: the token provider failed: the login API did not authenticate bot \
         `provisioning-bot`: HTTP 401 Unauthorized: Invalid token signature (code 401)"
    );
    wire_testing::assert_none(&pod.received().await);
    // The JWT that was sent never shows in the error.
    let logins = login.received().await;
    assert_eq!(logins.len(), 1, "a POST login is not retried");
    verified_jwt(&logins[0]);
    let body: Value = serde_json::from_slice(&logins[0].body).expect("JSON");
    let jwt = body["token"].as_str().unwrap_or_default();
    let shown = format!("{err} {err:?}");
    assert!(!jwt.is_empty() && !shown.contains(jwt), "{shown}");
    let signature = jwt.rsplit('.').next().unwrap_or_default();
    assert!(!shown.contains(signature), "{shown}");
}

/// Bot authentication brings neither OpenSSL nor a JWT or RSA crate: the
/// JWT is signed with ring.
#[test]
fn bot_auth_brings_no_openssl_and_no_jwt_or_rsa_crate() {
    let out = std::process::Command::new(env!("CARGO"))
        .args([
            "tree",
            "--offline",
            "-p",
            "symphony-client",
            "--features",
            "bot-auth",
        ])
        .args(["-e", "normal,build", "--prefix", "none", "-f", "{p}"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("cargo tree runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let tree = String::from_utf8_lossy(&out.stdout);
    let names: Vec<&str> = tree.lines().filter_map(|l| l.split_whitespace().next()).collect();
    assert!(
        names.contains(&"ring") && names.contains(&"symphony-login-client"),
        "{names:?}"
    );
    // aws-lc-rs is the default TLS provider (`tls-aws-lc`), not bot-auth's.
    for banned in ["openssl-sys", "openssl", "native-tls", "jsonwebtoken", "rsa"] {
        assert!(!names.contains(&banned), "{banned} is in the bot-auth tree");
    }
}
