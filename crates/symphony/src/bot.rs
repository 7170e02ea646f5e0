//! Symphony bot authentication (cargo feature `bot-auth`), as Symphony's
//! own BDK does it: a JWT `{sub: <bot username>, exp: now + 4 min}` signed
//! RS512 with the bot's RSA private key is posted to the pod's login API
//! (`POST /login/pubkey/authenticate`, the generated
//! `symphony-login-client`), which answers with the session token the pod
//! API takes in its `sessionToken` header.
//!
//! [`BotAuthenticator`] is a [`TokenProvider`]: given to
//! `ClientBuilder::session_token_provider`, it authenticates on the first
//! call, again after a 401 and before a known expiry, one login for many
//! concurrent calls. [`Client::for_bot`] builds such a client in one line.
//!
//! The JWT is signed with ring, which every client already compiles for
//! TLS: no JWT crate, no OpenSSL, no aws-lc. The key is read from PEM,
//! PKCS#8 (`BEGIN PRIVATE KEY`) or PKCS#1 (`BEGIN RSA PRIVATE KEY`).

use std::fmt;
use std::path::Path;
use std::time::{Duration, SystemTime};

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use ring::rand::SystemRandom;
use ring::signature::{RSA_PKCS1_SHA512, RsaKeyPair};
use rustls_pki_types::PrivateKeyDer;
use rustls_pki_types::pem::PemObject as _;
use symphony_login_client::types::AuthenticateRequest;

use crate::{Client, ConfigError, Token, TokenError, TokenProvider};

/// How long the authentication JWT is valid: Symphony refuses one that
/// expires more than 5 minutes ahead, so 4 leave room for clock skew.
pub const JWT_LIFETIME: Duration = Duration::from_secs(240);

/// `{"alg":"RS512","typ":"JWT"}`, the JWT header Symphony expects.
const JWT_HEADER: &str = r#"{"alg":"RS512","typ":"JWT"}"#;

/// Authenticates a bot with its RSA key at the pod's login API, and gives
/// the session token to the pod client that holds it.
///
/// ```no_run
/// use symphony_client::{BotAuthenticator, Client};
///
/// # fn run() -> Result<(), symphony_client::ConfigError> {
/// // In one line, for a pod whose pod and login APIs share its host:
/// let client = Client::for_bot("https://acme.symphony.com", "provisioning-bot", "rsa/bot-key.pem")?;
///
/// // Or with the login API elsewhere, a known session lifetime, or the login client's own settings:
/// let login = symphony_login_client::Client::builder()
///     .base_url("https://acme-login.symphony.com/login")
///     .build()?;
/// let bot = BotAuthenticator::from_key_file(login, "provisioning-bot", "rsa/bot-key.pem")?
///     .session_lifetime(std::time::Duration::from_secs(7 * 24 * 3600));
/// let client = Client::builder()
///     .base_url("https://acme.symphony.com/pod")
///     .session_token_provider(bot)
///     .build()?;
/// # Ok(()) }
/// ```
pub struct BotAuthenticator {
    login: symphony_login_client::Client,
    username: String,
    key: RsaKeyPair,
    rng: SystemRandom,
    session_lifetime: Option<Duration>,
}

impl fmt::Debug for BotAuthenticator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BotAuthenticator")
            .field("login", &self.login.base_url())
            .field("username", &self.username)
            .field("key", &"<redacted>")
            .field("session_lifetime", &self.session_lifetime)
            .finish()
    }
}

impl BotAuthenticator {
    /// Authenticates `username` at `login` with the RSA private key in
    /// `private_key_pem` (PKCS#8 or PKCS#1, at least 2048 bits).
    pub fn new(
        login: symphony_login_client::Client,
        username: impl Into<String>,
        private_key_pem: &[u8],
    ) -> Result<Self, ConfigError> {
        let username = username.into();
        if username.trim().is_empty() {
            return Err(ConfigError::new("the bot's username must not be empty"));
        }
        Ok(Self {
            login,
            username,
            key: rsa_key(private_key_pem)?,
            rng: SystemRandom::new(),
            session_lifetime: None,
        })
    }

    /// The same, with the key read from a PEM file.
    pub fn from_key_file(
        login: symphony_login_client::Client,
        username: impl Into<String>,
        key_file: impl AsRef<Path>,
    ) -> Result<Self, ConfigError> {
        let path = key_file.as_ref();
        let pem = std::fs::read(path).map_err(|e| {
            ConfigError::new(format!(
                "cannot read the bot's private key `{}`: {e}",
                path.display()
            ))
        })?;
        Self::new(login, username, &pem)
    }

    /// How long a session lasts on your pod (its session-timeout setting),
    /// so a new session is made shortly before it ends. Without it, the
    /// session token's own `exp` is used when it carries one, and otherwise
    /// the session is renewed when the pod answers 401.
    pub fn session_lifetime(mut self, lifetime: Duration) -> Self {
        self.session_lifetime = Some(lifetime);
        self
    }

    /// The bot's username.
    pub fn username(&self) -> &str {
        &self.username
    }

    /// A fresh authentication JWT: `{sub, exp}` signed RS512.
    pub fn jwt(&self) -> Result<String, TokenError> {
        let now = SystemTime::now()
            .duration_since(SystemTime::UNIX_EPOCH)
            .map_err(|_| TokenError::new("the system clock is before 1970"))?;
        let claims = serde_json::json!({
            "sub": self.username,
            "exp": (now + JWT_LIFETIME).as_secs(),
        });
        let signing_input = format!(
            "{}.{}",
            URL_SAFE_NO_PAD.encode(JWT_HEADER),
            URL_SAFE_NO_PAD.encode(claims.to_string())
        );
        let mut signature = vec![0; self.key.public().modulus_len()];
        self.key
            .sign(
                &RSA_PKCS1_SHA512,
                &self.rng,
                signing_input.as_bytes(),
                &mut signature,
            )
            .map_err(|_| TokenError::new("signing the authentication JWT failed"))?;
        Ok(format!("{signing_input}.{}", URL_SAFE_NO_PAD.encode(signature)))
    }
}

impl TokenProvider for BotAuthenticator {
    async fn token(&self) -> Result<Token, TokenError> {
        let request = AuthenticateRequest::new().token(self.jwt()?);
        let response = self.login.post_pubkey_authenticate(&request).await.map_err(|e| {
            TokenError::new(format!(
                "the login API did not authenticate bot `{}`: {e}",
                self.username
            ))
        })?;
        let session = response
            .into_inner()
            .token
            .filter(|t| !t.is_empty())
            .ok_or_else(|| TokenError::new("the login API answered without a session token"))?;
        let expiry = match self.session_lifetime {
            Some(lifetime) => SystemTime::now().checked_add(lifetime),
            None => jwt_expiry(&session),
        };
        let token = Token::new(session);
        Ok(match expiry {
            Some(at) => token.expires_at(at),
            None => token,
        })
    }
}

impl Client {
    /// A client for the pod at `pod_url` (such as
    /// `https://acme.symphony.com`: the pod API at `/pod`, the login API at
    /// `/login`), authenticated as bot `username` with the RSA private key
    /// in the PEM file `key_file`. Sessions are made when needed and renewed
    /// after a 401. For other layouts or settings, see [`BotAuthenticator`].
    pub fn for_bot(pod_url: &str, username: &str, key_file: impl AsRef<Path>) -> Result<Client, ConfigError> {
        let host = pod_url.trim_end_matches('/');
        let login = symphony_login_client::Client::builder()
            .base_url(&format!("{host}/login"))
            .build()?;
        let bot = BotAuthenticator::from_key_file(login, username, key_file)?;
        Client::builder()
            .base_url(&format!("{host}/pod"))
            .session_token_provider(bot)
            .build()
    }
}

/// The RSA key pair in a PEM text, PKCS#8 or PKCS#1.
fn rsa_key(pem: &[u8]) -> Result<RsaKeyPair, ConfigError> {
    let refused = |why: &str| ConfigError::new(format!("the bot's private key {why}"));
    let key = PrivateKeyDer::from_pem_slice(pem)
        .map_err(|_| refused("is not a PEM private key (`BEGIN PRIVATE KEY` or `BEGIN RSA PRIVATE KEY`)"))?;
    let parsed = match &key {
        PrivateKeyDer::Pkcs8(der) => RsaKeyPair::from_pkcs8(der.secret_pkcs8_der()),
        PrivateKeyDer::Pkcs1(der) => RsaKeyPair::from_der(der.secret_pkcs1_der()),
        _ => return Err(refused("is not an RSA key")),
    };
    parsed.map_err(|e| refused(&format!("was refused: {e}")))
}

/// The `exp` of a token that is a JWT, as a scheduling hint only (the
/// signature is not checked: a wrong guess costs one 401 and a renewal).
fn jwt_expiry(token: &str) -> Option<SystemTime> {
    let mut parts = token.split('.');
    let (_, claims, _) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() {
        return None;
    }
    let claims: serde_json::Value = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(claims).ok()?).ok()?;
    let exp = claims.get("exp")?.as_u64()?;
    SystemTime::UNIX_EPOCH.checked_add(Duration::from_secs(exp))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_jwt_shaped_session_token_gives_its_expiry_and_others_none() {
        let claims = URL_SAFE_NO_PAD.encode(r#"{"sub":"bot","exp":1700000000}"#);
        let token = format!("eyJhbGciOiJSUzUxMiJ9.{claims}.c2ln");
        assert_eq!(
            jwt_expiry(&token),
            Some(SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000))
        );
        assert_eq!(jwt_expiry("opaque-session-token"), None);
        assert_eq!(jwt_expiry("a.b.c"), None);
        assert_eq!(jwt_expiry(&format!("a.{claims}.c.d")), None);
    }

    #[test]
    fn keys_that_are_not_rsa_pem_are_refused_without_showing_them() {
        for (pem, why) in [
            (&b"not a key"[..], "is not a PEM private key"),
            (
                b"-----BEGIN PRIVATE KEY-----\nMIIBVQ==\n-----END PRIVATE KEY-----\n",
                "was refused",
            ),
        ] {
            let e = rsa_key(pem).err().map(|e| e.to_string()).unwrap_or_default();
            assert!(e.contains(why), "{e}");
            assert!(!e.contains("MIIBVQ"), "{e}");
        }
    }
}
