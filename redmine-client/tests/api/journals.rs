use redmine_client::JournalId;
use redmine_client::journals::JournalUpdate;
use serde_json::json;
use wiremock::matchers::{body_json, header, method, path};
use wiremock::{Mock, ResponseTemplate};

use crate::support::{KEY, client, server};

#[tokio::test]
async fn update_journal_puts_notes() {
    let server = server().await;
    Mock::given(method("PUT"))
        .and(path("/journals/9.json"))
        .and(header("x-redmine-api-key", KEY))
        .and(header("content-type", "application/json"))
        .and(body_json(
            json!({"journal": {"notes": "fixture note, edited", "private_notes": false}}),
        ))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;

    let update = JournalUpdate::new("fixture note, edited").private_notes(false);
    client(&server).update_journal(JournalId(9), &update).await.unwrap();
}

#[tokio::test]
async fn update_journal_leaves_privacy_alone_unless_set() {
    let server = server().await;
    Mock::given(method("PUT"))
        .and(path("/journals/9.json"))
        .and(body_json(json!({"journal": {"notes": ""}})))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;

    client(&server).update_journal(JournalId(9), &JournalUpdate::new("")).await.unwrap();
}
