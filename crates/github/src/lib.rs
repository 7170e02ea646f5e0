//! Typed async client for the GitHub Team Membership API.
//!
//! `generated.rs` is written by `cargo xtask generate` from `specs/github/`;
//! this file is the hand-written layer around it (auth, headers, defaults).

// Formatted by prettyplease at generation time; rustfmt leaves it alone.
#[rustfmt::skip]
#[allow(clippy::all, clippy::pedantic, unused)]
mod generated;

pub use generated::*;
