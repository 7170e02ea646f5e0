//! The client layer every API gets on top of progenitor's output, so a
//! folder holding only a vendor's spec yields a client a team can use:
//!
//! - `Client::builder()`: `.base_url`, one setter per security scheme (and,
//!   for the schemes that take a token, a `<setter>_provider` taking a
//!   `TokenProvider` whose tokens are refreshed), `.user_agent`, `.timeout`, `.connect_timeout`, `.allow_http`,
//!   `.retry(RetryPolicy)` and `.retry_off()`, `.build()`;
//! - one async method per operation, with progenitor's arguments (path
//!   parameters in path order, then query, then body), returning
//!   `Result<Response<T, headers::<Op>>, Error>`: the typed body, the
//!   status and the headers, with an accessor per documented header
//!   ([`super::headers`]); one error type per crate, whose vendor part is
//!   generated from the spec's error responses, and which carries the
//!   operation's documented error typed (`errors::<Op>`);
//! - a static table of the operations (method, path template, query
//!   names, security), which the runtime's hooks use to authenticate each
//!   call and to check the URL that leaves against its template.
//!
//! progenitor's module is kept whole inside a private `raw` module.

use std::collections::BTreeMap;

use proc_macro2::{Span, TokenStream};
use quote::{ToTokens, format_ident, quote};
use serde_json::{Map, Value};

use crate::document;
use crate::emit::headers::Headers;
use crate::emit::layer::Layer;
use crate::emit::responses::PerStatus;
use crate::emit::security::{self, Kind, Scheme};
use crate::emit::servers::{self, Servers};
use crate::error::{Diagnostic, Result};
use crate::manifest::Manifest;

/// The runtime crate the generated code calls.
pub(crate) const CORE: &str = "usergroup_client_core";

/// One method progenitor generated.
struct RawMethod {
    sig: syn::Signature,
    docs: Vec<syn::Attribute>,
    /// Where its body puts its arguments (for the mock's facets).
    sent: Vec<(String, super::mock::Sent)>,
}

/// One operation of the spec, as the table and its method need it.
struct Op {
    id: String,
    /// The method sent on the wire.
    method: String,
    /// The method progenitor's request is made with, when the operation's
    /// own has no slot in 3.0 (`QUERY`): the layer sends it as `method`.
    carrier: Option<String>,
    path: String,
    query: Vec<String>,
    security: Vec<Vec<usize>>,
    min_items: Option<(u64, bool)>,
    /// Whether progenitor's method takes a body (its last argument).
    has_body: bool,
    /// What the layer sends itself.
    layer: Layer,
    /// Its success statuses, when they differ in type (a `responses` enum).
    statuses: Option<crate::adapt::Statuses>,
    /// Its documented error statuses (an `errors` enum).
    errors: Option<crate::adapt::Statuses>,
    /// Its success is a stream of server-sent events.
    events: Option<crate::adapt::Events>,
    /// The headers its responses document.
    headers: Headers,
    /// How it pages, if it does.
    pages: Option<crate::adapt::Paging>,
    /// The statuses its responses document (`200`, `4XX`, `default`).
    responses: Vec<String>,
    /// The media type of its first success's body.
    media: Option<String>,
}

/// What the layer needs from the pipeline.
pub struct Input<'a> {
    /// The API's manifest.
    pub manifest: &'a Manifest,
    /// The validated document progenitor generated from.
    pub doc: &'a Value,
    /// progenitor's module.
    pub raw: &'a syn::File,
    /// The file named in errors.
    pub file: &'a str,
}

/// The whole generated module: the layer, then progenitor's items in `raw`.
/// Returns the tokens and the notes (schemes left out).
pub fn module(input: &Input<'_>) -> Result<(TokenStream, Vec<String>)> {
    let core = syn::Ident::new(CORE, Span::call_site());
    let (schemes, mut notes) = security::schemes(input.doc);
    let ops = operations(input.doc, &schemes);
    let methods = raw_methods(input.raw);
    check_pairing(&ops, &methods, input)?;
    let servers = servers::servers(input.doc);
    let vendor = VendorErrors::of(&methods);
    let title = input
        .doc
        .pointer("/info/title")
        .and_then(Value::as_str)
        .unwrap_or(&input.manifest.api)
        .to_string();

    let api_static = api_static(&core, &title, &servers, &schemes, &ops, input.manifest);
    let builder = builder(&core, &schemes, input.manifest);
    let client_docs = client_docs(&title, &servers, &schemes);
    let setters = schemes
        .iter()
        .enumerate()
        .map(|(i, s)| client_setter(&core, i, s, input.manifest));
    let type_names = super::request::type_names(ops.iter().map(|o| o.id.as_str()));
    // At the operation's pointer, so that the generate stage can leave the
    // operation out instead of refusing the API.
    let disagree = |op: &Op, e: String| {
        let at = crate::document::pointer(
            &crate::document::pointer("/paths", &op.path),
            &op.method.to_lowercase(),
        );
        Diagnostic::at(input.file, at, format!("{} {}: {e}", op.method, op.path))
            .context(format!("api `{}`", input.manifest.api))
            .help("report this: the client layer and progenitor disagree")
    };
    let per_status = ops
        .iter()
        .zip(&type_names)
        .map(|(op, name)| match &op.statuses {
            Some(s) => PerStatus::plan(s, name.clone(), input.raw)
                .map(Some)
                .map_err(|e| disagree(op, e)),
            None => Ok(None),
        })
        .collect::<std::result::Result<Vec<_>, _>>()?;
    let errors = ops
        .iter()
        .zip(&type_names)
        .map(|(op, name)| match &op.errors {
            Some(s) => PerStatus::plan(s, name.clone(), input.raw)
                .map(Some)
                .map_err(|e| disagree(op, e)),
            None => Ok(None),
        })
        .collect::<std::result::Result<Vec<_>, _>>()?;
    let wrapped = ops
        .iter()
        .zip(per_status.iter().zip(&errors))
        .enumerate()
        .map(|(i, (op, (typed, errors)))| {
            let enums = Enums {
                per_status: typed.as_ref().map(|t| &t.name),
                only_body: typed.as_ref().and_then(PerStatus::only_body),
                errors: errors.as_ref().map(|t| &t.name),
            };
            wrapper(&core, i, op, &methods[&op.id], &vendor, input.raw, enums).map_err(|e| disagree(op, e))
        })
        .collect::<std::result::Result<Vec<_>, _>>()?;
    notes.extend(wrapped.iter().filter_map(|w| w.page_note.clone()));
    let requests = super::request::Requests::of(&wrapped, &type_names);
    notes.extend(requests.notes());
    let (wrappers, request_items) = (requests.methods(), requests.items());
    let headers_items = ops
        .iter()
        .zip(&type_names)
        .zip(&wrapped)
        .map(|((op, name), w)| op.headers.item(&core, name, &w.name.to_string()));
    let errors_items: Vec<TokenStream> = errors
        .iter()
        .zip(&wrapped)
        .filter_map(|(e, w)| Some(e.as_ref()?.error_item(&core, &w.name.to_string())))
        .collect();
    let errors_module = (!errors_items.is_empty()).then(|| {
        quote! {
            /// The errors each operation documents: one enum per operation
            /// whose spec documents error statuses, a variant per status
            /// with its typed body. `Error::Api` carries the operation's.
            pub mod errors {
                #[allow(unused_imports)]
                use super::*;

                #(#errors_items)*
            }
        }
    });
    let per_status: Vec<&PerStatus> = per_status.iter().flatten().collect();
    let helpers: Vec<String> = per_status
        .iter()
        .copied()
        .chain(errors.iter().flatten())
        .map(|p| p.helper.clone())
        .chain(ops.iter().filter_map(|o| o.events.as_ref()?.helper.clone()))
        .collect();
    let responses_module = (!per_status.is_empty()).then(|| {
        let items = per_status.iter().map(|p| p.item());
        quote! {
            /// What an operation whose success statuses differ in type
            /// returns: one enum per such operation, a variant per status.
            pub mod responses {
                #[allow(unused_imports)]
                use super::*;

                #(#items)*
            }
        }
    });
    let mock_ops: Vec<super::mock::MockOp<'_>> = ops
        .iter()
        .zip(&wrapped)
        .zip(&type_names)
        .enumerate()
        .map(|(index, ((op, call), type_name))| super::mock::MockOp {
            index,
            type_name,
            call,
            method: &op.method,
            path: &op.path,
            per_status: per_status.iter().copied().find(|p| p.name == *type_name),
            errors: errors.iter().flatten().find(|p| p.name == *type_name),
            statuses: op.responses.clone(),
            media: op
                .events
                .as_ref()
                .and_then(|e| e.media.clone())
                .or_else(|| op.media.clone()),
            headers: op.headers.documented(),
            framing: op.events.as_ref().and_then(|e| e.framing.clone()),
            json_events: op.events.as_ref().is_some_and(|e| e.helper.is_some()),
        })
        .collect();
    let mock_module = super::mock::module(&core, &mock_ops);
    let vendor_items = vendor.items(&core);
    let raw_items = super::responses::without_helpers(input.raw, &helpers);
    // progenitor's client, for the operations' requests: none without
    // operations (a webhooks-only API), where it would be dead code.
    let raw_client = (!ops.is_empty()).then(|| {
        quote! {
            fn raw(&self, call: #core::Call) -> raw::Client {
                raw::Client {
                    baseurl: self.connection.base_url().to_string(),
                    client: self.connection.http().clone(),
                    inner: call,
                }
            }
        }
    });
    let tokens = quote! {
        pub use self::raw::types;
        pub use #core::{ByteStream, ConfigError, Event, EventStream, HeaderError, ItemStream, Items, Link, Links, Pages, Response, RetryAfter, RetryPolicy, Secret, Token, TokenError, TokenProvider};

        /// An error from a call: the HTTP status, headers and the vendor's
        /// error body when the server answered, a decode error, a timeout,
        /// a network failure, or an argument refused before sending.
        pub type Error = #core::Error<VendorError>;

        #vendor_items

        #api_static

        #builder

        #(#client_docs)*
        #[derive(Clone, Debug)]
        pub struct Client {
            connection: #core::Connection,
        }

        impl Client {
            /// Starts a client; see [`ClientBuilder`].
            pub fn builder() -> ClientBuilder {
                ClientBuilder(#core::Builder::new(&API))
            }

            /// The base URL requests go to, without a trailing slash.
            pub fn base_url(&self) -> &str {
                self.connection.base_url()
            }

            #raw_client

            #(#setters)*

            #(#wrappers)*
        }

        /// One value per operation, returned by its [`Client`] method with the
        /// required inputs: optional ones are set on it, one setter each,
        /// and it is sent by `.send().await`, or `.await`.
        pub mod requests {
            #[allow(unused_imports)]
            use super::*;

            #request_items
        }

        #responses_module

        #errors_module

        /// Each operation's response headers: every header by name, and a
        /// typed accessor for each one its spec documents.
        pub mod headers {
            #[allow(unused_imports)]
            use super::*;

            #(#headers_items)*
        }

        #mock_module

        #core::impl_client_hooks!(raw::Client);

        /// progenitor's output: the types and the raw requests.
        #[allow(clippy::all, clippy::pedantic, unused, unreachable_pub, non_camel_case_types)]
        mod raw {
            #(#raw_items)*
        }
    };
    Ok((tokens, notes))
}

/// The operations in table order: paths sorted, then methods in order.
fn operations(doc: &Value, schemes: &[Scheme]) -> Vec<Op> {
    document::operations(doc)
        .into_iter()
        .filter_map(|o| {
            let op = o.op.as_object()?;
            let id = op.get("operationId").and_then(Value::as_str)?;
            let layer = Layer::of(op);
            let mut query = query_names(doc, o.item, op);
            query.extend(layer.plain_query());
            query.sort();
            query.dedup();
            Some(Op {
                id: id.to_string(),
                method: o.http_method(),
                carrier: o.carried_as().map(|_| o.method.to_uppercase()),
                path: super::raw_fixes::fragments::wire_path(o.path).to_string(),
                query,
                security: security::requirements(doc, op, schemes),
                min_items: body_min_items(doc, op),
                has_body: op.contains_key("requestBody"),
                layer,
                statuses: crate::adapt::Statuses::of(op, crate::adapt::STATUSES_KEY),
                errors: crate::adapt::Statuses::of(op, crate::adapt::ERRORS_KEY),
                events: crate::adapt::Events::of(op),
                headers: Headers::of(doc, op),
                pages: crate::adapt::Paging::of(op),
                responses: op
                    .get("responses")
                    .and_then(Value::as_object)
                    .map(|r| r.keys().cloned().collect())
                    .unwrap_or_default(),
                media: success_media(doc, op),
            })
        })
        .collect()
}

/// The media type of the first success response's body, if it has one.
fn success_media(doc: &Value, op: &Map<String, Value>) -> Option<String> {
    let responses = op.get("responses")?.as_object()?;
    let (_, response) = responses.iter().find(|(s, _)| s.starts_with('2'))?;
    let content = document::resolve(doc, response)?.get("content")?.as_object()?;
    content.keys().next().cloned()
}

fn query_names(doc: &Value, item: &Value, op: &Map<String, Value>) -> Vec<String> {
    let lists = [item.get("parameters"), op.get("parameters")];
    let mut names: Vec<String> = lists
        .into_iter()
        .flatten()
        .filter_map(Value::as_array)
        .flatten()
        .filter_map(|p| document::resolve(doc, p))
        .filter(|p| p.get("in").and_then(Value::as_str) == Some("query"))
        .filter_map(|p| p.get("name").and_then(Value::as_str).map(str::to_string))
        .collect();
    names.sort();
    names.dedup();
    names
}

/// `minItems` of a JSON array request body, which the method checks before
/// sending (progenitor takes any slice).
/// With whether a body is always given: progenitor takes an `Option` for
/// one that may be null (Discord's member lists, `type: [array, null]`),
/// and only a body given is checked.
fn body_min_items(doc: &Value, op: &Map<String, Value>) -> Option<(u64, bool)> {
    let body = document::resolve(doc, op.get("requestBody")?)?;
    let schema = document::resolve(doc, body.pointer("/content/application~1json/schema")?)?;
    let required = schema.get("nullable") != Some(&Value::Bool(true));
    if schema.get("type").and_then(Value::as_str) != Some("array") {
        return None;
    }
    let n = schema
        .get("minItems")
        .and_then(Value::as_u64)
        .filter(|n| *n > 0)?;
    Some((n, required))
}

/// progenitor's operation methods: the `async fn`s of `impl Client`.
fn raw_methods(file: &syn::File) -> BTreeMap<String, RawMethod> {
    let mut out = BTreeMap::new();
    for item in &file.items {
        let syn::Item::Impl(imp) = item else { continue };
        if imp.trait_.is_some() {
            continue;
        }
        for it in &imp.items {
            let syn::ImplItem::Fn(f) = it else { continue };
            if f.sig.asyncness.is_none() {
                continue;
            }
            let docs = f
                .attrs
                .iter()
                .filter(|a| a.path().is_ident("doc"))
                .cloned()
                .collect();
            out.insert(
                f.sig.ident.to_string(),
                RawMethod {
                    sig: f.sig.clone(),
                    docs,
                    sent: super::mock::sent(&f.block),
                },
            );
        }
    }
    out
}

/// Every operation has its progenitor method and the other way round: the
/// operation names were made Rust names before progenitor ran.
fn check_pairing(ops: &[Op], methods: &BTreeMap<String, RawMethod>, input: &Input<'_>) -> Result<()> {
    for op in ops {
        if !methods.contains_key(&op.id) {
            return Err(Diagnostic::file(
                input.file,
                format!(
                    "progenitor generated no method `{}` for {} {}",
                    op.id, op.method, op.path
                ),
            )
            .context(format!("api `{}`", input.manifest.api))
            .help("report this: the operation naming and progenitor disagree")
            .into());
        }
    }
    if let Some(extra) = methods.keys().find(|m| !ops.iter().any(|o| &o.id == *m)) {
        return Err(Diagnostic::file(
            input.file,
            format!("progenitor generated a method `{extra}` that no operation names"),
        )
        .context(format!("api `{}`", input.manifest.api))
        .help("report this: the operation naming and progenitor disagree")
        .into());
    }
    Ok(())
}

/// The crate's vendor error type: the one error schema every operation
/// uses, or an enum of them, or any JSON when the spec types none.
struct VendorErrors {
    /// The distinct error types, by their tokens.
    types: Vec<(String, syn::Type)>,
}

impl VendorErrors {
    fn of(methods: &BTreeMap<String, RawMethod>) -> Self {
        let mut types: Vec<(String, syn::Type)> = Vec::new();
        for m in methods.values() {
            if let Some(t) = error_type(&m.sig)
                && let key = t.to_token_stream().to_string()
                && !matches!(key.as_str(), "()" | "ByteStream")
                && !types.iter().any(|(k, _)| *k == key)
            {
                types.push((key, t));
            }
        }
        types.sort_by(|a, b| a.0.cmp(&b.0));
        Self { types }
    }

    fn variant(t: &syn::Type) -> syn::Ident {
        let name = match t {
            syn::Type::Path(p) => p
                .path
                .segments
                .last()
                .map(|s| s.ident.to_string())
                .unwrap_or_default(),
            _ => String::new(),
        };
        format_ident!(
            "{}",
            if name.is_empty() || name == "Other" {
                "Body".to_string()
            } else {
                name
            }
        )
    }

    fn decoder_name(key: &str) -> syn::Ident {
        let cleaned: String = key
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() {
                    c.to_ascii_lowercase()
                } else {
                    '_'
                }
            })
            .collect();
        let parts: Vec<&str> = cleaned.split('_').filter(|p| !p.is_empty()).collect();
        format_ident!("vendor_error_{}", parts.join("_"))
    }

    /// The decoder a method of error type `t` uses.
    fn decoder(&self, core: &syn::Ident, t: Option<&syn::Type>) -> TokenStream {
        let key = t.map(|t| t.to_token_stream().to_string()).unwrap_or_default();
        match self.types.len() {
            0 | 1 => quote!(#core::decode_json::<VendorError>),
            _ if self.types.iter().any(|(k, _)| *k == key) => {
                let name = Self::decoder_name(&key);
                quote!(#name)
            }
            _ => quote!(vendor_error_any),
        }
    }

    fn items(&self, core: &syn::Ident) -> TokenStream {
        match self.types.as_slice() {
            [] => quote! {
                /// The vendor's error body: the spec types none, so any JSON.
                pub type VendorError = ::serde_json::Value;
            },
            [(_, t)] => quote! {
                /// The vendor's error body, as the spec describes it.
                pub type VendorError = #t;
            },
            many => {
                let variants = many.iter().map(|(_, t)| {
                    let v = Self::variant(t);
                    quote!(#[doc = "The error body of the operations that declare this schema."] #v(#t),)
                });
                let decoders = many.iter().map(|(key, t)| {
                    let name = Self::decoder_name(key);
                    let v = Self::variant(t);
                    quote! {
                        fn #name(body: &[u8]) -> ::std::option::Option<VendorError> {
                            #core::decode_json::<#t>(body).map(VendorError::#v).or_else(|| vendor_error_any(body))
                        }
                    }
                });
                quote! {
                    /// The vendor's error body: each operation's declared error
                    /// schema, or other JSON the server sent.
                    #[derive(Clone, Debug)]
                    pub enum VendorError {
                        #(#variants)*
                        /// JSON that is not the operation's declared error schema.
                        Other(::serde_json::Value),
                    }

                    fn vendor_error_any(body: &[u8]) -> ::std::option::Option<VendorError> {
                        #core::decode_json::<::serde_json::Value>(body).map(VendorError::Other)
                    }

                    #(#decoders)*
                }
            }
        }
    }
}

/// `E` of `Result<ResponseValue<T>, Error<E>>`.
fn error_type(sig: &syn::Signature) -> Option<syn::Type> {
    let args = result_args(sig)?;
    let syn::Type::Path(err) = args.get(1)? else {
        return None;
    };
    match &err.path.segments.last()?.arguments {
        syn::PathArguments::AngleBracketed(a) => match a.args.first()? {
            syn::GenericArgument::Type(t) => Some(t.clone()),
            _ => None,
        },
        _ => Some(syn::parse_quote!(())),
    }
}

/// `T` of `Result<ResponseValue<T>, Error<E>>`.
fn ok_type(sig: &syn::Signature) -> Option<syn::Type> {
    let args = result_args(sig)?;
    let syn::Type::Path(rv) = args.first()? else {
        return None;
    };
    match &rv.path.segments.last()?.arguments {
        syn::PathArguments::AngleBracketed(a) => match a.args.first()? {
            syn::GenericArgument::Type(t) => Some(t.clone()),
            _ => None,
        },
        _ => None,
    }
}

fn result_args(sig: &syn::Signature) -> Option<Vec<syn::Type>> {
    let syn::ReturnType::Type(_, ty) = &sig.output else {
        return None;
    };
    let syn::Type::Path(p) = ty.as_ref() else {
        return None;
    };
    let syn::PathArguments::AngleBracketed(a) = &p.path.segments.last()?.arguments else {
        return None;
    };
    Some(
        a.args
            .iter()
            .filter_map(|g| match g {
                syn::GenericArgument::Type(t) => Some(t.clone()),
                _ => None,
            })
            .collect(),
    )
}

fn doc_lines(text: &str) -> Vec<TokenStream> {
    text.lines()
        .map(|l| {
            let line = format!(" {l}");
            quote!(#[doc = #line])
        })
        .collect()
}

fn client_docs(title: &str, servers: &Servers, schemes: &[Scheme]) -> Vec<TokenStream> {
    let mut text = format!(
        "A client for the {title}. Cheap to clone: clones share the connection pool and the credentials.\n"
    );
    match &servers.default {
        Ok(url) => text.push_str(&format!(
            "\nRequests go to `{url}` unless [`ClientBuilder::base_url`] names another server.\n"
        )),
        Err(reason) => text.push_str(&format!(
            "\nThere is no default server ({reason}): give one with [`ClientBuilder::base_url`].\n"
        )),
    }
    if !servers.listed.is_empty() {
        text.push_str("\nThe servers the spec lists:\n\n");
        for s in &servers.listed {
            text.push_str(&format!("- `{}`", s.url));
            if let Some(name) = &s.name {
                text.push_str(&format!(" ({})", crate::docs::one_line(name)));
            }
            if let Some(d) = &s.description {
                text.push_str(&format!(": {}", crate::docs::one_line(d)));
            }
            text.push('\n');
        }
    }
    if !schemes.is_empty() {
        text.push_str("\nCredentials, one builder setter per security scheme of the spec (each operation sends the ones it declares):\n\n");
        for s in schemes {
            text.push_str(&format!("- [`ClientBuilder::{}`] (`{}`)", s.setter, s.key));
            if s.deprecated {
                text.push_str(", deprecated by the vendor");
            }
            if let Some(d) = &s.description {
                text.push_str(&format!(": {}", crate::docs::one_line(d)));
            }
            for flow in &s.flows {
                text.push_str(if text.ends_with('.') { " " } else { ". " });
                text.push_str(flow);
            }
            text.push('\n');
        }
    }
    doc_lines(&text)
}

fn api_static(
    core: &syn::Ident,
    title: &str,
    servers: &Servers,
    schemes: &[Scheme],
    ops: &[Op],
    m: &Manifest,
) -> TokenStream {
    let (default, reason) = match &servers.default {
        Ok(url) => (quote!(::std::option::Option::Some(#url)), String::new()),
        Err(reason) => (quote!(::std::option::Option::None), reason.clone()),
    };
    let scheme_items = schemes.iter().map(|s| {
        let key = &s.key;
        let kind = match &s.kind {
            Kind::Header(n) => quote!(#core::SchemeKind::Header(#n)),
            Kind::Query(n) => quote!(#core::SchemeKind::Query(#n)),
            Kind::Cookie(n) => quote!(#core::SchemeKind::Cookie(#n)),
            Kind::Bearer => quote!(#core::SchemeKind::Bearer),
            Kind::Basic => quote!(#core::SchemeKind::Basic),
            Kind::Authorization(w) => quote!(#core::SchemeKind::Authorization(#w)),
        };
        quote!(#core::Scheme { key: #key, kind: #kind },)
    });
    let op_items = ops.iter().map(|o| {
        let (id, method, path) = (&o.id, &o.method, &o.path);
        let query = &o.query;
        let deep = o.layer.deep_query();
        let content_type = match o.layer.content_type() {
            Some(c) => quote!(::std::option::Option::Some(#c)),
            None => quote!(::std::option::Option::None),
        };
        let security = o.security.iter().map(|alt| quote!(&[#(#alt),*]));
        quote!(#core::Operation { id: #id, method: #method, path: #path, query: &[#(#query),*], deep_query: &[#(#deep),*], content_type: #content_type, security: &[#(#security),*] },)
    });
    let headers = m.headers.iter().map(|(k, v)| {
        let k = k.to_ascii_lowercase();
        quote!((#k, #v),)
    });
    let agent = match &m.user_agent {
        Some(a) => quote!(#a),
        None => quote!(::std::concat!(
            ::std::env!("CARGO_PKG_NAME"),
            "/",
            ::std::env!("CARGO_PKG_VERSION")
        )),
    };
    let timeout = m.timeout_secs;
    let listed = servers.listed.iter().map(|s| &s.url);
    quote! {
        /// The base URLs the spec's `servers` list, in its order (a server
        /// variable left as `{name}`): `Client::builder().base_url(SERVERS[i])`
        /// picks one.
        pub const SERVERS: &[&str] = &[#(#listed),*];

        /// The API as its spec describes it: servers, security schemes and,
        /// per operation, the method, path template, query names and
        /// security, for the runtime's checks.
        static API: #core::Api = #core::Api {
            title: #title,
            default_base_url: #default,
            no_default_reason: #reason,
            schemes: &[#(#scheme_items)*],
            operations: &[#(#op_items)*],
            headers: &[#(#headers)*],
            user_agent: #agent,
            timeout_secs: #timeout,
        };
    }
}

fn builder(core: &syn::Ident, schemes: &[Scheme], m: &Manifest) -> TokenStream {
    let setters = schemes.iter().enumerate().map(|(i, s)| {
        let name = format_ident!("{}", s.setter);
        let docs = doc_lines(&format!("The credential for `{}`{}.", s.key, kind_words(&s.kind)));
        let (params, credential) = credential_args(core, s, m);
        let provider = provider_setter(core, i, s);
        let deprecated = s
            .deprecated
            .then(|| quote!(#[deprecated(note = "the vendor marks this security scheme deprecated")]));
        quote! {
            #(#docs)*
            #deprecated
            pub fn #name(mut self, #params) -> Self {
                self.0.credential(#i, #credential);
                self
            }

            #provider
        }
    });
    let timeout_doc = format!(" The timeout of a whole request (default {} s).", m.timeout_secs);
    quote! {
        /// Builds a [`Client`]: the base URL, credentials, User-Agent and
        /// timeouts. Nothing is checked until [`ClientBuilder::build`].
        #[derive(Debug)]
        pub struct ClientBuilder(#core::Builder);

        impl ClientBuilder {
            #core::builder_setters!(#timeout_doc);

            #(#setters)*

            /// Checks everything and builds the client.
            pub fn build(self) -> ::std::result::Result<Client, ConfigError> {
                ::std::result::Result::Ok(Client { connection: self.0.build()? })
            }
        }
    }
}

/// `.<setter>_provider(p)` for a scheme that takes a token: the token comes
/// from a provider, fetched when needed, refreshed shortly before a known
/// expiry and once after a 401. Basic authentication has none.
fn provider_setter(core: &syn::Ident, i: usize, s: &Scheme) -> TokenStream {
    if matches!(s.kind, Kind::Basic) {
        return quote!();
    }
    let name = format_ident!("{}_provider", s.setter);
    let docs = doc_lines(&format!(
        "The credential for `{}` from a [`TokenProvider`]{}: asked for a token on the first call, \
         again shortly before a token's known expiry, and once after a 401 (the call is then sent \
         again); concurrent calls share one refresh.",
        s.key,
        kind_words(&s.kind)
    ));
    quote! {
        #(#docs)*
        pub fn #name(mut self, provider: impl TokenProvider) -> Self {
            self.0.credential(#i, #core::Credential::provider(provider));
            self
        }
    }
}

fn kind_words(kind: &Kind) -> String {
    match kind {
        Kind::Header(n) => format!(", sent in the `{n}` header"),
        Kind::Query(n) => format!(", sent as the `{n}` query parameter"),
        Kind::Cookie(n) => format!(", sent as the `{n}` cookie"),
        Kind::Bearer => ", sent as `Authorization: Bearer <token>`".into(),
        Kind::Basic => ", sent as HTTP Basic authentication".into(),
        Kind::Authorization(w) => format!(", sent as `Authorization: {w} <token>`"),
    }
}

/// The setter's parameters and the `Credential` it makes.
fn credential_args(core: &syn::Ident, s: &Scheme, m: &Manifest) -> (TokenStream, TokenStream) {
    let encode = m
        .auth
        .get(&s.key)
        .and_then(|a| a.encode.as_ref())
        .and_then(|p| syn::parse_str::<syn::Path>(p).ok());
    match (&s.kind, encode) {
        (Kind::Basic, Some(f)) => (
            quote!(user: &str, password: impl ::std::convert::Into<Secret>),
            quote!(#core::Credential::Authorization(#f(user, &password.into()))),
        ),
        (Kind::Basic, None) => (
            quote!(user: &str, password: impl ::std::convert::Into<Secret>),
            quote!(#core::Credential::Basic { user: user.to_string(), password: password.into() }),
        ),
        _ => (
            quote!(token: impl ::std::convert::Into<Secret>),
            quote!(#core::Credential::Token(token.into())),
        ),
    }
}

fn client_setter(core: &syn::Ident, i: usize, s: &Scheme, m: &Manifest) -> TokenStream {
    let name = format_ident!("set_{}", s.setter);
    let (params, credential) = credential_args(core, s, m);
    let docs = doc_lines(&format!(
        "Replaces the credential for `{}` for every later call, on every clone (tokens expire).",
        s.key
    ));
    quote! {
        #(#docs)*
        pub fn #name(&self, #params) -> ::std::result::Result<(), ConfigError> {
            self.connection.set_credential(#i, #credential)
        }
    }
}

/// An argument as each attempt passes it on: a reference as it is (it is
/// `Copy`), anything else (a simple enum, a number, a `String` body)
/// cloned, so every attempt sends the caller's value.
fn replayed(
    arg: &syn::Ident,
    inputs: &syn::punctuated::Punctuated<syn::FnArg, syn::Token![,]>,
) -> TokenStream {
    let by_reference = inputs.iter().any(|a| match a {
        syn::FnArg::Typed(t) => {
            matches!(t.pat.as_ref(), syn::Pat::Ident(i) if &i.ident == arg)
                && matches!(t.ty.as_ref(), syn::Type::Reference(_))
        }
        syn::FnArg::Receiver(_) => false,
    });
    if by_reference {
        quote!(#arg)
    } else {
        quote!(::std::clone::Clone::clone(&#arg))
    }
}

/// One operation's call, as [`super::request`] turns it into a method and
/// a request value.
pub(crate) struct Wrapped {
    /// progenitor's docs, and what the layer adds.
    pub docs: Vec<syn::Attribute>,
    /// The method's name.
    pub name: syn::Ident,
    /// progenitor's generics (`'a`, and a streamed body's type).
    pub generics: syn::Generics,
    /// Every input but `self`, in progenitor's order (path parameters, then
    /// query), the layer's before the body.
    pub inputs: Vec<(syn::Ident, syn::Type)>,
    /// The success type, `T` of `ResponseValue<T>`.
    pub ok: syn::Type,
    /// The name the client goes by in `body`.
    pub client: syn::Ident,
    /// The name of the call's own limit on its response body (an
    /// `Option<u64>` in `body`); `None` for a download, which is not
    /// bounded.
    pub limit: Option<syn::Ident>,
    /// What sends the call, given every input and the client by name
    /// (and the page's step, when it pages).
    pub body: TokenStream,
    /// The operation's id in the spec.
    pub id: String,
    /// How it pages, if it does.
    pub pages: Option<super::pages::PagePlan>,
    /// Why it does not page although the spec suggests it.
    pub page_note: Option<String>,
    /// The stream form of an operation that answers JSON or events.
    pub stream: Option<StreamForm>,
    /// A stream of events: the name of its `resume_from` value (an
    /// `Option<String>` in `body`).
    pub resume: Option<syn::Ident>,
    /// The typed facets of its mock expectation.
    pub mock: Vec<super::mock::Facet>,
    /// What its success answer is, for the mock.
    pub stream_answer: super::mock::StreamAnswer,
}

/// What `.stream()` sends and gives: the request of an operation that
/// answers JSON or events, asking for events.
pub(crate) struct StreamForm {
    /// Each event's payload type.
    pub event: syn::Type,
    /// What sends it, given every input and the client by name.
    pub body: TokenStream,
    /// The body's flag it sets, if any.
    pub flag: Option<String>,
}

/// How an event's data becomes its payload type `t`: JSON, or the text
/// when the spec declares no payload.
fn data_decoder(core: &syn::Ident, op: &Op, t: &syn::Type) -> TokenStream {
    match op.events.as_ref().and_then(|e| e.helper.as_ref()) {
        Some(_) => quote!(|data| ::serde_json::from_str::<#t>(data)),
        None => quote!(#core::text_data),
    }
}

/// The enums an operation has in `responses` and `errors`, by name.
#[derive(Clone, Copy)]
struct Enums<'a> {
    /// Its success statuses differ in type: `responses::<Op>`.
    per_status: Option<&'a syn::Ident>,
    /// Of those, the one with a body, if only one has: its variant and type.
    only_body: Option<(&'a syn::Ident, &'a syn::Type)>,
    /// It documents error statuses: `errors::<Op>`.
    errors: Option<&'a syn::Ident>,
}

fn wrapper(
    core: &syn::Ident,
    index: usize,
    op: &Op,
    raw: &RawMethod,
    vendor: &VendorErrors,
    file: &syn::File,
    enums: Enums<'_>,
) -> std::result::Result<Wrapped, String> {
    let Enums {
        per_status,
        only_body,
        errors,
    } = enums;
    let sig = &raw.sig;
    let name = &sig.ident;
    let generics = &sig.generics;
    let args: Vec<syn::Ident> = sig
        .inputs
        .iter()
        .filter_map(named)
        .map(|(i, _)| i.clone())
        .collect();
    let path_params = op.path.matches('{').count().min(args.len());
    let path_values = args[..path_params]
        .iter()
        .map(|a| {
            let shown = a.to_string();
            quote!((#shown, #a.to_string()))
        })
        .collect::<Vec<_>>();
    // A stream of events: its payload's type, read off typify's helper.
    let event = op
        .events
        .as_ref()
        .filter(|e| !e.beside_json)
        .map(|e| super::responses::event_type(e, file))
        .transpose()?;
    // JSON or events: the method gives the JSON, `.stream()` the events.
    let stream_event = op
        .events
        .as_ref()
        .filter(|e| e.beside_json)
        .map(|e| super::responses::event_type(e, file))
        .transpose()?;
    // JSON Lines or a JSON text sequence, typed by its `itemSchema`.
    let framing = op
        .events
        .as_ref()
        .and_then(|e| e.framing.as_deref())
        .map(|f| super::framing_tokens(core, f));
    let ok = match (per_status, &event) {
        (Some(name), _) => syn::parse_quote!(responses::#name),
        (None, Some(t)) if framing.is_some() => syn::parse_quote!(#core::ItemStream<#t, VendorError>),
        (None, Some(t)) => syn::parse_quote!(#core::EventStream<#t, VendorError>),
        (None, None) => ok_type(sig).unwrap_or_else(|| syn::parse_quote!(())),
    };
    let vendor_decoder = vendor.decoder(core, error_type(sig).as_ref());
    let decoder = match errors {
        Some(name) => quote!(#vendor_decoder, errors::#name::documented),
        None => quote!(#vendor_decoder, #core::undocumented),
    };
    let mut names = crate::ident::Apart::new(args.iter().map(ToString::to_string));
    let layer = op.layer.tokens(core, &mut names, file)?;
    // The layer's arguments go after progenitor's path and query arguments,
    // before its body.
    let mut inputs: Vec<syn::FnArg> = sig
        .inputs
        .iter()
        .filter(|a| matches!(a, syn::FnArg::Typed(_)))
        .cloned()
        .collect();
    let at = if op.has_body && !inputs.is_empty() {
        inputs.len() - 1
    } else {
        inputs.len()
    };
    let layer_inputs = layer
        .inputs
        .iter()
        .map(|t| {
            syn::parse2::<syn::FnArg>(t.clone()).map_err(|e| format!("a layer argument does not parse: {e}"))
        })
        .collect::<std::result::Result<Vec<_>, _>>()?;
    inputs.splice(at..at, layer_inputs);
    let inputs = inputs
        .iter()
        .filter_map(named)
        .map(|(i, t)| (i.clone(), t.clone()))
        .collect();
    let mock = mock_facets(raw, &args[..path_params], layer.mock);
    let mut docs = raw.docs.clone();
    // progenitor documents the slot's method; the request goes out as the
    // operation's own.
    if let Some(carrier) = &op.carrier {
        let (from, to) = (
            format!("`{carrier}` request to `"),
            format!("`{}` request to `", op.method),
        );
        for attr in &mut docs {
            if let syn::Meta::NameValue(nv) = &mut attr.meta
                && let syn::Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Str(text),
                    ..
                }) = &mut nv.value
                && text.value().contains(&from)
            {
                *text = syn::LitStr::new(&text.value().replace(&from, &to), text.span());
            }
        }
    }
    if !layer.docs.is_empty() {
        docs.push(syn::parse_quote!(#[doc = ""]));
        docs.push(syn::parse_quote!(#[doc = "Sent by the client layer:"]));
        for line in &layer.docs {
            let line = format!(" {line}");
            docs.push(syn::parse_quote!(#[doc = #line]));
        }
    }
    let (build, attach) = (layer.build, layer.attach);
    let body_check = match (op.min_items, args.last()) {
        (Some((n, required)), Some(body)) if args.len() > path_params => {
            let reason = format!("needs at least {n} item{}", if n == 1 { "" } else { "s" });
            let n = n as usize;
            let short = match required {
                true => quote!(#body.len() < #n),
                false => quote!(#body.is_some_and(|b| b.len() < #n)),
            };
            quote! {
                if #short {
                    return ::std::result::Result::Err(#core::Error::InvalidArgument { name: "body", reason: #reason.into() });
                }
            }
        }
        _ => quote!(),
    };
    let client = names.name("client");
    // A download (`ByteStream`) is read as it arrives: not bounded. A
    // stream of events is read as it arrives too, each event bounded.
    let download = last_segment_is(&ok, "ByteStream");
    let stream_answer = match (&event, &framing) {
        (Some(t), Some(_)) => super::mock::StreamAnswer::Items(t.clone()),
        (Some(t), None) => super::mock::StreamAnswer::Events(t.clone()),
        // A download, or a connection upgraded to another protocol (`101`).
        _ if download || last_segment_is(&ok, "Upgraded") => super::mock::StreamAnswer::Bytes,
        _ if matches!(&ok, syn::Type::Tuple(t) if t.elems.is_empty()) => super::mock::StreamAnswer::Empty,
        _ => super::mock::StreamAnswer::Json(ok.clone()),
    };
    let limit = (!download).then(|| names.name("max_response_body"));
    // A stream of events may be asked to resume after an event id.
    let resume = event
        .as_ref()
        .filter(|_| framing.is_none())
        .map(|_| names.name("resume_from"));
    // The stream's own media type is asked for: an operation may offer
    // several (events, JSON Lines) and let `Accept` choose.
    let accept = op
        .events
        .as_ref()
        .and_then(|e| e.media.as_deref())
        .map(|m| quote!(.accept(#m)));
    let bound = match (&limit, &event) {
        (Some(limit), Some(_)) if framing.is_some() => quote!(.max_response_body(#limit).streamed() #accept),
        (Some(limit), Some(_)) => {
            quote!(.max_response_body(#limit).streamed() #accept .last_event_id(#resume))
        }
        (Some(limit), None) => quote!(.max_response_body(#limit)),
        (None, _) => quote!(.unbounded()),
    };
    // Each attempt is a fresh request from progenitor's method; a body the
    // caller streams in (a generic `B: Into<Body>`) can be sent only once.
    // The method's own local, named apart from its arguments (a spec may
    // call a parameter `raw`).
    let raw_client = names.name("raw");
    let value = names.name("value");
    // A paginated operation's call takes the page's step.
    let (pages, page_note) = match &op.pages {
        Some(paging) => match super::pages::plan(
            paging,
            &ok,
            per_status.zip(only_body),
            file,
            super::pages::step_name(&mut names),
        ) {
            Ok(plan) => (Some(plan), None),
            Err(e) => (None, Some(format!("`{}` is not paginated: {e}", op.id))),
        },
        None => (None, None),
    };
    let page = pages.as_ref().map(|p| {
        let step = &p.step;
        quote!(.page(#step))
    });
    let carried = op.carrier.as_ref().map(|slot| quote!(.carried_by(#slot)));
    let start = quote!(#core::Call::start(&#client.connection, #index, ::std::vec![#(#path_values),*])#carried #attach #bound #page);
    // A success typed per status comes from progenitor as bytes, decoded
    // here by its status.
    let finish = |sent: TokenStream| match (per_status, &event) {
        (Some(name), _) => quote! {
            let #value = #sent?;
            #raw_client.inner.per_status(#value, responses::#name::decode).await
        },
        (None, Some(t)) => match &framing {
            Some(framing) => quote! {
                let #value = #sent?;
                ::std::result::Result::Ok(#raw_client.inner.items(#value, #framing, |item| ::serde_json::from_slice::<#t>(item)))
            },
            None => {
                let decode = data_decoder(core, op, t);
                quote! {
                    let #value = #sent?;
                    ::std::result::Result::Ok(#raw_client.inner.events(#value, #decode))
                }
            }
        },
        (None, None) => sent,
    };
    let run = if generics
        .params
        .iter()
        .any(|p| matches!(p, syn::GenericParam::Type(_)))
    {
        let sent =
            finish(quote!(#raw_client.inner.result(#raw_client.#name(#(#args),*).await, #decoder).await));
        quote! {
            let #raw_client = #client.raw(#start.sent_once());
            #sent
        }
    } else {
        let again = args.iter().map(|a| replayed(a, &sig.inputs));
        let sent = finish(quote!(#raw_client.inner.run(|| #raw_client.#name(#(#again),*), #decoder).await));
        quote! {
            let #raw_client = #client.raw(#start);
            #sent
        }
    };
    let stream = match (&stream_event, &limit) {
        (Some(t), Some(limit))
            if !generics
                .params
                .iter()
                .any(|p| matches!(p, syn::GenericParam::Type(_))) =>
        {
            let flag = match op.events.as_ref().and_then(|e| e.flag.as_deref()) {
                Some(flag) => quote!(::std::option::Option::Some(#flag)),
                None => quote!(::std::option::Option::None),
            };
            let start = quote!(#core::Call::start(&#client.connection, #index, ::std::vec![#(#path_values),*])#carried #attach .max_response_body(#limit).stream_form(#flag));
            let again = args.iter().map(|a| replayed(a, &sig.inputs));
            let data = data_decoder(core, op, t);
            Some(StreamForm {
                event: t.clone(),
                body: quote! {
                    #body_check
                    #build
                    let #raw_client = #client.raw(#start);
                    #raw_client.inner.run_events(|| #raw_client.#name(#(#again),*), #decoder, #data).await
                },
                flag: op.events.as_ref().and_then(|e| e.flag.clone()),
            })
        }
        _ => None,
    };
    Ok(Wrapped {
        docs,
        name: name.clone(),
        generics: generics.clone(),
        inputs,
        ok,
        client,
        limit,
        body: quote! {
            #body_check
            #build
            #run
        },
        id: op.id.clone(),
        pages,
        page_note,
        stream,
        resume,
        mock,
        stream_answer,
    })
}

/// The typed facets of an operation's mock expectation: its path
/// parameters (`path`, in template order), the query parameters and JSON
/// body progenitor's method sends (`raw.sent`), then the layer's.
fn mock_facets(
    raw: &RawMethod,
    path: &[syn::Ident],
    layer: Vec<super::mock::Facet>,
) -> Vec<super::mock::Facet> {
    // In the signature's order.
    let args: Vec<(String, &syn::Type)> = raw
        .sig
        .inputs
        .iter()
        .filter_map(named)
        .map(|(i, t)| (i.to_string(), t))
        .collect();
    let generic: Vec<String> = raw
        .sig
        .generics
        .type_params()
        .map(|p| p.ident.to_string())
        .collect();
    // The type a setter takes: the argument's, without `Option` and
    // without the method's lifetime; none for a generic argument.
    let value_type = |name: &str| -> Option<syn::Type> {
        let (_, ty) = args.iter().find(|(n, _)| n == name)?;
        let mut ty = super::option_inner(ty).cloned().unwrap_or_else(|| (*ty).clone());
        let shown = quote::ToTokens::to_token_stream(&ty).to_string();
        if generic.iter().any(|g| {
            shown
                .split(|c: char| !c.is_alphanumeric() && c != '_')
                .any(|w| w == g)
        }) {
            return None;
        }
        syn::visit_mut::VisitMut::visit_type_mut(&mut Elided, &mut ty);
        Some(ty)
    };
    let mut out = Vec::new();
    for (index, arg) in path.iter().enumerate() {
        let shown = arg.to_string();
        let Some(ty) = value_type(&shown) else { continue };
        out.push(super::mock::Facet {
            name: arg.clone(),
            ty,
            // `to_string()` as the call writes it (a newtype reaches `String`'s by deref).
            set: quote!(self.0.path(#index, #shown, value.to_string());),
        });
    }
    // In the signature's order (query parameters, then the body).
    let mut sent: Vec<&(String, super::mock::Sent)> = raw.sent.iter().collect();
    sent.sort_by_key(|(arg, _)| args.iter().position(|(o, _)| o == arg).unwrap_or(usize::MAX));
    for (arg, how) in sent {
        let Some(ty) = value_type(arg) else { continue };
        let name = format_ident!("{}", arg);
        let set = match how {
            super::mock::Sent::Query(wire) => quote!(self.0.query(#wire, &value);),
            super::mock::Sent::Header(wire) => quote!(self.0.header(#wire, value.to_string());),
            super::mock::Sent::Json => quote!(self.0.json(&value);),
        };
        out.push(super::mock::Facet { name, ty, set });
    }
    out.extend(layer);
    out
}

/// A typed argument's name and type (progenitor names every one).
fn named(arg: &syn::FnArg) -> Option<(&syn::Ident, &syn::Type)> {
    match arg {
        syn::FnArg::Typed(t) => match t.pat.as_ref() {
            syn::Pat::Ident(i) => Some((&i.ident, t.ty.as_ref())),
            _ => None,
        },
        syn::FnArg::Receiver(_) => None,
    }
}

/// Whether `ty` is a path whose last segment is `name`.
fn last_segment_is(ty: &syn::Type, name: &str) -> bool {
    matches!(ty, syn::Type::Path(p) if p.path.segments.last().is_some_and(|s| s.ident == name))
}

/// Drops the method's lifetime from a type (`&'a str` becomes `&str`).
struct Elided;

impl syn::visit_mut::VisitMut for Elided {
    fn visit_type_reference_mut(&mut self, r: &mut syn::TypeReference) {
        r.lifetime = None;
        syn::visit_mut::visit_type_reference_mut(self, r);
    }
}
