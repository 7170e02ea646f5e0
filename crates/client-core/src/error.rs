//! One error type per client, honest about what happened: the HTTP status
//! and headers whenever there was a response, the vendor's decoded error
//! where it sent one, and always a bounded excerpt of the body; network
//! failures and timeouts apart from API errors (their URL, which may carry
//! a query credential, removed); whether a retry makes sense; and, when the
//! client retried ([`crate::retry`]), how many attempts were made and why
//! it stopped early.

use std::fmt;
use std::ops::Deref;

use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use serde::de::DeserializeOwned;

/// How much of an undecodable body an error keeps.
pub const EXCERPT_BYTES: usize = 512;
/// How much of an error body is read at most.
pub(crate) const READ_LIMIT: usize = 64 * 1024;

/// What can go wrong with a call. `V` is the vendor's error body.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error<V> {
    /// The server answered with an error status (documented or not).
    Api {
        /// The HTTP status.
        status: StatusCode,
        /// The response headers (rate-limit headers, `retry-after`, ...).
        headers: HeaderMap,
        /// The vendor's error, when the body decoded as one.
        vendor: Option<V>,
        /// The operation's documented error (its `errors::<Op>`), when the
        /// spec documents the status and the body is what it says:
        /// [`Error::documented`] gives it typed.
        documented: Option<Documented>,
        /// The start of the body, as sent (HTML from a proxy, an empty
        /// body, or the vendor's JSON).
        body: String,
        /// How many times the call was sent, and why retrying stopped.
        attempts: Attempts,
    },
    /// A success status whose body is not what the spec describes.
    Decode {
        /// The HTTP status.
        status: StatusCode,
        /// The start of the body.
        body: String,
        /// Why it did not decode.
        source: serde_json::Error,
        /// How many times the call was sent.
        attempts: Attempts,
    },
    /// No response in time.
    Timeout(Transport),
    /// The connection could not be made or broke.
    Network(Transport),
    /// A caller's value was refused before anything was sent.
    InvalidArgument {
        /// The parameter.
        name: &'static str,
        /// Why.
        reason: String,
    },
    /// The request could not be built.
    InvalidRequest(String),
    /// The credential provider could not give a token, so nothing was sent.
    Credential(crate::provider::TokenError),
    /// A documented response header is not what the spec says (read by
    /// its typed accessor, which gives this through `?`).
    Header(crate::header::HeaderError),
    /// A response body over the limit ([`crate::limit`]): refused by its
    /// `Content-Length` before anything was read, or stopped as the bytes
    /// that arrived crossed it. The connection was dropped.
    BodyTooLarge {
        /// The HTTP status.
        status: StatusCode,
        /// The operation (its id in the spec).
        operation: &'static str,
        /// The limit, in bytes.
        limit: u64,
        /// How many bytes had arrived (0 when the `Content-Length` was over).
        read: u64,
        /// How many times the call was sent.
        attempts: Attempts,
    },
    /// A paginated stream could not go on ([`crate::page`]): the server
    /// asked for a page already read (it would loop), or its next link
    /// cannot be followed. The pages before it were read.
    Pagination {
        /// The operation (its id in the spec).
        operation: &'static str,
        /// The page that could not be asked for (the first is 1).
        page: u32,
        /// Why.
        reason: String,
    },
}

impl<V> From<crate::header::HeaderError> for Error<V> {
    fn from(e: crate::header::HeaderError) -> Self {
        Error::Header(e)
    }
}

/// An operation's documented error, typed (its generated `errors::<Op>`:
/// a variant per documented error status, with its body), kept without its
/// type so that one [`Error`] serves every operation.
pub struct Documented(Box<dyn AnyDebug>);

trait AnyDebug: std::any::Any + fmt::Debug + Send + Sync {
    fn as_any(&self) -> &dyn std::any::Any;
}

impl<T: std::any::Any + fmt::Debug + Send + Sync> AnyDebug for T {
    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
}

impl Documented {
    /// Keeps `value`, an operation's `errors::<Op>`.
    pub fn new<T: std::any::Any + fmt::Debug + Send + Sync>(value: T) -> Self {
        Self(Box::new(value))
    }

    /// The value, if it is a `T`.
    pub fn get<T: std::any::Any>(&self) -> Option<&T> {
        // The value, not the box: `Box<dyn AnyDebug>` is itself an `AnyDebug`.
        let value: &dyn AnyDebug = self.0.as_ref();
        value.as_any().downcast_ref()
    }
}

impl fmt::Debug for Documented {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// How many times a call was sent, and, when a retryable failure was not
/// retried although attempts were left, why (a server asking to wait
/// longer than the retry policy allows, the policy's time limit).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attempts {
    count: u32,
    stopped: Option<String>,
}

impl Default for Attempts {
    /// One attempt, nothing more to say.
    fn default() -> Self {
        Self::new(1)
    }
}

impl Attempts {
    /// `count` attempts.
    pub fn new(count: u32) -> Self {
        Self { count, stopped: None }
    }

    /// `count` attempts, and why no further one was made.
    pub fn stopped(count: u32, why: impl Into<String>) -> Self {
        Self {
            count,
            stopped: Some(why.into()),
        }
    }

    /// How many times the call was sent.
    pub fn count(&self) -> u32 {
        self.count
    }

    /// Why no further attempt was made although the failure was retryable
    /// and attempts were left.
    pub fn stopped_because(&self) -> Option<&str> {
        self.stopped.as_deref()
    }
}

impl fmt::Display for Attempts {
    /// Nothing for one plain attempt; else ` (after 3 attempts)`,
    /// ` (not retried: ...)` or ` (after 2 attempts; not retried again: ...)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.count, &self.stopped) {
            (0 | 1, None) => Ok(()),
            (n, None) => write!(f, " (after {n} attempts)"),
            (0 | 1, Some(why)) => write!(f, " (not retried: {why})"),
            (n, Some(why)) => write!(f, " (after {n} attempts; not retried again: {why})"),
        }
    }
}

/// A transport failure (no connection, no answer in time, a broken
/// connection), without its URL, with the attempts made. Derefs to the
/// `reqwest::Error`.
pub struct Transport {
    source: reqwest::Error,
    attempts: Attempts,
}

impl Transport {
    /// A transport failure after these attempts.
    pub fn new(source: reqwest::Error, attempts: Attempts) -> Self {
        Self {
            source: source.without_url(),
            attempts,
        }
    }

    /// How many times the call was sent, and why retrying stopped.
    pub fn attempts(&self) -> &Attempts {
        &self.attempts
    }

    /// The `reqwest::Error`.
    pub fn into_inner(self) -> reqwest::Error {
        self.source
    }
}

impl Deref for Transport {
    type Target = reqwest::Error;

    fn deref(&self) -> &reqwest::Error {
        &self.source
    }
}

impl fmt::Debug for Transport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Transport")
            .field("source", &self.source)
            .field("attempts", &self.attempts.count)
            .finish()
    }
}

impl fmt::Display for Transport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.source.fmt(f)
    }
}

impl std::error::Error for Transport {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.source)
    }
}

impl<V> Error<V> {
    /// The HTTP status, when there was a response.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Api { status, .. } => Some(*status),
            Error::Decode { status, .. } | Error::BodyTooLarge { status, .. } => Some(*status),
            Error::Timeout(e) | Error::Network(e) => e.status(),
            Error::InvalidArgument { .. }
            | Error::InvalidRequest(_)
            | Error::Credential(_)
            | Error::Header(_)
            | Error::Pagination { .. } => None,
        }
    }

    /// How many times the call was sent (0 when nothing was: a refused
    /// argument, a request that could not be built, no credential; and for
    /// [`Error::Header`], which a typed header read gives after the call).
    pub fn attempts(&self) -> u32 {
        self.attempts_made().map_or(0, Attempts::count)
    }

    /// The attempts made, and why retrying stopped, when anything was sent.
    pub fn attempts_made(&self) -> Option<&Attempts> {
        match self {
            Error::Api { attempts, .. }
            | Error::Decode { attempts, .. }
            | Error::BodyTooLarge { attempts, .. } => Some(attempts),
            Error::Timeout(t) | Error::Network(t) => Some(&t.attempts),
            Error::InvalidArgument { .. }
            | Error::InvalidRequest(_)
            | Error::Credential(_)
            | Error::Header(_)
            | Error::Pagination { .. } => None,
        }
    }

    /// The vendor's decoded error, if it sent one.
    pub fn vendor(&self) -> Option<&V> {
        match self {
            Error::Api { vendor, .. } => vendor.as_ref(),
            _ => None,
        }
    }

    /// The operation's documented error, typed: `T` is the operation's
    /// `errors::<Op>`, whose variants are the statuses its spec documents,
    /// each with its typed body. `None` for a status the spec does not
    /// document, a body that is not what it says (the excerpt and
    /// [`Error::vendor`] still hold what was sent), any other error, or a
    /// `T` of another operation.
    pub fn documented<T: std::any::Any>(&self) -> Option<&T> {
        match self {
            Error::Api {
                documented: Some(d), ..
            } => d.get(),
            _ => None,
        }
    }

    /// The headers of an API error as an operation's typed headers
    /// (`headers::<Op>`, which has an accessor per documented header).
    pub fn headers_as<H: for<'a> From<&'a HeaderMap>>(&self) -> Option<H> {
        self.headers().map(H::from)
    }

    /// The start of the response body, if there was a response.
    pub fn body_excerpt(&self) -> Option<&str> {
        match self {
            Error::Api { body, .. } | Error::Decode { body, .. } => Some(body),
            _ => None,
        }
    }

    /// The response headers of an API error.
    pub fn headers(&self) -> Option<&HeaderMap> {
        match self {
            Error::Api { headers, .. } => Some(headers),
            _ => None,
        }
    }

    /// Whether the same call may succeed later: timeouts, connection
    /// failures, 408, 429, 502, 503, 504, and a 403 that carries a
    /// rate-limit signal (`x-ratelimit-remaining: 0` or `retry-after`, as
    /// GitHub sends when a rate limit is hit).
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::Timeout(_) => true,
            // Not a certificate the client does not trust: that stays.
            Error::Network(t) => !crate::retry::tls_refusal(t),
            Error::Api { status, headers, .. } => crate::retry::retryable_status(*status, headers),
            Error::Decode { .. }
            | Error::InvalidArgument { .. }
            | Error::InvalidRequest(_)
            | Error::Credential(_)
            | Error::Header(_)
            | Error::BodyTooLarge { .. }
            | Error::Pagination { .. } => false,
        }
    }

    /// Whether this is a timeout.
    pub fn is_timeout(&self) -> bool {
        matches!(self, Error::Timeout(_))
    }
}

impl<V> fmt::Display for Error<V> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Api {
                status,
                body,
                attempts,
                ..
            } => {
                write!(f, "HTTP {status}")?;
                match crate::summary::summary(body) {
                    Some(s) => write!(f, ": {s}")?,
                    None if !body.trim().is_empty() => write!(f, ": {}", body.trim())?,
                    None => {}
                }
                write!(f, "{attempts}")
            }
            Error::Decode {
                status,
                source,
                attempts,
                ..
            } => write!(
                f,
                "HTTP {status}: the response body does not match the API description: {source}{attempts}"
            ),
            Error::Timeout(t) => write!(f, "the request timed out{}", t.attempts),
            Error::Network(t) => write!(f, "network error: {}{}", t.source, t.attempts),
            Error::InvalidArgument { name, reason } => write!(f, "invalid `{name}`: {reason}"),
            Error::InvalidRequest(s) => write!(f, "the request could not be built: {s}"),
            Error::Credential(e) => write!(f, "no credential to send: the token provider failed: {e}"),
            Error::Header(e) => e.fmt(f),
            Error::BodyTooLarge {
                status,
                operation,
                limit,
                read,
                attempts,
            } => {
                write!(
                    f,
                    "HTTP {status}: the response body of `{operation}` is over the limit of {limit} bytes"
                )?;
                match read {
                    0 => write!(f, " (by its Content-Length; nothing was read)")?,
                    n => write!(f, " ({n} bytes read, then the connection was dropped)")?,
                }
                write!(f, "{attempts}")
            }
            Error::Pagination {
                operation,
                page,
                reason,
            } => write!(f, "`{operation}` stopped before page {page}: {reason}"),
        }
    }
}

impl<V: fmt::Debug> std::error::Error for Error<V> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Decode { source, .. } => Some(source),
            Error::Timeout(t) | Error::Network(t) => Some(&t.source),
            Error::Credential(e) => Some(e),
            Error::Header(e) => Some(e),
            _ => None,
        }
    }
}

/// The start of a body, cut at a character boundary, with `…` when cut.
pub(crate) fn excerpt(bytes: &[u8]) -> String {
    if bytes.len() <= EXCERPT_BYTES {
        return String::from_utf8_lossy(bytes).into_owned();
    }
    let text = String::from_utf8_lossy(&bytes[..EXCERPT_BYTES]);
    // A multi-byte character cut at the limit decodes as U+FFFD: drop it.
    let text = text.strip_suffix('\u{FFFD}').unwrap_or(&text);
    format!("{text}…")
}

/// A transport error without its URL, which may carry a query credential.
pub(crate) fn from_reqwest<V>(e: reqwest::Error, attempts: Attempts) -> Error<V> {
    let timeout = e.is_timeout();
    let t = Transport::new(e, attempts);
    if timeout {
        Error::Timeout(t)
    } else {
        Error::Network(t)
    }
}

/// Decodes a vendor error body as `V`; an empty or non-matching body is
/// `None` (the excerpt keeps what was sent).
pub fn decode_json<V: DeserializeOwned>(body: &[u8]) -> Option<V> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return None;
    }
    serde_json::from_slice(body).ok()
}

/// The documented-error decoder of an operation whose spec documents no
/// error status: there is nothing to type.
pub fn undocumented(_: StatusCode, _: &[u8]) -> Option<Documented> {
    None
}

/// Reads at most [`READ_LIMIT`] bytes of an error body, or `limit` when it
/// is lower (the call's limit on bodies, [`crate::limit`]); the rest is
/// not read: the response, and with it the connection, is dropped.
pub(crate) async fn read_bounded(mut response: reqwest::Response, limit: Option<u64>) -> Vec<u8> {
    let most = limit.map_or(READ_LIMIT, |l| {
        READ_LIMIT.min(usize::try_from(l).unwrap_or(READ_LIMIT))
    });
    let mut out = Vec::new();
    while out.len() < most {
        match response.chunk().await {
            Ok(Some(chunk)) => out.extend_from_slice(&chunk[..chunk.len().min(most - out.len())]),
            _ => break,
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excerpts_are_bounded_even_when_a_character_is_cut() {
        let long = vec![b'x'; 10_000];
        let e = excerpt(&long);
        assert_eq!(e.len(), EXCERPT_BYTES + '…'.len_utf8());
        assert!(e.ends_with('…'));
        assert_eq!(excerpt(b"short"), "short");
        // 'é' is two bytes: the limit falls inside the last one.
        let accents = format!("x{}", "é".repeat(EXCERPT_BYTES));
        let e = excerpt(accents.as_bytes());
        assert!(e.len() <= EXCERPT_BYTES + '…'.len_utf8(), "{}", e.len());
        assert_eq!(e, format!("x{}…", "é".repeat(EXCERPT_BYTES / 2 - 1)));
        assert!(!e.contains('\u{FFFD}'));
    }

    #[test]
    fn a_documented_error_is_found_by_its_own_type_only() {
        #[derive(Debug, PartialEq)]
        enum Mine {
            NotFound(String),
        }
        let err = Error::<()>::Api {
            status: StatusCode::NOT_FOUND,
            headers: HeaderMap::new(),
            vendor: None,
            documented: Some(Documented::new(Mine::NotFound("gone".into()))),
            body: String::new(),
            attempts: Attempts::default(),
        };
        assert_eq!(err.documented::<Mine>(), Some(&Mine::NotFound("gone".into())));
        assert_eq!(err.documented::<String>(), None);
        assert!(
            format!("{err:?}").contains("documented: Some(NotFound(\"gone\"))"),
            "{err:?}"
        );
    }

    #[test]
    fn retryable_statuses() {
        let api = |s: u16| Error::<()>::Api {
            status: StatusCode::from_u16(s).unwrap(),
            headers: HeaderMap::new(),
            vendor: None,
            documented: None,
            body: String::new(),
            attempts: Attempts::default(),
        };
        assert!(api(503).is_retryable() && api(429).is_retryable());
        assert!(!api(404).is_retryable() && !api(500).is_retryable() && !api(403).is_retryable());
        let limited = |name: &'static str, value: &'static str| Error::<()>::Api {
            status: StatusCode::FORBIDDEN,
            headers: HeaderMap::from_iter([(name.parse().unwrap(), value.parse().unwrap())]),
            vendor: None,
            documented: None,
            body: String::new(),
            attempts: Attempts::default(),
        };
        assert!(limited("x-ratelimit-remaining", "0").is_retryable());
        assert!(limited("retry-after", "30").is_retryable());
        assert!(!limited("x-ratelimit-remaining", "12").is_retryable());
        assert_eq!(api(502).to_string(), "HTTP 502 Bad Gateway");
    }

    #[test]
    fn display_says_how_many_attempts_and_why_retrying_stopped() {
        let api = |attempts| Error::<()>::Api {
            status: StatusCode::SERVICE_UNAVAILABLE,
            headers: HeaderMap::new(),
            vendor: None,
            documented: None,
            body: r#"{"message":"busy"}"#.into(),
            attempts,
        };
        let shown = |a| api(a).to_string();
        assert_eq!(shown(Attempts::new(1)), "HTTP 503 Service Unavailable: busy");
        assert_eq!(
            shown(Attempts::new(3)),
            "HTTP 503 Service Unavailable: busy (after 3 attempts)"
        );
        assert_eq!(
            shown(Attempts::stopped(1, "the server asked to wait 3600 s")),
            "HTTP 503 Service Unavailable: busy (not retried: the server asked to wait 3600 s)"
        );
        assert_eq!(
            shown(Attempts::stopped(2, "the time limit")),
            "HTTP 503 Service Unavailable: busy (after 2 attempts; not retried again: the time limit)"
        );
        assert_eq!(api(Attempts::new(4)).attempts(), 4);
        let refused = Error::<()>::InvalidArgument {
            name: "id",
            reason: "empty".into(),
        };
        assert_eq!(refused.attempts(), 0);
    }
}
