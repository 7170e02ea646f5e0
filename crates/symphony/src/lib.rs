//! Typed async client for Symphony's pod administration API for user groups:
//! update a group, assign a group to a user, add or update a membership.
//!
//! ```no_run
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! use symphony_client::{types, Client};
//!
//! // There is no default pod: name yours.
//! let client = Client::builder()
//!     .base_url("https://acme.symphony.com/pod")
//!     .session_token("session-token")
//!     .build()?;
//! let body = types::UserGroupMembershipRequest { active: Some(true) };
//! let membership = client.update_user_group_membership("group-1", 7215545078541, &body).await?;
//! println!("{:?}", membership.active);
//! # Ok(()) }
//! ```
//!
//! Everything is generated from `specs/symphony/` (the vendor's documents
//! and `overlay.yaml`) into `generated.rs` by `cargo xtask generate`: the
//! `sessionToken` security scheme, the pod server, the three operations and
//! the error type with Symphony's `{code, message}` body.
//!
//! With the cargo feature `bot-auth`, a bot authenticates with its RSA key
//! instead ([`BotAuthenticator`], through the generated
//! `symphony-login-client`), in one line:
//!
//! ```no_run
//! # fn run() -> Result<(), symphony_client::ConfigError> {
//! let client = symphony_client::Client::for_bot("https://acme.symphony.com", "provisioning-bot", "rsa/bot-key.pem")?;
//! # Ok(()) }
//! ```

// Formatted by prettyplease at generation time; rustfmt leaves it alone.
#[rustfmt::skip]
#[allow(clippy::all, clippy::pedantic)]
mod generated;

pub use generated::*;

#[cfg(feature = "bot-auth")]
mod bot;

#[cfg(feature = "bot-auth")]
pub use bot::{BotAuthenticator, JWT_LIFETIME};
