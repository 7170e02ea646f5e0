//! A caller of the crate before the edit: `member` was an `i64`. It must
//! stop compiling after the edit (semver-checks 0.51 has no lint for a
//! changed parameter type).
pub async fn send(client: &api::Client, body: &api::types::MemberRequest) -> Result<(), api::Error> {
    let member: i64 = 7;
    client.update_member("admins", member, body).await?;
    Ok(())
}
