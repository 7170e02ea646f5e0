//! Each operation's `headers::<Op>`: the response's `HeaderMap` (it derefs
//! to it) with one typed accessor per header the spec documents on any of
//! the operation's responses, success or error. Every operation has one,
//! documented headers or not, so a header the vendor documents later is a
//! new method, never a new type.
//!
//! The accessor's type comes from the header's schema, and for the headers
//! HTTP itself defines, from its name: `Link` is parsed links,
//! `Retry-After` a delay or a date, `Date`, `Expires` and `Last-Modified`
//! dates; an integer or a number by its format, a `date-time` a date, an
//! array its comma-separated items, anything else text. A header
//! documented with two different types on two responses is text.
//! `Content-Type` is not listed: OpenAPI says to ignore it.

use std::collections::BTreeMap;

use heck::ToSnakeCase;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use serde_json::{Map, Value};

use crate::adapt::HEADERS_KEY;
use crate::document::resolve;

/// `HeaderMap`'s own methods, which the struct derefs to: an accessor is
/// not given one of these names.
const MAP_METHODS: [&str; 31] = [
    "append",
    "capacity",
    "clear",
    "clone",
    "clone_from",
    "contains_key",
    "deref",
    "drain",
    "entry",
    "fmt",
    "from",
    "get",
    "get_all",
    "get_mut",
    "insert",
    "into",
    "is_empty",
    "iter",
    "iter_mut",
    "keys",
    "keys_len",
    "len",
    "remove",
    "reserve",
    "to_owned",
    "try_append",
    "try_entry",
    "try_insert",
    "try_reserve",
    "values",
    "values_mut",
];

/// What a documented header's value is.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Kind {
    Text,
    /// Parsed by `FromStr` as this Rust type (`i64`, `f64`, `bool`, ...).
    Parsed(&'static str),
    Date,
    List,
    Links,
    RetryAfter,
}

/// One documented header of an operation.
#[derive(Debug, Clone)]
struct Header {
    /// As the spec spells it.
    name: String,
    kind: Kind,
    description: String,
    /// The statuses that document it.
    statuses: Vec<String>,
}

/// The documented headers of one operation, by lower-case name.
#[derive(Debug, Clone, Default)]
pub(crate) struct Headers(BTreeMap<String, Header>);

impl Headers {
    /// The headers documented on `op`'s responses: as the adapt stage kept
    /// them ([`HEADERS_KEY`], before a response was made raw or left
    /// undeclared), else as the responses say.
    pub(crate) fn of(doc: &Value, op: &Map<String, Value>) -> Self {
        let mut headers: BTreeMap<String, Header> = BTreeMap::new();
        let kept = op.get(HEADERS_KEY).and_then(Value::as_object);
        let declared_by_status: Vec<(&String, &Map<String, Value>)> = match kept {
            Some(kept) => kept
                .iter()
                .filter_map(|(s, h)| Some((s, h.as_object()?)))
                .collect(),
            None => op
                .get("responses")
                .and_then(Value::as_object)
                .into_iter()
                .flatten()
                .filter_map(|(s, r)| Some((s, resolve(doc, r)?.get("headers")?.as_object()?)))
                .collect(),
        };
        for (status, declared) in declared_by_status {
            for (name, header) in declared {
                let lower = name.to_ascii_lowercase();
                if lower == "content-type" || http_name(&lower).is_none() {
                    continue;
                }
                let header = resolve(doc, header).unwrap_or(header);
                let kind = kind(doc, &lower, header);
                let description = header
                    .get("description")
                    .and_then(Value::as_str)
                    .unwrap_or_default();
                let entry = headers.entry(lower).or_insert_with(|| Header {
                    name: name.clone(),
                    kind: kind.clone(),
                    description: description.to_string(),
                    statuses: Vec::new(),
                });
                if entry.kind != kind {
                    entry.kind = Kind::Text;
                }
                if entry.description.is_empty() {
                    entry.description = description.to_string();
                }
                entry.statuses.push(status.clone());
            }
        }
        Self(headers)
    }

    /// `headers::<Op>` and its accessors.
    /// Each documented header (lowercase) with the statuses that document
    /// it (the mock's check).
    pub(crate) fn documented(&self) -> Vec<(String, Vec<String>)> {
        self.0
            .iter()
            .map(|(name, h)| (name.clone(), h.statuses.clone()))
            .collect()
    }

    pub(crate) fn item(&self, core: &syn::Ident, name: &syn::Ident, method: &str) -> TokenStream {
        let doc = format!(
            " The response headers of [`Client::{method}`](super::Client): every header by name (it derefs to the `HeaderMap`), and a typed accessor for each one the spec documents."
        );
        let mut taken: Vec<String> = Vec::new();
        let accessors = self.0.iter().map(|(lower, h)| {
            let mut fname = crate::ident::identifier(&lower.to_snake_case());
            if MAP_METHODS.contains(&fname.as_str()) {
                fname.push_str("_header");
            }
            while taken.contains(&fname) {
                fname.push('_');
            }
            taken.push(fname.clone());
            let fname = format_ident!("{fname}");
            let (ty, read) = match &h.kind {
                Kind::Text => (quote!(&str), quote!(#core::header::text(&self.0, #lower))),
                Kind::Parsed(t) => {
                    let t: syn::Type = syn::parse_str(t).unwrap_or_else(|_| syn::parse_quote!(String));
                    (quote!(#t), quote!(#core::header::parsed::<#t>(&self.0, #lower)))
                }
                Kind::Date => (
                    quote!(::std::time::SystemTime),
                    quote!(#core::header::date(&self.0, #lower)),
                ),
                Kind::List => (
                    quote!(::std::vec::Vec<&str>),
                    quote!(#core::header::list(&self.0, #lower)),
                ),
                Kind::Links => (quote!(#core::Links), quote!(#core::header::links(&self.0, #lower))),
                Kind::RetryAfter => (
                    quote!(#core::RetryAfter),
                    quote!(#core::header::retry_after(&self.0, #lower)),
                ),
            };
            let summary = match crate::docs::one_line(&h.description).as_str() {
                "" => format!(" `{}`.", h.name),
                d => format!(" `{}`: {d}", h.name),
            };
            let statuses = format!(
                " Documented on {}. `None` when the server did not send it; an error when its value is not what the spec says.",
                h.statuses.join(", ")
            );
            quote! {
                #[doc = #summary]
                #[doc = ""]
                #[doc = #statuses]
                pub fn #fname(&self) -> ::std::result::Result<::std::option::Option<#ty>, #core::HeaderError> {
                    #read
                }
            }
        });
        let accessors: Vec<TokenStream> = accessors.collect();
        let imp = (!accessors.is_empty()).then(|| quote!(impl #name { #(#accessors)* }));
        quote! {
            #core::response_headers!(#[doc = #doc] #name);
            #imp
        }
    }
}

/// The name as a `&'static str` a `HeaderMap` accepts (`HeaderName` from a
/// static string must be lower-case and a valid token), or `None`.
fn http_name(lower: &str) -> Option<&str> {
    let token = !lower.is_empty()
        && lower
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b));
    token.then_some(lower)
}

/// A header's [`Kind`], from its name, else its schema.
fn kind(doc: &Value, lower: &str, header: &Value) -> Kind {
    let schema = header.get("schema").and_then(|s| resolve(doc, s));
    let ty = schema.and_then(|s| s.get("type")).and_then(|t| match t {
        Value::String(t) => Some(t.as_str()),
        // 3.1 `type: [integer, "null"]`
        Value::Array(a) => a.iter().filter_map(Value::as_str).find(|t| *t != "null"),
        _ => None,
    });
    let format = schema
        .and_then(|s| s.get("format"))
        .and_then(Value::as_str)
        .unwrap_or_default();
    match (lower, ty) {
        ("link", None | Some("string")) => return Kind::Links,
        ("retry-after", _) => return Kind::RetryAfter,
        ("date" | "expires" | "last-modified", None | Some("string")) => return Kind::Date,
        _ => {}
    }
    match (ty, format) {
        (Some("integer"), "int32") => Kind::Parsed("i32"),
        (Some("integer"), "uint32") => Kind::Parsed("u32"),
        (Some("integer"), "uint64") => Kind::Parsed("u64"),
        (Some("integer"), _) => Kind::Parsed("i64"),
        (Some("number"), "float") => Kind::Parsed("f32"),
        (Some("number"), _) => Kind::Parsed("f64"),
        (Some("boolean"), _) => Kind::Parsed("bool"),
        (Some("string"), "date-time") => Kind::Date,
        (Some("array"), _) => Kind::List,
        _ => Kind::Text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn headers_are_typed_by_name_then_schema_and_merged_across_statuses() {
        let doc = json!({"components": {"headers": {"remaining": {
            "description": "Calls left.", "schema": {"type": "integer"}
        }}}});
        let op = json!({"responses": {
            "201": {"description": "", "headers": {
                "Location": {"schema": {"type": "string"}},
                "X-RateLimit-Remaining": {"$ref": "#/components/headers/remaining"},
                "Link": {"schema": {"type": "string"}},
                "Content-Type": {"schema": {"type": "string"}},
                "X-Id": {"schema": {"type": "integer", "format": "int32"}},
            }},
            "429": {"description": "", "headers": {
                "Retry-After": {"schema": {"type": "integer"}},
                "x-ratelimit-remaining": {"schema": {"type": "integer"}},
                "X-Id": {"schema": {"type": "string"}},
                "Bad Name": {"schema": {"type": "string"}},
            }},
        }});
        let headers = Headers::of(&doc, op.as_object().unwrap());
        let kinds: Vec<(&str, &Kind, &[String])> = headers
            .0
            .iter()
            .map(|(n, h)| (n.as_str(), &h.kind, h.statuses.as_slice()))
            .collect();
        let both = ["201".to_string(), "429".to_string()];
        assert_eq!(
            kinds,
            [
                ("link", &Kind::Links, &both[..1]),
                ("location", &Kind::Text, &both[..1]),
                ("retry-after", &Kind::RetryAfter, &both[1..]),
                ("x-id", &Kind::Text, &both[..]),
                ("x-ratelimit-remaining", &Kind::Parsed("i64"), &both[..]),
            ]
        );
        assert_eq!(headers.0["x-ratelimit-remaining"].description, "Calls left.");
        let core = format_ident!("core");
        let code = headers
            .item(&core, &format_ident!("Create"), "create")
            .to_string();
        assert!(code.contains("fn x_ratelimit_remaining"), "{code}");
        assert!(code.contains("fn retry_after"), "{code}");
    }

    #[test]
    fn an_accessor_never_hides_a_header_map_method() {
        let op = json!({"responses": {"200": {"description": "", "headers": {
            "Len": {"schema": {"type": "integer"}}, "Get": {}, "Last-Modified": {}
        }}}});
        let headers = Headers::of(&json!({}), op.as_object().unwrap());
        let code = headers
            .item(&format_ident!("core"), &format_ident!("List"), "list")
            .to_string();
        for f in ["fn len_header", "fn get_header", "fn last_modified", "SystemTime"] {
            assert!(code.contains(f), "{f}: {code}");
        }
    }
}
