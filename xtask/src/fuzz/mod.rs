//! `cargo xtask fuzz`: a mutation fuzzer over real specs. Each mutant is a
//! seed spec (the APIs of `specs/`, the catalog's whole documents, small
//! corpus specs; with `--long` the larger corpus specs too) changed by one
//! to four mutations (`mutate.rs`), run through the shipped pipeline entry
//! point (`codegen::plan`, what `xtask generate` runs) in a thread of its
//! own, and classified:
//!
//! - accepted: a client was planned;
//! - refused with a clear error: every diagnostic names its place, and none
//!   is a panic message;
//! - a failure: a refusal whose explanation is a panic, a panic that
//!   escaped the pipeline, or a run past the deadline (a hang).
//!
//! A mutant is reproduced from `--seed` and its number alone (`--only N`).
//! `--keep DIR` writes each failing mutant there, to become a catalog case.
//! `--compile N` also generates N accepted mutants (every k-th) into a copy
//! of the workspace and runs `cargo check` on them in one invocation.
//!
//! Why this and not proptest or bolero: a campaign must run the same
//! mutants on any machine from a seed (CI's budget) and say how many of
//! each class it saw, over thousands of mutants, with a hang as a finding;
//! proptest stops at the first failure and shrinks it, and bolero's
//! engines need nightly or a fuzzing runtime. The random source is
//! `fastrand` (already in the tree through `tempfile`): seedable and the
//! same on every platform.

mod mutate;

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use anyhow::Context as _;
use serde_json::Value;

use crate::corpus::{Cargo, copy_tracked};
use crate::deadline::{self, Ended};

pub const USAGE: &str = "usage: cargo xtask fuzz [--seed N] [--mutants N] [--long] [--compile N] [--deadline SECONDS] [--keep DIR] [--only N]

  Mutates real specs and runs each mutant through the pipeline; exits 1 when
  a mutant makes it panic, or run past the deadline.

  --seed N        the campaign's seed (default 20261207): the same seed gives the same mutants
  --mutants N     how many mutants (default 1000)
  --long          also mutate the larger corpus specs (slower per mutant)
  --compile N     generate N accepted mutants and `cargo check` them in one invocation
  --deadline S    seconds one mutant may take before it counts as a hang (default 20)
  --keep DIR      write each failing mutant to DIR
  --only N        run mutant N alone (with the same --seed)
  --verbose       print each mutant's number and seed spec as it starts, and its outcome";

/// Corpus specs small enough for every campaign, and those only `--long`
/// takes.
const CORPUS_SMALL: [&str; 2] = ["symphony-authenticator", "symphony-login"];
const CORPUS_LONG: [&str; 5] = [
    "symphony-agent-swagger2",
    "oxide-nexus",
    "docker-engine",
    "twilio-messaging",
    "adyen-balanceplatform",
];

struct Settings {
    seed: u64,
    mutants: usize,
    long: bool,
    compile: usize,
    deadline: Duration,
    keep: Option<PathBuf>,
    only: Option<usize>,
    verbose: bool,
}

fn parse(args: &[String]) -> Result<Option<Settings>, String> {
    let mut s = Settings {
        seed: 20_261_207,
        mutants: 1000,
        long: false,
        compile: 0,
        deadline: Duration::from_secs(20),
        keep: None,
        only: None,
        verbose: false,
    };
    let mut it = args.iter();
    while let Some(flag) = it.next() {
        let mut number = |what: &str| crate::usage::number(&mut it, flag, what);
        match flag.as_str() {
            "--seed" => s.seed = number("a number")?,
            "--mutants" => s.mutants = number("a count")? as usize,
            "--compile" => s.compile = number("a count")? as usize,
            "--deadline" => s.deadline = Duration::from_secs(number("seconds")?.max(1)),
            "--only" => s.only = Some(number("a mutant number")? as usize),
            "--long" => s.long = true,
            "--verbose" => s.verbose = true,
            "--keep" => s.keep = Some(PathBuf::from(it.next().ok_or("`--keep` needs a folder")?)),
            "-h" | "--help" => return Ok(None),
            other => return Err(format!("unexpected argument `{other}`")),
        }
    }
    Ok(Some(s))
}

/// What one mutant did.
#[derive(Debug, Clone)]
enum Outcome {
    Accepted,
    Refused,
    /// A refusal explained by a panic, an escaped panic, or a hang.
    Failure(String),
}

/// One seed spec: its name and document.
struct Seed {
    name: String,
    doc: Value,
}

/// The seed specs: every whole document under `specs/` and
/// `tests/catalog/`, and corpus specs.
fn seeds(root: &Path, long: bool) -> anyhow::Result<Vec<Seed>> {
    let mut files: Vec<PathBuf> = Vec::new();
    for dir in std::fs::read_dir(root.join("specs"))? {
        let dir = dir?.path();
        if dir.is_dir() {
            files.extend(std::fs::read_dir(&dir)?.filter_map(|e| e.ok().map(|e| e.path())));
        }
    }
    files.extend(std::fs::read_dir(root.join("tests/catalog"))?.filter_map(|e| e.ok().map(|e| e.path())));
    files.sort();
    let mut seeds = Vec::new();
    for file in files {
        if codegen::load::Format::of(&file).is_none() {
            continue;
        }
        let shown = file.strip_prefix(root).unwrap_or(&file).display().to_string();
        // Broken catalog cases and overlays are no seeds: a seed is a whole,
        // loadable document.
        let Ok(doc) = codegen::load::load(&file, &shown) else {
            continue;
        };
        if (doc.get("openapi").is_some() || doc.get("swagger").is_some()) && doc.get("paths").is_some() {
            seeds.push(Seed { name: shown, doc });
        }
    }
    let corpus: Vec<&str> = CORPUS_SMALL
        .iter()
        .chain(if long { CORPUS_LONG.as_slice() } else { &[] })
        .copied()
        .collect();
    for name in corpus {
        let entry = workspace_tests::corpus::entry_named(name).map_err(anyhow::Error::msg)?;
        let doc = entry.document().map_err(anyhow::Error::msg)?;
        seeds.push(Seed {
            name: format!("corpus/{name}"),
            doc,
        });
    }
    anyhow::ensure!(!seeds.is_empty(), "no seed specs under specs/ and tests/catalog/");
    Ok(seeds)
}

/// Mutant `i` of the campaign: its seed's name and the mutated document.
fn mutant(seeds: &[Seed], campaign: u64, i: usize) -> (String, Value) {
    let mut rng = fastrand::Rng::with_seed(campaign ^ (i as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15));
    let seed = &seeds[rng.usize(..seeds.len())];
    let mut doc = seed.doc.clone();
    for _ in 0..rng.usize(1..=4) {
        mutate::mutate(&mut doc, &mut rng);
    }
    (seed.name.clone(), doc)
}

/// Runs the pipeline on one mutant, laid out as an API folder under a
/// temporary specs tree, in a thread of its own with a deadline.
fn run_one(doc: Value, deadline: Duration) -> Outcome {
    let ended = deadline::run(deadline, move || {
        let tmp = tempfile::tempdir().ok()?;
        let api = tmp.path().join("specs/fuzz");
        std::fs::create_dir_all(&api).ok()?;
        std::fs::write(api.join("openapi.json"), serde_json::to_vec(&doc).ok()?).ok()?;
        let options = codegen::Options {
            specs: tmp.path().join("specs"),
            out: tmp.path().join("crates"),
            strict: false,
        };
        Some(codegen::plan(&options).map(|_| ()))
    });
    match ended {
        Ended::Done(Some(Ok(()))) => Outcome::Accepted,
        Ended::Done(Some(Err(e))) => {
            let text = e.to_string();
            match text.lines().find(|l| l.contains("panicked")) {
                Some(line) => Outcome::Failure(format!("refused with a panic as the explanation: {line}")),
                None => Outcome::Refused,
            }
        }
        Ended::Done(None) => Outcome::Failure("could not lay the mutant out".into()),
        Ended::Panicked(message) => Outcome::Failure(format!("panicked: {message}")),
        Ended::Hung(after) => Outcome::Failure(format!("hung: still running after {} s", after.as_secs())),
        Ended::NoThread(e) => Outcome::Failure(format!("no thread for the mutant: {e}")),
    }
}

pub fn main(args: &[String], root: &Path) -> anyhow::Result<ExitCode> {
    let settings = match crate::usage::settings(parse(args), USAGE) {
        Ok(s) => s,
        Err(code) => return Ok(code),
    };
    deadline::install_hook();
    let seeds = seeds(root, settings.long)?;
    let numbers: Vec<usize> = match settings.only {
        Some(n) => vec![n],
        None => (0..settings.mutants).collect(),
    };
    let started = Instant::now();
    let ran = crate::pool::map(&numbers, crate::pool::cores(), |&i| {
        let (seed, doc) = mutant(&seeds, settings.seed, i);
        if settings.verbose {
            eprintln!("mutant {i} (of {seed})");
        }
        let started = Instant::now();
        let outcome = run_one(doc, settings.deadline);
        if settings.verbose {
            eprintln!(
                "mutant {i}: {outcome:?} in {:.1} s",
                started.elapsed().as_secs_f64()
            );
        }
        (i, seed, outcome)
    });
    // A worker that panicked outside a mutant's own thread lost its
    // results: that is a failure of the campaign, never a silent pass.
    let mut outcomes: Vec<(usize, String, Outcome)> =
        ran.unwrap_or_else(|e| vec![(usize::MAX, "a worker".to_string(), Outcome::Failure(e))]);
    outcomes.sort_by_key(|(i, ..)| *i);
    let count = |f: fn(&Outcome) -> bool| outcomes.iter().filter(|(_, _, o)| f(o)).count();
    let accepted = count(|o| matches!(o, Outcome::Accepted));
    let refused = count(|o| matches!(o, Outcome::Refused));
    let failures: Vec<&(usize, String, Outcome)> = outcomes
        .iter()
        .filter(|(_, _, o)| matches!(o, Outcome::Failure(_)))
        .collect();
    for (i, seed, outcome) in &failures {
        if let Outcome::Failure(why) = outcome {
            println!("mutant {i} (of {seed}): {why}");
        }
        if let Some(dir) = settings.keep.as_ref().filter(|_| *i != usize::MAX) {
            std::fs::create_dir_all(dir)?;
            let (_, doc) = mutant(&seeds, settings.seed, *i);
            let file = dir.join(format!("mutant-{i}.json"));
            std::fs::write(&file, serde_json::to_string_pretty(&doc)?)
                .with_context(|| file.display().to_string())?;
        }
    }
    println!(
        "fuzz: seed {}, {} mutants of {} seed specs: {accepted} accepted, {refused} refused with a clear error, {} failures, in {:.1} s",
        settings.seed,
        outcomes.len(),
        seeds.len(),
        failures.len(),
        started.elapsed().as_secs_f64()
    );
    if let Some(stride) = accepted.checked_div(settings.compile) {
        let accepted: Vec<usize> = outcomes
            .iter()
            .filter(|(_, _, o)| matches!(o, Outcome::Accepted))
            .map(|(i, ..)| *i)
            .collect();
        let stride = stride.max(1);
        let sample: Vec<usize> = accepted
            .iter()
            .step_by(stride)
            .take(settings.compile)
            .copied()
            .collect();
        compile(root, &seeds, settings.seed, &sample)?;
    }
    Ok(if failures.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// Generates the sampled mutants, one API each, in a copy of the workspace,
/// and checks their crates in one cargo invocation.
fn compile(root: &Path, seeds: &[Seed], campaign: u64, sample: &[usize]) -> anyhow::Result<()> {
    let root = &std::path::absolute(root)?;
    let tmp = tempfile::tempdir().context("a temporary folder")?;
    let work = tmp.path();
    copy_tracked(root, work)?;
    let specs = tempfile::tempdir().context("a temporary folder")?;
    for i in sample {
        let api = specs.path().join(format!("fuzz-{i}"));
        std::fs::create_dir_all(&api)?;
        let (_, doc) = mutant(seeds, campaign, *i);
        std::fs::write(api.join("openapi.json"), serde_json::to_vec(&doc)?)?;
    }
    let plan = codegen::plan(&codegen::Options {
        specs: specs.path().to_path_buf(),
        out: work.join("crates"),
        strict: false,
    })?;
    let mut crates = Vec::new();
    for file in &plan.files {
        if file.api.is_some() {
            file.write().with_context(|| file.shown.clone())?;
        }
    }
    for api in &plan.apis {
        crates.push(api.manifest.crate_name.clone());
    }
    let took = Cargo::new(root, work).check(&crates, &[])?;
    println!(
        "fuzz: {} accepted mutants generated and checked in one invocation in {:.1} s",
        crates.len(),
        took.as_secs_f64()
    );
    Ok(())
}
