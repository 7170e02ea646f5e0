//! Path values are input. The generated code percent-encodes `/`, `?`, `#`,
//! `%`, spaces and non-ASCII in each path value, so a value stays inside its
//! segment; what encoding cannot make safe is refused here before anything
//! is sent: the empty string (it would join two segments) and `.` or `..`
//! (a URL parser resolves them, moving the request to another endpoint).

use crate::error::Error;

/// Checks one path value; `name` is the parameter's name, for the error.
pub fn segment<V>(name: &'static str, value: &str) -> Result<(), Error<V>> {
    let reason = match value {
        "" => "must not be empty",
        "." | ".." => "must not be `.` or `..`, which would change the endpoint",
        _ => return Ok(()),
    };
    Err(Error::InvalidArgument {
        name,
        reason: reason.into(),
    })
}

#[cfg(test)]
mod tests {
    use super::segment;

    #[test]
    fn refuses_what_encoding_cannot_make_safe() {
        for bad in ["", ".", ".."] {
            assert!(segment::<()>("org", bad).is_err(), "{bad:?}");
        }
        for fine in ["a/b", "?", "#", "%2e%2e", "...", " ", "é", ".hidden"] {
            assert!(segment::<()>("org", fine).is_ok(), "{fine:?}");
        }
    }
}
