//! Typed async client for Capillary's user-group member permissions API
//! (`PUT /v2/userGroup2/members/permissions`).
//!
//! ```no_run
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! use capillary_client::{types, Client, Permission, Region};
//!
//! let client = Client::in_region(&Region::Eu).oauth_token("access-token").build()?;
//! let body = [types::MemberPermissionUpdate { user_id: 109983515, permissions: Permission::AllowPointsTransfer }];
//! let result = client.update_user_group_member_permissions(3839, &body.to_vec()).await?;
//! println!("{:?} processed, {:?} failed", result.total_count, result.failure_count);
//! # Ok(()) }
//! ```
//!
//! `generated.rs` is written by `cargo xtask generate` from `specs/capillary/`
//! (the Basic and OAuth schemes, the regional servers, the operation, the
//! error type). This file adds what no spec can say: Capillary's Basic
//! encoding (the MD5 of the password), the regions by name, the open
//! `Permission` enum and the error codes.

use std::str::FromStr;

use base64::Engine as _;

// Formatted by prettyplease at generation time; rustfmt leaves it alone.
#[rustfmt::skip]
#[allow(clippy::all, clippy::pedantic)]
mod generated;

pub use generated::*;

/// Capillary's error code for an invalid user group member ID.
pub const INVALID_MEMBER_ID: i64 = 1632;

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
    let pair = format!("{user}:{digest:x}");
    Secret::new(format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(pair)
    ))
}

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

impl Client {
    /// Starts a client for a region's cluster.
    pub fn in_region(region: &Region) -> ClientBuilder {
        Client::builder().base_url(region.base_url())
    }
}
