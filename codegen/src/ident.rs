//! Rust names for names a spec gives (operationIds, security scheme keys):
//! snake case the way progenitor makes method names, restricted to ASCII,
//! never a keyword. Shared by the naming stage and the client layer, so a
//! method and the setter next to it are named by one rule.

use heck::ToSnakeCase;

/// A snake_case Rust identifier for a name, the way progenitor would make
/// it, restricted to ASCII: other characters separate words; a leading
/// digit gets `op_`, a keyword a trailing `_` (`type_`), as progenitor does.
pub(crate) fn identifier(name: &str) -> String {
    let cleaned: String = name
        .replace('\'', "")
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    let mut snake = cleaned.to_snake_case();
    if snake.is_empty() {
        snake = "op".into();
    }
    if snake.starts_with(|c: char| c.is_ascii_digit()) {
        snake = format!("op_{snake}");
    }
    not_keyword(snake)
}

/// A name that is not a Rust keyword: a keyword gets a trailing `_`
/// (`type_`, `box_`), as progenitor does.
pub(crate) fn not_keyword(mut name: String) -> String {
    if syn::parse_str::<syn::Ident>(&name).is_err()
        || matches!(name.as_str(), "self" | "super" | "crate" | "Self")
    {
        name.push('_');
    }
    name
}

/// Names for a generated method's arguments and locals, each apart from
/// every name given out before it (a spec may call a parameter `raw` or
/// `extra`): a taken name gets a trailing `_` until it is free.
pub(crate) struct Apart {
    taken: Vec<String>,
}

impl Apart {
    /// Starts from the names already taken (progenitor's arguments).
    pub(crate) fn new(taken: impl IntoIterator<Item = String>) -> Self {
        Self {
            taken: taken.into_iter().collect(),
        }
    }

    /// `wanted`, or `wanted_`, `wanted__`, ..., whichever is free first;
    /// it is taken from then on.
    pub(crate) fn name(&mut self, wanted: &str) -> syn::Ident {
        let mut name = wanted.to_string();
        while self.taken.contains(&name) {
            name.push('_');
        }
        let ident = quote::format_ident!("{name}");
        self.taken.push(name);
        ident
    }
}

#[cfg(test)]
mod tests {
    use super::{Apart, identifier};

    #[test]
    fn names_apart_get_an_underscore_until_free() {
        let mut names = Apart::new(["raw".to_string(), "raw_".to_string()]);
        assert_eq!(names.name("raw"), "raw__");
        assert_eq!(names.name("extra"), "extra");
        assert_eq!(names.name("extra"), "extra_");
    }

    #[test]
    fn names_become_snake_case_rust_identifiers() {
        let cases = [
            ("updateUserGroup", "update_user_group"),
            ("teams/list-members", "teams_list_members"),
            ("get_files_id#get_shared_link", "get_files_id_get_shared_link"),
            ("PRIVATE-TOKEN", "private_token"),
            ("type", "type_"),
            ("self", "self_"),
            ("123go", "op_123go"),
            ("don't", "dont"),
            ("", "op"),
            ("ünïcode", "n_code"),
        ];
        for (name, ident) in cases {
            assert_eq!(identifier(name), ident, "{name}");
        }
    }
}
