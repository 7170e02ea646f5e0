//! A caller of the crate before the edit: it reads a header by name, which
//! the spec did not document. It must still compile after the vendor
//! documents it (a new typed accessor beside the name lookup).
pub async fn calls_left(client: &api::Client) -> Result<Option<String>, api::Error> {
    let member = client
        .update_member("admins", 7, &api::types::MemberRequest::new())
        .await?;
    let value = member.headers().get("x-ratelimit-remaining");
    Ok(value.and_then(|v| v.to_str().ok()).map(str::to_string))
}
