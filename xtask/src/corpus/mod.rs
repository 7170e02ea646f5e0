//! `cargo xtask corpus`: every spec of `corpus/` generated as dropped into a
//! folder, in a copy of the workspace, and its client checked with
//! `cargo clippy -- -D warnings` (the compiler's errors and warnings, and
//! clippy's, all fatal: what a user's CI would run). By default the clients are checked in one cargo
//! invocation, with their `mock` feature (what `.ci/run` does), but for
//! those whose `SOURCE` says `check: long`, too large for CI's budget:
//! `--all` checks them too; `--table` checks each alone, timed, as a
//! normal build compiles it, and rewrites the table in `corpus/README.md`
//! (`table.rs`).
//!
//! A spec the pipeline refuses is reported and left out of the check: the
//! refusal itself is pinned by `tests/corpus.rs`.

mod table;

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::{Duration, Instant};

use anyhow::{Context as _, bail};
use codegen::pipeline::plan_built;
use workspace_tests::corpus::{Entry, Run, apis_guru_sample, entries};

pub const USAGE: &str = "usage: cargo xtask corpus [--all | --table]

  Generates every spec of corpus/ in a copy of the workspace (specs that the
  pipeline refuses are reported and left out) and runs `cargo clippy -- -D
  warnings` on the clients with their `mock` feature, in one cargo invocation; a client with
  per-tag features is checked again with none, and with its largest tag.
  Clients whose SOURCE says `check: long` are left to --all (CI runs without).

  --all    check every client, the long ones too

  --table  check each client alone, after their shared dependencies, timed
           (and with its largest tag alone, when it has per-tag features),
           and rewrite the table in corpus/README.md";

/// One corpus spec, run, with the time its client took to check.
pub struct Checked {
    pub entry: Entry,
    pub run: Run,
    /// How long `cargo clippy` of the client alone took, or `Err` when it
    /// failed; `None` when it was not checked alone (or not generated).
    pub check: Option<Result<Duration, ()>>,
    /// For a client with per-tag features: its largest tag's feature, and
    /// how long `cargo clippy` of the client with that feature alone took.
    pub tag_check: Option<(String, Result<Duration, ()>)>,
    /// The lines of its generated module (`None`: refused).
    pub lines: Option<usize>,
    /// How long loading, checking and generating the spec took (refused
    /// or not), as `cargo xtask generate` does it.
    pub generated_in: Duration,
}

impl Checked {
    /// The feature of its largest tag, when it has per-tag features.
    fn largest_tag(&self) -> Option<String> {
        let (api, _) = self.run.built.as_ref().ok()?;
        Some(api.features.as_ref()?.largest()?.name.clone())
    }

    fn crate_name(&self) -> Option<&str> {
        self.run
            .built
            .as_ref()
            .ok()
            .map(|(api, _)| api.manifest.crate_name.as_str())
    }
}

/// Corpus specs whose client generates but does not compile yet, with
/// why: left out of the one-invocation check (`.ci/run`) and named in its
/// output; `--table` still checks them and records the failure.
const DOES_NOT_COMPILE: [(&str, &str); 0] = [];

pub fn main(args: &[String], root: &Path) -> anyhow::Result<ExitCode> {
    let (table, all) = match args {
        [] => (false, false),
        [flag] if flag == "--all" => (false, true),
        [flag] if flag == "--table" => (true, true),
        [flag] if flag == "-h" || flag == "--help" => {
            println!("{USAGE}");
            return Ok(ExitCode::SUCCESS);
        }
        _ => {
            eprintln!("error: unexpected arguments `{}`\n\n{USAGE}", args.join(" "));
            return Ok(ExitCode::from(2));
        }
    };
    let root = &std::path::absolute(root)?;
    let tmp = tempfile::tempdir().context("a temporary folder")?;
    let work = tmp.path();
    copy_tracked(root, work)?;
    let mut checked = generate(work, all, table)?;
    let crates: Vec<String> = checked
        .iter()
        .filter(|c| {
            let known = DOES_NOT_COMPILE.iter().find(|(name, _)| *name == c.entry.name);
            if let Some((name, why)) = known.filter(|_| !table) {
                println!("{name:<26} not checked: {why}");
            }
            known.is_none() || table
        })
        .filter_map(|c| c.crate_name().map(String::from))
        .collect();
    let cargo = Cargo::new(root, work);
    if table {
        let deps = cargo.clippy(&["usergroup-client-core".to_string()], &[])?;
        println!("shared dependencies checked in {:.1}s", deps.as_secs_f64());
        for c in &mut checked {
            if let Some(name) = c.crate_name().map(str::to_string) {
                let took = cargo.clippy(std::slice::from_ref(&name), &[]);
                match &took {
                    Ok(d) => println!("{name:<36} checked in {:.1}s", d.as_secs_f64()),
                    Err(e) => eprintln!("error: {e:#}"),
                }
                c.check = Some(took.map_err(|_| ()));
                // The same client with one tag, as a user who needs a few
                // operations builds it.
                if let Some(tag) = c.largest_tag() {
                    let args = only_features(&format!("tls-aws-lc,{tag}"));
                    let took = cargo.clippy(std::slice::from_ref(&name), &args);
                    match &took {
                        Ok(d) => println!("{name:<36} checked with `{tag}` alone in {:.1}s", d.as_secs_f64()),
                        Err(e) => eprintln!("error: {e:#}"),
                    }
                    c.tag_check = Some((tag, took.map_err(|_| ())));
                }
            }
        }
        let readme = root.join("corpus/README.md");
        let text = std::fs::read_to_string(&readme).with_context(|| readme.display().to_string())?;
        let rendered = table::render(
            &checked,
            &crate::measured::commit(root),
            &crate::measured::today(),
        );
        let text = table::splice(&text, &rendered).map_err(anyhow::Error::msg)?;
        std::fs::write(&readme, text).with_context(|| readme.display().to_string())?;
        println!("{} rewritten", readme.display());
        if checked.iter().any(|c| matches!(c.check, Some(Err(())))) {
            return Ok(ExitCode::FAILURE);
        }
    } else {
        // Part of CI's sample of the APIs.guru directory: errors and
        // warnings both fail.
        let sample = generate_sample(work)?;
        let counted = cargo.check_counted(&sample)?;
        println!(
            "{} APIs of the APIs.guru sample checked: {} errors, {} warnings",
            sample.len(),
            counted.errors(),
            counted.warnings()
        );
        if counted.crates_with_any() > 0 {
            for line in counted.worst(usize::MAX) {
                println!("  {line}");
            }
            bail!("the APIs.guru sample's clients must compile without a warning");
        }
        // With their mock module too (the `mock` feature adds code, never
        // removes any): one invocation checks both.
        let took = cargo.clippy(&crates, &["--features".to_string(), "mock".to_string()])?;
        println!(
            "{} corpus clients checked with their mocks in one invocation in {:.1}s",
            crates.len(),
            took.as_secs_f64()
        );
        // A client with per-tag features compiles with none of them, and with
        // its largest tag alone.
        let tagged: Vec<(String, String)> = checked
            .iter()
            .filter_map(|c| Some((c.crate_name()?.to_string(), c.largest_tag()?)))
            .filter(|(name, _)| crates.contains(name))
            .collect();
        if !tagged.is_empty() {
            let names: Vec<String> = tagged.iter().map(|(n, _)| n.clone()).collect();
            let took = cargo.clippy(&names, &["--no-default-features".to_string()])?;
            println!(
                "{} corpus clients with per-tag features checked with none in {:.1}s",
                names.len(),
                took.as_secs_f64()
            );
            let one: Vec<String> = tagged.iter().map(|(n, t)| format!("{n}/{t}")).collect();
            let took = cargo.clippy(&names, &only_features(&one.join(",")))?;
            println!(
                "and each with its largest tag alone ({}) in {:.1}s",
                one.join(", "),
                took.as_secs_f64()
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Copies the files git tracks (the workspace as a clean clone has it).
pub(crate) fn copy_tracked(root: &Path, to: &Path) -> anyhow::Result<()> {
    let out = Command::new("git")
        .args(["ls-files", "-z"])
        .current_dir(root)
        .output()
        .context("running `git ls-files`: the corpus run copies the tracked files")?;
    if !out.status.success() {
        bail!("git ls-files: {}", String::from_utf8_lossy(&out.stderr));
    }
    for file in out.stdout.split(|b| *b == 0).filter(|f| !f.is_empty()) {
        let file = Path::new(std::str::from_utf8(file).context("a tracked file name is not UTF-8")?);
        let (from, dest) = (root.join(file), to.join(file));
        if !from.is_file() {
            continue; // deleted in the work tree, not yet committed
        }
        if let Some(dir) = dest.parent() {
            std::fs::create_dir_all(dir)?;
        }
        std::fs::copy(&from, &dest).with_context(|| from.display().to_string())?;
    }
    Ok(())
}

/// Runs the pipeline on the corpus specs (all of them, or those CI checks:
/// the `check: long` ones are generated by `tests/corpus.rs` already), laid
/// out under `work/specs`, on every core unless `timed`, and writes the clients of those it
/// generates under `work/crates` (the facade is left as it is: only the
/// clients are checked). The results keep the corpus order. `timed`: one at
/// a time, so each one's time is its own.
fn generate(work: &Path, all: bool, timed: bool) -> anyhow::Result<Vec<Checked>> {
    let specs = work.join("specs");
    let mut entries = entries().map_err(anyhow::Error::msg)?;
    for left in entries.iter().filter(|e| !all && !e.source.in_ci) {
        println!(
            "{:<26} not generated or checked here: `check: long` (cargo xtask corpus --all)",
            left.name
        );
    }
    entries.retain(|e| all || e.source.in_ci);
    let workers = if timed { 1 } else { crate::pool::cores() };
    let runs = crate::pool::map(&entries, workers, |entry| {
        let started = Instant::now();
        (entry.run(&specs), started.elapsed())
    })
    .map_err(anyhow::Error::msg)?;
    let mut checked = Vec::new();
    let mut built = Vec::new();
    for (entry, (run, generated_in)) in entries.into_iter().zip(runs) {
        let mut run = run.map_err(anyhow::Error::msg)?;
        let took = generated_in.as_secs_f64();
        let lines = run.built.as_ref().ok().map(|(_, code)| code.lines().count());
        match &mut run.built {
            Ok((api, code)) => {
                println!(
                    "{:<26} {:>5} of {:>5} operations generated, {} skipped ({took:.1}s)",
                    entry.name,
                    api.operations,
                    run.declared,
                    api.skipped.len()
                );
                // The module moves to the files written below; the table
                // needs the API only.
                built.push((api.clone(), std::mem::take(code)));
            }
            Err(e) => println!(
                "{:<26} refused, {} error(s) ({took:.1}s): {}",
                entry.name,
                e.diagnostics().len(),
                e.diagnostics().first().map_or("", |d| d.message.as_str())
            ),
        }
        checked.push(Checked {
            entry,
            run,
            check: None,
            tag_check: None,
            lines,
            generated_in,
        });
    }
    for file in plan_built(built, &work.join("crates"))?.files {
        if file.api.is_some() {
            file.write().with_context(|| file.shown.clone())?;
        }
    }
    Ok(checked)
}

/// Every [`SAMPLE_STRIDE`]-th API of CI's APIs.guru sample
/// (`corpus/apis-guru/`), generated under `work/crates`: their crate names.
fn generate_sample(work: &Path) -> anyhow::Result<Vec<String>> {
    let specs = work.join("specs");
    let mut built = Vec::new();
    for entry in apis_guru_sample()
        .map_err(anyhow::Error::msg)?
        .iter()
        .step_by(SAMPLE_STRIDE)
    {
        let run = entry.run(&specs).map_err(anyhow::Error::msg)?;
        match run.built {
            Ok(api) => built.push(api),
            // tests/directory_sample.rs pins which are refused.
            Err(e) => println!(
                "{:<26} refused: {}",
                entry.name,
                e.diagnostics().first().map_or("", |d| d.message.as_str())
            ),
        }
    }
    let names = built
        .iter()
        .map(|(api, _)| api.manifest.crate_name.clone())
        .collect();
    for file in plan_built(built, &work.join("crates"))?.files {
        if file.api.is_some() {
            file.write().with_context(|| file.shown.clone())?;
        }
    }
    Ok(names)
}

/// Which of CI's APIs.guru sample `cargo xtask corpus` compiles: one in
/// this many (the whole sample is generated by `tests/directory_sample.rs`).
const SAMPLE_STRIDE: usize = 4;

/// The arguments that build with these features and no default ones.
fn only_features(features: &str) -> [String; 3] {
    [
        "--no-default-features".into(),
        "--features".into(),
        features.into(),
    ]
}

/// `cargo check` or `cargo clippy` in the copy, sharing the workspace's target folder so
/// dependencies are built once.
pub(crate) struct Cargo {
    program: String,
    work: PathBuf,
    target: PathBuf,
}

impl Cargo {
    pub(crate) fn new(root: &Path, work: &Path) -> Self {
        Self {
            program: std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()),
            work: work.to_path_buf(),
            target: Self::target_of(root),
        }
    }

    /// The target folder: `CARGO_TARGET_DIR`, or the workspace's.
    pub(crate) fn target_of(root: &Path) -> PathBuf {
        std::env::var_os("CARGO_TARGET_DIR")
            .map(PathBuf::from)
            .unwrap_or_else(|| root.join("target"))
    }

    /// Checks the packages in one invocation and counts the errors and
    /// warnings of each (a crate that fails still counts: `--keep-going`).
    pub(crate) fn check_counted(&self, packages: &[String]) -> anyhow::Result<Counted> {
        let out = Command::new(&self.program)
            .args(["clippy", "--keep-going", "--message-format", "json"])
            .args(packages.iter().flat_map(|p| ["-p", p.as_str()]))
            .current_dir(&self.work)
            .env("CARGO_TARGET_DIR", &self.target)
            .stderr(std::process::Stdio::inherit())
            .output()
            .with_context(|| format!("running {}", self.program))?;
        let mut counted = Counted::default();
        for line in out.stdout.split(|b| *b == b'\n') {
            let Ok(message) = serde_json::from_slice::<serde_json::Value>(line) else {
                continue;
            };
            if message["reason"] != "compiler-message" {
                continue;
            }
            let krate = message["target"]["name"].as_str().unwrap_or("?").to_string();
            let text = message["message"]["message"].as_str().unwrap_or_default();
            let level = message["message"]["level"].as_str().unwrap_or_default();
            let per = counted.per_crate.entry(krate).or_default();
            match level {
                "error" if !text.starts_with("aborting") && !text.contains("previous error") => {
                    per.0 += 1;
                    per.2.get_or_insert_with(|| text.to_string());
                }
                "warning" if !text.contains("warning emitted") && !text.contains("warnings emitted") => {
                    per.1 += 1;
                    per.2.get_or_insert_with(|| text.to_string());
                }
                _ => {}
            }
        }
        counted.per_crate.retain(|_, (e, w, _)| *e + *w > 0);
        Ok(counted)
    }

    /// `cargo check` of the packages in one invocation, with these
    /// arguments (`--features`, `--no-default-features`); returns how long
    /// it took.
    pub(crate) fn check(&self, packages: &[String], args: &[String]) -> anyhow::Result<Duration> {
        self.run("check", packages, args, &[])
    }

    /// `cargo clippy` of the packages in one invocation, every warning an
    /// error (rustc's and clippy's alike): what a user's CI runs on the
    /// client, and what the corpus clients must pass.
    pub(crate) fn clippy(&self, packages: &[String], args: &[String]) -> anyhow::Result<Duration> {
        self.run("clippy", packages, args, &["--", "-D", "warnings"])
    }

    fn run(
        &self,
        subcommand: &str,
        packages: &[String],
        args: &[String],
        after: &[&str],
    ) -> anyhow::Result<Duration> {
        if packages.is_empty() {
            return Ok(Duration::ZERO);
        }
        let started = Instant::now();
        let status = Command::new(&self.program)
            .args([subcommand, "--quiet", "--keep-going"])
            .args(packages.iter().flat_map(|p| ["-p", p.as_str()]))
            .args(args)
            .args(after)
            .current_dir(&self.work)
            .env("CARGO_TARGET_DIR", &self.target)
            .status()
            .with_context(|| format!("running {}", self.program))?;
        if !status.success() {
            bail!("cargo {subcommand} -p {} failed", packages.join(" -p "));
        }
        Ok(started.elapsed())
    }
}

/// Errors and warnings per crate, from a `cargo clippy` with JSON messages.
#[derive(Debug, Default)]
pub(crate) struct Counted {
    /// Crate: errors, warnings, the first message.
    per_crate: std::collections::BTreeMap<String, (usize, usize, Option<String>)>,
}

impl Counted {
    pub(crate) fn errors(&self) -> usize {
        self.per_crate.values().map(|c| c.0).sum()
    }

    pub(crate) fn warnings(&self) -> usize {
        self.per_crate.values().map(|c| c.1).sum()
    }

    pub(crate) fn crates_with_any(&self) -> usize {
        self.per_crate.len()
    }

    /// The crates with the most errors and warnings, a line each.
    pub(crate) fn worst(&self, n: usize) -> Vec<String> {
        let mut all: Vec<_> = self.per_crate.iter().collect();
        all.sort_by_key(|(_, (e, w, _))| std::cmp::Reverse((*e, *w)));
        all.into_iter()
            .take(n)
            .map(|(krate, (e, w, first))| {
                format!(
                    "`{krate}`: {e} errors, {w} warnings; first: {}",
                    first.as_deref().unwrap_or("")
                )
            })
            .collect()
    }
}
