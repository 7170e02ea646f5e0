//! progenitor builds a request's URL with
//! `format!("{}/orgs/{}", self.baseurl, encode_path(&org.to_string()))`:
//! every path value is copied into a `String` before `encode_path` copies
//! it again, encoded. For a parameter that is already a `&str` the first
//! copy does nothing but cost an allocation on every request, so the call
//! becomes `encode_path(org)`, the same bytes. Parameters of other types
//! (integers, enums) keep their `to_string`.

use proc_macro2::{Delimiter, Group, TokenStream, TokenTree};
use syn::visit_mut::{self, VisitMut};

/// Rewrites `encode_path(&<p>.to_string())` into `encode_path(<p>)` for
/// every `&str` parameter `p` of every method in progenitor's module.
/// Returns how many calls were rewritten.
pub fn borrow(file: &mut syn::File) -> usize {
    let mut borrower = Borrower { rewritten: 0 };
    borrower.visit_file_mut(file);
    borrower.rewritten
}

struct Borrower {
    rewritten: usize,
}

impl VisitMut for Borrower {
    fn visit_impl_item_fn_mut(&mut self, f: &mut syn::ImplItemFn) {
        let strs = str_parameters(&f.sig);
        if !strs.is_empty() {
            let mut in_macros = InMacros {
                strs: &strs,
                rewritten: 0,
            };
            in_macros.visit_block_mut(&mut f.block);
            self.rewritten += in_macros.rewritten;
        }
        visit_mut::visit_impl_item_fn_mut(self, f);
    }
}

/// The names of a method's parameters typed `&str` (any lifetime).
fn str_parameters(sig: &syn::Signature) -> Vec<String> {
    sig.inputs
        .iter()
        .filter_map(|input| match input {
            syn::FnArg::Typed(t) => Some(t),
            syn::FnArg::Receiver(_) => None,
        })
        .filter(|t| {
            matches!(&*t.ty, syn::Type::Reference(r)
                if r.mutability.is_none()
                    && matches!(&*r.elem, syn::Type::Path(p) if p.qself.is_none() && p.path.is_ident("str")))
        })
        .filter_map(|t| match &*t.pat {
            syn::Pat::Ident(i) => Some(i.ident.to_string()),
            _ => None,
        })
        .collect()
}

/// Rewrites the calls inside the method's macros (`format!`).
struct InMacros<'a> {
    strs: &'a [String],
    rewritten: usize,
}

impl VisitMut for InMacros<'_> {
    fn visit_macro_mut(&mut self, mac: &mut syn::Macro) {
        mac.tokens = self.tokens(std::mem::take(&mut mac.tokens));
    }
}

impl InMacros<'_> {
    /// The token stream with each `encode_path(&<p>.to_string())` of a
    /// `&str` parameter `p` made `encode_path(<p>)`, at any depth.
    fn tokens(&mut self, stream: TokenStream) -> TokenStream {
        let mut out: Vec<TokenTree> = Vec::new();
        for tree in stream {
            let after_encode_path = matches!(out.last(), Some(TokenTree::Ident(i)) if i == "encode_path");
            let tree = match tree {
                TokenTree::Group(g) if after_encode_path && g.delimiter() == Delimiter::Parenthesis => {
                    match self.borrowed_argument(&g) {
                        Some(arg) => {
                            self.rewritten += 1;
                            let mut new =
                                Group::new(Delimiter::Parenthesis, TokenStream::from(TokenTree::Ident(arg)));
                            new.set_span(g.span());
                            TokenTree::Group(new)
                        }
                        None => TokenTree::Group(g),
                    }
                }
                TokenTree::Group(g) => {
                    let mut new = Group::new(g.delimiter(), self.tokens(g.stream()));
                    new.set_span(g.span());
                    TokenTree::Group(new)
                }
                other => other,
            };
            out.push(tree);
        }
        out.into_iter().collect()
    }

    /// `<p>` when the group's tokens are exactly `& <p> . to_string ()`
    /// and `p` is a `&str` parameter.
    fn borrowed_argument(&self, g: &Group) -> Option<proc_macro2::Ident> {
        let trees: Vec<TokenTree> = g.stream().into_iter().collect();
        let [
            TokenTree::Punct(amp),
            TokenTree::Ident(p),
            TokenTree::Punct(dot),
            TokenTree::Ident(method),
            TokenTree::Group(args),
        ] = trees.as_slice()
        else {
            return None;
        };
        let matches = amp.as_char() == '&'
            && dot.as_char() == '.'
            && method == "to_string"
            && args.delimiter() == Delimiter::Parenthesis
            && args.stream().is_empty()
            && self.strs.iter().any(|s| p == s);
        matches.then(|| p.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn str_path_values_are_encoded_without_a_copy_and_others_keep_to_string() {
        let mut file: syn::File = syn::parse_quote! {
            impl Client {
                pub async fn op<'a>(&'a self, org: &'a str, team_id: i64, kind: types::Kind, name: &str) {
                    let url = format!(
                        "{}/orgs/{}/teams/{}/{}/{}", self.baseurl, encode_path(&org.to_string()),
                        encode_path(&team_id.to_string()), encode_path(&kind.to_string()),
                        encode_path(&name.to_string()),
                    );
                    let other = org.to_string();
                }
            }
        };
        assert_eq!(borrow(&mut file), 2);
        let text = quote::quote!(#file).to_string();
        assert!(text.contains("encode_path (org)"), "{text}");
        assert!(text.contains("encode_path (name)"), "{text}");
        assert!(text.contains("encode_path (& team_id . to_string ())"), "{text}");
        assert!(text.contains("encode_path (& kind . to_string ())"), "{text}");
        // Only the calls of `encode_path` change.
        assert!(text.contains("let other = org . to_string ()"), "{text}");
    }

    #[test]
    fn a_str_that_is_not_a_parameter_of_the_method_is_left_alone() {
        let mut file: syn::File = syn::parse_quote! {
            impl Client {
                pub async fn op(&self, org: String) {
                    let url = format!("{}/orgs/{}", self.baseurl, encode_path(&org.to_string()));
                }
            }
        };
        assert_eq!(borrow(&mut file), 0);
    }
}
