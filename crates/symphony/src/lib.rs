//! Typed async client for Symphony's pod administration API for user groups:
//! update a group, assign a group to a user, add or update a membership.
//!
//! ```no_run
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! use symphony_client::{types, Client};
//!
//! // There is no default pod: name yours. `/pod` is added to the host.
//! let client = Client::for_pod("acme.symphony.com")?
//!     .session_token("session-token")
//!     .build()?;
//! let body = types::UserGroupMembershipRequest::new().active(true);
//! let membership = client.update_user_group_membership("group-1", 7215545078541, &body).await?;
//! println!("{:?}", membership.user.as_ref().and_then(|u| u.username()));
//! # Ok(()) }
//! ```
//!
//! # The pod URL
//!
//! The pod API lives under `/pod` on the pod's host: Symphony documents
//! each call as `PUT /pod/v2/admin/usergroups/...` on
//! `yourpodURL.symphony.com`. [`Client::for_pod`] (and [`pod_url`]) take the
//! host (`acme.symphony.com`), the pod's name (`acme`, for
//! `acme.symphony.com`) or a URL, and add `/pod` when the URL has no path.
//! [`ClientBuilder::base_url`] takes the URL as it is: a bare host there
//! (`https://acme.symphony.com`) is a valid URL, so the client builds, and
//! every call then goes to `/v2/...` on the pod's web host and fails with a
//! 404.
//!
//! Everything else is generated from `specs/symphony/` (the vendor's
//! documents and `overlay.yaml`) into `generated.rs` by `cargo xtask
//! generate`: the `sessionToken` security scheme, the pod server, the three
//! operations and the error type with Symphony's `{code, message}` body.
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

/// The path of the pod API on a pod's host.
const POD_PATH: &str = "/pod";

/// The base URL of a pod's API, from the pod's host (`acme.symphony.com`),
/// its name (`acme`, which means `acme.symphony.com`, the spec's
/// `https://{pod}.symphony.com/pod`) or a URL (`https://acme.symphony.com`,
/// or one that already ends in `/pod`).
///
/// A URL without a path gets `/pod`; a URL whose path ends in `/pod` (a pod
/// behind a proxy, `https://proxy.example/symphony/pod`) is kept; any other
/// path (`/agent`, `/login`, `/pod/v2`) is refused, since no pod API call
/// would reach the pod there. Without a scheme, `https://` is assumed. The
/// URL is checked further when the client is built.
pub fn pod_url(pod: &str) -> Result<String, ConfigError> {
    let pod = pod.trim();
    if pod.is_empty() {
        return Err(ConfigError::new(
            "the pod is empty: give its host, such as acme.symphony.com",
        ));
    }
    let is_name = pod.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
    let url = if pod.contains("://") {
        pod.to_string()
    } else if is_name {
        format!("https://{pod}.symphony.com")
    } else {
        format!("https://{pod}")
    };
    let Ok(mut parsed) = reqwest::Url::parse(&url) else {
        // Left to the builder, whose message never shows a password.
        return Ok(url);
    };
    let path = parsed.path().trim_end_matches('/').to_string();
    if path.is_empty() {
        parsed.set_path(POD_PATH);
    } else if path.ends_with(POD_PATH) {
        parsed.set_path(&path);
    } else {
        return Err(ConfigError::new(format!(
            "the pod API lives under `{POD_PATH}` on the pod's host, not under `{path}`: give the \
             host (acme.symphony.com) or a URL that ends in `{POD_PATH}`"
        )));
    }
    Ok(parsed.as_str().trim_end_matches('/').to_string())
}

impl Client {
    /// Starts a client for a pod's API: [`pod_url`] of `pod` as the base
    /// URL, so `acme.symphony.com` (or `acme`, or
    /// `https://acme.symphony.com`) becomes `https://acme.symphony.com/pod`.
    pub fn for_pod(pod: &str) -> Result<ClientBuilder, ConfigError> {
        Ok(Client::builder().base_url(&pod_url(pod)?))
    }
}

impl types::MembershipData {
    /// The user's username, whichever spelling the pod sent: `userName`, as
    /// this operation's document spells it, or `username`, as Symphony's
    /// other membership endpoints do.
    pub fn username(&self) -> Option<&str> {
        self.username.as_deref().or(self.user_name.as_deref())
    }
}

#[cfg(feature = "bot-auth")]
mod bot;

#[cfg(feature = "bot-auth")]
pub use bot::{BotAuthenticator, JWT_LIFETIME};
