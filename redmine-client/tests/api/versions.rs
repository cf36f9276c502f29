use jiff::civil::date;
use redmine_client::versions::{NewVersion, Version, VersionSharing, VersionStatus, VersionUpdate};
use redmine_client::{ProjectId, VersionId};
use serde_json::json;
use wiremock::matchers::{body_json, header, method, path};
use wiremock::{Mock, ResponseTemplate};

use crate::round_trip::decode;
use crate::support::{KEY, QueryIs, client, json_response, server};

#[test]
fn version_fixtures_round_trip() {
    let list: Vec<Version> = decode("versions_list.json", "versions");
    assert_eq!(list[0].due_date, Some(date(2026, 6, 30)));
    assert_eq!(list[1].due_date, None);
    assert_eq!(list[0].estimated_hours, None, "lists carry no hours");

    let one: Version = decode("version.json", "version");
    assert_eq!((one.id, one.status.clone()), (VersionId(1), VersionStatus::Open));
    assert_eq!(one.sharing, VersionSharing::None);
    assert_eq!((one.estimated_hours, one.spent_hours), (Some(3.5), Some(2.5)));
    assert_eq!(one.wiki_page_title, None);

    let created: Version = decode("version_created.json", "version");
    assert_eq!(created.status, VersionStatus::Locked);
    assert_eq!(created.sharing, VersionSharing::Descendants);
    assert_eq!(created.wiki_page_title.as_deref(), Some("Fixture_Page"));
}

#[tokio::test]
async fn list_versions_of_a_project() {
    let server = server().await;
    Mock::given(method("GET"))
        .and(path("/projects/project-a/versions.json"))
        .and(QueryIs::empty())
        .and(header("x-redmine-api-key", KEY))
        .respond_with(json_response(200, "versions_list.json"))
        .expect(1)
        .mount(&server)
        .await;

    let versions = client(&server).list_versions("project-a").await.unwrap();

    let names: Vec<_> = versions.iter().map(|v| v.name.as_str()).collect();
    assert_eq!(names, ["1.0", "2.0"]);
    assert_eq!(versions[0].project.as_ref().unwrap().id, ProjectId(1));
}

#[tokio::test]
async fn get_version_reads_one() {
    let server = server().await;
    Mock::given(method("GET"))
        .and(path("/versions/1.json"))
        .and(QueryIs::empty())
        .and(header("x-redmine-api-key", KEY))
        .respond_with(json_response(200, "version.json"))
        .expect(1)
        .mount(&server)
        .await;

    let version = client(&server).get_version(VersionId(1)).await.unwrap();

    assert_eq!(version.spent_hours, Some(2.5));
}

#[tokio::test]
async fn create_version_posts_every_field() {
    let server = server().await;
    Mock::given(method("POST"))
        .and(path("/projects/fixture-project/versions.json"))
        .and(QueryIs::empty())
        .and(header("x-redmine-api-key", KEY))
        .and(header("content-type", "application/json"))
        .and(body_json(json!({"version": {
            "name": "fixture-1.0",
            "description": "Recorded for the wiremock tests",
            "status": "locked",
            "due_date": "2027-01-31",
            "sharing": "descendants",
            "wiki_page_title": "Fixture_Page",
            "default_project_version": true,
        }})))
        .respond_with(json_response(201, "version_created.json"))
        .expect(1)
        .mount(&server)
        .await;

    let new = NewVersion::new("fixture-1.0")
        .description("Recorded for the wiremock tests")
        .status(VersionStatus::Locked)
        .due_date(date(2027, 1, 31))
        .sharing(VersionSharing::Descendants)
        .wiki_page_title("Fixture_Page")
        .default_project_version(true);
    let version = client(&server).create_version("fixture-project", &new).await.unwrap();

    assert_eq!(version.id, VersionId(5));
    assert_eq!(version.due_date, Some(date(2027, 1, 31)));
}

#[tokio::test]
async fn update_version_clears_the_due_date() {
    let server = server().await;
    Mock::given(method("PUT"))
        .and(path("/versions/5.json"))
        .and(header("x-redmine-api-key", KEY))
        .and(header("content-type", "application/json"))
        .and(body_json(
            json!({"version": {"name": "fixture-1.1", "status": "closed", "due_date": ""}}),
        ))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;

    let update =
        VersionUpdate::new().name("fixture-1.1").status(VersionStatus::Closed).clear_due_date();
    client(&server).update_version(VersionId(5), &update).await.unwrap();
}

#[tokio::test]
async fn delete_version_and_the_bare_422_for_a_used_one() {
    let server = server().await;
    Mock::given(method("DELETE"))
        .and(path("/versions/5.json"))
        .and(QueryIs::empty())
        .and(header("x-redmine-api-key", KEY))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("DELETE"))
        .and(path("/versions/1.json"))
        .respond_with(ResponseTemplate::new(422))
        .expect(1)
        .mount(&server)
        .await;

    let client = client(&server);
    client.delete_version(VersionId(5)).await.unwrap();
    let err = client.delete_version(VersionId(1)).await.unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(422));
    assert!(!err.is_validation(), "Redmine gives no reason");
}
