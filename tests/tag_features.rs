//! Per-tag cargo features, on `tests/tagged/`: an OpenAPI 3.2 API of 8
//! operations whose manifest lowers the threshold to 3, so it is cut as a
//! large API is. The committed crate is what its folder generates; its
//! `Cargo.toml` and `surface.txt` name the features; and each feature
//! compiles alone, with its neighbours, with none and with `full`, without a
//! warning (in a target folder of its own, `target/tag-features`, since
//! its `RUSTFLAGS` differ).

use std::path::PathBuf;
use std::process::Command;

use workspace_tests::{assert_committed, root};

fn fixture() -> PathBuf {
    root().join("tests/tagged")
}

#[test]
fn the_committed_crate_is_what_its_folder_generates() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let out = tmp.path().join("crates");
    let plan = codegen::plan(&codegen::Options {
        specs: fixture().join("specs"),
        out: out.clone(),
        strict: false,
    })
    .unwrap_or_else(|e| panic!("{e}"));
    let files: Vec<_> = plan
        .files
        .iter()
        .filter(|f| f.api.as_deref() == Some("shop"))
        .collect();
    assert_eq!(files.len(), 5);
    assert_committed(
        files,
        &out,
        &fixture().join("crates"),
        "what its folder generates: run `cargo xtask generate --specs tests/tagged/specs --out tests/tagged/crates` and do not edit the crate by hand",
    );
}

fn committed(file: &str) -> String {
    std::fs::read_to_string(fixture().join("crates/shop").join(file)).expect(file)
}

#[test]
fn the_manifest_lists_a_feature_per_tag_and_a_child_turns_on_its_parent() {
    let toml = committed("Cargo.toml");
    for line in [
        "default = [\"tls-aws-lc\", \"full\"]",
        "full = [\"admin\", \"catalog\", \"orders\", \"search\"]",
        "catalog = []",
        "search = [\"catalog\"]",
    ] {
        assert!(toml.lines().any(|l| l == line), "no `{line}` in\n{toml}");
    }
}

#[test]
fn the_surface_says_which_feature_each_item_lives_in() {
    let surface = committed("surface.txt");
    let block = |head: &str| -> String {
        let start = surface.find(head).unwrap_or_else(|| panic!("no `{head}`"));
        surface[start..]
            .split("\n\n")
            .next()
            .unwrap_or_default()
            .to_string()
    };
    assert!(block("fn Client::search_products").contains("\n  feature search\n"));
    assert!(block("fn Client::get_report").contains("\n  feature admin | orders\n"));
    // Always compiled: an untagged operation.
    assert!(!block("fn Client::health").contains("feature"));
    // A type one tag alone reaches, and one three tags share.
    assert!(block("struct Order ").contains("feature orders"));
    assert!(block("struct Money ").contains("feature catalog | orders | search"));
}

/// `cargo check` of the crate with `features` (besides `tls-ring`), every
/// warning an error, in a target folder of its own.
fn check(features: &[&str]) -> Result<(), String> {
    let mut all = vec!["tls-ring"];
    all.extend(features);
    let out = Command::new(env!("CARGO"))
        .args([
            "check",
            "--quiet",
            "--locked",
            "-p",
            "shop-client",
            "--no-default-features",
            "--features",
        ])
        .arg(all.join(","))
        .env("CARGO_TARGET_DIR", root().join("target/tag-features"))
        .env("RUSTFLAGS", "-D warnings")
        .current_dir(root())
        .output()
        .expect("cargo runs");
    match out.status.success() {
        true => Ok(()),
        false => Err(format!(
            "features {features:?}:\n{}",
            String::from_utf8_lossy(&out.stderr)
        )),
    }
}

#[test]
fn every_feature_compiles_alone_with_its_neighbours_with_none_and_with_full() {
    let tags = ["admin", "catalog", "orders", "search"];
    let mut sets: Vec<Vec<&str>> = vec![vec![], vec!["full"], vec!["full", "mock"], vec!["mock"]];
    sets.extend(tags.iter().map(|t| vec![*t]));
    sets.extend(tags.windows(2).map(<[&str]>::to_vec));
    let failures: Vec<String> = sets.iter().filter_map(|s| check(s).err()).collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
