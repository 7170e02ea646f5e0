//! A first run with no network and no account: the crate's generated mock
//! (the `mock` feature) answers like Capillary's EU cluster, the client lets
//! a member transfer points, and the example prints what was sent and what
//! came back.
//!
//! `cargo run -p capillary-client --example capillary_round_trip`

use capillary_client::mock::{MockServer, UpdateUserGroupMemberPermissionsThen as Then};
use capillary_client::{Permission, types};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let capillary = MockServer::start().await;
    let body = vec![types::MemberPermissionUpdate::new(
        vec![Permission::AllowPointsTransfer],
        109983515,
    )];
    // Expect one update of group 3839 with this body, and answer as Capillary
    // does: the member as updated, one processed, none failed.
    let member = types::GroupMember::new()
        .with_user_id(109983515)
        .with_group_id(3839)
        .with_permissions(vec!["allow_points_transfer".to_string()])
        .with_default_group(false)
        .with_primary_member(false)
        .with_active(false);
    capillary
        .on()
        .update_user_group_member_permissions()
        .id(3839)
        .body(&body)
        .times(1)
        .respond(Then::ok(
            types::UserGroupPermissionsResponse::new()
                .with_response(vec![
                    types::PermissionUpdateResult::new()
                        .with_entity_id(member.clone())
                        .with_result(member),
                ])
                .with_total_count(1)
                .with_failure_count(0),
        ));

    // `Client::in_region(&Region::Eu).basic_auth(..)` in production; the
    // mock's builder points the client at the mock.
    let client = capillary
        .client_builder()
        .basic_auth("till.eu.1", "example-password")
        .build()?;
    let result = client.update_user_group_member_permissions(3839, &body).await?;

    wire_testing::print_requests(&capillary.received().await);
    println!("<<< {} {:#?}", result.status(), result.into_inner());
    Ok(())
}
