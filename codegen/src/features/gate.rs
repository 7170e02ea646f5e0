//! Puts each tagged operation's items, and the types only its tags reach,
//! behind `#[cfg(feature = ..)]` in the generated module: the client
//! method, the request value, its responses, errors and headers, its mock
//! expectation, and progenitor's raw method; then every type of
//! `raw::types` that operations reach (through their items and the types
//! those name) is compiled under the features of those operations: a type
//! of one tag with it, a type two tags share with either. A type every tag
//! reaches, or that anything always compiled names, stays unconditional.
//! An `impl` is compiled when every gated type it names is.

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::{TokenStream, TokenTree};
use quote::ToTokens;

use super::TagFeatures;

/// The modules of the client layer that hold one item (or impl) per
/// operation, named by its type name.
const PER_OPERATION: [&str; 4] = ["requests", "responses", "errors", "headers"];

/// What gating needs to know of the operations: each one's method name, by
/// its type name (`requests::GetDocument`).
pub struct Operations<'a> {
    pub plan: &'a TagFeatures,
    pub by_type: BTreeMap<String, String>,
}

/// A feature set's `cfg`: `any(feature = "a", ...)`.
fn any(features: &BTreeSet<String>) -> TokenStream {
    let f = features.iter();
    match features.len() {
        1 => quote::quote!(#(feature = #f)*),
        _ => quote::quote!(any(#(feature = #f),*)),
    }
}

fn cfg(condition: TokenStream) -> syn::Attribute {
    syn::parse_quote!(#[cfg(#condition)])
}

/// Every identifier in `tokens`.
fn idents(tokens: TokenStream, out: &mut BTreeSet<String>) {
    for t in tokens {
        match t {
            TokenTree::Ident(i) => {
                out.insert(i.to_string());
            }
            TokenTree::Group(g) => idents(g.stream(), out),
            _ => {}
        }
    }
}

fn idents_of(item: &impl ToTokens) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    idents(item.to_token_stream(), &mut out);
    out
}

/// The last identifier of a type path (`Client`, `GetDocument<'a>`).
fn self_name(ty: &syn::Type) -> Option<String> {
    match ty {
        syn::Type::Path(p) => p.path.segments.last().map(|s| s.ident.to_string()),
        _ => None,
    }
}

/// The name an item goes by: a type's, an impl's self type's, or the first
/// identifier of a macro call that is one of `known`.
fn item_name(item: &syn::Item, known: &dyn Fn(&str) -> bool) -> Option<String> {
    match item {
        syn::Item::Struct(s) => Some(s.ident.to_string()),
        syn::Item::Enum(e) => Some(e.ident.to_string()),
        syn::Item::Type(t) => Some(t.ident.to_string()),
        syn::Item::Impl(i) => self_name(&i.self_ty),
        syn::Item::Macro(m) => m.mac.tokens.clone().into_iter().find_map(|t| match t {
            TokenTree::Ident(i) if known(&i.to_string()) => Some(i.to_string()),
            _ => None,
        }),
        _ => None,
    }
}

fn attrs_of(item: &mut syn::Item) -> Option<&mut Vec<syn::Attribute>> {
    Some(match item {
        syn::Item::Struct(s) => &mut s.attrs,
        syn::Item::Enum(e) => &mut e.attrs,
        syn::Item::Type(t) => &mut t.attrs,
        syn::Item::Impl(i) => &mut i.attrs,
        syn::Item::Macro(m) => &mut m.attrs,
        syn::Item::Fn(f) => &mut f.attrs,
        syn::Item::Const(c) => &mut c.attrs,
        syn::Item::Static(s) => &mut s.attrs,
        syn::Item::Mod(m) => &mut m.attrs,
        syn::Item::Use(u) => &mut u.attrs,
        syn::Item::Trait(t) => &mut t.attrs,
        syn::Item::Union(u) => &mut u.attrs,
        _ => return None,
    })
}

/// The identifiers each gated operation's items name, and those of
/// everything always compiled.
#[derive(Default)]
struct Names {
    of_features: BTreeMap<BTreeSet<String>, BTreeSet<String>>,
    always: BTreeSet<String>,
}

struct Gate<'a> {
    ops: &'a Operations<'a>,
    names: Names,
}

impl Gate<'_> {
    /// The feature set of an operation by its method name (empty: always).
    fn of_method(&self, method: &str) -> BTreeSet<String> {
        self.ops.plan.of(method).iter().cloned().collect()
    }

    /// The feature set of an operation by its type name, or by its mock's
    /// `<Type>When` or `<Type>Then`.
    fn of_type_name(&self, name: &str) -> BTreeSet<String> {
        let method = self.ops.by_type.get(name).or_else(|| {
            ["When", "Then"]
                .iter()
                .find_map(|suffix| self.ops.by_type.get(name.strip_suffix(suffix)?))
        });
        method.map(|m| self.of_method(m)).unwrap_or_default()
    }

    /// Gates `attrs` by `features` (nothing when empty) and records the
    /// identifiers of `tokens` under them.
    fn mark(
        &mut self,
        attrs: &mut Vec<syn::Attribute>,
        features: BTreeSet<String>,
        tokens: BTreeSet<String>,
    ) {
        if features.is_empty() {
            self.names.always.extend(tokens);
        } else {
            attrs.push(cfg(any(&features)));
            self.names.of_features.entry(features).or_default().extend(tokens);
        }
    }

    /// The functions of an inherent impl of `Client` (or of the mock's
    /// `On`), one per operation, by method name.
    fn methods(&mut self, imp: &mut syn::ItemImpl) {
        for item in &mut imp.items {
            let syn::ImplItem::Fn(f) = item else {
                self.names.always.extend(idents_of(item));
                continue;
            };
            // progenitor's `<op>_stream` (a paginated operation's stream)
            // goes with its operation.
            let name = f.sig.ident.to_string();
            let features = match self.of_method(&name) {
                none if none.is_empty() => name
                    .strip_suffix("_stream")
                    .map(|op| self.of_method(op))
                    .unwrap_or_default(),
                some => some,
            };
            if f.sig.ident == "raw" {
                // Used by the operations' methods alone, which may all be off.
                f.attrs.push(syn::parse_quote!(#[allow(dead_code)]));
            }
            let tokens = idents_of(&*f);
            self.mark(&mut f.attrs, features, tokens);
        }
    }

    /// The items of a module that holds one item per operation, named by
    /// its type name (or its `When`/`Then`).
    fn per_operation(&mut self, items: &mut [syn::Item]) {
        for item in items {
            if let syn::Item::Impl(imp) = item
                && imp.trait_.is_none()
                && self_name(&imp.self_ty).as_deref() == Some("On")
            {
                self.methods(imp);
                continue;
            }
            let known = |n: &str| !self.of_type_name(n).is_empty();
            let features = item_name(item, &known)
                .map(|n| self.of_type_name(&n))
                .unwrap_or_default();
            let tokens = idents_of(&*item);
            match attrs_of(item) {
                Some(attrs) => self.mark(attrs, features, tokens),
                None => self.names.always.extend(tokens),
            }
        }
    }
}

/// Gates the generated module `file` by `ops`.
pub fn gate(file: &mut syn::File, ops: &Operations<'_>) {
    let mut gate = Gate {
        ops,
        names: Names::default(),
    };
    // Free functions (the vendor error decoders) go with what calls them:
    // decided once every operation's items are read.
    let mut free: Vec<usize> = Vec::new();
    // A top-level enum's variants (the vendor error's) go with what names
    // them (their decoders).
    let mut enums: Vec<usize> = Vec::new();
    for (index, item) in file.items.iter_mut().enumerate() {
        if matches!(item, syn::Item::Fn(_)) {
            free.push(index);
            continue;
        }
        if matches!(&*item, syn::Item::Enum(_)) {
            enums.push(index);
            continue;
        }
        let is_client = matches!(&*item, syn::Item::Impl(imp)
            if imp.trait_.is_none() && self_name(&imp.self_ty).as_deref() == Some("Client"));
        match item {
            syn::Item::Impl(imp) if is_client => gate.methods(imp),
            syn::Item::Mod(m)
                if PER_OPERATION.contains(&m.ident.to_string().as_str()) || m.ident == "mock" =>
            {
                if let Some((_, items)) = &mut m.content {
                    gate.per_operation(items);
                }
            }
            syn::Item::Mod(m) if m.ident == "raw" => {
                for inner in m.content.iter_mut().flat_map(|(_, items)| items.iter_mut()) {
                    let is_client = matches!(&*inner, syn::Item::Impl(imp)
                        if imp.trait_.is_none() && self_name(&imp.self_ty).as_deref() == Some("Client"));
                    let is_types = matches!(&*inner, syn::Item::Mod(t) if t.ident == "types");
                    match inner {
                        syn::Item::Impl(imp) if is_client => gate.methods(imp),
                        _ if is_types => {}
                        other => {
                            let names = idents_of(&*other);
                            gate.names.always.extend(names);
                        }
                    }
                }
            }
            other => {
                let names = idents_of(&*other);
                gate.names.always.extend(names);
            }
        }
    }
    free_functions(&mut file.items, &free, &mut gate.names);
    for i in enums {
        if let syn::Item::Enum(e) = &mut file.items[i] {
            variants(e, &mut gate.names);
        }
    }
    let types = file.items.iter_mut().find_map(|item| match item {
        syn::Item::Mod(m) if m.ident == "raw" => m.content.as_mut().and_then(|(_, items)| {
            items.iter_mut().find_map(|i| match i {
                syn::Item::Mod(t) if t.ident == "types" => t.content.as_mut().map(|(_, items)| items),
                _ => None,
            })
        }),
        _ => None,
    });
    let all: BTreeSet<String> = ops.plan.features.iter().map(|f| f.name.clone()).collect();
    if let Some(types) = types {
        gate_types(types, &gate.names, &all);
    }
}

/// Gates each free function (a vendor error's decoder) by every feature
/// whose items name it; one that something always compiled names, or that
/// nothing names, stays. Functions that name each other settle together.
fn free_functions(items: &mut [syn::Item], free: &[usize], names: &mut Names) {
    let named: Vec<(usize, String, BTreeSet<String>)> = free
        .iter()
        .filter_map(|&i| match &items[i] {
            syn::Item::Fn(f) => Some((i, f.sig.ident.to_string(), idents_of(&items[i]))),
            _ => None,
        })
        .collect();
    // `None`: always; `Some(set)`: the features it is compiled under.
    let mut under: BTreeMap<usize, Option<BTreeSet<String>>> = BTreeMap::new();
    loop {
        let mut changed = false;
        for (i, name, _) in &named {
            let always = names.always.contains(name)
                || named
                    .iter()
                    .any(|(j, _, tokens)| tokens.contains(name) && under.get(j) == Some(&None));
            let mut set: BTreeSet<String> = names
                .of_features
                .iter()
                .filter(|(_, n)| n.contains(name))
                .flat_map(|(f, _)| f.iter().cloned())
                .collect();
            for (j, _, tokens) in &named {
                if let (true, Some(Some(theirs))) = (tokens.contains(name) && j != i, under.get(j)) {
                    set.extend(theirs.iter().cloned());
                }
            }
            let now = match always || set.is_empty() {
                true => None,
                false => Some(set),
            };
            if under.get(i) != Some(&now) {
                under.insert(*i, now);
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    for (i, _, tokens) in named {
        match under.remove(&i).flatten() {
            None => names.always.extend(tokens),
            Some(features) => {
                if let syn::Item::Fn(f) = &mut items[i] {
                    f.attrs.push(cfg(any(&features)));
                }
                names.of_features.entry(features).or_default().extend(tokens);
            }
        }
    }
}

/// Gates each variant of a top-level enum (the vendor error's) by the
/// features whose items name it (its decoder's); one that something always
/// compiled names, or nothing names, stays.
fn variants(e: &mut syn::ItemEnum, names: &mut Names) {
    let own: BTreeSet<String> = [e.ident.to_string()].into();
    for v in &mut e.variants {
        let name = v.ident.to_string();
        let tokens: BTreeSet<String> = idents_of(&v.fields).difference(&own).cloned().collect();
        let features: BTreeSet<String> = names
            .of_features
            .iter()
            .filter(|(_, n)| n.contains(&name))
            .flat_map(|(f, _)| f.iter().cloned())
            .collect();
        if names.always.contains(&name) || features.is_empty() {
            names.always.extend(tokens);
            continue;
        }
        v.attrs.push(cfg(any(&features)));
        names.of_features.entry(features).or_default().extend(tokens);
    }
}

/// Gates the types of `raw::types` by what reaches them.
fn gate_types(items: &mut [syn::Item], names: &Names, all_features: &BTreeSet<String>) {
    let all = |_: &str| false;
    let defined: BTreeSet<String> = items
        .iter()
        .filter(|i| !matches!(i, syn::Item::Impl(_)))
        .filter_map(|i| item_name(i, &all))
        .collect();
    // What each type's definition names.
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for item in items.iter() {
        if matches!(item, syn::Item::Impl(_)) {
            continue;
        }
        if let Some(name) = item_name(item, &all) {
            let named: BTreeSet<String> = idents_of(item)
                .intersection(&defined)
                .filter(|n| **n != name)
                .cloned()
                .collect();
            edges.entry(name).or_default().extend(named);
        }
    }
    let reach = |roots: &BTreeSet<String>| -> BTreeSet<String> {
        let mut seen: BTreeSet<String> = roots.intersection(&defined).cloned().collect();
        let mut queue: Vec<String> = seen.iter().cloned().collect();
        while let Some(t) = queue.pop() {
            for next in edges.get(&t).into_iter().flatten() {
                if seen.insert(next.clone()) {
                    queue.push(next.clone());
                }
            }
        }
        seen
    };
    // A type reached by an unconditional item (or by none: an orphan the
    // crate keeps as it is) is always compiled, and so is what it names.
    let reached_by_features: BTreeMap<&BTreeSet<String>, BTreeSet<String>> =
        names.of_features.iter().map(|(f, n)| (f, reach(n))).collect();
    let mut orphans = defined.clone();
    for r in reached_by_features.values() {
        orphans.retain(|t| !r.contains(t));
    }
    let always = reach(&names.always.union(&orphans).cloned().collect());
    // Each type is compiled under every feature whose operations reach it:
    // a type of one tag with that tag, a type two tags share with either.
    // One every tag reaches is always compiled.
    let mut gated: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (features, reached) in &reached_by_features {
        for t in reached.difference(&always) {
            gated
                .entry(t.clone())
                .or_default()
                .extend(features.iter().cloned());
        }
    }
    gated.retain(|_, features| features != all_features);
    for item in items.iter_mut() {
        apply(item, &gated);
    }
}

/// Gates one item of `types` (or of a module in it): a type by its own
/// set, anything else by every gated type it names.
fn apply(item: &mut syn::Item, gated: &BTreeMap<String, BTreeSet<String>>) {
    if let syn::Item::Mod(m) = item {
        if let Some((_, items)) = &mut m.content {
            for inner in items {
                apply(inner, gated);
            }
        }
        return;
    }
    let all = |_: &str| false;
    let own = match &*item {
        syn::Item::Impl(_) => None,
        other => item_name(other, &all),
    };
    let named = idents_of(&*item);
    let sets: BTreeSet<&BTreeSet<String>> = match own {
        Some(name) => gated.get(&name).into_iter().collect(),
        None => named.iter().filter_map(|n| gated.get(n)).collect(),
    };
    let condition = match sets.len() {
        0 => return,
        1 => any(sets.first().expect("one set")),
        _ => {
            let each = sets.iter().map(|s| any(s));
            quote::quote!(all(#(#each),*))
        }
    };
    if let Some(attrs) = attrs_of(item) {
        attrs.push(cfg(condition));
    }
}
