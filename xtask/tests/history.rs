//! `cargo xtask diff --history` and `--history-git`: a spec's history
//! replayed through the surface rules, through the real xtask. The
//! revisions are catalog specs (`tests/breaking/`): the base, then a new
//! optional parameter (additive now, breaking in the positional shape),
//! then a parameter removed (a removal either way).

use std::path::Path;
use std::process::Command;

use workspace_tests::{git_in as git, root};

const REVISIONS: [&str; 3] = [
    "tests/breaking/_base.yaml",
    "tests/breaking/new-optional-param/after.yaml",
    "tests/breaking/param-removed/after.yaml",
];

fn xtask(args: &[&str], dir: &Path) -> (bool, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("xtask runs");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

/// The lines every form of the command prints for the three revisions,
/// after their labels.
fn assert_replayed(output: &str) {
    let updates: Vec<&str> = output.lines().filter(|l| l.contains(" -> ")).collect();
    assert_eq!(updates.len(), 2, "{output}");
    assert!(
        updates[0].ends_with(": additive (positional shape: breaking)"),
        "{output}"
    );
    assert!(
        updates[1].ends_with(": breaking (positional shape: breaking)"),
        "{output}"
    );
    assert!(
        output.contains("  removal: Client::list_members: optional parameter `cursor` removed"),
        "{output}"
    );
    assert!(
        output.contains(
            "2 updates: 2 breaking in the positional shape, 1 breaking now (updates with a removal: 1, a type change: 0, a new required input: 0, another break: 0)"
        ),
        "{output}"
    );
}

#[test]
fn a_history_of_files_is_replayed() {
    let files: Vec<String> = REVISIONS
        .iter()
        .map(|r| root().join(r).display().to_string())
        .collect();
    let mut args = vec!["diff", "--history"];
    args.extend(files.iter().map(String::as_str));
    let (ok, output) = xtask(&args, &root());
    assert!(ok, "{output}");
    assert_replayed(&output);
}

#[test]
fn the_git_revisions_of_one_file_are_replayed_oldest_first() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let repo = tmp.path();
    git(repo, &["init", "-q"]);
    for (i, r) in REVISIONS.iter().enumerate() {
        std::fs::copy(root().join(r), repo.join("openapi.yaml")).expect("copy a revision");
        git(repo, &["add", "openapi.yaml"]);
        git(repo, &["commit", "-q", "-m", &format!("revision {i}")]);
    }
    let repo_arg = repo.display().to_string();
    let (ok, output) = xtask(&["diff", "--history-git", &repo_arg, "openapi.yaml"], &root());
    assert!(ok, "{output}");
    assert_replayed(&output);
    // `--last 2`: the last update alone.
    let (ok, output) = xtask(
        &["diff", "--history-git", &repo_arg, "openapi.yaml", "--last", "2"],
        &root(),
    );
    assert!(ok, "{output}");
    assert!(
        output.contains("\n1 updates: 1 breaking in the positional shape, 1 breaking now"),
        "{output}"
    );
}

#[test]
fn bad_arguments_are_named_with_exit_code_2() {
    for (args, says) in [
        (
            vec!["diff", "--history", "only-one.yaml"],
            "reading only-one.yaml",
        ),
        (
            vec!["diff", "--history", "a.txt", "b.txt"],
            "a.txt: a spec is a .json, .yaml or .yml file",
        ),
        (
            vec!["diff", "--history-git", "."],
            "`--history-git` needs a repository and a path in it",
        ),
        (
            vec!["diff", "--history", "a.yaml", "--last", "1"],
            "`--last` needs a number, 2 or more",
        ),
        (
            vec!["diff", "--history", "a.yaml", "--sideways"],
            "unknown flag `--sideways`",
        ),
    ] {
        let out = Command::new(env!("CARGO_BIN_EXE_xtask"))
            .args(&args)
            .current_dir(root())
            .output()
            .expect("xtask runs");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains(says), "{args:?}: expected `{says}` in\n{stderr}");
    }
}
