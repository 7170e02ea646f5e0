//! Server-sent events, typed: what an operation whose success is
//! `text/event-stream` returns, an [`EventStream<T, V>`], a `Stream` of
//! [`Event<T>`] whose `data` is decoded as the spec's event payload `T`
//! (JSON; the raw text, `String`, when the spec declares none).
//!
//! The framing is eventsource-stream's (chunk boundaries may fall anywhere,
//! inside a line, a `\r\n` or a multi-byte character: the property test
//! below checks it). What this module adds:
//!
//! - comments, keep-alives and blocks without `data` are skipped (the
//!   parser dispatches no event for them);
//! - `data: [DONE]`, the sentinel OpenAI-style APIs (Mistral) document,
//!   ends the stream: it is not an error, and not an event;
//! - an event whose `data` does not decode as `T` is an `Error::Decode` that
//!   shows the start of that data, and the stream goes on with the next one;
//! - each event is bounded ([`crate::limit`]): the bytes that arrive before
//!   an event is complete are counted (fed to the parser in pieces of at
//!   most 8 KiB and a quarter of the limit, so an event of up to three
//!   quarters of the limit always passes), and past the call's limit the
//!   stream ends with
//!   `Error::BodyTooLarge`, its connection dropped; a stream as a whole is
//!   unbounded, as a chat can be long;
//! - a `GET` stream whose connection breaks is opened again, as the SSE
//!   specification says: the same request, its credentials applied afresh,
//!   with `Last-Event-ID` (the last event's id, kept across reconnections)
//!   after the server's `retry:` wait (else the retry policy's first
//!   backoff, never more than its longest wait; a `retry:` in a block
//!   without `data` is not seen, as eventsource-stream drops such blocks
//!   whole: UPSTREAM.md). The reconnection itself is
//!   retried as any call is, by the client's [`crate::RetryPolicy`], and
//!   after as many breaks in a row with no event in between as the policy
//!   has attempts, the stream ends with the failure. A `204` ends it, as
//!   does a stream that ends cleanly; a failure to open it again is the
//!   stream's last item. Other methods (a chat completion sent by `POST`)
//!   are never sent twice: a break ends them with the error.

use std::fmt;
use std::marker::PhantomData;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use eventsource_stream::{Event as Sse, EventStreamError};
use futures_util::Stream;
use reqwest::StatusCode;

use crate::call::{Reopen, Resume};
use crate::error::{Attempts, Error, excerpt, from_reqwest};
use crate::limit::TooLarge;

/// The sentinel that ends an OpenAI-style stream.
const DONE: &str = "[DONE]";
/// The largest piece handed to the parser at once.
const PIECE: usize = 8 * 1024;

/// One server-sent event.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Event<T> {
    /// Its type (`event:`); `None` for the default, `message`.
    pub event: Option<String>,
    /// The last event ID (the specification's `lastEventId`: this event's
    /// `id:`, or the last one sent before it); `None` before any.
    pub id: Option<String>,
    /// Its `retry:` field: how long the server asks a client to wait before
    /// reconnecting.
    pub retry: Option<Duration>,
    /// Its `data:`, decoded.
    pub data: T,
}

/// How an event's `data` becomes a `T` (the generated client gives
/// `serde_json::from_str`, or the text itself).
pub type DecodeData<T> = fn(&str) -> Result<T, serde_json::Error>;

/// The text of an event's data, as it is: for a stream whose spec declares
/// no payload schema.
pub fn text_data(data: &str) -> Result<String, serde_json::Error> {
    Ok(data.to_owned())
}

/// The events of a response, typed. `V` is the client's vendor error (the
/// stream's errors are the client's one `Error`).
pub struct EventStream<T, V> {
    inner: Parsed,
    /// Bytes handed to the parser since the last event came out.
    pending: Arc<AtomicU64>,
    decode: DecodeData<T>,
    operation: &'static str,
    status: StatusCode,
    ended: bool,
    /// How to open a `GET` stream again after its connection broke.
    resume: Option<Resume>,
    /// The opening under way (in a mutex only so that the stream stays
    /// `Sync`; it is reached through `&mut self`, never locked).
    reopening: std::sync::Mutex<Option<Reopening>>,
    /// The last event ID and `retry:` the server sent.
    last_id: Option<String>,
    retry: Option<Duration>,
    /// Breaks since the last event.
    breaks: u32,
    limit: Option<u64>,
    _vendor: PhantomData<fn() -> V>,
}

type Reopening = Pin<Box<dyn std::future::Future<Output = Result<reqwest::Response, Reopen>> + Send>>;

impl<T, V> fmt::Debug for EventStream<T, V> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EventStream")
            .field("operation", &self.operation)
            .field("ended", &self.ended)
            .finish_non_exhaustive()
    }
}

impl<T, V> EventStream<T, V> {
    /// The events of `body`, a response's bytes as they arrive, each event
    /// at most `limit` bytes (`None`: unbounded).
    pub(crate) fn new(
        body: progenitor_client::ByteStream,
        limit: Option<u64>,
        decode: DecodeData<T>,
        operation: &'static str,
        status: StatusCode,
    ) -> Self {
        let pending = Arc::new(AtomicU64::new(0));
        Self {
            inner: parse(body.into_inner(), limit, &pending),
            pending,
            decode,
            operation,
            status,
            ended: false,
            resume: None,
            reopening: std::sync::Mutex::new(None),
            last_id: None,
            retry: None,
            breaks: 0,
            limit,
            _vendor: PhantomData,
        }
    }

    /// Makes the stream open itself again when its connection breaks,
    /// after `last_id` if no event gives one.
    pub(crate) fn resumed_by(mut self, resume: Option<Resume>, last_id: Option<String>) -> Self {
        self.resume = resume;
        self.last_id = last_id;
        self
    }

    /// Starts opening the stream again after a break, if it may be.
    fn reopen(&mut self) -> bool {
        let Some(resume) = &self.resume else { return false };
        self.breaks += 1;
        if self.breaks >= resume.policy().attempts() {
            return false;
        }
        let wait = resume.policy().reconnect_wait(self.retry);
        let opening = resume.open(self.last_id.clone(), wait);
        *self
            .reopening
            .get_mut()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = Some(Box::pin(opening));
        true
    }

    /// Drives an opening under way: `None` when it is done and the stream
    /// goes on with the new body.
    fn poll_reopening(&mut self, cx: &mut Context<'_>) -> Poll<Option<Error<V>>> {
        let slot = self
            .reopening
            .get_mut()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let Some(opening) = slot.as_mut() else {
            return Poll::Ready(None);
        };
        let outcome = match opening.as_mut().poll(cx) {
            Poll::Pending => return Poll::Pending,
            Poll::Ready(outcome) => outcome,
        };
        *slot = None;
        match outcome {
            // No content: the server says there is nothing more.
            Ok(response) if response.status() == StatusCode::NO_CONTENT => {
                self.ended = true;
                Poll::Ready(None)
            }
            Ok(response) => {
                self.status = response.status();
                self.pending.store(0, Ordering::Relaxed);
                self.inner = parse(Box::pin(response.bytes_stream()), self.limit, &self.pending);
                Poll::Ready(None)
            }
            Err(e) => {
                self.ended = true;
                Poll::Ready(Some(match e {
                    Reopen::Status(status, headers, body, attempts) => Error::Api {
                        status,
                        headers,
                        vendor: None,
                        documented: None,
                        body: excerpt(&body),
                        attempts,
                    },
                    Reopen::Transport(e, attempts) => from_reqwest(e, attempts),
                    Reopen::Credential(e) => Error::Credential(e),
                    Reopen::BadId => Error::InvalidArgument {
                        name: "last_event_id",
                        reason: "the server's last event id cannot be sent back as a header".into(),
                    },
                }))
            }
        }
    }

    fn fail(&mut self, e: EventStreamError<Broken>) -> Error<V> {
        self.ended = true;
        let attempts = Attempts::default();
        let e = match e {
            EventStreamError::Transport(Broken::TooLarge(t)) => {
                return Error::BodyTooLarge {
                    status: self.status,
                    operation: self.operation,
                    limit: t.limit,
                    read: t.read,
                    attempts,
                };
            }
            EventStreamError::Transport(Broken::Transport(e)) => return from_reqwest(e, attempts),
            other => other.to_string(),
        };
        Error::Decode {
            status: self.status,
            body: String::new(),
            source: serde::de::Error::custom(format!("the event stream broke off: {e}")),
            attempts,
        }
    }
}

impl<T, V> Stream for EventStream<T, V> {
    type Item = Result<Event<T>, Error<V>>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        let sse = loop {
            if this.ended {
                return Poll::Ready(None);
            }
            match this.poll_reopening(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(Some(e)) => return Poll::Ready(Some(Err(e))),
                Poll::Ready(None) if this.ended => return Poll::Ready(None),
                Poll::Ready(None) => {}
            }
            match this.inner.as_mut().poll_next(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(None) => {
                    this.ended = true;
                    return Poll::Ready(None);
                }
                // The connection broke: open it again, if it may be.
                Poll::Ready(Some(Err(EventStreamError::Transport(Broken::Transport(_)))))
                    if this.reopen() => {}
                Poll::Ready(Some(Err(e))) => return Poll::Ready(Some(Err(this.fail(e)))),
                Poll::Ready(Some(Ok(sse))) => break sse,
            }
        };
        this.pending.store(0, Ordering::Relaxed);
        this.breaks = 0;
        let id = Some(sse.id)
            .filter(|id| !id.is_empty())
            .or_else(|| this.last_id.clone());
        this.last_id.clone_from(&id);
        this.retry = sse.retry.or(this.retry);
        let data = sse.data;
        if data == DONE {
            this.ended = true;
            return Poll::Ready(None);
        }
        let event = match (this.decode)(&data) {
            Ok(data) => Ok(Event {
                event: Some(sse.event).filter(|e| !e.is_empty() && e != "message"),
                id,
                retry: sse.retry,
                data,
            }),
            Err(source) => Err(Error::Decode {
                status: this.status,
                body: excerpt(data.as_bytes()),
                source,
                attempts: Attempts::default(),
            }),
        };
        Poll::Ready(Some(event))
    }
}

type Parsed = Pin<Box<dyn Stream<Item = Result<Sse, EventStreamError<Broken>>> + Send + Sync>>;

/// The events of a body, each bounded by `limit` (`pending` counts the
/// bytes since the last one).
fn parse(
    body: Pin<Box<dyn Stream<Item = reqwest::Result<Bytes>> + Send + Sync>>,
    limit: Option<u64>,
    pending: &Arc<AtomicU64>,
) -> Parsed {
    let counted = Counted {
        inner: body,
        rest: Bytes::new(),
        pending: pending.clone(),
        limit,
    };
    Box::pin(eventsource_stream::EventStream::new(counted))
}

/// The response's bytes, in pieces of at most [`PIECE`], counted until
/// an event comes out ([`EventStream`] resets the count); past the limit,
/// a [`TooLarge`] error, and the body is dropped.
struct Counted {
    inner: Pin<Box<dyn Stream<Item = reqwest::Result<Bytes>> + Send + Sync>>,
    rest: Bytes,
    pending: Arc<AtomicU64>,
    limit: Option<u64>,
}

/// Why the bytes stopped.
#[derive(Debug)]
enum Broken {
    TooLarge(TooLarge),
    Transport(reqwest::Error),
}

impl fmt::Display for Broken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Broken::TooLarge(t) => t.fmt(f),
            Broken::Transport(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for Broken {}

impl Stream for Counted {
    type Item = Result<Bytes, Broken>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        if this.rest.is_empty() {
            match this.inner.as_mut().poll_next(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(None) => return Poll::Ready(None),
                Poll::Ready(Some(Err(e))) => return Poll::Ready(Some(Err(Broken::Transport(e)))),
                Poll::Ready(Some(Ok(bytes))) => this.rest = bytes,
            }
        }
        // Pieces of at most a quarter of the limit: the count includes the
        // piece being fed, which may hold the end of one event and whole
        // others, so an event up to three quarters of the limit always
        // passes, and none over the limit does.
        let most = this.limit.map_or(PIECE, |l| {
            PIECE.min(usize::try_from(l / 4).unwrap_or(PIECE)).max(1)
        });
        let piece = this.rest.split_to(this.rest.len().min(most));
        let pending = this.pending.fetch_add(piece.len() as u64, Ordering::Relaxed) + piece.len() as u64;
        if let Some(limit) = this.limit.filter(|l| pending > *l) {
            // Dropping the body drops the connection.
            this.inner = Box::pin(futures_util::stream::empty());
            this.rest = Bytes::new();
            return Poll::Ready(Some(Err(Broken::TooLarge(TooLarge {
                limit,
                read: pending,
                declared: None,
            }))));
        }
        Poll::Ready(Some(Ok(piece)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures_util::StreamExt;
    use proptest::prelude::*;

    #[derive(Debug, PartialEq, serde::Deserialize)]
    struct Chunk {
        text: String,
    }

    fn json(data: &str) -> Result<Chunk, serde_json::Error> {
        serde_json::from_str(data)
    }

    /// The stream of `body` cut into `cuts`-sized pieces (the last takes
    /// the rest).
    fn events<T>(
        body: &[u8],
        cuts: &[usize],
        limit: Option<u64>,
        decode: DecodeData<T>,
    ) -> EventStream<T, ()> {
        let mut pieces = Vec::new();
        let mut rest = Bytes::copy_from_slice(body);
        for cut in cuts {
            let n = (*cut).min(rest.len());
            pieces.push(Ok(rest.split_to(n)));
        }
        pieces.push(Ok(rest));
        let stream = progenitor_client::ByteStream::new(Box::pin(futures_util::stream::iter(pieces)));
        EventStream::new(stream, limit, decode, "stream_chat", StatusCode::OK)
    }

    async fn all<T>(stream: EventStream<T, ()>) -> Vec<Result<Event<T>, Error<()>>> {
        stream.collect().await
    }

    const BODY: &str = ": keep-alive\r\n\r\nevent: chunk\r\nid: 1\r\ndata: {\"text\": \"h\u{e9}llo\"}\r\n\r\nretry: 2000\n\ndata: {\"text\":\r\ndata: \"two\"}\n\ndata: [DONE]\n\ndata: {\"text\": \"after done\"}\n\n";

    #[tokio::test]
    async fn events_decode_comments_are_skipped_and_done_ends_the_stream() {
        let got = all(events(BODY.as_bytes(), &[], None, json)).await;
        let got: Vec<Event<Chunk>> = got.into_iter().map(|e| e.expect("an event")).collect();
        assert_eq!(got.len(), 2, "{got:?}");
        assert_eq!(
            got[0],
            Event {
                event: Some("chunk".into()),
                id: Some("1".into()),
                retry: None,
                data: Chunk {
                    text: "h\u{e9}llo".into()
                }
            }
        );
        assert_eq!(got[1].data.text, "two", "two data lines joined with a line feed");
        // One byte at a time: every `\r\n` and the two bytes of `é` split.
        let bytewise = all(events(BODY.as_bytes(), &vec![1; BODY.len()], None, json)).await;
        assert_eq!(texts(bytewise), ["h\u{e9}llo", "two"]);
    }

    #[tokio::test]
    async fn a_malformed_event_is_an_error_that_shows_it_and_the_stream_goes_on() {
        let body = "data: {\"text\": 1}\n\ndata: {\"text\": \"ok\"}\n\n";
        let got = all(events(body.as_bytes(), &[5], None, json)).await;
        match &got[0] {
            Err(Error::Decode { body, .. }) => assert_eq!(body, "{\"text\": 1}"),
            other => panic!("expected a decode error, got {other:?}"),
        }
        assert_eq!(got[1].as_ref().expect("the next event").data.text, "ok");
        assert_eq!(got.len(), 2);
        let raw = all(events(b"data: plain text\n\n", &[], None, text_data)).await;
        assert_eq!(raw[0].as_ref().unwrap().data, "plain text");
    }

    #[tokio::test]
    async fn an_event_over_the_limit_ends_the_stream_and_small_ones_never_do() {
        let big = format!("data: {{\"text\": \"{}\"}}\n\n", "x".repeat(100_000));
        let body = format!("data: {{\"text\": \"a\"}}\n\n{big}data: {{\"text\": \"b\"}}\n\n");
        let got = all(events(body.as_bytes(), &[], Some(50_000), json)).await;
        assert_eq!(got.len(), 2, "{got:?}");
        assert_eq!(got[0].as_ref().unwrap().data.text, "a");
        match &got[1] {
            Err(Error::BodyTooLarge {
                limit,
                read,
                operation,
                ..
            }) => {
                assert_eq!((*limit, *operation), (50_000, "stream_chat"));
                assert!(*read > 50_000 && *read <= 50_000 + PIECE as u64, "{read}");
            }
            other => panic!("expected BodyTooLarge, got {other:?}"),
        }
        // Many small events, far more than the limit together: all arrive.
        let many = "data: {\"text\": \"k\"}\n\n".repeat(5_000);
        let got = all(events(many.as_bytes(), &[], Some(1_000), json)).await;
        assert_eq!(got.len(), 5_000);
        assert!(got.iter().all(Result::is_ok));
    }

    fn texts(got: Vec<Result<Event<Chunk>, Error<()>>>) -> Vec<String> {
        got.into_iter()
            .map(|e| e.map(|e| e.data.text).unwrap_or_else(|e| format!("error: {e}")))
            .collect()
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        /// Any chunking of a valid body gives the same events: cuts inside
        /// a line, a `\r\n` and the two bytes of `é` included.
        #[test]
        fn any_chunking_gives_the_same_events(cuts in proptest::collection::vec(0usize..40, 0..40)) {
            let runtime = tokio::runtime::Builder::new_current_thread().build().unwrap();
            let whole = runtime.block_on(all(events(BODY.as_bytes(), &[], None, json)));
            let cut = runtime.block_on(all(events(BODY.as_bytes(), &cuts, None, json)));
            prop_assert_eq!(texts(whole), texts(cut));
        }
    }
}
