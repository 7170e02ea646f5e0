//! Credentials, one slot per security scheme of the API: given at
//! construction or later (a token expired), shared by every clone of a
//! client, and put on a request only when the operation's security
//! requirements name the scheme. When several alternatives could be sent,
//! the one holding the most recently set credential wins, so switching a
//! client from Basic to a token takes effect. Header values are marked
//! sensitive, so reqwest and HTTP tooling keep them out of their output too.
//!
//! A credential is a value, or a [`Provider`] asked for a token when one is
//! needed ([`crate::provider`]): [`Credentials::apply`] tells which
//! providers a request used, so that after a 401 [`Applied::renew`] gets
//! new tokens for the one retry.

use std::fmt;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, RwLock};

use base64::Engine as _;
use reqwest::header::{AUTHORIZATION, COOKIE, HeaderMap, HeaderName, HeaderValue};

use crate::api::{Scheme, SchemeKind};
use crate::config::ConfigError;
use crate::provider::{Provider, Refreshing, TokenError};
use crate::secret::Secret;

/// The `Authorization` value of HTTP Basic (RFC 7617):
/// `Basic base64(user ":" password)`. For a vendor whose Basic credential
/// is made of something else than the password (a manifest's
/// `[auth.<scheme>] encode` function), with that in its place.
pub fn basic_authorization(user: &str, password: &str) -> Secret {
    let encoded = base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}"));
    Secret::new(format!("Basic {encoded}"))
}

/// A credential as the caller gives it.
#[derive(Clone)]
pub enum Credential {
    /// An API key or token (`apiKey`, `http` bearer, `oauth2`,
    /// `openIdConnect`, other `http` schemes).
    Token(Secret),
    /// A user and password for `http` basic.
    Basic {
        /// The user name.
        user: String,
        /// The password.
        password: Secret,
    },
    /// The whole `Authorization` header value, for a vendor's own encoding
    /// (a manifest's `[auth.<scheme>] encode` hook makes one).
    Authorization(Secret),
    /// A token fetched when needed and refreshed (before its expiry, after
    /// a 401), for the schemes that take a token.
    Provider(Provider),
}

impl Credential {
    /// A credential from a token provider.
    pub fn provider(provider: impl crate::provider::TokenProvider) -> Self {
        Credential::Provider(Provider::new(provider))
    }
}

impl fmt::Debug for Credential {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Credential::Token(_) => f.write_str("Token(<redacted>)"),
            Credential::Basic { user, .. } => write!(f, "Basic({user}, <redacted>)"),
            Credential::Authorization(_) => f.write_str("Authorization(<redacted>)"),
            Credential::Provider(_) => f.write_str("Provider"),
        }
    }
}

/// A credential made ready for the wire.
#[derive(Clone)]
enum Prepared {
    Header(HeaderName, HeaderValue),
    Query(&'static str, Secret),
    Cookie(&'static str, Secret),
}

impl Prepared {
    fn new(scheme: &Scheme, credential: Credential) -> Result<Self, ConfigError> {
        let mismatch = || {
            ConfigError::new(format!(
                "security scheme `{}` takes a {}, not this kind of credential",
                scheme.key,
                match scheme.kind {
                    SchemeKind::Basic => "user and password",
                    _ => "token",
                }
            ))
        };
        let header =
            |name: HeaderName, value: String| Ok(Prepared::Header(name, sensitive(scheme.key, &value)?));
        match (scheme.kind, credential) {
            (SchemeKind::Header(name), Credential::Token(token)) => {
                let name = HeaderName::from_bytes(name.to_ascii_lowercase().as_bytes()).map_err(|_| {
                    ConfigError::new(format!(
                        "security scheme `{}` names a header `{name}` that is not a valid header name",
                        scheme.key
                    ))
                })?;
                header(name, token.expose().to_string())
            }
            (SchemeKind::Query(name), Credential::Token(token)) => Ok(Prepared::Query(name, token)),
            (SchemeKind::Cookie(name), Credential::Token(token)) => {
                if token.expose().contains([';', ',', ' ']) {
                    return Err(ConfigError::new(format!(
                        "the credential for `{}` contains characters a cookie cannot carry",
                        scheme.key
                    )));
                }
                sensitive(scheme.key, token.expose())?;
                Ok(Prepared::Cookie(name, token))
            }
            (SchemeKind::Bearer, Credential::Token(token)) => {
                header(AUTHORIZATION, format!("Bearer {}", token.expose()))
            }
            (SchemeKind::Authorization(word), Credential::Token(token)) => {
                header(AUTHORIZATION, format!("{word} {}", token.expose()))
            }
            (SchemeKind::Basic, Credential::Basic { user, password }) => {
                if user.contains(':') {
                    return Err(ConfigError::new(format!(
                        "the user name for `{}` must not contain `:`",
                        scheme.key
                    )));
                }
                header(
                    AUTHORIZATION,
                    basic_authorization(user.as_str(), password.expose())
                        .expose()
                        .to_string(),
                )
            }
            (
                SchemeKind::Basic | SchemeKind::Bearer | SchemeKind::Authorization(_),
                Credential::Authorization(value),
            ) => header(AUTHORIZATION, value.expose().to_string()),
            _ => Err(mismatch()),
        }
    }
}

fn sensitive(key: &str, value: &str) -> Result<HeaderValue, ConfigError> {
    let mut v = HeaderValue::from_str(value).map_err(|_| {
        ConfigError::new(format!(
            "the credential for `{key}` contains characters a header cannot carry (control characters or newlines)"
        ))
    })?;
    v.set_sensitive(true);
    Ok(v)
}

/// What a slot holds: a credential ready for the wire, or a provider with
/// its current token.
#[derive(Clone)]
enum Held {
    Value(Prepared),
    Refreshing(Arc<Refreshing<Prepared>>),
}

/// One scheme's slot: its credential, with the order in which it was set.
type Slot = RwLock<Option<(u64, Held)>>;

/// The credentials of one client, one slot per security scheme. Clones
/// share the slots, so replacing a credential reaches every clone at once.
#[derive(Clone)]
pub struct Credentials {
    schemes: &'static [Scheme],
    /// Each slot's credential, with the order in which it was set.
    slots: Arc<[Slot]>,
    /// How many credentials were set so far: the next one's order.
    sets: Arc<AtomicU64>,
    /// Whether a provider was ever set: only then may a 401 be retried.
    providers: Arc<AtomicBool>,
}

impl Credentials {
    /// Empty slots for these schemes.
    pub fn new(schemes: &'static [Scheme]) -> Self {
        Self {
            schemes,
            slots: schemes.iter().map(|_| RwLock::new(None)).collect(),
            sets: Arc::default(),
            providers: Arc::default(),
        }
    }

    /// Sets (or replaces) the credential of scheme `index`.
    pub fn set(&self, index: usize, credential: Credential) -> Result<(), ConfigError> {
        let schemes = self.schemes;
        let scheme = schemes
            .get(index)
            .ok_or_else(|| ConfigError::new(format!("no security scheme number {index}")))?;
        let held = match credential {
            Credential::Provider(_) if scheme.kind == SchemeKind::Basic => {
                return Err(ConfigError::new(format!(
                    "security scheme `{}` takes a user and password, not a token provider",
                    scheme.key
                )));
            }
            Credential::Provider(provider) => {
                self.providers.store(true, Ordering::Relaxed);
                Held::Refreshing(Arc::new(Refreshing::new(provider, move |token| {
                    Prepared::new(scheme, Credential::Token(token))
                        .map_err(|e| TokenError::new(e.reason().to_string()))
                })))
            }
            credential => Held::Value(Prepared::new(scheme, credential)?),
        };
        let held = (self.sets.fetch_add(1, Ordering::Relaxed) + 1, held);
        match self.slots[index].write() {
            Ok(mut slot) => *slot = Some(held),
            Err(poisoned) => *poisoned.into_inner() = Some(held),
        }
        Ok(())
    }

    /// The order in which slot `index`'s credential was set, if it holds
    /// one.
    fn order(&self, index: usize) -> Option<u64> {
        let slot = self.slots.get(index)?;
        match slot.read() {
            Ok(v) => v.as_ref().map(|(order, _)| *order),
            Err(poisoned) => poisoned.into_inner().as_ref().map(|(order, _)| *order),
        }
    }

    fn get(&self, index: usize) -> Option<(u64, Held)> {
        let slot = self.slots.get(index)?;
        match slot.read() {
            Ok(v) => v.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    /// Whether a token provider was set, so that a 401 may be answered
    /// with a refresh and one more attempt.
    pub fn has_providers(&self) -> bool {
        self.providers.load(Ordering::Relaxed)
    }

    /// Puts the credentials of one satisfiable alternative of `security` on
    /// the request: the one holding the most recently set credential (the
    /// first on a tie; an empty alternative, anonymous access, only when no
    /// other can be sent). With none satisfiable, nothing is added and the
    /// server answers (a 401, usually). A provider's token is fetched here
    /// when there is none yet or its expiry is near; its failure is the
    /// error.
    pub async fn apply(
        &self,
        security: &[&[usize]],
        request: &mut reqwest::Request,
    ) -> Result<Applied, TokenError> {
        // The alternative to send, chosen on the slots' orders alone, so
        // that nothing is cloned or collected for the ones left unsent.
        let mut chosen: Option<(u64, &[usize])> = None;
        for alternative in security {
            let latest = alternative
                .iter()
                .try_fold(0, |latest, &i| self.order(i).map(|order| latest.max(order)));
            let Some(latest) = latest else { continue };
            if chosen.is_none_or(|(best, _)| latest > best) {
                chosen = Some((latest, alternative));
            }
        }
        let mut applied = Applied::default();
        let chosen = chosen.map_or(&[][..], |(_, alternative)| alternative);
        for (_, held) in chosen.iter().filter_map(|&i| self.get(i)) {
            let prepared = match held {
                Held::Value(prepared) => prepared,
                Held::Refreshing(refreshing) => {
                    let current = refreshing.get().await?;
                    applied.used.push((refreshing, current.generation));
                    current.value
                }
            };
            match prepared {
                Prepared::Header(name, value) => {
                    request.headers_mut().insert(name, value);
                }
                Prepared::Query(name, value) => {
                    request
                        .url_mut()
                        .query_pairs_mut()
                        .append_pair(name, value.expose());
                }
                Prepared::Cookie(name, value) => {
                    add_cookie(request.headers_mut(), name, value.expose(), true)
                }
            }
        }
        Ok(applied)
    }
}

/// The providers whose tokens a request carries, with the generation of
/// each token.
#[derive(Default)]
pub struct Applied {
    used: Vec<(Arc<Refreshing<Prepared>>, u64)>,
}

impl Applied {
    /// Whether the request carried a provider's token, so that a 401 can be
    /// answered with a refresh.
    pub fn refreshable(&self) -> bool {
        !self.used.is_empty()
    }

    /// After a 401: new tokens from every provider the request used, or
    /// the ones another call got meanwhile (one refresh for many calls).
    pub async fn renew(&self) -> Result<(), TokenError> {
        for (refreshing, generation) in &self.used {
            refreshing.renew(*generation).await?;
        }
        Ok(())
    }
}

/// Adds `name=value` to the request's one `Cookie` header; a credential's
/// header is marked sensitive.
pub(crate) fn add_cookie(headers: &mut HeaderMap, name: &str, value: &str, sensitive: bool) {
    let pair = format!("{name}={value}");
    let joined = match headers.get(COOKIE).and_then(|v| v.to_str().ok()) {
        Some(existing) if !existing.is_empty() => format!("{existing}; {pair}"),
        _ => pair,
    };
    if let Ok(mut v) = HeaderValue::from_str(&joined) {
        v.set_sensitive(sensitive || headers.get(COOKIE).is_some_and(HeaderValue::is_sensitive));
        headers.insert(COOKIE, v);
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let set: Vec<String> = self
            .schemes
            .iter()
            .enumerate()
            .map(|(i, s)| match self.get(i) {
                Some((_, Held::Refreshing(_))) => format!("{}: provider", s.key),
                Some(_) => format!("{}: <redacted>", s.key),
                None => format!("{}: unset", s.key),
            })
            .collect();
        write!(f, "Credentials[{}]", set.join(", "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    static SCHEMES: [Scheme; 5] = [
        Scheme {
            key: "bearer",
            kind: SchemeKind::Bearer,
        },
        Scheme {
            key: "basic",
            kind: SchemeKind::Basic,
        },
        Scheme {
            key: "key",
            kind: SchemeKind::Header("X-Api-Key"),
        },
        Scheme {
            key: "q",
            kind: SchemeKind::Query("api_key"),
        },
        Scheme {
            key: "c",
            kind: SchemeKind::Cookie("sid"),
        },
    ];

    fn request() -> reqwest::Request {
        reqwest::Request::new(reqwest::Method::GET, "http://127.0.0.1/x?a=1".parse().unwrap())
    }

    #[tokio::test]
    async fn each_kind_lands_where_its_scheme_says() {
        let c = Credentials::new(&SCHEMES);
        c.set(0, Credential::Token("t0".into())).unwrap();
        c.set(
            1,
            Credential::Basic {
                user: "u".into(),
                password: "p".into(),
            },
        )
        .unwrap();
        c.set(2, Credential::Token("k".into())).unwrap();
        c.set(3, Credential::Token("q&v".into())).unwrap();
        c.set(4, Credential::Token("s".into())).unwrap();
        let mut r = request();
        c.apply(&[&[2, 3, 4]], &mut r).await.unwrap();
        assert_eq!(r.headers()["x-api-key"], "k");
        assert!(r.headers()["x-api-key"].is_sensitive());
        assert_eq!(r.url().query(), Some("a=1&api_key=q%26v"));
        assert_eq!(r.headers()["cookie"], "sid=s");
        assert!(r.headers().get("authorization").is_none());
        let mut r = request();
        c.apply(&[&[1]], &mut r).await.unwrap();
        assert_eq!(r.headers()["authorization"], "Basic dTpw");
        let mut r = request();
        c.apply(&[&[0]], &mut r).await.unwrap();
        assert_eq!(r.headers()["authorization"], "Bearer t0");
    }

    #[tokio::test]
    async fn the_most_recently_set_alternative_wins_and_none_adds_nothing() {
        let c = Credentials::new(&SCHEMES);
        c.set(2, Credential::Token("k".into())).unwrap();
        let mut r = request();
        c.apply(&[&[0], &[2]], &mut r).await.unwrap();
        assert_eq!(r.headers()["x-api-key"], "k");
        assert!(r.headers().get("authorization").is_none());
        // Setting the bearer token later switches to it; the key is not sent.
        c.set(0, Credential::Token("t".into())).unwrap();
        let mut r = request();
        c.apply(&[&[2], &[0], &[]], &mut r).await.unwrap();
        assert_eq!(r.headers()["authorization"], "Bearer t");
        assert!(r.headers().get("x-api-key").is_none());
        // And back, by setting the key again.
        c.set(2, Credential::Token("k2".into())).unwrap();
        let mut r = request();
        c.apply(&[&[0], &[2]], &mut r).await.unwrap();
        assert_eq!(r.headers()["x-api-key"], "k2");
        assert!(r.headers().get("authorization").is_none());
        let mut r = request();
        c.apply(&[&[0, 1]], &mut r).await.unwrap();
        assert!(
            r.headers().is_empty(),
            "a half-satisfied alternative sends nothing"
        );
        let mut r = request();
        c.apply(&[], &mut r).await.unwrap();
        assert!(r.headers().is_empty());
    }

    #[test]
    fn bad_credentials_are_refused_without_echoing_them() {
        let c = Credentials::new(&SCHEMES);
        let e = c.set(0, Credential::Token("a\nhunter2".into())).unwrap_err();
        assert_eq!(
            e.reason(),
            "the credential for `bearer` contains characters a header cannot carry (control characters or newlines)"
        );
        let e = c.set(1, Credential::Token("x".into())).unwrap_err();
        assert_eq!(
            e.reason(),
            "security scheme `basic` takes a user and password, not this kind of credential"
        );
        struct Never;
        impl crate::provider::TokenProvider for Never {
            async fn token(&self) -> Result<crate::Token, TokenError> {
                Err(TokenError::new("never"))
            }
        }
        let e = c.set(1, Credential::provider(Never)).unwrap_err();
        assert_eq!(
            e.reason(),
            "security scheme `basic` takes a user and password, not a token provider"
        );
        let e = c.set(4, Credential::Token("a;b".into())).unwrap_err();
        assert_eq!(
            e.reason(),
            "the credential for `c` contains characters a cookie cannot carry"
        );
    }

    #[tokio::test]
    async fn replacing_reaches_every_clone_and_debug_redacts() {
        let c = Credentials::new(&SCHEMES);
        let clone = c.clone();
        c.set(0, Credential::Token("old".into())).unwrap();
        c.set(0, Credential::Token("hunter2".into())).unwrap();
        let mut r = request();
        clone.apply(&[&[0]], &mut r).await.unwrap();
        assert_eq!(r.headers()["authorization"], "Bearer hunter2");
        let shown = format!("{c:?}");
        assert!(!shown.contains("hunter2"), "{shown}");
        assert!(
            shown.contains("bearer: <redacted>") && shown.contains("basic: unset"),
            "{shown}"
        );
    }
}
