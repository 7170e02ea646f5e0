//! A TLS server on 127.0.0.1 for the TLS tests: rustls with aws-lc-rs, so it
//! offers the post-quantum X25519MLKEM768 group beside the classical ones,
//! and reports which key exchange each handshake negotiated. Its certificate
//! (`tests/tls/server.pem`, for `localhost` and `127.0.0.1`) is signed by a
//! test CA (`tests/tls/ca.pem`) that a client trusts only when told to.
//! The TLS benchmark (`benchmarks/benches/tls.rs`) runs the same server.

use std::sync::Arc;

use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::TcpListener;
use tokio_rustls::TlsAcceptor;
use tokio_rustls::rustls::pki_types::pem::PemObject as _;
use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer};
use tokio_rustls::rustls::{self, ServerConfig};

/// The test CA, as a client is given it (`root_certificate_pem`).
pub const CA_PEM: &[u8] = include_bytes!("../tls/ca.pem");
const CERT_PEM: &[u8] = include_bytes!("../tls/server.pem");
const KEY_PEM: &[u8] = include_bytes!("../tls/server.key");

/// A running server: its `https://127.0.0.1:<port>` base URL, and the
/// handshakes it completed, as the negotiated key-exchange group's name
/// (`X25519MLKEM768`, `X25519`, ...).
pub struct TlsServer {
    pub base_url: String,
    groups: tokio::sync::mpsc::UnboundedReceiver<String>,
}

impl TlsServer {
    /// Starts a server that answers every request 200 `{"ok":true}` and
    /// closes the connection.
    pub async fn start() -> Self {
        Self::start_with(br#"{"ok":true}"#, false).await
    }

    /// Starts a server that answers every request 200 with this JSON body,
    /// and keeps each connection open for more requests when `keep_alive`,
    /// else closes it after one (so each request costs a handshake).
    pub async fn start_with(body: &'static [u8], keep_alive: bool) -> Self {
        let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
        let config = ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .expect("TLS 1.2 and 1.3")
            .with_no_client_auth()
            .with_single_cert(
                vec![CertificateDer::from_pem_slice(CERT_PEM).expect("the test certificate")],
                PrivateKeyDer::from_pem_slice(KEY_PEM).expect("the test key"),
            )
            .expect("a server config");
        let acceptor = TlsAcceptor::from(Arc::new(config));
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("a port");
        let base_url = format!(
            "https://127.0.0.1:{}",
            listener.local_addr().expect("address").port()
        );
        let (tx, groups) = tokio::sync::mpsc::unbounded_channel();
        tokio::spawn(async move {
            while let Ok((tcp, _)) = listener.accept().await {
                let (acceptor, tx) = (acceptor.clone(), tx.clone());
                tokio::spawn(async move {
                    let Ok(mut tls) = acceptor.accept(tcp).await else {
                        return; // a client that refused our certificate
                    };
                    let group = tls.get_ref().1.negotiated_key_exchange_group();
                    let _ = tx.send(group.map_or("none".into(), |g| format!("{:?}", g.name())));
                    let mut request = Vec::new();
                    let mut buf = [0u8; 4096];
                    loop {
                        while !request.windows(4).any(|w| w == b"\r\n\r\n") {
                            match tls.read(&mut buf).await {
                                Ok(0) | Err(_) => return,
                                Ok(n) => request.extend_from_slice(&buf[..n]),
                            }
                        }
                        // Request bodies are not parsed: a JSON body (no blank
                        // line in it) is dropped with the next request's head.
                        request.clear();
                        let head = format!(
                            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n{}\r\n",
                            body.len(),
                            if keep_alive { "" } else { "connection: close\r\n" }
                        );
                        let mut answer = head.into_bytes();
                        answer.extend_from_slice(body);
                        if tls.write_all(&answer).await.is_err() || !keep_alive {
                            let _ = tls.shutdown().await;
                            return;
                        }
                    }
                });
            }
        });
        Self { base_url, groups }
    }

    /// The key-exchange group of the next completed handshake.
    pub async fn negotiated_group(&mut self) -> String {
        self.groups.recv().await.expect("a completed handshake")
    }

    /// The handshakes completed so far.
    pub fn handshakes(&mut self) -> usize {
        let mut n = 0;
        while self.groups.try_recv().is_ok() {
            n += 1;
        }
        n
    }
}

/// Installs ring as the process-default provider, as an application that
/// chose it would (the workspace tests `tests/tls_installed_*.rs`).
pub fn install_ring_as_the_process_default() {
    // Deprecated by rustls 0.23.48 (no post-quantum groups): the point here.
    #[allow(deprecated)]
    let ring = rustls::crypto::ring::default_provider();
    ring.install_default().expect("no provider installed before");
}

/// The process-default provider's key-exchange groups, by name (ring's are
/// the classical three).
pub fn process_default_groups() -> Vec<String> {
    rustls::crypto::CryptoProvider::get_default()
        .map(|p| p.kx_groups.iter().map(|g| format!("{:?}", g.name())).collect())
        .unwrap_or_default()
}

/// Ring's key-exchange groups, as [`process_default_groups`] names them.
pub const RING_GROUPS: [&str; 3] = ["X25519", "secp256r1", "secp384r1"];
