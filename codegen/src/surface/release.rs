//! Versions and changelogs that follow the surface: the surface committed at
//! a base (a git revision, or the files on disk) is compared with the one
//! generated now, the class bumps the crate's version (0.x rules included),
//! and the changes become a `CHANGELOG.md` entry. Everything is computed in
//! memory, as part of the plan, so `check` sees a missing bump as a stale
//! `Cargo.toml`.

use std::path::{Path, PathBuf};
use std::process::Command;

use semver::Version;

use super::model::Surface;
use super::rules::{Change, Class, class_of, compare};

/// Where the previous surface, version and changelog are read from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Base {
    /// The files on disk, before this run writes them.
    Disk,
    /// The files as committed at a git revision (`git show <rev>:<path>`).
    Git(String),
}

impl Base {
    /// The text of `path` at this base; `None` when it has no such file.
    pub fn read(&self, path: &Path) -> Option<String> {
        match self {
            Base::Disk => std::fs::read_to_string(path).ok(),
            Base::Git(rev) => {
                let (dir, rest) = existing_ancestor(path)?;
                let out = Command::new("git")
                    .arg("-C")
                    .arg(&dir)
                    .arg("show")
                    .arg(format!("{rev}:./{}", rest.to_string_lossy().replace('\\', "/")))
                    .output()
                    .ok()?;
                out.status
                    .success()
                    .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
            }
        }
    }

    /// Whether `dir` is inside a git work tree where `rev` names a commit.
    pub fn git_rev_exists(dir: &Path, rev: &str) -> bool {
        let Some((dir, _)) = existing_ancestor(&dir.join("x")) else {
            return false;
        };
        Command::new("git")
            .arg("-C")
            .arg(dir)
            .args(["rev-parse", "--verify", "--quiet"])
            .arg(format!("{rev}^{{commit}}"))
            .output()
            .is_ok_and(|o| o.status.success())
    }
}

/// The nearest existing folder above `path`, and the rest of the path.
fn existing_ancestor(path: &Path) -> Option<(PathBuf, PathBuf)> {
    let mut dir = path.parent()?.to_path_buf();
    let mut rest = PathBuf::from(path.file_name()?);
    while !dir.is_dir() {
        rest = PathBuf::from(dir.file_name()?).join(rest);
        dir = dir.parent()?.to_path_buf();
    }
    if dir.as_os_str().is_empty() {
        dir = PathBuf::from(".");
    }
    Some((dir, rest))
}

/// What changed in one API since the base, and the version it needs.
#[derive(Debug, Clone)]
pub struct Release {
    /// The API folder name.
    pub api: String,
    /// The crate's package name.
    pub crate_name: String,
    /// `None` when the base has no surface for it (a new API, or the first
    /// listing).
    pub class: Option<Class>,
    /// Every change, in surface order.
    pub changes: Vec<Change>,
    /// The version at the base (or on disk when the base has none).
    pub base_version: Version,
    /// The version the crate needs now: the base's, bumped by the class,
    /// or a higher one already set by hand.
    pub version: Version,
}

impl Release {
    /// `github: breaking (github-client 0.1.0 -> 0.2.0)`.
    pub fn summary(&self) -> String {
        let class = self.class.map_or("new".to_string(), |c| c.to_string());
        let what = if self.class.is_none() {
            format!("no surface at the base: {} {}", self.crate_name, self.version)
        } else if self.version == self.base_version {
            format!("{} {}", self.crate_name, self.version)
        } else {
            format!("{} {} -> {}", self.crate_name, self.base_version, self.version)
        };
        format!("{}: {class} ({what})", self.api)
    }
}

/// Compares the base's surface with the current one and works out the
/// version: `current` is the version set on disk now (kept when higher).
pub fn release(
    api: &str,
    crate_name: &str,
    base: Option<&Surface>,
    now: &Surface,
    base_version: Version,
    current: Option<Version>,
) -> Release {
    let (class, changes) = match base {
        Some(base) => {
            let changes = compare(base, now);
            (Some(class_of(&changes)), changes)
        }
        None => (None, Vec::new()),
    };
    let needed = bump(&base_version, class.unwrap_or(Class::Unchanged));
    let version = match current {
        Some(current) if current > needed => current,
        _ => needed,
    };
    Release {
        api: api.to_string(),
        crate_name: crate_name.to_string(),
        class,
        changes,
        base_version,
        version,
    }
}

/// The version after a change of this class. Before 1.0, a breaking change
/// bumps the minor number and anything else the patch number (Cargo's
/// compatibility rule for 0.x); from 1.0, breaking bumps the major, additive
/// the minor, docs-only the patch.
pub fn bump(v: &Version, class: Class) -> Version {
    let mut next = Version::new(v.major, v.minor, v.patch);
    match (class, v.major) {
        (Class::Unchanged, _) => return v.clone(),
        (Class::Breaking, 0) => {
            next.minor += 1;
            next.patch = 0;
        }
        (Class::Breaking, _) => {
            next.major += 1;
            next.minor = 0;
            next.patch = 0;
        }
        (Class::Additive, 1..) => {
            next.minor += 1;
            next.patch = 0;
        }
        _ => next.patch += 1,
    }
    next
}

/// The `version` of a `Cargo.toml`'s `[package]` table.
pub fn package_version(manifest: &str) -> Option<Version> {
    let value: toml::Value = toml::from_str(manifest).ok()?;
    Version::parse(value.get("package")?.get("version")?.as_str()?).ok()
}

/// The `Cargo.toml` text with its `[package]` version set to `version`,
/// everything else byte for byte; `None` when it has no such line to set
/// (`version.workspace = true`, or none).
pub fn set_package_version(manifest: &str, version: &Version) -> Option<String> {
    let mut in_package = false;
    let mut done = false;
    let mut out = String::with_capacity(manifest.len());
    for line in manifest.split_inclusive('\n') {
        let trimmed = line.trim_start();
        if trimmed.starts_with('[') {
            in_package = trimmed.starts_with("[package]");
        }
        let key = trimmed.split('=').next().unwrap_or_default().trim();
        if in_package && !done && key == "version" && trimmed.contains('"') {
            let newline = if line.ends_with('\n') { "\n" } else { "" };
            out.push_str(&format!("version = \"{version}\"{newline}"));
            done = true;
        } else {
            out.push_str(line);
        }
    }
    done.then_some(out)
}

/// The changelog's first lines.
fn changelog_header(crate_name: &str) -> String {
    format!(
        "# Changelog of `{crate_name}`\n\nWritten by `cargo xtask generate` from the surface report (`cargo xtask diff`): one entry\nper version, with the class of the change and why (rules: codegen/src/surface/RULES.md).\n"
    )
}

/// The crate's `CHANGELOG.md`: the base's entries, with one for this
/// release on top when the surface changed. `base` is the base's file;
/// `current` is the file as it is now, whose entry for this version may
/// open with a paragraph written by hand (a migration note, before the
/// first `- ` line): it is kept.
pub fn changelog(r: &Release, base: Option<&str>, current: Option<&str>) -> String {
    let old_entries = base
        .and_then(|text| text.find("\n## ").map(|at| text[at + 1..].to_string()))
        .unwrap_or_default();
    let entry = match r.class {
        None if old_entries.is_empty() => format!(
            "## {}\n\nThe surface as first listed in `surface.txt`.\n",
            r.version
        ),
        Some(class) if class > Class::Unchanged => {
            let mut e = format!("## {}: {class}\n\n", r.version);
            if let Some(note) = current.and_then(|c| hand_note(c, &r.version)) {
                e.push_str(&note);
                e.push_str("\n\n");
            }
            for c in &r.changes {
                e.push_str(&format!("- {c}\n"));
            }
            e
        }
        _ => String::new(),
    };
    let entry_head = format!("## {}", r.version);
    // An entry for this very version at the base is this one, rewritten.
    let old_entries = match old_entries.strip_prefix(&entry_head) {
        Some(rest) if !entry.is_empty() && (rest.starts_with(':') || rest.starts_with('\n')) => rest
            .find("\n## ")
            .map(|at| rest[at + 1..].to_string())
            .unwrap_or_default(),
        _ => old_entries,
    };
    let mut out = changelog_header(&r.crate_name);
    for part in [entry, old_entries] {
        if !part.is_empty() {
            out.push('\n');
            out.push_str(part.trim_end());
            out.push('\n');
        }
    }
    out
}

/// The paragraph written by hand at the top of `version`'s entry in
/// `text`: what comes between its heading and its first `- ` line.
fn hand_note(text: &str, version: &Version) -> Option<String> {
    let head = format!("## {version}");
    let start = text
        .match_indices(&head)
        .find(|(at, _)| {
            (*at == 0 || text[..*at].ends_with('\n')) && text[at + head.len()..].starts_with([':', '\n'])
        })?
        .0;
    let entry = &text[start..];
    let entry = entry[1..].find("\n## ").map_or(entry, |end| &entry[..end + 1]);
    let note: Vec<&str> = entry
        .lines()
        .skip(1)
        .take_while(|l| !l.starts_with("- "))
        .collect();
    let note = note.join("\n").trim().to_string();
    (!note.is_empty()).then_some(note)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> Version {
        Version::parse(s).unwrap()
    }

    #[test]
    fn bumps_follow_semver_and_cargo_0x_rules() {
        let cases = [
            ("0.1.0", Class::Breaking, "0.2.0"),
            ("0.1.3", Class::Additive, "0.1.4"),
            ("0.1.3", Class::DocsOnly, "0.1.4"),
            ("0.1.3", Class::Unchanged, "0.1.3"),
            ("1.2.3", Class::Breaking, "2.0.0"),
            ("1.2.3", Class::Additive, "1.3.0"),
            ("1.2.3", Class::DocsOnly, "1.2.4"),
        ];
        for (from, class, to) in cases {
            assert_eq!(bump(&v(from), class), v(to), "{from} {class}");
        }
    }

    #[test]
    fn only_the_package_version_line_changes() {
        let toml =
            "[package]\nname = \"a\"\nversion = \"0.1.0\"\n\n[dependencies]\nx = { version = \"1\" }\n";
        let set = set_package_version(toml, &v("0.2.0")).unwrap();
        assert_eq!(set, toml.replace("0.1.0", "0.2.0"));
        assert_eq!(package_version(&set), Some(v("0.2.0")));
        assert_eq!(
            set_package_version("[package]\nversion.workspace = true\n", &v("1.0.0")),
            None
        );
    }

    #[test]
    fn a_hand_set_higher_version_is_kept() {
        let s = Surface::default();
        let r = release("a", "a-client", Some(&s), &s, v("0.1.0"), Some(v("0.5.0")));
        assert_eq!(r.version, v("0.5.0"));
    }

    #[test]
    fn the_changelog_is_rewritten_not_stacked_for_the_same_version() {
        let r = Release {
            api: "a".into(),
            crate_name: "a-client".into(),
            class: Some(Class::Breaking),
            changes: vec![Change {
                class: Class::Breaking,
                reason: "type X removed (struct)".into(),
            }],
            base_version: v("0.1.0"),
            version: v("0.2.0"),
        };
        let first = changelog(&r, Some("# head\n\n## 0.1.0\n\nold\n"), None);
        assert!(
            first.contains("## 0.2.0: breaking\n\n- breaking: type X removed (struct)\n\n## 0.1.0\n\nold\n"),
            "{first}"
        );
        assert_eq!(changelog(&r, Some(&first), Some(&first)), first);
        // A migration note written by hand at the top of this version's
        // entry stays when the entry is written again.
        let noted = first.replace(
            "## 0.2.0: breaking\n\n",
            "## 0.2.0: breaking\n\nMigrating: use Y.\nIt is X renamed.\n\n",
        );
        let base = "# head\n\n## 0.1.0\n\nold\n";
        assert_eq!(changelog(&r, Some(base), Some(&noted)), noted);
        assert_eq!(hand_note(&noted, &v("0.1.0")), Some("old".into()));
        let unchanged = Release {
            class: Some(Class::Unchanged),
            changes: Vec::new(),
            base_version: v("0.2.0"),
            ..r
        };
        assert_eq!(
            changelog(&unchanged, Some(&first), Some(&first)),
            first,
            "an unchanged surface keeps every entry"
        );
    }
}
