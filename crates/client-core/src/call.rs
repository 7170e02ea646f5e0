//! One call: the `inner` value a generated progenitor client carries while
//! one operation runs. Its hooks check the URL that is about to leave
//! against the operation's template ([`crate::endpoint`]), put on the
//! vendor's headers and the credentials the operation's security names,
//! drop progenitor's stray `api-version` header, and keep the status,
//! headers and (bounded) body of an error response. [`Call::result`] then
//! turns progenitor's outcome into the client's one error type.

use std::fmt;
use std::sync::{Arc, Mutex};

use progenitor_client::ResponseValue;
use reqwest::StatusCode;
use reqwest::header::HeaderMap;

use crate::api::Operation;
use crate::connection::Connection;
use crate::error::{Error, excerpt, from_reqwest, read_bounded};

/// The header progenitor 0.15 adds to every request, which no vendor here
/// wants.
const STRAY_HEADER: &str = "api-version";

/// Stands for an operation index the API's table does not have: its empty
/// id matches no generated operation, so the call is refused.
static UNKNOWN: Operation = Operation {
    id: "",
    method: "",
    path: "",
    query: &[],
    security: &[],
};

/// What came back, kept for the error type.
#[derive(Default)]
struct Seen {
    status: Option<StatusCode>,
    headers: HeaderMap,
    /// The body of an error response (bounded).
    error_body: Vec<u8>,
    /// Why the URL was refused, if it was.
    refusal: Option<(&'static str, String)>,
}

/// The state of one call. Clones share it.
#[derive(Clone)]
pub struct Call {
    conn: Connection,
    op: &'static Operation,
    path: Arc<[(&'static str, String)]>,
    seen: Arc<Mutex<Seen>>,
}

impl fmt::Debug for Call {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Call")
            .field("operation", &self.op.id)
            .finish_non_exhaustive()
    }
}

impl Call {
    /// Starts operation number `op` of the connection's API, with its path
    /// parameters (Rust name and value as sent, in template order). An
    /// index the table does not have is refused at [`Call::check`], before
    /// anything is sent.
    pub fn start(conn: &Connection, op: usize, path: Vec<(&'static str, String)>) -> Self {
        Self {
            conn: conn.clone(),
            op: conn.api().operation(op).unwrap_or(&UNKNOWN),
            path: path.into(),
            seen: Arc::default(),
        }
    }

    fn seen(&self) -> std::sync::MutexGuard<'_, Seen> {
        match self.seen.lock() {
            Ok(s) => s,
            Err(poisoned) => poisoned.into_inner(),
        }
    }

    /// The body of `ClientHooks::pre`: refuses a request whose URL does not
    /// match the operation's template (the reason is kept for
    /// [`Call::result`]); on one that does, re-encodes the path values
    /// strictly ([`crate::endpoint::strict_path`]) and checks again.
    pub fn check(&self, request: &mut reqwest::Request, operation_id: &str) -> Result<(), String> {
        let base = self.conn.base();
        let refusal = if operation_id != self.op.id || request.method().as_str() != self.op.method {
            Some((
                "url",
                format!("the request is not `{} {}`", self.op.method, self.op.path),
            ))
        } else {
            crate::endpoint::check(request.url(), base, self.op, &self.path)
                .and_then(|()| {
                    if crate::endpoint::already_strict(&self.path) {
                        return Ok(());
                    }
                    let strict = crate::endpoint::strict_path(base, self.op, &self.path);
                    if strict == request.url().path() {
                        return Ok(());
                    }
                    request.url_mut().set_path(&strict);
                    crate::endpoint::check(request.url(), base, self.op, &self.path)
                })
                .err()
                .map(|r| (r.name, r.reason))
        };
        match refusal {
            None => Ok(()),
            Some((name, reason)) => {
                let message = format!("invalid `{name}`: {reason}");
                self.seen().refusal = Some((name, reason));
                Err(message)
            }
        }
    }

    /// The body of `ClientHooks::exec`: puts on the headers and credentials
    /// and sends the request. An error response's body is read here (at
    /// most 64 KiB) and handed on, so the error keeps what the server said.
    pub async fn send(
        &self,
        client: &reqwest::Client,
        mut request: reqwest::Request,
    ) -> reqwest::Result<reqwest::Response> {
        let headers = request.headers_mut();
        headers.remove(STRAY_HEADER);
        for (name, value) in self.conn.headers() {
            headers.insert(name.clone(), value.clone());
        }
        self.conn.credentials().apply(self.op.security, &mut request);
        let response = client.execute(request).await?;
        let status = response.status();
        if status.is_success() {
            // The caller reads success headers from the `ResponseValue`.
            self.seen().status = Some(status);
            return Ok(response);
        }
        let headers = response.headers().clone();
        let version = response.version();
        let body = read_bounded(response).await;
        let mut rebuilt = http::Response::new(body.clone());
        *rebuilt.status_mut() = status;
        *rebuilt.version_mut() = version;
        *rebuilt.headers_mut() = headers.clone();
        let mut seen = self.seen();
        seen.status = Some(status);
        seen.headers = headers;
        seen.error_body = body;
        Ok(reqwest::Response::from(rebuilt))
    }

    /// Turns what a generated method returned into the client's error type:
    /// `decode` reads the vendor's error body for this operation.
    pub async fn result<T, E, V>(
        &self,
        result: Result<ResponseValue<T>, progenitor_client::Error<E>>,
        decode: fn(&[u8]) -> Option<V>,
    ) -> Result<ResponseValue<T>, Error<V>> {
        use progenitor_client::Error as P;
        let err = match result {
            Ok(value) => return Ok(value),
            Err(e) => e,
        };
        let (status, refusal) = {
            let seen = self.seen();
            (seen.status, seen.refusal.clone())
        };
        if let Some((name, reason)) = refusal {
            return Err(Error::InvalidArgument { name, reason });
        }
        if let Some(status) = status.filter(|s| !s.is_success()) {
            let mut seen = self.seen();
            let body = std::mem::take(&mut seen.error_body);
            return Err(Error::Api {
                status,
                headers: std::mem::take(&mut seen.headers),
                vendor: decode(&body),
                body: excerpt(&body),
            });
        }
        Err(match err {
            P::UnexpectedResponse(response) => {
                let status = response.status();
                let bytes = read_bounded(response).await;
                Error::Decode {
                    status,
                    body: excerpt(&bytes),
                    source: serde::de::Error::custom(format!(
                        "status {status} is not in the API description"
                    )),
                }
            }
            P::InvalidResponsePayload(bytes, source) => Error::Decode {
                status: status.unwrap_or(StatusCode::OK),
                body: excerpt(&bytes),
                source,
            },
            P::CommunicationError(e) | P::ResponseBodyError(e) | P::InvalidUpgrade(e) => from_reqwest(e),
            P::InvalidRequest(s) | P::Custom(s) => Error::InvalidRequest(s),
            P::ErrorResponse(value) => Error::Decode {
                status: value.status(),
                body: String::new(),
                source: serde::de::Error::custom("an error response with a success status"),
            },
        })
    }
}

/// Implements progenitor's `ClientHooks` for a generated progenitor
/// `Client` whose `inner` is a [`Call`]: every request goes through
/// [`Call::check`] and [`Call::send`].
#[macro_export]
macro_rules! impl_client_hooks {
    ($client:ty) => {
        impl ::progenitor_client::ClientHooks<$crate::Call> for $client {
            async fn pre<E>(
                &self,
                request: &mut ::reqwest::Request,
                info: &::progenitor_client::OperationInfo,
            ) -> ::std::result::Result<(), ::progenitor_client::Error<E>> {
                self.inner
                    .check(request, info.operation_id)
                    .map_err(::progenitor_client::Error::Custom)
            }

            async fn exec(
                &self,
                request: ::reqwest::Request,
                _: &::progenitor_client::OperationInfo,
            ) -> ::reqwest::Result<::reqwest::Response> {
                self.inner.send(&self.client, request).await
            }
        }
    };
}
