//! Bounded bodies on the wire (issue 36): a local server on 127.0.0.1 that
//! writes HTTP/1.1 by hand, so a body can be chunked with no
//! `Content-Length`, endless, or declared larger than it is. It counts the
//! bytes it managed to write before the client dropped the connection: the
//! client's memory is bounded when that count is, whatever the server had
//! to send.

mod support;

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use support::{GET, builder_at, call};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use usergroup_client_core::{Connection, DEFAULT_MAX_RESPONSE_BODY, Error};

/// What the server answers.
#[derive(Clone, Copy)]
enum Answer {
    /// A chunked JSON string body of `len` bytes in chunks of `chunk`
    /// (`u64::MAX`: endless).
    Chunked { status: u16, len: u64, chunk: usize },
    /// Headers declaring `declared` bytes, then the body, slowly.
    Declared { declared: u64 },
}

/// A server answering every connection as `answer` says; the count is the
/// body bytes it wrote before the client went away.
async fn serve(answer: Answer) -> (String, Arc<AtomicU64>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("address"));
    let written = Arc::new(AtomicU64::new(0));
    let count = written.clone();
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let count = count.clone();
            tokio::spawn(async move {
                let mut request = [0u8; 4096];
                let _ = socket.read(&mut request).await;
                let _ = answer_on(&mut socket, answer, &count).await;
            });
        }
    });
    (url, written)
}

async fn answer_on(
    socket: &mut tokio::net::TcpStream,
    answer: Answer,
    count: &AtomicU64,
) -> std::io::Result<()> {
    match answer {
        Answer::Chunked { status, len, chunk } => {
            let head = format!(
                "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n"
            );
            socket.write_all(head.as_bytes()).await?;
            // A JSON string: a quote, `x`s, a quote.
            let mut sent = 0u64;
            while sent < len {
                let n = (len - sent).min(chunk as u64) as usize;
                let mut piece = vec![b'x'; n];
                if sent == 0 {
                    piece[0] = b'"';
                }
                if sent + n as u64 == len {
                    piece[n - 1] = b'"';
                }
                socket.write_all(format!("{n:x}\r\n").as_bytes()).await?;
                socket.write_all(&piece).await?;
                socket.write_all(b"\r\n").await?;
                sent += n as u64;
                count.fetch_add(n as u64, Ordering::Relaxed);
            }
            socket.write_all(b"0\r\n\r\n").await
        }
        Answer::Declared { declared } => {
            let head = format!(
                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {declared}\r\n\r\n"
            );
            socket.write_all(head.as_bytes()).await?;
            // The body never comes: a client that waited for it would hang.
            tokio::time::sleep(std::time::Duration::from_secs(30)).await;
            Ok(())
        }
    }
}

fn connection(url: &str, limit: u64) -> Connection {
    let mut b = builder_at(url);
    b.max_response_body(limit);
    b.build().expect("connection")
}

const LIMIT: u64 = 64 * 1024;
const CHUNK: usize = 8 * 1024;

#[tokio::test]
async fn a_chunked_body_just_under_the_limit_decodes() {
    let (url, _) = serve(Answer::Chunked {
        status: 200,
        len: LIMIT,
        chunk: CHUNK,
    })
    .await;
    let value = call(&connection(&url, LIMIT), GET, None)
        .await
        .expect("at the limit");
    assert_eq!(value.as_str().map(str::len), Some(LIMIT as usize - 2));
}

#[tokio::test]
async fn an_endless_chunked_body_stops_at_the_limit_with_the_typed_error() {
    let (url, written) = serve(Answer::Chunked {
        status: 200,
        len: u64::MAX,
        chunk: CHUNK,
    })
    .await;
    let err = call(&connection(&url, LIMIT), GET, None).await.expect_err("over");
    match &err {
        Error::BodyTooLarge {
            status,
            operation,
            limit,
            read,
            ..
        } => {
            assert_eq!((status.as_u16(), *operation, *limit), (200, "get_thing", LIMIT));
            assert!(*read > LIMIT && *read <= LIMIT + CHUNK as u64, "{read}");
        }
        other => panic!("expected BodyTooLarge, got {other:?}"),
    }
    assert!(!err.is_retryable());
    assert!(err.to_string().starts_with(&format!(
        "HTTP 200 OK: the response body of `get_thing` is over the limit of {LIMIT} bytes ("
    )));
    // The connection was dropped: the server's writes fail soon after the
    // limit (socket buffers hold a few hundred KiB at most), not after 2 GB.
    let mut settled = written.load(Ordering::Relaxed);
    for _ in 0..50 {
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        let now = written.load(Ordering::Relaxed);
        if now == settled {
            break;
        }
        settled = now;
    }
    assert!(settled < 16 * 1024 * 1024, "the server wrote {settled} bytes");
}

#[tokio::test]
async fn a_content_length_over_the_limit_is_refused_before_the_body_is_read() {
    let (url, _) = serve(Answer::Declared {
        declared: 2 * 1024 * 1024 * 1024,
    })
    .await;
    let started = std::time::Instant::now();
    let err = call(&connection(&url, LIMIT), GET, None)
        .await
        .expect_err("declared over");
    assert!(
        matches!(
            err,
            Error::BodyTooLarge {
                read: 0,
                limit: LIMIT,
                ..
            }
        ),
        "{err:?}"
    );
    // The body never comes: only refusing without reading it ends the call
    // before the client's 5 s timeout.
    assert!(started.elapsed() < std::time::Duration::from_secs(4));
    assert!(
        err.to_string()
            .contains("(by its Content-Length; nothing was read)"),
        "{err}"
    );
}

#[tokio::test]
async fn an_error_body_over_the_limit_is_cut_to_the_limit() {
    let (url, written) = serve(Answer::Chunked {
        status: 503,
        len: u64::MAX,
        chunk: 1024,
    })
    .await;
    let mut b = builder_at(&url);
    b.max_response_body(4 * 1024);
    b.retry(usergroup_client_core::RetryPolicy::off());
    let err = call(&b.build().unwrap(), GET, None).await.expect_err("503");
    match &err {
        Error::Api { status, body, .. } => {
            assert_eq!(status.as_u16(), 503);
            // The excerpt of what was read (at most the 4 KiB limit).
            assert!(body.starts_with("\"xxx") && body.ends_with('…'), "{body}");
        }
        other => panic!("expected Error::Api, got {other:?}"),
    }
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    assert!(written.load(Ordering::Relaxed) < 16 * 1024 * 1024);
}

#[test]
fn the_default_limit_is_64_mib() {
    assert_eq!(DEFAULT_MAX_RESPONSE_BODY, 64 * 1024 * 1024);
    let conn = builder_at("http://127.0.0.1:9").build().unwrap();
    assert_eq!(conn.max_response_body(), DEFAULT_MAX_RESPONSE_BODY);
}
