//! An application that installs its own rustls provider before it builds a
//! client keeps it: the client uses the application's provider (ring here,
//! so the handshake is X25519 even though the default feature would have
//! chosen aws-lc-rs and X25519MLKEM768), and the process default is still
//! the application's. A process of its own: the default is process-wide.

// client-core's test support: a stand-in generated client and the TLS
// server that reports the negotiated key exchange.
#[path = "../crates/client-core/tests/support/mod.rs"]
mod support;

use support::tls::{
    CA_PEM, RING_GROUPS, TlsServer, install_ring_as_the_process_default, process_default_groups,
};
use support::{GET, builder_at, call};

#[tokio::test]
async fn the_applications_provider_installed_first_is_the_one_used() {
    install_ring_as_the_process_default();
    let mut server = TlsServer::start().await;
    let mut builder = builder_at(&server.base_url);
    builder.root_certificate_pem(CA_PEM);
    let conn = builder.build().expect("a client");
    call(&conn, GET, None).await.expect("a 200 over TLS");
    assert_eq!(server.negotiated_group().await, "X25519");
    assert_eq!(process_default_groups(), RING_GROUPS, "ring stays the default");
}
