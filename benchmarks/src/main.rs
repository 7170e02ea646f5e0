//! `cargo run -p benchmarks --release`: runs every benchmark and writes
//! `BENCHMARKS.md`. The figures and their budgets:
//!
//! - pipeline time per stage: the divan benches in `benches/stages.rs`;
//! - end to end: the built xtask's `generate` and `check` on `specs/`
//!   (budget 100 ms each), and the whole pipeline on GitHub's 2021
//!   description (budget 3 s), timed as whole processes;
//! - downstream cold builds, side by side in one run: a fresh crate on the
//!   facade with every client, the same with one client, and the same three
//!   clients through progenitor's `generate_api!` macro (budget: the facade
//!   in at most a third of the macro's time).
//!
//! - per-request overhead of the generated client layer against the same
//!   request made with raw reqwest on loopback (`benches/request.rs`;
//!   budget 1.05×), and the facade's cold build against the run-time floor
//!   (budget 1.15×);
//! - `cargo check` of the GitHub 2021 corpus crate with the client layer
//!   and without it (progenitor's module alone).
//!
//! - resource limits: hostile and oversized specs (`limits.rs`).
//!
//! - bounded bodies: the peak memory of a call answered with 2 GiB, and of
//!   a 32 MiB answer decoded (`benches/memory.rs`; budget: the 64 MiB limit
//!   plus 16 MiB).
//!
//! - TLS: what each provider feature costs per request, on a kept-alive
//!   connection and with a handshake per request (`benches/tls.rs`).
//!
//! Pass `--quick` to skip the cold builds and the check timings, `--memory`
//! to measure only the bounded bodies and update their section, `--limits`
//! to measure only the resource limits and update their section, `--tls` to
//! measure only the TLS costs (the cold builds with each provider, and
//! `benches/tls.rs`) and update those two sections.

use std::fmt::Write as _;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use benchmarks::root;

fn main() -> anyhow::Result<()> {
    let quick = std::env::args().any(|a| a == "--quick");
    let root = root();
    if std::env::args().any(|a| a == "--limits") {
        eprintln!("== resource limits");
        benchmarks::limits::update(&root)?;
        eprintln!("updated the limits section of BENCHMARKS.md");
        return Ok(());
    }
    if std::env::args().any(|a| a == "--memory") {
        eprintln!("== peak memory of large answers");
        let mut md = String::new();
        memory(&root, &mut md)?;
        benchmarks::splice_section(&root, MEMORY_HEADING, &md)?;
        eprintln!("updated the bounded-bodies section of BENCHMARKS.md");
        return Ok(());
    }
    if std::env::args().any(|a| a == "--tls") {
        eprintln!("== TLS per request");
        let mut md = String::new();
        tls_overhead(&root, &mut md)?;
        benchmarks::splice_section(&root, TLS_HEADING, &md)?;
        eprintln!("== downstream cold builds");
        let mut md = String::new();
        cold_builds(&root, &mut md)?;
        benchmarks::splice_section(&root, COLD_HEADING, &md)?;
        benchmarks::splice_section(&root, "## What changed, and what it gained", CHANGES)?;
        eprintln!("updated the TLS, cold-build and what-changed sections of BENCHMARKS.md");
        return Ok(());
    }
    let mut md = String::new();
    writeln!(md, "# Benchmarks\n")?;
    writeln!(
        md,
        "Written by `cargo run -p benchmarks --release` (see `benchmarks/`); do not edit by hand.\n"
    )?;
    machine(&mut md)?;

    eprintln!("== pipeline stages (divan)");
    let stages = cargo(&root, &["bench", "-p", "benchmarks", "--bench", "stages"])?;
    writeln!(md, "## Pipeline time per stage\n")?;
    writeln!(
        md,
        "divan, `cargo bench -p benchmarks --bench stages` (release profile). Each stage alone, on \
         its own input (the previous stages' output); `whole_pipeline` is `build_api`, all stages for \
         one API. Times per run.\n"
    )?;
    writeln!(md, "```text\n{}```\n", divan_table(&stages))?;

    eprintln!("== per-request overhead (interleaved with raw reqwest)");
    request_overhead(&root, &mut md)?;
    eprintln!("== TLS per request");
    tls_overhead(&root, &mut md)?;
    eprintln!("== peak memory of large answers");
    memory(&root, &mut md)?;

    eprintln!("== end to end");
    end_to_end(&root, &mut md)?;

    if quick {
        writeln!(md, "{COLD_HEADING}\n\nSkipped (`--quick`).\n")?;
        writeln!(
            md,
            "## `cargo check` of the GitHub 2021 crate\n\nSkipped (`--quick`).\n"
        )?;
    } else {
        eprintln!("== downstream cold builds");
        cold_builds(&root, &mut md)?;
        eprintln!("== cargo check of the GitHub 2021 crate, with and without the client layer");
        layer_check_time(&root, &mut md)?;
    }
    eprintln!("== resource limits");
    md.push_str(&benchmarks::limits::section(&root)?);
    md.push_str(CHANGES);
    std::fs::write(root.join("BENCHMARKS.md"), md)?;
    eprintln!("wrote BENCHMARKS.md");
    Ok(())
}

/// What was changed because of these figures, with the before measurements
/// (taken with this same program, on this machine, before each change).
const CHANGES: &str = "## What changed, and what it gained

1. **TLS crypto provider: ring, then aws-lc-rs again, by choice.** `cargo build --timings` of
   the downstream facade crate showed `aws-lc-sys`'s build script (a C build) at 26.1 s of a
   41.0 s cold build, so client-core once installed ring process-wide. That had two costs: a
   library changed every TLS connection of the application, and ring offers no post-quantum key
   exchange (rustls now deprecates its ring default). Now client-core builds its own rustls
   configuration from an explicit provider and installs nothing; the provider is a feature,
   `tls-aws-lc` (default: X25519MLKEM768) or `tls-ring`. The cold builds above give both, each
   against a floor with the same provider: the default now costs the C build again, which buys
   post-quantum key exchange for every user; `tls-ring` keeps the fast build for whoever needs
   it. `tests/dependency_tree.rs` keeps OpenSSL out of every tree.
2. **Dependencies at `opt-level = 1` in the dev profile** (`[profile.dev.package.\"*\"]`), so
   `cargo xtask` runs the generator optimized without a release build of the xtask.
";

fn machine(md: &mut String) -> anyhow::Result<()> {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|c| {
            c.lines()
                .find(|l| l.starts_with("model name"))
                .map(|l| l.split(':').nth(1).unwrap_or("").trim().to_string())
        })
        .unwrap_or_else(|| "unknown".into());
    let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(0);
    let rustc = output(Command::new("rustc").arg("--version"))?;
    let date = output(Command::new("date").args(["-u", "+%Y-%m-%d"]))?;
    writeln!(md, "## Machine and method\n")?;
    writeln!(md, "- Date: {}", date.trim())?;
    writeln!(md, "- CPU: {cpu}, {cores} cores available")?;
    writeln!(md, "- Toolchain: {}", rustc.trim())?;
    writeln!(
        md,
        "- Wall times are medians of repeated runs on an otherwise idle machine; cold builds are run \
         once each, one after the other, with empty target folders and the crates already downloaded.\n"
    )?;
    Ok(())
}

fn output(cmd: &mut Command) -> anyhow::Result<String> {
    let out = cmd.output().with_context(|| format!("running {cmd:?}"))?;
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// Runs cargo in `dir`, failing on a non-zero exit; returns stdout.
fn cargo(dir: &Path, args: &[&str]) -> anyhow::Result<String> {
    let out = Command::new("cargo")
        .args(args)
        .current_dir(dir)
        .output()
        .context("running cargo")?;
    if !out.status.success() {
        bail!("cargo {args:?} failed:\n{}", String::from_utf8_lossy(&out.stderr));
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// The table divan printed, without cargo's noise.
fn divan_table(out: &str) -> String {
    out.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| format!("{l}\n"))
        .collect()
}

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

/// Runs a command `n` times, failing on a non-zero exit; the median wall time.
fn time(n: usize, mut make: impl FnMut() -> Command) -> anyhow::Result<Duration> {
    let mut samples = Vec::new();
    for _ in 0..n {
        let mut cmd = make();
        let start = Instant::now();
        let out = cmd.output().with_context(|| format!("running {cmd:?}"))?;
        samples.push(start.elapsed());
        if !out.status.success() {
            bail!("{cmd:?} failed:\n{}", String::from_utf8_lossy(&out.stderr));
        }
    }
    Ok(median(samples))
}

fn ms(d: Duration) -> String {
    format!("{:.0} ms", d.as_secs_f64() * 1000.0)
}

fn verdict(met: bool) -> &'static str {
    if met { "met" } else { "**not met**" }
}

fn end_to_end(root: &Path, md: &mut String) -> anyhow::Result<()> {
    cargo(root, &["build", "-p", "xtask"])?;
    let xtask = root.join("target/debug/xtask");
    let run = |args: &'static [&'static str]| {
        let xtask = xtask.clone();
        move || {
            let mut c = Command::new(&xtask);
            c.args(args).current_dir(root);
            c
        }
    };
    let generate = time(21, run(&["generate"]))?;
    let check = time(21, run(&["check"]))?;
    let via_cargo = time(5, || {
        let mut c = Command::new("cargo");
        c.args(["xtask", "check"]).current_dir(root);
        c
    })?;
    let (dir, _tmp) = benchmarks::folder("github-api-2021")?;
    let specs = dir.parent().map(Path::to_path_buf).unwrap_or_default();
    let out = tempfile::tempdir()?;
    let corpus = time(5, || {
        let mut c = Command::new(&xtask);
        c.arg("generate")
            .arg("--specs")
            .arg(&specs)
            .arg("--out")
            .arg(out.path());
        c
    })?;
    writeln!(md, "## End to end\n")?;
    writeln!(
        md,
        "The xtask as `cargo xtask` builds it (the dev profile, dependencies at `opt-level = 1`), already \
         built, run as a whole process; median of 21 runs (5 for the corpus).\n"
    )?;
    writeln!(md, "| Run | Wall time | Budget | |")?;
    writeln!(md, "|---|---|---|---|")?;
    writeln!(
        md,
        "| `xtask generate` (3 APIs, nothing to write) | {} | 100 ms | {} |",
        ms(generate),
        verdict(generate <= Duration::from_millis(100))
    )?;
    writeln!(
        md,
        "| `xtask check` (3 APIs) | {} | 100 ms | {} |",
        ms(check),
        verdict(check <= Duration::from_millis(100))
    )?;
    writeln!(
        md,
        "| `xtask generate` on GitHub's 2021 description (767 operations) | {} | 3 s | {} |",
        ms(corpus),
        verdict(corpus <= Duration::from_secs(3))
    )?;
    writeln!(
        md,
        "| `cargo xtask check`, including cargo's own start-up | {} | | |\n",
        ms(via_cargo)
    )?;
    Ok(())
}

/// One cold build.
struct Cold {
    /// Wall time.
    time: Duration,
    /// Crates compiled.
    crates: usize,
    /// The longest units of `cargo build --timings`: seconds and name.
    slowest: Vec<(f64, String)>,
}

/// One cold build: a fresh crate with the given manifest and source, built
/// with an empty target folder and `--timings`.
fn cold_build(name: &str, manifest: &str, lib: &str, files: &[(&str, String)]) -> anyhow::Result<Cold> {
    let tmp = tempfile::tempdir()?;
    let dir = tmp.path().join(name);
    std::fs::create_dir_all(dir.join("src"))?;
    std::fs::write(dir.join("Cargo.toml"), manifest)?;
    std::fs::write(dir.join("src/lib.rs"), lib)?;
    for (path, contents) in files {
        let p = dir.join(path);
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(p, contents)?;
    }
    cargo(&dir, &["fetch"])?;
    let start = Instant::now();
    let out = Command::new("cargo")
        .args(["build", "--offline", "--timings"])
        .env("CARGO_TARGET_DIR", dir.join("target"))
        .current_dir(&dir)
        .output()?;
    let elapsed = start.elapsed();
    let stderr = String::from_utf8_lossy(&out.stderr);
    if !out.status.success() {
        bail!("cold build of {name} failed:\n{stderr}");
    }
    let compiled = stderr
        .lines()
        .filter(|l| l.trim_start().starts_with("Compiling "))
        .count();
    Ok(Cold {
        time: elapsed,
        crates: compiled,
        slowest: slowest_units(&dir.join("target/cargo-timings"))?,
    })
}

/// The ten longest units of a `--timings` report.
fn slowest_units(dir: &Path) -> anyhow::Result<Vec<(f64, String)>> {
    let report = std::fs::read_to_string(dir.join("cargo-timing.html"))?;
    let data = report
        .split_once("const UNIT_DATA = ")
        .and_then(|(_, rest)| rest.split_once(";\n"))
        .map(|(json, _)| json)
        .context("UNIT_DATA in the timings report")?;
    let units: Vec<serde_json::Value> = serde_json::from_str(data)?;
    let mut slowest: Vec<(f64, String)> = units
        .iter()
        .map(|u| {
            let name = format!(
                "{} {}{}",
                u["name"].as_str().unwrap_or_default(),
                u["version"].as_str().unwrap_or_default(),
                u["target"].as_str().unwrap_or_default()
            );
            (u["duration"].as_f64().unwrap_or_default(), name)
        })
        .collect();
    slowest.sort_by(|a, b| b.0.total_cmp(&a.0));
    slowest.truncate(10);
    Ok(slowest)
}

/// The heading of the cold-build section.
const COLD_HEADING: &str = "## Downstream cold builds";
/// The heading of the TLS section.
const TLS_HEADING: &str = "## TLS: what each provider costs per request";

/// The TLS provider features, with the rustls features a floor crate needs
/// for the same provider.
const PROVIDERS: [(&str, &str); 2] = [
    ("tls-aws-lc", "\"aws-lc-rs\", \"prefer-post-quantum\""),
    ("tls-ring", "\"ring\""),
];

fn cold_builds(root: &Path, md: &mut String) -> anyhow::Result<()> {
    let facade = root.join("crates/usergroup-clients");
    let ours = |features: &str| {
        format!(
            "[package]\nname = \"downstream\"\nversion = \"0.0.0\"\nedition = \"2024\"\n\n[dependencies]\nusergroup-clients = {{ path = {:?}{features} }}\n\n[workspace]\n",
            facade.display().to_string()
        )
    };
    let plan = codegen::plan(&codegen::Options {
        specs: root.join("specs"),
        out: root.join("crates"),
        strict: false,
    })?;
    let modules: Vec<String> = plan
        .apis
        .iter()
        .map(|api| format!("\"{}\"", api.manifest.module))
        .collect();
    // The facade with every client, once per provider (the default is
    // `tls-aws-lc`), and with one client.
    let all = cold_build("downstream", &ours(""), "pub use usergroup_clients::*;\n", &[])?;
    let all_ring = cold_build(
        "downstream",
        &ours(&format!(
            ", default-features = false, features = [{}, \"tls-ring\"]",
            modules.join(", ")
        )),
        "pub use usergroup_clients::*;\n",
        &[],
    )?;
    let one = cold_build(
        "downstream",
        &ours(", default-features = false, features = [\"github\", \"tls-aws-lc\"]"),
        "pub use usergroup_clients::github;\n",
        &[],
    )?;

    // The same three clients, generated at build time by progenitor's macro
    // from the same OpenAPI 3.0.3 documents the pipeline gives progenitor.
    let mut files = Vec::new();
    let mut lib = String::new();
    for api in &plan.apis {
        let name = &api.manifest.module;
        files.push((
            format!("specs/{name}.json"),
            serde_json::to_string_pretty(&api.normalized)?,
        ));
        writeln!(
            lib,
            "pub mod {name} {{ progenitor::generate_api!(\"specs/{name}.json\"); }}"
        )?;
    }
    // What every client needs at run time, whoever generates it: the same
    // lines as the workspace's own dependencies, with one provider's rustls
    // features added.
    let workspace = std::fs::read_to_string(root.join("Cargo.toml"))?;
    let line = |name: &str| {
        workspace
            .lines()
            .find(|l| l.starts_with(&format!("{name} =")))
            .context("dependency in the workspace")
    };
    let (reqwest, rustls) = (line("reqwest")?, line("rustls")?);
    let shared = |provider_features: &str| -> anyhow::Result<String> {
        let rustls = rustls.replacen("\"tls12\"", &format!("\"tls12\", {provider_features}"), 1);
        anyhow::ensure!(
            rustls != line("rustls")?,
            "the workspace's rustls line has no \"tls12\" to add a provider after"
        );
        Ok(format!(
            "progenitor-client = \"0.15.1\"\n{reqwest}\n{rustls}\nserde = {{ version = \"1\", features = [\"derive\"] }}\nserde_json = \"1\"\n"
        ))
    };
    let macro_manifest = format!(
        "[package]\nname = \"downstream-macro\"\nversion = \"0.0.0\"\nedition = \"2024\"\n\n[dependencies]\nprogenitor = \"0.15.1\"\n{}\n[workspace]\n",
        shared(PROVIDERS[0].1)?
    );
    let file_refs: Vec<(&str, String)> = files.iter().map(|(p, c)| (p.as_str(), c.clone())).collect();
    let macro_build = cold_build("downstream-macro", &macro_manifest, &lib, &file_refs)?;
    let mut floors = Vec::new();
    for (_, features) in PROVIDERS {
        let manifest = format!(
            "[package]\nname = \"downstream-floor\"\nversion = \"0.0.0\"\nedition = \"2024\"\n\n[dependencies]\n{}\n[workspace]\n",
            shared(features)?
        );
        floors.push(cold_build("downstream-floor", &manifest, "", &[])?);
    }

    let secs = |c: &Cold| c.time.as_secs_f64();
    let floor = &floors[0];
    let ratio = secs(&all) / secs(&macro_build);
    let ours_over = secs(&all) - secs(floor);
    let macro_over = secs(&macro_build) - secs(floor);
    writeln!(md, "{COLD_HEADING}\n")?;
    writeln!(
        md,
        "A fresh crate outside the workspace, `cargo build` (dev profile) with an empty target folder, \
         the crates already downloaded; the builds run one after the other in one run. The \
         macro crate generates the same three clients from the same OpenAPI 3.0.3 documents with \
         `progenitor::generate_api!`, with the same run-time dependencies. Each floor has the \
         run-time dependencies any client needs, with that TLS provider.\n"
    )?;
    writeln!(md, "| Build | TLS | Wall time | Crates compiled |")?;
    writeln!(md, "|---|---|---|---|")?;
    let rows: [(&str, &str, &Cold); 6] = [
        (
            "Facade, all three clients (committed code)",
            "`tls-aws-lc` (default)",
            &all,
        ),
        (
            "Facade, all three clients (committed code)",
            "`tls-ring`",
            &all_ring,
        ),
        ("Facade, `github` alone", "`tls-aws-lc`", &one),
        (
            "`generate_api!`, the same three clients",
            "aws-lc-rs",
            &macro_build,
        ),
        (
            "Floor: progenitor-client, reqwest, rustls, serde",
            "aws-lc-rs",
            &floors[0],
        ),
        (
            "Floor: progenitor-client, reqwest, rustls, serde",
            "ring",
            &floors[1],
        ),
    ];
    for (build, tls, cold) in rows {
        writeln!(md, "| {build} | {tls} | {:.1} s | {} |", secs(cold), cold.crates)?;
    }
    writeln!(md)?;
    for ((feature, _), (facade, floor)) in PROVIDERS
        .iter()
        .zip([(&all, &floors[0]), (&all_ring, &floors[1])])
    {
        let over = secs(facade) / secs(floor);
        writeln!(
            md,
            "Facade / floor with `{feature}`: **{over:.2}** (budget: at most 1.15, {}).\n",
            verdict(over <= 1.15)
        )?;
    }
    writeln!(
        md,
        "The default's price: `tls-aws-lc` against `tls-ring`, facade {:+.1} s, floor {:+.1} s: the \
         C build of aws-lc-sys, paid once per cold build for post-quantum key exchange on every \
         connection. What the generated clients cost above the floor stays the budget's business, \
         whichever provider.\n",
        secs(&all) - secs(&all_ring),
        secs(&floors[0]) - secs(&floors[1])
    )?;
    writeln!(
        md,
        "Facade / macro: **{ratio:.2}** (budget: at most 0.33, {}).\n",
        verdict(ratio <= 1.0 / 3.0)
    )?;
    writeln!(
        md,
        "Above the floor, the facade costs {ours_over:.1} s and the macro {macro_over:.1} s: the \
         generator's own cost, {:.0}% of the macro build, is what committed code removes.",
        100.0 * macro_over / secs(&macro_build)
    )?;
    if ratio > 1.0 / 3.0 {
        writeln!(
            md,
            "The budget is not met for a measured reason: the floor, the HTTP, TLS and serde stack every \
             client needs whoever generates it, takes {:.1} s of both builds, more than a third of the \
             macro build on its own ({:.0}%). No change to the generated code can bring the facade under \
             the floor.",
            secs(floor),
            100.0 * secs(floor) / secs(&macro_build)
        )?;
    }
    writeln!(md)?;
    writeln!(
        md,
        "Where the time goes (`cargo build --timings`, the ten longest units):\n"
    )?;
    writeln!(
        md,
        "| Facade, `tls-aws-lc` | | Facade, `tls-ring` | | `generate_api!` | |"
    )?;
    writeln!(md, "|---|---|---|---|---|---|")?;
    for i in 0..10 {
        let cell = |units: &[(f64, String)]| {
            units
                .get(i)
                .map(|(t, n)| (format!("{t:.1} s"), format!("`{n}`")))
                .unwrap_or_default()
        };
        let (at, an) = cell(&all.slowest);
        let (rt, rn) = cell(&all_ring.slowest);
        let (mt, mn) = cell(&macro_build.slowest);
        writeln!(md, "| {an} | {at} | {rn} | {rt} | {mn} | {mt} |")?;
    }
    writeln!(md)?;
    Ok(())
}

/// `benches/tls.rs`: each provider's cost per request over TLS.
fn tls_overhead(root: &Path, md: &mut String) -> anyhow::Result<()> {
    let out = cargo(root, &["bench", "-p", "benchmarks", "--bench", "tls"])?;
    let (ratios, table): (Vec<&str>, Vec<&str>) = out.lines().partition(|l| l.starts_with("ratio"));
    anyhow::ensure!(ratios.len() == 2, "the two ratio lines of the TLS bench:\n{out}");
    writeln!(md, "{TLS_HEADING}\n")?;
    writeln!(
        md,
        "`cargo bench -p benchmarks --bench tls`: GitHub's team-membership PUT through `github-client` \
         over TLS to a local rustls server on 127.0.0.1, once with each feature's provider (given to \
         the builder, so both run in one process), alternating request by request: on a kept-alive \
         connection (the record layer), and on a new connection per request (a whole handshake, the \
         key exchange included). The plain-HTTP layer overhead is the section above.\n"
    )?;
    writeln!(md, "```text\n{}\n```\n", table.join("\n"))?;
    for ratio in ratios {
        writeln!(md, "- {}", ratio.trim_start_matches("ratio "))?;
    }
    writeln!(md)?;
    Ok(())
}

const MEMORY_HEADING: &str = "## Bounded bodies: peak memory of a large answer";

/// `benches/memory.rs`: each case in a process of its own, its peak RSS.
fn memory(root: &Path, md: &mut String) -> anyhow::Result<()> {
    let out = cargo(root, &["bench", "-p", "benchmarks", "--bench", "memory"])?;
    let table: String = out
        .lines()
        .filter(|l| l.starts_with('|'))
        .map(|l| format!("{l}\n"))
        .collect();
    writeln!(md, "{MEMORY_HEADING}\n")?;
    writeln!(
        md,
        "`cargo bench -p benchmarks --bench memory`: GitHub's team-membership PUT answered by a server \
         on 127.0.0.1 with a chunked body and no `Content-Length`; each case in a process of its own, \
         its peak resident set (`VmHWM`). The client's limit on a buffered body (64 MiB by default, \
         `client-core/src/limit.rs`) ends a 2 GiB answer with `Error::BodyTooLarge` at the limit \
         plus the process's own few MiB (budget: the limit plus 16 MiB). The 32 MiB cases decode a \
         valid answer: through the client, whose bounded body arrives in one piece, and the way \
         reqwest's `bytes()` and `serde_json::from_slice` read it unbounded; both hold the body and \
         the decoded value once each.\n"
    )?;
    writeln!(md, "{table}")?;
    let peak = |case: &str| -> Option<f64> {
        table
            .lines()
            .find(|l| l.contains(&format!("`{case}`")))?
            .split('|')
            .nth(2)?
            .trim()
            .trim_end_matches(" MiB")
            .parse()
            .ok()
    };
    let over = peak("2gib-default").context("the 2 GiB case")?;
    writeln!(
        md,
        "2 GiB answer, default limit: **{over:.1} MiB** peak (budget: at most 80 MiB, {}).\n",
        verdict(over <= 80.0)
    )?;
    Ok(())
}

fn request_overhead(root: &Path, md: &mut String) -> anyhow::Result<()> {
    let out = cargo(root, &["bench", "-p", "benchmarks", "--bench", "request"])?;
    let ratio: f64 = out
        .lines()
        .find_map(|l| l.strip_prefix("ratio (medians): "))
        .context("the ratio line of the request bench")?
        .trim()
        .parse()?;
    let table: String = out
        .lines()
        .filter(|l| !l.starts_with("ratio"))
        .map(|l| format!("{l}\n"))
        .collect();
    writeln!(md, "## Per-request overhead of the client layer\n")?;
    writeln!(
        md,
        "`cargo bench -p benchmarks --bench request`: GitHub's team-membership PUT (JSON body, four \
         headers, JSON response decoded into the same type) through `github-client`, and the same \
         request with raw reqwest on a pool configured alike (timeouts, redirect policy), against one \
         wiremock server on 127.0.0.1. The two alternate request by request after a warm-up, so load \
         on the machine weighs on both alike. The layer adds the endpoint check, the per-operation \
         credentials and the error mapping.\n"
    )?;
    writeln!(md, "```text\n{table}```\n")?;
    writeln!(
        md,
        "Layer / raw reqwest (medians): **{ratio:.3}** (budget: at most 1.05, {}).\n",
        verdict(ratio <= 1.05)
    )?;
    Ok(())
}

/// `cargo check` of one crate of a warm workspace, after touching its
/// source: the crate's own check time. Median of three.
fn check_time(dir: &Path, package: &str) -> anyhow::Result<Duration> {
    let lib = dir.join(package).join("src/lib.rs");
    let mut samples = Vec::new();
    for _ in 0..3 {
        let text = std::fs::read_to_string(&lib)?;
        std::fs::write(&lib, text)?;
        let start = Instant::now();
        let out = Command::new("cargo")
            .args(["check", "--offline", "-p", package])
            .current_dir(dir)
            .output()?;
        if !out.status.success() {
            bail!(
                "cargo check -p {package} failed:\n{}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        samples.push(start.elapsed());
    }
    Ok(median(samples))
}

/// The GitHub 2021 corpus crate, `cargo check`ed with the client layer and
/// with progenitor's module alone (plus the hooks it needs), in one warm
/// workspace outside this one.
fn layer_check_time(root: &Path, md: &mut String) -> anyhow::Result<()> {
    let name = "github-api-2021";
    let (dir, _keep) = benchmarks::folder(name)?;
    let (api, code) = codegen::pipeline::build_api(name, &dir, name).map_err(|e| anyhow::anyhow!("{e}"))?;
    let file = syn::parse_file(&code)?;
    let raw = file
        .items
        .iter()
        .find_map(|item| match item {
            syn::Item::Mod(m) if m.ident == "raw" => m.content.as_ref().map(|(_, items)| items.clone()),
            _ => None,
        })
        .context("the raw module in the generated code")?;
    let without = format!(
        "{}\nusergroup_client_core::impl_client_hooks!(Client);\n",
        prettyplease::unparse(&syn::File {
            shebang: None,
            attrs: Vec::new(),
            items: raw
        })
    );
    let tmp = tempfile::tempdir()?;
    let work = tmp.path();
    let workspace = std::fs::read_to_string(root.join("Cargo.toml"))?;
    let root_shown = root.display().to_string();
    let members_start = workspace
        .find("members = [")
        .context("members in the workspace")?;
    let members_end = members_start + workspace[members_start..].find(']').context("end of members")? + 1;
    let workspace = format!(
        "{}members = [\"with\", \"without\"]{}",
        &workspace[..members_start],
        &workspace[members_end..]
    )
    .replace("path = \"", &format!("path = \"{root_shown}/"));
    std::fs::write(work.join("Cargo.toml"), workspace)?;
    std::fs::copy(root.join("Cargo.lock"), work.join("Cargo.lock"))?;
    let allow = "#![allow(clippy::all, unused, non_camel_case_types)]\n";
    for (package, lib) in [
        ("with", format!("{allow}{code}")),
        ("without", format!("{allow}{without}")),
    ] {
        let mut manifest = api.manifest.clone();
        manifest.crate_name = package.to_string();
        std::fs::create_dir_all(work.join(package).join("src"))?;
        std::fs::write(
            work.join(package).join("Cargo.toml"),
            codegen::scaffold::crate_manifest(&manifest, &api.title, &code),
        )?;
        std::fs::write(work.join(package).join("src/lib.rs"), lib)?;
    }
    let warm = Command::new("cargo")
        .args(["check", "--offline", "--workspace"])
        .current_dir(work)
        .output()?;
    if !warm.status.success() {
        bail!(
            "cargo check of the corpus crates failed:\n{}",
            String::from_utf8_lossy(&warm.stderr)
        );
    }
    let with = check_time(work, "with")?;
    let without = check_time(work, "without")?;
    writeln!(md, "## `cargo check` of the GitHub 2021 crate\n")?;
    writeln!(
        md,
        "GitHub's 2021 description ({} operations) generated into a crate, `cargo check` of that crate \
         alone in a warm workspace (median of three, after touching its source): with the client \
         layer, and with progenitor's module alone plus the hooks it needs.\n",
        api.operations
    )?;
    writeln!(md, "| Crate | `cargo check` |")?;
    writeln!(md, "|---|---|")?;
    writeln!(md, "| With the client layer | {:.1} s |", with.as_secs_f64())?;
    writeln!(
        md,
        "| progenitor's module alone | {:.1} s |",
        without.as_secs_f64()
    )?;
    writeln!(
        md,
        "\nThe layer adds {:.0}% to the crate's check time.\n",
        100.0 * (with.as_secs_f64() / without.as_secs_f64() - 1.0)
    )?;
    Ok(())
}
