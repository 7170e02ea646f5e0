//! A caller of the crate before the edit: it must still compile after it.
pub async fn first_page(client: &api::Client) -> Result<Vec<api::types::Member>, api::Error> {
    let members = client.list_members("admins").limit(10).cursor("c1").await?;
    Ok(members.into_inner())
}
