//! A first run with no network and no account: the crate's generated mock
//! answers like a Symphony pod, and the login client's generated mock like
//! the pod's login API, each a local server that expects exactly the calls
//! below. The bot authenticates with its RSA key (a JWT signed RS512,
//! exchanged at `POST /login/pubkey/authenticate` for a session token), the
//! client adds a user to a group with that session, and the example prints
//! what was sent and what came back.
//!
//! `cargo run -p symphony-client --example symphony_round_trip`
//!
//! The two mocks are two servers, so the bot client is put together from its
//! parts: a `BotAuthenticator` over the login mock's client, given to the pod
//! mock's client builder. At a real pod, whose pod and login APIs share its
//! host, `Client::for_bot("https://acme.symphony.com", "provisioning-bot",
//! key)` does the same in one line.
//!
//! The key is `tests/fixtures/test-bot-key.pem`, a test key that
//! authenticates nowhere; a real bot's key comes from your pod's admin.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use symphony_client::mock::{MockServer, UpdateUserGroupMembershipThen};
use symphony_client::{BotAuthenticator, types};
use symphony_login_client::mock::{MockServer as LoginMockServer, PostPubkeyAuthenticateThen};

const SESSION: &str = "example-session-token";
const GROUP: &str = "grp-42";
const USER: i64 = 7215545078541;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    // The login API: one authentication, answered with a session token.
    let login = LoginMockServer::start().await;
    login
        .on()
        .post_pubkey_authenticate()
        .times(1)
        .respond(PostPubkeyAuthenticateThen::ok(
            symphony_login_client::types::Token::new()
                .with_name("sessionToken")
                .with_token(SESSION),
        ));

    // The pod API: one membership call with exactly this body, carrying the
    // session the login API gave.
    let pod = MockServer::start().await;
    let body = types::UserGroupMembershipRequest::new().active(true);
    let user = types::MembershipData::new()
        .with_id(USER)
        .with_user_name("jane.doe")
        .with_email_address("jane@example.com");
    pod.on()
        .update_user_group_membership()
        .group_id(GROUP)
        .user_id(USER)
        .body(&body)
        .matching(|request| {
            request
                .headers
                .get("sessiontoken")
                .is_some_and(|v| v.as_bytes() == SESSION.as_bytes())
        })
        .times(1)
        .respond(UpdateUserGroupMembershipThen::ok(
            types::UserGroupMembershipData::new()
                .with_id("m-1")
                .with_group_id(GROUP)
                .with_user_id(USER)
                .with_active(true)
                .with_user(user)
                .with_last_added_date(1_700_000_000_000_i64),
        ));

    // The bot: its username and key, authenticating at the login API; the
    // pod client asks it for a session on the first call.
    let key = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/test-bot-key.pem");
    let bot = BotAuthenticator::from_key_file(login.client(), "provisioning-bot", key)?;
    let client = pod.client_builder().session_token_provider(bot).build()?;
    let membership = client.update_user_group_membership(GROUP, USER, &body).await?;

    for request in login.received().await {
        println!(
            ">>> {} {} (the bot's authentication JWT, signature left out)",
            request.method,
            request.url.path()
        );
        let sent: serde_json::Value = serde_json::from_slice(&request.body)?;
        let jwt = sent["token"].as_str().unwrap_or_default();
        for part in jwt.split('.').take(2) {
            let decoded = URL_SAFE_NO_PAD.decode(part).unwrap_or_default();
            println!(">>>   {}", String::from_utf8_lossy(&decoded));
        }
    }
    for request in pod.received().await {
        for line in wire_testing::render(&request).lines() {
            println!(">>> {line}");
        }
    }
    println!("<<< {} {:#?}", membership.status(), membership.into_inner());
    Ok(())
}
