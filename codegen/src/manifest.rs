//! The optional per-API manifest (`specs/<api>/manifest.toml`): overrides the
//! defaults that the folder name implies. Unknown keys are errors.

use std::path::Path;

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::error::{Diagnostic, Result};
use crate::load::line_col;

/// The default timeout of a whole request, in seconds.
pub const DEFAULT_TIMEOUT_SECS: u64 = 30;

/// The manifest's file name inside an API folder.
pub const FILE_NAME: &str = "manifest.toml";

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
    /// The method returns a per-operation enum (`responses::<Op>`), one
    /// variant per documented success status, each with its typed body;
    /// raw bytes only where a success body is bytes in the spec.
    #[default]
    Typed,
    /// Every success response becomes raw bytes (`ByteStream`): an opt-out.
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
/// adaptations above: the spelling of [`Policies::strict`] before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Unsupported {
    /// `strict = true`.
    Error,
    /// `strict = false`, the default.
    Skip,
}

/// What to do with an operation that has no operationId.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum OperationNames {
    /// Name it from its method and path, with a note.
    #[default]
    Synthesize,
    /// Refuse the operation.
    Error,
}

/// What to do with a `$ref` to a schema the document does not define.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum DanglingRefs {
    /// Refuse the API, with the overlay action that fixes it.
    #[default]
    Error,
    /// The missing schema is any JSON (`serde_json::Value`), with a note.
    Any,
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
    /// Whether an error that belongs to one operation, parameter, media
    /// type or schema refuses the whole API (`true`) or costs only that
    /// scope, with a note (`false`, the default). `--strict` sets it for
    /// every API.
    #[serde(default)]
    pub strict: bool,
    /// The older spelling of `strict`: `"error"` is `strict = true`.
    #[serde(default)]
    pub unsupported: Option<Unsupported>,
    /// Operations without an operationId.
    #[serde(default)]
    pub operation_names: OperationNames,
    /// Schema references that point at nothing.
    #[serde(default)]
    pub dangling_refs: DanglingRefs,
    /// Above how many operations the crate gets a cargo feature per tag.
    #[serde(default)]
    pub tag_features_over: TagFeaturesOver,
    /// How many operations an API may have: a guard for the machine.
    #[serde(default)]
    pub max_operations: MaxOperations,
}

impl Policies {
    /// Whether a scoped error refuses the whole API: `strict = true`, or
    /// its older spelling `unsupported = "error"`.
    pub fn is_strict(&self) -> bool {
        self.strict || self.unsupported == Some(Unsupported::Error)
    }
}

/// Above how many operations a client crate gets one cargo feature per tag
/// (`crate::features`); 150 unless the manifest says otherwise.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(transparent)]
pub struct TagFeaturesOver(pub usize);

impl Default for TagFeaturesOver {
    fn default() -> Self {
        Self(150)
    }
}

/// How many operations an API may have before it is refused (a guard for
/// the machine that generates it: time and memory grow with the
/// operations); [`crate::limits::MAX_OPERATIONS`] unless the manifest says
/// otherwise.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(transparent)]
pub struct MaxOperations(pub usize);

impl Default for MaxOperations {
    fn default() -> Self {
        Self(crate::limits::MAX_OPERATIONS)
    }
}

/// How an operation pages, in a `[pagination.<operationId>]` entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum PageStyle {
    /// The `Link` response header's `rel="next"`.
    Link,
    /// A body field holding the next page's URL (`field`).
    NextUrl,
    /// A body field holding a cursor (`field`), sent back in `param`.
    Cursor,
    /// A page number in `param`.
    Page,
    /// An item offset in `param`.
    Offset,
    /// Not paginated, whatever the spec suggests.
    None,
}

/// One `[pagination.<operationId>]` entry: how the operation pages where
/// the spec is too vague, or otherwise than detected. Places in the body
/// are JSON pointers (`/response_metadata/next_cursor`; `""` is the body).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PageEntry {
    /// How the next page is asked for.
    pub style: PageStyle,
    /// The query parameter a cursor, page number or offset goes in.
    pub param: Option<String>,
    /// Where the cursor or next URL is in the body.
    pub field: Option<String>,
    /// Where the items are in the body (a top-level array field, or `""`
    /// for a body that is the array); detected when left out.
    pub items: Option<String>,
    /// The page-size query parameter (`page`, `offset`).
    pub size: Option<String>,
    /// Where the total number of items is in the body (`page`, `offset`).
    pub total: Option<String>,
}

/// How one security scheme's credential is made, where the spec cannot
/// say it (`[auth.<scheme>]`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct AuthHook {
    /// A Rust function `fn(&str, &Secret) -> Secret` in the client crate
    /// that turns a user and password into the whole `Authorization`
    /// header value (Capillary: `Basic base64(user:md5hex(password))`).
    pub encode: Option<String>,
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
    /// Extra derives on every generated type.
    pub derives: Vec<String>,
    /// The default timeout of a whole request, in seconds.
    pub timeout_secs: u64,
    /// The default `User-Agent`; `None`: `<crate>/<version>`.
    pub user_agent: Option<String>,
    /// Fixed headers the vendor requires on every request (the spec cannot
    /// say them): name, value.
    pub headers: BTreeMap<String, String>,
    /// Per security scheme, how its credential is made.
    pub auth: BTreeMap<String, AuthHook>,
    /// Schemas replaced by hand-written types (schema name -> Rust path),
    /// e.g. an open enum that keeps values the vendor adds later. The type
    /// must implement Serialize, Deserialize, Clone, Debug, Display, FromStr.
    pub replace: BTreeMap<String, String>,
    /// The adapt stage's policies.
    pub policies: Policies,
    /// How operations page, by operationId, where the spec is too vague
    /// or detection is wrong.
    pub pagination: BTreeMap<String, PageEntry>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    crate_name: Option<String>,
    module: Option<String>,
    #[serde(default)]
    derives: Vec<String>,
    timeout_secs: Option<u64>,
    user_agent: Option<String>,
    #[serde(default)]
    headers: BTreeMap<String, String>,
    #[serde(default)]
    auth: BTreeMap<String, AuthHook>,
    #[serde(default)]
    replace: BTreeMap<String, String>,
    #[serde(default)]
    policies: Policies,
    #[serde(default)]
    pagination: BTreeMap<String, PageEntry>,
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
            // A folder named after a keyword (Box's `box`) is a module `box_`.
            module: raw
                .module
                .unwrap_or_else(|| crate::ident::not_keyword(api.replace('-', "_"))),
            derives: raw.derives,
            timeout_secs: raw.timeout_secs.unwrap_or(DEFAULT_TIMEOUT_SECS),
            user_agent: raw.user_agent,
            headers: raw.headers,
            auth: raw.auth,
            replace: raw.replace,
            policies: raw.policies,
            pagination: raw.pagination,
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
                .help("the keys are crate_name, module, derives, timeout_secs, user_agent, [headers], [auth.<scheme>], [replace], [policies] and [pagination.<operationId>] (see README, \"The manifest\")")
        })?;
        let manifest = Self::from_raw(api, raw);
        manifest.check(shown)?;
        Ok(manifest)
    }

    fn check(&self, shown: &str) -> Result<()> {
        if self.timeout_secs == 0 {
            return Err(
                Diagnostic::file(shown, "`timeout_secs = 0` would time out every request")
                    .help("give a number of seconds, or leave the key out for 30")
                    .into(),
            );
        }
        for (name, value) in &self.headers {
            if !is_header_name(name) {
                return Err(Diagnostic::file(
                    shown,
                    format!("[headers] `{name}` is not a valid header name"),
                )
                .help("use letters, digits and `-`")
                .into());
            }
            if !is_header_value(value) {
                return Err(Diagnostic::file(
                    shown,
                    format!("[headers] the value of `{name}` has characters a header cannot carry"),
                )
                .help("use printable ASCII without control characters")
                .into());
            }
        }
        if let Some(agent) = &self.user_agent
            && (agent.trim().is_empty() || !is_header_value(agent))
        {
            return Err(
                Diagnostic::file(shown, "`user_agent` must be printable ASCII and not empty")
                    .help("name the client and its version, such as `acme-client/1.0`")
                    .into(),
            );
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
            .derives
            .iter()
            .chain(self.replace.values())
            .chain(self.auth.values().filter_map(|a| a.encode.as_ref()))
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

fn is_header_name(name: &str) -> bool {
    !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

fn is_header_value(value: &str) -> bool {
    value.bytes().all(|b| (b' '..=b'~').contains(&b))
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
        // A keyword folder (Box's API in `box/`) is not refused: its module
        // and feature are `box_`, with or without a manifest.
        assert_eq!(Manifest::defaults("box").module, "box_");
        assert_eq!(
            Manifest::parse("box", "timeout_secs = 5", "box/manifest.toml")
                .unwrap()
                .module,
            "box_"
        );
        assert_eq!(m.timeout_secs, 30);
        assert_eq!(m.user_agent, None);
        assert!(m.headers.is_empty() && m.auth.is_empty());
        assert_eq!(m.policies.operation_names, OperationNames::Synthesize);
    }

    #[test]
    fn keys_override_defaults() {
        let m = Manifest::parse(
            "x",
            "crate_name = \"x-sdk\"\nderives = [\"PartialEq\"]\nuser_agent = \"x/1\"\ntimeout_secs = 5\n[headers]\nX-Api-Version = \"2\"\n[auth.basicAuth]\nencode = \"crate::md5_basic\"\n[replace]\nRole = \"crate::Role\"\n",
            "m.toml",
        )
        .unwrap();
        assert_eq!(m.replace["Role"], "crate::Role");
        assert_eq!(m.crate_name, "x-sdk");
        assert_eq!(m.derives, ["PartialEq"]);
        assert_eq!(m.user_agent.as_deref(), Some("x/1"));
        assert_eq!(m.timeout_secs, 5);
        assert_eq!(m.headers["X-Api-Version"], "2");
        assert_eq!(m.auth["basicAuth"].encode.as_deref(), Some("crate::md5_basic"));
    }

    #[test]
    fn policies_default_to_adapting_and_can_be_changed() {
        assert_eq!(Manifest::defaults("x").policies, Policies::default());
        assert_eq!(
            Policies::default(),
            Policies {
                request_media: RequestMedia::PreferJson,
                success_responses: SuccessResponses::Typed,
                error_responses: ErrorResponses::Merge,
                strict: false,
                unsupported: None,
                operation_names: OperationNames::Synthesize,
                dangling_refs: DanglingRefs::Error,
                tag_features_over: TagFeaturesOver(150),
                max_operations: MaxOperations(crate::limits::MAX_OPERATIONS),
            }
        );
        let m = Manifest::parse(
            "x",
            "[policies]\nunsupported = \"skip\"\nerror_responses = \"raw\"\noperation_names = \"error\"\ndangling_refs = \"any\"\ntag_features_over = 10\nmax_operations = 40000\n",
            "m",
        )
        .unwrap();
        assert_eq!(m.policies.unsupported, Some(Unsupported::Skip));
        assert!(!m.policies.is_strict());
        assert!(
            Manifest::parse("x", "[policies]\nunsupported = \"error\"\n", "m")
                .unwrap()
                .policies
                .is_strict()
        );
        assert!(
            Manifest::parse("x", "[policies]\nstrict = true\n", "m")
                .unwrap()
                .policies
                .is_strict()
        );
        assert!(!Manifest::defaults("x").policies.is_strict());
        assert_eq!(m.policies.error_responses, ErrorResponses::Raw);
        assert_eq!(m.policies.success_responses, SuccessResponses::Typed);
        assert_eq!(m.policies.operation_names, OperationNames::Error);
        assert_eq!(m.policies.dangling_refs, DanglingRefs::Any);
        assert_eq!(m.policies.tag_features_over, TagFeaturesOver(10));
        assert_eq!(m.policies.max_operations, MaxOperations(40_000));
    }

    /// Each bad manifest is refused with one diagnostic: the file, the
    /// line and column when TOML knows them, what is wrong, and a help line.
    #[test]
    fn an_unknown_key_names_its_line_and_column() {
        let cases = [
            (
                "crate_name = \"x\"\ncrate-name = \"y\"\n",
                "specs/x/manifest.toml:2:1",
                "unknown field `crate-name`",
            ),
            (
                "[policies]\nunsuported = \"skip\"\n",
                "specs/x/manifest.toml:2:1",
                "unknown field `unsuported`",
            ),
            (
                "interface = \"builder\"\n",
                "specs/x/manifest.toml:1:1",
                "unknown field `interface`",
            ),
            (
                "[auth.basic]\nencoder = \"f\"\n",
                "specs/x/manifest.toml:2:1",
                "unknown field `encoder`",
            ),
        ];
        for (text, place, message) in cases {
            let err = Manifest::parse("x", text, "specs/x/manifest.toml")
                .unwrap_err()
                .to_string();
            assert!(err.contains(place), "{err}");
            assert!(err.contains(message), "{err}");
            assert!(err.contains("help: the keys are crate_name"), "{err}");
        }
    }

    #[test]
    fn bad_values_are_refused_with_their_reason() {
        let cases = [
            (
                "crate_name = \"Bad Name\"",
                "`crate_name = \"Bad Name\"` is not a valid Cargo package name",
            ),
            (
                "module = \"type\"",
                "`module = \"type\"` is not a valid Rust module name",
            ),
            ("derives = [\"not a path\"]", "`not a path` is not a Rust path"),
            ("[auth.b]\nencode = \"fn()\"", "`fn()` is not a Rust path"),
            (
                "timeout_secs = 0",
                "`timeout_secs = 0` would time out every request",
            ),
            (
                "[headers]\n\"X Bad\" = \"1\"",
                "[headers] `X Bad` is not a valid header name",
            ),
            (
                "[headers]\nX-Ok = \"a\\nb\"",
                "[headers] the value of `X-Ok` has characters a header cannot carry",
            ),
            (
                "user_agent = \" \"",
                "`user_agent` must be printable ASCII and not empty",
            ),
        ];
        for (text, message) in cases {
            let err = Manifest::parse("x", text, "m").unwrap_err().to_string();
            assert!(err.contains(message), "{text}: {err}");
        }
        let err = Manifest::parse("x", "[policies]\nunsupported = \"sometimes\"", "m")
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("unknown variant `sometimes`, expected `error` or `skip`"),
            "{err}"
        );
    }
}
