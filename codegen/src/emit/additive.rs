//! What users can do with the generated types, so that a field or a value
//! the vendor adds later never breaks their code:
//!
//! - every struct with named fields is `#[non_exhaustive]`: no struct
//!   literal or exhaustive pattern outside the crate can break;
//! - every enum is `#[non_exhaustive]`: a match outside the crate has a `_`
//!   arm, so a new variant compiles (the hand-written open enums of a
//!   manifest's `[replace]` also decode values they do not know);
//! - a struct a request reaches (users build it) gets `new(required…)`,
//!   taking exactly its required fields, and one setter per other field
//!   (`.role(TeamRole::Maintainer)`), each taking `impl Into<T>`, with
//!   `set_<field>(Option<T>)` beside it for an optional one (to pass an
//!   `Option` through); one whose fields are all optional is `Default` too;
//! - every other struct (one only responses reach) gets the same
//!   constructor behind the crate's `mock` feature, with `with_<field>`
//!   setters (no name a hand-written accessor may take), for the answers a
//!   downstream test gives its mock (`emit::mock`).
//!
//! The wire is unchanged: serde's attributes are left as typify wrote them.
//! See `surface/RULES.md` for what this makes additive.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::option_inner;
use crate::surface::model::Surface;

/// Marks the structs and enums of `types` and gives the request structs
/// their constructor and setters.
pub fn mark_types(file: &mut syn::File, surface: &Surface) {
    let built: Vec<&str> = surface
        .types
        .iter()
        .filter(|t| t.roles.request)
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
    // typify writes `Default` as an impl where a field has a default value.
    let has_default: Vec<String> = types.iter().filter_map(default_impl_for).collect();
    let mut impls = Vec::new();
    for item in types.iter_mut() {
        if let syn::Item::Enum(e) = item {
            if matches!(e.vis, syn::Visibility::Public(_))
                && !e.attrs.iter().any(|a| a.path().is_ident("non_exhaustive"))
            {
                e.attrs.push(syn::parse_quote!(#[non_exhaustive]));
            }
            continue;
        }
        let syn::Item::Struct(s) = item else { continue };
        if !matches!(s.fields, syn::Fields::Named(_)) || !matches!(s.vis, syn::Visibility::Public(_)) {
            continue;
        }
        if !s.attrs.iter().any(|a| a.path().is_ident("non_exhaustive")) {
            s.attrs.push(syn::parse_quote!(#[non_exhaustive]));
        }
        if built.contains(&s.ident.to_string().as_str()) {
            let default_known = has_default.contains(&s.ident.to_string());
            impls.extend(constructor_and_setters(s, default_known, Setters::Plain));
        } else {
            // A test builds the answers of its mock from these (the `mock`
            // feature): the same constructor, for that feature alone.
            impls.extend(
                constructor_and_setters(s, true, Setters::With)
                    .into_iter()
                    .map(|mut item| {
                        if let syn::Item::Impl(i) = &mut item {
                            i.attrs.push(syn::parse_quote!(#[cfg(feature = "mock")]));
                        }
                        item
                    }),
            );
        }
    }
    types.extend(impls);
}

/// One field as the constructor and setters see it.
struct FieldInit<'s> {
    name: &'s syn::Ident,
    ty: &'s syn::Type,
    /// What it starts as when `new` does not take it; `None` when `new`
    /// takes it (a required field).
    start: Option<TokenStream>,
}

/// The type an `impl Default for X` block is for.
fn default_impl_for(item: &syn::Item) -> Option<String> {
    let syn::Item::Impl(imp) = item else { return None };
    let (_, path, _) = imp.trait_.as_ref()?;
    if path.segments.last()?.ident != "Default" {
        return None;
    }
    match imp.self_ty.as_ref() {
        syn::Type::Path(p) => Some(p.path.segments.last()?.ident.to_string()),
        _ => None,
    }
}

/// `default_known`: typify wrote an `impl Default` for it already.
/// How a struct's setters are named.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Setters {
    /// A request's: `.role(..)`, and `set_role(Option<..>)` for an optional
    /// field.
    Plain,
    /// A mock answer's (a response type's, under the `mock` feature):
    /// `.with_role(..)` alone, so no setter meets a method the crate's own
    /// code gives the type (an accessor named like the field).
    With,
}

fn constructor_and_setters(
    s: &syn::ItemStruct,
    default_known: bool,
    setters_named: Setters,
) -> Vec<syn::Item> {
    let ident = &s.ident;
    let fields: Vec<FieldInit> = s
        .fields
        .iter()
        .filter_map(|f| {
            let name = f.ident.as_ref()?;
            Some(FieldInit {
                name,
                ty: &f.ty,
                start: start_value(f),
            })
        })
        .collect();
    let required: Vec<&FieldInit> = fields.iter().filter(|f| f.start.is_none()).collect();
    let params = required.iter().map(|f| {
        let (n, t) = (f.name, f.ty);
        quote!(#n: impl ::std::convert::Into<#t>)
    });
    let inits = fields.iter().map(|f| {
        let n = f.name;
        match &f.start {
            Some(start) => quote!(#n: #start,),
            None => quote!(#n: #n.into(),),
        }
    });
    let setters = fields.iter().filter(|f| f.start.is_some()).map(|f| {
        let n = f.name;
        let setter = if n == "new" || setters_named == Setters::With {
            format_ident!("with_{}", n.to_string().trim_start_matches("r#"))
        } else {
            n.clone()
        };
        let doc = format!(" Sets `{n}`.");
        match option_inner(f.ty) {
            Some(inner) if setters_named == Setters::With => quote! {
                #[doc = #doc]
                pub fn #setter(mut self, value: impl ::std::convert::Into<#inner>) -> Self {
                    self.#n = ::std::option::Option::Some(value.into());
                    self
                }
            },
            Some(inner) => {
                let set = format_ident!("set_{n}");
                let set_doc = format!(" Sets or clears `{n}`.");
                quote! {
                    #[doc = #doc]
                    pub fn #setter(mut self, value: impl ::std::convert::Into<#inner>) -> Self {
                        self.#n = ::std::option::Option::Some(value.into());
                        self
                    }

                    #[doc = #set_doc]
                    pub fn #set(mut self, value: ::std::option::Option<#inner>) -> Self {
                        self.#n = value;
                        self
                    }
                }
            }
            None => {
                let t = f.ty;
                quote! {
                    #[doc = #doc]
                    pub fn #setter(mut self, value: impl ::std::convert::Into<#t>) -> Self {
                        self.#n = value.into();
                        self
                    }
                }
            }
        }
    });
    let new_doc = if required.is_empty() {
        format!(" A `{ident}` with every field unset; set them with its setters.")
    } else {
        let names: Vec<String> = required.iter().map(|f| format!("`{}`", f.name)).collect();
        format!(
            " A `{ident}` from its required fields ({}); set the others with its setters.",
            names.join(", ")
        )
    };
    let mut items: Vec<syn::Item> = vec![syn::parse_quote! {
        impl #ident {
            #[doc = #new_doc]
            pub fn new(#(#params),*) -> Self {
                Self { #(#inits)* }
            }

            #(#setters)*
        }
    }];
    if required.is_empty() && !default_known && !derives(s, "Default") {
        items.push(syn::parse_quote! {
            impl ::std::default::Default for #ident {
                fn default() -> Self {
                    Self::new()
                }
            }
        });
    }
    items
}

/// What a field starts as when `new` does not take it: `None` for an
/// `Option`, its serde default otherwise; `None` (the outer one) for a
/// required field.
fn start_value(f: &syn::Field) -> Option<TokenStream> {
    if option_inner(&f.ty).is_some() {
        return Some(quote!(::std::option::Option::None));
    }
    for attr in f.attrs.iter().filter(|a| a.path().is_ident("serde")) {
        let mut start = None;
        let _ = attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("default") {
                start = Some(match meta.value() {
                    Ok(value) => {
                        let path: syn::LitStr = value.parse()?;
                        let path: syn::ExprPath = path.parse()?;
                        quote!(#path())
                    }
                    Err(_) => quote!(::std::default::Default::default()),
                });
            } else if meta.input.peek(syn::Token![=]) {
                let _: syn::Expr = meta.value()?.parse()?;
            }
            Ok(())
        });
        if start.is_some() {
            return start;
        }
    }
    None
}

fn derives(s: &syn::ItemStruct, name: &str) -> bool {
    s.attrs.iter().filter(|a| a.path().is_ident("derive")).any(|a| {
        let mut found = false;
        let _ = a.parse_nested_meta(|meta| {
            found |= meta.path.segments.last().is_some_and(|seg| seg.ident == name);
            Ok(())
        });
        found
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn optional_only() -> syn::ItemStruct {
        syn::parse_quote! {
            pub struct Patch {
                #[serde(default = "defaults::patch_mode")]
                pub mode: ::std::string::String,
                pub title: ::std::option::Option<::std::string::String>,
            }
        }
    }

    /// typify writes `impl Default` itself for a struct with a field
    /// default (Prefect's `TaskRunPolicy`): no second one.
    #[test]
    fn default_is_added_once() {
        let items = syn::File {
            shebang: None,
            attrs: Vec::new(),
            items: vec![
                syn::Item::Struct(optional_only()),
                syn::parse_quote!(impl ::std::default::Default for Patch {
                    fn default() -> Self {
                        Self { mode: defaults::patch_mode(), title: None }
                    }
                }),
            ],
        };
        assert_eq!(default_impl_for(&items.items[1]).as_deref(), Some("Patch"));
        assert_eq!(
            constructor_and_setters(&optional_only(), true, Setters::Plain).len(),
            1
        );
        let both = constructor_and_setters(&optional_only(), false, Setters::Plain);
        assert_eq!(both.len(), 2, "new and setters, then Default");
        let text = quote!(#(#both)*).to_string();
        assert!(text.contains("mode : defaults :: patch_mode ()"), "{text}");
        assert!(text.contains("pub fn set_title"), "{text}");
    }
}
