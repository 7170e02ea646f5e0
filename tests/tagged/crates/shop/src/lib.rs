//! Typed async client for the Shop API.
//!
//! `generated.rs` is written by `cargo xtask generate` from `specs/shop/`: the
//! `Client` (`Client::builder()`, one method per operation), its `Error` and
//! the `types`. This file is yours: add vendor conveniences here.

// Formatted by prettyplease at generation time; rustfmt leaves it alone.
#[rustfmt::skip]
#[allow(clippy::all, clippy::pedantic, non_camel_case_types)]
mod generated;

pub use generated::*;
