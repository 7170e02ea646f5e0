//! Typed async client for the GitHub Team Membership API.
//!
//! `generated.rs` is written by `cargo xtask generate` from `specs/github/`;
//! this file is the hand-written layer around it (auth, headers, defaults).

#[allow(clippy::all, clippy::pedantic, unused)]
mod generated;

pub use generated::*;
