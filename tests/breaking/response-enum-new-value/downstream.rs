//! A caller of the crate before the edit: it must still compile after it.
pub fn is_active(member: &api::types::Member) -> bool {
    match &member.status {
        Some(api::types::Status::Active) => true,
        Some(api::types::Status::Invited) | None => false,
        Some(_) => false,
    }
}
