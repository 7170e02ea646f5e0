//! Bounded bodies: no response can take the application's memory. Every
//! body the client buffers (a JSON or text success, a success typed per
//! status, an error body) is read against a limit, counted as the bytes
//! arrive: a `Content-Length` over it is refused before anything is read,
//! and a body without one (chunked) stops at the limit. Either way the
//! connection is dropped, not drained, and the call fails with
//! [`crate::Error::BodyTooLarge`] (the limit, the bytes read, the status, the
//! operation).
//!
//! The default, [`DEFAULT_MAX_RESPONSE_BODY`], is 64 MiB: nine times the
//! largest answer a corpus vendor documents a size for (GitHub's git tree
//! listing, "a maximum size of 7 MB"), and room for a Kubernetes list of a
//! large cluster read without `limit`. A client sets its own on the builder
//! (`.max_response_body(bytes)`), a call on its request value
//! (`.max_response_body(bytes)`). A download (`ByteStream`) is not buffered
//! and not bounded: the caller reads it as it arrives.
//!
//! The body is gathered into one buffer as it arrives (sized by its
//! `Content-Length` when it has one, each piece freed once copied) and
//! handed on as one piece, which decoding reads in place: no second copy of
//! the body, also where the client joins the pieces itself (a success typed
//! per status). `benches/memory.rs` measures it: a 2 GiB answer peaks at the
//! limit plus the process's few MiB, and a 32 MiB answer at the body and the
//! decoded value, as reqwest's own `bytes()` does.

use std::fmt;
use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::{Bytes, BytesMut};
use http_body::{Frame, SizeHint};

/// The limit on a buffered response body unless the client or the call
/// sets another: 64 MiB (see the module's docs for why).
pub const DEFAULT_MAX_RESPONSE_BODY: u64 = 64 * 1024 * 1024;

/// Why a body was not read whole: it is over the limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TooLarge {
    /// The limit, in bytes.
    pub limit: u64,
    /// How many bytes had arrived when reading stopped (0 when the
    /// `Content-Length` said it all).
    pub read: u64,
    /// The `Content-Length` the server sent, if any.
    pub declared: Option<u64>,
}

impl fmt::Display for TooLarge {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.declared {
            Some(len) if self.read == 0 => write!(
                f,
                "the response body ({len} bytes by its Content-Length) is over the limit of {} bytes",
                self.limit
            ),
            _ => write!(
                f,
                "the response body is over the limit of {} bytes ({} read, then the connection was dropped)",
                self.limit, self.read
            ),
        }
    }
}

impl std::error::Error for TooLarge {}

/// The [`TooLarge`] somewhere in an error's chain of sources, if any.
pub(crate) fn too_large(e: &(dyn std::error::Error + 'static)) -> Option<TooLarge> {
    let mut next = Some(e);
    let mut depth = 0;
    while let Some(e) = next {
        if let Some(t) = e.downcast_ref::<TooLarge>() {
            return Some(*t);
        }
        depth += 1;
        next = e.source().filter(|_| depth < 16);
    }
    None
}

/// `response` with its body bounded by `limit`.
pub(crate) fn bound(response: reqwest::Response, limit: u64) -> reqwest::Response {
    let declared = response.content_length();
    let response = http::Response::<reqwest::Body>::from(response);
    let (parts, body) = response.into_parts();
    let body = match declared {
        Some(len) if len > limit => Bounded::refused(TooLarge {
            limit,
            read: 0,
            declared,
        }),
        _ => Bounded::new(body, limit, declared),
    };
    reqwest::Response::from(http::Response::from_parts(parts, reqwest::Body::wrap(body)))
}

/// A body read up to a limit, gathered into one piece.
struct Bounded {
    /// The body still being read; `None` once it ended or was dropped.
    inner: Option<reqwest::Body>,
    limit: u64,
    declared: Option<u64>,
    gathered: BytesMut,
    /// The error to give at the next poll (a `Content-Length` over the
    /// limit: nothing is read).
    refusal: Option<TooLarge>,
}

impl Bounded {
    fn new(inner: reqwest::Body, limit: u64, declared: Option<u64>) -> Self {
        // The declared length is at most the limit here: reserve it.
        let capacity = declared.map_or(0, |len| usize::try_from(len).unwrap_or(0));
        Self {
            inner: Some(inner),
            limit,
            declared,
            gathered: BytesMut::with_capacity(capacity),
            refusal: None,
        }
    }

    fn refused(too_large: TooLarge) -> Self {
        Self {
            inner: None,
            limit: too_large.limit,
            declared: too_large.declared,
            gathered: BytesMut::new(),
            refusal: Some(too_large),
        }
    }
}

type BoxError = Box<dyn std::error::Error + Send + Sync>;

impl http_body::Body for Bounded {
    type Data = Bytes;
    type Error = BoxError;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, BoxError>>> {
        let this = &mut *self;
        if let Some(refusal) = this.refusal.take() {
            return Poll::Ready(Some(Err(Box::new(refusal))));
        }
        loop {
            let Some(inner) = this.inner.as_mut() else {
                return Poll::Ready(None);
            };
            match Pin::new(inner).poll_frame(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(Some(Err(e))) => {
                    this.inner = None;
                    return Poll::Ready(Some(Err(Box::new(e))));
                }
                Poll::Ready(Some(Ok(frame))) => {
                    // Trailers are not kept.
                    let Ok(data) = frame.into_data() else { continue };
                    let read = this.gathered.len() as u64 + data.len() as u64;
                    if read > this.limit {
                        // Dropping the body drops the connection.
                        this.inner = None;
                        this.gathered = BytesMut::new();
                        return Poll::Ready(Some(Err(Box::new(TooLarge {
                            limit: this.limit,
                            read,
                            declared: this.declared,
                        }))));
                    }
                    this.gathered.extend_from_slice(&data);
                }
                Poll::Ready(None) => {
                    this.inner = None;
                    if this.gathered.is_empty() {
                        return Poll::Ready(None);
                    }
                    let whole = std::mem::take(&mut this.gathered).freeze();
                    return Poll::Ready(Some(Ok(Frame::data(whole))));
                }
            }
        }
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_none() && self.refusal.is_none() && self.gathered.is_empty()
    }

    fn size_hint(&self) -> SizeHint {
        match self.declared {
            Some(len) if self.refusal.is_none() => SizeHint::with_exact(len),
            _ => SizeHint::default(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A body in pieces, of unknown length (as a chunked one is).
    struct Chunks(std::collections::VecDeque<Bytes>);

    impl http_body::Body for Chunks {
        type Data = Bytes;
        type Error = std::convert::Infallible;

        fn poll_frame(
            mut self: Pin<&mut Self>,
            _: &mut Context<'_>,
        ) -> Poll<Option<Result<Frame<Bytes>, Self::Error>>> {
            Poll::Ready(self.0.pop_front().map(|b| Ok(Frame::data(b))))
        }
    }

    fn chunked(pieces: &[usize]) -> reqwest::Response {
        let chunks = pieces.iter().map(|n| Bytes::from(vec![7u8; *n])).collect();
        reqwest::Response::from(http::Response::new(reqwest::Body::wrap(Chunks(chunks))))
    }

    #[tokio::test]
    async fn a_chunked_body_at_the_limit_arrives_in_one_piece_and_one_over_it_stops() {
        let at = bound(chunked(&[40, 40, 20]), 100);
        assert_eq!(at.content_length(), None);
        assert_eq!(at.bytes().await.unwrap().len(), 100);
        let over = bound(chunked(&[40, 40, 40, 1_000_000]), 100);
        let err = over.bytes().await.expect_err("over");
        assert_eq!(
            too_large(&err),
            Some(TooLarge {
                limit: 100,
                read: 120,
                declared: None
            }),
            "reading stopped at the piece that crossed the limit"
        );
    }

    #[tokio::test]
    async fn a_declared_length_over_the_limit_is_refused_before_reading() {
        // A body of known length: its size is declared, as a Content-Length is.
        let declared = bound(
            reqwest::Response::from(http::Response::new(vec![7u8; 5_000])),
            1_000,
        );
        let err = declared.bytes().await.expect_err("declared over");
        let t = too_large(&err).expect("a TooLarge in the chain");
        assert_eq!((t.read, t.declared), (0, Some(5_000)));
        assert_eq!(
            t.to_string(),
            "the response body (5000 bytes by its Content-Length) is over the limit of 1000 bytes"
        );
        let within = bound(
            reqwest::Response::from(http::Response::new(vec![7u8; 1_000])),
            1_000,
        );
        assert_eq!(within.bytes().await.unwrap().len(), 1_000);
    }
}
