//! The spec-to-client pipeline, as a library: the xtask is a thin command
//! line over it and the tests drive it directly.
//!
//! Stages, one module each: [`load`], [`merge`], [`overlay`], [`normalize`],
//! [`validate`], [`generate`], then [`output`] writes or checks. [`pipeline`]
//! runs them for a whole specs tree.

pub mod adapt;
pub mod defs;
pub mod docs;
pub mod error;
pub mod generate;
pub mod jsonpath;
pub mod limits;
pub mod load;
pub mod manifest;
pub mod merge;
pub mod normalize;
pub mod output;
pub mod overlay;
pub mod patterns;
pub mod pipeline;
pub mod scaffold;
pub mod skip;
pub mod surface;
pub mod swagger2;
pub mod validate;

pub use error::{Diagnostic, Error, Result};
pub use pipeline::{Options, Plan, plan};
