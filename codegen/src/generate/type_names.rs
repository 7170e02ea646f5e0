//! typify names an inline schema after its place (`Classification`'s
//! property `template` becomes `ClassificationTemplate`) without checking
//! that a component schema has that name already: the two types are then
//! defined twice and the crate does not compile (Box's spec has five such
//! pairs, GitHub's current one two, under kebab-case keys). After
//! progenitor ran, each name defined twice in its `types` module that is
//! also a component schema's name, as typify writes it, gets that component
//! renamed (`ClassificationTemplate2`, `repository-ruleset-conditions2`: the
//! numbering `adapt` uses for names that collide), with a note, and
//! progenitor runs again.

use std::collections::BTreeMap;

use proc_macro2::TokenStream;
use serde_json::Value;

use crate::document::{component_ref, move_refs};

/// The type names defined more than once in progenitor's `types` module.
pub(crate) fn defined_twice(raw: &TokenStream) -> Vec<String> {
    let Ok(file) = syn::parse2::<syn::File>(raw.clone()) else {
        return Vec::new();
    };
    let types = file.items.iter().find_map(|item| match item {
        syn::Item::Mod(m) if m.ident == "types" => m.content.as_ref().map(|(_, items)| items),
        _ => None,
    });
    let mut count: BTreeMap<String, usize> = BTreeMap::new();
    for item in types.into_iter().flatten() {
        let name = match item {
            syn::Item::Struct(s) => &s.ident,
            syn::Item::Enum(e) => &e.ident,
            syn::Item::Type(t) => &t.ident,
            _ => continue,
        };
        *count.entry(name.to_string()).or_default() += 1;
    }
    count
        .into_iter()
        .filter(|(_, n)| *n > 1)
        .map(|(name, _)| name)
        .collect()
}

/// Renames the component schemas that typify names like `names` (the key
/// itself, or a key typify writes so: `repository-ruleset-conditions` is
/// `RepositoryRulesetConditions`) to the first free `<key><n>` (n from 2),
/// moving every `$ref`. Returns a note per rename; none when no such
/// component exists (then renaming cannot help).
pub(crate) fn rename_components(doc: &mut Value, names: &[String]) -> Vec<String> {
    let Some(Value::Object(schemas)) = doc.pointer_mut("/components/schemas") else {
        return Vec::new();
    };
    // typify's type name, compared as `adapt::unique_name` compares names.
    let key = |s: &str| -> Vec<u8> { crate::adapt::type_name_key(s).collect() };
    let mut taken: std::collections::BTreeSet<Vec<u8>> = schemas.keys().map(|k| key(k)).collect();
    taken.extend(names.iter().map(|n| key(n)));
    let mut notes = Vec::new();
    let mut moves = Vec::new();
    for name in names {
        // The key itself first, else the first key typify names so.
        let Some(old) = schemas
            .get_key_value(name.as_str())
            .or_else(|| schemas.iter().find(|(k, _)| key(k) == key(name)))
            .map(|(k, _)| k.clone())
        else {
            continue;
        };
        let Some(schema) = schemas.remove(&old) else {
            continue;
        };
        let new_name = (2..)
            .map(|n| format!("{old}{n}"))
            .find(|candidate| !taken.contains(&key(candidate)))
            .unwrap_or_else(|| format!("{old}Schema"));
        taken.insert(key(&new_name));
        schemas.insert(new_name.clone(), schema);
        notes.push(format!(
            "#/components/schemas/{old}: renamed `{new_name}`: typify names an inline schema `{name}` too, and the two types would collide"
        ));
        moves.push((
            component_ref("schemas", &old),
            component_ref("schemas", &new_name),
        ));
    }
    move_refs(doc, &moves);
    notes
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn twice_defined_types_are_found_and_their_component_renamed() {
        let raw: TokenStream = quote::quote! {
            pub mod types {
                pub struct Template { a: i64 }
                pub enum Template { A }
                pub struct Other;
                impl Template {}
            }
        };
        assert_eq!(defined_twice(&raw), ["Template"]);
        let mut doc = json!({
            "components": {"schemas": {
                "Template": {"type": "object"},
                "Template2": {"type": "string"},
                "User": {"properties": {"t": {"$ref": "#/components/schemas/Template"}}}
            }}
        });
        let notes = rename_components(&mut doc, &["Template".to_string()]);
        assert_eq!(notes.len(), 1, "{notes:?}");
        assert!(notes[0].contains("`Template3`"), "{notes:?}");
        assert_eq!(
            doc["components"]["schemas"]["Template3"],
            json!({"type": "object"})
        );
        assert_eq!(
            doc["components"]["schemas"]["User"]["properties"]["t"]["$ref"],
            "#/components/schemas/Template3"
        );
        assert!(rename_components(&mut doc, &["Nowhere".to_string()]).is_empty());
    }

    /// GitHub's current description: the component
    /// `repository-ruleset-conditions` and the inline schema of
    /// `repository-ruleset`'s `conditions` are both
    /// `RepositoryRulesetConditions` to typify.
    #[test]
    fn a_component_whose_key_typify_recases_is_found_and_renamed() {
        let mut doc = json!({
            "components": {"schemas": {
                "repository-ruleset-conditions": {"type": "object"},
                "repository-ruleset-conditions2": {"type": "string"},
                "repository-ruleset": {"properties": {
                    "conditions": {"anyOf": [{"$ref": "#/components/schemas/repository-ruleset-conditions"}]}
                }}
            }}
        });
        let notes = rename_components(&mut doc, &["RepositoryRulesetConditions".to_string()]);
        assert_eq!(
            notes,
            [
                "#/components/schemas/repository-ruleset-conditions: renamed `repository-ruleset-conditions3`: typify names an inline schema `RepositoryRulesetConditions` too, and the two types would collide"
            ]
        );
        assert_eq!(
            doc["components"]["schemas"]["repository-ruleset"]["properties"]["conditions"]["anyOf"][0]["$ref"],
            "#/components/schemas/repository-ruleset-conditions3"
        );
        assert!(
            doc["components"]["schemas"]
                .get("repository-ruleset-conditions")
                .is_none()
        );
    }
}
