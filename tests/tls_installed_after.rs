//! An application that builds a client first and installs its own rustls
//! provider afterwards can: building a client installs nothing process-wide,
//! so `install_default` succeeds and the application's provider is the
//! default, while the client keeps the provider it was built with. A process
//! of its own: the default is process-wide.

// client-core's test support: a stand-in generated client and the TLS
// server that reports the negotiated key exchange.
#[path = "../crates/client-core/tests/support/mod.rs"]
mod support;

use rustls::crypto::CryptoProvider;
use support::tls::{CA_PEM, TlsServer};
use support::{GET, builder_at, call};

#[tokio::test]
async fn a_provider_installed_after_a_client_was_built_is_accepted_and_kept() {
    let mut server = TlsServer::start().await;
    let mut builder = builder_at(&server.base_url);
    builder.root_certificate_pem(CA_PEM);
    let conn = builder.build().expect("a client");
    assert!(
        CryptoProvider::get_default().is_none(),
        "building a client installed a provider"
    );
    // Deprecated by rustls 0.23.48 (no post-quantum groups): the point here.
    #[allow(deprecated)]
    let ring = rustls::crypto::ring::default_provider();
    ring.install_default()
        .expect("the application's install succeeds");
    call(&conn, GET, None).await.expect("a 200 over TLS");
    // The client was built with the default feature's provider (the
    // workspace's clients turn `tls-aws-lc` on).
    assert_eq!(server.negotiated_group().await, "X25519MLKEM768");
    let installed = CryptoProvider::get_default().expect("installed");
    assert_eq!(
        groups(installed),
        ["X25519", "secp256r1", "secp384r1"],
        "ring is the default"
    );
}

/// A provider's key-exchange groups, by name: ring's are the classical three.
fn groups(provider: &CryptoProvider) -> Vec<String> {
    provider
        .kx_groups
        .iter()
        .map(|g| format!("{:?}", g.name()))
        .collect()
}
