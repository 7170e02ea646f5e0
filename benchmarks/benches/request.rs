//! Per-request overhead of the generated client layer: the same request
//! (GitHub's team-membership PUT, JSON body, four headers, JSON response
//! decoded into the same type) made through `github-client` and made with
//! raw reqwest on a connection pool configured the same way (the same
//! timeouts and redirect policy, from `usergroup_client_core::http`), one
//! after the other against one server on 127.0.0.1. Both arms start from
//! the same inputs: the raw arm builds its URL per request, percent-encoding
//! the three path values as a careful reqwest caller must, and checks the
//! status. The layer adds the URL check, the per-operation credentials, the
//! retry bookkeeping and the error mapping; the budget is at most 1.05× raw
//! reqwest.
//!
//! The two arms alternate request by request (after a warm-up), so a load
//! that comes and goes on the machine weighs on both alike; the medians and
//! their ratio are printed, and `cargo run -p benchmarks --release` puts
//! them in `BENCHMARKS.md`.

use std::time::{Duration, Instant};

use github_client::{TeamRole, types};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

/// Measured pairs, after the warm-up.
const PAIRS: usize = 10_000;
/// `REQUEST_BENCH_PAIRS` overrides [`PAIRS`] (a short run under a profiler).
fn pairs() -> usize {
    std::env::var("REQUEST_BENCH_PAIRS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(PAIRS)
}
const WARM_UP: usize = 200;
/// `REQUEST_BENCH_ARM=generated` (or `raw`) runs that arm alone, so a
/// profiler (`valgrind --tool=callgrind`) counts one arm's instructions.
fn only_arm() -> Option<String> {
    std::env::var("REQUEST_BENCH_ARM").ok()
}

fn body() -> types::TeamMembershipRequest {
    types::TeamMembershipRequest::new().role(TeamRole::Maintainer)
}

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

fn percentile(samples: &[Duration], p: usize) -> Duration {
    let mut s = samples.to_vec();
    s.sort();
    s[(s.len() * p / 100).min(s.len() - 1)]
}

fn main() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(async {
        let server = MockServer::start().await;
        Mock::given(method("PUT"))
            .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
                "url": "https://api.github.com/teams/1/memberships/octocat",
                "role": "maintainer",
                "state": "active"
            })))
            .mount(&server)
            .await;
        let client = github_client::Client::builder()
            .base_url(&server.uri())
            .bearer_auth("ghp_bench")
            .build()
            .expect("client");
        let http = usergroup_client_core::http::client(
            Duration::from_secs(30),
            Duration::from_secs(10),
            Default::default(),
        )
        .expect("client");
        let base = server.uri();
        // What a path value keeps unencoded: RFC 3986's unreserved characters.
        const SEGMENT: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
            .remove(b'-')
            .remove(b'.')
            .remove(b'_')
            .remove(b'~');
        let seg = |v| percent_encoding::utf8_percent_encode(v, SEGMENT);
        let body = body();
        let generated = || async {
            let start = Instant::now();
            client
                .add_or_update_team_membership_for_user_in_org("acme", "platform", "octocat", &body)
                .await
                .expect("200");
            start.elapsed()
        };
        let raw = || async {
            let start = Instant::now();
            let url = format!(
                "{base}/orgs/{}/teams/{}/memberships/{}",
                seg("acme"),
                seg("platform"),
                seg("octocat")
            );
            let response = http
                .put(url)
                .header("authorization", "Bearer ghp_bench")
                .header("accept", "application/vnd.github+json")
                .header("x-github-api-version", "2022-11-28")
                .header("user-agent", "github-client/0.1.0")
                .json(&body)
                .send()
                .await
                .expect("sent");
            response
                .error_for_status()
                .expect("200")
                .json::<types::TeamMembership>()
                .await
                .expect("decodes");
            start.elapsed()
        };
        for _ in 0..WARM_UP {
            generated().await;
            raw().await;
        }
        let pairs = pairs();
        if let Some(arm) = only_arm() {
            for _ in 0..pairs {
                if arm == "raw" {
                    raw().await;
                } else {
                    generated().await;
                }
            }
            println!("{pairs} requests through the {arm} arm alone");
            return;
        }
        let (mut a, mut b) = (Vec::with_capacity(pairs), Vec::with_capacity(pairs));
        for i in 0..pairs {
            // Alternate which arm goes first, so neither always follows the other.
            if i % 2 == 0 {
                a.push(generated().await);
                b.push(raw().await);
            } else {
                b.push(raw().await);
                a.push(generated().await);
            }
        }
        let us = |d: Duration| format!("{:.1} µs", d.as_secs_f64() * 1e6);
        println!("request ({pairs} interleaved pairs)   p10        median     p90");
        for (name, samples) in [("generated_layer", &a), ("raw_reqwest", &b)] {
            println!(
                "{name:<33}{:<11}{:<11}{}",
                us(percentile(samples, 10)),
                us(median(samples.clone())),
                us(percentile(samples, 90))
            );
        }
        let ratio = median(a).as_secs_f64() / median(b).as_secs_f64();
        println!("ratio (medians): {ratio:.3}");
    });
}
