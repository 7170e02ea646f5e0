//! Real-world specs (`corpus/`): GitHub's 2021 REST description generates
//! all 767 of its operations and Oxide's nexus all 193. Each count is exact
//! and independent: declared (counted in the vendor's file), generated
//! (methods of the generated client), skipped, and kept by the pipeline. A
//! change shows up here and in the report of what was adapted and skipped,
//! a snapshot. (`.ci/run` also checks that both clients compile.)

use std::fmt::Write as _;

use codegen::pipeline::{ApiOutput, build_api};
use workspace_tests::{corpus_api, root, shared_corpus};

/// Runs the pipeline on a corpus API; returns it and its generated code.
fn build(name: &str) -> (ApiOutput, String) {
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = corpus_api(tmp.path(), name);
    build_api(name, &dir, &format!("specs/{name}")).unwrap_or_else(|e| panic!("{name}:\n{e}"))
}

/// The operations the vendor's file declares, counted in the file itself
/// (not with the pipeline's own counter).
fn declared(name: &str) -> usize {
    // OpenAPI 3.0's operation keys of a path item.
    const METHODS: [&str; 8] = [
        "get", "put", "post", "delete", "options", "head", "patch", "trace",
    ];
    let path = shared_corpus().join(format!("{name}.json"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let spec: serde_json::Value = serde_json::from_str(&text).expect("the corpus spec is JSON");
    let paths = spec["paths"].as_object().expect("the corpus spec has paths");
    paths
        .values()
        .flat_map(|item| item.as_object().into_iter().flat_map(|i| i.keys()))
        .filter(|key| METHODS.contains(&key.as_str()))
        .count()
}

/// The async methods of the generated `impl Client` blocks: the operations
/// the client really has.
fn client_methods(name: &str, code: &str) -> usize {
    let file = syn::parse_file(code).unwrap_or_else(|e| panic!("{name}: generated code does not parse: {e}"));
    file.items
        .iter()
        .filter_map(|item| match item {
            syn::Item::Impl(i) if i.trait_.is_none() => Some(i),
            _ => None,
        })
        .filter(|i| matches!(&*i.self_ty, syn::Type::Path(p) if p.path.is_ident("Client")))
        .flat_map(|i| &i.items)
        .filter(|item| matches!(item, syn::ImplItem::Fn(f) if f.sig.asyncness.is_some()))
        .count()
}

/// Declared, generated (client methods), skipped, and how many operations
/// the pipeline kept.
fn counts(name: &str, api: &ApiOutput, code: &str) -> [(&'static str, usize); 4] {
    [
        ("declared", declared(name)),
        ("generated", client_methods(name, code)),
        ("skipped", api.skipped.len()),
        ("kept", api.operations),
    ]
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

/// Each corpus API (a folder under `corpus/`) and the operations its file
/// declares: every one is generated and none is skipped.
const APIS: [(&str, usize); 2] = [("github-api-2021", 767), ("oxide-nexus", 193)];

#[test]
fn every_corpus_api_generates_every_operation() {
    for (name, operations) in APIS {
        let (api, code) = build(name);
        assert_eq!(
            counts(name, &api, &code),
            [
                ("declared", operations),
                ("generated", operations),
                ("skipped", 0),
                ("kept", operations)
            ],
            "{name}"
        );
        snapshot(name, &report(&api, declared(name)));
    }
}

#[test]
fn every_corpus_folder_is_tested() {
    let mut folders: Vec<String> = std::fs::read_dir(root().join("corpus"))
        .expect("corpus/")
        .map(|e| e.expect("entry"))
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    folders.sort();
    assert_eq!(folders, APIS.map(|(name, _)| name));
}
