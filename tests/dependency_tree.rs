//! Nothing from the generator reaches a downstream user's dependency tree:
//! not progenitor-impl, typify, syn's `full` feature, prettyplease or
//! openapiv3; and a user who turns on one vendor's feature compiles that
//! client alone. Checked with `cargo tree` on the facade, as a downstream
//! user would build it.

use std::process::Command;

use workspace_tests::root;

/// `cargo tree` lines (`name vX.Y.Z features`) of the facade's normal and
/// build dependencies, for the given extra arguments.
fn tree(extra: &[&str]) -> Vec<String> {
    tree_of("usergroup-clients", extra)
}

/// The same for any package of the workspace.
fn tree_of(package: &str, extra: &[&str]) -> Vec<String> {
    let out = Command::new(env!("CARGO"))
        .args([
            "tree",
            "--offline",
            "-p",
            package,
            "-e",
            "normal,build",
            "--prefix",
            "none",
        ])
        .args(["-f", "{p} [{f}]"])
        .args(extra)
        .current_dir(root())
        .output()
        .expect("cargo tree runs");
    assert!(
        out.status.success(),
        "cargo tree failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(str::to_string)
        .collect()
}

fn crate_name(line: &str) -> &str {
    line.split_whitespace().next().unwrap_or_default()
}

#[test]
fn the_facade_pulls_nothing_from_the_generator() {
    let lines = tree(&[]);
    assert!(
        lines.iter().any(|l| crate_name(l) == "github-client"),
        "{lines:#?}"
    );
    for forbidden in [
        "progenitor",
        "progenitor-impl",
        "progenitor-macro",
        "typify",
        "typify-impl",
        "prettyplease",
        "openapiv3",
        "schemars",
        "codegen",
        // The corpus loader's (tests/support/corpus.rs).
        "workspace-tests",
        "flate2",
        "sha2",
        // No response is decompressed (reqwest's gzip, brotli, zstd and
        // deflate features are off), so the body limit counts the bytes
        // that arrive (issue 36); turning one on needs the limit on the
        // decompressed bytes first.
        "async-compression",
        "brotli",
        "brotli-decompressor",
        "zstd",
    ] {
        assert!(
            !lines.iter().any(|l| crate_name(l) == forbidden),
            "{forbidden} reaches downstream users"
        );
    }
    for syn in lines.iter().filter(|l| crate_name(l) == "syn") {
        assert!(
            !syn.contains("full"),
            "syn with its `full` feature reaches downstream users: {syn}"
        );
    }
    for tls in ["openssl", "openssl-sys", "native-tls"] {
        assert!(
            !lines.iter().any(|l| crate_name(l) == tls),
            "{tls} reaches downstream users: TLS is rustls"
        );
    }
}

/// The providers each TLS feature brings: (the crate that must be in the
/// tree, the crates that must not).
const PROVIDERS: [(&str, &str, [&str; 2]); 2] = [
    ("tls-aws-lc", "aws-lc-rs", ["ring", "ring"]),
    ("tls-ring", "ring", ["aws-lc-rs", "aws-lc-sys"]),
];

#[test]
fn each_tls_feature_brings_its_provider_alone() {
    // The facade with every client, and the crate a spec-only folder yields
    // (tests/spec-only): the default is aws-lc-rs, `tls-ring` leaves it out.
    for (package, default) in [
        ("usergroup-clients", tree(&[])),
        ("acme-client", tree_of("acme-client", &[])),
    ] {
        assert!(
            default.iter().any(|l| crate_name(l) == "aws-lc-rs"),
            "{package}'s default is aws-lc-rs: {default:#?}"
        );
        for (feature, wanted, banned) in PROVIDERS {
            let features = if package == "usergroup-clients" {
                format!("capillary,github,symphony,symphony_login,{feature}")
            } else {
                feature.to_string()
            };
            let lines = tree_of(package, &["--no-default-features", "--features", &features]);
            assert!(
                lines.iter().any(|l| crate_name(l) == wanted),
                "{package} with {feature}: {lines:#?}"
            );
            for banned in banned {
                assert!(
                    !lines.iter().any(|l| crate_name(l) == banned),
                    "{banned} is in {package}'s tree with {feature} alone"
                );
            }
        }
    }
}

#[test]
fn without_a_tls_feature_no_provider_is_compiled() {
    let lines = tree(&["--no-default-features", "--features", "github"]);
    for provider in ["aws-lc-rs", "aws-lc-sys", "ring"] {
        assert!(
            !lines.iter().any(|l| crate_name(l) == provider),
            "{provider} is compiled though no TLS feature is on"
        );
    }
}

#[test]
fn one_vendor_feature_compiles_that_client_alone() {
    let lines = tree(&["--no-default-features", "--features", "github"]);
    assert!(lines.iter().any(|l| crate_name(l) == "github-client"));
    for other in ["symphony-client", "capillary-client", "md5"] {
        assert!(
            !lines.iter().any(|l| crate_name(l) == other),
            "{other} is compiled for a github-only user"
        );
    }
}

/// The crates only the `mock` feature brings (client-core's mock server).
const MOCK_ONLY: [&str; 3] = ["wiremock", "deadpool", "assert-json-diff"];

#[test]
fn no_mock_server_reaches_a_normal_build_and_the_mock_feature_brings_it() {
    let normal = tree(&[]);
    for crate_ in MOCK_ONLY {
        assert!(
            !normal.iter().any(|l| crate_name(l) == crate_),
            "{crate_} is in a normal build of the facade"
        );
    }
    for client in [
        "capillary-client",
        "github-client",
        "symphony-client",
        "symphony-login-client",
    ] {
        let lines = tree_of(client, &[]);
        assert!(
            !lines.iter().any(|l| MOCK_ONLY.contains(&crate_name(l))),
            "a mock server crate is in a normal build of {client}"
        );
    }
    let mocked = tree(&["--no-default-features", "--features", "github-mock,tls-ring"]);
    assert!(
        mocked.iter().any(|l| crate_name(l) == "wiremock"),
        "the github-mock feature brings no mock server: {mocked:#?}"
    );
}
