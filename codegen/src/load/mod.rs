//! Load stage: reads one JSON or YAML file into a JSON value. Syntax errors
//! name the file and the line:column. A Swagger 2.0 document is converted
//! to OpenAPI 3.0.3 here too (`swagger2.rs`), so later stages see 3.x only.
//! Numbers follow one rule in both formats (`numbers.rs`).

mod numbers;
pub(crate) mod swagger2;
mod yaml;

use std::path::Path;

use serde_json::Value;

use crate::error::{Diagnostic, Result};

/// The formats a spec, overlay or manifest-less document may be written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// `.json`
    Json,
    /// `.yaml` or `.yml`
    Yaml,
}

impl Format {
    /// The format a file name implies, if it is one we read.
    pub fn of(path: &Path) -> Option<Self> {
        match path.extension()?.to_str()? {
            "json" => Some(Self::Json),
            "yaml" | "yml" => Some(Self::Yaml),
            _ => None,
        }
    }
}

/// Reads a file as UTF-8 text; `shown` is how the file is named in errors.
pub fn read_text(path: &Path, shown: &str) -> Result<String> {
    let bytes =
        std::fs::read(path).map_err(|e| Diagnostic::file(shown, format!("cannot read the file: {e}")))?;
    String::from_utf8(bytes).map_err(|e| {
        let (line, col) = line_col(
            &String::from_utf8_lossy(e.as_bytes()),
            e.utf8_error().valid_up_to(),
        );
        Diagnostic::line_col(shown, line, col, "the file is not valid UTF-8")
            .help("save the file as UTF-8")
            .into()
    })
}

/// Parses text in the given format into a JSON value.
pub fn parse(text: &str, format: Format, shown: &str) -> Result<Value> {
    parse_noted(text, format, shown).map(|(value, _)| value)
}

/// [`parse`], with a note per number left out (`numbers.rs`), each naming
/// its place as `#/pointer`.
pub fn parse_noted(text: &str, format: Format, shown: &str) -> Result<(Value, Vec<String>)> {
    match format {
        Format::Json => {
            let mut value: Value = serde_json::from_str(text).map_err(|e| {
                Diagnostic::line_col(
                    shown,
                    e.line(),
                    e.column(),
                    format!("invalid JSON: {}", strip_position(&e.to_string())),
                )
                .help("fix the JSON syntax at that position")
            })?;
            numbers::canonical(&mut value);
            Ok((value, Vec::new()))
        }
        Format::Yaml => {
            crate::limits::check_yaml_expansion(text, shown)?;
            Ok(yaml::parse(text).map_err(|e| yaml_error(&e, shown))?)
        }
    }
}

/// Reads and parses a file, choosing the format by its extension.
pub fn load(path: &Path, shown: &str) -> Result<Value> {
    load_noted(path, shown).map(|(value, _)| value)
}

/// [`load`], with [`parse_noted`]'s notes.
pub fn load_noted(path: &Path, shown: &str) -> Result<(Value, Vec<String>)> {
    let format = Format::of(path).ok_or_else(|| {
        Diagnostic::file(shown, "unknown file type").help("name spec files *.json, *.yaml or *.yml")
    })?;
    crate::limits::check_file_size(path, shown)?;
    parse_noted(&read_text(path, shown)?, format, shown)
}

/// A YAML error as a diagnostic: a syntax error at its line and column; an
/// alias bomb (aliases that expand without bound, "billion laughs"), which
/// yaml_serde stops at its repetition limit and which has no position, for
/// the whole file.
fn yaml_error(e: &yaml_serde::Error, shown: &str) -> Diagnostic {
    let message = strip_position(&e.to_string());
    match e.location() {
        Some(l) => Diagnostic::line_col(shown, l.line(), l.column(), format!("invalid YAML: {message}"))
            .help("fix the YAML syntax at that position"),
        None if message.contains("repetition limit") => Diagnostic::file(
            shown,
            format!("invalid YAML: its aliases expand too far ({message}), as in an alias bomb"),
        )
        .help("write the repeated parts out instead of referring to them with `*alias` so many times"),
        None => Diagnostic::file(shown, format!("invalid YAML: {message}")).help("fix the YAML syntax"),
    }
}

/// Removes a trailing "at line X column Y" that the parsers append, since
/// the diagnostic shows the position itself.
fn strip_position(message: &str) -> String {
    match message.find(" at line ") {
        Some(i) => message[..i].to_string(),
        None => message.to_string(),
    }
}

/// The 1-based line and column of a byte offset.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text.as_bytes()[..offset];
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let col = offset - before.iter().rposition(|&b| b == b'\n').map_or(0, |p| p + 1) + 1;
    (line, col)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn json_syntax_error_names_line_and_column() {
        let err = parse("{\n  \"a\": [1,\n", Format::Json, "x.json").unwrap_err();
        let d = &err.diagnostics()[0];
        assert_eq!(d.file, "x.json");
        assert!(matches!(d.place, crate::error::Place::LineCol(3, _)), "{d}");
    }

    #[test]
    fn yaml_syntax_error_names_line_and_column() {
        let err = parse("a: 1\nb: [1, 2\nc: 3\n", Format::Yaml, "x.yaml").unwrap_err();
        let d = &err.diagnostics()[0];
        assert_eq!(d.place, crate::error::Place::LineCol(3, 2), "{d}");
        assert!(d.message.starts_with("invalid YAML"), "{d}");
    }

    #[test]
    fn a_yaml_alias_bomb_is_refused_with_a_clear_error() {
        // "Billion laughs": nine levels of nine aliases each would expand to
        // 9^9 (387 million) strings if the parser followed them all.
        let mut text = String::from("a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        let names = ["a", "b", "c", "d", "e", "f", "g", "h", "i"];
        for pair in names.windows(2) {
            let (prev, name) = (pair[0], pair[1]);
            let refs = vec![format!("*{prev}"); 9].join(", ");
            text.push_str(&format!("{name}: &{name} [{refs}]\n"));
        }
        let err = parse(&text, Format::Yaml, "bomb.yaml").unwrap_err();
        let d = &err.diagnostics()[0];
        assert_eq!(d.file, "bomb.yaml");
        assert!(
            d.message.starts_with("invalid YAML: its aliases expand too far"),
            "{d}"
        );
        assert!(d.message.contains("alias bomb"), "{d}");
    }

    #[test]
    fn yaml_numeric_keys_become_strings() {
        let v = parse(
            "responses:\n  200:\n    description: ok\n",
            Format::Yaml,
            "x.yaml",
        )
        .unwrap();
        assert_eq!(v["responses"]["200"]["description"], "ok");
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_stack_overflow() {
        let text = format!("{}{}", "[".repeat(5_000), "]".repeat(5_000));
        let err = parse(&text, Format::Json, "deep.json").unwrap_err();
        assert!(err.to_string().contains("recursion limit"), "{err}");
        let yaml = format!("a: {}{}", "[".repeat(5_000), "]".repeat(5_000));
        assert!(parse(&yaml, Format::Yaml, "deep.yaml").is_err());
    }

    #[test]
    fn json_and_yaml_read_every_number_form_alike() {
        // The edges: 2^63 and -2^63 as written and as a 64-bit limit in
        // double form (a vendor's `minimum: -9223372036854776000`), 2^64,
        // exponent and fraction forms of whole numbers, minus zero.
        let forms = [
            ("9223372036854775807", json!(i64::MAX)),
            ("9223372036854775808", json!(1u64 << 63)),
            ("-9223372036854775808", json!(i64::MIN)),
            ("-9223372036854776000", json!(i64::MIN)),
            // The nearest double is -2^63, which is an integer.
            ("-9223372036854775809", json!(i64::MIN)),
            ("18446744073709551615", json!(u64::MAX)),
            ("18446744073709551616", json!(1.8446744073709552e19)),
            ("100000000000000000000000000000000000000000", json!(1e41)),
            ("1e3", json!(1000)),
            ("1000.0", json!(1000)),
            ("-0", json!(0)),
            ("-0.0", json!(0)),
            ("0.5", json!(0.5)),
            ("-1.5e-3", json!(-0.0015)),
        ];
        for (written, expected) in forms {
            let from_json = parse(&format!("{{\"n\": {written}}}"), Format::Json, "x.json").unwrap();
            let (from_yaml, notes) = parse_noted(&format!("n: {written}\n"), Format::Yaml, "x.yaml").unwrap();
            assert_eq!(from_json["n"], expected, "JSON {written}");
            assert_eq!(from_yaml["n"], expected, "YAML {written}");
            assert!(notes.is_empty(), "{notes:?}");
        }
    }

    #[test]
    fn a_yaml_number_with_no_json_form_is_left_out_with_a_note() {
        let text = "schema:\n  maximum: .inf\n  minimum: -.inf\n  enum: [1, .nan, 2]\n  type: integer\n";
        let (v, notes) = parse_noted(text, Format::Yaml, "x.yaml").unwrap();
        assert_eq!(v, json!({"schema": {"enum": [1, 2], "type": "integer"}}));
        assert_eq!(
            notes,
            [
                "#/schema/maximum: left out `.inf`: JSON has no such number (as a bound, it means no bound)",
                "#/schema/minimum: left out `-.inf`: JSON has no such number (as a bound, it means no bound)",
                "#/schema/enum/1: left out `.nan`: JSON has no such number (as a bound, it means no bound)",
            ]
        );
    }

    #[test]
    fn yaml_tags_are_read_as_their_values_and_odd_keys_are_errors_with_a_place() {
        let v = parse("a: !custom 5\nb: !!str 7\n", Format::Yaml, "x.yaml").unwrap();
        assert_eq!(v, json!({"a": 5, "b": "7"}));
        let err = parse("a:\n  [1, 2]: x\n", Format::Yaml, "x.yaml").unwrap_err();
        let d = &err.diagnostics()[0];
        assert!(matches!(d.place, crate::error::Place::LineCol(2, _)), "{d}");
        assert!(d.message.contains("quote the key"), "{d}");
    }

    #[test]
    fn line_col_counts_from_one() {
        assert_eq!(line_col("ab\ncd", 4), (2, 2));
        assert_eq!(line_col("ab", 0), (1, 1));
    }
}
