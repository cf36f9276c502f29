//! Time entries: list, read, log, change and delete spent time.
//!
//! Activities are resolved within the entry's project where that is known,
//! because a project may override the system-wide activities with its own
//! (whose ids differ), and Redmine only accepts the project's.

use http::Method;
use redmine_client::projects::ProjectInclude;
use redmine_client::time_entries::{NewTimeEntry, TimeEntryFilter, TimeEntryUpdate};
use redmine_client::{ActivityId, IssueId, ProjectId, TimeEntryId, UserRef};
use schemars::JsonSchema;
use serde::Deserialize;
use serde_json::{Map, Value, json};

use super::issue_fields::{parse_date_condition, parse_day, parse_sort, problem};
use super::projects::project_id;
use super::{one, paged};
use crate::context::CallContext;
use crate::error::ToolError;
use crate::output::Answer;
use crate::resolve::Candidate;
use crate::tool::{Annotations, RestBinding, Tool, ToolSpec};

/// Arguments of `list_time_entries`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct ListTimeEntries {
    /// Only entries of this project and its subprojects (id, identifier or name).
    project: Option<String>,
    /// Only entries logged on this issue, by number.
    issue_id: Option<u64>,
    /// Only entries of this user: "me", a login, a full name or an id.
    user: Option<String>,
    /// Only entries of this activity, by name (e.g. "Development") or id.
    activity: Option<String>,
    /// Only entries spent on or after this day, YYYY-MM-DD.
    from: Option<String>,
    /// Only entries spent on or before this day, YYYY-MM-DD.
    to: Option<String>,
    /// A condition on the day spent: a day, >=day, <=day, day..day, today, yesterday, this_week,
    /// last_week, this_month, last_month, this_year or last_N_days.
    spent_on: Option<String>,
    /// Sort order as column[:desc], e.g. "spent_on:desc" or "hours:desc".
    sort: Option<String>,
    /// How many entries to skip, for paging (default 0).
    offset: Option<u64>,
    /// How many entries to return, 1 to 100 (default 25).
    #[schemars(range(min = 1, max = 100))]
    limit: Option<u32>,
}

/// Arguments of `get_time_entry` and `delete_time_entry`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct TimeEntryOnly {
    /// The time entry's id.
    id: u64,
}

/// Arguments of `create_time_entry`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct CreateTimeEntry {
    /// The issue the time was spent on, by number. Give issue_id or project.
    issue_id: Option<u64>,
    /// The project the time was spent on (id, identifier or name), when not on an issue.
    project: Option<String>,
    /// Hours spent, e.g. 1.5.
    #[schemars(range(min = 0.0, max = 1000.0))]
    hours: f64,
    /// The day the time was spent, YYYY-MM-DD; today if left out.
    spent_on: Option<String>,
    /// The activity by name (e.g. "Development") or id; the default activity if left out.
    activity: Option<String>,
    /// What was done, up to 1024 characters.
    #[schemars(length(max = 1024))]
    comments: Option<String>,
    /// Log the time for another user ("me", login, name or id); needs log_time_for_other_users.
    user: Option<String>,
}

/// Arguments of `update_time_entry`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct UpdateTimeEntry {
    /// The time entry's id.
    id: u64,
    /// Move the entry to this issue, by number.
    issue_id: Option<u64>,
    /// Move the entry to this project (id, identifier or name).
    project: Option<String>,
    /// The new number of hours.
    #[schemars(range(min = 0.0, max = 1000.0))]
    hours: Option<f64>,
    /// The new day, YYYY-MM-DD.
    spent_on: Option<String>,
    /// The new activity, by name or id.
    activity: Option<String>,
    /// The new comment (replaces the old one).
    #[schemars(length(max = 1024))]
    comments: Option<String>,
    /// Give the entry to another user ("me", login, name or id).
    user: Option<String>,
}

pub(super) fn tools() -> Vec<Tool> {
    vec![
        Tool::new(
            ToolSpec {
                name: "list_time_entries",
                title: "List time entries",
                description: "List logged time, filtered by project, issue, user (\"me\"), \
                              activity and day range. Use it for timesheets and to total hours. \
                              Returns entries with hours, day, activity, user, issue and comment, \
                              plus paging (total_count, next_offset).",
                annotations: Annotations::READ,
                scopes: &["view_time_entries"],
                binding: RestBinding { method: Method::GET, path: "/time_entries", listed: true },
            },
            list,
        ),
        Tool::new(
            ToolSpec {
                name: "get_time_entry",
                title: "Get a time entry",
                description: "Get one time entry by id: hours, day, activity, user, project, \
                              issue, comment and custom fields.",
                annotations: Annotations::READ,
                scopes: &["view_time_entries"],
                binding: RestBinding {
                    method: Method::GET,
                    path: "/time_entries/{id}",
                    listed: true,
                },
            },
            get,
        ),
        Tool::new(
            ToolSpec {
                name: "create_time_entry",
                title: "Log time",
                description: "Log hours spent on an issue or a project, with the day (default \
                              today), activity by name (e.g. \"Development\") and a comment. \
                              Returns the new time entry with its id.",
                annotations: Annotations::CREATE,
                scopes: &["log_time"],
                binding: RestBinding { method: Method::POST, path: "/time_entries", listed: true },
            },
            create,
        ),
        Tool::new(
            ToolSpec {
                name: "update_time_entry",
                title: "Update a time entry",
                description: "Change a time entry's hours, day, activity, comment, issue, project \
                              or user. Fields left out keep their value. Needs edit_time_entries, \
                              or edit_own_time_entries for your own. Returns the id and the \
                              changed fields.",
                annotations: Annotations::UPDATE,
                scopes: &["edit_time_entries", "edit_own_time_entries"],
                binding: RestBinding {
                    method: Method::PUT,
                    path: "/time_entries/{id}",
                    listed: true,
                },
            },
            update,
        ),
        Tool::new(
            ToolSpec {
                name: "delete_time_entry",
                title: "Delete a time entry",
                description: "Delete a time entry by id. Needs edit_time_entries, or \
                              edit_own_time_entries for your own. Returns the deleted id.",
                annotations: Annotations::DELETE,
                scopes: &["edit_time_entries", "edit_own_time_entries"],
                binding: RestBinding {
                    method: Method::DELETE,
                    path: "/time_entries/{id}",
                    listed: false,
                },
            },
            delete,
        ),
    ]
}

/// A user argument as a filter value: `me` stays Redmine's own `me`.
async fn user_ref(
    context: &CallContext,
    input: &str,
    project: Option<ProjectId>,
) -> Result<UserRef, ToolError> {
    if input.trim().eq_ignore_ascii_case("me") {
        return Ok(UserRef::Me);
    }
    Ok(UserRef::Id(context.user_id(input, project).await?))
}

/// Resolves an activity by name, among `project`'s activities when the
/// project is known (including the project of `issue`), else among the
/// system-wide ones.
async fn activity_id(
    context: &CallContext,
    input: &str,
    project: Option<ProjectId>,
    issue: Option<u64>,
) -> Result<ActivityId, ToolError> {
    if let Ok(id) = input.trim().parse::<u64>() {
        return Ok(ActivityId(id));
    }
    let project = match (project, issue) {
        (Some(project), _) => Some(project),
        (None, Some(issue)) => {
            Some(context.client().get_issue(IssueId(issue), &[]).await?.project.id)
        }
        (None, None) => None,
    };
    let Some(project) = project else { return context.activity_id(input).await };

    let client = context.client().clone();
    let resolved = context
        .resolve("activity", &project.to_string(), input, move || async move {
            let project =
                client.get_project(project, &[ProjectInclude::TimeEntryActivities]).await?;
            Ok(project
                .time_entry_activities
                .unwrap_or_default()
                .into_iter()
                .map(|a| Candidate::new(a.id.get(), [a.name]))
                .collect())
        })
        .await;
    match resolved {
        // Without "View spent time" Redmine leaves the project's activities out.
        Err(ToolError::NoMatch { candidates, .. }) if candidates.is_empty() => {
            context.activity_id(input).await
        }
        resolved => resolved.map(ActivityId),
    }
}

async fn list(context: CallContext, arguments: ListTimeEntries) -> Result<Answer, ToolError> {
    let mut filter = TimeEntryFilter::new();
    let mut project = None;
    if let Some(input) = &arguments.project {
        let id = project_id(&context, input).await?;
        project = Some(id);
        filter = filter.project(id);
    }
    if let Some(issue) = arguments.issue_id {
        filter = filter.issue(IssueId(issue));
    }
    if let Some(user) = &arguments.user {
        filter = filter.user(user_ref(&context, user, project).await?);
    }
    if let Some(activity) = &arguments.activity {
        filter = filter.activity(activity_id(&context, activity, project, None).await?);
    }
    if let Some(from) = &arguments.from {
        filter = filter.from(parse_day("/from", from)?);
    }
    if let Some(to) = &arguments.to {
        filter = filter.to(parse_day("/to", to)?);
    }
    if let Some(spent_on) = &arguments.spent_on {
        filter = filter.spent_on(parse_date_condition("/spent_on", spent_on, false)?);
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

    let page = context.client().list_time_entries(&filter).await?;
    paged("time_entries", &page)
}

async fn get(context: CallContext, arguments: TimeEntryOnly) -> Result<Answer, ToolError> {
    let entry = context.client().get_time_entry(TimeEntryId(arguments.id)).await?;
    one("time_entry", &entry)
}

async fn create(context: CallContext, arguments: CreateTimeEntry) -> Result<Answer, ToolError> {
    let project = match &arguments.project {
        Some(input) => Some(project_id(&context, input).await?),
        None => None,
    };
    let mut entry = match (arguments.issue_id, project) {
        (Some(issue), _) => NewTimeEntry::on_issue(IssueId(issue), arguments.hours),
        (None, Some(project)) => NewTimeEntry::on_project(project, arguments.hours),
        (None, None) => {
            return Err(problem("", "say where the time was spent: give issue_id or project"));
        }
    };
    if let Some(day) = &arguments.spent_on {
        entry = entry.spent_on(parse_day("/spent_on", day)?);
    }
    if let Some(activity) = &arguments.activity {
        entry = entry.activity(activity_id(&context, activity, project, arguments.issue_id).await?);
    }
    if let Some(comments) = arguments.comments {
        entry = entry.comments(comments);
    }
    if let Some(user) = &arguments.user {
        entry = entry.user(context.user_id(user, project).await?);
    }

    let created = context.client().create_time_entry(&entry).await?;
    one("time_entry", &created)
}

async fn update(context: CallContext, arguments: UpdateTimeEntry) -> Result<Value, ToolError> {
    let mut update = TimeEntryUpdate::new();
    let mut changed = Map::new();

    let mut project = None;
    if let Some(input) = &arguments.project {
        let id = project_id(&context, input).await?;
        project = Some(id);
        changed.insert("project_id".into(), json!(id));
        update = update.project(id);
    }
    if let Some(issue) = arguments.issue_id {
        changed.insert("issue_id".into(), json!(issue));
        update = update.issue(IssueId(issue));
    }
    if let Some(hours) = arguments.hours {
        changed.insert("hours".into(), json!(hours));
        update = update.hours(hours);
    }
    if let Some(day) = &arguments.spent_on {
        let day = parse_day("/spent_on", day)?;
        changed.insert("spent_on".into(), json!(day.to_string()));
        update = update.spent_on(day);
    }
    if let Some(activity) = &arguments.activity {
        // The entry's own project decides which activities apply.
        let project = match project {
            Some(project) => Some(project),
            None => context
                .client()
                .get_time_entry(TimeEntryId(arguments.id))
                .await?
                .project
                .map(|p| p.id),
        };
        let activity = activity_id(&context, activity, project, arguments.issue_id).await?;
        changed.insert("activity_id".into(), json!(activity));
        update = update.activity(activity);
    }
    if let Some(comments) = arguments.comments {
        changed.insert("comments".into(), json!(comments));
        update = update.comments(comments);
    }
    if let Some(user) = &arguments.user {
        let user = context.user_id(user, project).await?;
        changed.insert("user_id".into(), json!(user));
        update = update.user(user);
    }
    if changed.is_empty() {
        return Err(problem("", "nothing to change: give at least one field besides id"));
    }

    context.client().update_time_entry(TimeEntryId(arguments.id), &update).await?;
    Ok(json!({ "time_entry_id": arguments.id, "updated": true, "changed": changed }))
}

async fn delete(context: CallContext, arguments: TimeEntryOnly) -> Result<Value, ToolError> {
    context.client().delete_time_entry(TimeEntryId(arguments.id)).await?;
    Ok(json!({ "time_entry_id": arguments.id, "deleted": true }))
}
