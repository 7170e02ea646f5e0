//! HTTP methods reqwest has no shorthand for. progenitor builds each request
//! with `self.client.<method>(url)`, and `reqwest::Client` has `get`, `put`,
//! `post`, `delete`, `patch` and `head`, but no `options` or `trace`:
//! Kubernetes' OPTIONS operations made a crate that did not compile. Such a
//! call becomes `self.client.request(::reqwest::Method::OPTIONS, url)`, the
//! same request.

use syn::visit_mut::{self, VisitMut};

/// The methods progenitor emits that `reqwest::Client` lacks, with the
/// `reqwest::Method` constant for each.
const WITHOUT_SHORTHAND: [(&str, &str); 2] = [("options", "OPTIONS"), ("trace", "TRACE")];

/// Rewrites every `<expr>.client.options(url)` (and `trace`) of
/// progenitor's code.
pub fn spell_out(file: &mut syn::File) {
    SpellOut.visit_file_mut(file);
}

struct SpellOut;

impl VisitMut for SpellOut {
    fn visit_expr_method_call_mut(&mut self, call: &mut syn::ExprMethodCall) {
        visit_mut::visit_expr_method_call_mut(self, call);
        let on_client = matches!(&*call.receiver, syn::Expr::Field(f)
            if matches!(&f.member, syn::Member::Named(n) if n == "client"));
        let Some((_, constant)) = WITHOUT_SHORTHAND.iter().find(|(m, _)| call.method == m) else {
            return;
        };
        if !on_client || call.args.len() != 1 {
            return;
        }
        let constant = syn::Ident::new(constant, call.method.span());
        call.method = syn::Ident::new("request", call.method.span());
        call.args
            .insert(0, syn::parse_quote!(::reqwest::Method::#constant));
    }
}

#[cfg(test)]
mod tests {
    use quote::ToTokens;

    use super::*;

    #[test]
    fn options_and_trace_become_requests_with_the_method() {
        let mut file: syn::File = syn::parse_quote! {
            fn f() {
                let a = self.client.options(url).headers(h).build();
                let b = self.client.trace(url);
                let c = self.client.get(url);
                let d = other.options(url);
            }
        };
        spell_out(&mut file);
        let text = file.to_token_stream().to_string();
        assert!(
            text.contains("self . client . request (:: reqwest :: Method :: OPTIONS , url) . headers (h)"),
            "{text}"
        );
        assert!(
            text.contains("self . client . request (:: reqwest :: Method :: TRACE , url)"),
            "{text}"
        );
        assert!(text.contains("self . client . get (url)"), "{text}");
        assert!(text.contains("other . options (url)"), "{text}");
    }
}
