//! The enum of an operation whose success statuses differ in type
//! (`adapt/per_status.rs` planned it): `responses::<Op>`, one variant per
//! documented status, named after it (`Ok`, `Created`, `Accepted`,
//! `NoContent`, ...; `Status299` for a code without a name, `Success` for
//! `2XX`), carrying its typed body, or nothing for a status without one.
//! It is `#[non_exhaustive]`, so a status the vendor documents later is an
//! additive change.
//!
//! The same plan gives each operation with documented error statuses its
//! `errors::<Op>` ([`PerStatus::error_item`]): a variant per documented
//! error status (`NotFound`, `UnprocessableEntity`, `ClientError` for
//! `4XX`, `Default` for `default`), with its typed body, or nothing for a
//! status without a JSON body. It reaches the caller inside the crate's one
//! `Error` (`Error::documented`, or `errors::<Op>::of(&error)`).
//!
//! The bodies' types are the fields of the helper struct typify made of
//! `<Op>Statuses` (`<Op>Errors`); the helper itself is left out of the
//! generated code.

use proc_macro2::TokenStream;
use quote::{ToTokens, format_ident, quote};
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
    /// The one status with a body, when there is one: its variant and the
    /// body's type (a list beside a `204`, which pages as an empty page).
    pub(crate) fn only_body(&self) -> Option<(&syn::Ident, &syn::Type)> {
        let mut bodies = self
            .variants
            .iter()
            .filter_map(|v| Some((&v.ident, v.ty.as_ref()?)));
        let one = bodies.next()?;
        bodies.next().is_none().then_some(one)
    }

    /// Each status: its variant, its status (`200`, `2XX`, `default`) and
    /// its body's type, if it has one (the mock's answers).
    pub(crate) fn answers(&self) -> impl Iterator<Item = (&syn::Ident, &str, Option<&syn::Type>)> {
        self.variants
            .iter()
            .map(|v| (&v.ident, v.status.as_str(), v.ty.as_ref()))
    }

    pub(crate) fn plan(statuses: &Statuses, name: syn::Ident, raw: &syn::File) -> Result<Self, String> {
        // A plan without a JSON body has no helper: no type to read.
        let helper = match statuses.statuses.iter().any(|s| s.json) {
            true => helper_fields(raw, &statuses.helper)
                .ok_or_else(|| format!("typify made no struct `{}`", statuses.helper))?,
            false => Vec::new(),
        };
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
        let variants = self.variants(None);
        // Exact statuses first, then ranges: a `match` takes the first arm.
        let arms = self.variants.iter().map(|v| {
            let ident = &v.ident;
            let pattern = v.pattern();
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

impl PerStatus {
    /// The `errors` enum of an operation's documented error statuses, with
    /// `of` (the documented error in the crate's `Error`) and the decoder
    /// the request hands the runtime.
    pub(crate) fn error_item(&self, core: &syn::Ident, method: &str) -> TokenStream {
        let name = &self.name;
        let variants = self.variants(Some(" The body, if any, is in the error's excerpt."));
        let arms = self.variants.iter().map(|v| {
            let ident = &v.ident;
            let pattern = v.pattern();
            match &v.ty {
                Some(_) => quote!(#pattern => Self::#ident(::serde_json::from_slice(body).ok()?),),
                None => quote!(#pattern => Self::#ident,),
            }
        });
        let body = match self.variants.iter().any(|v| v.ty.is_some()) {
            true => format_ident!("body"),
            false => format_ident!("_body"),
        };
        let fallback = (!self
            .variants
            .iter()
            .any(|v| v.status.eq_ignore_ascii_case("default")))
        .then(|| quote!(_ => return ::std::option::Option::None,));
        let doc = format!(
            " The errors [`Client::{method}`](super::Client) documents, by status: one variant per status, with its typed body. An `Error::Api` of a documented status whose body is what the spec says carries one: [`{name}::of`]."
        );
        quote! {
            #[doc = #doc]
            #[derive(Clone, Debug)]
            #[non_exhaustive]
            pub enum #name {
                #(#variants)*
            }

            impl #name {
                /// This operation's documented error in `error`: `None` for
                /// another kind of error, a status the spec does not
                /// document, or a body that is not what it says.
                pub fn of(error: &Error) -> ::std::option::Option<&Self> {
                    error.documented::<Self>()
                }

                /// Decodes an error body by its status.
                pub(super) fn documented(
                    status: ::reqwest::StatusCode,
                    #body: &[u8],
                ) -> ::std::option::Option<#core::Documented> {
                    let value = match status.as_u16() {
                        #(#arms)*
                        #fallback
                    };
                    ::std::option::Option::Some(#core::Documented::new(value))
                }
            }
        }
    }
}

impl PerStatus {
    /// The enum's variants, each documented by its status and description
    /// (`unit_note` added to a variant without a body).
    fn variants(&self, unit_note: Option<&str>) -> Vec<TokenStream> {
        self.variants
            .iter()
            .map(|v| {
                let ident = &v.ident;
                let status = match v.status.as_str() {
                    s if s.eq_ignore_ascii_case("default") => {
                        "Any other error status (`default`)".to_string()
                    }
                    s => s.to_string(),
                };
                let doc = match crate::docs::one_line(&v.description).as_str() {
                    "" => format!(" {status}."),
                    d => format!(" {status}: {d}"),
                };
                match (&v.ty, unit_note) {
                    (Some(ty), _) => quote!(#[doc = #doc] #ident(#ty),),
                    (None, Some(note)) => quote!(#[doc = #doc] #[doc = ""] #[doc = #note] #ident,),
                    (None, None) => quote!(#[doc = #doc] #ident,),
                }
            })
            .collect()
    }
}

impl Variant {
    /// The `match` pattern of its status: `404`, `400..=499`, or `_` for
    /// `default`.
    fn pattern(&self) -> TokenStream {
        if self.status.eq_ignore_ascii_case("default") {
            return quote!(_);
        }
        match status_range(&self.status) {
            Some((low, high)) => quote!(#low..=#high),
            None => {
                let code: u16 = self.status.parse().unwrap_or_default();
                quote!(#code)
            }
        }
    }
}

/// The Rust type of the event payload an events plan's helper declares
/// (its `data` field), or `String` when the plan has none.
pub(crate) fn event_type(events: &crate::adapt::Events, raw: &syn::File) -> Result<syn::Type, String> {
    let Some(helper) = &events.helper else {
        return Ok(syn::parse_quote!(::std::string::String));
    };
    let fields = helper_fields(raw, helper).ok_or_else(|| format!("typify made no struct `{helper}`"))?;
    fields
        .into_iter()
        .find(|(f, _)| f == "data")
        .map(|(_, t)| t)
        .ok_or_else(|| format!("`{helper}` has no field `data`"))
}

/// The fields of the helper struct in `raw`'s `types` module, each with the
/// type inside its `Option`.
fn helper_fields(raw: &syn::File, helper: &str) -> Option<Vec<(String, syn::Type)>> {
    types_items(raw)?.iter().find_map(|i| match i {
        syn::Item::Struct(s) if typify_named(&s.ident, helper) => Some(
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

/// The items of typify's `types` module.
pub(crate) fn types_items(raw: &syn::File) -> Option<&[syn::Item]> {
    raw.items.iter().find_map(|i| match i {
        syn::Item::Mod(m) if m.ident == "types" => m.content.as_ref().map(|(_, items)| items.as_slice()),
        _ => None,
    })
}

/// `ty`, a type as typify's module writes it, named from outside it
/// ([`InTypes`]).
pub(crate) fn in_types(ty: &syn::Type) -> syn::Type {
    let mut ty = ty.clone();
    InTypes.visit_type_mut(&mut ty);
    ty
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

/// Whether typify's `ident` is the component `name`: typify recases names
/// (`V2V2` may come out `V2v2`), so case is not compared.
fn typify_named(ident: &syn::Ident, name: &str) -> bool {
    ident.to_string().eq_ignore_ascii_case(name)
}

/// progenitor's items without the helper structs (and their impls).
pub(crate) fn without_helpers(raw: &syn::File, helpers: &[String]) -> Vec<syn::Item> {
    // typify recases names, so they are compared in lower case (as
    // `typify_named` does), each looked up once: an API has thousands of
    // types and hundreds of helpers.
    let helpers: std::collections::HashSet<String> = helpers.iter().map(|h| h.to_ascii_lowercase()).collect();
    let is_helper = |word: &str| helpers.contains(&word.to_ascii_lowercase());
    // An impl of the helper, or one naming it (`From<Helper> for Map`).
    let names_helper = |imp: &syn::ItemImpl| {
        let mut text = imp.self_ty.to_token_stream().to_string();
        if let Some((_, path, _)) = &imp.trait_ {
            text.push(' ');
            text.push_str(&path.to_token_stream().to_string());
        }
        text.split(|c: char| !c.is_alphanumeric() && c != '_')
            .any(is_helper)
    };
    raw.items
        .iter()
        .map(|item| match item {
            syn::Item::Mod(m) if m.ident == "types" && !helpers.is_empty() => {
                let mut m = m.clone();
                if let Some((_, items)) = &mut m.content {
                    items.retain(|i| match i {
                        syn::Item::Struct(s) => !is_helper(&s.ident.to_string()),
                        syn::Item::Impl(imp) => !names_helper(imp),
                        _ => true,
                    });
                }
                syn::Item::Mod(m)
            }
            other => other.clone(),
        })
        .collect()
}
