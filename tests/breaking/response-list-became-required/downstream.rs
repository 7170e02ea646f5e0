//! A reader of the crate before the edit: `tags` was a list the JSON could
//! leave out. It is required in JSON now, and the same `Vec<String>` in
//! Rust: this still compiles.
pub fn labels(member: &api::types::Member) -> &[String] {
    &member.tags
}
