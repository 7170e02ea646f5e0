//! Wire tests for the Symphony client: a real HTTP server on 127.0.0.1 stands in for the pod, and
//! every test goes through the public API a downstream user calls (a client built with
//! `.session_token(..)`, then the client's methods).
//!
//! Each test pins one behaviour: the request as it arrives (method, exact path, query, headers,
//! JSON body), what the caller gets back for every documented status, what happens on statuses
//! and bodies the spec does not describe, network failures and timeouts, credentials that never
//! print, path values that cannot escape their segment, and redirects that stay in the pod's
//! origin.
//!
//! # On the generated mock
//!
//! Eleven of the 22 tests with a server run on the crate's own generated mock
//! (`symphony_client::mock`, the `mock` feature), as a downstream user's tests would: the three
//! operations' requests and 200/201 answers (with the snapshots), both spellings of a
//! membership's username, unknown response fields, `Client::for_pod`, every documented and an
//! undeclared error status with Symphony's body, a `{}` error body, a session token replaced or
//! refused, and a backslash climb that sends nothing. Two of them (the `{}` error body and the
//! replaced session token) were shared checks of `wire_testing::checks`: the mock gives their
//! answers directly, so they are written out here, with the same assertions and the requests
//! asserted whole. Each expectation names the operation and its exact typed inputs (group id, user id,
//! body, written by the client's own serializers) and how often (`times`), a request nothing
//! expects fails the test, and the answer is checked against the spec when it is built (an
//! undeclared status goes through `Then::raw`). The answers are the pod's JSON as Symphony
//! documents it (`Then::json`) where the test is about decoding, so the wire names are tested
//! rather than the generated types' own serializer. Every test still asserts the request as it
//! arrived (`assert_symphony_request` on `server.received()`, through `wire_testing::only` for
//! one request; `wire_testing::assert_none` where nothing may be sent).
//!
//! The mock's base URL is the spec server's, `http://127.0.0.1:<port>/pod`, so its requests
//! arrive at `/pod/v2/...` (as on a real pod), and that full path is what the tests assert. The
//! snapshots show the path under the client's base URL (`/v2/...`, the operation's path as the
//! spec writes it; [`render_under_base`]): they were taken with the client at a bare host, and
//! their bytes are kept.
//!
//! The other tests run on a plain wiremock server, because the mock cannot express what they
//! check:
//!
//! - a bare host given to `.base_url` sends its call outside the pod API, where the pod answers
//!   404; the mock only answers under its base path (it answers anything else 599, as a miss);
//! - the other behaviours every client shares, in `wire_testing::checks` (an HTML or empty error
//!   body, a body off the schema, rate-limit headers, a refused connection, a slow server, group
//!   ids kept in their segment, redirects within and across origins): each check starts its own
//!   plain server, or none, and takes the base URL to build the client at, so that every client
//!   is held to the same code; a redirect also needs a second origin, and a refused connection
//!   no server at all.
//!
//! The tests without a server (`pod_url`, `Debug`, base URLs, no default pod) need neither.

use serde_json::{Value, json};
use symphony_client::mock::{
    Answer, MockServer, UpdateUserGroupAssignmentThen, UpdateUserGroupAssignmentWhen,
    UpdateUserGroupMembershipThen, UpdateUserGroupMembershipWhen, UpdateUserGroupThen, UpdateUserGroupWhen,
};
use symphony_client::{Client, ClientBuilder, Error, Response, headers, pod_url, types};
use wire_testing::checks::{self, assert_refused};
use wire_testing::{
    assert_hidden, assert_json_put, assert_none, assert_shown, assert_vendor_api_error, header_values,
    json_response, only, render, single_request,
};
use wiremock::matchers::path_regex;
use wiremock::{Mock, Request, ResponseTemplate};

const TOKEN: &str = "sym-session-SECRET-7f3a9c51";
const SECRETS: &[&str] = &[TOKEN];
const USER_AGENT: &str = concat!("symphony-client/", env!("CARGO_PKG_VERSION"));
const GROUP: &str = "group-1";
const USER: i64 = 7215545078541;

/// The path the mock serves the API under: the spec server's (`https://{pod}.symphony.com/pod`),
/// so a request of the mock's client arrives at `/pod/v2/...`, as on a real pod.
const POD: &str = "/pod";
const GROUP_PATH: &str = "/pod/v2/admin/usergroups/group-1";
const ASSIGNMENT_PATH: &str = "/pod/v2/admin/usergroups/group-1/assignments/7215545078541";
const MEMBERSHIP_PATH: &str = "/pod/v2/admin/usergroups/group-1/memberships/7215545078541";

/// Checks a Symphony request: method, exact path, no query, the session token, no other
/// credential, the headers (the default User-Agent among them), the JSON body.
fn assert_symphony_request(request: &Request, path: &str, body: &Value, token: &str) {
    assert_json_put(request, path, None, USER_AGENT, &["sessiontoken"], body);
    assert_eq!(header_values(request, "sessiontoken"), [token]);
    assert_eq!(header_values(request, "accept"), ["application/json"]);
    assert!(request.headers.get("authorization").is_none());
}

/// The request as [`render`] shows it, with its path under the client's base URL: the mock's
/// `/pod` taken off, so `/v2/admin/usergroups/...`, the operation's path as the spec writes it.
/// The snapshots were taken with the client at a bare host, where that was the whole path; the
/// tests assert the full path, `/pod/v2/...`, beside them.
fn render_under_base(request: &Request) -> String {
    let path = request.url.path();
    let under = path
        .strip_prefix(POD)
        .unwrap_or_else(|| panic!("`{path}` is not under the mock's base path `{POD}`"));
    let mut request = request.clone();
    request.url.set_path(under);
    render(&request)
}

fn builder(base_url: &str) -> ClientBuilder {
    Client::builder().base_url(base_url).session_token(TOKEN)
}

fn client_at(base_url: &str) -> Client {
    builder(base_url).build().expect("valid settings")
}

/// The mock's client, with [`TOKEN`] as its session token (the mock's own is `mock-token`) and
/// the mock's other settings (its base URL, quick retries).
fn client_of(server: &MockServer) -> Client {
    server
        .client_builder()
        .session_token(TOKEN)
        .build()
        .expect("valid settings")
}

fn group_update() -> types::UserGroupUpdate {
    types::UserGroupUpdate::new()
        .active(true)
        .area("EMEA")
        .description("Compliance officers")
        .name("Compliance")
}

fn group_update_json() -> Value {
    json!({"active": true, "area": "EMEA", "description": "Compliance officers", "name": "Compliance"})
}

/// Expects exactly one `update_user_group` of [`GROUP`] with [`group_update`], to answer with
/// `respond`.
fn expect_group(server: &MockServer) -> UpdateUserGroupWhen {
    server
        .on()
        .update_user_group()
        .group_id(GROUP)
        .body(&group_update())
        .times(1)
}

/// Expects exactly one `update_user_group_assignment` of [`USER`] in [`GROUP`] with `body`, to
/// answer with `respond`.
fn expect_assignment(
    server: &MockServer,
    body: &types::UserGroupMembershipUpdate,
) -> UpdateUserGroupAssignmentWhen {
    server
        .on()
        .update_user_group_assignment()
        .group_id(GROUP)
        .user_id(USER)
        .body(body)
        .times(1)
}

/// Expects exactly one `update_user_group_membership` of [`USER`] in [`GROUP`] with `body`, to
/// answer with `respond`.
fn expect_membership(
    server: &MockServer,
    body: &types::UserGroupMembershipRequest,
) -> UpdateUserGroupMembershipWhen {
    server
        .on()
        .update_user_group_membership()
        .group_id(GROUP)
        .user_id(USER)
        .body(body)
        .times(1)
}

fn group_response() -> Value {
    json!({
        "id": GROUP, "name": "Compliance", "area": "EMEA", "description": "Compliance officers",
        "type": "COMPLIANCE", "active": true, "memberCount": 3, "assigneeCount": 1,
        "createdDate": 1_700_000_000_000_i64, "modifiedDate": 1_700_000_500_000_i64
    })
}

fn ok() -> ResponseTemplate {
    json_response(200, &group_response())
}

fn assignment_response() -> Value {
    json!({
        "id": "assignment-9", "groupId": GROUP, "userId": USER, "active": true,
        "lastAddedDate": 1_700_000_000_000_i64, "userRoles": ["INDIVIDUAL"],
        "group": {"id": GROUP, "name": "Compliance", "type": "COMPLIANCE", "active": true},
        "user": {"id": USER, "username": "jdoe", "firstName": "Jane", "lastName": "Doe",
                 "emailAddress": "jane@example.com"}
    })
}

fn membership_response() -> Value {
    json!({
        "id": "membership-4", "groupId": GROUP, "userId": USER, "active": true,
        "lastAddedDate": 1_700_000_000_000_i64,
        "group": {"id": GROUP, "name": "Compliance", "type": "COMPLIANCE", "active": true},
        "user": {"id": USER, "userName": "jdoe", "firstName": "Jane", "lastName": "Doe",
                 "emailAddress": "jane@example.com"}
    })
}

fn vendor_error(status: u16) -> Value {
    json!({"code": status, "message": format!("Symphony says {status}")})
}

/// The membership `update_user_group_membership` (with `active: None`) decodes when the pod
/// answers 200 with `body`, and the mock, which expected exactly that call once.
async fn membership_decoded_from(
    body: &Value,
) -> (
    Response<types::UserGroupMembershipData, headers::UpdateUserGroupMembership>,
    MockServer,
) {
    let server = MockServer::start().await;
    let request = types::UserGroupMembershipRequest::new();
    expect_membership(&server, &request).respond(UpdateUserGroupMembershipThen::json(200, body.clone()));
    let membership = client_of(&server)
        .update_user_group_membership(GROUP, USER, &request)
        .await
        .expect("200");
    (membership, server)
}

/// The call the shared checks make: `update_user_group` with a client at `base_url`.
async fn update_group_at(
    base_url: &str,
) -> Result<Response<types::UserGroupResponse, headers::UpdateUserGroup>, Error> {
    client_at(base_url)
        .update_user_group(GROUP, &group_update())
        .await
}

/// The three operations, for the tests that treat them alike.
#[derive(Clone, Copy, Debug)]
enum Op {
    Group,
    Assignment,
    Membership,
}

const OPS: [Op; 3] = [Op::Group, Op::Assignment, Op::Membership];

/// The body [`Op::call`] sends for an assignment.
fn assignment_update() -> types::UserGroupMembershipUpdate {
    types::UserGroupMembershipUpdate::new().set_active(Some(false))
}

/// The body [`Op::call`] sends for a membership.
fn membership_request() -> types::UserGroupMembershipRequest {
    types::UserGroupMembershipRequest::new().set_active(Some(false))
}

impl Op {
    /// Calls the operation for `group_id` (and [`USER`]) with `active: false` where the body
    /// allows it, dropping the decoded value.
    async fn call(self, client: &Client, group_id: &str) -> Result<(), Error> {
        match self {
            Op::Group => client
                .update_user_group(group_id, &group_update())
                .await
                .map(drop),
            Op::Assignment => client
                .update_user_group_assignment(group_id, USER, &assignment_update())
                .await
                .map(drop),
            Op::Membership => client
                .update_user_group_membership(group_id, USER, &membership_request())
                .await
                .map(drop),
        }
    }

    /// The exact path for a group id that arrives as `segment`, under the base URL.
    fn path(self, segment: &str) -> String {
        match self {
            Op::Group => format!("/v2/admin/usergroups/{segment}"),
            Op::Assignment => format!("/v2/admin/usergroups/{segment}/assignments/{USER}"),
            Op::Membership => format!("/v2/admin/usergroups/{segment}/memberships/{USER}"),
        }
    }

    /// The JSON body [`Op::call`] sends.
    fn body(self) -> Value {
        match self {
            Op::Group => group_update_json(),
            Op::Assignment | Op::Membership => json!({"active": false}),
        }
    }

    /// The error statuses the operation documents.
    fn documented_errors(self) -> &'static [u16] {
        match self {
            Op::Group => &[400, 401, 403, 404, 422, 500],
            Op::Assignment | Op::Membership => &[400, 401, 403, 404, 500],
        }
    }

    /// Expects exactly one call [`Op::call`] makes for [`GROUP`] on `server`, answered `status`
    /// with the JSON `body`: checked against the spec when the operation documents `status`,
    /// unchecked (`Then::raw`) when it does not.
    fn expect_answer(self, server: &MockServer, status: u16, body: &Value) {
        let documented = self.documented_errors().contains(&status);
        let raw = || Answer::json(status, body);
        match self {
            Op::Group => {
                let then = match documented {
                    true => UpdateUserGroupThen::json(status, body.clone()),
                    false => UpdateUserGroupThen::raw(raw()),
                };
                expect_group(server).respond(then);
            }
            Op::Assignment => {
                let then = match documented {
                    true => UpdateUserGroupAssignmentThen::json(status, body.clone()),
                    false => UpdateUserGroupAssignmentThen::raw(raw()),
                };
                expect_assignment(server, &assignment_update()).respond(then);
            }
            Op::Membership => {
                let then = match documented {
                    true => UpdateUserGroupMembershipThen::json(status, body.clone()),
                    false => UpdateUserGroupMembershipThen::raw(raw()),
                };
                expect_membership(server, &membership_request()).respond(then);
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The three operations: requests and successful responses
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn update_user_group_sends_the_documented_request_and_decodes_200() {
    let server = MockServer::start().await;
    expect_group(&server).respond(UpdateUserGroupThen::json(200, group_response()));
    let group = client_of(&server)
        .update_user_group(GROUP, &group_update())
        .await
        .expect("200");

    assert_eq!(group.status().as_u16(), 200);
    assert_eq!(group.id.as_deref(), Some(GROUP));
    assert_eq!(group.member_count, Some(3));
    assert_eq!(group.type_.as_deref(), Some("COMPLIANCE"));

    let request = only(server.received().await);
    assert_symphony_request(&request, GROUP_PATH, &group_update_json(), TOKEN);
    let text = render_under_base(&request);
    assert!(!text.contains(TOKEN));
    insta::assert_snapshot!("update_user_group_request", text);
}

#[tokio::test]
async fn update_user_group_assignment_sends_the_documented_request_and_decodes_200_and_201() {
    let body = types::UserGroupMembershipUpdate::new().active(true);
    for status in [200, 201] {
        let server = MockServer::start().await;
        expect_assignment(&server, &body)
            .respond(UpdateUserGroupAssignmentThen::json(status, assignment_response()));
        let assignment = client_of(&server)
            .update_user_group_assignment(GROUP, USER, &body)
            .await
            .expect("success");

        assert_eq!(assignment.status().as_u16(), status);
        assert_eq!(assignment.user_id, Some(USER));
        assert_eq!(assignment.user_roles, ["INDIVIDUAL"]);
        assert_eq!(
            assignment.user.as_ref().and_then(|u| u.username.as_deref()),
            Some("jdoe")
        );

        let request = only(server.received().await);
        assert_symphony_request(&request, ASSIGNMENT_PATH, &json!({"active": true}), TOKEN);
        if status == 201 {
            let text = render_under_base(&request);
            assert!(!text.contains(TOKEN));
            insta::assert_snapshot!("update_user_group_assignment_request", text);
        }
    }
}

#[tokio::test]
async fn update_user_group_membership_sends_the_documented_request_and_decodes_200() {
    let server = MockServer::start().await;
    let body = types::UserGroupMembershipRequest::new().active(true);
    expect_membership(&server, &body)
        .respond(UpdateUserGroupMembershipThen::json(200, membership_response()));
    let membership = client_of(&server)
        .update_user_group_membership(GROUP, USER, &body)
        .await
        .expect("200");

    assert_eq!(membership.status().as_u16(), 200);
    assert_eq!(membership.active, Some(true));
    assert_eq!(membership.group_id.as_deref(), Some(GROUP));
    assert_eq!(
        membership.user.as_ref().and_then(|u| u.user_name.as_deref()),
        Some("jdoe")
    );
    assert_eq!(membership.user.as_ref().and_then(|u| u.username()), Some("jdoe"));

    let request = only(server.received().await);
    assert_symphony_request(&request, MEMBERSHIP_PATH, &json!({"active": true}), TOKEN);
    let text = render_under_base(&request);
    assert!(!text.contains(TOKEN));
    insta::assert_snapshot!("update_user_group_membership_request", text);
}

/// The membership's user decodes whichever way the pod spells the username: `userName` as this
/// operation's document does, `username` as Symphony's "List Memberships" and "List Compliance
/// Group Memberships" pages show for the same object. `username()` gives either; with both,
/// `username` wins.
#[tokio::test]
async fn the_membership_username_decodes_in_both_spellings() {
    let spellings = [
        (json!({"userName": "jdoe"}), Some("jdoe"), None, Some("jdoe")),
        (
            json!({"username": "dpayet"}),
            None,
            Some("dpayet"),
            Some("dpayet"),
        ),
        (
            json!({"userName": "old", "username": "new"}),
            Some("old"),
            Some("new"),
            Some("new"),
        ),
        (json!({}), None, None, None),
    ];
    for (user, user_name, username, either) in spellings {
        let mut body = membership_response();
        body["user"] = user.clone();
        body["user"]["id"] = json!(USER);
        let (membership, server) = membership_decoded_from(&body).await;
        let request = only(server.received().await);
        assert_symphony_request(&request, MEMBERSHIP_PATH, &json!({}), TOKEN);
        let decoded = membership.user.as_ref().expect("user");
        assert_eq!(decoded.id, Some(USER), "{user}");
        assert_eq!(decoded.user_name.as_deref(), user_name, "{user}");
        assert_eq!(decoded.username.as_deref(), username, "{user}");
        assert_eq!(decoded.username(), either, "{user}");
    }
}

#[tokio::test]
async fn extra_unknown_fields_in_a_response_are_ignored() {
    let mut body = membership_response();
    body["newField"] = json!({"nested": [1, 2, 3]});
    body["group"]["futureFlag"] = json!(true);
    let (membership, server) = membership_decoded_from(&body).await;
    assert_eq!(membership.id.as_deref(), Some("membership-4"));
    let request = only(server.received().await);
    assert_symphony_request(&request, MEMBERSHIP_PATH, &json!({}), TOKEN);
}

// ---------------------------------------------------------------------------------------------
// The pod URL: the pod API lives under /pod
// ---------------------------------------------------------------------------------------------

/// `Client::for_pod` with the pod's bare host (here the mock's, its base URL without `/pod`)
/// adds `/pod`, and the call reaches the pod API: the client's base URL is the mock's.
#[tokio::test]
async fn for_pod_adds_the_pod_path_to_a_bare_host() {
    let server = MockServer::start().await;
    let body = types::UserGroupMembershipRequest::new().active(true);
    expect_membership(&server, &body)
        .respond(UpdateUserGroupMembershipThen::json(200, membership_response()));
    let base_url = server.base_url();
    let host = base_url
        .strip_suffix(POD)
        .expect("the mock's base URL ends in /pod");
    assert!(host.starts_with("http://127.0.0.1:"), "{host}");
    let client = Client::for_pod(host)
        .expect("a pod URL")
        .session_token(TOKEN)
        .build()
        .expect("valid settings");
    assert_eq!(client.base_url(), format!("{host}/pod"));
    assert_eq!(client.base_url(), base_url);
    let membership = client
        .update_user_group_membership(GROUP, USER, &body)
        .await
        .expect("200");
    assert_eq!(membership.id.as_deref(), Some("membership-4"));
    let request = only(server.received().await);
    assert_symphony_request(&request, MEMBERSHIP_PATH, &json!({"active": true}), TOKEN);
}

/// What the crate docs say a bare host given to `.base_url` does: the URL is valid, so the
/// client builds, and the call goes to `/v2/...` outside the pod API, which answers 404. On a
/// plain server: the mock serves nothing outside its `/pod`, and answers there 599, as a miss.
#[tokio::test]
async fn a_bare_host_given_to_base_url_misses_the_pod_api_with_a_404() {
    // A pod whose API answers only under `/pod`, as Symphony documents it
    // (`PUT /pod/v2/admin/usergroups/...` on `yourpodURL.symphony.com`); anything else is a 404.
    let server = wiremock::MockServer::start().await;
    Mock::given(path_regex("^/pod/v2/admin/usergroups/"))
        .respond_with(json_response(200, &membership_response()))
        .mount(&server)
        .await;
    let err = client_at(&server.uri())
        .update_user_group_membership(
            GROUP,
            USER,
            &types::UserGroupMembershipRequest::new().active(true),
        )
        .await
        .unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(404));
    let request = single_request(&server).await;
    assert_eq!(
        request.url.path(),
        "/v2/admin/usergroups/group-1/memberships/7215545078541"
    );
}

/// Every form `pod_url` takes (a pod name, a host, a URL with no path or ending in `/pod`) and
/// the paths it refuses, with the reason; the URL it makes is what the client is built with.
#[test]
fn pod_url_adds_pod_to_a_host_and_refuses_other_paths() {
    let made = [
        ("acme", "https://acme.symphony.com/pod"),
        ("acme-uat", "https://acme-uat.symphony.com/pod"),
        ("acme.symphony.com", "https://acme.symphony.com/pod"),
        (" acme.symphony.com ", "https://acme.symphony.com/pod"),
        ("acme.symphony.com/pod", "https://acme.symphony.com/pod"),
        ("https://acme.symphony.com", "https://acme.symphony.com/pod"),
        ("https://acme.symphony.com/", "https://acme.symphony.com/pod"),
        ("https://acme.symphony.com/pod", "https://acme.symphony.com/pod"),
        ("https://acme.symphony.com/pod/", "https://acme.symphony.com/pod"),
        (
            "https://acme.symphony.com:8443",
            "https://acme.symphony.com:8443/pod",
        ),
        (
            "https://proxy.example/symphony/pod",
            "https://proxy.example/symphony/pod",
        ),
        ("http://127.0.0.1:9", "http://127.0.0.1:9/pod"),
    ];
    for (pod, url) in made {
        assert_eq!(pod_url(pod).expect(pod), url, "{pod}");
        let client = Client::for_pod(pod)
            .expect(pod)
            .session_token(TOKEN)
            .build()
            .expect(pod);
        assert_eq!(client.base_url(), url, "{pod}");
    }
    let refused = [
        ("", "the pod is empty: give its host, such as acme.symphony.com"),
        ("https://acme.symphony.com/agent", "/agent"),
        ("https://acme.symphony.com/login/", "/login"),
        ("https://acme.symphony.com/pod/v2", "/pod/v2"),
    ];
    for (pod, reason) in refused {
        let err = pod_url(pod).expect_err(pod);
        let expected = if reason.starts_with('/') {
            format!(
                "the pod API lives under `/pod` on the pod's host, not under `{reason}`: give the \
                 host (acme.symphony.com) or a URL that ends in `/pod`"
            )
        } else {
            reason.to_string()
        };
        assert_eq!(err.reason(), expected, "{pod}");
        assert!(Client::for_pod(pod).is_err(), "{pod}");
    }
    // The builder's own checks still apply, and never show a password.
    let err = Client::for_pod("https://user:hunter2@acme.symphony.com")
        .expect("a pod URL")
        .session_token(TOKEN)
        .build()
        .unwrap_err();
    assert!(!err.to_string().contains("hunter2"), "{err}");
}

// ---------------------------------------------------------------------------------------------
// Error statuses: documented, undeclared, and bodies the spec does not describe
// ---------------------------------------------------------------------------------------------

/// Every documented error status of every operation, and an undeclared 418 with Symphony's
/// body, is an `Error::Api` with the decoded `{code, message}`, the body as sent, and the
/// message in `Display`; the request was the documented one, sent once. The documented answers
/// are checked against the spec when they are built; the 418 is `Then::raw`.
#[tokio::test]
async fn every_documented_and_undeclared_error_status_decodes_symphonys_error() {
    for op in OPS {
        for &status in op.documented_errors().iter().chain(&[418]) {
            let server = MockServer::start().await;
            op.expect_answer(&server, status, &vendor_error(status));
            let err = op.call(&client_of(&server), GROUP).await.unwrap_err();
            assert_vendor_api_error(&err, status, &vendor_error(status), |vendor| {
                assert_eq!(vendor.code, Some(i32::from(status)));
                let message = format!("Symphony says {status}");
                assert_eq!(vendor.message.as_deref(), Some(message.as_str()));
            });
            let message = format!("Symphony says {status} (code {status})");
            assert_shown(&err, Some(&message), SECRETS);
            assert!(!err.is_retryable(), "{op:?} {status}");
            let request = only(server.received().await);
            let path = format!("{POD}{}", op.path(GROUP));
            assert_symphony_request(&request, &path, &op.body(), TOKEN);
        }
    }
}

#[tokio::test]
async fn an_undeclared_502_with_html_is_a_retryable_api_error_with_an_excerpt() {
    checks::html_error_keeps_its_status(502, true, SECRETS, update_group_at).await;
}

#[tokio::test]
async fn an_html_body_on_a_documented_500_keeps_the_status() {
    checks::html_error_keeps_its_status(500, false, SECRETS, update_group_at).await;
}

#[tokio::test]
async fn an_empty_body_on_a_documented_404_keeps_the_status() {
    checks::empty_body_keeps_its_status(404, SECRETS, async |base: &str| {
        Op::Assignment.call(&client_at(base), GROUP).await
    })
    .await;
}

/// A documented 404 whose Symphony error says nothing (`{}`, the generated `types::Error` with
/// no field set) is an `Error::Api` with the decoded, empty error and the body as the excerpt,
/// and `Display` shows the body, since there is no message to show: what
/// `checks::vendor_error_saying_nothing_keeps_the_excerpt` checks, on the mock, with the request.
#[tokio::test]
async fn an_empty_json_object_on_a_404_decodes_and_keeps_the_excerpt() {
    let server = MockServer::start().await;
    expect_group(&server).respond(UpdateUserGroupThen::not_found(types::Error::new()));
    let err = client_of(&server)
        .update_user_group(GROUP, &group_update())
        .await
        .unwrap_err();
    assert_vendor_api_error(&err, 404, &json!({}), |vendor| {
        assert_eq!(vendor.code, None);
        assert_eq!(vendor.message, None);
    });
    assert_eq!(err.body_excerpt(), Some("{}"));
    assert_shown(&err, Some("{}"), SECRETS);
    let request = only(server.received().await);
    assert_symphony_request(&request, GROUP_PATH, &group_update_json(), TOKEN);
}

#[tokio::test]
async fn a_200_whose_body_is_not_the_schema_is_a_decode_error_with_the_status() {
    let body = json!({"id": 12, "memberCount": "many"});
    checks::a_body_off_the_schema_is_a_decode_error(&body, "many", SECRETS, update_group_at).await;
}

#[tokio::test]
async fn response_headers_reach_the_caller_and_rate_limits_are_retryable() {
    checks::rate_limit_headers_reach_the_caller(SECRETS, update_group_at).await;
}

// ---------------------------------------------------------------------------------------------
// Network failures
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn a_refused_connection_is_a_retryable_network_error() {
    checks::a_refused_connection_is_a_retryable_network_error(SECRETS, update_group_at).await;
}

#[tokio::test]
async fn a_slow_server_is_a_retryable_timeout() {
    checks::a_slow_server_is_a_retryable_timeout(SECRETS, async |base: &str, timeout| {
        let client = builder(base).timeout(timeout).build().expect("valid settings");
        client.update_user_group(GROUP, &group_update()).await
    })
    .await;
}

// ---------------------------------------------------------------------------------------------
// Credentials and configuration
// ---------------------------------------------------------------------------------------------

#[test]
fn debug_output_of_the_builder_and_the_client_never_shows_the_token() {
    checks::debug_never_shows_secrets(
        SECRETS,
        builder("https://acme.symphony.com/pod"),
        ClientBuilder::build,
    );
}

/// A session token replaced on one clone of the client reaches the next request of every
/// clone: what `checks::a_replaced_credential_reaches_the_next_request` checks, on the mock, with
/// both requests asserted whole.
#[tokio::test]
async fn set_session_token_changes_the_header_of_the_next_request() {
    const RENEWED: &str = "renewed-session-SECRET";
    let server = MockServer::start().await;
    // One expectation per call, answered in turn.
    for _ in 0..2 {
        expect_group(&server).respond(UpdateUserGroupThen::ok(
            types::UserGroupResponse::new().with_id(GROUP),
        ));
    }
    let client = client_of(&server);
    let clone = client.clone();
    let group = client
        .update_user_group(GROUP, &group_update())
        .await
        .expect("the first call");
    assert_eq!(group.id.as_deref(), Some(GROUP));
    clone.set_session_token(RENEWED).expect("a valid credential");
    assert_hidden(&format!("{client:?} {clone:?}"), &[RENEWED]);
    client
        .update_user_group(GROUP, &group_update())
        .await
        .expect("the second call");
    let received = server.received().await;
    assert_eq!(received.len(), 2);
    assert_symphony_request(&received[0], GROUP_PATH, &group_update_json(), TOKEN);
    assert_symphony_request(&received[1], GROUP_PATH, &group_update_json(), RENEWED);
}

#[tokio::test]
async fn a_token_a_header_cannot_carry_is_refused_and_the_old_one_stays() {
    let reason = "the credential for `sessionToken` contains characters a header cannot carry (control characters or newlines)";
    let err = builder("https://pod.example.com")
        .session_token("bad\ntoken")
        .build()
        .unwrap_err();
    assert_eq!(err.reason(), reason);

    let server = MockServer::start().await;
    expect_group(&server).respond(UpdateUserGroupThen::json(200, group_response()));
    let client = client_of(&server);
    let err = client.set_session_token("bad\ntoken").unwrap_err();
    assert_eq!(err.reason(), reason);
    client
        .update_user_group(GROUP, &group_update())
        .await
        .expect("200");
    let request = only(server.received().await);
    assert_eq!(header_values(&request, "sessiontoken"), [TOKEN]);
    assert_symphony_request(&request, GROUP_PATH, &group_update_json(), TOKEN);
}

#[test]
fn base_urls_are_checked_when_the_client_is_built() {
    checks::base_urls_are_checked_when_the_client_is_built(SECRETS, |url, allow_http| {
        let builder = builder(url);
        let builder = if allow_http { builder.allow_http() } else { builder };
        builder.build().map(|c| c.base_url().to_string())
    });
}

#[test]
fn there_is_no_default_pod_and_build_says_so() {
    let err = Client::builder().session_token(TOKEN).build().unwrap_err();
    assert_eq!(
        err.to_string(),
        "invalid client configuration: the Restricted Pod API has no usable default server \
         (the server `https://{pod}.symphony.com/pod` needs a value for `pod`): give one with `.base_url(..)`"
    );
}

// ---------------------------------------------------------------------------------------------
// Path values
// ---------------------------------------------------------------------------------------------

/// Hostile group ids arrive inside their own segment on every operation, and ids that would
/// change the endpoint (empty, dot-segments, `\`) are refused before anything is sent.
#[tokio::test]
async fn group_ids_stay_inside_their_path_segment_on_every_operation() {
    for op in OPS {
        let path = |segment: &str| op.path(segment);
        let call = async |base: &str, group_id: &str| op.call(&client_at(base), group_id).await;
        checks::a_path_parameter_stays_in_its_segment("group_id", ok(), path, call).await;
    }
}

/// The url crate reads `\` as `/` in an http(s) URL, so this group id would turn
/// `update_user_group` into `PUT /v1/admin/user/123/update` (Symphony's update-user endpoint),
/// and the other operations into paths below it.
#[tokio::test]
async fn a_backslash_climb_to_another_endpoint_is_refused_and_nothing_is_sent() {
    // No expectation: a request would also be a miss, reported when the mock is dropped.
    let server = MockServer::start().await;
    let client = client_of(&server);
    let mut results = Vec::new();
    for op in OPS {
        results.push(op.call(&client, r"..\..\..\v1\admin\user\123\update").await);
    }
    assert_none(&server.received().await);
    for result in results {
        assert_refused(&result.unwrap_err(), "group_id");
    }
}

// ---------------------------------------------------------------------------------------------
// Redirects
// ---------------------------------------------------------------------------------------------

// reqwest strips only `authorization`, `cookie` and `proxy-authorization` when a redirect leaves
// the origin; the `sessiontoken` header would follow the redirect to the other host. The client
// follows redirects only within one origin, so the credential never leaves it.
#[tokio::test]
async fn a_cross_origin_redirect_is_an_api_error_and_nothing_reaches_the_other_host() {
    checks::a_cross_origin_redirect_is_an_api_error(SECRETS, update_group_at).await;
}

#[tokio::test]
async fn a_same_origin_redirect_is_followed_with_the_session_token() {
    checks::a_same_origin_redirect_is_followed_with_the_credential(
        ok(),
        ("sessiontoken", TOKEN),
        update_group_at,
    )
    .await;
}
