//! Endpoint integrity, as a mechanism rather than a list of bad values: the
//! URL that is about to leave is compared with the operation's path
//! template. It must have the base URL's origin and path, then exactly the
//! template's segments: the same literal segments, and each path parameter
//! inside one segment that percent-decodes back to the caller's value. Every
//! query key must be a declared query parameter: its name, or, for a
//! `style: deepObject` parameter, and only for one, its name followed by
//! one or more `[key]` (no bracket inside a key). Whatever a URL parser did
//! to a value (`\` read as `/`, `..` resolved, `%2e` decoded) shows up as a
//! difference, and the call is refused before anything is sent.
//!
//! A URL that passes then has its path rebuilt with every path value
//! strictly percent-encoded ([`strict_path`]): only RFC 3986's unreserved
//! characters stay as they are, so `;`, `=`, `,` or `:` in a value can never
//! read as a matrix parameter or any other delimiter on the server.

use std::borrow::Cow;

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, percent_decode_str, utf8_percent_encode};
use reqwest::Url;

use crate::api::Operation;

/// What a path value (and a cookie value, `extra.rs`) keeps unencoded:
/// RFC 3986's unreserved characters.
pub(crate) const UNRESERVED: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Whether every value is already as strict as [`strict_path`] would make
/// it (only unreserved characters): then there is nothing to rewrite.
pub fn already_strict(values: &[(&'static str, String)]) -> bool {
    values.iter().all(|(_, v)| {
        v.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~'))
    })
}

/// The path for `op` with every value strictly percent-encoded, under the
/// base URL's path. Literal parts of the template are kept as the spec
/// writes them.
pub fn strict_path(base: &Url, op: &Operation, values: &[(&'static str, String)]) -> String {
    let mut out = base.path().trim_end_matches('/').to_string();
    let mut values = values.iter();
    for segment in op.path.split('/').skip(1) {
        out.push('/');
        for part in parts(segment) {
            match part {
                Part::Literal(l) => out.push_str(l),
                Part::Param => {
                    if let Some((_, value)) = values.next() {
                        out.extend(utf8_percent_encode(value, UNRESERVED));
                    }
                }
            }
        }
    }
    out
}

/// Why a URL was refused: the parameter it is about, and the reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    /// The parameter (its Rust name), or `query`/`url`.
    pub name: &'static str,
    /// Why.
    pub reason: String,
}

/// One part of a template segment.
enum Part<'t> {
    Literal(&'t str),
    Param,
}

/// Splits a template segment such as `{id}.json` into its parts.
fn parts(segment: &str) -> Vec<Part<'_>> {
    let mut out = Vec::new();
    let mut rest = segment;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}') else {
            break;
        };
        if open > 0 {
            out.push(Part::Literal(&rest[..open]));
        }
        out.push(Part::Param);
        rest = &rest[open + close + 1..];
    }
    if !rest.is_empty() {
        out.push(Part::Literal(rest));
    }
    out
}

fn segments(url: &Url) -> Vec<&str> {
    let mut s: Vec<&str> = url.path_segments().map(Iterator::collect).unwrap_or_default();
    if s.last() == Some(&"") {
        s.pop();
    }
    s
}

/// The `/`-separated pieces of `s`. Cut on the byte: a `str` cut at an
/// ASCII `/` is still a `str`, and this runs on every request, where the
/// byte loop costs a fraction of `str::split`'s searcher on short paths.
fn pieces(s: &str) -> impl Iterator<Item = &str> {
    let mut rest = Some(s);
    std::iter::from_fn(move || {
        let now = rest?;
        match now.bytes().position(|b| b == b'/') {
            Some(i) => {
                rest = Some(&now[i + 1..]);
                Some(&now[..i])
            }
            None => {
                rest = None;
                Some(now)
            }
        }
    })
}

/// Whether two URLs have the same origin (scheme, host, port), as
/// `Url::origin` compares them for http(s), without its allocations.
fn same_origin(a: &Url, b: &Url) -> bool {
    matches!(a.scheme(), "http" | "https")
        && a.scheme() == b.scheme()
        && a.host_str() == b.host_str()
        && a.port_or_known_default() == b.port_or_known_default()
}

/// The segment as the server reads it (borrowed when it has no escapes),
/// or `None` when it is not UTF-8.
fn decoded(segment: &str) -> Option<Cow<'_, str>> {
    percent_decode_str(segment).decode_utf8().ok()
}

/// Whether a server may read the segment as `.` or `..`: servers that take
/// `;` parameters in a segment (Tomcat, Jetty, Spring) read `..;x` as `..`.
fn is_dot_segment(segment: &str) -> bool {
    let head = segment
        .bytes()
        .position(|b| b == b';')
        .map_or(segment, |i| &segment[..i]);
    head == "." || head == ".."
}

/// Checks the URL of a request for `op` against its template. `base` is the
/// client's base URL; `values` are the path parameters' Rust names and
/// their values as sent, in template order; `strict` says whether
/// [`already_strict`] holds for them (the caller computed it once).
pub fn check(
    url: &Url,
    base: &Url,
    op: &Operation,
    values: &[(&'static str, String)],
    strict: bool,
) -> Result<(), Refusal> {
    if !same_origin(url, base) {
        return Err(Refusal {
            name: "url",
            reason: "the request would leave the client's origin".into(),
        });
    }
    if url.fragment().is_some() {
        return Err(Refusal {
            name: "url",
            reason: "the request URL has a fragment".into(),
        });
    }
    if !(strict && rendered(url.path(), base, op, values)) {
        check_path(url, base, op, values)?;
    }
    check_query(url, op)
}

/// Whether `path` is exactly the base URL's path followed by the template
/// with each value in place of its parameter, every value non-empty (the
/// caller has checked that they are made of unreserved characters only, so
/// each is one segment, reads as itself, and a URL parser had nothing to
/// resolve: a `.` or `..` value would have been resolved away and the path
/// would differ). This is the
/// common case, settled with a few prefix comparisons; anything else takes
/// the segment-by-segment comparison of [`check_path`].
fn rendered(path: &str, base: &Url, op: &Operation, values: &[(&'static str, String)]) -> bool {
    if values.iter().any(|(_, v)| v.is_empty()) {
        return false;
    }
    let Some(mut rest) = path.strip_prefix(base.path().trim_end_matches('/')) else {
        return false;
    };
    let mut values = values.iter();
    let mut template = op.path;
    while let Some(open) = template.bytes().position(|b| b == b'{') {
        let Some(close) = template[open..].bytes().position(|b| b == b'}') else {
            return false;
        };
        let Some((_, value)) = values.next() else {
            return false;
        };
        let Some(after) = rest
            .strip_prefix(&template[..open])
            .and_then(|r| r.strip_prefix(value.as_str()))
        else {
            return false;
        };
        rest = after;
        template = &template[open + close + 1..];
    }
    rest == template && values.next().is_none()
}

fn check_path(
    url: &Url,
    base: &Url,
    op: &Operation,
    values: &[(&'static str, String)],
) -> Result<(), Refusal> {
    // One pass, no allocation on the way to a match: this runs before
    // every request. A trailing `/` (an empty last segment) is no segment.
    let mut actual = pieces(url.path()).skip(1).peekable();
    let mut next = |what: &str| -> Result<&str, Refusal> {
        let got = match actual.next() {
            Some("") if actual.peek().is_none() => None,
            other => other,
        };
        got.ok_or_else(|| {
            culprit(values).unwrap_or_else(|| Refusal {
                name: "url",
                reason: format!("the request URL has fewer segments than {what}"),
            })
        })
    };
    let literal = |got: &str, want: &str| {
        if same(got, want) {
            Ok(())
        } else {
            Err(culprit(values).unwrap_or_else(|| Refusal {
                name: "url",
                reason: format!("the segment `{want}` was sent as `{got}`"),
            }))
        }
    };
    for want in pieces(base.path()).filter(|s| !s.is_empty()) {
        literal(next("the base URL")?, want)?;
    }
    let mut values_left = values.iter();
    for segment in pieces(op.path).skip(1) {
        let got = next("the endpoint")?;
        let opens = segment.bytes().filter(|&b| b == b'{').count();
        if opens == 0 {
            literal(got, segment)?;
            continue;
        }
        let whole = opens == 1 && segment.starts_with('{') && segment.ends_with('}');
        let (name, want) = if whole {
            let (name, value) = values_left.next().ok_or_else(|| Refusal {
                name: "url",
                reason: format!("the template `{}` has more parameters than the call", op.path),
            })?;
            if value.is_empty() {
                return Err(Refusal {
                    name,
                    reason: "must not be empty: an empty path segment changes the endpoint".into(),
                });
            }
            (*name, Cow::Borrowed(value.as_str()))
        } else {
            // A segment with literal text around its parameters (`{id}.json`).
            let mut text = String::new();
            let mut name = "url";
            for part in parts(segment) {
                match part {
                    Part::Literal(l) => text.push_str(l),
                    Part::Param => {
                        let (n, value) = values_left.next().ok_or_else(|| Refusal {
                            name: "url",
                            reason: format!("the template `{}` has more parameters than the call", op.path),
                        })?;
                        text.push_str(value);
                        name = n;
                    }
                }
            }
            (name, Cow::Owned(text))
        };
        if !same(got, &want) {
            return Err(culprit(values).unwrap_or_else(|| Refusal {
                name,
                reason: format!("would not arrive as one path segment (`{got}` was sent)"),
            }));
        }
        if is_dot_segment(&want) {
            return Err(Refusal {
                name,
                reason: "would be read as `.` or `..` by the server, which would change the endpoint".into(),
            });
        }
    }
    let more = match actual.next() {
        None => false,
        Some("") => actual.peek().is_some(),
        Some(_) => true,
    };
    if more {
        return Err(culprit(values).unwrap_or_else(|| Refusal {
            name: "url",
            reason: "the request URL has more segments than the endpoint".into(),
        }));
    }
    Ok(())
}

/// The path values of a request for `op`, decoded, in template order, when
/// `path` is the base path `base` followed by the template (`None`
/// otherwise). In a segment with literal text around its parameters
/// (`{id}.json`), each parameter ends where the literal after it first
/// appears. The mock server ([`crate::mock`]) reads requests with it.
pub fn path_values(path: &str, base: &str, op: &Operation) -> Option<Vec<String>> {
    let base = base.trim_end_matches('/');
    let rest = path
        .strip_prefix(base)
        .filter(|r| r.is_empty() || r.starts_with('/'))?;
    let mut got = pieces(rest).skip(1).filter(|s| !s.is_empty());
    let mut values = Vec::new();
    for segment in pieces(op.path).skip(1).filter(|s| !s.is_empty()) {
        let sent = decoded(got.next()?)?;
        let mut left: &str = &sent;
        let mut parts = parts(segment).into_iter().peekable();
        while let Some(part) = parts.next() {
            match part {
                Part::Literal(l) => left = left.strip_prefix(l)?,
                Part::Param => {
                    let end = match parts.peek() {
                        Some(Part::Literal(l)) => left.find(l)?,
                        _ => left.len(),
                    };
                    values.push(left[..end].to_string());
                    left = &left[end..];
                }
            }
        }
        if !left.is_empty() {
            return None;
        }
    }
    got.next().is_none().then_some(values)
}

/// Whether a sent segment reads as `want` on the server: compared as is
/// when it has no escapes, else decoded.
fn same(got: &str, want: &str) -> bool {
    if got.as_bytes().contains(&b'%') {
        decoded(got).as_deref() == Some(want)
    } else {
        got == want
    }
}

/// The first value that does not survive a URL parser as one segment of
/// its own: the parameter to name when the whole URL did not match.
fn culprit(values: &[(&'static str, String)]) -> Option<Refusal> {
    let probe = Url::parse("http://probe.invalid/a/").ok()?;
    values.iter().find_map(|(name, value)| {
        let encoded = progenitor_client::encode_path(value);
        let alone = probe.join(&format!("{encoded}/z")).ok()?;
        let segs = segments(&alone);
        let intact = segs.len() == 3 && segs[0] == "a" && decoded(segs[1]).as_deref() == Some(value.as_str());
        (!intact).then(|| Refusal {
            name,
            reason: "would not arrive as one path segment: a URL parser reads part of it as a separator or a dot-segment, which would change the endpoint".into(),
        })
    })
}

fn check_query(url: &Url, op: &Operation) -> Result<(), Refusal> {
    for (key, _) in url.query_pairs() {
        let declared = op.query.contains(&key.as_ref())
            || op
                .deep_query
                .iter()
                .any(|q| key.strip_prefix(q).is_some_and(is_bracketed_keys));
        if !declared {
            return Err(Refusal {
                name: "query",
                reason: format!("the query parameter `{key}` is not one the operation declares"),
            });
        }
    }
    Ok(())
}

/// Whether `rest` is one or more `[key]`, no key holding a bracket.
fn is_bracketed_keys(rest: &str) -> bool {
    let mut rest = rest;
    if rest.is_empty() {
        return false;
    }
    while !rest.is_empty() {
        let Some(inner) = rest.strip_prefix('[') else {
            return false;
        };
        let Some(close) = inner.find(']') else {
            return false;
        };
        if inner[..close].contains('[') {
            return false;
        }
        rest = &inner[close + 1..];
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    /// [`super::check`] with the strictness its caller computes once.
    fn check(
        url: &Url,
        base: &Url,
        op: &Operation,
        values: &[(&'static str, String)],
    ) -> Result<(), Refusal> {
        super::check(url, base, op, values, already_strict(values))
    }

    /// Whether `check` settles `path` without the segment-by-segment
    /// comparison.
    fn shortcut(path: &str, base: &Url, op: &Operation, values: &[(&'static str, String)]) -> bool {
        already_strict(values) && rendered(path, base, op, values)
    }

    static OP: Operation = Operation {
        id: "put_membership",
        method: "PUT",
        path: "/groups/{groupId}/members/{userId}",
        query: &["page"],
        deep_query: &["filter"],
        content_type: None,
        security: &[],
    };

    fn url(path: &str) -> Url {
        Url::parse(&format!("https://h.example/pod{path}")).unwrap()
    }

    fn base() -> Url {
        Url::parse("https://h.example/pod").unwrap()
    }

    fn values(g: &str, u: &str) -> Vec<(&'static str, String)> {
        vec![("group_id", g.to_string()), ("user_id", u.to_string())]
    }

    #[test]
    fn a_faithful_url_passes() {
        let u = url("/groups/a%2Fb/members/7?page=2&filter[state]=x");
        check(&u, &base(), &OP, &values("a/b", "7")).unwrap();
    }

    #[test]
    fn a_backslash_climb_is_refused_by_comparison() {
        // What the url crate makes of progenitor's encoding of `..\..\x`.
        let built = format!(
            "https://h.example/pod/groups/{}/members/7",
            progenitor_client::encode_path("..\\..\\v1\\admin")
        );
        let u = Url::parse(&built).unwrap();
        assert_eq!(u.path(), "/v1/admin/members/7");
        let e = check(&u, &base(), &OP, &values("..\\..\\v1\\admin", "7")).unwrap_err();
        assert_eq!(e.name, "group_id");
    }

    #[test]
    fn matrix_dot_segments_and_empty_values_are_refused() {
        let e = check(&url("/groups/..;/members/7"), &base(), &OP, &values("..;", "7")).unwrap_err();
        assert_eq!(e.name, "group_id");
        assert!(e.reason.contains("`.` or `..`"), "{}", e.reason);
        let e = check(&url("/groups//members/7"), &base(), &OP, &values("", "7")).unwrap_err();
        assert_eq!(
            (e.name, e.reason.as_str()),
            (
                "group_id",
                "must not be empty: an empty path segment changes the endpoint"
            )
        );
    }

    #[test]
    fn an_undeclared_query_key_or_another_origin_is_refused() {
        let e = check(
            &url("/groups/g/members/7?admin=1"),
            &base(),
            &OP,
            &values("g", "7"),
        )
        .unwrap_err();
        assert_eq!(
            e.reason,
            "the query parameter `admin` is not one the operation declares"
        );
        let other = Url::parse("https://evil.example/pod/groups/g/members/7").unwrap();
        assert_eq!(
            check(&other, &base(), &OP, &values("g", "7")).unwrap_err().name,
            "url"
        );
    }

    #[test]
    fn bracketed_keys_belong_to_deep_object_parameters_alone() {
        let ok = |q: &str| {
            check(
                &url(&format!("/groups/g/members/7?{q}")),
                &base(),
                &OP,
                &values("g", "7"),
            )
        };
        ok("filter[state]=x&filter[a][b]=y&page=1").unwrap();
        ok("filter[a%26x%3D1]=%5D%26y%3D2").unwrap();
        for refused in [
            "filter=x",
            "filter[=x",
            "filter[a=x",
            "filter[a]b=x",
            "filter[a[b]]=x",
            "filter%5Ba%5D%26x%3D%5D=1&x=1",
            "page[a]=1",
            "filterx[a]=1",
            "filter[]x=1",
        ] {
            assert_eq!(ok(refused).unwrap_err().name, "query", "{refused}");
        }
    }

    #[test]
    fn the_strict_path_encodes_everything_but_unreserved_characters() {
        let path = strict_path(&base(), &OP, &values("a;b=c,d:e/f", "~x-y_z.7"));
        assert_eq!(path, "/pod/groups/a%3Bb%3Dc%2Cd%3Ae%2Ff/members/~x-y_z.7");
        let mut u = url("/groups/x/members/1");
        u.set_path(&path);
        check(&u, &base(), &OP, &values("a;b=c,d:e/f", "~x-y_z.7")).unwrap();
    }

    #[test]
    fn the_rendered_template_is_recognised_and_nothing_else() {
        let vals = values("g-1", "7");
        assert!(shortcut("/pod/groups/g-1/members/7", &base(), &OP, &vals));
        // A trailing slash, an extra or a missing segment, a changed literal.
        for path in [
            "/pod/groups/g-1/members/7/",
            "/pod/groups/g-1/members/7/x",
            "/pod/groups/g-1/members",
            "/pod/groups/g-1/admins/7",
            "/groups/g-1/members/7",
        ] {
            assert!(!shortcut(path, &base(), &OP, &vals), "{path}");
        }
        // Values that are not plainly one segment never take the short cut.
        for (g, path) in [
            ("", "/pod/groups//members/7"),
            ("a/b", "/pod/groups/a/b/members/7"),
            ("a%2Fb", "/pod/groups/a%2Fb/members/7"),
        ] {
            assert!(!shortcut(path, &base(), &OP, &values(g, "7")), "{g}");
        }
        // A value the parser resolved away differs from the rendered path.
        let u = url("/groups/../members/7");
        assert!(!shortcut(u.path(), &base(), &OP, &values("..", "7")));
        assert_eq!(
            check(&u, &base(), &OP, &values("..", "7")).unwrap_err().name,
            "group_id"
        );
    }

    #[test]
    fn path_values_are_read_back_decoded_in_template_order() {
        let op = Operation {
            id: "t",
            method: "GET",
            path: "/orgs/{org}/files/{name}.{ext}",
            query: &[],
            deep_query: &[],
            content_type: None,
            security: &[],
        };
        let got = path_values("/v1/orgs/a%20b/files/report.tar.gz", "/v1/", &op);
        assert_eq!(got, Some(vec!["a b".into(), "report".into(), "tar.gz".into()]));
        assert_eq!(path_values("/v1/orgs/a/files/report", "/v1", &op), None);
        assert_eq!(path_values("/v1/orgs/a/files/r.x/more", "/v1", &op), None);
        assert_eq!(path_values("/v2/orgs/a/files/r.x", "/v1", &op), None);
        assert_eq!(path_values("/v10/orgs/a/files/r.x", "/v1", &op), None);
    }

    #[test]
    fn literal_segments_must_match() {
        let e = check(&url("/groups/g/admins/7"), &base(), &OP, &values("g", "7")).unwrap_err();
        assert_eq!(e.name, "url");
        let e = check(&url("/groups/g/members/7/extra"), &base(), &OP, &values("g", "7")).unwrap_err();
        assert_eq!(e.reason, "the request URL has more segments than the endpoint");
    }
}
