//! What the mock server says when a test goes wrong: for a request no
//! expectation matched, the nearest operation and what differed from each
//! of its expectations; at verification, every miss and every expectation
//! not met as often as it said. Credentials never appear: a request is
//! shown by its method, path and query only.

use wiremock::Request;

use super::{Book, Shared};
use crate::api::{Api, Operation, SchemeKind};

/// The report of a request no expectation matched.
pub(crate) fn miss(shared: &Shared, book: &Book, request: &Request) -> String {
    let shown = shown(shared, request);
    let Some((index, op)) = nearest(shared, request) else {
        return format!("{shown}: the API has no operations");
    };
    let mut out = format!(
        "{shown} matched no expectation. Nearest operation: {}.",
        label(op)
    );
    let Some(values) = shared.route(index, request) else {
        let method = request.method.as_str();
        if !method.eq_ignore_ascii_case(op.method) {
            out.push_str(&format!("\n  - method: expected {}, got {method}", op.method));
        }
        if crate::endpoint::path_values(request.url.path(), &shared.base_path, op).is_none() {
            out.push_str(&format!(
                "\n  - path: expected {}{}, got {}",
                shared.base_path,
                op.path,
                request.url.path()
            ));
        }
        return out;
    };
    if let Some(why) = shared.credentials_missing(index, request) {
        out.push_str(&format!("\n  - {why}"));
    }
    let mine: Vec<_> = book.expectations.iter().filter(|e| e.op == index).collect();
    if mine.is_empty() {
        out.push_str("\n  - no expectation is set for it");
    }
    for (n, e) in mine.iter().enumerate() {
        let mut why: Vec<String> = e
            .facets
            .iter()
            .filter_map(|f| f.differs(request, &values))
            .collect();
        if !e.open() {
            why.push(format!(
                "used up: it answers {} time(s)",
                e.times.unwrap_or_default()
            ));
        }
        if !why.is_empty() {
            out.push_str(&format!(
                "\n  - expectation {} ({}): {}",
                n + 1,
                e.describe(),
                why.join("; ")
            ));
        }
    }
    out
}

/// The operation `request` is nearest to: the same method and path
/// template first, then the same path, then the most leading path
/// segments in common, then the same method.
fn nearest(shared: &Shared, request: &Request) -> Option<(usize, &'static Operation)> {
    let path = request.url.path();
    let under = path.strip_prefix(shared.base_path.as_str()).unwrap_or(path);
    let got: Vec<&str> = under.split('/').filter(|s| !s.is_empty()).collect();
    let score = |op: &Operation| {
        let route = crate::endpoint::path_values(path, &shared.base_path, op).is_some();
        let method = request.method.as_str().eq_ignore_ascii_case(op.method);
        let common = op
            .path
            .split('/')
            .filter(|s| !s.is_empty())
            .zip(&got)
            .take_while(|(want, got)| want.starts_with('{') || want == *got)
            .count();
        (route, common, method)
    };
    shared
        .api
        .operations
        .iter()
        .enumerate()
        .max_by(|(ia, a), (ib, b)| score(a).cmp(&score(b)).then(ib.cmp(ia)))
}

/// Every miss, then every expectation met a wrong number of times.
pub(crate) fn failures(shared: &Shared, book: &Book) -> Vec<String> {
    let mut out = book.misses.clone();
    for e in &book.expectations {
        let Some(op) = shared.api.operations.get(e.op) else {
            continue;
        };
        let wrong = match e.times {
            Some(n) if e.hits != n => Some(format!("expected {n} request(s), got {}", e.hits)),
            None if e.hits == 0 => Some("expected at least one request, got none".to_string()),
            _ => None,
        };
        if let Some(wrong) = wrong {
            out.push(format!("{} where {}: {wrong}", label(op), e.describe()));
        }
    }
    out
}

/// The panic message of a failed verification.
pub(crate) fn verdict(api: &Api, failures: &[String]) -> String {
    let mut out = format!("the mock of the {} was not used as the test expected:", api.title);
    for f in failures {
        out.push_str("\n- ");
        out.push_str(&f.replace('\n', "\n  "));
    }
    out
}

/// `get_document (GET /documents/{id})`.
fn label(op: &Operation) -> String {
    format!("`{}` ({} {})", op.id, op.method, op.path)
}

/// `GET /v1/documents/d2?x=1`: no header, and the value of a query
/// parameter that carries a credential (`apiKey` in the query) hidden.
fn shown(shared: &Shared, request: &Request) -> String {
    let secret = |key: &str| {
        shared
            .api
            .schemes
            .iter()
            .any(|s| matches!(s.kind, SchemeKind::Query(name) if name == key))
    };
    let pairs: Vec<String> = request
        .url
        .query_pairs()
        .map(|(k, v)| match secret(&k) {
            true => format!("{k}=<redacted>"),
            false => format!("{k}={v}"),
        })
        .collect();
    let query = match pairs.is_empty() {
        true => String::new(),
        false => format!("?{}", pairs.join("&")),
    };
    format!("{} {}{query}", request.method, request.url.path())
}

#[cfg(test)]
mod tests {
    use std::sync::Mutex;

    use super::*;
    use crate::api::{Operation, Scheme};

    static API: Api = Api {
        title: "Test API",
        default_base_url: None,
        no_default_reason: "",
        schemes: &[Scheme {
            key: "key",
            kind: SchemeKind::Query("api_key"),
        }],
        operations: &[
            Operation {
                id: "list_items",
                method: "GET",
                path: "/items",
                query: &[],
                deep_query: &[],
                content_type: None,
                security: &[&[0]],
            },
            Operation {
                id: "delete_item",
                method: "DELETE",
                path: "/items/{id}",
                query: &[],
                deep_query: &[],
                content_type: None,
                security: &[&[0]],
            },
        ],
        headers: &[],
        user_agent: "test",
        timeout_secs: 1,
    };

    fn shared() -> Shared {
        Shared {
            api: &API,
            base_path: "/v1".into(),
            book: Mutex::new(Book::default()),
        }
    }

    fn request(method: &str, url: &str) -> Request {
        Request {
            url: url.parse().unwrap(),
            method: method.parse().unwrap(),
            headers: http::HeaderMap::new(),
            body: Vec::new(),
        }
    }

    #[test]
    fn a_miss_names_the_operation_of_the_same_path_and_the_method_that_differs() {
        let shared = shared();
        let report = miss(
            &shared,
            &shared.book(),
            &request("GET", "http://h/v1/items/7?api_key=s3cr3t"),
        );
        assert!(
            report.starts_with("GET /v1/items/7?api_key=<redacted> matched no expectation"),
            "{report}"
        );
        assert!(
            report.contains("Nearest operation: `delete_item` (DELETE /items/{id})"),
            "{report}"
        );
        assert!(report.contains("method: expected DELETE, got GET"), "{report}");
        assert!(!report.contains("s3cr3t"), "{report}");
    }

    #[test]
    fn a_miss_of_a_known_route_says_what_is_missing() {
        let shared = shared();
        let report = miss(&shared, &shared.book(), &request("GET", "http://h/v1/items"));
        assert!(report.contains("Nearest operation: `list_items`"), "{report}");
        assert!(
            report.contains("credentials: the operation needs key"),
            "{report}"
        );
        assert!(report.contains("no expectation is set for it"), "{report}");
        let book = Book {
            misses: vec![report],
            ..Book::default()
        };
        let all = failures(&shared, &book);
        assert_eq!(all.len(), 1);
        assert!(
            verdict(&API, &all)
                .starts_with("the mock of the Test API was not used as the test expected:\n- GET /v1/items")
        );
    }
}
