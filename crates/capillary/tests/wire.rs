//! Wire tests for the Capillary client: a real HTTP server on 127.0.0.1 stands in for a Capillary
//! cluster, and every test goes through the public API a downstream user calls (a builder, a
//! credential, `.build()`, then the method).
//!
//! Each test pins one behaviour: the request as it arrives (method, exact path, the `id` query,
//! Basic or OAuth credentials, JSON body), what the caller gets back for every documented status
//! (with Capillary's error codes), statuses and bodies the spec does not describe, network
//! failures and timeouts, permissions Capillary may add later, regions, credentials that never
//! print, and redirects that stay in the cluster's origin.
//!
//! # On the generated mock
//!
//! Twelve tests run on the crate's own generated mock (`capillary_client::mock`, the `mock`
//! feature), as a downstream user's tests would: the Basic and the OAuth request (with the
//! snapshots), the exact `id` query, an empty member list that sends nothing, both shapes of a 200
//! (the table's and the example's), a 201 partial failure, a 200 without failures, item-level codes
//! in a 400 and a 500, a permission Capillary may add later (received and sent), every documented
//! and an undeclared error status with Capillary's two error shapes, and `set_oauth_token`
//! switching a Basic client. Each expectation names the operation and its exact typed inputs (the
//! `id` query and the body, written by the client's own serializers) and how often (`times`), a
//! request nothing expects fails the test, and the answer is checked against the spec when it is
//! built (an undeclared 403, which `Then::documents` tells apart, goes through `Then::raw`). Where
//! a test is about decoding, the answer is Capillary's JSON (`Then::json`), so that the wire names
//! are tested rather than the generated types' own serializer; the others answer a batch built from
//! the generated types (`Then::ok`). The clients are the mock's (`server.client_builder()`) with
//! this file's Basic or OAuth credential, set last, so the only one sent. Every test that sends a
//! request asserts it as it arrived (`assert_capillary_request` on `wire_testing::only` of
//! `server.received()`; `wire_testing::assert_none` where nothing may be sent).
//!
//! The other twelve are the behaviours every client shares, written once in
//! `wire_testing::checks` (an HTML, empty or `{}` error body, a body off the schema, rate-limit
//! headers, a refused connection, a slow server, a Basic credential or an OAuth token replaced,
//! redirects within and across origins). Each check starts its own plain wiremock server, or
//! none, and takes the base URL to build the client at, so that every client is held to the same
//! code; their clients are built with `Client::in_region(&Region::Url(..))`. Some of them the
//! mock could not hold at all: a refused connection has no server, and a redirect needs a second
//! origin or a path outside the API's operations (which the mock answers 599, as a miss).
//!
//! The tests without a server (the MD5 Basic encoding, `Debug`, base URLs, regions and the
//! spec's servers) need neither.

use capillary_client::mock::{
    Answer, MockServer, Request, UpdateUserGroupMemberPermissionsThen as Then,
    UpdateUserGroupMemberPermissionsWhen as When,
};
use capillary_client::{
    BATCH_LIMIT_EXCEEDED, Client, ClientBuilder, Error, INVALID_MEMBER_ID, INVALID_ORG_ID, Permission,
    Region, Response, Secret, headers, md5_basic, types,
};
use serde_json::{Value, json};
use wire_testing::checks;
use wire_testing::{
    assert_hidden, assert_json_put, assert_none, assert_shown, assert_vendor_api_error, header_values,
    json_response, only, render,
};
use wiremock::ResponseTemplate;

const USER: &str = "till.eu.1";
const PASSWORD: &str = "Pa55-w0rd!";
/// `md5("Pa55-w0rd!")` in lowercase hex, computed independently of the client.
const PASSWORD_MD5: &str = "c2f4ebf70aa5628c6a01f01f487e375a";
/// `"Basic " + base64("till.eu.1:" + PASSWORD_MD5)`, computed independently of the client.
const BASIC: &str = "Basic dGlsbC5ldS4xOmMyZjRlYmY3MGFhNTYyOGM2YTAxZjAxZjQ4N2UzNzVh";
const OAUTH_TOKEN: &str = "cap-oauth-SECRET-91b2c3";
const SECRETS: &[&str] = &[
    PASSWORD,
    PASSWORD_MD5,
    BASIC,
    "dGlsbC5ldS4xOmMyZjRlYmY3MGFhNTYyOGM2YTAxZjAxZjQ4N2UzNzVh",
    OAUTH_TOKEN,
];
const USER_AGENT: &str = concat!("capillary-client/", env!("CARGO_PKG_VERSION"));
const GROUP_ID: i64 = 3839;
const MEMBER: i64 = 109983515;

/// The two ways to authenticate, for the tests that treat them alike.
#[derive(Clone, Copy, Debug)]
enum Auth {
    /// `.basic_auth(USER, PASSWORD)`: `Authorization: Basic base64(user:md5hex(password))`.
    Basic,
    /// `.oauth_token(OAUTH_TOKEN)`: `X-CAP-API-OAUTH-TOKEN`.
    OAuth,
}

impl Auth {
    /// `builder` with this credential.
    fn with(self, builder: ClientBuilder) -> ClientBuilder {
        match self {
            Auth::Basic => builder.basic_auth(USER, PASSWORD),
            Auth::OAuth => builder.oauth_token(OAUTH_TOKEN),
        }
    }

    /// A builder for a cluster at `base_url` (as `Region::Url`) with this credential.
    fn builder(self, base_url: &str) -> ClientBuilder {
        self.with(Client::in_region(&Region::Url(base_url.to_string())))
    }

    fn client_at(self, base_url: &str) -> Client {
        self.builder(base_url).build().expect("valid settings")
    }

    /// A client of the generated mock with this credential. The mock's builder holds a test
    /// credential for every scheme; this one, set last, is the one the client sends.
    fn client_of(self, server: &MockServer) -> Client {
        self.with(server.client_builder())
            .build()
            .expect("valid settings")
    }

    /// The header the credential travels in, and its value.
    fn header(self) -> (&'static str, &'static str) {
        match self {
            Auth::Basic => ("authorization", BASIC),
            Auth::OAuth => ("x-cap-api-oauth-token", OAUTH_TOKEN),
        }
    }
}

/// Checks a Capillary request: method, exact path, the `id` query, the credential header
/// (`name: value`) and no other credential, the headers (the default User-Agent among them),
/// the JSON body.
fn assert_capillary_request(request: &Request, query: &str, credential: (&str, &str), body: &Value) {
    let (credential_name, credential_value) = credential;
    assert_json_put(
        request,
        "/v2/userGroup2/members/permissions",
        Some(query),
        USER_AGENT,
        &[credential_name],
        body,
    );
    assert_eq!(header_values(request, credential_name), [credential_value]);
    for other in ["authorization", "x-cap-api-oauth-token"] {
        if other != credential_name {
            assert!(request.headers.get(other).is_none(), "`{other}` must not be sent");
        }
    }
    assert_eq!(header_values(request, "accept"), ["application/json"]);
}

/// Checks that the mock received one request, the call of [`transfer_with`] with `auth`.
async fn assert_transfer_received(server: &MockServer, auth: Auth) {
    let request = only(server.received().await);
    assert_capillary_request(&request, "id=3839", auth.header(), &transfer_json());
}

fn transfer() -> Vec<types::MemberPermissionUpdate> {
    vec![types::MemberPermissionUpdate::new(
        vec![Permission::AllowPointsTransfer],
        MEMBER,
    )]
}

/// The body Capillary's current "Update permissions" page shows: `permissions` is a list.
fn transfer_json() -> Value {
    json!([{"userId": MEMBER, "permissions": ["allow_points_transfer"]}])
}

fn member(permissions: &[&str]) -> Value {
    json!({
        "userId": MEMBER, "groupId": GROUP_ID, "permissions": permissions,
        "defaultGroup": false, "primaryMember": false, "active": false
    })
}

fn batch_response(permissions: &[&str]) -> Value {
    let member = member(permissions);
    json!({
        "response": [{"entityId": member, "result": member, "warnings": []}],
        "totalCount": 1,
        "failureCount": 0
    })
}

/// [`batch_response`] with no permissions, for the checks' plain server.
fn ok() -> ResponseTemplate {
    json_response(200, &batch_response(&[]))
}

/// The mock's expectation of `update_user_group_member_permissions` for group `id` with `body`
/// (how often is the caller's: `times`).
fn expect_update(server: &MockServer, id: i64, body: &Vec<types::MemberPermissionUpdate>) -> When {
    server
        .on()
        .update_user_group_member_permissions()
        .id(id)
        .body(body)
}

/// The mock's expectation of [`transfer_with`]: group [`GROUP_ID`], the body of [`transfer`].
fn expect_transfer(server: &MockServer) -> When {
    expect_update(server, GROUP_ID, &transfer())
}

/// The mock's answer of a batch where [`MEMBER`] was updated without a permission and nothing
/// failed, built from the generated types ([`ok`] for the mock).
fn answered_ok() -> Then {
    let member = types::GroupMember::new()
        .with_user_id(MEMBER)
        .with_group_id(GROUP_ID)
        .with_permissions(Vec::<String>::new())
        .with_default_group(false)
        .with_primary_member(false)
        .with_active(false);
    let entry = types::PermissionUpdateResult::new()
        .with_entity_id(member.clone())
        .with_result(member);
    Then::ok(
        types::UserGroupPermissionsResponse::new()
            .with_response(vec![entry])
            .with_total_count(1)
            .with_failure_count(0),
    )
}

type Permissions = Response<types::UserGroupPermissionsResponse, headers::UpdateUserGroupMemberPermissions>;

/// The call the shared checks make: let [`MEMBER`] transfer points, in group [`GROUP_ID`].
async fn transfer_with(client: &Client) -> Result<Permissions, Error> {
    client
        .update_user_group_member_permissions(GROUP_ID, &transfer())
        .await
}

/// [`transfer_with`] a Basic client at `base_url`.
async fn transfer_at(base_url: &str) -> Result<Permissions, Error> {
    transfer_with(&Auth::Basic.client_at(base_url)).await
}

/// [`transfer_with`] an OAuth client at `base_url`.
async fn transfer_oauth_at(base_url: &str) -> Result<Permissions, Error> {
    transfer_with(&Auth::OAuth.client_at(base_url)).await
}

// ---------------------------------------------------------------------------------------------
// update_user_group_member_permissions: PUT /v2/userGroup2/members/permissions?id={id}
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn basic_auth_sends_the_documented_request_and_decodes_200() {
    let server = MockServer::start().await;
    expect_transfer(&server)
        .times(1)
        .respond(Then::json(200, batch_response(&["allow_points_transfer"])));
    let result = transfer_with(&Auth::Basic.client_of(&server)).await.expect("200");

    assert_eq!(result.status().as_u16(), 200);
    assert_eq!(result.total_count, Some(1));
    assert_eq!(result.failure_count, Some(0));
    let entry = &result.response[0];
    let updated = entry.result.as_ref().expect("result");
    assert_eq!(updated.group_id, Some(GROUP_ID));
    assert!(matches!(updated.user_id, Some(types::MemberId::Int64(MEMBER))));

    let request = only(server.received().await);
    assert_capillary_request(&request, "id=3839", ("authorization", BASIC), &transfer_json());
    let text = render(&request);
    assert_hidden(&text, SECRETS);
    insta::assert_snapshot!("update_user_group_member_permissions_request", text);
}

#[tokio::test]
async fn oauth_sends_the_token_header_and_no_authorization() {
    let server = MockServer::start().await;
    let body = vec![
        types::MemberPermissionUpdate::new(
            vec![Permission::BlockPointsRedemption, Permission::BlockPointsTransfer],
            MEMBER,
        ),
        types::MemberPermissionUpdate::new(vec![Permission::AllowPointsRedemption], 42),
    ];
    expect_update(&server, GROUP_ID, &body)
        .times(1)
        .respond(Then::json(200, batch_response(&["allow_points_transfer"])));
    Auth::OAuth
        .client_of(&server)
        .update_user_group_member_permissions(GROUP_ID, &body)
        .await
        .expect("200");

    let request = only(server.received().await);
    let expected = json!([
        {"userId": MEMBER, "permissions": ["block_points_redemption", "block_points_transfer"]},
        {"userId": 42, "permissions": ["allow_points_redemption"]}
    ]);
    assert_capillary_request(
        &request,
        "id=3839",
        ("x-cap-api-oauth-token", OAUTH_TOKEN),
        &expected,
    );
    let text = render(&request);
    assert_hidden(&text, SECRETS);
    insta::assert_snapshot!("update_user_group_member_permissions_oauth_request", text);
}

#[test]
fn md5_basic_is_capillarys_encoding_and_never_prints() {
    let basic = md5_basic(USER, &Secret::new(PASSWORD));
    assert_eq!(basic.expose(), BASIC);
    assert_hidden(&format!("{basic:?} {basic}"), SECRETS);
}

#[tokio::test]
async fn the_group_id_is_sent_as_an_exact_integer_query() {
    let server = MockServer::start().await;
    let ids = [0, -5, i64::MAX];
    for id in ids {
        expect_update(&server, id, &transfer())
            .times(1)
            .respond(answered_ok());
    }
    let client = Auth::Basic.client_of(&server);
    for id in ids {
        client
            .update_user_group_member_permissions(id, &transfer())
            .await
            .expect("200");
    }
    let received = server.received().await;
    let queries: Vec<Option<&str>> = received.iter().map(|r| r.url.query()).collect();
    assert_eq!(
        queries,
        [Some("id=0"), Some("id=-5"), Some("id=9223372036854775807")]
    );
    for (request, id) in received.iter().zip(ids) {
        assert_capillary_request(
            request,
            &format!("id={id}"),
            Auth::Basic.header(),
            &transfer_json(),
        );
    }
}

#[tokio::test]
async fn an_empty_member_list_is_refused_before_anything_is_sent() {
    // No expectation: the strict mock would fail the test on any request, and none may come.
    let server = MockServer::start().await;
    let err = Auth::Basic
        .client_of(&server)
        .update_user_group_member_permissions(GROUP_ID, &vec![])
        .await
        .unwrap_err();
    checks::assert_refused(&err, "body");
    assert_eq!(err.to_string(), "invalid `body`: needs at least 1 item");
    assert_none(&server.received().await);
}

#[tokio::test]
async fn responses_decode_whether_user_id_and_permissions_come_as_the_table_or_the_example_says() {
    // The seed's table types userId as a string and permissions as a string; its examples send a
    // number and an array. The response must decode either way.
    let as_example = json!({"userId": MEMBER, "groupId": GROUP_ID, "permissions": ["allow_points_transfer"]});
    let as_table =
        json!({"userId": MEMBER.to_string(), "groupId": GROUP_ID, "permissions": "allow_points_transfer"});
    let body = json!({
        "response": [{"entityId": as_example, "result": as_table, "warnings": []}],
        "totalCount": 1,
        "failureCount": 0
    });
    let server = MockServer::start().await;
    expect_transfer(&server).times(1).respond(Then::json(200, body));
    let result = transfer_with(&Auth::Basic.client_of(&server))
        .await
        .expect("both shapes decode");

    let entry = &result.response[0];
    let numeric = entry.entity_id.as_ref().expect("entityId");
    assert!(matches!(numeric.user_id, Some(types::MemberId::Int64(MEMBER))));
    assert!(
        matches!(&numeric.permissions, Some(types::PermissionList::Array(p)) if p == &["allow_points_transfer"])
    );
    let textual = entry.result.as_ref().expect("result");
    assert!(matches!(&textual.user_id, Some(types::MemberId::String(id)) if id == &MEMBER.to_string()));
    assert!(
        matches!(&textual.permissions, Some(types::PermissionList::String(p)) if p == "allow_points_transfer")
    );
    assert_transfer_received(&server, Auth::Basic).await;
}

/// A batch whose entries fail one by one: Capillary's "API status codes" page says "201 | One
/// or more requests have failed due to errors", with the batch envelope. The caller gets a
/// success with status 201, `failureCount`, and the failed entries (`failed()`) with their typed
/// `errors` and `warnings`; `has_code` finds the entries' codes as it does in an error body.
#[tokio::test]
async fn a_201_partial_failure_shows_which_members_failed_and_why() {
    let body = json!({
        "response": [
            {"entityId": member(&["allow_points_transfer"]), "result": member(&["allow_points_transfer"]), "warnings": []},
            {
                "entityId": {"userId": 42, "groupId": GROUP_ID, "permissions": ["allow_points_transfer"]},
                "errors": [{"code": 1632, "message": "Invalid user group member ID passed", "status": false}],
                "warnings": [{"code": 1633, "message": "nothing changed", "status": true}]
            }
        ],
        "totalCount": 2,
        "failureCount": 1
    });
    let server = MockServer::start().await;
    expect_transfer(&server).times(1).respond(Then::json(201, body));
    let result = transfer_with(&Auth::Basic.client_of(&server))
        .await
        .expect("201 is a success");

    assert_eq!(result.status().as_u16(), 201);
    assert_eq!((result.total_count, result.failure_count), (Some(2), Some(1)));
    let failed: Vec<&types::PermissionUpdateResult> = result.failed().collect();
    assert_eq!(failed.len(), 1);
    let entry = failed[0];
    let who = entry.entity_id.as_ref().and_then(|m| m.user_id.as_ref());
    assert!(matches!(who, Some(types::MemberId::Int64(42))), "{who:?}");
    assert_eq!(entry.errors[0].code, Some(INVALID_MEMBER_ID));
    assert_eq!(
        entry.errors[0].message.as_deref(),
        Some("Invalid user group member ID passed")
    );
    assert_eq!(entry.errors[0].status, Some(false));
    assert_eq!(entry.warnings[0].code, Some(1633));
    assert_eq!(entry.warnings[0].message.as_deref(), Some("nothing changed"));
    assert_eq!(result.codes(), [INVALID_MEMBER_ID]);
    assert!(result.has_code(INVALID_MEMBER_ID));
    assert!(!result.has_code(1633), "a warning code is not an error code");

    let request = only(server.received().await);
    assert_capillary_request(&request, "id=3839", ("authorization", BASIC), &transfer_json());
}

/// A 200 where every entry succeeded has no failed entries and no codes.
#[tokio::test]
async fn a_200_without_failures_has_no_failed_entries() {
    let server = MockServer::start().await;
    expect_transfer(&server).times(1).respond(answered_ok());
    let result = transfer_with(&Auth::Basic.client_of(&server)).await.expect("200");
    assert_eq!(result.failed().count(), 0);
    assert!(result.codes().is_empty());
    assert!(!result.has_code(INVALID_MEMBER_ID));
    assert_transfer_received(&server, Auth::Basic).await;
}

/// Item-level codes count in an error body too: when every entry fails (Capillary's "500 |
/// Requests have failed due to errors", or a 400), the codes may be only in
/// `response[].errors`, and `has_code` finds them next to the request-level ones.
#[tokio::test]
async fn item_level_codes_in_an_error_body_are_found_by_has_code() {
    let failed_entry = |code: i64| {
        json!({
            "entityId": {"userId": MEMBER, "groupId": GROUP_ID},
            "errors": [{"code": code, "message": "Invalid user group member ID passed", "status": false}],
            "warnings": []
        })
    };
    let only_items = json!({"response": [failed_entry(1632)], "warnings": [], "errors": []});
    let both = json!({
        "response": [failed_entry(1632)],
        "errors": [{"code": BATCH_LIMIT_EXCEEDED, "message": "Batch limit size exceeded.", "status": false}]
    });
    let cases = [
        (500, only_items, vec![INVALID_MEMBER_ID]),
        (400, both, vec![BATCH_LIMIT_EXCEEDED, INVALID_MEMBER_ID]),
    ];
    for (status, body, codes) in cases {
        let server = MockServer::start().await;
        expect_transfer(&server)
            .times(1)
            .respond(Then::json(status, body.clone()));
        let err = transfer_with(&Auth::Basic.client_of(&server)).await.unwrap_err();
        assert_vendor_api_error(&err, status, &body, |vendor| {
            assert_eq!(vendor.codes(), codes, "{status}");
            assert!(vendor.has_code(INVALID_MEMBER_ID), "{status}");
            assert!(!vendor.has_code(INVALID_ORG_ID), "{status}");
            let entry = &vendor.response[0];
            assert!(matches!(
                entry.entity_id.as_ref().and_then(|m| m.user_id.as_ref()),
                Some(types::MemberId::Int64(MEMBER))
            ));
        });
        assert_transfer_received(&server, Auth::Basic).await;
    }
}

// ---------------------------------------------------------------------------------------------
// Values Capillary may add later
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn an_unknown_permission_and_extra_fields_decode() {
    let mut body = batch_response(&["allow_points_gifting"]);
    body["newTopLevel"] = json!("x");
    body["response"][0]["result"]["tier"] = json!({"name": "gold"});
    body["response"][0]["futureField"] = json!([1, 2]);
    let server = MockServer::start().await;
    expect_transfer(&server).times(1).respond(Then::json(200, body));
    let result = transfer_with(&Auth::Basic.client_of(&server))
        .await
        .expect("unknown values decode");
    match &result.response[0].result.as_ref().expect("result").permissions {
        Some(types::PermissionList::Array(list)) => assert_eq!(list, &["allow_points_gifting"]),
        other => panic!("unexpected permissions {other:?}"),
    }
    assert_transfer_received(&server, Auth::Basic).await;
}

#[tokio::test]
async fn an_unknown_permission_given_by_the_caller_is_sent_unchanged() {
    let server = MockServer::start().await;
    let body = vec![types::MemberPermissionUpdate::new(
        vec![Permission::Other("allow_points_gifting".into())],
        MEMBER,
    )];
    expect_update(&server, GROUP_ID, &body)
        .times(1)
        .respond(answered_ok());
    Auth::Basic
        .client_of(&server)
        .update_user_group_member_permissions(GROUP_ID, &body)
        .await
        .expect("200");
    let request = only(server.received().await);
    let expected = json!([{"userId": MEMBER, "permissions": ["allow_points_gifting"]}]);
    assert_capillary_request(&request, "id=3839", ("authorization", BASIC), &expected);
}

// ---------------------------------------------------------------------------------------------
// Error statuses: documented, undeclared, and bodies the spec does not describe
// ---------------------------------------------------------------------------------------------

/// Capillary's two error shapes on every documented status (400, 401, 500) and an undeclared
/// 403: an `Error::Api` with the decoded codes (1632 is [`INVALID_MEMBER_ID`]), the body as
/// sent, the message and code in `Display`; not retryable; the request was the documented one.
#[tokio::test]
async fn every_documented_and_undeclared_error_status_decodes_capillarys_codes() {
    let errors = |code: i64, message: &str| json!({"response": [], "warnings": [], "errors": [{"code": code, "message": message, "status": false}]});
    let status_object =
        |code: i64, message: &str| json!({"status": {"success": false, "code": code, "message": message}});
    let cases = [
        (
            Auth::Basic,
            400,
            errors(1632, "Invalid user group member ID passed"),
        ),
        (Auth::Basic, 401, status_object(401, "Unauthorized")),
        (Auth::Basic, 500, status_object(500, "Internal error")),
        (Auth::OAuth, 400, errors(1632, "bad member")),
        (Auth::OAuth, 401, errors(1632, "bad member")),
        (Auth::OAuth, 500, errors(1632, "bad member")),
        (Auth::Basic, 403, errors(1632, "nope")),
    ];
    for (auth, status, body) in cases {
        let server = MockServer::start().await;
        // The spec does not document a 403: the checked constructors would refuse it.
        let answer = if Then::documents(status) {
            Then::json(status, body.clone())
        } else {
            Then::raw(Answer::json(status, &body))
        };
        expect_transfer(&server).times(1).respond(answer);
        let err = transfer_with(&auth.client_of(&server)).await.unwrap_err();
        let (code, message) = match (&body["errors"][0], &body["status"]) {
            (Value::Null, status) => (&status["code"], &status["message"]),
            (first, _) => (&first["code"], &first["message"]),
        };
        let (code, message) = (code.as_i64().expect("code"), message.as_str().expect("message"));
        assert_vendor_api_error(&err, status, &body, |vendor| {
            assert_eq!(vendor.codes(), [code]);
            assert_eq!(vendor.has_code(INVALID_MEMBER_ID), code == INVALID_MEMBER_ID);
        });
        assert_shown(&err, Some(&format!("{message} (code {code})")), SECRETS);
        assert!(!err.is_retryable(), "{status}");
        assert_transfer_received(&server, auth).await;
    }
}

#[tokio::test]
async fn an_undeclared_502_with_html_is_a_retryable_api_error_with_an_excerpt() {
    checks::html_error_keeps_its_status(502, true, SECRETS, transfer_at).await;
}

#[tokio::test]
async fn an_html_body_on_a_documented_500_keeps_the_status() {
    checks::html_error_keeps_its_status(500, false, SECRETS, transfer_at).await;
}

#[tokio::test]
async fn an_empty_body_on_a_documented_401_keeps_the_status() {
    checks::empty_body_keeps_its_status(401, SECRETS, transfer_oauth_at).await;
}

#[tokio::test]
async fn an_empty_json_object_on_a_404_decodes_and_keeps_the_excerpt() {
    checks::vendor_error_saying_nothing_keeps_the_excerpt(404, SECRETS, transfer_at).await;
}

#[tokio::test]
async fn a_200_whose_body_is_not_the_schema_is_a_decode_error_with_the_status() {
    let body = json!({"totalCount": "one"});
    checks::a_body_off_the_schema_is_a_decode_error(&body, "one", SECRETS, transfer_at).await;
}

#[tokio::test]
async fn response_headers_reach_the_caller_and_rate_limits_are_retryable() {
    checks::rate_limit_headers_reach_the_caller(SECRETS, transfer_oauth_at).await;
}

// ---------------------------------------------------------------------------------------------
// Network failures
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn a_refused_connection_is_a_retryable_network_error() {
    checks::a_refused_connection_is_a_retryable_network_error(SECRETS, transfer_at).await;
}

#[tokio::test]
async fn a_slow_server_is_a_retryable_timeout() {
    checks::a_slow_server_is_a_retryable_timeout(SECRETS, async |base: &str, timeout| {
        let client = Auth::OAuth
            .builder(base)
            .timeout(timeout)
            .build()
            .expect("valid settings");
        transfer_with(&client).await
    })
    .await;
}

// ---------------------------------------------------------------------------------------------
// Credentials, regions and configuration
// ---------------------------------------------------------------------------------------------

#[test]
fn debug_output_of_the_builder_and_the_client_never_shows_secrets() {
    let both = Auth::Basic
        .builder("https://eu.api.capillarytech.com")
        .oauth_token(OAUTH_TOKEN);
    for builder in [
        Auth::Basic.builder("https://eu.api.capillarytech.com"),
        Auth::OAuth.builder("https://eu.api.capillarytech.com"),
        both,
    ] {
        checks::debug_never_shows_secrets(SECRETS, builder, ClientBuilder::build);
    }
}

#[tokio::test]
async fn set_basic_auth_changes_the_header_of_the_next_request() {
    // "Basic " + base64("till.eu.2:" + md5("second-Pa55")), computed independently.
    let second = "Basic dGlsbC5ldS4yOjNhYzY2MGY5MjcxNzhjNzk5ODg3NmRhNTM4NTcwMzgy";
    checks::a_replaced_credential_reaches_the_next_request(
        ok(),
        "authorization",
        (BASIC, second),
        |base| Auth::Basic.client_at(base),
        |client| client.set_basic_auth("till.eu.2", "second-Pa55"),
        transfer_with,
    )
    .await;
}

#[tokio::test]
async fn set_oauth_token_changes_the_header_of_the_next_request() {
    checks::a_replaced_credential_reaches_the_next_request(
        ok(),
        "x-cap-api-oauth-token",
        (OAUTH_TOKEN, "cap-oauth-RENEWED"),
        |base| Auth::OAuth.client_at(base),
        |client| client.set_oauth_token("cap-oauth-RENEWED"),
        transfer_with,
    )
    .await;
}

/// The old client's `set_credentials` switched a Basic client to OAuth, and so does
/// `set_oauth_token`: with one slot per scheme, a request carries the security alternative that
/// holds the most recently set credential, so the token set last replaces Basic on the next
/// request (and Basic is no longer sent).
#[tokio::test]
async fn set_oauth_token_on_a_basic_client_switches_it_to_oauth() {
    let server = MockServer::start().await;
    expect_transfer(&server).times(2).respond(answered_ok());
    let client = Auth::Basic.client_of(&server);
    transfer_with(&client).await.expect("200");
    client.set_oauth_token(OAUTH_TOKEN).expect("a valid token");
    transfer_with(&client).await.expect("200");
    let received = server.received().await;
    assert_eq!(received.len(), 2);
    assert_capillary_request(&received[0], "id=3839", Auth::Basic.header(), &transfer_json());
    assert_capillary_request(&received[1], "id=3839", Auth::OAuth.header(), &transfer_json());
}

#[test]
fn base_urls_are_checked_when_the_client_is_built() {
    checks::base_urls_are_checked_when_the_client_is_built(SECRETS, |url, allow_http| {
        let builder = Client::builder().base_url(url).basic_auth(USER, PASSWORD);
        let builder = if allow_http { builder.allow_http() } else { builder };
        builder.build().map(|c| c.base_url().to_string())
    });
}

/// Every region name and alias, a URL, and unknown names; each region's client goes to its
/// cluster (the hosts of the "Host URLs" table of Capillary's API overview), and a client
/// without a region goes to the EU cluster (the spec's first server). `sg` is refused: no
/// Capillary page names an `sg` host or places Asia 2 in Singapore.
#[test]
fn regions_map_to_their_cluster_hosts() {
    const EU: &str = "https://eu.api.capillarytech.com";
    const APAC: &str = "https://apac.api.capillarytech.com";
    const APAC2: &str = "https://apac2.api.capillarytech.com";
    const US: &str = "https://us.api.capillarytech.com";
    const CHINA: &str = "https://api.capillarytech.cn.com";
    let cases = [
        ("eu", Region::Eu, EU),
        ("EU", Region::Eu, EU),
        (" eu ", Region::Eu, EU),
        ("europe", Region::Eu, EU),
        ("apac", Region::Apac, APAC),
        ("asia1", Region::Apac, APAC),
        ("in", Region::Apac, APAC),
        ("india", Region::Apac, APAC),
        ("apac2", Region::Apac2, APAC2),
        ("asia2", Region::Apac2, APAC2),
        ("us", Region::Us, US),
        ("cn", Region::China, CHINA),
        ("China", Region::China, CHINA),
        (
            "https://proxy.example.com/capillary/",
            Region::Url("https://proxy.example.com/capillary/".into()),
            "https://proxy.example.com/capillary",
        ),
    ];
    for (name, region, base_url) in cases {
        assert_eq!(name.parse::<Region>().expect(name), region, "{name}");
        let client = Client::in_region(&region)
            .oauth_token(OAUTH_TOKEN)
            .build()
            .expect(name);
        assert_eq!(client.base_url(), base_url, "{name}");
    }
    for unknown in ["mars", "sg"] {
        let err = unknown.parse::<Region>().unwrap_err();
        assert_eq!(
            err.reason(),
            format!("unknown Capillary region `{unknown}`: use eu, apac, apac2, us, china or a URL")
        );
    }
    let default = Client::builder().oauth_token(OAUTH_TOKEN).build().expect("valid");
    assert_eq!(default.base_url(), EU);
}

/// `Region::CLUSTERS` and the spec's servers are the same hosts in the same order, so a server
/// added to or removed from the spec cannot leave the regions behind.
#[test]
fn the_regions_are_the_specs_servers() {
    let spec = include_str!("../../../specs/capillary/capillary.yaml");
    let servers: Vec<&str> = spec
        .lines()
        .filter_map(|line| line.trim_start().strip_prefix("- url: "))
        .collect();
    let regions: Vec<&str> = Region::CLUSTERS.iter().map(Region::base_url).collect();
    assert_eq!(regions, servers);
}

// ---------------------------------------------------------------------------------------------
// Redirects
// ---------------------------------------------------------------------------------------------

// reqwest strips only `authorization`, `cookie` and `proxy-authorization` when a redirect leaves
// the origin; the `x-cap-api-oauth-token` header would follow the redirect to the other host. The
// client follows redirects only within one origin, so neither credential leaves it.
#[tokio::test]
async fn a_cross_origin_redirect_is_an_api_error_and_nothing_reaches_the_other_host() {
    checks::a_cross_origin_redirect_is_an_api_error(SECRETS, transfer_at).await;
    checks::a_cross_origin_redirect_is_an_api_error(SECRETS, transfer_oauth_at).await;
}

#[tokio::test]
async fn a_same_origin_redirect_is_followed_with_the_credential() {
    checks::a_same_origin_redirect_is_followed_with_the_credential(ok(), Auth::Basic.header(), transfer_at)
        .await;
    checks::a_same_origin_redirect_is_followed_with_the_credential(
        ok(),
        Auth::OAuth.header(),
        transfer_oauth_at,
    )
    .await;
}
