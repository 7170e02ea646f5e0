//! Typed async client for GitHub's team-membership endpoints: add or update
//! a user's membership in a team, by organization and team slug or by
//! numeric ids.
//!
//! ```no_run
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! use github_client::{types, Client, TeamRole};
//!
//! let client = Client::builder("ghp_token").user_agent("acme-provisioner/1.0").build()?;
//! let body = types::TeamMembershipRequest { role: Some(TeamRole::Maintainer) };
//! let membership = client
//!     .add_or_update_team_membership_for_user_in_org("acme", "platform", "octocat", &body)
//!     .await?;
//! println!("{} as {}", membership.state, membership.role);
//! # Ok(()) }
//! ```
//!
//! `generated.rs` is written by `cargo xtask generate` from `specs/github/`;
//! this file is the hand-written layer around it: the bearer token, the
//! headers GitHub requires, GitHub Enterprise Server URLs, and errors that
//! keep the HTTP status and GitHub's message.

pub use client_core::ResponseValue;
use client_core::{
    ConfigError, Connection, CredentialHeader, Secret, Settings, Timeouts, error::finish, path,
};
pub use generated::types;

// Formatted by prettyplease at generation time; rustfmt leaves it alone.
#[rustfmt::skip]
#[allow(clippy::all, clippy::pedantic, unused)]
mod generated;

/// The public GitHub API.
pub const DEFAULT_BASE_URL: &str = "https://api.github.com";
/// The REST API version this client is written against.
pub const API_VERSION: &str = "2022-11-28";
/// The media type GitHub recommends in `Accept`.
pub const ACCEPT: &str = "application/vnd.github+json";
/// The `User-Agent` sent unless the caller sets one (GitHub requires one).
pub const DEFAULT_USER_AGENT: &str = concat!(
    "github-client/",
    env!("CARGO_PKG_VERSION"),
    " (usergroup-clients)"
);

client_core::open_enum! {
    /// A member's role in a team.
    pub enum TeamRole { Member = "member", Maintainer = "maintainer" }
}

client_core::open_enum! {
    /// The state of a team membership: `pending` until an invited person
    /// accepts, then `active`.
    pub enum TeamMembershipState { Active = "active", Pending = "pending" }
}

/// An error from a GitHub call: the HTTP status, GitHub's `message` and
/// `documentation_url` when it sent them, or the start of the body.
pub type Error = client_core::Error<types::BasicError>;

impl client_core::VendorError for types::BasicError {
    fn summary(&self) -> Option<String> {
        match (&self.message, &self.documentation_url) {
            (Some(m), Some(d)) => Some(format!("{m} (see {d})")),
            (Some(m), None) => Some(m.clone()),
            (None, Some(d)) => Some(format!("see {d}")),
            (None, None) => None,
        }
    }
}

client_core::impl_client_hooks!(generated::Client);

/// Builds a [`Client`].
#[derive(Debug)]
pub struct ClientBuilder {
    token: Secret,
    base_url: String,
    user_agent: String,
    timeouts: Timeouts,
}

impl ClientBuilder {
    /// A GitHub Enterprise Server API URL, such as
    /// `https://github.example.com/api/v3`, instead of `https://api.github.com`.
    pub fn base_url(mut self, url: &str) -> Self {
        self.base_url = url.to_string();
        self
    }

    /// The `User-Agent` header: GitHub asks for your app's or user's name.
    pub fn user_agent(mut self, user_agent: &str) -> Self {
        self.user_agent = user_agent.to_string();
        self
    }

    client_core::timeout_setters!();

    /// Checks the settings and builds the client.
    pub fn build(self) -> Result<Client, ConfigError> {
        if self.user_agent.trim().is_empty() {
            return Err(ConfigError::new(
                "GitHub requires a User-Agent; do not set an empty one",
            ));
        }
        let credential = CredentialHeader::new("authorization", &bearer(&self.token))?;
        let settings = Settings::new(credential)
            .header("accept", ACCEPT)?
            .header("x-github-api-version", API_VERSION)?
            .header("user-agent", &self.user_agent)?;
        Ok(Client {
            conn: Connection::new(&self.base_url, self.timeouts, settings)?,
        })
    }
}

fn bearer(token: &Secret) -> Secret {
    Secret::new(format!("Bearer {}", token.expose()))
}

/// A GitHub client. Cheap to clone; clones share the token.
#[derive(Clone, Debug)]
pub struct Client {
    conn: Connection,
}

impl Client {
    /// Starts a client authenticated by a token (a personal access token,
    /// or a GitHub App installation token), sent as a bearer token.
    pub fn builder(token: impl Into<Secret>) -> ClientBuilder {
        ClientBuilder {
            token: token.into(),
            base_url: DEFAULT_BASE_URL.to_string(),
            user_agent: DEFAULT_USER_AGENT.to_string(),
            timeouts: Timeouts::default(),
        }
    }

    /// Replaces the token for every later call (tokens expire).
    pub fn set_token(&self, token: impl Into<Secret>) -> Result<(), ConfigError> {
        self.conn.settings.credential.replace(&bearer(&token.into()))
    }

    /// The API URL requests go to.
    pub fn base_url(&self) -> &str {
        &self.conn.base_url
    }

    fn call(&self) -> generated::Client {
        generated::Client {
            baseurl: self.conn.base_url.clone(),
            client: self.conn.http.clone(),
            inner: self.conn.context(),
        }
    }

    /// `PUT /orgs/{org}/teams/{team_slug}/memberships/{username}`: adds an
    /// organization member to a team, or changes their role. Someone outside
    /// the organization is invited, and the membership is `pending`.
    pub async fn add_or_update_team_membership_for_user_in_org(
        &self,
        org: &str,
        team_slug: &str,
        username: &str,
        body: &types::TeamMembershipRequest,
    ) -> Result<ResponseValue<types::TeamMembership>, Error> {
        path::segment("org", org)?;
        path::segment("team_slug", team_slug)?;
        path::segment("username", username)?;
        let call = self.call();
        finish(
            call.add_or_update_team_membership_for_user_in_org(org, team_slug, username, body)
                .await,
            &call.inner,
        )
        .await
    }

    /// `PUT /organizations/{org_id}/team/{team_id}/memberships/{username}`:
    /// the same, naming the organization and team by their numeric ids.
    pub async fn add_or_update_team_membership_for_user_by_id(
        &self,
        org_id: i64,
        team_id: i64,
        username: &str,
        body: &types::TeamMembershipRequest,
    ) -> Result<ResponseValue<types::TeamMembership>, Error> {
        path::segment("username", username)?;
        let call = self.call();
        finish(
            call.add_or_update_team_membership_for_user_by_id(org_id, team_id, username, body)
                .await,
            &call.inner,
        )
        .await
    }
}
