//! A `oneOf` (or `anyOf`) component with a `discriminator` is read by its
//! discriminator. typify does not look at discriminators: it makes such a
//! union `#[serde(untagged)]`, which decodes the first variant that fits,
//! whatever the discriminator property says (a `Square` that also has a
//! `radius` would come out a `Circle`). Here the enum keeps its derived
//! `Serialize` (untagged is right for writing: each variant writes its own
//! object, property included) and gets a `Deserialize` of its own:
//!
//! 1. the discriminator property's value picks the variant: by `mapping`,
//!    else by the schema's own name (OpenAPI's implicit mapping); a value
//!    that is absent or listed nowhere picks `defaultMapping` (OpenAPI
//!    3.2), if there is one;
//! 2. if none is picked, or the picked one does not decode, the variants
//!    are tried in order, as untagged would (a vendor that leaves the
//!    property out still decodes); the error names the picked variant's
//!    failure.
//!
//! Only unions whose every variant is one component type are rewritten;
//! any other shape typify made is left as it is.

use std::collections::BTreeMap;

use proc_macro2::TokenStream;
use quote::quote;
use serde_json::Value;

use crate::document::unescape;

/// A discriminated union of the document, by component name.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Union {
    property: String,
    /// Discriminator value → component name.
    mapping: BTreeMap<String, String>,
    /// The component a value absent or unlisted means.
    default: Option<String>,
}

/// The component a `#/components/schemas/X` reference names.
fn component(reference: &str) -> Option<String> {
    reference
        .strip_prefix("#/components/schemas/")
        .filter(|n| !n.contains('/'))
        .map(unescape)
}

/// The discriminated unions among the document's component schemas.
fn unions(doc: &Value) -> BTreeMap<String, Union> {
    let Some(Value::Object(schemas)) = doc.pointer("/components/schemas") else {
        return BTreeMap::new();
    };
    schemas
        .iter()
        .filter_map(|(name, s)| {
            let discriminator = s.get("discriminator")?;
            let property = discriminator.get("propertyName")?.as_str()?.to_string();
            let branches = s.get("oneOf").or_else(|| s.get("anyOf"))?.as_array()?;
            let mut mapping: BTreeMap<String, String> = discriminator
                .get("mapping")
                .and_then(Value::as_object)
                .into_iter()
                .flatten()
                .filter_map(|(value, target)| {
                    let target = target.as_str()?;
                    // A mapping value is a reference or a schema name.
                    let target = component(target).unwrap_or_else(|| target.to_string());
                    Some((value.clone(), target))
                })
                .collect();
            // Implicit: a branch's own name is its value, unless mapped.
            for branch in branches {
                if let Some(target) = branch.get("$ref").and_then(Value::as_str).and_then(component)
                    && !mapping.values().any(|t| *t == target)
                {
                    mapping.entry(target.clone()).or_insert(target);
                }
            }
            let default = discriminator
                .get("defaultMapping")
                .and_then(Value::as_str)
                .map(|d| component(d).unwrap_or_else(|| d.to_string()));
            Some((
                name.clone(),
                Union {
                    property,
                    mapping,
                    default,
                },
            ))
        })
        .collect()
}

/// Gives each discriminated union of `raw`'s `types` module a
/// `Deserialize` that reads its discriminator.
pub(crate) fn apply(raw: &mut syn::File, doc: &Value) {
    let unions = unions(doc);
    if unions.is_empty() {
        return;
    }
    let Some(types) = raw.items.iter_mut().find_map(|i| match i {
        syn::Item::Mod(m) if m.ident == "types" => m.content.as_mut().map(|(_, items)| items),
        _ => None,
    }) else {
        return;
    };
    let mut added = Vec::new();
    for item in types.iter_mut() {
        let syn::Item::Enum(e) = item else { continue };
        let Some(union) = unions
            .iter()
            .find(|(name, _)| e.ident.to_string().eq_ignore_ascii_case(name))
            .map(|(_, u)| u)
        else {
            continue;
        };
        let Some(variants) = variants(e) else { continue };
        if !untagged(e) {
            continue;
        }
        let Some(imp) = deserialize(&e.ident, union, &variants) else {
            continue;
        };
        drop_derived_deserialize(e);
        added.push(syn::Item::Verbatim(imp));
    }
    types.extend(added);
}

/// Each variant and the name of the one type it holds; `None` unless every
/// variant holds exactly one named type.
fn variants(e: &syn::ItemEnum) -> Option<Vec<(syn::Ident, String)>> {
    e.variants
        .iter()
        .map(|v| match &v.fields {
            syn::Fields::Unnamed(f) if f.unnamed.len() == 1 => match &f.unnamed[0].ty {
                syn::Type::Path(p) => Some((v.ident.clone(), p.path.segments.last()?.ident.to_string())),
                _ => None,
            },
            _ => None,
        })
        .collect()
}

fn untagged(e: &syn::ItemEnum) -> bool {
    e.attrs
        .iter()
        .any(|a| a.path().is_ident("serde") && quote!(#a).to_string().contains("untagged"))
}

/// Takes `Deserialize` out of the enum's derives.
fn drop_derived_deserialize(e: &mut syn::ItemEnum) {
    for attr in &mut e.attrs {
        if !attr.path().is_ident("derive") {
            continue;
        }
        let Ok(paths) =
            attr.parse_args_with(syn::punctuated::Punctuated::<syn::Path, syn::Token![,]>::parse_terminated)
        else {
            continue;
        };
        let kept: Vec<&syn::Path> = paths
            .iter()
            .filter(|p| p.segments.last().is_none_or(|s| s.ident != "Deserialize"))
            .collect();
        *attr = syn::parse_quote!(#[derive(#(#kept),*)]);
    }
}

/// The `Deserialize` impl of one union; `None` when a mapped component has
/// no variant (then typify's is kept).
fn deserialize(ident: &syn::Ident, union: &Union, variants: &[(syn::Ident, String)]) -> Option<TokenStream> {
    // Each variant by its position, which the match below picks.
    let index_of = |component: &str| {
        variants
            .iter()
            .position(|(_, ty)| ty.eq_ignore_ascii_case(component))
    };
    let mut arms = Vec::new();
    for (value, target) in &union.mapping {
        let i = index_of(target)?;
        arms.push(quote!(::std::option::Option::Some(#value) => ::std::option::Option::Some(#i),));
    }
    let default = match &union.default {
        Some(d) => {
            let i = index_of(d)?;
            quote!(::std::option::Option::Some(#i))
        }
        None => quote!(::std::option::Option::None),
    };
    let property = &union.property;
    let names: Vec<String> = variants.iter().map(|(v, _)| v.to_string()).collect();
    let count = variants.len();
    let tries = variants
        .iter()
        .enumerate()
        .map(|(i, (v, _))| quote!(#i => ::serde::Deserialize::deserialize(&value).map(Self::#v),));
    let what = format!("`{ident}`");
    Some(quote! {
        impl<'de> ::serde::Deserialize<'de> for #ident {
            fn deserialize<D>(deserializer: D) -> ::std::result::Result<Self, D::Error>
            where
                D: ::serde::Deserializer<'de>,
            {
                const NAMES: [&str; #count] = [#(#names),*];
                let value = <::serde_json::Value as ::serde::Deserialize>::deserialize(deserializer)?;
                let attempt = |i: usize| -> ::std::result::Result<Self, ::serde_json::Error> {
                    match i {
                        #(#tries)*
                        _ => ::std::result::Result::Err(::serde::de::Error::custom("no such variant")),
                    }
                };
                let picked: ::std::option::Option<usize> =
                    match value.get(#property).and_then(::serde_json::Value::as_str) {
                        #(#arms)*
                        _ => #default,
                    };
                let mut first = ::std::option::Option::None;
                if let ::std::option::Option::Some(i) = picked {
                    match attempt(i) {
                        ::std::result::Result::Ok(v) => return ::std::result::Result::Ok(v),
                        ::std::result::Result::Err(e) => first = ::std::option::Option::Some((i, e)),
                    }
                }
                for i in 0..#count {
                    if ::std::option::Option::Some(i) != picked
                        && let ::std::result::Result::Ok(v) = attempt(i)
                    {
                        return ::std::result::Result::Ok(v);
                    }
                }
                ::std::result::Result::Err(::serde::de::Error::custom(match first {
                    ::std::option::Option::Some((i, e)) => {
                        ::std::format!("{} by its `{}`, as `{}`: {}", #what, #property, NAMES[i], e)
                    }
                    ::std::option::Option::None => {
                        ::std::format!("data did not match any variant of {}", #what)
                    }
                }))
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn mapping_implicit_names_and_the_default_are_read() {
        let doc = json!({"components": {"schemas": {
            "Shape": {
                "oneOf": [{"$ref": "#/components/schemas/Circle"}, {"$ref": "#/components/schemas/Square"}, {"$ref": "#/components/schemas/Oval"}],
                "discriminator": {"propertyName": "kind", "mapping": {"circle": "#/components/schemas/Circle", "sq": "Square"},
                    "defaultMapping": "#/components/schemas/Circle"}
            },
            "Plain": {"oneOf": [{"type": "string"}]}
        }}});
        let u = unions(&doc);
        assert_eq!(u.len(), 1);
        let shape = &u["Shape"];
        assert_eq!(shape.property, "kind");
        assert_eq!(
            shape.mapping,
            BTreeMap::from([
                ("Oval".to_string(), "Oval".to_string()),
                ("circle".into(), "Circle".into()),
                ("sq".into(), "Square".into()),
            ])
        );
        assert_eq!(shape.default.as_deref(), Some("Circle"));
    }

    #[test]
    fn an_untagged_union_gets_a_deserialize_of_its_own() {
        let mut raw: syn::File = syn::parse_quote! {
            pub mod types {
                #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug)]
                #[serde(untagged)]
                pub enum Shape { Circle(Circle), Square(Square) }
            }
        };
        let doc = json!({"components": {"schemas": {"Shape": {
            "oneOf": [{"$ref": "#/components/schemas/Circle"}, {"$ref": "#/components/schemas/Square"}],
            "discriminator": {"propertyName": "kind"}
        }}}});
        apply(&mut raw, &doc);
        let text = quote!(#raw).to_string();
        assert!(
            text.contains("derive (:: serde :: Serialize , Clone , Debug)"),
            "{text}"
        );
        assert!(
            text.contains("impl < 'de > :: serde :: Deserialize < 'de > for Shape"),
            "{text}"
        );
        assert!(
            text.contains("Some (\"Circle\") => :: std :: option :: Option :: Some (0usize)"),
            "{text}"
        );
    }
}
