//! One error type per client, honest about what happened: the HTTP status
//! whenever there was a response, the vendor's decoded error where it sent
//! one, otherwise a bounded excerpt of the body; network failures and
//! timeouts apart from API errors; and whether a retry makes sense.

use std::fmt;

use progenitor_client::ResponseValue;
use reqwest::StatusCode;
use serde::de::DeserializeOwned;

use crate::transport::CallContext;

/// How much of an undecodable body an error keeps.
pub const EXCERPT_BYTES: usize = 512;
/// How much of an error body is read at most.
const READ_LIMIT: usize = 64 * 1024;

/// A vendor's error body, as each client crate decodes it.
pub trait VendorError: fmt::Debug {
    /// One line saying what went wrong, for `Display`.
    fn summary(&self) -> Option<String>;
}

impl VendorError for () {
    fn summary(&self) -> Option<String> {
        None
    }
}

/// A client could not be built.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError(String);

impl ConfigError {
    /// A configuration error with its reason.
    pub fn new(reason: impl Into<String>) -> Self {
        Self(reason.into())
    }
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid client configuration: {}", self.0)
    }
}

impl std::error::Error for ConfigError {}

/// What can go wrong with a call. `V` is the vendor's error body.
#[derive(Debug)]
pub enum Error<V> {
    /// The server answered with an error status (documented or not).
    Api {
        /// The HTTP status.
        status: StatusCode,
        /// The vendor's error, when the body decoded as one.
        vendor: Option<V>,
        /// The start of the body, when it did not decode (HTML from a
        /// proxy, an empty body, plain text).
        body: Option<String>,
    },
    /// A success status whose body is not what the spec describes.
    Decode {
        /// The HTTP status.
        status: Option<StatusCode>,
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
            Error::Decode { status, .. } => *status,
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

    /// The start of an undecoded body, if any.
    pub fn body_excerpt(&self) -> Option<&str> {
        match self {
            Error::Api { body, .. } => body.as_deref(),
            Error::Decode { body, .. } => Some(body),
            _ => None,
        }
    }

    /// Whether the same call may succeed later: timeouts, connection
    /// failures, and 408, 429, 502, 503, 504.
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::Timeout(_) | Error::Network(_) => true,
            Error::Api { status, .. } => matches!(status.as_u16(), 408 | 429 | 502 | 503 | 504),
            Error::Decode { .. } | Error::InvalidArgument { .. } | Error::InvalidRequest(_) => false,
        }
    }

    /// Whether this is a timeout.
    pub fn is_timeout(&self) -> bool {
        matches!(self, Error::Timeout(_))
    }
}

impl<V: VendorError> fmt::Display for Error<V> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Api { status, vendor, body } => {
                write!(f, "HTTP {status}")?;
                match (vendor.as_ref().and_then(VendorError::summary), body) {
                    (Some(s), _) => write!(f, ": {s}"),
                    (None, Some(b)) if !b.is_empty() => write!(f, ": {b}"),
                    _ => Ok(()),
                }
            }
            Error::Decode { status, source, .. } => match status {
                Some(s) => write!(
                    f,
                    "HTTP {s}: the response body does not match the API description: {source}"
                ),
                None => write!(
                    f,
                    "the response body does not match the API description: {source}"
                ),
            },
            Error::Timeout(_) => f.write_str("the request timed out"),
            Error::Network(e) => write!(f, "network error: {e}"),
            Error::InvalidArgument { name, reason } => write!(f, "invalid `{name}`: {reason}"),
            Error::InvalidRequest(s) => write!(f, "the request could not be built: {s}"),
        }
    }
}

impl<V: VendorError> std::error::Error for Error<V> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Decode { source, .. } => Some(source),
            Error::Timeout(e) | Error::Network(e) => Some(e),
            _ => None,
        }
    }
}

fn excerpt(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(&bytes[..bytes.len().min(EXCERPT_BYTES)]).into_owned();
    if bytes.len() > EXCERPT_BYTES {
        format!("{text}…")
    } else {
        text
    }
}

fn from_reqwest<V>(e: reqwest::Error) -> Error<V> {
    if e.is_timeout() {
        Error::Timeout(e)
    } else {
        Error::Network(e)
    }
}

/// Turns what a generated method returned into the client's error type.
/// `call` knows the status of the response, which progenitor forgets when
/// a body does not decode.
pub async fn finish<T, V: DeserializeOwned>(
    result: Result<ResponseValue<T>, progenitor_client::Error<V>>,
    call: &CallContext,
) -> Result<ResponseValue<T>, Error<V>> {
    use progenitor_client::Error as P;
    let err = match result {
        Ok(value) => return Ok(value),
        Err(e) => e,
    };
    Err(match err {
        P::ErrorResponse(value) => Error::Api {
            status: value.status(),
            vendor: Some(value.into_inner()),
            body: None,
        },
        P::UnexpectedResponse(response) => {
            let status = response.status();
            let bytes = read_bounded(response).await;
            match status.is_success() {
                true => Error::Decode {
                    status: Some(status),
                    body: excerpt(&bytes),
                    source: serde::de::Error::custom(format!(
                        "status {status} is not in the API description"
                    )),
                },
                false => vendor_or_excerpt(status, &bytes),
            }
        }
        P::InvalidResponsePayload(bytes, source) => match call.status() {
            Some(status) if !status.is_success() => vendor_or_excerpt(status, &bytes),
            status => Error::Decode {
                status,
                body: excerpt(&bytes),
                source,
            },
        },
        P::CommunicationError(e) | P::ResponseBodyError(e) | P::InvalidUpgrade(e) => from_reqwest(e),
        P::InvalidRequest(s) | P::Custom(s) => Error::InvalidRequest(s),
    })
}

fn vendor_or_excerpt<V: DeserializeOwned>(status: StatusCode, bytes: &[u8]) -> Error<V> {
    match serde_json::from_slice::<V>(bytes) {
        Ok(vendor) if !bytes.is_empty() => Error::Api {
            status,
            vendor: Some(vendor),
            body: None,
        },
        _ => Error::Api {
            status,
            vendor: None,
            body: Some(excerpt(bytes)),
        },
    }
}

async fn read_bounded(mut response: reqwest::Response) -> Vec<u8> {
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
    fn excerpts_are_bounded() {
        let long = vec![b'x'; 10_000];
        let e = excerpt(&long);
        assert!(e.len() <= EXCERPT_BYTES + '…'.len_utf8());
        assert!(e.ends_with('…'));
        assert_eq!(excerpt(b"short"), "short");
    }

    #[test]
    fn retryable_statuses() {
        let api = |s: u16| Error::<()>::Api {
            status: StatusCode::from_u16(s).unwrap(),
            vendor: None,
            body: None,
        };
        assert!(api(503).is_retryable() && api(429).is_retryable());
        assert!(!api(404).is_retryable() && !api(500).is_retryable());
        assert_eq!(api(502).to_string(), "HTTP 502 Bad Gateway");
    }
}
