//! Pagination: what a paginated operation's request value gives, by
//! `.pages()` (a `Stream` of whole pages, each a [`Response`] with its
//! headers) and `.into_stream()` (a `Stream` of the items across pages).
//!
//! Each page is one call of the operation, made as the stream is read
//! (never ahead of it), with everything a call has: the endpoint check,
//! credentials, retries, and the response body limit ([`crate::limit`]), so
//! a page over it ends the stream with `Error::BodyTooLarge`. The next page
//! is asked for by one of the [`Rule`]s the generator detected in the spec
//! (or the manifest's `[pagination]` named):
//!
//! - **Link**: the response's `Link: <…>; rel="next"` header (RFC 8288);
//! - **next URL**: a body field holding the next page's URL;
//! - **cursor**: a body field holding a cursor, sent back in a query
//!   parameter;
//! - **page**: a page number, and **offset**: an item offset, each sent in
//!   a query parameter.
//!
//! Only ever the *query* of a next link or next URL is taken: the path is
//! the operation's own, so a server's link can no more change the endpoint
//! than a caller's value can, and the query is checked as every call's is
//! (only declared parameters).
//!
//! The stream ends on the documented end: no next link, no cursor (or an
//! empty one); for page numbers and offsets, an empty page, a page shorter
//! than the page size (the caller's, else the first page's), or as many
//! items as the body's total says. An error ends it with that error: it is
//! never cut short silently. A next page asked for the same way twice (a
//! cursor or link that repeats) is [`Error::Pagination`], not a loop.

use std::collections::HashSet;
use std::fmt;
use std::future::Future;
use std::hash::{Hash, Hasher};
use std::ops::Deref;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_util::Stream;
use reqwest::header::HeaderMap;

use crate::error::Error;
use crate::response::Response;

/// How the next page is asked for: what a [`Rule`] makes of a page, and
/// what the page's call puts on its request ([`crate::Call::page`]).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Step {
    /// The request's query becomes this one (a next link's or next URL's
    /// query, as sent).
    Query(String),
    /// Query parameter `.0` (its name in the spec) is set to `.1`, in place
    /// of any value the caller gave.
    Set(&'static str, String),
}

/// How an operation pages: generated from the spec, for the page type `P`.
pub struct Rule<P> {
    style: Style<P>,
    /// How many items a page holds.
    len: fn(&P) -> usize,
}

enum Style<P> {
    Link,
    NextUrl(fn(&P) -> Option<String>),
    Cursor {
        param: &'static str,
        cursor: fn(&P) -> Option<String>,
    },
    Count {
        param: &'static str,
        /// Whether the parameter counts items (offset), not pages.
        offset: bool,
        /// The value the first page was asked with.
        first: u64,
        /// The page size the caller asked for.
        size: Option<u64>,
        total: Option<fn(&P) -> Option<u64>>,
    },
}

impl<P> Rule<P> {
    /// Pages follow the `Link` header's `rel="next"`.
    pub fn link(len: fn(&P) -> usize) -> Self {
        Self {
            style: Style::Link,
            len,
        }
    }

    /// Pages follow the URL a body field holds (`next`).
    pub fn next_url(url: fn(&P) -> Option<String>, len: fn(&P) -> usize) -> Self {
        Self {
            style: Style::NextUrl(url),
            len,
        }
    }

    /// The body's `cursor` is sent back as query parameter `param`.
    pub fn cursor(param: &'static str, cursor: fn(&P) -> Option<String>, len: fn(&P) -> usize) -> Self {
        Self {
            style: Style::Cursor { param, cursor },
            len,
        }
    }

    /// Query parameter `param` numbers the pages; the first page asked for
    /// is `first` (the caller's, else 1), of `size` items if the caller
    /// said; `total`, if the body has one, counts the items of every page.
    pub fn page(
        param: &'static str,
        first: u64,
        size: Option<u64>,
        total: Option<fn(&P) -> Option<u64>>,
        len: fn(&P) -> usize,
    ) -> Self {
        Self::count(param, false, first, size, total, len)
    }

    /// Query parameter `param` is the offset of a page's first item; the
    /// first page starts at `first` (the caller's, else 0).
    pub fn offset(
        param: &'static str,
        first: u64,
        size: Option<u64>,
        total: Option<fn(&P) -> Option<u64>>,
        len: fn(&P) -> usize,
    ) -> Self {
        Self::count(param, true, first, size, total, len)
    }

    fn count(
        param: &'static str,
        offset: bool,
        first: u64,
        size: Option<u64>,
        total: Option<fn(&P) -> Option<u64>>,
        len: fn(&P) -> usize,
    ) -> Self {
        Self {
            style: Style::Count {
                param,
                offset,
                first,
                size,
                total,
            },
            len,
        }
    }
}

/// A page's call, made by the generated request value (a clone of the one
/// the caller built, with the step put on).
type PageFuture<'a, P, H, V> = Pin<Box<dyn Future<Output = Result<Response<P, H>, Error<V>>> + Send + 'a>>;
type Fetch<'a, P, H, V> = Box<dyn FnMut(Option<Step>) -> PageFuture<'a, P, H, V> + Send + 'a>;

/// What comes after the page just read.
enum Next<V> {
    Fetch(Option<Step>),
    Fail(Error<V>),
    End,
}

/// The pages of a paginated operation, each a [`Response`] (its typed
/// body, status and headers): a `Stream`, fetched one page at a time as it
/// is read. `.items()` flattens it into the items.
#[must_use = "a stream does nothing until it is read"]
pub struct Pages<'a, P, H, V> {
    operation: &'static str,
    fetch: Fetch<'a, P, H, V>,
    rule: Rule<P>,
    pending: Option<PageFuture<'a, P, H, V>>,
    next: Next<V>,
    /// The steps already taken (hashed): the loop guard.
    asked: HashSet<u64>,
    /// Pages read so far.
    pages: u32,
    /// Items read so far.
    items: u64,
    /// The first page's length: the server's page size when it is full.
    first_len: Option<usize>,
}

impl<P, H, V> fmt::Debug for Pages<'_, P, H, V> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Pages")
            .field("operation", &self.operation)
            .field("pages", &self.pages)
            .finish_non_exhaustive()
    }
}

impl<'a, P, H, V> Pages<'a, P, H, V>
where
    H: Deref<Target = HeaderMap>,
{
    /// The pages of `operation` (its id in the spec): `fetch` makes one
    /// page's call, given the step (`None` for the first page, as the
    /// caller built the request).
    pub fn new<F>(operation: &'static str, rule: Rule<P>, fetch: F) -> Self
    where
        F: FnMut(Option<Step>) -> PageFuture<'a, P, H, V> + Send + 'a,
    {
        Self {
            operation,
            fetch: Box::new(fetch),
            rule,
            pending: None,
            next: Next::Fetch(None),
            asked: HashSet::new(),
            pages: 0,
            items: 0,
            first_len: None,
        }
    }

    /// The next page, or `None` after the last (the `Stream`'s `next`, so
    /// that no stream extension trait is needed).
    pub async fn next(&mut self) -> Option<Result<Response<P, H>, Error<V>>> {
        std::future::poll_fn(|cx| Pin::new(&mut *self).poll_next(cx)).await
    }

    /// The items of every page, in order: `items` takes a page's out of
    /// its body.
    pub fn items<T>(self, items: fn(P) -> Vec<T>) -> Items<'a, T, V>
    where
        P: Send + 'a,
        H: Send + 'a,
        V: Send + 'a,
        T: Send + 'a,
    {
        Items {
            pages: Box::pin(PageItems { pages: self, items }),
            buffer: Vec::new().into_iter(),
            done: false,
        }
    }

    /// What follows `page`, the page just read.
    fn after(&mut self, page: &Response<P, H>) -> Next<V> {
        let len = (self.rule.len)(page);
        self.pages += 1;
        self.items += len as u64;
        let first_len = *self.first_len.get_or_insert(len);
        let step = match &self.rule.style {
            Style::Link => match crate::header::links(page.headers(), "link") {
                Ok(links) => match links.as_ref().and_then(|l| l.next()) {
                    Some(target) => Self::query_of(target, "the `Link` header's next link"),
                    None => return Next::End,
                },
                Err(e) => return Next::Fail(Error::Header(e)),
            },
            Style::NextUrl(url) => match url(page).filter(|u| !u.is_empty()) {
                Some(target) => Self::query_of(&target, "the body's next URL"),
                None => return Next::End,
            },
            Style::Cursor { param, cursor } => match cursor(page).filter(|c| !c.is_empty()) {
                Some(cursor) => Ok(Step::Set(param, cursor)),
                None => return Next::End,
            },
            Style::Count {
                param,
                offset,
                first,
                size,
                total,
            } => {
                let short = size.map_or(len < first_len, |size| (len as u64) < size);
                let all = total.and_then(|t| t(page)).is_some_and(|t| self.items >= t);
                if len == 0 || short || all {
                    return Next::End;
                }
                let value = match offset {
                    true => first.saturating_add(self.items),
                    false => first.saturating_add(u64::from(self.pages)),
                };
                Ok(Step::Set(param, value.to_string()))
            }
        };
        match step {
            Ok(step) if self.asked.insert(hashed(&step)) => Next::Fetch(Some(step)),
            Ok(step) => Next::Fail(self.error(format!(
                "the server asked for a page already read ({}): it would loop",
                shown(&step)
            ))),
            Err(reason) => Next::Fail(self.error(reason)),
        }
    }

    /// The query of a next link or URL, which may be relative; why not.
    fn query_of(target: &str, what: &str) -> Result<Step, String> {
        let base = url::Url::parse("http://page.invalid/").map_err(|e| e.to_string())?;
        let url = base
            .join(target)
            .map_err(|e| format!("{what} `{target}` is not a URL: {e}"))?;
        match url.query() {
            Some(query) if !query.is_empty() => Ok(Step::Query(query.to_string())),
            _ => Err(format!(
                "{what} `{target}` has no query: the next page cannot be asked of this operation's own path"
            )),
        }
    }

    fn error(&self, reason: String) -> Error<V> {
        Error::Pagination {
            operation: self.operation,
            page: self.pages + 1,
            reason,
        }
    }
}

/// How a step shows in an error: the cursor or query, never more than 100
/// characters of it.
fn shown(step: &Step) -> String {
    let text = match step {
        Step::Query(q) => format!("query `{q}`"),
        Step::Set(name, value) => format!("`{name}={value}`"),
    };
    match text.char_indices().nth(100) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text,
    }
}

fn hashed(step: &Step) -> u64 {
    // `DefaultHasher::new` has fixed keys: the same on every run.
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    step.hash(&mut hasher);
    hasher.finish()
}

// Nothing in it is pinned in place: the futures are boxed, and the rest is
// moved freely.
impl<P, H, V> Unpin for Pages<'_, P, H, V> {}

impl<P, H, V> Stream for Pages<'_, P, H, V>
where
    H: Deref<Target = HeaderMap>,
{
    type Item = Result<Response<P, H>, Error<V>>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            if let Some(pending) = &mut this.pending {
                let outcome = match pending.as_mut().poll(cx) {
                    Poll::Pending => return Poll::Pending,
                    Poll::Ready(outcome) => outcome,
                };
                this.pending = None;
                return Poll::Ready(Some(match outcome {
                    Ok(page) => {
                        this.next = this.after(&page);
                        Ok(page)
                    }
                    Err(e) => {
                        this.next = Next::End;
                        Err(e)
                    }
                }));
            }
            match std::mem::replace(&mut this.next, Next::End) {
                Next::End => return Poll::Ready(None),
                Next::Fail(e) => return Poll::Ready(Some(Err(e))),
                Next::Fetch(step) => this.pending = Some((this.fetch)(step)),
            }
        }
    }
}

/// The pages as their items' vectors.
struct PageItems<'a, T, P, H, V> {
    pages: Pages<'a, P, H, V>,
    items: fn(P) -> Vec<T>,
}

impl<T, P, H, V> Unpin for PageItems<'_, T, P, H, V> {}

impl<T, P, H, V> Stream for PageItems<'_, T, P, H, V>
where
    H: Deref<Target = HeaderMap>,
{
    type Item = Result<Vec<T>, Error<V>>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        match Pin::new(&mut this.pages).poll_next(cx) {
            Poll::Ready(Some(Ok(page))) => Poll::Ready(Some(Ok((this.items)(page.into_inner())))),
            Poll::Ready(Some(Err(e))) => Poll::Ready(Some(Err(e))),
            Poll::Ready(None) => Poll::Ready(None),
            Poll::Pending => Poll::Pending,
        }
    }
}

type ItemPages<'a, T, V> = Pin<Box<dyn Stream<Item = Result<Vec<T>, Error<V>>> + Send + 'a>>;

/// The items of a paginated operation across its pages: a `Stream`,
/// fetching the next page only when the items read so far run out.
#[must_use = "a stream does nothing until it is read"]
pub struct Items<'a, T, V> {
    pages: ItemPages<'a, T, V>,
    buffer: std::vec::IntoIter<T>,
    done: bool,
}

impl<T, V> fmt::Debug for Items<'_, T, V> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Items")
            .field("buffered", &self.buffer.len())
            .finish_non_exhaustive()
    }
}

impl<T, V> Items<'_, T, V> {
    /// The next item, or `None` after the last (the `Stream`'s `next`, so
    /// that no stream extension trait is needed).
    pub async fn next(&mut self) -> Option<Result<T, Error<V>>> {
        std::future::poll_fn(|cx| Pin::new(&mut *self).poll_next(cx)).await
    }

    /// Every item, in order, or the first error.
    pub async fn collect_all(mut self) -> Result<Vec<T>, Error<V>> {
        let mut all = Vec::new();
        while let Some(item) = self.next().await {
            all.push(item?);
        }
        Ok(all)
    }
}

// The page stream is boxed; the items are moved freely.
impl<T, V> Unpin for Items<'_, T, V> {}

impl<T, V> Stream for Items<'_, T, V> {
    type Item = Result<T, Error<V>>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            if let Some(item) = this.buffer.next() {
                return Poll::Ready(Some(Ok(item)));
            }
            if this.done {
                return Poll::Ready(None);
            }
            match this.pages.as_mut().poll_next(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(None) => this.done = true,
                Poll::Ready(Some(Err(e))) => {
                    this.done = true;
                    return Poll::Ready(Some(Err(e)));
                }
                Poll::Ready(Some(Ok(items))) => this.buffer = items.into_iter(),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    crate::response_headers!(
        /// A test operation's headers.
        Op
    );

    type Page = Vec<u32>;

    /// Pages served from a list, recording the steps asked.
    fn pages(
        rule: Rule<Page>,
        served: Vec<(Page, &'static str)>,
        asked: std::sync::Arc<std::sync::Mutex<Vec<Option<Step>>>>,
    ) -> Pages<'static, Page, Op, ()> {
        let mut served = served.into_iter();
        Pages::new("list", rule, move |step| {
            asked.lock().unwrap().push(step);
            let next = served.next();
            Box::pin(async move {
                let (body, link) = next.expect("no page asked past the end");
                let mut headers = HeaderMap::new();
                if !link.is_empty() {
                    headers.insert("link", link.parse().unwrap());
                }
                Ok(Response::new(body, reqwest::StatusCode::OK, Op::from(headers)))
            })
        })
    }

    fn run<T>(stream: impl Stream<Item = T> + Unpin) -> Vec<T> {
        let mut stream = stream;
        let waker = std::task::Waker::noop();
        let mut cx = Context::from_waker(waker);
        let mut out = Vec::new();
        while let Poll::Ready(Some(item)) = Pin::new(&mut stream).poll_next(&mut cx) {
            out.push(item);
        }
        out
    }

    fn len(p: &Page) -> usize {
        p.len()
    }

    #[test]
    fn page_numbers_stop_at_a_short_page_and_ask_lazily() {
        let asked = std::sync::Arc::default();
        let rule = Rule::page("page", 1, None, None, len);
        let served = vec![(vec![1, 2], ""), (vec![3, 4], ""), (vec![5], "")];
        let items = run(pages(rule, served, std::sync::Arc::clone(&asked)).items(|p| p));
        let items: Vec<u32> = items.into_iter().map(Result::unwrap).collect();
        assert_eq!(items, [1, 2, 3, 4, 5]);
        let asked = asked.lock().unwrap().clone();
        assert_eq!(
            asked,
            [
                None,
                Some(Step::Set("page", "2".into())),
                Some(Step::Set("page", "3".into()))
            ]
        );
    }

    #[test]
    fn offsets_count_items_and_stop_at_the_total() {
        let asked = std::sync::Arc::default();
        let rule = Rule::offset("offset", 10, Some(2), Some(|_: &Page| Some(4)), len);
        let served = vec![(vec![1, 2], ""), (vec![3, 4], "")];
        let got = run(pages(rule, served, std::sync::Arc::clone(&asked)));
        assert_eq!(got.len(), 2);
        assert_eq!(asked.lock().unwrap()[1], Some(Step::Set("offset", "12".into())));
    }

    #[test]
    fn a_link_that_repeats_is_an_error_not_a_loop() {
        let asked = std::sync::Arc::default();
        let next = "<https://x.test/a?page=2>; rel=\"next\"";
        let served = vec![(vec![1], next), (vec![2], next), (vec![3], "")];
        let got = run(pages(Rule::link(len), served, std::sync::Arc::clone(&asked)));
        assert_eq!(got.len(), 3);
        assert!(got[0].is_ok() && got[1].is_ok());
        let err = got[2].as_ref().unwrap_err();
        assert!(matches!(err, Error::Pagination { page: 3, .. }), "{err:?}");
        assert!(err.to_string().contains("page=2"), "{err}");
        assert_eq!(asked.lock().unwrap()[1], Some(Step::Query("page=2".into())));
    }

    #[test]
    fn a_next_link_without_a_query_is_refused() {
        let served = vec![(vec![1], "</a/page/2>; rel=\"next\"")];
        let got = run(pages(Rule::link(len), served, std::sync::Arc::default()));
        assert_eq!(got.len(), 2);
        assert!(got[1].as_ref().unwrap_err().to_string().contains("has no query"));
    }
}
