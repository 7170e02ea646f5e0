//! CI's sample of the APIs.guru directory (`corpus/apis-guru/`, 120 APIs
//! drawn by `cargo xtask directory --sample 120`): each API generated
//! alone with the default policies, as a new user would drop it into
//! `specs/`, its counts pinned in a snapshot, so that an API or an
//! operation lost is a failure. The whole directory is `cargo xtask
//! directory` (`corpus/DIRECTORY.md`); `cargo xtask corpus` compiles part
//! of this sample.

use std::sync::Mutex;

use workspace_tests::corpus::{Entry, apis_guru_sample, portable};

/// One API's line: operations generated of those declared, left out, and
/// notes; or the first error of a refusal.
fn line(entry: &Entry) -> String {
    let tmp = tempfile::tempdir().expect("temp dir");
    let run = entry
        .run(&tmp.path().join("specs"))
        .unwrap_or_else(|e| panic!("{}: {e}", entry.name));
    let name = &entry.name;
    match &run.built {
        Ok((api, _)) => format!(
            "{name}: {} of {} operations, {} left out, {} adapted, {} notes",
            api.operations,
            run.declared,
            api.skipped.len(),
            api.adaptations.len(),
            api.notes.len()
        ),
        Err(e) => {
            let first = e
                .diagnostics()
                .first()
                .map(|d| d.message.clone())
                .unwrap_or_default();
            format!("{name}: refused, 0 of {}: {}", run.declared, portable(&first))
        }
    }
}

#[test]
fn the_sample_generates_and_its_counts_are_pinned() {
    let entries = apis_guru_sample().unwrap_or_else(|e| panic!("{e}"));
    assert!(entries.len() >= 100, "the sample has {} APIs", entries.len());
    // Two threads: the APIs are independent.
    let next = Mutex::new(entries.iter());
    let lines = Mutex::new(Vec::new());
    std::thread::scope(|scope| {
        for _ in 0..2 {
            scope.spawn(|| {
                while let Some(entry) = {
                    let mut it = next.lock().expect("lock");
                    it.next()
                } {
                    let one = line(entry);
                    lines.lock().expect("lock").push(one);
                }
            });
        }
    });
    let mut lines = lines.into_inner().expect("lock");
    lines.sort();
    let refused = lines.iter().filter(|l| l.contains(": refused,")).count();
    let panics: Vec<&String> = lines.iter().filter(|l| l.contains("panicked")).collect();
    assert!(
        panics.is_empty(),
        "refused with a panic as the explanation:\n{panics:#?}"
    );
    let summary = format!("{} APIs, {} refused whole", lines.len(), refused);
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path("snapshots");
    settings.set_prepend_module_to_snapshot(false);
    settings.bind(|| {
        insta::assert_snapshot!(
            "corpus-apis-guru-sample",
            format!("{summary}\n\n{}\n", lines.join("\n"))
        );
    });
}
