//! The request hooks every client installs through progenitor's
//! `ClientHooks::exec`: set the credential and the vendor's headers, drop the
//! `api-version` header progenitor adds on its own, and remember the status
//! of the response for the error type.

use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use reqwest::StatusCode;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};

use crate::error::ConfigError;
use crate::secret::CredentialHeader;

/// The header progenitor 0.15 adds to every request, which no vendor here
/// wants.
const STRAY_HEADER: &str = "api-version";

/// What a client sends with every request.
pub struct Settings {
    /// The credential header.
    pub credential: CredentialHeader,
    /// Fixed vendor headers (Accept, API version, User-Agent, ...).
    pub headers: HeaderMap,
}

impl fmt::Debug for Settings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Settings")
            .field("credential", &self.credential)
            .field("headers", &self.headers)
            .finish()
    }
}

impl Settings {
    /// Settings with a credential and no other headers.
    pub fn new(credential: CredentialHeader) -> Self {
        Self {
            credential,
            headers: HeaderMap::new(),
        }
    }

    /// Adds a fixed header; the value must be a valid header value.
    pub fn header(mut self, name: &'static str, value: &str) -> Result<Self, ConfigError> {
        let value = HeaderValue::from_str(value).map_err(|_| {
            ConfigError::new(format!(
                "the `{name}` header value contains characters a header cannot carry"
            ))
        })?;
        self.headers.insert(HeaderName::from_static(name), value);
        Ok(self)
    }
}

/// The `inner` value of a generated `Client` for one call: the shared
/// settings and a slot for that call's response status.
#[derive(Clone, Debug)]
pub struct CallContext {
    settings: Arc<Settings>,
    status: Arc<Mutex<Option<StatusCode>>>,
}

impl CallContext {
    /// A fresh context for one call.
    pub fn new(settings: Arc<Settings>) -> Self {
        Self {
            settings,
            status: Arc::new(Mutex::new(None)),
        }
    }

    /// The status of the response, once there was one.
    pub fn status(&self) -> Option<StatusCode> {
        match self.status.lock() {
            Ok(s) => *s,
            Err(poisoned) => *poisoned.into_inner(),
        }
    }

    /// The body of `ClientHooks::exec`: prepares and sends the request.
    pub async fn execute(
        &self,
        client: &reqwest::Client,
        mut request: reqwest::Request,
    ) -> reqwest::Result<reqwest::Response> {
        let headers = request.headers_mut();
        headers.remove(STRAY_HEADER);
        for (name, value) in &self.settings.headers {
            headers.insert(name.clone(), value.clone());
        }
        self.settings.credential.apply(headers);
        let response = client.execute(request).await?;
        match self.status.lock() {
            Ok(mut s) => *s = Some(response.status()),
            Err(poisoned) => *poisoned.into_inner() = Some(response.status()),
        }
        Ok(response)
    }
}

/// Timeouts for a client's HTTP connection pool.
#[derive(Debug, Clone, Copy)]
pub struct Timeouts {
    /// For the whole request, until the body is read.
    pub request: Duration,
    /// For establishing the connection.
    pub connect: Duration,
}

impl Default for Timeouts {
    fn default() -> Self {
        Self {
            request: Duration::from_secs(30),
            connect: Duration::from_secs(10),
        }
    }
}

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

/// The HTTP client every generated client uses: rustls with the ring
/// crypto provider, the given timeouts, redirects followed only within one
/// origin. If the application installed a rustls provider of its own, that
/// one is used.
pub fn http_client(timeouts: Timeouts) -> Result<reqwest::Client, ConfigError> {
    // Err means a provider is installed already, which is what we want.
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder()
        .timeout(timeouts.request)
        .connect_timeout(timeouts.connect)
        .redirect(same_origin_redirects())
        .build()
        .map_err(|e| ConfigError::new(format!("cannot build the HTTP client: {e}")))
}

/// Where and how a client sends its requests: the checked base URL, the
/// HTTP connection pool and the per-request settings. Each client crate's
/// `Client` wraps one.
#[derive(Clone, Debug)]
pub struct Connection {
    /// The base URL, without a trailing slash.
    pub base_url: String,
    /// The connection pool.
    pub http: reqwest::Client,
    /// Credential and vendor headers.
    pub settings: Arc<Settings>,
}

impl Connection {
    /// Checks the base URL and builds the pool.
    pub fn new(base_url: &str, timeouts: Timeouts, settings: Settings) -> Result<Self, ConfigError> {
        Ok(Self {
            base_url: crate::base_url::parse(base_url)?,
            http: http_client(timeouts)?,
            settings: Arc::new(settings),
        })
    }

    /// A fresh context for one call.
    pub fn context(&self) -> CallContext {
        CallContext::new(self.settings.clone())
    }
}

/// Implements progenitor's `ClientHooks` for a generated `Client` whose
/// `inner` is a [`CallContext`] (manifest: `inner_type =
/// "client_core::CallContext"`, `hooks = "expected"`).
#[macro_export]
macro_rules! impl_client_hooks {
    ($client:ty) => {
        impl ::progenitor_client::ClientHooks<$crate::CallContext> for $client {
            async fn exec(
                &self,
                request: ::reqwest::Request,
                _: &::progenitor_client::OperationInfo,
            ) -> ::reqwest::Result<::reqwest::Response> {
                self.inner.execute(&self.client, request).await
            }
        }
    };
}

/// The `timeout` and `connect_timeout` setters of a client builder with a
/// `timeouts: Timeouts` field.
#[macro_export]
macro_rules! timeout_setters {
    () => {
        /// The timeout of a whole request (default 30 s).
        pub fn timeout(mut self, timeout: ::std::time::Duration) -> Self {
            self.timeouts.request = timeout;
            self
        }

        /// The timeout for connecting (default 10 s).
        pub fn connect_timeout(mut self, timeout: ::std::time::Duration) -> Self {
            self.timeouts.connect = timeout;
            self
        }
    };
}
