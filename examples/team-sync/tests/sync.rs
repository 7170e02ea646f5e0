//! `make_maintainers` against `github-client`'s generated mock: each
//! expectation is typed by the operation it stands for (its path values and
//! body as the client's own types), each answer is one GitHub documents
//! (checked against the spec when it is built), and the mock fails the test
//! on any request it was not told to expect.

use github_client::mock::{AddOrUpdateTeamMembershipForUserInOrgThen as Then, MockServer};
use github_client::{TeamMembershipState, TeamRole, types};
use team_sync::{Outcome, SyncError, make_maintainers};

fn membership(state: TeamMembershipState) -> types::TeamMembership {
    types::TeamMembership::new(
        TeamRole::Maintainer,
        state,
        "https://api.github.com/teams/1/memberships/x",
    )
}

fn error(message: &str) -> types::GitHubError {
    types::GitHubError::new().with_message(message)
}

#[tokio::test]
async fn each_person_becomes_a_maintainer_or_is_invited() {
    let github = MockServer::start().await;
    let maintainer = types::TeamMembershipRequest::new().role(TeamRole::Maintainer);
    let on = github.on();
    on.add_or_update_team_membership_for_user_in_org()
        .org("acme")
        .team_slug("platform")
        .username("ada")
        .body(&maintainer)
        .times(1)
        .respond(Then::ok(membership(TeamMembershipState::Active)));
    on.add_or_update_team_membership_for_user_in_org()
        .username("bob")
        .body(&maintainer)
        .times(1)
        .respond(Then::ok(membership(TeamMembershipState::Pending)));

    let outcomes = make_maintainers(&github.client(), "acme", "platform", &["ada", "bob"])
        .await
        .unwrap();
    assert_eq!(
        outcomes,
        [
            ("ada".to_string(), Outcome::Maintainer),
            ("bob".to_string(), Outcome::Invited)
        ]
    );
    // What GitHub received, byte for byte.
    let sent = github.received().await;
    assert_eq!(sent[1].method.as_str(), "PUT");
    assert_eq!(sent[1].url.path(), "/orgs/acme/teams/platform/memberships/bob");
    assert_eq!(sent[1].body, br#"{"role":"maintainer"}"#);
}

#[tokio::test]
async fn a_refused_person_does_not_stop_the_others() {
    let github = MockServer::start().await;
    let on = github.on();
    on.add_or_update_team_membership_for_user_in_org()
        .username("eve")
        .respond(Then::unprocessable_entity(error("Validation Failed")));
    on.add_or_update_team_membership_for_user_in_org()
        .username("ada")
        .respond(Then::ok(membership(TeamMembershipState::Active)));

    let outcomes = make_maintainers(&github.client(), "acme", "platform", &["eve", "ada"])
        .await
        .unwrap();
    assert_eq!(outcomes[0].1, Outcome::Refused("Validation Failed".into()));
    assert_eq!(outcomes[1].1, Outcome::Maintainer);
}

#[tokio::test]
async fn a_missing_team_stops_the_sync() {
    let github = MockServer::start().await;
    github
        .on()
        .add_or_update_team_membership_for_user_in_org()
        .team_slug("gone")
        .times(1)
        .respond(Then::not_found(error("Not Found")));

    let result = make_maintainers(&github.client(), "acme", "gone", &["ada", "bob"]).await;
    assert!(matches!(result, Err(SyncError::NoSuchTeam)), "{result:?}");
}

#[tokio::test]
async fn a_dropped_connection_is_retried_by_the_client() {
    let github = MockServer::start().await;
    let on = github.on();
    on.add_or_update_team_membership_for_user_in_org()
        .times(1)
        .respond(Then::network_failure());
    on.add_or_update_team_membership_for_user_in_org()
        .times(1)
        .respond(Then::ok(membership(TeamMembershipState::Active)));

    let outcomes = make_maintainers(&github.client(), "acme", "platform", &["ada"])
        .await
        .unwrap();
    assert_eq!(outcomes[0].1, Outcome::Maintainer);
}
