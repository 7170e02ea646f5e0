//! Each operation's call shape: `client.op(required…)` takes the path
//! parameters and the other required inputs (in progenitor's order: the
//! path template's, then the query's, then the body), and returns a request
//! value in `requests` with one setter per optional input (and a
//! `set_<name>(Option<T>)` beside it, to pass an `Option` through). The request is
//! sent by `.send().await`, or by `.await` itself (`IntoFuture`). Its
//! fields are visible to the generated module only (`pub(super)`), which
//! builds it.
//!
//! So a vendor's new optional parameter is a new setter, and no call that
//! compiled stops compiling; a new required input changes the method's
//! arguments, as it must. The request's fields are private, so adding one
//! changes nothing a user can name.

use heck::ToUpperCamelCase;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use syn::visit_mut::VisitMut;

use super::client::Wrapped;
use super::option_inner;

/// The methods a setter may not take: the request's own.
const OWN_METHODS: [&str; 3] = ["send", "into_future", "max_response_body"];

/// The names `requests`, `responses`, `errors` and `headers` take from the module around them
/// (`use super::*`) and the prelude's types and traits, which no type of
/// theirs may hide.
const OUTER_NAMES: [&str; 36] = [
    "Result",
    "Option",
    "Vec",
    "String",
    "Box",
    "Send",
    "Sync",
    "Sized",
    "Default",
    "Clone",
    "Copy",
    "Into",
    "From",
    "Iterator",
    "Fn",
    "Client",
    "ClientBuilder",
    "Error",
    "VendorError",
    "Response",
    "Event",
    "EventStream",
    "ItemStream",
    "HeaderError",
    "Items",
    "Pages",
    "Links",
    "Link",
    "RetryAfter",
    "ByteStream",
    "ConfigError",
    "RetryPolicy",
    "Secret",
    "Token",
    "TokenError",
    "TokenProvider",
];

/// The request values of every operation.
pub(crate) struct Requests<'w> {
    ops: Vec<Request<'w>>,
}

/// One operation's request value.
struct Request<'w> {
    call: &'w Wrapped,
    /// Its type's name in `requests`.
    type_name: syn::Ident,
    /// The inputs the method takes, in order.
    required: Vec<Input>,
    /// The inputs set on the request, in order.
    optional: Vec<Input>,
    /// A paginated operation's `Rule` expression, or why it has none.
    rule: Option<Result<TokenStream, String>>,
}

/// One input, with its type as the request holds it (every reference
/// living as long as `'a`).
struct Input {
    name: syn::Ident,
    /// The type the method or the setter takes.
    ty: syn::Type,
    /// The setter's name (optional inputs).
    setter: syn::Ident,
    /// What progenitor's docs say of it.
    docs: Option<String>,
}

impl<'w> Requests<'w> {
    /// Splits each operation's inputs into the required and the optional;
    /// `names` are the operations' type names ([`type_names`]).
    pub(crate) fn of(calls: &'w [Wrapped], names: &[syn::Ident]) -> Self {
        let ops = calls
            .iter()
            .zip(names)
            .map(|(call, type_name)| {
                let argument_docs = argument_docs(&call.docs);
                let (mut required, mut optional) = (Vec::new(), Vec::new());
                for (name, ty) in &call.inputs {
                    let mut ty = ty.clone();
                    Lifetime.visit_type_mut(&mut ty);
                    let docs = argument_docs
                        .iter()
                        .find(|(n, _)| name == n)
                        .map(|(_, d)| d.clone());
                    let shown = name.to_string();
                    let own = OWN_METHODS.contains(&shown.as_str())
                        || (call.pages.is_some() && super::pages::PAGE_METHODS.contains(&shown.as_str()))
                        || (call.stream.is_some() && shown == "stream")
                        || (call.resume.is_some() && shown == "resume_from");
                    let setter = match own {
                        true => format_ident!("with_{name}"),
                        false => name.clone(),
                    };
                    match option_inner(&ty).cloned() {
                        Some(inner) => optional.push(Input {
                            name: name.clone(),
                            ty: inner,
                            setter,
                            docs,
                        }),
                        None => required.push(Input {
                            name: name.clone(),
                            ty,
                            setter,
                            docs,
                        }),
                    }
                }
                let mut request = Request {
                    call,
                    type_name: type_name.clone(),
                    required,
                    optional,
                    rule: None,
                };
                let core = syn::Ident::new(super::client::CORE, proc_macro2::Span::call_site());
                request.rule = call
                    .pages
                    .as_ref()
                    .map(|plan| plan.rule(&core, |param| request.field_value(param)));
                request
            })
            .collect();
        Self { ops }
    }

    /// Why a paginated operation does not page after all.
    pub(crate) fn notes(&self) -> Vec<String> {
        self.ops
            .iter()
            .filter_map(|r| match &r.rule {
                Some(Err(e)) => Some(format!("`{}` is not paginated: {e}", r.call.id)),
                _ => None,
            })
            .collect()
    }

    /// The `Client` methods: each takes the required inputs and returns its
    /// request.
    pub(crate) fn methods(&self) -> Vec<TokenStream> {
        self.ops.iter().map(Request::method).collect()
    }

    /// The request types, with their setters, `send` and `IntoFuture`.
    pub(crate) fn items(&self) -> TokenStream {
        let items = self.ops.iter().map(Request::item);
        quote!(#(#items)*)
    }
}

impl Request<'_> {
    fn method(&self) -> TokenStream {
        let call = self.call;
        let (name, ty) = (&call.name, &self.type_name);
        let generics = lifetime_generics(&call.generics);
        let (_, ty_generics, where_clause) = generics.split_for_impl();
        let params = self.required.iter().map(|i| {
            let (n, t) = (&i.name, &i.ty);
            quote!(#n: #t)
        });
        let set = self.required.iter().map(|i| &i.name);
        let unset = self
            .optional
            .iter()
            .map(|i| &i.name)
            .chain(&call.limit)
            .chain(&call.resume);
        let client = &call.client;
        let docs = self.method_docs();
        quote! {
            #(#docs)*
            pub fn #name #generics(&'a self, #(#params),*) -> requests::#ty #ty_generics #where_clause {
                requests::#ty {
                    #client: self,
                    #(#set,)*
                    #(#unset: ::std::option::Option::None,)*
                }
            }
        }
    }

    /// progenitor's docs, with the optional inputs moved out of its
    /// `Arguments:` list into a list of the request's setters.
    fn method_docs(&self) -> Vec<TokenStream> {
        let text = crate::surface::model::doc_text(&self.call.docs);
        let optional: Vec<String> = self.optional.iter().map(|i| i.name.to_string()).collect();
        let is_optional = |line: &str| {
            line.strip_prefix("- `")
                .and_then(|l| l.split_once('`'))
                .is_some_and(|(n, _)| optional.iter().any(|o| o == n))
        };
        let mut lines: Vec<String> = text
            .lines()
            .filter(|l| !is_optional(l))
            .map(str::to_string)
            .collect();
        let trim_end = |lines: &mut Vec<String>| {
            while lines.last().is_some_and(|l| l.trim().is_empty()) {
                lines.pop();
            }
        };
        trim_end(&mut lines);
        if lines.last().is_some_and(|l| l.trim() == "Arguments:") {
            lines.pop();
            trim_end(&mut lines);
        }
        lines.push(String::new());
        if self.optional.is_empty() {
            lines.push("Returns the request: send it with `.await` (or `.send().await`).".into());
        } else {
            lines.push(
                "Returns the request: set any of its optional values, then send it with `.await` (or `.send().await`):"
                    .into(),
            );
            for i in &self.optional {
                let what = i.docs.as_deref().map(|d| format!(": {d}")).unwrap_or_default();
                lines.push(format!(
                    "- [`{}`](requests::{}::{}){what}",
                    i.setter, self.type_name, i.setter
                ));
            }
        }
        lines
            .iter()
            .map(|l| {
                let l = if l.is_empty() {
                    String::new()
                } else {
                    format!(" {l}")
                };
                quote!(#[doc = #l])
            })
            .collect()
    }

    fn item(&self) -> TokenStream {
        let call = self.call;
        let ty = &self.type_name;
        let generics = lifetime_generics(&call.generics);
        let (impl_generics, ty_generics, where_clause) = generics.split_for_impl();
        let client = &call.client;
        let ok = &call.ok;
        let fields = self.required.iter().map(|i| {
            let (n, t) = (&i.name, &i.ty);
            quote!(pub(super) #n: #t,)
        });
        let optional_fields = self.optional.iter().map(|i| {
            let (n, t) = (&i.name, &i.ty);
            quote!(pub(super) #n: ::std::option::Option<#t>,)
        });
        let setters = self.optional.iter().map(|i| {
            let (n, t, setter) = (&i.name, &i.ty, &i.setter);
            let set = format_ident!("set_{n}");
            let text = match &i.docs {
                Some(d) => format!(" {d}"),
                None => format!(" Sets `{n}`."),
            };
            let set_text = format!(" Sets or clears `{n}` (see [`Self::{setter}`]).");
            quote! {
                #[doc = #text]
                pub fn #setter(mut self, value: #t) -> Self {
                    self.#n = ::std::option::Option::Some(value);
                    self
                }

                #[doc = #set_text]
                pub fn #set(mut self, value: ::std::option::Option<#t>) -> Self {
                    self.#n = value;
                    self
                }
            }
        });
        let names = self
            .required
            .iter()
            .chain(&self.optional)
            .map(|i| &i.name)
            .chain(&call.limit)
            .chain(&call.resume)
            .collect::<Vec<_>>();
        let body = &call.body;
        let (limit_field, limit_setter) = match &call.limit {
            Some(limit) => (
                quote!(pub(super) #limit: ::std::option::Option<u64>,),
                quote! {
                    /// The limit on this call's response body, in bytes, instead of the
                    /// client's (`ClientBuilder::max_response_body`, default 64 MiB). A body
                    /// over it is `Error::BodyTooLarge` and its connection is dropped.
                    pub fn max_response_body(mut self, bytes: u64) -> Self {
                        self.#limit = ::std::option::Option::Some(bytes);
                        self
                    }
                },
            ),
            None => (quote!(), quote!()),
        };
        let (resume_field, resume_setter) = match &call.resume {
            Some(resume) => (
                quote!(pub(super) #resume: ::std::option::Option<::std::string::String>,),
                quote! {
                    /// Resumes the stream after event `id` (a `Last-Event-ID` the
                    /// server gave before): the server sends the events after it.
                    /// A broken `GET` stream resumes by itself from its last event.
                    pub fn resume_from(mut self, id: impl ::std::convert::Into<::std::string::String>) -> Self {
                        self.#resume = ::std::option::Option::Some(id.into());
                        self
                    }
                },
            ),
            None => (quote!(), quote!()),
        };
        let doc = format!(
            " The request of [`Client::{}`]: set optional values, then `.send().await` or `.await`.",
            call.name
        );
        let core = syn::Ident::new(super::client::CORE, proc_macro2::Span::call_site());
        let paged = call
            .pages
            .as_ref()
            .zip(self.rule.as_ref().and_then(|r| r.as_ref().ok()));
        let (derive, send, paging) = match paged {
            None => {
                // A plan the request cannot follow still names the step.
                let unpaged = call.pages.as_ref().map(|p| {
                    let step = &p.step;
                    quote!(let #step: ::std::option::Option<#core::Step> = ::std::option::Option::None;)
                });
                (
                    quote!(),
                    quote! {
                        /// Sends the request and decodes the response.
                        pub async fn send(self) -> ::std::result::Result<Response<#ok, headers::#ty>, Error> {
                            let Self { #client, #(#names),* } = self;
                            #unpaged
                            #body
                        }
                    },
                    quote!(),
                )
            }
            Some((plan, rule)) => {
                let step = &plan.step;
                let methods = super::pages::methods(plan, &core, &call.id, ok, ty, rule.clone());
                (
                    quote!(#[derive(Clone)]),
                    quote! {
                        /// Sends the request and decodes the response.
                        pub async fn send(self) -> ::std::result::Result<Response<#ok, headers::#ty>, Error> {
                            self.send_page(::std::option::Option::None).await
                        }

                        /// Sends the request for the first page (`None`) or a later one.
                        async fn send_page(
                            self,
                            #step: ::std::option::Option<#core::Step>,
                        ) -> ::std::result::Result<Response<#ok, headers::#ty>, Error> {
                            let Self { #client, #(#names),* } = self;
                            #body
                        }
                    },
                    methods,
                )
            }
        };
        let stream = call.stream.as_ref().map(|form| {
            let (event, body) = (&form.event, &form.body);
            let doc = match &form.flag {
                Some(flag) => format!(
                    " Sends the same request for a stream of server-sent events instead of one JSON answer: it sets `{flag}: true` in the body and asks for `text/event-stream`. The success is a stream of typed events (`EventStream`); an error is as `send` gives it."
                ),
                None => " Sends the same request for a stream of server-sent events instead of one JSON answer (it asks for `text/event-stream`). The success is a stream of typed events (`EventStream`); an error is as `send` gives it.".to_string(),
            };
            quote! {
                #[doc = #doc]
                pub async fn stream(self) -> ::std::result::Result<Response<EventStream<#event, VendorError>, headers::#ty>, Error> {
                    let Self { #client, #(#names),* } = self;
                    #body
                }
            }
        });
        let send_bounds = generics.type_params().map(|p| {
            let ident = &p.ident;
            quote!(#ident: ::std::marker::Send + 'a,)
        });
        quote! {
            #[doc = #doc]
            #[must_use = "a request does nothing until it is sent: `.await` it"]
            #derive
            pub struct #ty #impl_generics #where_clause {
                pub(super) #client: &'a Client,
                #(#fields)*
                #(#optional_fields)*
                #limit_field
                #resume_field
            }

            impl #impl_generics #ty #ty_generics #where_clause {
                #(#setters)*

                #limit_setter

                #resume_setter

                #send

                #stream

                #paging
            }

            impl #impl_generics ::std::future::IntoFuture for #ty #ty_generics
            where
                #(#send_bounds)*
            {
                type Output = ::std::result::Result<Response<#ok, headers::#ty>, Error>;
                type IntoFuture = ::std::pin::Pin<::std::boxed::Box<dyn ::std::future::Future<Output = Self::Output> + ::std::marker::Send + 'a>>;

                fn into_future(self) -> Self::IntoFuture {
                    ::std::boxed::Box::pin(self.send())
                }
            }
        }
    }
}

impl Request<'_> {
    /// The request's value of query parameter `param` (its name in the
    /// spec) as an `Option<&T>`, if one field holds it.
    fn field_value(&self, param: &str) -> Option<TokenStream> {
        use heck::ToSnakeCase;
        let want = crate::ident::not_keyword(param.to_snake_case());
        let find = |inputs: &[Input]| -> Vec<syn::Ident> {
            inputs
                .iter()
                .filter(|i| {
                    let n = i.name.to_string();
                    n == want || n.strip_prefix("r#") == Some(&want)
                })
                .map(|i| i.name.clone())
                .collect()
        };
        match (find(&self.optional).as_slice(), find(&self.required).as_slice()) {
            ([name], []) => Some(quote!(self.#name.as_ref())),
            ([], [name]) => Some(quote!(::std::option::Option::Some(&self.#name))),
            _ => None,
        }
    }
}

/// Each operation's type name, in `requests` and in `responses` alike:
/// its method name in UpperCamelCase, named apart from keywords, from the
/// names those modules take from around them, and from each other (`get_v1`
/// and `get_v_1`: the later gets a trailing `_`).
pub(crate) fn type_names<'m>(methods: impl Iterator<Item = &'m str>) -> Vec<syn::Ident> {
    let mut taken: Vec<String> = OUTER_NAMES.iter().map(ToString::to_string).collect();
    methods
        .map(|method| {
            let mut name = crate::ident::not_keyword(method.to_upper_camel_case());
            while taken.contains(&name) {
                name.push('_');
            }
            taken.push(name.clone());
            format_ident!("{name}")
        })
        .collect()
}

/// progenitor's generics, with `'a` first (every method has it).
fn lifetime_generics(generics: &syn::Generics) -> syn::Generics {
    let mut g = generics.clone();
    if g.lifetimes().next().is_none() {
        g.params.insert(0, syn::parse_quote!('a));
    }
    g
}

/// Gives every reference without a lifetime the request's `'a` (the
/// layer's arguments are written `&T`).
struct Lifetime;

impl VisitMut for Lifetime {
    fn visit_type_reference_mut(&mut self, r: &mut syn::TypeReference) {
        if r.lifetime.is_none() {
            r.lifetime = Some(syn::parse_quote!('a));
        }
        syn::visit_mut::visit_type_reference_mut(self, r);
    }
}

/// progenitor's `Arguments:` list, `- `name`: text`, as (name, text).
fn argument_docs(docs: &[syn::Attribute]) -> Vec<(String, String)> {
    let text = crate::surface::model::doc_text(docs);
    text.lines()
        .filter_map(|l| l.strip_prefix("- `"))
        .filter_map(|l| l.split_once("`: "))
        .map(|(n, d)| (n.to_string(), d.trim().to_string()))
        .collect()
}
