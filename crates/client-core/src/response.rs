//! What a successful call returns: [`Response<T, H>`], the typed body `T`
//! (it derefs to it), the status, and the headers as `H`, the operation's
//! generated `headers::<Op>`: the `HeaderMap` (it derefs to it) with one
//! typed accessor per header the spec documents for the operation
//! ([`crate::header`]). Every operation has its own `H`, with or without
//! documented headers, so a header the vendor documents later is a new
//! method, not a new type.
//!
//! [`response_headers!`](crate::response_headers) declares an `H`.

use std::fmt;
use std::ops::{Deref, DerefMut};

use reqwest::StatusCode;
use reqwest::header::HeaderMap;

/// A success: the typed body, the status, and the headers (`H`).
pub struct Response<T, H> {
    value: T,
    status: StatusCode,
    headers: H,
}

impl<T, H> Response<T, H> {
    /// A response of `value`, `status` and `headers`. Generated clients
    /// build them; a test of code that takes one can too.
    pub fn new(value: T, status: StatusCode, headers: H) -> Self {
        Self {
            value,
            status,
            headers,
        }
    }

    /// The body, without the status and headers.
    pub fn into_inner(self) -> T {
        self.value
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The headers: the operation's `headers::<Op>`, with a typed accessor
    /// per documented header, and every header by name through its
    /// `HeaderMap`.
    pub fn headers(&self) -> &H {
        &self.headers
    }

    /// The body, the status and the headers.
    pub fn into_parts(self) -> (T, StatusCode, H) {
        (self.value, self.status, self.headers)
    }

    /// The same response with its body changed by `f`.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Response<U, H> {
        Response {
            value: f(self.value),
            status: self.status,
            headers: self.headers,
        }
    }
}

impl<T, H> Deref for Response<T, H> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.value
    }
}

impl<T, H> DerefMut for Response<T, H> {
    fn deref_mut(&mut self) -> &mut T {
        &mut self.value
    }
}

impl<T: fmt::Debug, H: fmt::Debug> fmt::Debug for Response<T, H> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Response")
            .field("status", &self.status)
            .field("headers", &self.headers)
            .field("value", &self.value)
            .finish()
    }
}

/// Response headers whose values may be credentials (a session cookie the
/// server sets): `Debug` shows their names only.
const SECRET_HEADERS: [&str; 4] = ["set-cookie", "authorization", "proxy-authorization", "cookie"];

/// Marks the values of [`SECRET_HEADERS`] sensitive, so `HeaderValue`'s
/// own `Debug` hides them too (an `Error::Api`'s headers, a `HeaderError`).
pub(crate) fn mark_secrets(headers: &mut HeaderMap) {
    for name in SECRET_HEADERS {
        if let reqwest::header::Entry::Occupied(mut entry) = headers.entry(name) {
            for value in entry.iter_mut() {
                value.set_sensitive(true);
            }
        }
    }
}

/// A `HeaderMap` shown by `Debug` with the values of [`SECRET_HEADERS`]
/// left out.
pub struct Redacted<'a>(pub &'a HeaderMap);

impl fmt::Debug for Redacted<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut map = f.debug_map();
        for (name, value) in self.0 {
            if SECRET_HEADERS.contains(&name.as_str()) || value.is_sensitive() {
                map.entry(name, &"<redacted>");
            } else {
                map.entry(name, value);
            }
        }
        map.finish()
    }
}

/// Declares an operation's headers type (`headers::<Op>`): the response's
/// `HeaderMap`, which it derefs to, `Debug` with credential-like values
/// left out, and `From` a `HeaderMap` (or a reference to one, cloned: an
/// [`crate::Error`]'s headers). The generated code adds the typed
/// accessors in an `impl` of its own.
#[macro_export]
macro_rules! response_headers {
    ($(#[$meta:meta])* $name:ident) => {
        $(#[$meta])*
        #[derive(Clone)]
        pub struct $name(::reqwest::header::HeaderMap);

        impl ::std::ops::Deref for $name {
            type Target = ::reqwest::header::HeaderMap;

            fn deref(&self) -> &::reqwest::header::HeaderMap {
                &self.0
            }
        }

        impl ::std::convert::From<::reqwest::header::HeaderMap> for $name {
            fn from(headers: ::reqwest::header::HeaderMap) -> Self {
                Self(headers)
            }
        }

        impl ::std::convert::From<&::reqwest::header::HeaderMap> for $name {
            fn from(headers: &::reqwest::header::HeaderMap) -> Self {
                Self(::std::clone::Clone::clone(headers))
            }
        }

        impl ::std::fmt::Debug for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                ::std::fmt::Debug::fmt(&$crate::response::Redacted(&self.0), f)
            }
        }
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    crate::response_headers!(
        /// A test operation's headers.
        Op
    );

    #[test]
    fn a_response_derefs_to_its_body_and_its_headers_to_the_map() {
        let mut map = HeaderMap::new();
        map.insert("etag", "\"v1\"".parse().unwrap());
        map.insert("set-cookie", "session=s3cr3t".parse().unwrap());
        let response = Response::new(vec![1, 2], StatusCode::CREATED, Op::from(&map));
        assert_eq!(response.len(), 2);
        assert_eq!(response.status(), StatusCode::CREATED);
        assert_eq!(response.headers().get("etag").unwrap(), "\"v1\"");
        let shown = format!("{response:?}");
        assert!(shown.contains("\"etag\": \"\\\"v1\\\"\""), "{shown}");
        assert!(
            !shown.contains("s3cr3t") && shown.contains("set-cookie"),
            "{shown}"
        );
        let (value, status, headers) = response.map(|v| v.len()).into_parts();
        assert_eq!((value, status.as_u16(), headers.len()), (2, 201, 2));
    }
}
