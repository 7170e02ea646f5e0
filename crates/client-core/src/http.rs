//! The HTTP connection pool every client uses: rustls with the ring crypto
//! provider (no OpenSSL, and not aws-lc-rs, whose C build would double a
//! downstream cold build), the given timeouts, and redirects followed only
//! within one origin. If the application installed a rustls provider of its
//! own, that one is used.

use std::time::Duration;

use crate::config::ConfigError;

/// Follows redirects only within the origin of the first request: reqwest
/// strips `Authorization` on a cross-origin redirect, but not vendor
/// credential headers such as `sessionToken`, so those would leak to the
/// other host. A cross-origin redirect reaches the caller as an error with
/// its 3xx status instead.
fn same_origin_redirects() -> reqwest::redirect::Policy {
    reqwest::redirect::Policy::custom(|attempt| {
        let same_origin = attempt
            .previous()
            .first()
            .is_some_and(|first| first.origin() == attempt.url().origin());
        if attempt.previous().len() >= 10 || !same_origin {
            attempt.stop()
        } else {
            attempt.follow()
        }
    })
}

/// A connection pool with these timeouts.
pub fn client(timeout: Duration, connect_timeout: Duration) -> Result<reqwest::Client, ConfigError> {
    // Err means a provider is installed already, which is what we want.
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder()
        .timeout(timeout)
        .connect_timeout(connect_timeout)
        .redirect(same_origin_redirects())
        .build()
        .map_err(|e| ConfigError::new(format!("cannot build the HTTP client: {e}")))
}
