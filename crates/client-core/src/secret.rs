//! Credentials: given once, replaceable later, never shown. `Debug` and
//! `Display` print `<redacted>`, and header values are marked sensitive so
//! reqwest and HTTP tooling keep them out of their output too.

use std::fmt;
use std::sync::{Arc, RwLock};

use reqwest::header::{HeaderMap, HeaderName, HeaderValue};

use crate::error::ConfigError;

/// A secret string (a token or password) that never prints.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret.
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The secret itself, for building a header.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl From<&str> for Secret {
    fn from(s: &str) -> Self {
        Self::new(s)
    }
}

impl From<String> for Secret {
    fn from(s: String) -> Self {
        Self(s)
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(<redacted>)")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

/// A request header that carries a credential. Clones share the value, so
/// replacing it (a token expired) takes effect for every clone at once.
#[derive(Clone)]
pub struct CredentialHeader {
    current: Arc<RwLock<(HeaderName, HeaderValue)>>,
}

impl CredentialHeader {
    /// A credential header (`name` in lowercase); the value must be a valid
    /// header value.
    pub fn new(name: &'static str, value: &Secret) -> Result<Self, ConfigError> {
        Ok(Self {
            current: Arc::new(RwLock::new((HeaderName::from_static(name), sensitive(value)?))),
        })
    }

    /// Replaces the credential for every later request.
    pub fn replace(&self, value: &Secret) -> Result<(), ConfigError> {
        let name = self.name();
        self.replace_with(name, value)
    }

    /// Replaces the credential and the header that carries it (switching
    /// from Basic to a token header, say).
    pub fn replace_with(&self, name: HeaderName, value: &Secret) -> Result<(), ConfigError> {
        let v = (name, sensitive(value)?);
        match self.current.write() {
            Ok(mut guard) => *guard = v,
            Err(poisoned) => *poisoned.into_inner() = v,
        }
        Ok(())
    }

    fn get(&self) -> (HeaderName, HeaderValue) {
        match self.current.read() {
            Ok(v) => v.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    /// Sets the header on a request.
    pub fn apply(&self, headers: &mut HeaderMap) {
        let (name, value) = self.get();
        headers.insert(name, value);
    }

    /// The header's name.
    pub fn name(&self) -> HeaderName {
        self.get().0
    }
}

fn sensitive(value: &Secret) -> Result<HeaderValue, ConfigError> {
    let mut v = HeaderValue::from_str(value.expose()).map_err(|_| {
        ConfigError::new(
            "the credential contains characters a header cannot carry (control characters or newlines)",
        )
    })?;
    v.set_sensitive(true);
    Ok(v)
}

impl fmt::Debug for CredentialHeader {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "CredentialHeader({}: <redacted>)", self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_never_print() {
        let s = Secret::new("hunter2");
        assert_eq!(
            format!("{s:?} {s} {s:#?}"),
            "Secret(<redacted>) <redacted> Secret(<redacted>)"
        );
        let h = CredentialHeader::new("authorization", &"Bearer hunter2".into()).unwrap();
        assert!(!format!("{h:?}").contains("hunter2"));
    }

    #[test]
    fn replacing_reaches_every_clone() {
        let h = CredentialHeader::new("sessiontoken", &"old".into()).unwrap();
        let clone = h.clone();
        h.replace(&"new".into()).unwrap();
        let mut headers = HeaderMap::new();
        clone.apply(&mut headers);
        assert_eq!(headers["sessiontoken"], "new");
        assert!(headers["sessiontoken"].is_sensitive());
    }

    #[test]
    fn a_credential_with_a_newline_is_refused() {
        assert!(CredentialHeader::new("authorization", &"a\nb".into()).is_err());
    }
}
