//! A first run with no network and no account: a local server answers like a
//! Symphony pod and its login API. The bot authenticates with its RSA key
//! (a JWT signed RS512, exchanged at `/login/pubkey/authenticate` for a
//! session token), the client adds a user to a group with that session, and
//! the example prints what was sent and what came back.
//!
//! `cargo run -p symphony-client --example symphony_round_trip`
//!
//! The key is `tests/fixtures/test-bot-key.pem`, a test key that
//! authenticates nowhere; a real bot's key comes from your pod's admin.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use symphony_client::{Client, types};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    // One host serves the pod API under /pod and the login API under /login.
    let host = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/login/pubkey/authenticate"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(serde_json::json!({"name": "sessionToken", "token": "example-session-token"})),
        )
        .mount(&host)
        .await;
    Mock::given(method("PUT"))
        .and(path("/pod/v2/admin/usergroups/grp-42/memberships/7215545078541"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "id": "m-1", "groupId": "grp-42", "userId": 7215545078541_i64, "active": true,
            "user": {"id": 7215545078541_i64, "userName": "jane.doe", "emailAddress": "jane@example.com"},
            "lastAddedDate": 1700000000000_i64
        })))
        .mount(&host)
        .await;

    // A bot client in one line: the pod's URL, the bot's username, its key.
    let key = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/test-bot-key.pem");
    let client = Client::for_bot(&host.uri(), "provisioning-bot", key)?;
    let body = types::UserGroupMembershipRequest::new().active(true);
    let membership = client
        .update_user_group_membership("grp-42", 7215545078541, &body)
        .await?;

    let received = host.received_requests().await.unwrap_or_default();
    if let Some(login) = received.first() {
        println!(
            ">>> {} {} (the bot's authentication JWT, signature left out)",
            login.method,
            login.url.path()
        );
        let sent: serde_json::Value = serde_json::from_slice(&login.body)?;
        let jwt = sent["token"].as_str().unwrap_or_default();
        for part in jwt.split('.').take(2) {
            let decoded = URL_SAFE_NO_PAD.decode(part).unwrap_or_default();
            println!(">>>   {}", String::from_utf8_lossy(&decoded));
        }
    }
    for request in received.iter().skip(1) {
        for line in wire_testing::render(request).lines() {
            println!(">>> {line}");
        }
    }
    println!("<<< {} {:#?}", membership.status(), membership.into_inner());
    Ok(())
}
