//! Bounds on what one spec may cost. A spec is third-party input: its size,
//! its YAML alias expansion and its number of operations each have a limit
//! with a clear error, so a hostile or runaway file cannot take the
//! generator's time and memory. Nesting is bounded by the parsers (128
//! levels of arrays and objects, serde_json's and yaml_serde's limit), and
//! the YAML parser also refuses more alias jumps than 100 per event.
//! `BENCHMARKS.md` ("Resource limits") has the time and memory of each case.

use std::cell::Cell;
use std::fmt;
use std::path::Path;

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::Value;

use crate::error::{Diagnostic, Result};
use crate::merge::Origins;

/// The largest spec, overlay or fragment file read: 64 MiB. GitHub's whole
/// REST description is under 12 MB.
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// The most operations one API may have: 20,000, 25 to 35 s and 1.8 GB to
/// generate (GitHub's 767 take about a second; see `BENCHMARKS.md`).
pub const MAX_OPERATIONS: usize = 20_000;

/// The values a YAML file may expand to, aliases repeated: a million plus
/// one per byte of text. A file without aliases holds fewer values than
/// bytes, so only alias expansion can reach it.
pub fn yaml_budget(text: &str) -> usize {
    1_000_000 + text.len()
}

/// Refuses a file over [`MAX_FILE_BYTES`] before reading it.
pub fn check_file_size(path: &Path, shown: &str) -> Result<()> {
    let Ok(meta) = std::fs::metadata(path) else {
        return Ok(()); // reading it says what is wrong
    };
    if meta.len() > MAX_FILE_BYTES {
        return Err(Diagnostic::file(
            shown,
            format!(
                "the file is {:.1} MiB; files over {} MiB are refused",
                meta.len() as f64 / (1024.0 * 1024.0),
                MAX_FILE_BYTES / (1024 * 1024)
            ),
        )
        .help("split the spec into several fragment files in the same folder: they are merged into one document")
        .into());
    }
    Ok(())
}

/// Refuses YAML whose aliases expand past [`yaml_budget`] values, before it
/// is expanded into memory: an anchor of 100,000 values referenced 100,000
/// times is a 1.5 MB file and ten billion values. Counts without building
/// anything; a syntax error is left to the real parse, which names the place.
pub fn check_yaml_expansion(text: &str, shown: &str) -> Result<()> {
    let budget = yaml_budget(text);
    let left = Cell::new(budget);
    let exceeded = Cell::new(false);
    let counted = Count {
        left: &left,
        exceeded: &exceeded,
    }
    .deserialize(yaml_serde::Deserializer::from_str(text));
    if counted.is_err() && exceeded.get() {
        return Err(Diagnostic::file(
            shown,
            format!("the YAML expands to more than {budget} values: its aliases (`*name`) repeat anchors too often"),
        )
        .help("write a part that is used many times once, under components, and point at it with `$ref`")
        .into());
    }
    Ok(())
}

/// Refuses a document with more than `max` operations (the manifest's
/// `max_operations`, [`MAX_OPERATIONS`] by default).
pub fn check_operations(doc: &Value, origins: &Origins, max: usize) -> Result<()> {
    let count = crate::document::operations(doc).len();
    if count > max {
        return Err(Diagnostic::at(
            origins.file_of("/paths"),
            "/paths",
            format!("{count} operations; this API may have at most {max}"),
        )
        .help(format!(
            "raise `max_operations` under [policies] in the API's manifest.toml to {count} or more (generating takes about 1 GiB of memory per 10,000 operations), or split the API into several folders, each with an overlay that removes the paths it does not serve"
        ))
        .into());
    }
    Ok(())
}

/// Counts values as the deserializer produces them, aliases replayed.
#[derive(Clone, Copy)]
struct Count<'a> {
    left: &'a Cell<usize>,
    exceeded: &'a Cell<bool>,
}

impl Count<'_> {
    fn tick<E: de::Error>(self) -> std::result::Result<(), E> {
        match self.left.get().checked_sub(1) {
            Some(left) => {
                self.left.set(left);
                Ok(())
            }
            None => {
                self.exceeded.set(true);
                Err(E::custom("too many values"))
            }
        }
    }
}

impl<'de> DeserializeSeed<'de> for Count<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> std::result::Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Count<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any YAML value")
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> std::result::Result<(), E> {
        self.tick()
    }

    fn visit_i64<E: de::Error>(self, _: i64) -> std::result::Result<(), E> {
        self.tick()
    }

    fn visit_u64<E: de::Error>(self, _: u64) -> std::result::Result<(), E> {
        self.tick()
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> std::result::Result<(), E> {
        self.tick()
    }

    fn visit_str<E: de::Error>(self, _: &str) -> std::result::Result<(), E> {
        self.tick()
    }

    fn visit_bytes<E: de::Error>(self, _: &[u8]) -> std::result::Result<(), E> {
        self.tick()
    }

    fn visit_unit<E: de::Error>(self) -> std::result::Result<(), E> {
        self.tick()
    }

    fn visit_none<E: de::Error>(self) -> std::result::Result<(), E> {
        self.tick()
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> std::result::Result<(), D::Error> {
        self.tick()?;
        self.deserialize(d)
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> std::result::Result<(), D::Error> {
        self.tick()?;
        self.deserialize(d)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> std::result::Result<(), A::Error> {
        self.tick()?;
        while seq.next_element_seed(self)?.is_some() {}
        Ok(())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> std::result::Result<(), A::Error> {
        self.tick()?;
        while map.next_key_seed(self)?.is_some() {
            map.next_value_seed(self)?;
        }
        Ok(())
    }

    fn visit_enum<A: de::EnumAccess<'de>>(self, data: A) -> std::result::Result<(), A::Error> {
        use de::VariantAccess;
        self.tick()?;
        let (IgnoredAny, variant) = data.variant()?;
        variant.newtype_variant_seed(self)
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn quadratic_yaml_aliases_are_refused_before_expansion() {
        let n = 3_000;
        let text = format!(
            "openapi: 3.0.3\nx-big: &big\n{}x-refs:\n{}",
            "  - a\n".repeat(n),
            "  - *big\n".repeat(n)
        );
        let err = check_yaml_expansion(&text, "q.yaml").expect_err("9 million values");
        assert!(err.to_string().contains("expands to more than"), "{err}");
        assert!(err.to_string().contains("help:"), "{err}");
    }

    #[test]
    fn yaml_with_a_few_aliases_passes() {
        let text = "a: &x {b: [1, 2, {c: d}]}\ne: *x\nf: [*x, *x, !tag 3]\n";
        check_yaml_expansion(text, "ok.yaml").expect("small expansion");
        // A syntax error is for the real parse to report, with its place.
        check_yaml_expansion("a: [1,\n", "bad.yaml").expect("not this check's business");
    }

    #[test]
    fn too_many_operations_are_refused_naming_paths_and_the_policy() {
        let paths: serde_json::Map<String, Value> =
            (0..4).map(|i| (format!("/r{i}"), json!({"get": {}}))).collect();
        let doc = json!({"paths": paths});
        check_operations(&doc, &Origins::default(), 4).expect("at the limit");
        let err = check_operations(&doc, &Origins::default(), 3).expect_err("one too many");
        let text = err.to_string();
        assert!(text.contains("#/paths"), "{text}");
        assert!(
            text.contains("4 operations; this API may have at most 3"),
            "{text}"
        );
        assert!(text.contains("raise `max_operations` under [policies]"), "{text}");
    }

    #[test]
    fn a_file_over_the_size_limit_is_refused_unread() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("big.json");
        let file = std::fs::File::create(&path).expect("create");
        file.set_len(MAX_FILE_BYTES + 1).expect("sparse file");
        let err = check_file_size(&path, "big.json").expect_err("too big");
        assert!(err.to_string().contains("over 64 MiB"), "{err}");
        check_file_size(&dir.path().join("missing.json"), "missing.json").expect("left to the read");
    }
}
