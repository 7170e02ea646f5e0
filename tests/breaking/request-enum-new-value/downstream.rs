//! A caller of the crate before the edit: it must still compile after it.
pub fn by_email() -> api::types::MemberRequest {
    api::types::MemberRequest::new().notify_via(api::types::Channel::Email)
}
