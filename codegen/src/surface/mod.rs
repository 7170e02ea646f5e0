//! The API surface of a generated client, and how it changes.
//!
//! Two views: [`listing`], per operation its method and path, the Rust
//! signature, and its response and error types (what the snapshot tests pin),
//! and the full surface ([`model`]: every item a user can name), committed
//! per crate as `surface.txt` ([`text`]). [`rules`] compares two surfaces
//! and classes each change (`RULES.md` beside this file); [`release`] turns
//! the class into a version bump and a changelog entry; [`history`] replays
//! a vendor's spec history through them.

pub mod history;
pub mod model;
pub mod release;
pub mod rules;
pub mod text;

use std::fmt::Write as _;

use quote::ToTokens;
use serde_json::Value;

use crate::adapt::Adaptation;
use crate::document::{METHODS, operation_pointer};
use crate::progenitor_rules::describe_response;
use crate::validate::Skipped;

/// Renders the listing of one generated client.
pub fn listing(doc: &Value, file: &syn::File, adaptations: &[Adaptation], skipped: &[Skipped]) -> String {
    let signatures = method_signatures(file);
    let requests = request_setters(file);
    // By their "`GET` request to `/path`" line: one lookup per operation, not
    // a scan of every method (quadratic: 80 s for 10,000 operations).
    let mut by_request = std::collections::HashMap::new();
    for (docs, sig) in &signatures {
        if let Some(line) = request_line(docs) {
            by_request.entry(line).or_insert(sig.as_str());
        }
    }
    let mut out = String::new();
    let Some(Value::Object(paths)) = doc.get("paths") else {
        return out;
    };
    for (path, item) in paths {
        for method in METHODS {
            let Some(op) = item.get(method) else { continue };
            let id = op.get("operationId").and_then(Value::as_str).unwrap_or_default();
            let sent = crate::document::sent_method(op, method);
            let _ = writeln!(out, "{sent} {path}  ({id})");
            let doc_line = format!("`{sent}` request to `{path}`");
            let found = by_request.get(doc_line.as_str()).copied().or_else(|| {
                signatures
                    .iter()
                    .find(|(docs, _)| docs.contains(&doc_line))
                    .map(|(_, sig)| sig.as_str())
            });
            match found {
                Some(sig) => {
                    let _ = writeln!(out, "  {sig}");
                    // The request value's setters, and what `.await` gives.
                    let value = sig
                        .rsplit_once("-> requests::")
                        .map(|(_, v)| v.split('<').next().unwrap_or(v));
                    if let Some((setters, sends)) = value.and_then(|v| requests.get(v)) {
                        for setter in setters {
                            let _ = writeln!(out, "    .{setter}");
                        }
                        let _ = writeln!(out, "    .await -> {sends}");
                    }
                }
                None => {
                    let _ = writeln!(out, "  (no client method)");
                }
            }
            if let Some(Value::Object(responses)) = op.get("responses") {
                for (status, r) in responses {
                    let kind = describe_response(doc, status, r).unwrap_or_else(|| "?".into());
                    let _ = writeln!(out, "  {status}: {kind}");
                }
            }
            let at = operation_pointer(path, method);
            for a in adaptations.iter().filter(|a| a.pointer == at) {
                let _ = writeln!(out, "  policy {}: {}", a.policy, a.detail);
            }
            out.push('\n');
        }
    }
    let schema_level: Vec<&Adaptation> = adaptations.iter().filter(|a| a.operation.is_empty()).collect();
    if !schema_level.is_empty() {
        let _ = writeln!(out, "adapted schemas:");
        for a in schema_level {
            match a.pointer.as_str() {
                "" => writeln!(out, "  {}: {}", a.policy, a.detail),
                at => writeln!(out, "  {} at #{at}: {}", a.policy, a.detail),
            }
            .ok();
        }
    }
    if !skipped.is_empty() {
        let _ = writeln!(out, "operations left out (an error costs only its operation):");
        for s in skipped {
            let _ = writeln!(out, "  {}: {}", s.operation, s.reasons.join("; "));
        }
    }
    out
}

/// Every `pub` method of `impl Client` (or of builder types), with its doc
/// text, rendered on one line.
fn method_signatures(file: &syn::File) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for item in &file.items {
        let syn::Item::Impl(imp) = item else { continue };
        for it in &imp.items {
            let syn::ImplItem::Fn(f) = it else { continue };
            if !matches!(f.vis, syn::Visibility::Public(_)) {
                continue;
            }
            let docs = model::doc_text(&f.attrs);
            out.push((docs, one_line(&f.sig)));
        }
    }
    out
}

/// Per request value of `requests`: its setters as `name(value: T)` (not
/// the `set_` ones that take the `Option`), and what `send` returns.
fn request_setters(file: &syn::File) -> std::collections::HashMap<String, (Vec<String>, String)> {
    let mut out: std::collections::HashMap<String, (Vec<String>, String)> = std::collections::HashMap::new();
    let items = file.items.iter().find_map(|i| match i {
        syn::Item::Mod(m) if m.ident == "requests" => m.content.as_ref().map(|(_, items)| items.as_slice()),
        _ => None,
    });
    for item in items.unwrap_or_default() {
        let syn::Item::Impl(imp) = item else { continue };
        if imp.trait_.is_some() {
            continue;
        }
        let syn::Type::Path(ty) = imp.self_ty.as_ref() else {
            continue;
        };
        let Some(name) = ty.path.segments.last().map(|s| s.ident.to_string()) else {
            continue;
        };
        let entry = out.entry(name).or_default();
        for it in &imp.items {
            let syn::ImplItem::Fn(f) = it else { continue };
            let sig = one_line(&f.sig);
            if f.sig.ident == "send" {
                entry.1 = sig
                    .rsplit_once("-> ")
                    .map(|(_, r)| r.to_string())
                    .unwrap_or_default();
            } else if !f.sig.ident.to_string().starts_with("set_") {
                let args = sig
                    .split_once("(mut self, ")
                    .and_then(|(_, rest)| rest.rsplit_once(") ->"))
                    .map(|(args, _)| args.to_string())
                    .unwrap_or_default();
                entry.0.push(format!("{}({args})", f.sig.ident));
            }
        }
    }
    out
}

/// The first "`METHOD` request to `path`" of a method's docs.
fn request_line(docs: &str) -> Option<&str> {
    const MIDDLE: &str = "` request to `";
    let at = docs.find(MIDDLE)?;
    let start = docs[..at].rfind('`')?;
    let end = at + MIDDLE.len() + docs[at + MIDDLE.len()..].find('`')? + 1;
    Some(&docs[start..end])
}

/// A signature as one readable line.
fn one_line(sig: &syn::Signature) -> String {
    format!(
        "pub {}",
        compact(&sig.to_token_stream().to_string())
            .replace("&'a::", "&'a ::")
            .replace("->::", "-> ::")
    )
}

/// Token text with the spaces `to_string` puts around punctuation removed.
fn compact(raw: &str) -> String {
    let mut s = raw
        .replace(" :: ", "::")
        .replace(":: ", "::")
        .replace(" < ", "<")
        .replace("< ", "<")
        .replace(" >", ">")
        .replace(" ,", ",")
        .replace("& '", "&'")
        .replace("& ", "&")
        .replace(" (", "(")
        .replace("( ", "(")
        .replace(" )", ")")
        .replace(" :", ":");
    while s.contains("  ") {
        s = s.replace("  ", " ");
    }
    s.replace(",>", ">")
}
