//! Typed async client for Capillary's user-group member permissions API
//! (`PUT /v2/userGroup2/members/permissions`).
//!
//! ```no_run
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! use capillary_client::{types, Client, Credentials, Permission, Region};
//!
//! let client = Client::builder(Region::Eu, Credentials::oauth("access-token")).build()?;
//! let body = [types::MemberPermissionUpdate { user_id: 109983515, permissions: Permission::AllowPointsTransfer }];
//! let result = client.update_user_group_member_permissions(3839, &body).await?;
//! println!("{:?} processed, {:?} failed", result.total_count, result.failure_count);
//! # Ok(()) }
//! ```
//!
//! `generated.rs` is written by `cargo xtask generate` from `specs/capillary/`;
//! this file is the hand-written layer around it: Basic or OAuth
//! credentials, regional hosts, and errors that keep the HTTP status and
//! Capillary's error codes.

use std::fmt;
use std::str::FromStr;

pub use client_core::ResponseValue;
use client_core::{ConfigError, Connection, CredentialHeader, Secret, Settings, Timeouts, error::finish};
pub use generated::types;
use reqwest::header::HeaderName;

// Formatted by prettyplease at generation time; rustfmt leaves it alone.
#[rustfmt::skip]
#[allow(clippy::all, clippy::pedantic, unused)]
mod generated;

mod base64;

/// Capillary's error code for an invalid user group member ID.
pub const INVALID_MEMBER_ID: i64 = 1632;

client_core::open_enum! {
    /// A points permission of a user-group member.
    pub enum Permission {
        /// May redeem points.
        AllowPointsRedemption = "allow_points_redemption",
        /// May transfer points.
        AllowPointsTransfer = "allow_points_transfer",
        /// May not redeem points.
        BlockPointsRedemption = "block_points_redemption",
        /// May not transfer points.
        BlockPointsTransfer = "block_points_transfer",
    }
}

/// An error from a Capillary call: the HTTP status, Capillary's error body
/// (with its codes, such as [`INVALID_MEMBER_ID`]) or the start of the body.
pub type Error = client_core::Error<types::CapillaryErrorResponse>;

impl types::CapillaryErrorResponse {
    /// Every Capillary error code in the body.
    pub fn codes(&self) -> Vec<i64> {
        let listed = self.errors.iter().filter_map(|e| e.code);
        listed.chain(self.status.as_ref().and_then(|s| s.code)).collect()
    }

    /// Whether the body carries this Capillary error code.
    pub fn has_code(&self, code: i64) -> bool {
        self.codes().contains(&code)
    }
}

impl client_core::VendorError for types::CapillaryErrorResponse {
    fn summary(&self) -> Option<String> {
        let from_errors = self.errors.iter().map(|e| match (&e.message, e.code) {
            (Some(m), Some(c)) => format!("{m} (code {c})"),
            (Some(m), None) => m.clone(),
            (None, Some(c)) => format!("code {c}"),
            (None, None) => String::new(),
        });
        let from_status = self.status.iter().filter_map(|s| s.message.clone());
        let all: Vec<String> = from_errors.chain(from_status).filter(|s| !s.is_empty()).collect();
        (!all.is_empty()).then(|| all.join("; "))
    }
}

client_core::impl_client_hooks!(generated::Client);

/// Capillary's regional API hosts. The region must be your organization's
/// cluster.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Region {
    /// Europe: `https://eu.api.capillarytech.com`.
    Eu,
    /// India: `https://apac.api.capillarytech.com`.
    Apac,
    /// Asia-Pacific (Singapore): `https://apac2.api.capillarytech.com`.
    Apac2,
    /// United States: `https://us.api.capillarytech.com`.
    Us,
    /// Any other host, such as a proxy or a test server.
    Url(String),
}

impl Region {
    /// The base URL of the region.
    pub fn base_url(&self) -> &str {
        match self {
            Region::Eu => "https://eu.api.capillarytech.com",
            Region::Apac => "https://apac.api.capillarytech.com",
            Region::Apac2 => "https://apac2.api.capillarytech.com",
            Region::Us => "https://us.api.capillarytech.com",
            Region::Url(url) => url,
        }
    }
}

impl FromStr for Region {
    type Err = ConfigError;

    /// A region by name (`eu`, `apac`, `apac2`, `us`) or an `https://` URL.
    fn from_str(s: &str) -> Result<Self, ConfigError> {
        match s.trim().to_ascii_lowercase().as_str() {
            "eu" => Ok(Region::Eu),
            "apac" | "in" | "india" => Ok(Region::Apac),
            "apac2" | "sg" => Ok(Region::Apac2),
            "us" => Ok(Region::Us),
            _ if s.contains("://") => Ok(Region::Url(s.trim().to_string())),
            _ => Err(ConfigError::new(format!(
                "unknown Capillary region `{s}`: use eu, apac, apac2, us or a URL"
            ))),
        }
    }
}

/// How a client authenticates.
#[derive(Clone)]
pub enum Credentials {
    /// HTTP Basic with a till user name and the MD5 of its password, as
    /// Capillary expects.
    Basic {
        /// The till (user) name.
        username: String,
        /// The lowercase hex MD5 of the password.
        password_md5: Secret,
    },
    /// An OAuth access token, sent in `X-CAP-API-OAUTH-TOKEN`.
    OAuth(Secret),
}

impl Credentials {
    /// Basic credentials from a user name and its plain password (hashed
    /// here; the password itself is never kept).
    pub fn basic(username: &str, password: &str) -> Self {
        let digest = md5::compute(password.as_bytes());
        Credentials::Basic {
            username: username.to_string(),
            password_md5: Secret::new(format!("{digest:x}")),
        }
    }

    /// Basic credentials from a user name and the MD5 hex of its password.
    pub fn basic_md5(username: &str, password_md5: impl Into<Secret>) -> Self {
        Credentials::Basic {
            username: username.to_string(),
            password_md5: password_md5.into(),
        }
    }

    /// An OAuth access token (from `POST /v3/oauth/token/generate`).
    pub fn oauth(token: impl Into<Secret>) -> Self {
        Credentials::OAuth(token.into())
    }

    fn header(&self) -> (HeaderName, Secret) {
        match self {
            Credentials::Basic {
                username,
                password_md5,
            } => {
                let pair = format!("{username}:{}", password_md5.expose());
                (
                    reqwest::header::AUTHORIZATION,
                    Secret::new(format!("Basic {}", base64::encode(pair.as_bytes()))),
                )
            }
            Credentials::OAuth(token) => (HeaderName::from_static("x-cap-api-oauth-token"), token.clone()),
        }
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Credentials::Basic { username, .. } => write!(f, "Basic({username}, <redacted>)"),
            Credentials::OAuth(_) => f.write_str("OAuth(<redacted>)"),
        }
    }
}

/// Builds a [`Client`].
#[derive(Debug)]
pub struct ClientBuilder {
    region: Region,
    credentials: Credentials,
    timeouts: Timeouts,
}

impl ClientBuilder {
    client_core::timeout_setters!();

    /// Checks the settings and builds the client.
    pub fn build(self) -> Result<Client, ConfigError> {
        let (name, value) = self.credentials.header();
        let credential = CredentialHeader::new("authorization", &value)?;
        credential.replace_with(name, &value)?;
        Ok(Client {
            conn: Connection::new(self.region.base_url(), self.timeouts, Settings::new(credential))?,
        })
    }
}

/// A Capillary client. Cheap to clone; clones share the credentials.
#[derive(Clone, Debug)]
pub struct Client {
    conn: Connection,
}

impl Client {
    /// Starts a client for a region (or a URL) with Basic or OAuth
    /// credentials.
    pub fn builder(region: Region, credentials: Credentials) -> ClientBuilder {
        ClientBuilder {
            region,
            credentials,
            timeouts: Timeouts::default(),
        }
    }

    /// Replaces the credentials for every later call (an OAuth token
    /// expires after its `ttlSeconds`).
    pub fn set_credentials(&self, credentials: &Credentials) -> Result<(), ConfigError> {
        let (name, value) = credentials.header();
        self.conn.settings.credential.replace_with(name, &value)
    }

    /// The API URL requests go to.
    pub fn base_url(&self) -> &str {
        &self.conn.base_url
    }

    /// `PUT /v2/userGroup2/members/permissions?id={id}`: sets the points
    /// permission of members of user group `id`. Capillary answers per
    /// member: check `failure_count` and each entry's `errors`.
    pub async fn update_user_group_member_permissions(
        &self,
        id: i64,
        members: &[types::MemberPermissionUpdate],
    ) -> Result<ResponseValue<types::UserGroupPermissionsResponse>, Error> {
        if members.is_empty() {
            return Err(Error::InvalidArgument {
                name: "members",
                reason: "give at least one member".into(),
            });
        }
        let call = generated::Client {
            baseurl: self.conn.base_url.clone(),
            client: self.conn.http.clone(),
            inner: self.conn.context(),
        };
        let body = members.to_vec();
        finish(
            call.update_user_group_member_permissions(id, &body).await,
            &call.inner,
        )
        .await
    }
}
