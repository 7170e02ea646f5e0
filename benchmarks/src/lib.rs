//! What the benchmarks measure, shared by the divan stage benches and the
//! `BENCHMARKS.md` writer: the inputs (the three APIs and GitHub's 2021
//! description), each loaded once and carried through the stages.

use std::path::{Path, PathBuf};

pub mod limits;

use codegen::manifest::Manifest;
use codegen::merge::{Fragment, Merged};
use codegen::overlay::Overlay;
use serde_json::Value;

/// The workspace root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

/// Replaces the section of `BENCHMARKS.md` that starts at `heading` (up to
/// the next `## ` heading) with `new`, which starts with the heading; a
/// missing section goes before "What changed". For the runs that measure
/// one part (`--limits`, `--tls`) and leave the rest as it was.
pub fn splice_section(root: &Path, heading: &str, new: &str) -> anyhow::Result<()> {
    let path = root.join("BENCHMARKS.md");
    let text = std::fs::read_to_string(&path)?;
    let updated = match text.find(heading) {
        Some(start) => {
            let after = start + heading.len();
            let end = text[after..].find("\n## ").map_or(text.len(), |i| after + i + 1);
            format!("{}{new}{}", &text[..start], &text[end..])
        }
        None => match text.find("## What changed") {
            Some(at) => format!("{}{new}{}", &text[..at], &text[at..]),
            None => format!("{text}\n{new}"),
        },
    };
    std::fs::write(&path, updated)?;
    Ok(())
}

/// The inputs benchmarked: the three APIs under `specs/` and the GitHub corpus spec.
pub const INPUTS: [&str; 4] = ["symphony", "capillary", "github", "github-api-2021"];

/// One input's folder: a specs folder, or the corpus spec (with its manifest, if any).
pub fn folder(input: &str) -> anyhow::Result<(PathBuf, tempfile::TempDir)> {
    let tmp = tempfile::tempdir()?;
    let dir = tmp.path().join(input);
    std::fs::create_dir(&dir)?;
    let from_specs = root().join("specs").join(input);
    if from_specs.is_dir() {
        for entry in std::fs::read_dir(from_specs)? {
            let entry = entry?;
            std::fs::copy(entry.path(), dir.join(entry.file_name()))?;
        }
    } else {
        // A corpus spec, laid out as `cargo xtask corpus` lays it out (the
        // vendor's bytes checked against its SOURCE, and its manifest if any).
        std::fs::remove_dir(&dir)?;
        workspace_tests::corpus::entry_named(input)
            .and_then(|entry| entry.lay_out(tmp.path()))
            .map_err(anyhow::Error::msg)?;
    }
    Ok((dir, tmp))
}

/// An input's files, parsed, split into spec fragments and overlays.
pub struct Loaded {
    /// The API's settings.
    pub manifest: Manifest,
    /// Every `.json`/`.yaml` file, with its path.
    pub files: Vec<(PathBuf, String)>,
    /// The spec fragments.
    pub fragments: Vec<Fragment>,
    /// The overlays.
    pub overlays: Vec<Overlay>,
}

/// Reads and parses every file of an input folder.
pub fn load(input: &str, dir: &Path) -> anyhow::Result<Loaded> {
    let manifest = Manifest::read(input, dir, input)?;
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| codegen::load::Format::of(p).is_some())
        .collect();
    paths.sort();
    let mut loaded = Loaded {
        manifest,
        files: Vec::new(),
        fragments: Vec::new(),
        overlays: Vec::new(),
    };
    for path in paths {
        let shown = path
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        let doc = codegen::load::load(&path, &shown)?;
        if doc.get("overlay").is_some() {
            loaded.overlays.push(Overlay {
                file: shown.clone(),
                doc,
            });
        } else {
            loaded.fragments.push(Fragment {
                file: shown.clone(),
                doc,
            });
        }
        loaded.files.push((path, shown));
    }
    Ok(loaded)
}

/// The document after merge and overlay, and after normalize and adapt:
/// the inputs of the later stages.
pub struct Staged {
    /// After merge and overlay.
    pub merged: Merged,
    /// After normalize and adapt: what validate and generate take.
    pub ready: Value,
}

/// Runs the stages up to validate, for the benches of the later ones.
pub fn stage(loaded: &Loaded) -> anyhow::Result<Staged> {
    let mut merged = codegen::merge::merge(loaded.fragments.clone())?;
    for o in &loaded.overlays {
        codegen::overlay::apply(&mut merged.doc, o)?;
    }
    let mut normalized = codegen::normalize::normalize(merged.doc.clone(), &merged.origins)?;
    codegen::adapt::adapt(&mut normalized.doc, &loaded.manifest.policies);
    codegen::validate::validate_scoped(
        &loaded.manifest.api,
        &mut normalized.doc,
        &merged.origins,
        loaded.manifest.policies.is_strict(),
    )?;
    Ok(Staged {
        merged,
        ready: normalized.doc,
    })
}
