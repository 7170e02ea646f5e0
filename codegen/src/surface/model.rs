//! The public surface of one generated client as data: every item a user of
//! the crate can name, read from the final generated module (so it is what
//! they compile against), plus the open enums a manifest's `[replace]` puts
//! in place of spec enums, whose values only the document knows.
//!
//! Items: the `pub` methods of `Client` and `ClientBuilder` (operations with
//! their `METHOD /path`, required parameters in order, the optional ones
//! their request value has setters for, and what it returns when sent),
//! the vendor error
//! type, every type of `types`, the `responses` and `errors` enums (named
//! `responses::<Op>`, `errors::<Op>`), and each operation's typed header
//! accessors (`headers::<Op>`, as methods, with what they return): structs with their fields (required or
//! optional), enums with their variants (open or closed), newtypes, aliases.
//! Each item carries a hash of its documentation, so a description-only edit
//! is seen without listing the text.

use std::collections::{BTreeMap, BTreeSet};

use quote::ToTokens;
use serde_json::Value;

use crate::manifest::Manifest;

/// The surface of one client crate.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Surface {
    /// The vendor error type (`VendorError`'s target).
    pub error: String,
    /// The `pub` methods of the client and its builder, in source order.
    pub functions: Vec<Function>,
    /// The types users can name, by name.
    pub types: Vec<TypeDef>,
}

/// A `pub` method of `Client` or `ClientBuilder`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Function {
    /// `Client` or `ClientBuilder`.
    pub owner: String,
    /// The method name.
    pub name: String,
    /// `PUT /path` for an operation; `None` for other methods.
    pub request: Option<String>,
    /// The parameters after `self`, in order.
    pub params: Vec<Param>,
    /// An operation's request value (`requests::<Op>`), which the method
    /// returns and which is sent by `.await`; `None` for an `async fn`.
    pub value: Option<String>,
    /// An operation's optional inputs: the setters of its request value
    /// (`requests::<Op>`), each with the type it takes.
    pub options: Vec<Param>,
    /// The return type; for an operation, what its request returns when
    /// sent.
    pub returns: String,
    /// A paginated operation's item type and how it pages:
    /// `types::Issue (pages by the `Link` header's next link; …)`.
    pub pages: Option<String>,
    /// What an operation that answers JSON or events gives by its request
    /// value's `.stream()`.
    pub stream: Option<String>,
    /// A hash of its docs.
    pub docs: String,
    /// The cargo features it is compiled under (`catalog`, `admin | orders`;
    /// `None`: always), for an API with per-tag features.
    pub feature: Option<String>,
}

/// One parameter of a method.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Param {
    /// Its name.
    pub name: String,
    /// Its type.
    pub ty: String,
}

/// A type of the `types` module, or a hand-written open enum replacing one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TypeDef {
    /// Its name.
    pub name: String,
    /// What it is.
    pub kind: Kind,
    /// Whether it reaches requests (a parameter) and/or responses.
    pub roles: Roles,
    /// A hash of its docs, fields' and variants' docs included.
    pub docs: String,
    /// The cargo features it is compiled under (`None`: always).
    pub feature: Option<String>,
}

/// Where a type is used.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Roles {
    /// Reachable from an operation's parameters: users build it.
    pub request: bool,
    /// Reachable from an operation's response or the error type: users read it.
    pub response: bool,
}

/// What a type is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    /// A struct with named fields.
    Struct {
        /// Its fields, in order.
        fields: Vec<Field>,
        /// `#[non_exhaustive]`: users cannot write it as a literal.
        non_exhaustive: bool,
        /// It has a constructor taking its required fields and a setter per
        /// other field (or typify's builder in `types::builder`).
        builder: bool,
    },
    /// An enum: its variants, as wire values for unit variants.
    Enum {
        /// Open enums keep values they do not know (`open_enum!`).
        open: bool,
        /// `#[non_exhaustive]`: matches outside the crate have a `_` arm.
        non_exhaustive: bool,
        /// The variants, in order.
        variants: Vec<String>,
    },
    /// A tuple struct around one type.
    Newtype {
        /// The wrapped type.
        inner: String,
    },
    /// A type alias, or a type a manifest replaces by a hand-written one.
    Alias {
        /// What it stands for.
        target: String,
    },
}

/// A named field of a struct.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    /// The Rust name.
    pub name: String,
    /// Its type.
    pub ty: String,
    /// Required in JSON (neither an `Option` nor `#[serde(default)]`).
    pub required: bool,
}

/// Reads the surface of a generated module. `doc` is the document it was
/// generated from (for the values of replaced enums).
pub fn read(file: &syn::File, doc: &Value, manifest: &Manifest) -> Surface {
    let mut surface = Surface::default();
    let mut requests = BTreeMap::new();
    for item in &file.items {
        match item {
            syn::Item::Type(t) if t.ident == "VendorError" => surface.error = tidy(&t.ty),
            syn::Item::Impl(imp) => {
                let owner = tidy(&imp.self_ty);
                if owner != "Client" && owner != "ClientBuilder" {
                    continue;
                }
                for it in &imp.items {
                    let syn::ImplItem::Fn(f) = it else { continue };
                    if matches!(f.vis, syn::Visibility::Public(_)) {
                        surface.functions.push(function(&owner, f));
                    }
                }
            }
            syn::Item::Mod(m) if m.ident == "responses" || m.ident == "errors" => {
                let enums = module_items(m).unwrap_or_default().iter();
                surface
                    .types
                    .extend(enums.filter_map(|i| type_def(i, &BTreeSet::new())).map(|mut t| {
                        t.name = format!("{}::{}", m.ident, t.name);
                        t
                    }));
            }
            syn::Item::Mod(m) if m.ident == "headers" => {
                for imp in module_items(m).unwrap_or_default().iter() {
                    let syn::Item::Impl(imp) = imp else { continue };
                    let owner = format!("headers::{}", tidy(&imp.self_ty));
                    for it in &imp.items {
                        if let syn::ImplItem::Fn(f) = it
                            && matches!(f.vis, syn::Visibility::Public(_))
                        {
                            surface.functions.push(function(&owner, f));
                        }
                    }
                }
            }
            syn::Item::Mod(m) if m.ident == "requests" => {
                requests = module_items(m).map(request_values).unwrap_or_default();
            }
            syn::Item::Mod(m) if m.ident == "raw" => {
                if let Some(items) = module_items(m).and_then(|items| find_mod(items, "types")) {
                    let mut builders: BTreeSet<String> = find_mod(items, "builder")
                        .map(|b| b.iter().filter_map(struct_name).collect())
                        .unwrap_or_default();
                    builders.extend(items.iter().filter_map(constructed));
                    surface
                        .types
                        .extend(items.iter().filter_map(|i| type_def(i, &builders)));
                }
            }
            _ => {}
        }
    }
    for (schema, path) in &manifest.replace {
        let values = doc
            .pointer(&format!(
                "/components/schemas/{}/enum",
                crate::document::escape(schema)
            ))
            .and_then(Value::as_array);
        let kind = match values {
            Some(values) => Kind::Enum {
                open: true,
                non_exhaustive: false,
                variants: values.iter().map(wire_value).collect(),
            },
            None => Kind::Alias { target: path.clone() },
        };
        let description = doc
            .pointer(&format!(
                "/components/schemas/{}/description",
                crate::document::escape(schema)
            ))
            .and_then(Value::as_str)
            .unwrap_or_default();
        surface.types.push(TypeDef {
            name: schema.clone(),
            kind,
            roles: Roles::default(),
            docs: hash(description),
            feature: None,
        });
    }
    for f in &mut surface.functions {
        let value = f.returns.strip_prefix("requests::");
        if let Some(value) = value.and_then(|v| requests.get(v)) {
            f.value = Some(f.returns.clone());
            f.options.clone_from(&value.options);
            f.returns.clone_from(&value.returns);
            f.stream.clone_from(&value.stream);
            f.pages = value.item.as_ref().map(|item| {
                let how = f
                    .request
                    .as_deref()
                    .and_then(|r| r.split_once(' '))
                    .and_then(|(method, path)| {
                        let at = crate::document::operation_pointer(path, &method.to_ascii_lowercase());
                        crate::adapt::Paging::of(doc.pointer(&at)?.as_object()?)
                    })
                    .map(|p| p.describe())
                    .unwrap_or_default();
                format!("{item} ({})", how.trim_start_matches("pages "))
            });
        }
    }
    surface.types.sort_by(|a, b| a.name.cmp(&b.name));
    surface.types.dedup_by(|a, b| a.name == b.name);
    assign_roles(&mut surface);
    surface
}

/// One request value of `requests`.
#[derive(Default)]
struct RequestValue {
    /// Its setters, each with the type it takes.
    options: Vec<Param>,
    /// What `send` returns.
    returns: String,
    /// What `into_stream` gives, when it pages.
    item: Option<String>,
    /// What `stream` returns, for JSON or events.
    stream: Option<String>,
}

/// The request values of `requests`, by name.
fn request_values(items: &[syn::Item]) -> BTreeMap<String, RequestValue> {
    let mut out: BTreeMap<String, RequestValue> = BTreeMap::new();
    for item in items {
        let syn::Item::Impl(imp) = item else { continue };
        if imp.trait_.is_some() {
            continue;
        }
        let entry = out.entry(tidy(&imp.self_ty)).or_default();
        let setters: Vec<String> = imp
            .items
            .iter()
            .filter_map(|it| match it {
                syn::ImplItem::Fn(f) => Some(f.sig.ident.to_string()),
                _ => None,
            })
            .collect();
        for it in &imp.items {
            let syn::ImplItem::Fn(f) = it else { continue };
            if !matches!(f.vis, syn::Visibility::Public(_)) {
                continue;
            }
            let Function {
                name,
                params,
                returns,
                ..
            } = function("", f);
            // `set_x(Option<T>)` goes with `x(T)`: one optional input.
            if name
                .strip_prefix("set_")
                .is_some_and(|base| setters.iter().any(|s| s == base))
            {
                continue;
            }
            match (name.as_str(), params.as_slice()) {
                ("send", _) => entry.returns = returns,
                ("into_stream", []) => entry.item = stream_item(&f.sig.output),
                ("stream", []) => entry.stream = Some(returns),
                (_, [value]) => entry.options.push(Param {
                    name,
                    ty: value.ty.clone(),
                }),
                _ => {}
            }
        }
    }
    out
}

/// `T` of `Items<'a, T, V>`.
fn stream_item(output: &syn::ReturnType) -> Option<String> {
    let syn::ReturnType::Type(_, ty) = output else {
        return None;
    };
    let syn::Type::Path(p) = ty.as_ref() else {
        return None;
    };
    let syn::PathArguments::AngleBracketed(args) = &p.path.segments.last()?.arguments else {
        return None;
    };
    args.args.iter().find_map(|a| match a {
        syn::GenericArgument::Type(t) => Some(tidy(t)),
        _ => None,
    })
}

fn wire_value(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn module_items(m: &syn::ItemMod) -> Option<&[syn::Item]> {
    m.content.as_ref().map(|(_, items)| items.as_slice())
}

fn find_mod<'a>(items: &'a [syn::Item], name: &str) -> Option<&'a [syn::Item]> {
    items.iter().find_map(|i| match i {
        syn::Item::Mod(m) if m.ident == name => module_items(m),
        _ => None,
    })
}

/// The type an `impl` block gives a `new` (the constructor of
/// `emit/structs.rs`).
fn constructed(item: &syn::Item) -> Option<String> {
    let syn::Item::Impl(imp) = item else { return None };
    // The constructors of response types exist for the `mock` feature's
    // answers (test support): not the surface a normal build has.
    let test_support = imp
        .attrs
        .iter()
        .any(|a| a.path().is_ident("cfg") && a.meta.to_token_stream().to_string().contains("\"mock\""));
    let has_new = !test_support
        && imp.trait_.is_none()
        && imp
            .items
            .iter()
            .any(|i| matches!(i, syn::ImplItem::Fn(f) if f.sig.ident == "new"));
    has_new.then(|| tidy(&imp.self_ty))
}

fn struct_name(item: &syn::Item) -> Option<String> {
    match item {
        syn::Item::Struct(s) => Some(s.ident.to_string()),
        _ => None,
    }
}

fn function(owner: &str, f: &syn::ImplItemFn) -> Function {
    let docs = doc_text(&f.attrs);
    let request = super::request_line(&docs).map(|line| line.replace(['`'], "").replace(" request to ", " "));
    let params = f
        .sig
        .inputs
        .iter()
        .filter_map(|input| match input {
            syn::FnArg::Typed(t) => Some(Param {
                name: t.pat.to_token_stream().to_string().replace("mut ", ""),
                ty: tidy(&t.ty),
            }),
            syn::FnArg::Receiver(_) => None,
        })
        .collect();
    let returns = match &f.sig.output {
        syn::ReturnType::Default => "()".to_string(),
        syn::ReturnType::Type(_, ty) => tidy(ty),
    };
    Function {
        owner: owner.to_string(),
        name: f.sig.ident.to_string(),
        request,
        params,
        value: None,
        options: Vec::new(),
        returns,
        pages: None,
        stream: None,
        docs: hash(&docs),
        feature: feature_of(&f.attrs),
    }
}

/// The tag features an item's `#[cfg]` compiles it under (`catalog`,
/// `admin | orders`), the `mock` feature aside.
pub fn feature_of(attrs: &[syn::Attribute]) -> Option<String> {
    let mut features = Vec::new();
    for attr in attrs.iter().filter(|a| a.path().is_ident("cfg")) {
        let mut text = Vec::new();
        flatten(attr.meta.to_token_stream(), &mut text);
        for w in text.windows(3) {
            if let [
                proc_macro2::TokenTree::Ident(i),
                proc_macro2::TokenTree::Punct(p),
                proc_macro2::TokenTree::Literal(l),
            ] = w
                && i == "feature"
                && p.as_char() == '='
            {
                let name = l.to_string().trim_matches('"').to_string();
                if name != "mock" {
                    features.push(name);
                }
            }
        }
    }
    (!features.is_empty()).then(|| features.join(" | "))
}

/// Every token of `tokens`, groups opened.
fn flatten(tokens: proc_macro2::TokenStream, out: &mut Vec<proc_macro2::TokenTree>) {
    for t in tokens {
        match t {
            proc_macro2::TokenTree::Group(g) => flatten(g.stream(), out),
            other => out.push(other),
        }
    }
}

fn type_def(item: &syn::Item, builders: &BTreeSet<String>) -> Option<TypeDef> {
    let feature = match item {
        syn::Item::Struct(s) => feature_of(&s.attrs),
        syn::Item::Enum(e) => feature_of(&e.attrs),
        syn::Item::Type(t) => feature_of(&t.attrs),
        _ => None,
    };
    let (name, kind, docs) = match item {
        syn::Item::Struct(s) if matches!(s.vis, syn::Visibility::Public(_)) => {
            let mut docs = doc_text(&s.attrs);
            let kind = match &s.fields {
                syn::Fields::Unnamed(u) if u.unnamed.len() == 1 => Kind::Newtype {
                    inner: tidy(&u.unnamed[0].ty),
                },
                fields => Kind::Struct {
                    fields: fields
                        .iter()
                        .filter(|f| matches!(f.vis, syn::Visibility::Public(_)))
                        .map(|f| {
                            member_docs(&mut docs, f.ident.as_ref(), &f.attrs);
                            let ty = tidy(&f.ty);
                            Field {
                                name: f.ident.as_ref().map(ToString::to_string).unwrap_or_default(),
                                required: !ty.starts_with("Option<") && !serde_default(&f.attrs),
                                ty,
                            }
                        })
                        .collect(),
                    non_exhaustive: s.attrs.iter().any(|a| a.path().is_ident("non_exhaustive")),
                    builder: builders.contains(&s.ident.to_string()),
                },
            };
            (s.ident.to_string(), kind, docs)
        }
        syn::Item::Enum(e) if matches!(e.vis, syn::Visibility::Public(_)) => {
            let mut docs = doc_text(&e.attrs);
            let variants = e
                .variants
                .iter()
                .map(|v| {
                    member_docs(&mut docs, Some(&v.ident), &v.attrs);
                    match &v.fields {
                        syn::Fields::Unit => serde_rename(&v.attrs).unwrap_or_else(|| v.ident.to_string()),
                        fields => format!("{}{}", v.ident, tidy(fields)),
                    }
                })
                .collect();
            let non_exhaustive = e.attrs.iter().any(|a| a.path().is_ident("non_exhaustive"));
            let kind = Kind::Enum {
                open: false,
                non_exhaustive,
                variants,
            };
            (e.ident.to_string(), kind, docs)
        }
        syn::Item::Type(t) if matches!(t.vis, syn::Visibility::Public(_)) => (
            t.ident.to_string(),
            Kind::Alias { target: tidy(&t.ty) },
            doc_text(&t.attrs),
        ),
        _ => return None,
    };
    Some(TypeDef {
        name,
        kind,
        roles: Roles::default(),
        docs: hash(&docs),
        feature,
    })
}

/// Marks every type reachable from an operation's parameters as a request
/// type, and from its return type or the error type as a response type.
pub(crate) fn assign_roles(surface: &mut Surface) {
    let known: BTreeSet<String> = surface.types.iter().map(|t| t.name.clone()).collect();
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for t in &surface.types {
        let text = match &t.kind {
            Kind::Struct { fields, .. } => fields.iter().map(|f| f.ty.as_str()).collect::<Vec<_>>().join(" "),
            Kind::Enum { variants, .. } => variants.join(" "),
            Kind::Newtype { inner } => inner.clone(),
            Kind::Alias { target } => target.clone(),
        };
        edges.insert(t.name.clone(), names_in(&text, &known));
    }
    let ops = surface.functions.iter().filter(|f| f.request.is_some());
    let request_roots: BTreeSet<String> = ops
        .clone()
        .flat_map(|f| {
            f.params
                .iter()
                .chain(&f.options)
                .flat_map(|p| names_in(&p.ty, &known))
        })
        .collect();
    let mut response_roots: BTreeSet<String> =
        ops.clone().flat_map(|f| names_in(&f.returns, &known)).collect();
    // A `responses::<Op>` enum: a path, which `names_in` does not split out
    // (the paths found once: an API has thousands of types).
    let paths: Vec<&String> = known.iter().filter(|k| k.contains("::")).collect();
    response_roots.extend(
        ops.flat_map(|f| paths.iter().filter(|k| f.returns.contains(k.as_str())))
            .map(|k| (*k).clone()),
    );
    response_roots.extend(names_in(&surface.error, &known));
    let request = reach(request_roots, &edges);
    let response = reach(response_roots, &edges);
    for t in &mut surface.types {
        t.roles = Roles {
            request: request.contains(&t.name),
            response: response.contains(&t.name),
        };
    }
}

fn reach(mut todo: BTreeSet<String>, edges: &BTreeMap<String, BTreeSet<String>>) -> BTreeSet<String> {
    let mut seen = BTreeSet::new();
    while let Some(name) = todo.pop_first() {
        if seen.insert(name.clone())
            && let Some(next) = edges.get(&name)
        {
            todo.extend(next.iter().filter(|n| !seen.contains(*n)).cloned());
        }
    }
    seen
}

/// The known type names a type's text mentions.
fn names_in(text: &str, known: &BTreeSet<String>) -> BTreeSet<String> {
    text.split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .filter(|w| known.contains(*w))
        .map(String::from)
        .collect()
}

/// Adds a field's or variant's docs, with its name, to its type's docs (an
/// undocumented member adds nothing, so adding one is not a docs change).
fn member_docs(docs: &mut String, name: Option<&syn::Ident>, attrs: &[syn::Attribute]) {
    let text = doc_text(attrs);
    if !text.is_empty() {
        docs.push_str(&format!(
            "\n{}: {text}",
            name.map(ToString::to_string).unwrap_or_default()
        ));
    }
}

/// The text of the `///` lines (`#[doc]` attributes) of an item, joined.
pub(crate) fn doc_text(attrs: &[syn::Attribute]) -> String {
    attrs
        .iter()
        .filter(|a| a.path().is_ident("doc"))
        .filter_map(|a| match &a.meta {
            syn::Meta::NameValue(nv) => match &nv.value {
                syn::Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Str(s),
                    ..
                }) => Some(s.value()),
                _ => None,
            },
            _ => None,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The `serde(...)` attribute arguments, as text.
fn serde_args(attrs: &[syn::Attribute]) -> impl Iterator<Item = String> + '_ {
    attrs
        .iter()
        .filter(|a| a.path().is_ident("serde"))
        .filter_map(|a| a.meta.require_list().ok().map(|l| l.tokens.to_string()))
}

fn serde_default(attrs: &[syn::Attribute]) -> bool {
    serde_args(attrs).any(|args| args.split(',').any(|arg| arg.trim().starts_with("default")))
}

fn serde_rename(attrs: &[syn::Attribute]) -> Option<String> {
    serde_args(attrs).find_map(|args| {
        let rest = args.split("rename =").nth(1)?;
        let lit: syn::LitStr = syn::parse_str(rest.split(',').next()?.trim()).ok()?;
        Some(lit.value())
    })
}

/// A type (or any tokens) as one short line: paths of the standard prelude
/// shortened, lifetimes left out.
pub(crate) fn tidy(tokens: &impl ToTokens) -> String {
    let mut s = super::compact(&tokens.to_token_stream().to_string())
        .replace("impl::", "impl ::")
        .replace("dyn::", "dyn ::");
    for prefix in [
        "::std::option::",
        "::std::string::",
        "::std::vec::",
        "::std::result::",
        "::std::boxed::",
        "::std::convert::",
        "::std::collections::",
    ] {
        s = s.replace(prefix, "");
    }
    s.replace(" <", "<")
        .replace("&'a ", "&")
        .replace("<'a>", "")
        .replace("::serde_json::", "serde_json::")
}

/// A stable 64-bit FNV-1a hash of documentation text, in hex.
pub(crate) fn hash(text: &str) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in text.trim().bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{h:016x}")
}
