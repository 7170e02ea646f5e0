//! A first run with no network and no account: a local server answers like
//! GitHub, the client invites a user to a team as maintainer, and the
//! example prints what was sent and what came back.
//!
//! `cargo run -p github-client --example github_round_trip`

use github_client::{Client, TeamRole, types};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let github = MockServer::start().await;
    Mock::given(method("PUT"))
        .and(path("/orgs/acme/teams/platform/memberships/octocat"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "url": "https://api.github.com/teams/1/memberships/octocat",
            "role": "maintainer",
            "state": "pending"
        })))
        .mount(&github)
        .await;

    let client = Client::builder()
        .base_url(&github.uri())
        .bearer_auth("ghp_example_token")
        .user_agent("example/1.0")
        .build()?;
    let body = types::TeamMembershipRequest::new().role(TeamRole::Maintainer);
    let membership = client
        .add_or_update_team_membership_for_user_in_org("acme", "platform", "octocat", &body)
        .await?;

    wire_testing::print_exchange(&github).await;
    println!("<<< {} {:#?}", membership.status(), membership.into_inner());
    Ok(())
}
