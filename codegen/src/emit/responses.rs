//! The enum of an operation whose success statuses differ in type
//! (`adapt/per_status.rs` planned it): `responses::<Op>`, one variant per
//! documented status, named after it (`Ok`, `Created`, `Accepted`,
//! `NoContent`, ...; `Status299` for a code without a name, `Success` for
//! `2XX`), carrying its typed body, or nothing for a status without one.
//! It is `#[non_exhaustive]`, so a status the vendor documents later is an
//! additive change.
//!
//! The bodies' types are the fields of the helper struct typify made of
//! `<Op>Statuses`; the helper itself is left out of the generated code.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use syn::visit_mut::VisitMut;

use crate::adapt::{Statuses, status_range, variant_name};

/// One operation's enum.
pub(crate) struct PerStatus {
    /// Its name in `responses`.
    pub name: syn::Ident,
    /// The helper struct typify made, left out of the output.
    pub helper: String,
    variants: Vec<Variant>,
}

struct Variant {
    ident: syn::Ident,
    /// `200`, or `2XX`.
    status: String,
    /// The body's type, `None` for a status without one.
    ty: Option<syn::Type>,
    description: String,
}

impl PerStatus {
    /// The enum of `statuses`, with the bodies' types read off the helper
    /// struct of progenitor's `types` module in `raw`.
    pub(crate) fn plan(statuses: &Statuses, name: syn::Ident, raw: &syn::File) -> Result<Self, String> {
        let helper = helper_fields(raw, &statuses.helper)
            .ok_or_else(|| format!("typify made no struct `{}`", statuses.helper))?;
        let variants = statuses
            .statuses
            .iter()
            .map(|s| {
                let ty = match s.json {
                    true => {
                        let field = Statuses::field(&s.status);
                        let found = helper.iter().find(|(f, _)| *f == field).map(|(_, t)| t.clone());
                        Some(found.ok_or_else(|| format!("`{}` has no field `{field}`", statuses.helper))?)
                    }
                    false => None,
                };
                Ok(Variant {
                    ident: format_ident!("{}", variant_name(&s.status)),
                    status: s.status.clone(),
                    ty,
                    description: s.description.clone(),
                })
            })
            .collect::<Result<_, String>>()?;
        Ok(Self {
            name,
            helper: statuses.helper.clone(),
            variants,
        })
    }

    /// The enum, and the decoder the request's `send` calls.
    pub(crate) fn item(&self) -> TokenStream {
        let name = &self.name;
        let variants = self.variants.iter().map(|v| {
            let ident = &v.ident;
            let doc = match crate::docs::one_line(&v.description).as_str() {
                "" => format!(" {}.", v.status),
                d => format!(" {}: {d}", v.status),
            };
            match &v.ty {
                Some(ty) => quote!(#[doc = #doc] #ident(#ty),),
                None => quote!(#[doc = #doc] #ident,),
            }
        });
        // Exact statuses first, then ranges: a `match` takes the first arm.
        let arms = self.variants.iter().map(|v| {
            let ident = &v.ident;
            let pattern = match status_range(&v.status) {
                Some((low, high)) => quote!(#low..=#high),
                None => {
                    let code: u16 = v.status.parse().unwrap_or_default();
                    quote!(#code)
                }
            };
            match &v.ty {
                Some(_) => quote!(#pattern => ::serde_json::from_slice(body).map(Self::#ident),),
                None => quote!(#pattern => ::std::result::Result::Ok(Self::#ident),),
            }
        });
        let doc = format!(
            " What a success of [`Client::{}`](super::Client) brought, by status: one variant per status the spec documents.",
            heck::ToSnakeCase::to_snake_case(name.to_string().trim_end_matches('_'))
        );
        quote! {
            #[doc = #doc]
            #[derive(Clone, Debug)]
            #[non_exhaustive]
            pub enum #name {
                #(#variants)*
            }

            impl #name {
                /// Decodes a success body by its status.
                pub(super) fn decode(
                    status: ::reqwest::StatusCode,
                    body: &[u8],
                ) -> ::std::result::Result<Self, ::serde_json::Error> {
                    match status.as_u16() {
                        #(#arms)*
                        other => ::std::result::Result::Err(<::serde_json::Error as ::serde::de::Error>::custom(
                            ::std::format!("success status {other} is not in the API description"),
                        )),
                    }
                }
            }
        }
    }
}

/// The fields of the helper struct in `raw`'s `types` module, each with the
/// type inside its `Option`.
fn helper_fields(raw: &syn::File, helper: &str) -> Option<Vec<(String, syn::Type)>> {
    let types = raw.items.iter().find_map(|i| match i {
        syn::Item::Mod(m) if m.ident == "types" => m.content.as_ref().map(|(_, items)| items),
        _ => None,
    })?;
    types.iter().find_map(|i| match i {
        syn::Item::Struct(s) if s.ident == helper => Some(
            s.fields
                .iter()
                .filter_map(|f| {
                    let mut ty = super::option_inner(&f.ty).unwrap_or(&f.ty).clone();
                    InTypes.visit_type_mut(&mut ty);
                    Some((f.ident.as_ref()?.to_string(), ty))
                })
                .collect(),
        ),
        _ => None,
    })
}

/// Names a type of typify's module from outside it: `User` and
/// `Vec<User>` become `types::User` and `Vec<types::User>`; paths from the
/// root (`::std::string::String`) and primitives stay as they are.
struct InTypes;

impl VisitMut for InTypes {
    fn visit_type_path_mut(&mut self, p: &mut syn::TypePath) {
        const PRIMITIVES: [&str; 17] = [
            "i8", "i16", "i32", "i64", "i128", "isize", "u8", "u16", "u32", "u64", "u128", "usize", "f32",
            "f64", "bool", "char", "str",
        ];
        let local = p.qself.is_none()
            && p.path.leading_colon.is_none()
            && p.path.segments.len() == 1
            && !PRIMITIVES.iter().any(|t| p.path.segments[0].ident == t);
        if local {
            p.path
                .segments
                .insert(0, syn::PathSegment::from(format_ident!("types")));
        }
        syn::visit_mut::visit_type_path_mut(self, p);
    }
}

/// progenitor's items without the helper structs (and their impls).
pub(crate) fn without_helpers(raw: &syn::File, helpers: &[String]) -> Vec<syn::Item> {
    let names_helper = |ty: &syn::Type| matches!(ty, syn::Type::Path(p) if p.path.segments.last().is_some_and(|s| helpers.iter().any(|h| s.ident == h)));
    raw.items
        .iter()
        .map(|item| match item {
            syn::Item::Mod(m) if m.ident == "types" && !helpers.is_empty() => {
                let mut m = m.clone();
                if let Some((_, items)) = &mut m.content {
                    items.retain(|i| match i {
                        syn::Item::Struct(s) => !helpers.iter().any(|h| s.ident == h),
                        syn::Item::Impl(imp) => !names_helper(&imp.self_ty),
                        _ => true,
                    });
                }
                syn::Item::Mod(m)
            }
            other => other.clone(),
        })
        .collect()
}
