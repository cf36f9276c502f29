use redmine_client::{IssueId, UserId};
use serde_json::json;
use wiremock::matchers::{body_json, header, method, path};
use wiremock::{Mock, ResponseTemplate};

use crate::support::{KEY, QueryIs, client, server};

#[tokio::test]
async fn add_watcher_posts_the_user_id() {
    let server = server().await;
    Mock::given(method("POST"))
        .and(path("/issues/10/watchers.json"))
        .and(QueryIs::empty())
        .and(header("x-redmine-api-key", KEY))
        .and(header("content-type", "application/json"))
        .and(body_json(json!({"user_id": 7})))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;

    client(&server).add_watcher(IssueId(10), UserId(7)).await.unwrap();
}

#[tokio::test]
async fn remove_watcher_deletes_by_user() {
    let server = server().await;
    Mock::given(method("DELETE"))
        .and(path("/issues/10/watchers/7.json"))
        .and(header("x-redmine-api-key", KEY))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;

    client(&server).remove_watcher(IssueId(10), UserId(7)).await.unwrap();
}
