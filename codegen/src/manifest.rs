//! The optional per-API manifest (`specs/<api>/manifest.toml`): overrides the
//! defaults that the folder name implies. Unknown keys are errors.

use std::path::Path;

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::error::{Diagnostic, Result};
use crate::load::line_col;

/// The manifest's file name inside an API folder.
pub const FILE_NAME: &str = "manifest.toml";

/// How generated methods take their arguments.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Interface {
    /// `client.op(a, b, &body)`.
    #[default]
    Positional,
    /// `client.op().a(a).b(b).body(body).send()`.
    Builder,
}

/// How OpenAPI tags shape the generated client.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Tags {
    /// One `Client` with every operation.
    #[default]
    Merged,
    /// A trait per tag (needs `interface = "builder"`).
    Separate,
}

/// Whether the crate must implement `ClientHooks` itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Hooks {
    /// progenitor's default hooks apply unless the crate overrides them.
    #[default]
    Optional,
    /// The crate's `lib.rs` must `impl ClientHooks<Inner> for Client`.
    Expected,
}

/// What to do when an operation's request body has several media types.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum RequestMedia {
    /// Keep the JSON body (else the first one progenitor can send).
    #[default]
    PreferJson,
    /// Refuse the operation.
    Error,
}

/// What to do when an operation's success responses have different types.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum SuccessResponses {
    /// Every success response becomes raw bytes (`ByteStream`).
    #[default]
    Raw,
    /// Refuse the operation.
    Error,
}

/// What to do when an operation's error responses have different types.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum ErrorResponses {
    /// One error type: the JSON error schemas as a `oneOf`; body-less or
    /// non-JSON error responses are left undeclared (they reach the caller
    /// as an unexpected response, with their status).
    #[default]
    Merge,
    /// Every error response becomes raw bytes.
    Raw,
    /// Refuse the operation.
    Error,
}

/// What to do with an operation progenitor cannot take even after the
/// adaptations above.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum Unsupported {
    /// Stop with an error naming the operation.
    #[default]
    Error,
    /// Leave the operation out, and list it with its reason.
    Skip,
}

/// How the adapt stage turns what progenitor cannot take into what it can.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Policies {
    /// Several request media types.
    #[serde(default)]
    pub request_media: RequestMedia,
    /// Differently typed success responses.
    #[serde(default)]
    pub success_responses: SuccessResponses,
    /// Differently typed error responses.
    #[serde(default)]
    pub error_responses: ErrorResponses,
    /// What is left.
    #[serde(default)]
    pub unsupported: Unsupported,
}

/// The settings of one API, after defaults.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Manifest {
    /// The folder name under `specs/`.
    pub api: String,
    /// The Cargo package name of the client crate.
    pub crate_name: String,
    /// The facade's module and feature name.
    pub module: String,
    /// Argument style of generated methods.
    pub interface: Interface,
    /// Tag handling.
    pub tags: Tags,
    /// Type of the generated `Client`'s `inner` field, if any.
    pub inner_type: Option<String>,
    /// Whether `ClientHooks` must be implemented by hand.
    pub hooks: Hooks,
    /// Extra derives on every generated type.
    pub derives: Vec<String>,
    /// progenitor's request timeout, in seconds, for `Client::new`.
    pub timeout_secs: Option<u64>,
    /// Schemas replaced by hand-written types (schema name -> Rust path),
    /// e.g. an open enum that keeps values the vendor adds later. The type
    /// must implement Serialize, Deserialize, Clone, Debug, Display, FromStr.
    pub replace: BTreeMap<String, String>,
    /// The adapt stage's policies.
    pub policies: Policies,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    crate_name: Option<String>,
    module: Option<String>,
    #[serde(default)]
    interface: Interface,
    #[serde(default)]
    tags: Tags,
    inner_type: Option<String>,
    #[serde(default)]
    hooks: Hooks,
    #[serde(default)]
    derives: Vec<String>,
    timeout_secs: Option<u64>,
    #[serde(default)]
    replace: BTreeMap<String, String>,
    #[serde(default)]
    policies: Policies,
}

impl Manifest {
    /// The defaults for an API folder with no manifest.
    pub fn defaults(api: &str) -> Self {
        Self::from_raw(api, Raw::default())
    }

    fn from_raw(api: &str, raw: Raw) -> Self {
        Self {
            api: api.to_string(),
            crate_name: raw.crate_name.unwrap_or_else(|| format!("{api}-client")),
            module: raw.module.unwrap_or_else(|| api.replace('-', "_")),
            interface: raw.interface,
            tags: raw.tags,
            inner_type: raw.inner_type,
            hooks: raw.hooks,
            derives: raw.derives,
            timeout_secs: raw.timeout_secs,
            replace: raw.replace,
            policies: raw.policies,
        }
    }

    /// Reads `manifest.toml` from an API folder, or the defaults if absent.
    pub fn read(api: &str, dir: &Path, shown_dir: &str) -> Result<Self> {
        let path = dir.join(FILE_NAME);
        if !path.exists() {
            return Ok(Self::defaults(api));
        }
        let shown = format!("{shown_dir}/{FILE_NAME}");
        let text = crate::load::read_text(&path, &shown)?;
        Self::parse(api, &text, &shown)
    }

    /// Parses manifest text and checks its values.
    pub fn parse(api: &str, text: &str, shown: &str) -> Result<Self> {
        let raw: Raw = toml::from_str(text).map_err(|e| {
            let (line, col) = e.span().map_or((1, 1), |s| line_col(text, s.start));
            Diagnostic::line_col(shown, line, col, format!("invalid manifest: {}", e.message().trim()))
                .help("the keys are crate_name, module, interface, tags, inner_type, hooks, derives, timeout_secs, [replace] and [policies] (see README)")
        })?;
        let manifest = Self::from_raw(api, raw);
        manifest.check(shown)?;
        Ok(manifest)
    }

    fn check(&self, shown: &str) -> Result<()> {
        if self.interface == Interface::Positional && self.tags == Tags::Separate {
            return Err(Diagnostic::file(shown, "`tags = \"separate\"` needs `interface = \"builder\"`")
                .help("progenitor cannot generate positional methods with separate tags; pick one of the two")
                .into());
        }
        if !is_package_name(&self.crate_name) {
            return Err(Diagnostic::file(
                shown,
                format!(
                    "`crate_name = \"{}\"` is not a valid Cargo package name",
                    self.crate_name
                ),
            )
            .help("use lowercase letters, digits, `-` and `_`, starting with a letter")
            .into());
        }
        if !is_module_name(&self.module) {
            return Err(Diagnostic::file(
                shown,
                format!("`module = \"{}\"` is not a valid Rust module name", self.module),
            )
            .help("use lowercase letters, digits and `_`, starting with a letter, and no keyword")
            .into());
        }
        for path in self
            .inner_type
            .iter()
            .chain(&self.derives)
            .chain(self.replace.values())
        {
            if syn::parse_str::<syn::Path>(path).is_err() {
                return Err(Diagnostic::file(shown, format!("`{path}` is not a Rust path"))
                    .help("write a type or derive path such as `crate::Session` or `PartialEq`")
                    .into());
            }
        }
        Ok(())
    }
}

/// Whether `name` can be a Cargo package name of ours.
pub fn is_package_name(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_lowercase())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
}

/// Whether `name` can be a Rust module (and cargo feature) name.
pub fn is_module_name(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_lowercase())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && syn::parse_str::<syn::Ident>(name).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_come_from_the_folder_name() {
        let m = Manifest::defaults("my-api");
        assert_eq!(m.crate_name, "my-api-client");
        assert_eq!(m.module, "my_api");
        assert_eq!(m.interface, Interface::Positional);
    }

    #[test]
    fn keys_override_defaults() {
        let m = Manifest::parse("x", "crate_name = \"x-sdk\"\ninterface = \"builder\"\ntags = \"separate\"\nderives = [\"PartialEq\"]\n[replace]\nRole = \"crate::Role\"\n", "m.toml").unwrap();
        assert_eq!(m.replace["Role"], "crate::Role");
        assert_eq!(m.crate_name, "x-sdk");
        assert_eq!(m.tags, Tags::Separate);
        assert_eq!(m.derives, ["PartialEq"]);
    }

    #[test]
    fn policies_default_to_adapting_and_can_be_changed() {
        assert_eq!(Manifest::defaults("x").policies, Policies::default());
        assert_eq!(
            Policies::default(),
            Policies {
                request_media: RequestMedia::PreferJson,
                success_responses: SuccessResponses::Raw,
                error_responses: ErrorResponses::Merge,
                unsupported: Unsupported::Error,
            }
        );
        let m = Manifest::parse(
            "x",
            "[policies]\nunsupported = \"skip\"\nerror_responses = \"raw\"\n",
            "m",
        )
        .unwrap();
        assert_eq!(m.policies.unsupported, Unsupported::Skip);
        assert_eq!(m.policies.error_responses, ErrorResponses::Raw);
        assert_eq!(m.policies.success_responses, SuccessResponses::Raw);
    }

    /// Each bad manifest is refused with one diagnostic: the file, the
    /// line and column when TOML knows them, what is wrong, and a help line.
    #[test]
    fn bad_manifests_are_refused_with_the_place_and_what_is_wrong() {
        let cases = [
            (
                "crate_name = \"x\"\ncrate-name = \"y\"\n",
                "specs/x/manifest.toml:2:1: invalid manifest: unknown field `crate-name`, expected one of `crate_name`, `module`, `interface`, `tags`, `inner_type`, `hooks`, `derives`, `timeout_secs`, `replace`, `policies`",
            ),
            (
                "[policies]\nunsuported = \"skip\"\n",
                "specs/x/manifest.toml:2:1: invalid manifest: unknown field `unsuported`, expected one of `request_media`, `success_responses`, `error_responses`, `unsupported`",
            ),
            (
                "interface = \"sideways\"",
                "specs/x/manifest.toml:1:13: invalid manifest: unknown variant `sideways`, expected `positional` or `builder`",
            ),
            (
                "timeout_secs = -1",
                "specs/x/manifest.toml:1:16: invalid manifest: invalid value: integer `-1`, expected u64",
            ),
            (
                "tags = \"separate\"",
                "specs/x/manifest.toml: `tags = \"separate\"` needs `interface = \"builder\"`",
            ),
            (
                "crate_name = \"Bad Name\"",
                "specs/x/manifest.toml: `crate_name = \"Bad Name\"` is not a valid Cargo package name",
            ),
            (
                "module = \"type\"",
                "specs/x/manifest.toml: `module = \"type\"` is not a valid Rust module name",
            ),
            (
                "inner_type = \"not a path\"",
                "specs/x/manifest.toml: `not a path` is not a Rust path",
            ),
            (
                "derives = [\"Partial Eq\"]",
                "specs/x/manifest.toml: `Partial Eq` is not a Rust path",
            ),
            (
                "[replace]\nRole = \"a b\"",
                "specs/x/manifest.toml: `a b` is not a Rust path",
            ),
        ];
        for (text, expected) in cases {
            let err = Manifest::parse("x", text, "specs/x/manifest.toml").unwrap_err();
            let [d] = err.diagnostics() else {
                panic!("{text:?}: one diagnostic expected:\n{err}")
            };
            let shown = d.to_string();
            let (first, help) = shown.split_once("\n  help: ").unwrap_or((&shown, ""));
            assert_eq!(first, expected, "for {text:?}");
            assert!(!help.is_empty(), "{text:?}: no help line");
        }
    }
}
