//! A caller of the crate before the edit: `update_member` returned a
//! `Member`. It must stop compiling after the edit, where it returns a
//! `MemberRequest` (semver-checks 0.51 has no lint for a changed return type).
pub async fn updated_id(client: &api::Client, body: &api::types::MemberRequest) -> Result<i64, api::Error> {
    let member: api::types::Member = client.update_member("admins", 7, body).await?.into_inner();
    Ok(member.id)
}
