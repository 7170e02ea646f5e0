//! What the generate stage writes besides progenitor's types and raw
//! requests: the client layer every API gets ([`client`]), built from the
//! spec's servers ([`servers`]) and security schemes ([`security`]), with
//! what progenitor cannot express done by the layer itself ([`layer`]);
//! `#[non_exhaustive]` on response-only structs ([`non_exhaustive`]); and
//! two fixes to progenitor's requests: calls of HTTP methods reqwest has no
//! shorthand for, spelled out ([`methods`]), and the stray header taken
//! out ([`stray_header`]).

pub mod client;
pub(crate) mod layer;
pub mod methods;
pub mod non_exhaustive;
pub mod security;
pub mod servers;
pub mod stray_header;
