//! A caller of the crate before the edit: `notify` was optional, so it is
//! not passed. It must stop compiling after the edit.
pub async fn send(client: &api::Client, body: &api::types::MemberRequest) -> Result<(), api::Error> {
    client.update_member("admins", 7, body).await?;
    Ok(())
}
