//! The breaking-change report, through the real xtask.
//!
//! `tests/breaking/<case>/` holds the spec after one edit (`after.yaml`; the
//! spec before it is `tests/breaking/_base.yaml`, or the case's own
//! `before.yaml` when the edit needs another starting point), a
//! `manifest.toml` when the case needs one, and `expected.txt`, what
//! `cargo xtask diff` prints: the summary line and one line per change. Each
//! case generates the spec before, swaps in `after.yaml`, and checks the report,
//! then that `generate` bumps the version and writes the changelog entry
//! the report implies. `codegen/src/surface/RULES.md` lists the rules.
//!
//! Then, in git repositories: the four committed APIs and a copy of GitHub's
//! 2021 description, each with an edit, through `diff --base`, `generate`
//! and `check`, which fails, saying why, when a breaking change is committed
//! without its version bump.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use workspace_tests::{breaking_cases as cases, copy_tree, crates, git_in, specs};

fn xtask(args: &[&str], specs: &Path, out: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(args)
        .arg("--specs")
        .arg(specs)
        .arg("--out")
        .arg(out)
        .output()
        .expect("xtask runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn ok(out: Output) -> String {
    assert!(
        out.status.success(),
        "exit {:?}\n{}\n{}",
        out.status,
        text(&out.stdout),
        text(&out.stderr)
    );
    text(&out.stdout)
}

/// The version a summary line names last: `api: breaking (api-client 0.1.0 -> 0.2.0)`.
fn version_in(summary: &str) -> &str {
    summary
        .trim_end_matches(')')
        .rsplit(' ')
        .next()
        .expect("a version")
}

#[test]
fn every_catalog_case_reports_its_class_and_reasons_and_bumps_the_version() {
    let cases = cases();
    assert!(cases.len() >= 25, "the catalog has {} cases", cases.len());
    let mut failures = Vec::new();
    for case in &cases {
        let name = case.file_name().unwrap().to_string_lossy().into_owned();
        let tmp = tempfile::tempdir().expect("temp dir");
        let (specs, out) = (tmp.path().join("specs"), tmp.path().join("crates"));
        let api = specs.join("api");
        std::fs::create_dir_all(&api).unwrap();
        let own = case.join("before.yaml");
        let before = if own.is_file() {
            own
        } else {
            case.with_file_name("_base.yaml")
        };
        std::fs::copy(before, api.join("spec.yaml")).unwrap();
        if case.join("manifest.toml").is_file() {
            std::fs::copy(case.join("manifest.toml"), api.join("manifest.toml")).unwrap();
        }
        ok(xtask(&["generate"], &specs, &out));
        std::fs::copy(case.join("after.yaml"), api.join("spec.yaml")).unwrap();
        let report = ok(xtask(&["diff"], &specs, &out));
        let expected = std::fs::read_to_string(case.join("expected.txt")).expect("expected.txt");
        if report != expected {
            failures.push(format!("{name}:\n--- expected\n{expected}--- got\n{report}"));
            continue;
        }
        // generate follows the report: the version, and a changelog entry with every line.
        let summary = report.lines().next().expect("a summary line");
        let generate = ok(xtask(&["generate"], &specs, &out));
        let manifest = std::fs::read_to_string(out.join("api/Cargo.toml")).unwrap();
        let version = version_in(summary);
        assert!(
            manifest.contains(&format!("\nversion = \"{version}\"\n")),
            "{name}: {summary}\n{manifest}"
        );
        let class = summary.split(' ').nth(1).expect("a class").to_string();
        let changelog = std::fs::read_to_string(out.join("api/CHANGELOG.md")).unwrap();
        if class != "unchanged" {
            assert!(
                changelog.contains(&format!("## {version}: {class}\n")),
                "{name}:\n{changelog}"
            );
            assert!(
                generate.contains(&format!("surface {class}, 0.1.0 -> {version}")),
                "{name}:\n{generate}"
            );
        }
        for line in report.lines().skip(1) {
            assert!(
                changelog.contains(&format!("- {}\n", line.trim())),
                "{name}:\n{changelog}"
            );
        }
        // A second run changes nothing: the bump happens once.
        let again = ok(xtask(&["generate"], &specs, &out));
        assert!(!again.contains("file(s) written"), "{name}:\n{again}");
        ok(xtask(&["check"], &specs, &out));
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_rule_has_a_case() {
    let all: String = cases()
        .iter()
        .map(|c| std::fs::read_to_string(c.join("expected.txt")).unwrap())
        .collect();
    for needle in [
        "breaking: operation ",
        "additive: new operation ",
        "parameters reordered",
        "is `&str` (was `i64`)",
        "new required parameter",
        "new optional parameter",
        "new required field `String` in a request type",
        "new optional field `Option<String>` (the type is built without literals)",
        "became required",
        "in a response type",
        "of an open enum",
        "(the enum is #[non_exhaustive]: matches have a `_` arm)",
        "optional parameter `cursor` removed",
        "Member.id removed",
        "docs-only: ",
        ": unchanged",
        "type Page removed",
        "the error type is",
        "new header accessor headers::",
        "header accessor headers::UpdateMember::x_ratelimit_remaining removed",
        "errors::UpdateMember: new variant `Conflict`",
    ] {
        assert!(all.contains(needle), "no case shows `{needle}`");
    }
}

/// A git repository holding `specs` and `crates` trees, committed.
struct Repo {
    tmp: tempfile::TempDir,
}

impl Repo {
    fn new() -> Repo {
        let tmp = tempfile::tempdir().expect("temp dir");
        let repo = Repo { tmp };
        repo.git(&["init", "-q", "-b", "main"]);
        repo
    }
    fn path(&self) -> &Path {
        self.tmp.path()
    }
    fn specs(&self) -> PathBuf {
        self.path().join("specs")
    }
    fn out(&self) -> PathBuf {
        self.path().join("crates")
    }
    fn git(&self, args: &[&str]) -> String {
        git_in(self.path(), args)
    }
    fn commit(&self, message: &str) {
        self.git(&["add", "-A"]);
        self.git(&["commit", "-q", "-m", message]);
    }
    fn run(&self, args: &[&str]) -> Output {
        xtask(args, &self.specs(), &self.out())
    }
    fn edit(&self, file: &str, from: &str, to: &str) {
        let path = self.specs().join(file);
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains(from), "{file} holds `{from}`");
        std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
    }
}

fn committed_repo() -> Repo {
    let repo = Repo::new();
    copy_tree(&specs(), &repo.specs()).unwrap();
    copy_tree(&crates(), &repo.out()).unwrap();
    repo.commit("the committed trees");
    repo
}

#[test]
fn the_three_apis_report_bump_and_check_in_git() {
    let repo = committed_repo();
    let unchanged = ok(repo.run(&["diff"]));
    for api in ["capillary", "github", "symphony", "symphony-login"] {
        assert!(
            unchanged
                .lines()
                .any(|l| l.starts_with(&format!("{api}: unchanged ("))),
            "{unchanged}"
        );
    }
    // The versions now, and the ones each edit below calls for (before 1.0:
    // breaking bumps the minor number, additive the patch).
    let version = |krate: &str| -> (u64, u64) {
        let toml = std::fs::read_to_string(repo.out().join(krate).join("Cargo.toml")).unwrap();
        let v = toml
            .lines()
            .find_map(|l| l.strip_prefix("version = \""))
            .and_then(|v| v.strip_suffix('"'))
            .expect("a version line");
        let parts: Vec<u64> = v.split('.').map(|p| p.parse().unwrap()).collect();
        assert_eq!(parts[0], 0, "{krate}: the test counts on versions before 1.0");
        (parts[1], parts[2])
    };
    let (github, capillary, facade) = (
        version("github"),
        version("capillary"),
        version("usergroup-clients"),
    );
    let github_now = format!("0.{}.{}", github.0, github.1);
    let github_next = format!("0.{}.0", github.0 + 1);
    let capillary_now = format!("0.{}.{}", capillary.0, capillary.1);
    let capillary_next = format!("0.{}.{}", capillary.0, capillary.1 + 1);
    let facade_next = format!("0.{}.0", facade.0 + 1);
    // GitHub: role becomes required (the example); Capillary: a new
    // permission value of its open enum; Symphony: a description.
    repo.edit(
        "github/github.yaml",
        "maintainer demotes them. To keep a maintainer, send `role: maintainer`.\n      type: object\n",
        "maintainer demotes them. To keep a maintainer, send `role: maintainer`.\n      type: object\n      required: [role]\n",
    );
    repo.edit(
        "capillary/capillary.yaml",
        "        - block_points_transfer\n",
        "        - block_points_transfer\n        - allow_points_gifting\n",
    );
    let report = ok(repo.run(&["diff"]));
    assert!(
        report.contains(&format!(
            "github: breaking (github-client {github_now} -> {github_next})\n  breaking: TeamMembershipRequest.role became required (`crate::TeamRole`, was `Option<crate::TeamRole>`)\n"
        )),
        "{report}"
    );
    assert!(
        report.contains(&format!(
            "capillary: additive (capillary-client {capillary_now} -> {capillary_next})\n"
        )),
        "{report}"
    );
    assert!(
        report.contains("Permission: new value `allow_points_gifting` of an open enum"),
        "{report}"
    );
    assert!(report.contains("symphony: unchanged ("), "{report}");

    // Committed without the bump: generate's output, but the old versions.
    ok(repo.run(&["generate"]));
    let github_toml = repo.out().join("github/Cargo.toml");
    let bumped = std::fs::read_to_string(&github_toml).unwrap();
    assert!(
        bumped.contains(&format!("\nversion = \"{github_next}\"\n")),
        "{bumped}"
    );
    let facade = std::fs::read_to_string(repo.out().join("usergroup-clients/Cargo.toml")).unwrap();
    assert!(
        facade.contains(&format!("\nversion = \"{facade_next}\"\n")),
        "the facade follows its clients:\n{facade}"
    );
    std::fs::write(
        &github_toml,
        bumped.replace(
            &format!("version = \"{github_next}\""),
            &format!("version = \"{github_now}\""),
        ),
    )
    .unwrap();
    repo.commit("spec update, without the version bump");
    let check = repo.run(&["check", "--base", "HEAD~1"]);
    assert_eq!(check.status.code(), Some(1), "{}", text(&check.stdout));
    let why = text(&check.stderr);
    assert!(
        why.contains(&format!(
            "github-client must be version {github_next} or higher, because its surface changed since HEAD~1"
        )) && why.contains("TeamMembershipRequest.role became required"),
        "{why}"
    );
    // With the bump, check passes against the same base.
    ok(repo.run(&["generate", "--base", "HEAD~1"]));
    ok(repo.run(&["check", "--base", "HEAD~1"]));
    let changelog = std::fs::read_to_string(repo.out().join("github/CHANGELOG.md")).unwrap();
    assert!(
        changelog.contains(&format!(
            "## {github_next}: breaking\n\n- breaking: TeamMembershipRequest.role became required"
        )),
        "{changelog}"
    );
    // A bad base is refused, naming it.
    let bad = repo.run(&["diff", "--base", "no-such-rev"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(
        text(&bad.stderr).contains("`--base no-such-rev` is not a commit"),
        "{}",
        text(&bad.stderr)
    );
}

#[test]
fn the_github_2021_corpus_copy_reports_and_bumps() {
    let repo = Repo::new();
    let api = workspace_tests::corpus::entries()
        .expect("the corpus entries")
        .into_iter()
        .find(|e| e.name == "github-api-2021")
        .expect("the GitHub 2021 entry")
        .lay_out(&repo.specs())
        .expect("laid out");
    ok(repo.run(&["generate"]));
    repo.commit("GitHub 2021");
    let spec = api.join("github-api-2021.json");
    // An edit: `teams/add-or-update-membership-for-user-in-org` takes a new required field.
    let mut doc: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&spec).unwrap()).unwrap();
    let body = doc
        .pointer_mut("/paths/~1orgs~1{org}~1teams~1{team_slug}~1memberships~1{username}/put/requestBody/content/application~1json/schema")
        .expect("the membership request body");
    body["properties"]["reason"] = serde_json::json!({"type": "string"});
    body["required"] = serde_json::json!(["reason"]);
    std::fs::write(&spec, serde_json::to_string(&doc).unwrap()).unwrap();
    let report = ok(repo.run(&["diff"]));
    let first = report.lines().next().unwrap_or_default();
    assert_eq!(
        first, "github-api-2021: breaking (github-api-2021-client 0.1.0 -> 0.2.0)",
        "{report}"
    );
    assert!(
        report.contains(": new required field `String` in a request type"),
        "{report}"
    );
    ok(repo.run(&["generate"]));
    let manifest = std::fs::read_to_string(repo.out().join("github-api-2021/Cargo.toml")).unwrap();
    assert!(manifest.contains("\nversion = \"0.2.0\"\n"), "{manifest}");
    ok(repo.run(&["check"]));
}
