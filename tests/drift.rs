//! The drift test: every committed generated file must be exactly what the
//! pipeline produces from `specs/` now. Like rust-analyzer's
//! `ensure_file_contents`, a stale file is rewritten (outside CI) and the
//! test fails with the one command that fixes it, so the README's test
//! command alone catches a stale client.

use workspace_tests::plan_committed;

#[test]
fn generated_files_are_current() {
    let plan = plan_committed();
    let drifts: Vec<_> = plan.files.iter().filter_map(|f| f.check()).collect();
    if drifts.is_empty() {
        return;
    }
    let in_ci = std::env::var_os("CI").is_some();
    let mut message = String::new();
    for d in &drifts {
        message.push_str(&d.diff);
    }
    if !in_ci {
        for f in &plan.files {
            f.write()
                .unwrap_or_else(|e| panic!("cannot update {}: {e}", f.shown));
        }
    }
    panic!(
        "{message}\n{} generated file(s) were stale: {}.\n{}",
        drifts.len(),
        drifts
            .iter()
            .map(|d| d.shown.as_str())
            .collect::<Vec<_>>()
            .join(", "),
        if in_ci {
            "Run `cargo xtask generate` and commit the result."
        } else {
            "They have been regenerated: review and commit them (this is what `cargo xtask generate` does)."
        }
    );
}
