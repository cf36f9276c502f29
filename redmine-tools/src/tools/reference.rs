//! Reference data: trackers, issue statuses, priorities, time-entry
//! activities, document categories, roles, saved queries and custom field
//! definitions.
//!
//! These are the lists a model reads to learn the names it may pass to the
//! other tools, so each answer is the whole list (they are short) with ids
//! and names first.

use http::Method;
use redmine_client::PriorityId;
use redmine_client::projects::ProjectInclude;
use redmine_client::queries::{QueryKind, SavedQueryFilter};
use schemars::JsonSchema;
use serde::Deserialize;
use serde_json::json;

use super::memberships::role_id;
use super::projects::project_id;
use super::{Listing, one, paged, whole_list};
use crate::context::CallContext;
use crate::error::ToolError;
use crate::output::Answer;
use crate::tool::{Annotations, RestBinding, Tool, ToolSpec};

/// Arguments of the lists that take none.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct NoArguments {}

/// Arguments of `list_time_entry_activities`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct ListActivities {
    /// The activities as a project uses them (id, identifier or name), including its own
    /// overrides; the system-wide list otherwise.
    project: Option<String>,
}

/// Arguments of `get_role`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct GetRole {
    /// The role, by name (e.g. "Developer") or id.
    id: String,
}

/// The kinds of saved query.
#[derive(Debug, Clone, Copy, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
enum QueryKindArg {
    Issue,
    TimeEntry,
    Project,
    User,
}

/// Arguments of `list_queries`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct ListQueries {
    /// Only queries of this kind: "issue" (the default in Redmine), "time_entry", "project" or
    /// "user".
    kind: Option<QueryKindArg>,
    /// How many queries to skip, for paging (default 0).
    offset: Option<u64>,
    /// How many queries to return, 1 to 100 (default 25).
    #[schemars(range(min = 1, max = 100))]
    limit: Option<u32>,
}

/// The kinds of record a custom field can belong to.
#[derive(Debug, Clone, Copy, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
enum CustomizedArg {
    Issue,
    Project,
    User,
    Group,
    TimeEntry,
    Version,
    Document,
}

impl CustomizedArg {
    fn as_str(self) -> &'static str {
        match self {
            Self::Issue => "issue",
            Self::Project => "project",
            Self::User => "user",
            Self::Group => "group",
            Self::TimeEntry => "time_entry",
            Self::Version => "version",
            Self::Document => "document",
        }
    }
}

/// Arguments of `list_custom_fields`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct ListCustomFields {
    /// Only fields of this kind of record: "issue", "project", "user", "group", "time_entry",
    /// "version" or "document".
    customized_type: Option<CustomizedArg>,
}

const fn read(
    name: &'static str,
    title: &'static str,
    description: &'static str,
    scopes: &'static [&'static str],
    path: &'static str,
    listed: bool,
) -> ToolSpec {
    ToolSpec {
        name,
        title,
        description,
        annotations: Annotations::READ,
        scopes,
        binding: RestBinding { method: Method::GET, path, listed },
    }
}

#[allow(clippy::too_many_lines, reason = "a declarative list of tools")]
pub(super) fn tools() -> Vec<Tool> {
    vec![
        Tool::new(
            read(
                "list_trackers",
                "List trackers",
                "List the issue trackers (Bug, Feature, Support, ...) with their ids, default \
                 status and the standard fields each uses. Use the names when creating or \
                 filtering issues.",
                &[],
                "/trackers",
                false,
            ),
            list_trackers,
        ),
        Tool::new(
            read(
                "list_issue_statuses",
                "List issue statuses",
                "List the issue statuses (New, In Progress, Closed, ...) with their ids and \
                 whether each counts as closed. Use the names when updating or filtering issues.",
                &[],
                "/issue_statuses",
                false,
            ),
            list_issue_statuses,
        ),
        Tool::new(
            read(
                "list_issue_priorities",
                "List issue priorities",
                "List the issue priorities (Low, Normal, High, ...) with their ids, in order, \
                 and which one is the default.",
                &[],
                "/enumerations/issue_priorities",
                false,
            ),
            list_issue_priorities,
        ),
        Tool::new(
            read(
                "list_time_entry_activities",
                "List time-entry activities",
                "List the activities time can be logged under (Design, Development, ...) with \
                 their ids and the default one; with a project, the activities that project \
                 uses.",
                &[],
                "/enumerations/time_entry_activities",
                false,
            ),
            list_time_entry_activities,
        ),
        Tool::new(
            read(
                "list_document_categories",
                "List document categories",
                "List the categories project documents can be filed under, with their ids and \
                 the default one.",
                &[],
                "/enumerations/document_categories",
                false,
            ),
            list_document_categories,
        ),
        Tool::new(
            read(
                "list_roles",
                "List roles",
                "List the roles project members can be given (Manager, Developer, Reporter, \
                 ...) with their ids. Use the names with create_membership.",
                &[],
                "/roles",
                false,
            ),
            list_roles,
        ),
        Tool::new(
            read(
                "get_role",
                "Get a role",
                "Get one role by name or id with its permissions and what its holders may see \
                 (all issues or their own, all time entries or their own).",
                &[],
                "/roles/{id}",
                false,
            ),
            get_role,
        ),
        Tool::new(
            read(
                "list_queries",
                "List saved queries",
                "List the saved queries you can use (public ones and your own), with id, name \
                 and project. Pass a query's id to list_issues to apply its filters.",
                &[],
                "/queries",
                true,
            ),
            list_queries,
        ),
        Tool::new(
            read(
                "list_custom_fields",
                "List custom fields",
                "List the custom field definitions (administrators only): name, id, kind of \
                 record, format, possible values and whether required. Use the names to set or \
                 filter custom fields.",
                &["admin"],
                "/custom_fields",
                true,
            ),
            list_custom_fields,
        ),
    ]
}

async fn list_trackers(context: CallContext, _: NoArguments) -> Result<Answer, ToolError> {
    whole_list("trackers", &context.client().list_trackers().await?)
}

async fn list_issue_statuses(context: CallContext, _: NoArguments) -> Result<Answer, ToolError> {
    whole_list("issue_statuses", &context.client().list_issue_statuses().await?)
}

async fn list_issue_priorities(context: CallContext, _: NoArguments) -> Result<Answer, ToolError> {
    let priorities = context.client().list_issue_priorities().await?;
    // Redmine lists them lowest first; say so, since ids do not tell the order.
    let ids: Vec<PriorityId> = priorities.iter().map(|p| p.id).collect();
    Listing::whole("issue_priorities", &priorities)
        .with("order", json!("lowest first"))
        .with("ids_in_order", json!(ids))
        .answer()
}

async fn list_time_entry_activities(
    context: CallContext,
    arguments: ListActivities,
) -> Result<Answer, ToolError> {
    if let Some(project) = &arguments.project {
        let id = project_id(&context, project).await?;
        let project =
            context.client().get_project(id, &[ProjectInclude::TimeEntryActivities]).await?;
        if let Some(activities) = project.time_entry_activities {
            return Listing::whole("time_entry_activities", &activities)
                .with("project_id", json!(id))
                .answer();
        }
        return Err(ToolError::Unsupported(format!(
            "redmine shows no activities for project {id}: you may lack the view_time_entries \
             permission there, or time tracking is off; list them without a project instead"
        )));
    }
    whole_list("time_entry_activities", &context.client().list_time_entry_activities().await?)
}

async fn list_document_categories(
    context: CallContext,
    _: NoArguments,
) -> Result<Answer, ToolError> {
    whole_list("document_categories", &context.client().list_document_categories().await?)
}

async fn list_roles(context: CallContext, _: NoArguments) -> Result<Answer, ToolError> {
    whole_list("roles", &context.client().list_roles().await?)
}

async fn get_role(context: CallContext, arguments: GetRole) -> Result<Answer, ToolError> {
    let id = role_id(&context, &arguments.id).await?;
    let role = context.client().get_role(id).await?;
    one("role", &role)
}

async fn list_queries(context: CallContext, arguments: ListQueries) -> Result<Answer, ToolError> {
    let mut filter = SavedQueryFilter::new();
    if let Some(kind) = arguments.kind {
        filter = filter.kind(match kind {
            QueryKindArg::Issue => QueryKind::Issue,
            QueryKindArg::TimeEntry => QueryKind::TimeEntry,
            QueryKindArg::Project => QueryKind::Project,
            QueryKindArg::User => QueryKind::User,
        });
    }
    if let Some(offset) = arguments.offset {
        filter = filter.offset(offset);
    }
    if let Some(limit) = arguments.limit {
        filter = filter.limit(limit);
    }
    paged("queries", &context.client().list_queries(&filter).await?)
}

async fn list_custom_fields(
    context: CallContext,
    arguments: ListCustomFields,
) -> Result<Answer, ToolError> {
    let mut fields = context.client().list_custom_fields().await?;
    if let Some(kind) = arguments.customized_type {
        fields.retain(|f| f.customized_type.as_deref() == Some(kind.as_str()));
    }
    whole_list("custom_fields", &fields)
}
