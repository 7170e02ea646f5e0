//! A caller of the crate before the edit: it matches the export's statuses
//! with a `_` arm, so a status the vendor adds compiles.
pub async fn export(client: &api::Client) -> Result<Option<api::types::Member>, api::Error> {
    Ok(match client.export_group("admins").await?.into_inner() {
        api::responses::ExportGroup::Ok(member) => Some(member),
        api::responses::ExportGroup::Accepted => None,
        _ => None,
    })
}
