//! The robustness corpus (`corpus/`): one folder per real vendor spec, run
//! through the pipeline as a new user would (the spec alone in an API
//! folder). Shared by `tests/corpus.rs` (a report snapshot per spec) and
//! `cargo xtask corpus` (the generated clients must pass `cargo check`; the
//! table in `corpus/README.md`).
//!
//! A folder `corpus/<name>/` holds a `SOURCE` line (repository, path,
//! commit, license), the spec itself when it is not one of
//! `../shared/corpus/<name>.{json,yaml,yml}`, and a `manifest.toml` only when
//! the spec needs policies other than the defaults.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use codegen::pipeline::{ApiOutput, build_api};

use crate::{root, shared_corpus};

/// The spec file extensions the pipeline reads.
const EXTENSIONS: [&str; 3] = ["json", "yaml", "yml"];

/// One corpus spec.
#[derive(Debug, Clone)]
pub struct Entry {
    /// The folder name: the API's name, so the crate is `<name>-client`.
    pub name: String,
    /// The vendor's file.
    pub spec: PathBuf,
    /// `corpus/<name>/manifest.toml`, when the entry has one.
    pub manifest: Option<PathBuf>,
}

/// Every folder under `corpus/`, sorted by name.
pub fn entries() -> Result<Vec<Entry>, String> {
    let corpus = root().join("corpus");
    let listing = std::fs::read_dir(&corpus).map_err(|e| format!("{}: {e}", corpus.display()))?;
    let mut names: Vec<String> = listing
        .filter_map(|e| e.ok())
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
        .into_iter()
        .map(|name| entry(&corpus.join(&name), name))
        .collect()
}

fn entry(folder: &Path, name: String) -> Result<Entry, String> {
    let find = |dir: &Path| {
        EXTENSIONS
            .iter()
            .map(|ext| dir.join(format!("{name}.{ext}")))
            .find(|p| p.is_file())
    };
    let spec = find(folder).or_else(|| find(&shared_corpus())).ok_or_else(|| {
        format!(
            "corpus/{name}: no spec `{name}.json`/`.yaml` in the folder nor in {}\n  help: run with ../shared beside the checkout, or commit the spec in the folder",
            shared_corpus().display()
        )
    })?;
    let manifest = Some(folder.join("manifest.toml")).filter(|p| p.is_file());
    Ok(Entry { name, spec, manifest })
}

impl Entry {
    /// Lays the entry out as an API folder under `specs` (the spec, and the
    /// manifest if any) and returns the folder.
    pub fn lay_out(&self, specs: &Path) -> Result<PathBuf, String> {
        let dir = specs.join(&self.name);
        let copy = |from: &Path| {
            let to = dir.join(from.file_name().unwrap_or_default());
            std::fs::copy(from, &to).map_err(|e| format!("{} -> {}: {e}", from.display(), to.display()))
        };
        std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        copy(&self.spec)?;
        if let Some(manifest) = &self.manifest {
            copy(manifest)?;
        }
        Ok(dir)
    }

    /// The operations the vendor's file declares, counted in the file itself
    /// (the methods under `paths`, Swagger 2.0 and OpenAPI 3 alike), not with
    /// the pipeline's own counter.
    pub fn declared(&self) -> Result<usize, String> {
        const METHODS: [&str; 8] = [
            "get", "put", "post", "delete", "options", "head", "patch", "trace",
        ];
        let shown = self.spec.display().to_string();
        let spec = codegen::load::load(&self.spec, &shown).map_err(|e| e.to_string())?;
        let paths = spec["paths"]
            .as_object()
            .ok_or_else(|| format!("{shown}: no `paths`"))?;
        Ok(paths
            .values()
            .filter_map(|item| item.as_object())
            .flat_map(|item| item.keys())
            .filter(|key| METHODS.contains(&key.as_str()))
            .count())
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

/// Text without this machine's cargo registry folder: a panic's place
/// (`/root/.cargo/registry/src/index.crates.io-<hash>/typify-impl-0.8.0/...`)
/// becomes `typify-impl-0.8.0/...`, so the snapshot is the same anywhere.
pub fn portable(text: &str) -> String {
    const REGISTRY: &str = "/registry/src/";
    text.lines()
        .map(|line| {
            line.split(' ')
                .map(|word| match word.find(REGISTRY) {
                    Some(i) => {
                        let index_and_rest = &word[i + REGISTRY.len()..];
                        index_and_rest
                            .split_once('/')
                            .map_or(index_and_rest, |(_, rest)| rest)
                    }
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
