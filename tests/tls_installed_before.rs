//! An application that installs its own rustls provider before it builds a
//! client keeps it: the client uses the application's provider (ring here,
//! so the handshake is X25519 even though the default feature would have
//! chosen aws-lc-rs and X25519MLKEM768), and the process default is still
//! the application's. A process of its own: the default is process-wide.

// client-core's test support: a stand-in generated client and the TLS
// server that reports the negotiated key exchange.
#[path = "../crates/client-core/tests/support/mod.rs"]
mod support;

use rustls::crypto::CryptoProvider;
use support::tls::{CA_PEM, TlsServer};
use support::{GET, builder_at, call};

#[tokio::test]
async fn the_applications_provider_installed_first_is_the_one_used() {
    // Deprecated by rustls 0.23.48 (no post-quantum groups): the point here.
    #[allow(deprecated)]
    let ring = rustls::crypto::ring::default_provider();
    ring.install_default().expect("nothing installed before");
    let mut server = TlsServer::start().await;
    let mut builder = builder_at(&server.base_url);
    builder.root_certificate_pem(CA_PEM);
    let conn = builder.build().expect("a client");
    call(&conn, GET, None).await.expect("a 200 over TLS");
    assert_eq!(server.negotiated_group().await, "X25519");
    let installed = CryptoProvider::get_default().expect("still installed");
    assert_eq!(
        groups(installed),
        ["X25519", "secp256r1", "secp384r1"],
        "ring stays the default"
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
