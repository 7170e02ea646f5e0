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

#[test]
fn every_generated_client_uses_ring_not_aws_lc() {
    // aws-lc-sys's C build was most of a cold build (BENCHMARKS.md). The
    // facade with every client, and the crate a spec-only folder yields
    // (tests/spec-only), must both use ring through the shared runtime.
    for (package, lines) in [
        ("usergroup-clients", tree(&[])),
        ("acme-client", tree_of("acme-client", &[])),
    ] {
        assert!(
            lines.iter().any(|l| crate_name(l) == "ring"),
            "{package}: {lines:#?}"
        );
        for banned in ["aws-lc-sys", "aws-lc-rs"] {
            assert!(
                !lines.iter().any(|l| crate_name(l) == banned),
                "{banned} is in {package}'s tree"
            );
        }
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
