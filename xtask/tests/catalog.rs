//! The bad-input catalog (`tests/catalog/`, one file per case) through the
//! xtask's `--specs`/`--out` path. A broken case must exit non-zero with a
//! message naming the file and the place, and leave every generated file as
//! it was; a legal one (circular refs, Rust keywords) must generate code
//! that parses. Every file in the catalog must have an expectation here.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use workspace_tests::{files_under, root};

/// Case file -> `Some(where the message must point)` for a broken case,
/// `None` for a legal one.
const CASES: [(&str, Option<&str>); 12] = [
    ("truncated.json", Some("truncated.json:1:")),
    ("invalid.yaml", Some("invalid.yaml:5:")),
    (
        "not-openapi.json",
        Some("not-openapi.json#: not an OpenAPI document"),
    ),
    (
        "dangling-ref.yaml",
        Some("dangling-ref.yaml#/paths/~1dangling/get/responses/200/content/application~1json/schema/$ref"),
    ),
    ("circular-ref.yaml", None),
    (
        "duplicate-operation-id.yaml",
        Some("duplicate-operation-id.yaml#/paths/~1other-items~1{id}/get/operationId"),
    ),
    (
        "conflicting-component.yaml",
        Some("conflicting-component.yaml#/components/schemas/Item"),
    ),
    (
        "undeclared-path-param.yaml",
        Some("undeclared-path-param.yaml#/paths/~1owners~1{owner}~1items/get"),
    ),
    ("rust-keywords.yaml", None),
    ("deep-nesting.json", Some("deep-nesting.json:1:")),
    (
        "dangling-overlay.overlay.yaml",
        Some("dangling-overlay.overlay.yaml#/actions/0/target"),
    ),
    ("unknown-key.manifest.toml", Some("manifest.toml:1:1")),
];

fn catalog() -> PathBuf {
    root().join("tests/catalog")
}

fn xtask(specs: &Path, out: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .arg("generate")
        .arg("--specs")
        .arg(specs)
        .arg("--out")
        .arg(out)
        .output()
        .expect("xtask runs")
}

/// Every catalog file has an expectation, and every expectation a file.
#[test]
fn every_catalog_file_is_a_case() {
    let mut on_disk: Vec<String> = std::fs::read_dir(catalog())
        .expect("catalog")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| !n.starts_with('_') && n != "README.md")
        .collect();
    on_disk.sort();
    let mut listed: Vec<String> = CASES.iter().map(|(f, _)| f.to_string()).collect();
    listed.sort();
    assert_eq!(on_disk, listed);
}

#[test]
fn each_case_fails_precisely_or_generates() {
    for (case, expected) in CASES {
        let tmp = tempfile::tempdir().expect("temp dir");
        let (specs, out) = (tmp.path().join("specs"), tmp.path().join("out"));
        let api = specs.join("catalog");
        std::fs::create_dir_all(&api).expect("mkdir");
        std::fs::copy(catalog().join("_base.yaml"), api.join("_base.yaml")).expect("copy base");
        let first = xtask(&specs, &out);
        assert!(
            first.status.success(),
            "the base must generate: {}",
            String::from_utf8_lossy(&first.stderr)
        );
        let before = files_under(&out);

        let target = match case.strip_suffix(".manifest.toml") {
            Some(_) => "manifest.toml".to_string(),
            None => case.to_string(),
        };
        std::fs::copy(catalog().join(case), api.join(&target)).expect("copy case");
        let run = xtask(&specs, &out);
        let stderr = String::from_utf8_lossy(&run.stderr);
        match expected {
            Some(place) => {
                assert_eq!(run.status.code(), Some(2), "{case}: {stderr}");
                assert!(stderr.contains(place), "{case}: expected `{place}` in:\n{stderr}");
                assert!(stderr.contains("help:"), "{case}: no help line:\n{stderr}");
                assert!(!stderr.contains("panicked"), "{case}: {stderr}");
                assert_eq!(before, files_under(&out), "{case}: generated files changed");
            }
            None => {
                assert!(run.status.success(), "{case} must generate:\n{stderr}");
                let code = std::fs::read_to_string(out.join("catalog/src/generated.rs")).expect("generated");
                syn::parse_file(&code)
                    .unwrap_or_else(|e| panic!("{case}: generated code does not parse: {e}"));
            }
        }
    }
}
