//! A caller of the crate before the edit: it must still compile after it.
pub fn describe(role: &api::types::Role) -> &'static str {
    match role {
        api::types::Role::Member => "member",
        api::types::Role::Maintainer => "maintainer",
        _ => "another role",
    }
}

pub fn promote() -> api::types::MemberRequest {
    api::types::MemberRequest::new().role(api::types::Role::Maintainer)
}
