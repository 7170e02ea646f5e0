//! A mock of one API for a downstream crate's tests (the `mock` feature):
//! a real HTTP server on 127.0.0.1 ([wiremock]'s), a client already pointed
//! at it with test credentials, and expectations per operation that the
//! generated `mock` module of each client types.
//!
//! Strict by default:
//!
//! - a request that no expectation matches is answered `599` and fails the
//!   test when the server is verified or dropped, with a report that names
//!   the nearest operation and what differed ([`report`]);
//! - a request must carry the credentials its operation declares (one
//!   alternative of its security, each credential where its scheme puts
//!   it): the mocked client goes through the same layer as production;
//! - an expectation set with `times(n)` must be met exactly `n` times, one
//!   without it at least once.
//!
//! The answers the generated `<Op>Then` builds are checked against the
//! spec when they are built (a status the operation documents, a body that
//! decodes as its type); [`Answer`] itself is the unchecked escape hatch.

mod answer;
mod report;
mod spec;
mod when;

use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

pub use answer::Answer;
pub use spec::{check_header, documents, refuse_undocumented};
pub use when::{Mounted, When};
/// A request the mock server received (wiremock's).
pub use wiremock::Request;

use crate::api::{Api, SchemeKind};
use crate::auth::Credential;
use crate::secret::Secret;
use crate::{Builder, RetryPolicy};

/// The token (and Basic password) of every credential of a mocked client.
pub const TOKEN: &str = "mock-token";
/// The Basic user of a mocked client.
pub const USER: &str = "mock-user";

/// A mock server for one API.
pub struct Server {
    wire: wiremock::MockServer,
    shared: Arc<Shared>,
}

/// What the server and its expectations share.
pub(crate) struct Shared {
    pub(crate) api: &'static Api,
    /// The path the API's operations are under (the first server's).
    pub(crate) base_path: String,
    book: Mutex<Book>,
}

/// The expectations and the requests none matched.
#[derive(Default)]
pub(crate) struct Book {
    pub(crate) expectations: Vec<when::Expectation>,
    pub(crate) misses: Vec<String>,
}

impl Shared {
    /// The book, even after a test thread panicked holding it.
    pub(crate) fn book(&self) -> MutexGuard<'_, Book> {
        self.book
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The expectation that answers `request`, counted; or the miss,
    /// recorded.
    fn answer(&self, request: &Request) -> Result<Answer, String> {
        let mut book = self.book();
        match self.choose(&book, request) {
            Some(i) => {
                let e = &mut book.expectations[i];
                e.hits += 1;
                Ok(e.answer.clone())
            }
            None => {
                let report = report::miss(self, &book, request);
                book.misses.push(report.clone());
                Err(report)
            }
        }
    }

    /// Whether the expectation that would answer `request` is a transport
    /// failure (nothing is counted).
    fn fails(&self, request: &Request) -> bool {
        let book = self.book();
        self.choose(&book, request)
            .is_some_and(|i| book.expectations[i].answer.failure)
    }

    /// The open expectation that matches `request`: the one with the most
    /// facets, then the first mounted.
    fn choose(&self, book: &Book, request: &Request) -> Option<usize> {
        let mut best: Option<usize> = None;
        for (i, e) in book.expectations.iter().enumerate() {
            if !e.open() || !self.matches(e, request) {
                continue;
            }
            if best.is_none_or(|b| book.expectations[b].facets.len() < e.facets.len()) {
                best = Some(i);
            }
        }
        best
    }

    fn matches(&self, e: &when::Expectation, request: &Request) -> bool {
        let Some(values) = self.route(e.op, request) else {
            return false;
        };
        e.facets.iter().all(|f| f.differs(request, &values).is_none())
            && self.credentials_missing(e.op, request).is_none()
    }

    /// The path values when `request` is a request of operation `op`.
    pub(crate) fn route(&self, op: usize, request: &Request) -> Option<Vec<String>> {
        let op = self.api.operations.get(op)?;
        if !request.method.as_str().eq_ignore_ascii_case(op.method) {
            return None;
        }
        crate::endpoint::path_values(request.url.path(), &self.base_path, op)
    }

    /// Why `request` lacks the credentials operation `op` declares, or
    /// `None` when one alternative of its security is all there.
    pub(crate) fn credentials_missing(&self, op: usize, request: &Request) -> Option<String> {
        let op = self.api.operations.get(op)?;
        if op.security.is_empty() {
            return None;
        }
        let sent = |i: &usize| {
            self.api
                .schemes
                .get(*i)
                .is_some_and(|s| credential_sent(s.kind, request))
        };
        if op.security.iter().any(|alt| alt.iter().all(sent)) {
            return None;
        }
        let wanted = op
            .security
            .iter()
            .map(|alt| {
                alt.iter()
                    .filter_map(|i| self.api.schemes.get(*i))
                    .map(|s| s.key)
                    .collect::<Vec<_>>()
                    .join(" + ")
            })
            .collect::<Vec<_>>()
            .join(" or ");
        Some(format!(
            "credentials: the operation needs {wanted}, and the request does not carry them"
        ))
    }
}

/// Whether `request` carries a credential where `kind` puts it.
fn credential_sent(kind: SchemeKind, request: &Request) -> bool {
    let header = |name: &str| {
        request
            .headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    };
    let authorization = |prefix: &str| {
        header("authorization").is_some_and(|v| {
            v.len() > prefix.len() + 1
                && v[..prefix.len()].eq_ignore_ascii_case(prefix)
                && v.as_bytes()[prefix.len()] == b' '
        })
    };
    match kind {
        SchemeKind::Header(name) => header(name).is_some_and(|v| !v.is_empty()),
        SchemeKind::Query(name) => request.url.query_pairs().any(|(k, v)| k == name && !v.is_empty()),
        SchemeKind::Cookie(name) => header("cookie").is_some_and(|c| {
            c.split(';').any(|p| {
                p.trim()
                    .strip_prefix(name)
                    .is_some_and(|r| r.len() > 1 && r.starts_with('='))
            })
        }),
        SchemeKind::Bearer => authorization("Bearer"),
        SchemeKind::Basic => authorization("Basic"),
        SchemeKind::Authorization(scheme) => authorization(scheme),
    }
}

/// The path under the host of the first server, when it has no variable.
fn base_path(servers: &[&str]) -> String {
    let Some(server) = servers.first() else {
        return String::new();
    };
    let after_scheme = server.split_once("://").map_or(*server, |(_, rest)| rest);
    match after_scheme.find('/') {
        Some(i) if !after_scheme[i..].contains('{') => after_scheme[i..].trim_end_matches('/').to_string(),
        _ => String::new(),
    }
}

/// The methods every operation's `<Op>When` and `<Op>Then` share, for the
/// generated `mock` module (the typed facets and constructors are its own):
/// `mock_operation!(When, Then, "GET /path (method)")`. `Then` has
/// `STATUSES`, `HEADERS` and `decodes` of its own.
#[doc(hidden)]
#[macro_export]
macro_rules! mock_operation {
    ($when:ident, $then:ident, $label:literal) => {
        impl $when {
            /// Only a request for which `predicate` holds, beside the rest.
            pub fn matching(
                mut self,
                predicate: impl ::std::ops::Fn(&$crate::mock::Request) -> bool
                + ::std::marker::Send
                + ::std::marker::Sync
                + 'static,
            ) -> Self {
                self.0.matching(predicate);
                self
            }

            /// Exactly `n` requests must meet it; after `n`, the next
            /// expectation answers (without it: at least one, and every one).
            pub fn times(mut self, n: u64) -> Self {
                self.0.times(n);
                self
            }

            /// Mounts it, answered by `then`.
            pub fn respond(self, then: $then) -> $crate::mock::Mounted {
                self.0.respond(then.0)
            }
        }

        impl $then {
            /// A JSON answer given as a value: refused (a panic) unless the
            /// operation documents `status` and the body decodes as its type.
            pub fn json(status: u16, body: ::serde_json::Value) -> Self {
                Self::checked($crate::mock::Answer::json(status, &body))
            }

            /// Any answer, unchecked: for a deliberate test of a vendor that
            /// breaks its own spec.
            pub fn raw(answer: $crate::mock::Answer) -> Self {
                Self(answer)
            }

            /// No answer: the connection is closed (a network failure).
            pub fn network_failure() -> Self {
                Self($crate::mock::Answer::failure())
            }

            /// Whether the operation documents `status` (exactly, by a
            /// range such as `4XX`, or as `default`).
            pub fn documents(status: u16) -> bool {
                $crate::mock::documents(Self::STATUSES, status)
            }

            /// Answers after this delay.
            pub fn delay(self, delay: ::std::time::Duration) -> Self {
                Self(self.0.delay(delay))
            }

            /// A response header the spec documents for this status: another
            /// is refused (a panic); use [`Self::raw`] for it.
            pub fn header(self, name: &str, value: impl ::std::fmt::Display) -> Self {
                $crate::mock::check_header($label, Self::HEADERS, self.0.status(), name);
                Self(self.0.header(name, value))
            }

            #[track_caller]
            fn checked(answer: $crate::mock::Answer) -> Self {
                $crate::mock::refuse_undocumented(
                    $label,
                    Self::STATUSES,
                    answer.status(),
                    Self::decodes(answer.status(), answer.body()),
                );
                Self(answer)
            }
        }
    };
}

/// Answers every request from the book.
struct Dispatch(Arc<Shared>);

impl wiremock::Respond for Dispatch {
    fn respond(&self, request: &Request) -> wiremock::ResponseTemplate {
        match self.0.answer(request) {
            Ok(answer) => answer.template(),
            Err(report) => {
                wiremock::ResponseTemplate::new(599).set_body_raw(report, "text/plain; charset=utf-8")
            }
        }
    }
}

/// Counts the request and gives the transport failure.
fn fail(shared: &Shared, request: &Request) -> std::io::Error {
    let _ = shared.answer(request);
    std::io::Error::new(
        std::io::ErrorKind::ConnectionReset,
        "the mock closed the connection (a transport failure it was told to give)",
    )
}

/// Matches the requests whose answer is a transport failure.
struct Fails(Arc<Shared>);

impl wiremock::Match for Fails {
    fn matches(&self, request: &Request) -> bool {
        self.0.fails(request)
    }
}

impl Server {
    /// Starts a server for `api`, whose operations are under the path of
    /// its first server in `servers` (the crate's `SERVERS`).
    pub async fn start(api: &'static Api, servers: &[&str]) -> Self {
        Self::start_at(api, &base_path(servers)).await
    }

    /// Starts a server for `api` whose operations are under `base_path`
    /// instead (a proxy's prefix, GitHub Enterprise's `/api/v3`).
    pub async fn start_at(api: &'static Api, base_path: &str) -> Self {
        let wire = wiremock::MockServer::start().await;
        let base_path = match base_path.trim_end_matches('/') {
            "" => String::new(),
            p if p.starts_with('/') => p.to_string(),
            p => format!("/{p}"),
        };
        let shared = Arc::new(Shared {
            api,
            base_path,
            book: Mutex::new(Book::default()),
        });
        let failing = shared.clone();
        wiremock::Mock::given(Fails(shared.clone()))
            .respond_with_err(move |request: &Request| fail(&failing, request))
            .with_priority(1)
            .mount(&wire)
            .await;
        wiremock::Mock::given(wiremock::matchers::any())
            .respond_with(Dispatch(shared.clone()))
            .with_priority(2)
            .mount(&wire)
            .await;
        Self { wire, shared }
    }

    /// The base URL a client of the mock uses.
    pub fn base_url(&self) -> String {
        format!("{}{}", self.wire.uri(), self.shared.base_path)
    }

    /// A builder at the server, with a test credential for every scheme
    /// ([`TOKEN`], Basic as [`USER`]) and quick retries (1 ms apart at
    /// first, at most 100 ms), for the generated `client_builder`.
    pub fn builder(&self) -> Builder {
        let mut builder = Builder::new(self.shared.api);
        builder.base_url(&self.base_url());
        for (i, scheme) in self.shared.api.schemes.iter().enumerate() {
            let credential = match scheme.kind {
                SchemeKind::Basic => Credential::Basic {
                    user: USER.to_string(),
                    password: Secret::new(TOKEN.to_string()),
                },
                _ => Credential::Token(Secret::new(TOKEN.to_string())),
            };
            builder.credential(i, credential);
        }
        builder.retry(
            RetryPolicy::default()
                .base_delay(Duration::from_millis(1))
                .max_delay(Duration::from_millis(100)),
        );
        builder
    }

    /// An expectation for the operation with this index in the API.
    pub fn when(&self, op: usize) -> When {
        When::new(self.shared.clone(), op)
    }

    /// Every request received so far, in order.
    pub async fn received(&self) -> Vec<Request> {
        self.wire.received_requests().await.unwrap_or_default()
    }

    /// What is wrong so far: the requests no expectation matched, and the
    /// expectations not met as often as they said. Empty when all is well.
    pub fn failures(&self) -> Vec<String> {
        report::failures(&self.shared, &self.shared.book())
    }

    /// [`Server::failures`], then forgets the requests no expectation
    /// matched: for a test that provokes a miss and checks its report.
    pub fn take_failures(&self) -> Vec<String> {
        let mut book = self.shared.book();
        let failures = report::failures(&self.shared, &book);
        book.misses.clear();
        failures
    }

    /// Panics with [`Server::failures`], if there are any. Dropping the
    /// server does the same (unless the thread is already panicking).
    pub fn verify(&self) {
        let failures = self.failures();
        if !failures.is_empty() {
            panic!("{}", report::verdict(self.shared.api, &failures));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if !std::thread::panicking() {
            self.verify();
        }
    }
}

impl std::fmt::Debug for Server {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Server")
            .field("api", &self.shared.api.title)
            .field("base_url", &self.base_url())
            .field("expectations", &self.shared.book().expectations.len())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_base_path_is_the_first_servers_when_it_has_no_variable() {
        assert_eq!(base_path(&["https://x.io/api/v4/"]), "/api/v4");
        assert_eq!(base_path(&["https://{pod}.x.io/pod"]), "/pod");
        assert_eq!(base_path(&["https://x.io/{version}"]), "");
        assert_eq!(base_path(&["https://x.io"]), "");
        assert_eq!(base_path(&[]), "");
    }
}
