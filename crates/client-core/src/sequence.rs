//! Sequential JSON, typed: what an operation whose success is
//! `application/jsonl` (or `application/x-ndjson`), `application/json-seq`
//! or `multipart/mixed` returns when its spec gives the items' schema
//! (OpenAPI 3.2's `itemSchema`), an [`ItemStream<T, V>`], a `Stream` of
//! `T` read as the response arrives.
//!
//! - JSON Lines: one item per line (`\n`, a `\r` before it dropped); blank
//!   lines are skipped, and a last line without its `\n` is an item.
//! - JSON text sequences (RFC 7464): each item follows an RS byte (0x1E)
//!   and ends at the next one or at the end; whitespace around it is
//!   dropped, and an empty record is skipped.
//! - `multipart/mixed` (RFC 2046) whose parts are JSON: each part's body,
//!   after its headers, is an item; the preamble and what follows the
//!   closing boundary are not read. The boundary is the response's
//!   `Content-Type` parameter; without one, the stream is an error.
//!
//! [`body`] writes a request body of items in the first two framings.
//!
//! Chunk boundaries may fall anywhere (inside an item, a `\r\n` or a
//! multi-byte character): the bytes are split on the delimiter only, and
//! each item is decoded whole. The property test below checks it.
//!
//! Each item is bounded by the call's limit ([`crate::limit`]): past it
//! before the item ends, the stream ends with `Error::BodyTooLarge` and
//! its connection is dropped; the stream as a whole is unbounded. An item
//! that does not decode as `T` is an `Error::Decode` showing its start, and
//! the stream goes on with the next one. A broken connection ends the
//! stream with the error: unlike server-sent events, these media types
//! have no way to resume.

use std::fmt;
use std::marker::PhantomData;
use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::{Buf, Bytes, BytesMut};
use futures_util::Stream;
use reqwest::StatusCode;

use crate::error::{Attempts, Error, excerpt, from_reqwest};

/// How the items of a body are delimited.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Framing {
    /// `application/jsonl`, `application/x-ndjson`: one item per line.
    Lines,
    /// `application/json-seq` (RFC 7464): each item after an RS byte.
    RecordSeparated,
    /// `multipart/mixed` (RFC 2046): each item a part, its body JSON, the
    /// boundary read from the response's `Content-Type`.
    Multipart,
}

/// The `boundary` parameter of a multipart response's `Content-Type`.
pub(crate) fn boundary(headers: &reqwest::header::HeaderMap) -> Option<String> {
    let value = headers.get(reqwest::header::CONTENT_TYPE)?.to_str().ok()?;
    value.split(';').skip(1).find_map(|param| {
        let (name, v) = param.split_once('=')?;
        name.trim()
            .eq_ignore_ascii_case("boundary")
            .then(|| v.trim().trim_matches('"').to_string())
            .filter(|b| !b.is_empty())
    })
}

/// A request body of JSON items (OpenAPI 3.2's `itemSchema` on a request):
/// JSON Lines, each item then `\n`, or a JSON text sequence, each item
/// after an RS byte and followed by `\n` (RFC 7464). `name` is the
/// argument, for the error when an item cannot be serialized.
pub fn body<T: serde::Serialize>(
    framing: Framing,
    content_type: &str,
    name: &'static str,
    items: &[T],
) -> Result<crate::extra::Body, crate::extra::Invalid> {
    let mut out = Vec::new();
    for item in items {
        if framing == Framing::RecordSeparated {
            out.push(0x1E);
        }
        serde_json::to_writer(&mut out, item).map_err(|e| crate::extra::Invalid {
            name,
            reason: format!("cannot be serialized: {e}"),
        })?;
        out.push(b'\n');
    }
    Ok(crate::extra::Body::new(content_type, out))
}

/// How an item's bytes become a `T` (the generated client gives
/// `serde_json::from_slice`).
pub type DecodeItem<T> = fn(&[u8]) -> Result<T, serde_json::Error>;

type Body = Pin<Box<dyn Stream<Item = reqwest::Result<Bytes>> + Send + Sync>>;

/// The items of a response, typed. `V` is the client's vendor error (the
/// stream's errors are the client's one `Error`).
pub struct ItemStream<T, V> {
    body: Body,
    framing: Framing,
    /// What ends an item: `\n`, RS, or `--<boundary>`.
    delimiter: Vec<u8>,
    /// Multipart: the preamble before the first boundary is still to skip.
    preamble: bool,
    /// Multipart without a boundary in its `Content-Type`.
    unframed: bool,
    /// Bytes after the last delimiter seen.
    buffer: BytesMut,
    /// Where the search for the next delimiter goes on from.
    searched: usize,
    decode: DecodeItem<T>,
    limit: Option<u64>,
    operation: &'static str,
    status: StatusCode,
    /// The body has ended (what is left in `buffer` is the last item).
    drained: bool,
    ended: bool,
    _vendor: PhantomData<fn() -> V>,
}

impl<T, V> fmt::Debug for ItemStream<T, V> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ItemStream")
            .field("operation", &self.operation)
            .field("framing", &self.framing)
            .field("ended", &self.ended)
            .finish_non_exhaustive()
    }
}

impl<T, V> ItemStream<T, V> {
    /// The items of `body`, a response's bytes as they arrive, each at most
    /// `limit` bytes (`None`: unbounded).
    pub(crate) fn new(
        body: progenitor_client::ByteStream,
        framing: Framing,
        boundary: Option<&str>,
        limit: Option<u64>,
        decode: DecodeItem<T>,
        operation: &'static str,
        status: StatusCode,
    ) -> Self {
        let delimiter = match framing {
            Framing::Lines => b"\n".to_vec(),
            Framing::RecordSeparated => vec![0x1E],
            Framing::Multipart => format!("--{}", boundary.unwrap_or_default()).into_bytes(),
        };
        Self {
            body: body.into_inner(),
            framing,
            // Without a boundary there is nothing to split on.
            ended: false,
            unframed: framing == Framing::Multipart && boundary.is_none_or(str::is_empty),
            delimiter,
            preamble: framing == Framing::Multipart,
            buffer: BytesMut::new(),
            searched: 0,
            decode,
            limit,
            operation,
            status,
            drained: false,
            _vendor: PhantomData,
        }
    }

    /// The next item, or `None` at the end: the stream's own `next`, so
    /// that no stream trait need be imported.
    pub async fn next(&mut self) -> Option<Result<T, Error<V>>> {
        std::future::poll_fn(|cx| Pin::new(&mut *self).poll_next(cx)).await
    }

    /// The next complete record in the buffer, without its delimiter and
    /// surrounding whitespace; at the end of the body, what is left.
    fn record(&mut self) -> Option<Bytes> {
        let n = self.delimiter.len();
        if let Some(at) = self.buffer[self.searched..]
            .windows(n)
            .position(|w| w == self.delimiter.as_slice())
        {
            let record = self.buffer.split_to(self.searched + at).freeze();
            self.buffer.advance(n);
            self.searched = 0;
            return Some(record);
        }
        // A delimiter may have begun in the last bytes: search them again.
        self.searched = self.buffer.len().saturating_sub(n - 1);
        if self.drained && !self.buffer.is_empty() {
            self.searched = 0;
            return Some(self.buffer.split().freeze());
        }
        None
    }

    fn too_large(&mut self, limit: u64) -> Error<V> {
        self.ended = true;
        Error::BodyTooLarge {
            status: self.status,
            operation: self.operation,
            limit,
            read: self.buffer.len() as u64,
            attempts: Attempts::default(),
        }
    }
}

/// The item of a record, as its framing writes it: for multipart, the
/// body of the part (after its headers); `None` for the multipart
/// preamble and for what follows the closing boundary.
fn item_of(framing: Framing, record: &[u8], preamble: bool) -> Option<&[u8]> {
    if framing != Framing::Multipart {
        return Some(trimmed(record));
    }
    if preamble || record.starts_with(b"--") {
        return None;
    }
    // Transport padding and the line break after the boundary, then the
    // part's headers up to an empty line.
    let after_line = record
        .iter()
        .position(|b| *b == b'\n')
        .map_or(record.len(), |i| i + 1);
    let part = &record[after_line..];
    let body = if part.starts_with(b"\r\n") || part.starts_with(b"\n") {
        part
    } else {
        let end = part
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .map(|i| i + 4)
            .or_else(|| part.windows(2).position(|w| w == b"\n\n").map(|i| i + 2))
            .unwrap_or(part.len());
        &part[end..]
    };
    Some(trimmed(body))
}

/// A record with the whitespace around it dropped (`\r`, and the `\n`
/// that ends a JSON text sequence's item).
fn trimmed(record: &[u8]) -> &[u8] {
    let start = record
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(record.len());
    let end = record
        .iter()
        .rposition(|b| !b.is_ascii_whitespace())
        .map_or(start, |i| i + 1);
    &record[start..end]
}

impl<T, V> Stream for ItemStream<T, V> {
    type Item = Result<T, Error<V>>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        if std::mem::take(&mut this.unframed) {
            this.ended = true;
            return Poll::Ready(Some(Err(Error::Decode {
                status: this.status,
                body: String::new(),
                source: serde::de::Error::custom(
                    "a multipart response without a boundary in its Content-Type",
                ),
                attempts: Attempts::default(),
            })));
        }
        loop {
            if this.ended {
                return Poll::Ready(None);
            }
            while let Some(record) = this.record() {
                let preamble = std::mem::take(&mut this.preamble);
                if this.framing == Framing::Multipart && !preamble && record.starts_with(b"--") {
                    // The closing boundary: the epilogue is not read.
                    this.ended = true;
                    return Poll::Ready(None);
                }
                let Some(item) = item_of(this.framing, &record, preamble) else {
                    continue;
                };
                if item.is_empty() {
                    continue;
                }
                if let Some(limit) = this.limit.filter(|l| item.len() as u64 > *l) {
                    return Poll::Ready(Some(Err(this.too_large(limit))));
                }
                return Poll::Ready(Some((this.decode)(item).map_err(|source| Error::Decode {
                    status: this.status,
                    body: excerpt(item),
                    source,
                    attempts: Attempts::default(),
                })));
            }
            if this.drained {
                this.ended = true;
                return Poll::Ready(None);
            }
            if let Some(limit) = this.limit.filter(|l| this.buffer.len() as u64 > *l) {
                return Poll::Ready(Some(Err(this.too_large(limit))));
            }
            match this.body.as_mut().poll_next(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(None) => this.drained = true,
                Poll::Ready(Some(Ok(chunk))) => this.buffer.extend_from_slice(&chunk),
                Poll::Ready(Some(Err(e))) => {
                    this.ended = true;
                    return Poll::Ready(Some(Err(from_reqwest(e, Attempts::default()))));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use serde::Deserialize;

    use super::*;

    #[derive(Debug, Deserialize, PartialEq)]
    struct Item {
        n: u32,
        s: String,
    }

    fn stream(chunks: Vec<Vec<u8>>, framing: Framing, limit: Option<u64>) -> ItemStream<Item, ()> {
        items_of(chunks, framing, Some("b0und"), limit)
    }

    /// The items of `chunks`, decoded as JSON `T`.
    fn items_of<T: serde::de::DeserializeOwned>(
        chunks: Vec<Vec<u8>>,
        framing: Framing,
        boundary: Option<&str>,
        limit: Option<u64>,
    ) -> ItemStream<T, ()> {
        let body = futures_util::stream::iter(chunks.into_iter().map(|c| Ok(Bytes::from(c))));
        ItemStream::new(
            progenitor_client::ByteStream::new(Box::pin(body)),
            framing,
            boundary,
            limit,
            |b| serde_json::from_slice(b),
            "op",
            StatusCode::OK,
        )
    }

    fn block_on<F: std::future::Future>(f: F) -> F::Output {
        tokio::runtime::Builder::new_current_thread()
            .build()
            .expect("a runtime")
            .block_on(f)
    }

    fn read(chunks: Vec<Vec<u8>>, framing: Framing) -> Vec<Result<Item, String>> {
        let mut s = stream(chunks, framing, Some(1024));
        block_on(async {
            let mut out = Vec::new();
            while let Some(item) = s.next().await {
                out.push(item.map_err(|e| format!("{e:?}")));
            }
            out
        })
    }

    const LINES: &str = "{\"n\":1,\"s\":\"é\"}\r\n\n{\"n\":2,\"s\":\"a\\nb\"}\n{\"n\":3,\"s\":\"日本\"}";

    fn expected() -> Vec<Item> {
        vec![
            Item { n: 1, s: "é".into() },
            Item {
                n: 2,
                s: "a\nb".into(),
            },
            Item {
                n: 3,
                s: "日本".into(),
            },
        ]
    }

    fn seq() -> Vec<u8> {
        let mut out = Vec::new();
        for item in [
            "{\"n\":1,\"s\":\"é\"}\n",
            "\n",
            "{\"n\":2,\"s\":\"a\\nb\"}\n",
            "{\"n\":3,\"s\":\"日本\"}",
        ] {
            out.push(0x1E);
            out.extend_from_slice(item.as_bytes());
        }
        out
    }

    fn multipart() -> Vec<u8> {
        let mut out = b"preamble, ignored\r\n".to_vec();
        for (i, item) in [
            "{\"n\":1,\"s\":\"é\"}",
            "{\"n\":2,\"s\":\"a\\nb\"}",
            "{\"n\":3,\"s\":\"日本\"}",
        ]
        .iter()
        .enumerate()
        {
            out.extend_from_slice(b"--b0und  \r\n");
            if i != 1 {
                out.extend_from_slice(b"Content-Type: application/json\r\nContent-ID: <x>\r\n");
            }
            out.extend_from_slice(b"\r\n");
            out.extend_from_slice(item.as_bytes());
            out.extend_from_slice(b"\r\n");
        }
        out.extend_from_slice(b"--b0und--\r\nepilogue {not json}\r\n");
        out
    }

    #[test]
    fn lines_and_records_whole() {
        let ok = |v: Vec<Result<Item, String>>| v.into_iter().map(Result::unwrap).collect::<Vec<_>>();
        assert_eq!(
            ok(read(vec![LINES.as_bytes().to_vec()], Framing::Lines)),
            expected()
        );
        assert_eq!(ok(read(vec![seq()], Framing::RecordSeparated)), expected());
        assert_eq!(ok(read(vec![multipart()], Framing::Multipart)), expected());
    }

    #[test]
    fn a_request_body_of_items_is_written_in_its_framing() {
        let items = [serde_json::json!({"n": 1}), serde_json::json!("é")];
        let lines = body(Framing::Lines, "application/jsonl", "items", &items).unwrap();
        assert_eq!(lines.bytes.as_ref(), "{\"n\":1}\n\"é\"\n".as_bytes());
        assert_eq!(lines.content_type, "application/jsonl");
        let seq = body(Framing::RecordSeparated, "application/json-seq", "items", &items).unwrap();
        assert_eq!(seq.bytes.as_ref(), "\u{1e}{\"n\":1}\n\u{1e}\"é\"\n".as_bytes());
        // What is written reads back as the same items.
        let back = |b: crate::extra::Body, framing| {
            let mut s: ItemStream<serde_json::Value, ()> =
                items_of(vec![b.bytes.to_vec()], framing, None, None);
            block_on(async {
                let mut out = Vec::new();
                while let Some(item) = s.next().await {
                    out.push(item.unwrap());
                }
                out
            })
        };
        assert_eq!(back(lines, Framing::Lines), items);
        assert_eq!(back(seq, Framing::RecordSeparated), items);
    }

    #[test]
    fn the_boundary_comes_from_the_content_type() {
        let mut h = reqwest::header::HeaderMap::new();
        assert_eq!(boundary(&h), None);
        h.insert(
            "content-type",
            "multipart/mixed; charset=utf-8; Boundary=\"a b\""
                .parse()
                .unwrap(),
        );
        assert_eq!(boundary(&h).as_deref(), Some("a b"));
        let mut s: ItemStream<Item, ()> = items_of(Vec::new(), Framing::Multipart, None, None);
        block_on(async {
            assert!(s.next().await.unwrap().is_err());
            assert!(s.next().await.is_none());
        });
    }

    #[test]
    fn a_bad_item_is_an_error_and_the_stream_goes_on() {
        let got = read(
            vec![b"{\"n\":1}\n{\"n\":2,\"s\":\"x\"}\n".to_vec()],
            Framing::Lines,
        );
        assert_eq!(got.len(), 2);
        assert!(
            got[0].as_ref().is_err_and(|e| e.contains("{\\\"n\\\":1}")),
            "{got:?}"
        );
        assert_eq!(got[1], Ok(Item { n: 2, s: "x".into() }));
    }

    #[test]
    fn an_item_past_the_limit_ends_the_stream() {
        let big = format!(
            "{{\"n\":1,\"s\":\"{}\"}}\n{{\"n\":2,\"s\":\"x\"}}\n",
            "a".repeat(64)
        );
        let mut s = stream(vec![big.into_bytes()], Framing::Lines, Some(32));
        block_on(async {
            let first = s.next().await.unwrap().unwrap_err().to_string();
            assert!(first.contains("32"), "{first}");
            assert!(s.next().await.is_none());
        });
        // Unfinished, arriving in pieces: refused before the line ends.
        let pieces = vec![vec![b'['; 20], vec![b'['; 20], vec![b'['; 20]];
        let mut s = stream(pieces, Framing::Lines, Some(32));
        block_on(async {
            assert!(s.next().await.unwrap().is_err());
            assert!(s.next().await.is_none());
        });
    }

    fn split(bytes: &[u8], cuts: &[usize]) -> Vec<Vec<u8>> {
        let mut cuts: Vec<usize> = cuts.iter().map(|c| c % (bytes.len() + 1)).collect();
        cuts.sort_unstable();
        let mut out = Vec::new();
        let mut from = 0;
        for cut in cuts {
            out.push(bytes[from..cut].to_vec());
            from = cut;
        }
        out.push(bytes[from..].to_vec());
        out
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        /// Any chunking gives the same items: a boundary inside an item,
        /// a `\r\n`, a multi-byte character or between RS and its item.
        #[test]
        fn any_chunking_gives_the_same_items(cuts in proptest::collection::vec(0usize..200, 0..12)) {
            let lines = read(split(LINES.as_bytes(), &cuts), Framing::Lines);
            prop_assert_eq!(lines.into_iter().map(Result::unwrap).collect::<Vec<_>>(), expected());
            let records = read(split(&seq(), &cuts), Framing::RecordSeparated);
            prop_assert_eq!(records.into_iter().map(Result::unwrap).collect::<Vec<_>>(), expected());
            let parts = read(split(&multipart(), &cuts), Framing::Multipart);
            prop_assert_eq!(parts.into_iter().map(Result::unwrap).collect::<Vec<_>>(), expected());
        }
    }
}
