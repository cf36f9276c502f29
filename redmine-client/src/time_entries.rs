//! Time entries: hours logged against an issue or a project.
//!
//! This module lists entries with filters, reads, logs, changes and deletes them. The
//! activities an entry can have are the project's time-entry activities (see
//! [`ProjectInclude::TimeEntryActivities`](crate::projects::ProjectInclude)).

use std::fmt;

use futures::Stream;
use jiff::Timestamp;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::Client;
use crate::error::Result;
use crate::filters::{DateFilter, IdFilter, Sort, TextFilter};
use crate::ids::{ActivityId, IssueId, ProjectId, ProjectRef, TimeEntryId, UserId, UserRef};
use crate::models::{Clearable, CustomFieldInput, CustomFieldValue, IdName, IdRef};
use crate::page::Page;
use crate::request::{Body, Query, Route};

/// Hours someone spent on an issue or a project.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct TimeEntry {
    /// The entry's id.
    pub id: TimeEntryId,
    /// The project the time was spent on.
    pub project: Option<IdName<ProjectId>>,
    /// The issue the time was spent on, if any.
    pub issue: Option<IdRef<IssueId>>,
    /// Who spent the time.
    pub user: Option<IdName<UserId>>,
    /// What kind of work it was.
    pub activity: Option<IdName<ActivityId>>,
    /// The hours, rounded by Redmine to two decimals.
    pub hours: f64,
    /// The comment, empty when unset.
    pub comments: Option<String>,
    /// The day the time was spent.
    pub spent_on: Option<Date>,
    /// The time-entry custom field values visible to the user.
    #[serde(default)]
    pub custom_fields: Vec<CustomFieldValue>,
    /// When the entry was logged.
    pub created_on: Option<Timestamp>,
    /// When the entry last changed.
    pub updated_on: Option<Timestamp>,
}

/// The filters, sort order and page of a time-entry list.
///
/// ```
/// use jiff::civil::date;
/// use redmine_client::time_entries::TimeEntryFilter;
/// use redmine_client::UserRef;
///
/// let january = TimeEntryFilter::new()
///     .project("project-a")
///     .user(UserRef::Me)
///     .from(date(2026, 1, 1))
///     .to(date(2026, 1, 31));
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TimeEntryFilter {
    query: Query,
}

impl TimeEntryFilter {
    /// No filter: every entry the user may see, newest day first.
    pub fn new() -> Self {
        Self::default()
    }

    fn with(mut self, key: &str, value: impl fmt::Display) -> Self {
        self.query.set(key, value);
        self
    }

    /// Entries of `project`, by id or identifier, and of its subprojects unless excluded with
    /// [`TimeEntryFilter::subprojects`].
    #[must_use]
    pub fn project(self, project: impl Into<ProjectRef>) -> Self {
        self.with("project_id", project.into())
    }

    /// Which subprojects of the project to include: [`IdFilter::None`] for none (`!*`).
    #[must_use]
    pub fn subprojects(self, filter: impl Into<IdFilter<ProjectId>>) -> Self {
        self.with("subproject_id", filter.into())
    }

    /// By issue: `IdFilter::from(id)` for one issue, [`IdFilter::None`] for entries logged on
    /// the project itself. Entries on subtasks are not included.
    #[must_use]
    pub fn issue(self, filter: impl Into<IdFilter<IssueId>>) -> Self {
        self.with("issue_id", filter.into())
    }

    /// By who spent the time; [`UserRef::Me`] for the caller's own entries.
    #[must_use]
    pub fn user(self, filter: impl Into<IdFilter<UserRef>>) -> Self {
        self.with("user_id", filter.into())
    }

    /// By who logged the entry, which may differ from who spent the time.
    #[must_use]
    pub fn author(self, filter: impl Into<IdFilter<UserRef>>) -> Self {
        self.with("author_id", filter.into())
    }

    /// By activity.
    #[must_use]
    pub fn activity(self, filter: impl Into<IdFilter<ActivityId>>) -> Self {
        self.with("activity_id", filter.into())
    }

    /// Entries spent on or after `day`.
    ///
    /// `from` and `to` are Redmine's shorthand for a [`TimeEntryFilter::spent_on`] filter and
    /// replace it when given.
    #[must_use]
    pub fn from(self, day: Date) -> Self {
        self.with("from", day)
    }

    /// Entries spent on or before `day`.
    #[must_use]
    pub fn to(self, day: Date) -> Self {
        self.with("to", day)
    }

    /// By the day the time was spent, with any of Redmine's date operators.
    #[must_use]
    pub fn spent_on(self, filter: DateFilter) -> Self {
        self.with("spent_on", filter)
    }

    /// By comment, such as `TextFilter::contains("review")`.
    #[must_use]
    pub fn comments(self, filter: TextFilter) -> Self {
        self.with("comments", filter)
    }

    /// The sort order, with Redmine's column names (`spent_on`, `hours`, `user`, ...). Redmine's
    /// default is `spent_on:desc`.
    #[must_use]
    pub fn sort(self, sort: Sort) -> Self {
        self.with("sort", sort)
    }

    /// How many matching entries to skip.
    #[must_use]
    pub fn offset(mut self, offset: u64) -> Self {
        self.query.set_offset(offset);
        self
    }

    /// The page size, clamped to Redmine's 1..=100 (Redmine's default is 25).
    #[must_use]
    pub fn limit(mut self, limit: u32) -> Self {
        self.query.set_limit(limit);
        self
    }

    /// Any other query parameter Redmine understands, such as `("hours", ">=2")` or
    /// `("issue.tracker_id", "1")`. The value is sent as given (URL-encoded).
    #[must_use]
    pub fn extra(self, key: impl Into<String>, value: impl fmt::Display) -> Self {
        self.with(&key.into(), value)
    }
}

/// Hours to log.
///
/// ```
/// use jiff::civil::date;
/// use redmine_client::time_entries::NewTimeEntry;
/// use redmine_client::{ActivityId, IssueId};
///
/// let entry = NewTimeEntry::on_issue(IssueId(1), 1.5)
///     .spent_on(date(2026, 1, 12))
///     .activity(ActivityId(9))
///     .comments("Profiling the checkout query");
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct NewTimeEntry {
    /// The project the entry is logged on when it is not logged on an issue; it goes into the
    /// path, where Redmine accepts identifiers (the body's `project_id` takes numbers only).
    #[serde(skip)]
    project: Option<ProjectRef>,
    #[serde(skip_serializing_if = "Option::is_none")]
    issue_id: Option<IssueId>,
    hours: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    spent_on: Option<Date>,
    #[serde(skip_serializing_if = "Option::is_none")]
    activity_id: Option<ActivityId>,
    #[serde(skip_serializing_if = "Option::is_none")]
    comments: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    user_id: Option<UserId>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    custom_fields: Vec<CustomFieldInput>,
}

impl NewTimeEntry {
    /// `hours` spent on issue `issue` (and so on its project).
    pub fn on_issue(issue: IssueId, hours: f64) -> Self {
        Self::with_target(None, Some(issue), hours)
    }

    /// `hours` spent on project `project` (id or identifier), not on any issue.
    pub fn on_project(project: impl Into<ProjectRef>, hours: f64) -> Self {
        Self::with_target(Some(project.into()), None, hours)
    }

    fn with_target(project: Option<ProjectRef>, issue_id: Option<IssueId>, hours: f64) -> Self {
        Self {
            project,
            issue_id,
            hours,
            spent_on: None,
            activity_id: None,
            comments: None,
            user_id: None,
            custom_fields: Vec::new(),
        }
    }

    setters! {
        /// The day the time was spent; today in the user's time zone otherwise.
        spent_on => spent_on: Date;
        /// The activity; the project's default activity otherwise (Redmine refuses the entry if
        /// there is none).
        activity => activity_id: ActivityId;
        /// A comment of up to 1024 characters.
        comments => comments: String;
        /// Logs the time for another user ("Log spent time for other users" permission); that
        /// user must be allowed to log time in the project.
        user => user_id: UserId;
    }

    /// Sets a time-entry custom field; call once per field.
    #[must_use]
    pub fn custom_field(mut self, value: CustomFieldInput) -> Self {
        self.custom_fields.push(value);
        self
    }
}

/// Changes to a time entry; fields left unset keep their value.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[non_exhaustive]
pub struct TimeEntryUpdate {
    #[serde(skip_serializing_if = "Option::is_none")]
    project_id: Option<ProjectId>,
    #[serde(skip_serializing_if = "Option::is_none")]
    issue_id: Option<Clearable<IssueId>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    hours: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    spent_on: Option<Date>,
    #[serde(skip_serializing_if = "Option::is_none")]
    activity_id: Option<ActivityId>,
    #[serde(skip_serializing_if = "Option::is_none")]
    comments: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    user_id: Option<UserId>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    custom_fields: Vec<CustomFieldInput>,
}

impl TimeEntryUpdate {
    /// An update that changes nothing yet.
    pub fn new() -> Self {
        Self::default()
    }

    setters! {
        /// Moves the entry to another project (by numeric id; Redmine takes no identifier here).
        project => project_id: ProjectId;
        /// Changes the hours.
        hours => hours: f64;
        /// Changes the day.
        spent_on => spent_on: Date;
        /// Changes the activity.
        activity => activity_id: ActivityId;
        /// Replaces the comment.
        comments => comments: String;
        /// Changes who spent the time.
        user => user_id: UserId;
    }

    clearable_setters! {
        /// Moves the entry to an issue (and its project).
        issue, clear_issue => issue_id: IssueId;
    }

    /// Sets a time-entry custom field; call once per field.
    #[must_use]
    pub fn custom_field(mut self, value: CustomFieldInput) -> Self {
        self.custom_fields.push(value);
        self
    }
}

impl Client {
    /// One page of the time entries matching `filter`.
    ///
    /// ```no_run
    /// # async fn run(client: redmine_client::Client) -> redmine_client::Result<()> {
    /// use redmine_client::time_entries::TimeEntryFilter;
    /// use redmine_client::UserRef;
    ///
    /// let mine = client.list_time_entries(&TimeEntryFilter::new().user(UserRef::Me)).await?;
    /// let hours: f64 = mine.items.iter().map(|entry| entry.hours).sum();
    /// # Ok(()) }
    /// ```
    pub async fn list_time_entries(&self, filter: &TimeEntryFilter) -> Result<Page<TimeEntry>> {
        let route = Route::get("/time_entries.json").with_query(filter.query.clone());
        self.send_page(route, "time_entries").await
    }

    /// Every time entry matching `filter`, page after page, up to `max_items` entries.
    ///
    /// The walk starts at the filter's offset and fetches pages of 100; the filter's limit is
    /// ignored. The stream ends after the first error.
    pub fn stream_time_entries(
        &self,
        filter: &TimeEntryFilter,
        max_items: usize,
    ) -> impl Stream<Item = Result<TimeEntry>> + Send + 'static {
        let route = Route::get("/time_entries.json").with_query(filter.query.clone());
        self.paginate(route, "time_entries", max_items)
    }

    /// Time entry `id`.
    pub async fn get_time_entry(&self, id: TimeEntryId) -> Result<TimeEntry> {
        let route = Route::get("/time_entries/{id}.json").arg(id);
        self.send(route, Body::Empty, "time_entry").await
    }

    /// Logs time ("Log spent time" permission); Redmine answers with the entry it created.
    pub async fn create_time_entry(&self, entry: &NewTimeEntry) -> Result<TimeEntry> {
        let route = match &entry.project {
            Some(project) => Route::post("/projects/{project}/time_entries.json").arg(project),
            None => Route::post("/time_entries.json"),
        };
        self.send(route, Body::wrapped("time_entry", entry)?, "time_entry").await
    }

    /// Changes time entry `id` ("Edit time logs", or "Edit own time logs" for one's own).
    pub async fn update_time_entry(&self, id: TimeEntryId, update: &TimeEntryUpdate) -> Result<()> {
        let route = Route::put("/time_entries/{id}.json").arg(id);
        self.send_no_content(route, Body::wrapped("time_entry", update)?).await
    }

    /// Deletes time entry `id`.
    pub async fn delete_time_entry(&self, id: TimeEntryId) -> Result<()> {
        let route = Route::delete("/time_entries/{id}.json").arg(id);
        self.send_no_content(route, Body::Empty).await
    }
}

#[cfg(test)]
mod tests {
    use jiff::civil::date;

    use super::*;

    fn pairs(filter: &TimeEntryFilter) -> Vec<(&str, &str)> {
        filter.query.pairs().collect()
    }

    #[test]
    fn every_typed_filter_writes_redmine_syntax() {
        let filter = TimeEntryFilter::new()
            .project("project-a")
            .subprojects(IdFilter::None)
            .issue(IssueId(1))
            .user(UserRef::Me)
            .author(IdFilter::one_of([UserRef::Id(UserId(5)), UserRef::Id(UserId(6))]))
            .activity(ActivityId(9))
            .from(date(2026, 1, 1))
            .to(date(2026, 1, 31))
            .spent_on(DateFilter::LastMonth)
            .comments(TextFilter::contains("review"))
            .sort(Sort::asc("spent_on"))
            .offset(25)
            .limit(25)
            .extra("hours", ">=2");

        assert_eq!(
            pairs(&filter),
            [
                ("project_id", "project-a"),
                ("subproject_id", "!*"),
                ("issue_id", "1"),
                ("user_id", "me"),
                ("author_id", "5|6"),
                ("activity_id", "9"),
                ("from", "2026-01-01"),
                ("to", "2026-01-31"),
                ("spent_on", "lm"),
                ("comments", "~review"),
                ("sort", "spent_on"),
                ("offset", "25"),
                ("limit", "25"),
                ("hours", ">=2"),
            ]
        );
    }

    #[test]
    fn project_entries_keep_the_project_out_of_the_body() {
        let entry = NewTimeEntry::on_project("project-a", 1.25)
            .spent_on(date(2026, 2, 3))
            .activity(ActivityId(8))
            .user(UserId(5));
        assert_eq!(
            serde_json::to_value(&entry).unwrap(),
            serde_json::json!({
                "hours": 1.25, "spent_on": "2026-02-03", "activity_id": 8, "user_id": 5,
            })
        );

        let entry = NewTimeEntry::on_issue(IssueId(1), 0.5).comments("c");
        assert_eq!(
            serde_json::to_value(&entry).unwrap(),
            serde_json::json!({"issue_id": 1, "hours": 0.5, "comments": "c"})
        );
    }

    #[test]
    fn update_can_detach_the_issue() {
        let update = TimeEntryUpdate::new().clear_issue().project(ProjectId(2)).hours(2.0);
        assert_eq!(
            serde_json::to_value(&update).unwrap(),
            serde_json::json!({"project_id": 2, "issue_id": "", "hours": 2.0})
        );
    }
}
