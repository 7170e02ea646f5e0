//! Generated output is byte-for-byte the same whatever the folder it is
//! generated from or into, and from run to run.

use codegen::Options;
use workspace_tests::{copy_tree, crates, specs};

/// A plan of the committed specs (and the crates' hand-owned Cargo.tomls)
/// from a copy under a fresh temporary directory: each file's path under the output folder and its contents,
/// and the temporary directory's path (gone by then).
fn generate_from(dir_name: &str) -> (Vec<(String, String)>, String) {
    let tmp = tempfile::tempdir().expect("temp dir");
    let tree = tmp.path().join(dir_name);
    copy_tree(&specs(), &tree.join("my specs")).expect("copy specs");
    // The crates' own Cargo.tomls are an input too (the facade passes
    // their features through), and so are the committed surface and
    // changelog, the base of each crate's version and CHANGELOG entries.
    for entry in std::fs::read_dir(crates()).expect("crates/") {
        let dir = entry.expect("entry").path();
        if dir.join("Cargo.toml").is_file() {
            let to = tree.join("out").join(dir.file_name().expect("a name"));
            std::fs::create_dir_all(&to).expect("mkdir");
            for input in ["Cargo.toml", "surface.txt", "CHANGELOG.md"] {
                if dir.join(input).is_file() {
                    std::fs::copy(dir.join(input), to.join(input)).expect("copy an input");
                }
            }
        }
    }
    let options = Options {
        specs: tree.join("my specs"),
        out: tree.join("out"),
        strict: false,
    };
    let plan = codegen::plan(&options).unwrap_or_else(|e| panic!("{e}"));
    let files = plan
        .files
        .into_iter()
        .map(|f| {
            let relative = f
                .path
                .strip_prefix(&options.out)
                .expect("under out")
                .to_string_lossy()
                .into_owned();
            (relative, f.contents)
        })
        .collect();
    (files, tmp.path().to_string_lossy().into_owned())
}

#[test]
fn two_directories_give_identical_bytes() {
    let (a, tmp_a) = generate_from("a");
    let (b, tmp_b) = generate_from("a completely different place");
    let paths = |files: &[(String, String)]| files.iter().map(|(p, _)| p.clone()).collect::<Vec<_>>();
    assert_eq!(paths(&a), paths(&b), "the same files, in the same order");
    assert!(!a.is_empty());
    for ((path, ca), (_, cb)) in a.iter().zip(&b) {
        for (tmp, contents) in [(&tmp_a, ca), (&tmp_b, cb)] {
            assert!(
                !contents.contains(tmp.as_str()),
                "{path} mentions the temporary directory {tmp}"
            );
        }
        assert!(ca == cb, "{path} differs between directories");
        assert!(
            !ca.contains("my specs"),
            "{path} mentions the specs folder's own name"
        );
    }
}

#[test]
fn output_matches_the_committed_files() {
    // The same files and bytes as the committed crates, from a copy
    // elsewhere: nothing depends on the absolute path of the checkout.
    let (fresh, _) = generate_from("elsewhere");
    let committed = workspace_tests::plan_committed();
    let committed: Vec<(String, String)> = committed
        .files
        .into_iter()
        .map(|f| {
            let relative = f
                .path
                .strip_prefix(crates())
                .expect("under crates/")
                .to_string_lossy()
                .into_owned();
            (relative, f.contents)
        })
        .collect();
    let paths = |files: &[(String, String)]| files.iter().map(|(p, _)| p.clone()).collect::<Vec<_>>();
    assert_eq!(paths(&fresh), paths(&committed), "the same files are planned");
    for ((relative, contents), (_, committed)) in fresh.iter().zip(&committed) {
        assert!(
            contents == committed,
            "{relative} differs from the committed plan"
        );
    }
}
