//! Retries: which calls are sent again, after how long, and when to stop.
//!
//! [`RetryPolicy`] is set per client (every generated `ClientBuilder` has
//! `.retry(..)` and `.retry_off()`); [`crate::call::Call::send`] runs the
//! loop. Retried, for idempotent methods (GET, HEAD, PUT, DELETE, OPTIONS,
//! TRACE, QUERY) and for the others only when the policy says so: connection
//! failures, timeouts, 408, 429, 502, 503, 504, and a 403 with a rate-limit
//! signal ([`is_rate_limited`]).
//!
//! The wait before the next attempt is what the server asked for
//! (`Retry-After` in seconds or as an HTTP-date, or `x-ratelimit-reset` in
//! epoch seconds once `x-ratelimit-remaining` is 0), or else exponential
//! backoff with jitter. A server asking for more than the policy's longest
//! wait, or a wait that would pass the policy's time limit, ends the call at
//! once with an error that says so: nothing sleeps for nothing.

use std::collections::hash_map::RandomState;
use std::fmt;
use std::hash::BuildHasher;
use std::time::{Duration, Instant, SystemTime};

use reqwest::header::HeaderMap;
use reqwest::{Method, StatusCode};

/// How a client retries a call that failed in a way that may pass.
///
/// ```
/// use std::time::Duration;
/// use usergroup_client_core::RetryPolicy;
///
/// let policy = RetryPolicy::default() // 3 attempts, from 500 ms, at most 30 s apart, 60 s in all
///     .max_attempts(5)
///     .base_delay(Duration::from_millis(200))
///     .max_delay(Duration::from_secs(10))
///     .max_elapsed(Duration::from_secs(30));
/// assert_eq!(policy.attempts(), 5);
/// assert_eq!(RetryPolicy::off().attempts(), 1);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    max_attempts: u32,
    base_delay: Duration,
    max_delay: Duration,
    max_elapsed: Duration,
    every_method: bool,
}

impl Default for RetryPolicy {
    /// Three attempts, waiting about 500 ms and then 1 s (with jitter), at
    /// most 30 s for one wait and 60 s for the whole call; idempotent
    /// methods only.
    fn default() -> Self {
        Self {
            max_attempts: 3,
            base_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(30),
            max_elapsed: Duration::from_secs(60),
            every_method: false,
        }
    }
}

impl RetryPolicy {
    /// No retries: every call is sent once.
    pub fn off() -> Self {
        Self {
            max_attempts: 1,
            ..Self::default()
        }
    }

    /// How many times a call may be sent in all, the first time included
    /// (0 counts as 1).
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// The first backoff wait; each further one doubles, up to
    /// [`RetryPolicy::max_delay`], and is jittered between half and all of
    /// it.
    pub fn base_delay(mut self, delay: Duration) -> Self {
        self.base_delay = delay;
        self
    }

    /// The longest single wait, the backoff's or the one a server asks for
    /// (`Retry-After`, `x-ratelimit-reset`). A server asking for longer
    /// ends the call at once with an error that says so.
    pub fn max_delay(mut self, delay: Duration) -> Self {
        self.max_delay = delay;
        self
    }

    /// The longest a call may take, its attempts and waits together: no
    /// wait starts that would end past it.
    pub fn max_elapsed(mut self, limit: Duration) -> Self {
        self.max_elapsed = limit;
        self
    }

    /// Whether POST and PATCH calls are retried too. They are not by
    /// default: a request that reached the server before the connection
    /// broke may have taken effect, and sending it again could repeat it.
    pub fn non_idempotent(mut self, retry: bool) -> Self {
        self.every_method = retry;
        self
    }

    /// How many times a call may be sent in all.
    pub fn attempts(&self) -> u32 {
        self.max_attempts
    }

    /// Whether a call with this method may be sent more than once.
    pub(crate) fn applies_to(&self, method: &Method) -> bool {
        self.max_attempts > 1 && (self.every_method || idempotent(method))
    }

    /// What to do after attempt number `attempt` (from 1) failed in a
    /// retryable way, `started` being when the call began: wait this long
    /// and send again, or stop (with the reason when it is not simply that
    /// the attempts ran out).
    pub(crate) fn next(&self, attempt: u32, started: Instant, asked: Option<ServerWait>) -> Next {
        if attempt >= self.max_attempts {
            return Next::Stop(None);
        }
        let wait = match asked {
            Some(asked) if asked.wait > self.max_delay => {
                return Next::Stop(Some(format!(
                    "the server asked to wait {} ({}), longer than the retry policy's longest wait of {}",
                    Secs(asked.wait),
                    asked.source,
                    Secs(self.max_delay)
                )));
            }
            Some(asked) => asked.wait,
            None => self.backoff(attempt),
        };
        let elapsed = started.elapsed();
        if elapsed + wait > self.max_elapsed {
            return Next::Stop(Some(format!(
                "waiting {} more would pass the retry policy's time limit of {}",
                Secs(wait),
                Secs(self.max_elapsed)
            )));
        }
        Next::Wait(wait)
    }

    /// How long to wait before opening a broken stream of events again:
    /// the server's `retry:` if it sent one, else the first backoff; never
    /// longer than the policy's longest wait.
    pub(crate) fn reconnect_wait(&self, asked: Option<Duration>) -> Duration {
        asked.unwrap_or_else(|| self.backoff(1)).min(self.max_delay)
    }

    /// The backoff after attempt number `attempt`: `base × 2^(attempt-1)`,
    /// capped, then between half and all of it.
    fn backoff(&self, attempt: u32) -> Duration {
        let doubled = self
            .base_delay
            .saturating_mul(1u32.checked_shl(attempt.saturating_sub(1)).unwrap_or(u32::MAX));
        let full = doubled.min(self.max_delay);
        full / 2 + (full / 2).mul_f64(random_fraction())
    }
}

/// What comes after a failed attempt.
#[derive(Debug, PartialEq)]
pub(crate) enum Next {
    /// Wait this long, then send again.
    Wait(Duration),
    /// No further attempt; why, when the attempts did not simply run out.
    Stop(Option<String>),
}

/// A wait the server asked for, and the header that asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ServerWait {
    pub(crate) wait: Duration,
    pub(crate) source: &'static str,
}

/// Whether a method may be sent twice without changing the outcome
/// (RFC 9110, 9.2.2; `QUERY` is safe and idempotent, as the HTTP QUERY
/// method draft defines it).
fn idempotent(method: &Method) -> bool {
    matches!(
        *method,
        Method::GET | Method::HEAD | Method::PUT | Method::DELETE | Method::OPTIONS | Method::TRACE
    ) || method.as_str() == "QUERY"
}

/// Whether a response with this status and these headers is worth sending
/// again: 408, 429, 502, 503, 504, or a 403 that says a rate limit was hit.
pub(crate) fn retryable_status(status: StatusCode, headers: &HeaderMap) -> bool {
    match status.as_u16() {
        408 | 429 | 502 | 503 | 504 => true,
        403 => is_rate_limited(headers),
        _ => false,
    }
}

/// Whether a transport failure is worth another attempt: no connection, a
/// timeout, or a connection that broke while the request was sent. Not a
/// redirect loop, a body that failed, or a request that could not be built.
pub(crate) fn retryable_transport(e: &reqwest::Error) -> bool {
    (e.is_connect() || e.is_timeout() || e.is_request())
        && !e.is_builder()
        && !e.is_redirect()
        && !e.is_body()
        && !tls_refusal(e)
}

/// Whether the failure is a TLS refusal that every later attempt would meet
/// again: a certificate the client does not trust (unknown issuer, expired,
/// another name), or a server the client cannot agree with. reqwest wraps
/// rustls' error in an `io::Error`, whose `source()` skips it, so each
/// `io::Error` of the chain is opened too.
pub(crate) fn tls_refusal(e: &reqwest::Error) -> bool {
    let permanent = |err: &(dyn std::error::Error + 'static)| {
        matches!(
            err.downcast_ref::<rustls::Error>(),
            Some(
                rustls::Error::InvalidCertificate(_)
                    | rustls::Error::PeerIncompatible(_)
                    | rustls::Error::NoCertificatesPresented
                    | rustls::Error::UnsupportedNameType
            )
        )
    };
    let mut next: Option<&(dyn std::error::Error + 'static)> = Some(e);
    // A chain is short; the bound keeps a cyclic `source()` from looping.
    for _ in 0..16 {
        let Some(err) = next else { break };
        let inner = err
            .downcast_ref::<std::io::Error>()
            .and_then(|io| io.get_ref())
            .map(|inner| inner as &(dyn std::error::Error + 'static));
        if permanent(err) || inner.is_some_and(permanent) {
            return true;
        }
        next = inner.or_else(|| err.source());
    }
    false
}

/// The wait the response's headers ask for, as of `now`: `Retry-After`
/// (seconds, or an HTTP-date), else `x-ratelimit-reset` (epoch seconds) when
/// `x-ratelimit-remaining` is 0. A time already past asks for no wait.
pub(crate) fn server_wait(headers: &HeaderMap, now: SystemTime) -> Option<ServerWait> {
    let text = |name| headers.get(name).and_then(|v| v.to_str().ok()).map(str::trim);
    let until = |when: SystemTime| when.duration_since(now).unwrap_or_default();
    // The one reading of `Retry-After` (`header::retry_after`); a value that
    // is neither seconds nor a date asks for nothing.
    if let Ok(Some(asked)) = crate::header::retry_after(headers, "retry-after") {
        return Some(ServerWait {
            wait: asked.wait_from(now),
            source: "Retry-After",
        });
    }
    if text("x-ratelimit-remaining") == Some("0")
        && let Some(reset) = text("x-ratelimit-reset").and_then(|v| v.parse::<u64>().ok())
    {
        let reset = SystemTime::UNIX_EPOCH.checked_add(Duration::from_secs(reset))?;
        return Some(ServerWait {
            wait: until(reset),
            source: "x-ratelimit-reset",
        });
    }
    None
}

/// A number in `[0, 1]`, different on every call: the standard library's
/// randomly keyed hasher over the current instant. Jitter needs no more,
/// so no random-number crate is compiled for it.
fn random_fraction() -> f64 {
    let bits = RandomState::new().hash_one(Instant::now());
    (bits >> 11) as f64 / (1u64 << 53) as f64
}

/// A duration in seconds, as people read it: `3600 s`, `1.5 s`.
struct Secs(Duration);

impl fmt::Display for Secs {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let secs = self.0.as_secs_f64();
        if secs.fract() == 0.0 {
            write!(f, "{} s", self.0.as_secs())
        } else {
            write!(f, "{:.1} s", secs)
        }
    }
}

/// Whether response headers say a rate limit was hit.
pub fn is_rate_limited(headers: &HeaderMap) -> bool {
    headers.contains_key("retry-after")
        || headers
            .get("x-ratelimit-remaining")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.trim() == "0")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        pairs
            .iter()
            .map(|(k, v)| (k.parse().unwrap(), v.parse().unwrap()))
            .collect()
    }

    #[test]
    fn retry_after_in_seconds_and_as_a_date_and_the_rate_limit_reset() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        let wait = |pairs: &[(&'static str, &str)]| server_wait(&headers(pairs), now);
        assert_eq!(
            wait(&[("retry-after", " 120 ")]),
            Some(ServerWait {
                wait: Duration::from_secs(120),
                source: "Retry-After"
            })
        );
        // 1_700_000_000 is Tue, 14 Nov 2023 22:13:20 GMT.
        let date = wait(&[("retry-after", "Tue, 14 Nov 2023 22:13:50 GMT")]);
        assert_eq!(date.map(|w| w.wait), Some(Duration::from_secs(30)));
        let past = wait(&[("retry-after", "Tue, 14 Nov 2023 22:00:00 GMT")]);
        assert_eq!(past.map(|w| w.wait), Some(Duration::ZERO));
        let reset = wait(&[
            ("x-ratelimit-remaining", "0"),
            ("x-ratelimit-reset", "1700000007"),
        ]);
        assert_eq!(
            reset,
            Some(ServerWait {
                wait: Duration::from_secs(7),
                source: "x-ratelimit-reset"
            })
        );
        // A reset while requests remain is not a reason to wait.
        assert_eq!(
            wait(&[
                ("x-ratelimit-remaining", "5"),
                ("x-ratelimit-reset", "1700000007")
            ]),
            None
        );
        // Retry-After wins; garbage asks for nothing.
        assert_eq!(
            wait(&[
                ("retry-after", "2"),
                ("x-ratelimit-remaining", "0"),
                ("x-ratelimit-reset", "1700000007")
            ])
            .map(|w| w.source),
            Some("Retry-After")
        );
        assert_eq!(wait(&[("retry-after", "soon")]), None);
        assert_eq!(wait(&[]), None);
    }

    #[test]
    fn backoff_doubles_with_jitter_and_is_capped() {
        let policy = RetryPolicy::default()
            .max_attempts(20)
            .base_delay(Duration::from_millis(100))
            .max_delay(Duration::from_secs(1));
        for _ in 0..50 {
            let first = policy.backoff(1);
            assert!(
                first >= Duration::from_millis(50) && first <= Duration::from_millis(100),
                "{first:?}"
            );
            let third = policy.backoff(3);
            assert!(
                third >= Duration::from_millis(200) && third <= Duration::from_millis(400),
                "{third:?}"
            );
            let late = policy.backoff(40);
            assert!(
                late >= Duration::from_millis(500) && late <= Duration::from_secs(1),
                "{late:?}"
            );
        }
        let waits: std::collections::BTreeSet<Duration> = (0..20).map(|_| policy.backoff(2)).collect();
        assert!(waits.len() > 1, "no jitter: {waits:?}");
    }

    #[test]
    fn the_policy_stops_on_the_last_attempt_and_on_waits_beyond_its_caps() {
        let policy = RetryPolicy::default();
        let now = Instant::now();
        let asked = |secs| {
            Some(ServerWait {
                wait: Duration::from_secs(secs),
                source: "Retry-After",
            })
        };
        assert_eq!(policy.next(1, now, asked(1)), Next::Wait(Duration::from_secs(1)));
        assert_eq!(policy.next(3, now, asked(1)), Next::Stop(None));
        assert_eq!(
            policy.next(1, now, asked(3600)),
            Next::Stop(Some(
                "the server asked to wait 3600 s (Retry-After), longer than the retry policy's longest wait of 30 s"
                    .into()
            ))
        );
        let tight = RetryPolicy::default().max_elapsed(Duration::from_secs(5));
        assert_eq!(
            tight.next(1, now, asked(10)),
            Next::Stop(Some(
                "waiting 10 s more would pass the retry policy's time limit of 5 s".into()
            ))
        );
        assert!(matches!(policy.next(1, now, None), Next::Wait(_)));
        assert_eq!(RetryPolicy::off().next(1, now, None), Next::Stop(None));
    }

    #[test]
    fn idempotent_methods_only_unless_asked() {
        let policy = RetryPolicy::default();
        for m in [
            Method::GET,
            Method::HEAD,
            Method::PUT,
            Method::DELETE,
            Method::OPTIONS,
        ] {
            assert!(policy.applies_to(&m), "{m}");
        }
        let query = Method::from_bytes(b"QUERY").unwrap();
        assert!(policy.applies_to(&query));
        let purge = Method::from_bytes(b"PURGE").unwrap();
        assert!(!policy.applies_to(&purge));
        assert!(!policy.applies_to(&Method::POST) && !policy.applies_to(&Method::PATCH));
        let all = policy.clone().non_idempotent(true);
        assert!(all.applies_to(&Method::POST) && all.applies_to(&Method::PATCH));
        assert!(!RetryPolicy::off().non_idempotent(true).applies_to(&Method::PUT));
        assert_eq!(RetryPolicy::default().max_attempts(0).attempts(), 1);
    }
}
