//! Write or check stage: files are written only when their bytes change, and
//! atomically (a temporary file in the same folder, then a rename), so an
//! interrupted run never leaves a half-written file. Check compares in memory
//! and renders a unified diff.

use std::io::Write as _;
use std::path::{Path, PathBuf};

/// Who owns a file's content.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ownership {
    /// Rewritten from the spec on every run; drift is an error.
    Generated,
    /// Written once when missing, then the developer's.
    Scaffold,
}

/// One file the pipeline wants to exist.
#[derive(Debug, Clone)]
pub struct PlannedFile {
    /// Where it goes.
    pub path: PathBuf,
    /// How it is shown in messages (relative to the output directory's parent).
    pub shown: String,
    /// Its full content.
    pub contents: String,
    /// Who owns it.
    pub ownership: Ownership,
    /// The API folder it is generated for; `None` for the facade.
    pub api: Option<String>,
}

/// What happened to a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Written because it was missing or different.
    Written,
    /// Already had these bytes.
    Unchanged,
    /// A hand-owned file that exists and was left alone.
    Kept,
}

/// A file that is not what the pipeline would write.
#[derive(Debug, Clone)]
pub struct Drift {
    /// The file, as shown.
    pub shown: String,
    /// A unified diff from the file on disk to the expected content.
    pub diff: String,
}

impl PlannedFile {
    fn current(&self) -> Option<String> {
        std::fs::read(&self.path)
            .ok()
            .map(|b| String::from_utf8_lossy(&b).into_owned())
    }

    /// Writes the file if needed.
    pub fn write(&self) -> std::io::Result<Outcome> {
        match (self.ownership, self.current()) {
            (Ownership::Scaffold, Some(_)) => Ok(Outcome::Kept),
            (_, Some(current)) if current == self.contents => Ok(Outcome::Unchanged),
            _ => {
                write_atomically(&self.path, self.contents.as_bytes())?;
                Ok(Outcome::Written)
            }
        }
    }

    /// Compares the file on disk with what it should be.
    pub fn check(&self) -> Option<Drift> {
        let current = self.current();
        match (self.ownership, current) {
            (Ownership::Scaffold, Some(_)) => None,
            (_, Some(current)) if current == self.contents => None,
            (_, current) => {
                let old = current.unwrap_or_default();
                let diff = similar::TextDiff::from_lines(&old, &self.contents)
                    .unified_diff()
                    .context_radius(3)
                    .header(&format!("a/{}", self.shown), &format!("b/{}", self.shown))
                    .to_string();
                Some(Drift {
                    shown: self.shown.clone(),
                    diff,
                })
            }
        }
    }
}

/// Writes `bytes` to `path` through a temporary file and a rename.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("file");
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let result = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    fn planned(dir: &Path, ownership: Ownership, contents: &str) -> PlannedFile {
        PlannedFile {
            path: dir.join("sub/f.rs"),
            shown: "sub/f.rs".into(),
            contents: contents.into(),
            ownership,
            api: None,
        }
    }

    #[test]
    fn writes_only_when_bytes_change() {
        let dir = tempfile::tempdir().unwrap();
        let f = planned(dir.path(), Ownership::Generated, "a\n");
        assert_eq!(f.write().unwrap(), Outcome::Written);
        assert_eq!(f.write().unwrap(), Outcome::Unchanged);
        assert_eq!(
            std::fs::read_dir(dir.path().join("sub")).unwrap().count(),
            1,
            "no temporary file is left"
        );
    }

    #[test]
    fn scaffolds_are_never_overwritten() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("sub")).unwrap();
        std::fs::write(dir.path().join("sub/f.rs"), "mine").unwrap();
        let f = planned(dir.path(), Ownership::Scaffold, "template");
        assert_eq!(f.write().unwrap(), Outcome::Kept);
        assert!(f.check().is_none());
        assert_eq!(
            std::fs::read_to_string(dir.path().join("sub/f.rs")).unwrap(),
            "mine"
        );
    }

    #[test]
    fn check_renders_a_unified_diff() {
        let dir = tempfile::tempdir().unwrap();
        let f = planned(dir.path(), Ownership::Generated, "one\ntwo\n");
        assert!(f.check().unwrap().diff.contains("+one"));
        f.write().unwrap();
        assert!(f.check().is_none());
        let changed = planned(dir.path(), Ownership::Generated, "one\nthree\n");
        let drift = changed.check().unwrap();
        assert!(
            drift.diff.contains("--- a/sub/f.rs")
                && drift.diff.contains("-two")
                && drift.diff.contains("+three"),
            "{}",
            drift.diff
        );
    }
}
