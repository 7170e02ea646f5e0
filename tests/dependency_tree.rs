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
    let out = Command::new(env!("CARGO"))
        .args([
            "tree",
            "--offline",
            "-p",
            "usergroup-clients",
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
fn the_hand_written_clients_use_ring_not_aws_lc() {
    // aws-lc-sys's C build was most of a cold build (BENCHMARKS.md). A crate
    // that `cargo xtask generate` creates for a new API still uses reqwest's
    // default provider, so only the three hand-written clients are checked.
    let lines = tree(&["--no-default-features", "--features", "capillary,github,symphony"]);
    assert!(lines.iter().any(|l| crate_name(l) == "ring"), "{lines:#?}");
    assert!(
        !lines.iter().any(|l| crate_name(l) == "aws-lc-sys"),
        "aws-lc-sys is back in the clients' tree"
    );
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
