//! The runtime every generated client shares, so that a client crate is
//! generated code plus, at most, a page of vendor conveniences:
//!
//! - [`api`]: the static description the generator writes per API (servers,
//!   security schemes, operations with their path templates);
//! - [`connection`]: the checked base URL, the HTTP pool ([`http`]), fixed
//!   headers and credentials ([`auth`]), built by a [`Builder`];
//! - [`call`]: one operation's hooks: the URL check ([`endpoint`]), auth,
//!   no stray `api-version` header, retries, a `tracing` span per request,
//!   and one honest [`Error`] type ([`error`], with [`summary`] for
//!   `Display`; an operation's documented error typed, [`Documented`]);
//! - [`response`]: what a success gives, [`Response`]: the typed body, the
//!   status, and the operation's headers with a typed accessor per
//!   documented header ([`header`]: dates, `Link`, `Retry-After`, ...); a
//!   `text/event-stream` success as typed events ([`sse`]), a JSON Lines
//!   or JSON text sequence success as typed items ([`sequence`]), every buffered
//!   body bounded ([`limit`]); a paginated operation's [`Pages`] and
//!   [`Items`] ([`page`]);
//! - [`extra`]: what the generated layer adds where progenitor cannot
//!   (deepObject and delimited query parameters, a body it builds, such as
//!   a [`multipart`] form with the `multipart` feature, a [`mixed`]
//!   `multipart/mixed` body);
//! - [`retry`]: the [`RetryPolicy`] and what the server asks for
//!   (`Retry-After`, rate-limit resets);
//! - [`provider`]: credentials that refresh ([`TokenProvider`]), one
//!   refresh for many concurrent calls;
//! - [`secret`], [`base_url`], [`config`]: credentials that never print,
//!   base-URL checks, and [`ConfigError`];
//! - [`open_enum!`]: enums that keep values a vendor adds later.

pub mod api;
pub mod auth;
pub mod base_url;
pub mod call;
pub mod config;
pub mod connection;
pub mod endpoint;
pub mod error;
pub mod extra;
pub mod header;
pub mod http;
pub mod limit;
pub mod mixed;
#[cfg(feature = "mock")]
pub mod mock;
#[cfg(feature = "multipart")]
pub mod multipart;
pub mod open_enum;
pub mod page;
pub mod provider;
pub mod response;
pub mod retry;
pub mod secret;
pub mod sequence;
pub mod sse;
pub mod summary;

pub use api::{Api, Operation, Scheme, SchemeKind};
pub use auth::{Credential, basic_authorization};
pub use call::Call;
pub use config::ConfigError;
pub use connection::{Builder, Connection};
pub use error::{Attempts, Documented, Error, Transport, decode_json, undocumented};
pub use extra::{Body, Extra, Invalid};
pub use header::{HeaderError, Link, Links, RetryAfter};
pub use limit::DEFAULT_MAX_RESPONSE_BODY;
pub use mixed::Mixed;
#[cfg(feature = "multipart")]
pub use multipart::{FilePart, Files, Form};
pub use page::{Items, Pages, Rule, Step};
pub use progenitor_client::ByteStream;
pub use provider::{Provider, Token, TokenError, TokenProvider};
pub use response::Response;
pub use retry::RetryPolicy;
pub use secret::Secret;
pub use sequence::{DecodeItem, Framing, ItemStream};
pub use sse::{Event, EventStream, text_data};

/// Re-exported for the `open_enum!` macro.
#[doc(hidden)]
pub use serde as __serde;

/// rustls, whose `CryptoProvider` the builders take (`crypto_provider`):
/// the version the clients are built with, so an application names the same
/// type.
pub use rustls;
