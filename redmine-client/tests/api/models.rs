//! The recorded fixtures decode into the models with the values Redmine sent, and survive a
//! round trip through serde.

use jiff::civil::date;
use redmine_client::attachments::Attachment;
use redmine_client::issue_categories::IssueCategory;
use redmine_client::issues::Issue;
use redmine_client::relations::{Relation, RelationType};
use redmine_client::uploads::Upload;
use redmine_client::{IssueId, JournalId, StatusId, UserId, VersionId};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::support::json_fixture;

/// Decodes `fixture[key]` as `T`, and checks that encoding it again gives an equal value.
fn decode<T: DeserializeOwned + Serialize + PartialEq + std::fmt::Debug>(
    name: &str,
    key: &str,
) -> T {
    let value: Value = json_fixture(name)[key].take();
    let decoded: T = serde_json::from_value(value).unwrap_or_else(|e| panic!("{name}: {e}"));
    let again: T = serde_json::from_value(serde_json::to_value(&decoded).unwrap()).unwrap();
    assert_eq!(decoded, again, "{name} does not round-trip");
    decoded
}

#[test]
fn full_issue_fixture_decodes() {
    let issue: Issue = decode("issue_full.json", "issue");

    assert_eq!(issue.id, IssueId(1));
    assert_eq!(issue.project.name, "Project A");
    let status = issue.status.unwrap();
    assert_eq!(
        (status.id, status.name.as_str(), status.is_closed),
        (StatusId(2), "In Progress", Some(false))
    );
    assert_eq!(issue.assigned_to.unwrap().id, UserId(5));
    assert_eq!(issue.fixed_version.unwrap().id, VersionId(1));
    assert_eq!(issue.spent_hours, Some(2.5));
    assert_eq!(issue.estimated_hours, None);
    assert_eq!(issue.custom_fields[0].name, "Severity");
    assert_eq!(issue.custom_fields[0].value.first(), Some("High"));
    assert!(issue.created_on.is_some() && issue.closed_on.is_none());

    let journals = issue.journals.unwrap();
    assert_eq!(journals[0].id, JournalId(2));
    assert_eq!(journals[0].details[0].name, "status_id");
    assert_eq!(journals[0].details[0].new_value.as_deref(), Some("2"));
    assert_eq!(journals[0].details[1].old_value, None);
    assert_eq!(journals[1].user.as_ref().unwrap().name, "Dana Developer");
    assert_eq!(journals[2].note(), None, "an empty note is no note");

    let attachment = &issue.attachments.unwrap()[0];
    assert_eq!((attachment.filename.as_str(), attachment.filesize), ("trace.txt", 54));
    assert_eq!(issue.relations.unwrap()[0].relation_type, RelationType::Relates);
    let statuses: Vec<_> = issue.allowed_statuses.unwrap().into_iter().map(|s| s.name).collect();
    assert_eq!(statuses, ["New", "In Progress", "Resolved", "Feedback"]);
}

#[test]
fn list_and_created_issue_fixtures_decode() {
    let issues: Vec<Issue> = decode("issues_list.json", "issues");
    assert_eq!(issues.len(), 3);
    assert_eq!(issues[1].tracker.as_ref().unwrap().name, "Feature");
    assert!(issues.iter().all(|issue| issue.journals.is_none()));

    let created: Issue = decode("issue_created.json", "issue");
    assert_eq!(created.start_date, Some(date(2026, 1, 5)));
    assert_eq!(created.due_date, Some(date(2026, 2, 1)));
    assert_eq!(created.done_ratio, Some(10));
    assert_eq!(created.estimated_hours, Some(3.5));
    assert_eq!(created.parent.unwrap().id, IssueId(9));
    assert_eq!(created.is_private, Some(false));
}

#[test]
fn relation_category_attachment_and_upload_fixtures_decode() {
    let relations: Vec<Relation> = decode("relations_list.json", "relations");
    assert_eq!(relations[0].issue_to_id, IssueId(3));
    let relation: Relation = decode("relation_created.json", "relation");
    assert_eq!((relation.relation_type, relation.delay), (RelationType::Precedes, Some(2)));

    let categories: Vec<IssueCategory> = decode("issue_categories_list.json", "issue_categories");
    assert_eq!(categories[1].name, "Frontend");
    let category: IssueCategory = decode("issue_category.json", "issue_category");
    assert_eq!(category.assigned_to.unwrap().name, "Dana Developer");

    let attachment: Attachment = decode("attachment.json", "attachment");
    assert!(attachment.content_url.unwrap().ends_with("/attachments/download/1/trace.txt"));
    assert_eq!(attachment.description.as_deref(), Some("Slow request trace"));

    let upload: Upload = decode("upload_created.json", "upload");
    assert!(upload.token.starts_with("4."));
}
