//! Base URLs are checked when a client is built, not when the first request
//! fails: an absolute https URL (which always has a host), no query or fragment, and no
//! credentials (userinfo is refused first and never echoed, even when the
//! rest of the URL is invalid). Plain `http://` is taken only for loopback
//! hosts (tests, local proxies) unless the caller opts in. The result has no
//! trailing slash, as the generated code expects.

use reqwest::Url;

use crate::config::ConfigError;

/// Whether plain `http://` is allowed for hosts other than loopback.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Http {
    /// Only `https://`, or `http://` to a loopback host.
    #[default]
    LoopbackOnly,
    /// `http://` to any host (the caller opted in).
    Allowed,
}

/// The URL as it may be shown: userinfo replaced by `***`.
fn shown(input: &str) -> String {
    let Some((scheme, rest)) = input.split_once("://") else {
        return input.to_string();
    };
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    match rest[..authority_end].rfind('@') {
        Some(at) => format!("{scheme}://***@{}", &rest[at + 1..]),
        None => input.to_string(),
    }
}

fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    }
}

/// Checks a base URL and returns it without a trailing slash.
pub fn parse(input: &str, http: Http) -> Result<Url, ConfigError> {
    let input = input.trim();
    let safe = shown(input);
    if safe != input {
        return Err(ConfigError::new(format!(
            "`{safe}`: the base URL must not carry credentials; pass them to the client builder"
        )));
    }
    let mut url =
        Url::parse(input).map_err(|e| ConfigError::new(format!("`{safe}` is not a valid base URL: {e}")))?;
    if !url.username().is_empty() || url.password().is_some() {
        return Err(ConfigError::new(
            "the base URL must not carry credentials; pass them to the client builder",
        ));
    }
    match url.scheme() {
        "https" => {}
        "http" if is_loopback(&url) || http == Http::Allowed => {}
        "http" => {
            return Err(ConfigError::new(format!(
                "`{safe}`: plain http:// would send credentials unencrypted; use https://, or allow it with `.allow_http()` (loopback hosts are always allowed)"
            )));
        }
        _ => {
            return Err(ConfigError::new(format!(
                "`{safe}`: the base URL must start with https://"
            )));
        }
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(ConfigError::new(format!(
            "`{safe}`: the base URL must not have a query or fragment"
        )));
    }
    let trimmed = url.path().trim_end_matches('/').to_string();
    url.set_path(&trimmed);
    Ok(url)
}

/// The URL as the generated code joins paths to it: no trailing slash.
pub fn as_prefix(url: &Url) -> String {
    url.as_str().trim_end_matches('/').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(input: &str) -> String {
        as_prefix(&parse(input, Http::LoopbackOnly).unwrap())
    }

    fn err(input: &str) -> String {
        parse(input, Http::LoopbackOnly).unwrap_err().reason().to_string()
    }

    #[test]
    fn good_urls_lose_their_trailing_slash() {
        assert_eq!(
            ok("https://acme.symphony.com/pod/"),
            "https://acme.symphony.com/pod"
        );
        assert_eq!(ok("http://127.0.0.1:8080"), "http://127.0.0.1:8080");
        assert_eq!(ok("http://localhost:1/x"), "http://localhost:1/x");
        assert_eq!(ok("http://[::1]:9/"), "http://[::1]:9");
    }

    #[test]
    fn bad_urls_are_refused_with_a_reason() {
        let cases = [
            ("", "`` is not a valid base URL: relative URL without a base"),
            (
                "acme.symphony.com",
                "`acme.symphony.com` is not a valid base URL: relative URL without a base",
            ),
            ("ftp://x", "`ftp://x`: the base URL must start with https://"),
            (
                "https://x/?a=1",
                "`https://x/?a=1`: the base URL must not have a query or fragment",
            ),
            (
                "https://x/#f",
                "`https://x/#f`: the base URL must not have a query or fragment",
            ),
            ("http://", "`http://` is not a valid base URL: empty host"),
            (
                "unix:/run/sock",
                "`unix:/run/sock`: the base URL must start with https://",
            ),
            (
                "https://x:99999",
                "`https://x:99999` is not a valid base URL: invalid port number",
            ),
        ];
        for (input, reason) in cases {
            assert_eq!(err(input), reason, "{input}");
        }
        // http(s) URLs always have a host once parsed: `http:/x` is read as
        // `http://x/`, so there is no separate no-host check to reach.
        assert_eq!(ok("http:/localhost"), "http://localhost");
    }

    #[test]
    fn plain_http_is_for_loopback_unless_allowed() {
        assert_eq!(
            err("http://api.example.com"),
            "`http://api.example.com`: plain http:// would send credentials unencrypted; use https://, or allow it with `.allow_http()` (loopback hosts are always allowed)"
        );
        assert_eq!(
            as_prefix(&parse("http://api.example.com/", Http::Allowed).unwrap()),
            "http://api.example.com"
        );
    }

    #[test]
    fn userinfo_is_never_echoed_even_in_an_invalid_url() {
        for input in [
            "https://user:hunter2@x",
            "https://user:hunter2@x:99999/",
            "ht!tp://a:hunter2@h",
            "https://hunter2@x/p",
        ] {
            let e = err(input);
            assert!(!e.contains("hunter2"), "{input}: {e}");
            assert!(e.contains("must not carry credentials"), "{input}: {e}");
        }
    }
}
