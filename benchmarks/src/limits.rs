//! Hostile and oversized inputs, each run through the xtask as a whole
//! process under `/usr/bin/time`: wall time, peak memory (maximum resident
//! set), exit code and what it said. The inputs are made on the fly in a
//! temp folder, never committed. Writes the "Resource limits" section of
//! `BENCHMARKS.md` (`cargo run -p benchmarks --release -- --limits` updates
//! that section alone).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, bail};
use serde_json::{Value, json};

/// The section's heading in `BENCHMARKS.md`.
pub const HEADING: &str = "## Resource limits (hostile and oversized specs)";

/// One input: what it is, its files, and what must happen.
struct Case {
    what: &'static str,
    files: Vec<(&'static str, String)>,
    expect: Expect,
}

#[derive(PartialEq)]
enum Expect {
    Generates,
    Refused(&'static str),
}

/// A minimal OpenAPI 3.0 document with these paths and an extra top-level
/// member.
fn spec(paths: Value, extra: (&str, Value)) -> String {
    let mut doc = json!({
        "openapi": "3.0.3",
        "info": {"title": "Limits", "version": "1"},
        "paths": paths,
    });
    doc[extra.0] = extra.1;
    doc.to_string()
}

fn operations(n: usize) -> Value {
    let paths: serde_json::Map<String, Value> = (0..n)
        .map(|i| {
            (
                format!("/r{i}/{{id}}"),
                json!({"get": {
                    "operationId": format!("op{i}"),
                    "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}],
                    "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {"type": "object", "properties": {"id": {"type": "string"}}}}}}}
                }}),
            )
        })
        .collect();
    Value::Object(paths)
}

fn one_operation() -> Value {
    json!({"/a": {"get": {"operationId": "a", "responses": {"200": {"description": "ok"}}}}})
}

fn cases(root: &Path) -> anyhow::Result<Vec<Case>> {
    let head = "openapi: 3.0.3\ninfo: {title: Limits, version: '1'}\npaths: {}\n";
    let mut laughs = format!("{head}x-l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for i in 1..10 {
        let refs = vec![format!("*l{}", i - 1); 10].join(", ");
        let _ = writeln!(laughs, "x-l{i}: &l{i} [{refs}]");
    }
    let quadratic = format!(
        "{head}x-big: &big\n{}x-refs:\n{}",
        "  - a\n".repeat(100_000),
        "  - *big\n".repeat(100_000)
    );
    let deep_yaml = format!("{head}x-deep: {}{}\n", "[".repeat(3_000), "]".repeat(3_000));
    let mut nested = json!({"type": "string"});
    for _ in 0..60 {
        nested = json!({"type": "object", "properties": {"n": nested}});
    }
    let words = "lorem ipsum dolor sit amet ".repeat(2_000_000);
    let description = |bytes: usize| {
        spec(
            one_operation(),
            (
                "info",
                json!({"title": "Limits", "version": "1", "description": &words[..bytes]}),
            ),
        )
    };
    let big = "lorem ipsum dolor sit amet ".repeat(2_700_000);
    Ok(vec![
        Case {
            what: "YAML alias bomb (\"billion laughs\": 10 aliases a level, 9 levels, 10^9 values), 0.7 KB",
            files: vec![("spec.yaml", laughs)],
            expect: Expect::Refused("repetition limit exceeded"),
        },
        Case {
            what: "YAML aliases, quadratic: an anchor of 100,000 values referenced 100,000 times (10^10 values), 1.5 MB",
            files: vec![("spec.yaml", quadratic)],
            expect: Expect::Refused("expands to more than"),
        },
        Case {
            what: "JSON nested 3,000 deep (`tests/catalog/deep-nesting.json`)",
            files: vec![(
                "spec.json",
                std::fs::read_to_string(root.join("tests/catalog/deep-nesting.json"))?,
            )],
            expect: Expect::Refused("recursion limit exceeded"),
        },
        Case {
            what: "YAML nested 3,000 deep",
            files: vec![("spec.yaml", deep_yaml)],
            expect: Expect::Refused("recursion limit exceeded"),
        },
        Case {
            what: "Schemas nested 60 deep (125 JSON levels, under the parsers' 128)",
            files: vec![(
                "spec.json",
                spec(json!({}), ("components", json!({"schemas": {"Deep": nested}}))),
            )],
            expect: Expect::Generates,
        },
        Case {
            what: "A 50 MB string (`info.description`, into the client's docs)",
            files: vec![("spec.json", description(50_000_000))],
            expect: Expect::Generates,
        },
        Case {
            what: "A 70 MB file (over the 64 MiB limit)",
            files: vec![(
                "spec.json",
                spec(
                    one_operation(),
                    (
                        "info",
                        json!({"title": "Limits", "version": "1", "description": big}),
                    ),
                ),
            )],
            expect: Expect::Refused("files over 64 MiB are refused"),
        },
        Case {
            what: "10,000 operations",
            files: vec![("spec.json", spec(operations(10_000), ("x-n", json!(1))))],
            expect: Expect::Generates,
        },
        Case {
            what: "20,000 operations (the most allowed)",
            files: vec![("spec.json", spec(operations(20_000), ("x-n", json!(1))))],
            expect: Expect::Generates,
        },
        Case {
            what: "100,000 operations",
            files: vec![("spec.json", spec(operations(100_000), ("x-n", json!(1))))],
            expect: Expect::Refused("this API may have at most 20000"),
        },
    ])
}

/// What one run cost and said.
struct Run {
    seconds: f64,
    peak_mb: f64,
    code: i32,
    said: String,
}

fn run(xtask: &Path, case: &Case) -> anyhow::Result<Run> {
    let tmp = tempfile::tempdir()?;
    let api = tmp.path().join("specs/limits");
    std::fs::create_dir_all(&api)?;
    for (name, text) in &case.files {
        std::fs::write(api.join(name), text)?;
    }
    let timing = tmp.path().join("time.txt");
    let out = Command::new("/usr/bin/time")
        .arg("-f")
        .arg("%e %M")
        .arg("-o")
        .arg(&timing)
        .arg(xtask)
        .arg("generate")
        .arg("--specs")
        .arg(tmp.path().join("specs"))
        .arg("--out")
        .arg(tmp.path().join("out"))
        .output()
        .context("running /usr/bin/time (Debian package `time`)")?;
    let timing = std::fs::read_to_string(&timing)?;
    let last = timing.lines().last().unwrap_or_default().to_string();
    let mut fields = last.split_whitespace();
    let seconds: f64 = fields.next().unwrap_or("0").parse()?;
    let peak_kb: f64 = fields.next().unwrap_or("0").parse()?;
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    let said = if out.status.success() {
        stdout.lines().next().unwrap_or_default().to_string()
    } else {
        // The message without the temp folder's path.
        let line = stderr.lines().next().unwrap_or_default();
        line.split_once("limits/")
            .map_or(line, |(_, rest)| rest)
            .to_string()
    };
    Ok(Run {
        seconds,
        peak_mb: peak_kb / 1024.0,
        code: out.status.code().unwrap_or(-1),
        // One line, and no backtick to end the table's code span.
        said: said
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .replace('`', "'"),
    })
}

/// The xtask as `cargo xtask` builds it (dev profile), built first.
fn xtask(root: &Path) -> anyhow::Result<PathBuf> {
    let status = Command::new("cargo")
        .args(["build", "--quiet", "-p", "xtask"])
        .current_dir(root)
        .status()?;
    if !status.success() {
        bail!("cargo build -p xtask failed");
    }
    let target = std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| root.join("target"), PathBuf::from);
    Ok(target.join("debug/xtask"))
}

/// Measures every case; the section's Markdown. Fails when a case does not
/// end as expected (a refusal with its message, or a generated client).
pub fn section(root: &Path) -> anyhow::Result<String> {
    let xtask = xtask(root)?;
    let mut md = format!("{HEADING}\n\n");
    md.push_str(
        "Each input made on the fly and run through `xtask generate` as a whole process (the dev profile \
         `cargo xtask` builds), once, under `/usr/bin/time`: wall time and peak resident memory. \
         `cargo run -p benchmarks --release -- --limits` rewrites this section alone. The limits are in \
         `codegen/src/limits.rs` and the README. Single runs on the shared 2-core machine: times vary by about a third between runs. YAML is read with serde_yaml 0.9 here (its alias-jump \
         limit refuses the billion laughs; our expansion budget refuses the quadratic case); whatever \
         YAML crate replaces it must keep both refusals.\n\n",
    );
    md.push_str("| Input | Outcome | Wall time | Peak memory |\n|---|---|---|---|\n");
    for case in cases(root)? {
        eprintln!("   {}", case.what);
        let r = run(&xtask, &case)?;
        let outcome = match &case.expect {
            Expect::Generates if r.code == 0 => format!("generated: `{}`", r.said),
            Expect::Refused(message) if r.code == 2 && r.said.contains(message) => {
                format!("refused, exit 2: `{}`", r.said)
            }
            _ => bail!("{}: unexpected outcome, exit {}: {}", case.what, r.code, r.said),
        };
        writeln!(
            md,
            "| {} | {outcome} | {:.2} s | {:.0} MB |",
            case.what, r.seconds, r.peak_mb
        )?;
    }
    md.push('\n');
    Ok(md)
}

/// Replaces (or adds, before "What changed") the section in `BENCHMARKS.md`.
pub fn update(root: &Path) -> anyhow::Result<()> {
    crate::splice_section(root, HEADING, &section(root)?)
}
