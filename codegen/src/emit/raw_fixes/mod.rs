//! Fixes to progenitor's raw module, made to its code where it is
//! generated rather than at run time, each in a module of its own:
//!
//! - [`field_names`]: fields that typify named alike (properties apart only
//!   by case) get distinct names;
//! - [`stray_header`]: the `api-version` header progenitor puts on every
//!   request is taken out;
//! - [`methods`]: calls of HTTP methods reqwest has no shorthand for
//!   (OPTIONS, TRACE) are spelled out;
//! - [`path_values`]: a `&str` path value is percent-encoded as it is,
//!   without the copy `to_string` makes first;
//! - [`fragments`]: a path key's fragment (an operation's name in
//!   APIs.guru's conversion) is not put in the request URL.

pub mod field_names;
pub mod fragments;
pub mod methods;
pub mod path_values;
pub mod stray_header;

/// Applies every fix to progenitor's module; returns the notes of those
/// that report what they changed.
pub fn apply(raw: &mut syn::File) -> Vec<String> {
    let notes = field_names::dedupe(raw);
    stray_header::remove(raw);
    methods::spell_out(raw);
    path_values::borrow(raw);
    fragments::cut(raw);
    notes
}
