//! The part of an operation's method that the client layer does itself,
//! where progenitor cannot (the adapt stage lifted it out of progenitor's
//! view and recorded it under the operation's `x-usergroup-layer`):
//! deepObject and delimited query parameters, a whole query string
//! (OpenAPI 3.2's `in: querystring`), and header and cookie
//! parameters progenitor cannot type, become arguments serialized into a
//! `usergroup_client_core::Extra`, and a multipart form becomes a
//! `body` argument of its typed struct, turned into a
//! `usergroup_client_core::Form`; a multipart/mixed body becomes one
//! argument per leading part and a slice of the parts after them, turned
//! into a `usergroup_client_core::Mixed`; a body of JSON items (JSON Lines,
//! a JSON text sequence) becomes a slice of the item type. The `Extra`
//! rides on the `Call`, so the
//! endpoint check, auth, retries and the error type are the same as for
//! every other operation.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use serde_json::Value;

use crate::adapt::LAYER_KEY;

/// How a lifted parameter is sent.
enum Style {
    /// `name[key]=value`.
    Deep,
    /// Items joined by this delimiter.
    Delimited(String),
    /// `name=value`, one pair per item (a parameter whose Rust name
    /// another one has).
    Form,
    /// A header.
    Header,
    /// A cookie.
    Cookie,
    /// The whole query string, in this media type (OpenAPI 3.2).
    QueryString(String),
}

/// A lifted query parameter.
struct Param {
    name: String,
    style: Style,
    required: bool,
    /// The Rust type of the value, without the reference.
    ty: TokenStream,
    description: Option<String>,
}

impl Param {
    /// The statement that writes `value` (the argument) into `extra`: the
    /// same for the call and for a mock's expected value.
    fn step(&self, extra: &syn::Ident, value: &TokenStream) -> TokenStream {
        let name = &self.name;
        match &self.style {
            Style::Deep => quote!(#extra.deep_object(#name, &#value)?;),
            Style::Delimited(d) => quote!(#extra.delimited(#name, #d, &#value)?;),
            Style::Header => quote!(#extra.header(#name, &#value)?;),
            Style::Cookie => quote!(#extra.cookie(#name, &#value)?;),
            Style::Form => quote!(#extra.form(#name, &#value)?;),
            Style::QueryString(media) => quote!(#extra.query_string(#name, #media, &#value)?;),
        }
    }
}

/// A lifted multipart form.
struct Form {
    /// The typify struct of its fields.
    schema: String,
    files: Vec<String>,
    fields: Vec<String>,
}

/// One part of a lifted `multipart/mixed` body.
struct Part {
    /// `json`, `text` or `bytes`.
    how: String,
    content_type: String,
    /// The typify type of a JSON part.
    component: Option<String>,
}

impl Part {
    fn of(v: &Value) -> Option<Self> {
        Some(Self {
            how: v.get("how")?.as_str()?.to_string(),
            content_type: v.get("content_type")?.as_str()?.to_string(),
            component: v.get("component").and_then(Value::as_str).map(str::to_string),
        })
    }

    /// The Rust type of one such part, without the reference.
    fn ty(&self) -> TokenStream {
        match (self.how.as_str(), &self.component) {
            ("json", Some(c)) => {
                let ident = format_ident!("{}", c);
                quote!(types::#ident)
            }
            ("text", _) => quote!(str),
            _ => quote!([u8]),
        }
    }

    /// The argument name of a leading part: its type's, in snake case.
    fn name(&self, i: usize) -> String {
        match &self.component {
            Some(c) => heck::ToSnakeCase::to_snake_case(c.as_str()),
            None => format!("part_{}", i + 1),
        }
    }

    /// The statement that adds `value` (a reference) to `mixed`.
    fn add(&self, mixed: &syn::Ident, value: &TokenStream, arg: &str) -> TokenStream {
        let ct = &self.content_type;
        match self.how.as_str() {
            "json" => quote!(#mixed.json(#arg, #ct, #value)?;),
            _ => quote!(#mixed.bytes(#ct, #value);),
        }
    }
}

/// A lifted `multipart/mixed` body: its leading parts, then any number of
/// parts of one kind.
struct Mixed {
    prefix: Vec<Part>,
    items: Option<Part>,
}

/// A lifted request body of JSON items: its framing (`lines`, `seq`) and
/// the item.
struct Sequence {
    framing: String,
    item: Part,
}

/// What the layer does for one operation.
#[derive(Default)]
pub(crate) struct Layer {
    params: Vec<Param>,
    form: Option<Form>,
    mixed: Option<Mixed>,
    sequence: Option<Sequence>,
    content_type: Option<String>,
}

/// The layer's arguments and the statements that fill the `Extra`.
pub(crate) struct Tokens {
    /// Arguments after progenitor's path and query arguments.
    pub inputs: Vec<TokenStream>,
    /// Doc lines for those arguments.
    pub docs: Vec<String>,
    /// `let extra = ...;` or nothing.
    pub build: TokenStream,
    /// `.with_extra(extra)` or nothing.
    pub attach: TokenStream,
    /// The mock's typed facets of the lifted parameters sent in the query
    /// or a header.
    pub mock: Vec<super::mock::Facet>,
}

fn strings(v: Option<&Value>) -> Vec<String> {
    v.and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .map(str::to_string)
        .collect()
}

fn scalar_type(name: &str) -> TokenStream {
    match name {
        "integer" => quote!(i64),
        "number" => quote!(f64),
        "boolean" => quote!(bool),
        _ => quote!(::std::string::String),
    }
}

impl Layer {
    /// The record of an operation, if the adapt stage left one.
    pub(crate) fn of(op: &serde_json::Map<String, Value>) -> Self {
        let Some(layer) = op.get(LAYER_KEY) else {
            return Self::default();
        };
        let params = layer
            .get("parameters")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|p| {
                let name = p.get("name")?.as_str()?.to_string();
                let style = match p.get("style")?.as_str()? {
                    "deepObject" => Style::Deep,
                    "header" => Style::Header,
                    "cookie" => Style::Cookie,
                    "form" => Style::Form,
                    "querystring" => Style::QueryString(p.get("media")?.as_str()?.to_string()),
                    _ => Style::Delimited(p.get("delimiter")?.as_str()?.to_string()),
                };
                let ty = match (
                    p.pointer("/type/component"),
                    p.pointer("/type/vec"),
                    p.pointer("/type/scalar"),
                ) {
                    (Some(Value::String(c)), _, _) => {
                        let ident = format_ident!("{}", c);
                        quote!(types::#ident)
                    }
                    (_, Some(Value::String(s)), _) => {
                        let item = scalar_type(s);
                        quote!(::std::vec::Vec<#item>)
                    }
                    (_, _, Some(Value::String(s))) if s == "string" => quote!(str),
                    (_, _, Some(Value::String(s))) => scalar_type(s),
                    _ => return None,
                };
                Some(Param {
                    name,
                    style,
                    required: p.get("required") == Some(&Value::Bool(true)),
                    ty,
                    description: p.get("description").and_then(Value::as_str).map(str::to_string),
                })
            })
            .collect();
        let form = layer.get("form").and_then(|f| {
            Some(Form {
                schema: f.get("schema")?.as_str()?.to_string(),
                files: strings(f.get("files")),
                fields: strings(f.get("fields")),
            })
        });
        let mixed = layer.get("mixed").map(|m| Mixed {
            prefix: m
                .get("prefix")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(Part::of)
                .collect(),
            items: m.get("items").and_then(Part::of),
        });
        let sequence = layer.get("sequence").and_then(|q| {
            Some(Sequence {
                framing: q.get("framing")?.as_str()?.to_string(),
                item: Part::of(q.get("item")?)?,
            })
        });
        Self {
            params,
            form,
            mixed,
            sequence,
            content_type: layer
                .get("content_type")
                .and_then(Value::as_str)
                .map(str::to_string),
        }
    }

    /// The deepObject parameters' names, for the operation table.
    pub(crate) fn deep_query(&self) -> Vec<String> {
        self.params
            .iter()
            .filter(|p| matches!(p.style, Style::Deep))
            .map(|p| p.name.clone())
            .collect()
    }

    /// The other lifted query parameters' names, for the operation table;
    /// a deepObject parameter's own name too, as a value that is not an
    /// object (a branch of an `anyOf`) goes as `name=value`.
    pub(crate) fn plain_query(&self) -> Vec<String> {
        self.params
            .iter()
            .filter(|p| matches!(p.style, Style::Delimited(_) | Style::Form | Style::Deep))
            .map(|p| p.name.clone())
            .collect()
    }

    /// The declared content type of a JSON body, for the operation table.
    pub(crate) fn content_type(&self) -> Option<&str> {
        self.content_type.as_deref()
    }

    /// The arguments and statements of the method. `names` holds
    /// progenitor's argument names, and takes the layer's; `raw` is
    /// progenitor's module, where the form's struct is looked up for its
    /// fields' Rust names.
    pub(crate) fn tokens(
        &self,
        core: &syn::Ident,
        names: &mut crate::ident::Apart,
        raw: &syn::File,
    ) -> Result<Tokens, String> {
        // Every argument is named first, then the method's own local, apart
        // from all of them (a spec may call a parameter `extra`).
        let args: Vec<syn::Ident> = self
            .params
            .iter()
            .map(|p| names.name(&crate::ident::identifier(&p.name)))
            .collect();
        let body_arg = self.form.as_ref().map(|_| names.name("body"));
        let part_args: Vec<syn::Ident> = self
            .mixed
            .iter()
            .flat_map(|m| m.prefix.iter().enumerate())
            .map(|(i, p)| names.name(&p.name(i)))
            .collect();
        let items_arg = self
            .mixed
            .as_ref()
            .and_then(|m| m.items.as_ref())
            .map(|_| names.name("parts"));
        let items_body = self.sequence.as_ref().map(|_| names.name("items"));
        let mixed_local = names.name("mixed");
        let extra = names.name("extra");
        let mut inputs = Vec::new();
        let mut steps = Vec::new();
        let mut docs = Vec::new();
        let mut mock = Vec::new();
        for (p, arg) in self.params.iter().zip(&args) {
            let ty = &p.ty;
            inputs.push(if p.required {
                quote!(#arg: &#ty)
            } else {
                quote!(#arg: ::std::option::Option<&#ty>)
            });
            let name = &p.name;
            steps.push(p.step(&extra, &quote!(#arg)));
            if !matches!(p.style, Style::QueryString(_) | Style::Cookie) {
                mock.push(super::mock::Facet {
                    name: arg.clone(),
                    ty: syn::parse2(quote!(&#ty)).map_err(|e| format!("a layer type does not parse: {e}"))?,
                    set: {
                        let step = p.step(&format_ident!("extra"), &quote!(value));
                        quote! {
                            let mut extra = #core::Extra::new();
                            let filled = (|| -> ::std::result::Result<(), #core::Invalid> {
                                #step
                                ::std::result::Result::Ok(())
                            })();
                            if let ::std::result::Result::Err(e) = filled {
                                ::std::panic!("the expected `{}` cannot be sent: {}", e.name, e.reason);
                            }
                            self.0.extra(#name, &extra);
                        }
                    },
                });
            }
            let how = match &p.style {
                Style::Deep => format!("sent as `{name}[key]=value`"),
                Style::Delimited(d) => format!("items sent as one `{name}` value, joined by {d:?}"),
                Style::Header => format!("sent in the `{name}` header"),
                Style::Cookie => format!("sent as the `{name}` cookie"),
                Style::Form => format!("sent as `{name}=value`, once per item"),
                Style::QueryString(media) => format!("the whole query string, as `{media}`"),
            };
            docs.push(match &p.description {
                Some(d) => format!("- `{arg}`: {} ({how})", crate::docs::one_line(d)),
                None => format!("- `{arg}`: {how}"),
            });
        }
        if let (Some(form), Some(arg)) = (&self.form, &body_arg) {
            let ty = format_ident!("{}", form.schema);
            let fields = struct_fields(raw, &form.schema).ok_or_else(|| {
                format!(
                    "typify generated no struct `{}` for the multipart form",
                    form.schema
                )
            })?;
            let field = |json: &str| {
                fields
                    .iter()
                    .find(|(j, _)| j == json)
                    .map(|(_, ident)| ident.clone())
                    .ok_or_else(|| format!("the form struct `{}` has no field for `{json}`", form.schema))
            };
            let mut parts = Vec::new();
            for name in &form.files {
                let f = field(name)?;
                parts.push(quote!(.files(#name, &#arg.#f)?));
            }
            for name in &form.fields {
                let f = field(name)?;
                parts.push(quote!(.field(#name, &#arg.#f)?));
            }
            inputs.push(quote!(#arg: &types::#ty));
            steps.push(quote!(#extra.body(#core::Form::new() #(#parts)* .into_body().await?);));
            docs.push(format!(
                "- `{arg}`: the multipart/form-data body (file fields are `FilePart`s)"
            ));
        }
        if let Some(mixed) = &self.mixed {
            let mut adds = Vec::new();
            for (part, arg) in mixed.prefix.iter().zip(&part_args) {
                let ty = part.ty();
                inputs.push(quote!(#arg: &#ty));
                adds.push(part.add(&mixed_local, &quote!(#arg), &arg.to_string()));
                docs.push(format!("- `{arg}`: a part sent as `{}`", part.content_type));
            }
            if let (Some(part), Some(arg)) = (&mixed.items, &items_arg) {
                let ty = match part.how.as_str() {
                    "json" | "text" => {
                        let one = part.ty();
                        if part.how == "text" {
                            quote!(::std::string::String)
                        } else {
                            one
                        }
                    }
                    _ => quote!(::std::vec::Vec<u8>),
                };
                inputs.push(quote!(#arg: &[#ty]));
                let add = part.add(&mixed_local, &quote!(item), &arg.to_string());
                adds.push(quote!(for item in #arg { #add }));
                docs.push(format!(
                    "- `{arg}`: the parts after those, each sent as `{}`",
                    part.content_type
                ));
            }
            steps.push(quote! {
                let mut #mixed_local = #core::Mixed::new();
                #(#adds)*
                #extra.body(#mixed_local.into_body());
            });
        }
        if let (Some(sequence), Some(arg)) = (&self.sequence, &items_body) {
            let item = &sequence.item;
            let ty = match &item.component {
                Some(_) => item.ty(),
                None => quote!(::std::string::String),
            };
            let framing = super::framing_tokens(core, &sequence.framing);
            let ct = &item.content_type;
            let shown = arg.to_string();
            inputs.push(quote!(#arg: &[#ty]));
            steps.push(quote!(#extra.body(#core::sequence::body(#framing, #ct, #shown, #arg)?);));
            docs.push(format!("- `{arg}`: the body, one item each, as `{ct}`"));
        }
        if steps.is_empty() {
            return Ok(Tokens {
                inputs,
                docs,
                build: quote!(),
                attach: quote!(),
                mock,
            });
        }
        Ok(Tokens {
            inputs,
            docs,
            build: quote! {
                let mut #extra = #core::Extra::new();
                #(#steps)*
            },
            attach: quote!(.with_extra(#extra)),
            mock,
        })
    }
}

/// The fields of the struct `name` in progenitor's `types` module: the
/// JSON name (its `serde(rename)`, or the field's own name) and the Rust
/// field.
fn struct_fields(raw: &syn::File, name: &str) -> Option<Vec<(String, syn::Ident)>> {
    let types = raw.items.iter().find_map(|i| match i {
        syn::Item::Mod(m) if m.ident == "types" => m.content.as_ref().map(|(_, items)| items),
        _ => None,
    })?;
    let fields = types.iter().find_map(|i| match i {
        syn::Item::Struct(s) if s.ident == name => Some(&s.fields),
        _ => None,
    })?;
    let mut out = Vec::new();
    for f in fields {
        let ident = f.ident.clone()?;
        let json = super::pages::json_name(f)?;
        out.push((json, ident));
    }
    Some(out)
}
