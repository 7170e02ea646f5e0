//! Pagination through a generated client (issue 24, its paginators; issue
//! 36, each page bounded): acme's list operations page in each way the
//! generator detects, and each is run against a local server: three pages
//! then the end, an empty first page, an error on page two, and a next
//! page that repeats. What was sent is asserted (method, path, query,
//! credential), and that a server's next link can never move the call to
//! another endpoint.

use acme_client::{Client, Error, types};
use futures_util::StreamExt;
use serde_json::{Value, json};
use wiremock::matchers::{method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::client;

/// Serves `body` (with `link`, if any) at `route` for the request whose
/// query parameter `key` is `value` (`None`: absent).
async fn page(server: &MockServer, route: &str, key: &str, value: Option<&str>, answer: ResponseTemplate) {
    let mock = Mock::given(method("GET")).and(path(route));
    let mock = match value {
        Some(v) => mock.and(query_param(key, v)),
        None => mock.and(query_param_is_missing(key)),
    };
    mock.respond_with(answer).expect(1).mount(server).await;
}

fn ok(body: Value) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(body)
}

fn linked(body: Value, next: &str) -> ResponseTemplate {
    ok(body).insert_header(
        "link",
        format!("<{next}>; rel=\"next\", <https://x.test/last>; rel=\"last\"").as_str(),
    )
}

fn not_found() -> ResponseTemplate {
    ResponseTemplate::new(404).set_body_json(json!({"message": "gone"}))
}

/// Each request's path and query, in order.
async fn sent(server: &MockServer) -> Vec<String> {
    let received = server.received_requests().await.expect("recording on");
    for r in &received {
        assert_eq!(r.method.as_str(), "GET");
        assert_eq!(
            r.headers["private-token"], "glpat-hunter2",
            "every page is authenticated"
        );
    }
    received
        .iter()
        .map(|r| match r.url.query() {
            Some(q) => format!("{}?{q}", r.url.path()),
            None => r.url.path().to_string(),
        })
        .collect()
}

fn issue(id: i64) -> Value {
    json!({"id": id, "title": format!("issue {id}")})
}

/// What the README shows: every issue across pages, a page at a time.
async fn readme_example(client: &Client) -> Result<Vec<i64>, Error> {
    // readme:start
    // acme's `GET /projects/{projectId}/issues` pages by its `Link` header.
    let mut ids = Vec::new();
    let mut issues = client.list_issues("platform").into_stream();
    while let Some(issue) = issues.next().await {
        let issue = issue?; // a page that failed ends the stream with its error
        ids.push(issue.id);
    }
    // Or every item at once, and whole pages with their headers:
    let all = client.list_issues("platform").into_stream().collect_all().await?;
    assert_eq!(all.len(), ids.len());
    let mut pages = client.list_issues("platform").pages();
    while let Some(page) = pages.next().await {
        let page = page?;
        println!("{} issues in all", page.headers().x_total()?.unwrap_or_default());
    }
    // readme:end
    Ok(ids)
}

#[test]
fn the_readme_shows_this_files_example() {
    super::documented_responses::readme_shows("tests/pages.rs");
}

/// acme's issues in three pages, by `Link`.
async fn issues_server() -> MockServer {
    let server = MockServer::start().await;
    let route = "/api/v4/projects/platform/issues";
    let base = format!("{}{route}", server.uri());
    let answer = |body, next: Option<String>| {
        let answer = match next {
            Some(next) => linked(body, &next),
            None => ok(body),
        };
        answer.insert_header("x-total", "5")
    };
    for _ in 0..3 {
        let p1 = answer(json!([issue(1), issue(2)]), Some(format!("{base}?page=2")));
        Mock::given(method("GET"))
            .and(path(route))
            .and(query_param_is_missing("page"))
            .respond_with(p1)
            .up_to_n_times(1)
            .mount(&server)
            .await;
    }
    let p2 = answer(json!([issue(3), issue(4)]), Some(format!("{base}?page=3")));
    Mock::given(method("GET"))
        .and(path(route))
        .and(query_param("page", "2"))
        .respond_with(p2)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(route))
        .and(query_param("page", "3"))
        .respond_with(answer(json!([issue(5)]), None))
        .mount(&server)
        .await;
    server
}

#[tokio::test]
async fn the_readme_example_runs() {
    let server = issues_server().await;
    let ids = readme_example(&client(&server).await).await.unwrap();
    assert_eq!(ids, [1, 2, 3, 4, 5]);
}

#[tokio::test]
async fn link_three_pages_then_the_end_each_asked_only_when_read() {
    let server = issues_server().await;
    let client = client(&server).await;
    let mut items = client.list_issues("platform").into_stream();
    assert_eq!(items.next().await.unwrap().unwrap().id, 1);
    assert_eq!(sent(&server).await.len(), 1, "one page read, one asked for");
    let rest: Vec<i64> = items.map(|i| i.unwrap().id).collect().await;
    assert_eq!(rest, [2, 3, 4, 5]);
    assert_eq!(
        sent(&server).await,
        [
            "/api/v4/projects/platform/issues",
            "/api/v4/projects/platform/issues?page=2",
            "/api/v4/projects/platform/issues?page=3"
        ]
    );
}

#[tokio::test]
async fn a_next_link_gives_its_query_never_its_host_or_path() {
    let server = MockServer::start().await;
    let route = "/api/v4/projects/p/issues";
    // GitHub's links name another path for the same list; a hostile one
    // another host. Only the query is taken: the endpoint stays this one.
    let next = "https://attacker.test/steal/issues?page=2&fields=id%2Ctitle";
    page(&server, route, "page", None, linked(json!([issue(1)]), next)).await;
    page(&server, route, "page", Some("2"), ok(json!([issue(2)]))).await;
    let ids: Vec<i64> = client(&server)
        .await
        .list_issues("p")
        .into_stream()
        .map(|i| i.unwrap().id)
        .collect()
        .await;
    assert_eq!(ids, [1, 2]);
    assert_eq!(
        sent(&server).await[1],
        "/api/v4/projects/p/issues?page=2&fields=id%2Ctitle"
    );
}

#[tokio::test]
async fn a_next_link_with_a_parameter_the_operation_lacks_is_refused_before_sending() {
    let server = MockServer::start().await;
    let route = "/api/v4/projects/p/issues";
    page(
        &server,
        route,
        "page",
        None,
        linked(json!([issue(1)]), "?page=2&admin=true"),
    )
    .await;
    let got: Vec<_> = client(&server)
        .await
        .list_issues("p")
        .into_stream()
        .collect()
        .await;
    assert_eq!(got.len(), 2);
    assert!(
        matches!(&got[1], Err(Error::InvalidArgument { name: "query", reason }) if reason.contains("`admin`")),
        "{:?}",
        got[1]
    );
    assert_eq!(sent(&server).await.len(), 1, "the refused page was never sent");
}

#[tokio::test]
async fn an_empty_first_page_ends_every_style_after_one_request() {
    let server = MockServer::start().await;
    page(&server, "/api/v4/projects/p/issues", "page", None, ok(json!([]))).await;
    page(
        &server,
        "/api/v4/projects/p/members",
        "cursor",
        None,
        ok(json!({"members": [], "response_metadata": {"next_cursor": ""}})),
    )
    .await;
    page(
        &server,
        "/api/v4/projects/p/releases",
        "after",
        None,
        ok(json!({"results": [], "next": null})),
    )
    .await;
    page(
        &server,
        "/api/v4/projects/p/labels",
        "page",
        None,
        ok(json!({"labels": [], "total_count": 0})),
    )
    .await;
    page(
        &server,
        "/api/v4/projects/p/commits",
        "offset",
        None,
        ok(json!([])),
    )
    .await;
    let client = client(&server).await;
    assert_eq!(
        client
            .list_issues("p")
            .into_stream()
            .collect_all()
            .await
            .unwrap()
            .len(),
        0
    );
    assert_eq!(
        client
            .list_members("p")
            .into_stream()
            .collect_all()
            .await
            .unwrap()
            .len(),
        0
    );
    assert_eq!(
        client
            .list_releases("p")
            .into_stream()
            .collect_all()
            .await
            .unwrap()
            .len(),
        0
    );
    assert_eq!(
        client
            .list_labels("p")
            .into_stream()
            .collect_all()
            .await
            .unwrap()
            .len(),
        0
    );
    assert_eq!(
        client
            .list_commits("p")
            .into_stream()
            .collect_all()
            .await
            .unwrap()
            .len(),
        0
    );
    assert_eq!(sent(&server).await.len(), 5, "one request each");
}

#[tokio::test]
async fn cursor_three_pages_then_the_end_with_the_callers_values_on_each() {
    let server = MockServer::start().await;
    let route = "/api/v4/projects/p/members";
    let members = |names: &[&str], next: &str| {
        let members: Vec<Value> = names.iter().map(|n| json!({"name": n})).collect();
        ok(json!({"members": members, "response_metadata": {"next_cursor": next}}))
    };
    page(&server, route, "cursor", None, members(&["ada", "bob"], "c2")).await;
    page(
        &server,
        route,
        "cursor",
        Some("c2"),
        members(&["cy", "di"], "c3=="),
    )
    .await;
    // The last page says so with an empty cursor (Slack's way).
    page(&server, route, "cursor", Some("c3=="), members(&["ed"], "")).await;
    let names: Vec<String> = client(&server)
        .await
        .list_members("p")
        .limit(std::num::NonZeroU64::new(2).expect("2"))
        .into_stream()
        .map(|m: Result<types::Member, Error>| m.unwrap().name)
        .collect()
        .await;
    assert_eq!(names, ["ada", "bob", "cy", "di", "ed"]);
    assert_eq!(
        sent(&server).await,
        [
            "/api/v4/projects/p/members?limit=2",
            "/api/v4/projects/p/members?limit=2&cursor=c2",
            "/api/v4/projects/p/members?limit=2&cursor=c3%3D%3D"
        ]
    );
}

#[tokio::test]
async fn a_repeated_cursor_is_an_error_after_the_pages_before_it() {
    let server = MockServer::start().await;
    let route = "/api/v4/projects/p/members";
    let body =
        |name: &str| ok(json!({"members": [{"name": name}], "response_metadata": {"next_cursor": "same"}}));
    page(&server, route, "cursor", None, body("ada")).await;
    page(&server, route, "cursor", Some("same"), body("bob")).await;
    let got: Vec<_> = client(&server)
        .await
        .list_members("p")
        .into_stream()
        .collect()
        .await;
    assert_eq!(got.len(), 3, "{got:?}");
    assert_eq!(got[1].as_ref().unwrap().name, "bob");
    match &got[2] {
        Err(
            e @ Error::Pagination {
                operation: "list_members",
                page: 3,
                ..
            },
        ) => {
            assert!(e.to_string().contains("`cursor=same`"), "{e}");
        }
        other => panic!("expected a pagination error, got {other:?}"),
    }
}

#[tokio::test]
async fn an_error_on_page_two_ends_the_stream_with_it() {
    let server = MockServer::start().await;
    let route = "/api/v4/projects/p/releases";
    let next = format!("{}{route}?after=r2", server.uri());
    page(
        &server,
        route,
        "after",
        None,
        ok(json!({"results": ["r1"], "next": next})),
    )
    .await;
    page(&server, route, "after", Some("r2"), not_found()).await;
    let got: Vec<_> = client(&server)
        .await
        .list_releases("p")
        .into_stream()
        .collect()
        .await;
    assert_eq!(got.len(), 2, "{got:?}");
    assert_eq!(got[0].as_ref().unwrap(), "r1");
    match &got[1] {
        Err(Error::Api { status, .. }) => assert_eq!(status.as_u16(), 404),
        other => panic!("expected the 404, got {other:?}"),
    }
}

#[tokio::test]
async fn a_204_beside_a_list_is_an_empty_last_page() {
    let server = MockServer::start().await;
    let route = "/api/v4/projects/p/releases";
    Mock::given(method("GET"))
        .and(path(route))
        .respond_with(ResponseTemplate::new(204))
        .expect(2)
        .mount(&server)
        .await;
    let client = client(&server).await;
    assert!(
        client
            .list_releases("p")
            .into_stream()
            .collect_all()
            .await
            .unwrap()
            .is_empty()
    );
    let mut pages = client.list_releases("p").pages();
    let only = pages.next().await.expect("one page").expect("a 204");
    assert!(matches!(
        only.into_inner(),
        acme_client::responses::ListReleases::NoContent
    ));
    assert!(pages.next().await.is_none());
}

#[tokio::test]
async fn next_url_three_pages_then_a_null_next() {
    let server = MockServer::start().await;
    let route = "/api/v4/projects/p/releases";
    let next = |after: &str| format!("{}{route}?page_size=1&after={after}", server.uri());
    page(
        &server,
        route,
        "after",
        None,
        ok(json!({"results": ["r1"], "next": next("r1")})),
    )
    .await;
    page(
        &server,
        route,
        "after",
        Some("r1"),
        ok(json!({"results": ["r2"], "next": next("r2")})),
    )
    .await;
    page(
        &server,
        route,
        "after",
        Some("r2"),
        ok(json!({"results": ["r3"], "next": null})),
    )
    .await;
    let all = client(&server)
        .await
        .list_releases("p")
        .page_size(1)
        .into_stream()
        .collect_all()
        .await;
    assert_eq!(all.unwrap(), ["r1", "r2", "r3"]);
    assert_eq!(
        sent(&server).await[2],
        "/api/v4/projects/p/releases?page_size=1&after=r2"
    );
}

#[tokio::test]
async fn page_numbers_from_the_callers_page_stop_at_a_short_page() {
    let server = MockServer::start().await;
    let route = "/api/v4/projects/p/labels";
    page(
        &server,
        route,
        "page",
        Some("3"),
        ok(json!({"labels": ["a", "b"]})),
    )
    .await;
    page(
        &server,
        route,
        "page",
        Some("4"),
        ok(json!({"labels": ["c", "d"]})),
    )
    .await;
    page(&server, route, "page", Some("5"), ok(json!({"labels": ["e"]}))).await;
    let labels = client(&server)
        .await
        .list_labels("p")
        .page(std::num::NonZeroU64::new(3).expect("3"))
        .into_stream()
        .collect_all()
        .await
        .unwrap();
    assert_eq!(labels, ["a", "b", "c", "d", "e"]);
}

#[tokio::test]
async fn page_numbers_stop_at_the_total_and_an_error_on_page_two_ends_them() {
    let server = MockServer::start().await;
    let route = "/api/v4/projects/p/labels";
    let body = |labels: Value| ok(json!({"labels": labels, "total_count": 4}));
    page(&server, route, "page", None, body(json!(["a", "b"]))).await;
    page(&server, route, "page", Some("2"), body(json!(["c", "d"]))).await;
    let all = client(&server)
        .await
        .list_labels("p")
        .per_page(2)
        .into_stream()
        .collect_all()
        .await;
    assert_eq!(
        all.unwrap(),
        ["a", "b", "c", "d"],
        "no third page asked: the total is reached"
    );
    assert_eq!(
        sent(&server).await,
        [
            "/api/v4/projects/p/labels?per_page=2",
            "/api/v4/projects/p/labels?per_page=2&page=2"
        ]
    );

    let failing = MockServer::start().await;
    page(&failing, route, "page", None, body(json!(["a", "b"]))).await;
    page(&failing, route, "page", Some("2"), not_found()).await;
    let got: Vec<_> = client(&failing)
        .await
        .list_labels("p")
        .into_stream()
        .collect()
        .await;
    assert_eq!(got.len(), 3);
    assert!(matches!(got[2], Err(Error::Api { .. })), "{:?}", got[2]);
}

#[tokio::test]
async fn offsets_three_pages_then_a_short_one() {
    let server = MockServer::start().await;
    let route = "/api/v4/projects/p/commits";
    page(&server, route, "offset", None, ok(json!(["c1", "c2"]))).await;
    page(&server, route, "offset", Some("2"), ok(json!(["c3", "c4"]))).await;
    page(&server, route, "offset", Some("4"), ok(json!(["c5"]))).await;
    let all = client(&server)
        .await
        .list_commits("p")
        .limit(2)
        .into_stream()
        .collect_all()
        .await;
    assert_eq!(all.unwrap(), ["c1", "c2", "c3", "c4", "c5"]);
    assert_eq!(
        sent(&server).await[2],
        "/api/v4/projects/p/commits?limit=2&offset=4"
    );
}

#[tokio::test]
async fn whole_pages_keep_their_headers_and_each_page_is_bounded() {
    let server = MockServer::start().await;
    let route = "/api/v4/projects/p/commits";
    let big: Vec<String> = (0..2).map(|_| "x".repeat(4_000)).collect();
    page(
        &server,
        route,
        "offset",
        None,
        ok(json!(["c1", "c2"])).insert_header("x-page", "1"),
    )
    .await;
    page(&server, route, "offset", Some("2"), ok(json!(big))).await;
    let client = client(&server).await;
    let mut pages = client.list_commits("p").max_response_body(1024).pages();
    let first = pages.next().await.unwrap().unwrap();
    assert_eq!(first.headers()["x-page"], "1");
    assert_eq!(first.into_inner(), ["c1", "c2"]);
    assert!(
        matches!(
            pages.next().await,
            Some(Err(Error::BodyTooLarge {
                limit: 1024,
                operation: "list_commits",
                ..
            }))
        ),
        "page two is over this request's limit"
    );
    assert!(pages.next().await.is_none(), "the error ends the stream");
}

#[tokio::test]
async fn link_and_cursor_and_offset_each_end_with_an_error_on_page_two() {
    let server = MockServer::start().await;
    let issues = "/api/v4/projects/p/issues";
    page(
        &server,
        issues,
        "page",
        None,
        linked(json!([issue(1)]), "?page=2"),
    )
    .await;
    page(&server, issues, "page", Some("2"), not_found()).await;
    let members = "/api/v4/projects/p/members";
    let first = ok(json!({"members": [{"name": "ada"}], "response_metadata": {"next_cursor": "c2"}}));
    page(&server, members, "cursor", None, first).await;
    page(&server, members, "cursor", Some("c2"), not_found()).await;
    let commits = "/api/v4/projects/p/commits";
    page(&server, commits, "offset", None, ok(json!(["c1"]))).await;
    page(&server, commits, "offset", Some("1"), not_found()).await;
    let client = client(&server).await;
    let issues: Vec<_> = client.list_issues("p").into_stream().collect().await;
    let members: Vec<_> = client.list_members("p").into_stream().collect().await;
    let commits: Vec<_> = client.list_commits("p").into_stream().collect().await;
    assert_eq!(issues[0].as_ref().unwrap().id, 1);
    assert_eq!(members[0].as_ref().unwrap().name, "ada");
    assert_eq!(commits[0].as_ref().unwrap(), "c1");
    for (name, got) in [
        ("issues", issues.get(1).map(|r| r.as_ref().err())),
        ("members", members.get(1).map(|r| r.as_ref().err())),
        ("commits", commits.get(1).map(|r| r.as_ref().err())),
    ] {
        match got {
            Some(Some(Error::Api { status, .. })) => assert_eq!(status.as_u16(), 404, "{name}"),
            other => panic!("{name}: expected the 404 as the last item, got {other:?}"),
        }
    }
    assert_eq!(
        (issues.len(), members.len(), commits.len()),
        (2, 2, 2),
        "the error ends each stream"
    );
}

#[tokio::test]
async fn a_next_link_that_repeats_is_an_error_after_the_pages_before_it() {
    let server = MockServer::start().await;
    let route = "/api/v4/projects/p/issues";
    page(&server, route, "page", None, linked(json!([issue(1)]), "?page=2")).await;
    page(
        &server,
        route,
        "page",
        Some("2"),
        linked(json!([issue(2)]), "?page=2"),
    )
    .await;
    let got: Vec<_> = client(&server)
        .await
        .list_issues("p")
        .into_stream()
        .collect()
        .await;
    assert_eq!(got.len(), 3, "{got:?}");
    assert_eq!(got[1].as_ref().unwrap().id, 2);
    assert!(
        matches!(
            &got[2],
            Err(Error::Pagination {
                operation: "list_issues",
                page: 3,
                ..
            })
        ),
        "{:?}",
        got[2]
    );
}
