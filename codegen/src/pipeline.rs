//! The whole pipeline for a specs tree: find the API folders, run every
//! stage for each, and plan every output file in memory. Nothing is written
//! until every API has gone through without error.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::adapt::{Adaptation, adapt};
use crate::error::{Diagnostic, Error, Result};
use crate::generate::{generate, rust_header};
use crate::load::{Format, load_noted, swagger2};
use crate::manifest::{self, Manifest};
use crate::merge::{Fragment, merge};
use crate::normalize::normalize;
use crate::output::{Ownership, PlannedFile};
use crate::overlay::{self, Overlay};
use crate::scaffold::{self, FACADE_DIR, FacadeEntry};
use crate::surface::model::Surface;
use crate::surface::release::{self, Base, Release};
use crate::surface::rules::Class;
use crate::validate::{Skipped, scope_stage, validate_scoped};

/// Where the pipeline reads and writes.
#[derive(Debug, Clone)]
pub struct Options {
    /// The specs tree: one folder per API.
    pub specs: PathBuf,
    /// Where the client crates live: one folder per API, plus the facade.
    pub out: PathBuf,
    /// Every API as if its manifest said `strict = true` (`--strict`): an
    /// error refuses the API instead of costing its scope.
    pub strict: bool,
}

/// Everything the pipeline learned about one API.
#[derive(Debug, Clone)]
pub struct ApiOutput {
    /// Its settings.
    pub manifest: Manifest,
    /// `info.title`.
    pub title: String,
    /// The spec and overlay files it was built from, in order.
    pub sources: Vec<String>,
    /// The OpenAPI 3.0.3 document that progenitor saw.
    pub normalized: Value,
    /// What normalization could not keep.
    pub notes: Vec<String>,
    /// What the adapt stage changed, by policy.
    pub adaptations: Vec<Adaptation>,
    /// Operations left out, each with its reasons.
    pub skipped: Vec<Skipped>,
    /// The API-surface listing.
    pub surface: String,
    /// Every public item of the generated client (committed as `surface.txt`).
    pub items: Surface,
    /// How many operations the client has.
    pub operations: usize,
    /// How many types it defines.
    pub types: usize,
    /// Its per-tag cargo features, when it is large enough to have them.
    pub features: Option<crate::features::TagFeatures>,
}

/// The outcome of planning: every API, and every file to write or check.
#[derive(Debug, Clone)]
pub struct Plan {
    /// The APIs, sorted by folder name.
    pub apis: Vec<ApiOutput>,
    /// The files, generated and scaffolded.
    pub files: Vec<PlannedFile>,
    /// Per API, what changed in its surface since the base, and its version.
    pub releases: Vec<Release>,
    /// The facade's version, which follows its clients.
    pub facade_version: semver::Version,
}

fn shown(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}

/// The API folders under the specs tree, sorted by name.
pub fn discover(specs: &Path) -> Result<Vec<(String, PathBuf)>> {
    let specs_shown = shown(specs);
    let entries = std::fs::read_dir(specs).map_err(|e| {
        Diagnostic::file(&specs_shown, format!("cannot read the specs folder: {e}"))
            .help("pass an existing folder with --specs")
    })?;
    let mut apis = Vec::new();
    for entry in entries {
        let entry = entry
            .map_err(|e| Diagnostic::file(&specs_shown, format!("cannot list the specs folder: {e}")))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') || !entry.path().is_dir() {
            continue;
        }
        if !manifest::is_package_name(&name) {
            return Err(Diagnostic::file(
                format!("{specs_shown}/{name}"),
                "an API folder name must be lowercase letters, digits, `-` and `_`, starting with a letter",
            )
            .help("rename the folder; it becomes the crate folder and the default crate name")
            .into());
        }
        if name == FACADE_DIR {
            return Err(Diagnostic::file(
                format!("{specs_shown}/{name}"),
                format!("`{FACADE_DIR}` is the facade crate's name"),
            )
            .help("rename the API folder")
            .into());
        }
        apis.push((name, entry.path()));
    }
    if apis.is_empty() {
        return Err(Diagnostic::file(&specs_shown, "no API folders found")
            .help("add a folder per API, holding its spec files")
            .into());
    }
    apis.sort();
    Ok(apis)
}

/// Runs every stage for every API and plans the output files, with the
/// files on disk as the base that versions and changelogs follow.
pub fn plan(options: &Options) -> Result<Plan> {
    plan_with(options, &Base::Disk)
}

/// [`plan`], with versions and changelogs following the surface at `base`.
pub fn plan_with(options: &Options, base: &Base) -> Result<Plan> {
    let mut built = Vec::new();
    let mut errors = Vec::new();
    for (name, dir) in discover(&options.specs)? {
        match build_api_with(
            &name,
            &dir,
            &format!("{}/{name}", shown(&options.specs)),
            options.strict,
        ) {
            Ok(api) => built.push(api),
            Err(e) => errors.extend(e.diagnostics().iter().cloned()),
        }
    }
    if let Some(e) = Error::from_all(errors) {
        return Err(e);
    }
    plan_built_with(built, &options.out, base)
}

/// Plans the files of APIs already built (each with its generated module),
/// and the facade that re-exports exactly those: for a caller that builds
/// the APIs itself and keeps going past one that fails (the corpus run).
pub fn plan_built(built: Vec<(ApiOutput, String)>, out: &Path) -> Result<Plan> {
    plan_built_with(built, out, &Base::Disk)
}

/// [`plan_built`], with versions and changelogs following the surface at
/// `base`.
fn plan_built_with(built: Vec<(ApiOutput, String)>, out: &Path, base: &Base) -> Result<Plan> {
    let out_shown = shown(out);
    let mut files = Vec::new();
    let mut apis = Vec::new();
    let mut releases = Vec::new();
    let mut errors = Vec::new();
    let mut entries = Vec::new();
    for (api, code) in built {
        match api_release(&api, out, &out_shown, base) {
            Ok(r) => {
                let planned = api_files(&api, &code, &r, base, out, &out_shown);
                // The crate's features as its Cargo.toml will declare them (a
                // new crate's: the scaffold's).
                let manifest = planned.iter().find(|f| f.path.ends_with("Cargo.toml"));
                let shown = format!("{out_shown}/{}/Cargo.toml", api.manifest.api);
                let features = match manifest {
                    Some(f) => scaffold::crate_features(&f.contents, &shown)?,
                    None => Vec::new(),
                };
                entries.push(FacadeEntry {
                    manifest: api.manifest.clone(),
                    title: api.title.clone(),
                    features,
                });
                files.extend(planned);
                releases.push(r);
                apis.push(api);
            }
            Err(e) => errors.extend(e.diagnostics().iter().cloned()),
        }
    }
    if let Some(e) = Error::from_all(errors) {
        return Err(e);
    }
    let facade = out.join(FACADE_DIR);
    let facade_version = facade_version(&releases, &facade.join("Cargo.toml"), base);
    files.push(PlannedFile {
        path: facade.join("Cargo.toml"),
        shown: format!("{out_shown}/{FACADE_DIR}/Cargo.toml"),
        contents: scaffold::facade_manifest(&entries, &facade_version),
        ownership: Ownership::Generated,
        api: None,
    });
    files.push(PlannedFile {
        path: facade.join("src/lib.rs"),
        shown: format!("{out_shown}/{FACADE_DIR}/src/lib.rs"),
        contents: scaffold::facade_lib(&entries),
        ownership: Ownership::Generated,
        api: None,
    });
    Ok(Plan {
        apis,
        files,
        releases,
        facade_version,
    })
}

/// The facade's version: its version at the base, bumped by the most
/// breaking change among its clients (a new client is additive), or a
/// higher one set on disk.
fn facade_version(releases: &[Release], manifest: &Path, base: &Base) -> semver::Version {
    let tracked = releases.iter().any(|r| r.class.is_some());
    let class = releases
        .iter()
        .map(|r| match r.class {
            Some(c) => c,
            None if tracked => Class::Additive,
            None => Class::Unchanged,
        })
        .max()
        .unwrap_or(Class::Unchanged);
    let on_disk = std::fs::read_to_string(manifest)
        .ok()
        .and_then(|t| release::package_version(&t));
    let at_base = base
        .read(manifest)
        .and_then(|t| release::package_version(&t))
        .or_else(|| on_disk.clone())
        .unwrap_or_else(|| semver::Version::new(0, 1, 0));
    let needed = release::bump(&at_base, class);
    match on_disk {
        Some(v) if v > needed => v,
        _ => needed,
    }
}

/// Compares the API's surface at the base with the one generated now.
fn api_release(api: &ApiOutput, out: &Path, out_shown: &str, base: &Base) -> Result<Release> {
    let dir = out.join(&api.manifest.api);
    let surface_path = dir.join(crate::surface::text::FILE);
    let base_surface = match base.read(&surface_path) {
        Some(text) => Some(crate::surface::text::parse(&text).map_err(|e| {
            Diagnostic::file(
                format!("{out_shown}/{}/{}", api.manifest.api, crate::surface::text::FILE),
                format!("the committed surface cannot be read ({base:?}): {e}"),
            )
            .help("restore the file from git, or delete it to start the listing afresh")
        })?),
        None => None,
    };
    let on_disk = std::fs::read_to_string(dir.join("Cargo.toml"))
        .ok()
        .and_then(|t| release::package_version(&t));
    let base_version = base
        .read(&dir.join("Cargo.toml"))
        .and_then(|t| release::package_version(&t))
        .or_else(|| on_disk.clone())
        .unwrap_or_else(|| semver::Version::new(0, 1, 0));
    Ok(release::release(
        &api.manifest.api,
        &api.manifest.crate_name,
        base_surface.as_ref(),
        &api.items,
        base_version,
        on_disk,
    ))
}

fn api_files(
    api: &ApiOutput,
    code: &str,
    r: &Release,
    base: &Base,
    out: &Path,
    out_shown: &str,
) -> Vec<PlannedFile> {
    let dir = out.join(&api.manifest.api);
    let dir_shown = format!("{out_shown}/{}", api.manifest.api);
    let source = format!("specs/{}/ ({})", api.manifest.api, api.sources.join(", "));
    let manifest_path = dir.join("Cargo.toml");
    // The version line follows the surface; the rest of Cargo.toml is the developer's.
    // The version line and the per-tag features block follow the spec; the
    // rest of Cargo.toml is the developer's.
    let (manifest, manifest_owner) = match std::fs::read_to_string(&manifest_path)
        .ok()
        .and_then(|t| release::set_package_version(&t, &r.version))
    {
        Some(text) => (text, Ownership::Generated),
        None => (
            scaffold::crate_manifest(&api.manifest, &api.title, code),
            Ownership::Scaffold,
        ),
    };
    let manifest = crate::features::cargo::splice(&manifest, api.features.as_ref());
    let changelog_path = dir.join("CHANGELOG.md");
    vec![
        PlannedFile {
            path: dir.join(crate::surface::text::FILE),
            shown: format!("{dir_shown}/{}", crate::surface::text::FILE),
            contents: crate::surface::text::render(&api.manifest.crate_name, &api.items),
            ownership: Ownership::Generated,
            api: Some(api.manifest.api.clone()),
        },
        PlannedFile {
            contents: release::changelog(
                r,
                base.read(&changelog_path).as_deref(),
                std::fs::read_to_string(&changelog_path).ok().as_deref(),
            ),
            path: changelog_path,
            shown: format!("{dir_shown}/CHANGELOG.md"),
            ownership: Ownership::Generated,
            api: Some(api.manifest.api.clone()),
        },
        PlannedFile {
            path: dir.join("src/generated.rs"),
            shown: format!("{dir_shown}/src/generated.rs"),
            contents: format!("{}{code}", rust_header(&source)),
            ownership: Ownership::Generated,
            api: Some(api.manifest.api.clone()),
        },
        PlannedFile {
            path: manifest_path,
            shown: format!("{dir_shown}/Cargo.toml"),
            contents: manifest,
            ownership: manifest_owner,
            api: Some(api.manifest.api.clone()),
        },
        PlannedFile {
            path: dir.join("src/lib.rs"),
            shown: format!("{dir_shown}/src/lib.rs"),
            contents: scaffold::crate_lib(&api.manifest, &api.title),
            ownership: Ownership::Scaffold,
            api: Some(api.manifest.api.clone()),
        },
    ]
}

/// The parsed files of one API folder.
struct Sources {
    fragments: Vec<Fragment>,
    overlays: Vec<Overlay>,
    /// What loading adapted (a number with no JSON form, left out).
    notes: Vec<String>,
}

fn read_sources(dir: &Path, dir_shown: &str) -> Result<Sources> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| Diagnostic::file(dir_shown, format!("cannot read the API folder: {e}")))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file() && Format::of(p).is_some())
        .collect();
    paths.sort();
    let mut sources = Sources {
        fragments: Vec::new(),
        overlays: Vec::new(),
        notes: Vec::new(),
    };
    let mut errors = Vec::new();
    for path in paths {
        let file = format!(
            "{dir_shown}/{}",
            path.file_name().unwrap_or_default().to_string_lossy()
        );
        let doc = match load_noted(&path, &file) {
            Ok((doc, notes)) => {
                sources.notes.extend(notes);
                doc
            }
            Err(e) => {
                errors.extend(e.diagnostics().iter().cloned());
                continue;
            }
        };
        if doc.get("overlay").is_some() {
            sources.overlays.push(Overlay { file, doc });
        } else if swagger2::is_swagger2(&doc) {
            match swagger2::convert(&doc, &file) {
                Ok(doc) => sources.fragments.push(Fragment { file, doc }),
                Err(e) => errors.extend(e.diagnostics().iter().cloned()),
            }
        } else if doc.get("openapi").is_some() {
            sources.fragments.push(Fragment { file, doc });
        } else {
            errors.push(
                Diagnostic::at(&file, "", "not an OpenAPI document or overlay: no top-level `openapi`, `swagger` or `overlay` key")
                    .help("API folders hold OpenAPI/Swagger files, Overlay 1.0 or 1.1 files and manifest.toml; move other files out"),
            );
        }
    }
    if let Some(e) = Error::from_all(errors) {
        return Err(e);
    }
    if sources.fragments.is_empty() {
        return Err(
            Diagnostic::file(dir_shown, "the API folder holds no OpenAPI document")
                .help("add the vendor's spec as a .json or .yaml file")
                .into(),
        );
    }
    Ok(sources)
}

/// Runs load, merge, overlay, normalize, validate and generate for one API
/// folder. Returns the API and its formatted generated module.
pub fn build_api(api: &str, dir: &Path, dir_shown: &str) -> Result<(ApiOutput, String)> {
    build_api_with(api, dir, dir_shown, false)
}

/// [`build_api`]; with `strict`, as if the manifest said `strict = true`.
pub fn build_api_with(api: &str, dir: &Path, dir_shown: &str, strict: bool) -> Result<(ApiOutput, String)> {
    let mut manifest = Manifest::read(api, dir, dir_shown)?;
    manifest.policies.strict |= strict;
    let Sources {
        fragments,
        overlays,
        notes: loaded,
    } = read_sources(dir, dir_shown)?;
    let base = |f: &str| f.rsplit('/').next().unwrap_or(f).to_string();
    let mut sources: Vec<String> = fragments.iter().map(|f| base(&f.file)).collect();
    sources.extend(overlays.iter().map(|o| base(&o.file)));
    let mut merged = merge(fragments)?;
    for o in &overlays {
        overlay::apply(&mut merged.doc, o)?;
    }
    crate::limits::check_operations(&merged.doc, &merged.origins, manifest.policies.max_operations.0)?;
    let strict = manifest.policies.is_strict();
    let (mut normalized, mut skipped) =
        scope_stage(merged.doc, strict, |doc| normalize(doc, &merged.origins))?;
    normalized.notes.splice(0..0, loaded);
    let named = crate::names::name_operations(&mut normalized.doc, manifest.policies.operation_names);
    normalized.notes.extend(named);
    normalized
        .notes
        .extend(crate::patterns::drop_invalid(&mut normalized.doc));
    normalized
        .notes
        .extend(crate::formats::drop_misplaced(&mut normalized.doc));
    let mut adaptations = adapt(&mut normalized.doc, &manifest.policies);
    let manifest_shown = format!("{dir_shown}/{}", crate::manifest::FILE_NAME);
    adaptations.extend(crate::adapt::paginate(
        &mut normalized.doc,
        &manifest.pagination,
        &manifest_shown,
    )?);
    let scoped = validate_scoped(api, &mut normalized.doc, &merged.origins, strict)?;
    normalized.notes.extend(scoped.notes);
    skipped.extend(scoped.skipped);
    let generated = generate(api, &manifest, &mut normalized.doc, &merged.origins)?;
    skipped.extend(generated.skipped.iter().cloned());
    let surface = crate::surface::listing(&normalized.doc, &generated.file, &adaptations, &skipped);
    let items = crate::surface::model::read(&generated.file, &normalized.doc, &manifest);
    let title = crate::docs::one_line(
        normalized
            .doc
            .pointer("/info/title")
            .and_then(Value::as_str)
            .unwrap_or(api),
    );
    let output = ApiOutput {
        operations: count_operations(&normalized.doc),
        types: generated.types,
        features: generated.features.clone(),
        manifest,
        title,
        sources,
        notes: normalized.notes.into_iter().chain(generated.notes).collect(),
        adaptations,
        skipped,
        surface,
        items,
        normalized: normalized.doc,
    };
    Ok((output, generated.code))
}

/// The operations of a document.
pub fn count_operations(doc: &Value) -> usize {
    crate::document::operations(doc).len()
}
