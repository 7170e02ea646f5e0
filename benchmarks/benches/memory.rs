//! Peak memory of a call whose answer is large (issue 36): each case runs in
//! a process of its own (this program, started again with `MEMORY_CASE`),
//! and reports its peak resident set (`VmHWM`). The server is in the same
//! process, on 127.0.0.1: it writes a chunked body without
//! `Content-Length`, made piece by piece, so its own memory is one piece.
//!
//! - `baseline`: the same process answering a 100-byte body;
//! - `2gib-default`: GitHub's `add_or_update_team_membership_for_user_in_org`
//!   answered with 2 GiB, the client's default limit (64 MiB): the call
//!   ends with `Error::BodyTooLarge`;
//! - `2gib-1mib`: the same with the call's limit at 1 MiB;
//! - `32mib-client`: a valid 32 MiB membership (a long `url`) decoded by
//!   the client, whose bounded body arrives in one piece;
//! - `32mib-collect`: the same body read without a bound, as progenitor's
//!   `from_response` reads it (reqwest's `bytes()`, then
//!   `serde_json::from_slice`): the figure to compare with.
//!
//! `cargo bench -p benchmarks --bench memory` prints the table;
//! `cargo run -p benchmarks --release -- --memory` writes it into
//! BENCHMARKS.md.

use std::process::Command;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

const MIB: u64 = 1024 * 1024;
const PIECE: usize = 16 * 1024;
const CASES: [&str; 5] = [
    "baseline",
    "2gib-default",
    "2gib-1mib",
    "32mib-client",
    "32mib-collect",
];

fn main() {
    match std::env::var("MEMORY_CASE") {
        Ok(case) => {
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .expect("a runtime");
            let outcome = runtime.block_on(run(&case));
            println!("{case}\t{}\t{outcome}", peak_kib());
        }
        Err(_) => {
            println!("| case | peak RSS | outcome |\n|---|---:|---|");
            let me = std::env::current_exe().expect("this program");
            for case in CASES {
                let out = Command::new(&me)
                    .env("MEMORY_CASE", case)
                    .output()
                    .expect("a child");
                let text = String::from_utf8_lossy(&out.stdout);
                let line = text
                    .lines()
                    .find(|l| l.starts_with(case))
                    .unwrap_or_else(|| panic!("{case}: no figure\n{}", String::from_utf8_lossy(&out.stderr)));
                let mut parts = line.splitn(3, '\t');
                let (_, kib, outcome) = (
                    parts.next(),
                    parts.next().unwrap_or("0"),
                    parts.next().unwrap_or(""),
                );
                let mib = kib.parse::<f64>().unwrap_or(0.0) / 1024.0;
                println!("| `{case}` | {mib:.1} MiB | {outcome} |");
            }
        }
    }
}

/// The process's peak resident set, in KiB.
fn peak_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        })
        .unwrap_or(0)
}

async fn run(case: &str) -> String {
    let (len, limit) = match case {
        "baseline" => (100, None),
        "2gib-default" => (2048 * MIB, None),
        "2gib-1mib" => (2048 * MIB, Some(MIB)),
        "32mib-client" | "32mib-collect" => (32 * MIB, None),
        other => panic!("no case {other}"),
    };
    let url = serve(len).await;
    if case == "32mib-collect" {
        // Plain reqwest needs a process provider (the workspace builds it without one).
        let _ = rustls::crypto::aws_lc_rs::default_provider().install_default();
        let response = reqwest::Client::new()
            .put(format!("{url}/orgs/acme/teams/platform/memberships/octocat"))
            .send()
            .await
            .expect("a response");
        let bytes = response.bytes().await.expect("the body");
        let membership: github_client::types::TeamMembership =
            serde_json::from_slice(&bytes).expect("decodes");
        return format!("decoded, url of {} bytes", membership.url.len());
    }
    let client = github_client::Client::builder()
        .base_url(&url)
        .allow_http()
        .bearer_auth("ghp_x")
        .retry_off()
        .build()
        .expect("a client");
    let body = github_client::types::TeamMembershipRequest::new();
    let mut request =
        client.add_or_update_team_membership_for_user_in_org("acme", "platform", "octocat", &body);
    if let Some(limit) = limit {
        request = request.max_response_body(limit);
    }
    match request.await {
        Ok(m) => format!("decoded, url of {} bytes", m.url.len()),
        Err(github_client::Error::BodyTooLarge { limit, read, .. }) => {
            format!(
                "`BodyTooLarge` at {} MiB ({:.1} MiB read)",
                limit / MIB,
                read as f64 / MIB as f64
            )
        }
        Err(e) => format!("error: {e}"),
    }
}

/// A server answering every request with a chunked 200 whose body is a
/// team membership of `len` bytes (its `url` makes up the length).
async fn serve(len: u64) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("address"));
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            tokio::spawn(async move {
                let mut request = vec![0u8; 64 * 1024];
                let _ = socket.read(&mut request).await;
                let _ = answer(&mut socket, len).await;
            });
        }
    });
    url
}

async fn answer(socket: &mut tokio::net::TcpStream, len: u64) -> std::io::Result<()> {
    let head = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n";
    socket.write_all(head.as_bytes()).await?;
    let start = br#"{"role":"member","state":"active","url":""#;
    let end = br#""}"#;
    let middle = len.saturating_sub((start.len() + end.len()) as u64);
    let filler = vec![b'x'; PIECE];
    let chunk = |bytes: Vec<u8>| {
        format!("{:x}\r\n", bytes.len())
            .into_bytes()
            .into_iter()
            .chain(bytes)
            .chain(*b"\r\n")
            .collect::<Vec<u8>>()
    };
    socket.write_all(&chunk(start.to_vec())).await?;
    let mut sent = 0u64;
    while sent < middle {
        let n = (middle - sent).min(PIECE as u64) as usize;
        socket.write_all(&chunk(filler[..n].to_vec())).await?;
        sent += n as u64;
    }
    socket.write_all(&chunk(end.to_vec())).await?;
    socket.write_all(b"0\r\n\r\n").await
}
