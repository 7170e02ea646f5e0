//! TLS on the wire, against a local rustls server on 127.0.0.1 that reports
//! the key exchange it negotiated: the default feature (`tls-aws-lc`)
//! negotiates the post-quantum X25519MLKEM768; `tls-ring` negotiates X25519;
//! with neither feature and no provider installed, building a client is a
//! [`ConfigError`](usergroup_client_core::ConfigError) that says what to do.
//! The server's certificate is trusted through the builder's
//! `root_certificate_pem`, and only then. Nothing here installs a process
//! default provider (the workspace tests `tests/tls_installed_before.rs`
//! and `tests/tls_installed_after.rs` do, as an application would, each in
//! a process of its own).
//!
//! `cargo test -p usergroup-client-core --test tls` runs the default;
//! `.ci/run` also runs it with `--no-default-features --features tls-ring`
//! and with `--no-default-features`.

mod support;

use support::builder_at;
#[cfg(any(feature = "tls-aws-lc", feature = "tls-ring"))]
use support::tls::{CA_PEM, TlsServer};
#[cfg(any(feature = "tls-aws-lc", feature = "tls-ring"))]
use support::{GET, call};

#[cfg(any(feature = "tls-aws-lc", feature = "tls-ring"))]
#[tokio::test]
async fn the_handshake_negotiates_the_features_key_exchange() {
    let mut server = TlsServer::start().await;
    let mut builder = builder_at(&server.base_url);
    builder.root_certificate_pem(CA_PEM);
    let conn = builder.build().expect("a client");
    let value = call(&conn, GET, None).await.expect("a 200 over TLS");
    assert_eq!(value.into_inner(), serde_json::json!({"ok": true}));
    let expected = if cfg!(feature = "tls-aws-lc") {
        "X25519MLKEM768"
    } else {
        "X25519"
    };
    assert_eq!(server.negotiated_group().await, expected);
}

#[cfg(any(feature = "tls-aws-lc", feature = "tls-ring"))]
#[tokio::test]
async fn a_server_whose_ca_the_client_was_not_given_is_refused() {
    let mut server = TlsServer::start().await;
    let conn = builder_at(&server.base_url).build().expect("a client");
    let err = call(&conn, GET, None).await.expect_err("an unknown CA");
    let text = format!("{err:?}");
    assert!(text.contains("UnknownIssuer"), "{text}");
    // Another attempt would meet the same certificate: the GET is not
    // retried, though a network failure of a GET would be.
    assert_eq!(err.attempts(), 1, "{text}");
    assert!(!err.is_retryable(), "{text}");
    assert_eq!(server.handshakes(), 0);
}

#[cfg(any(feature = "tls-aws-lc", feature = "tls-ring"))]
#[test]
fn a_root_certificate_that_is_not_pem_fails_the_build() {
    let mut builder = builder_at("https://127.0.0.1:1");
    builder.root_certificate_pem(b"not a certificate");
    assert_eq!(
        builder.build().expect_err("no PEM").to_string(),
        "invalid client configuration: the root certificate holds no `-----BEGIN CERTIFICATE-----` block"
    );
}

#[cfg(not(any(feature = "tls-aws-lc", feature = "tls-ring")))]
#[test]
fn without_a_feature_or_an_installed_provider_the_build_says_what_to_do() {
    assert_eq!(
        builder_at("https://127.0.0.1:1")
            .build()
            .expect_err("no provider")
            .to_string(),
        "invalid client configuration: no TLS crypto provider: this build has neither the `tls-aws-lc` nor the `tls-ring` feature of the client crate, and the application installed no process-default rustls `CryptoProvider`; turn one feature on, or install a provider as the process default (or give one to the builder's `crypto_provider`) before building the client"
    );
}
