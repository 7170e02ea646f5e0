//! A caller of the crate before the edit: it reads one page of members. It
//! must still compile after the vendor documents a `Link` header and the
//! operation pages (`.pages()` and `.into_stream()` beside `.await`).
pub async fn first_page(client: &api::Client) -> Result<Vec<api::types::Member>, api::Error> {
    let members = client.list_members("admins").limit(50).await?;
    Ok(members.into_inner())
}
