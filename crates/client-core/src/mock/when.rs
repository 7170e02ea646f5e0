//! One expectation: which operation, which of its inputs (each compared
//! as the client sends it: a path value decoded, the query pairs of a
//! parameter, a header, the JSON body as a value), how many times, and
//! the answer. The generated `<Op>When` sets its facets from typed
//! values, serialized by the same code the client serializes them with.

use std::sync::Arc;

use serde::Serialize;
use wiremock::Request;

use super::{Answer, Shared};

/// A predicate on the whole request, for what no typed facet covers.
pub(crate) type Predicate = Arc<dyn Fn(&Request) -> bool + Send + Sync>;

/// One input the request must carry.
#[derive(Clone)]
pub(crate) enum Facet {
    /// The `index`-th path value of the template, decoded.
    Path {
        index: usize,
        name: &'static str,
        value: String,
    },
    /// Every query pair of this parameter (`name`, or `name[..]` for a
    /// deepObject), decoded, in order.
    Query {
        name: &'static str,
        pairs: Vec<(String, String)>,
    },
    /// A header's value.
    Header { name: &'static str, value: String },
    /// The JSON body, compared as a value.
    Json(serde_json::Value),
    /// A predicate of the test's.
    Custom(Predicate),
}

impl Facet {
    /// Why `request` (whose path values are `values`) does not carry
    /// this facet, or `None` when it does.
    pub(crate) fn differs(&self, request: &Request, values: &[String]) -> Option<String> {
        match self {
            Facet::Path { index, name, value } => {
                let got = values.get(*index).map(String::as_str).unwrap_or_default();
                (got != value).then(|| format!("path `{name}`: expected {value:?}, got {got:?}"))
            }
            Facet::Query { name, pairs } => {
                let got = query_pairs(request, name);
                (got != *pairs)
                    .then(|| format!("query `{name}`: expected {}, got {}", shown(pairs), shown(&got)))
            }
            Facet::Header { name, value } => {
                let got = request
                    .headers
                    .get_all(*name)
                    .iter()
                    .filter_map(|v| v.to_str().ok())
                    .collect::<Vec<_>>()
                    .join(", ");
                (got != *value).then(|| format!("header `{name}`: expected {value:?}, got {got:?}"))
            }
            Facet::Json(want) => match serde_json::from_slice::<serde_json::Value>(&request.body) {
                Ok(got) if got == *want => None,
                Ok(got) => Some(format!("body: expected {want}, got {got}")),
                Err(e) => Some(format!("body: expected {want}, got no JSON ({e})")),
            },
            Facet::Custom(predicate) => {
                (!predicate(request)).then(|| "the test's own predicate (`matching`) said no".to_string())
            }
        }
    }

    /// How it reads in a report.
    pub(crate) fn describe(&self) -> String {
        match self {
            Facet::Path { name, value, .. } => format!("{name} = {value:?}"),
            Facet::Query { name, pairs } if pairs.is_empty() => format!("no query {name}"),
            Facet::Query { pairs, .. } => format!("query {}", shown(pairs)),
            Facet::Header { name, value } => format!("header {name} = {value:?}"),
            Facet::Json(value) => format!("body = {value}"),
            Facet::Custom(_) => "a predicate".to_string(),
        }
    }
}

/// The decoded query pairs of parameter `name` (and of `name[..]`).
fn query_pairs(request: &Request, name: &str) -> Vec<(String, String)> {
    request
        .url
        .query_pairs()
        .filter(|(k, _)| k == name || k.strip_prefix(name).is_some_and(|r| r.starts_with('[')))
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

fn shown(pairs: &[(String, String)]) -> String {
    if pairs.is_empty() {
        return "nothing".to_string();
    }
    pairs
        .iter()
        .map(|(k, v)| format!("{k}={v:?}"))
        .collect::<Vec<_>>()
        .join("&")
}

/// An expectation being set up: the generated `<Op>When` holds one.
#[must_use = "an expectation is set up by `respond`"]
pub struct When {
    shared: Arc<Shared>,
    op: usize,
    facets: Vec<Facet>,
    times: Option<u64>,
}

/// A mounted expectation, to ask how often it was met.
#[derive(Clone)]
pub struct Mounted {
    shared: Arc<Shared>,
    index: usize,
}

impl Mounted {
    /// How many requests it has answered so far.
    pub fn hits(&self) -> u64 {
        self.shared.book().expectations[self.index].hits
    }
}

/// A mounted expectation.
pub(crate) struct Expectation {
    pub(crate) op: usize,
    pub(crate) facets: Vec<Facet>,
    pub(crate) times: Option<u64>,
    pub(crate) hits: u64,
    pub(crate) answer: Answer,
}

impl Expectation {
    /// Whether it may answer one more request.
    pub(crate) fn open(&self) -> bool {
        self.times.is_none_or(|n| self.hits < n)
    }

    /// How it reads in a report: its facets.
    pub(crate) fn describe(&self) -> String {
        match self.facets.is_empty() {
            true => "any request".to_string(),
            false => self
                .facets
                .iter()
                .map(Facet::describe)
                .collect::<Vec<_>>()
                .join(", "),
        }
    }
}

impl When {
    pub(crate) fn new(shared: Arc<Shared>, op: usize) -> Self {
        Self {
            shared,
            op,
            facets: Vec::new(),
            times: None,
        }
    }

    /// The `index`-th path parameter of the template (`name` in reports)
    /// must read `value` (as the client writes it: `to_string()`).
    pub fn path(&mut self, index: usize, name: &'static str, value: impl std::fmt::Display) {
        self.facets
            .retain(|f| !matches!(f, Facet::Path { index: i, .. } if *i == index));
        self.facets.push(Facet::Path {
            index,
            name,
            value: value.to_string(),
        });
    }

    /// Query parameter `name` must be sent as these pairs, in order (what
    /// the client's serializer wrote for the expected value).
    pub fn query_pairs(&mut self, name: &'static str, pairs: Vec<(String, String)>) {
        self.facets
            .retain(|f| !matches!(f, Facet::Query { name: n, .. } if *n == name));
        self.facets.push(Facet::Query { name, pairs });
    }

    /// Query parameter `name` must be sent as the client's plain query
    /// serializer (progenitor's `QueryParam`) writes `value`.
    pub fn query<T: Serialize>(&mut self, name: &'static str, value: &T) {
        let text = serde_urlencoded::to_string(progenitor_client::QueryParam::new(name, value))
            .unwrap_or_else(|e| panic!("the expected value of query `{name}` cannot be serialized: {e}"));
        let pairs = url::form_urlencoded::parse(text.as_bytes())
            .into_owned()
            .collect();
        self.query_pairs(name, pairs);
    }

    /// Query parameter `name` must be sent as the layer's serializer
    /// wrote it into `extra` (a deepObject or delimited parameter).
    pub fn extra_query(&mut self, name: &'static str, extra: &crate::Extra) {
        self.query_pairs(name, extra.query().to_vec());
    }

    /// Lifted parameter `name` must be sent as the layer's serializer
    /// wrote it into `extra`: its query pairs (a deepObject, delimited or
    /// form parameter) or its header.
    pub fn extra(&mut self, name: &'static str, extra: &crate::Extra) {
        if let Some((_, value)) = extra
            .headers
            .iter()
            .find(|(h, _)| h.as_str().eq_ignore_ascii_case(name))
        {
            self.header(name, String::from_utf8_lossy(value.as_bytes()));
        } else {
            self.query_pairs(name, extra.query().to_vec());
        }
    }

    /// Header `name` must read `value`.
    pub fn header(&mut self, name: &'static str, value: impl std::fmt::Display) {
        self.facets
            .retain(|f| !matches!(f, Facet::Header { name: n, .. } if *n == name));
        self.facets.push(Facet::Header {
            name,
            value: value.to_string(),
        });
    }

    /// The body must be this value as JSON.
    pub fn json<T: Serialize>(&mut self, value: &T) {
        let value = serde_json::to_value(value)
            .unwrap_or_else(|e| panic!("the expected body cannot be serialized as JSON: {e}"));
        self.facets.retain(|f| !matches!(f, Facet::Json(_)));
        self.facets.push(Facet::Json(value));
    }

    /// The request must also satisfy `predicate`.
    pub fn matching(&mut self, predicate: impl Fn(&Request) -> bool + Send + Sync + 'static) {
        self.facets.push(Facet::Custom(Arc::new(predicate)));
    }

    /// Exactly `n` requests must meet it (checked when the server is
    /// verified or dropped); after `n`, it answers no more and the next
    /// expectation of the operation answers instead. Without it, at least
    /// one must, and it answers every one.
    pub fn times(&mut self, n: u64) {
        self.times = Some(n);
    }

    /// Mounts the expectation with its answer.
    pub fn respond(self, answer: Answer) -> Mounted {
        let mut book = self.shared.book();
        book.expectations.push(Expectation {
            op: self.op,
            facets: self.facets,
            times: self.times,
            hits: 0,
            answer,
        });
        Mounted {
            index: book.expectations.len() - 1,
            shared: self.shared.clone(),
        }
    }
}
