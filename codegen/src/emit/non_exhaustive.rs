//! Response-only structs are `#[non_exhaustive]`: users read them and never
//! build them, so a field the vendor adds later is an additive change (no
//! struct literal or exhaustive pattern of theirs can break). Request
//! structs stay plain, since users write them as struct literals (see
//! `surface/RULES.md` for the trade-off).

use crate::surface::model::Surface;

/// Marks the structs of `types` that only responses reach.
pub fn mark_response_structs(file: &mut syn::File, surface: &Surface) {
    let response_only: Vec<&str> = surface
        .types
        .iter()
        .filter(|t| t.roles.response && !t.roles.request)
        .map(|t| t.name.as_str())
        .collect();
    let Some(types) = file.items.iter_mut().find_map(|item| match item {
        syn::Item::Mod(m) if m.ident == "raw" => m.content.as_mut().and_then(|(_, items)| {
            items.iter_mut().find_map(|i| match i {
                syn::Item::Mod(t) if t.ident == "types" => t.content.as_mut().map(|(_, items)| items),
                _ => None,
            })
        }),
        _ => None,
    }) else {
        return;
    };
    for item in types {
        if let syn::Item::Struct(s) = item {
            let named = matches!(s.fields, syn::Fields::Named(_));
            if named
                && response_only.contains(&s.ident.to_string().as_str())
                && !s.attrs.iter().any(|a| a.path().is_ident("non_exhaustive"))
            {
                s.attrs.push(syn::parse_quote!(#[non_exhaustive]));
            }
        }
    }
}
