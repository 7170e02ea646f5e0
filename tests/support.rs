//! Shared helpers for the workspace-level tests: where the workspace is, and
//! how to copy a specs tree somewhere else.

use std::path::{Path, PathBuf};

/// The workspace root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ has a parent")
        .to_path_buf()
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
    };
    codegen::plan(&options).unwrap_or_else(|e| panic!("the committed specs must generate:\n{e}"))
}

/// The specs shared beside the checkout (`../shared/corpus/`).
pub fn shared_corpus() -> PathBuf {
    root().join("../shared/corpus")
}

/// Lays out one corpus API folder (`corpus/<name>/manifest.toml` plus
/// `../shared/corpus/<name>.json`) under `specs`, and returns its path.
pub fn corpus_api(specs: &Path, name: &str) -> PathBuf {
    let dir = specs.join(name);
    std::fs::create_dir_all(&dir).expect("create the API folder");
    let spec = shared_corpus().join(format!("{name}.json"));
    assert!(
        spec.is_file(),
        "{} is missing: run the tests with ../shared beside the checkout",
        spec.display()
    );
    std::fs::copy(&spec, dir.join(format!("{name}.json"))).expect("copy the spec");
    std::fs::copy(
        root().join("corpus").join(name).join("manifest.toml"),
        dir.join("manifest.toml"),
    )
    .expect("copy the manifest");
    dir
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
