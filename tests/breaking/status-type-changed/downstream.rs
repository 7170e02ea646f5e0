//! A caller of the crate before the edit: the export's 200 carried a
//! `Member`. It must stop compiling after the edit, where it carries an
//! `Error` (semver-checks 0.51 has no lint for a tuple variant's changed
//! field type).
pub async fn exported(client: &api::Client) -> Result<Option<api::types::Member>, api::Error> {
    Ok(match client.export_group("admins").await?.into_inner() {
        api::responses::ExportGroup::Ok(member) => Some(member),
        _ => None,
    })
}
