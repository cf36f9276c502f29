// Hours come from exact JSON literals and Redmine rounds them to two decimals, so exact float
// comparison is what these tests mean.
#![allow(clippy::float_cmp)]

use futures::TryStreamExt;
use jiff::civil::date;
use redmine_client::filters::{IdFilter, Sort, TextFilter};
use redmine_client::models::CustomFieldInput;
use redmine_client::time_entries::{NewTimeEntry, TimeEntry, TimeEntryFilter, TimeEntryUpdate};
use redmine_client::{ActivityId, CustomFieldId, IssueId, ProjectId, TimeEntryId, UserId, UserRef};
use serde_json::json;
use wiremock::matchers::{body_json, header, method, path};
use wiremock::{Mock, ResponseTemplate};

use crate::round_trip::decode;
use crate::support::{KEY, QueryIs, client, json_response, server};

#[test]
fn time_entry_fixtures_round_trip() {
    let list: Vec<TimeEntry> = decode("time_entries_list.json", "time_entries");
    assert_eq!(list[0].issue.unwrap().id, IssueId(1));
    assert_eq!(list[1].issue, None, "logged on the project itself");

    let one: TimeEntry = decode("time_entry.json", "time_entry");
    assert_eq!((one.id, one.hours), (TimeEntryId(1), 2.5));
    assert_eq!(one.spent_on, Some(date(2026, 1, 10)));
    assert_eq!(one.user.as_ref().unwrap().id, UserId(5));
    assert_eq!(one.activity.as_ref().unwrap().id, ActivityId(9));
    assert_eq!(one.comments.as_deref(), Some("Profiling"));

    let created: TimeEntry = decode("time_entry_created.json", "time_entry");
    assert_eq!(created.project.as_ref().unwrap().name, "Fixture project");
    assert_eq!(created.hours, 1.25);
}

#[tokio::test]
async fn list_time_entries_sends_filters_and_reads_the_page() {
    let server = server().await;
    Mock::given(method("GET"))
        .and(path("/time_entries.json"))
        .and(QueryIs::new(&[
            ("project_id", "project-a"),
            ("issue_id", "1"),
            ("user_id", "5|me"),
            ("activity_id", "9"),
            ("from", "2026-01-01"),
            ("to", "2026-01-31"),
            ("comments", "~Prof"),
            ("sort", "spent_on"),
            ("offset", "0"),
            ("limit", "2"),
        ]))
        .and(header("x-redmine-api-key", KEY))
        .respond_with(json_response(200, "time_entries_list.json"))
        .expect(1)
        .mount(&server)
        .await;

    let filter = TimeEntryFilter::new()
        .project("project-a")
        .issue(IssueId(1))
        .user(IdFilter::one_of([UserRef::Id(UserId(5)), UserRef::Me]))
        .activity(ActivityId(9))
        .from(date(2026, 1, 1))
        .to(date(2026, 1, 31))
        .comments(TextFilter::contains("Prof"))
        .sort(Sort::asc("spent_on"))
        .offset(0)
        .limit(2);
    let page = client(&server).list_time_entries(&filter).await.unwrap();

    assert_eq!((page.items.len(), page.total_count), (2, 2));
    assert_eq!(page.items[0].hours, 2.5);
}

#[tokio::test]
async fn stream_time_entries_starts_at_the_filter_offset() {
    let server = server().await;
    Mock::given(method("GET"))
        .and(path("/time_entries.json"))
        .and(QueryIs::new(&[("user_id", "me"), ("offset", "5"), ("limit", "1")]))
        .respond_with(json_response(200, "time_entries_list.json"))
        .expect(1)
        .mount(&server)
        .await;

    let filter = TimeEntryFilter::new().user(UserRef::Me).offset(5).limit(50);
    let entries: Vec<TimeEntry> =
        client(&server).stream_time_entries(&filter, 1).try_collect().await.unwrap();

    assert_eq!(entries.len(), 1);
}

#[tokio::test]
async fn get_time_entry_reads_one() {
    let server = server().await;
    Mock::given(method("GET"))
        .and(path("/time_entries/1.json"))
        .and(QueryIs::empty())
        .and(header("x-redmine-api-key", KEY))
        .respond_with(json_response(200, "time_entry.json"))
        .expect(1)
        .mount(&server)
        .await;

    let entry = client(&server).get_time_entry(TimeEntryId(1)).await.unwrap();

    assert_eq!(entry.project.unwrap().id, ProjectId(1));
}

#[tokio::test]
async fn create_time_entry_on_a_project_goes_through_the_project_path() {
    let server = server().await;
    Mock::given(method("POST"))
        .and(path("/projects/fixture-project/time_entries.json"))
        .and(QueryIs::empty())
        .and(header("x-redmine-api-key", KEY))
        .and(header("content-type", "application/json"))
        .and(body_json(json!({"time_entry": {
            "hours": 1.25,
            "spent_on": "2026-02-03",
            "activity_id": 8,
            "comments": "fixture time entry",
        }})))
        .respond_with(json_response(201, "time_entry_created.json"))
        .expect(1)
        .mount(&server)
        .await;

    let new = NewTimeEntry::on_project("fixture-project", 1.25)
        .spent_on(date(2026, 2, 3))
        .activity(ActivityId(8))
        .comments("fixture time entry");
    let entry = client(&server).create_time_entry(&new).await.unwrap();

    assert_eq!(entry.id, TimeEntryId(7));
}

#[tokio::test]
async fn create_time_entry_on_an_issue_for_another_user() {
    let server = server().await;
    Mock::given(method("POST"))
        .and(path("/time_entries.json"))
        .and(QueryIs::empty())
        .and(header("x-redmine-api-key", KEY))
        .and(body_json(json!({"time_entry": {
            "issue_id": 1,
            "hours": 0.5,
            "user_id": 5,
            "custom_fields": [{"id": 2, "value": "billable"}],
        }})))
        .respond_with(json_response(201, "time_entry.json"))
        .expect(1)
        .mount(&server)
        .await;

    let new = NewTimeEntry::on_issue(IssueId(1), 0.5)
        .user(UserId(5))
        .custom_field(CustomFieldInput::new(CustomFieldId(2), "billable"));
    client(&server).create_time_entry(&new).await.unwrap();
}

#[tokio::test]
async fn update_and_delete_time_entry() {
    let server = server().await;
    Mock::given(method("PUT"))
        .and(path("/time_entries/7.json"))
        .and(header("x-redmine-api-key", KEY))
        .and(header("content-type", "application/json"))
        .and(body_json(
            json!({"time_entry": {"issue_id": "", "hours": 0.75, "comments": "changed"}}),
        ))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("DELETE"))
        .and(path("/time_entries/7.json"))
        .and(QueryIs::empty())
        .and(header("x-redmine-api-key", KEY))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;

    let client = client(&server);
    let update = TimeEntryUpdate::new().clear_issue().hours(0.75).comments("changed");
    client.update_time_entry(TimeEntryId(7), &update).await.unwrap();
    client.delete_time_entry(TimeEntryId(7)).await.unwrap();
}
