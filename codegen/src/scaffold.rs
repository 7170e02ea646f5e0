//! Text of the files a client crate and the facade are made of: the
//! generated ones, rewritten on every run, and the hand-owned ones, written
//! once when an API is new and never touched again.

use std::fmt::Write as _;

use crate::error::{Diagnostic, Result};
use crate::generate::rust_header;
use crate::manifest::Manifest;

/// The facade crate's folder under the output directory.
pub const FACADE_DIR: &str = "usergroup-clients";
/// The facade crate's package name.
pub const FACADE_PACKAGE: &str = "usergroup-clients";

/// What the facade needs to know of one API.
#[derive(Debug, Clone)]
pub struct FacadeEntry {
    /// The API's manifest.
    pub manifest: Manifest,
    /// The spec's `info.title`.
    pub title: String,
    /// The cargo features of the client crate (hand-owned, in its
    /// `Cargo.toml`) besides `default`: the facade passes each through as
    /// `<module>-<feature>`, but the [`TLS_FEATURES`], which it forwards to
    /// every crate that declares them.
    pub features: Vec<String>,
}

impl FacadeEntry {
    /// The features the facade passes through one by one: all but the
    /// [`TLS_FEATURES`] and `full` (the per-tag features are not listed).
    fn passed_features(&self) -> impl Iterator<Item = &String> {
        self.features
            .iter()
            .filter(|f| !TLS_FEATURES.contains(&f.as_str()) && *f != "full")
    }

    /// Whether the client has per-tag features, whose `full` the facade's
    /// feature for it turns on.
    fn has_tags(&self) -> bool {
        self.features.iter().any(|f| f == "full")
    }
}

/// The TLS provider features every new client crate forwards to the
/// runtime (`crate_manifest`); the facade forwards them to all its clients
/// that declare them at once, instead of passing them through one by one (a
/// crate made before them has none, and builds without a provider).
pub const TLS_FEATURES: [&str; 2] = ["tls-aws-lc", "tls-ring"];

/// The features a client crate's `Cargo.toml` declares, but `default`, in
/// their order there (sorted, as cargo keeps no order of its own). `shown`
/// names the file in errors.
pub fn crate_features(cargo_toml: &str, shown: &str) -> Result<Vec<String>> {
    let table: toml::Table = toml::from_str(cargo_toml).map_err(|e| {
        Diagnostic::file(shown, format!("not a valid Cargo.toml: {}", e.message()))
            .help("fix the crate's Cargo.toml (it is yours to edit), then run `cargo xtask generate` again")
    })?;
    let declared = table.get("features").and_then(toml::Value::as_table);
    // The per-tag features (`crate::features`) are the ones `full` lists:
    // the facade turns on `full`, and passes none of them one by one.
    let tags: Vec<&str> = declared
        .and_then(|f| f.get("full"))
        .and_then(toml::Value::as_array)
        .map(|list| list.iter().filter_map(toml::Value::as_str).collect())
        .unwrap_or_default();
    let mut features: Vec<String> = declared
        .map(|f| {
            f.keys()
                .filter(|k| *k != "default" && !tags.contains(&k.as_str()))
                .cloned()
                .collect()
        })
        .unwrap_or_default();
    features.sort();
    Ok(features)
}

/// Optional dependencies the generated code may need, by the path it uses.
const OPTIONAL_DEPS: [(&str, &str); 6] = [
    (
        "chrono::",
        "chrono = { version = \"0.4\", default-features = false, features = [\"serde\", \"std\"] }",
    ),
    ("uuid::", "uuid = { version = \"1\", features = [\"serde\"] }"),
    ("regress::", "regress = \"0.12\""),
    ("futures::", "futures = \"0.3\""),
    ("::base64::", "base64 = \"0.22\""),
    ("::rand::", "rand = \"0.9\""),
];

/// A TOML basic string holding `text`, quoted and escaped.
fn toml_string(text: &str) -> String {
    toml::Value::String(text.to_string()).to_string()
}

/// A new client crate's `Cargo.toml` (hand-owned after creation). The
/// client uses the workspace's reqwest (rustls, no OpenSSL) and the shared
/// runtime, whose TLS provider it chooses by the forwarded [`TLS_FEATURES`]:
/// aws-lc-rs by default, ring as an opt-in.
pub fn crate_manifest(m: &Manifest, title: &str, generated_code: &str) -> String {
    // reqwest's multipart support only for a client whose spec has a form.
    let core = if generated_code.contains("usergroup_client_core::Form::new()") {
        "usergroup-client-core = { workspace = true, features = [\"multipart\"] }\n"
    } else {
        "usergroup-client-core.workspace = true\n"
    };
    let mut deps = format!(
        "progenitor-client.workspace = true\nreqwest.workspace = true\nserde.workspace = true\nserde_json.workspace = true\n{core}"
    );
    for (needle, line) in OPTIONAL_DEPS {
        if generated_code.contains(needle) {
            deps.push_str(line);
            deps.push('\n');
        }
    }
    format!(
        "[package]\nname = \"{name}\"\nversion = \"0.1.0\"\ndescription = {description}\nedition.workspace = true\nrust-version.workspace = true\nlicense.workspace = true\npublish.workspace = true\n\n{TLS_FEATURE_TABLE}{MOCK_FEATURE}\n[dependencies]\n{deps}",
        name = m.crate_name,
        description = toml_string(&format!(
            "Typed async client for the {}, generated from specs/{}/.",
            crate::docs::one_line(title),
            m.api
        )),
    )
}

/// The `[features]` table of a new client crate: the TLS provider, passed
/// to the runtime.
const TLS_FEATURE_TABLE: &str = "[features]\ndefault = [\"tls-aws-lc\"]\n# The TLS crypto provider: aws-lc-rs (post-quantum key exchange; builds C\n# code) or ring (no C toolchain, faster cold build). With neither, the\n# application installs one before building a client.\ntls-aws-lc = [\"usergroup-client-core/tls-aws-lc\"]\ntls-ring = [\"usergroup-client-core/tls-ring\"]\n";

/// The `mock` feature of a client crate: the generated `mock` module, on
/// client-core's mock server. Off by default: a normal build has no mock
/// server crate.
pub const MOCK_FEATURE: &str = "\n# A mock server of the API for downstream tests (the generated `mock`\n# module). Off by default: a normal build has no mock server crate.\nmock = [\"usergroup-client-core/mock\"]\n";

/// A new client crate's `src/lib.rs` (hand-owned after creation): the
/// generated client, re-exported whole; vendor conveniences go here.
pub fn crate_lib(m: &Manifest, title: &str) -> String {
    format!(
        "//! Typed async client for the {title}.\n//!\n//! `generated.rs` is written by `cargo xtask generate` from `specs/{api}/`: the\n//! `Client` (`Client::builder()`, one method per operation), its `Error` and\n//! the `types`. This file is yours: add vendor conveniences here.\n\n// Formatted by prettyplease at generation time; rustfmt leaves it alone.\n#[rustfmt::skip]\n#[allow(clippy::all, clippy::pedantic, non_camel_case_types)]\nmod generated;\n\npub use generated::*;\n",
        title = crate::docs::one_line(title),
        api = m.api,
    )
}

/// The facade's `Cargo.toml`: one optional dependency and feature per API.
/// Its version follows its clients (`surface::release`).
pub fn facade_manifest(entries: &[FacadeEntry], version: &semver::Version) -> String {
    let mut out = String::from(
        "# @generated by `cargo xtask generate` from specs/*/.\n# Do not edit by hand: add or change an API folder under specs/, then run `cargo xtask generate`.\n\n",
    );
    let _ = write!(
        out,
        "[package]\nname = \"{FACADE_PACKAGE}\"\nversion = \"{version}\"\ndescription = \"One crate for every generated API client, each behind a cargo feature named after its API.\"\nedition.workspace = true\nrust-version.workspace = true\nlicense.workspace = true\npublish.workspace = true\n\n[features]\ndefault = [{}\"tls-aws-lc\"]\n",
        entries
            .iter()
            .map(|e| format!("\"{}\", ", e.manifest.module))
            .collect::<String>()
    );
    // The TLS provider, for every client that is on (README, "TLS").
    for tls in TLS_FEATURES {
        let _ = writeln!(
            out,
            "{tls} = [{}]",
            entries
                .iter()
                .filter(|e| e.features.iter().any(|f| f == tls))
                .map(|e| format!("\"{}?/{tls}\"", e.manifest.crate_name))
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    let mut passed = Vec::new();
    for e in entries {
        match e.has_tags() {
            true => {
                let _ = writeln!(
                    out,
                    "{} = [\"dep:{}\", \"{}/full\"]",
                    e.manifest.module, e.manifest.crate_name, e.manifest.crate_name
                );
            }
            false => {
                let _ = writeln!(out, "{} = [\"dep:{}\"]", e.manifest.module, e.manifest.crate_name);
            }
        }
        for f in e.passed_features() {
            let name = format!("{}-{f}", e.manifest.module);
            let _ = writeln!(
                out,
                "{name} = [\"{}\", \"{}/{f}\"]",
                e.manifest.module, e.manifest.crate_name
            );
            passed.push(name);
        }
    }
    out.push_str("\n[dependencies]\n");
    for e in entries {
        let _ = writeln!(
            out,
            "{} = {{ path = \"../{}\", optional = true, default-features = false }}",
            e.manifest.crate_name, e.manifest.api
        );
    }
    if !passed.is_empty() {
        // The README's examples are this crate's doctests: they compile
        // with every client's features on.
        let _ = write!(
            out,
            "\n[dev-dependencies]\n{FACADE_PACKAGE} = {{ path = \".\", features = [{}] }}\n",
            passed
                .iter()
                .map(|p| format!("\"{p}\""))
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    out
}

/// The facade's `src/lib.rs`: a re-export per API, behind its feature.
pub fn facade_lib(entries: &[FacadeEntry]) -> String {
    let mut out = rust_header("specs/*/");
    out.push_str("//! Every generated API client, each behind a cargo feature named after its\n//! API (all on by default). Turn off default features and pick the ones you\n//! use to compile only those clients:\n//!\n");
    for e in entries {
        let _ = writeln!(
            out,
            "//! - `{}`: the {} (crate `{}`).",
            e.manifest.module,
            crate::docs::one_line(&e.title),
            e.manifest.crate_name
        );
        for f in e.passed_features() {
            let _ = writeln!(
                out,
                "//!   - `{}-{f}`: its `{f}` feature (off by default).",
                e.manifest.module
            );
        }
    }
    out.push_str("//!\n//! And the TLS crypto provider of every client that is on (README, \"TLS: which\n//! provider\"); with neither, the application installs one before building a\n//! client:\n//!\n//! - `tls-aws-lc` (default): aws-lc-rs, post-quantum key exchange\n//!   (X25519MLKEM768) preferred; builds C code.\n//! - `tls-ring`: ring, classical key exchange; no C toolchain, a faster cold\n//!   build.\n");
    out.push_str("//!\n//! Every client bounds the response bodies it reads whole (a JSON success, an\n//! error): 64 MiB by default (`usergroup_client_core::DEFAULT_MAX_RESPONSE_BODY`),\n//! `ClientBuilder::max_response_body` for a client, `.max_response_body(..)` on a\n//! request value for one call. A body over the limit is `Error::BodyTooLarge`\n//! and its connection is dropped; a `Content-Length` over it is refused before\n//! anything is read. Downloads (`ByteStream`) are read as they arrive, unbounded\n//! (README, \"Bounded bodies\").\n");
    out.push_str("\n#![cfg_attr(docsrs, feature(doc_cfg))]\n");
    out.push_str("\n/// The README's examples, compiled as doctests.\n#[cfg(doctest)]\n#[doc = include_str!(\"../../../README.md\")]\npub struct ReadmeDoctests;\n");
    for e in entries {
        let _ = write!(
            out,
            "\n/// The {title}: `{module}::Client` and its types.\n#[cfg(feature = \"{module}\")]\npub use {krate} as {module};\n",
            title = crate::docs::one_line(&e.title),
            module = e.manifest.module,
            krate = e.manifest.crate_name.replace('-', "_"),
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(api: &str, features: &[&str]) -> FacadeEntry {
        FacadeEntry {
            manifest: Manifest::defaults(api),
            title: format!("{api} API"),
            features: features.iter().map(|f| f.to_string()).collect(),
        }
    }

    #[test]
    fn a_crates_features_are_read_but_default() {
        let toml =
            "[package]\nname = \"x\"\n\n[features]\ndefault = []\nbot-auth = [\"dep:ring\"]\nalpha = []\n";
        assert_eq!(
            crate_features(toml, "x/Cargo.toml").unwrap(),
            ["alpha", "bot-auth"]
        );
        let tagged = "[features]\ndefault = [\"full\"]\nmock = []\nfull = [\"repos\", \"teams\"]\nrepos = []\nteams = []\n";
        assert_eq!(crate_features(tagged, "x/Cargo.toml").unwrap(), ["full", "mock"]);
        assert!(
            crate_features("[package]\nname = \"x\"\n", "x/Cargo.toml")
                .unwrap()
                .is_empty()
        );
        let e = crate_features("[features\n", "crates/x/Cargo.toml")
            .unwrap_err()
            .to_string();
        assert!(e.contains("crates/x/Cargo.toml") && e.contains("help:"), "{e}");
    }

    #[test]
    fn the_facade_passes_each_clients_features_through_and_its_doctests_use_them() {
        let version = semver::Version::new(0, 1, 0);
        let toml = facade_manifest(&[entry("pod", &["bot-auth"]), entry("plain", &[])], &version);
        let parsed: toml::Table = toml::from_str(&toml).unwrap();
        let features = parsed["features"].as_table().unwrap();
        assert_eq!(
            features["pod-bot-auth"].as_array().unwrap(),
            &vec![toml::Value::from("pod"), toml::Value::from("pod-client/bot-auth")]
        );
        assert!(!features.contains_key("plain-default"));
        let dev = parsed["dev-dependencies"][FACADE_PACKAGE]["features"]
            .as_array()
            .unwrap();
        assert_eq!(dev, &vec![toml::Value::from("pod-bot-auth")]);
        // Without features to pass, no self dev-dependency.
        let plain: toml::Table = toml::from_str(&facade_manifest(&[entry("plain", &[])], &version)).unwrap();
        assert!(!plain.contains_key("dev-dependencies"));
        assert!(facade_lib(&[entry("pod", &["bot-auth"])]).contains("`pod-bot-auth`"));
        // A client with per-tag features: the facade turns on its `full`.
        let big: toml::Table =
            toml::from_str(&facade_manifest(&[entry("big", &["full", "mock"])], &version)).unwrap();
        let features = big["features"].as_table().unwrap();
        assert_eq!(
            features["big"].as_array().unwrap(),
            &vec![
                toml::Value::from("dep:big-client"),
                toml::Value::from("big-client/full")
            ]
        );
        assert!(!features.contains_key("big-full"));
        assert!(features.contains_key("big-mock"));
    }

    #[test]
    fn the_tls_features_go_to_every_client_that_declares_them_and_no_other() {
        let version = semver::Version::new(0, 1, 0);
        let toml = facade_manifest(
            &[
                entry("new", &["tls-aws-lc", "tls-ring"]),
                entry("old", &["bot-auth"]),
            ],
            &version,
        );
        let parsed: toml::Table = toml::from_str(&toml).unwrap();
        let features = parsed["features"].as_table().unwrap();
        assert_eq!(
            features["tls-ring"].as_array().unwrap(),
            &vec![toml::Value::from("new-client?/tls-ring")]
        );
        assert!(
            features["default"]
                .as_array()
                .unwrap()
                .contains(&toml::Value::from("tls-aws-lc"))
        );
        assert!(!features.contains_key("new-tls-ring"), "{toml}");
        let dependency = &parsed["dependencies"]["new-client"];
        assert_eq!(dependency["default-features"].as_bool(), Some(false), "{toml}");
        assert!(!facade_lib(&[entry("new", &["tls-ring"])]).contains("`new-tls-ring`"));
    }
}
