//! `cargo xtask generate` and `cargo xtask check`: a thin command line over
//! the `codegen` library. Exit codes: 0 ok, 1 stale files (check), 2 bad
//! input or usage. `cargo xtask corpus` (`corpus/`) generates and checks the
//! real-world specs of `corpus/`.

mod corpus;

use std::path::PathBuf;
use std::process::ExitCode;

use codegen::output::Outcome;
use codegen::{Options, plan};

const USAGE: &str = "usage: cargo xtask <generate|check> [--specs DIR] [--out DIR]
       cargo xtask corpus [--table]

  generate   regenerate every client crate under --out from the specs under --specs,
             writing only files whose bytes change
  check      regenerate in memory; exit 1 with a unified diff if any file is stale

  --specs DIR  the specs tree, one folder per API (default: specs)
  --out DIR    where the client crates live (default: crates)

  corpus     generate every spec of corpus/ in a copy of the workspace and
             `cargo check` the clients (`cargo xtask corpus --help`)";

#[derive(Debug, PartialEq, Eq)]
enum Command {
    Generate,
    Check,
}

/// Parses the arguments after the program name.
fn parse_args(args: &[String]) -> Result<(Command, Options), String> {
    let mut command = None;
    let root = workspace_root();
    let relative = |p: PathBuf| p.strip_prefix(".").map(PathBuf::from).unwrap_or(p);
    let mut options = Options {
        specs: relative(root.join("specs")),
        out: relative(root.join("crates")),
    };
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f, Some(v.to_string())),
            _ => (arg.as_str(), None),
        };
        match flag {
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
            "-h" | "--help" => return Err(String::new()),
            "generate" | "check" if command.is_none() => {
                command = Some(if flag == "generate" {
                    Command::Generate
                } else {
                    Command::Check
                });
            }
            other if other.starts_with('-') => return Err(format!("unknown flag `{other}`")),
            other => return Err(format!("unexpected argument `{other}`")),
        }
    }
    command
        .map(|c| (c, options))
        .ok_or_else(|| "missing command: `generate` or `check`".to_string())
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

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().is_some_and(|a| a == "corpus") {
        return corpus::main(&args[1..], &workspace_root()).unwrap_or_else(|e| {
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        });
    }
    let (command, options) = match parse_args(&args) {
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
    match run(command, &options) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("{e:#}");
            ExitCode::from(2)
        }
    }
}

fn run(command: Command, options: &Options) -> anyhow::Result<ExitCode> {
    let plan = plan(options)?;
    match command {
        Command::Generate => {
            let mut outcomes = Vec::new();
            for file in &plan.files {
                let outcome = file
                    .write()
                    .map_err(|e| anyhow::anyhow!("{}: cannot write: {e}", file.shown))?;
                outcomes.push((file, outcome));
            }
            for api in &plan.apis {
                let changed = outcomes
                    .iter()
                    .filter(|(f, o)| *o == Outcome::Written && f.api.as_ref() == Some(&api.manifest.api))
                    .count();
                println!(
                    "{:<12} {:>4} operations {:>4} types  {}",
                    api.manifest.api,
                    api.operations,
                    api.types,
                    if changed == 0 {
                        "unchanged".to_string()
                    } else {
                        format!("{changed} file(s) written")
                    }
                );
                for note in &api.notes {
                    println!("             note: {note}");
                }
                for a in &api.adaptations {
                    println!(
                        "             adapted {}: {} ({})",
                        a.operation, a.detail, a.policy
                    );
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
        let (c, o) = parse_args(&args("check --specs a --out=b")).unwrap();
        assert_eq!(c, Command::Check);
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
            "missing command: `generate` or `check`"
        );
    }
}
