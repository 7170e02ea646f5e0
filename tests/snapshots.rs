//! Snapshots of what each API becomes: the normalized OpenAPI 3.0.3 document
//! progenitor sees, and the API surface (method, path, Rust signature,
//! response and error types). A spec change shows up here as a small,
//! readable diff; review it with `cargo insta review`.

use workspace_tests::plan_committed;

#[test]
fn every_api_matches_its_snapshots() {
    let plan = plan_committed();
    assert!(!plan.apis.is_empty());
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
