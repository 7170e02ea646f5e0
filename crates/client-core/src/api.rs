//! The static description of one API that the generator writes into each
//! client crate: its servers, security schemes, fixed headers and, per
//! operation, the method, path template, declared query parameters and
//! security requirements. The runtime reads it to authenticate each call
//! and to check the URL that actually leaves against the template.

/// One API, as its spec (and manifest) describe it.
#[derive(Debug)]
pub struct Api {
    /// The spec's `info.title`.
    pub title: &'static str,
    /// The default base URL, from the spec's `servers`, when one is usable.
    pub default_base_url: Option<&'static str>,
    /// Why there is no default base URL (shown by `build()`).
    pub no_default_reason: &'static str,
    /// The security schemes, in the order operations refer to them.
    pub schemes: &'static [Scheme],
    /// The operations, in the order the client's methods refer to them.
    pub operations: &'static [Operation],
    /// Fixed headers the vendor requires on every request (from the
    /// manifest): lowercase name, value.
    pub headers: &'static [(&'static str, &'static str)],
    /// The `User-Agent` sent unless the caller sets one.
    pub user_agent: &'static str,
    /// The default timeout of a whole request, in seconds.
    pub timeout_secs: u64,
}

/// A security scheme: where its credential goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Scheme {
    /// The scheme's key under `components.securitySchemes`.
    pub key: &'static str,
    /// Where and how the credential is sent.
    pub kind: SchemeKind,
}

/// Where a credential goes on the request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SchemeKind {
    /// `apiKey` in a header: the header's name.
    Header(&'static str),
    /// `apiKey` in the query: the parameter's name.
    Query(&'static str),
    /// `apiKey` in a cookie: the cookie's name.
    Cookie(&'static str),
    /// `http` bearer, `oauth2`, `openIdConnect`: `Authorization: Bearer <token>`.
    Bearer,
    /// `http` basic: `Authorization: Basic base64(user:password)`.
    Basic,
    /// Another `http` scheme: `Authorization: <scheme> <token>`.
    Authorization(&'static str),
}

/// One operation of the API.
#[derive(Debug)]
pub struct Operation {
    /// The client method's name (the operationId in snake case).
    pub id: &'static str,
    /// The HTTP method, uppercase.
    pub method: &'static str,
    /// The path template, such as `/orgs/{org}/teams/{team_slug}`.
    pub path: &'static str,
    /// The declared query parameters' names (sent as `name=value`).
    pub query: &'static [&'static str],
    /// The declared `style: deepObject` query parameters' names (sent as
    /// `name[key]=value`, and only so).
    pub deep_query: &'static [&'static str],
    /// The request body's declared content type, when it is JSON under
    /// another name (`application/merge-patch+json`): progenitor sends
    /// `application/json`, the hooks put this on instead.
    pub content_type: Option<&'static str>,
    /// The security requirements: any one alternative suffices, and an
    /// alternative needs every scheme it lists (indexes into
    /// [`Api::schemes`]). Empty: no credential is sent.
    pub security: &'static [&'static [usize]],
}

impl Api {
    /// The operation with this index, if there is one.
    pub fn operation(&self, index: usize) -> Option<&'static Operation> {
        self.operations.get(index)
    }
}
