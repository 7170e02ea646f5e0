//! Generated output is byte-for-byte the same whatever the folder it is
//! generated from or into, and from run to run.

use codegen::Options;
use workspace_tests::{copy_tree, specs};

fn generate_from(dir_name: &str) -> Vec<(String, String)> {
    let tmp = tempfile::tempdir().expect("temp dir");
    let tree = tmp.path().join(dir_name);
    copy_tree(&specs(), &tree.join("my specs")).expect("copy specs");
    let options = Options {
        specs: tree.join("my specs"),
        out: tree.join("out"),
    };
    let plan = codegen::plan(&options).unwrap_or_else(|e| panic!("{e}"));
    plan.files
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
        .collect()
}

#[test]
fn two_directories_give_identical_bytes() {
    let a = generate_from("a");
    let b = generate_from("a completely different place");
    assert!(!a.is_empty());
    assert_eq!(a.len(), b.len());
    for ((pa, ca), (pb, cb)) in a.iter().zip(&b) {
        assert_eq!(pa, pb);
        assert!(ca == cb, "{pa} differs between directories");
        assert!(!ca.contains("/tmp"), "{pa} mentions the temporary directory");
    }
}

#[test]
fn output_matches_the_committed_files() {
    // The same bytes as the committed crates, from a copy elsewhere: nothing
    // depends on the absolute path of the checkout.
    let fresh = generate_from("elsewhere");
    let committed = workspace_tests::plan_committed();
    for (relative, contents) in &fresh {
        let file = committed
            .files
            .iter()
            .find(|f| f.path.ends_with(relative))
            .unwrap_or_else(|| panic!("{relative} is not planned for the committed tree"));
        assert!(
            &file.contents == contents,
            "{relative} differs from the committed plan"
        );
    }
}
