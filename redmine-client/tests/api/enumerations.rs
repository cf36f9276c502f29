use redmine_client::{ActivityId, DocumentCategoryId, PriorityId};
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer};

use crate::support::{KEY, QueryIs, client, json_response, server};

async fn mount(server: &MockServer, route: &str, fixture: &str) {
    Mock::given(method("GET"))
        .and(path(route))
        .and(QueryIs::empty())
        .and(header("x-redmine-api-key", KEY))
        .respond_with(json_response(200, fixture))
        .expect(1)
        .mount(server)
        .await;
}

#[tokio::test]
async fn list_issue_priorities_reads_the_default() {
    let server = server().await;
    mount(&server, "/enumerations/issue_priorities.json", "issue_priorities_list.json").await;

    let priorities = client(&server).list_issue_priorities().await.unwrap();

    let default = priorities.iter().find(|p| p.is_default).unwrap();
    assert_eq!((default.id, default.name.as_str()), (PriorityId(2), "Normal"));
    assert_eq!(priorities.len(), 5);
}

#[tokio::test]
async fn list_time_entry_activities_reads_the_list() {
    let server = server().await;
    mount(&server, "/enumerations/time_entry_activities.json", "time_entry_activities_list.json")
        .await;

    let activities = client(&server).list_time_entry_activities().await.unwrap();

    assert_eq!(activities.iter().map(|a| a.id).collect::<Vec<_>>(), [ActivityId(8), ActivityId(9)]);
    assert!(activities.iter().all(|a| a.active && !a.is_default));
}

#[tokio::test]
async fn list_document_categories_reads_the_list() {
    let server = server().await;
    mount(&server, "/enumerations/document_categories.json", "document_categories_list.json").await;

    let categories = client(&server).list_document_categories().await.unwrap();

    assert_eq!(categories[1].id, DocumentCategoryId(7));
    assert_eq!(categories[1].name, "Technical documentation");
}

#[tokio::test]
async fn a_list_under_the_wrong_key_is_a_decode_error_naming_it() {
    let server = server().await;
    Mock::given(method("GET"))
        .and(path("/enumerations/issue_priorities.json"))
        .respond_with(json_response(200, "time_entry_activities_list.json"))
        .expect(1)
        .mount(&server)
        .await;

    let err = client(&server).list_issue_priorities().await.unwrap_err();

    assert!(err.to_string().contains("issue_priorities"), "{err}");
}
