//! Base URLs are checked when a client is built, not when the first request
//! fails: an absolute http(s) URL with a host, no credentials, query or
//! fragment. The result has no trailing slash, as the generated code expects.

use crate::error::ConfigError;

/// Checks a base URL and returns it without a trailing slash.
pub fn parse(input: &str) -> Result<String, ConfigError> {
    let url = reqwest::Url::parse(input.trim())
        .map_err(|e| ConfigError::new(format!("`{input}` is not a valid base URL: {e}")))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(ConfigError::new(format!(
            "`{input}`: the base URL must start with https:// (or http://)"
        )));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(ConfigError::new(format!("`{input}`: the base URL has no host")));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(ConfigError::new(
            "the base URL must not carry credentials; pass them to the client builder",
        ));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(ConfigError::new(format!(
            "`{input}`: the base URL must not have a query or fragment"
        )));
    }
    Ok(url.as_str().trim_end_matches('/').to_string())
}

#[cfg(test)]
mod tests {
    use super::parse;

    #[test]
    fn good_urls_lose_their_trailing_slash() {
        assert_eq!(
            parse("https://acme.symphony.com/pod/").unwrap(),
            "https://acme.symphony.com/pod"
        );
        assert_eq!(parse("http://127.0.0.1:8080").unwrap(), "http://127.0.0.1:8080");
    }

    #[test]
    fn bad_urls_are_refused_with_a_reason() {
        for bad in [
            "",
            "acme.symphony.com",
            "ftp://x",
            "https://user:pw@x",
            "https://x/?a=1",
            "https://x/#f",
            "http://",
        ] {
            assert!(parse(bad).is_err(), "{bad}");
        }
        assert!(
            !parse("https://user:hunter2@x")
                .unwrap_err()
                .to_string()
                .contains("hunter2")
        );
    }
}
