//! The checks a generated `<Op>Then` runs when an answer is built: the
//! operation documents its status (exactly, by range such as `4XX`, or as
//! `default`), its body decodes as that status's type, and a header set
//! on it is one the status documents. A refusal is a panic that names the
//! operation and what to do: the test set up an answer the vendor would
//! never give.

/// Whether `statuses` (an operation's documented response keys) cover
/// `status`.
pub fn documents(statuses: &[&str], status: u16) -> bool {
    statuses.iter().any(|s| {
        *s == "default"
            || s.parse::<u16>() == Ok(status)
            || (s.len() == 3
                && s[1..].eq_ignore_ascii_case("XX")
                && s.as_bytes()[0] == b'0' + (status / 100) as u8)
    })
}

/// Refuses an answer of `op` whose status it does not document, or whose
/// body did not decode as that status's type (`decodes`).
#[track_caller]
pub fn refuse_undocumented(op: &str, statuses: &[&str], status: u16, decodes: Result<(), String>) {
    if !documents(statuses, status) {
        panic!(
            "the mock of {op} cannot answer {status}: the spec documents {} for it. \
             Use one of those, or `Then::raw` for a deliberate test of a vendor that breaks its spec.",
            statuses.join(", ")
        );
    }
    if let Err(why) = decodes {
        panic!(
            "the mock of {op} cannot answer {status} with this body: {why}. \
             Build the body from the generated types, or use `Then::raw` for a deliberate bad body."
        );
    }
}

/// Refuses a header the spec does not document on `status` of `op`
/// (`headers`: each documented header, lowercase, with its statuses).
#[track_caller]
pub fn check_header(op: &str, headers: &[(&str, &[&str])], status: u16, name: &str) {
    let lower = name.to_ascii_lowercase();
    let documented = headers
        .iter()
        .any(|(h, statuses)| *h == lower && documents(statuses, status));
    if !documented {
        let listed: Vec<&str> = headers
            .iter()
            .filter(|(_, s)| documents(s, status))
            .map(|(h, _)| *h)
            .collect();
        let listed = match listed.is_empty() {
            true => "none".to_string(),
            false => listed.join(", "),
        };
        panic!(
            "the mock of {op} cannot send the header `{name}` with {status}: the spec documents {listed} for that status. \
             Use `Then::raw` with `Answer::header` for an undocumented one."
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_are_documented_exactly_by_range_or_by_default() {
        assert!(documents(&["200", "404"], 404));
        assert!(!documents(&["200", "404"], 418));
        assert!(documents(&["2XX"], 204));
        assert!(documents(&["4xx"], 429));
        assert!(!documents(&["4XX"], 503));
        assert!(documents(&["default"], 503));
    }

    #[test]
    #[should_panic(expected = "cannot answer 418: the spec documents 200, 404")]
    fn an_undocumented_status_is_refused() {
        refuse_undocumented("`get` (GET /x)", &["200", "404"], 418, Ok(()));
    }

    #[test]
    #[should_panic(expected = "cannot send the header `Retry-After` with 200")]
    fn a_header_of_another_status_is_refused() {
        check_header("`get` (GET /x)", &[("retry-after", &["429"])], 200, "Retry-After");
    }
}
