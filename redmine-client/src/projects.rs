//! Projects: list with filters, read with includes, create, update, delete, and the status
//! changes (archive, unarchive, close, reopen).
//!
//! A project is addressed by numeric id or identifier ([`ProjectRef`]) everywhere. What lives
//! inside a project (memberships, versions, files, news, wiki) has its own module.

use std::fmt;

use futures::Stream;
use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::Client;
use crate::error::Result;
use crate::filters::{DateFilter, IdFilter, Sort, TextFilter};
use crate::ids::{
    ActivityId, CategoryId, CustomFieldId, EnabledModuleId, ProjectId, ProjectRef, TrackerId,
    UserId, VersionId,
};
use crate::models::{Clearable, CustomFieldInput, CustomFieldValue, IdName};
use crate::page::Page;
use crate::request::{Body, Query, Route};

/// A project.
///
/// The collections at the end are `None` unless asked for with [`ProjectInclude`]; Redmine also
/// leaves out those the user may not see (trackers, categories and issue custom fields need
/// "View issues", activities need "View spent time").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Project {
    /// The numeric id.
    pub id: ProjectId,
    /// The display name.
    pub name: String,
    /// The identifier used in URLs, such as `project-a`.
    pub identifier: String,
    /// The description, in the text formatting of the Redmine instance.
    pub description: Option<String>,
    /// The homepage URL, empty when unset.
    pub homepage: Option<String>,
    /// The parent project, when it is visible to the user.
    pub parent: Option<IdName<ProjectId>>,
    /// Whether the project is active, closed or archived.
    pub status: ProjectStatus,
    /// Whether non-members (and, if allowed, anonymous users) can see the project.
    pub is_public: Option<bool>,
    /// Whether a subproject inherits its parent's members.
    pub inherit_members: Option<bool>,
    /// The version new issues get by default (shown on a single project only).
    pub default_version: Option<IdName<VersionId>>,
    /// Who new issues are assigned to by default (shown on a single project only).
    pub default_assignee: Option<IdName<UserId>>,
    /// The project custom field values visible to the user.
    #[serde(default)]
    pub custom_fields: Vec<CustomFieldValue>,
    /// When the project was created.
    pub created_on: Option<Timestamp>,
    /// When the project last changed.
    pub updated_on: Option<Timestamp>,
    /// The trackers enabled in the project ([`ProjectInclude::Trackers`]).
    pub trackers: Option<Vec<IdName<TrackerId>>>,
    /// The issue categories ([`ProjectInclude::IssueCategories`]).
    pub issue_categories: Option<Vec<IdName<CategoryId>>>,
    /// The time-entry activities ([`ProjectInclude::TimeEntryActivities`]).
    pub time_entry_activities: Option<Vec<IdName<ActivityId>>>,
    /// The enabled modules, such as `issue_tracking` or `wiki`
    /// ([`ProjectInclude::EnabledModules`]).
    pub enabled_modules: Option<Vec<IdName<EnabledModuleId>>>,
    /// The issue custom fields available in the project ([`ProjectInclude::IssueCustomFields`]).
    pub issue_custom_fields: Option<Vec<IdName<CustomFieldId>>>,
}

impl Project {
    /// Whether module `name` (such as `wiki` or `time_tracking`) is enabled; `None` unless the
    /// project was read with [`ProjectInclude::EnabledModules`].
    pub fn has_module(&self, name: &str) -> Option<bool> {
        self.enabled_modules.as_ref().map(|modules| modules.iter().any(|m| m.name == name))
    }
}

/// A project's status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(from = "u8", into = "u8")]
#[non_exhaustive]
pub enum ProjectStatus {
    /// `1`: open for work.
    Active,
    /// `5`: read-only; its issues can no longer be changed.
    Closed,
    /// `9`: hidden from everyone but administrators, and from every list.
    Archived,
    /// `10`: deleted and waiting for the background job that removes it (Redmine 6.0+).
    ScheduledForDeletion,
    /// A status this crate does not know, as Redmine numbered it.
    Other(u8),
}

impl ProjectStatus {
    /// Redmine's number for the status.
    pub fn code(self) -> u8 {
        match self {
            Self::Active => 1,
            Self::Closed => 5,
            Self::Archived => 9,
            Self::ScheduledForDeletion => 10,
            Self::Other(code) => code,
        }
    }
}

impl From<u8> for ProjectStatus {
    fn from(code: u8) -> Self {
        match code {
            1 => Self::Active,
            5 => Self::Closed,
            9 => Self::Archived,
            10 => Self::ScheduledForDeletion,
            other => Self::Other(other),
        }
    }
}

impl From<ProjectStatus> for u8 {
    fn from(status: ProjectStatus) -> Self {
        status.code()
    }
}

impl fmt::Display for ProjectStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.code(), f)
    }
}

/// Extra data to ask for with a project, on a single project and on lists alike.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ProjectInclude {
    /// The enabled trackers.
    Trackers,
    /// The issue categories.
    IssueCategories,
    /// The time-entry activities.
    TimeEntryActivities,
    /// The enabled modules.
    EnabledModules,
    /// The issue custom fields.
    IssueCustomFields,
}

impl ProjectInclude {
    /// Every include.
    pub const ALL: [Self; 5] = [
        Self::Trackers,
        Self::IssueCategories,
        Self::TimeEntryActivities,
        Self::EnabledModules,
        Self::IssueCustomFields,
    ];

    /// Redmine's name for the include.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Trackers => "trackers",
            Self::IssueCategories => "issue_categories",
            Self::TimeEntryActivities => "time_entry_activities",
            Self::EnabledModules => "enabled_modules",
            Self::IssueCustomFields => "issue_custom_fields",
        }
    }
}

/// The filters, sort order, includes and page of a project list.
///
/// Without a status filter Redmine lists active projects only. Archived projects are never
/// listed, not even to administrators; read them one by one with [`Client::get_project`].
///
/// ```
/// use redmine_client::filters::{Sort, TextFilter};
/// use redmine_client::projects::{ProjectFilter, ProjectInclude, ProjectStatus};
///
/// let filter = ProjectFilter::new()
///     .status([ProjectStatus::Active, ProjectStatus::Closed])
///     .name(TextFilter::contains("checkout"))
///     .include(&[ProjectInclude::Trackers])
///     .sort(Sort::asc("name"))
///     .limit(100);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProjectFilter {
    query: Query,
}

impl ProjectFilter {
    /// No filter: the active projects visible to the user.
    pub fn new() -> Self {
        Self::default()
    }

    fn with(mut self, key: &str, value: impl fmt::Display) -> Self {
        self.query.set(key, value);
        self
    }

    /// Projects with one of these statuses (`status=1|5`).
    ///
    /// XXX(redmine): the "any status" operator `*` matches no project at all, so ask for
    /// `[Active, Closed]` instead; `Archived` matches nothing either.
    #[must_use]
    pub fn status(self, statuses: impl IntoIterator<Item = ProjectStatus>) -> Self {
        self.with("status", IdFilter::one_of(statuses))
    }

    /// Only these projects (`id=1|2`).
    #[must_use]
    pub fn ids(self, ids: impl IntoIterator<Item = ProjectId>) -> Self {
        self.with("id", IdFilter::one_of(ids))
    }

    /// By name, such as `TextFilter::contains("shop")`.
    #[must_use]
    pub fn name(self, filter: TextFilter) -> Self {
        self.with("name", filter)
    }

    /// By description.
    #[must_use]
    pub fn description(self, filter: TextFilter) -> Self {
        self.with("description", filter)
    }

    /// By parent project: the direct children of a project, or [`IdFilter::None`] for
    /// top-level projects.
    #[must_use]
    pub fn parent(self, filter: impl Into<IdFilter<ProjectId>>) -> Self {
        self.with("parent_id", filter.into())
    }

    /// Public (`true`) or private (`false`) projects only.
    #[must_use]
    pub fn public(self, public: bool) -> Self {
        self.with("is_public", u8::from(public))
    }

    /// By creation time.
    #[must_use]
    pub fn created_on(self, filter: DateFilter) -> Self {
        self.with("created_on", filter)
    }

    /// By time of last change (Redmine 6.0+; older releases ignore this filter).
    #[must_use]
    pub fn updated_on(self, filter: DateFilter) -> Self {
        self.with("updated_on", filter)
    }

    /// The sort order, with Redmine's column names (`name`, `identifier`, `created_on`, ...).
    /// Redmine's default is the project tree order.
    #[must_use]
    pub fn sort(self, sort: Sort) -> Self {
        self.with("sort", sort)
    }

    /// Extra data per project.
    #[must_use]
    pub fn include(mut self, include: &[ProjectInclude]) -> Self {
        self.query.set_list("include", include.iter().map(|i| i.as_str()));
        self
    }

    /// How many matching projects to skip.
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

    /// Any other query parameter Redmine understands, such as a project custom field filter
    /// `("cf_3", "=yes")`. The value is sent as given (URL-encoded).
    #[must_use]
    pub fn extra(self, key: impl Into<String>, value: impl fmt::Display) -> Self {
        self.with(&key.into(), value)
    }
}

/// A project to create.
///
/// Only administrators and users with the "Create project" permission may create projects; a
/// non-administrator becomes a member of the new project with the default role.
///
/// ```
/// use redmine_client::projects::NewProject;
/// use redmine_client::{ProjectId, TrackerId};
///
/// let project = NewProject::new("Checkout", "checkout")
///     .description("Everything about paying")
///     .public(false)
///     .parent(ProjectId(1))
///     .trackers([TrackerId(1), TrackerId(2)])
///     .modules(["issue_tracking", "wiki"]);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct NewProject {
    name: String,
    identifier: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    homepage: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    is_public: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    parent_id: Option<ProjectId>,
    #[serde(skip_serializing_if = "Option::is_none")]
    inherit_members: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    default_assigned_to_id: Option<UserId>,
    #[serde(skip_serializing_if = "Option::is_none")]
    tracker_ids: Option<Vec<TrackerId>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    enabled_module_names: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    issue_custom_field_ids: Option<Vec<CustomFieldId>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    custom_fields: Vec<CustomFieldInput>,
}

impl NewProject {
    /// A project named `name` with URL identifier `identifier` (lowercase letters, digits,
    /// dashes and underscores, starting with a letter).
    pub fn new(name: impl Into<String>, identifier: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            identifier: identifier.into(),
            description: None,
            homepage: None,
            is_public: None,
            parent_id: None,
            inherit_members: None,
            default_assigned_to_id: None,
            tracker_ids: None,
            enabled_module_names: None,
            issue_custom_field_ids: None,
            custom_fields: Vec::new(),
        }
    }

    setters! {
        /// The description.
        description => description: String;
        /// The homepage URL.
        homepage => homepage: String;
        /// Whether the project is public; Redmine's "new projects are public" setting otherwise.
        public => is_public: bool;
        /// The parent project, making this a subproject.
        parent => parent_id: ProjectId;
        /// Whether the subproject inherits its parent's members.
        inherit_members => inherit_members: bool;
        /// Who new issues are assigned to by default.
        default_assignee => default_assigned_to_id: UserId;
    }

    /// The trackers to enable; every tracker marked "default for new projects" otherwise.
    #[must_use]
    pub fn trackers(mut self, trackers: impl IntoIterator<Item = TrackerId>) -> Self {
        self.tracker_ids = Some(trackers.into_iter().collect());
        self
    }

    /// The modules to enable by name (`issue_tracking`, `time_tracking`, `news`, `documents`,
    /// `files`, `wiki`, `repository`, `boards`, `calendar`, `gantt`); the "default enabled
    /// modules" setting otherwise.
    #[must_use]
    pub fn modules<S: Into<String>>(mut self, modules: impl IntoIterator<Item = S>) -> Self {
        self.enabled_module_names = Some(modules.into_iter().map(Into::into).collect());
        self
    }

    /// The issue custom fields to enable, besides those enabled for all projects.
    #[must_use]
    pub fn issue_custom_fields(mut self, fields: impl IntoIterator<Item = CustomFieldId>) -> Self {
        self.issue_custom_field_ids = Some(fields.into_iter().collect());
        self
    }

    /// Sets a project custom field; call once per field.
    #[must_use]
    pub fn custom_field(mut self, value: CustomFieldInput) -> Self {
        self.custom_fields.push(value);
        self
    }
}

/// Changes to a project; fields left unset keep their value. The identifier cannot change.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct ProjectUpdate {
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    homepage: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    is_public: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    parent_id: Option<Clearable<ProjectId>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    inherit_members: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    default_version_id: Option<Clearable<VersionId>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    default_assigned_to_id: Option<Clearable<UserId>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    tracker_ids: Option<Vec<TrackerId>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    enabled_module_names: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    issue_custom_field_ids: Option<Vec<CustomFieldId>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    custom_fields: Vec<CustomFieldInput>,
}

impl ProjectUpdate {
    /// An update that changes nothing yet.
    pub fn new() -> Self {
        Self::default()
    }

    setters! {
        /// Renames the project.
        name => name: String;
        /// Replaces the description.
        description => description: String;
        /// Replaces the homepage URL.
        homepage => homepage: String;
        /// Makes the project public or private.
        public => is_public: bool;
        /// Whether the subproject inherits its parent's members.
        inherit_members => inherit_members: bool;
    }

    clearable_setters! {
        /// Moves the project under another one.
        parent, clear_parent => parent_id: ProjectId;
        /// Sets the version new issues get by default (one of the project's shared versions).
        default_version, clear_default_version => default_version_id: VersionId;
        /// Sets who new issues are assigned to by default (a member).
        default_assignee, clear_default_assignee => default_assigned_to_id: UserId;
    }

    /// Replaces the enabled trackers.
    #[must_use]
    pub fn trackers(mut self, trackers: impl IntoIterator<Item = TrackerId>) -> Self {
        self.tracker_ids = Some(trackers.into_iter().collect());
        self
    }

    /// Replaces the enabled modules, by name.
    #[must_use]
    pub fn modules<S: Into<String>>(mut self, modules: impl IntoIterator<Item = S>) -> Self {
        self.enabled_module_names = Some(modules.into_iter().map(Into::into).collect());
        self
    }

    /// Replaces the enabled issue custom fields.
    #[must_use]
    pub fn issue_custom_fields(mut self, fields: impl IntoIterator<Item = CustomFieldId>) -> Self {
        self.issue_custom_field_ids = Some(fields.into_iter().collect());
        self
    }

    /// Sets a project custom field; call once per field.
    #[must_use]
    pub fn custom_field(mut self, value: CustomFieldInput) -> Self {
        self.custom_fields.push(value);
        self
    }
}

impl Client {
    /// One page of the projects matching `filter`.
    ///
    /// ```no_run
    /// # async fn run(client: redmine_client::Client) -> redmine_client::Result<()> {
    /// use redmine_client::projects::ProjectFilter;
    ///
    /// let page = client.list_projects(&ProjectFilter::new().limit(100)).await?;
    /// for project in &page.items {
    ///     println!("{} ({})", project.name, project.identifier);
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn list_projects(&self, filter: &ProjectFilter) -> Result<Page<Project>> {
        let route = Route::get("/projects.json").with_query(filter.query.clone());
        self.send_page(route, "projects").await
    }

    /// Every project matching `filter`, page after page, up to `max_items` projects.
    ///
    /// The walk starts at the filter's offset and fetches pages of 100; the filter's limit is
    /// ignored. The stream ends after the first error.
    pub fn stream_projects(
        &self,
        filter: &ProjectFilter,
        max_items: usize,
    ) -> impl Stream<Item = Result<Project>> + Send + 'static {
        let route = Route::get("/projects.json").with_query(filter.query.clone());
        self.paginate(route, "projects", max_items)
    }

    /// Project `project` (id or identifier), with the extra data named in `include`.
    ///
    /// A private project the user is no member of answers 403
    /// ([`Error::Forbidden`](crate::Error::Forbidden)), an unknown one 404.
    pub async fn get_project(
        &self,
        project: impl Into<ProjectRef>,
        include: &[ProjectInclude],
    ) -> Result<Project> {
        let mut route = Route::get("/projects/{project}.json").arg(project.into());
        route.query.set_list("include", include.iter().map(|i| i.as_str()));
        self.send(route, Body::Empty, "project").await
    }

    /// Creates a project; Redmine answers with the project it created (without includes).
    pub async fn create_project(&self, project: &NewProject) -> Result<Project> {
        let route = Route::post("/projects.json");
        self.send(route, Body::wrapped("project", project)?, "project").await
    }

    /// Changes project `project`.
    pub async fn update_project(
        &self,
        project: impl Into<ProjectRef>,
        update: &ProjectUpdate,
    ) -> Result<()> {
        let route = Route::put("/projects/{project}.json").arg(project.into());
        self.send_no_content(route, Body::wrapped("project", update)?).await
    }

    /// Deletes project `project` with its subprojects, issues, wiki and files.
    ///
    /// Redmine 6.0 and later only mark the project
    /// [`ScheduledForDeletion`](ProjectStatus::ScheduledForDeletion) and remove it in a
    /// background job: lists drop it at once, but administrators can still read it until the job
    /// has run. Non-administrators need the "Delete project" permission and may delete leaf
    /// projects only.
    pub async fn delete_project(&self, project: impl Into<ProjectRef>) -> Result<()> {
        let route = Route::delete("/projects/{project}.json").arg(project.into());
        self.send_no_content(route, Body::Empty).await
    }

    /// Archives project `project` and its subprojects (administrators only).
    ///
    /// Redmine refuses with a 422 when an issue outside the project tree uses one of its
    /// versions.
    pub async fn archive_project(&self, project: impl Into<ProjectRef>) -> Result<()> {
        let route = Route::put("/projects/{project}/archive.json").arg(project.into());
        self.send_no_content(route, Body::Empty).await
    }

    /// Unarchives project `project` and its archived ancestors (administrators only).
    pub async fn unarchive_project(&self, project: impl Into<ProjectRef>) -> Result<()> {
        let route = Route::put("/projects/{project}/unarchive.json").arg(project.into());
        self.send_no_content(route, Body::Empty).await
    }

    /// Closes project `project` and its subprojects, making them read-only ("Close / reopen
    /// the project" permission).
    pub async fn close_project(&self, project: impl Into<ProjectRef>) -> Result<()> {
        let route = Route::put("/projects/{project}/close.json").arg(project.into());
        self.send_no_content(route, Body::Empty).await
    }

    /// Reopens closed project `project` and its closed subprojects.
    pub async fn reopen_project(&self, project: impl Into<ProjectRef>) -> Result<()> {
        let route = Route::put("/projects/{project}/reopen.json").arg(project.into());
        self.send_no_content(route, Body::Empty).await
    }
}

#[cfg(test)]
mod tests {
    use jiff::civil::date;

    use super::*;
    use crate::filters::DateBound;

    fn pairs(filter: &ProjectFilter) -> Vec<(&str, &str)> {
        filter.query.pairs().collect()
    }

    #[test]
    fn statuses_round_trip_including_unknown_ones() {
        for code in [1_u8, 5, 9, 10, 42] {
            let status: ProjectStatus = serde_json::from_str(&code.to_string()).unwrap();
            assert_eq!(serde_json::to_string(&status).unwrap(), code.to_string());
        }
        assert_eq!(ProjectStatus::from(9), ProjectStatus::Archived);
        assert_eq!(ProjectStatus::Other(3).to_string(), "3");
    }

    #[test]
    fn every_typed_filter_writes_redmine_syntax() {
        let filter = ProjectFilter::new()
            .status([ProjectStatus::Active, ProjectStatus::Closed])
            .ids([ProjectId(1), ProjectId(2)])
            .name(TextFilter::contains("shop"))
            .description(TextFilter::None)
            .parent(ProjectId(1))
            .public(false)
            .created_on(DateFilter::OnOrAfter(DateBound::Day(date(2026, 1, 1))))
            .updated_on(DateFilter::InPastDays(7))
            .sort(Sort::desc("name"))
            .include(&ProjectInclude::ALL)
            .offset(10)
            .limit(0)
            .extra("cf_3", "=yes");

        assert_eq!(
            pairs(&filter),
            [
                ("status", "1|5"),
                ("id", "1|2"),
                ("name", "~shop"),
                ("description", "!*"),
                ("parent_id", "1"),
                ("is_public", "0"),
                ("created_on", ">=2026-01-01"),
                ("updated_on", "><t-7"),
                ("sort", "name:desc"),
                (
                    "include",
                    "trackers,issue_categories,time_entry_activities,enabled_modules,\
                     issue_custom_fields"
                ),
                ("offset", "10"),
                ("limit", "1"),
                ("cf_3", "=yes"),
            ]
        );
    }

    #[test]
    fn new_project_sends_only_what_was_set() {
        let project = NewProject::new("Shop", "shop")
            .public(false)
            .parent(ProjectId(1))
            .trackers([TrackerId(1)])
            .modules(["wiki"])
            .custom_field(CustomFieldInput::new(CustomFieldId(4), "x"));
        assert_eq!(
            serde_json::to_value(&project).unwrap(),
            serde_json::json!({
                "name": "Shop",
                "identifier": "shop",
                "is_public": false,
                "parent_id": 1,
                "tracker_ids": [1],
                "enabled_module_names": ["wiki"],
                "custom_fields": [{"id": 4, "value": "x"}],
            })
        );
    }

    #[test]
    fn project_update_clears_with_empty_strings_and_can_empty_lists() {
        let update = ProjectUpdate::new()
            .name("Shop 2")
            .clear_parent()
            .default_version(VersionId(3))
            .clear_default_assignee()
            .trackers([]);
        assert_eq!(
            serde_json::to_value(&update).unwrap(),
            serde_json::json!({
                "name": "Shop 2",
                "parent_id": "",
                "default_version_id": 3,
                "default_assigned_to_id": "",
                "tracker_ids": [],
            })
        );
    }

    #[test]
    fn has_module_needs_the_include() {
        let mut project: Project = serde_json::from_value(serde_json::json!({
            "id": 1, "name": "A", "identifier": "a", "status": 1,
        }))
        .unwrap();
        assert_eq!(project.has_module("wiki"), None);
        project.enabled_modules = Some(vec![IdName::new(EnabledModuleId(1), "wiki")]);
        assert_eq!(project.has_module("wiki"), Some(true));
        assert_eq!(project.has_module("news"), Some(false));
    }
}
