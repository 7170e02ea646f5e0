//! A downstream crate, as a user of `github-client` writes one: it makes a
//! list of people maintainers of a team, and says who still has to accept
//! the invitation. Its tests (`tests/sync.rs`) run this code against the
//! client's generated mock (the `mock` feature, a dev-dependency only), so
//! they need no GitHub account and check what GitHub would receive.
//!
//! Nothing here names a field or variant that a vendor's additive change
//! could break: the request body is built with its constructor and a
//! setter, the membership state is an open enum read by comparison, and
//! errors are matched through `errors::<Op>::of` with a fallback.

use github_client::{Client, Error, TeamMembershipState, TeamRole, errors, types};

/// What became of one person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// A maintainer now.
    Maintainer,
    /// Invited: a maintainer once they accept.
    Invited,
    /// GitHub refused them (a 422: not in the organization, say), with its
    /// message.
    Refused(String),
}

/// Why the whole sync stopped.
#[derive(Debug)]
pub enum SyncError {
    /// The team does not exist (or the token cannot see it).
    NoSuchTeam,
    /// Anything else the client reported (boxed: the client's error is
    /// large, and this path is rare).
    Client(Box<Error>),
}

/// Makes each of `people` a maintainer of `org`/`team`, in order, and says
/// what became of each. A refusal for one person does not stop the others;
/// a missing team stops everything.
pub async fn make_maintainers(
    client: &Client,
    org: &str,
    team: &str,
    people: &[&str],
) -> Result<Vec<(String, Outcome)>, SyncError> {
    let body = types::TeamMembershipRequest::new().role(TeamRole::Maintainer);
    let mut outcomes = Vec::new();
    for person in people {
        let call = client.add_or_update_team_membership_for_user_in_org(org, team, person, &body);
        let outcome = match call.await {
            Ok(membership) if membership.state == TeamMembershipState::Pending => Outcome::Invited,
            Ok(_) => Outcome::Maintainer,
            Err(e) => match errors::AddOrUpdateTeamMembershipForUserInOrg::of(&e) {
                Some(errors::AddOrUpdateTeamMembershipForUserInOrg::NotFound(_)) => {
                    return Err(SyncError::NoSuchTeam);
                }
                Some(errors::AddOrUpdateTeamMembershipForUserInOrg::UnprocessableEntity(body)) => {
                    Outcome::Refused(body.message.clone().unwrap_or_default())
                }
                _ => return Err(SyncError::Client(Box::new(e))),
            },
        };
        outcomes.push((person.to_string(), outcome));
    }
    Ok(outcomes)
}
