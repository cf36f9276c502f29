//! The issue as Redmine returns it, with what `include` can add to it.

use jiff::Timestamp;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::attachments::Attachment;
use crate::ids::{
    CategoryId, IssueId, PriorityId, ProjectId, StatusId, TrackerId, UserId, VersionId,
};
use crate::journals::Journal;
use crate::models::{CustomFieldValue, IdName, IdRef};
use crate::relations::Relation;

/// An issue.
///
/// Fields Redmine leaves out when they are empty or not visible to the user are `Option`s; the
/// collections at the end are `None` unless asked for with [`IssueInclude`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Issue {
    /// The issue's id.
    pub id: IssueId,
    /// The project the issue belongs to.
    pub project: IdName<ProjectId>,
    /// The tracker (Bug, Feature, ...).
    pub tracker: Option<IdName<TrackerId>>,
    /// The status.
    pub status: Option<StatusRef>,
    /// The priority.
    pub priority: Option<IdName<PriorityId>>,
    /// Who created the issue.
    pub author: Option<IdName<UserId>>,
    /// Who the issue is assigned to, a user or a group.
    pub assigned_to: Option<IdName<UserId>>,
    /// The category.
    pub category: Option<IdName<CategoryId>>,
    /// The target version.
    pub fixed_version: Option<IdName<VersionId>>,
    /// The parent issue.
    pub parent: Option<IdRef<IssueId>>,
    /// The one-line summary.
    pub subject: String,
    /// The description, in the project's text formatting (Textile or Markdown).
    pub description: Option<String>,
    /// The start date.
    pub start_date: Option<Date>,
    /// The due date.
    pub due_date: Option<Date>,
    /// The percentage done, 0 to 100.
    pub done_ratio: Option<u8>,
    /// Whether only the author, the assignee and privileged users can see the issue.
    pub is_private: Option<bool>,
    /// The estimated time in hours.
    pub estimated_hours: Option<f64>,
    /// The estimated time in hours, subtasks included.
    pub total_estimated_hours: Option<f64>,
    /// The time spent in hours; absent when time tracking is off for the project.
    pub spent_hours: Option<f64>,
    /// The time spent in hours, subtasks included.
    pub total_spent_hours: Option<f64>,
    /// The custom field values visible to the user.
    #[serde(default)]
    pub custom_fields: Vec<CustomFieldValue>,
    /// When the issue was created.
    pub created_on: Option<Timestamp>,
    /// When the issue last changed.
    pub updated_on: Option<Timestamp>,
    /// When the issue was last closed.
    pub closed_on: Option<Timestamp>,
    /// Subtasks ([`IssueInclude::Children`]).
    pub children: Option<Vec<IssueChild>>,
    /// Attached files ([`IssueInclude::Attachments`]).
    pub attachments: Option<Vec<Attachment>>,
    /// Relations to other issues ([`IssueInclude::Relations`]).
    pub relations: Option<Vec<Relation>>,
    /// Repository commits referring to the issue ([`IssueInclude::Changesets`]).
    pub changesets: Option<Vec<Changeset>>,
    /// The history: notes and field changes ([`IssueInclude::Journals`]).
    pub journals: Option<Vec<Journal>>,
    /// Users watching the issue ([`IssueInclude::Watchers`]).
    pub watchers: Option<Vec<IdName<UserId>>>,
    /// The statuses the user may move the issue to ([`IssueInclude::AllowedStatuses`]).
    pub allowed_statuses: Option<Vec<StatusRef>>,
}

/// An issue status as nested in an issue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct StatusRef {
    /// The status's id.
    pub id: StatusId,
    /// The status's name.
    #[serde(default)]
    pub name: String,
    /// Whether issues with this status count as closed.
    pub is_closed: Option<bool>,
}

/// A subtask, as listed under its parent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct IssueChild {
    /// The subtask's id.
    pub id: IssueId,
    /// The subtask's tracker.
    pub tracker: Option<IdName<TrackerId>>,
    /// The subtask's subject.
    #[serde(default)]
    pub subject: String,
    /// The subtask's own subtasks.
    #[serde(default)]
    pub children: Vec<IssueChild>,
}

/// A repository commit that refers to an issue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Changeset {
    /// The revision (a commit hash or a revision number).
    pub revision: String,
    /// The Redmine user the committer maps to, if any.
    pub user: Option<IdName<UserId>>,
    /// The commit message.
    pub comments: Option<String>,
    /// When the commit was made.
    pub committed_on: Option<Timestamp>,
}

/// Extra data to ask for with an issue.
///
/// On a list, Redmine honours only `Attachments` and `Relations`; it ignores the others.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum IssueInclude {
    /// Subtasks.
    Children,
    /// Attached files.
    Attachments,
    /// Relations to other issues.
    Relations,
    /// Repository commits referring to the issue.
    Changesets,
    /// The history: notes and field changes.
    Journals,
    /// Watchers (visible to users allowed to see them).
    Watchers,
    /// The statuses the user may move the issue to.
    AllowedStatuses,
}

impl IssueInclude {
    /// Every include, for a call that wants the whole issue.
    pub const ALL: [Self; 7] = [
        Self::Children,
        Self::Attachments,
        Self::Relations,
        Self::Changesets,
        Self::Journals,
        Self::Watchers,
        Self::AllowedStatuses,
    ];

    /// Redmine's name for the include.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Children => "children",
            Self::Attachments => "attachments",
            Self::Relations => "relations",
            Self::Changesets => "changesets",
            Self::Journals => "journals",
            Self::Watchers => "watchers",
            Self::AllowedStatuses => "allowed_statuses",
        }
    }
}
