//! A first run with no network and no account: a local server answers like a
//! Symphony pod, the client adds a user to a group, and the example prints
//! what was sent and what came back.
//!
//! `cargo run -p symphony-client --example symphony_round_trip`

use symphony_client::{Client, types};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let pod = MockServer::start().await;
    Mock::given(method("PUT"))
        .and(path("/pod/v2/admin/usergroups/grp-42/memberships/7215545078541"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "id": "m-1", "groupId": "grp-42", "userId": 7215545078541_i64, "active": true,
            "user": {"id": 7215545078541_i64, "userName": "jane.doe", "emailAddress": "jane@example.com"},
            "lastAddedDate": 1700000000000_i64
        })))
        .mount(&pod)
        .await;

    // A pod has no default URL: name it (`Client::for_pod("acme.symphony.com")`
    // in production; `/pod` is added), then give the session token.
    let client = Client::for_pod(&pod.uri())?
        .session_token("example-session-token")
        .build()?;
    let body = types::UserGroupMembershipRequest { active: Some(true) };
    let membership = client
        .update_user_group_membership("grp-42", 7215545078541, &body)
        .await?;

    wire_testing::print_exchange(&pod).await;
    println!("<<< {} {:#?}", membership.status(), membership.into_inner());
    Ok(())
}
