//! The bodies of issue creation and update.

use jiff::civil::Date;
use serde::Serialize;

use crate::ids::{
    CategoryId, IssueId, PriorityId, ProjectRef, StatusId, TrackerId, UserId, VersionId,
};
use crate::models::{Clearable, CustomFieldInput};
use crate::uploads::UploadRef;

/// An issue to create.
///
/// Only the project and subject are required; Redmine fills in the project's default tracker,
/// the default status and the default priority.
///
/// ```
/// use redmine_client::issues::NewIssue;
/// use redmine_client::models::CustomFieldInput;
/// use redmine_client::{CustomFieldId, TrackerId, UserId};
///
/// let issue = NewIssue::new("project-a", "Checkout page times out")
///     .tracker(TrackerId(1))
///     .description("Seen under load since Monday.")
///     .assigned_to(UserId(5))
///     .custom_field(CustomFieldInput::new(CustomFieldId(1), "High"));
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct NewIssue {
    project_id: ProjectRef,
    subject: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    tracker_id: Option<TrackerId>,
    #[serde(skip_serializing_if = "Option::is_none")]
    status_id: Option<StatusId>,
    #[serde(skip_serializing_if = "Option::is_none")]
    priority_id: Option<PriorityId>,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    category_id: Option<CategoryId>,
    #[serde(skip_serializing_if = "Option::is_none")]
    fixed_version_id: Option<VersionId>,
    #[serde(skip_serializing_if = "Option::is_none")]
    assigned_to_id: Option<UserId>,
    #[serde(skip_serializing_if = "Option::is_none")]
    parent_issue_id: Option<IssueId>,
    #[serde(skip_serializing_if = "Option::is_none")]
    is_private: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    estimated_hours: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    start_date: Option<Date>,
    #[serde(skip_serializing_if = "Option::is_none")]
    due_date: Option<Date>,
    #[serde(skip_serializing_if = "Option::is_none")]
    done_ratio: Option<u8>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    custom_fields: Vec<CustomFieldInput>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    watcher_user_ids: Vec<UserId>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    uploads: Vec<UploadRef>,
}

impl NewIssue {
    /// An issue in `project` (id or identifier) with `subject`.
    pub fn new(project: impl Into<ProjectRef>, subject: impl Into<String>) -> Self {
        Self {
            project_id: project.into(),
            subject: subject.into(),
            tracker_id: None,
            status_id: None,
            priority_id: None,
            description: None,
            category_id: None,
            fixed_version_id: None,
            assigned_to_id: None,
            parent_issue_id: None,
            is_private: None,
            estimated_hours: None,
            start_date: None,
            due_date: None,
            done_ratio: None,
            custom_fields: Vec::new(),
            watcher_user_ids: Vec::new(),
            uploads: Vec::new(),
        }
    }

    setters! {
        /// The tracker; the project's first tracker otherwise.
        tracker => tracker_id: TrackerId;
        /// The status; the tracker's default status otherwise.
        status => status_id: StatusId;
        /// The priority; the default priority otherwise.
        priority => priority_id: PriorityId;
        /// The description, in the project's text formatting.
        description => description: String;
        /// The category.
        category => category_id: CategoryId;
        /// The target version.
        fixed_version => fixed_version_id: VersionId;
        /// The assignee, a user or (if the setting allows it) a group.
        assigned_to => assigned_to_id: UserId;
        /// The parent issue, making this a subtask.
        parent => parent_issue_id: IssueId;
        /// Whether the issue is private.
        private => is_private: bool;
        /// The estimated time in hours.
        estimated_hours => estimated_hours: f64;
        /// The start date.
        start_date => start_date: Date;
        /// The due date.
        due_date => due_date: Date;
        /// The percentage done, 0 to 100 (ignored when derived from subtasks or statuses).
        done_ratio => done_ratio: u8;
    }

    /// Sets a custom field; call once per field.
    #[must_use]
    pub fn custom_field(mut self, value: CustomFieldInput) -> Self {
        self.custom_fields.push(value);
        self
    }

    /// Users to add as watchers.
    #[must_use]
    pub fn watchers(mut self, users: impl IntoIterator<Item = UserId>) -> Self {
        self.watcher_user_ids.extend(users);
        self
    }

    /// Attaches a file stored with [`Client::upload`](crate::Client::upload); call once per
    /// file.
    #[must_use]
    pub fn upload(mut self, upload: impl Into<UploadRef>) -> Self {
        self.uploads.push(upload.into());
        self
    }
}

/// Changes to an issue; fields left unset keep their value.
///
/// A note can be added alone or with field changes; both end up in one journal entry.
///
/// ```
/// use redmine_client::issues::IssueUpdate;
/// use redmine_client::StatusId;
///
/// let update = IssueUpdate::new()
///     .status(StatusId(5))
///     .notes("Fixed in the template.")
///     .clear_assigned_to();
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[non_exhaustive]
pub struct IssueUpdate {
    #[serde(skip_serializing_if = "Option::is_none")]
    project_id: Option<ProjectRef>,
    #[serde(skip_serializing_if = "Option::is_none")]
    subject: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    tracker_id: Option<TrackerId>,
    #[serde(skip_serializing_if = "Option::is_none")]
    status_id: Option<StatusId>,
    #[serde(skip_serializing_if = "Option::is_none")]
    priority_id: Option<PriorityId>,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    category_id: Option<Clearable<CategoryId>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    fixed_version_id: Option<Clearable<VersionId>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    assigned_to_id: Option<Clearable<UserId>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    parent_issue_id: Option<Clearable<IssueId>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    is_private: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    estimated_hours: Option<Clearable<f64>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    start_date: Option<Clearable<Date>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    due_date: Option<Clearable<Date>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    done_ratio: Option<u8>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    custom_fields: Vec<CustomFieldInput>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    uploads: Vec<UploadRef>,
    #[serde(skip_serializing_if = "Option::is_none")]
    notes: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    private_notes: Option<bool>,
}

impl IssueUpdate {
    /// An update that changes nothing yet.
    pub fn new() -> Self {
        Self::default()
    }

    setters! {
        /// Moves the issue to another project.
        project => project_id: ProjectRef;
        /// A new subject.
        subject => subject: String;
        /// A new tracker.
        tracker => tracker_id: TrackerId;
        /// A new status; it must be one the workflow allows (see
        /// [`IssueInclude::AllowedStatuses`](crate::issues::IssueInclude::AllowedStatuses)).
        status => status_id: StatusId;
        /// A new priority.
        priority => priority_id: PriorityId;
        /// A new description; an empty one clears it.
        description => description: String;
        /// Makes the issue private or public.
        private => is_private: bool;
        /// A new percentage done.
        done_ratio => done_ratio: u8;
        /// A note to add to the history.
        notes => notes: String;
        /// Whether the note is private.
        private_notes => private_notes: bool;
    }

    clearable_setters! {
        /// A new category.
        category, clear_category => category_id: CategoryId;
        /// A new target version.
        fixed_version, clear_fixed_version => fixed_version_id: VersionId;
        /// A new assignee.
        assigned_to, clear_assigned_to => assigned_to_id: UserId;
        /// A new parent issue.
        parent, clear_parent => parent_issue_id: IssueId;
        /// A new estimate in hours.
        estimated_hours, clear_estimated_hours => estimated_hours: f64;
        /// A new start date.
        start_date, clear_start_date => start_date: Date;
        /// A new due date.
        due_date, clear_due_date => due_date: Date;
    }

    /// Sets a custom field; call once per field.
    #[must_use]
    pub fn custom_field(mut self, value: CustomFieldInput) -> Self {
        self.custom_fields.push(value);
        self
    }

    /// Attaches a file stored with [`Client::upload`](crate::Client::upload).
    #[must_use]
    pub fn upload(mut self, upload: impl Into<UploadRef>) -> Self {
        self.uploads.push(upload.into());
        self
    }
}

#[cfg(test)]
mod tests {
    use jiff::civil::date;
    use serde_json::json;

    use super::*;
    use crate::ids::CustomFieldId;

    #[test]
    fn new_issue_sends_only_what_was_set() {
        let issue = NewIssue::new("project-a", "s");
        assert_eq!(
            serde_json::to_value(&issue).unwrap(),
            json!({"project_id": "project-a", "subject": "s"})
        );
    }

    #[test]
    fn update_clears_with_empty_strings() {
        let update = IssueUpdate::new()
            .clear_assigned_to()
            .clear_due_date()
            .start_date(date(2026, 1, 5))
            .notes("n")
            .custom_field(CustomFieldInput::new(CustomFieldId(1), ""));
        assert_eq!(
            serde_json::to_value(&update).unwrap(),
            json!({
                "assigned_to_id": "",
                "due_date": "",
                "start_date": "2026-01-05",
                "notes": "n",
                "custom_fields": [{"id": 1, "value": ""}],
            })
        );
        assert_eq!(serde_json::to_value(IssueUpdate::new()).unwrap(), json!({}));
    }
}
