//! One call: the `inner` value a generated progenitor client carries while
//! one operation runs. Its hooks check the URL that is about to leave
//! against the operation's template ([`crate::endpoint`]), put on the
//! vendor's headers and the credentials the operation's security names
//! (progenitor's stray `api-version` header is taken out where the code is
//! generated), and keep the status,
//! headers and (bounded) body of an error response. [`Call::send`] sends
//! one attempt in a `tracing` span (operation, method, path template,
//! attempt, status, duration; never a credential, and nothing at all unless
//! the application installs a subscriber) and decides whether another may
//! follow: what may pass is retried ([`crate::retry`]), and a provider's
//! token is refreshed after a 401 ([`crate::provider`]). [`Call::run`]
//! makes the attempts: each one is a fresh request from the generated
//! method, so the body is serialized again and the URL check, headers and
//! credentials run again, and nothing is cloned on the way to a success.
//! [`Call::result`] then turns progenitor's outcome into the client's one
//! error type.

use std::fmt;
use std::sync::Mutex;
use std::time::{Duration, Instant, SystemTime};

use progenitor_client::{ByteStream, ResponseValue};
use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use tracing::Instrument as _;

use crate::api::Operation;
use crate::connection::Connection;
use crate::error::{Attempts, Documented, Error, excerpt, from_reqwest, read_bounded};
use crate::extra::Extra;
use crate::provider::TokenError;
use crate::response::Response;
use crate::retry::{Next, retryable_status, retryable_transport, server_wait};

/// Stands for an operation index the API's table does not have: its empty
/// id matches no generated operation, so the call is refused.
static UNKNOWN: Operation = Operation {
    id: "",
    method: "",
    path: "",
    query: &[],
    deep_query: &[],
    content_type: None,
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
    /// Why there was no credential to send, if a provider failed.
    credential: Option<TokenError>,
    /// How many times the request was sent, and why retrying stopped.
    attempts: Attempts,
    /// Attempts sent so far, and when the first one began.
    sent: u32,
    started: Option<Instant>,
    /// Whether the token was already refreshed after a 401 (once a call).
    refreshed: bool,
    /// After an attempt that is to be made again: how long to wait first.
    again: Option<Duration>,
    /// A `GET` stream of events: the request as checked, before
    /// credentials, to resume it with ([`crate::sse`]).
    replay: Option<reqwest::Request>,
    /// The stream form of an operation that answers JSON or events: the
    /// success response, kept from progenitor (which reads JSON).
    diverted: Option<reqwest::Response>,
}

/// The state of one call. The generated method moves it into progenitor's
/// client (its `inner`), and runs the attempts through it there.
pub struct Call {
    conn: Connection,
    op: &'static Operation,
    /// The path parameters: Rust name and value as sent, in template order.
    path: Vec<(&'static str, String)>,
    /// Whether every path value is already as strict as
    /// [`crate::endpoint::strict_path`] makes it (then it has nothing to
    /// rewrite).
    strict: bool,
    /// What the generated method adds itself; most calls have none.
    extra: Option<Extra>,
    seen: Mutex<Seen>,
    /// Whether the request can be made again (not a streamed body).
    replayable: bool,
    /// The limit on a buffered response body; `None` for a download.
    limit: Option<u64>,
    /// Whether a success body is read whole (not a stream of events).
    gather: bool,
    /// How a page after the first is asked for ([`crate::page`]).
    page: Option<crate::page::Step>,
    /// The stream form of an operation that answers JSON or events
    /// ([`Call::stream_form`]): the body's flag that asks for events, if
    /// it has one.
    stream_form: Option<Option<&'static str>>,
    /// A stream of events resumed after this event id (`Last-Event-ID`).
    last_event_id: Option<String>,
    /// The method progenitor's request is made with, when the operation's
    /// own is one progenitor has no slot for (`QUERY`, `PURGE`): the
    /// request is checked to carry this one, then sent as the operation's.
    carrier: Option<&'static str>,
    /// The media type a streamed success is asked for in ([`Call::accept`]).
    accept: Option<&'static str>,
}

/// progenitor derives `Clone` for its client, so its `inner` must be one.
/// Nothing here clones it: a clone is the same call started afresh, with
/// nothing seen yet.
impl Clone for Call {
    fn clone(&self) -> Self {
        Self {
            conn: self.conn.clone(),
            op: self.op,
            path: self.path.clone(),
            strict: self.strict,
            extra: self.extra.clone(),
            seen: Mutex::default(),
            replayable: self.replayable,
            limit: self.limit,
            gather: self.gather,
            page: self.page.clone(),
            stream_form: self.stream_form,
            last_event_id: self.last_event_id.clone(),
            carrier: self.carrier,
            accept: self.accept,
        }
    }
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
            strict: crate::endpoint::already_strict(&path),
            path,
            extra: None,
            seen: Mutex::default(),
            replayable: true,
            limit: Some(conn.max_response_body()),
            gather: true,
            page: None,
            stream_form: None,
            last_event_id: None,
            carrier: None,
            accept: None,
        }
    }

    /// Marks an operation whose method progenitor has no slot for (OpenAPI
    /// 3.2's `query`, an `additionalOperations` method): the generated
    /// request is made with `carrier` (`POST`), and [`Call::check`] sends
    /// it with the operation's own method instead, once it has checked that
    /// the request is this operation's.
    pub fn carried_by(mut self, carrier: &'static str) -> Self {
        self.carrier = Some(carrier);
        self
    }

    /// Marks a stream of events asked to resume after event `id` (its
    /// request value's `resume_from`): sent as `Last-Event-ID`, and the
    /// stream's last event id until the server sends one.
    pub fn last_event_id(mut self, id: Option<String>) -> Self {
        self.last_event_id = id;
        self
    }

    /// Marks the stream form of an operation whose success is JSON or
    /// server-sent events: the request asks for `text/event-stream` and
    /// sets `flag` (`"stream"`) to `true` in its JSON body, if the body has
    /// one; the success is read as events ([`Call::run_events`]).
    pub fn stream_form(mut self, flag: Option<&'static str>) -> Self {
        self.gather = false;
        self.stream_form = Some(flag);
        self
    }

    /// Marks a call that asks for a page after the first
    /// ([`crate::page`]): its step is put on the request's query before
    /// the URL is checked, so a page is checked as any call is.
    pub fn page(mut self, step: Option<crate::page::Step>) -> Self {
        self.page = step;
        self
    }

    /// Marks a call whose success is a stream of server-sent events: its
    /// body is read as it arrives, each event bounded by the limit
    /// ([`crate::sse`]).
    pub fn streamed(mut self) -> Self {
        self.gather = false;
        self
    }

    /// Asks for a success in this media type (`Accept`): the stream's own
    /// (`text/event-stream`, `application/jsonl`), where an operation
    /// offers several and the server chooses by what is asked.
    pub fn accept(mut self, media: &'static str) -> Self {
        self.accept = Some(media);
        self
    }

    /// The success of a [`Call::streamed`] call as its typed events.
    pub fn events<T, H, V>(
        &self,
        value: Response<ByteStream, H>,
        decode: crate::sse::DecodeData<T>,
    ) -> Response<crate::sse::EventStream<T, V>, H> {
        let (body, status, headers) = value.into_parts();
        let resume = self.seen().replay.take().map(|request| Resume {
            call: self.clone(),
            request,
        });
        let events = crate::sse::EventStream::new(body, self.limit, decode, self.op.id, status)
            .resumed_by(resume, self.last_event_id.clone());
        Response::new(events, status, headers)
    }

    /// The success of a [`Call::streamed`] call as its typed items: JSON
    /// Lines or a JSON text sequence ([`crate::sequence`]), each item
    /// bounded by the call's limit.
    pub fn items<T, H: std::ops::Deref<Target = HeaderMap>, V>(
        &self,
        value: Response<ByteStream, H>,
        framing: crate::sequence::Framing,
        decode: crate::sequence::DecodeItem<T>,
    ) -> Response<crate::sequence::ItemStream<T, V>, H> {
        let (body, status, headers) = value.into_parts();
        let boundary = crate::sequence::boundary(&headers);
        let items = crate::sequence::ItemStream::new(
            body,
            framing,
            boundary.as_deref(),
            self.limit,
            decode,
            self.op.id,
            status,
        );
        Response::new(items, status, headers)
    }

    /// Marks a call whose success is a download (`ByteStream`): the caller
    /// reads it as it arrives, so it is not bounded ([`crate::limit`]).
    pub fn unbounded(mut self) -> Self {
        self.limit = None;
        self
    }

    /// The call's own limit on a buffered response body, when its request
    /// value sets one (else the client's).
    pub fn max_response_body(mut self, bytes: Option<u64>) -> Self {
        if let (Some(bytes), Some(_)) = (bytes, self.limit) {
            self.limit = Some(bytes);
        }
        self
    }

    /// Marks a call whose request cannot be made twice (its body is a
    /// stream the caller handed over): it is sent once, never retried.
    pub fn sent_once(mut self) -> Self {
        self.replayable = false;
        self
    }

    /// Runs a call: `attempt` makes the request (the generated method calls
    /// progenitor's), again after each attempt [`Call::send`] found worth
    /// repeating, after the wait it gave; then the outcome becomes the
    /// client's error type as [`Call::result`] says.
    pub async fn run<T, H, E, V, F, Fut>(
        &self,
        mut attempt: F,
        decode: fn(&[u8]) -> Option<V>,
        documented: fn(StatusCode, &[u8]) -> Option<Documented>,
    ) -> Result<Response<T, H>, Error<V>>
    where
        H: From<HeaderMap>,
        F: FnMut() -> Fut,
        Fut: std::future::Future<Output = Result<ResponseValue<T>, progenitor_client::Error<E>>>,
    {
        loop {
            let outcome = attempt().await;
            let again = self.seen().again.take();
            let Some(wait) = again else {
                return self.result(outcome, decode, documented).await;
            };
            drop(outcome);
            if !wait.is_zero() {
                tokio::time::sleep(wait).await;
            }
        }
    }

    /// Runs the stream form of an operation that answers JSON or events
    /// ([`Call::stream_form`]): the attempts as [`Call::run`] makes them,
    /// then the success as typed events; an error is what
    /// [`Call::result`] makes of it.
    pub async fn run_events<T, X, H, E, V, F, Fut>(
        &self,
        mut attempt: F,
        decode: fn(&[u8]) -> Option<V>,
        documented: fn(StatusCode, &[u8]) -> Option<Documented>,
        data: crate::sse::DecodeData<T>,
    ) -> Result<Response<crate::sse::EventStream<T, V>, H>, Error<V>>
    where
        H: From<HeaderMap>,
        F: FnMut() -> Fut,
        Fut: std::future::Future<Output = Result<ResponseValue<X>, progenitor_client::Error<E>>>,
    {
        let outcome = loop {
            let outcome = attempt().await;
            let again = self.seen().again.take();
            let Some(wait) = again else { break outcome };
            drop(outcome);
            if !wait.is_zero() {
                tokio::time::sleep(wait).await;
            }
        };
        let diverted = self.seen().diverted.take();
        if let Some(response) = diverted {
            drop(outcome);
            let (status, headers) = (response.status(), response.headers().clone());
            let body = ByteStream::new(Box::pin(response.bytes_stream()));
            return Ok(self.events(Response::new(body, status, H::from(headers)), data));
        }
        match self.result::<X, H, E, V>(outcome, decode, documented).await {
            Err(e) => Err(e),
            Ok(value) => Err(Error::Decode {
                status: value.status(),
                body: String::new(),
                source: serde::de::Error::custom("a success that was not kept as a stream of events"),
                attempts: Attempts::default(),
            }),
        }
    }

    /// What the generated method adds to the request itself (query
    /// parameters in styles progenitor does not serialize, a body it
    /// built): attached by [`Call::check`], before the URL is checked.
    pub fn with_extra(mut self, extra: Extra) -> Self {
        self.extra = Some(extra);
        self
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
        self.attach(request);
        let base = self.conn.base();
        let expected = self.carrier.unwrap_or(self.op.method);
        let refusal = if operation_id != self.op.id || request.method().as_str() != expected {
            Some((
                "url",
                format!("the request is not `{} {}`", self.op.method, self.op.path),
            ))
        } else if let Err(reason) = self.send_as_own_method(request) {
            Some(("url", reason))
        } else {
            let path = &self.path;
            // A whole query string (OpenAPI 3.2's `in: querystring`) is the
            // caller's value, encoded by the layer: its keys are not the
            // operation's declared names, so only the origin and path are
            // checked.
            let whole = self.extra.as_ref().is_some_and(Extra::has_query_string);
            let mut bare;
            let url = if whole {
                bare = request.url().clone();
                bare.set_query(None);
                &bare
            } else {
                request.url()
            };
            crate::endpoint::check(url, base, self.op, path, self.strict)
                .and_then(|()| {
                    if self.strict {
                        return Ok(());
                    }
                    let strict = crate::endpoint::strict_path(base, self.op, path);
                    if strict == request.url().path() {
                        return Ok(());
                    }
                    request.url_mut().set_path(&strict);
                    let mut url = request.url().clone();
                    if whole {
                        url.set_query(None);
                    }
                    crate::endpoint::check(&url, base, self.op, path, false)
                })
                .err()
                .map(|r| (r.name, r.reason))
        };
        let refusal = refusal.or_else(|| {
            let id = self.last_event_id.as_deref()?;
            match reqwest::header::HeaderValue::from_str(id) {
                Ok(value) => {
                    request.headers_mut().insert("last-event-id", value);
                    None
                }
                Err(_) => Some((
                    "resume_from",
                    "an event id that cannot be a header value".to_string(),
                )),
            }
        });
        match refusal {
            None => {
                if !self.gather && self.op.method == "GET" {
                    self.seen().replay = request.try_clone();
                }
                Ok(())
            }
            Some((name, reason)) => {
                let message = format!("invalid `{name}`: {reason}");
                self.seen().refusal = Some((name, reason));
                Err(message)
            }
        }
    }

    /// Sends a carried request ([`Call::carried_by`]) with the operation's
    /// own method.
    fn send_as_own_method(&self, request: &mut reqwest::Request) -> Result<(), String> {
        if self.carrier.is_none() {
            return Ok(());
        }
        let method = reqwest::Method::from_bytes(self.op.method.as_bytes())
            .map_err(|_| format!("`{}` is not an HTTP method", self.op.method))?;
        *request.method_mut() = method;
        Ok(())
    }

    /// Puts on what progenitor could not: the [`Extra`] query pairs (each
    /// key and value form-encoded, so no value adds a parameter), headers,
    /// cookies and body,
    /// and the declared content type of a JSON body sent under another
    /// name. A body of bytes is cloned for each retry.
    fn attach(&self, request: &mut reqwest::Request) {
        let mut body_type = None;
        if let Some(extra) = &self.extra {
            extra.put_query_string(request.url_mut());
            if !extra.query.is_empty() {
                let mut pairs = request.url_mut().query_pairs_mut();
                for (key, value) in &extra.query {
                    pairs.append_pair(key, value);
                }
            }
            let headers = request.headers_mut();
            for (name, value) in &extra.headers {
                headers.append(name.clone(), value.clone());
            }
            for (name, value) in &extra.cookies {
                crate::auth::add_cookie(headers, name, value, false);
            }
            if let Some(body) = &extra.body {
                *request.body_mut() = Some(reqwest::Body::from(body.bytes.clone()));
                body_type = Some(body.content_type.as_str());
            }
        }
        match &self.page {
            None => {}
            // A next link's query, whole: it carries every parameter.
            Some(crate::page::Step::Query(query)) => request.url_mut().set_query(Some(query)),
            Some(crate::page::Step::Set(name, value)) => {
                let kept: Vec<(String, String)> = request
                    .url()
                    .query_pairs()
                    .filter(|(key, _)| key != name)
                    .map(|(key, value)| (key.into_owned(), value.into_owned()))
                    .collect();
                let mut pairs = request.url_mut().query_pairs_mut();
                pairs.clear();
                for (key, value) in &kept {
                    pairs.append_pair(key, value);
                }
                pairs.append_pair(name, value);
            }
        }
        if let Some(value) = self
            .accept
            .and_then(|m| reqwest::header::HeaderValue::from_str(m).ok())
        {
            request.headers_mut().insert(reqwest::header::ACCEPT, value);
        }
        if let Some(flag) = self.stream_form {
            request.headers_mut().insert(
                reqwest::header::ACCEPT,
                reqwest::header::HeaderValue::from_static("text/event-stream"),
            );
            if let Some(flag) = flag {
                set_flag(request, flag);
            }
        }
        let content_type = body_type.or_else(|| self.op.content_type.filter(|_| request.body().is_some()));
        if let Some(value) = content_type.and_then(|c| reqwest::header::HeaderValue::from_str(c).ok()) {
            request.headers_mut().insert(reqwest::header::CONTENT_TYPE, value);
        }
    }

    /// The body of `ClientHooks::exec`: puts on the headers and credentials
    /// and sends one attempt, in a `tracing` span. When it failed in a way
    /// that may pass and the client's [`crate::RetryPolicy`] allows another
    /// attempt, or it was a 401 and a token provider gave a new token, the
    /// wait before the next attempt is kept for [`Call::run`] and the
    /// response is dropped. Otherwise an error response's body is read here
    /// (at most 64 KiB) and handed on, so the error keeps what the server
    /// said.
    pub async fn send(
        &self,
        client: &reqwest::Client,
        mut request: reqwest::Request,
    ) -> reqwest::Result<reqwest::Response> {
        let headers = request.headers_mut();
        for (name, value) in self.conn.headers() {
            headers.insert(name.clone(), value.clone());
        }
        let policy = self.conn.retry_policy();
        let credentials = self.conn.credentials();
        let (attempt, started, refreshed) = {
            let mut seen = self.seen();
            seen.sent += 1;
            let started = *seen.started.get_or_insert_with(Instant::now);
            (seen.sent, started, seen.refreshed)
        };
        let retries = self.replayable && policy.applies_to(request.method()) && attempt < policy.attempts();
        let may_refresh = self.replayable && !refreshed && credentials.has_providers();
        let applied = match credentials.apply(self.op.security, &mut request).await {
            Ok(applied) => applied,
            Err(e) => {
                self.seen().credential = Some(e);
                return Ok(nothing_sent());
            }
        };
        let span = tracing::info_span!(
            "request",
            operation = self.op.id,
            method = self.op.method,
            path = self.op.path,
            attempt,
            status = tracing::field::Empty,
            error = tracing::field::Empty,
            duration_ms = tracing::field::Empty,
        );
        // With no subscriber listening, the request is sent as it is: no
        // span wrapper to poll through, no clock read for its duration.
        let outcome = if span.is_disabled() {
            client.execute(request).await
        } else {
            let sent = Instant::now();
            let outcome = client.execute(request).instrument(span.clone()).await;
            record(&span, &outcome, sent);
            outcome
        };
        if !retries && !may_refresh {
            return self.finish(outcome, Attempts::new(attempt)).await;
        }
        let next = match &outcome {
            Ok(response) if response.status().is_success() => Next::Stop(None),
            Ok(response)
                if response.status() == StatusCode::UNAUTHORIZED && may_refresh && applied.refreshable() =>
            {
                self.seen().refreshed = true;
                match applied.renew().instrument(span.clone()).await {
                    Ok(()) => Next::Wait(Duration::ZERO),
                    Err(e) => Next::Stop(Some(format!("the token provider gave no new token: {e}"))),
                }
            }
            Ok(response) if retries && retryable_status(response.status(), response.headers()) => policy
                .next(
                    attempt,
                    started,
                    server_wait(response.headers(), SystemTime::now()),
                ),
            Err(e) if retries && retryable_transport(e) => policy.next(attempt, started, None),
            _ => Next::Stop(None),
        };
        match next {
            Next::Stop(why) => {
                let attempts = match why {
                    Some(why) => Attempts::stopped(attempt, why),
                    None => Attempts::new(attempt),
                };
                self.finish(outcome, attempts).await
            }
            Next::Wait(wait) => {
                tracing::info!(parent: &span, wait_ms = wait.as_millis() as u64, "retrying");
                self.seen().again = Some(wait);
                // progenitor reads this stand-in, and `run` drops what it
                // makes of it.
                outcome.map(|response| stand_in(response.status()))
            }
        }
    }

    /// Hands the last attempt's outcome to progenitor, keeping the status,
    /// headers, bounded body and attempts of an error response for
    /// [`Call::result`].
    async fn finish(
        &self,
        outcome: reqwest::Result<reqwest::Response>,
        attempts: Attempts,
    ) -> reqwest::Result<reqwest::Response> {
        let response = match outcome {
            Ok(response) => response,
            Err(e) => {
                self.seen().attempts = attempts;
                return Err(e);
            }
        };
        let mut response = response;
        crate::response::mark_secrets(response.headers_mut());
        let status = response.status();
        if status.is_success() {
            // The caller reads success headers from the `Response`.
            let mut seen = self.seen();
            seen.status = Some(status);
            seen.attempts = attempts;
            if self.stream_form.is_some() {
                // progenitor would read it as JSON: it gets an empty
                // stand-in, and `run_events` the events.
                seen.diverted = Some(response);
                return Ok(stand_in(status));
            }
            return Ok(match self.limit.filter(|_| self.gather) {
                Some(limit) => crate::limit::bound(response, limit),
                None => response,
            });
        }
        let headers = response.headers().clone();
        let version = response.version();
        let body = read_bounded(response, self.limit).await;
        let mut rebuilt = http::Response::new(body.clone());
        *rebuilt.status_mut() = status;
        *rebuilt.version_mut() = version;
        *rebuilt.headers_mut() = headers.clone();
        let mut seen = self.seen();
        seen.status = Some(status);
        seen.headers = headers;
        seen.error_body = body;
        seen.attempts = attempts;
        Ok(reqwest::Response::from(rebuilt))
    }

    /// Reads the body of a success whose type the spec gives per status
    /// (the operation's `responses::<Op>`), and decodes it with `decode`,
    /// the generated match over the documented statuses. A body that does
    /// not match its status's type, or an undocumented success status, is
    /// [`Error::Decode`].
    pub async fn per_status<T, H, V>(
        &self,
        value: Response<ByteStream, H>,
        decode: fn(StatusCode, &[u8]) -> Result<T, serde_json::Error>,
    ) -> Result<Response<T, H>, Error<V>> {
        let attempts = std::mem::take(&mut self.seen().attempts);
        let (stream, status, headers) = value.into_parts();
        let mut stream = stream.into_inner();
        // The bounded body arrives in one piece ([`crate::limit`]): read in
        // place, not copied.
        let mut pieces: Vec<bytes::Bytes> = Vec::new();
        while let Some(chunk) = std::future::poll_fn(|cx| stream.as_mut().poll_next(cx)).await {
            match chunk {
                Ok(bytes) => pieces.push(bytes),
                Err(e) => return Err(self.body_error(e, status, attempts)),
            }
        }
        let body: bytes::Bytes = match pieces.len() {
            1 => pieces.remove(0),
            _ => pieces.concat().into(),
        };
        match decode(status, &body) {
            Ok(typed) => Ok(Response::new(typed, status, headers)),
            Err(source) => Err(Error::Decode {
                status,
                body: excerpt(&body),
                source,
                attempts,
            }),
        }
    }

    /// Turns what a generated method returned into the client's error type:
    /// `decode` reads the vendor's error body for this operation.
    pub async fn result<T, H, E, V>(
        &self,
        result: Result<ResponseValue<T>, progenitor_client::Error<E>>,
        decode: fn(&[u8]) -> Option<V>,
        documented: fn(StatusCode, &[u8]) -> Option<Documented>,
    ) -> Result<Response<T, H>, Error<V>>
    where
        H: From<HeaderMap>,
    {
        use progenitor_client::Error as P;
        let err = match result {
            Ok(value) => {
                let (status, headers) = (value.status(), H::from(value.headers().clone()));
                return Ok(Response::new(value.into_inner(), status, headers));
            }
            Err(e) => e,
        };
        let (status, refusal, credential, attempts) = {
            let mut seen = self.seen();
            (
                seen.status,
                seen.refusal.take(),
                seen.credential.take(),
                std::mem::take(&mut seen.attempts),
            )
        };
        if let Some((name, reason)) = refusal {
            return Err(Error::InvalidArgument { name, reason });
        }
        if let Some(e) = credential {
            return Err(Error::Credential(e));
        }
        if let Some(status) = status.filter(|s| !s.is_success()) {
            let mut seen = self.seen();
            let body = std::mem::take(&mut seen.error_body);
            return Err(Error::Api {
                status,
                headers: std::mem::take(&mut seen.headers),
                vendor: decode(&body),
                documented: documented(status, &body),
                body: excerpt(&body),
                attempts,
            });
        }
        Err(match err {
            P::UnexpectedResponse(response) => {
                let status = response.status();
                let bytes = read_bounded(response, self.limit).await;
                Error::Decode {
                    status,
                    body: excerpt(&bytes),
                    source: serde::de::Error::custom(format!(
                        "status {status} is not in the API description"
                    )),
                    attempts,
                }
            }
            P::InvalidResponsePayload(bytes, source) => Error::Decode {
                status: status.unwrap_or(StatusCode::OK),
                body: excerpt(&bytes),
                source,
                attempts,
            },
            P::ResponseBodyError(e) => self.body_error(e, status.unwrap_or(StatusCode::OK), attempts),
            P::CommunicationError(e) | P::InvalidUpgrade(e) => from_reqwest(e, attempts),
            P::InvalidRequest(s) | P::Custom(s) => Error::InvalidRequest(s),
            P::ErrorResponse(value) => Error::Decode {
                status: value.status(),
                body: String::new(),
                source: serde::de::Error::custom("an error response with a success status"),
                attempts,
            },
        })
    }
}

impl Call {
    /// A failure while reading a success body: over the limit
    /// ([`Error::BodyTooLarge`]), or a transport error.
    fn body_error<V>(&self, e: reqwest::Error, status: StatusCode, attempts: Attempts) -> Error<V> {
        match crate::limit::too_large(&e) {
            Some(t) => Error::BodyTooLarge {
                status,
                operation: self.op.id,
                limit: t.limit,
                read: t.read,
                attempts,
            },
            None => from_reqwest(e, attempts),
        }
    }
}

/// How a `GET` stream of events whose connection broke is opened again
/// ([`crate::sse`]): the first request, as checked, sent afresh through
/// [`Call::send`] (credentials, the retry policy, a span per attempt) with
/// `Last-Event-ID`.
pub(crate) struct Resume {
    call: Call,
    request: reqwest::Request,
}

/// Why a stream could not be opened again.
pub(crate) enum Reopen {
    /// The server answered with an error status: its status, headers and
    /// (bounded) body.
    Status(StatusCode, HeaderMap, Vec<u8>, Attempts),
    /// No response.
    Transport(reqwest::Error, Attempts),
    /// The token provider gave no credential.
    Credential(TokenError),
    /// The last event ID cannot be a header value.
    BadId,
}

impl Resume {
    /// The client's retry policy, which bounds reconnection.
    pub(crate) fn policy(&self) -> &crate::retry::RetryPolicy {
        self.call.conn.retry_policy()
    }

    /// Opens the stream again after `wait`, asking for the events after
    /// `last_id`.
    pub(crate) fn open(
        &self,
        last_id: Option<String>,
        wait: Duration,
    ) -> impl std::future::Future<Output = Result<reqwest::Response, Reopen>> + Send + 'static {
        let call = self.call.clone();
        let request = self.request.try_clone();
        async move {
            if !wait.is_zero() {
                tokio::time::sleep(wait).await;
            }
            let Some(mut request) = request else {
                return Err(Reopen::BadId);
            };
            if let Some(id) = last_id {
                let value = reqwest::header::HeaderValue::from_str(&id).map_err(|_| Reopen::BadId)?;
                request.headers_mut().insert("last-event-id", value);
            }
            let http = call.conn.http().clone();
            loop {
                let Some(attempt) = request.try_clone() else {
                    return Err(Reopen::BadId);
                };
                let outcome = call.send(&http, attempt).await;
                let again = call.seen().again.take();
                match again {
                    Some(wait) => {
                        drop(outcome);
                        tokio::time::sleep(wait).await;
                    }
                    None => {
                        let mut seen = call.seen();
                        let attempts = std::mem::take(&mut seen.attempts);
                        if let Some(e) = seen.credential.take() {
                            return Err(Reopen::Credential(e));
                        }
                        return match outcome {
                            Ok(response) if response.status().is_success() => Ok(response),
                            Ok(response) => Err(Reopen::Status(
                                response.status(),
                                std::mem::take(&mut seen.headers),
                                std::mem::take(&mut seen.error_body),
                                attempts,
                            )),
                            Err(e) => Err(Reopen::Transport(e, attempts)),
                        };
                    }
                }
            }
        }
    }
}

/// Sets `flag` to `true` in a JSON object body (the stream form's
/// `"stream": true`); any other body is left as it is.
fn set_flag(request: &mut reqwest::Request, flag: &str) {
    let Some(bytes) = request.body().and_then(reqwest::Body::as_bytes) else {
        return;
    };
    let Ok(serde_json::Value::Object(mut body)) = serde_json::from_slice::<serde_json::Value>(bytes) else {
        return;
    };
    body.insert(flag.to_string(), serde_json::Value::Bool(true));
    if let Ok(bytes) = serde_json::to_vec(&body) {
        *request.body_mut() = Some(reqwest::Body::from(bytes));
    }
}

/// What `exec` hands progenitor when nothing was sent (the token provider
/// failed): [`Call::result`] reports the reason kept in `Seen` instead.
fn nothing_sent() -> reqwest::Response {
    stand_in(StatusCode::UNAUTHORIZED)
}

/// An empty response with `status`, handed to progenitor in place of one
/// whose outcome is decided here.
fn stand_in(status: StatusCode) -> reqwest::Response {
    let mut response = http::Response::new(Vec::<u8>::new());
    *response.status_mut() = status;
    reqwest::Response::from(response)
}

/// Records an attempt's outcome on its span: the status or the kind of
/// failure, and the time it took. Never a URL or a header.
fn record(span: &tracing::Span, outcome: &reqwest::Result<reqwest::Response>, sent: Instant) {
    match outcome {
        Ok(response) => {
            span.record("status", response.status().as_u16());
        }
        Err(e) if e.is_timeout() => {
            span.record("error", "timeout");
        }
        Err(e) if e.is_connect() => {
            span.record("error", "connect");
        }
        Err(_) => {
            span.record("error", "network");
        }
    }
    span.record("duration_ms", sent.elapsed().as_secs_f64() * 1000.0);
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
