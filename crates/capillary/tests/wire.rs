//! Wire tests for the Capillary client: a real HTTP server on 127.0.0.1 (wiremock) stands in for
//! a Capillary cluster, and every test goes through the public API a downstream user calls
//! (`Client::builder(Region::Url(..), credentials).build()`, then the client's method).
//!
//! Each test pins one behaviour: the request as it arrives (method, exact path, the `id` query,
//! Basic or OAuth credentials, JSON body), what the caller gets back for every documented status
//! (with Capillary's error codes), statuses and bodies the spec does not describe, network
//! failures and timeouts, permissions Capillary may add later, and credentials that never print.

use std::time::Duration;

use capillary_client::{Client, Credentials, Error, INVALID_MEMBER_ID, Permission, Region, types};
use serde_json::{Value, json};
use wiremock::{MockServer, ResponseTemplate};

use wire_testing::{
    assert_decode_error, assert_json_put, assert_undecoded_api_error, header_values, json_response,
    refused_url, render, server_answering, single_request,
};
use wiremock::Request;

const USER: &str = "till.eu.1";
const PASSWORD: &str = "Pa55-w0rd!";
/// `md5("Pa55-w0rd!")` in lowercase hex, computed independently of the client.
const PASSWORD_MD5: &str = "c2f4ebf70aa5628c6a01f01f487e375a";
/// `"Basic " + base64("till.eu.1:" + PASSWORD_MD5)`, computed independently of the client.
const BASIC: &str = "Basic dGlsbC5ldS4xOmMyZjRlYmY3MGFhNTYyOGM2YTAxZjAxZjQ4N2UzNzVh";
const OAUTH_TOKEN: &str = "cap-oauth-SECRET-91b2c3";
const GROUP_ID: i64 = 3839;
const MEMBER: i64 = 109983515;

/// Checks a Capillary request: method, exact path, the `id` query, the credential header
/// (`name: value`) and no other credential, the headers, the JSON body.
fn assert_capillary_request(request: &Request, query: &str, credential: (&str, &str), body: &Value) {
    let (credential_name, credential_value) = credential;
    assert_json_put(
        request,
        "/v2/userGroup2/members/permissions",
        Some(query),
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

fn basic_client(server: &MockServer) -> Client {
    Client::builder(Region::Url(server.uri()), Credentials::basic(USER, PASSWORD))
        .build()
        .expect("valid settings")
}

fn oauth_client(server: &MockServer) -> Client {
    Client::builder(Region::Url(server.uri()), Credentials::oauth(OAUTH_TOKEN))
        .build()
        .expect("valid settings")
}

fn transfer() -> Vec<types::MemberPermissionUpdate> {
    vec![types::MemberPermissionUpdate {
        user_id: MEMBER,
        permissions: Permission::AllowPointsTransfer,
    }]
}

fn transfer_json() -> Value {
    json!([{"userId": MEMBER, "permissions": "allow_points_transfer"}])
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

fn assert_secret_free(text: &str) {
    for secret in [
        PASSWORD,
        PASSWORD_MD5,
        BASIC,
        &BASIC["Basic ".len()..],
        OAUTH_TOKEN,
    ] {
        assert!(!text.contains(secret), "`{secret}` leaked into: {text}");
    }
}

fn assert_error_secret_free(err: &Error) {
    assert_secret_free(&format!("{err:?}"));
    assert_secret_free(&err.to_string());
}

fn api_error_parts(err: &Error) -> (u16, Option<&types::CapillaryErrorResponse>, Option<&str>) {
    match err {
        Error::Api { status, vendor, body } => (status.as_u16(), vendor.as_ref(), body.as_deref()),
        other => panic!("expected Error::Api, got {other:?}"),
    }
}

// ---------------------------------------------------------------------------------------------
// update_user_group_member_permissions: PUT /v2/userGroup2/members/permissions?id={id}
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn basic_auth_sends_the_documented_request_and_decodes_200() {
    let server = server_answering(json_response(200, &batch_response(&["allow_points_transfer"]))).await;
    let result = basic_client(&server)
        .update_user_group_member_permissions(GROUP_ID, &transfer())
        .await
        .expect("200");

    assert_eq!(result.status().as_u16(), 200);
    assert_eq!(result.total_count, Some(1));
    assert_eq!(result.failure_count, Some(0));
    let entry = &result.response[0];
    let updated = entry.result.as_ref().expect("result");
    assert_eq!(updated.group_id, Some(GROUP_ID));
    assert!(matches!(updated.user_id, Some(types::MemberId::Int64(MEMBER))));

    let request = single_request(&server).await;
    assert_capillary_request(&request, "id=3839", ("authorization", BASIC), &transfer_json());
    let text = render(&request);
    assert_secret_free(&text);
    insta::assert_snapshot!("update_user_group_member_permissions_request", text);
}

#[tokio::test]
async fn oauth_sends_the_token_header_and_no_authorization() {
    let server = server_answering(json_response(200, &batch_response(&["allow_points_transfer"]))).await;
    let body = vec![
        types::MemberPermissionUpdate {
            user_id: MEMBER,
            permissions: Permission::BlockPointsRedemption,
        },
        types::MemberPermissionUpdate {
            user_id: 42,
            permissions: Permission::AllowPointsRedemption,
        },
    ];
    oauth_client(&server)
        .update_user_group_member_permissions(GROUP_ID, &body)
        .await
        .expect("200");

    let request = single_request(&server).await;
    let expected = json!([
        {"userId": MEMBER, "permissions": "block_points_redemption"},
        {"userId": 42, "permissions": "allow_points_redemption"}
    ]);
    assert_capillary_request(
        &request,
        "id=3839",
        ("x-cap-api-oauth-token", OAUTH_TOKEN),
        &expected,
    );
    let text = render(&request);
    assert_secret_free(&text);
    insta::assert_snapshot!("update_user_group_member_permissions_oauth_request", text);
}

#[tokio::test]
async fn a_400_with_code_1632_is_an_api_error_carrying_invalid_member_id() {
    let body = json!({
        "response": [],
        "warnings": [],
        "errors": [{"code": 1632, "message": "Invalid user group member ID passed", "status": false}]
    });
    let server = server_answering(json_response(400, &body)).await;
    let err = basic_client(&server)
        .update_user_group_member_permissions(GROUP_ID, &transfer())
        .await
        .unwrap_err();

    let (status, vendor, excerpt) = api_error_parts(&err);
    assert_eq!(status, 400);
    assert!(excerpt.is_none());
    let vendor = vendor.expect("decoded vendor error");
    assert_eq!(vendor.codes(), [1632]);
    assert!(err.vendor().expect("vendor").has_code(INVALID_MEMBER_ID));
    assert!(!err.is_retryable());
    let shown = err.to_string();
    assert!(shown.contains("400") && shown.contains("1632"), "{shown}");
    assert!(shown.contains("Invalid user group member ID passed"), "{shown}");
    assert_error_secret_free(&err);

    let request = single_request(&server).await;
    assert_capillary_request(&request, "id=3839", ("authorization", BASIC), &transfer_json());
}

#[tokio::test]
async fn a_401_and_a_500_with_a_status_object_are_api_errors_with_the_vendor_message() {
    for (status, code, message) in [(401, 401, "Unauthorized"), (500, 500, "Internal error")] {
        let body = json!({"status": {"success": false, "code": code, "message": message}});
        let server = server_answering(json_response(status, &body)).await;
        let err = basic_client(&server)
            .update_user_group_member_permissions(GROUP_ID, &transfer())
            .await
            .unwrap_err();

        let (got, vendor, excerpt) = api_error_parts(&err);
        assert_eq!(got, status);
        assert!(excerpt.is_none());
        assert!(vendor.expect("decoded vendor error").has_code(code));
        assert!(!err.vendor().expect("vendor").has_code(INVALID_MEMBER_ID));
        let shown = err.to_string();
        assert!(
            shown.contains(&status.to_string()) && shown.contains(message),
            "{shown}"
        );
        assert_error_secret_free(&err);

        let request = single_request(&server).await;
        assert_capillary_request(&request, "id=3839", ("authorization", BASIC), &transfer_json());
    }
}

#[tokio::test]
async fn every_documented_error_status_keeps_the_errors_list() {
    for status in [400, 401, 500] {
        let body = json!({"errors": [{"code": 1632, "message": "bad member", "status": false}]});
        let server = server_answering(json_response(status, &body)).await;
        let err = oauth_client(&server)
            .update_user_group_member_permissions(GROUP_ID, &transfer())
            .await
            .unwrap_err();
        assert_eq!(err.status().map(|s| s.as_u16()), Some(status));
        assert!(
            err.vendor().expect("vendor").has_code(INVALID_MEMBER_ID),
            "{err:?}"
        );
        assert!(err.to_string().contains(&status.to_string()), "{err}");
        assert_error_secret_free(&err);
    }
}

#[tokio::test]
async fn the_group_id_is_sent_as_an_exact_integer_query() {
    let server = server_answering(json_response(200, &batch_response(&[]))).await;
    let client = basic_client(&server);
    for id in [0, -5, i64::MAX] {
        client
            .update_user_group_member_permissions(id, &transfer())
            .await
            .expect("200");
    }
    let received = server.received_requests().await.expect("recording is on");
    let queries: Vec<Option<&str>> = received.iter().map(|r| r.url.query()).collect();
    assert_eq!(
        queries,
        [Some("id=0"), Some("id=-5"), Some("id=9223372036854775807")]
    );
}

#[tokio::test]
async fn an_empty_member_list_is_refused_before_anything_is_sent() {
    let server = server_answering(json_response(200, &batch_response(&[]))).await;
    let err = basic_client(&server)
        .update_user_group_member_permissions(GROUP_ID, &[])
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::InvalidArgument { name: "members", .. }),
        "{err:?}"
    );
    assert!(
        server
            .received_requests()
            .await
            .expect("recording is on")
            .is_empty()
    );
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
    let server = server_answering(json_response(200, &body)).await;
    let result = basic_client(&server)
        .update_user_group_member_permissions(GROUP_ID, &transfer())
        .await
        .expect("unknown values decode");
    match &result.response[0].result.as_ref().expect("result").permissions {
        Some(types::PermissionList::Array(list)) => assert_eq!(list, &["allow_points_gifting"]),
        other => panic!("unexpected permissions {other:?}"),
    }
}

#[tokio::test]
async fn an_unknown_permission_given_by_the_caller_is_sent_unchanged() {
    let server = server_answering(json_response(200, &batch_response(&[]))).await;
    let body = [types::MemberPermissionUpdate {
        user_id: MEMBER,
        permissions: Permission::Other("allow_points_gifting".into()),
    }];
    basic_client(&server)
        .update_user_group_member_permissions(GROUP_ID, &body)
        .await
        .expect("200");
    let request = single_request(&server).await;
    let expected = json!([{"userId": MEMBER, "permissions": "allow_points_gifting"}]);
    assert_capillary_request(&request, "id=3839", ("authorization", BASIC), &expected);
}

// ---------------------------------------------------------------------------------------------
// Statuses and bodies the spec does not describe
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn an_undeclared_502_with_html_is_a_retryable_api_error_with_an_excerpt() {
    let html = ResponseTemplate::new(502).set_body_raw("<html>Bad Gateway</html>", "text/html");
    let server = server_answering(html).await;
    let err = basic_client(&server)
        .update_user_group_member_permissions(GROUP_ID, &transfer())
        .await
        .unwrap_err();

    assert_undecoded_api_error(&err, 502, "Bad Gateway");
    assert!(err.is_retryable());
    assert!(err.to_string().contains("502"), "{err}");
    assert_error_secret_free(&err);
}

#[tokio::test]
async fn an_undeclared_403_with_a_capillary_body_still_decodes_the_codes() {
    let body = json!({"errors": [{"code": 1632, "message": "nope", "status": false}]});
    let server = server_answering(json_response(403, &body)).await;
    let err = basic_client(&server)
        .update_user_group_member_permissions(GROUP_ID, &transfer())
        .await
        .unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(403));
    assert!(err.vendor().expect("vendor").has_code(INVALID_MEMBER_ID));
}

#[tokio::test]
async fn an_html_body_on_a_documented_500_keeps_the_status() {
    let html = ResponseTemplate::new(500).set_body_raw("<html>Internal oops</html>", "text/html");
    let server = server_answering(html).await;
    let err = basic_client(&server)
        .update_user_group_member_permissions(GROUP_ID, &transfer())
        .await
        .unwrap_err();

    assert_undecoded_api_error(&err, 500, "Internal oops");
    assert!(err.to_string().contains("500"), "{err}");
}

#[tokio::test]
async fn an_empty_body_on_a_documented_401_keeps_the_status() {
    let server = server_answering(ResponseTemplate::new(401)).await;
    let err = oauth_client(&server)
        .update_user_group_member_permissions(GROUP_ID, &transfer())
        .await
        .unwrap_err();

    assert_undecoded_api_error(&err, 401, "");
    assert!(err.to_string().contains("401"), "{err}");
    assert_error_secret_free(&err);
}

#[tokio::test]
async fn a_200_whose_body_is_not_the_schema_is_a_decode_error_with_the_status() {
    let server = server_answering(json_response(200, &json!({"totalCount": "one"}))).await;
    let err = basic_client(&server)
        .update_user_group_member_permissions(GROUP_ID, &transfer())
        .await
        .unwrap_err();

    assert_decode_error(&err, 200, "one");
    assert!(!err.is_retryable());
    assert!(err.to_string().contains("200"), "{err}");
    assert_error_secret_free(&err);
}

// ---------------------------------------------------------------------------------------------
// Network failures
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn a_refused_connection_is_a_retryable_network_error() {
    let client = Client::builder(Region::Url(refused_url()), Credentials::basic(USER, PASSWORD))
        .build()
        .expect("valid settings");
    let err = client
        .update_user_group_member_permissions(GROUP_ID, &transfer())
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Network(_)), "{err:?}");
    assert!(err.is_retryable());
    assert!(!err.is_timeout());
    assert_eq!(err.status(), None);
    assert_error_secret_free(&err);
}

#[tokio::test]
async fn a_slow_server_is_a_retryable_timeout() {
    let slow = json_response(200, &batch_response(&[])).set_delay(Duration::from_secs(2));
    let server = server_answering(slow).await;
    let client = Client::builder(Region::Url(server.uri()), Credentials::oauth(OAUTH_TOKEN))
        .timeout(Duration::from_millis(200))
        .build()
        .expect("valid settings");
    let err = client
        .update_user_group_member_permissions(GROUP_ID, &transfer())
        .await
        .unwrap_err();
    assert!(err.is_timeout(), "{err:?}");
    assert!(err.is_retryable());
    assert_error_secret_free(&err);
}

// ---------------------------------------------------------------------------------------------
// Credentials and configuration
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn debug_output_of_credentials_the_builder_and_the_client_never_shows_secrets() {
    let server = MockServer::start().await;
    let credentials = [
        Credentials::basic(USER, PASSWORD),
        Credentials::basic_md5(USER, PASSWORD_MD5),
        Credentials::oauth(OAUTH_TOKEN),
    ];
    for credentials in credentials {
        assert_secret_free(&format!("{credentials:?}"));
        let builder = Client::builder(Region::Url(server.uri()), credentials);
        assert_secret_free(&format!("{builder:?} {builder:#?}"));
        let client = builder.build().expect("valid settings");
        assert_secret_free(&format!("{client:?} {client:#?}"));
    }
}

#[tokio::test]
async fn basic_md5_sends_the_same_header_as_basic() {
    let server = server_answering(json_response(200, &batch_response(&[]))).await;
    Client::builder(
        Region::Url(server.uri()),
        Credentials::basic_md5(USER, PASSWORD_MD5),
    )
    .build()
    .expect("valid settings")
    .update_user_group_member_permissions(GROUP_ID, &transfer())
    .await
    .expect("200");
    let request = single_request(&server).await;
    assert_capillary_request(&request, "id=3839", ("authorization", BASIC), &transfer_json());
}

#[tokio::test]
async fn set_credentials_changes_the_header_of_the_next_request() {
    let server = server_answering(json_response(200, &batch_response(&[]))).await;
    let client = basic_client(&server);
    let call = || async {
        client
            .update_user_group_member_permissions(GROUP_ID, &transfer())
            .await
    };
    call().await.expect("200");
    client
        .set_credentials(&Credentials::oauth(OAUTH_TOKEN))
        .expect("valid token");
    call().await.expect("200");
    client
        .set_credentials(&Credentials::oauth("cap-oauth-RENEWED"))
        .expect("valid token");
    call().await.expect("200");
    client
        .set_credentials(&Credentials::basic("till.eu.2", "second-Pa55"))
        .expect("valid credentials");
    call().await.expect("200");
    assert_secret_free(&format!("{client:?}"));

    let received = server.received_requests().await.expect("recording is on");
    assert_eq!(received.len(), 4);
    let body = transfer_json();
    assert_capillary_request(&received[0], "id=3839", ("authorization", BASIC), &body);
    assert_capillary_request(
        &received[1],
        "id=3839",
        ("x-cap-api-oauth-token", OAUTH_TOKEN),
        &body,
    );
    assert_capillary_request(
        &received[2],
        "id=3839",
        ("x-cap-api-oauth-token", "cap-oauth-RENEWED"),
        &body,
    );
    // "Basic " + base64("till.eu.2:" + md5("second-Pa55")), computed independently.
    let second = "Basic dGlsbC5ldS4yOjNhYzY2MGY5MjcxNzhjNzk5ODg3NmRhNTM4NTcwMzgy";
    assert_capillary_request(&received[3], "id=3839", ("authorization", second), &body);
}

#[test]
fn a_malformed_base_url_is_refused_at_build_time() {
    for bad in [
        "not a url",
        "ftp://x",
        "",
        "https://user:pw@eu.api.capillarytech.com",
    ] {
        let err = Client::builder(Region::Url(bad.into()), Credentials::basic(USER, PASSWORD))
            .build()
            .expect_err(bad);
        assert_secret_free(&format!("{err} {err:?}"));
    }
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
    let server = server_answering(json_response(200, &body)).await;
    let result = basic_client(&server)
        .update_user_group_member_permissions(GROUP_ID, &transfer())
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
}

#[test]
fn regions_map_to_their_cluster_hosts() {
    assert_eq!("EU".parse::<Region>().expect("by name"), Region::Eu);
    assert_eq!(
        "https://proxy.example.com".parse::<Region>().expect("by URL"),
        Region::Url("https://proxy.example.com".into())
    );
    assert!("mars".parse::<Region>().is_err());
    let client = |region| {
        Client::builder(region, Credentials::oauth(OAUTH_TOKEN))
            .build()
            .expect("valid")
    };
    assert_eq!(client(Region::Eu).base_url(), "https://eu.api.capillarytech.com");
    assert_eq!(client(Region::Us).base_url(), "https://us.api.capillarytech.com");
    assert_eq!("apac2".parse::<Region>().expect("known region"), Region::Apac2);
}

// ---------------------------------------------------------------------------------------------
// Redirects
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn a_cross_origin_redirect_does_not_carry_basic_credentials() {
    let elsewhere = server_answering(json_response(200, &batch_response(&[]))).await;
    let location = format!("{}/v2/userGroup2/members/permissions?id=3839", elsewhere.uri());
    let cluster =
        server_answering(ResponseTemplate::new(307).insert_header("location", location.as_str())).await;
    let _ = basic_client(&cluster)
        .update_user_group_member_permissions(GROUP_ID, &transfer())
        .await;

    for request in elsewhere.received_requests().await.expect("recording is on") {
        assert!(
            request.headers.get("authorization").is_none(),
            "Basic credentials followed a redirect"
        );
    }
}

// reqwest strips only `authorization`, `cookie` and `proxy-authorization` when a redirect leaves the
// origin; the `x-cap-api-oauth-token` header would follow the redirect to the other host. client-core follows
// redirects only within one origin, so the credential never leaves it.
#[tokio::test]
async fn a_cross_origin_redirect_does_not_carry_the_oauth_token() {
    let elsewhere = server_answering(json_response(200, &batch_response(&[]))).await;
    let location = format!("{}/v2/userGroup2/members/permissions?id=3839", elsewhere.uri());
    let cluster =
        server_answering(ResponseTemplate::new(307).insert_header("location", location.as_str())).await;
    let _ = oauth_client(&cluster)
        .update_user_group_member_permissions(GROUP_ID, &transfer())
        .await;

    for request in elsewhere.received_requests().await.expect("recording is on") {
        assert!(
            request.headers.get("x-cap-api-oauth-token").is_none(),
            "the OAuth token followed a redirect to another origin"
        );
    }
}
