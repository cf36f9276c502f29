//! Reading issues: the filtered issue list, one issue with its history and
//! attachments, an issue's subtasks; and deleting an issue.
//!
//! Creating and changing issues is `issue_edits`' job.

use http::Method;
use redmine_client::filters::{IdFilter, TextFilter};
use redmine_client::issues::{IssueFilter, IssueInclude, StatusFilter};
use redmine_client::{
    CategoryId, CustomFieldId, IssueId, PriorityId, ProjectId, QueryId, TrackerId, UserRef,
    VersionId,
};
use schemars::JsonSchema;
use serde::Deserialize;
use serde_json::{Value, json};

use super::issue_fields::{
    CustomFieldCondition, condition_fields, parse_date_condition, parse_sort, problem,
};
use super::{Listing, one, paged};
use crate::context::CallContext;
use crate::error::ToolError;
use crate::output::Answer;
use crate::tool::{Annotations, RestBinding, Tool, ToolSpec};

/// Arguments of `list_issues`.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct ListIssues {
    /// Only issues of this project: its id, identifier or name, e.g. "website".
    project: Option<String>,
    /// With a project: whether its subprojects' issues are listed too (default true).
    include_subprojects: Option<bool>,
    /// Tracker name or id, e.g. "Bug".
    tracker: Option<String>,
    /// "open" (default), "closed" (any closed status), "*" for all, or one status by name or
    /// id, e.g. "In Progress".
    status: Option<String>,
    /// Assignee: "me", "none" for unassigned issues, or a user's id, login or full name.
    assigned_to: Option<String>,
    /// Author: "me" or a user's id, login or full name.
    author: Option<String>,
    /// Priority name or id, e.g. "High".
    priority: Option<String>,
    /// Issue category name or id; a name needs project.
    category: Option<String>,
    /// Target version name or id, e.g. "1.0"; a name needs project.
    version: Option<String>,
    /// Only subtasks of this issue number.
    parent_id: Option<u64>,
    /// Only issues whose subject contains this text (case-insensitive).
    subject: Option<String>,
    /// Conditions on custom fields, all of which must hold.
    custom_fields: Option<Vec<CustomFieldCondition>>,
    /// When the issue was created: a day "2025-01-31", ">=2025-01-01", "<=2025-01-31",
    /// "2025-01-01..2025-01-31", "today", "yesterday", "this_week", "last_week", "this_month",
    /// "last_month", "this_year", "last_7_days", "next_7_days", "older_than_30_days", "any" or
    /// "none". Bounds may also be UTC times such as 2025-01-31T12:00:00Z.
    created: Option<String>,
    /// When the issue last changed; a date condition as for created.
    updated: Option<String>,
    /// When the issue was closed; a date condition as for created.
    closed: Option<String>,
    /// The issue's start date; a date condition as for created, with days only.
    start_date: Option<String>,
    /// The issue's due date; a date condition as for created, with days only.
    due_date: Option<String>,
    /// A saved query's id (see list_queries): its filters replace the ones given here, so combine
    /// it only with project, sort, offset and limit.
    query_id: Option<u64>,
    /// Sort order: columns with an optional ":desc", e.g. "priority:desc,updated_on:desc".
    /// Columns: id, subject, status, priority, tracker, assigned_to, author, updated_on,
    /// created_on, start_date, due_date, done_ratio, cf_N.
    sort: Option<String>,
    /// How many matching issues to skip, for paging (default 0).
    offset: Option<u64>,
    /// How many issues to return, 1 to 100 (default 25).
    #[schemars(range(min = 1, max = 100))]
    limit: Option<u32>,
}

/// The ids the names in `ListIssues` resolved to.
#[derive(Debug, Default)]
struct ListIds {
    project: Option<ProjectId>,
    tracker: Option<TrackerId>,
    status: Option<StatusFilter>,
    assigned_to: Option<IdFilter<UserRef>>,
    author: Option<IdFilter<UserRef>>,
    priority: Option<PriorityId>,
    category: Option<CategoryId>,
    version: Option<VersionId>,
    custom_fields: Vec<CustomFieldId>,
}

/// Arguments of `get_issue`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct GetIssue {
    /// The issue number, e.g. 42.
    id: u64,
    /// What to add to the issue (default: journals, children, attachments, relations, watchers).
    /// journals is the history of notes and changes; allowed_statuses the statuses you may set.
    include: Option<Vec<Include>>,
}

/// Extra data to add to the issue.
#[derive(Debug, Clone, Copy, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
enum Include {
    Journals,
    Children,
    Attachments,
    Relations,
    Watchers,
    AllowedStatuses,
    Changesets,
}

impl From<Include> for IssueInclude {
    fn from(include: Include) -> Self {
        match include {
            Include::Journals => Self::Journals,
            Include::Children => Self::Children,
            Include::Attachments => Self::Attachments,
            Include::Relations => Self::Relations,
            Include::Watchers => Self::Watchers,
            Include::AllowedStatuses => Self::AllowedStatuses,
            Include::Changesets => Self::Changesets,
        }
    }
}

/// Arguments of `list_issue_subtasks`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct ListSubtasks {
    /// The parent issue's number.
    issue_id: u64,
    /// "*" for all (default), "open", "closed", or one status by name or id.
    status: Option<String>,
    /// How many subtasks to skip, for paging (default 0).
    offset: Option<u64>,
    /// How many subtasks to return, 1 to 100 (default 25).
    #[schemars(range(min = 1, max = 100))]
    limit: Option<u32>,
}

/// Arguments of `delete_issue`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct DeleteIssue {
    /// The number of the issue to delete, with its subtasks, time entries and attachments.
    id: u64,
}

pub(super) fn tools() -> Vec<Tool> {
    vec![
        Tool::new(
            ToolSpec {
                name: "list_issues",
                title: "List issues",
                description: "Find issues by project, status (open by default), tracker, \
                              assignee (\"me\"), author, priority, version, category, subject \
                              text, custom fields and dates, or a saved query. Names or ids \
                              both work. Returns one page of issues with total_count and \
                              next_offset.",
                annotations: Annotations::READ,
                scopes: &["view_issues"],
                binding: RestBinding { method: Method::GET, path: "/issues", listed: true },
            },
            list,
        ),
        Tool::new(
            ToolSpec {
                name: "get_issue",
                title: "Get an issue",
                description: "Read one issue by number with its description, custom fields, \
                              history of notes and changes (journals), subtasks, attachments, \
                              relations and watchers. Use include to ask for less, or for the \
                              statuses you may move it to.",
                annotations: Annotations::READ,
                scopes: &["view_issues"],
                binding: RestBinding { method: Method::GET, path: "/issues/{id}", listed: true },
            },
            get,
        ),
        Tool::new(
            ToolSpec {
                name: "list_issue_subtasks",
                title: "List subtasks",
                description: "List the direct subtasks of an issue, of any status unless told \
                              otherwise, with paging. Returns issues with total_count and \
                              next_offset.",
                annotations: Annotations::READ,
                scopes: &["view_issues"],
                binding: RestBinding {
                    method: Method::GET,
                    path: "/issues/{issue_id}/subtasks",
                    listed: false,
                },
            },
            subtasks,
        ),
        Tool::new(
            ToolSpec {
                name: "delete_issue",
                title: "Delete an issue",
                description: "Delete an issue for good, with its subtasks, time entries, notes \
                              and attachments. Cannot be undone; to end work on an issue, close \
                              it with update_issue instead.",
                annotations: Annotations::DELETE,
                scopes: &["delete_issues"],
                binding: RestBinding { method: Method::DELETE, path: "/issues/{id}", listed: true },
            },
            delete,
        ),
    ]
}

async fn list(context: CallContext, arguments: ListIssues) -> Result<Answer, ToolError> {
    let ids = resolve_list_names(&context, &arguments).await?;
    let filter = issue_filter(&arguments, &ids)?;
    let page = context.client().list_issues(&filter).await?;
    paged("issues", &page)
}

/// Resolves every name the list arguments carry, the project first since
/// versions, categories and users are looked up within it.
async fn resolve_list_names(
    context: &CallContext,
    arguments: &ListIssues,
) -> Result<ListIds, ToolError> {
    let mut ids = ListIds::default();
    if let Some(project) = &arguments.project {
        ids.project = Some(context.project_id(project).await?);
    }
    if let Some(tracker) = &arguments.tracker {
        ids.tracker = Some(context.tracker_id(tracker).await?);
    }
    if let Some(status) = &arguments.status {
        ids.status = Some(context.status_filter(status).await?);
    }
    if let Some(user) = &arguments.assigned_to {
        ids.assigned_to = Some(user_filter(context, user, ids.project).await?);
    }
    if let Some(user) = &arguments.author {
        ids.author = Some(user_filter(context, user, ids.project).await?);
    }
    if let Some(priority) = &arguments.priority {
        ids.priority = Some(context.priority_id(priority).await?);
    }
    if let Some(category) = &arguments.category {
        ids.category = Some(match category.trim().parse() {
            Ok(id) => CategoryId(id),
            Err(_) => {
                context.category_id(needs_project(ids.project, "category")?, category).await?
            }
        });
    }
    if let Some(version) = &arguments.version {
        ids.version = Some(match version.trim().parse() {
            Ok(id) => VersionId(id),
            Err(_) => context.version_id(needs_project(ids.project, "version")?, version).await?,
        });
    }
    if let Some(conditions) = &arguments.custom_fields {
        ids.custom_fields = condition_fields(context, ids.project, conditions).await?;
    }
    Ok(ids)
}

fn needs_project(project: Option<ProjectId>, what: &str) -> Result<ProjectId, ToolError> {
    project.ok_or_else(|| {
        problem(&format!("/{what}"), format!("a {what} name needs the project; give project too"))
    })
}

/// A user condition: `me`, `none`, or one user by id, login or name.
async fn user_filter(
    context: &CallContext,
    input: &str,
    project: Option<ProjectId>,
) -> Result<IdFilter<UserRef>, ToolError> {
    match input.trim().to_lowercase().as_str() {
        // Redmine resolves `me` itself, which saves a lookup.
        "me" => Ok(IdFilter::from(UserRef::Me)),
        "none" => Ok(IdFilter::None),
        _ => Ok(IdFilter::from(UserRef::Id(context.user_id(input, project).await?))),
    }
}

/// The client filter for `arguments`, with names already resolved to `ids`.
fn issue_filter(arguments: &ListIssues, ids: &ListIds) -> Result<IssueFilter, ToolError> {
    let mut filter = IssueFilter::new();
    if let Some(project) = ids.project {
        filter = filter.project(project);
        if arguments.include_subprojects == Some(false) {
            filter = filter.subprojects(IdFilter::None);
        }
    }
    if let Some(tracker) = ids.tracker {
        filter = filter.tracker(tracker);
    }
    if let Some(status) = &ids.status {
        filter = filter.status(status.clone());
    }
    if let Some(user) = &ids.assigned_to {
        filter = filter.assigned_to(user.clone());
    }
    if let Some(user) = &ids.author {
        filter = filter.author(user.clone());
    }
    if let Some(priority) = ids.priority {
        filter = filter.priority(priority);
    }
    if let Some(category) = ids.category {
        filter = filter.category(category);
    }
    if let Some(version) = ids.version {
        filter = filter.fixed_version(version);
    }
    if let Some(parent) = arguments.parent_id {
        filter = filter.parent(IssueId(parent));
    }
    if let Some(subject) = &arguments.subject {
        filter = filter.subject(TextFilter::contains(subject.clone()));
    }
    for (i, (condition, id)) in
        arguments.custom_fields.iter().flatten().zip(&ids.custom_fields).enumerate()
    {
        filter = filter.custom_field(*id, condition.filter(&format!("/custom_fields/{i}"))?);
    }

    let dates = [
        ("created", &arguments.created, true),
        ("updated", &arguments.updated, true),
        ("closed", &arguments.closed, true),
        ("start_date", &arguments.start_date, false),
        ("due_date", &arguments.due_date, false),
    ];
    for (name, condition, timestamps) in dates {
        let Some(condition) = condition else { continue };
        let date = parse_date_condition(&format!("/{name}"), condition, timestamps)?;
        filter = match name {
            "created" => filter.created_on(date),
            "updated" => filter.updated_on(date),
            "closed" => filter.closed_on(date),
            "start_date" => filter.start_date(date),
            _ => filter.due_date(date),
        };
    }

    if let Some(query) = arguments.query_id {
        filter = filter.saved_query(QueryId(query));
    }
    if let Some(sort) = &arguments.sort {
        filter = filter.sort(parse_sort("/sort", sort)?);
    }
    if let Some(offset) = arguments.offset {
        filter = filter.offset(offset);
    }
    if let Some(limit) = arguments.limit {
        filter = filter.limit(limit);
    }
    Ok(filter)
}

async fn get(context: CallContext, arguments: GetIssue) -> Result<Answer, ToolError> {
    let include: Vec<IssueInclude> = match &arguments.include {
        Some(include) => include.iter().copied().map(IssueInclude::from).collect(),
        None => vec![
            IssueInclude::Journals,
            IssueInclude::Children,
            IssueInclude::Attachments,
            IssueInclude::Relations,
            IssueInclude::Watchers,
        ],
    };
    let issue = context.client().get_issue(IssueId(arguments.id), &include).await?;
    one("issue", &issue)
}

async fn subtasks(context: CallContext, arguments: ListSubtasks) -> Result<Answer, ToolError> {
    let status = match &arguments.status {
        Some(status) => context.status_filter(status).await?,
        None => StatusFilter::All,
    };
    let mut filter = IssueFilter::new().parent(IssueId(arguments.issue_id)).status(status);
    if let Some(offset) = arguments.offset {
        filter = filter.offset(offset);
    }
    if let Some(limit) = arguments.limit {
        filter = filter.limit(limit);
    }
    let page = context.client().list_issues(&filter).await?;
    Listing::page("issues", &page).with("parent_id", json!(arguments.issue_id)).answer()
}

async fn delete(context: CallContext, arguments: DeleteIssue) -> Result<Value, ToolError> {
    context.client().delete_issue(IssueId(arguments.id)).await?;
    Ok(json!({ "deleted": true, "issue_id": arguments.id }))
}

#[cfg(test)]
mod tests {
    use jiff::civil::date;
    use redmine_client::filters::{DateFilter, Sort};
    use redmine_client::{StatusId, UserId};

    use super::*;

    fn arguments(value: Value) -> ListIssues {
        serde_json::from_value(value).unwrap()
    }

    #[test]
    fn no_arguments_is_redmines_default_list() {
        let filter = issue_filter(&ListIssues::default(), &ListIds::default()).unwrap();
        assert_eq!(filter, IssueFilter::new());
    }

    #[test]
    fn every_argument_maps_to_its_client_filter() {
        let arguments = arguments(json!({
            "project": "website",
            "include_subprojects": false,
            "tracker": "Bug",
            "status": "closed",
            "assigned_to": "me",
            "author": "dana",
            "priority": "High",
            "category": "Backend",
            "version": "1.0",
            "parent_id": 1,
            "subject": "checkout",
            "custom_fields": [
                {"field": "Severity", "value": "High"},
                {"field": "7", "operator": "any"}
            ],
            "created": "2025-01-01..2025-01-31",
            "updated": "last_7_days",
            "closed": "any",
            "start_date": ">=2026-01-05",
            "due_date": "none",
            "sort": "priority:desc,id",
            "offset": 50,
            "limit": 10
        }));
        let ids = ListIds {
            project: Some(ProjectId(1)),
            tracker: Some(TrackerId(2)),
            status: Some(StatusFilter::Closed),
            assigned_to: Some(IdFilter::from(UserRef::Me)),
            author: Some(IdFilter::from(UserRef::Id(UserId(5)))),
            priority: Some(PriorityId(3)),
            category: Some(CategoryId(4)),
            version: Some(VersionId(6)),
            custom_fields: vec![CustomFieldId(1), CustomFieldId(7)],
        };

        let expected = IssueFilter::new()
            .project(ProjectId(1))
            .subprojects(IdFilter::None)
            .tracker(TrackerId(2))
            .status(StatusFilter::Closed)
            .assigned_to(UserRef::Me)
            .author(UserId(5))
            .priority(PriorityId(3))
            .category(CategoryId(4))
            .fixed_version(VersionId(6))
            .parent(IssueId(1))
            .subject(TextFilter::contains("checkout"))
            .custom_field(CustomFieldId(1), TextFilter::is("High"))
            .custom_field(CustomFieldId(7), TextFilter::Any)
            .created_on(DateFilter::between(date(2025, 1, 1), date(2025, 1, 31)))
            .updated_on(DateFilter::InPastDays(7))
            .closed_on(DateFilter::Any)
            .start_date(DateFilter::OnOrAfter(date(2026, 1, 5).into()))
            .due_date(DateFilter::None)
            .sort(Sort::desc("priority").then_asc("id"))
            .offset(50)
            .limit(10);
        assert_eq!(issue_filter(&arguments, &ids).unwrap(), expected);
    }

    #[test]
    fn subprojects_are_included_unless_excluded() {
        let ids = ListIds { project: Some(ProjectId(1)), ..ListIds::default() };
        let filter = issue_filter(&arguments(json!({"project": "a"})), &ids).unwrap();
        assert_eq!(filter, IssueFilter::new().project(ProjectId(1)));
    }

    #[test]
    fn unassigned_and_saved_query_map_to_redmine_syntax() {
        let ids = ListIds {
            assigned_to: Some(IdFilter::None),
            status: Some(StatusFilter::from(StatusId(2))),
            ..ListIds::default()
        };
        let filter =
            issue_filter(&arguments(json!({"assigned_to": "none", "query_id": 8})), &ids).unwrap();
        let expected = IssueFilter::new()
            .status(StatusId(2))
            .assigned_to(IdFilter::None)
            .saved_query(QueryId(8));
        assert_eq!(filter, expected);
    }

    #[test]
    fn a_bad_date_or_sort_points_at_its_argument() {
        let error = issue_filter(&arguments(json!({"updated": "lately"})), &ListIds::default())
            .unwrap_err();
        assert!(error.to_string().contains("/updated:"), "{error}");
        let error = issue_filter(&arguments(json!({"sort": "id:sideways"})), &ListIds::default())
            .unwrap_err();
        assert!(error.to_string().contains("/sort:"), "{error}");
        let error = issue_filter(
            &arguments(json!({"due_date": ">=2025-01-01T00:00:00Z"})),
            &ListIds::default(),
        )
        .unwrap_err();
        assert!(error.to_string().contains("/due_date:"), "{error}");
    }

    #[test]
    fn names_of_versions_and_categories_need_the_project() {
        let error = needs_project(None, "version").unwrap_err();
        assert!(
            error.to_string().contains("/version: a version name needs the project"),
            "{error}"
        );
        assert_eq!(needs_project(Some(ProjectId(3)), "category").unwrap(), ProjectId(3));
    }
}
