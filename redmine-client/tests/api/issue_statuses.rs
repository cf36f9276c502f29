use redmine_client::StatusId;
use wiremock::Mock;
use wiremock::matchers::{header, method, path};

use crate::support::{KEY, QueryIs, client, json_response, server};

#[tokio::test]
async fn list_issue_statuses_reads_closed_flags() {
    let server = server().await;
    Mock::given(method("GET"))
        .and(path("/issue_statuses.json"))
        .and(QueryIs::empty())
        .and(header("x-redmine-api-key", KEY))
        .respond_with(json_response(200, "issue_statuses_list.json"))
        .expect(1)
        .mount(&server)
        .await;

    let statuses = client(&server).list_issue_statuses().await.unwrap();

    let closed: Vec<_> = statuses.iter().filter(|s| s.is_closed).map(|s| s.id).collect();
    assert_eq!(closed, [StatusId(5), StatusId(6)]);
}

#[tokio::test]
async fn list_issue_statuses_reads_redmine_50s_shape() {
    let server = server().await;
    Mock::given(method("GET"))
        .and(path("/issue_statuses.json"))
        .respond_with(json_response(200, "issue_statuses_list_50.json"))
        .expect(1)
        .mount(&server)
        .await;

    let statuses = client(&server).list_issue_statuses().await.unwrap();

    assert!(statuses.iter().all(|s| s.description.is_none()));
    assert_eq!(statuses[0].name, "New");
}
