//! Documented response headers, typed: what the generated accessors of a
//! `headers::<Op>` value call. Each reads one header by name and gives
//! `Ok(None)` when the server did not send it, the typed value when it did,
//! and a [`HeaderError`] (the header's name, an excerpt of its value, why)
//! when the value is not what the spec documents: a malformed header is
//! reported, never read as absent.
//!
//! The types: text as `&str`, integers and numbers by their format, a date
//! as a [`SystemTime`] (an HTTP-date or an RFC 3339 date-time), `Link` as
//! [`Links`] (RFC 8288), `Retry-After` as [`RetryAfter`], a list as the
//! comma-separated items.
//!
//! `Link` is parsed here, not by a crate: the maintained one
//! (`parse_link_header`) builds `regex` into every client and keys links by
//! one `rel`, losing a link with several; the other (`http-link`) has not
//! been released since 2021.

use std::fmt;
use std::str::FromStr;
use std::time::{Duration, SystemTime};

use reqwest::header::{HeaderMap, HeaderValue};

/// A documented header whose value is not what the spec says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeaderError {
    name: &'static str,
    value: String,
    reason: String,
}

impl HeaderError {
    fn new(name: &'static str, value: &HeaderValue, reason: impl Into<String>) -> Self {
        // A credential-like value (`set-cookie`) is not kept.
        let shown = match value.is_sensitive() {
            true => "<redacted>".into(),
            false => String::from_utf8_lossy(value.as_bytes()),
        };
        let value = match shown.char_indices().nth(64) {
            Some((cut, _)) => format!("{}…", &shown[..cut]),
            None => shown.into_owned(),
        };
        Self {
            name,
            value,
            reason: reason.into(),
        }
    }

    /// The header's name.
    pub fn name(&self) -> &str {
        self.name
    }

    /// The start of the value the server sent.
    pub fn value(&self) -> &str {
        &self.value
    }

    /// Why it is not what the spec documents.
    pub fn reason(&self) -> &str {
        &self.reason
    }
}

impl fmt::Display for HeaderError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "response header `{}: {}` is not as the API description says: {}",
            self.name, self.value, self.reason
        )
    }
}

impl std::error::Error for HeaderError {}

/// The first value of `name`, as text.
pub fn text<'a>(headers: &'a HeaderMap, name: &'static str) -> Result<Option<&'a str>, HeaderError> {
    headers
        .get(name)
        .map(|v| {
            v.to_str()
                .map(str::trim)
                .map_err(|_| HeaderError::new(name, v, "not visible ASCII text"))
        })
        .transpose()
}

/// The first value of `name`, parsed as `T` (an integer, a number, a
/// boolean).
pub fn parsed<T: FromStr>(headers: &HeaderMap, name: &'static str) -> Result<Option<T>, HeaderError>
where
    T::Err: fmt::Display,
{
    let Some(text) = text(headers, name)? else {
        return Ok(None);
    };
    text.parse::<T>()
        .map(Some)
        .map_err(|e| HeaderError::new(name, &headers[name], format!("not a {}: {e}", short_type::<T>())))
}

fn short_type<T>() -> &'static str {
    let full = std::any::type_name::<T>();
    full.rsplit("::").next().unwrap_or(full)
}

/// The first value of `name`, as a date: an HTTP-date
/// (`Sun, 06 Nov 1994 08:49:37 GMT`, what HTTP sends) or an RFC 3339
/// date-time (`1994-11-06T08:49:37Z`, what a spec's `format: date-time`
/// says).
pub fn date(headers: &HeaderMap, name: &'static str) -> Result<Option<SystemTime>, HeaderError> {
    let Some(text) = text(headers, name)? else {
        return Ok(None);
    };
    httpdate::parse_http_date(text)
        .ok()
        .or_else(|| rfc3339(text))
        .map(Some)
        .ok_or_else(|| {
            HeaderError::new(
                name,
                &headers[name],
                "neither an HTTP-date nor an RFC 3339 date-time",
            )
        })
}

/// Every value of `name`, split at commas, trimmed, empty items left out.
pub fn list<'a>(headers: &'a HeaderMap, name: &'static str) -> Result<Option<Vec<&'a str>>, HeaderError> {
    let mut items = Vec::new();
    let mut any = false;
    for value in headers.get_all(name) {
        any = true;
        let text = value
            .to_str()
            .map_err(|_| HeaderError::new(name, value, "not visible ASCII text"))?;
        items.extend(text.split(',').map(str::trim).filter(|s| !s.is_empty()));
    }
    Ok(any.then_some(items))
}

/// Every `Link` value of `name`, parsed ([`Links`]).
pub fn links(headers: &HeaderMap, name: &'static str) -> Result<Option<Links>, HeaderError> {
    let mut links = Vec::new();
    let mut any = false;
    for value in headers.get_all(name) {
        any = true;
        let text = value
            .to_str()
            .map_err(|_| HeaderError::new(name, value, "not visible ASCII text"))?;
        links.extend(parse_links(text).map_err(|why| HeaderError::new(name, value, why))?);
    }
    Ok(any.then_some(Links(links)))
}

/// `Retry-After` ([`RetryAfter`]).
pub fn retry_after(headers: &HeaderMap, name: &'static str) -> Result<Option<RetryAfter>, HeaderError> {
    let Some(text) = text(headers, name)? else {
        return Ok(None);
    };
    if let Some(secs) = delay_seconds(text) {
        return Ok(Some(RetryAfter::Delay(Duration::from_secs(secs))));
    }
    httpdate::parse_http_date(text)
        .map(|d| Some(RetryAfter::Date(d)))
        .map_err(|_| HeaderError::new(name, &headers[name], "neither seconds nor an HTTP-date"))
}

/// `delay-seconds` (RFC 9110 10.2.3): digits only, no sign.
fn delay_seconds(text: &str) -> Option<u64> {
    match !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) {
        true => text.parse().ok(),
        false => None,
    }
}

/// What a `Retry-After` header asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RetryAfter {
    /// Wait this long.
    Delay(Duration),
    /// Wait until then.
    Date(SystemTime),
}

impl RetryAfter {
    /// How long to wait from `now` (nothing for a date already past).
    pub fn wait_from(&self, now: SystemTime) -> Duration {
        match self {
            RetryAfter::Delay(d) => *d,
            RetryAfter::Date(when) => when.duration_since(now).unwrap_or_default(),
        }
    }
}

/// The links of a `Link` header (RFC 8288), in the order sent.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Links(Vec<Link>);

impl Links {
    /// The first link with relation `rel` (`next`, `last`, ...; compared
    /// without case, as RFC 8288 says).
    pub fn rel(&self, rel: &str) -> Option<&Link> {
        self.0
            .iter()
            .find(|l| l.rels().any(|r| r.eq_ignore_ascii_case(rel)))
    }

    /// The `next` link's target: where the following page is.
    pub fn next(&self) -> Option<&str> {
        self.rel("next").map(Link::target)
    }

    /// Every link.
    pub fn iter(&self) -> std::slice::Iter<'_, Link> {
        self.0.iter()
    }

    /// How many links there are.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl<'a> IntoIterator for &'a Links {
    type Item = &'a Link;
    type IntoIter = std::slice::Iter<'a, Link>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

/// One link: its target as sent (it may be relative to the request's URL)
/// and its parameters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    target: String,
    params: Vec<(String, String)>,
}

impl Link {
    /// The target URI, as sent.
    pub fn target(&self) -> &str {
        &self.target
    }

    /// The value of parameter `name` (compared without case), unquoted.
    pub fn param(&self, name: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// Its relation types: `rel` may hold several, space-separated.
    pub fn rels(&self) -> impl Iterator<Item = &str> {
        self.param("rel").unwrap_or_default().split_ascii_whitespace()
    }
}

/// `<uri>; rel="next"; title="x", <uri2>; rel=last`: links separated by
/// commas (a comma inside `<…>` or a quoted string is part of it).
fn parse_links(text: &str) -> Result<Vec<Link>, String> {
    let mut links = Vec::new();
    let mut rest = text.trim_start();
    while !rest.is_empty() {
        // Empty list elements (`<a>, , <b>`) are allowed (RFC 9110 5.6.1).
        if let Some(after) = rest.strip_prefix(',') {
            rest = after.trim_start();
            continue;
        }
        let Some(after) = rest.strip_prefix('<') else {
            return Err(format!(
                "a link must start with `<`, found `{}`",
                first_char(rest)
            ));
        };
        let end = after.find('>').ok_or("a `<` without its `>`")?;
        let target = after[..end].trim().to_string();
        rest = after[end + 1..].trim_start();
        let mut params = Vec::new();
        while let Some(after) = rest.strip_prefix(';') {
            let after = after.trim_start();
            let name_end = after
                .find(|c: char| c == '=' || c == ';' || c == ',' || c.is_ascii_whitespace())
                .unwrap_or(after.len());
            let name = after[..name_end].to_ascii_lowercase();
            rest = after[name_end..].trim_start();
            let value = match rest.strip_prefix('=') {
                Some(v) => {
                    let (value, left) = param_value(v.trim_start())?;
                    rest = left.trim_start();
                    value
                }
                None => String::new(),
            };
            if !name.is_empty() {
                params.push((name, value));
            }
        }
        links.push(Link { target, params });
        rest = match rest.strip_prefix(',') {
            Some(r) => r.trim_start(),
            None if rest.is_empty() => rest,
            None => {
                return Err(format!(
                    "expected `,` or `;` after a link, found `{}`",
                    first_char(rest)
                ));
            }
        };
    }
    Ok(links)
}

/// A parameter's value, quoted (with `\` escapes) or a token; and what
/// follows it.
fn param_value(text: &str) -> Result<(String, &str), String> {
    let Some(quoted) = text.strip_prefix('"') else {
        let end = text.find([';', ',']).unwrap_or(text.len());
        return Ok((text[..end].trim_end().to_string(), &text[end..]));
    };
    let mut value = String::new();
    let mut chars = quoted.char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => return Ok((value, &quoted[i + 1..])),
            '\\' => value.extend(chars.next().map(|(_, c)| c)),
            c => value.push(c),
        }
    }
    Err("a quoted value without its closing `\"`".into())
}

fn first_char(text: &str) -> String {
    text.chars().next().map(String::from).unwrap_or_default()
}

/// `1994-11-06T08:49:37Z`, `…37.5+01:00`: an RFC 3339 date-time.
fn rfc3339(text: &str) -> Option<SystemTime> {
    let b = text.as_bytes();
    let num = |from: usize, len: usize| -> Option<i64> {
        let digits = b.get(from..from + len)?;
        digits
            .iter()
            .all(u8::is_ascii_digit)
            .then(|| digits.iter().fold(0i64, |n, d| n * 10 + i64::from(d - b'0')))
    };
    let sep = |at: usize, allowed: &[u8]| b.get(at).is_some_and(|c| allowed.contains(c));
    if !(sep(4, b"-") && sep(7, b"-") && sep(10, b"Tt ") && sep(13, b":") && sep(16, b":")) {
        return None;
    }
    let (year, month, day) = (num(0, 4)?, num(5, 2)?, num(8, 2)?);
    let (hour, minute, second) = (num(11, 2)?, num(14, 2)?, num(17, 2)?);
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let days_in_month = match month {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    };
    if !(1..=12).contains(&month)
        || !(1..=days_in_month).contains(&day)
        || hour > 23
        || minute > 59
        || second > 60
    {
        return None;
    }
    let mut at = 19;
    let mut nanos = 0u32;
    if sep(at, b".") {
        at += 1;
        let start = at;
        while b.get(at).is_some_and(u8::is_ascii_digit) {
            at += 1;
        }
        let digits = &text[start..at];
        if digits.is_empty() {
            return None;
        }
        let nine: String = digits.chars().chain(std::iter::repeat('0')).take(9).collect();
        nanos = nine.parse().ok()?;
    }
    let offset = match b.get(at)? {
        b'Z' | b'z' if at + 1 == b.len() => 0,
        sign @ (b'+' | b'-') if at + 6 == b.len() && sep(at + 3, b":") => {
            let (hours, minutes) = (num(at + 1, 2)?, num(at + 4, 2)?);
            if hours > 23 || minutes > 59 {
                return None;
            }
            let minutes = hours * 60 + minutes;
            if *sign == b'+' { minutes } else { -minutes }
        }
        _ => return None,
    };
    // Days since 1970-01-01 (Howard Hinnant's days_from_civil).
    let (y, m) = if month <= 2 {
        (year - 1, month + 9)
    } else {
        (year, month - 3)
    };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * m + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    let secs = days * 86_400 + hour * 3600 + minute * 60 + second - offset * 60;
    let base = match u64::try_from(secs) {
        Ok(s) => SystemTime::UNIX_EPOCH.checked_add(Duration::from_secs(s))?,
        Err(_) => SystemTime::UNIX_EPOCH.checked_sub(Duration::from_secs(secs.unsigned_abs()))?,
    };
    base.checked_add(Duration::from_nanos(u64::from(nanos)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut m = HeaderMap::new();
        for (n, v) in pairs {
            m.append(*n, HeaderValue::from_str(v).unwrap());
        }
        m
    }

    #[test]
    fn absent_is_none_and_malformed_is_an_error_naming_the_header() {
        let m = map(&[("x-ratelimit-remaining", "12"), ("x-count", "many")]);
        assert_eq!(parsed::<i64>(&m, "x-ratelimit-remaining"), Ok(Some(12)));
        assert_eq!(parsed::<i64>(&m, "x-absent"), Ok(None));
        let e = parsed::<i32>(&m, "x-count").unwrap_err();
        assert_eq!((e.name(), e.value()), ("x-count", "many"));
        assert!(e.to_string().contains("`x-count: many`"), "{e}");
        assert!(e.reason().starts_with("not a i32"), "{e}");
        assert_eq!(text(&m, "x-count"), Ok(Some("many")));
        assert_eq!(parsed::<bool>(&map(&[("x-b", "true")]), "x-b"), Ok(Some(true)));
    }

    #[test]
    fn dates_read_as_http_dates_or_rfc_3339() {
        let expected = SystemTime::UNIX_EPOCH + Duration::from_secs(784_111_777);
        let m = map(&[
            ("last-modified", "Sun, 06 Nov 1994 08:49:37 GMT"),
            ("x-at", "1994-11-06T08:49:37Z"),
            ("x-offset", "1994-11-06T09:49:37.250+01:00"),
            ("x-bad", "yesterday"),
        ]);
        assert_eq!(date(&m, "last-modified"), Ok(Some(expected)));
        assert_eq!(date(&m, "x-at"), Ok(Some(expected)));
        assert_eq!(
            date(&m, "x-offset"),
            Ok(Some(expected + Duration::from_millis(250)))
        );
        assert!(date(&m, "x-bad").is_err());
        assert_eq!(
            rfc3339("1969-12-31T23:59:59Z"),
            SystemTime::UNIX_EPOCH.checked_sub(Duration::from_secs(1))
        );
        for bad in [
            "1994-13-06T08:49:37Z",
            "1994-11-06T08:49:37",
            "1994-11-06",
            "1994-11-06T08:49:37+0100",
            "2021-02-31T00:00:00Z",
            "2023-02-29T00:00:00Z",
            "1994-11-06T08:49:37+99:99",
        ] {
            assert_eq!(rfc3339(bad), None, "{bad}");
        }
    }

    #[test]
    fn links_are_parsed_as_rfc_8288_says() {
        let m = map(&[
            (
                "link",
                r#"<https://api.github.com/x?page=2>; rel="next", <https://api.github.com/x?page=5>; rel=last"#,
            ),
            ("link", r#"</a,b>; rel="prev first"; title="a \"quoted\"; one""#),
        ]);
        let links = links(&m, "link").unwrap().unwrap();
        assert_eq!(links.len(), 3);
        assert_eq!(links.next(), Some("https://api.github.com/x?page=2"));
        assert_eq!(
            links.rel("LAST").map(Link::target),
            Some("https://api.github.com/x?page=5")
        );
        let prev = links.rel("first").unwrap();
        assert_eq!(prev.target(), "/a,b");
        assert_eq!(prev.param("title"), Some(r#"a "quoted"; one"#));
        assert_eq!(prev.rels().collect::<Vec<_>>(), ["prev", "first"]);
        let sparse = parse_links("<a>; rel=next, , <b>; rel=last,").unwrap();
        assert_eq!(sparse.iter().map(Link::target).collect::<Vec<_>>(), ["a", "b"]);
        assert!(rfc3339("2024-02-29T00:00:00Z").is_some(), "a leap day");
        for bad in [
            "https://x; rel=next",
            "<https://x; rel=next",
            r#"<x>; rel="next"#,
            "<x> junk",
        ] {
            assert!(parse_links(bad).is_err(), "{bad}");
        }
        assert_eq!(super::links(&HeaderMap::new(), "link"), Ok(None));
    }

    #[test]
    fn retry_after_and_lists() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(784_111_777);
        let m = map(&[
            ("retry-after", "120"),
            ("x-date", "Sun, 06 Nov 1994 08:50:37 GMT"),
            ("x-list", "a, b,,c"),
            ("x-list", "d"),
        ]);
        let delay = retry_after(&m, "retry-after").unwrap().unwrap();
        assert_eq!(delay, RetryAfter::Delay(Duration::from_secs(120)));
        let date = retry_after(&m, "x-date").unwrap().unwrap();
        assert_eq!(date.wait_from(now), Duration::from_secs(60));
        assert!(retry_after(&map(&[("retry-after", "soon")]), "retry-after").is_err());
        assert!(retry_after(&map(&[("retry-after", "+5")]), "retry-after").is_err());
        assert_eq!(list(&m, "x-list"), Ok(Some(vec!["a", "b", "c", "d"])));
    }
}
