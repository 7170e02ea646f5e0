//! A caller of the crate before the edit: it reads the documented
//! `X-RateLimit-Remaining` as the integer the spec said. It must stop
//! compiling after the edit, where the header is text (semver-checks 0.51
//! has no lint for a method's changed return type).
pub async fn calls_left(client: &api::Client) -> Result<Option<i64>, api::Error> {
    let member = client
        .update_member("admins", 7, &api::types::MemberRequest::new())
        .await?;
    Ok(member.headers().x_ratelimit_remaining()?)
}
