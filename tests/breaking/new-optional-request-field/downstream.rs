//! A caller of the crate before the edit: it must still compile after it.
pub fn promote() -> api::types::MemberRequest {
    api::types::MemberRequest::new().role(api::types::Role::Maintainer)
}

pub async fn send(client: &api::Client) -> Result<api::types::Member, api::Error> {
    Ok(client.update_member("admins", 7, &promote()).notify(true).await?.into_inner())
}
