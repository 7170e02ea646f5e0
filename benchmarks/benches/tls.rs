//! What the TLS provider costs per request: GitHub's team-membership PUT
//! through `github-client` over TLS to a local rustls server on 127.0.0.1,
//! with the provider of each feature (`tls-aws-lc`: aws-lc-rs, post-quantum
//! X25519MLKEM768; `tls-ring`: ring, X25519), given to the builder so both
//! run in one process. Two cases: requests on a kept-alive connection (the
//! record layer only), and a new connection per request (a full handshake
//! each time, the key exchange included). The providers alternate request by
//! request after a warm-up; medians and their ratio are printed, and
//! `cargo run -p benchmarks --release` puts them in `BENCHMARKS.md`.

use std::sync::Arc;
use std::time::{Duration, Instant};

use github_client::{TeamRole, types};
use rustls::crypto::CryptoProvider;

// The server of client-core's TLS tests, its certificates included (the
// bench uses part of it).
#[allow(dead_code)]
#[path = "../../crates/client-core/tests/support/tls.rs"]
mod tls_server;

use tls_server::{CA_PEM, TlsServer};

/// Measured pairs per case, after the warm-up.
const PAIRS: usize = 2_000;
const WARM_UP: usize = 100;

const MEMBERSHIP: &[u8] =
    br#"{"url":"https://api.github.com/teams/1/memberships/octocat","role":"maintainer","state":"active"}"#;

fn percentile(samples: &[Duration], p: usize) -> Duration {
    let mut s = samples.to_vec();
    s.sort();
    s[(s.len() * p / 100).min(s.len() - 1)]
}

#[allow(deprecated)]
fn ring_provider() -> CryptoProvider {
    rustls::crypto::ring::default_provider()
}

fn client(base: &str, provider: &Arc<CryptoProvider>) -> github_client::Client {
    github_client::Client::builder()
        .base_url(base)
        .root_certificate_pem(CA_PEM)
        .crypto_provider(Arc::clone(provider))
        .bearer_auth("ghp_bench")
        .retry_off()
        .build()
        .expect("client")
}

fn main() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(async {
        let providers = [
            (
                "tls-aws-lc",
                Arc::new(rustls::crypto::aws_lc_rs::default_provider()),
            ),
            // Deprecated by rustls 0.23.48 (no post-quantum groups); what
            // `tls-ring` chooses all the same.
            ("tls-ring", Arc::new(ring_provider())),
        ];
        let body = types::TeamMembershipRequest::new().role(TeamRole::Maintainer);
        println!("TLS ({PAIRS} interleaved pairs per case)         p10        median     p90");
        for (case, keep_alive) in [("kept-alive connection", true), ("new connection each", false)] {
            let mut server = TlsServer::start_with(MEMBERSHIP, keep_alive).await;
            let clients: Vec<_> = providers
                .iter()
                .map(|(_, p)| client(&server.base_url, p))
                .collect();
            let one = |i: usize| {
                let (client, body) = (&clients[i], &body);
                async move {
                    let start = Instant::now();
                    client
                        .add_or_update_team_membership_for_user_in_org("acme", "platform", "octocat", body)
                        .await
                        .expect("200");
                    start.elapsed()
                }
            };
            for _ in 0..WARM_UP {
                one(0).await;
                one(1).await;
            }
            let mut samples = [Vec::with_capacity(PAIRS), Vec::with_capacity(PAIRS)];
            for i in 0..PAIRS {
                // Alternate which provider goes first.
                let order = if i % 2 == 0 { [0, 1] } else { [1, 0] };
                for arm in order {
                    samples[arm].push(one(arm).await);
                }
            }
            let groups: Vec<String> = {
                let mut seen = Vec::new();
                while let Ok(group) =
                    tokio::time::timeout(Duration::from_millis(50), server.negotiated_group()).await
                {
                    if !seen.contains(&group) {
                        seen.push(group);
                    }
                }
                seen
            };
            let us = |d: Duration| format!("{:.1} µs", d.as_secs_f64() * 1e6);
            for ((feature, _), s) in providers.iter().zip(&samples) {
                println!(
                    "{:<47}{:<11}{:<11}{}",
                    format!("{feature}, {case}"),
                    us(percentile(s, 10)),
                    us(percentile(s, 50)),
                    us(percentile(s, 90))
                );
            }
            let ratio = percentile(&samples[0], 50).as_secs_f64() / percentile(&samples[1], 50).as_secs_f64();
            println!(
                "ratio aws-lc/ring, {case}: {ratio:.3} (key exchanges seen: {})",
                groups.join(", ")
            );
        }
    });
}
