//! Typed async client for GitHub's team-membership endpoints: add or update
//! a user's membership in a team, by organization and team slug or by
//! numeric ids.
//!
//! ```no_run
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! use github_client::{types, Client, TeamRole};
//!
//! let client = Client::builder()
//!     .bearer_auth("ghp_token")
//!     .user_agent("acme-provisioner/1.0") // GitHub asks for your app's name
//!     .build()?;
//! let body = types::TeamMembershipRequest { role: Some(TeamRole::Maintainer) };
//! let membership = client
//!     .add_or_update_team_membership_for_user_in_org("acme", "platform", "octocat", &body)
//!     .await?;
//! println!("{} as {}", membership.state, membership.role);
//! # Ok(()) }
//! ```
//!
//! `generated.rs` is written by `cargo xtask generate` from `specs/github/`
//! (the bearer scheme, `https://api.github.com`, the operations, the
//! `Accept` and `X-GitHub-Api-Version` headers from its manifest). This file
//! adds what no spec can say: the open enums below, which keep a role or
//! state GitHub adds later instead of failing to decode.

// Formatted by prettyplease at generation time; rustfmt leaves it alone.
#[rustfmt::skip]
#[allow(clippy::all, clippy::pedantic)]
mod generated;

pub use generated::*;

usergroup_client_core::open_enum! {
    /// A member's role in a team.
    pub enum TeamRole { Member = "member", Maintainer = "maintainer" }
}

usergroup_client_core::open_enum! {
    /// The state of a team membership: `pending` until an invited person
    /// accepts, then `active`.
    pub enum TeamMembershipState { Active = "active", Pending = "pending" }
}
