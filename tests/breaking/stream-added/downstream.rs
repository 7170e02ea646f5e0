//! A caller of the crate before the edit: it reads the updated member as
//! JSON. It must still compile after the vendor also answers the operation
//! with server-sent events (`.stream()` beside `.await`).
pub async fn promote(client: &api::Client) -> Result<api::types::Member, api::Error> {
    let body = api::types::MemberRequest::new().role(api::types::Role::Maintainer);
    Ok(client.update_member("admins", 7, &body).await?.into_inner())
}
