//! Properties whose names differ only in case or separators (an identity
//! server's `auth_time` and `AUTH_TIME`) get one snake_case field name from
//! typify, and a struct with a field twice does not compile. Here each
//! struct of the generated types keeps one field per name:
//!
//! - the property whose wire name is the field name keeps it (`auth_time`);
//!   failing one, the property first in byte order of wire names;
//! - each other gets `_2`, `_3`... in byte order of wire names, whatever the
//!   order the vendor lists them in, so a property the vendor adds later
//!   renames no field it had;
//! - the serde rename typify wrote keeps the wire name, and the struct
//!   expressions of its own impls (`Default`) follow the same order.
//!
//! Each renaming is reported.

use std::collections::{BTreeMap, BTreeSet};

use syn::visit_mut::{self, VisitMut};
use syn::{Fields, Ident, Item, ItemStruct};

/// Renames colliding fields of every struct in `file`; one note each.
pub fn dedupe(file: &mut syn::File) -> Vec<String> {
    let mut notes = Vec::new();
    visit_items(&mut file.items, &mut notes);
    notes
}

fn visit_items(items: &mut [Item], notes: &mut Vec<String>) {
    // Per struct name, its fields' new names in field order.
    let mut renamed: BTreeMap<String, Vec<Ident>> = BTreeMap::new();
    for item in items.iter_mut() {
        match item {
            Item::Struct(s) => {
                if let Some(names) = dedupe_struct(s, notes) {
                    renamed.insert(s.ident.to_string(), names);
                }
            }
            Item::Mod(m) => {
                if let Some((_, inner)) = &mut m.content {
                    visit_items(inner, notes);
                }
            }
            _ => {}
        }
    }
    for item in items.iter_mut() {
        if let Item::Impl(i) = item
            && let syn::Type::Path(p) = &*i.self_ty
            && let Some(names) = p.path.get_ident().and_then(|id| renamed.get(&id.to_string()))
        {
            Exprs {
                struct_name: p.path.get_ident().cloned(),
                names,
            }
            .visit_item_impl_mut(i);
        }
    }
}

/// Renames the fields of `s` that share a name; returns every field's name
/// in order when any changed.
fn dedupe_struct(s: &mut ItemStruct, notes: &mut Vec<String>) -> Option<Vec<Ident>> {
    let Fields::Named(fields) = &mut s.fields else {
        return None;
    };
    let mut by_name: BTreeMap<String, Vec<(String, usize)>> = BTreeMap::new();
    for (i, f) in fields.named.iter().enumerate() {
        let name = f.ident.as_ref()?.to_string();
        let wire = crate::emit::pages::json_name(f).unwrap_or_default();
        by_name.entry(name).or_default().push((wire, i));
    }
    if by_name.values().all(|v| v.len() == 1) {
        return None;
    }
    let mut taken: BTreeSet<String> = by_name.keys().cloned().collect();
    let mut new_names: BTreeMap<usize, String> = BTreeMap::new();
    for (name, mut group) in by_name.into_iter().filter(|(_, g)| g.len() > 1) {
        group.sort();
        let plain = name.strip_prefix("r#").unwrap_or(&name);
        let keeper = group.iter().position(|(wire, _)| wire == plain).unwrap_or(0);
        let kept = group.remove(keeper);
        let mut n = 2;
        let mut renamed = Vec::new();
        for (wire, index) in group {
            let new = loop {
                let candidate = format!("{name}_{n}");
                n += 1;
                if taken.insert(candidate.clone()) {
                    break candidate;
                }
            };
            renamed.push(format!("`{wire}` is `{new}`"));
            new_names.insert(index, new);
        }
        notes.push(format!(
            "type `{}`: properties {} and `{}` have one Rust name, `{name}`: `{}` keeps it, {}",
            s.ident,
            renamed
                .iter()
                .map(|r| r.split(' ').next().unwrap_or_default().to_string())
                .collect::<Vec<_>>()
                .join(", "),
            kept.0,
            kept.0,
            renamed.join(", ")
        ));
    }
    for (i, f) in fields.named.iter_mut().enumerate() {
        if let Some(new) = new_names.get(&i)
            && let Some(ident) = &mut f.ident
        {
            *ident = Ident::new(new, ident.span());
        }
    }
    Some(fields.named.iter().filter_map(|f| f.ident.clone()).collect())
}

/// Renames the fields of struct expressions `Self { .. }` and
/// `Name { .. }` in the struct's impls, by position: the k-th field of a
/// name in the expression is the k-th field of that name in the struct.
struct Exprs<'a> {
    struct_name: Option<Ident>,
    names: &'a [Ident],
}

impl VisitMut for Exprs<'_> {
    fn visit_expr_struct_mut(&mut self, e: &mut syn::ExprStruct) {
        let ours = e.path.is_ident("Self") || self.struct_name.as_ref().is_some_and(|n| e.path.is_ident(n));
        if ours && e.fields.len() == self.names.len() {
            for (field, name) in e.fields.iter_mut().zip(self.names) {
                if let syn::Member::Named(ident) = &mut field.member
                    && ident != name
                {
                    if field.colon_token.is_none() {
                        // Shorthand `Self { a }` names a variable `a`.
                        field.colon_token = Some(Default::default());
                    }
                    *ident = name.clone();
                }
            }
        }
        visit_mut::visit_expr_struct_mut(self, e);
    }
}

#[cfg(test)]
mod tests {
    use quote::quote;

    use super::*;

    #[test]
    fn case_colliding_fields_get_stable_distinct_names_and_keep_their_wire_names() {
        let mut file: syn::File = syn::parse2(quote! {
            pub mod types {
                pub struct Token {
                    #[serde(rename = "AUTH_TIME")]
                    pub auth_time: i64,
                    pub auth_time: i64,
                    #[serde(rename = "Auth-Time", default)]
                    pub auth_time: i64,
                    pub other: i64,
                }
                impl Default for Token {
                    fn default() -> Self {
                        Self { auth_time: 1, auth_time: 2, auth_time: 3, other: 4 }
                    }
                }
            }
        })
        .unwrap();
        let notes = dedupe(&mut file);
        let expected: syn::File = syn::parse2(quote! {
            pub mod types {
                pub struct Token {
                    #[serde(rename = "AUTH_TIME")]
                    pub auth_time_2: i64,
                    pub auth_time: i64,
                    #[serde(rename = "Auth-Time", default)]
                    pub auth_time_3: i64,
                    pub other: i64,
                }
                impl Default for Token {
                    fn default() -> Self {
                        Self { auth_time_2: 1, auth_time: 2, auth_time_3: 3, other: 4 }
                    }
                }
            }
        })
        .unwrap();
        assert_eq!(prettyplease::unparse(&file), prettyplease::unparse(&expected));
        assert_eq!(
            notes,
            [
                "type `Token`: properties `AUTH_TIME`, `Auth-Time` and `auth_time` have one Rust name, `auth_time`: `auth_time` keeps it, `AUTH_TIME` is `auth_time_2`, `Auth-Time` is `auth_time_3`"
            ]
        );
    }

    #[test]
    fn structs_without_collisions_are_left_alone() {
        let mut file: syn::File = syn::parse2(quote! {
            pub struct A { #[serde(rename = "B")] pub b: i64, pub c: i64 }
        })
        .unwrap();
        let before = prettyplease::unparse(&file);
        assert!(dedupe(&mut file).is_empty());
        assert_eq!(prettyplease::unparse(&file), before);
    }
}
