//! Typed async client for Capillary's user-group member permissions API
//! (`PUT /v2/userGroup2/members/permissions`).
//!
//! ```no_run
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! use capillary_client::{types, Client, Permission, Region};
//!
//! let client = Client::in_region(&Region::Eu).oauth_token("access-token").build()?;
//! let body = vec![types::MemberPermissionUpdate::new(vec![Permission::AllowPointsTransfer], 109983515)];
//! let result = client.update_user_group_member_permissions(3839, &body).await?;
//! println!("{:?} processed, {:?} failed", result.total_count, result.failure_count);
//! # Ok(()) }
//! ```
//!
//! A batch where some members fail is not an error: Capillary answers 201
//! ("One or more requests have failed due to errors") with the same body as
//! 200. [`failed`](types::UserGroupPermissionsResponse::failed) lists the
//! entries that carry errors, and `has_code` finds a code in them, on the
//! success body as on the error body:
//!
//! ```no_run
//! # async fn run(client: capillary_client::Client, body: Vec<capillary_client::types::MemberPermissionUpdate>) -> Result<(), capillary_client::Error> {
//! use capillary_client::INVALID_MEMBER_ID;
//!
//! let result = client.update_user_group_member_permissions(3839, &body).await?;
//! for entry in result.failed() {
//!     eprintln!("{:?} failed: {:?}", entry.entity_id.as_ref().and_then(|m| m.user_id.as_ref()), entry.errors);
//! }
//! if result.has_code(INVALID_MEMBER_ID) {
//!     eprintln!("some of them are not members of group 3839");
//! }
//! # Ok(()) }
//! ```
//!
//! `generated.rs` is written by `cargo xtask generate` from `specs/capillary/`
//! (the Basic and OAuth schemes, the regional servers, the operation, the
//! error type). This file adds what no spec can say: Capillary's Basic
//! encoding (the MD5 of the password), the regions by name, the open
//! `Permission` enum and the error codes.

use std::str::FromStr;

// Formatted by prettyplease at generation time; rustfmt leaves it alone.
#[rustfmt::skip]
#[allow(clippy::all, clippy::pedantic)]
mod generated;

pub use generated::*;

/// Capillary's error code 1632: "Invalid user group member ID passed. Make
/// sure that the user group ID is valid." (the "Update permissions" page).
pub const INVALID_MEMBER_ID: i64 = 1632;

/// Capillary's request-level error code 1060: "Batch limit size exceeded."
/// (Capillary's "API status codes" page).
pub const BATCH_LIMIT_EXCEEDED: i64 = 1060;

/// Capillary's request-level error code 1064: "Invalid org ID passed."
/// (Capillary's "API status codes" page).
pub const INVALID_ORG_ID: i64 = 1064;

usergroup_client_core::open_enum! {
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

/// Capillary's Basic credential: `Basic base64(user ":" md5hex(password))`
/// (the manifest's `[auth.basicAuth] encode`). The password itself is
/// never kept.
pub fn md5_basic(user: &str, password: &Secret) -> Secret {
    let digest = md5::compute(password.expose().as_bytes());
    usergroup_client_core::basic_authorization(user, &format!("{digest:x}"))
}

/// The error codes of the entries of a batch (`response[].errors[].code`),
/// which the success and the error body both carry.
fn entry_codes(entries: &[types::PermissionUpdateResult]) -> impl Iterator<Item = i64> + '_ {
    entries.iter().flat_map(|e| &e.errors).filter_map(|e| e.code)
}

impl types::UserGroupPermissionsResponse {
    /// The entries that failed: those that carry errors (a 201 answer has
    /// `failureCount` of them).
    pub fn failed(&self) -> impl Iterator<Item = &types::PermissionUpdateResult> {
        self.response.iter().filter(|e| !e.errors.is_empty())
    }

    /// Every Capillary error code of the failed entries.
    pub fn codes(&self) -> Vec<i64> {
        entry_codes(&self.response).collect()
    }

    /// Whether a failed entry carries this Capillary error code.
    pub fn has_code(&self, code: i64) -> bool {
        entry_codes(&self.response).any(|c| c == code)
    }
}

impl types::CapillaryErrorResponse {
    /// Every Capillary error code in the body: the request's (`errors`,
    /// `status`), then each entry's.
    pub fn codes(&self) -> Vec<i64> {
        let listed = self.errors.iter().filter_map(|e| e.code);
        let status = self.status.as_ref().and_then(|s| s.code);
        listed.chain(status).chain(entry_codes(&self.response)).collect()
    }

    /// Whether the body carries this Capillary error code, for the request
    /// or for one of its entries.
    pub fn has_code(&self, code: i64) -> bool {
        self.codes().contains(&code)
    }
}

/// Capillary's clusters, as the "Host URLs" table of its API overview lists
/// them (the spec's servers). The region must be your organization's
/// cluster.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Region {
    /// Europe: `https://eu.api.capillarytech.com`.
    Eu,
    /// Asia 1, the India cluster: `https://apac.api.capillarytech.com`.
    Apac,
    /// Asia 2 (APAC2): `https://apac2.api.capillarytech.com`.
    Apac2,
    /// United States: `https://us.api.capillarytech.com`.
    Us,
    /// China: `https://api.capillarytech.cn.com`. Capillary lists
    /// `https://cdn-api.capillarytech.cn.com` for it too; give that one as a
    /// [`Region::Url`].
    China,
    /// Any other host, such as a proxy or a test server.
    Url(String),
}

impl Region {
    /// Every cluster Capillary documents, in the spec's order.
    pub const CLUSTERS: [Region; 5] = [Region::Eu, Region::Apac, Region::Apac2, Region::Us, Region::China];

    /// The names of each cluster in Capillary's host tables, in the order
    /// of [`Region::CLUSTERS`] (and of the spec's servers).
    const NAMES: [&'static [&'static str]; 5] = [
        &["eu", "europe"],
        &["apac", "asia1", "in", "india"],
        &["apac2", "asia2"],
        &["us"],
        &["cn", "china"],
    ];

    /// The base URL of the region: a cluster's is the spec's server.
    pub fn base_url(&self) -> &str {
        match self {
            Region::Url(url) => url,
            cluster => {
                SERVERS[Self::CLUSTERS
                    .iter()
                    .position(|c| c == cluster)
                    .unwrap_or_default()]
            }
        }
    }
}

impl FromStr for Region {
    type Err = ConfigError;

    /// A region by the names Capillary's host tables use (`eu` or `europe`;
    /// `apac`, `asia1`, `in` or `india`; `apac2` or `asia2`; `us`; `cn` or
    /// `china`) or a URL.
    fn from_str(s: &str) -> Result<Self, ConfigError> {
        let name = s.trim().to_ascii_lowercase();
        let known = Self::NAMES
            .iter()
            .position(|names| names.contains(&name.as_str()));
        match known {
            Some(i) => Ok(Self::CLUSTERS[i].clone()),
            None if s.contains("://") => Ok(Region::Url(s.trim().to_string())),
            None => Err(ConfigError::new(format!(
                "unknown Capillary region `{s}`: use eu, apac, apac2, us, china or a URL"
            ))),
        }
    }
}

impl Client {
    /// Starts a client for a region's cluster.
    pub fn in_region(region: &Region) -> ClientBuilder {
        Client::builder().base_url(region.base_url())
    }
}
