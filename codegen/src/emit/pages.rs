//! A paginated operation's plan ([`crate::adapt::Paging`]) made Rust: the
//! functions `usergroup_client_core::page::Rule` takes (a page's items and
//! their number, its cursor or next URL, its total), read off the fields
//! typify gave the page type, and the request value's `.pages()` and
//! `.into_stream()`.
//!
//! A field is found by its name in the spec (typify's `#[serde(rename)]`,
//! else the field's own name), through `Option`s and `Box`es. A plan whose
//! fields typify did not make as expected (a cursor that is not text or a
//! number, items that are not a `Vec`) costs the operation its paging, with
//! a note, never the API.

use proc_macro2::TokenStream;
use quote::quote;

use super::responses::{in_types, types_items};
use super::{option_inner, wrapped_in};
use crate::adapt::Paging;
use crate::manifest::PageStyle;

/// The tokens of one paginated operation.
pub(crate) struct PagePlan {
    pub paging: Paging,
    /// The item type.
    pub item: syn::Type,
    /// `fn(P) -> Vec<Item>`.
    pub items: TokenStream,
    /// `fn(&P) -> usize`.
    pub len: TokenStream,
    /// `fn(&P) -> Option<String>`: the cursor or next URL.
    pub field: Option<TokenStream>,
    /// `fn(&P) -> Option<u64>`: the total.
    pub total: Option<TokenStream>,
    /// The local the page's step goes by in the call's body.
    pub step: syn::Ident,
}

/// Plans `paging` for the page type `ok` (as the layer names it:
/// `types::Page` or `::std::vec::Vec<types::Item>`), or, for an operation
/// whose success statuses differ (`responses::<Op>`), for its one status
/// with a body (`per_status`: the enum, its variant and the body's type),
/// any other status (a `204`) being an empty last page.
pub(crate) fn plan(
    paging: &Paging,
    ok: &syn::Type,
    per_status: Option<(&syn::Ident, (&syn::Ident, &syn::Type))>,
    raw: &syn::File,
    step: syn::Ident,
) -> Result<PagePlan, String> {
    let types = Types(types_items(raw).unwrap_or_default());
    let (body, variant) = match per_status {
        Some((name, (variant, ty))) => (ty.clone(), Some(quote!(responses::#name::#variant))),
        None => (ok.clone(), None),
    };
    // An expression over `page` (the body), inside whatever reaches it.
    let reach = |expr: TokenStream, otherwise: TokenStream| match &variant {
        Some(variant) => quote!(match page { #variant(page) => #expr, _ => #otherwise }),
        None => expr,
    };
    let (item, items, len) = match paging.items.as_slice() {
        [] => match wrapped_in(&body, "Vec") {
            Some(item) => (item.clone(), quote!(page), quote!(page.len())),
            // A list component is typify's newtype over a `Vec`.
            None => {
                let inner = types.newtype(&body).ok_or("the body is not a list")?;
                let item = in_types(wrapped_in(&inner, "Vec").ok_or("the body is not a list")?);
                (item, quote!(page.0), quote!(page.0.len()))
            }
        },
        [name] => {
            let (field, ty) = types.field(&body, name)?;
            let (list, optional) = match option_inner(&ty) {
                Some(inner) => (inner.clone(), true),
                None => (ty.clone(), false),
            };
            let item = in_types(wrapped_in(&list, "Vec").ok_or_else(|| format!("`{name}` is not a list"))?);
            match optional {
                true => (
                    item,
                    quote!(page.#field.unwrap_or_default()),
                    quote!(page.#field.as_ref().map_or(0, ::std::vec::Vec::len)),
                ),
                false => (item, quote!(page.#field), quote!(page.#field.len())),
            }
        }
        _ => return Err("the items are not a top-level field".into()),
    };
    let items = reach(items, quote!(::std::vec::Vec::new()));
    let len = reach(len, quote!(0));
    let items = quote!(|page: #ok| -> ::std::vec::Vec<#item> { #items });
    let len = quote!(|page: &#ok| -> usize { #len });
    let none = quote!(::std::option::Option::None);
    let field = match paging.field.as_slice() {
        [] => None,
        path => {
            let (chain, leaf) = types.chain(&body, path)?;
            if !is_text(&leaf) && !is_integer(&leaf) {
                return Err(format!("`/{}` is not text or a number", path.join("/")));
            }
            let value = reach(
                quote!(#chain.map(::std::string::ToString::to_string)),
                none.clone(),
            );
            Some(quote!(|page: &#ok| -> ::std::option::Option<::std::string::String> { #value }))
        }
    };
    let total = match paging.total.as_slice() {
        [] => None,
        path => {
            let (chain, leaf) = types.chain(&body, path)?;
            if !is_integer(&leaf) {
                return Err(format!("`/{}` is not an integer", path.join("/")));
            }
            let value = reach(quote!(#chain.and_then(|v| u64::try_from(*v).ok())), none);
            Some(quote!(|page: &#ok| -> ::std::option::Option<u64> { #value }))
        }
    };
    Ok(PagePlan {
        paging: paging.clone(),
        item,
        items,
        len,
        field,
        total,
        step,
    })
}

impl PagePlan {
    /// The `Rule` expression inside `pages(self)`; `value` gives the
    /// expression of a request field (an `Option<&T>`), by the parameter's
    /// name in the spec, or `None` when the request has no such field.
    pub(crate) fn rule(
        &self,
        core: &syn::Ident,
        value: impl Fn(&str) -> Option<TokenStream>,
    ) -> Result<TokenStream, String> {
        let (len, param) = (&self.len, self.paging.param.as_deref().unwrap_or_default());
        let number = |e: TokenStream| quote!(#e.and_then(|v| v.to_string().parse::<u64>().ok()));
        Ok(match self.paging.style {
            PageStyle::Link => quote!(#core::Rule::link(#len)),
            PageStyle::NextUrl => {
                let field = self.field.as_ref().ok_or("no next-URL field")?;
                quote!(#core::Rule::next_url(#field, #len))
            }
            PageStyle::Cursor => {
                let field = self.field.as_ref().ok_or("no cursor field")?;
                quote!(#core::Rule::cursor(#param, #field, #len))
            }
            PageStyle::Page | PageStyle::Offset => {
                let first = value(param).ok_or_else(|| format!("the request has no field for `{param}`"))?;
                let first = number(first);
                let size = match self.paging.size.as_deref().and_then(&value) {
                    Some(size) => number(size),
                    None => quote!(::std::option::Option::None),
                };
                let ok_total = self
                    .total
                    .as_ref()
                    .map(|t| quote!(::std::option::Option::Some(#t as _)));
                let total = ok_total.unwrap_or_else(|| quote!(::std::option::Option::None));
                match self.paging.style {
                    PageStyle::Page => {
                        quote!(#core::Rule::page(#param, #first.unwrap_or(1), #size, #total, #len))
                    }
                    _ => quote!(#core::Rule::offset(#param, #first.unwrap_or(0), #size, #total, #len)),
                }
            }
            PageStyle::None => return Err("not paginated".into()),
        })
    }

    /// What the doc comments say of how pages follow each other.
    pub(crate) fn how(&self) -> String {
        let param = self.paging.param.as_deref().unwrap_or_default();
        match self.paging.style {
            PageStyle::Link => "each next page is the `Link` header's `rel=\"next\"`".into(),
            PageStyle::NextUrl => "each next page is the URL the body gives".into(),
            PageStyle::Cursor => format!("each next page is asked for with the body's cursor in `{param}`"),
            PageStyle::Page => format!("pages are numbered in `{param}`"),
            PageStyle::Offset => format!("pages start at the item offset in `{param}`"),
            PageStyle::None => String::new(),
        }
    }
}

/// typify's `types` module.
struct Types<'r>(&'r [syn::Item]);

impl Types<'_> {
    /// The struct a type names (through `Option` and `Box`).
    fn strukt(&self, ty: &syn::Type) -> Option<&syn::ItemStruct> {
        let ty = option_inner(ty).unwrap_or(ty);
        let ty = wrapped_in(ty, "Box").unwrap_or(ty);
        let syn::Type::Path(p) = ty else { return None };
        let name = &p.path.segments.last()?.ident;
        self.0.iter().find_map(|i| match i {
            syn::Item::Struct(s) if &s.ident == name => Some(s),
            _ => None,
        })
    }

    /// The one field's type of `ty`'s tuple struct (typify's newtype).
    fn newtype(&self, ty: &syn::Type) -> Option<syn::Type> {
        match &self.strukt(ty)?.fields {
            syn::Fields::Unnamed(f) if f.unnamed.len() == 1 => Some(f.unnamed[0].ty.clone()),
            _ => None,
        }
    }

    /// The field of `ty`'s struct that holds property `name`, and its type.
    fn field(&self, ty: &syn::Type, name: &str) -> Result<(syn::Ident, syn::Type), String> {
        let s = self
            .strukt(ty)
            .ok_or_else(|| format!("no struct holds `{name}`"))?;
        s.fields
            .iter()
            .find(|f| json_name(f).as_deref() == Some(name))
            .and_then(|f| Some((f.ident.clone()?, f.ty.clone())))
            .ok_or_else(|| format!("`{}` has no field for `{name}`", s.ident))
    }

    /// The expression, over `page: &P`, of the `Option<&Leaf>` at `path`,
    /// and the leaf's type.
    fn chain(&self, ok: &syn::Type, path: &[String]) -> Result<(TokenStream, syn::Type), String> {
        let mut expr = quote!(::std::option::Option::Some(page));
        let mut ty = ok.clone();
        for name in path {
            let (field, field_ty) = self.field(&ty, name)?;
            expr = match option_inner(&field_ty) {
                Some(_) => quote!(#expr.and_then(|v| v.#field.as_ref())),
                None => quote!(#expr.map(|v| &v.#field)),
            };
            ty = option_inner(&field_ty).unwrap_or(&field_ty).clone();
        }
        Ok((expr, ty))
    }
}

/// The property a typify field holds: its `#[serde(rename = "…")]`, else
/// its name.
pub(crate) fn json_name(field: &syn::Field) -> Option<String> {
    let mut renamed = None;
    for attr in field.attrs.iter().filter(|a| a.path().is_ident("serde")) {
        let _ = attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("rename") {
                let value: syn::LitStr = meta.value()?.parse()?;
                renamed = Some(value.value());
            } else if meta.input.peek(syn::Token![=]) {
                let _: syn::Expr = meta.value()?.parse()?;
            }
            Ok(())
        });
    }
    renamed.or_else(|| {
        let name = field.ident.as_ref()?.to_string();
        Some(name.strip_prefix("r#").unwrap_or(&name).to_string())
    })
}

fn last_ident(ty: &syn::Type) -> Option<String> {
    match ty {
        syn::Type::Path(p) => Some(p.path.segments.last()?.ident.to_string()),
        _ => None,
    }
}

fn is_text(ty: &syn::Type) -> bool {
    last_ident(ty).is_some_and(|i| i == "String")
}

fn is_integer(ty: &syn::Type) -> bool {
    last_ident(ty).is_some_and(|i| {
        [
            "i8", "i16", "i32", "i64", "u8", "u16", "u32", "u64", "usize", "isize",
        ]
        .contains(&i.as_str())
    })
}

/// The name of a page's step in a call's body, apart from its inputs.
pub(crate) fn step_name(names: &mut crate::ident::Apart) -> syn::Ident {
    names.name("page_step")
}

/// The request methods a paginated operation's setters may not take.
pub(crate) const PAGE_METHODS: [&str; 3] = ["pages", "into_stream", "send_page"];

/// `pages` and `into_stream`, given the request type's generics and the
/// operation's headers type.
pub(crate) fn methods(
    plan: &PagePlan,
    core: &syn::Ident,
    operation: &str,
    ok: &syn::Type,
    headers: &syn::Ident,
    rule: TokenStream,
) -> TokenStream {
    let item = &plan.item;
    let items = &plan.items;
    let how = plan.how();
    let pages_doc = format!(
        " The pages, each a [`Response`] with its status and headers: a `Stream` that asks for a page only when it is read ({how}). It ends after the last page, or with the first error (a page that repeats is `Error::Pagination`). Each page is a call with this request's values and limit."
    );
    let items_doc = format!(
        " Every item across the pages, in order: a `Stream` that asks for the next page only when the items read so far run out ({how}). It ends after the last page's items, or with the first error; `.collect_all().await` gathers them."
    );
    quote! {
        #[doc = #pages_doc]
        pub fn pages(self) -> #core::Pages<'a, #ok, headers::#headers, VendorError> {
            let rule = #rule;
            #core::Pages::new(#operation, rule, move |step| {
                ::std::boxed::Box::pin(::std::clone::Clone::clone(&self).send_page(step))
            })
        }

        #[doc = #items_doc]
        pub fn into_stream(self) -> #core::Items<'a, #item, VendorError> {
            self.pages().items(#items)
        }
    }
}
