//! The `mock` module of a client (its `mock` cargo feature): a mock server
//! of the API with a client already pointed at it, and per operation a
//! typed expectation, `<Op>When`, whose setters take the operation's own
//! input types (compared as the client sends them: the same
//! serializers write the expected value), and `<Op>Then`, one constructor
//! per response the spec documents, each built from the generated types
//! and checked against the spec when it is built (a status the operation
//! documents, a body that decodes as that status's type, a header the
//! status documents). `Then::raw` is the unchecked escape hatch for a
//! deliberate bad-vendor test. The machinery is client-core's `mock`.

use heck::ToSnakeCase;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use syn::visit::Visit;

use super::client::Wrapped;
use super::responses::PerStatus;

/// The methods of `<Op>When` and `<Op>Then` of their own: an input or a
/// status named like one gets a `with_` prefix.
const OWN_WHEN: [&str; 3] = ["times", "matching", "respond"];

/// Where progenitor's method puts one of its arguments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Sent {
    /// `QueryParam::new(name, &arg)`.
    Query(String),
    /// `header_map.append(name, arg.to_string().try_into()?)`, or the same
    /// inside `if let Some(value) = arg`.
    Header(String),
    /// `.json(&arg)`.
    Json,
}

/// What progenitor's method body does with its arguments, by name.
pub(crate) fn sent(block: &syn::Block) -> Vec<(String, Sent)> {
    #[derive(Default)]
    struct Find {
        found: Vec<(String, Sent)>,
        /// `if let Some(value) = arg`: the bindings in scope, innermost last.
        bound: Vec<(String, String)>,
    }
    fn ident_of(e: &syn::Expr) -> Option<String> {
        match e {
            syn::Expr::Reference(r) => ident_of(&r.expr),
            syn::Expr::Path(p) => p.path.get_ident().map(ToString::to_string),
            // `arg.to_string().try_into()?`: the receiver at the bottom.
            syn::Expr::Try(t) => ident_of(&t.expr),
            syn::Expr::MethodCall(m) => ident_of(&m.receiver),
            _ => None,
        }
    }
    impl Find {
        /// The argument a name stands for (`value` inside `if let Some(value) = arg`).
        fn argument(&self, name: String) -> String {
            self.bound
                .iter()
                .rev()
                .find(|(b, _)| *b == name)
                .map_or(name, |(_, arg)| arg.clone())
        }
    }
    impl<'ast> Visit<'ast> for Find {
        fn visit_expr_if(&mut self, e: &'ast syn::ExprIf) {
            let binding = match e.cond.as_ref() {
                syn::Expr::Let(l) => match (l.pat.as_ref(), ident_of(&l.expr)) {
                    (syn::Pat::TupleStruct(t), Some(arg)) => match t.elems.first() {
                        Some(syn::Pat::Ident(i)) => Some((i.ident.to_string(), arg)),
                        _ => None,
                    },
                    _ => None,
                },
                _ => None,
            };
            let pushed = binding.map(|b| self.bound.push(b)).is_some();
            syn::visit::visit_expr_if(self, e);
            if pushed {
                self.bound.pop();
            }
        }

        fn visit_expr_call(&mut self, call: &'ast syn::ExprCall) {
            if let syn::Expr::Path(p) = call.func.as_ref() {
                let segs: Vec<String> = p.path.segments.iter().map(|s| s.ident.to_string()).collect();
                if segs.ends_with(&["QueryParam".to_string(), "new".to_string()])
                    && let (
                        Some(syn::Expr::Lit(syn::ExprLit {
                            lit: syn::Lit::Str(name),
                            ..
                        })),
                        Some(arg),
                    ) = (call.args.first(), call.args.get(1))
                    && let Some(arg) = ident_of(arg)
                {
                    self.found.push((arg, Sent::Query(name.value())));
                }
            }
            syn::visit::visit_expr_call(self, call);
        }

        fn visit_expr_method_call(&mut self, call: &'ast syn::ExprMethodCall) {
            if call.method == "json"
                && call.args.len() == 1
                && let Some(arg) = call.args.first().and_then(ident_of)
            {
                self.found.push((arg, Sent::Json));
            }
            if call.method == "append"
                && ident_of(&call.receiver).as_deref() == Some("header_map")
                && let (
                    Some(syn::Expr::Lit(syn::ExprLit {
                        lit: syn::Lit::Str(name),
                        ..
                    })),
                    Some(value),
                ) = (call.args.first(), call.args.get(1))
                && !matches!(value, syn::Expr::Call(_))
                && let Some(arg) = ident_of(value)
            {
                let arg = self.argument(arg);
                self.found.push((arg, Sent::Header(name.value())));
            }
            syn::visit::visit_expr_method_call(self, call);
        }
    }
    let mut find = Find::default();
    find.visit_block(block);
    find.found
}

/// One typed facet of an operation's `<Op>When`.
pub(crate) struct Facet {
    /// The argument's name (the setter's, unless it is one of `When`'s own).
    pub name: syn::Ident,
    /// The value type the setter takes.
    pub ty: syn::Type,
    /// The statements that set it on `self.0` from `value`.
    pub set: TokenStream,
}

/// What the mock of one operation needs.
pub(crate) struct MockOp<'a> {
    pub index: usize,
    pub type_name: &'a syn::Ident,
    pub call: &'a Wrapped,
    pub method: &'a str,
    pub path: &'a str,
    pub per_status: Option<&'a PerStatus>,
    pub errors: Option<&'a PerStatus>,
    /// The statuses its responses document (`200`, `4XX`, `default`).
    pub statuses: Vec<String>,
    /// The media type of its first success's body, if it has one.
    pub media: Option<String>,
    /// Its documented response headers (lowercase), each with the statuses
    /// that document it.
    pub headers: Vec<(String, Vec<String>)>,
    /// Its item stream's framing, or an event stream (`None`).
    pub framing: Option<String>,
    /// An event's data is JSON (else text as it is).
    pub json_events: bool,
}

/// The `mock` module.
pub(crate) fn module(core: &syn::Ident, ops: &[MockOp<'_>]) -> TokenStream {
    let on = ops.iter().map(|op| {
        let (name, ty) = (&op.call.name, op.type_name);
        let when = format_ident!("{ty}When");
        let index = op.index;
        let doc = format!(
            " Expects `{} {}` ([`Client::{name}`](super::Client::{name})): narrow it with its inputs, then answer with [`{ty}Then`].",
            op.method, op.path
        );
        quote! {
            #[doc = #doc]
            pub fn #name(&self) -> #when {
                #when(self.0.when(#index))
            }
        }
    });
    let items = ops.iter().map(|op| op_items(core, op));
    quote! {
        /// Test support (the `mock` feature): a mock of the API on 127.0.0.1,
        /// a client already pointed at it with test credentials, and per
        /// operation a typed expectation, `<Op>When`, answered by one of
        /// the responses the spec documents, `<Op>Then`.
        ///
        /// Strict: a request no expectation matches fails the test (the
        /// report names the nearest operation and what differed), an
        /// expectation must be met (`times(n)`: exactly `n` times), and an
        /// answer the spec does not document for the operation is refused
        /// when it is built. Verified when the server is dropped.
        #[cfg(feature = "mock")]
        pub mod mock {
            #[allow(unused_imports)]
            use super::*;
            pub use #core::mock::{Answer, Mounted, Request, TOKEN, USER};

            /// A mock of the API: see [the module](self).
            #[derive(Debug)]
            pub struct MockServer(#core::mock::Server);

            impl MockServer {
                /// Starts the server on 127.0.0.1 (a port of its own), with the
                /// operations under the path of the spec's first server.
                pub async fn start() -> Self {
                    Self(#core::mock::Server::start(&API, SERVERS).await)
                }

                /// Starts the server with the operations under `base_path`
                /// instead (a proxy's prefix, an enterprise install's path).
                pub async fn start_at(base_path: &str) -> Self {
                    Self(#core::mock::Server::start_at(&API, base_path).await)
                }

                /// A client of the server: test credentials for every
                /// scheme ([`TOKEN`]), quick retries.
                pub fn client(&self) -> Client {
                    self.client_builder()
                        .build()
                        .unwrap_or_else(|e| ::std::panic!("the mock's client does not build: {e}"))
                }

                /// The builder of [`MockServer::client`], to change a setting first.
                pub fn client_builder(&self) -> ClientBuilder {
                    ClientBuilder(self.0.builder())
                }

                /// The base URL of the server's API.
                pub fn base_url(&self) -> ::std::string::String {
                    self.0.base_url()
                }

                /// The operations, one method each, to expect a request of.
                pub fn on(&self) -> On<'_> {
                    On(&self.0)
                }

                /// Every request received so far, in order.
                pub async fn received(&self) -> ::std::vec::Vec<Request> {
                    self.0.received().await
                }

                /// What went wrong so far (empty when nothing did).
                pub fn failures(&self) -> ::std::vec::Vec<::std::string::String> {
                    self.0.failures()
                }

                /// [`MockServer::failures`], then forgets the requests no
                /// expectation matched: for a test that provokes a miss and
                /// checks its report.
                pub fn take_failures(&self) -> ::std::vec::Vec<::std::string::String> {
                    self.0.take_failures()
                }

                /// Panics with [`MockServer::failures`], if there are any
                /// (dropping the server does too).
                pub fn verify(&self) {
                    self.0.verify()
                }
            }

            /// The operations of the API: `server.on().<operation>()`.
            #[derive(Debug, Clone, Copy)]
            pub struct On<'s>(&'s #core::mock::Server);

            impl On<'_> {
                #(#on)*
            }

            #(#items)*
        }
    }
}

/// `<Op>When` and `<Op>Then` of one operation.
fn op_items(core: &syn::Ident, op: &MockOp<'_>) -> TokenStream {
    let ty = op.type_name;
    let when = format_ident!("{ty}When");
    let then = format_ident!("{ty}Then");
    let method = &op.call.name;
    let facets = op.call.mock.iter().map(|f| {
        let (value_ty, set) = (&f.ty, &f.set);
        let name = match OWN_WHEN.contains(&f.name.to_string().as_str()) {
            true => format_ident!("with_{}", f.name),
            false => f.name.clone(),
        };
        let doc = format!(
            " Only a request whose `{}` is this value, as the client sends it.",
            f.name
        );
        quote! {
            #[doc = #doc]
            pub fn #name(mut self, value: #value_ty) -> Self {
                #set
                self
            }
        }
    });
    let when_doc = format!(
        " An expectation of [`Client::{method}`](super::Client::{method}): set from [`On::{method}`], answered by [`{then}`]."
    );
    let then_doc = format!(
        " An answer of [`Client::{method}`](super::Client::{method}): one constructor per documented response, checked against the spec when it is built."
    );
    let constructors = constructors(core, op);
    let check = check(op);
    let statuses = &op.statuses;
    let headers = op.headers.iter().map(|(h, s)| quote!((#h, &[#(#s),*])));
    let label = format!(
        "`{}` ({} {})",
        op.call.name.to_string().trim_start_matches("r#"),
        op.method,
        op.path
    );
    quote! {
        #[doc = #when_doc]
        #[must_use = "an expectation is set up by `respond`"]
        pub struct #when(#core::mock::When);

        impl #when {
            #(#facets)*
        }

        #[doc = #then_doc]
        #[derive(Debug, Clone)]
        pub struct #then(Answer);

        #core::mock_operation!(#when, #then, #label);

        impl #then {
            /// The statuses the operation documents.
            const STATUSES: &'static [&'static str] = &[#(#statuses),*];
            /// Its documented headers, each with the statuses that document it.
            const HEADERS: &'static [(&'static str, &'static [&'static str])] = &[#(#headers),*];

            #constructors

            #check
        }
    }
}

/// One constructor per documented response.
fn constructors(core: &syn::Ident, op: &MockOp<'_>) -> TokenStream {
    let mut out = Vec::new();
    let mut taken: Vec<String> = [
        "json",
        "raw",
        "network_failure",
        "delay",
        "header",
        "checked",
        "decodes",
        "documents",
    ]
    .iter()
    .map(ToString::to_string)
    .collect();
    let mut name = |wanted: String| {
        let mut n = crate::ident::not_keyword(wanted);
        while taken.contains(&n) {
            n.push('_');
        }
        taken.push(n.clone());
        format_ident!("{}", n)
    };
    // A status argument for a range or `default`.
    let status_arg = |status: &str| -> (TokenStream, TokenStream) {
        match status.parse::<u16>() {
            Ok(code) => (quote!(), quote!(#code)),
            Err(_) => (quote!(status: u16,), quote!(status)),
        }
    };
    let success = |s: &str| s.starts_with('2');
    // A constructor per variant of a per-status enum (`responses::<Op>`,
    // `errors::<Op>`), named after it, taking its body's type.
    let typed = |plan: &PerStatus,
                 what: &str,
                 name: &mut dyn FnMut(String) -> syn::Ident,
                 out: &mut Vec<TokenStream>| {
        for (ident, status, ty) in plan.answers() {
            let f = name(ident.to_string().to_snake_case());
            let (arg, code) = status_arg(status);
            let doc = format!(" The documented `{status}` {what}.");
            out.push(match ty {
                Some(t) => quote!(#[doc = #doc] pub fn #f(#arg body: #t) -> Self { Self::checked(Answer::json(#code, &body)) }),
                None => quote!(#[doc = #doc] pub fn #f(#arg) -> Self { Self::checked(Answer::empty(#code)) }),
            });
        }
    };
    match (op.per_status, &op.call.stream_answer) {
        (Some(plan), _) => {
            typed(plan, "answer", &mut name, &mut out);
        }
        (None, answer) => {
            for status in op.statuses.iter().filter(|s| success(s)) {
                // Named as a per-status enum's variant is (`ok`, `no_content`, `success`).
                let f = name(crate::adapt::variant_name(status).to_snake_case());
                let (arg, code) = status_arg(status);
                let doc = format!(" The documented `{status}` answer.");
                let media = op
                    .media
                    .clone()
                    .unwrap_or_else(|| "application/octet-stream".into());
                out.push(match answer {
                    StreamAnswer::Items(item) => {
                        let framing = super::framing_tokens(core, op.framing.as_deref().unwrap_or_default());
                        quote!(#[doc = #doc] pub fn #f(#arg items: ::std::vec::Vec<#item>) -> Self {
                            Self::checked(Answer::items(#code, #framing, #media, &items))
                        })
                    }
                    StreamAnswer::Events(event) => {
                        let data = match op.json_events {
                            true => quote!(::serde_json::to_string(e).unwrap_or_else(|e| ::std::panic!("an event cannot be serialized: {e}"))),
                            false => quote!(::std::string::ToString::to_string(e)),
                        };
                        quote!(#[doc = #doc] pub fn #f(#arg events: ::std::vec::Vec<#event>) -> Self {
                            Self::checked(Answer::events(#code, events.iter().map(|e| #data)))
                        })
                    }
                    StreamAnswer::Bytes => quote!(#[doc = #doc] pub fn #f(#arg content: impl ::std::convert::Into<::std::vec::Vec<u8>>) -> Self {
                        Self::checked(Answer::bytes(#code, #media, content))
                    }),
                    StreamAnswer::Empty => quote!(#[doc = #doc] pub fn #f(#arg) -> Self { Self::checked(Answer::empty(#code)) }),
                    StreamAnswer::Json(t) => quote!(#[doc = #doc] pub fn #f(#arg body: #t) -> Self { Self::checked(Answer::json(#code, &body)) }),
                });
            }
        }
    }
    if let Some(plan) = op.errors {
        typed(plan, "error", &mut name, &mut out);
    }
    quote!(#(#out)*)
}

/// What a success answer of an operation without a per-status enum is.
pub(crate) enum StreamAnswer {
    /// A JSON body of this type.
    Json(syn::Type),
    /// No body.
    Empty,
    /// A download: bytes.
    Bytes,
    /// Server-sent events of this payload.
    Events(syn::Type),
    /// Items of this type.
    Items(syn::Type),
}

/// `decodes`: whether a body decodes as the type of its status.
fn check(op: &MockOp<'_>) -> TokenStream {
    let success = match (op.per_status, &op.call.stream_answer) {
        (Some(plan), _) => {
            let name = &plan.name;
            quote!(responses::#name::decode(status, body).map(|_| ()).map_err(|e| e.to_string()))
        }
        (None, StreamAnswer::Json(t)) => {
            quote!(::serde_json::from_slice::<#t>(body).map(|_| ()).map_err(|e| e.to_string()))
        }
        (None, _) => quote!(::std::result::Result::Ok(())),
    };
    let error = match op.errors {
        Some(plan) => {
            let name = &plan.name;
            quote!(errors::#name::documented(status, body).map(|_| ()).ok_or_else(|| ::std::string::String::from("the body does not decode as the type the spec documents for this status")))
        }
        None => quote!(::std::result::Result::Ok(())),
    };
    let uses_body = op.per_status.is_some()
        || op.errors.is_some()
        || matches!(op.call.stream_answer, StreamAnswer::Json(_));
    let body = match uses_body {
        true => format_ident!("body"),
        false => format_ident!("_body"),
    };
    quote! {
        /// Whether `body` decodes as the type the spec documents for `status`.
        fn decodes(status: u16, #body: &[u8]) -> ::std::result::Result<(), ::std::string::String> {
            let ::std::result::Result::Ok(status) = ::reqwest::StatusCode::from_u16(status) else {
                return ::std::result::Result::Err(::std::format!("{status} is not an HTTP status"));
            };
            if status.is_success() { #success } else { #error }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn where_progenitors_method_puts_each_argument_is_read_off_its_body() {
        let block: syn::Block = syn::parse_quote!({
            let mut header_map = ::reqwest::header::HeaderMap::with_capacity(3usize);
            header_map.append(
                ::reqwest::header::HeaderName::from_static("api-version"),
                ::reqwest::header::HeaderValue::from_static(Client::api_version()),
            );
            header_map.append("X-Request-Id", request_id.to_string().try_into()?);
            if let Some(value) = x_trace {
                header_map.append("X-Trace", value.to_string().try_into()?);
            }
            let request = self
                .client
                .put(url)
                .json(&body)
                .query(&progenitor_client::QueryParam::new("dry-run", &dry_run))
                .headers(header_map)
                .build()?;
        });
        assert_eq!(
            sent(&block),
            [
                ("request_id".to_string(), Sent::Header("X-Request-Id".into())),
                ("x_trace".to_string(), Sent::Header("X-Trace".into())),
                ("body".to_string(), Sent::Json),
                ("dry_run".to_string(), Sent::Query("dry-run".into())),
            ]
        );
    }
}
