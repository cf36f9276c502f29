use redmine_client::issue_categories::{IssueCategoryUpdate, NewIssueCategory};
use redmine_client::{CategoryId, ProjectId, UserId};
use serde_json::json;
use wiremock::matchers::{body_json, header, method, path};
use wiremock::{Mock, ResponseTemplate};

use crate::support::{KEY, QueryIs, client, json_response, server};

#[tokio::test]
async fn list_issue_categories_by_identifier() {
    let server = server().await;
    Mock::given(method("GET"))
        .and(path("/projects/project-a/issue_categories.json"))
        .and(QueryIs::empty())
        .and(header("x-redmine-api-key", KEY))
        .respond_with(json_response(200, "issue_categories_list.json"))
        .expect(1)
        .mount(&server)
        .await;

    let categories = client(&server).list_issue_categories("project-a").await.unwrap();

    assert_eq!(categories.len(), 2);
    assert_eq!(categories[0].name, "Backend");
    assert_eq!(categories[0].assigned_to.as_ref().unwrap().id, UserId(5));
    assert_eq!(categories[1].assigned_to, None);
}

#[tokio::test]
async fn project_identifiers_are_percent_encoded_in_paths() {
    let server = server().await;
    Mock::given(method("GET"))
        .and(path("/projects/a%2F..%3Fx/issue_categories.json"))
        .and(QueryIs::empty())
        .respond_with(json_response(200, "issue_categories_list.json"))
        .expect(1)
        .mount(&server)
        .await;

    client(&server).list_issue_categories("a/..?x").await.unwrap();
}

#[tokio::test]
async fn list_issue_categories_by_id() {
    let server = server().await;
    Mock::given(method("GET"))
        .and(path("/projects/1/issue_categories.json"))
        .respond_with(json_response(200, "issue_categories_list.json"))
        .expect(1)
        .mount(&server)
        .await;

    client(&server).list_issue_categories(ProjectId(1)).await.unwrap();
}

#[tokio::test]
async fn get_issue_category_reads_one() {
    let server = server().await;
    Mock::given(method("GET"))
        .and(path("/issue_categories/1.json"))
        .and(header("x-redmine-api-key", KEY))
        .respond_with(json_response(200, "issue_category.json"))
        .expect(1)
        .mount(&server)
        .await;

    let category = client(&server).get_issue_category(CategoryId(1)).await.unwrap();

    assert_eq!(category.project.unwrap().id, ProjectId(1));
}

#[tokio::test]
async fn create_issue_category_posts_name_and_assignee() {
    let server = server().await;
    Mock::given(method("POST"))
        .and(path("/projects/project-a/issue_categories.json"))
        .and(header("x-redmine-api-key", KEY))
        .and(header("content-type", "application/json"))
        .and(body_json(
            json!({"issue_category": {"name": "fixture-category", "assigned_to_id": 5}}),
        ))
        .respond_with(json_response(201, "issue_category_created.json"))
        .expect(1)
        .mount(&server)
        .await;

    let new = NewIssueCategory::new("fixture-category").assigned_to(UserId(5));
    let category = client(&server).create_issue_category("project-a", &new).await.unwrap();

    assert_eq!(category.id, CategoryId(3));
    assert_eq!(category.name, "fixture-category");
}

#[tokio::test]
async fn update_issue_category_renames_and_clears_assignee() {
    let server = server().await;
    Mock::given(method("PUT"))
        .and(path("/issue_categories/3.json"))
        .and(header("x-redmine-api-key", KEY))
        .and(header("content-type", "application/json"))
        .and(body_json(json!({"issue_category": {
            "name": "fixture-category renamed",
            "assigned_to_id": "",
        }})))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;

    let update = IssueCategoryUpdate::new().name("fixture-category renamed").clear_assigned_to();
    client(&server).update_issue_category(CategoryId(3), &update).await.unwrap();
}

#[tokio::test]
async fn delete_issue_category_with_and_without_reassignment() {
    let server = server().await;
    Mock::given(method("DELETE"))
        .and(path("/issue_categories/3.json"))
        .and(QueryIs::new(&[("reassign_to_id", "2")]))
        .and(header("x-redmine-api-key", KEY))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("DELETE"))
        .and(path("/issue_categories/4.json"))
        .and(QueryIs::empty())
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;

    let client = client(&server);
    client.delete_issue_category(CategoryId(3), Some(CategoryId(2))).await.unwrap();
    client.delete_issue_category(CategoryId(4), None).await.unwrap();
}
