//! What one client holds, shared by its clones: the API's description, the
//! checked base URL, the HTTP connection pool (rustls with the provider
//! [`crate::http::provider`] chooses, redirects only within one origin), the
//! vendor's fixed headers, the credentials and the retry policy.
//! [`Builder`] makes one; every generated `ClientBuilder` wraps a `Builder`,
//! and every call starts a [`crate::call::Call`] on it.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use reqwest::Url;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue, USER_AGENT};

use crate::api::Api;
use crate::auth::{Credential, Credentials};
use crate::base_url::{self, Http};
use crate::config::ConfigError;
use crate::retry::RetryPolicy;

/// How long connecting may take unless the caller says otherwise.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

struct Shared {
    api: &'static Api,
    base: Url,
    prefix: String,
    http: reqwest::Client,
    headers: HeaderMap,
    credentials: Credentials,
    retry: RetryPolicy,
    max_response_body: u64,
}

/// A client's connection: cheap to clone, clones share everything.
#[derive(Clone)]
pub struct Connection(Arc<Shared>);

impl fmt::Debug for Connection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Connection")
            .field("api", &self.0.api.title)
            .field("base_url", &self.0.prefix)
            .field("credentials", &self.0.credentials)
            .finish_non_exhaustive()
    }
}

impl Connection {
    /// The base URL requests go to, without a trailing slash.
    pub fn base_url(&self) -> &str {
        &self.0.prefix
    }

    pub(crate) fn base(&self) -> &Url {
        &self.0.base
    }

    /// The connection pool.
    pub fn http(&self) -> &reqwest::Client {
        &self.0.http
    }

    pub(crate) fn headers(&self) -> &HeaderMap {
        &self.0.headers
    }

    pub(crate) fn credentials(&self) -> &Credentials {
        &self.0.credentials
    }

    /// How calls are retried.
    pub fn retry_policy(&self) -> &RetryPolicy {
        &self.0.retry
    }

    /// Replaces the credential of security scheme `scheme` for every later
    /// call, on every clone.
    pub fn set_credential(&self, scheme: usize, credential: Credential) -> Result<(), ConfigError> {
        self.0.credentials.set(scheme, credential)
    }

    /// The limit on a buffered response body, in bytes ([`crate::limit`]).
    pub fn max_response_body(&self) -> u64 {
        self.0.max_response_body
    }

    /// The API this connection talks to.
    pub fn api(&self) -> &'static Api {
        self.0.api
    }
}

/// Builds a [`Connection`]: base URL, credentials, User-Agent, timeouts.
pub struct Builder {
    api: &'static Api,
    base_url: Option<String>,
    user_agent: Option<String>,
    timeout: Duration,
    connect_timeout: Duration,
    http: Http,
    credentials: Vec<(usize, Credential)>,
    retry: RetryPolicy,
    max_response_body: u64,
    /// PEM text of extra trust anchors, parsed at `build`.
    roots: Vec<Vec<u8>>,
    /// The TLS crypto provider, when the caller gives one.
    provider: Option<Arc<rustls::crypto::CryptoProvider>>,
}

impl fmt::Debug for Builder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Builder")
            .field("api", &self.api.title)
            .field("base_url", &self.base_url.as_deref().map(|_| "<set>"))
            .field(
                "credentials",
                &self
                    .credentials
                    .iter()
                    .map(|(i, _)| self.api.schemes[*i].key)
                    .collect::<Vec<_>>(),
            )
            .field("retry", &self.retry)
            .field("max_response_body", &self.max_response_body)
            .field("extra_roots", &self.roots.len())
            .field("crypto_provider", &self.provider.as_ref().map(|_| "<given>"))
            .finish_non_exhaustive()
    }
}

impl Builder {
    /// A builder for this API, with its defaults.
    pub fn new(api: &'static Api) -> Self {
        Self {
            api,
            base_url: None,
            user_agent: None,
            timeout: Duration::from_secs(api.timeout_secs),
            connect_timeout: CONNECT_TIMEOUT,
            http: Http::default(),
            credentials: Vec::new(),
            retry: RetryPolicy::default(),
            max_response_body: crate::limit::DEFAULT_MAX_RESPONSE_BODY,
            roots: Vec::new(),
            provider: None,
        }
    }

    /// The base URL, instead of the spec's default server.
    pub fn base_url(&mut self, url: &str) {
        self.base_url = Some(url.to_string());
    }

    /// The `User-Agent` header.
    pub fn user_agent(&mut self, user_agent: &str) {
        self.user_agent = Some(user_agent.to_string());
    }

    /// The timeout of a whole request.
    pub fn timeout(&mut self, timeout: Duration) {
        self.timeout = timeout;
    }

    /// The timeout for connecting.
    pub fn connect_timeout(&mut self, timeout: Duration) {
        self.connect_timeout = timeout;
    }

    /// The limit on a buffered response body, in bytes ([`crate::limit`]).
    pub fn max_response_body(&mut self, bytes: u64) {
        self.max_response_body = bytes;
    }

    /// Allows a plain `http://` base URL to a host that is not loopback.
    pub fn allow_http(&mut self) {
        self.http = Http::Allowed;
    }

    /// How calls are retried (default: [`RetryPolicy::default`]).
    pub fn retry(&mut self, policy: RetryPolicy) {
        self.retry = policy;
    }

    /// Trusts the certificates of this PEM text as roots, beside the
    /// platform's (checked at [`Builder::build`]).
    pub fn root_certificate_pem(&mut self, pem: &[u8]) {
        self.roots.push(pem.to_vec());
    }

    /// The rustls crypto provider of this client, instead of the process
    /// default or the one the `tls-*` feature chooses.
    pub fn crypto_provider(&mut self, provider: Arc<rustls::crypto::CryptoProvider>) {
        self.provider = Some(provider);
    }

    /// The credential of security scheme `scheme`.
    pub fn credential(&mut self, scheme: usize, credential: Credential) {
        self.credentials.retain(|(i, _)| *i != scheme);
        self.credentials.push((scheme, credential));
    }

    /// Checks everything and builds the connection.
    pub fn build(self) -> Result<Connection, ConfigError> {
        let api = self.api;
        let url = match (&self.base_url, api.default_base_url) {
            (Some(url), _) => url.as_str(),
            (None, Some(default)) => default,
            (None, None) => {
                return Err(ConfigError::new(format!(
                    "the {} has no usable default server ({}): give one with `.base_url(..)`",
                    api.title, api.no_default_reason
                )));
            }
        };
        let base = base_url::parse(url, self.http)?;
        let mut headers = HeaderMap::new();
        for (name, value) in api.headers {
            headers.insert(header_name(name)?, header_value(name, value)?);
        }
        let agent = self.user_agent.as_deref().unwrap_or(api.user_agent);
        if agent.trim().is_empty() {
            return Err(ConfigError::new(
                "the User-Agent must not be empty: some APIs and proxies refuse requests without one",
            ));
        }
        headers.insert(USER_AGENT, header_value("user-agent", agent)?);
        let credentials = Credentials::new(api.schemes);
        for (scheme, credential) in self.credentials {
            credentials.set(scheme, credential)?;
        }
        let mut tls = crate::http::Tls {
            provider: self.provider,
            roots: Vec::new(),
        };
        for pem in &self.roots {
            tls.roots.extend(crate::http::parse_roots(pem)?);
        }
        Ok(Connection(Arc::new(Shared {
            api,
            prefix: base_url::as_prefix(&base),
            base,
            http: crate::http::client(self.timeout, self.connect_timeout, tls)?,
            headers,
            credentials,
            retry: self.retry,
            max_response_body: self.max_response_body,
        })))
    }
}

fn header_name(name: &str) -> Result<HeaderName, ConfigError> {
    HeaderName::from_bytes(name.to_ascii_lowercase().as_bytes())
        .map_err(|_| ConfigError::new(format!("`{name}` is not a valid header name")))
}

fn header_value(name: &str, value: &str) -> Result<HeaderValue, ConfigError> {
    HeaderValue::from_str(value).map_err(|_| {
        ConfigError::new(format!(
            "the `{name}` header value contains characters a header cannot carry"
        ))
    })
}

/// The setters every generated `ClientBuilder(Builder)` shares: base URL,
/// User-Agent, timeouts, plain http, retries. The generator invokes this
/// instead of writing the same methods into every client crate; only the
/// per-scheme credential setters and `build` are generated. `$timeout_doc`
/// names the crate's default request timeout.
#[macro_export]
macro_rules! builder_setters {
    ($timeout_doc:literal) => {
        /// The base URL, instead of the spec's default server: an
        /// `https://` URL (or `http://` to a loopback host) without
        /// credentials, query or fragment.
        pub fn base_url(mut self, url: &str) -> Self {
            self.0.base_url(url);
            self
        }

        /// The `User-Agent` header (default: this crate's name and version).
        pub fn user_agent(mut self, user_agent: &str) -> Self {
            self.0.user_agent(user_agent);
            self
        }

        #[doc = $timeout_doc]
        pub fn timeout(mut self, timeout: ::std::time::Duration) -> Self {
            self.0.timeout(timeout);
            self
        }

        /// The limit on a response body the client reads whole (a JSON
        /// success, an error), in bytes: default 64 MiB
        /// ([`DEFAULT_MAX_RESPONSE_BODY`]($crate::DEFAULT_MAX_RESPONSE_BODY)).
        /// A body over it is [`Error::BodyTooLarge`]($crate::Error::BodyTooLarge), its
        /// connection dropped; a `Content-Length` over it is refused before
        /// anything is read. A call can set its own on its request value.
        /// Downloads (`ByteStream`) are not bounded: they are read as they arrive.
        pub fn max_response_body(mut self, bytes: u64) -> Self {
            self.0.max_response_body(bytes);
            self
        }

        /// The timeout for connecting (default 10 s).
        pub fn connect_timeout(mut self, timeout: ::std::time::Duration) -> Self {
            self.0.connect_timeout(timeout);
            self
        }

        /// Trusts the certificates of this PEM text as roots, beside the
        /// platform's: for a server behind a private CA, or a test server
        /// with its own certificate. Invalid PEM fails `build`.
        pub fn root_certificate_pem(mut self, pem: &[u8]) -> Self {
            self.0.root_certificate_pem(pem);
            self
        }

        /// The rustls crypto provider of this client (a FIPS build, say),
        /// instead of the application's process default or the one the
        /// crate's `tls-aws-lc` / `tls-ring` feature chooses. Nothing is
        /// installed process-wide.
        pub fn crypto_provider(
            mut self,
            provider: ::std::sync::Arc<$crate::rustls::crypto::CryptoProvider>,
        ) -> Self {
            self.0.crypto_provider(provider);
            self
        }

        /// Allows a plain `http://` base URL to a host that is not
        /// loopback (credentials then travel unencrypted).
        pub fn allow_http(mut self) -> Self {
            self.0.allow_http();
            self
        }

        /// How calls are retried. By default ([`RetryPolicy::default`])
        /// a GET, HEAD, PUT, DELETE or OPTIONS call that fails in a way
        /// that may pass (no connection, a timeout, 408, 429, 502, 503,
        /// 504, a rate-limited 403) is sent up to 3 times, waiting what
        /// the server asks (`Retry-After`, `x-ratelimit-reset`) or
        /// backing off with jitter.
        pub fn retry(mut self, policy: $crate::RetryPolicy) -> Self {
            self.0.retry(policy);
            self
        }

        /// Sends every call once, without retries.
        pub fn retry_off(mut self) -> Self {
            self.0.retry($crate::RetryPolicy::off());
            self
        }
    };
}
