//! A caller of the crate before the edit: it matches the documented 404 as
//! a type, with a `_` arm, so a status the vendor documents later compiles.
pub async fn send(client: &api::Client) -> Result<Option<api::types::Member>, api::Error> {
    match client.update_member("admins", 7, &api::types::MemberRequest::new()).await {
        Ok(member) => Ok(Some(member.into_inner())),
        Err(e) => match api::errors::UpdateMember::of(&e) {
            Some(api::errors::UpdateMember::NotFound(_)) => Ok(None),
            _ => Err(e),
        },
    }
}
