//! A caller of the crate before the edit: it reads every member across
//! pages. It must still compile after the vendor adds page numbers, which
//! the client now pages by instead of offsets (the same `.into_stream()` of
//! `Member`).
pub async fn everyone(client: &api::Client) -> Result<Vec<api::types::Member>, api::Error> {
    client.list_members("admins").limit(50).into_stream().collect_all().await
}
