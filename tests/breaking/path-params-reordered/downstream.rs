//! A caller of the crate before the edit: `(group: &str, member: i64)`. It
//! must stop compiling after the edit, which swaps them (semver-checks
//! 0.51 sees the same parameter count and no type lint).
pub async fn send(client: &api::Client, body: &api::types::MemberRequest) -> Result<(), api::Error> {
    client.update_member("admins", 7, body).await?;
    Ok(())
}
