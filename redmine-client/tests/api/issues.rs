use futures::{StreamExt, TryStreamExt};
use jiff::civil::date;
use redmine_client::filters::{DateFilter, IdFilter, Sort, TextFilter};
use redmine_client::issues::{IssueFilter, IssueInclude, IssueUpdate, NewIssue, StatusFilter};
use redmine_client::models::CustomFieldInput;
use redmine_client::uploads::UploadRef;
use redmine_client::{
    CategoryId, CustomFieldId, IssueId, PriorityId, StatusId, TrackerId, UserId, UserRef, VersionId,
};
use serde_json::{Value, json};
use wiremock::matchers::{body_json, header, method, path};
use wiremock::{Mock, ResponseTemplate};

use crate::support::{KEY, QueryIs, client, json_fixture, json_response, server};

#[tokio::test]
async fn list_issues_sends_typed_filters_and_reads_the_page() {
    let server = server().await;
    Mock::given(method("GET"))
        .and(path("/issues.json"))
        .and(QueryIs::new(&[
            ("project_id", "project-a"),
            ("status_id", "*"),
            ("assigned_to_id", "me"),
            ("tracker_id", "1|2"),
            ("cf_1", "=High"),
            ("subject", "~checkout"),
            ("created_on", "><2026-01-01|2026-12-31"),
            ("sort", "id"),
            ("include", "attachments,relations"),
            ("limit", "3"),
        ]))
        .and(header("x-redmine-api-key", KEY))
        .respond_with(json_response(200, "issues_list.json"))
        .expect(1)
        .mount(&server)
        .await;

    let filter = IssueFilter::new()
        .project("project-a")
        .status(StatusFilter::All)
        .assigned_to(UserRef::Me)
        .tracker(IdFilter::one_of([TrackerId(1), TrackerId(2)]))
        .custom_field(CustomFieldId(1), TextFilter::is("High"))
        .subject(TextFilter::contains("checkout"))
        .created_on(DateFilter::between(date(2026, 1, 1), date(2026, 12, 31)))
        .sort(Sort::asc("id"))
        .include(&[IssueInclude::Attachments, IssueInclude::Relations])
        .limit(3);
    let page = client(&server).list_issues(&filter).await.unwrap();

    assert_eq!((page.total_count, page.offset, page.limit), (7, 0, 3));
    assert_eq!(page.next_offset(), Some(3));
    let ids: Vec<_> = page.items.iter().map(|i| i.id).collect();
    assert_eq!(ids, [IssueId(1), IssueId(2), IssueId(3)]);
    assert_eq!(page.items[0].attachments.as_ref().unwrap()[0].filename, "trace.txt");
    assert_eq!(page.items[1].relations.as_deref(), Some(&[][..]));
}

/// A list answer of `count` copies of a recorded issue, numbered from `first_id`.
fn issues_page(first_id: u64, count: u64, total_count: u64, offset: u64, limit: u64) -> Value {
    let template = json_fixture("issues_list.json")["issues"][0].clone();
    let issues: Vec<Value> = (first_id..first_id + count)
        .map(|id| {
            let mut issue = template.clone();
            issue["id"] = json!(id);
            issue
        })
        .collect();
    json!({"issues": issues, "total_count": total_count, "offset": offset, "limit": limit})
}

#[tokio::test]
async fn stream_issues_walks_pages_until_the_end() {
    let server = server().await;
    for (offset, limit, count) in [(0, 100, 100), (100, 100, 100), (200, 100, 5)] {
        Mock::given(method("GET"))
            .and(path("/issues.json"))
            .and(QueryIs(vec![
                ("project_id", "project-a".into()),
                ("offset", offset.to_string()),
                ("limit", limit.to_string()),
            ]))
            .respond_with(ResponseTemplate::new(200).set_body_json(issues_page(
                offset + 1,
                count,
                205,
                offset,
                100,
            )))
            .expect(1)
            .mount(&server)
            .await;
    }

    let filter = IssueFilter::new().project("project-a").limit(10);
    let issues: Vec<_> = client(&server).stream_issues(&filter, 1000).try_collect().await.unwrap();

    assert_eq!(issues.len(), 205);
    assert_eq!(issues.last().unwrap().id, IssueId(205));
}

#[tokio::test]
async fn stream_issues_stops_at_the_cap_and_starts_at_the_offset() {
    let server = server().await;
    for (offset, limit) in [(10, 100), (110, 40)] {
        Mock::given(method("GET"))
            .and(path("/issues.json"))
            .and(QueryIs(vec![("offset", offset.to_string()), ("limit", limit.to_string())]))
            .respond_with(ResponseTemplate::new(200).set_body_json(issues_page(
                offset + 1,
                limit,
                500,
                offset,
                limit,
            )))
            .expect(1)
            .mount(&server)
            .await;
    }

    let filter = IssueFilter::new().offset(10);
    let issues: Vec<_> = client(&server).stream_issues(&filter, 140).try_collect().await.unwrap();

    assert_eq!(issues.len(), 140);
    assert_eq!(issues[0].id, IssueId(11));
}

#[tokio::test]
async fn stream_issues_ends_with_the_first_error() {
    let server = server().await;
    Mock::given(method("GET"))
        .and(path("/issues.json"))
        .and(QueryIs::new(&[("offset", "0"), ("limit", "100")]))
        .respond_with(ResponseTemplate::new(200).set_body_json(issues_page(1, 100, 300, 0, 100)))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/issues.json"))
        .and(QueryIs::new(&[("offset", "100"), ("limit", "100")]))
        .respond_with(ResponseTemplate::new(503))
        .expect(1)
        .mount(&server)
        .await;

    let results: Vec<_> =
        client(&server).stream_issues(&IssueFilter::new(), 1000).collect::<Vec<_>>().await;

    assert_eq!(results.len(), 101);
    assert!(results[..100].iter().all(Result::is_ok));
    assert!(results[100].as_ref().unwrap_err().is_retryable());
}

#[tokio::test]
async fn get_issue_asks_for_every_include() {
    let server = server().await;
    Mock::given(method("GET"))
        .and(path("/issues/1.json"))
        .and(QueryIs::new(&[(
            "include",
            "children,attachments,relations,changesets,journals,watchers,allowed_statuses",
        )]))
        .and(header("x-redmine-api-key", KEY))
        .respond_with(json_response(200, "issue_full.json"))
        .expect(1)
        .mount(&server)
        .await;

    let issue = client(&server).get_issue(IssueId(1), &IssueInclude::ALL).await.unwrap();

    assert_eq!(issue.subject, "Checkout page times out under load");
    assert_eq!(issue.children.unwrap()[0].id, IssueId(2));
    assert_eq!(issue.journals.unwrap()[0].note(), Some("First note: reproduced on staging."));
    assert_eq!(issue.watchers.unwrap().len(), 3);
    assert_eq!(issue.allowed_statuses.unwrap().len(), 4);
    assert_eq!(issue.changesets, Some(Vec::new()));
}

#[tokio::test]
async fn get_issue_without_includes_sends_no_query() {
    let server = server().await;
    Mock::given(method("GET"))
        .and(path("/issues/1.json"))
        .and(QueryIs::empty())
        .respond_with(json_response(200, "issue_full.json"))
        .expect(1)
        .mount(&server)
        .await;

    client(&server).get_issue(IssueId(1), &[]).await.unwrap();
}

#[tokio::test]
async fn create_issue_posts_every_field_in_the_envelope() {
    let server = server().await;
    Mock::given(method("POST"))
        .and(path("/issues.json"))
        .and(QueryIs::empty())
        .and(header("x-redmine-api-key", KEY))
        .and(header("content-type", "application/json"))
        .and(body_json(json!({"issue": {
            "project_id": "project-a",
            "subject": "fixture-create issue",
            "tracker_id": 1,
            "priority_id": 3,
            "description": "Created while recording fixtures.",
            "category_id": 1,
            "fixed_version_id": 1,
            "assigned_to_id": 5,
            "parent_issue_id": 9,
            "is_private": false,
            "estimated_hours": 3.5,
            "start_date": "2026-01-05",
            "due_date": "2026-02-01",
            "done_ratio": 10,
            "custom_fields": [{"id": 1, "value": "Medium"}],
            "watcher_user_ids": [5, 6],
            "uploads": [{
                "token": "4.1c8e",
                "filename": "notes.txt",
                "content_type": "text/plain",
                "description": "Recorded upload",
            }],
        }})))
        .respond_with(json_response(201, "issue_created.json"))
        .expect(1)
        .mount(&server)
        .await;

    let new = NewIssue::new("project-a", "fixture-create issue")
        .tracker(TrackerId(1))
        .priority(PriorityId(3))
        .description("Created while recording fixtures.")
        .category(CategoryId(1))
        .fixed_version(VersionId(1))
        .assigned_to(UserId(5))
        .parent(IssueId(9))
        .private(false)
        .estimated_hours(3.5)
        .start_date(date(2026, 1, 5))
        .due_date(date(2026, 2, 1))
        .done_ratio(10)
        .custom_field(CustomFieldInput::new(CustomFieldId(1), "Medium"))
        .watchers([UserId(5), UserId(6)])
        .upload(
            UploadRef::new("4.1c8e")
                .filename("notes.txt")
                .content_type("text/plain")
                .description("Recorded upload"),
        );
    let issue = client(&server).create_issue(&new).await.unwrap();

    assert_eq!(issue.id, IssueId(10));
    assert_eq!(issue.parent.unwrap().id, IssueId(9));
    assert_eq!(issue.custom_fields[0].value.first(), Some("Medium"));
}

#[tokio::test]
async fn update_issue_puts_changes_and_notes() {
    let server = server().await;
    Mock::given(method("PUT"))
        .and(path("/issues/10.json"))
        .and(header("x-redmine-api-key", KEY))
        .and(header("content-type", "application/json"))
        .and(body_json(json!({"issue": {
            "subject": "renamed",
            "status_id": 2,
            "assigned_to_id": "",
            "due_date": "2026-03-01",
            "custom_fields": [{"id": 1, "value": "Low"}],
            "notes": "fixture note",
            "private_notes": true,
        }})))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;

    let update = IssueUpdate::new()
        .subject("renamed")
        .status(StatusId(2))
        .clear_assigned_to()
        .due_date(date(2026, 3, 1))
        .custom_field(CustomFieldInput::new(CustomFieldId(1), "Low"))
        .notes("fixture note")
        .private_notes(true);
    client(&server).update_issue(IssueId(10), &update).await.unwrap();
}

#[tokio::test]
async fn delete_issue_sends_delete() {
    let server = server().await;
    Mock::given(method("DELETE"))
        .and(path("/issues/10.json"))
        .and(QueryIs::empty())
        .and(header("x-redmine-api-key", KEY))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;

    client(&server).delete_issue(IssueId(10)).await.unwrap();
}
