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
//! let body = types::TeamMembershipRequest::new().role(TeamRole::Maintainer);
//! let membership = client
//!     .add_or_update_team_membership_for_user_in_org("acme", "platform", "octocat", &body)
//!     .await?;
//! println!("{} as {}", membership.state, membership.role);
//! # Ok(()) }
//! ```
//!
//! An omitted role (`TeamMembershipRequest::new()`, sent as `{}`)
//! means `member` to GitHub, so it demotes an existing maintainer.
//!
//! Errors carry GitHub's body as [`types::GitHubError`]: its `message`, and on
//! a 422 the validation details, each with its `resource`, `field` and
//! `code` (`missing`, `missing_field`, `invalid`, `already_exists`,
//! `custom`):
//!
//! ```no_run
//! # async fn run(client: github_client::Client, body: github_client::types::TeamMembershipRequest) {
//! if let Err(e) = client.add_or_update_team_membership_for_user_in_org("acme", "platform", "octocat", &body).await {
//!     for detail in e.vendor().map(|v| v.errors.as_slice()).unwrap_or_default() {
//!         eprintln!("{:?} {}: {}", detail.field, detail.code, detail.message.as_deref().unwrap_or(""));
//!     }
//! }
//! # }
//! ```
//!
//! `generated.rs` is written by `cargo xtask generate` from `specs/github/`
//! (the bearer scheme, `https://api.github.com`, the operations, the error
//! body, the `Accept` and `X-GitHub-Api-Version` headers from its manifest).
//! This file adds what no spec can say: the open enums below, which keep a
//! role or state GitHub adds later instead of failing to decode.

// Formatted by prettyplease at generation time; rustfmt leaves it alone.
#[rustfmt::skip]
#[allow(clippy::all, clippy::pedantic)]
mod generated;

pub use generated::*;

usergroup_client_core::open_enum! {
    /// A member's role in a team.
    ///
    /// In a request, `role: None` (the body `{}`) means [`TeamRole::Member`] to
    /// GitHub, whose description gives `role` the default `member`: sent for
    /// an existing maintainer, it demotes them. Send
    /// `Some(TeamRole::Maintainer)` to keep one.
    pub enum TeamRole { Member = "member", Maintainer = "maintainer" }
}

usergroup_client_core::open_enum! {
    /// The state of a team membership: `pending` until an invited person
    /// accepts, then `active`.
    pub enum TeamMembershipState { Active = "active", Pending = "pending" }
}
