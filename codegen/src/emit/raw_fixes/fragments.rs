//! A path key with a fragment (`/#X-Amz-Target=CertificateManager.AddTagsToCertificate`,
//! `/analyze#overload=stream`: how APIs.guru's conversion keeps several
//! operations on one path apart, over 200 of its APIs) names an operation,
//! not a place: a fragment is never sent. progenitor writes it into the
//! request URL (`format!("{}/#X-Amz-Target=...", self.baseurl)`), and the
//! endpoint check refuses a URL with a fragment, so every such operation
//! failed at run time. The fragment is taken out of each raw request's URL
//! here, and out of the operation table's path ([`wire_path`]).

use proc_macro2::{TokenStream, TokenTree};
use quote::ToTokens as _;
use syn::visit_mut::{self, VisitMut};

/// The part of a path template that is sent: everything before a `#`,
/// unless the fragment holds a path parameter (`/r#/{id}`), which no
/// request could send: then the whole template, as progenitor wrote it
/// (the endpoint check refuses such a call, as before).
pub fn wire_path(template: &str) -> &str {
    match template.split_once('#') {
        Some((path, fragment)) if !fragment.contains('{') => path,
        _ => template,
    }
}

/// Cuts the fragment from the string literal that starts each `format!`
/// of progenitor's code (its request URLs). Returns how many were cut.
pub fn cut(file: &mut syn::File) -> usize {
    let mut cutter = Cutter { cut: 0 };
    cutter.visit_file_mut(file);
    cutter.cut
}

struct Cutter {
    cut: usize,
}

impl VisitMut for Cutter {
    fn visit_macro_mut(&mut self, mac: &mut syn::Macro) {
        visit_mut::visit_macro_mut(self, mac);
        if !mac.path.is_ident("format") {
            return;
        }
        let mut tokens: Vec<TokenTree> = mac.tokens.clone().into_iter().collect();
        let Some(TokenTree::Literal(first)) = tokens.first() else {
            return;
        };
        let Ok(syn::Lit::Str(text)) = syn::parse2::<syn::Lit>(first.to_token_stream()) else {
            return;
        };
        let value = text.value();
        // A URL: the base URL's placeholder, then a path.
        if !value.starts_with("{}/") || !value.contains('#') {
            return;
        }
        let kept = wire_path(&value);
        if kept.len() == value.len() {
            return;
        }
        let mut literal = proc_macro2::Literal::string(kept);
        literal.set_span(first.span());
        tokens[0] = TokenTree::Literal(literal);
        mac.tokens = tokens.into_iter().collect::<TokenStream>();
        self.cut += 1;
    }
}

#[cfg(test)]
mod tests {
    use quote::ToTokens;

    use super::*;

    #[test]
    fn the_fragment_leaves_request_urls_and_nothing_else() {
        let mut file: syn::File = syn::parse_quote! {
            fn f() {
                let url = format!("{}/#X-Amz-Target=Acm.AddTags", self.baseurl,);
                let other = format!("{}/items/{}", self.baseurl, id);
                let text = format!("a # b {}", x);
            }
        };
        assert_eq!(cut(&mut file), 1);
        let text = file.to_token_stream().to_string();
        assert!(text.contains("format ! (\"{}/\" , self . baseurl ,)"), "{text}");
        assert!(text.contains("\"{}/items/{}\""), "{text}");
        assert!(text.contains("\"a # b {}\""), "{text}");
        assert_eq!(wire_path("/analyze#overload=stream"), "/analyze");
        assert_eq!(wire_path("/items/{id}"), "/items/{id}");
        // A parameter in the fragment keeps it: its argument must stay.
        assert_eq!(wire_path("/r#/{id}"), "/r#/{id}");
        let mut kept: syn::File = syn::parse_quote! {
            fn f() { let url = format!("{}/r#/{}", self.baseurl, id); }
        };
        assert_eq!(cut(&mut kept), 0);
    }
}
