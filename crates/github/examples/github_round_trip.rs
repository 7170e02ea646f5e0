//! A first run with no network and no account: the crate's generated mock
//! (the `mock` feature) answers like GitHub, the client invites a user to a
//! team as maintainer, and the example prints what was sent and what came
//! back.
//!
//! `cargo run -p github-client --example github_round_trip`

use github_client::mock::{AddOrUpdateTeamMembershipForUserInOrgThen as Then, MockServer};
use github_client::{TeamMembershipState, TeamRole, types};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let github = MockServer::start().await;
    let body = types::TeamMembershipRequest::new().role(TeamRole::Maintainer);
    // Expect one request for octocat in acme/platform with this body, and
    // answer as GitHub does for an invitation not yet accepted.
    github
        .on()
        .add_or_update_team_membership_for_user_in_org()
        .org("acme")
        .team_slug("platform")
        .username("octocat")
        .body(&body)
        .times(1)
        .respond(Then::ok(types::TeamMembership::new(
            TeamRole::Maintainer,
            TeamMembershipState::Pending,
            "https://api.github.com/teams/1/memberships/octocat",
        )));

    // `Client::builder().bearer_auth(..)` in production; the mock's builder
    // points the client at the mock.
    let client = github
        .client_builder()
        .bearer_auth("ghp_example_token")
        .user_agent("example/1.0")
        .build()?;
    let membership = client
        .add_or_update_team_membership_for_user_in_org("acme", "platform", "octocat", &body)
        .await?;

    wire_testing::print_requests(&github.received().await);
    println!("<<< {} {:#?}", membership.status(), membership.into_inner());
    Ok(())
}
