//! The robustness corpus (`corpus/`): one folder per real vendor spec, run
//! through the pipeline as a new user would (the spec alone in an API
//! folder). The one loader of the corpus: `tests/corpus.rs` (a report
//! snapshot per spec), `tests/hostile.rs` (every description made inert),
//! `xtask/tests/breaking.rs`, `cargo xtask corpus` (the generated clients
//! must pass `cargo check`; the table in `corpus/README.md`) and the
//! benchmarks all find a spec through [`entries`] and read it through
//! [`Entry::text`] or [`Entry::lay_out`].
//!
//! A folder `corpus/<name>/` holds:
//! - `SOURCE`: `key: value` lines naming the repository, the path, the
//!   commit, the license, the stored `file` and the `sha256` of the vendor's
//!   bytes (after decompression), read by [`Source::parse`];
//! - the vendor's file, `<name>.json` or `<name>.yaml`, gzip-compressed as
//!   `<name>.json.gz` when it is over about 1 MB (see `corpus/README.md`);
//! - a `manifest.toml` only when the spec needs policies other than the
//!   defaults.
//!
//! Every read checks the bytes against `sha256`, so a truncated or edited
//! file is an error that names the folder and what to do, never a wrong
//! snapshot.

use std::fmt::Write as _;
use std::io::Read as _;
use std::path::{Path, PathBuf};

use codegen::load::Format;
use codegen::pipeline::{ApiOutput, build_api};
use sha2::{Digest as _, Sha256};

use crate::root;

/// The suffix of a compressed spec.
const GZIP: &str = ".gz";

/// At most this many bytes are decompressed, so a damaged file cannot
/// grow without end: the pipeline refuses specs of 64 MiB or more anyway.
const MAX_SPEC_BYTES: u64 = 64 * 1024 * 1024 + 1;

/// The keys a `SOURCE` file must have, and those it may have.
const REQUIRED: [&str; 6] = ["repository", "path", "commit", "license", "file", "sha256"];
const OPTIONAL: [&str; 2] = ["version", "note"];

/// Where a corpus spec comes from, and how to check its bytes: the folder's
/// `SOURCE` file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    /// The vendor's public repository, `owner/name`.
    pub repository: String,
    /// The file's path in that repository.
    pub path: String,
    /// The commit the bytes were taken at.
    pub commit: String,
    /// The license the repository states.
    pub license: String,
    /// The file stored in the folder: `<name>.<ext>`, or `<name>.<ext>.gz`.
    pub file: String,
    /// The SHA-256 of the vendor's bytes, decompressed, in lower-case hex.
    pub sha256: String,
    /// The spec's OpenAPI or Swagger version, as said by the file.
    pub version: Option<String>,
    /// A remark on the copy (a fragment, a conversion), if any.
    pub note: Option<String>,
}

impl Source {
    /// Parses `key: value` lines (`#` comments and blank lines are skipped);
    /// `shown` names the file in errors, each with its line.
    pub fn parse(text: &str, shown: &str) -> Result<Self, String> {
        let mut values = std::collections::BTreeMap::new();
        for (n, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let at = format!("{shown}:{}", n + 1);
            let (key, value) = line
                .split_once(':')
                .ok_or_else(|| format!("{at}: expected `key: value`, found `{line}`"))?;
            let key = key.trim();
            if !REQUIRED.contains(&key) && !OPTIONAL.contains(&key) {
                return Err(format!(
                    "{at}: unknown key `{key}`\n  help: the keys are {} (and optionally {})",
                    REQUIRED.join(", "),
                    OPTIONAL.join(", ")
                ));
            }
            if values.insert(key, value.trim().to_string()).is_some() {
                return Err(format!("{at}: `{key}` is given twice"));
            }
        }
        let missing: Vec<&str> = REQUIRED
            .iter()
            .copied()
            .filter(|k| !values.contains_key(k))
            .collect();
        if !missing.is_empty() {
            return Err(format!(
                "{shown}: missing `{}`\n  help: see corpus/README.md, \"Adding a spec\"",
                missing.join("`, `")
            ));
        }
        let mut take = |key: &str| values.remove(key).filter(|v| !v.is_empty());
        let mut required = |key: &str| take(key).ok_or_else(|| format!("{shown}: `{key}` is empty"));
        let source = Self {
            repository: required("repository")?,
            path: required("path")?,
            commit: required("commit")?,
            license: required("license")?,
            file: required("file")?,
            sha256: required("sha256")?,
            version: take("version"),
            note: take("note"),
        };
        if source.sha256.len() != 64
            || !source
                .sha256
                .bytes()
                .all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
        {
            return Err(format!("{shown}: `sha256` must be 64 lower-case hex digits"));
        }
        Ok(source)
    }
}

/// One corpus spec.
#[derive(Debug, Clone)]
pub struct Entry {
    /// The folder name: the API's name, so the crate is `<name>-client`.
    pub name: String,
    /// `corpus/<name>/`.
    pub folder: PathBuf,
    /// The folder's `SOURCE`.
    pub source: Source,
    /// The stored file (compressed or not).
    pub stored: PathBuf,
    /// The vendor's file name as the pipeline reads it: `<name>.json` or
    /// `<name>.yaml`, without the compression suffix.
    pub file_name: String,
    /// `corpus/<name>/manifest.toml`, when the entry has one.
    pub manifest: Option<PathBuf>,
}

/// The folder under `corpus/` that holds CI's sample of the APIs.guru
/// directory (`tests/directory_sample.rs`), one entry per API: not a
/// corpus entry itself.
pub const APIS_GURU: &str = "apis-guru";

/// Every folder under `corpus/` but [`APIS_GURU`], sorted by name.
pub fn entries() -> Result<Vec<Entry>, String> {
    entries_in(&root().join("corpus"))
}

/// The APIs of CI's sample of the APIs.guru directory, sorted by name.
pub fn apis_guru_sample() -> Result<Vec<Entry>, String> {
    entries_in(&root().join("corpus").join(APIS_GURU))
}

/// Every folder under a corpus folder, sorted by name.
pub fn entries_in(corpus: &Path) -> Result<Vec<Entry>, String> {
    let listing = std::fs::read_dir(corpus).map_err(|e| format!("{}: {e}", corpus.display()))?;
    let mut names: Vec<String> = listing
        .filter_map(|e| e.ok())
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| name != APIS_GURU)
        .collect();
    names.sort();
    names
        .into_iter()
        .map(|name| entry(&corpus.join(&name), name))
        .collect()
}

/// The entry named `name` (the folder `corpus/<name>/`).
pub fn entry_named(name: &str) -> Result<Entry, String> {
    let folder = root().join("corpus").join(name);
    if !folder.is_dir() {
        return Err(format!(
            "corpus/{name}: no such folder\n  help: `ls corpus/` lists the entries"
        ));
    }
    entry(&folder, name.to_string())
}

fn entry(folder: &Path, name: String) -> Result<Entry, String> {
    let shown = format!("{}/SOURCE", shown_folder(folder));
    let text = std::fs::read_to_string(folder.join("SOURCE")).map_err(|e| {
        format!("{shown}: {e}\n  help: every corpus folder has a SOURCE naming the vendor's file (corpus/README.md)")
    })?;
    let source = Source::parse(&text, &shown)?;
    let file_name = source.file.strip_suffix(GZIP).unwrap_or(&source.file).to_string();
    let expected = [
        format!("{name}.json"),
        format!("{name}.yaml"),
        format!("{name}.yml"),
    ];
    if !expected.contains(&file_name) {
        return Err(format!(
            "{shown}: `file: {}` must be `{name}.json`, `{name}.yaml` or `{name}.yml`, optionally with `{GZIP}`\n  help: the file is named after its folder, so the client is `{name}-client`",
            source.file
        ));
    }
    let stored = folder.join(&source.file);
    if !stored.is_file() {
        return Err(format!(
            "corpus/{name}: no spec `{}` in the folder, as SOURCE names it\n  help: fetch `{}` from {} at {} and store it as corpus/{name}/{} (corpus/README.md, \"Adding a spec\"), or restore it with `git checkout -- corpus/{name}`",
            source.file, source.path, source.repository, source.commit, source.file
        ));
    }
    let manifest = Some(folder.join("manifest.toml")).filter(|p| p.is_file());
    Ok(Entry {
        name,
        folder: folder.to_path_buf(),
        source,
        stored,
        file_name,
        manifest,
    })
}

/// A folder as messages name it: relative to the workspace root
/// (`corpus/apis-guru/<name>` for the APIs.guru sample), else
/// `corpus/<name>`.
fn shown_folder(folder: &Path) -> String {
    match folder.strip_prefix(root()) {
        Ok(rel) => rel.to_string_lossy().replace('\\', "/"),
        Err(_) => format!(
            "corpus/{}",
            folder
                .file_name()
                .map(|n| n.to_string_lossy())
                .unwrap_or_default()
        ),
    }
}

/// The SHA-256 of some bytes, in lower-case hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .fold(String::with_capacity(64), |mut out, b| {
            let _ = write!(out, "{b:02x}");
            out
        })
}

impl Entry {
    /// How the stored file is named in messages.
    fn shown(&self) -> String {
        format!("{}/{}", shown_folder(&self.folder), self.source.file)
    }

    /// The vendor's bytes: the stored file, decompressed when it is
    /// compressed, checked against `sha256` in `SOURCE`.
    pub fn bytes(&self) -> Result<Vec<u8>, String> {
        let shown = self.shown();
        let raw = std::fs::read(&self.stored).map_err(|e| format!("{shown}: {e}"))?;
        let bytes = if self.source.file.ends_with(GZIP) {
            let mut out = Vec::new();
            flate2::read::MultiGzDecoder::new(raw.as_slice())
                .take(MAX_SPEC_BYTES)
                .read_to_end(&mut out)
                .map_err(|e| {
                    format!("{shown}: not a whole gzip file ({e})\n  help: restore it with `git checkout -- corpus/{}`", self.name)
                })?;
            out
        } else {
            raw
        };
        if bytes.len() as u64 >= MAX_SPEC_BYTES {
            return Err(format!(
                "{shown}: decompresses to more than 64 MiB, more than the pipeline reads\n  help: restore the file with `git checkout -- corpus/{}`",
                self.name
            ));
        }
        let actual = sha256_hex(&bytes);
        if actual != self.source.sha256 {
            return Err(format!(
                "{shown}: the vendor's bytes have SHA-256 {actual}, but corpus/{}/SOURCE says {}\n  help: restore the file with `git checkout -- corpus/{}`; for a newer vendor version, update `commit` and `sha256` in SOURCE together (corpus/README.md, \"Updating a spec\")",
                self.name, self.source.sha256, self.name
            ));
        }
        Ok(bytes)
    }

    /// The vendor's file as text (checked as [`Entry::bytes`] does).
    pub fn text(&self) -> Result<String, String> {
        String::from_utf8(self.bytes()?).map_err(|e| format!("{}: not UTF-8 ({e})", self.shown()))
    }

    /// The spec's format, from its name.
    pub fn format(&self) -> Format {
        Format::of(Path::new(&self.file_name)).unwrap_or(Format::Json)
    }

    /// The vendor's file, parsed.
    pub fn document(&self) -> Result<serde_json::Value, String> {
        codegen::load::parse(&self.text()?, self.format(), &self.shown()).map_err(|e| e.to_string())
    }

    /// Lays the entry out as an API folder under `specs` (the vendor's file,
    /// decompressed, and the manifest if any) and returns the folder.
    pub fn lay_out(&self, specs: &Path) -> Result<PathBuf, String> {
        let dir = specs.join(&self.name);
        std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        let spec = dir.join(&self.file_name);
        std::fs::write(&spec, self.bytes()?).map_err(|e| format!("{}: {e}", spec.display()))?;
        if let Some(manifest) = &self.manifest {
            let to = dir.join("manifest.toml");
            std::fs::copy(manifest, &to)
                .map_err(|e| format!("{} -> {}: {e}", manifest.display(), to.display()))?;
        }
        Ok(dir)
    }

    /// The operations the vendor's file declares, counted in the file itself
    /// (the methods under `paths`, Swagger 2.0 and OpenAPI 3 alike, and 3.2's
    /// `query` and `additionalOperations`), not with the pipeline's own
    /// counter.
    pub fn declared(&self) -> Result<usize, String> {
        const METHODS: [&str; 8] = [
            "get", "put", "post", "delete", "options", "head", "patch", "trace",
        ];
        let spec = self.document()?;
        let paths = spec["paths"]
            .as_object()
            .ok_or_else(|| format!("{}: no `paths`", self.shown()))?;
        // OpenAPI 3.2 adds `query` and the methods of `additionalOperations`.
        Ok(paths
            .values()
            .filter_map(|item| item.as_object())
            .map(|item| {
                let fixed = item
                    .keys()
                    .filter(|key| METHODS.contains(&key.as_str()) || *key == "query")
                    .count();
                let more = item
                    .get("additionalOperations")
                    .and_then(|m| m.as_object())
                    .map_or(0, |m| m.len());
                fixed + more
            })
            .sum())
    }

    /// Runs the pipeline on the entry, laid out under `specs`.
    pub fn run(&self, specs: &Path) -> Result<Run, String> {
        let dir = self.lay_out(specs)?;
        let built = build_api(&self.name, &dir, &format!("specs/{}", self.name));
        Ok(Run {
            declared: self.declared()?,
            built,
        })
    }
}

/// What the pipeline made of one corpus spec.
#[derive(Debug)]
pub struct Run {
    /// Operations in the vendor's file.
    pub declared: usize,
    /// The API and its generated module, or why the whole API was refused.
    pub built: Result<(ApiOutput, String), codegen::Error>,
}

impl Run {
    /// Operations the client has (0 when refused).
    pub fn generated(&self) -> usize {
        self.built.as_ref().map_or(0, |(api, _)| api.operations)
    }

    /// The report kept as a snapshot: operations generated, skipped (with
    /// reasons) and adapted, or the errors that refused the whole API.
    pub fn report(&self) -> String {
        let declared = self.declared;
        let (api, _) = match &self.built {
            Ok(built) => built,
            Err(errors) => {
                let errors = portable(&errors.to_string());
                return format!("refused: 0 of {declared} operations generated\n\n{errors}\n");
            }
        };
        let mut out = format!(
            "{} of {declared} operations generated, {} skipped, {} types\n",
            api.operations,
            api.skipped.len(),
            api.types
        );
        out.push_str("\nskipped:\n");
        for s in &api.skipped {
            let _ = writeln!(out, "  {}: {}", s.operation, s.reasons.join("; "));
        }
        out.push_str("\nadapted:\n");
        for a in &api.adaptations {
            let place = match (a.operation.as_str(), a.pointer.as_str()) {
                ("", "") => "document".to_string(),
                ("", at) => format!("#{at}"),
                (op, _) => op.to_string(),
            };
            let _ = writeln!(out, "  {place} [{}]: {}", a.policy, a.detail);
        }
        for n in &api.notes {
            let _ = writeln!(out, "  note {n}");
        }
        out
    }
}

/// A registry source path holds this.
const REGISTRY: &str = "/registry/src/";

/// Text without this machine's cargo registry folder: a panic's place
/// (`/root/.cargo/registry/src/index.crates.io-<hash>/typify-impl-0.8.0/...`)
/// becomes `typify-impl-0.8.0/...`, so the snapshot is the same anywhere.
pub fn portable(text: &str) -> String {
    text.lines()
        .map(|line| {
            line.split(' ')
                .map(|word| match word.find(REGISTRY) {
                    Some(_) => codegen::generate::portable_place(word),
                    None => word,
                })
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::{Source, entries_in, sha256_hex};

    /// A corpus folder `<tmp>/acme/` with this SOURCE and these files.
    fn corpus_with(source: &str, files: &[(&str, &[u8])]) -> tempfile::TempDir {
        let tmp = tempfile::tempdir().expect("temp dir");
        let folder = tmp.path().join("acme");
        std::fs::create_dir(&folder).expect("folder");
        std::fs::write(folder.join("SOURCE"), source).expect("SOURCE");
        for (name, bytes) in files {
            std::fs::write(folder.join(name), bytes).expect("file");
        }
        tmp
    }

    fn source(file: &str, sha256: &str) -> String {
        format!(
            "# a comment\nrepository: acme/specs\npath: openapi.json\ncommit: 0123abcd\nlicense: MIT\nfile: {file}\nsha256: {sha256}\n"
        )
    }

    const SPEC: &[u8] = br#"{"openapi": "3.0.3", "paths": {"/a": {"get": {}, "post": {}}}}"#;

    fn gzip(bytes: &[u8]) -> Vec<u8> {
        use std::io::Write as _;
        let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        encoder.write_all(bytes).expect("gzip");
        encoder.finish().expect("gzip")
    }

    #[test]
    fn a_plain_and_a_compressed_spec_read_back_as_the_vendors_bytes() {
        let sha = sha256_hex(SPEC);
        for (stored, bytes) in [("acme.json", SPEC.to_vec()), ("acme.json.gz", gzip(SPEC))] {
            let tmp = corpus_with(&source(stored, &sha), &[(stored, &bytes)]);
            let entry = entries_in(tmp.path()).expect("entries").remove(0);
            assert_eq!(
                (entry.name.as_str(), entry.file_name.as_str()),
                ("acme", "acme.json")
            );
            assert_eq!(entry.bytes().expect("bytes"), SPEC);
            assert_eq!(entry.declared(), Ok(2));
            let specs = tmp.path().join("specs");
            let dir = entry.lay_out(&specs).expect("laid out");
            assert_eq!(std::fs::read(dir.join("acme.json")).expect("laid-out file"), SPEC);
        }
    }

    #[test]
    fn a_folder_without_its_spec_names_the_folder_and_what_to_do() {
        let tmp = corpus_with(&source("acme.json.gz", &sha256_hex(SPEC)), &[]);
        let err = entries_in(tmp.path()).expect_err("no spec");
        assert_eq!(
            err,
            "corpus/acme: no spec `acme.json.gz` in the folder, as SOURCE names it\n  help: fetch `openapi.json` from acme/specs at 0123abcd and store it as corpus/acme/acme.json.gz (corpus/README.md, \"Adding a spec\"), or restore it with `git checkout -- corpus/acme`"
        );
    }

    #[test]
    fn changed_bytes_are_refused_with_both_hashes() {
        let edited = br#"{"openapi": "3.0.3", "paths": {}}"#;
        let tmp = corpus_with(&source("acme.json", &sha256_hex(SPEC)), &[("acme.json", edited)]);
        let entry = entries_in(tmp.path()).expect("entries").remove(0);
        assert_eq!(
            entry.bytes().expect_err("edited"),
            format!(
                "corpus/acme/acme.json: the vendor's bytes have SHA-256 {}, but corpus/acme/SOURCE says {}\n  help: restore the file with `git checkout -- corpus/acme`; for a newer vendor version, update `commit` and `sha256` in SOURCE together (corpus/README.md, \"Updating a spec\")",
                sha256_hex(edited),
                sha256_hex(SPEC)
            )
        );
    }

    #[test]
    fn a_truncated_gzip_file_is_refused() {
        let whole = gzip(SPEC);
        let tmp = corpus_with(
            &source("acme.json.gz", &sha256_hex(SPEC)),
            &[("acme.json.gz", &whole[..whole.len() / 2])],
        );
        let entry = entries_in(tmp.path()).expect("entries").remove(0);
        let err = entry.bytes().expect_err("truncated");
        assert!(
            err.starts_with("corpus/acme/acme.json.gz: not a whole gzip file (")
                && err.ends_with(")\n  help: restore it with `git checkout -- corpus/acme`"),
            "{err}"
        );
    }

    #[test]
    fn a_source_file_is_checked_key_by_key() {
        let parse = |text: &str| Source::parse(text, "corpus/acme/SOURCE");
        assert_eq!(
            parse("repository: a/b\nlicence: MIT\n"),
            Err("corpus/acme/SOURCE:2: unknown key `licence`\n  help: the keys are repository, path, commit, license, file, sha256 (and optionally version, note)".into())
        );
        assert_eq!(
            parse("repository: a/b\n"),
            Err("corpus/acme/SOURCE: missing `path`, `commit`, `license`, `file`, `sha256`\n  help: see corpus/README.md, \"Adding a spec\"".into())
        );
        assert_eq!(
            parse(&source("acme.json", "ABC")),
            Err("corpus/acme/SOURCE: `sha256` must be 64 lower-case hex digits".into())
        );
        assert_eq!(
            parse("repository a/b\n"),
            Err("corpus/acme/SOURCE:1: expected `key: value`, found `repository a/b`".into())
        );
    }

    #[test]
    fn a_file_not_named_after_its_folder_is_refused() {
        let tmp = corpus_with(
            &source("openapi.json", &sha256_hex(SPEC)),
            &[("openapi.json", SPEC)],
        );
        assert_eq!(
            entries_in(tmp.path()).expect_err("misnamed"),
            "corpus/acme/SOURCE: `file: openapi.json` must be `acme.json`, `acme.yaml` or `acme.yml`, optionally with `.gz`\n  help: the file is named after its folder, so the client is `acme-client`"
        );
    }

    #[test]
    fn registry_paths_are_left_out() {
        assert_eq!(
            super::portable(
                "panicked at /root/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/typify-impl-0.8.0/src/defaults.rs:325\n  help: x"
            ),
            "panicked at typify-impl-0.8.0/src/defaults.rs:325\n  help: x"
        );
    }
}
