//! The spec-to-client pipeline, as a library: the xtask is a thin command
//! line over it and the tests drive it directly.
//!
//! Stages, one module each, in the order they run: [`load`] (with Swagger
//! 2.0 conversion), [`merge`], [`overlay`], [`normalize`] (with `$defs`
//! hoisting), [`adapt`], [`validate`] (with per-operation skipping),
//! [`generate`] (progenitor, then the client layer of [`emit`]), then
//! [`output`] writes or checks. [`names`] gives every operation its Rust
//! method name between normalize and adapt. [`pipeline`] runs them
//! for a whole specs tree. What every stage knows about the shape of an
//! OpenAPI document (methods, `$ref`s, JSON pointers, the one walk over
//! schemas) is in `document`, and what progenitor can take in
//! `progenitor_rules`; both are internal.

pub mod adapt;
pub mod docs;
pub(crate) mod document;
pub(crate) mod emit;
pub mod error;
pub mod features;
pub(crate) mod formats;
pub mod generate;
pub(crate) mod ident;
pub(crate) mod limits;
pub mod load;
pub mod manifest;
pub mod merge;
pub(crate) mod names;
pub mod normalize;
pub mod output;
pub mod overlay;
pub(crate) mod patterns;
pub mod pipeline;
pub(crate) mod progenitor_rules;
pub mod scaffold;
pub mod surface;
pub mod validate;

pub use error::{Diagnostic, Error, Result};
pub use pipeline::{Options, Plan, plan, plan_with};
