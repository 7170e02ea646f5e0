//! `cargo xtask diff --history`: a vendor's spec history replayed through
//! the surface rules. Each version is generated as a folder holding only
//! that spec (and the manifest given, if any); each update between two
//! consecutive versions that generate is classed under today's rules and in
//! the positional shape of the clients before 0.2
//! (`codegen::surface::history`), and every break that remains is printed
//! with its cause. A version the pipeline refuses is reported and skipped.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use anyhow::{Context as _, bail};
use codegen::pipeline::build_api;
use codegen::surface::history::{Cause, update};
use codegen::surface::model::Surface;
use codegen::surface::rules::Class;

pub const USAGE: &str = "usage: cargo xtask diff --history FILE FILE... [--manifest FILE]
       cargo xtask diff --history-git REPO PATH [--last N] [--manifest FILE]

  Replays a spec's history through the surface rules: each update between
  consecutive versions, its class now and in the positional shape of the
  clients before 0.2, and the cause of each break that remains (a removal, a
  type change, a new required input).

  --history FILE...    the versions, oldest first (.json, .yaml or .yml)
  --history-git REPO PATH
                       the revisions of PATH in the git repository REPO that
                       changed it, oldest first
  --last N             only the last N revisions (default: all)
  --manifest FILE      a manifest.toml for every version (policies, [replace])";

/// One version of the spec.
struct Version {
    /// What the report calls it: a file name, or `<commit> <date>`.
    label: String,
    /// The spec's text.
    text: String,
    /// Its file extension.
    ext: String,
}

/// What the command line asks.
struct Args {
    versions: Vec<Version>,
    manifest: Option<PathBuf>,
}

pub fn main(args: &[String], _root: &Path) -> anyhow::Result<ExitCode> {
    if args.iter().any(|a| a == "--help" || a == "-h") {
        println!("{USAGE}");
        return Ok(ExitCode::SUCCESS);
    }
    let args = match parse(args) {
        Ok(a) => a,
        Err(e) => {
            eprintln!("error: {e:#}\n\n{USAGE}");
            return Ok(ExitCode::from(2));
        }
    };
    if args.versions.len() < 2 {
        eprintln!(
            "error: a history needs two versions or more; got {}\n\n{USAGE}",
            args.versions.len()
        );
        return Ok(ExitCode::from(2));
    }
    let tmp = tempfile::tempdir().context("a temporary folder")?;
    let mut previous: Option<(String, Surface)> = None;
    let (mut updates, mut breaking_now, mut breaking_before) = (0, 0, 0);
    let mut causes: Vec<Cause> = Vec::new();
    for (i, v) in args.versions.iter().enumerate() {
        let surface = match surface_of(v, i, tmp.path(), args.manifest.as_deref()) {
            Ok(s) => s,
            Err(e) => {
                let first = e.to_string().lines().next().unwrap_or_default().to_string();
                println!("{}: refused, skipped ({first})", v.label);
                continue;
            }
        };
        if let Some((label, before)) = &previous {
            let u = update(before, &surface);
            updates += 1;
            breaking_now += usize::from(u.class == Class::Breaking);
            breaking_before += usize::from(u.positional == Class::Breaking);
            println!(
                "{label} -> {}: {} (positional shape: {})",
                v.label, u.class, u.positional
            );
            for (cause, change) in &u.breaks {
                println!("  {cause}: {}", change.reason);
            }
            let mut seen: Vec<Cause> = u.breaks.iter().map(|(c, _)| *c).collect();
            seen.sort();
            seen.dedup();
            causes.extend(seen);
        }
        previous = Some((v.label.clone(), surface));
    }
    let count = |c: Cause| causes.iter().filter(|x| **x == c).count();
    println!(
        "\n{updates} updates: {breaking_before} breaking in the positional shape, {breaking_now} breaking now (updates with a removal: {}, a type change: {}, a new required input: {}, another break: {})",
        count(Cause::Removal),
        count(Cause::TypeChange),
        count(Cause::NewRequiredInput),
        count(Cause::Other)
    );
    Ok(ExitCode::SUCCESS)
}

/// Generates one version, alone in its folder, and reads its surface.
fn surface_of(v: &Version, i: usize, tmp: &Path, manifest: Option<&Path>) -> anyhow::Result<Surface> {
    let dir = tmp.join(format!("v{i}")).join("history");
    std::fs::create_dir_all(&dir)?;
    std::fs::write(dir.join(format!("spec.{}", v.ext)), &v.text)?;
    if let Some(m) = manifest {
        std::fs::copy(m, dir.join("manifest.toml")).with_context(|| format!("copying {}", m.display()))?;
    }
    let shown = format!("{} (spec.{})", v.label, v.ext);
    let (api, _) = build_api("history", &dir, &shown).map_err(|e| anyhow::anyhow!("{e}"))?;
    Ok(api.items)
}

fn parse(args: &[String]) -> anyhow::Result<Args> {
    let mut files: Vec<PathBuf> = Vec::new();
    let mut git: Option<(PathBuf, String)> = None;
    let mut last: Option<usize> = None;
    let mut manifest = None;
    let mut it = args.iter();
    let mut in_files = false;
    while let Some(a) = it.next() {
        match a.as_str() {
            "--history" => in_files = true,
            "--history-git" => {
                in_files = false;
                let (Some(repo), Some(path)) = (it.next(), it.next()) else {
                    bail!("`--history-git` needs a repository and a path in it");
                };
                git = Some((PathBuf::from(repo), path.clone()));
            }
            "--last" => {
                in_files = false;
                let n = it.next().and_then(|n| n.parse().ok()).filter(|n: &usize| *n >= 2);
                last = Some(n.context("`--last` needs a number, 2 or more")?);
            }
            "--manifest" => {
                in_files = false;
                manifest = Some(PathBuf::from(it.next().context("`--manifest` needs a file")?));
            }
            flag if flag.starts_with("--") => bail!("unknown flag `{flag}`"),
            file if in_files => files.push(PathBuf::from(file)),
            other => bail!("unexpected `{other}`"),
        }
    }
    let mut versions = match (git, files.is_empty()) {
        (Some((repo, path)), true) => git_versions(&repo, &path)?,
        (None, false) => files
            .iter()
            .map(|f| file_version(f))
            .collect::<anyhow::Result<_>>()?,
        (Some(_), false) => bail!("give `--history` or `--history-git`, not both"),
        (None, true) => bail!("give the versions: `--history FILE FILE...` or `--history-git REPO PATH`"),
    };
    if let Some(n) = last {
        versions = versions.split_off(versions.len().saturating_sub(n));
    }
    Ok(Args { versions, manifest })
}

fn extension(path: &str) -> anyhow::Result<String> {
    match path.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()) {
        Some(e) if matches!(e.as_str(), "json" | "yaml" | "yml") => Ok(e),
        _ => bail!("{path}: a spec is a .json, .yaml or .yml file"),
    }
}

fn file_version(f: &Path) -> anyhow::Result<Version> {
    let shown = f.display().to_string();
    Ok(Version {
        ext: extension(&shown)?,
        text: std::fs::read_to_string(f).with_context(|| format!("reading {shown}"))?,
        label: shown,
    })
}

/// The revisions of `path` that changed it, oldest first.
fn git_versions(repo: &Path, path: &str) -> anyhow::Result<Vec<Version>> {
    let ext = extension(path)?;
    let git = |args: &[&str]| -> anyhow::Result<String> {
        let out = Command::new("git")
            .arg("-C")
            .arg(repo)
            .args(args)
            .output()
            .context("running git")?;
        if !out.status.success() {
            bail!(
                "git {} in {}: {}",
                args.join(" "),
                repo.display(),
                String::from_utf8_lossy(&out.stderr).trim()
            );
        }
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    };
    let log = git(&["log", "--reverse", "--format=%H %ad", "--date=short", "--", path])?;
    let mut versions = Vec::new();
    for line in log.lines() {
        let Some((commit, date)) = line.split_once(' ') else {
            continue;
        };
        // A revision that deleted the file has nothing to show.
        let Ok(text) = git(&["show", &format!("{commit}:{path}")]) else {
            continue;
        };
        versions.push(Version {
            label: format!("{} {date}", &commit[..commit.len().min(8)]),
            text,
            ext: ext.clone(),
        });
    }
    if versions.is_empty() {
        bail!("{path}: no revision of it in {}", repo.display());
    }
    Ok(versions)
}
