//! Credentials that refresh: a [`TokenProvider`] is asked for a token when
//! a client first needs one, again shortly before a token's known expiry,
//! and again once after a 401 (the call is then sent once more). Concurrent
//! calls share one refresh: a call that finds a refresh under way waits for
//! it and takes its token, so ten calls that all get a 401 cause one
//! refresh, not ten.
//!
//! ```
//! use std::time::Duration;
//! use usergroup_client_core::{Token, TokenError, TokenProvider};
//!
//! struct FromVault;
//!
//! impl TokenProvider for FromVault {
//!     async fn token(&self) -> Result<Token, TokenError> {
//!         // Ask the identity provider, a vault, a login API...
//!         Ok(Token::new("fresh-token").expires_in(Duration::from_secs(3600)))
//!     }
//! }
//! ```

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant, SystemTime};

use crate::secret::Secret;

/// How long before a known expiry a token is refreshed, at most; a token
/// that lives less than ten times this is refreshed when a tenth of its
/// life is left.
const REFRESH_MARGIN: Duration = Duration::from_secs(30);

/// A token a provider gives, with its expiry when the provider knows it.
#[derive(Clone)]
pub struct Token {
    secret: Secret,
    expires: Option<Instant>,
}

impl Token {
    /// A token without a known expiry: it is used until a call gets a 401.
    pub fn new(secret: impl Into<Secret>) -> Self {
        Self {
            secret: secret.into(),
            expires: None,
        }
    }

    /// The token expires this long from now.
    pub fn expires_in(mut self, lifetime: Duration) -> Self {
        self.expires = Instant::now().checked_add(lifetime);
        self
    }

    /// The token expires at this time (a JWT's `exp`, an `expires_at`
    /// field); a time already past means it is refreshed on the next call.
    pub fn expires_at(self, at: SystemTime) -> Self {
        let lifetime = at.duration_since(SystemTime::now()).unwrap_or_default();
        self.expires_in(lifetime)
    }

    /// The token itself.
    pub fn secret(&self) -> &Secret {
        &self.secret
    }

    /// When the token expires, if known.
    pub fn expires(&self) -> Option<Instant> {
        self.expires
    }
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Token")
            .field("secret", &self.secret)
            .field("expires", &self.expires)
            .finish()
    }
}

/// Why a provider could not give a token. Its message must not contain a
/// credential: it reaches the caller's error and logs.
#[derive(Debug)]
pub struct TokenError(Box<dyn std::error::Error + Send + Sync>);

impl TokenError {
    /// Wraps the provider's error (any error type, or a message).
    pub fn new(error: impl Into<Box<dyn std::error::Error + Send + Sync>>) -> Self {
        Self(error.into())
    }
}

impl fmt::Display for TokenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl std::error::Error for TokenError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.0.source()
    }
}

/// Gives a valid token on demand: a login API, a vault, an OAuth token
/// endpoint. A client calls it for its first call, shortly before a known
/// expiry, and once after a 401, one call at a time.
pub trait TokenProvider: Send + Sync + 'static {
    /// A valid token, fetched now.
    fn token(&self) -> impl Future<Output = Result<Token, TokenError>> + Send;
}

type TokenFuture<'a> = Pin<Box<dyn Future<Output = Result<Token, TokenError>> + Send + 'a>>;

/// [`TokenProvider`] made object safe, so a client can hold any of them.
trait DynProvider: Send + Sync {
    fn token(&self) -> TokenFuture<'_>;
}

impl<P: TokenProvider> DynProvider for P {
    fn token(&self) -> TokenFuture<'_> {
        Box::pin(TokenProvider::token(self))
    }
}

/// A token provider as a client holds it. Cheap to clone.
#[derive(Clone)]
pub struct Provider(Arc<dyn DynProvider>);

impl Provider {
    /// Wraps a provider.
    pub fn new(provider: impl TokenProvider) -> Self {
        Self(Arc::new(provider))
    }
}

impl fmt::Debug for Provider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Provider")
    }
}

/// One token from the provider, made ready for the wire by `prepare`.
#[derive(Clone)]
pub(crate) struct Current<T> {
    /// Which refresh gave it (1 for the first token).
    pub(crate) generation: u64,
    pub(crate) value: T,
    refresh_at: Option<Instant>,
    expires: Option<Instant>,
}

/// A provider with its current token (as `T`, the prepared credential) and
/// the lock that makes concurrent refreshes one.
pub(crate) struct Refreshing<T> {
    provider: Provider,
    prepare: Box<dyn Fn(Secret) -> Result<T, TokenError> + Send + Sync>,
    current: RwLock<Option<Current<T>>>,
    flight: tokio::sync::Mutex<()>,
}

impl<T: Clone> Refreshing<T> {
    pub(crate) fn new(
        provider: Provider,
        prepare: impl Fn(Secret) -> Result<T, TokenError> + Send + Sync + 'static,
    ) -> Self {
        Self {
            provider,
            prepare: Box::new(prepare),
            current: RwLock::new(None),
            flight: tokio::sync::Mutex::new(()),
        }
    }

    fn current(&self) -> Option<Current<T>> {
        match self.current.read() {
            Ok(c) => c.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    /// A token to send: the current one, unless there is none yet or its
    /// expiry is near.
    pub(crate) async fn get(&self) -> Result<Current<T>, TokenError> {
        match self.current() {
            Some(c) if c.refresh_at.is_none_or(|at| Instant::now() < at) => Ok(c),
            seen => self.refresh(seen.map(|c| c.generation), false).await,
        }
    }

    /// A new token after the server refused generation `used` (a 401),
    /// unless another call has got one since.
    pub(crate) async fn renew(&self, used: u64) -> Result<Current<T>, TokenError> {
        self.refresh(Some(used), true).await
    }

    /// Asks the provider, one call at a time; a call that waited for
    /// another's refresh takes its token. `seen` is the generation the
    /// caller found wanting; `refused` says the server refused it, so it
    /// must not be used again.
    async fn refresh(&self, seen: Option<u64>, refused: bool) -> Result<Current<T>, TokenError> {
        let _flight = self.flight.lock().await;
        let now = Instant::now();
        let current = self.current();
        if let Some(c) = &current
            && Some(c.generation) != seen
            && c.refresh_at.is_none_or(|at| now < at)
        {
            return Ok(c.clone());
        }
        let token = match self.provider.0.token().await {
            Ok(token) => token,
            // A token that is due for refresh but not expired still works.
            Err(e) => {
                return match current {
                    Some(c) if !refused && c.expires.is_none_or(|at| Instant::now() < at) => Ok(c),
                    _ => Err(e),
                };
            }
        };
        let fetched = Instant::now();
        let next = Current {
            generation: current.map_or(1, |c| c.generation + 1),
            value: (self.prepare)(token.secret)?,
            refresh_at: token
                .expires
                .map(|at| at - REFRESH_MARGIN.min(at.saturating_duration_since(fetched) / 10)),
            expires: token.expires,
        };
        match self.current.write() {
            Ok(mut c) => *c = Some(next.clone()),
            Err(poisoned) => *poisoned.into_inner() = Some(next.clone()),
        }
        Ok(next)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicU32, Ordering};

    /// Gives `token-1`, `token-2`, ... each living `lifetime`, slowly
    /// enough for concurrent calls to pile up.
    struct Counting {
        calls: Arc<AtomicU32>,
        lifetime: Option<Duration>,
    }

    impl TokenProvider for Counting {
        async fn token(&self) -> Result<Token, TokenError> {
            let n = self.calls.fetch_add(1, Ordering::SeqCst) + 1;
            tokio::task::yield_now().await;
            let token = Token::new(format!("token-{n}"));
            Ok(match self.lifetime {
                Some(l) => token.expires_in(l),
                None => token,
            })
        }
    }

    fn refreshing(lifetime: Option<Duration>) -> (Arc<Refreshing<String>>, Arc<AtomicU32>) {
        let calls = Arc::new(AtomicU32::new(0));
        let provider = Provider::new(Counting {
            calls: calls.clone(),
            lifetime,
        });
        let r = Refreshing::new(provider, |s: Secret| Ok(s.expose().to_string()));
        (Arc::new(r), calls)
    }

    #[tokio::test]
    async fn concurrent_first_calls_and_concurrent_401s_each_make_one_fetch() {
        let (r, calls) = refreshing(None);
        let firsts = (0..10).map(|_| {
            let r = r.clone();
            tokio::spawn(async move { r.get().await.map(|c| (c.generation, c.value)) })
        });
        let firsts: Vec<_> = firsts.collect();
        for first in firsts {
            assert_eq!(first.await.unwrap().unwrap(), (1, "token-1".to_string()));
        }
        assert_eq!(calls.load(Ordering::SeqCst), 1);
        let renewals = (0..10).map(|_| {
            let r = r.clone();
            tokio::spawn(async move { r.renew(1).await.map(|c| c.value) })
        });
        let renewals: Vec<_> = renewals.collect();
        for renewed in renewals {
            assert_eq!(renewed.await.unwrap().unwrap(), "token-2");
        }
        assert_eq!(calls.load(Ordering::SeqCst), 2, "one refresh for ten 401s");
        // The token is kept until something says otherwise.
        assert_eq!(r.get().await.unwrap().value, "token-2");
        assert_eq!(calls.load(Ordering::SeqCst), 2);
    }

    #[tokio::test]
    async fn a_token_near_its_expiry_is_refreshed_before_it() {
        // Ten tenths of 50 ms: the refresh is due 5 ms before the expiry.
        let (r, calls) = refreshing(Some(Duration::from_millis(50)));
        assert_eq!(r.get().await.unwrap().value, "token-1");
        assert_eq!(r.get().await.unwrap().value, "token-1");
        tokio::time::sleep(Duration::from_millis(46)).await;
        assert_eq!(r.get().await.unwrap().value, "token-2");
        assert_eq!(calls.load(Ordering::SeqCst), 2);
        let (long, _) = refreshing(Some(Duration::from_secs(3600)));
        let c = long.get().await.unwrap();
        let margin = c.expires.unwrap() - c.refresh_at.unwrap();
        assert_eq!(margin, REFRESH_MARGIN);
    }

    struct Failing;

    impl TokenProvider for Failing {
        async fn token(&self) -> Result<Token, TokenError> {
            Err(TokenError::new("the login server said no"))
        }
    }

    #[tokio::test]
    async fn a_failing_provider_is_an_error_with_its_reason() {
        let r = Refreshing::new(Provider::new(Failing), |s: Secret| Ok(s));
        let e = r.get().await.err().unwrap();
        assert_eq!(e.to_string(), "the login server said no");
        let shown = format!("{:?}", Token::new("hunter2"));
        assert!(!shown.contains("hunter2"), "{shown}");
    }
}
