//! progenitor 0.15 puts an `api-version` header (the spec's `info.version`)
//! on every request it builds; no vendor here wants it, and it tells every
//! server which spec revision a client came from. Its statement is taken
//! out of each raw request here, where the code is generated, rather than
//! stripped from every request at run time, and the header map progenitor
//! sized for it (`HeaderMap::with_capacity(n)`) is sized for one header
//! less: an operation without header parameters allocates none.

use syn::visit_mut::{self, VisitMut};

/// Removes every `header_map.append(HeaderName::from_static("api-version"), ..)`
/// statement from progenitor's module. Returns how many were removed.
pub fn remove(file: &mut syn::File) -> usize {
    let mut remover = Remover { removed: 0 };
    remover.visit_file_mut(file);
    remover.removed
}

struct Remover {
    removed: usize,
}

impl VisitMut for Remover {
    fn visit_block_mut(&mut self, block: &mut syn::Block) {
        let before = block.stmts.len();
        block.stmts.retain(|stmt| !is_stray_append(stmt));
        let removed = before - block.stmts.len();
        if removed > 0 {
            for stmt in &mut block.stmts {
                shrink_header_map(stmt, removed);
            }
        }
        self.removed += removed;
        visit_mut::visit_block_mut(self, block);
    }
}

/// In `let mut header_map = HeaderMap::with_capacity(<n>usize);`, takes
/// `removed` off `n`.
fn shrink_header_map(stmt: &mut syn::Stmt, removed: usize) {
    let syn::Stmt::Local(local) = stmt else { return };
    let named_header_map = matches!(&local.pat, syn::Pat::Ident(i) if i.ident == "header_map");
    let Some(init) = local.init.as_mut().filter(|_| named_header_map) else {
        return;
    };
    let syn::Expr::Call(call) = &mut *init.expr else {
        return;
    };
    let is_with_capacity = matches!(&*call.func, syn::Expr::Path(p)
        if p.path.segments.last().is_some_and(|s| s.ident == "with_capacity"));
    let Some(syn::Expr::Lit(syn::ExprLit {
        lit: syn::Lit::Int(n),
        ..
    })) = call.args.first_mut()
    else {
        return;
    };
    let Ok(capacity) = n.base10_parse::<usize>() else {
        return;
    };
    if is_with_capacity {
        *n = syn::LitInt::new(&format!("{}usize", capacity.saturating_sub(removed)), n.span());
    }
}

/// Whether `stmt` is progenitor's `header_map.append(<name "api-version">, ..);`.
fn is_stray_append(stmt: &syn::Stmt) -> bool {
    let syn::Stmt::Expr(syn::Expr::MethodCall(call), Some(_)) = stmt else {
        return false;
    };
    call.method == "append"
        && matches!(&*call.receiver, syn::Expr::Path(p) if p.path.is_ident("header_map"))
        && call.args.first().is_some_and(names_stray_header)
}

/// Whether the header-name argument is `HeaderName::from_static("api-version")`.
fn names_stray_header(arg: &syn::Expr) -> bool {
    let syn::Expr::Call(call) = arg else {
        return false;
    };
    let is_from_static = matches!(&*call.func, syn::Expr::Path(p)
        if p.path.segments.last().is_some_and(|s| s.ident == "from_static"));
    is_from_static
        && matches!(call.args.first(), Some(syn::Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(s), .. }))
            if s.value().eq_ignore_ascii_case("api-version"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_stray_header_statement_goes_and_nothing_else() {
        let mut file: syn::File = syn::parse_quote! {
            impl Client {
                pub async fn op(&self, x: Option<&str>) {
                    let mut header_map = ::reqwest::header::HeaderMap::with_capacity(2usize);
                    header_map.append(
                        ::reqwest::header::HeaderName::from_static("api-version"),
                        ::reqwest::header::HeaderValue::from_static(Client::api_version()),
                    );
                    if let Some(value) = x {
                        header_map.append(::reqwest::header::HeaderName::from_static("x-trace"), value.to_string().try_into()?);
                    }
                }
            }
        };
        assert_eq!(remove(&mut file), 1);
        let text = quote::quote!(#file).to_string();
        assert!(!text.contains("api-version"), "{text}");
        assert!(text.contains("x-trace"), "{text}");
        assert!(text.contains("HeaderMap :: with_capacity (1usize)"), "{text}");
    }
}
