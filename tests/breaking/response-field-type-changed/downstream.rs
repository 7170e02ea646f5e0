//! A reader of the crate before the edit: `Member.id` was an `i64`. It must
//! stop compiling after the edit, where it is a `String` (semver-checks
//! 0.51 has no lint for a changed field type).
pub fn next_id(member: &api::types::Member) -> i64 {
    member.id + 1
}
