//! Wire tests for the GitHub client: a real HTTP server on 127.0.0.1 (wiremock) stands in for
//! `api.github.com`, and every test goes through the public API a downstream user calls
//! (`Client::builder(token).base_url(..).build()`, then the client's methods).
//!
//! Each test pins one behaviour: the request as it arrives (method, exact path, headers GitHub
//! requires, JSON body), what the caller gets back for every documented status, statuses and
//! bodies the spec does not describe, network failures and timeouts, membership states and roles
//! GitHub may add later, credentials that never print, and path values that cannot escape their
//! segment.

use std::time::Duration;

use github_client::{Client, DEFAULT_USER_AGENT, Error, TeamMembershipState, TeamRole, types};
use serde_json::{Value, json};
use wiremock::{MockServer, ResponseTemplate};

use wire_testing::{
    assert_decode_error, assert_error_hides, assert_json_put, assert_undecoded_api_error, header_values,
    json_response, refused_url, render, server_answering, single_request,
};
use wiremock::Request;

const TOKEN: &str = "ghp_SECRET_0123456789abcdefghij";
const IN_ORG_PATH: &str = "/orgs/acme/teams/platform/memberships/octocat";
const BY_ID_PATH: &str = "/organizations/123/team/456/memberships/octocat";

/// Checks a GitHub request: method, exact path, no query, the headers GitHub requires, the
/// JSON body.
fn assert_github_request(request: &Request, path: &str, body: &Value, token: &str, user_agent: &str) {
    assert_json_put(
        request,
        path,
        None,
        &["authorization", "x-github-api-version"],
        body,
    );
    assert_eq!(
        header_values(request, "authorization"),
        [format!("Bearer {token}")]
    );
    assert_eq!(header_values(request, "accept"), ["application/vnd.github+json"]);
    assert_eq!(header_values(request, "x-github-api-version"), ["2022-11-28"]);
    assert_eq!(header_values(request, "user-agent"), [user_agent]);
}

fn client(server: &MockServer) -> Client {
    Client::builder(TOKEN)
        .base_url(&server.uri())
        .build()
        .expect("valid settings")
}

fn maintainer() -> types::TeamMembershipRequest {
    types::TeamMembershipRequest {
        role: Some(TeamRole::Maintainer),
    }
}

fn membership(state: &str, role: &str) -> Value {
    json!({
        "url": "https://api.github.com/organizations/123/team/456/memberships/octocat",
        "role": role,
        "state": state
    })
}

fn github_error(status: u16) -> Value {
    json!({
        "message": format!("GitHub says {status}"),
        "documentation_url": "https://docs.github.com/rest/teams/members#add-or-update-team-membership-for-a-user",
        "status": status.to_string()
    })
}

/// Checks an `Error::Api` carrying GitHub's decoded `message` and `documentation_url`.
fn assert_vendor_error(err: &Error, status: u16) {
    match err {
        Error::Api {
            status: s,
            vendor: Some(vendor),
            body,
        } => {
            assert_eq!(s.as_u16(), status);
            assert_eq!(
                vendor.message.as_deref(),
                Some(format!("GitHub says {status}").as_str())
            );
            assert!(
                vendor
                    .documentation_url
                    .as_deref()
                    .unwrap_or_default()
                    .starts_with("https://docs.github.com/"),
                "{vendor:?}"
            );
            assert!(body.is_none());
        }
        other => panic!("expected Error::Api with a vendor body for {status}, got {other:?}"),
    }
    assert_eq!(err.status().map(|s| s.as_u16()), Some(status));
    let shown = err.to_string();
    assert!(shown.contains(&status.to_string()), "{shown}");
    assert!(shown.contains(&format!("GitHub says {status}")), "{shown}");
    assert_secret_free(err);
}

fn assert_secret_free(err: &Error) {
    assert_error_hides(err, TOKEN);
}

// ---------------------------------------------------------------------------------------------
// add_or_update_team_membership_for_user_in_org: PUT /orgs/{org}/teams/{team_slug}/memberships/{username}
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn in_org_sends_the_documented_request_and_decodes_200() {
    let server = server_answering(json_response(200, &membership("active", "maintainer"))).await;
    let result = client(&server)
        .add_or_update_team_membership_for_user_in_org("acme", "platform", "octocat", &maintainer())
        .await
        .expect("200");

    assert_eq!(result.status().as_u16(), 200);
    assert_eq!(result.state, TeamMembershipState::Active);
    assert_eq!(result.role, TeamRole::Maintainer);
    assert!(result.url.ends_with("/memberships/octocat"));

    let request = single_request(&server).await;
    let body = json!({"role": "maintainer"});
    assert_github_request(&request, IN_ORG_PATH, &body, TOKEN, DEFAULT_USER_AGENT);
    let text = render(&request);
    assert!(!text.contains(TOKEN));
    insta::assert_snapshot!("add_or_update_team_membership_for_user_in_org_request", text);
}

#[tokio::test]
async fn in_org_reports_every_documented_error_status() {
    for status in [403, 404, 422] {
        let server = server_answering(json_response(status, &github_error(status))).await;
        let err = client(&server)
            .add_or_update_team_membership_for_user_in_org("acme", "platform", "octocat", &maintainer())
            .await
            .unwrap_err();
        assert_vendor_error(&err, status);
        assert!(!err.is_retryable());
        let request = single_request(&server).await;
        let body = json!({"role": "maintainer"});
        assert_github_request(&request, IN_ORG_PATH, &body, TOKEN, DEFAULT_USER_AGENT);
    }
}

// ---------------------------------------------------------------------------------------------
// add_or_update_team_membership_for_user_by_id: PUT /organizations/{org_id}/team/{team_id}/memberships/{username}
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn by_id_sends_the_documented_request_and_decodes_200() {
    let server = server_answering(json_response(200, &membership("pending", "member"))).await;
    let no_role = types::TeamMembershipRequest { role: None };
    let result = client(&server)
        .add_or_update_team_membership_for_user_by_id(123, 456, "octocat", &no_role)
        .await
        .expect("200");

    assert_eq!(result.status().as_u16(), 200);
    assert_eq!(result.state, TeamMembershipState::Pending);
    assert_eq!(result.role, TeamRole::Member);

    let request = single_request(&server).await;
    assert_github_request(&request, BY_ID_PATH, &json!({}), TOKEN, DEFAULT_USER_AGENT);
    let text = render(&request);
    assert!(!text.contains(TOKEN));
    insta::assert_snapshot!("add_or_update_team_membership_for_user_by_id_request", text);
}

#[tokio::test]
async fn by_id_reports_every_documented_error_status() {
    for status in [403, 404, 422] {
        let server = server_answering(json_response(status, &github_error(status))).await;
        let err = client(&server)
            .add_or_update_team_membership_for_user_by_id(123, 456, "octocat", &maintainer())
            .await
            .unwrap_err();
        assert_vendor_error(&err, status);
        let request = single_request(&server).await;
        let body = json!({"role": "maintainer"});
        assert_github_request(&request, BY_ID_PATH, &body, TOKEN, DEFAULT_USER_AGENT);
    }
}

// ---------------------------------------------------------------------------------------------
// Headers and base URLs
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn a_custom_user_agent_and_an_enterprise_path_prefix_reach_the_wire() {
    let server = server_answering(json_response(200, &membership("active", "member"))).await;
    let client = Client::builder(TOKEN)
        .base_url(&format!("{}/api/v3/", server.uri()))
        .user_agent("acme-provisioner/1.0")
        .build()
        .expect("valid settings");
    client
        .add_or_update_team_membership_for_user_in_org("acme", "platform", "octocat", &maintainer())
        .await
        .expect("200");
    let request = single_request(&server).await;
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
    assert!(Client::builder(TOKEN).user_agent("  ").build().is_err());
}

// ---------------------------------------------------------------------------------------------
// Values GitHub may add later
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn an_unknown_state_and_role_decode_as_other() {
    let mut body = membership("suspended", "admin");
    body["new_field"] = json!({"anything": true});
    let server = server_answering(json_response(200, &body)).await;
    let result = client(&server)
        .add_or_update_team_membership_for_user_by_id(123, 456, "octocat", &maintainer())
        .await
        .expect("unknown values decode");
    assert_eq!(result.state, TeamMembershipState::Other("suspended".into()));
    assert_eq!(result.role, TeamRole::Other("admin".into()));
    assert_eq!(result.state.as_str(), "suspended");
}

#[tokio::test]
async fn an_unknown_role_given_by_the_caller_is_sent_unchanged() {
    let server = server_answering(json_response(200, &membership("active", "admin"))).await;
    let body = types::TeamMembershipRequest {
        role: Some(TeamRole::Other("admin".into())),
    };
    client(&server)
        .add_or_update_team_membership_for_user_in_org("acme", "platform", "octocat", &body)
        .await
        .expect("200");
    let request = single_request(&server).await;
    assert_github_request(
        &request,
        IN_ORG_PATH,
        &json!({"role": "admin"}),
        TOKEN,
        DEFAULT_USER_AGENT,
    );
}

// ---------------------------------------------------------------------------------------------
// Statuses and bodies the spec does not describe
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn an_undeclared_502_with_html_is_a_retryable_api_error_with_an_excerpt() {
    let html = ResponseTemplate::new(502).set_body_raw("<html>Bad Gateway</html>", "text/html");
    let server = server_answering(html).await;
    let err = client(&server)
        .add_or_update_team_membership_for_user_in_org("acme", "platform", "octocat", &maintainer())
        .await
        .unwrap_err();

    assert_undecoded_api_error(&err, 502, "Bad Gateway");
    assert!(err.is_retryable());
    assert!(err.to_string().contains("502"), "{err}");
    assert_secret_free(&err);
}

#[tokio::test]
async fn an_undeclared_401_with_github_json_still_decodes_the_message() {
    let server = server_answering(json_response(401, &github_error(401))).await;
    let err = client(&server)
        .add_or_update_team_membership_for_user_by_id(123, 456, "octocat", &maintainer())
        .await
        .unwrap_err();
    assert_vendor_error(&err, 401);
}

#[tokio::test]
async fn an_html_body_on_a_documented_403_keeps_the_status() {
    let html = ResponseTemplate::new(403).set_body_raw("<html>Forbidden by proxy</html>", "text/html");
    let server = server_answering(html).await;
    let err = client(&server)
        .add_or_update_team_membership_for_user_in_org("acme", "platform", "octocat", &maintainer())
        .await
        .unwrap_err();

    assert_undecoded_api_error(&err, 403, "Forbidden by proxy");
    assert!(err.to_string().contains("403"), "{err}");
}

#[tokio::test]
async fn an_empty_body_on_a_documented_422_keeps_the_status() {
    let server = server_answering(ResponseTemplate::new(422)).await;
    let err = client(&server)
        .add_or_update_team_membership_for_user_in_org("acme", "platform", "octocat", &maintainer())
        .await
        .unwrap_err();

    assert_undecoded_api_error(&err, 422, "");
    assert!(err.to_string().contains("422"), "{err}");
}

#[tokio::test]
async fn a_200_whose_body_is_not_the_schema_is_a_decode_error_with_the_status() {
    let server = server_answering(json_response(200, &json!({"role": "member"}))).await;
    let err = client(&server)
        .add_or_update_team_membership_for_user_in_org("acme", "platform", "octocat", &maintainer())
        .await
        .unwrap_err();

    assert_decode_error(&err, 200, "member");
    assert!(!err.is_retryable());
    assert!(err.to_string().contains("200"), "{err}");
    assert_secret_free(&err);
}

// ---------------------------------------------------------------------------------------------
// Network failures
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn a_refused_connection_is_a_retryable_network_error() {
    let client = Client::builder(TOKEN)
        .base_url(&refused_url())
        .build()
        .expect("valid settings");
    let err = client
        .add_or_update_team_membership_for_user_in_org("acme", "platform", "octocat", &maintainer())
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
    let slow = json_response(200, &membership("active", "member")).set_delay(Duration::from_secs(2));
    let server = server_answering(slow).await;
    let client = Client::builder(TOKEN)
        .base_url(&server.uri())
        .timeout(Duration::from_millis(200))
        .build()
        .expect("valid settings");
    let err = client
        .add_or_update_team_membership_for_user_by_id(123, 456, "octocat", &maintainer())
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
    let builder = Client::builder(TOKEN).base_url(&server.uri());
    assert!(!format!("{builder:?}").contains(TOKEN));
    assert!(!format!("{builder:#?}").contains(TOKEN));
    let client = builder.build().expect("valid settings");
    assert!(!format!("{client:?}").contains(TOKEN));
    assert!(!format!("{client:#?}").contains(TOKEN));
}

#[tokio::test]
async fn set_token_changes_the_header_of_the_next_request() {
    let server = server_answering(json_response(200, &membership("active", "member"))).await;
    let client = client(&server);
    let body = maintainer();
    client
        .add_or_update_team_membership_for_user_by_id(123, 456, "octocat", &body)
        .await
        .expect("200");
    client.set_token("ghp_RENEWED_SECRET").expect("valid token");
    assert!(!format!("{client:?}").contains("ghp_RENEWED_SECRET"));
    client
        .clone()
        .add_or_update_team_membership_for_user_by_id(123, 456, "octocat", &body)
        .await
        .expect("200");

    let received = server.received_requests().await.expect("recording is on");
    assert_eq!(received.len(), 2);
    assert_eq!(
        header_values(&received[0], "authorization"),
        [format!("Bearer {TOKEN}")]
    );
    assert_eq!(
        header_values(&received[1], "authorization"),
        ["Bearer ghp_RENEWED_SECRET"]
    );
}

#[test]
fn a_malformed_base_url_is_refused_at_build_time() {
    for bad in [
        "not a url",
        "ftp://x",
        "",
        "https://user:pw@github.example.com/api/v3",
    ] {
        let err = Client::builder(TOKEN).base_url(bad).build().expect_err(bad);
        assert!(!err.to_string().contains(TOKEN));
        assert!(!format!("{err:?}").contains(TOKEN));
    }
}

// ---------------------------------------------------------------------------------------------
// Hostile path values
// ---------------------------------------------------------------------------------------------

/// Path values and the segment they must arrive as.
const HOSTILE: [(&str, &str); 8] = [
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
async fn hostile_org_team_and_user_values_stay_inside_their_path_segment() {
    for (value, encoded) in HOSTILE {
        let server = server_answering(json_response(200, &membership("active", "member"))).await;
        let client = client(&server);
        let body = maintainer();
        let calls = [
            client
                .add_or_update_team_membership_for_user_in_org(value, "t", "u", &body)
                .await,
            client
                .add_or_update_team_membership_for_user_in_org("o", value, "u", &body)
                .await,
            client
                .add_or_update_team_membership_for_user_in_org("o", "t", value, &body)
                .await,
            client
                .add_or_update_team_membership_for_user_by_id(1, 2, value, &body)
                .await,
        ];
        for call in calls {
            call.unwrap_or_else(|e| panic!("{value:?}: {e}"));
        }

        let received = server.received_requests().await.expect("recording is on");
        let paths: Vec<&str> = received.iter().map(|r| r.url.path()).collect();
        assert_eq!(
            paths,
            [
                format!("/orgs/{encoded}/teams/t/memberships/u"),
                format!("/orgs/o/teams/{encoded}/memberships/u"),
                format!("/orgs/o/teams/t/memberships/{encoded}"),
                format!("/organizations/1/team/2/memberships/{encoded}"),
            ],
            "value {value:?}"
        );
        assert!(
            received.iter().all(|r| r.url.query().is_none()),
            "value {value:?}"
        );
    }
}

#[tokio::test]
async fn empty_and_dot_path_values_are_refused_before_anything_is_sent() {
    let server = server_answering(json_response(200, &membership("active", "member"))).await;
    let client = client(&server);
    let body = maintainer();
    for value in ["", ".", ".."] {
        let calls = [
            (
                "org",
                client
                    .add_or_update_team_membership_for_user_in_org(value, "t", "u", &body)
                    .await,
            ),
            (
                "team_slug",
                client
                    .add_or_update_team_membership_for_user_in_org("o", value, "u", &body)
                    .await,
            ),
            (
                "username",
                client
                    .add_or_update_team_membership_for_user_in_org("o", "t", value, &body)
                    .await,
            ),
            (
                "username",
                client
                    .add_or_update_team_membership_for_user_by_id(1, 2, value, &body)
                    .await,
            ),
        ];
        for (expected, call) in calls {
            match call {
                Err(Error::InvalidArgument { name, .. }) => assert_eq!(name, expected, "{value:?}"),
                other => panic!("{expected} = {value:?}: expected InvalidArgument, got {other:?}"),
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

#[tokio::test]
async fn a_cross_origin_redirect_does_not_carry_the_token() {
    let elsewhere = server_answering(json_response(200, &membership("active", "member"))).await;
    let location = format!("{}{IN_ORG_PATH}", elsewhere.uri());
    let github =
        server_answering(ResponseTemplate::new(307).insert_header("location", location.as_str())).await;
    let _ = client(&github)
        .add_or_update_team_membership_for_user_in_org("acme", "platform", "octocat", &maintainer())
        .await;

    for request in elsewhere.received_requests().await.expect("recording is on") {
        assert!(
            request.headers.get("authorization").is_none(),
            "the token followed a redirect"
        );
    }
}
