//! Typed async client for Symphony's pod administration API for user groups:
//! update a group, assign a group to a user, add or update a membership.
//!
//! ```no_run
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! use symphony_client::{types, Client};
//!
//! let client = Client::builder("https://acme.symphony.com/pod", "session-token").build()?;
//! let body = types::UserGroupMembershipRequest { active: Some(true) };
//! let membership = client.update_user_group_membership("group-1", 7215545078541, &body).await?;
//! println!("{:?}", membership.active);
//! # Ok(()) }
//! ```
//!
//! `generated.rs` is written by `cargo xtask generate` from `specs/symphony/`;
//! this file is the hand-written layer around it: the `sessionToken` header,
//! the pod URL, timeouts, and errors that keep the HTTP status.

pub use client_core::ResponseValue;
use client_core::{
    ConfigError, Connection, CredentialHeader, Secret, Settings, Timeouts, error::finish, path,
};
pub use generated::types;

// Formatted by prettyplease at generation time; rustfmt leaves it alone.
#[rustfmt::skip]
#[allow(clippy::all, clippy::pedantic, unused)]
mod generated;

/// An error from a Symphony call: the HTTP status, Symphony's `{code, message}`
/// when it sent one, or the start of the body.
pub type Error = client_core::Error<types::Error>;

impl client_core::VendorError for types::Error {
    fn summary(&self) -> Option<String> {
        match (&self.code, &self.message) {
            (Some(code), Some(message)) => Some(format!("{message} (code {code})")),
            (None, Some(message)) => Some(message.clone()),
            (Some(code), None) => Some(format!("code {code}")),
            (None, None) => None,
        }
    }
}

client_core::impl_client_hooks!(generated::Client);

/// Builds a [`Client`].
#[derive(Debug)]
pub struct ClientBuilder {
    pod_url: String,
    session_token: Secret,
    timeouts: Timeouts,
}

impl ClientBuilder {
    client_core::timeout_setters!();

    /// Checks the settings and builds the client.
    pub fn build(self) -> Result<Client, ConfigError> {
        let credential = CredentialHeader::new("sessiontoken", &self.session_token)?;
        Ok(Client {
            conn: Connection::new(&self.pod_url, self.timeouts, Settings::new(credential))?,
        })
    }
}

/// A Symphony pod client. Cheap to clone; clones share the session token.
#[derive(Clone, Debug)]
pub struct Client {
    conn: Connection,
}

impl Client {
    /// Starts a client for a pod, such as `https://acme.symphony.com/pod`
    /// (there is no default pod), authenticated by a session token.
    pub fn builder(pod_url: &str, session_token: impl Into<Secret>) -> ClientBuilder {
        ClientBuilder {
            pod_url: pod_url.to_string(),
            session_token: session_token.into(),
            timeouts: Timeouts::default(),
        }
    }

    /// Replaces the session token for every later call (sessions expire).
    pub fn set_session_token(&self, session_token: impl Into<Secret>) -> Result<(), ConfigError> {
        self.conn.settings.credential.replace(&session_token.into())
    }

    /// The pod URL requests go to.
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

    /// `PUT /v2/admin/usergroups/{groupId}`: updates a group's name, area,
    /// description or status.
    pub async fn update_user_group(
        &self,
        group_id: &str,
        body: &types::UserGroupUpdate,
    ) -> Result<ResponseValue<types::UserGroupResponse>, Error> {
        path::segment("group_id", group_id)?;
        let call = self.call();
        finish(call.update_user_group(group_id, body).await, &call.inner).await
    }

    /// `PUT /v2/admin/usergroups/{groupId}/assignments/{userId}`: assigns the
    /// group to the user (200 for an update, 201 for a new assignment).
    pub async fn update_user_group_assignment(
        &self,
        group_id: &str,
        user_id: i64,
        body: &types::UserGroupMembershipUpdate,
    ) -> Result<ResponseValue<types::UserGroupAssignmentResponse>, Error> {
        path::segment("group_id", group_id)?;
        let call = self.call();
        finish(
            call.update_user_group_assignment(group_id, user_id, body).await,
            &call.inner,
        )
        .await
    }

    /// `PUT /v2/admin/usergroups/{groupId}/memberships/{userId}`: adds the
    /// user to the group, or updates the membership.
    pub async fn update_user_group_membership(
        &self,
        group_id: &str,
        user_id: i64,
        body: &types::UserGroupMembershipRequest,
    ) -> Result<ResponseValue<types::UserGroupMembershipData>, Error> {
        path::segment("group_id", group_id)?;
        let call = self.call();
        finish(
            call.update_user_group_membership(group_id, user_id, body).await,
            &call.inner,
        )
        .await
    }
}
