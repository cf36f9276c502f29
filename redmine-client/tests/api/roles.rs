use redmine_client::RoleId;
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, ResponseTemplate};

use crate::support::{KEY, QueryIs, client, json_response, server};

#[tokio::test]
async fn list_roles_reads_ids_and_names() {
    let server = server().await;
    Mock::given(method("GET"))
        .and(path("/roles.json"))
        .and(QueryIs::empty())
        .and(header("x-redmine-api-key", KEY))
        .respond_with(json_response(200, "roles_list.json"))
        .expect(1)
        .mount(&server)
        .await;

    let roles = client(&server).list_roles().await.unwrap();

    let names: Vec<_> = roles.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(names, ["Manager", "Developer", "Reporter"]);
    assert!(roles.iter().all(|r| r.permissions.is_none()));
}

#[tokio::test]
async fn get_role_reads_permissions() {
    let server = server().await;
    Mock::given(method("GET"))
        .and(path("/roles/4.json"))
        .and(QueryIs::empty())
        .and(header("x-redmine-api-key", KEY))
        .respond_with(json_response(200, "role.json"))
        .expect(1)
        .mount(&server)
        .await;

    let role = client(&server).get_role(RoleId(4)).await.unwrap();

    assert_eq!(role.users_visibility.as_deref(), Some("members_of_visible_projects"));
    assert_eq!(role.time_entries_visibility.as_deref(), Some("all"));
    assert!(role.allows("edit_issues"));
    assert!(!role.allows("delete_issues"));
}

#[tokio::test]
async fn get_role_maps_404() {
    let server = server().await;
    Mock::given(method("GET"))
        .and(path("/roles/999.json"))
        .respond_with(ResponseTemplate::new(404))
        .expect(1)
        .mount(&server)
        .await;

    let err = client(&server).get_role(RoleId(999)).await.unwrap_err();

    assert!(err.is_not_found(), "{err:?}");
}
