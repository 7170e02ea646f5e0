//! What the generate stage writes besides progenitor's types and raw
//! requests: the client layer every API gets ([`client`]), built from the
//! spec's servers ([`servers`]) and security schemes ([`security`]), and
//! `#[non_exhaustive]` on response-only structs ([`non_exhaustive`]).

pub mod client;
pub mod non_exhaustive;
pub mod security;
pub mod servers;
