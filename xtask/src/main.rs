//! `cargo xtask generate`, `check` and `diff`: a thin command line over the
//! `codegen` library. Exit codes: 0 ok, 1 stale files or a missing version
//! bump (check), 2 bad input or usage. `cargo xtask corpus` (`corpus/`)
//! generates and checks the real-world specs of `corpus/`; `cargo xtask
//! fuzz` runs mutated specs through the pipeline (`fuzz/`); `cargo xtask
//! diff --history` replays a spec's history (`history.rs`).

mod corpus;
mod deadline;
mod directory;
mod fuzz;
mod history;
mod measured;
mod pool;
mod report;
mod usage;

use std::path::PathBuf;
use std::process::ExitCode;

use codegen::output::Outcome;
use codegen::surface::release::Base;
use codegen::{Options, plan_with};

const USAGE: &str =
    "usage: cargo xtask <generate|check|diff> [--specs DIR] [--out DIR] [--base REV] [--strict]
       cargo xtask corpus [--table]
       cargo xtask directory [--compile N] [--table]

  generate   regenerate every client crate under --out from the specs under --specs,
             writing only files whose bytes change; each crate's version and CHANGELOG.md
             follow the change of its surface since --base
  check      regenerate in memory; exit 1 with a unified diff if any file is stale, and say
             why when a crate's version is short of what its surface change needs
  diff       print, per API, how its surface changed since --base: a summary line
             `<api>: breaking | additive | docs-only | unchanged`, then one line per change;
             with --history or --history-git, replay a spec's history
             (`cargo xtask diff --history --help`)

  --specs DIR  the specs tree, one folder per API (default: specs)
  --out DIR    where the client crates live (default: crates)
  --base REV   the git revision whose committed surface.txt, Cargo.toml and CHANGELOG.md
               are the base (default: HEAD; the files on disk when --out is not in git)
  --strict     refuse an API for any error, as `strict = true` under [policies] does; by
               default an error costs only its operation, parameter or schema, with a note

  corpus     generate every spec of corpus/ in a copy of the workspace and
             `cargo check` the clients (`cargo xtask corpus --help`)
  fuzz       run mutated real specs through the pipeline; exit 1 on a panic or a hang
             (`cargo xtask fuzz --help`)
  directory  generate every API of the APIs.guru directory and count the outcomes
             (`cargo xtask directory --help`)";

#[derive(Debug, PartialEq, Eq)]
enum Command {
    Generate,
    Check,
    Diff,
}

/// Parses the arguments after the program name.
fn parse_args(args: &[String]) -> Result<(Command, Options, Option<String>), String> {
    let mut command = None;
    let mut base = None;
    let root = workspace_root();
    let relative = |p: PathBuf| p.strip_prefix(".").map(PathBuf::from).unwrap_or(p);
    let mut options = Options {
        specs: relative(root.join("specs")),
        out: relative(root.join("crates")),
        strict: false,
    };
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f, Some(v.to_string())),
            _ => (arg.as_str(), None),
        };
        match flag {
            "--base" => match inline.or_else(|| it.next().cloned()) {
                Some(v) if !v.is_empty() && !v.starts_with("--") => base = Some(v),
                _ => return Err("`--base` needs a git revision, e.g. `--base main`".to_string()),
            },
            "--specs" | "--out" => {
                let value = match inline.or_else(|| it.next().cloned()) {
                    Some(v) if !v.is_empty() && !v.starts_with("--") => v,
                    _ => return Err(format!("`{flag}` needs a folder, e.g. `{flag} DIR`")),
                };
                if flag == "--specs" {
                    options.specs = PathBuf::from(value);
                } else {
                    options.out = PathBuf::from(value);
                }
            }
            "--strict" if inline.is_none() => options.strict = true,
            "-h" | "--help" => return Err(String::new()),
            "generate" | "check" | "diff" if command.is_none() => {
                command = Some(match flag {
                    "generate" => Command::Generate,
                    "check" => Command::Check,
                    _ => Command::Diff,
                });
            }
            other if other.starts_with('-') => return Err(format!("unknown flag `{other}`")),
            other => return Err(format!("unexpected argument `{other}`")),
        }
    }
    command
        .map(|c| (c, options, base))
        .ok_or_else(|| "missing command: `generate`, `check` or `diff`".to_string())
}

/// The workspace root: the xtask's parent folder when run through cargo, so
/// the defaults work from any subdirectory.
fn workspace_root() -> PathBuf {
    let root = std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .and_then(|p| p.parent().map(PathBuf::from))
        .filter(|p| p.join("specs").is_dir())
        .unwrap_or_else(|| PathBuf::from("."));
    // Messages name files relative to where the command runs, when they can.
    match std::env::current_dir()
        .ok()
        .and_then(|cwd| root.strip_prefix(cwd).ok().map(PathBuf::from))
    {
        Some(rel) if rel.as_os_str().is_empty() => PathBuf::from("."),
        Some(rel) => rel,
        None => root,
    }
}

/// A subcommand with a command line of its own: its arguments, the root.
type Subcommand = fn(&[String], &std::path::Path) -> anyhow::Result<ExitCode>;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let sub: Option<Subcommand> = match args.first().map(String::as_str) {
        Some("corpus") => Some(corpus::main),
        Some("fuzz") => Some(fuzz::main),
        Some("directory") => Some(directory::main),
        Some("diff") if args.iter().any(|a| a.starts_with("--history")) => Some(history::main),
        _ => None,
    };
    if let Some(sub) = sub {
        return sub(&args[1..], &workspace_root()).unwrap_or_else(|e| {
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        });
    }
    let (command, options, base) = match parse_args(&args) {
        Ok(parsed) => parsed,
        Err(message) if message.is_empty() => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(message) => {
            eprintln!("error: {message}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let base = match base {
        Some(rev) if !Base::git_rev_exists(&options.out, &rev) => {
            eprintln!(
                "error: `--base {rev}` is not a commit of the git repository holding {}\n  help: name a branch, tag or commit (`git log` lists them)",
                options.out.display()
            );
            return ExitCode::from(2);
        }
        Some(rev) => Base::Git(rev),
        // Outside git (a copy of the trees), the files on disk are the base.
        None if Base::git_rev_exists(&options.out, "HEAD") => Base::Git("HEAD".into()),
        None => Base::Disk,
    };
    match run(command, &options, &base) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("{e:#}");
            ExitCode::from(2)
        }
    }
}

fn run(command: Command, options: &Options, base: &Base) -> anyhow::Result<ExitCode> {
    let plan = plan_with(options, base)?;
    match command {
        Command::Diff => {
            for r in &plan.releases {
                println!("{}", r.summary());
                for c in &r.changes {
                    println!("  {c}");
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Generate => {
            let mut outcomes = Vec::new();
            for file in &plan.files {
                let outcome = file
                    .write()
                    .map_err(|e| anyhow::anyhow!("{}: cannot write: {e}", file.shown))?;
                outcomes.push((file, outcome));
            }
            for (api, release) in plan.apis.iter().zip(&plan.releases) {
                let changed = outcomes
                    .iter()
                    .filter(|(f, o)| *o == Outcome::Written && f.api.as_ref() == Some(&api.manifest.api))
                    .count();
                let class = match release.class {
                    None => "surface listed".to_string(),
                    Some(c) if release.version == release.base_version => format!("surface {c}"),
                    Some(c) => format!("surface {c}, {} -> {}", release.base_version, release.version),
                };
                println!(
                    "{:<12} {:>4} operations {:>4} types  {class}  {}",
                    api.manifest.api,
                    api.operations,
                    api.types,
                    if changed == 0 {
                        "unchanged".to_string()
                    } else {
                        format!("{changed} file(s) written")
                    }
                );
                for line in report::streams(&api.items) {
                    println!("             {line}");
                }
                for c in &release.changes {
                    println!("             {c}");
                }
                for note in &api.notes {
                    println!("             note: {note}");
                }
                for a in &api.adaptations {
                    // A schema's adaptation belongs to no operation: its
                    // pointer names it.
                    let what = match (a.operation.as_str(), a.pointer.as_str()) {
                        ("", "") => "the document".to_string(),
                        ("", at) => format!("#{at}"),
                        (operation, _) => operation.to_string(),
                    };
                    println!("             adapted {what}: {} ({})", a.detail, a.policy);
                }
                for s in &api.skipped {
                    println!("             skipped {}: {}", s.operation, s.reasons.join("; "));
                }
            }
            let facade_written = outcomes
                .iter()
                .any(|(f, o)| *o == Outcome::Written && f.api.is_none());
            println!(
                "{:<12} {}",
                "facade",
                if facade_written { "written" } else { "unchanged" }
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Check => {
            let drifts: Vec<_> = plan.files.iter().filter_map(|f| f.check()).collect();
            if drifts.is_empty() {
                println!("all {} generated files are current", plan.files.len());
                return Ok(ExitCode::SUCCESS);
            }
            for d in &drifts {
                print!("{}", d.diff);
            }
            for r in &plan.releases {
                let manifest = format!("/{}/Cargo.toml", r.api);
                if drifts.iter().any(|d| d.shown.ends_with(&manifest)) && r.version != r.base_version {
                    eprintln!(
                        "error: {} must be version {} or higher, because its surface changed since {}:",
                        r.crate_name,
                        r.version,
                        match base {
                            Base::Git(rev) => rev.as_str(),
                            Base::Disk => "the committed files",
                        }
                    );
                    eprintln!("  {}", r.summary());
                    for c in &r.changes {
                        eprintln!("    {c}");
                    }
                }
            }
            eprintln!(
                "error: {} file(s) are stale: {}\n  help: run `cargo xtask generate` and commit the result",
                drifts.len(),
                drifts
                    .iter()
                    .map(|d| d.shown.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            );
            Ok(ExitCode::from(1))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(s: &str) -> Vec<String> {
        s.split_whitespace().map(String::from).collect()
    }

    #[test]
    fn parses_commands_and_flags() {
        let (c, o, base) = parse_args(&args("check --specs a --out=b --base main")).unwrap();
        assert_eq!(c, Command::Check);
        assert_eq!(base.as_deref(), Some("main"));
        assert_eq!(o.specs, PathBuf::from("a"));
        assert_eq!(o.out, PathBuf::from("b"));
    }

    #[test]
    fn bad_flags_are_named() {
        assert_eq!(
            parse_args(&args("generate --spec a")).unwrap_err(),
            "unknown flag `--spec`"
        );
        assert_eq!(
            parse_args(&args("generate --specs")).unwrap_err(),
            "`--specs` needs a folder, e.g. `--specs DIR`"
        );
        assert_eq!(
            parse_args(&args("generate --out --specs a")).unwrap_err(),
            "`--out` needs a folder, e.g. `--out DIR`"
        );
        assert_eq!(
            parse_args(&args("frobnicate")).unwrap_err(),
            "unexpected argument `frobnicate`"
        );
        assert_eq!(
            parse_args(&args("")).unwrap_err(),
            "missing command: `generate`, `check` or `diff`"
        );
    }
}
