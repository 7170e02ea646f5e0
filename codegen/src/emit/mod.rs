//! What the generate stage writes besides progenitor's types and raw
//! requests: the client layer every API gets ([`client`]), built from the
//! spec's servers ([`servers`]) and security schemes ([`security`]), with
//! what progenitor cannot express done by the layer itself ([`layer`]);
//! `#[non_exhaustive]` on response-only structs ([`non_exhaustive`]); and
//! fixes to progenitor's raw requests ([`raw_fixes`]).

pub mod client;
pub(crate) mod layer;
pub mod non_exhaustive;
pub mod raw_fixes;
pub mod security;
pub mod servers;
