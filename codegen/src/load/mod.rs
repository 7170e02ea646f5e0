//! Load stage: reads one JSON or YAML file into a JSON value. Syntax errors
//! name the file and the line:column. A Swagger 2.0 document is converted
//! to OpenAPI 3.0.3 here too (`swagger2.rs`), so later stages see 3.x only.

pub(crate) mod swagger2;

use std::path::Path;

use serde_json::{Map, Value};

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
    match format {
        Format::Json => serde_json::from_str(text).map_err(|e| {
            Diagnostic::line_col(
                shown,
                e.line(),
                e.column(),
                format!("invalid JSON: {}", strip_position(&e.to_string())),
            )
            .help("fix the JSON syntax at that position")
            .into()
        }),
        Format::Yaml => {
            crate::limits::check_yaml_expansion(text, shown)?;
            let yaml: yaml_serde::Value = yaml_serde::from_str(text).map_err(|e| yaml_error(&e, shown))?;
            yaml_to_json(yaml, shown, "")
        }
    }
}

/// Reads and parses a file, choosing the format by its extension.
pub fn load(path: &Path, shown: &str) -> Result<Value> {
    let format = Format::of(path).ok_or_else(|| {
        Diagnostic::file(shown, "unknown file type").help("name spec files *.json, *.yaml or *.yml")
    })?;
    crate::limits::check_file_size(path, shown)?;
    parse(&read_text(path, shown)?, format, shown)
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

/// Converts YAML to JSON. Map keys become strings, as OpenAPI expects: an
/// unquoted `200:` response key is the string "200".
fn yaml_to_json(value: yaml_serde::Value, shown: &str, at: &str) -> Result<Value> {
    use yaml_serde::Value as Y;
    Ok(match value {
        Y::Null => Value::Null,
        Y::Bool(b) => Value::Bool(b),
        Y::Number(n) => {
            if let Some(i) = n.as_i64() {
                Value::from(i)
            } else if let Some(u) = n.as_u64() {
                Value::from(u)
            } else {
                let f = n.as_f64().unwrap_or(f64::NAN);
                serde_json::Number::from_f64(f)
                    .map(Value::Number)
                    .ok_or_else(|| {
                        Diagnostic::at(shown, at, format!("the number {f} has no JSON form"))
                            .help("use a finite number")
                    })?
            }
        }
        Y::String(s) => Value::String(s),
        Y::Sequence(items) => Value::Array(
            items
                .into_iter()
                .enumerate()
                .map(|(i, v)| yaml_to_json(v, shown, &format!("{at}/{i}")))
                .collect::<Result<_>>()?,
        ),
        Y::Mapping(map) => {
            let mut out = Map::new();
            for (k, v) in map {
                let key = match k {
                    Y::String(s) => s,
                    Y::Number(n) => n.to_string(),
                    Y::Bool(b) => b.to_string(),
                    other => {
                        return Err(Diagnostic::at(
                            shown,
                            at,
                            format!("a map key must be a string, not {other:?}"),
                        )
                        .help("quote the key")
                        .into());
                    }
                };
                let child = crate::document::pointer(at, &key);
                out.insert(key, yaml_to_json(v, shown, &child)?);
            }
            Value::Object(out)
        }
        Y::Tagged(tagged) => yaml_to_json(tagged.value, shown, at)?,
    })
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
    fn line_col_counts_from_one() {
        assert_eq!(line_col("ab\ncd", 4), (2, 2));
        assert_eq!(line_col("ab", 0), (1, 1));
    }
}
