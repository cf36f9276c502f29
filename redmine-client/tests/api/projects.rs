use futures::TryStreamExt;
use redmine_client::filters::{Sort, TextFilter};
use redmine_client::projects::{
    NewProject, Project, ProjectFilter, ProjectInclude, ProjectStatus, ProjectUpdate,
};
use redmine_client::{
    ActivityId, CategoryId, CustomFieldId, Error, ProjectId, TrackerId, UserId, VersionId,
};
use serde_json::{Value, json};
use wiremock::matchers::{body_json, header, method, path};
use wiremock::{Mock, ResponseTemplate};

use crate::round_trip::decode;
use crate::support::{KEY, QueryIs, client, json_response, server};

const ALL_INCLUDES: &str =
    "trackers,issue_categories,time_entry_activities,enabled_modules,issue_custom_fields";

#[test]
fn project_fixtures_round_trip() {
    let project: Project = decode("project.json", "project");
    assert_eq!((project.id, project.identifier.as_str()), (ProjectId(1), "project-a"));
    assert_eq!(project.status, ProjectStatus::Active);
    assert_eq!(project.is_public, Some(true));
    assert_eq!(project.parent, None);
    let trackers: Vec<_> = project.trackers.unwrap().into_iter().map(|t| t.id).collect();
    assert_eq!(trackers, [TrackerId(1), TrackerId(2), TrackerId(3)]);
    assert_eq!(project.issue_categories.unwrap()[0].id, CategoryId(1));
    assert_eq!(project.time_entry_activities.unwrap()[1].id, ActivityId(9));
    assert_eq!(project.issue_custom_fields.unwrap()[0].id, CustomFieldId(1));
    assert_eq!(project.enabled_modules.unwrap().len(), 10);

    let list: Vec<Project> = decode("projects_list.json", "projects");
    assert_eq!(list[1].parent.as_ref().unwrap().id, ProjectId(1));
    assert_eq!(list[1].inherit_members, Some(true));

    let created: Project = decode("project_created.json", "project");
    assert_eq!(created.trackers, None, "a created project comes without includes");
    assert_eq!(created.is_public, Some(false));

    let defaults: Project = decode("project_defaults.json", "project");
    assert_eq!(defaults.default_version.as_ref().unwrap().id, VersionId(5));
    assert_eq!(defaults.default_assignee.as_ref().unwrap().id, UserId(6));
    assert_eq!(defaults.has_module("wiki"), Some(true));
    assert_eq!(defaults.has_module("gantt"), Some(false));
}

#[tokio::test]
async fn list_projects_sends_filters_and_reads_the_page() {
    let server = server().await;
    Mock::given(method("GET"))
        .and(path("/projects.json"))
        .and(QueryIs::new(&[
            ("status", "1|5"),
            ("name", "~Project"),
            ("sort", "name"),
            ("include", ALL_INCLUDES),
            ("offset", "0"),
            ("limit", "2"),
        ]))
        .and(header("x-redmine-api-key", KEY))
        .respond_with(json_response(200, "projects_list.json"))
        .expect(1)
        .mount(&server)
        .await;

    let filter = ProjectFilter::new()
        .status([ProjectStatus::Active, ProjectStatus::Closed])
        .name(TextFilter::contains("Project"))
        .sort(Sort::asc("name"))
        .include(&ProjectInclude::ALL)
        .offset(0)
        .limit(2);
    let page = client(&server).list_projects(&filter).await.unwrap();

    assert_eq!((page.items.len(), page.offset, page.limit), (2, 0, 2));
    assert!(page.total_count >= 4);
    assert_eq!(page.next_offset(), Some(2));
    assert_eq!(page.items[0].identifier, "project-a");
    assert!(page.items[1].trackers.is_some());
}

fn projects_page(first_id: u64, count: u64, total_count: u64, offset: u64) -> Value {
    let projects: Vec<Value> = (first_id..first_id + count)
        .map(|id| json!({"id": id, "name": format!("P{id}"), "identifier": format!("p{id}"), "status": 1}))
        .collect();
    json!({"projects": projects, "total_count": total_count, "offset": offset, "limit": 100})
}

#[tokio::test]
async fn stream_projects_walks_every_page() {
    let server = server().await;
    Mock::given(method("GET"))
        .and(path("/projects.json"))
        .and(QueryIs::new(&[("is_public", "1"), ("offset", "0"), ("limit", "100")]))
        .respond_with(ResponseTemplate::new(200).set_body_json(projects_page(1, 100, 130, 0)))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/projects.json"))
        .and(QueryIs::new(&[("is_public", "1"), ("offset", "100"), ("limit", "100")]))
        .respond_with(ResponseTemplate::new(200).set_body_json(projects_page(101, 30, 130, 100)))
        .expect(1)
        .mount(&server)
        .await;

    let projects: Vec<Project> = client(&server)
        .stream_projects(&ProjectFilter::new().public(true), 1000)
        .try_collect()
        .await
        .unwrap();

    assert_eq!(projects.len(), 130);
    assert_eq!(projects[129].id, ProjectId(130));
}

#[tokio::test]
async fn get_project_by_identifier_with_includes() {
    let server = server().await;
    Mock::given(method("GET"))
        .and(path("/projects/project-a.json"))
        .and(QueryIs::new(&[("include", "trackers,enabled_modules")]))
        .and(header("x-redmine-api-key", KEY))
        .respond_with(json_response(200, "project.json"))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/projects/1.json"))
        .and(QueryIs::empty())
        .respond_with(json_response(200, "project.json"))
        .expect(1)
        .mount(&server)
        .await;

    let client = client(&server);
    let include = [ProjectInclude::Trackers, ProjectInclude::EnabledModules];
    let project = client.get_project("project-a", &include).await.unwrap();
    assert_eq!(project.name, "Project A");
    client.get_project(ProjectId(1), &[]).await.unwrap();
}

#[tokio::test]
async fn get_private_project_is_forbidden() {
    let server = server().await;
    Mock::given(method("GET"))
        .and(path("/projects/project-c.json"))
        .respond_with(ResponseTemplate::new(403))
        .expect(1)
        .mount(&server)
        .await;

    let err = client(&server).get_project("project-c", &[]).await.unwrap_err();

    assert!(matches!(err, Error::Forbidden { .. }), "{err:?}");
    assert!(err.to_string().starts_with("GET /projects/{project}.json: "), "{err}");
}

#[tokio::test]
async fn create_project_posts_the_envelope() {
    let server = server().await;
    Mock::given(method("POST"))
        .and(path("/projects.json"))
        .and(QueryIs::empty())
        .and(header("x-redmine-api-key", KEY))
        .and(header("content-type", "application/json"))
        .and(body_json(json!({"project": {
            "name": "Fixture project",
            "identifier": "fixture-project",
            "description": "Recorded for the wiremock tests",
            "is_public": false,
            "parent_id": 1,
            "inherit_members": true,
            "tracker_ids": [1, 2],
            "enabled_module_names": ["issue_tracking", "time_tracking", "news", "files", "wiki"],
        }})))
        .respond_with(json_response(201, "project_created.json"))
        .expect(1)
        .mount(&server)
        .await;

    let new = NewProject::new("Fixture project", "fixture-project")
        .description("Recorded for the wiremock tests")
        .public(false)
        .parent(ProjectId(1))
        .inherit_members(true)
        .trackers([TrackerId(1), TrackerId(2)])
        .modules(["issue_tracking", "time_tracking", "news", "files", "wiki"]);
    let project = client(&server).create_project(&new).await.unwrap();

    assert_eq!(project.id, ProjectId(8));
    assert_eq!(project.parent.unwrap().id, ProjectId(1));
}

#[tokio::test]
async fn create_project_keeps_validation_errors() {
    let server = server().await;
    Mock::given(method("POST"))
        .and(path("/projects.json"))
        .respond_with(ResponseTemplate::new(422).set_body_json(
            json!({"errors": ["Name cannot be blank", "Identifier has already been taken"]}),
        ))
        .expect(1)
        .mount(&server)
        .await;

    let err = client(&server).create_project(&NewProject::new("", "project-a")).await.unwrap_err();

    assert_eq!(
        err.validation_errors(),
        ["Name cannot be blank", "Identifier has already been taken"]
    );
}

#[tokio::test]
async fn update_project_puts_changes() {
    let server = server().await;
    Mock::given(method("PUT"))
        .and(path("/projects/fixture-project.json"))
        .and(QueryIs::empty())
        .and(header("x-redmine-api-key", KEY))
        .and(header("content-type", "application/json"))
        .and(body_json(json!({"project": {
            "name": "Fixture project renamed",
            "default_version_id": 5,
            "default_assigned_to_id": "",
            "enabled_module_names": ["wiki"],
        }})))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;

    let update = ProjectUpdate::new()
        .name("Fixture project renamed")
        .default_version(VersionId(5))
        .clear_default_assignee()
        .modules(["wiki"]);
    client(&server).update_project("fixture-project", &update).await.unwrap();
}

#[tokio::test]
async fn delete_and_status_changes_send_no_body() {
    let server = server().await;
    for (verb, route) in [
        ("DELETE", "/projects/fixture-project.json"),
        ("PUT", "/projects/fixture-project/archive.json"),
        ("PUT", "/projects/fixture-project/unarchive.json"),
        ("PUT", "/projects/8/close.json"),
        ("PUT", "/projects/8/reopen.json"),
    ] {
        Mock::given(method(verb))
            .and(path(route))
            .and(QueryIs::empty())
            .and(header("x-redmine-api-key", KEY))
            .and(|request: &wiremock::Request| request.body.is_empty())
            .respond_with(ResponseTemplate::new(204))
            .expect(1)
            .mount(&server)
            .await;
    }

    let client = client(&server);
    client.archive_project("fixture-project").await.unwrap();
    client.unarchive_project("fixture-project").await.unwrap();
    client.close_project(ProjectId(8)).await.unwrap();
    client.reopen_project(ProjectId(8)).await.unwrap();
    client.delete_project("fixture-project").await.unwrap();
}

#[tokio::test]
async fn archive_refusal_keeps_redmine_s_reason() {
    let server = server().await;
    Mock::given(method("PUT"))
        .and(path("/projects/project-a/archive.json"))
        .respond_with(
            ResponseTemplate::new(422)
                .set_body_json(json!({"errors": ["This project cannot be archived"]})),
        )
        .expect(1)
        .mount(&server)
        .await;

    let err = client(&server).archive_project("project-a").await.unwrap_err();

    assert!(err.is_validation(), "{err:?}");
    assert!(err.to_string().contains("PUT /projects/{project}/archive.json"), "{err}");
}
