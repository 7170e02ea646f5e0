//! An application that builds a client first and installs its own rustls
//! provider afterwards can: building a client installs nothing process-wide,
//! so `install_default` succeeds and the application's provider is the
//! default, while the client keeps the provider it was built with. A process
//! of its own: the default is process-wide.

// client-core's test support: a stand-in generated client and the TLS
// server that reports the negotiated key exchange.
#[path = "../crates/client-core/tests/support/mod.rs"]
mod support;

use support::tls::{
    CA_PEM, RING_GROUPS, TlsServer, install_ring_as_the_process_default, process_default_groups,
};
use support::{GET, builder_at, call};

#[tokio::test]
async fn a_provider_installed_after_a_client_was_built_is_accepted_and_kept() {
    let mut server = TlsServer::start().await;
    let mut builder = builder_at(&server.base_url);
    builder.root_certificate_pem(CA_PEM);
    let conn = builder.build().expect("a client");
    assert!(
        process_default_groups().is_empty(),
        "building a client installed a provider"
    );
    install_ring_as_the_process_default();
    call(&conn, GET, None).await.expect("a 200 over TLS");
    // The client was built with the default feature's provider (the
    // workspace's clients turn `tls-aws-lc` on).
    assert_eq!(server.negotiated_group().await, "X25519MLKEM768");
    assert_eq!(process_default_groups(), RING_GROUPS, "ring is the default");
}
