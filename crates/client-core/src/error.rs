//! One error type per client, honest about what happened: the HTTP status
//! and headers whenever there was a response, the vendor's decoded error
//! where it sent one, and always a bounded excerpt of the body; network
//! failures and timeouts apart from API errors (their URL, which may carry
//! a query credential, removed); and whether a retry makes sense.

use std::fmt;

use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use serde::de::DeserializeOwned;

/// How much of an undecodable body an error keeps.
pub const EXCERPT_BYTES: usize = 512;
/// How much of an error body is read at most.
pub(crate) const READ_LIMIT: usize = 64 * 1024;

/// What can go wrong with a call. `V` is the vendor's error body.
#[derive(Debug)]
pub enum Error<V> {
    /// The server answered with an error status (documented or not).
    Api {
        /// The HTTP status.
        status: StatusCode,
        /// The response headers (rate-limit headers, `retry-after`, ...).
        headers: HeaderMap,
        /// The vendor's error, when the body decoded as one.
        vendor: Option<V>,
        /// The start of the body, as sent (HTML from a proxy, an empty
        /// body, or the vendor's JSON).
        body: String,
    },
    /// A success status whose body is not what the spec describes.
    Decode {
        /// The HTTP status.
        status: StatusCode,
        /// The start of the body.
        body: String,
        /// Why it did not decode.
        source: serde_json::Error,
    },
    /// No response in time.
    Timeout(reqwest::Error),
    /// The connection could not be made or broke.
    Network(reqwest::Error),
    /// A caller's value was refused before anything was sent.
    InvalidArgument {
        /// The parameter.
        name: &'static str,
        /// Why.
        reason: String,
    },
    /// The request could not be built.
    InvalidRequest(String),
}

impl<V> Error<V> {
    /// The HTTP status, when there was a response.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Api { status, .. } => Some(*status),
            Error::Decode { status, .. } => Some(*status),
            Error::Timeout(e) | Error::Network(e) => e.status(),
            Error::InvalidArgument { .. } | Error::InvalidRequest(_) => None,
        }
    }

    /// The vendor's decoded error, if it sent one.
    pub fn vendor(&self) -> Option<&V> {
        match self {
            Error::Api { vendor, .. } => vendor.as_ref(),
            _ => None,
        }
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
            Error::Timeout(_) | Error::Network(_) => true,
            Error::Api { status, headers, .. } => match status.as_u16() {
                408 | 429 | 502 | 503 | 504 => true,
                403 => is_rate_limited(headers),
                _ => false,
            },
            Error::Decode { .. } | Error::InvalidArgument { .. } | Error::InvalidRequest(_) => false,
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
            Error::Api { status, body, .. } => {
                write!(f, "HTTP {status}")?;
                match crate::summary::summary(body) {
                    Some(s) => write!(f, ": {s}"),
                    None if !body.trim().is_empty() => write!(f, ": {}", body.trim()),
                    None => Ok(()),
                }
            }
            Error::Decode { status, source, .. } => write!(
                f,
                "HTTP {status}: the response body does not match the API description: {source}"
            ),
            Error::Timeout(_) => f.write_str("the request timed out"),
            Error::Network(e) => write!(f, "network error: {e}"),
            Error::InvalidArgument { name, reason } => write!(f, "invalid `{name}`: {reason}"),
            Error::InvalidRequest(s) => write!(f, "the request could not be built: {s}"),
        }
    }
}

impl<V: fmt::Debug> std::error::Error for Error<V> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Decode { source, .. } => Some(source),
            Error::Timeout(e) | Error::Network(e) => Some(e),
            _ => None,
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
pub(crate) fn from_reqwest<V>(e: reqwest::Error) -> Error<V> {
    let e = e.without_url();
    if e.is_timeout() {
        Error::Timeout(e)
    } else {
        Error::Network(e)
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

/// Reads at most [`READ_LIMIT`] bytes of a body.
pub(crate) async fn read_bounded(mut response: reqwest::Response) -> Vec<u8> {
    let mut out = Vec::new();
    while out.len() < READ_LIMIT {
        match response.chunk().await {
            Ok(Some(chunk)) => out.extend_from_slice(&chunk[..chunk.len().min(READ_LIMIT - out.len())]),
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
    fn retryable_statuses() {
        let api = |s: u16| Error::<()>::Api {
            status: StatusCode::from_u16(s).unwrap(),
            headers: HeaderMap::new(),
            vendor: None,
            body: String::new(),
        };
        assert!(api(503).is_retryable() && api(429).is_retryable());
        assert!(!api(404).is_retryable() && !api(500).is_retryable() && !api(403).is_retryable());
        let limited = |name: &'static str, value: &'static str| Error::<()>::Api {
            status: StatusCode::FORBIDDEN,
            headers: HeaderMap::from_iter([(name.parse().unwrap(), value.parse().unwrap())]),
            vendor: None,
            body: String::new(),
        };
        assert!(limited("x-ratelimit-remaining", "0").is_retryable());
        assert!(limited("retry-after", "30").is_retryable());
        assert!(!limited("x-ratelimit-remaining", "12").is_retryable());
        assert_eq!(api(502).to_string(), "HTTP 502 Bad Gateway");
    }
}
