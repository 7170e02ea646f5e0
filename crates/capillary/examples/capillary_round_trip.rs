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
        .user_id(109983515)
        .group_id(3839)
        .permissions(vec!["allow_points_transfer".to_string()])
        .default_group(false)
        .primary_member(false)
        .active(false);
    capillary
        .on()
        .update_user_group_member_permissions()
        .id(3839)
        .body(&body)
        .times(1)
        .respond(Then::ok(
            types::UserGroupPermissionsResponse::new()
                .response(vec![
                    types::PermissionUpdateResult::new()
                        .entity_id(member.clone())
                        .result(member),
                ])
                .total_count(1)
                .failure_count(0),
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
