//! The HTTP connection pool every client uses: rustls with a crypto
//! provider chosen without touching the process (see [`provider`]), the
//! platform's certificate verifier plus any roots the caller adds, the given
//! timeouts, and redirects followed only within one origin.

use std::sync::Arc;
use std::time::Duration;

use rustls::crypto::CryptoProvider;
use rustls::pki_types::CertificateDer;

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

/// The rustls crypto provider a new client uses, decided at each build and
/// never installed process-wide:
///
/// 0. the one given to this client's builder (`crypto_provider`), if any;
/// 1. the application's process-default provider, if it installed one
///    (rustls' `CryptoProvider`, installed once per process): its choice
///    wins;
/// 2. else aws-lc-rs, with the `tls-aws-lc` feature (the default): rustls'
///    own default, which prefers the post-quantum X25519MLKEM768 key
///    exchange;
/// 3. else ring, with the `tls-ring` feature: no C toolchain, a faster cold
///    build, classical key exchange (X25519) only;
/// 4. else a [`ConfigError`] saying what to do.
///
/// When both features end up on (cargo unifies features across a build),
/// aws-lc-rs is used.
pub fn provider(given: Option<Arc<CryptoProvider>>) -> Result<Arc<CryptoProvider>, ConfigError> {
    if let Some(given) = given {
        return Ok(given);
    }
    if let Some(installed) = CryptoProvider::get_default() {
        return Ok(Arc::clone(installed));
    }
    #[cfg(feature = "tls-aws-lc")]
    {
        Ok(Arc::new(rustls::crypto::aws_lc_rs::default_provider()))
    }
    #[cfg(all(feature = "tls-ring", not(feature = "tls-aws-lc")))]
    {
        // rustls 0.23.48 deprecates its ring provider for want of
        // post-quantum key exchange; `tls-ring` is the opt-in of those who
        // choose a build without C over that, and the README says so.
        #[allow(deprecated)]
        let ring = rustls::crypto::ring::default_provider();
        Ok(Arc::new(ring))
    }
    #[cfg(not(any(feature = "tls-aws-lc", feature = "tls-ring")))]
    {
        Err(ConfigError::new(
            "no TLS crypto provider: this build has neither the `tls-aws-lc` nor the `tls-ring` feature of the client crate, and the application installed no process-default rustls `CryptoProvider`; turn one feature on, or install a provider as the process default (or give one to the builder's `crypto_provider`) before building the client",
        ))
    }
}

/// Extra trust anchors (PEM), beside the platform's: for a vendor behind a
/// private CA, or a test server.
pub(crate) fn parse_roots(pem: &[u8]) -> Result<Vec<CertificateDer<'static>>, ConfigError> {
    use rustls::pki_types::pem::PemObject as _;
    let roots = CertificateDer::pem_slice_iter(pem)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| ConfigError::new(format!("the root certificate is not valid PEM: {e}")))?;
    if roots.is_empty() {
        return Err(ConfigError::new(
            "the root certificate holds no `-----BEGIN CERTIFICATE-----` block",
        ));
    }
    Ok(roots)
}

/// What a client's TLS is made of, beside the platform's defaults.
#[derive(Debug, Clone, Default)]
pub struct Tls {
    /// The crypto provider, instead of the one [`provider`] would choose.
    pub provider: Option<Arc<CryptoProvider>>,
    /// Trust anchors beside the platform's certificate store.
    pub roots: Vec<CertificateDer<'static>>,
}

/// The TLS configuration: the provider, the platform's verifier (with the
/// extra roots), TLS 1.2 and 1.3, HTTP/1.1.
fn tls_config(tls: Tls) -> Result<rustls::ClientConfig, ConfigError> {
    let (provider, roots) = (provider(tls.provider)?, tls.roots);
    let verifier = if roots.is_empty() {
        rustls_platform_verifier::Verifier::new(Arc::clone(&provider)).map_err(verification)?
    } else {
        with_extra_roots(roots, Arc::clone(&provider))?
    };
    let mut config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| ConfigError::new(format!("the TLS crypto provider cannot do TLS 1.2 or 1.3: {e}")))?
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(verifier))
        .with_no_client_auth();
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(config)
}

/// Why certificate verification could not be set up.
fn verification(e: rustls::Error) -> ConfigError {
    ConfigError::new(format!("cannot set up certificate verification: {e}"))
}

/// The platform's verifier with extra roots, where the platform verifier
/// takes them (as reqwest does: Unix but Android, and Windows).
#[cfg(any(all(unix, not(target_os = "android")), target_os = "windows"))]
fn with_extra_roots(
    roots: Vec<CertificateDer<'static>>,
    provider: Arc<CryptoProvider>,
) -> Result<rustls_platform_verifier::Verifier, ConfigError> {
    rustls_platform_verifier::Verifier::new_with_extra_roots(roots, provider).map_err(verification)
}

#[cfg(not(any(all(unix, not(target_os = "android")), target_os = "windows")))]
fn with_extra_roots(
    _roots: Vec<CertificateDer<'static>>,
    _provider: Arc<CryptoProvider>,
) -> Result<rustls_platform_verifier::Verifier, ConfigError> {
    Err(ConfigError::new(
        "extra root certificates are not supported on this platform's certificate verifier",
    ))
}

/// A connection pool with these timeouts and this TLS.
pub fn client(
    timeout: Duration,
    connect_timeout: Duration,
    tls: Tls,
) -> Result<reqwest::Client, ConfigError> {
    reqwest::Client::builder()
        .tls_backend_preconfigured(tls_config(tls)?)
        .timeout(timeout)
        .connect_timeout(connect_timeout)
        .redirect(same_origin_redirects())
        .build()
        .map_err(|e| ConfigError::new(format!("cannot build the HTTP client: {e}")))
}
