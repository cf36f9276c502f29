use redmine_client::groups::{GroupInclude, GroupUpdate, NewGroup};
use redmine_client::{GroupId, UserId};
use serde_json::json;
use wiremock::matchers::{body_json, header, method, path};
use wiremock::{Mock, ResponseTemplate};

use crate::support::{KEY, QueryIs, client, json_response, server};

#[tokio::test]
async fn list_groups_leaves_builtin_groups_out() {
    let server = server().await;
    Mock::given(method("GET"))
        .and(path("/groups.json"))
        .and(QueryIs::empty())
        .and(header("x-redmine-api-key", KEY))
        .respond_with(json_response(200, "groups_list.json"))
        .expect(1)
        .mount(&server)
        .await;

    let groups = client(&server).list_groups().await.unwrap();

    assert_eq!(groups.len(), 1);
    assert_eq!((groups[0].id, groups[0].name.as_str()), (GroupId(8), "Harness Team"));
}

#[tokio::test]
async fn list_all_groups_asks_for_builtin_groups() {
    let server = server().await;
    Mock::given(method("GET"))
        .and(path("/groups.json"))
        .and(QueryIs::new(&[("builtin", "1")]))
        .and(header("x-redmine-api-key", KEY))
        .respond_with(json_response(200, "groups_list_builtin.json"))
        .expect(1)
        .mount(&server)
        .await;

    let groups = client(&server).list_all_groups().await.unwrap();

    assert_eq!(groups.len(), 3);
    assert_eq!(groups[1].builtin.as_deref(), Some("anonymous"));
}

#[tokio::test]
async fn get_group_asks_for_includes() {
    let server = server().await;
    Mock::given(method("GET"))
        .and(path("/groups/8.json"))
        .and(QueryIs::new(&[("include", "users,memberships")]))
        .and(header("x-redmine-api-key", KEY))
        .respond_with(json_response(200, "group.json"))
        .expect(1)
        .mount(&server)
        .await;

    let include = [GroupInclude::Users, GroupInclude::Memberships];
    let group = client(&server).get_group(GroupId(8), &include).await.unwrap();

    assert_eq!(group.users.unwrap().len(), 2);
    assert_eq!(group.memberships.unwrap()[0].roles[0].name, "Reporter");
}

#[tokio::test]
async fn create_group_posts_name_and_users() {
    let server = server().await;
    Mock::given(method("POST"))
        .and(path("/groups.json"))
        .and(QueryIs::empty())
        .and(header("x-redmine-api-key", KEY))
        .and(header("content-type", "application/json"))
        .and(body_json(json!({"group": {
            "name": "Fixture Group",
            "user_ids": [5],
            "twofa_required": false,
        }})))
        .respond_with(json_response(201, "group_created.json"))
        .expect(1)
        .mount(&server)
        .await;

    let group = NewGroup::new("Fixture Group").users([UserId(5)]).twofa_required(false);
    let created = client(&server).create_group(&group).await.unwrap();

    assert_eq!(created.id, GroupId(10));
    assert_eq!(created.users, None, "the creation answer carries no includes");
}

#[tokio::test]
async fn update_group_puts_only_the_changes() {
    let server = server().await;
    Mock::given(method("PUT"))
        .and(path("/groups/10.json"))
        .and(header("x-redmine-api-key", KEY))
        .and(header("content-type", "application/json"))
        .and(body_json(json!({"group": {"name": "Fixture Group 2"}})))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;

    let update = GroupUpdate::new().name("Fixture Group 2");
    client(&server).update_group(GroupId(10), &update).await.unwrap();
}

#[tokio::test]
async fn delete_group_sends_delete() {
    let server = server().await;
    Mock::given(method("DELETE"))
        .and(path("/groups/10.json"))
        .and(QueryIs::empty())
        .and(header("x-redmine-api-key", KEY))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;

    client(&server).delete_group(GroupId(10)).await.unwrap();
}

#[tokio::test]
async fn add_group_user_posts_a_bare_user_id() {
    let server = server().await;
    Mock::given(method("POST"))
        .and(path("/groups/10/users.json"))
        .and(QueryIs::empty())
        .and(header("x-redmine-api-key", KEY))
        .and(header("content-type", "application/json"))
        .and(body_json(json!({"user_id": 6})))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;

    client(&server).add_group_user(GroupId(10), UserId(6)).await.unwrap();
}

#[tokio::test]
async fn add_group_user_reports_an_existing_member_as_invalid() {
    let server = server().await;
    Mock::given(method("POST"))
        .and(path("/groups/10/users.json"))
        .and(body_json(json!({"user_id": 5})))
        .respond_with(json_response(422, "group_user_invalid.json"))
        .expect(1)
        .mount(&server)
        .await;

    let err = client(&server).add_group_user(GroupId(10), UserId(5)).await.unwrap_err();

    assert_eq!(err.validation_errors(), ["User is invalid"]);
    assert_eq!(err.operation().unwrap().to_string(), "POST /groups/{id}/users.json");
}

#[tokio::test]
async fn remove_group_user_deletes_the_nested_route() {
    let server = server().await;
    Mock::given(method("DELETE"))
        .and(path("/groups/10/users/6.json"))
        .and(QueryIs::empty())
        .and(header("x-redmine-api-key", KEY))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;

    client(&server).remove_group_user(GroupId(10), UserId(6)).await.unwrap();
}
