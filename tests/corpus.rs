//! Real-world specs (`corpus/`): GitHub's 2021 REST description must
//! generate at least 99% of its 767 operations, every one left out listed
//! with its reason; Oxide's nexus must generate in full. The report of what
//! was adapted and skipped is a snapshot, so a change in either shows up in
//! review. (`.ci/run` also checks that both clients compile.)

use std::fmt::Write as _;

use codegen::pipeline::{ApiOutput, build_api};
use workspace_tests::corpus_api;

fn build(name: &str) -> ApiOutput {
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = corpus_api(tmp.path(), name);
    let (api, code) =
        build_api(name, &dir, &format!("specs/{name}")).unwrap_or_else(|e| panic!("{name}:\n{e}"));
    syn::parse_file(&code).unwrap_or_else(|e| panic!("{name}: generated code does not parse: {e}"));
    api
}

fn report(api: &ApiOutput, declared: usize) -> String {
    let mut out = format!(
        "{} of {declared} operations generated, {} skipped, {} types\n",
        api.operations,
        api.skipped.len(),
        api.types
    );
    out.push_str("\nskipped:\n");
    for s in &api.skipped {
        let _ = writeln!(out, "  {}: {}", s.operation, s.reasons.join("; "));
    }
    out.push_str("\nadapted:\n");
    for a in &api.adaptations {
        let place = match (a.operation.as_str(), a.pointer.as_str()) {
            ("", "") => "document".to_string(),
            ("", at) => format!("#{at}"),
            (op, _) => op.to_string(),
        };
        let _ = writeln!(out, "  {place} [{}]: {}", a.policy, a.detail);
    }
    for n in &api.notes {
        let _ = writeln!(out, "  note {n}");
    }
    out
}

fn snapshot(name: &str, text: &str) {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path("snapshots");
    settings.set_prepend_module_to_snapshot(false);
    settings.bind(|| insta::assert_snapshot!(format!("corpus-{name}-report"), text));
}

#[test]
fn github_2021_generates_at_least_99_percent_and_lists_the_rest() {
    let api = build("github-api-2021");
    let declared = api.operations + api.skipped.len();
    assert_eq!(declared, 767);
    assert!(
        api.operations * 100 >= declared * 99,
        "{} of {declared}",
        api.operations
    );
    for s in &api.skipped {
        assert!(
            !s.reasons.is_empty(),
            "{} is skipped without a reason",
            s.operation
        );
    }
    snapshot("github-api-2021", &report(&api, declared));
}

#[test]
fn oxide_nexus_generates_in_full() {
    let api = build("oxide-nexus");
    assert_eq!(api.operations, 193);
    assert!(api.skipped.is_empty());
    snapshot("oxide-nexus", &report(&api, 193));
}
