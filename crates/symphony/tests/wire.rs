//! Wire tests for the Symphony client: a real HTTP server on 127.0.0.1 (wiremock) stands in for
//! the pod, and every test goes through the public API a downstream user calls
//! (`Client::builder(..).build()`, then the client's methods).
//!
//! Each test pins one behaviour: the request as it arrives (method, exact path, query, headers,
//! JSON body), what the caller gets back for every documented status, what happens on statuses
//! and bodies the spec does not describe, network failures and timeouts, credentials that never
//! print, and path values that cannot escape their segment.

use std::time::Duration;

use serde_json::{Value, json};
use symphony_client::{Client, Error, types};
use wiremock::{MockServer, ResponseTemplate};

use wire_testing::{
    assert_decode_error, assert_error_hides, assert_json_put, assert_undecoded_api_error, header_values,
    json_response, refused_url, render, server_answering, single_request,
};
use wiremock::Request;

const TOKEN: &str = "sym-session-SECRET-7f3a9c51";
const GROUP: &str = "group-1";
const USER: i64 = 7215545078541;

/// Checks a Symphony request: method, exact path, no query, the session token, no other
/// credential, the headers, the JSON body.
fn assert_symphony_request(request: &Request, path: &str, body: &Value, token: &str) {
    assert_json_put(request, path, None, &["sessiontoken"], body);
    assert_eq!(header_values(request, "sessiontoken"), [token]);
    assert_eq!(header_values(request, "accept"), ["application/json"]);
    assert!(request.headers.get("authorization").is_none());
}

fn client(server: &MockServer) -> Client {
    Client::builder(&server.uri(), TOKEN)
        .build()
        .expect("valid settings")
}

fn group_update() -> types::UserGroupUpdate {
    types::UserGroupUpdate {
        active: Some(true),
        area: Some("EMEA".into()),
        description: Some("Compliance officers".into()),
        name: Some("Compliance".into()),
    }
}

fn group_update_json() -> Value {
    json!({"active": true, "area": "EMEA", "description": "Compliance officers", "name": "Compliance"})
}

fn group_response() -> Value {
    json!({
        "id": GROUP, "name": "Compliance", "area": "EMEA", "description": "Compliance officers",
        "type": "COMPLIANCE", "active": true, "memberCount": 3, "assigneeCount": 1,
        "createdDate": 1_700_000_000_000_i64, "modifiedDate": 1_700_000_500_000_i64
    })
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

/// Checks an `Error::Api` carrying Symphony's decoded `{code, message}`.
fn assert_vendor_error(err: &Error, status: u16) {
    match err {
        Error::Api {
            status: s,
            vendor: Some(vendor),
            body,
        } => {
            assert_eq!(s.as_u16(), status);
            assert_eq!(vendor.code, Some(i32::from(status)));
            assert_eq!(
                vendor.message.as_deref(),
                Some(format!("Symphony says {status}").as_str())
            );
            assert!(body.is_none());
        }
        other => panic!("expected Error::Api with a vendor body for {status}, got {other:?}"),
    }
    assert_eq!(err.status().map(|s| s.as_u16()), Some(status));
    let shown = err.to_string();
    assert!(shown.contains(&status.to_string()), "{shown}");
    assert!(shown.contains(&format!("Symphony says {status}")), "{shown}");
    assert_secret_free(err);
}

fn assert_secret_free(err: &Error) {
    assert_error_hides(err, TOKEN);
}

// ---------------------------------------------------------------------------------------------
// update_user_group: PUT /v2/admin/usergroups/{groupId}
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn update_user_group_sends_the_documented_request_and_decodes_200() {
    let server = server_answering(json_response(200, &group_response())).await;
    let group = client(&server)
        .update_user_group(GROUP, &group_update())
        .await
        .expect("200");

    assert_eq!(group.status().as_u16(), 200);
    assert_eq!(group.id.as_deref(), Some(GROUP));
    assert_eq!(group.member_count, Some(3));
    assert_eq!(group.type_.as_deref(), Some("COMPLIANCE"));

    let request = single_request(&server).await;
    assert_symphony_request(
        &request,
        "/v2/admin/usergroups/group-1",
        &group_update_json(),
        TOKEN,
    );
    let text = render(&request);
    assert!(!text.contains(TOKEN));
    insta::assert_snapshot!("update_user_group_request", text);
}

#[tokio::test]
async fn update_user_group_reports_every_documented_error_status() {
    for status in [400, 401, 403, 404, 422, 500] {
        let server = server_answering(json_response(status, &vendor_error(status))).await;
        let err = client(&server)
            .update_user_group(GROUP, &group_update())
            .await
            .unwrap_err();
        assert_vendor_error(&err, status);
        let request = single_request(&server).await;
        assert_symphony_request(
            &request,
            "/v2/admin/usergroups/group-1",
            &group_update_json(),
            TOKEN,
        );
    }
}

// ---------------------------------------------------------------------------------------------
// update_user_group_assignment: PUT /v2/admin/usergroups/{groupId}/assignments/{userId}
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn update_user_group_assignment_sends_the_documented_request_and_decodes_200_and_201() {
    let body = types::UserGroupMembershipUpdate { active: Some(true) };
    for status in [200, 201] {
        let server = server_answering(json_response(status, &assignment_response())).await;
        let assignment = client(&server)
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

        let request = single_request(&server).await;
        let path = "/v2/admin/usergroups/group-1/assignments/7215545078541";
        assert_symphony_request(&request, path, &json!({"active": true}), TOKEN);
        if status == 201 {
            let text = render(&request);
            assert!(!text.contains(TOKEN));
            insta::assert_snapshot!("update_user_group_assignment_request", text);
        }
    }
}

#[tokio::test]
async fn update_user_group_assignment_reports_every_documented_error_status() {
    let body = types::UserGroupMembershipUpdate { active: Some(false) };
    for status in [400, 401, 403, 404, 500] {
        let server = server_answering(json_response(status, &vendor_error(status))).await;
        let err = client(&server)
            .update_user_group_assignment(GROUP, USER, &body)
            .await
            .unwrap_err();
        assert_vendor_error(&err, status);
        let request = single_request(&server).await;
        let path = "/v2/admin/usergroups/group-1/assignments/7215545078541";
        assert_symphony_request(&request, path, &json!({"active": false}), TOKEN);
    }
}

// ---------------------------------------------------------------------------------------------
// update_user_group_membership: PUT /v2/admin/usergroups/{groupId}/memberships/{userId}
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn update_user_group_membership_sends_the_documented_request_and_decodes_200() {
    let server = server_answering(json_response(200, &membership_response())).await;
    let body = types::UserGroupMembershipRequest { active: Some(true) };
    let membership = client(&server)
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

    let request = single_request(&server).await;
    let path = "/v2/admin/usergroups/group-1/memberships/7215545078541";
    assert_symphony_request(&request, path, &json!({"active": true}), TOKEN);
    let text = render(&request);
    assert!(!text.contains(TOKEN));
    insta::assert_snapshot!("update_user_group_membership_request", text);
}

#[tokio::test]
async fn update_user_group_membership_reports_every_documented_error_status() {
    let body = types::UserGroupMembershipRequest { active: Some(true) };
    for status in [400, 401, 403, 404, 500] {
        let server = server_answering(json_response(status, &vendor_error(status))).await;
        let err = client(&server)
            .update_user_group_membership(GROUP, USER, &body)
            .await
            .unwrap_err();
        assert_vendor_error(&err, status);
        let request = single_request(&server).await;
        let path = "/v2/admin/usergroups/group-1/memberships/7215545078541";
        assert_symphony_request(&request, path, &json!({"active": true}), TOKEN);
    }
}

// ---------------------------------------------------------------------------------------------
// Statuses and bodies the spec does not describe
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn an_undeclared_502_with_html_is_a_retryable_api_error_with_an_excerpt() {
    let html = ResponseTemplate::new(502).set_body_raw("<html>Bad Gateway</html>", "text/html");
    let server = server_answering(html).await;
    let err = client(&server)
        .update_user_group(GROUP, &group_update())
        .await
        .unwrap_err();

    assert_undecoded_api_error(&err, 502, "Bad Gateway");
    assert!(err.is_retryable());
    assert!(err.to_string().contains("502"), "{err}");
    assert_secret_free(&err);
}

#[tokio::test]
async fn an_undeclared_418_with_a_json_vendor_body_still_decodes_the_vendor_error() {
    let server = server_answering(json_response(418, &vendor_error(418))).await;
    let body = types::UserGroupMembershipRequest { active: Some(true) };
    let err = client(&server)
        .update_user_group_membership(GROUP, USER, &body)
        .await
        .unwrap_err();
    assert_vendor_error(&err, 418);
    assert!(!err.is_retryable());
}

#[tokio::test]
async fn an_html_body_on_a_documented_500_keeps_the_status() {
    let html = ResponseTemplate::new(500).set_body_raw("<html>Internal oops</html>", "text/html");
    let server = server_answering(html).await;
    let err = client(&server)
        .update_user_group(GROUP, &group_update())
        .await
        .unwrap_err();

    assert_undecoded_api_error(&err, 500, "Internal oops");
    assert!(!err.is_retryable());
    assert!(err.to_string().contains("500"), "{err}");
}

#[tokio::test]
async fn an_empty_body_on_a_documented_404_keeps_the_status() {
    let server = server_answering(ResponseTemplate::new(404)).await;
    let body = types::UserGroupMembershipUpdate { active: Some(true) };
    let err = client(&server)
        .update_user_group_assignment(GROUP, USER, &body)
        .await
        .unwrap_err();

    assert_undecoded_api_error(&err, 404, "");
    assert!(err.to_string().contains("404"), "{err}");
}

#[tokio::test]
async fn a_200_whose_body_is_not_the_schema_is_a_decode_error_with_the_status() {
    let server = server_answering(json_response(200, &json!({"id": 12, "memberCount": "many"}))).await;
    let err = client(&server)
        .update_user_group(GROUP, &group_update())
        .await
        .unwrap_err();

    assert_decode_error(&err, 200, "many");
    assert!(!err.is_retryable());
    assert!(err.to_string().contains("200"), "{err}");
    assert_secret_free(&err);
}

#[tokio::test]
async fn extra_unknown_fields_in_a_response_are_ignored() {
    let mut body = membership_response();
    body["newField"] = json!({"nested": [1, 2, 3]});
    body["group"]["futureFlag"] = json!(true);
    let server = server_answering(json_response(200, &body)).await;
    let membership = client(&server)
        .update_user_group_membership(GROUP, USER, &types::UserGroupMembershipRequest { active: None })
        .await
        .expect("extra fields decode");
    assert_eq!(membership.id.as_deref(), Some("membership-4"));
    let request = single_request(&server).await;
    assert_symphony_request(
        &request,
        "/v2/admin/usergroups/group-1/memberships/7215545078541",
        &json!({}),
        TOKEN,
    );
}

// ---------------------------------------------------------------------------------------------
// Network failures
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn a_refused_connection_is_a_retryable_network_error() {
    let client = Client::builder(&refused_url(), TOKEN)
        .build()
        .expect("valid settings");
    let err = client
        .update_user_group(GROUP, &group_update())
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Network(_)), "{err:?}");
    assert!(err.is_retryable());
    assert!(!err.is_timeout());
    assert_eq!(err.status(), None);
    assert_secret_free(&err);
}

#[tokio::test]
async fn a_slow_server_is_a_retryable_timeout() {
    let slow = json_response(200, &group_response()).set_delay(Duration::from_secs(2));
    let server = server_answering(slow).await;
    let client = Client::builder(&server.uri(), TOKEN)
        .timeout(Duration::from_millis(200))
        .build()
        .expect("valid settings");
    let err = client
        .update_user_group(GROUP, &group_update())
        .await
        .unwrap_err();
    assert!(err.is_timeout(), "{err:?}");
    assert!(err.is_retryable());
    assert_secret_free(&err);
}

// ---------------------------------------------------------------------------------------------
// Credentials and configuration
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn debug_output_of_the_builder_and_the_client_never_shows_the_token() {
    let server = MockServer::start().await;
    let builder = Client::builder(&server.uri(), TOKEN);
    assert!(!format!("{builder:?}").contains(TOKEN));
    assert!(!format!("{builder:#?}").contains(TOKEN));
    let client = builder.build().expect("valid settings");
    assert!(!format!("{client:?}").contains(TOKEN));
    assert!(!format!("{client:#?}").contains(TOKEN));
}

#[tokio::test]
async fn set_session_token_changes_the_header_of_the_next_request() {
    let server = server_answering(json_response(200, &group_response())).await;
    let client = client(&server);
    client
        .update_user_group(GROUP, &group_update())
        .await
        .expect("200");
    client
        .set_session_token("renewed-session-SECRET")
        .expect("valid token");
    assert!(!format!("{client:?}").contains("renewed-session-SECRET"));
    client
        .clone()
        .update_user_group(GROUP, &group_update())
        .await
        .expect("200");

    let received = server.received_requests().await.expect("recording is on");
    assert_eq!(received.len(), 2);
    assert_eq!(header_values(&received[0], "sessiontoken"), [TOKEN]);
    assert_eq!(
        header_values(&received[1], "sessiontoken"),
        ["renewed-session-SECRET"]
    );
}

#[test]
fn a_malformed_base_url_is_refused_at_build_time() {
    for bad in ["not a url", "ftp://x", "", "https://user:pw@pod.example.com"] {
        let err = Client::builder(bad, TOKEN).build().expect_err(bad);
        assert!(!err.to_string().contains(TOKEN));
        assert!(!format!("{err:?}").contains(TOKEN));
    }
}

#[test]
fn a_token_a_header_cannot_carry_is_refused_at_build_time() {
    assert!(
        Client::builder("https://pod.example.com", "bad\ntoken")
            .build()
            .is_err()
    );
}

// ---------------------------------------------------------------------------------------------
// Hostile path values
// ---------------------------------------------------------------------------------------------

/// Group ids and the path segment they must arrive as.
const HOSTILE_GROUP_IDS: [(&str, &str); 8] = [
    ("a/b", "a%2Fb"),
    ("a?b=c", "a%3Fb=c"),
    ("a#b", "a%23b"),
    ("100%", "100%25"),
    ("a b", "a%20b"),
    ("ünï", "%C3%BCn%C3%AF"),
    ("%2e%2e", "%252e%252e"),
    ("..%2f", "..%252f"),
];

#[tokio::test]
async fn hostile_group_ids_stay_inside_their_path_segment_on_every_operation() {
    for (group_id, encoded) in HOSTILE_GROUP_IDS {
        let server = server_answering(json_response(200, &group_response())).await;
        let client = client(&server);
        client
            .update_user_group(group_id, &group_update())
            .await
            .expect(group_id);
        client
            .update_user_group_assignment(group_id, 5, &types::UserGroupMembershipUpdate { active: None })
            .await
            .expect(group_id);
        client
            .update_user_group_membership(group_id, 5, &types::UserGroupMembershipRequest { active: None })
            .await
            .expect(group_id);

        let received = server.received_requests().await.expect("recording is on");
        let paths: Vec<&str> = received.iter().map(|r| r.url.path()).collect();
        assert_eq!(
            paths,
            [
                format!("/v2/admin/usergroups/{encoded}"),
                format!("/v2/admin/usergroups/{encoded}/assignments/5"),
                format!("/v2/admin/usergroups/{encoded}/memberships/5"),
            ],
            "group id {group_id:?}"
        );
        assert!(
            received.iter().all(|r| r.url.query().is_none()),
            "group id {group_id:?}"
        );
    }
}

#[tokio::test]
async fn empty_and_dot_group_ids_are_refused_before_anything_is_sent() {
    let server = server_answering(json_response(200, &group_response())).await;
    let client = client(&server);
    for group_id in ["", ".", ".."] {
        let results = [
            client
                .update_user_group(group_id, &group_update())
                .await
                .map(|_| ()),
            client
                .update_user_group_assignment(group_id, 5, &types::UserGroupMembershipUpdate { active: None })
                .await
                .map(|_| ()),
            client
                .update_user_group_membership(
                    group_id,
                    5,
                    &types::UserGroupMembershipRequest { active: None },
                )
                .await
                .map(|_| ()),
        ];
        for result in results {
            match result {
                Err(Error::InvalidArgument { name, .. }) => assert_eq!(name, "group_id"),
                other => panic!("group id {group_id:?}: expected InvalidArgument, got {other:?}"),
            }
        }
    }
    assert!(
        server
            .received_requests()
            .await
            .expect("recording is on")
            .is_empty()
    );
}

// ---------------------------------------------------------------------------------------------
// Redirects
// ---------------------------------------------------------------------------------------------

// reqwest strips only `authorization`, `cookie` and `proxy-authorization` when a redirect leaves the
// origin; the `sessiontoken` header would follow the redirect to the other host. client-core follows
// redirects only within one origin, so the credential never leaves it.
#[tokio::test]
async fn a_cross_origin_redirect_does_not_carry_the_session_token() {
    let elsewhere = server_answering(json_response(200, &group_response())).await;
    let location = format!("{}/v2/admin/usergroups/group-1", elsewhere.uri());
    let pod = server_answering(ResponseTemplate::new(307).insert_header("location", location.as_str())).await;
    let _ = client(&pod).update_user_group(GROUP, &group_update()).await;

    for request in elsewhere.received_requests().await.expect("recording is on") {
        assert!(
            request.headers.get("sessiontoken").is_none(),
            "the session token followed a redirect to another origin"
        );
    }
}
