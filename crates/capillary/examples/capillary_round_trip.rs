//! A first run with no network and no account: a local server answers like
//! Capillary's EU cluster, the client lets a member transfer points, and the
//! example prints what was sent and what came back.
//!
//! `cargo run -p capillary-client --example capillary_round_trip`

use capillary_client::{Client, Permission, Region, types};
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let capillary = MockServer::start().await;
    let member = serde_json::json!({
        "userId": 109983515, "groupId": 3839, "permissions": ["allow_points_transfer"],
        "defaultGroup": false, "primaryMember": false, "active": false
    });
    Mock::given(method("PUT"))
        .and(path("/v2/userGroup2/members/permissions"))
        .and(query_param("id", "3839"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "response": [{"entityId": member, "result": member, "warnings": []}],
            "totalCount": 1,
            "failureCount": 0
        })))
        .mount(&capillary)
        .await;

    // `Region::Eu` in production; the local server stands in for it here.
    let region = Region::Url(capillary.uri());
    let client = Client::in_region(&region)
        .basic_auth("till.eu.1", "example-password")
        .build()?;
    let body = vec![types::MemberPermissionUpdate::new(
        vec![Permission::AllowPointsTransfer],
        109983515,
    )];
    let result = client.update_user_group_member_permissions(3839, &body).await?;

    wire_testing::print_exchange(&capillary).await;
    println!("<<< {} {:#?}", result.status(), result.into_inner());
    Ok(())
}
