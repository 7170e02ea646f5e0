//! What the generate stage writes besides progenitor's types and raw
//! requests: the client layer every API gets ([`client`]), built from the
//! spec's servers ([`servers`]) and security schemes ([`security`]), and
//! the one statement taken out of progenitor's requests ([`stray_header`]).

pub mod client;
pub mod security;
pub mod servers;
pub mod stray_header;
