//! Per-request overhead of the generated client layer: the same request
//! (GitHub's team-membership PUT, JSON body, four headers, JSON response
//! decoded into the same type) made through `github-client` and made with
//! raw reqwest on a connection pool configured the same way (the same
//! timeouts and redirect policy, from `usergroup_client_core::http`), one
//! after the other against one server on 127.0.0.1. The layer adds the URL
//! check, the per-operation credentials and the error mapping; the budget
//! is at most 1.05× raw reqwest.

use std::sync::LazyLock;
use std::time::Duration;

use divan::Bencher;
use github_client::{TeamRole, types};
use tokio::runtime::Runtime;
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

fn main() {
    divan::main();
}

static RUNTIME: LazyLock<Runtime> = LazyLock::new(|| {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime")
});

static SERVER: LazyLock<MockServer> = LazyLock::new(|| {
    RUNTIME.block_on(async {
        let server = MockServer::start().await;
        Mock::given(method("PUT"))
            .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
                "url": "https://api.github.com/teams/1/memberships/octocat",
                "role": "maintainer",
                "state": "active"
            })))
            .mount(&server)
            .await;
        server
    })
});

fn body() -> types::TeamMembershipRequest {
    types::TeamMembershipRequest {
        role: Some(TeamRole::Maintainer),
    }
}

#[divan::bench(sample_count = 200)]
fn generated_layer(bencher: Bencher) {
    let client = github_client::Client::builder()
        .base_url(&SERVER.uri())
        .bearer_auth("ghp_bench")
        .build()
        .expect("client");
    let body = body();
    bencher.bench_local(|| {
        RUNTIME
            .block_on(
                client.add_or_update_team_membership_for_user_in_org("acme", "platform", "octocat", &body),
            )
            .expect("200")
    });
}

#[divan::bench(sample_count = 200)]
fn raw_reqwest(bencher: Bencher) {
    let http = usergroup_client_core::http::client(Duration::from_secs(30), Duration::from_secs(10)).expect("client");
    let url = format!("{}/orgs/acme/teams/platform/memberships/octocat", SERVER.uri());
    let body = body();
    bencher.bench_local(|| {
        RUNTIME
            .block_on(async {
                let response = http
                    .put(&url)
                    .header("authorization", "Bearer ghp_bench")
                    .header("accept", "application/vnd.github+json")
                    .header("x-github-api-version", "2022-11-28")
                    .header("user-agent", "github-client/0.1.0")
                    .json(&body)
                    .send()
                    .await?;
                response.error_for_status()?.json::<types::TeamMembership>().await
            })
            .expect("200")
    });
}
