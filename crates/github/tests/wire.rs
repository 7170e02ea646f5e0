//! Wire tests for the GitHub client: a real HTTP server on 127.0.0.1 stands in for
//! `api.github.com`, and every test goes through the public API a downstream user calls (a
//! builder, `.bearer_auth(..)`, `.build()`, then the client's methods).
//!
//! Each test pins one behaviour: the request as it arrives (method, exact path, headers GitHub
//! requires, JSON body), what the caller gets back for every documented status, statuses and
//! bodies the spec does not describe, rate limits, network failures and timeouts, membership
//! states and roles GitHub may add later, credentials that never print, path values that cannot
//! escape their segment, and redirects that stay in one origin.
//!
//! # On the generated mock
//!
//! Thirteen tests run on the crate's own generated mock (`github_client::mock`, the `mock`
//! feature), as a downstream user's tests would: both operations' requests and 200 answers (with
//! the snapshots), an omitted role, a GitHub Enterprise path prefix with a custom User-Agent (a
//! mock started at `/api/v3`), a state and a role GitHub may add later (received and sent),
//! every documented and an undeclared error status with GitHub's body, GitHub's rate-limit
//! headers on a 200 and on a secondary-rate-limit 403, GitHub's validation errors, a basic error
//! without them, a `{}` error body, a replaced token, and a backslash climb that sends nothing.
//! Each expectation names the operation and its exact typed inputs (org, team, username or ids,
//! and the body, written by the client's own serializers) and how often (`times`), a request
//! nothing expects fails the test, and the answer is checked against the spec when it is built:
//! a documented status, a body that decodes, a documented header (an undeclared 401, which
//! `Then::documents` tells apart, goes through `Then::raw`). Where a test is about decoding, the
//! answer is GitHub's JSON (`Then::json`), so that the wire names are tested rather than the
//! generated types' own serializer; the others answer a membership built from the generated
//! types (`Then::ok`). The clients are the mock's (`server.client_builder()`) with this file's
//! token. Every test that sends a request asserts it as it arrived, body byte for byte
//! (`assert_github_request` on `server.received()`, through `wire_testing::only` for one
//! request; `wire_testing::assert_none` where nothing may be sent).
//!
//! The other ten are the behaviours every client shares, written once in `wire_testing::checks`
//! (an HTML or empty error body, a body off the schema, rate-limit headers, a refused connection,
//! a slow server, path values kept in their segment, redirects within and across origins). Each
//! check starts its own plain wiremock server, or none, and takes the base URL to build the
//! client at, so that every client is held to the same code. Some of them the mock could not
//! hold at all: a refused connection has no server, and a redirect needs a second origin or a
//! path outside the API's operations (which the mock answers 599, as a miss). The `{}` body and
//! the replaced token, shared checks too, are written here on the mock instead, as a downstream
//! user would write them.
//!
//! The tests without a server (the User-Agent, the default server, base URLs, `Debug`) need
//! neither.

use github_client::mock::{
    AddOrUpdateTeamMembershipForUserByIdThen as ByIdThen,
    AddOrUpdateTeamMembershipForUserByIdWhen as ByIdWhen,
    AddOrUpdateTeamMembershipForUserInOrgThen as InOrgThen,
    AddOrUpdateTeamMembershipForUserInOrgWhen as InOrgWhen, Answer, MockServer, Request,
};
use github_client::{Client, ClientBuilder, Error, Response, TeamMembershipState, TeamRole, headers, types};
use serde_json::{Value, json};
use wire_testing::checks::{self, assert_refused};
use wire_testing::{
    assert_hidden, assert_json_put, assert_none, assert_shown, assert_vendor_api_error, header_values,
    json_response, only, render,
};
use wiremock::ResponseTemplate;

const TOKEN: &str = "ghp_SECRET_0123456789abcdefghij";
const SECRETS: &[&str] = &[TOKEN];
const USER_AGENT: &str = concat!("github-client/", env!("CARGO_PKG_VERSION"));
const IN_ORG_PATH: &str = "/orgs/acme/teams/platform/memberships/octocat";
const BY_ID_PATH: &str = "/organizations/123/team/456/memberships/octocat";
const MEMBERSHIP_URL: &str = "https://api.github.com/organizations/123/team/456/memberships/octocat";

/// Checks a GitHub request: method, exact path, no query, the bearer token, the headers GitHub
/// requires (`Accept`, `X-GitHub-Api-Version`, a User-Agent), the JSON body, byte for byte
/// (GitHub's bodies here have at most one field, so `body`'s own key order is the client's).
fn assert_github_request(request: &Request, path: &str, body: &Value, token: &str, user_agent: &str) {
    assert_json_put(
        request,
        path,
        None,
        user_agent,
        &["authorization", "x-github-api-version"],
        body,
    );
    assert_eq!(
        String::from_utf8_lossy(&request.body),
        body.to_string(),
        "the body as sent"
    );
    assert_eq!(
        header_values(request, "authorization"),
        [format!("Bearer {token}")]
    );
    assert_eq!(header_values(request, "accept"), ["application/vnd.github+json"]);
    assert_eq!(header_values(request, "x-github-api-version"), ["2022-11-28"]);
}

fn builder(base_url: &str) -> ClientBuilder {
    Client::builder().base_url(base_url).bearer_auth(TOKEN)
}

fn client_at(base_url: &str) -> Client {
    builder(base_url).build().expect("valid settings")
}

/// A client of the generated mock with [`TOKEN`] instead of the mock's test token.
fn client_of(server: &MockServer) -> Client {
    server
        .client_builder()
        .bearer_auth(TOKEN)
        .build()
        .expect("valid settings")
}

/// The requests the mock received, each checked as [`assert_github_request`] with the default
/// User-Agent and [`TOKEN`] (`path` and `body` per request), in order.
async fn assert_received(server: &MockServer, expected: &[(&str, Value)]) {
    let received = server.received().await;
    assert_eq!(received.len(), expected.len(), "requests received");
    for (request, (path, body)) in received.iter().zip(expected) {
        assert_github_request(request, path, body, TOKEN, USER_AGENT);
    }
}

fn maintainer() -> types::TeamMembershipRequest {
    types::TeamMembershipRequest::new().role(TeamRole::Maintainer)
}

/// Expects exactly one `add_or_update_team_membership_for_user_in_org` of `username` in the team
/// `team_slug` of `org` with `body`, to answer with `respond`.
fn expect_in_org_of(
    server: &MockServer,
    [org, team_slug, username]: [&str; 3],
    body: &types::TeamMembershipRequest,
) -> InOrgWhen {
    server
        .on()
        .add_or_update_team_membership_for_user_in_org()
        .org(org)
        .team_slug(team_slug)
        .username(username)
        .body(body)
        .times(1)
}

/// [`expect_in_org_of`] `octocat` in `acme/platform`: with [`maintainer`], the call of
/// [`in_org_with`].
fn expect_in_org(server: &MockServer, body: &types::TeamMembershipRequest) -> InOrgWhen {
    expect_in_org_of(server, ["acme", "platform", "octocat"], body)
}

/// Expects exactly one `add_or_update_team_membership_for_user_by_id` of `username` in team 456
/// of organization 123 with `body`, to answer with `respond`.
fn expect_by_id(server: &MockServer, username: &str, body: &types::TeamMembershipRequest) -> ByIdWhen {
    server
        .on()
        .add_or_update_team_membership_for_user_by_id()
        .org_id(123)
        .team_id(456)
        .username(username)
        .body(body)
        .times(1)
}

fn membership(state: &str, role: &str) -> Value {
    json!({
        "url": MEMBERSHIP_URL,
        "role": role,
        "state": state
    })
}

fn ok() -> ResponseTemplate {
    json_response(200, &membership("active", "member"))
}

fn github_error(status: u16) -> Value {
    json!({
        "message": format!("GitHub says {status}"),
        "documentation_url": "https://docs.github.com/rest/teams/members#add-or-update-team-membership-for-a-user",
        "status": status.to_string()
    })
}

type InOrg = Response<types::TeamMembership, headers::AddOrUpdateTeamMembershipForUserInOrg>;

/// Adds `octocat` to `acme/platform` as maintainer.
async fn in_org_with(client: &Client) -> Result<InOrg, Error> {
    client
        .add_or_update_team_membership_for_user_in_org("acme", "platform", "octocat", &maintainer())
        .await
}

/// The call the shared checks make: [`in_org_with`] a client at `base_url`.
async fn in_org_at(base_url: &str) -> Result<InOrg, Error> {
    in_org_with(&client_at(base_url)).await
}

/// The path parameters that take text, each in the operation that has it.
#[derive(Clone, Copy, Debug)]
enum Param {
    /// `org` of `add_or_update_team_membership_for_user_in_org`.
    Org,
    /// `team_slug` of `add_or_update_team_membership_for_user_in_org`.
    TeamSlug,
    /// `username` of `add_or_update_team_membership_for_user_in_org`.
    Username,
    /// `username` of `add_or_update_team_membership_for_user_by_id`.
    UsernameById,
}

const PARAMS: [Param; 4] = [Param::Org, Param::TeamSlug, Param::Username, Param::UsernameById];

impl Param {
    /// The Rust name of the parameter.
    fn name(self) -> &'static str {
        match self {
            Param::Org => "org",
            Param::TeamSlug => "team_slug",
            Param::Username | Param::UsernameById => "username",
        }
    }

    /// Calls the operation with `value` in this parameter (`acme`, `platform`, `octocat`, 123
    /// and 456 in the others) and the maintainer role, dropping the decoded value.
    async fn call(self, client: &Client, value: &str) -> Result<(), Error> {
        let body = maintainer();
        let result = match self {
            Param::Org => {
                client
                    .add_or_update_team_membership_for_user_in_org(value, "platform", "octocat", &body)
                    .await
            }
            Param::TeamSlug => {
                client
                    .add_or_update_team_membership_for_user_in_org("acme", value, "octocat", &body)
                    .await
            }
            Param::Username => {
                client
                    .add_or_update_team_membership_for_user_in_org("acme", "platform", value, &body)
                    .await
            }
            // Another operation: other headers, so another response type.
            Param::UsernameById => {
                return client
                    .add_or_update_team_membership_for_user_by_id(123, 456, value, &body)
                    .await
                    .map(drop);
            }
        };
        result.map(drop)
    }

    /// The exact path when the value arrives as `segment`.
    fn path(self, segment: &str) -> String {
        match self {
            Param::Org => format!("/orgs/{segment}/teams/platform/memberships/octocat"),
            Param::TeamSlug => format!("/orgs/acme/teams/{segment}/memberships/octocat"),
            Param::Username => format!("/orgs/acme/teams/platform/memberships/{segment}"),
            Param::UsernameById => format!("/organizations/123/team/456/memberships/{segment}"),
        }
    }

    /// Expects one call of [`Param::call`] with `value` on the mock (the operation's other path
    /// values and the maintainer body as `call` sends them), answered `status` with `body`:
    /// checked against the spec when the operation documents the status (`Then::documents`),
    /// raw otherwise.
    fn expect(self, server: &MockServer, value: &str, status: u16, body: Value) {
        if let Param::UsernameById = self {
            let answer = if ByIdThen::documents(status) {
                ByIdThen::json(status, body)
            } else {
                ByIdThen::raw(Answer::json(status, &body))
            };
            expect_by_id(server, value, &maintainer()).respond(answer);
            return;
        }
        let answer = if InOrgThen::documents(status) {
            InOrgThen::json(status, body)
        } else {
            InOrgThen::raw(Answer::json(status, &body))
        };
        let path_values = match self {
            Param::Org => [value, "platform", "octocat"],
            Param::TeamSlug => ["acme", value, "octocat"],
            _ => ["acme", "platform", value],
        };
        expect_in_org_of(server, path_values, &maintainer()).respond(answer);
    }
}

// ---------------------------------------------------------------------------------------------
// The two operations: requests and successful responses
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn in_org_sends_the_documented_request_and_decodes_200() {
    let server = MockServer::start().await;
    expect_in_org(&server, &maintainer()).respond(InOrgThen::json(200, membership("active", "maintainer")));
    let result = in_org_with(&client_of(&server)).await.expect("200");

    assert_eq!(result.status().as_u16(), 200);
    assert_eq!(result.state, TeamMembershipState::Active);
    assert_eq!(result.role, TeamRole::Maintainer);
    assert!(result.url.ends_with("/memberships/octocat"));

    let request = only(server.received().await);
    let body = json!({"role": "maintainer"});
    assert_github_request(&request, IN_ORG_PATH, &body, TOKEN, USER_AGENT);
    let text = render(&request);
    assert!(!text.contains(TOKEN));
    insta::assert_snapshot!("add_or_update_team_membership_for_user_in_org_request", text);
}

#[tokio::test]
async fn by_id_sends_the_documented_request_and_decodes_200() {
    let server = MockServer::start().await;
    let no_role = types::TeamMembershipRequest::new();
    expect_by_id(&server, "octocat", &no_role).respond(ByIdThen::json(200, membership("pending", "member")));
    let result = client_of(&server)
        .add_or_update_team_membership_for_user_by_id(123, 456, "octocat", &no_role)
        .await
        .expect("200");

    assert_eq!(result.status().as_u16(), 200);
    assert_eq!(result.state, TeamMembershipState::Pending);
    assert_eq!(result.role, TeamRole::Member);

    let request = only(server.received().await);
    assert_github_request(&request, BY_ID_PATH, &json!({}), TOKEN, USER_AGENT);
    let text = render(&request);
    assert!(!text.contains(TOKEN));
    insta::assert_snapshot!("add_or_update_team_membership_for_user_by_id_request", text);
}

/// An omitted role is sent as `{}`, which GitHub reads as `member` (its description's default
/// for `role`): the membership of a maintainer who was sent `{}` comes back as `member`. The
/// request type's documentation says so; a caller who wants to keep a maintainer sends the
/// role.
#[tokio::test]
async fn an_omitted_role_is_an_empty_body_that_github_reads_as_member() {
    let server = MockServer::start().await;
    let no_role = types::TeamMembershipRequest::default();
    expect_in_org(&server, &no_role).respond(InOrgThen::ok(types::TeamMembership::new(
        TeamRole::Member,
        TeamMembershipState::Active,
        MEMBERSHIP_URL,
    )));
    let result = client_of(&server)
        .add_or_update_team_membership_for_user_in_org("acme", "platform", "octocat", &no_role)
        .await
        .expect("200");
    assert_eq!(result.role, TeamRole::Member);
    let request = only(server.received().await);
    assert_github_request(&request, IN_ORG_PATH, &json!({}), TOKEN, USER_AGENT);
}

// ---------------------------------------------------------------------------------------------
// Headers and base URLs
// ---------------------------------------------------------------------------------------------

/// A GitHub Enterprise base URL (`<host>/api/v3/`, given with a trailing slash) and a custom
/// User-Agent: the mock serves the operations under `/api/v3`, as GitHub Enterprise Server does.
#[tokio::test]
async fn a_custom_user_agent_and_an_enterprise_path_prefix_reach_the_wire() {
    let server = MockServer::start_at("/api/v3").await;
    Param::Username.expect(&server, "octocat", 200, membership("active", "member"));
    let client = server
        .client_builder()
        .base_url(&format!("{}/", server.base_url()))
        .bearer_auth(TOKEN)
        .user_agent("acme-provisioner/1.0")
        .build()
        .expect("valid settings");
    client
        .add_or_update_team_membership_for_user_in_org("acme", "platform", "octocat", &maintainer())
        .await
        .expect("200");
    let request = only(server.received().await);
    let path = format!("/api/v3{IN_ORG_PATH}");
    assert_github_request(
        &request,
        &path,
        &json!({"role": "maintainer"}),
        TOKEN,
        "acme-provisioner/1.0",
    );
}

#[test]
fn an_empty_user_agent_is_refused_at_build_time() {
    let err = builder("https://api.github.com")
        .user_agent("  ")
        .build()
        .unwrap_err();
    assert_eq!(
        err.reason(),
        "the User-Agent must not be empty: some APIs and proxies refuse requests without one"
    );
}

#[test]
fn the_default_server_is_api_github_com() {
    let client = Client::builder()
        .bearer_auth(TOKEN)
        .build()
        .expect("valid settings");
    assert_eq!(client.base_url(), "https://api.github.com");
}

#[test]
fn base_urls_are_checked_when_the_client_is_built() {
    checks::base_urls_are_checked_when_the_client_is_built(SECRETS, |url, allow_http| {
        let builder = builder(url);
        let builder = if allow_http { builder.allow_http() } else { builder };
        builder.build().map(|c| c.base_url().to_string())
    });
}

// ---------------------------------------------------------------------------------------------
// Values GitHub may add later
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn an_unknown_state_and_role_decode_as_other() {
    let mut body = membership("suspended", "admin");
    body["new_field"] = json!({"anything": true});
    let server = MockServer::start().await;
    Param::UsernameById.expect(&server, "octocat", 200, body);
    let result = client_of(&server)
        .add_or_update_team_membership_for_user_by_id(123, 456, "octocat", &maintainer())
        .await
        .expect("unknown values decode");
    assert_eq!(result.state, TeamMembershipState::Other("suspended".into()));
    assert_eq!(result.role, TeamRole::Other("admin".into()));
    assert_eq!(result.state.as_str(), "suspended");
    assert_received(&server, &[(BY_ID_PATH, json!({"role": "maintainer"}))]).await;
}

#[tokio::test]
async fn an_unknown_role_given_by_the_caller_is_sent_unchanged() {
    let server = MockServer::start().await;
    let body = types::TeamMembershipRequest::new().role(TeamRole::Other("admin".into()));
    expect_in_org(&server, &body).respond(InOrgThen::ok(types::TeamMembership::new(
        TeamRole::Other("admin".into()),
        TeamMembershipState::Active,
        MEMBERSHIP_URL,
    )));
    client_of(&server)
        .add_or_update_team_membership_for_user_in_org("acme", "platform", "octocat", &body)
        .await
        .expect("200");
    let request = only(server.received().await);
    assert_github_request(
        &request,
        IN_ORG_PATH,
        &json!({"role": "admin"}),
        TOKEN,
        USER_AGENT,
    );
}

// ---------------------------------------------------------------------------------------------
// Error statuses: documented, undeclared, and bodies the spec does not describe
// ---------------------------------------------------------------------------------------------

/// Every documented error status of both operations, and an undeclared 401 with GitHub's body,
/// is an `Error::Api` with the decoded `message` and `documentation_url`, the body as sent, and
/// the message in `Display`; none is retryable; the request was the documented one.
#[tokio::test]
async fn every_documented_and_undeclared_error_status_decodes_githubs_error() {
    for (param, path) in [(Param::Username, IN_ORG_PATH), (Param::UsernameById, BY_ID_PATH)] {
        for status in [403, 404, 422, 401] {
            let server = MockServer::start().await;
            // 401 is undeclared: `expect` answers it raw, past the spec's check.
            param.expect(&server, "octocat", status, github_error(status));
            let err = param.call(&client_of(&server), "octocat").await.unwrap_err();
            assert_vendor_api_error(&err, status, &github_error(status), |vendor| {
                let message = format!("GitHub says {status}");
                assert_eq!(vendor.message.as_deref(), Some(message.as_str()));
                let docs = vendor.documentation_url.as_deref().unwrap_or_default();
                assert!(docs.starts_with("https://docs.github.com/"), "{vendor:?}");
            });
            assert_shown(&err, Some(&format!("GitHub says {status}")), SECRETS);
            assert!(!err.is_retryable(), "{param:?} {status}");
            let request = only(server.received().await);
            let body = json!({"role": "maintainer"});
            assert_github_request(&request, path, &body, TOKEN, USER_AGENT);
        }
    }
}

/// GitHub's rate-limit headers, as its "Rate limits for the REST API" page shows them on every
/// response, read typed from a 200; on a 403 from a secondary rate limit, with `retry-after`, the
/// documented error is `Forbidden` with GitHub's body and the headers read the same way.
#[tokio::test]
async fn githubs_rate_limit_headers_are_typed_on_a_200_and_a_403() {
    use github_client::{RetryAfter, RetryPolicy, errors};
    // The spec documents these headers on the 200 and the 403: the checked `header` takes them.
    let limited = |then: InOrgThen| {
        then.header("x-ratelimit-limit", 5000)
            .header("x-ratelimit-remaining", 4999)
            .header("x-ratelimit-used", 1)
            .header("x-ratelimit-reset", 1372700873)
            .header("x-ratelimit-resource", "core")
    };
    let secondary = json!({
        "message": "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.",
        "documentation_url": "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api"
    });
    let server = MockServer::start().await;
    // The same request twice: the first answer is used once, then the second.
    let expect = || expect_in_org(&server, &maintainer());
    expect().respond(limited(InOrgThen::json(200, membership("active", "member"))));
    expect().respond(limited(InOrgThen::json(403, secondary)).header("retry-after", 600));
    // The default retry policy (the mock's client retries quickly), whose longest wait the
    // secondary rate limit's 600 s is over.
    let client = server
        .client_builder()
        .bearer_auth(TOKEN)
        .retry(RetryPolicy::default())
        .build()
        .expect("valid settings");

    let membership = in_org_with(&client).await.expect("200");
    let h: &headers::AddOrUpdateTeamMembershipForUserInOrg = membership.headers();
    assert_eq!(h.x_ratelimit_limit(), Ok(Some(5000)));
    assert_eq!(h.x_ratelimit_remaining(), Ok(Some(4999)));
    assert_eq!(h.x_ratelimit_used(), Ok(Some(1)));
    assert_eq!(h.x_ratelimit_reset(), Ok(Some(1_372_700_873)));
    assert_eq!(h.x_ratelimit_resource(), Ok(Some("core")));
    assert_eq!(h.retry_after(), Ok(None));

    // A secondary rate limit: a wait longer than the retry policy's, so the 403 arrives.
    let err = in_org_with(&client).await.expect_err("403");
    match errors::AddOrUpdateTeamMembershipForUserInOrg::of(&err) {
        Some(errors::AddOrUpdateTeamMembershipForUserInOrg::Forbidden(body)) => {
            assert!(
                body.message
                    .as_deref()
                    .unwrap_or_default()
                    .contains("secondary rate limit")
            )
        }
        other => panic!("a documented 403: {other:?}"),
    }
    let h: headers::AddOrUpdateTeamMembershipForUserInOrg = err.headers_as().expect("headers");
    assert_eq!(
        h.retry_after(),
        Ok(Some(RetryAfter::Delay(std::time::Duration::from_secs(600))))
    );
    assert_eq!(h.x_ratelimit_remaining(), Ok(Some(4999)));
    assert_eq!(
        err.attempts(),
        1,
        "600 s is over the policy's longest wait: not retried"
    );
    let body = json!({"role": "maintainer"});
    assert_received(&server, &[(IN_ORG_PATH, body.clone()), (IN_ORG_PATH, body)]).await;
}

/// GitHub's validation-error body on a 422, in the shape its REST docs and its own
/// `validation-error` schema give (`message`, `documentation_url`, `errors[]` of `resource`,
/// `field`, `code`, `message`, `index`, `value`): the caller reads each entry's `code` and
/// `field`, a code GitHub adds later stays a string, and `Display` shows the message with the
/// entries that carry one.
#[tokio::test]
async fn a_422_keeps_githubs_validation_errors_for_the_caller() {
    let body = json!({
        "message": "Validation Failed",
        "errors": [
            {"resource": "Team", "field": "role", "code": "invalid", "value": "owner"},
            {"resource": "TeamMember", "code": "custom", "message": "Organizations cannot be added to a team"},
            {"resource": "Team", "field": "members", "code": "too_many", "index": 2, "value": ["a", "b"]},
            {"resource": "User", "field": "username", "code": "missing", "value": null}
        ],
        "documentation_url": "https://docs.github.com/rest/teams/members#add-or-update-team-membership-for-a-user",
        "status": "422"
    });
    for param in [Param::Username, Param::UsernameById] {
        let server = MockServer::start().await;
        param.expect(&server, "octocat", 422, body.clone());
        let err = param.call(&client_of(&server), "octocat").await.unwrap_err();
        assert_vendor_api_error(&err, 422, &body, |vendor| {
            assert_eq!(vendor.message.as_deref(), Some("Validation Failed"));
            let found: Vec<(&str, Option<&str>)> = vendor
                .errors
                .iter()
                .map(|e| (e.code.as_str(), e.field.as_deref()))
                .collect();
            assert_eq!(
                found,
                [
                    ("invalid", Some("role")),
                    ("custom", None),
                    ("too_many", Some("members")),
                    ("missing", Some("username"))
                ]
            );
            let custom = &vendor.errors[1];
            assert_eq!(custom.resource.as_deref(), Some("TeamMember"));
            assert_eq!(
                custom.message.as_deref(),
                Some("Organizations cannot be added to a team")
            );
            assert_eq!(vendor.errors[2].index, Some(2));
        });
        let shown = "Validation Failed [Organizations cannot be added to a team (code custom)]";
        assert_shown(&err, Some(shown), SECRETS);
        assert!(!err.is_retryable());
        let path = param.path("octocat");
        assert_received(&server, &[(path.as_str(), json!({"role": "maintainer"}))]).await;
    }
}

/// GitHub's 403 and 404 carry no `errors`: the list is empty, not missing.
#[tokio::test]
async fn a_basic_error_has_no_validation_errors() {
    for status in [403, 404] {
        let server = MockServer::start().await;
        Param::Username.expect(&server, "octocat", status, github_error(status));
        let err = in_org_with(&client_of(&server)).await.unwrap_err();
        assert_vendor_api_error(&err, status, &github_error(status), |vendor| {
            assert!(vendor.errors.is_empty(), "{vendor:?}");
        });
        assert_received(&server, &[(IN_ORG_PATH, json!({"role": "maintainer"}))]).await;
    }
}

#[tokio::test]
async fn an_undeclared_502_with_html_is_a_retryable_api_error_with_an_excerpt() {
    checks::html_error_keeps_its_status(502, true, SECRETS, in_org_at).await;
}

#[tokio::test]
async fn an_html_body_on_a_documented_403_keeps_the_status() {
    checks::html_error_keeps_its_status(403, false, SECRETS, in_org_at).await;
}

#[tokio::test]
async fn an_empty_body_on_a_documented_422_keeps_the_status() {
    checks::empty_body_keeps_its_status(422, SECRETS, in_org_at).await;
}

/// An error body that decodes but says nothing (`{}`) on a documented 404 is an `Error::Api`
/// with the decoded (empty) GitHub error and `{}` as the excerpt, and `Display` shows the body,
/// since there is no message to show.
#[tokio::test]
async fn an_empty_json_object_on_a_404_decodes_and_keeps_the_excerpt() {
    let server = MockServer::start().await;
    Param::Username.expect(&server, "octocat", 404, json!({}));
    let err = in_org_with(&client_of(&server)).await.unwrap_err();
    assert_vendor_api_error(&err, 404, &json!({}), |vendor| {
        assert_eq!(vendor.message, None);
        assert_eq!(vendor.documentation_url, None);
        assert!(vendor.errors.is_empty(), "{vendor:?}");
    });
    assert_eq!(err.body_excerpt(), Some("{}"));
    assert_shown(&err, Some("{}"), SECRETS);
    assert!(!err.is_retryable());
    assert_received(&server, &[(IN_ORG_PATH, json!({"role": "maintainer"}))]).await;
}

#[tokio::test]
async fn a_200_whose_body_is_not_the_schema_is_a_decode_error_with_the_status() {
    let body = json!({"role": "member"});
    checks::a_body_off_the_schema_is_a_decode_error(&body, "member", SECRETS, in_org_at).await;
}

/// GitHub answers a hit rate limit with 403 (or 429) and `x-ratelimit-remaining: 0` or
/// `retry-after`; a plain 403 is a permission problem that a retry does not fix.
#[tokio::test]
async fn a_403_is_retryable_only_when_the_rate_limit_headers_say_so() {
    checks::rate_limit_headers_reach_the_caller(SECRETS, in_org_at).await;
}

// ---------------------------------------------------------------------------------------------
// Network failures
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn a_refused_connection_is_a_retryable_network_error() {
    checks::a_refused_connection_is_a_retryable_network_error(SECRETS, in_org_at).await;
}

#[tokio::test]
async fn a_slow_server_is_a_retryable_timeout() {
    checks::a_slow_server_is_a_retryable_timeout(SECRETS, async |base: &str, timeout| {
        let client = builder(base).timeout(timeout).build().expect("valid settings");
        client
            .add_or_update_team_membership_for_user_by_id(123, 456, "octocat", &maintainer())
            .await
    })
    .await;
}

// ---------------------------------------------------------------------------------------------
// Credentials
// ---------------------------------------------------------------------------------------------

#[test]
fn debug_output_of_the_builder_and_the_client_never_shows_the_token() {
    checks::debug_never_shows_secrets(SECRETS, builder("https://api.github.com"), ClientBuilder::build);
}

/// A token replaced on one clone of a client reaches the next request of every clone: the first
/// request carries [`TOKEN`], the second the new one, and no `Debug` shows the new one.
#[tokio::test]
async fn set_bearer_auth_changes_the_header_of_the_next_request() {
    const RENEWED: &str = "ghp_RENEWED_SECRET";
    let server = MockServer::start().await;
    // One expectation per call, answered in turn.
    for _ in 0..2 {
        Param::UsernameById.expect(&server, "octocat", 200, membership("active", "member"));
    }
    let client = client_of(&server);
    let clone = client.clone();
    Param::UsernameById
        .call(&client, "octocat")
        .await
        .expect("the first call");
    clone.set_bearer_auth(RENEWED).expect("a valid token");
    assert_hidden(&format!("{client:?} {clone:?}"), &[RENEWED]);
    Param::UsernameById
        .call(&client, "octocat")
        .await
        .expect("the second call");
    let received = server.received().await;
    assert_eq!(received.len(), 2);
    let body = json!({"role": "maintainer"});
    assert_github_request(&received[0], BY_ID_PATH, &body, TOKEN, USER_AGENT);
    assert_github_request(&received[1], BY_ID_PATH, &body, RENEWED, USER_AGENT);
}

// ---------------------------------------------------------------------------------------------
// Path values
// ---------------------------------------------------------------------------------------------

/// Hostile org, team and user values arrive inside their own segment, and values that would
/// change the endpoint (empty, dot-segments, `\`) are refused before anything is sent.
#[tokio::test]
async fn org_team_and_user_values_stay_inside_their_path_segment() {
    for param in PARAMS {
        let (name, path) = (param.name(), |segment: &str| param.path(segment));
        let call = async |base: &str, value: &str| param.call(&client_at(base), value).await;
        checks::a_path_parameter_stays_in_its_segment(name, ok(), path, call).await;
    }
}

/// The url crate reads `\` as `/` in an http(s) URL, so behind a GitHub Enterprise prefix this
/// username would turn both operations into `PUT /api/v3/user/following/mallory`: the token's
/// owner would follow mallory.
#[tokio::test]
async fn a_backslash_climb_to_another_endpoint_is_refused_and_nothing_is_sent() {
    // No expectation: the strict mock would fail the test on any request, and none may come.
    let server = MockServer::start_at("/api/v3").await;
    let client = client_of(&server);
    let mut results = Vec::new();
    for param in [Param::Username, Param::UsernameById] {
        results.push(
            param
                .call(&client, r"..\..\..\..\..\user\following\mallory")
                .await,
        );
    }
    assert_none(&server.received().await);
    for result in results {
        assert_refused(&result.unwrap_err(), "username");
    }
}

// ---------------------------------------------------------------------------------------------
// Redirects
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn a_cross_origin_redirect_is_an_api_error_and_nothing_reaches_the_other_host() {
    checks::a_cross_origin_redirect_is_an_api_error(SECRETS, in_org_at).await;
}

#[tokio::test]
async fn a_same_origin_redirect_is_followed_with_the_token() {
    let bearer = format!("Bearer {TOKEN}");
    checks::a_same_origin_redirect_is_followed_with_the_credential(
        ok(),
        ("authorization", &bearer),
        in_org_at,
    )
    .await;
}
