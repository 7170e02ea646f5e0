//! Snapshots of what each API becomes: the normalized OpenAPI 3.0.3 document
//! progenitor sees, and the API surface (method, path, Rust signature,
//! response and error types). A spec change shows up here as a small,
//! readable diff; review it with `cargo insta review`.

use workspace_tests::{plan_committed, root};

#[test]
fn every_api_matches_its_snapshots() {
    let plan = plan_committed();
    let apis: Vec<&str> = plan.apis.iter().map(|a| a.manifest.api.as_str()).collect();
    assert_eq!(
        apis,
        ["capillary", "github", "symphony", "symphony-login"],
        "every folder under specs/ is an API with snapshots; add or remove its snapshots with it"
    );
    // No snapshot is left over from an API that is gone.
    let mut on_disk: Vec<String> = std::fs::read_dir(root().join("tests/snapshots"))
        .expect("tests/snapshots")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".snap") && !n.starts_with("corpus-"))
        .collect();
    on_disk.sort();
    let mut expected: Vec<String> = apis
        .iter()
        .flat_map(|a| [format!("{a}-normalized.snap"), format!("{a}-surface.snap")])
        .collect();
    expected.sort();
    assert_eq!(on_disk, expected);
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path("snapshots");
    settings.set_prepend_module_to_snapshot(false);
    settings.bind(|| {
        for api in &plan.apis {
            let name = &api.manifest.api;
            let normalized = serde_json::to_string_pretty(&api.normalized).expect("JSON serializes");
            insta::assert_snapshot!(format!("{name}-normalized"), normalized);
            let mut surface = format!(
                "crate {} | module {} | {} operations | {} types\nsources: {}\n\n{}",
                api.manifest.crate_name,
                api.manifest.module,
                api.operations,
                api.types,
                api.sources.join(", "),
                api.surface
            );
            if !api.notes.is_empty() {
                surface.push_str("normalization notes:\n");
                for note in &api.notes {
                    surface.push_str(&format!("  {note}\n"));
                }
            }
            insta::assert_snapshot!(format!("{name}-surface"), surface);
        }
    });
}
