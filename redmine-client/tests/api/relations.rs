use redmine_client::relations::{NewRelation, RelationType};
use redmine_client::{IssueId, RelationId};
use serde_json::json;
use wiremock::matchers::{body_json, header, method, path};
use wiremock::{Mock, ResponseTemplate};

use crate::support::{KEY, QueryIs, client, json_response, server};

#[tokio::test]
async fn list_relations_reads_the_unpaginated_list() {
    let server = server().await;
    Mock::given(method("GET"))
        .and(path("/issues/1/relations.json"))
        .and(QueryIs::empty())
        .and(header("x-redmine-api-key", KEY))
        .respond_with(json_response(200, "relations_list.json"))
        .expect(1)
        .mount(&server)
        .await;

    let relations = client(&server).list_relations(IssueId(1)).await.unwrap();

    assert_eq!(relations.len(), 1);
    assert_eq!(relations[0].relation_type, RelationType::Relates);
    assert_eq!((relations[0].issue_id, relations[0].issue_to_id), (IssueId(1), IssueId(3)));
    assert_eq!(relations[0].delay, None);
}

#[tokio::test]
async fn get_relation_reads_one() {
    let server = server().await;
    Mock::given(method("GET"))
        .and(path("/relations/1.json"))
        .and(header("x-redmine-api-key", KEY))
        .respond_with(json_response(200, "relation.json"))
        .expect(1)
        .mount(&server)
        .await;

    let relation = client(&server).get_relation(RelationId(1)).await.unwrap();

    assert_eq!(relation.id, RelationId(1));
}

#[tokio::test]
async fn create_relation_posts_type_and_delay() {
    let server = server().await;
    Mock::given(method("POST"))
        .and(path("/issues/10/relations.json"))
        .and(header("x-redmine-api-key", KEY))
        .and(header("content-type", "application/json"))
        .and(body_json(json!({"relation": {
            "issue_to_id": 12,
            "relation_type": "precedes",
            "delay": 2,
        }})))
        .respond_with(json_response(201, "relation_created.json"))
        .expect(1)
        .mount(&server)
        .await;

    let new = NewRelation::new(IssueId(12), RelationType::Precedes).delay(2);
    let relation = client(&server).create_relation(IssueId(10), &new).await.unwrap();

    assert_eq!(relation.relation_type, RelationType::Precedes);
    assert_eq!(relation.delay, Some(2));
    assert_eq!(relation.issue_to_id, IssueId(12));
}

#[tokio::test]
async fn delete_relation_sends_delete() {
    let server = server().await;
    Mock::given(method("DELETE"))
        .and(path("/relations/2.json"))
        .and(header("x-redmine-api-key", KEY))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;

    client(&server).delete_relation(RelationId(2)).await.unwrap();
}
