//! Shared helpers for the workspace-level tests: where the workspace is, how
//! to copy a specs tree somewhere else, and whether a fixture's committed
//! crates are what its specs generate.

use std::path::{Path, PathBuf};

// The crate root is tests/support.rs, so modules would resolve beside it
// (tests/corpus.rs is the corpus test): they live in tests/support/.
#[path = "support/corpus.rs"]
pub mod corpus;

/// The workspace root: the parent of the running package's folder as cargo
/// says at run time (`tests/` under `cargo test`, `xtask/` under `cargo
/// xtask`), else of this crate's folder as compiled. The run-time answer
/// comes first because two checkouts sharing one target folder can run
/// each other's `xtask` binary, whose compiled-in path is the other one's.
pub fn root() -> PathBuf {
    std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .and_then(|p| p.parent().map(Path::to_path_buf))
        .filter(|p| p.join("specs").is_dir() && p.join("corpus").is_dir())
        .unwrap_or_else(|| {
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .parent()
                .expect("tests/ has a parent")
                .to_path_buf()
        })
}

/// The committed specs tree.
pub fn specs() -> PathBuf {
    root().join("specs")
}

/// The committed client crates.
pub fn crates() -> PathBuf {
    root().join("crates")
}

/// Copies a folder tree (files and folders only).
pub fn copy_tree(from: &Path, to: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_tree(&entry.path(), &target)?;
        } else {
            std::fs::copy(entry.path(), &target)?;
        }
    }
    Ok(())
}

/// Plans the committed specs into the committed crates folder.
pub fn plan_committed() -> codegen::Plan {
    let options = codegen::Options {
        specs: specs(),
        out: crates(),
        strict: false,
    };
    codegen::plan(&options).unwrap_or_else(|e| panic!("the committed specs must generate:\n{e}"))
}

/// Checks that each of `files`, planned under `out`, is byte for byte the
/// file at the same place under `committed` (a fixture's committed crates
/// folder). A file that differs is named, under `committed` as the workspace
/// shows it, with `hint`: what it should be, and the command that
/// regenerates it.
pub fn assert_committed<'a>(
    files: impl IntoIterator<Item = &'a codegen::output::PlannedFile>,
    out: &Path,
    committed: &Path,
    hint: &str,
) {
    let shown = committed.strip_prefix(root()).unwrap_or(committed);
    for f in files {
        let rel = f.path.strip_prefix(out).expect("under out");
        let text =
            std::fs::read_to_string(committed.join(rel)).unwrap_or_else(|e| panic!("{}: {e}", rel.display()));
        assert!(
            text == f.contents,
            "{}/{} differs from {hint}",
            shown.display(),
            rel.display()
        );
    }
}

/// Every file under a folder with its bytes, sorted: for checking that a
/// failed run left generated files as they were.
pub fn files_under(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).expect("read dir") {
            let p = e.expect("entry").path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let bytes = std::fs::read(&p).expect("read");
                out.push((p, bytes));
            }
        }
    }
    out.sort();
    out
}

/// The cases of the surface-change catalog, `tests/breaking/<case>/`, sorted.
pub fn breaking_cases() -> Vec<PathBuf> {
    let mut cases: Vec<PathBuf> = std::fs::read_dir(root().join("tests/breaking"))
        .expect("tests/breaking")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.is_dir())
        .collect();
    cases.sort();
    cases
}

/// Runs git in `dir` with a fixed author and no signing, as a test's
/// throwaway repository needs; panics, with git's message, when it fails.
/// Returns its standard output.
pub fn git_in(dir: &Path, args: &[&str]) -> String {
    let out = std::process::Command::new("git")
        .arg("-C")
        .arg(dir)
        .args([
            "-c",
            "user.name=t",
            "-c",
            "user.email=t@example.com",
            "-c",
            "commit.gpgsign=false",
        ])
        .args(args)
        .output()
        .expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}
