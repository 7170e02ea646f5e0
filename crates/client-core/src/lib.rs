//! What every generated client shares, so each client crate's hand-written
//! layer stays a page long: credentials that never show in `Debug` output
//! ([`secret`]), base-URL checks ([`base_url`]), path-value checks
//! ([`path`]), the request hooks that add auth and vendor headers and drop
//! progenitor's stray `api-version` header ([`transport`]), one honest error
//! type ([`error`]), and enums that accept values a vendor adds later
//! ([`open_enum!`]).

pub mod base_url;
pub mod error;
pub mod open_enum;
pub mod path;
pub mod secret;
pub mod transport;

pub use error::{ConfigError, Error, VendorError};
pub use progenitor_client::ResponseValue;
pub use secret::{CredentialHeader, Secret};
pub use transport::{CallContext, Connection, Settings, Timeouts};

/// Re-exported for the `open_enum!` macro.
#[doc(hidden)]
pub use serde as __serde;
