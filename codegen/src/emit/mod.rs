//! What the generate stage writes besides progenitor's types and raw
//! requests: the client layer every API gets ([`client`]), built from the
//! spec's servers ([`servers`]) and security schemes ([`security`]), with
//! what progenitor cannot express done by the layer itself ([`layer`]);
//! each operation's request value, required inputs positional and optional
//! ones set on it ([`request`]); the enum of an operation whose success
//! statuses differ in type, and of its documented errors ([`responses`]);
//! each operation's response headers, typed ([`headers`]); a paginated
//! operation's pages and items ([`pages`]);
//! a discriminated union decoded by its discriminator ([`discriminators`]);
//! a mock of the API for downstream tests, behind each crate's `mock`
//! feature ([`mock`]);
//! `#[non_exhaustive]` structs and enums, with a
//! constructor and setters for the ones requests take ([`additive`]); and
//! fixes to progenitor's raw requests ([`raw_fixes`]).

pub mod additive;
pub mod client;
pub(crate) mod discriminators;
pub(crate) mod headers;
pub(crate) mod layer;
pub(crate) mod mock;
pub(crate) mod pages;
pub mod raw_fixes;
pub(crate) mod request;
pub(crate) mod responses;
pub mod security;
pub mod servers;

/// The client-core `Framing` of a framing the adapt stage recorded
/// (`lines`, `seq`, `multipart`: `adapt::per_status::framing_of`).
pub(crate) fn framing_tokens(core: &syn::Ident, framing: &str) -> proc_macro2::TokenStream {
    match framing {
        "lines" => quote::quote!(#core::Framing::Lines),
        "multipart" => quote::quote!(#core::Framing::Multipart),
        _ => quote::quote!(#core::Framing::RecordSeparated),
    }
}

/// `T` of `Option<T>` (progenitor and typify write `Option<T>` and
/// `::std::option::Option<T>`).
pub(crate) fn option_inner(ty: &syn::Type) -> Option<&syn::Type> {
    wrapped_in(ty, "Option")
}

/// `T` of `Name<T>` (`Option`, `Vec`, `Box`: the last path segment).
pub(crate) fn wrapped_in<'t>(ty: &'t syn::Type, name: &str) -> Option<&'t syn::Type> {
    let syn::Type::Path(p) = ty else { return None };
    let last = p.path.segments.last()?;
    if last.ident != name {
        return None;
    }
    match &last.arguments {
        syn::PathArguments::AngleBracketed(a) if a.args.len() == 1 => match a.args.first()? {
            syn::GenericArgument::Type(t) => Some(t),
            _ => None,
        },
        _ => None,
    }
}
